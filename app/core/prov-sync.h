/* prov-sync.h — real-time provisioning: the source watched, every change
 * pushed to every target with real time on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-plan.h"
#include "prov-target-service.h"

G_BEGIN_DECLS

/* Seconds between two checks of the source. */
#define PROV_SYNC_DEFAULT_INTERVAL 30
#define PROV_SYNC_MIN_INTERVAL 5
/* A day: real time that waits longer is not real time, and the waits
 * (PROV_SYNC_MAX_BACKOFF of these) stay far from guint's end. */
#define PROV_SYNC_MAX_INTERVAL 86400
/* A full read finds deletions, which a delta query cannot show. */
#define PROV_SYNC_RECONCILE_MINUTES 15
/* The delta query reaches back this far before the last check, so a
 * tenant whose clock is behind ours loses no change. */
#define PROV_SYNC_CLOCK_SKEW_SECONDS 10
/* A source answering 429 or 503 is asked again after its Retry-After, or
 * after twice the last wait, but never later than this many intervals. */
#define PROV_SYNC_MAX_BACKOFF 8

typedef enum
{
  PROV_SYNC_STATE_IN_SYNC,   /* nothing waiting */
  PROV_SYNC_STATE_PUSHING,   /* changes waiting or on the wire */
  PROV_SYNC_STATE_FAILING,   /* the last push failed; its changes wait */
  PROV_SYNC_STATE_PAUSED,    /* a reconciliation exceeded the threshold */
  PROV_SYNC_STATE_ELSEWHERE, /* another process syncs (the window's or
                              * provisioner sync); this one waits for it */
} ProvSyncState;

#define PROV_TYPE_SYNC (prov_sync_get_type ())
G_DECLARE_FINAL_TYPE (ProvSync, prov_sync, PROV, SYNC, GObject)

/* Syncs every target of @service's store whose real-time setting is on.
 * A change in the store (a target added, edited — its secrets too —,
 * removed, real time turned on or off) brings a check within a second,
 * with the targets' secrets read again. */
ProvSync      *prov_sync_new                   (ProvTargetService *service);

/* Where queues, journals and the records of pushes go; NULL = default. */
void           prov_sync_set_state_dir         (ProvSync          *self,
                                                const char        *dir);
/* Seconds between checks, from PROV_SYNC_MIN_INTERVAL to PROV_SYNC_MAX_INTERVAL. */
void           prov_sync_set_interval          (ProvSync          *self,
                                                guint              seconds);
/* Seconds from the last check to the next one: the interval, or longer
 * while the source asks to wait (429/503: its Retry-After, else twice the
 * last wait; at most PROV_SYNC_MAX_BACKOFF intervals). */
guint          prov_sync_get_wait              (ProvSync          *self);
/* Scales the engine's and the source's waits (tests); 1.0 in real use. */
void           prov_sync_set_time_scale        (ProvSync          *self,
                                                double             scale);

/* Checks the source every interval and pushes what changed, until
 * prov_sync_stop_async(). The first check comes at once. */
void           prov_sync_start                 (ProvSync          *self);

/* One check of the source and one push of every waiting change, then
 * done (`provisioner sync --once`). Fails only when cancelled; problems
 * of the source or of targets are in the per-target state. */
void           prov_sync_run_once_async        (ProvSync          *self,
                                                GCancellable      *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
gboolean       prov_sync_run_once_finish       (ProvSync          *self,
                                                GAsyncResult      *result,
                                                GError           **error);

/* Stops checking; lets pushes on the wire end (their outcome is recorded)
 * within a few seconds, cancels the rest; waiting changes stay queued on
 * disk; journals are closed. */
void           prov_sync_stop_async            (ProvSync          *self,
                                                GAsyncReadyCallback callback,
                                                gpointer           user_data);
gboolean       prov_sync_stop_finish           (ProvSync          *self,
                                                GAsyncResult      *result,
                                                GError           **error);

/* Per target (by uuid), for the window and the log; ::target-changed
 * says when any of them changed. */
ProvSyncState  prov_sync_get_state             (ProvSync          *self,
                                                const char        *target_uuid);
/* When the source was last checked for this target, or NULL. */
GDateTime     *prov_sync_get_last_check        (ProvSync          *self,
                                                const char        *target_uuid);
guint          prov_sync_get_n_waiting         (ProvSync          *self,
                                                const char        *target_uuid);
/* The sentence of the last failure (FAILING), or NULL. */
const char    *prov_sync_get_failure           (ProvSync          *self,
                                                const char        *target_uuid);
/* Why the target is paused (PAUSED), or NULL. */
const char    *prov_sync_get_pause_reason      (ProvSync          *self,
                                                const char        *target_uuid);
/* A person confirmed the deprovisioning that paused the target: a check
 * follows at once and pushes it (up to as many removals as the pause
 * reported; more pause the target again). A pause, and its confirmation,
 * are kept in the state directory: they outlive the process. */
void           prov_sync_resume                (ProvSync          *self,
                                                const char        *target_uuid);
/* The same confirmation, from another process (`provisioner sync
 * --resume NAME`): written into the target's pause record under
 * @state_dir (NULL: the default), where a running sync finds it at its
 * next check. PROV_ERROR_NOT_FOUND when the target is not paused. */
gboolean       prov_sync_confirm_pause         (const char        *state_dir,
                                                const char        *target_uuid,
                                                GError           **error);

/* The source itself could not be read (sentence), or NULL. */
const char    *prov_sync_get_source_problem    (ProvSync          *self);

G_END_DECLS
