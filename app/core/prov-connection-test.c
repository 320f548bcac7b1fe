/* prov-connection-test.c — does this target system let us in?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-auth.h"
#include "prov-connection-test.h"
#include "prov-error.h"
#include "prov-json-reader.h"
#include "prov-json-response.h"
#include "prov-sap-endpoints.h"

const char *
prov_connection_test_success_message (void)
{
  return _("Connection to the selected target system was established successfully.");
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProvAuth *auth = PROV_AUTH (object);
  ProvTargetSystem *target = prov_auth_get_target (auth);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  const char *content_type;
  const char *host;

  message = prov_auth_send_finish (auth, result, &body, &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  host = g_uri_get_host (soup_message_get_uri (message));
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);

  if (prov_target_system_get_kind (target) == PROV_TARGET_KIND_SAP_JAM)
    {
      g_autoptr(JsonArray) resources = NULL;

      if (!prov_http_check_status (message, PROV_HTTP_PURPOSE_JAM, &error) ||
          !prov_json_response_parse_list (body, content_type, host, &resources, NULL, NULL, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      if (!prov_http_check_status (message, PROV_HTTP_PURPOSE_IPS, &error))
        {
          g_task_return_error (task, error);
          return;
        }

      /* Identity Provisioning publishes no body for this call: anything
       * JSON, or nothing, will do — but an HTML login page will not. */
      if (body != NULL && g_bytes_get_size (body) > 0 &&
          !prov_content_type_is_json (content_type))
        {
          g_debug ("Connection test: unexpected content type %s", content_type ? content_type : "(none)");
          g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                                   _("%s answered with something other than the expected JSON. Check that the URL points to the right API."),
                                   host);
          return;
        }
      if (body != NULL && g_bytes_get_size (body) > 0)
        {
          g_autoptr(JsonNode) root = prov_json_reader_parse_bytes (body, 0, 0, NULL);

          if (root == NULL)
            {
              g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                                       _("%s answered with something other than the expected JSON. Check that the URL points to the right API."),
                                       host);
              return;
            }
        }
    }

  g_task_return_boolean (task, TRUE);
}

void
prov_connection_test_async (ProvHttpClient      *client,
                            ProvTargetSystem    *target,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(ProvAuth) auth = NULL;
  g_autofree char *uri = NULL;
  GTask *task;

  g_return_if_fail (PROV_IS_HTTP_CLIENT (client));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (target));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_connection_test_async);

  auth = prov_auth_new (client, target);

  uri = prov_sap_test_connection_url (target);
  prov_auth_send_async (auth, SOUP_METHOD_GET, uri, NULL, NULL, cancellable, probe_cb, task);
}

gboolean
prov_connection_test_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
