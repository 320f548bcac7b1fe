/* prov-plan.h — what a run will do to one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-push-state.h"
#include "prov-target-system.h"

G_BEGIN_DECLS

typedef enum
{
  PROV_ACTION_NONE,
  PROV_ACTION_CREATE,
  PROV_ACTION_UPDATE,
  PROV_ACTION_DEACTIVATE,
  PROV_ACTION_DELETE,
  PROV_N_ACTIONS
} ProvAction;

/* One write to make. @body is the whole user to send as JSON text (NULL
 * to delete), made once by the plan for both @hash and the request;
 * @target_id is the id the target gave the user, when known. */
typedef struct
{
  ProvAction  action;
  char       *user_name;
  char       *target_id;
  char       *hash;
  gboolean    active;
  char       *body;
} ProvOperation;

ProvOperation *prov_operation_copy (const ProvOperation *operation);
void           prov_operation_free (ProvOperation       *operation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProvOperation, prov_operation_free)

const char    *prov_action_to_label (ProvAction action);

#define PROV_TYPE_PLAN (prov_plan_get_type ())
G_DECLARE_FINAL_TYPE (ProvPlan, prov_plan, PROV, PLAN, GObject)

/* Compares the source's @users (ProvUser) with what @state says was pushed.
 *
 * @source_complete: FALSE when the read failed or was cut short; then, and
 * when @users is empty, nobody is deprovisioned.
 * @only: NULL for "all users to this target" (users gone from the source
 * are deprovisioned); a set of user names (folded) for "selected users"
 * (only those are touched). */
ProvPlan   *prov_plan_new                       (ProvTargetSystem *target,
                                                 ProvPushState    *state,
                                                 GPtrArray        *users,
                                                 gboolean          source_complete,
                                                 GHashTable       *only);
/* A plan of the given operations, as they are (Retry failed). */
ProvPlan   *prov_plan_new_for_operations        (ProvTargetSystem *target,
                                                 GPtrArray        *operations);

ProvTargetSystem *prov_plan_get_target           (ProvPlan         *self);
/* The writes to make, creates and updates first (transfer none). */
GPtrArray  *prov_plan_get_operations             (ProvPlan         *self);
guint       prov_plan_count                      (ProvPlan         *self,
                                                  ProvAction        action);
/* Of the unchanged (PROV_ACTION_NONE): users inactive in the source that
 * the target never had, so they are not created. */
guint       prov_plan_get_n_inactive_not_created (ProvPlan         *self);
/* Those said in a sentence, or NULL when there are none. */
char       *prov_plan_dup_inactive_note          (ProvPlan         *self);
/* TRUE when the run would deactivate or delete more than the target's
 * threshold allows: it must not start until a person confirms. */
gboolean    prov_plan_needs_confirmation         (ProvPlan         *self);
/* TRUE when deprovisioning was left out because the source read was not
 * trustworthy (failed, cut short, or empty). */
gboolean    prov_plan_get_deprovisioning_skipped (ProvPlan         *self);
/* For a plan of picked users: TRUE when the source has @user_name (case
 * ignored). A name the source lacks is left out of the plan, so a typo
 * would otherwise pass unnoticed. */
gboolean    prov_plan_has_selected_user          (ProvPlan         *self,
                                                  const char       *user_name);

G_END_DECLS
