/* prov-cli-output.c — what the command line prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "prov-cli-output.h"
#include "prov-client-certificate.h"

void
prov_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

const char *
prov_cli_kind_to_string (ProvTargetKind kind)
{
  return kind == PROV_TARGET_KIND_SAP_JAM ? "jam" : "ips";
}

int
prov_cli_kind_from_string (const char *value)
{
  if (g_strcmp0 (value, "jam") == 0)
    return PROV_TARGET_KIND_SAP_JAM;
  if (g_strcmp0 (value, "ips") == 0)
    return PROV_TARGET_KIND_IDENTITY_PROVISIONING;
  return -1;
}

const char *
prov_cli_field_name (ProvField      field,
                     ProvTargetKind kind)
{
  gboolean jam = kind == PROV_TARGET_KIND_SAP_JAM;

  switch (field)
    {
    case PROV_FIELD_URL:
      return jam ? "url" : "scim-url";
    case PROV_FIELD_CLIENT_ID:
      return jam ? "client-key" : "client-id";
    case PROV_FIELD_VERSION:
      return "version";
    case PROV_FIELD_AUTH_MECHANISM:
      return "auth";
    case PROV_FIELD_USERNAME:
      return "username";
    case PROV_FIELD_COMMON_NAME:
      return "common-name";
    case PROV_FIELD_TOKEN_URL:
      return "token-url";
    case PROV_FIELD_CA_FILE:
      return "ca-file";
    case PROV_FIELD_DISPLAY_NAME:
    case PROV_FIELD_KIND:
    case PROV_FIELD_PASSWORD:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_N_FIELDS:
    default:
      return NULL;
    }
}

static const char * const auth_names[] = { "basic", "certificate", "oauth" };

JsonObject *
prov_cli_target_to_json (ProvTargetSystem *target)
{
  JsonObject *object = json_object_new ();
  ProvTargetKind kind = prov_target_system_get_kind (target);

  json_object_set_string_member (object, "name", prov_target_system_get_display_name (target));
  json_object_set_string_member (object, "type", prov_cli_kind_to_string (kind));
  json_object_set_string_member (object, "uuid", prov_target_system_get_uuid (target));

  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    {
      const char *name = prov_cli_field_name (field, kind);

      if (name == NULL || !prov_target_system_field_is_visible (target, field))
        continue;
      if (field == PROV_FIELD_VERSION)
        json_object_set_int_member (object, name, prov_target_system_get_version (target));
      else if (field == PROV_FIELD_AUTH_MECHANISM)
        json_object_set_string_member (object, name, auth_names[prov_target_system_get_auth_mechanism (target)]);
      else
        json_object_set_string_member (object, name, prov_target_system_get_text (target, field));
    }

  json_object_set_boolean_member (object, "client-certificate",
                                  *prov_target_system_get_text (target, PROV_FIELD_CLIENT_CERTIFICATE) != '\0');
  json_object_set_int_member (object, "rate-per-minute", prov_target_system_get_rate_per_minute (target));
  json_object_set_int_member (object, "rate-per-hour", prov_target_system_get_rate_per_hour (target));
  json_object_set_string_member (object, "deprovision",
                                 prov_target_system_get_deprovision_mode (target) == PROV_DEPROVISION_DELETE
                                 ? "delete" : "deactivate");
  json_object_set_int_member (object, "threshold-users", prov_target_system_get_threshold_users (target));
  json_object_set_int_member (object, "threshold-percent", prov_target_system_get_threshold_percent (target));
  json_object_set_boolean_member (object, "real-time", prov_target_system_get_real_time (target));

  /* The last Test Connection kept for these values, here or in the window. */
  if (prov_target_system_get_connection_status (target) == PROV_CONNECTION_STATUS_UNKNOWN)
    json_object_set_null_member (object, "last-test");
  else
    {
      JsonObject *test = json_object_new ();
      g_autofree char *time = g_date_time_format_iso8601 (prov_target_system_get_connection_time (target));

      json_object_set_boolean_member (test, "ok",
                                      prov_target_system_get_connection_status (target) == PROV_CONNECTION_STATUS_OK);
      json_object_set_string_member (test, "message", prov_target_system_get_connection_message (target));
      json_object_set_string_member (test, "time", time);
      json_object_set_object_member (object, "last-test", test);
    }
  return object;
}

void
prov_cli_print_target (ProvTargetSystem *target)
{
  ProvTargetKind kind = prov_target_system_get_kind (target);
  const char *text;

  printf ("%s\n", prov_target_system_get_display_name (target));
  printf ("  %s: %s\n", _("Type"), prov_target_system_get_kind_label (target));
  printf ("  %s: %s\n", _("ID"), prov_target_system_get_uuid (target));
  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    {
      if (field == PROV_FIELD_DISPLAY_NAME || field == PROV_FIELD_KIND ||
          prov_field_is_secret (field) ||
          !prov_target_system_field_is_visible (target, field))
        continue;

      if (field == PROV_FIELD_VERSION)
        printf ("  %s: %d\n", prov_field_get_title (field, kind), prov_target_system_get_version (target));
      else if (field == PROV_FIELD_AUTH_MECHANISM)
        printf ("  %s: %s\n", prov_field_get_title (field, kind),
                prov_auth_mechanism_to_label (prov_target_system_get_auth_mechanism (target)));
      else if (field == PROV_FIELD_CLIENT_CERTIFICATE)
        {
          /* As the editor shows it: its subject and when it expires. */
          g_autofree char *description =
            prov_client_certificate_describe (prov_target_system_get_text (target, field));
          printf ("  %s: %s\n", prov_field_get_title (field, kind), description ? description : _("None"));
        }
      else
        {
          text = prov_target_system_get_text (target, field);
          printf ("  %s: %s\n", prov_field_get_title (field, kind), *text ? text : "—");
        }
    }
  printf ("  %s: %u\n", _("Requests a Minute"), prov_target_system_get_rate_per_minute (target));
  /* Identity Provisioning publishes no hourly limit: 0, said in words. */
  if (prov_target_system_get_rate_per_hour (target) == 0)
    printf ("  %s: %s\n", _("Requests an Hour"), C_("requests an hour", "No limit"));
  else
    printf ("  %s: %u\n", _("Requests an Hour"), prov_target_system_get_rate_per_hour (target));
  printf ("  %s: %s\n", _("Users Who Leave"),
          prov_target_system_get_deprovision_mode (target) == PROV_DEPROVISION_DELETE
          ? _("Delete") : _("Deactivate"));
  printf ("  %s: %u\n", _("Safety Threshold (Users)"), prov_target_system_get_threshold_users (target));
  printf ("  %s: %u%%\n", _("Safety Threshold (Percent)"), prov_target_system_get_threshold_percent (target));
  printf ("  %s: %s\n", _("Real-Time Provisioning"),
          prov_target_system_get_real_time (target) ? C_("real-time provisioning", "On")
                                                    : C_("real-time provisioning", "Off"));

  switch (prov_target_system_get_connection_status (target))
    {
    case PROV_CONNECTION_STATUS_OK:
    case PROV_CONNECTION_STATUS_FAILED:
      {
        g_autofree char *when = g_date_time_format (prov_target_system_get_connection_time (target),
                                                    "%Y-%m-%d %H:%M:%S");
        g_autofree char *outcome =
          prov_target_system_get_connection_status (target) == PROV_CONNECTION_STATUS_OK
          /* Translators: the time of the last connection test */
          ? g_strdup_printf (_("%s, connected"), when)
          /* Translators: 1: the time of the last connection test, 2: why it failed */
          : g_strdup_printf (_("%s, failed: %s"), when, prov_target_system_get_connection_message (target));

        printf ("  %s: %s\n", _("Last Test Connection"), outcome);
      }
      break;
    case PROV_CONNECTION_STATUS_UNKNOWN:
    default:
      printf ("  %s: —\n", _("Last Test Connection"));
      break;
    }
}

JsonObject *
prov_cli_plan_to_json (ProvPlan *plan)
{
  JsonObject *object = json_object_new ();
  ProvTargetSystem *target = prov_plan_get_target (plan);

  json_object_set_string_member (object, "target", prov_target_system_get_display_name (target));
  json_object_set_string_member (object, "uuid", prov_target_system_get_uuid (target));
  json_object_set_int_member (object, "create", prov_plan_count (plan, PROV_ACTION_CREATE));
  json_object_set_int_member (object, "update", prov_plan_count (plan, PROV_ACTION_UPDATE));
  json_object_set_int_member (object, "deactivate", prov_plan_count (plan, PROV_ACTION_DEACTIVATE));
  json_object_set_int_member (object, "delete", prov_plan_count (plan, PROV_ACTION_DELETE));
  json_object_set_int_member (object, "unchanged", prov_plan_count (plan, PROV_ACTION_NONE));
  json_object_set_int_member (object, "inactive-not-created", prov_plan_get_n_inactive_not_created (plan));
  json_object_set_boolean_member (object, "needs-confirmation", prov_plan_needs_confirmation (plan));
  json_object_set_boolean_member (object, "deprovisioning-skipped", prov_plan_get_deprovisioning_skipped (plan));
  return object;
}

void
prov_cli_print_plan_counts (ProvPlan *plan)
{
  g_autofree char *inactive = prov_plan_dup_inactive_note (plan);

  printf ("  %s: %u\n", _("Create"), prov_plan_count (plan, PROV_ACTION_CREATE));
  printf ("  %s: %u\n", _("Update"), prov_plan_count (plan, PROV_ACTION_UPDATE));
  printf ("  %s: %u\n", _("Deactivate"), prov_plan_count (plan, PROV_ACTION_DEACTIVATE));
  printf ("  %s: %u\n", _("Delete"), prov_plan_count (plan, PROV_ACTION_DELETE));
  printf ("  %s: %u\n", _("Unchanged"), prov_plan_count (plan, PROV_ACTION_NONE));
  if (inactive != NULL)
    printf ("  %s\n", inactive);
}

JsonObject *
prov_cli_run_to_json (ProvJournalRun *run)
{
  JsonObject *object = json_object_new ();
  g_autofree char *started = run->started ? g_date_time_format_iso8601 (run->started) : NULL;

  if (started != NULL)
    json_object_set_string_member (object, "started", started);
  else
    json_object_set_null_member (object, "started");
  json_object_set_string_member (object, "target", run->target_name ? run->target_name : "");
  json_object_set_string_member (object, "uuid", run->target_uuid ? run->target_uuid : "");
  json_object_set_string_member (object, "scenario", run->scenario ? run->scenario : "");
  json_object_set_int_member (object, "succeeded", run->succeeded);
  json_object_set_int_member (object, "failed", run->failed);
  json_object_set_boolean_member (object, "finished", run->finished);
  json_object_set_boolean_member (object, "cancelled", run->cancelled);
  if (run->error != NULL)
    json_object_set_string_member (object, "error", run->error);
  else
    json_object_set_null_member (object, "error");
  return object;
}
