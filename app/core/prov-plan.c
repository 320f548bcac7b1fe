/* prov-plan.c — what a run will do to one target system
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-json-reader.h"
#include "prov-mapping.h"
#include "prov-plan.h"
#include "prov-user.h"

struct _ProvPlan
{
  GObject           parent_instance;

  ProvTargetSystem *target;
  GPtrArray        *operations;
  guint             counts[PROV_N_ACTIONS];
  guint             known_users;
  guint             inactive_not_created;
  gboolean          deprovisioning_skipped;
  gboolean          retry;           /* decided (and confirmed) before */
  GHashTable       *selected_found;  /* folded names of picked users the source has */
};

G_DEFINE_FINAL_TYPE (ProvPlan, prov_plan, G_TYPE_OBJECT)

ProvOperation *
prov_operation_copy (const ProvOperation *operation)
{
  ProvOperation *copy = g_new0 (ProvOperation, 1);

  copy->action = operation->action;
  copy->user_name = g_strdup (operation->user_name);
  copy->target_id = g_strdup (operation->target_id);
  copy->hash = g_strdup (operation->hash);
  copy->active = operation->active;
  copy->body = g_strdup (operation->body);
  return copy;
}

void
prov_operation_free (ProvOperation *operation)
{
  if (operation == NULL)
    return;
  g_free (operation->user_name);
  g_free (operation->target_id);
  g_free (operation->hash);
  g_free (operation->body);
  g_free (operation);
}

const char *
prov_action_to_label (ProvAction action)
{
  switch (action)
    {
    case PROV_ACTION_NONE:
      return _("Unchanged");
    case PROV_ACTION_CREATE:
      return _("Create");
    case PROV_ACTION_UPDATE:
      return _("Update");
    case PROV_ACTION_DEACTIVATE:
      return _("Deactivate");
    case PROV_ACTION_DELETE:
      return _("Delete");
    case PROV_N_ACTIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
prov_plan_finalize (GObject *object)
{
  ProvPlan *self = (ProvPlan *)object;

  g_clear_object (&self->target);
  g_clear_pointer (&self->operations, g_ptr_array_unref);
  g_clear_pointer (&self->selected_found, g_hash_table_unref);

  G_OBJECT_CLASS (prov_plan_parent_class)->finalize (object);
}

static void
prov_plan_class_init (ProvPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_plan_finalize;
}

static void
prov_plan_init (ProvPlan *self)
{
  self->operations = g_ptr_array_new_with_free_func ((GDestroyNotify) prov_operation_free);
}

static void
add (ProvPlan      *self,
     ProvOperation *operation)
{
  self->counts[operation->action]++;
  if (operation->action == PROV_ACTION_NONE)
    prov_operation_free (operation);
  else
    g_ptr_array_add (self->operations, operation);
}

/* Takes @text as what @operation sends: the hash is taken over it and it
 * is the request's body, so a push builds no JSON, and a plan of thousands
 * of users holds no tree per user. */
static void
take_payload_text (ProvOperation *operation,
                   char          *text)
{
  operation->body = text;
  operation->hash = prov_payload_hash (operation->body);
}

static void
take_payload (ProvOperation *operation,
              JsonObject    *payload)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), payload);

  take_payload_text (operation, json_to_string (node, FALSE));
}

static void
take_user_payload (ProvOperation    *operation,
                   ProvTargetSystem *target,
                   ProvUser         *user)
{
  if (prov_target_system_get_kind (target) == PROV_TARGET_KIND_SAP_JAM)
    take_payload_text (operation, prov_mapping_dup_jam_text (user));
  else
    take_payload (operation, prov_mapping_build_ips_user (user));
}

/* The stored payload, switched off: a full PUT must not change anything
 * else about a user the source no longer describes. A stored text that
 * is no object (the file was edited) still switches the user off. */
static JsonObject *
deactivated_copy (const ProvPushedUser *pushed)
{
  g_autoptr(JsonNode) node = prov_json_reader_parse (pushed->payload, -1, 0, 0, NULL);
  JsonObject *object;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_object_ref (json_node_get_object (node));
    }
  else
    {
      g_autoptr(JsonArray) schemas = json_array_new ();

      object = json_object_new ();
      json_array_add_string_element (schemas, PROV_SCIM_SCHEMA_USER);
      json_object_set_array_member (object, "schemas", g_steal_pointer (&schemas));
      json_object_set_string_member (object, "userName", pushed->user_name);
    }
  json_object_set_boolean_member (object, "active", FALSE);
  return object;
}

static void
plan_source_user (ProvPlan      *self,
                  ProvPushState *state,
                  ProvUser      *user)
{
  const char *user_name = prov_user_get_user_name (user);
  const ProvPushedUser *pushed = prov_push_state_lookup (state, user_name);
  ProvOperation *operation = g_new0 (ProvOperation, 1);
  gboolean active = prov_user_get_active (user);

  operation->user_name = g_strdup (user_name);
  take_user_payload (operation, self->target, user);
  operation->active = active;
  operation->target_id = pushed ? g_strdup (pushed->id) : NULL;

  if (pushed == NULL)
    {
      /* An inactive user the target never had stays away. */
      operation->action = active ? PROV_ACTION_CREATE : PROV_ACTION_NONE;
      self->inactive_not_created += !active;
    }
  else if (g_strcmp0 (pushed->hash, operation->hash) == 0)
    operation->action = PROV_ACTION_NONE;
  else if (!active && pushed->active)
    operation->action = PROV_ACTION_DEACTIVATE;
  else
    operation->action = PROV_ACTION_UPDATE;

  add (self, operation);
}

static void
plan_gone_user (ProvPlan             *self,
                const ProvPushedUser *pushed)
{
  ProvOperation *operation = g_new0 (ProvOperation, 1);
  gboolean can_delete = pushed->id != NULL;

  operation->user_name = g_strdup (pushed->user_name);
  operation->target_id = g_strdup (pushed->id);

  /* Without the target's id a delete is impossible; deactivating still
   * takes the user's access away. */
  if (prov_target_system_get_deprovision_mode (self->target) == PROV_DEPROVISION_DELETE && can_delete)
    {
      operation->action = PROV_ACTION_DELETE;
    }
  else if (pushed->active)
    {
      operation->action = PROV_ACTION_DEACTIVATE;
      take_payload (operation, deactivated_copy (pushed));
    }
  else
    {
      operation->action = PROV_ACTION_NONE;
    }

  add (self, operation);
}

/* Writes that add or keep access go before those that remove it, so a
 * cancelled run has done the least harm. */
static int
compare_operations (gconstpointer a,
                    gconstpointer b)
{
  const ProvOperation *op_a = *(ProvOperation * const *) a;
  const ProvOperation *op_b = *(ProvOperation * const *) b;

  if (op_a->action != op_b->action)
    return op_a->action < op_b->action ? -1 : 1;
  return g_strcmp0 (op_a->user_name, op_b->user_name);
}

ProvPlan *
prov_plan_new (ProvTargetSystem *target,
               ProvPushState    *state,
               GPtrArray        *users,
               gboolean          source_complete,
               GHashTable       *only)
{
  g_autoptr(GHashTable) seen = NULL;
  ProvPlan *self;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);
  g_return_val_if_fail (PROV_IS_PUSH_STATE (state), NULL);

  self = g_object_new (PROV_TYPE_PLAN, NULL);
  self->target = g_object_ref (target);
  self->known_users = prov_push_state_get_n_users (state);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      ProvUser *user = g_ptr_array_index (users, i);
      char *key = g_utf8_casefold (prov_user_get_user_name (user), -1);

      if (only != NULL && !g_hash_table_contains (only, key))
        {
          g_free (key);
          continue;
        }

      /* A source listing a user twice must not push them twice. */
      if (!g_hash_table_add (seen, key))
        continue;

      plan_source_user (self, state, user);
    }

  if (only == NULL)
    {
      /* A failed, cut or empty read looks exactly like "everyone left":
       * never act on it. */
      if (!source_complete || users == NULL || users->len == 0)
        {
          self->deprovisioning_skipped = prov_push_state_get_n_users (state) > 0;
        }
      else
        {
          g_autoptr(GPtrArray) names = prov_push_state_dup_user_names (state);

          for (guint i = 0; i < names->len; i++)
            {
              g_autofree char *key = g_utf8_casefold (g_ptr_array_index (names, i), -1);

              if (!g_hash_table_contains (seen, key))
                plan_gone_user (self, prov_push_state_lookup (state, g_ptr_array_index (names, i)));
            }
        }
    }

  if (only != NULL)
    self->selected_found = g_steal_pointer (&seen);

  g_ptr_array_sort (self->operations, compare_operations);
  return self;
}

ProvPlan *
prov_plan_new_for_operations (ProvTargetSystem *target,
                              GPtrArray        *operations)
{
  ProvPlan *self;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  self = g_object_new (PROV_TYPE_PLAN, NULL);
  self->target = g_object_ref (target);
  self->retry = TRUE;
  for (guint i = 0; operations != NULL && i < operations->len; i++)
    add (self, prov_operation_copy (g_ptr_array_index (operations, i)));
  return self;
}

gboolean
prov_plan_has_selected_user (ProvPlan   *self,
                             const char *user_name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (PROV_IS_PLAN (self), FALSE);
  g_return_val_if_fail (user_name != NULL, FALSE);

  if (self->selected_found == NULL)
    return FALSE;
  key = g_utf8_casefold (user_name, -1);
  return g_hash_table_contains (self->selected_found, key);
}

ProvTargetSystem *
prov_plan_get_target (ProvPlan *self)
{
  g_return_val_if_fail (PROV_IS_PLAN (self), NULL);
  return self->target;
}

GPtrArray *
prov_plan_get_operations (ProvPlan *self)
{
  g_return_val_if_fail (PROV_IS_PLAN (self), NULL);
  return self->operations;
}

guint
prov_plan_count (ProvPlan   *self,
                 ProvAction  action)
{
  g_return_val_if_fail (PROV_IS_PLAN (self), 0);
  g_return_val_if_fail (action < PROV_N_ACTIONS, 0);
  return self->counts[action];
}

guint
prov_plan_get_n_inactive_not_created (ProvPlan *self)
{
  g_return_val_if_fail (PROV_IS_PLAN (self), 0);
  return self->inactive_not_created;
}

char *
prov_plan_dup_inactive_note (ProvPlan *self)
{
  guint n;

  g_return_val_if_fail (PROV_IS_PLAN (self), NULL);

  /* Counted as unchanged, yet not on the target: a first run of 500
   * would otherwise leave people looking for the missing ones. */
  if ((n = self->inactive_not_created) == 0)
    return NULL;
  return g_strdup_printf (ngettext ("%u user is inactive in the source and not on the target: not created.",
                                    "%u users are inactive in the source and not on the target: not created.",
                                    n), n);
}

gboolean
prov_plan_needs_confirmation (ProvPlan *self)
{
  guint removing;
  guint users;
  guint percent;

  g_return_val_if_fail (PROV_IS_PLAN (self), FALSE);

  /* Trying failed operations again asks nothing new. */
  if (self->retry)
    return FALSE;

  removing = self->counts[PROV_ACTION_DEACTIVATE] + self->counts[PROV_ACTION_DELETE];
  users = prov_target_system_get_threshold_users (self->target);
  percent = prov_target_system_get_threshold_percent (self->target);

  /* Both limits must be passed: a handful of leavers in a small tenant, or
   * one percent of a large one, is ordinary. */
  return removing > users &&
         (guint64) removing * 100 > (guint64) percent * MAX (self->known_users, 1);
}

gboolean
prov_plan_get_deprovisioning_skipped (ProvPlan *self)
{
  g_return_val_if_fail (PROV_IS_PLAN (self), FALSE);
  return self->deprovisioning_skipped;
}
