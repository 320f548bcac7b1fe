/* prov-target-json.c — a target system as an object of targets.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-target-system-private.h"

static const char * const kind_keys[] = { "sap-jam", "identity-provisioning" };
static const char * const mechanism_keys[] = { "basic", "certificate", "oauth" };

static int
index_of (const char * const *keys,
          guint               n_keys,
          const char         *key)
{
  for (guint i = 0; i < n_keys; i++)
    if (g_strcmp0 (keys[i], key) == 0)
      return i;
  return -1;
}

static gboolean
is_known_member (const char *name)
{
  if (g_strcmp0 (name, "uuid") == 0 || g_strcmp0 (name, "provisioning") == 0)
    return TRUE;
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (g_strcmp0 (name, prov_field_get_key (i)) == 0)
      return TRUE;
  return FALSE;
}

JsonObject *
prov_target_system_to_json (ProvTargetSystem *self)
{
  JsonObject *object;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);

  object = json_object_new ();
  prov_json_object_copy_members (object, self->unknown_members);

  json_object_set_string_member (object, "uuid", self->uuid);
  json_object_set_string_member (object, "type", kind_keys[self->kind]);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (!prov_target_system_field_is_visible (self, i) || prov_field_is_secret (i))
        continue;

      if (i == PROV_FIELD_VERSION)
        json_object_set_int_member (object, prov_field_get_key (i), self->version);
      else if (i == PROV_FIELD_AUTH_MECHANISM)
        json_object_set_string_member (object, prov_field_get_key (i), mechanism_keys[self->auth_mechanism]);
      else if (prov_field_is_text (i))
        {
          /* An optional field left empty is left out. */
          if (prov_field_is_optional (i) && self->text[i] == NULL)
            continue;
          json_object_set_string_member (object, prov_field_get_key (i), prov_target_system_get_text (self, i));
        }
    }

  {
    JsonObject *provisioning = json_object_new ();

    if (self->rate_per_minute != 0)
      json_object_set_int_member (provisioning, "rate-per-minute", self->rate_per_minute);
    if (self->rate_per_hour != 0)
      json_object_set_int_member (provisioning, "rate-per-hour", self->rate_per_hour);
    json_object_set_string_member (provisioning, "deprovision",
                                   self->deprovision_mode == PROV_DEPROVISION_DELETE ? "delete" : "deactivate");
    json_object_set_int_member (provisioning, "threshold-users", self->threshold_users);
    json_object_set_int_member (provisioning, "threshold-percent", self->threshold_percent);
    json_object_set_boolean_member (provisioning, "real-time", self->real_time);
    json_object_set_object_member (object, "provisioning", provisioning);
  }

  return object;
}

static const char *
string_member (JsonObject  *object,
               const char  *name,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The value of “%s” is not text."), name);
      return NULL;
    }

  return json_node_get_string (node);
}

/* Reads one optional count; absent keeps the default. */
static gboolean
read_count (JsonObject  *object,
            const char  *name,
            guint        max,
            guint       *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (number = json_node_get_int (node)) < 0 || number > max)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The value of “%s” is not a number from 0 to %u."), name, max);
      return FALSE;
    }

  *value = (guint) number;
  return TRUE;
}

static gboolean
read_provisioning (ProvTargetSystem  *self,
                   JsonObject        *object,
                   GError           **error)
{
  JsonNode *node = json_object_get_member (object, "provisioning");
  JsonObject *provisioning;
  const char *mode;
  GError *local_error = NULL;
  JsonNode *real_time;

  /* Targets saved before real-time provisioning existed have it off. */
  self->real_time = FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The provisioning settings of a target system are damaged."));
      return FALSE;
    }

  provisioning = json_node_get_object (node);
  if (!read_count (provisioning, "rate-per-minute", PROV_MAX_RATE_PER_MINUTE, &self->rate_per_minute, error) ||
      !read_count (provisioning, "rate-per-hour", PROV_MAX_RATE_PER_HOUR, &self->rate_per_hour, error) ||
      !read_count (provisioning, "threshold-users", G_MAXINT32, &self->threshold_users, error) ||
      !read_count (provisioning, "threshold-percent", 100, &self->threshold_percent, error))
    return FALSE;

  real_time = json_object_get_member (provisioning, "real-time");
  if (real_time != NULL &&
      (!JSON_NODE_HOLDS_VALUE (real_time) || json_node_get_value_type (real_time) != G_TYPE_BOOLEAN))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The provisioning settings of a target system are damaged."));
      return FALSE;
    }
  self->real_time = real_time != NULL && json_node_get_boolean (real_time);

  mode = string_member (provisioning, "deprovision", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (g_strcmp0 (mode, "delete") == 0)
    self->deprovision_mode = PROV_DEPROVISION_DELETE;
  else if (mode == NULL || g_strcmp0 (mode, "deactivate") == 0)
    self->deprovision_mode = PROV_DEPROVISION_DEACTIVATE;
  else
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The deprovisioning choice “%s” is unknown."), mode);
      return FALSE;
    }

  return TRUE;
}

ProvTargetSystem *
prov_target_system_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_autoptr(ProvTargetSystem) self = NULL;
  const char *uuid;
  const char *type;
  int kind;
  GError *local_error = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  uuid = string_member (object, "uuid", &local_error);
  if (local_error == NULL && (uuid == NULL || !g_uuid_string_is_valid (uuid)))
    g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                 _("A target system has no valid identifier."));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  type = string_member (object, "type", &local_error);
  kind = index_of ((const char * const *)kind_keys, G_N_ELEMENTS (kind_keys), type);
  if (local_error == NULL && kind < 0)
    g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                 _("The target system type “%s” is unknown."), type ? type : "");
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  self = prov_target_system_new_with_uuid (uuid);
  prov_target_system_set_kind (self, kind);

  if (json_object_has_member (object, "version"))
    {
      JsonNode *node = json_object_get_member (object, "version");
      gint64 version = JSON_NODE_HOLDS_VALUE (node) &&
                       json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : 0;

      if (version != PROV_SCIM_VERSION_1 && version != PROV_SCIM_VERSION_2)
        {
          /* The fields are not read yet: name the target from the object. */
          const char *name = string_member (object, prov_field_get_key (PROV_FIELD_DISPLAY_NAME), NULL);

          g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                       _("The SCIM version of “%s” is neither 1 nor 2."),
                       name ? name : "");
          return NULL;
        }
      prov_target_system_set_version (self, (ProvScimVersion) version);
    }

  if (json_object_has_member (object, "authentication"))
    {
      const char *mechanism = string_member (object, "authentication", &local_error);
      int index = index_of ((const char * const *)mechanism_keys, G_N_ELEMENTS (mechanism_keys), mechanism);

      if (local_error == NULL && index < 0)
        g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                     _("The authentication mechanism “%s” is unknown."), mechanism ? mechanism : "");
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      prov_target_system_set_auth_mechanism (self, index);
    }

  /* URL before token URL, so a stored token URL wins over the default. */
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      const char *value;

      if (!prov_field_is_text (i) || prov_field_is_secret (i))
        continue;

      value = string_member (object, prov_field_get_key (i), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (i == PROV_FIELD_TOKEN_URL)
        continue;
      prov_target_system_set_text (self, i, value);
    }
  /* Without a stored token URL, the default from the URL stays. */
  if (json_object_has_member (object, prov_field_get_key (PROV_FIELD_TOKEN_URL)))
    prov_target_system_set_text (self, PROV_FIELD_TOKEN_URL,
                                 string_member (object, prov_field_get_key (PROV_FIELD_TOKEN_URL), NULL));

  if (!read_provisioning (self, object, error))
    return NULL;

  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, object);
    while (json_object_iter_next (&iter, &name, &node))
      {
        if (is_known_member (name))
          continue;
        if (self->unknown_members == NULL)
          self->unknown_members = json_object_new ();
        json_object_set_member (self->unknown_members, name, json_node_copy (node));
      }
  }

  return g_steal_pointer (&self);
}
