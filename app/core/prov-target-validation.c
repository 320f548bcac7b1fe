/* prov-target-validation.c — whether a target system's fields are usable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-error.h"
#include "prov-sap-endpoints.h"
#include "prov-target-system.h"

static gboolean
field_is_pem (ProvField field)
{
  return field == PROV_FIELD_CLIENT_CERTIFICATE || field == PROV_FIELD_CERTIFICATE_KEY;
}

gboolean
prov_url_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
has_control_characters (const char *value)
{
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_surrounding_space (const char *value)
{
  gsize len = strlen (value);
  return len > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1]));
}

char *
prov_target_name_key (const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  return g_utf8_casefold (stripped, -1);
}

gboolean
prov_target_system_name_is_taken (ProvTargetSystem *self,
                                  const char       *name,
                                  GListModel       *others)
{
  g_autofree char *key = NULL;
  guint n;

  if (others == NULL)
    return FALSE;

  key = prov_target_name_key (name);
  n = g_list_model_get_n_items (others);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) other = g_list_model_get_item (others, i);
      g_autofree char *other_key = NULL;

      if (g_strcmp0 (prov_target_system_get_uuid (other), prov_target_system_get_uuid (self)) == 0)
        continue;

      other_key = prov_target_name_key (prov_target_system_get_display_name (other));
      if (g_str_equal (key, other_key))
        return TRUE;
    }

  return FALSE;
}

/* Checks what every URL field needs; returns the parsed URI or a reason. */
static GUri *
check_url (const char  *value,
           char       **reason)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  /* GUri keeps spaces in a host or path as they are ("https://a.com "
   * parses), but no address has them; pasted ones are a common slip. */
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        {
          *reason = g_strdup (_("Remove the spaces from the address"));
          return NULL;
        }
    }

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      *reason = g_strdup (_("Enter a complete address that starts with https://"));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        {
          *reason = g_strdup (_("Enter a complete address that starts with https://"));
          return NULL;
        }
      if (!prov_url_host_is_loopback (host))
        {
          *reason = g_strdup (_("Use https://; plain http:// is allowed only for this computer"));
          return NULL;
        }
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      *reason = g_strdup (_("Remove the user name and password from the address; they belong in their own fields"));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      *reason = g_strdup (_("Remove the part after “?” or “#” from the address"));
      return NULL;
    }

  return g_steal_pointer (&uri);
}

static char *
check_jam_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  char *reason = NULL;
  const char *path;

  uri = check_url (value, &reason);
  if (uri == NULL)
    return reason;

  path = g_uri_get_path (uri);
  if (path[0] != '\0' && g_strcmp0 (path, "/") != 0)
    return g_strdup (_("Enter the SAP Jam address without a path, such as https://jam4.sapjam.com"));

  return NULL;
}

char *
prov_check_tenant_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  char *reason = NULL;
  const char *path;

  if (value == NULL || *value == '\0')
    return g_strdup (_("Required"));

  uri = check_url (value, &reason);
  if (uri == NULL)
    return reason;

  path = g_uri_get_path (uri);
  if (path[0] != '\0' && g_strcmp0 (path, "/") != 0)
    return g_strdup (_("Enter the tenant’s address without a path, such as https://mytenant.accounts.ondemand.com"));

  return NULL;
}

static char *
check_scim_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  char *reason = NULL;

  uri = check_url (value, &reason);
  if (uri == NULL)
    return reason;

  if (!prov_sap_ips_scim_path_is_valid (g_uri_get_path (uri)))
    return g_strdup (_("Enter the SCIM URL of the system: https://<host>/ipsproxy/service/api/v1/systems/<system ID>/entities/user"));

  return NULL;
}

/* The client certificate and its key come from Generate or Import, never
 * from typing: a problem means doing that again. */
static char *
check_pem (ProvField   field,
           const char *value)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  if (*value == '\0')
    return g_strdup (_("Generate or import a client certificate"));

  if (strlen (value) > PROV_PEM_MAX_LENGTH || !g_utf8_validate (value, -1, NULL))
    return g_strdup (_("Not a certificate in PEM format; generate or import it again"));

  if (field == PROV_FIELD_CLIENT_CERTIFICATE)
    {
      certificate = g_tls_certificate_new_from_pem (value, -1, NULL);
      if (certificate == NULL)
        return g_strdup (_("Not a certificate in PEM format; generate or import it again"));
    }
  else if (strstr (value, "PRIVATE KEY-----") == NULL)
    {
      return g_strdup (_("The private key is missing; generate or import the certificate again"));
    }

  return NULL;
}

char *
prov_check_file_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_path_is_absolute (path))
    return g_strdup (_("Enter the full path of the file, starting with /"));
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_strdup (_("That is a folder; choose a file in it"));
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_strdup (_("That is not a regular file"));
  return g_strdup (_("There is no such file"));
}

static char *
check_ca_file (const char *value)
{
  g_autolist(GTlsCertificate) certificates = NULL;
  g_autoptr(GError) error = NULL;
  char *reason;

  if ((reason = prov_check_file_path (value)) != NULL)
    return reason;

  certificates = g_tls_certificate_list_new_from_file (value, &error);
  if (certificates == NULL)
    return g_strdup (_("The file holds no certificate in PEM format"));

  return NULL;
}

char *
prov_target_system_check_field (ProvTargetSystem *self,
                                ProvField         field,
                                GListModel       *others)
{
  const char *value;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  g_return_val_if_fail (field < PROV_N_FIELDS, NULL);

  /* Choices from a drop-down cannot be wrong. */
  if (!prov_field_is_text (field))
    return NULL;

  value = prov_target_system_get_text (self, field);

  if (prov_field_is_optional (field) && *value == '\0')
    return NULL;

  if (field_is_pem (field))
    return check_pem (field, value);

  if (!prov_field_is_secret (field))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));
      if (*stripped == '\0')
        return g_strdup (_("Required"));
    }
  else if (*value == '\0')
    return g_strdup (_("Required"));

  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup (_("Contains characters that are not valid text"));

  /* The reason says characters, so count characters, not bytes. */
  if (g_utf8_strlen (value, -1) > PROV_FIELD_MAX_LENGTH)
    return g_strdup_printf (_("Too long: at most %d characters"), PROV_FIELD_MAX_LENGTH);

  if (has_control_characters (value))
    return g_strdup (_("Contains a line break, tab or other control character"));

  switch (field)
    {
    case PROV_FIELD_DISPLAY_NAME:
      if (prov_target_system_name_is_taken (self, value, others))
        return g_strdup (_("Another target system already has this name"));
      return NULL;

    case PROV_FIELD_URL:
      if (prov_target_system_get_kind (self) == PROV_TARGET_KIND_SAP_JAM)
        return check_jam_url (value);
      return check_scim_url (value);

    case PROV_FIELD_TOKEN_URL:
      {
        g_autoptr(GUri) uri = NULL;
        char *reason = NULL;

        uri = check_url (value, &reason);
        return reason;
      }

    case PROV_FIELD_COMMON_NAME:
      if (g_utf8_strlen (value, -1) > PROV_COMMON_NAME_MAX_LENGTH)
        return g_strdup_printf (_("Too long: at most %d characters"), PROV_COMMON_NAME_MAX_LENGTH);
      if (has_surrounding_space (value))
        return g_strdup (_("Remove the spaces at the start or end"));
      return NULL;

    case PROV_FIELD_USERNAME:
    case PROV_FIELD_CLIENT_ID:
      if (has_surrounding_space (value))
        return g_strdup (_("Remove the spaces at the start or end"));
      return NULL;

    case PROV_FIELD_CA_FILE:
      return check_ca_file (value);

    case PROV_FIELD_PASSWORD:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
      return NULL;

    case PROV_FIELD_KIND:
    case PROV_FIELD_VERSION:
    case PROV_FIELD_AUTH_MECHANISM:
    case PROV_N_FIELDS:
    default:
      return NULL;
    }
}

gboolean
prov_target_system_validate (ProvTargetSystem   *self,
                             GListModel         *others,
                             char             ***reasons)
{
  g_auto(GStrv) result = NULL;
  gboolean valid = TRUE;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), FALSE);

  result = g_new0 (char *, PROV_N_FIELDS + 1);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (!prov_target_system_field_is_visible (self, i))
        continue;
      result[i] = prov_target_system_check_field (self, i, others);
      if (result[i] != NULL)
        valid = FALSE;
    }

  prov_field_reasons_return (g_steal_pointer (&result), reasons);
  return valid;
}

ProvField
prov_target_system_find_missing_secret (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), PROV_N_FIELDS);

  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    if (prov_field_is_secret (field) && prov_target_system_field_is_visible (self, field) &&
        *prov_target_system_get_text (self, field) == '\0')
      return field;
  return PROV_N_FIELDS;
}

gboolean
prov_target_system_check_secrets (ProvTargetSystem  *self,
                                  GError           **error)
{
  ProvField missing = prov_target_system_find_missing_secret (self);

  if (missing == PROV_N_FIELDS)
    return TRUE;
  /* A key is generated or imported with its certificate, never typed. */
  if (missing == PROV_FIELD_CERTIFICATE_KEY)
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                 /* Translators: a target system's name */
                 _("“%s” has no private key for its client certificate in the keyring: generate or import the certificate again, then save the target system."),
                 prov_target_system_get_display_name (self));
  else
    g_set_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD,
                 /* Translators: a target system's name, then a field such as Client Secret */
                 _("“%s” has no %s saved: enter it and save the target system."),
                 prov_target_system_get_display_name (self),
                 prov_field_get_title (missing, prov_target_system_get_kind (self)));
  return FALSE;
}

void
prov_field_reasons_return (char   **result,
                           char  ***reasons)
{
  /* A GStrv stops at its first NULL, so hand out a plain array. */
  if (reasons != NULL)
    *reasons = result;
  else
    prov_field_reasons_free (result);
}

void
prov_field_reasons_free (char **reasons)
{
  if (reasons == NULL)
    return;
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    g_free (reasons[i]);
  g_free (reasons);
}
