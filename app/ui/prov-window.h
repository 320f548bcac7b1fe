/* prov-window.h — the main window: target systems and their editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-secret-store.h"
#include "prov-sync.h"
#include "prov-target-store.h"

G_BEGIN_DECLS

#define PROV_TYPE_WINDOW (prov_window_get_type ())
G_DECLARE_FINAL_TYPE (ProvWindow, prov_window, PROV, WINDOW, AdwApplicationWindow)

ProvWindow *prov_window_new              (GtkApplication  *application,
                                          ProvTargetStore *store,
                                          ProvSecretStore *secrets);

/* Reads the store's file and selects the target selected last time. */
void        prov_window_load_targets     (ProvWindow      *self);

/* A failure that needs reading stays on screen until dismissed. */
void        prov_window_show_message     (ProvWindow      *self,
                                          const char      *message);

/* Says in the header bar that this is the demo (`provisioner --demo`). */
void        prov_window_set_demo         (ProvWindow      *self,
                                          gboolean         demo);

/* The sidebar shows each target's real-time state from @sync, and a
 * paused target can be resumed. Call before the targets load. */
void        prov_window_set_sync         (ProvWindow      *self,
                                          ProvSync        *sync);

/* Shows the window on the target @uuid (a notification's action), after
 * the unsaved-changes question if an edit is open. */
void        prov_window_open_target      (ProvWindow      *self,
                                          const char      *uuid);

/* Quitting: asks Save / Discard / Cancel when an edit is open; TRUE when
 * nothing is left to lose. Then prov_window_close_settled() closes
 * without asking again. */
void        prov_window_settle_async     (ProvWindow          *self,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    prov_window_settle_finish    (ProvWindow          *self,
                                          GAsyncResult        *result);
void        prov_window_close_settled    (ProvWindow          *self);

G_END_DECLS
