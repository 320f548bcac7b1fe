/* prov-cli-fields.c — the editor's fields as command-line options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "prov-cli.h"
#include "prov-cli-fields.h"
#include "prov-client-certificate.h"
#include "prov-error.h"
#include "prov-target-validation.h"

GOptionEntry *
prov_cli_fields_entries (ProvCliFields      *f,
                         const GOptionEntry *own)
{
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &f->url, N_("SAP Jam URL"), N_("URL") },
    { "scim-url", 0, 0, G_OPTION_ARG_STRING, &f->scim_url, N_("Identity Provisioning SCIM URL"), N_("URL") },
    { "token-url", 0, 0, G_OPTION_ARG_STRING, &f->token_url, N_("OAuth token URL"), N_("URL") },
    { "client-key", 0, 0, G_OPTION_ARG_STRING, &f->client_key, N_("SAP Jam Client Key"), N_("ID") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &f->client_id, N_("Client ID"), N_("ID") },
    { "version", 0, 0, G_OPTION_ARG_STRING, &f->version, N_("SCIM version"), "1|2" },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &f->auth, N_("Authentication mechanism"), "basic|certificate|oauth" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &f->username, N_("Username"), N_("NAME") },
    { "common-name", 0, 0, G_OPTION_ARG_STRING, &f->common_name, N_("Certificate common name"), N_("NAME") },
    { "certificate", 0, 0, G_OPTION_ARG_FILENAME, &f->certificate, N_("Import a client certificate (PEM or PKCS#12)"), N_("FILE") },
    { "generate-certificate", 0, 0, G_OPTION_ARG_STRING, &f->generate_certificate,
      N_("Generate a client certificate for CN=<common name>(<administrator user ID>)"), N_("ADMIN_USER_ID") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &f->ca_file, N_("One extra CA certificate to trust"), N_("FILE") },
    { "rate-per-minute", 0, 0, G_OPTION_ARG_STRING, &f->rate_per_minute, N_("Requests a minute (0: SAP’s default)"), "N" },
    { "rate-per-hour", 0, 0, G_OPTION_ARG_STRING, &f->rate_per_hour, N_("Requests an hour (0: SAP’s default)"), "N" },
    { "deprovision", 0, 0, G_OPTION_ARG_STRING, &f->deprovision, N_("What happens to users who leave"), "deactivate|delete" },
    { "threshold-users", 0, 0, G_OPTION_ARG_STRING, &f->threshold_users, N_("Safety threshold in users"), "N" },
    { "threshold-percent", 0, 0, G_OPTION_ARG_STRING, &f->threshold_percent, N_("Safety threshold in percent"), "N" },
    { "real-time", 0, 0, G_OPTION_ARG_STRING, &f->real_time, N_("Real-time provisioning"), "on|off" },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &f->yes, N_("Turn real-time provisioning on without showing the plan first"), NULL },
    { "secret-stdin", 0, 0, G_OPTION_ARG_NONE, &f->secret_stdin, N_("Read the secret from the first line of standard input"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionEntry *all;
  gsize n_own = 0;

  while (own[n_own].long_name != NULL)
    n_own++;
  all = g_new (GOptionEntry, n_own + G_N_ELEMENTS (entries));
  memcpy (all, own, n_own * sizeof (GOptionEntry));
  memcpy (all + n_own, entries, sizeof entries);
  return all;
}

void
prov_cli_fields_clear (ProvCliFields *f)
{
  char **strings[] = {
    &f->url, &f->scim_url, &f->token_url, &f->client_key, &f->client_id,
    &f->version, &f->auth, &f->username, &f->common_name, &f->certificate, &f->generate_certificate,
    &f->ca_file, &f->rate_per_minute, &f->rate_per_hour, &f->deprovision,
    &f->threshold_users, &f->threshold_percent, &f->real_time,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
}

gboolean
prov_cli_bad_choice (GError    **error,
                     const char *option,
                     const char *choices,
                     const char *value)
{
  /* Translators: an option, the values it takes as in --help (such as
   * “deactivate|delete”, not to be translated), then what was given */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--%s takes %s, not “%s”."), option, choices, value);
  return FALSE;
}

static gboolean
parse_number (const char *option,
              const char *value,
              guint       most,
              guint      *number,
              GError    **error)
{
  guint64 n;

  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (value, 10, 0, most, &n, NULL))
    {
      /* Translators: an option, the largest number it takes, then what
       * was given */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--%s takes a whole number from 0 to %u, not “%s”."), option, most, value);
      return FALSE;
    }
  *number = (guint) n;
  return TRUE;
}

static gboolean
not_applicable (GError    **error,
                const char *option)
{
  /* Translators: an option such as --username */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("--%s does not apply to this type of target system and authentication."), option);
  return FALSE;
}

static gboolean
set_text (ProvTargetSystem *target,
          ProvField         field,
          const char       *option,
          const char       *value,
          GError          **error)
{
  if (value == NULL)
    return TRUE;
  if (!prov_target_system_field_is_visible (target, field))
    return not_applicable (error, option);
  prov_target_system_set_text (target, field, value);
  return TRUE;
}

gboolean
prov_cli_fields_apply (ProvCliFields    *f,
                       ProvTargetSystem *target,
                       GError          **error)
{
  guint per_minute = G_MAXUINT, per_hour = G_MAXUINT;
  guint users = G_MAXUINT, percent = G_MAXUINT;

  if (f->version != NULL)
    {
      /* SAP Jam has one API; its version would be kept and never used. */
      if (!prov_target_system_field_is_visible (target, PROV_FIELD_VERSION))
        return not_applicable (error, "version");
      if (g_str_equal (f->version, "1"))
        prov_target_system_set_version (target, PROV_SCIM_VERSION_1);
      else if (g_str_equal (f->version, "2"))
        prov_target_system_set_version (target, PROV_SCIM_VERSION_2);
      else
        return prov_cli_bad_choice (error, "version", "1|2", f->version);
    }
  if (f->auth != NULL)
    {
      ProvAuthMechanism mechanism;

      if (g_str_equal (f->auth, "basic"))
        mechanism = PROV_AUTH_MECHANISM_BASIC;
      else if (g_str_equal (f->auth, "certificate"))
        mechanism = PROV_AUTH_MECHANISM_CERTIFICATE;
      else if (g_str_equal (f->auth, "oauth"))
        mechanism = PROV_AUTH_MECHANISM_OAUTH;
      else
        return prov_cli_bad_choice (error, "auth", "basic|certificate|oauth", f->auth);
      /* SAP Jam signs in with OAuth only (its getter always says so, so
       * ask the field, not the target). */
      if (!prov_target_system_field_is_visible (target, PROV_FIELD_AUTH_MECHANISM) &&
          mechanism != PROV_AUTH_MECHANISM_OAUTH)
        return prov_cli_bad_choice (error, "auth", "oauth", f->auth);
      prov_target_system_set_auth_mechanism (target, mechanism);
    }
  if (f->real_time != NULL)
    {
      if (g_str_equal (f->real_time, "on"))
        prov_target_system_set_real_time (target, TRUE);
      else if (g_str_equal (f->real_time, "off"))
        prov_target_system_set_real_time (target, FALSE);
      else
        return prov_cli_bad_choice (error, "real-time", "on|off", f->real_time);
    }
  if (f->deprovision != NULL)
    {
      if (g_str_equal (f->deprovision, "deactivate"))
        prov_target_system_set_deprovision_mode (target, PROV_DEPROVISION_DEACTIVATE);
      else if (g_str_equal (f->deprovision, "delete"))
        prov_target_system_set_deprovision_mode (target, PROV_DEPROVISION_DELETE);
      else
        return prov_cli_bad_choice (error, "deprovision", "deactivate|delete", f->deprovision);
    }

  /* The editor's spin buttons' ranges. */
  if (!parse_number ("rate-per-minute", f->rate_per_minute, PROV_MAX_RATE_PER_MINUTE, &per_minute, error) ||
      !parse_number ("rate-per-hour", f->rate_per_hour, PROV_MAX_RATE_PER_HOUR, &per_hour, error) ||
      !parse_number ("threshold-users", f->threshold_users, 1000000, &users, error) ||
      !parse_number ("threshold-percent", f->threshold_percent, 100, &percent, error))
    return FALSE;
  if (per_minute != G_MAXUINT)
    prov_target_system_set_rate_per_minute (target, per_minute);
  if (per_hour != G_MAXUINT)
    prov_target_system_set_rate_per_hour (target, per_hour);
  if (users != G_MAXUINT)
    prov_target_system_set_threshold_users (target, users);
  if (percent != G_MAXUINT)
    prov_target_system_set_threshold_percent (target, percent);

  return set_text (target, PROV_FIELD_URL, "url", f->url, error) &&
         set_text (target, PROV_FIELD_URL, "scim-url", f->scim_url, error) &&
         set_text (target, PROV_FIELD_TOKEN_URL, "token-url", f->token_url, error) &&
         set_text (target, PROV_FIELD_CLIENT_ID, "client-key", f->client_key, error) &&
         set_text (target, PROV_FIELD_CLIENT_ID, "client-id", f->client_id, error) &&
         set_text (target, PROV_FIELD_USERNAME, "username", f->username, error) &&
         set_text (target, PROV_FIELD_COMMON_NAME, "common-name", f->common_name, error) &&
         set_text (target, PROV_FIELD_CA_FILE, "ca-file", f->ca_file, error);
}

ProvField
prov_cli_fields_secret_field (ProvTargetSystem *target)
{
  const ProvField secrets[] = {
    PROV_FIELD_CLIENT_SECRET, PROV_FIELD_PASSWORD, PROV_FIELD_CERTIFICATE_PASSWORD,
  };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (prov_target_system_field_is_visible (target, secrets[i]))
      return secrets[i];
  return PROV_N_FIELDS;
}

/* As the editor's Generate: the common name must be valid first, since
 * it goes into the certificate's subject. */
static gboolean
generate_certificate (const char        *admin_user_id,
                      ProvTargetSystem  *target,
                      GError           **error)
{
  g_autofree char *reason = prov_target_system_check_field (target, PROV_FIELD_COMMON_NAME, NULL);
  g_autofree char *admin = g_strstrip (g_strdup (admin_user_id));
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *certificate_pem = NULL;
  char *key_pem = NULL;

  if (reason != NULL)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD, _("%s: %s"),
                   prov_field_get_title (PROV_FIELD_COMMON_NAME, prov_target_system_get_kind (target)), reason);
      return FALSE;
    }
  if (*admin == '\0')
    {
      g_set_error_literal (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                           _("The certificate was not generated: enter the user ID of the administrator, such as P000123."));
      return FALSE;
    }

  prov_client_certificate_generate_async (prov_target_system_get_text (target, PROV_FIELD_COMMON_NAME),
                                          admin, NULL, prov_cli_result_cb, &result);
  if (!prov_client_certificate_generate_finish (prov_cli_wait (&result), &certificate_pem, &key_pem, error))
    return FALSE;

  prov_target_system_take_client_certificate (target, certificate_pem, key_pem);
  return TRUE;
}

gboolean
prov_cli_fields_import_certificate (ProvCliFields    *f,
                                    ProvTargetSystem *target,
                                    GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (f->certificate == NULL && f->generate_certificate == NULL)
    return TRUE;
  if (!prov_target_system_field_is_visible (target, PROV_FIELD_CLIENT_CERTIFICATE))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--%s does not apply to this type of target system and authentication."),
                   f->certificate != NULL ? "certificate" : "generate-certificate");
      return FALSE;
    }
  if (f->certificate != NULL && f->generate_certificate != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give --certificate or --generate-certificate, not both."));
      return FALSE;
    }
  if (f->generate_certificate != NULL)
    return generate_certificate (f->generate_certificate, target, error);

  file = g_file_new_for_commandline_arg (f->certificate);
  path = g_file_get_path (file);
  bytes = prov_client_certificate_read_file (path != NULL ? path : f->certificate, error);
  if (bytes == NULL)
    return FALSE;
  return prov_target_system_import_client_certificate (target, bytes, error);
}
