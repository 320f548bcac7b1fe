/* prov-engine.h — carries out a plan against one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-http-client.h"
#include "prov-journal.h"
#include "prov-plan.h"
#include "prov-push-state.h"

G_BEGIN_DECLS

#define PROV_ENGINE_DEFAULT_CONCURRENCY 16
#define PROV_ENGINE_DEFAULT_RETRIES 2
#define PROV_ENGINE_MAX_RETRIES 3
/* SAP waits at most this long between tries. */
#define PROV_ENGINE_MAX_RETRY_WAIT_SECONDS 60

/* A user the run could not provision, and why (a sentence for people). */
typedef struct
{
  ProvOperation *operation;
  char          *message;
} ProvFailure;

void prov_failure_free (ProvFailure *failure);

#define PROV_TYPE_ENGINE (prov_engine_get_type ())
G_DECLARE_FINAL_TYPE (ProvEngine, prov_engine, PROV, ENGINE, GObject)

/* @target must carry its secrets (the run's private copy; kept, not
 * copied, and not to be changed while the engine runs). @state is updated as users are pushed and
 * saved during and after the run. @journal may be NULL. */
ProvEngine *prov_engine_new               (ProvHttpClient   *client,
                                           ProvTargetSystem *target,
                                           ProvPushState    *state,
                                           ProvJournal      *journal);

/* The journal stays open after the run (real-time sync writes one
 * journal per session, over many runs); its owner finishes it. */
void        prov_engine_set_journal_kept_open (ProvEngine   *self,
                                           gboolean          kept_open);
/* At most this many requests in flight (1–64). */
void        prov_engine_set_concurrency   (ProvEngine       *self,
                                           guint             concurrency);
/* Tries after the first for timeouts, 429, 502 and 503 (0–3). */
void        prov_engine_set_retries       (ProvEngine       *self,
                                           guint             retries);
/* Scales every wait — the rate limits' minute, retry waits, Retry-After —
 * for tests and benchmarks; 1.0 in real use. */
void        prov_engine_set_time_scale    (ProvEngine       *self,
                                           double            scale);
/* Turns the target's rate limits off (benchmarks against a local peer). */
void        prov_engine_set_unlimited     (ProvEngine       *self,
                                           gboolean          unlimited);

/* Runs every operation of @plan. Cancelling stops new requests and ends
 * those on the wire at once; the run then fails with G_IO_ERROR_CANCELLED.
 * A write cut short that way has an unknown outcome: it is counted in
 * prov_engine_get_n_unknown() and journalled as such, but not recorded as
 * pushed, so the next run plans it again and reconciles it (a create that
 * did land meets 409, is looked up and updated — never created twice).
 * Failures of single users do not fail the run: read them with
 * prov_engine_get_failures(). */
void        prov_engine_run_async         (ProvEngine       *self,
                                           ProvPlan         *plan,
                                           GCancellable     *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer          user_data);
gboolean    prov_engine_run_finish        (ProvEngine       *self,
                                           GAsyncResult     *result,
                                           GError          **error);

guint       prov_engine_get_n_total       (ProvEngine       *self);
guint       prov_engine_get_n_done        (ProvEngine       *self);
guint       prov_engine_get_n_succeeded   (ProvEngine       *self);
/* Of those, the operations of @action (users created, updated, …). */
guint       prov_engine_get_n_succeeded_for (ProvEngine     *self,
                                           ProvAction        action);
guint       prov_engine_get_n_failed      (ProvEngine       *self);
/* Users per second so far, and the seconds still needed (from the pace so
 * far and the rate limits; -1 when unknown). */
double      prov_engine_get_rate          (ProvEngine       *self);
gint64      prov_engine_get_seconds_left  (ProvEngine       *self);
/* ProvFailure, in the order they happened (transfer none). */
GPtrArray  *prov_engine_get_failures      (ProvEngine       *self);
/* The one sentence every failure of the run has, when there are several
 * and they all have it (a target that cannot be reached, credentials
 * refused): said once, not once per user. NULL otherwise. */
const char *prov_engine_get_shared_failure (ProvEngine      *self);
/* Operations whose request Cancel cut short: neither done nor failed. */
guint       prov_engine_get_n_unknown     (ProvEngine       *self);
/* Requests answered 429 during the run (none, if the limits are right). */
guint       prov_engine_get_n_rate_limited (ProvEngine      *self);

/* Seconds @n_requests take at least under @target's rate limits. */
gint64      prov_engine_estimate_seconds  (ProvTargetSystem *target,
                                           guint             n_requests);

G_END_DECLS
