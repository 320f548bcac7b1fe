/* prov-cli-source.c — `provisioner source …`: where the users come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "prov-cli.h"
#include "prov-cli-fields.h"
#include "prov-client-certificate.h"
#include "prov-cli-output.h"
#include "prov-cli-secret.h"
#include "prov-error.h"

/* Each field's reason on stderr; frees @reasons. */
static void
print_reasons (ProvSource  *source,
               char       **reasons)
{
  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    if (reasons[field] != NULL)
      prov_cli_error (_("%s: %s"), prov_source_get_field_title (source, field), reasons[field]);
  prov_cli_free_reasons (reasons);
}

gboolean
prov_cli_check_source (ProvCli *cli)
{
  ProvSource *source = prov_target_service_get_source (cli->service);
  char **reasons = NULL;
  gboolean valid;

  valid = prov_source_validate_saved (source, &reasons);
  if (!valid)
    prov_cli_error ("%s", _("The source of users is not set up: set it with source set."));
  print_reasons (source, reasons);
  return valid;
}

/* Said wherever a source that still uses version 1 is shown or saved, as
 * the window's banner says it. */
static void
warn_retired_v1 (ProvSource *source)
{
  if (prov_source_get_kind (source) == PROV_SOURCE_KIND_TENANT &&
      prov_target_system_get_version (prov_source_get_connection (source)) == PROV_SCIM_VERSION_1)
    prov_cli_error ("%s", _("SAP retired version 1 of the Identity Authentication SCIM API on 30 November 2026, and this source still uses it. Version 2 (Identity Directory) serves the same users: switch to it with source set --version 2."));
}

static void
print_tenant (ProvSource *source)
{
  ProvTargetSystem *connection = prov_source_get_connection (source);

  printf ("%s: %s\n", prov_source_get_field_title (source, PROV_FIELD_URL),
          prov_target_system_get_text (connection, PROV_FIELD_URL));
  printf ("%s: %d\n", prov_source_get_field_title (source, PROV_FIELD_VERSION),
          prov_target_system_get_version (connection));
  printf ("%s: %s\n", prov_source_get_field_title (source, PROV_FIELD_AUTH_MECHANISM),
          prov_auth_mechanism_to_label (prov_target_system_get_auth_mechanism (connection)));
  printf ("%s: %s\n", prov_source_get_field_title (source, PROV_FIELD_USERNAME),
          prov_target_system_get_text (connection, PROV_FIELD_USERNAME));
  if (prov_target_system_get_auth_mechanism (connection) == PROV_AUTH_MECHANISM_CERTIFICATE)
    {
      g_autofree char *description =
        prov_client_certificate_describe (prov_target_system_get_text (connection, PROV_FIELD_CLIENT_CERTIFICATE));
      printf ("%s: %s\n", prov_source_get_field_title (source, PROV_FIELD_CLIENT_CERTIFICATE),
              description ? description : _("None"));
    }
  if (*prov_target_system_get_text (connection, PROV_FIELD_CA_FILE) != '\0')
    printf ("%s: %s\n", prov_source_get_field_title (source, PROV_FIELD_CA_FILE),
            prov_target_system_get_text (connection, PROV_FIELD_CA_FILE));
}

static int
source_show (ProvCli *cli,
             int      argc,
             char   **argv)
{
  gboolean json = FALSE;
  ProvSource *source;
  ProvTargetSystem *connection;
  gboolean csv;
  ProvCliExit status;

  if (!prov_cli_parse_json ("source show", NULL, _("Shows where the users come from."), &json, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if ((status = prov_cli_check_args_and_load (cli, argc, argv, 2)) != PROV_CLI_EXIT_OK)
    return status;

  source = prov_target_service_get_source (cli->service);
  connection = prov_source_get_connection (source);
  csv = prov_source_get_kind (source) == PROV_SOURCE_KIND_CSV;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "kind", csv ? "csv" : "tenant");
      if (csv)
        json_object_set_string_member (object, "csv", prov_source_get_csv_path (source));
      else
        {
          json_object_set_string_member (object, "tenant", prov_target_system_get_text (connection, PROV_FIELD_URL));
          json_object_set_int_member (object, "version", prov_target_system_get_version (connection));
          json_object_set_string_member (object, "auth",
                                         prov_target_system_get_auth_mechanism (connection) == PROV_AUTH_MECHANISM_CERTIFICATE
                                         ? "certificate" : "basic");
          json_object_set_string_member (object, "client-id", prov_target_system_get_text (connection, PROV_FIELD_USERNAME));
          json_object_set_string_member (object, "ca-file", prov_target_system_get_text (connection, PROV_FIELD_CA_FILE));
        }
      json_node_take_object (node, object);
      prov_cli_print_json (node);
      warn_retired_v1 (source);
      return PROV_CLI_EXIT_OK;
    }

  if (csv)
    printf ("%s: %s\n", prov_source_get_field_title (source, PROV_FIELD_URL), prov_source_get_csv_path (source));
  else
    print_tenant (source);
  /* An empty form reads like settings that work: say that it is not. */
  fflush (stdout);
  prov_cli_check_source (cli);
  warn_retired_v1 (source);
  return PROV_CLI_EXIT_OK;
}

static int
source_set (ProvCli *cli,
            int      argc,
            char   **argv)
{
  g_autofree char *tenant = NULL, *version = NULL, *auth = NULL, *client_id = NULL;
  g_autofree char *csv = NULL, *ca_file = NULL, *certificate = NULL, *common_name = NULL;
  gboolean secret_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, N_("Identity Authentication tenant URL"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version, N_("SCIM version"), "1|2" },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth, N_("Authentication mechanism"), "basic|certificate" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, N_("Client ID"), N_("ID") },
    { "common-name", 0, 0, G_OPTION_ARG_STRING, &common_name, N_("Certificate common name"), N_("NAME") },
    { "certificate", 0, 0, G_OPTION_ARG_FILENAME, &certificate, N_("Import a client certificate (PEM or PKCS#12)"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("One extra CA certificate to trust"), N_("FILE") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("A CSV file in Identity Authentication’s export format"), N_("FILE") },
    { "secret-stdin", 0, 0, G_OPTION_ARG_NONE, &secret_stdin, N_("Read the secret from the first line of standard input"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GAsyncResult) duped = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ProvSource) edited = NULL;
  ProvTargetSystem *connection;
  ProvCliExit status;

  if (!prov_cli_parse ("source set", NULL, _("Sets where the users come from."), entries, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc > 1 || (csv != NULL) == (tenant != NULL || version || auth || client_id || secret_stdin ||
                                    ca_file || certificate || common_name) ||
      (csv == NULL && tenant == NULL))
    {
      prov_cli_error ("%s", _("source set needs either --csv FILE, or --tenant URL with its options."));
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    return status;

  if (csv != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (csv);
      g_autofree char *path = g_file_get_path (file);

      edited = prov_source_copy (prov_target_service_get_source (cli->service));
      prov_source_set_kind (edited, PROV_SOURCE_KIND_CSV);
      prov_source_set_csv_path (edited, path);
    }
  else
    {
      prov_target_service_dup_source_with_secrets_async (cli->service, cli->cancellable,
                                                         prov_cli_result_cb, &duped);
      edited = prov_target_service_dup_source_with_secrets_finish (cli->service, prov_cli_wait (&duped), &error);
      if (edited == NULL)
        return prov_cli_report_error (error);
      prov_source_set_kind (edited, PROV_SOURCE_KIND_TENANT);
      connection = prov_source_get_connection (edited);
      prov_target_system_set_text (connection, PROV_FIELD_URL, tenant);
      if (version != NULL)
        {
          if (!g_str_equal (version, "1") && !g_str_equal (version, "2"))
            {
              g_autoptr(GError) bad = NULL;

              prov_cli_bad_choice (&bad, "version", "1|2", version);
              prov_cli_error ("%s", bad->message);
              return PROV_CLI_EXIT_USAGE;
            }
          prov_target_system_set_version (connection, g_str_equal (version, "1") ? PROV_SCIM_VERSION_1 : PROV_SCIM_VERSION_2);
        }
      if (auth != NULL)
        {
          if (!g_str_equal (auth, "basic") && !g_str_equal (auth, "certificate"))
            {
              g_autoptr(GError) bad = NULL;

              prov_cli_bad_choice (&bad, "auth", "basic|certificate", auth);
              prov_cli_error ("%s", bad->message);
              return PROV_CLI_EXIT_USAGE;
            }
          prov_target_system_set_auth_mechanism (connection, g_str_equal (auth, "basic")
                                                 ? PROV_AUTH_MECHANISM_BASIC : PROV_AUTH_MECHANISM_CERTIFICATE);
        }
      if (client_id != NULL)
        prov_target_system_set_text (connection, PROV_FIELD_USERNAME, client_id);
      if (common_name != NULL)
        prov_target_system_set_text (connection, PROV_FIELD_COMMON_NAME, common_name);
      if (ca_file != NULL)
        prov_target_system_set_text (connection, PROV_FIELD_CA_FILE, ca_file);

      {
        ProvField field = prov_target_system_get_auth_mechanism (connection) == PROV_AUTH_MECHANISM_BASIC
                          ? PROV_FIELD_PASSWORD : PROV_FIELD_CERTIFICATE_PASSWORD;
        g_autofree char *secret = NULL;

        if (secret_stdin)
          {
            secret = prov_cli_read_secret_stdin (&error);
            if (secret == NULL)
              return prov_cli_report_error (error);
          }
        else if (*prov_target_system_get_text (connection, field) == '\0')
          secret = prov_cli_prompt_secret (prov_source_get_field_title (edited, field));
        if (secret != NULL)
          prov_target_system_set_text (connection, field, secret);
      }

      if (certificate != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (certificate);
          g_autofree char *path = g_file_get_path (file);
          g_autoptr(GBytes) bytes = prov_client_certificate_read_file (path != NULL ? path : certificate, &error);

          if (bytes == NULL || !prov_target_system_import_client_certificate (connection, bytes, &error))
            {
              prov_cli_error ("%s", error->message);
              return PROV_CLI_EXIT_INVALID;
            }
        }
    }

  {
    char **reasons = NULL;

    if (!prov_source_validate (edited, &reasons))
      {
        print_reasons (edited, reasons);
        return PROV_CLI_EXIT_INVALID;
      }
    prov_cli_free_reasons (reasons);
  }

  prov_target_service_save_source_async (cli->service, edited, cli->cancellable, prov_cli_result_cb, &saved);
  if (!prov_target_service_save_source_finish (cli->service, prov_cli_wait (&saved), &error))
    return prov_cli_report_error (error);
  printf ("%s\n", _("Source of users saved."));
  fflush (stdout);
  warn_retired_v1 (edited);
  /* A file that is no user export is said now, not at the next run (it
   * is saved all the same, as in the window: a good export may replace it). */
  if (prov_source_get_kind (edited) == PROV_SOURCE_KIND_CSV)
    {
      g_autoptr(GAsyncResult) tested = NULL;
      g_autofree char *said = NULL;

      prov_target_service_test_source_async (cli->service, NULL, cli->cancellable, prov_cli_result_cb, &tested);
      said = prov_target_service_test_source_finish (cli->service, prov_cli_wait (&tested), &error);
      if (said == NULL)
        prov_cli_error ("%s", error->message);
    }
  return PROV_CLI_EXIT_OK;
}

static int
source_test (ProvCli *cli,
             int      argc,
             char   **argv)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;
  ProvCliExit status;

  if (!prov_cli_parse ("source test", NULL, _("Tests the connection to the source of users."),
                       NULL, &argc, &argv))
    return PROV_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      prov_cli_error (_("Unexpected argument “%s”."), argv[1]);
      return PROV_CLI_EXIT_USAGE;
    }
  if ((status = prov_cli_load (cli)) != PROV_CLI_EXIT_OK)
    return status;
  if (!prov_cli_check_source (cli))
    return PROV_CLI_EXIT_INVALID;

  prov_target_service_test_source_async (cli->service, NULL, cli->cancellable, prov_cli_result_cb, &result);
  said = prov_target_service_test_source_finish (cli->service, prov_cli_wait (&result), &error);
  if (said == NULL)
    return prov_cli_report_error (error);
  printf ("%s\n", said);
  return PROV_CLI_EXIT_OK;
}

int
prov_cli_source (ProvCli *cli,
                 int      argc,
                 char   **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return source_show (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "set"))
    return source_set (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "test"))
    return source_test (cli, argc - 1, argv + 1);

  prov_cli_error ("%s", _("source needs one of: show, set, test."));
  return PROV_CLI_EXIT_USAGE;
}
