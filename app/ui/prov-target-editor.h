/* prov-target-editor.h — the form of one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

#define PROV_TYPE_TARGET_EDITOR (prov_target_editor_get_type ())
G_DECLARE_FINAL_TYPE (ProvTargetEditor, prov_target_editor, PROV, TARGET_EDITOR, AdwBin)

GtkWidget        *prov_target_editor_new           (void);

/* The target shown; the editor writes every change straight into it. */
ProvTargetSystem *prov_target_editor_get_target    (ProvTargetEditor  *self);
void              prov_target_editor_set_target    (ProvTargetEditor  *self,
                                                    ProvTargetSystem  *target);
gboolean          prov_target_editor_get_editable  (ProvTargetEditor  *self);
void              prov_target_editor_set_editable  (ProvTargetEditor  *self,
                                                    gboolean           editable);

/* Marks each field with its reason (indexed by ProvField, NULL = valid) and
 * moves the focus to the first invalid one. NULL clears every mark. */
void              prov_target_editor_show_reasons  (ProvTargetEditor  *self,
                                                    char             **reasons);
const char       *prov_target_editor_get_reason    (ProvTargetEditor  *self,
                                                    ProvField          field);
GtkWidget        *prov_target_editor_get_row       (ProvTargetEditor  *self,
                                                    ProvField          field);
void              prov_target_editor_focus_first   (ProvTargetEditor  *self);
G_END_DECLS
