/* prov-sync-notifier.h — desktop notifications of real-time provisioning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-sync.h"
#include "prov-target-store.h"

G_BEGIN_DECLS

/* A failure lasting this long (seconds) is notified;
 * PROVISIONER_FAILURE_NOTIFY_SECONDS changes it (tests). */
#define PROV_SYNC_NOTIFY_FAILURE_SECONDS 300

#define PROV_TYPE_SYNC_NOTIFIER (prov_sync_notifier_get_type ())
G_DECLARE_FINAL_TYPE (ProvSyncNotifier, prov_sync_notifier, PROV, SYNC_NOTIFIER, GObject)

/* Sends @application's notifications for @sync: a target failing (or the
 * source unreadable) for PROV_SYNC_NOTIFY_FAILURE_SECONDS, a target
 * paused; each withdrawn when it is over. Their default action is
 * app.open-target('<uuid>'). */
ProvSyncNotifier *prov_sync_notifier_new (GApplication    *application,
                                          ProvSync        *sync,
                                          ProvTargetStore *store);

G_END_DECLS
