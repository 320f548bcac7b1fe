/* prov-target-client.c — one user write, as each target type wants it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-error.h"
#include "prov-json-response.h"
#include "prov-json-scan.h"
#include "prov-sap-endpoints.h"
#include "prov-target-client.h"

struct _ProvTargetClient
{
  GObject   parent_instance;

  ProvAuth *auth;
  gboolean  jam;
  char     *users_url;   /* Jam: <URL>/api/v1/scim/Users; IPS: the SCIM URL */
};

G_DEFINE_FINAL_TYPE (ProvTargetClient, prov_target_client, G_TYPE_OBJECT)

typedef enum
{
  STEP_POST,
  STEP_PUT,
  STEP_FIND,
  STEP_DELETE,
} Step;

typedef struct
{
  ProvOperation *operation;
  Step           step;
  char          *id;
  gint64         retry_after;
  gboolean       recreated;   /* a PUT met 404 and we created again */
  gboolean       found;       /* a POST met 409 and we looked the user up */
} Apply;

static void
apply_free (Apply *apply)
{
  prov_operation_free (apply->operation);
  g_free (apply->id);
  g_free (apply);
}

static void
prov_target_client_finalize (GObject *object)
{
  ProvTargetClient *self = (ProvTargetClient *)object;

  g_clear_object (&self->auth);
  g_clear_pointer (&self->users_url, g_free);

  G_OBJECT_CLASS (prov_target_client_parent_class)->finalize (object);
}

static void
prov_target_client_class_init (ProvTargetClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_target_client_finalize;
}

static void
prov_target_client_init (ProvTargetClient *self)
{
}

ProvTargetClient *
prov_target_client_new (ProvAuth *auth)
{
  ProvTargetClient *self;
  ProvTargetSystem *target;

  g_return_val_if_fail (PROV_IS_AUTH (auth), NULL);

  target = prov_auth_get_target (auth);
  self = g_object_new (PROV_TYPE_TARGET_CLIENT, NULL);
  self->auth = g_object_ref (auth);
  self->jam = prov_target_system_get_kind (target) == PROV_TARGET_KIND_SAP_JAM;

  self->users_url = prov_sap_users_url (target);

  return self;
}

static char *
user_url (ProvTargetClient *self,
          const char       *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  return g_strconcat (self->users_url, "/", escaped, NULL);
}

/* userName eq "…", with the value quoted as a JSON string. */
static char *
find_url (ProvTargetClient *self,
          const char       *user_name)
{
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), user_name);
  g_autofree char *quoted = json_to_string (value, FALSE);
  g_autofree char *filter = g_strdup_printf ("userName eq %s", quoted);
  g_autofree char *escaped = g_uri_escape_string (filter, NULL, FALSE);

  return g_strconcat (self->users_url, "?filter=", escaped, NULL);
}

/* Made by the plan, hashed already. */
static GBytes *
payload_bytes (const ProvOperation *operation)
{
  return g_bytes_new (operation->body, strlen (operation->body));
}

static void run_step (GTask *task);

static const char *
response_content_type (SoupMessage *message)
{
  return soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The id in a created or updated resource, if the target sent one. */
static char *
id_from_body (SoupMessage *message,
              GBytes      *body)
{
  g_autoptr(JsonObject) object = NULL;
  char *id = NULL;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;

  /* The id alone, read off the text; json-glib for anything unusual. */
  if (prov_content_type_is_json (response_content_type (message)) &&
      prov_json_scan_string_member (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "id", &id))
    return id;

  object = prov_json_response_parse_object (body, response_content_type (message),
                                            g_uri_get_host (soup_message_get_uri (message)), NULL);
  if (object == NULL)
    return NULL;

  return g_strdup (string_member (object, "id"));
}

/* SCIM compares userName case-insensitively (RFC 7643 §4.1.1). */
static gboolean
user_name_equal (const char *a,
                 const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL || !g_utf8_validate (a, -1, NULL) || !g_utf8_validate (b, -1, NULL))
    return FALSE;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return g_strcmp0 (fa, fb) == 0;
}

/* The lookup's answer for @user_name, with an id; NULL when it holds no
 * such user, whatever else it holds. */
static JsonObject *
find_matching_user (JsonArray  *resources,
                    const char *user_name)
{
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonObject *user = json_array_get_object_element (resources, i);

      if (user != NULL && string_member (user, "id") != NULL &&
          user_name_equal (string_member (user, "userName"), user_name))
        return user;
    }

  return NULL;
}

static void
fail (GTask       *task,
      SoupMessage *message,
      GError      *error)
{
  Apply *apply = g_task_get_task_data (task);

  if (message != NULL)
    apply->retry_after = prov_http_get_retry_after (message);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
step_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ProvTargetClient *self = g_task_get_source_object (task);
  Apply *apply = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  ProvHttpPurpose purpose = self->jam ? PROV_HTTP_PURPOSE_JAM : PROV_HTTP_PURPOSE_IPS;
  guint status;

  message = prov_auth_send_finish (PROV_AUTH (object), result, &body, &error);
  if (message == NULL)
    {
      fail (task, NULL, error);
      return;
    }

  status = soup_message_get_status (message);

  switch (apply->step)
    {
    case STEP_POST:
      if (status == SOUP_STATUS_CONFLICT && !apply->found)
        {
          /* Already there (an earlier run, a resent POST, or a standard
           * SCIM server behind Identity Provisioning, which answers a POST
           * of an existing userName with 409): update it. */
          apply->step = STEP_FIND;
          run_step (task);
          return;
        }
      if (!prov_http_check_status (message, purpose, &error))
        {
          fail (task, message, error);
          return;
        }
      g_free (apply->id);
      apply->id = id_from_body (message, body);
      break;

    case STEP_PUT:
      if (status == SOUP_STATUS_NOT_FOUND && apply->operation->action == PROV_ACTION_DEACTIVATE)
        {
          /* Gone from the target already: nobody is left to switch off,
           * and creating a user only to deactivate it helps nobody. */
          g_clear_pointer (&apply->id, g_free);
          break;
        }
      if (status == SOUP_STATUS_NOT_FOUND && !apply->recreated)
        {
          /* Removed on the target behind our back: create it again. */
          apply->recreated = TRUE;
          g_clear_pointer (&apply->id, g_free);
          apply->step = STEP_POST;
          run_step (task);
          return;
        }
      if (!prov_http_check_status (message, purpose, &error))
        {
          fail (task, message, error);
          return;
        }
      {
        char *id = id_from_body (message, body);
        if (id != NULL)
          {
            g_free (apply->id);
            apply->id = id;
          }
      }
      break;

    case STEP_FIND:
      {
        g_autoptr(JsonArray) resources = NULL;
        const char *found_id = NULL;
        JsonObject *user;

        if (!prov_http_check_status (message, purpose, &error) ||
            !prov_json_response_parse_list (body, response_content_type (message),
                                            g_uri_get_host (soup_message_get_uri (message)),
                                            &resources, NULL, NULL, &error))
          {
            fail (task, message, error);
            return;
          }

        apply->found = TRUE;
        user = find_matching_user (resources, apply->operation->user_name);
        if (user != NULL)
          found_id = json_object_get_string_member (user, "id");
        else if (json_array_get_length (resources) > 0)
          {
            /* A server that ignores a filter it does not support answers
             * with other users: writing over one of them would put this
             * user's data on someone else. */
            fail (task, NULL,
                  g_error_new (PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                               _("%s answered the search for %s with other users, so nothing was written; the server may not support filtering by user name."),
                               g_uri_get_host (soup_message_get_uri (message)),
                               apply->operation->user_name));
            return;
          }

        if (found_id == NULL)
          {
            /* Not there: a delete or a deactivation is done, anything
             * else creates. */
            if (apply->operation->action == PROV_ACTION_DELETE ||
                apply->operation->action == PROV_ACTION_DEACTIVATE)
              break;
            apply->step = STEP_POST;
            run_step (task);
            return;
          }

        g_free (apply->id);
        apply->id = g_strdup (found_id);
        apply->step = apply->operation->action == PROV_ACTION_DELETE ? STEP_DELETE : STEP_PUT;
        run_step (task);
        return;
      }

    case STEP_DELETE:
      if (status != SOUP_STATUS_NOT_FOUND && !prov_http_check_status (message, purpose, &error))
        {
          fail (task, message, error);
          return;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  g_task_return_pointer (task, g_strdup (apply->id), g_free);
  g_object_unref (task);
}

static void
run_step (GTask *task)
{
  ProvTargetClient *self = g_task_get_source_object (task);
  Apply *apply = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *method;

  switch (apply->step)
    {
    case STEP_POST:
      method = SOUP_METHOD_POST;
      url = g_strdup (self->users_url);
      body = payload_bytes (apply->operation);
      break;

    case STEP_PUT:
      method = SOUP_METHOD_PUT;
      url = user_url (self, apply->id);
      body = payload_bytes (apply->operation);
      break;

    case STEP_FIND:
      method = SOUP_METHOD_GET;
      url = find_url (self, apply->operation->user_name);
      break;

    case STEP_DELETE:
      method = SOUP_METHOD_DELETE;
      url = user_url (self, apply->id);
      break;

    default:
      g_assert_not_reached ();
    }

  prov_auth_send_async (self->auth, method, url, body, "application/scim+json",
                        g_task_get_cancellable (task), step_done_cb, task);
}

void
prov_target_client_apply_async (ProvTargetClient    *self,
                                const ProvOperation *operation,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Apply *apply;

  g_return_if_fail (PROV_IS_TARGET_CLIENT (self));
  g_return_if_fail (operation != NULL && operation->action != PROV_ACTION_NONE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_target_client_apply_async);

  apply = g_new0 (Apply, 1);
  apply->operation = prov_operation_copy (operation);
  apply->id = g_strdup (operation->target_id);
  apply->retry_after = -1;
  g_task_set_task_data (task, apply, (GDestroyNotify) apply_free);

  if (operation->action == PROV_ACTION_DELETE)
    apply->step = apply->id != NULL ? STEP_DELETE : STEP_FIND;
  else if (!self->jam)
    /* Identity Provisioning's real-time API takes a POST for both. */
    apply->step = STEP_POST;
  else if (operation->action == PROV_ACTION_CREATE)
    apply->step = STEP_POST;
  else
    apply->step = apply->id != NULL ? STEP_PUT : STEP_FIND;

  /* Identity Provisioning is searched only after a 409: a delete without
   * an id is not attempted there (the plan never asks for one). */
  if (!self->jam && apply->step == STEP_FIND)
    {
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_NOT_FOUND,
                               _("The user %s cannot be deleted: its ID in Identity Provisioning is not known."),
                               operation->user_name);
      g_object_unref (task);
      return;
    }

  run_step (task);
}

char *
prov_target_client_apply_finish (ProvTargetClient  *self,
                                 GAsyncResult      *result,
                                 gint64            *retry_after_seconds,
                                 GError           **error)
{
  Apply *apply;

  g_return_val_if_fail (PROV_IS_TARGET_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  apply = g_task_get_task_data (G_TASK (result));
  if (retry_after_seconds != NULL)
    *retry_after_seconds = apply->retry_after;

  return g_task_propagate_pointer (G_TASK (result), error);
}
