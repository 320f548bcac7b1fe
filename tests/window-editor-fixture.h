/* window-editor-fixture.h — the main window on a targets.json, driven
 * the way a person drives it
 *
 * What test-window, test-window-edits and test-window-list share: a real
 * ProvWindow on a targets.json in a temporary folder with a real keyring
 * (with-keyring.sh) and GSettings in memory; targets seeded as if saved
 * in an earlier run; the editor's rows read and typed into; the sidebar,
 * toasts, dialogs and the file as a person meets them. The waits and
 * widget finders come from window-fixture.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "keyring-raw.h"
#include "prov-secret-store.h"
#include "prov-target-editor.h"
#include "prov-target-row.h"
#include "prov-target-store.h"
#include "prov-window.h"
#include "window-fixture.h"

G_BEGIN_DECLS

typedef struct
{
  char            *tmpdir;
  char            *path;        /* targets.json */
  ProvTargetStore *store;
  ProvSecretStore *secrets;
  ProvWindow      *window;      /* weak: NULL once the window is gone */
  GSettings       *settings;
} Fixture;

void reset_settings (GSettings *settings);

void fixture_setup (Fixture       *f,
                    gconstpointer  data);

/* The window went away (hidden and destroyed), and then nothing kept it
 * alive. */
void wait_window_gone (Fixture    *f,
                       const char *why);

void destroy_window (Fixture *f);

void fixture_teardown (Fixture       *f,
                       gconstpointer  data);

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} AsyncWait;

void save_target_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

char *secret_for (const char *name);

ProvTargetSystem *make_jam (const char *name,
                            guint       n);

/* Writes targets.json with @names (SAP Jam targets) and puts each one's
 * Client Secret in the keyring unless @with_secrets is FALSE. Returns the
 * uuids, in order. */
GStrv seed_targets (Fixture            *f,
                    const char * const *names,
                    gboolean            with_secrets);

GtkWidget *find_by_type (GtkWidget *root,
                         GType      type);

/* What a person sees: a mapped widget (its window, its stack page, its
 * revealer and itself are all shown). */
gboolean shown (GtkWidget *widget);

ProvTargetEditor *editor (Fixture *f);

typedef struct
{
  GType       type;
  const char *title;
} RowQuery;

gboolean is_row_titled (GtkWidget     *widget,
                        gconstpointer  data);

/* The editor row titled @title (visible or not), as a person reads it. */
GtkWidget *entry_row (Fixture    *f,
                      const char *title);

GtkWidget *combo_row (Fixture    *f,
                      const char *title);

/* Any editor row (entry, drop-down, action row) titled @title, or NULL. */
GtkWidget *any_row (Fixture    *f,
                    const char *title);

gboolean row_exists (Fixture    *f,
                     const char *title);

gboolean field_shown (Fixture    *f,
                      const char *title);

const char *field_text (Fixture    *f,
                        const char *title);

/* Types into a field the way a person can: only into a shown, editable row. */
void type_into (Fixture    *f,
                const char *title,
                const char *text);

/* What a drop-down shows for @item: the row's expression, or the string. */
char *combo_item_label (AdwComboRow *row,
                        GObject     *item);

const char *combo_choice (Fixture    *f,
                          const char *title);

/* Picks @choice in a shown, sensitive drop-down row. */
void choose (Fixture    *f,
             const char *title,
             const char *choice);

gboolean has_error_mark (Fixture    *f,
                         const char *title);

/* The focus is in @widget (an entry row focuses its text inside). */
gboolean has_focus_in (Fixture   *f,
                       GtkWidget *widget);

typedef struct
{
  const char *label;
} ButtonQuery;

gboolean is_button_labelled (GtkWidget     *widget,
                             gconstpointer  data);

GtkWidget *button (GtkWidget  *root,
                   const char *label);

gboolean header_button_shown (Fixture    *f,
                              const char *label);

/* The title of the editor's header (the content pane's AdwWindowTitle). */
const char *content_title (Fixture *f);

gboolean is_status_page_titled (GtkWidget     *widget,
                                gconstpointer  data);

gboolean status_page_shown (Fixture    *f,
                            const char *title);

gboolean is_label_with_text (GtkWidget     *widget,
                             gconstpointer  data);

gboolean label_shown (Fixture    *f,
                      const char *text);

/* The sidebar's list (drop-down rows have list views of their own). */
GtkListView *list_view (Fixture *f);

GtkSelectionModel *list_model (Fixture *f);

guint n_listed (Fixture *f);

/* The display names the sidebar lists, in order, joined with "|". */
char *listed_names (Fixture *f);

gboolean names_listed (Fixture    *f,
                       const char *expected);

gboolean is_bound_target_row (GtkWidget     *widget,
                              gconstpointer  data);

gboolean is_label (GtkWidget     *widget,
                   gconstpointer  data);

/* The sidebar row a person sees for @name (title label), or NULL. */
GtkWidget *sidebar_row (Fixture    *f,
                        const char *name);

/* The subtitle label of a sidebar row: the second label in it. */
const char *sidebar_row_subtitle (GtkWidget *row);

GtkCheckButton *sidebar_row_check (GtkWidget *row);

/* Picks the target at @position in the sidebar, as a click on its row does. */
void select_position (Fixture *f,
                      guint    position);

guint selected_position (Fixture *f);

ProvTargetSystem *listed_target (Fixture *f,
                                 guint    position);

gboolean is_toast_widget (GtkWidget     *widget,
                          gconstpointer  data);

const char *toast_widget_title (GtkWidget *widget);

GtkWidget *toast_shown (Fixture    *f,
                        const char *title);

char *shown_toasts (Fixture *f);

#define WAIT_FOR_TOAST(f, title) \
  G_STMT_START { \
    g_autofree char *toast_what_ = g_strdup_printf ("the toast '%s'", (title)); \
    WAIT_FOR (toast_shown ((f), (title)) != NULL, toast_what_); \
  } G_STMT_END

gboolean is_close_button (GtkWidget     *widget,
                          gconstpointer  data);

/* The pointer comes to rest on the toast, as on the way to its button:
 * the toast then stays until the pointer leaves (libadwaita inhibits its
 * timeout), however slow the checks in between are (sanitizer builds). */
void hover_toast (Fixture    *f,
                  const char *title);

/* Clicks the toast's close button; waits until it is gone. A toast that
 * already went by its timeout is just as gone. */
void dismiss_toast (Fixture    *f,
                    const char *title);

/* Clicks the button of the toast (such as "_Undo"). */
void click_toast_button (Fixture    *f,
                         const char *title,
                         const char *label);

GtkWindow *find_dialog (Fixture *f);

AdwMessageDialog *wait_for_dialog (Fixture    *f,
                                   const char *heading);

/* Clicks the dialog's button for @response; waits until the dialog is gone. */
void respond (Fixture          *f,
              AdwMessageDialog *dialog,
              const char       *response);

void assert_no_dialog (Fixture *f);
/* A new target has real-time provisioning on, so its first Save asks
 * what that pushes at once (with no source of users set up here, that it
 * cannot tell). Answers with @response: "cancel", "off" or "on". */
void answer_real_time (Fixture    *f,
                       const char *response);

char *file_names (Fixture *f);

gboolean file_lists (Fixture    *f,
                     const char *expected);

char *file_contents (Fixture *f);

void open_window (Fixture *f,
                  guint    n_expected);

void activate (Fixture    *f,
               const char *action);

/* Fills a new SAP Jam target with valid values. */
void fill_jam (Fixture    *f,
               const char *name,
               const char *url,
               const char *key,
               const char *secret);

/* Waits, as a person would, until the keyring's secret shows in the
 * Client Secret field of the target named @name. */
void wait_secret_loaded (Fixture    *f,
                         const char *name);

void assert_fields (Fixture            *f,
                    const char * const *expect_shown,
                    const char * const *expect_hidden);

/* The rows of a SAP Jam target that show, and those that do not. */
extern const char * const jam_fields_shown[];
extern const char * const jam_fields_hidden[];

/* Before g_test_run: settings in memory from the build's schema, GTK and
 * libadwaita started without animations, the app's resources. */
void window_editor_fixture_init (int    *argc,
                                 char ***argv);

G_END_DECLS
