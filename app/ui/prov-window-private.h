/* prov-window-private.h — ProvWindow's state, shared by its files
 *
 * prov-window.c holds the state, the sidebar and the unsaved-changes
 * question; prov-window-actions.c the window's actions (save, delete, test,
 * provision and the rest) and their shortcuts; prov-window-transfer.c the
 * export and import of the target systems; prov-window-sync.c the
 * sidebar's rows with their real-time state, resuming a paused target and
 * opening a target from a notification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-connection-banner.h"
#include "prov-sync.h"
#include "prov-target-editor.h"
#include "prov-target-service.h"
#include "prov-window.h"

G_BEGIN_DECLS

struct _ProvWindow
{
  AdwApplicationWindow  parent_instance;

  ProvTargetService    *service;
  ProvTargetStore      *store;          /* the service's: watched */
  ProvSync             *sync;           /* the application's, or NULL */
  /* Only to make a service when none is given. */
  ProvSecretStore      *secrets;
  ProvHttpClient       *http_client;
  ProvSource           *source;
  GSettings            *settings;

  GtkFilterListModel   *filter_model;
  GtkStringFilter      *string_filter;
  GtkSingleSelection   *single_selection;
  GtkMultiSelection    *multi_selection;

  /* The saved target on screen (NULL while adding one), the copy the editor
   * changes, and the values the copy started from. */
  ProvTargetSystem     *current;
  ProvTargetSystem     *draft;
  ProvTargetSystem     *baseline;
  gboolean              editing;
  gboolean              is_new;
  gboolean              busy;
  gboolean              selection_mode;
  gboolean              syncing_selection;
  gboolean              close_confirmed;
  gboolean              asking;         /* the unsaved-changes question is up */

  ProvTargetSystem     *undo_first;     /* shown again after Undo */
  AdwToast             *undo_toast;

  GCancellable         *cancellable;    /* everything async of this window */
  GCancellable         *secrets_cancellable;
  gboolean              secrets_pending; /* the shown target's, from the keyring */
  GTask                *save_after_secrets; /* Save pressed before they came */
  GCancellable         *test_cancellable; /* non-NULL while a test runs */
  gboolean              testing_all;      /* Test All Connections runs */
  ProvTargetSystem     *tested;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkToggleButton      *selection_button;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  GtkListView          *list_view;
  GtkActionBar         *selection_bar;
  GtkLabel             *selection_label;
  GtkWidget            *delete_selected_button;
  GtkWidget            *empty_add_button;
  AdwWindowTitle       *content_title;
  GtkWidget            *cancel_button;
  GtkWidget            *save_button;
  GtkWidget            *edit_button;
  GtkRevealer          *message_revealer;
  GtkLabel             *message_label;
  GtkStack             *content_stack;
  ProvTargetEditor     *editor;
  GtkActionBar         *target_bar;
  GtkWidget            *test_button;
  ProvConnectionBanner *connection_banner;
  GtkWidget            *provision_button;
  GtkWidget            *history_button;
  GtkWidget            *delete_button;
  GtkWidget            *demo_label;
};

/* prov-window-narrow.c: the window at 360 px */
void     _prov_window_narrow_init         (ProvWindow       *self);

/* prov-window.c */
gboolean _prov_window_is_dirty            (ProvWindow       *self);
void     _prov_window_update_actions      (ProvWindow       *self);
void     _prov_window_update_all          (ProvWindow       *self);
void     _prov_window_set_editing         (ProvWindow       *self,
                                           gboolean          editing);
void     _prov_window_show_toast          (ProvWindow       *self,
                                           const char       *text);
void     _prov_window_show_target         (ProvWindow       *self,
                                           ProvTargetSystem *target);
void     _prov_window_show_target_with    (ProvWindow       *self,
                                           ProvTargetSystem *target,
                                           ProvTargetSystem *with_secrets);
void     _prov_window_start_adding        (ProvWindow       *self);
/* Shows @draft, a target not saved yet, in the editor to be completed;
 * leaving it unchanged discards it without a question. */
void     _prov_window_edit_new            (ProvWindow       *self,
                                           ProvTargetSystem *draft);
void     _prov_window_discard_edits       (ProvWindow       *self);
void     _prov_window_sync_list_selection (ProvWindow       *self);

/* Whenever a change would be lost: asks Save / Discard / Cancel when the
 * edits differ from the saved values, and does it. TRUE when nothing is left
 * to lose (saved, discarded, or no change); FALSE when the person chose
 * Cancel or the save was refused (its reason is on screen). */
void     _prov_window_settle_edits_async  (ProvWindow          *self,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean _prov_window_settle_edits_finish (ProvWindow          *self,
                                           GAsyncResult        *result);

/* prov-window-transfer.c: export, import and duplicating of target systems */
void     _prov_window_class_transfer_init    (GtkWidgetClass *widget_class);
void     _prov_window_update_transfer_actions (ProvWindow    *self);

/* prov-window-actions.c */
void     _prov_window_class_actions_init  (GtkWidgetClass      *widget_class);
/* Runs @then once nothing is left to lose (see settle_edits above). */
void     _prov_window_settle_then         (ProvWindow          *self,
                                           void               (*then) (ProvWindow *));
/* The shown target's secrets came (@error NULL) or did not: a Save that
 * waits for them goes on, or ends with @error. */
void     _prov_window_secrets_settled     (ProvWindow          *self,
                                           const GError        *error);
void     _prov_window_save_edits_async    (ProvWindow          *self,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean _prov_window_save_edits_finish   (ProvWindow          *self,
                                           GAsyncResult        *result);
void     _prov_window_finish_deletion     (ProvWindow          *self);
void     _prov_window_editor_message_cb   (ProvWindow          *self,
                                           const char          *text,
                                           gboolean             is_error);

/* prov-window-sync.c */
void     _prov_window_class_sync_init     (GtkWidgetClass      *widget_class);
GtkListItemFactory *_prov_window_sidebar_factory_new (ProvWindow *self);

G_END_DECLS
