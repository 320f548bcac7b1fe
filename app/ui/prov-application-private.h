/* prov-application-private.h — ProvApplication's state, shared by its files
 *
 * prov-application.c holds the windows, the demo and About;
 * prov-application-sync.c real-time provisioning while no window is open
 * (holding the application, the Background portal, notifications,
 * app.open-target, a Quit that stops the sync cleanly).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-application.h"
#include "prov-demo.h"
#include "prov-sync.h"
#include "prov-sync-notifier.h"
#include "prov-target-service.h"

G_BEGIN_DECLS

struct _ProvApplication
{
  AdwApplication     parent_instance;

  ProvTargetService *service;
  gboolean           demo;
  ProvDemo          *demo_service;

  ProvSync          *sync;
  ProvSyncNotifier  *notifier;
  GSettings         *settings;       /* NULL without an installed schema */
  gboolean           sync_started;
  gboolean           sync_held;      /* a target has real time on */
  gboolean           quitting;
  GPtrArray         *quit_windows;   /* ProvWindow*, settled one by one */
  guint              portal_response_id;
};

/* prov-application.c */
GtkWindow *_prov_application_create_window (ProvApplication *self);

/* prov-application-sync.c */
void       _prov_application_sync_init     (ProvApplication *self);
void       _prov_application_sync_startup  (ProvApplication *self);
void       _prov_application_sync_dispose  (ProvApplication *self);

G_END_DECLS
