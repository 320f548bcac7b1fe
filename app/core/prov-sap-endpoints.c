/* prov-sap-endpoints.c — where SAP's services answer, per target type
 *
 * The facts are in docs/sap-domain.md: SAP Jam under “SAP Jam”, Identity
 * Provisioning under “Identity Provisioning (real-time API)”, Identity
 * Authentication tenants under “The source of users”.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "prov-sap-endpoints.h"

#define JAM_TOKEN_PATH "/api/v1/auth/token"
#define IPS_SYSTEMS_PATH "/ipsproxy/service/api/v1/systems/"
#define IPS_USERS_ENTITY "/entities/user"
#define IAS_V2_USERS_PATH "/scim/Users"
#define IAS_V1_USERS_PATH "/service/scim/Users"

/* @url without its trailing slashes, so paths can be appended. */
static char *
dup_without_trailing_slashes (const char *url)
{
  gsize len = url != NULL ? strlen (url) : 0;

  while (len > 0 && url[len - 1] == '/')
    len--;
  return g_strndup (url != NULL ? url : "", len);
}

char *
prov_sap_jam_scim_url (const char *jam_url,
                       const char *resource)
{
  g_autofree char *base = dup_without_trailing_slashes (jam_url);

  return g_strconcat (base, PROV_SAP_JAM_SCIM_PATH,
                      resource ? "/" : "", resource ? resource : "", NULL);
}

char *
prov_sap_jam_token_url (const char *jam_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) token_uri = NULL;

  if (jam_url == NULL || *jam_url == '\0')
    return NULL;

  uri = g_uri_parse (jam_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  token_uri = g_uri_build (G_URI_FLAGS_NONE,
                           g_uri_get_scheme (uri), NULL,
                           g_uri_get_host (uri),
                           g_uri_get_port (uri),
                           JAM_TOKEN_PATH, NULL, NULL);
  return g_uri_to_string (token_uri);
}

gboolean
prov_sap_ips_scim_path_is_valid (const char *path)
{
  const char *system_id;
  const char *end;

  if (path == NULL || !g_str_has_prefix (path, IPS_SYSTEMS_PATH))
    return FALSE;

  system_id = path + strlen (IPS_SYSTEMS_PATH);
  end = strchr (system_id, '/');
  if (end == NULL || end == system_id)
    return FALSE;

  return g_strcmp0 (end, IPS_USERS_ENTITY) == 0 ||
         g_strcmp0 (end, IPS_USERS_ENTITY "/") == 0;
}

char *
prov_sap_users_url (ProvTargetSystem *target)
{
  const char *url;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  url = prov_target_system_get_url (target);
  if (prov_target_system_get_kind (target) == PROV_TARGET_KIND_SAP_JAM)
    return prov_sap_jam_scim_url (url, "Users");
  return dup_without_trailing_slashes (url);
}

char *
prov_sap_test_connection_url (ProvTargetSystem *target)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (target), NULL);

  if (prov_target_system_get_kind (target) == PROV_TARGET_KIND_SAP_JAM)
    {
      /* Reading one user proves the client may read Users. */
      g_autofree char *users = prov_sap_users_url (target);
      return g_strconcat (users, "?startIndex=1&count=1", NULL);
    }
  return g_strdup (prov_target_system_get_url (target));
}

char *
prov_sap_ias_v2_users_url (const char *tenant_url,
                           guint       start_index,
                           guint       count)
{
  g_autofree char *base = dup_without_trailing_slashes (tenant_url);

  return g_strdup_printf ("%s" IAS_V2_USERS_PATH "?startIndex=%u&count=%u",
                          base, start_index, count);
}

char *
prov_sap_ias_v1_users_url (const char *tenant_url,
                           guint       count,
                           const char *next_id)
{
  g_autofree char *base = dup_without_trailing_slashes (tenant_url);
  g_autofree char *escaped = NULL;

  if (next_id == NULL)
    return g_strdup_printf ("%s" IAS_V1_USERS_PATH "?count=%u&startId=initial", base, count);

  escaped = g_uri_escape_string (next_id, NULL, FALSE);
  return g_strdup_printf ("%s" IAS_V1_USERS_PATH "?count=%u&startId=%s", base, count, escaped);
}
