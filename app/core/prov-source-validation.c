/* prov-source-validation.c — whether a source is set up: each field's
 * reason, for an edited source and for the saved one (no secrets)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-error.h"
#include "prov-source.h"
#include "prov-target-validation.h"

gboolean
prov_source_validate (ProvSource   *self,
                      char       ***reasons)
{
  g_auto(GStrv) result = NULL;
  ProvTargetSystem *connection;
  const char *csv_path;
  gboolean valid = TRUE;

  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);

  result = g_new0 (char *, PROV_N_FIELDS + 1);
  csv_path = prov_source_get_csv_path (self);
  connection = prov_source_get_connection (self);

  if (prov_source_get_kind (self) == PROV_SOURCE_KIND_CSV)
    {
      if (csv_path == NULL)
        result[PROV_FIELD_URL] = g_strdup (_("Choose the CSV file of users"));
      else
        result[PROV_FIELD_URL] = prov_check_file_path (csv_path);
    }
  else
    {
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        {
          if (i == PROV_FIELD_DISPLAY_NAME || i == PROV_FIELD_KIND ||
              !prov_target_system_field_is_visible (connection, i))
            continue;
          if (i == PROV_FIELD_URL)
            result[i] = prov_check_tenant_url (prov_target_system_get_url (connection));
          else
            result[i] = prov_target_system_check_field (connection, i, NULL);
        }
    }

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (result[i] != NULL)
      valid = FALSE;

  prov_field_reasons_return (g_steal_pointer (&result), reasons);
  return valid;
}

const char *
prov_source_get_field_title (ProvSource *self,
                             ProvField   field)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);

  switch (field)
    {
    case PROV_FIELD_URL:
      return prov_source_get_kind (self) == PROV_SOURCE_KIND_CSV ? _("CSV File") : _("Tenant URL");
    case PROV_FIELD_VERSION:
      return _("SCIM API Version");
    case PROV_FIELD_USERNAME:
      return _("Client ID");
    case PROV_FIELD_PASSWORD:
      return _("Client Secret");
    case PROV_FIELD_DISPLAY_NAME:
    case PROV_FIELD_KIND:
    case PROV_FIELD_AUTH_MECHANISM:
    case PROV_FIELD_COMMON_NAME:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_FIELD_CA_FILE:
    case PROV_N_FIELDS:
    default:
      return prov_field_get_title (field, PROV_TARGET_KIND_IDENTITY_PROVISIONING);
    }
}

gboolean
prov_source_check_secrets (ProvSource  *self,
                           GError     **error)
{
  ProvField missing;

  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);

  if (prov_source_get_kind (self) == PROV_SOURCE_KIND_CSV)
    return TRUE;
  missing = prov_target_system_find_missing_secret (prov_source_get_connection (self));
  if (missing == PROV_N_FIELDS)
    return TRUE;
  /* A key comes with its imported certificate, never typed. */
  if (missing == PROV_FIELD_CERTIFICATE_KEY)
    g_set_error_literal (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                         _("The source of users has no private key for its client certificate in the keyring: import the certificate again, then save the source."));
  else
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                 /* Translators: a field such as Client Secret */
                 _("The source of users has no %s saved: enter it and save the source."),
                 prov_source_get_field_title (self, missing));
  return FALSE;
}

gboolean
prov_source_validate_saved (ProvSource   *self,
                            char       ***reasons)
{
  char **result = NULL;
  gboolean valid = TRUE;

  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);

  prov_source_validate (self, &result);
  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    {
      if (prov_field_is_secret (field))
        g_clear_pointer (&result[field], g_free);
      valid &= result[field] == NULL;
    }

  prov_field_reasons_return (result, reasons);
  return valid;
}
