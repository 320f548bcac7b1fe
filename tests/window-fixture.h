/* window-fixture.h — what the window tests share
 *
 * The waits, the widget finders and the scratch folders of every test that
 * drives a real ProvWindow (test-window, test-provision-ui, test-safety-ui),
 * and the fixture of the last two: a saved SAP Jam target on the
 * in-process peer, its secret in the keyring, a CSV source of N_USERS
 * users, the window open on it.
 *
 * The helpers keep the short names the tests used when each had a copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-http-client.h"
#include "prov-secret-store.h"
#include "prov-source.h"
#include "prov-target-store.h"
#include "prov-target-system.h"
#include "prov-test-server.h"
#include "prov-window.h"
#include "test-helpers.h"

G_BEGIN_DECLS

/* How long to wait for something a person would wait for. Generous: the
 * sanitizer build is slow, and nothing here measures speed. */
#define WAIT_SECONDS 60

/* The fixture's CSV source: N_USERS users, the first N_INACTIVE not active. */
#define N_USERS 12
#define N_INACTIVE 2

gboolean tick_cb (gpointer data);

void wait_failed (const char *file,
                  int         line,
                  const char *func,
                  const char *condition,
                  const char *what);

/* Spins the main loop until @cond holds; fails the test with a clear
 * message naming @what when it does not within WAIT_SECONDS. */
#define WAIT_FOR(cond, what) \
  G_STMT_START { \
    gint64 wait_end_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC; \
    guint wait_tick_ = g_timeout_add (10, tick_cb, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > wait_end_) \
          { \
            g_source_remove (wait_tick_); \
            wait_failed (__FILE__, __LINE__, G_STRFUNC, #cond, (what)); \
          } \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (wait_tick_); \
  } G_STMT_END

/* Lets pending idles, relayouts and async replies run for @ms. */
void settle (guint ms);

/* Spins the main loop until @widget is on screen and its window has
 * painted @n more frames: a fixed wait is too short in the sanitizer build. */
void wait_for_frames (GtkWidget *widget,
                      guint      n);

/* Widgets */

typedef gboolean (*Predicate) (GtkWidget *widget, gconstpointer data);

/* Every widget under @root (itself included) that @predicate accepts, in
 * depth-first order. */
void collect_widgets (GtkWidget     *root,
                      Predicate      predicate,
                      gconstpointer  data,
                      GPtrArray     *result);

/* The first of them, or NULL. */
GtkWidget *find (GtkWidget     *root,
                 Predicate      predicate,
                 gconstpointer  data);

/* @data is a GType, as GSIZE_TO_POINTER (type). */
gboolean is_type (GtkWidget     *widget,
                  gconstpointer  data);

/* The sidebar's list of target systems (drop-down rows have lists too). */
gboolean is_sidebar_list (GtkWidget     *widget,
                          gconstpointer  data);

/* A label a person can see, with exactly this text. */
gboolean is_shown_label (GtkWidget     *widget,
                         gconstpointer  data);

/* A label a person can see, whose text contains this. */
gboolean is_shown_label_containing (GtkWidget     *widget,
                                    gconstpointer  data);

/* A shown action row with this title. */
gboolean is_action_row_titled (GtkWidget     *widget,
                               gconstpointer  data);

/* A shown toast with this title. */
gboolean is_toast_titled (GtkWidget     *widget,
                          gconstpointer  data);

/* The number shown at the end of a plan row ("Create  12"). */
const char *plan_count (GtkWidget  *dialog,
                        const char *title);

/* The visible toplevel of @type (the last one listed), or NULL. */
GtkWidget *toplevel_of_type (GType type);

/* The visible Provision dialog, or NULL. */
GtkWidget *provision_dialog (void);

/* The name of the page @dialog's (first) stack shows. */
const char *stack_page (GtkWidget *dialog);

/* Keyboard shortcuts */

/* Every shortcut of @widget's shortcut controllers (its class's bindings
 * and any added), as GtkShortcut. */
GPtrArray *widget_shortcuts (GtkWidget *widget);

/* Whether @shortcut is a key trigger for @keyval with @modifiers. */
gboolean shortcut_matches (GtkShortcut     *shortcut,
                           guint            keyval,
                           GdkModifierType  modifiers);

/* Activates the shortcuts of @widget for @accelerator the way
 * GtkShortcutController does (each match in turn until one handles it);
 * TRUE when one did. Real key events are the end-to-end tests' part. */
gboolean press_shortcut (GtkWidget  *widget,
                         const char *accelerator);

/* The file chooser that a Choose, Import or Export button opened: picks
 * @file and accepts, as a person would. */
void answer_file_chooser (GFile *file);

/* The window on the in-process peer */

typedef struct
{
  char             *tmpdir;
  ProvTestServer   *server;
  ProvTargetStore  *store;
  ProvSecretStore  *secrets;
  ProvSource       *source;
  ProvHttpClient   *client;
  ProvTargetSystem *target;
  ProvWindow       *window;     /* weak: NULL once the window is gone */
} WindowFixture;

/* A saved SAP Jam target at the URL @data (NULL: the peer's), its secret
 * in the keyring, selected in the window. */
void window_fixture_setup (WindowFixture *f,
                           gconstpointer  data);

void window_fixture_teardown (WindowFixture *f,
                              gconstpointer  data);

/* A main window over the fixture's store, secrets, source and client, on
 * screen as f->window; @width wide (0: as the settings say). */
void window_fixture_open_window (WindowFixture *f,
                                 int            width);

/* The fixture's CSV source at @path: users "user00" … "user<@n-1>", the
 * first N_INACTIVE not active; user @changed with a new given name, user
 * @deactivated not active either (G_MAXUINT: none). */
void write_users (const char *path,
                  guint       n,
                  guint       changed,
                  guint       deactivated);

/* Provision from @f's window: the plan must create @creates users; runs
 * it and waits for the summary. */
void provision_to_summary (WindowFixture *f,
                           const char    *creates);

/* Before g_test_run: the journal, the record of pushes and the
 * configuration go to a scratch folder (returned, for remove_tree), GTK
 * and libadwaita start, the app's resources are registered. */
char *window_fixture_init (int    *argc,
                           char ***argv);

G_END_DECLS
