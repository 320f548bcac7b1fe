/* prov-push-state.h — what was last pushed to one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One user as last pushed. @payload is what was sent, as JSON text
 * (needed to deactivate a user with a full PUT once the source no longer
 * has it); kept as text, not a tree: a tree per user made a 5,000-user
 * state take most of a run's memory and of its start. */
typedef struct
{
  char       *user_name;
  char       *id;        /* the target's id; NULL if it never told us */
  char       *hash;      /* prov_payload_hash() of @payload */
  gboolean    active;
  char       *payload;
} ProvPushedUser;

#define PROV_TYPE_PUSH_STATE (prov_push_state_get_type ())
G_DECLARE_FINAL_TYPE (ProvPushState, prov_push_state, PROV, PUSH_STATE, GObject)

/* @path: the state file; NULL for the default under the user's state
 * directory, one file per target uuid. */
ProvPushState        *prov_push_state_new        (const char     *target_uuid,
                                                  const char     *path);
const char           *prov_push_state_get_path   (ProvPushState  *self);

/* A missing file is an empty state. A damaged one is moved aside (what was
 * pushed is then found again by userName) and reported. */
gboolean              prov_push_state_load       (ProvPushState  *self,
                                                  GError        **error);
/* The same on a worker thread; the state must not be used until it ends. */
void                  prov_push_state_load_async (ProvPushState       *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean              prov_push_state_load_finish (ProvPushState  *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);
/* Atomic, mode 0600, at once (for tools and tests). */
gboolean              prov_push_state_save       (ProvPushState  *self,
                                                  GError        **error);
/* During a run: takes a snapshot now and writes it, atomically, on the
 * state's worker thread, after the saves queued before. FALSE with the
 * error of a queued save that failed already (it is also left for the
 * flush). */
gboolean              prov_push_state_queue_save (ProvPushState  *self,
                                                  GError        **error);
/* Completes once every queued save is on disk; FALSE with the first
 * error since the last flush. */
void                  prov_push_state_flush_async  (ProvPushState       *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean              prov_push_state_flush_finish (GAsyncResult        *result,
                                                    GError             **error);

const ProvPushedUser *prov_push_state_lookup     (ProvPushState  *self,
                                                  const char     *user_name);
void                  prov_push_state_record     (ProvPushState  *self,
                                                  const char     *user_name,
                                                  const char     *id,
                                                  const char     *hash,
                                                  gboolean        active,
                                                  const char     *payload);
void                  prov_push_state_forget     (ProvPushState  *self,
                                                  const char     *user_name);
guint                 prov_push_state_get_n_users (ProvPushState *self);
/* Every user name known, in no particular order (transfer container). */
GPtrArray            *prov_push_state_dup_user_names (ProvPushState *self);
/* TRUE when something was recorded or forgotten since the last save. */
gboolean              prov_push_state_is_dirty   (ProvPushState  *self);

/* The digest that says whether a payload (JSON text) changed. */
char                 *prov_payload_hash          (const char     *payload);

G_END_DECLS
