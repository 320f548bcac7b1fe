/* prov-ui-util.h — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

void prov_button_fix_accessible_name (GtkButton *button);

/* The same for every labelled button inside @widget (a message dialog's
 * response buttons, made by libadwaita); and a name for the unnamed
 * buttons and text views that GTK and libadwaita make (the shortcuts
 * window's search, the About window's back buttons), which screen readers
 * would otherwise call "GtkImage" or "GtkButton". */
void prov_fix_accessible_names_within (GtkWidget *widget);

/* Ctrl+W closes @window, as the shortcuts window says of every window:
 * for the windows GTK and libadwaita make (About, the shortcuts window). */
void prov_window_add_close_shortcut (GtkWindow *window);

/* Marks @row as holding a value that is not accepted, for everyone: red
 * (the "error" style class), and for screen
 * readers the invalid state with @reason as the row's description, so the
 * error is announced and not only coloured. A NULL @reason clears it. */
void prov_row_set_invalid (GtkWidget  *row,
                           const char *reason);

/* Shows a modal native file chooser over @widget's window. @patterns
 * (NULL-terminated, may be NULL) make one filter named @filter_name;
 * @current_name pre-fills a save dialog. @response_cb is connected to
 * ::response with @object (it dies with it) and must unref the chooser. */
void prov_show_file_chooser (GtkWidget            *widget,
                             const char           *title,
                             GtkFileChooserAction  action,
                             const char           *accept_label,
                             const char           *filter_name,
                             const char * const   *patterns,
                             const char           *current_name,
                             GCallback             response_cb,
                             gpointer              object);

/* @row shows its chosen value whole: libadwaita 1.2 cuts it at 20
 * characters ("Identity Authenticatio…"); this one wraps instead when the
 * row is narrow. The value is the row's expression on the item, or the
 * string of a GtkStringList's item. */
void prov_combo_row_show_whole_values (AdwComboRow *row);

/* A row's own check box (or selected state) changed to @want: the list's
 * @model follows it, leaving the other items as they are. Changes that
 * the model itself caused come back here and are ignored. */
void prov_selection_follow_row (GtkSelectionModel *model,
                                GtkListItem       *item,
                                gboolean           want);

/* A toast saying @text. Toasts are notices, not sentences: none ends with
 * a full stop (docs/sap-domain.md, "Words"), and a sentence handed over
 * from elsewhere, such as an error's message, loses its final one. */
/* @time as History writes dates, in the person's words and local time
 * ("4 December 2026, 13:57:08"), or "?" for NULL. */
char     *prov_format_date_time (GDateTime *time);

AdwToast *prov_toast_new (const char *text);
/* adw_toast_overlay_add_toast(), with the toast's buttons given the
 * accessible names libadwaita 1.2 lacks. Takes @toast. */
void      prov_toast_overlay_add (AdwToastOverlay *overlay,
                                  AdwToast        *toast);

/* A response of a question: its id, its label with a mnemonic and how it
 * looks. */
typedef struct
{
  const char            *id;
  const char            *label;
  AdwResponseAppearance  appearance;
} ProvResponse;

/* Asks @heading and @body over @parent with @responses; the first is what
 * closing the question means, @default_response what Enter means.
 * prov_ask_finish() gives the position of the response chosen. */
void              prov_ask_async                  (GtkWindow           *parent,
                                                   const char          *heading,
                                                   const char          *body,
                                                   const ProvResponse  *responses,
                                                   guint                n_responses,
                                                   const char          *default_response,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
guint             prov_ask_finish                 (GAsyncResult        *result);

typedef enum
{
  PROV_UNSAVED_CANCEL,
  PROV_UNSAVED_DISCARD,
  PROV_UNSAVED_SAVE,
} ProvUnsavedChoice;

/* Asks over @parent what to do with the unsaved changes of @target (a new
 * one when @is_new): Save, Discard or Cancel. Closing the question is
 * Cancel. */
void              prov_ask_unsaved_changes_async  (GtkWindow           *parent,
                                                   ProvTargetSystem    *target,
                                                   gboolean             is_new,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* The same question in other words, for what is not a target system.
 * Finish with prov_ask_unsaved_changes_finish(). */
void              prov_ask_to_save_async          (GtkWindow           *parent,
                                                   const char          *heading,
                                                   const char          *body,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
ProvUnsavedChoice prov_ask_unsaved_changes_finish (GAsyncResult        *result);

G_END_DECLS
