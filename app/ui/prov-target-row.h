/* prov-target-row.h — one target system in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "prov-sync.h"
#include "prov-target-system.h"

G_BEGIN_DECLS

#define PROV_TYPE_TARGET_ROW (prov_target_row_get_type ())
G_DECLARE_FINAL_TYPE (ProvTargetRow, prov_target_row, PROV, TARGET_ROW, GtkWidget)

GtkWidget        *prov_target_row_new                (void);
ProvTargetSystem *prov_target_row_get_target         (ProvTargetRow    *self);
void              prov_target_row_set_target         (ProvTargetRow    *self,
                                                      ProvTargetSystem *target);
/* Shows the target's real-time provisioning state from @sync (when its
 * real time is on): in sync, pushing, failing, paused — and, paused, a
 * button for win.resume-sync. */
void              prov_target_row_set_sync           (ProvTargetRow    *self,
                                                      ProvSync         *sync);
gboolean          prov_target_row_get_selection_mode (ProvTargetRow    *self);
void              prov_target_row_set_selection_mode (ProvTargetRow    *self,
                                                      gboolean          selection_mode);
gboolean          prov_target_row_get_selected       (ProvTargetRow    *self);
void              prov_target_row_set_selected       (ProvTargetRow    *self,
                                                      gboolean          selected);

G_END_DECLS
