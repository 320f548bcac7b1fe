/* test-target-system.c — ProvTargetSystem: validation, visibility, the Jam
 * token URL default, copy/assign/equal and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "prov-client-certificate.h"
#include "prov-error.h"
#include "prov-target-store.h"
#include "prov-target-system.h"

#define JAM_URL "https://jam4.sapjam.com"
#define SCIM_URL "https://tenant.accounts.ondemand.com/ipsproxy/service/api/v1/systems/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/entities/user"
#define SCIM_PREFIX "https://tenant.accounts.ondemand.com/ipsproxy/service/api/v1/systems/"

/* The reasons this test checks word for word; the rest only need to exist. */
#define R_REQUIRED "Required"
#define R_CONTROL "Contains a line break, tab or other control character"
#define R_TOO_LONG "Too long: at most 2048 characters"
#define R_CN_TOO_LONG "Too long: at most 64 characters"
#define R_HTTP "Use https://; plain http:// is allowed only for this computer"
#define R_NOT_ABSOLUTE "Enter a complete address that starts with https://"
#define R_JAM_PATH "Enter the SAP Jam address without a path, such as https://jam4.sapjam.com"
#define R_SCIM_SHAPE "Enter the SCIM URL of the system: https://<host>/ipsproxy/service/api/v1/systems/<system ID>/entities/user"
#define R_USERINFO "Remove the user name and password from the address; they belong in their own fields"
#define R_QUERY "Remove the part after “?” or “#” from the address"
#define R_SPACES "Remove the spaces at the start or end"
#define R_URL_SPACES "Remove the spaces from the address"
#define R_DUPLICATE "Another target system already has this name"

/* A real certificate and key (made once by the core's generator), and CA
 * files, for the Certificate fields. Set up in main(). */
static char *test_certificate_pem;
static char *test_key_pem;
static char *scratch_dir;
static char *ca_file_path;          /* holds test_certificate_pem */
static char *not_a_certificate_path;

/* Helpers */

static ProvTargetSystem *
new_valid_target (ProvTargetKind    kind,
                  ProvAuthMechanism mechanism)
{
  ProvTargetSystem *target = prov_target_system_new (kind);

  if (kind == PROV_TARGET_KIND_SAP_JAM)
    {
      prov_target_system_set_display_name (target, "Jam Europe");
      prov_target_system_set_url (target, JAM_URL);
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "jam-scim-client");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "jam-client-secret");
      return target;
    }

  prov_target_system_set_display_name (target, "Identity Provisioning Prod");
  prov_target_system_set_url (target, SCIM_URL);
  prov_target_system_set_version (target, PROV_SCIM_VERSION_2);
  prov_target_system_set_auth_mechanism (target, mechanism);

  switch (mechanism)
    {
    case PROV_AUTH_MECHANISM_BASIC:
      prov_target_system_set_text (target, PROV_FIELD_USERNAME, "T000123");
      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "basic-password");
      break;
    case PROV_AUTH_MECHANISM_CERTIFICATE:
      prov_target_system_set_text (target, PROV_FIELD_COMMON_NAME, "provisioner");
      prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_PASSWORD, "certificate-password");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_CERTIFICATE, test_certificate_pem);
      prov_target_system_set_text (target, PROV_FIELD_CERTIFICATE_KEY, test_key_pem);
      break;
    case PROV_AUTH_MECHANISM_OAUTH:
      prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, "https://tenant.accounts.ondemand.com/oauth2/token");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_ID, "ips-client-id");
      prov_target_system_set_text (target, PROV_FIELD_CLIENT_SECRET, "ips-client-secret");
      break;
    default:
      g_assert_not_reached ();
    }

  return target;
}

static void
free_reasons (char **reasons)
{
  /* Not a GStrv: it may have NULL holes. */
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    g_free (reasons[i]);
  g_free (reasons);
}

static void
assert_valid (ProvTargetSystem *target,
              GListModel       *others)
{
  char **reasons = NULL;
  gboolean valid = prov_target_system_validate (target, others, &reasons);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (reasons[i] != NULL)
      g_test_message ("field %s: %s", prov_field_get_key (i), reasons[i]);
  g_assert_true (valid);
  free_reasons (reasons);
}

static char *
json_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, TRUE);
}

static JsonObject *
json_object_from_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* Validation, table-driven */

typedef struct
{
  ProvTargetKind     kind;
  ProvAuthMechanism  mechanism;
  ProvField          field;
  const char        *value;   /* "@FILL@" becomes `fill` times 'x'; see expand_value() */
  guint              fill;
  gboolean           valid;
  const char        *reason;  /* the exact reason, or NULL to only require one */
} ValidationCase;

#define JAM        PROV_TARGET_KIND_SAP_JAM, PROV_AUTH_MECHANISM_OAUTH
#define IPS_BASIC  PROV_TARGET_KIND_IDENTITY_PROVISIONING, PROV_AUTH_MECHANISM_BASIC
#define IPS_CERT   PROV_TARGET_KIND_IDENTITY_PROVISIONING, PROV_AUTH_MECHANISM_CERTIFICATE
#define IPS_OAUTH  PROV_TARGET_KIND_IDENTITY_PROVISIONING, PROV_AUTH_MECHANISM_OAUTH

#define GOOD(type, field, value)               { type, field, value, 0, TRUE, NULL }
#define BAD(type, field, value, reason)        { type, field, value, 0, FALSE, reason }
#define GOOD_FILL(type, field, value, n)       { type, field, value, n, TRUE, NULL }
#define BAD_FILL(type, field, value, n, reason) { type, field, value, n, FALSE, reason }

#define F_NAME     PROV_FIELD_DISPLAY_NAME
#define F_URL      PROV_FIELD_URL
#define F_TOKEN    PROV_FIELD_TOKEN_URL
#define F_USER     PROV_FIELD_USERNAME
#define F_PASS     PROV_FIELD_PASSWORD
#define F_CN       PROV_FIELD_COMMON_NAME
#define F_CERTPW   PROV_FIELD_CERTIFICATE_PASSWORD
#define F_ID       PROV_FIELD_CLIENT_ID
#define F_SECRET   PROV_FIELD_CLIENT_SECRET
#define F_CERT     PROV_FIELD_CLIENT_CERTIFICATE
#define F_KEY      PROV_FIELD_CERTIFICATE_KEY
#define F_CA       PROV_FIELD_CA_FILE

static const ValidationCase validation_cases[] = {
  /* Display Name, both types */
  GOOD (JAM, F_NAME, "Jam Europe"),
  GOOD (IPS_BASIC, F_NAME, "IPS — Produktion (EU10) 名前"),
  GOOD (JAM, F_NAME, "x"),
  GOOD_FILL (JAM, F_NAME, "@FILL@", PROV_FIELD_MAX_LENGTH),
  BAD (JAM, F_NAME, "", R_REQUIRED),
  BAD (IPS_CERT, F_NAME, "", R_REQUIRED),
  BAD (JAM, F_NAME, "   ", R_REQUIRED),
  BAD (JAM, F_NAME, "Jam\tEurope", R_CONTROL),
  BAD (IPS_OAUTH, F_NAME, "Jam\nEurope", R_CONTROL),
  BAD (JAM, F_NAME, "Jam\rEurope", NULL),
  BAD (JAM, F_NAME, "Jam\xe2\x80\xa8" "Europe", R_CONTROL),     /* U+2028 LINE SEPARATOR */
  BAD (JAM, F_NAME, "Jam\xe2\x80\xa9" "Europe", NULL),          /* U+2029 PARAGRAPH SEPARATOR */
  BAD (JAM, F_NAME, "Jam\x7f", NULL),                           /* DEL */
  BAD (JAM, F_NAME, "Jam\xc2\x85", NULL),                       /* U+0085, a C1 control */
  BAD (JAM, F_NAME, "Jam\xff", NULL),                           /* not UTF-8 */
  BAD_FILL (JAM, F_NAME, "@FILL@", PROV_FIELD_MAX_LENGTH + 1, R_TOO_LONG),
  BAD_FILL (IPS_BASIC, F_NAME, "@FILL@", 100000, R_TOO_LONG),

  /* SAP Jam URL: a bare origin */
  GOOD (JAM, F_URL, "https://jam4.sapjam.com"),
  GOOD (JAM, F_URL, "https://jam4.sapjam.com/"),
  GOOD (JAM, F_URL, "https://jam8.sapjam.com:443"),
  GOOD (JAM, F_URL, "HTTPS://JAM4.SAPJAM.COM"),
  GOOD (JAM, F_URL, "http://127.0.0.1:8080"),
  GOOD (JAM, F_URL, "http://127.0.0.1:8080/"),
  GOOD (JAM, F_URL, "http://[::1]:8080"),
  GOOD (JAM, F_URL, "http://localhost:8080/"),
  GOOD (JAM, F_URL, "http://LocalHost"),
  BAD (JAM, F_URL, "", R_REQUIRED),
  BAD (JAM, F_URL, " ", R_REQUIRED),
  BAD (JAM, F_URL, "http://jam4.sapjam.com", R_HTTP),
  BAD (JAM, F_URL, "http://127.0.0.1.example.com", R_HTTP),
  BAD (JAM, F_URL, "http://localhost.example.com", R_HTTP),
  BAD (JAM, F_URL, "http://[::2]:8080", R_HTTP),
  BAD (JAM, F_URL, "http://10.0.0.1", R_HTTP),
  BAD (JAM, F_URL, "jam4.sapjam.com", R_NOT_ABSOLUTE),
  BAD (JAM, F_URL, "//jam4.sapjam.com", NULL),
  BAD (JAM, F_URL, "/api/v1/scim", NULL),
  BAD (JAM, F_URL, "https://", NULL),
  BAD (JAM, F_URL, "https:///api", NULL),
  BAD (JAM, F_URL, "https://jam4.sapjam.com:99999", NULL),
  BAD (JAM, F_URL, "ftp://jam4.sapjam.com", R_NOT_ABSOLUTE),
  BAD (JAM, F_URL, "mailto:admin@jam4.sapjam.com", NULL),
  BAD (JAM, F_URL, " https://jam4.sapjam.com", R_URL_SPACES),
  BAD (JAM, F_URL, "https://jam4.sapjam.com\xc2\xa0", R_URL_SPACES),  /* a pasted no-break space */
  BAD (JAM, F_URL, "https://jam4.sapjam.com ", R_URL_SPACES),
  BAD (JAM, F_URL, "https://jam4 .sapjam.com", NULL),
  BAD (JAM, F_URL, "https://jam4.sapjam.com/api/v1/scim", R_JAM_PATH),
  BAD (JAM, F_URL, "https://jam4.sapjam.com/api/v1/auth/token", R_JAM_PATH),
  BAD (JAM, F_URL, "https://jam4.sapjam.com//", R_JAM_PATH),
  BAD (JAM, F_URL, "https://jam4.sapjam.com/x", R_JAM_PATH),
  BAD (JAM, F_URL, "https://admin:secret@jam4.sapjam.com", R_USERINFO),
  BAD (JAM, F_URL, "https://admin@jam4.sapjam.com", R_USERINFO),
  BAD (JAM, F_URL, "https://jam4.sapjam.com/?company=acme", R_QUERY),
  BAD (JAM, F_URL, "https://jam4.sapjam.com?", NULL),
  BAD (JAM, F_URL, "https://jam4.sapjam.com#top", R_QUERY),
  BAD (JAM, F_URL, "https://jam4.sapjam.com/\t", R_CONTROL),
  BAD (JAM, F_URL, "https://jam4.sapjam.com\n", R_CONTROL),
  BAD_FILL (JAM, F_URL, "https://jam4.sapjam.com/@FILL@", PROV_FIELD_MAX_LENGTH, R_TOO_LONG),

  /* Identity Provisioning SCIM URL, every mechanism */
  GOOD (IPS_BASIC, F_URL, SCIM_URL),
  GOOD (IPS_CERT, F_URL, SCIM_URL),
  GOOD (IPS_OAUTH, F_URL, SCIM_URL),
  GOOD (IPS_BASIC, F_URL, SCIM_URL "/"),
  GOOD (IPS_BASIC, F_URL, SCIM_PREFIX "x/entities/user"),
  GOOD (IPS_BASIC, F_URL, "https://ips.example.com:8443/ipsproxy/service/api/v1/systems/abc/entities/user"),
  GOOD (IPS_BASIC, F_URL, "http://127.0.0.1:8443/ipsproxy/service/api/v1/systems/abc/entities/user"),
  GOOD (IPS_BASIC, F_URL, "http://[::1]/ipsproxy/service/api/v1/systems/abc/entities/user"),
  GOOD (IPS_BASIC, F_URL, "http://localhost/ipsproxy/service/api/v1/systems/abc/entities/user"),
  BAD (IPS_BASIC, F_URL, "", R_REQUIRED),
  BAD (IPS_OAUTH, F_URL, "", R_REQUIRED),
  BAD (IPS_BASIC, F_URL, "http://ips.example.com/ipsproxy/service/api/v1/systems/abc/entities/user", R_HTTP),
  BAD (IPS_BASIC, F_URL, "ips.example.com/ipsproxy/service/api/v1/systems/abc/entities/user", R_NOT_ABSOLUTE),
  BAD (IPS_BASIC, F_URL, "https://tenant.accounts.ondemand.com", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, "https://tenant.accounts.ondemand.com/", R_SCIM_SHAPE),
  BAD (IPS_CERT, F_URL, SCIM_PREFIX "/entities/user", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, SCIM_PREFIX "abc", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, SCIM_PREFIX "abc/", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, SCIM_PREFIX "abc/entities/group", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, SCIM_PREFIX "abc/entities/user/extra", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, SCIM_PREFIX "abc/def/entities/user", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, "https://tenant.accounts.ondemand.com/IPSPROXY/service/api/v1/systems/abc/entities/user", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, "https://tenant.accounts.ondemand.com/service/scim/Users", R_SCIM_SHAPE),
  BAD (IPS_BASIC, F_URL, "https://u:p@ips.example.com/ipsproxy/service/api/v1/systems/abc/entities/user", R_USERINFO),
  BAD (IPS_BASIC, F_URL, SCIM_URL "?filter=x", R_QUERY),
  BAD (IPS_BASIC, F_URL, SCIM_URL "#x", R_QUERY),
  BAD (IPS_BASIC, F_URL, SCIM_PREFIX "a b/entities/user", NULL),
  BAD (IPS_BASIC, F_URL, SCIM_URL "\xe2\x80\xa8", R_CONTROL),
  BAD_FILL (IPS_BASIC, F_URL, SCIM_PREFIX "@FILL@/entities/user", PROV_FIELD_MAX_LENGTH, R_TOO_LONG),

  /* Token URL: SAP Jam, and Identity Provisioning with OAuth */
  GOOD (JAM, F_TOKEN, "https://jam4.sapjam.com/api/v1/auth/token"),
  GOOD (JAM, F_TOKEN, "https://auth.example.com/oauth/token"),
  GOOD (IPS_OAUTH, F_TOKEN, "https://tenant.accounts.ondemand.com/oauth2/token"),
  GOOD (IPS_OAUTH, F_TOKEN, "http://127.0.0.1:9000/oauth2/token"),
  GOOD (IPS_OAUTH, F_TOKEN, "http://localhost/oauth2/token"),
  BAD (JAM, F_TOKEN, "", R_REQUIRED),
  BAD (IPS_OAUTH, F_TOKEN, "", R_REQUIRED),
  BAD (JAM, F_TOKEN, "http://jam4.sapjam.com/api/v1/auth/token", R_HTTP),
  BAD (IPS_OAUTH, F_TOKEN, "http://tenant.accounts.ondemand.com/oauth2/token", R_HTTP),
  BAD (IPS_OAUTH, F_TOKEN, "oauth2/token", R_NOT_ABSOLUTE),
  BAD (IPS_OAUTH, F_TOKEN, "https://id:secret@tenant.accounts.ondemand.com/oauth2/token", R_USERINFO),
  BAD (IPS_OAUTH, F_TOKEN, "https://tenant.accounts.ondemand.com/oauth2/token?grant_type=client_credentials", R_QUERY),
  BAD (JAM, F_TOKEN, "https://jam4.sapjam.com/api/v1/auth/token#x", R_QUERY),
  BAD (JAM, F_TOKEN, "https://jam4.sapjam.com/api/v1/auth/token\t", R_CONTROL),
  BAD_FILL (IPS_OAUTH, F_TOKEN, "https://tenant.accounts.ondemand.com/@FILL@", PROV_FIELD_MAX_LENGTH, R_TOO_LONG),

  /* Username and Password (Identity Provisioning, Basic) */
  GOOD (IPS_BASIC, F_USER, "T000123"),
  GOOD (IPS_BASIC, F_USER, "3f1a2b4c-client@example.com"),
  BAD (IPS_BASIC, F_USER, "", R_REQUIRED),
  BAD (IPS_BASIC, F_USER, "  ", R_REQUIRED),
  BAD (IPS_BASIC, F_USER, " T000123", R_SPACES),
  BAD (IPS_BASIC, F_USER, "T000123 ", R_SPACES),
  BAD (IPS_BASIC, F_USER, "T000\n123", R_CONTROL),
  BAD_FILL (IPS_BASIC, F_USER, "@FILL@", PROV_FIELD_MAX_LENGTH + 1, R_TOO_LONG),
  GOOD (IPS_BASIC, F_PASS, "p"),
  GOOD (IPS_BASIC, F_PASS, " pass phrase with spaces "),  /* secrets are taken as typed */
  GOOD (IPS_BASIC, F_PASS, "Pässwört!§$%&/()=?`´"),
  GOOD_FILL (IPS_BASIC, F_PASS, "@FILL@", PROV_FIELD_MAX_LENGTH),
  BAD (IPS_BASIC, F_PASS, "", R_REQUIRED),
  BAD (IPS_BASIC, F_PASS, "pass\tword", R_CONTROL),
  BAD (IPS_BASIC, F_PASS, "password\n", R_CONTROL),
  BAD_FILL (IPS_BASIC, F_PASS, "@FILL@", PROV_FIELD_MAX_LENGTH + 1, R_TOO_LONG),

  /* Common Name and Certificate Password (Identity Provisioning, Certificate) */
  GOOD (IPS_CERT, F_CN, "provisioner"),
  GOOD (IPS_CERT, F_CN, "my cert"),
  GOOD_FILL (IPS_CERT, F_CN, "@FILL@", PROV_COMMON_NAME_MAX_LENGTH),
  /* 64 characters of two bytes each: characters count, not bytes */
  GOOD (IPS_CERT, F_CN, "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"),
  BAD_FILL (IPS_CERT, F_CN, "@FILL@", PROV_COMMON_NAME_MAX_LENGTH + 1, R_CN_TOO_LONG),
  BAD (IPS_CERT, F_CN, "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé", R_CN_TOO_LONG),
  BAD (IPS_CERT, F_CN, "", R_REQUIRED),
  BAD (IPS_CERT, F_CN, " provisioner", R_SPACES),
  BAD (IPS_CERT, F_CN, "provisioner ", R_SPACES),
  BAD (IPS_CERT, F_CN, "pro\tvisioner", R_CONTROL),
  GOOD (IPS_CERT, F_CERTPW, "certificate-password"),
  BAD (IPS_CERT, F_CERTPW, "", R_REQUIRED),
  BAD (IPS_CERT, F_CERTPW, "a\xe2\x80\xa8" "b", R_CONTROL),
  BAD_FILL (IPS_CERT, F_CERTPW, "@FILL@", PROV_FIELD_MAX_LENGTH + 1, R_TOO_LONG),

  /* Client Key / Client ID and Client Secret */
  GOOD (JAM, F_ID, "jam-scim-client"),
  GOOD (IPS_OAUTH, F_ID, "9b2c1d3e-client"),
  BAD (JAM, F_ID, "", R_REQUIRED),
  BAD (IPS_OAUTH, F_ID, "", R_REQUIRED),
  BAD (JAM, F_ID, " jam-scim-client", R_SPACES),
  BAD (IPS_OAUTH, F_ID, "client\n", R_CONTROL),
  BAD_FILL (JAM, F_ID, "@FILL@", PROV_FIELD_MAX_LENGTH + 1, R_TOO_LONG),
  GOOD (JAM, F_SECRET, "jam-client-secret"),
  GOOD (IPS_OAUTH, F_SECRET, "s3cr3t/+=="),
  BAD (JAM, F_SECRET, "", R_REQUIRED),
  BAD (IPS_OAUTH, F_SECRET, "", R_REQUIRED),
  BAD (JAM, F_SECRET, "sec\tret", R_CONTROL),
  BAD (IPS_OAUTH, F_SECRET, "secret\xe2\x80\xa8", R_CONTROL),
  BAD_FILL (JAM, F_SECRET, "@FILL@", PROV_FIELD_MAX_LENGTH + 1, R_TOO_LONG),

  /* Client certificate and its key (Certificate): generated or imported */
  GOOD (IPS_CERT, F_CERT, "@CERT@"),
  BAD (IPS_CERT, F_CERT, "", NULL),
  BAD (IPS_CERT, F_CERT, "provisioner(P000123)", NULL),
  BAD (IPS_CERT, F_CERT, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", NULL),
  BAD (IPS_CERT, F_CERT, "@KEY@", NULL),
  BAD_FILL (IPS_CERT, F_CERT, "@CERT@@FILL@", PROV_PEM_MAX_LENGTH, NULL),
  GOOD (IPS_CERT, F_KEY, "@KEY@"),
  BAD (IPS_CERT, F_KEY, "", NULL),
  BAD (IPS_CERT, F_KEY, "hunter2", NULL),
  BAD (IPS_CERT, F_KEY, "@CERT@", NULL),

  /* Trusted CA file: optional, every type */
  GOOD (JAM, F_CA, ""),
  GOOD (IPS_BASIC, F_CA, ""),
  GOOD (IPS_OAUTH, F_CA, "@CAFILE@"),
  GOOD (JAM, F_CA, "@CAFILE@"),
  BAD (JAM, F_CA, "ca.pem", NULL),
  BAD (IPS_CERT, F_CA, "/nonexistent/provisioner/ca.pem", NULL),
  BAD (IPS_BASIC, F_CA, "@SCRATCH@", NULL),            /* a folder */
  BAD (IPS_BASIC, F_CA, "@NOTCERT@", NULL),
};

/* Placeholders for what only exists at run time. */
static char *
expand_value (const ValidationCase *c)
{
  g_autoptr(GString) value = g_string_new (c->value);

  g_string_replace (value, "@CERT@", test_certificate_pem, 0);
  g_string_replace (value, "@KEY@", test_key_pem, 0);
  g_string_replace (value, "@CAFILE@", ca_file_path, 0);
  g_string_replace (value, "@NOTCERT@", not_a_certificate_path, 0);
  g_string_replace (value, "@SCRATCH@", scratch_dir, 0);

  if (c->fill > 0)
    {
      g_autofree char *fill = g_strnfill (c->fill, 'x');
      g_assert_cmpuint (g_string_replace (value, "@FILL@", fill, 1), ==, 1);
    }
  return g_string_free (g_steal_pointer (&value), FALSE);
}

static void
test_validation_case (gconstpointer data)
{
  const ValidationCase *c = data;
  g_autoptr(ProvTargetSystem) target = new_valid_target (c->kind, c->mechanism);
  g_autofree char *value = expand_value (c);
  g_autofree char *reason = NULL;
  char **reasons = NULL;
  gboolean valid;

  /* The starting point is valid, so whatever fails below is this value. */
  assert_valid (target, NULL);
  g_assert_true (prov_target_system_field_is_visible (target, c->field));

  prov_target_system_set_text (target, c->field, value);
  reason = prov_target_system_check_field (target, c->field, NULL);
  {
    /* One line, and no secret in the log, even a made-up one. */
    g_autofree char *head = g_strndup (value, 60);
    g_autofree char *shown = prov_field_is_secret (c->field) ? g_strdup ("…") : g_strescape (head, NULL);

    g_test_message ("%s = “%s%s” (%zu bytes): %s", prov_field_get_key (c->field),
                    shown, strlen (value) > 60 ? "…" : "", strlen (value),
                    reason ? reason : "(valid)");
  }

  if (c->valid)
    {
      g_assert_null (reason);
    }
  else
    {
      g_assert_nonnull (reason);
      g_assert_cmpstr (reason, !=, "");
      if (c->reason != NULL)
        g_assert_cmpstr (reason, ==, c->reason);
    }

  /* validate() reports the same reason for the field. */
  valid = prov_target_system_validate (target, NULL, &reasons);
  g_assert_cmpstr (reasons[c->field], ==, reason);
  if (c->valid)
    g_assert_true (valid);
  else
    g_assert_false (valid);
  free_reasons (reasons);
}

static void
test_validation_valid_targets (void)
{
  const struct { ProvTargetKind kind; ProvAuthMechanism mechanism; } types[] = {
    { JAM }, { IPS_BASIC }, { IPS_CERT }, { IPS_OAUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ProvTargetSystem) target = new_valid_target (types[i].kind, types[i].mechanism);
      char **reasons = NULL;

      g_assert_true (prov_target_system_validate (target, NULL, &reasons));
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        g_assert_null (reasons[f]);
      free_reasons (reasons);
      /* Without a place for the reasons. */
      g_assert_true (prov_target_system_validate (target, NULL, NULL));
    }
}

/* An empty target: every visible text field is Required, hidden ones are not
 * looked at, and the drop-downs have no reason. */
static void
test_validation_empty (void)
{
  const struct { ProvTargetKind kind; ProvAuthMechanism mechanism; } types[] = {
    { JAM }, { IPS_BASIC }, { IPS_CERT }, { IPS_OAUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ProvTargetSystem) target = prov_target_system_new (types[i].kind);
      char **reasons = NULL;

      prov_target_system_set_auth_mechanism (target, types[i].mechanism);
      g_assert_false (prov_target_system_validate (target, NULL, &reasons));

      for (guint f = 0; f < PROV_N_FIELDS; f++)
        {
          g_test_message ("%s: %s", prov_field_get_key (f), reasons[f] ? reasons[f] : "(valid)");
          if (!prov_field_is_text (f) || !prov_target_system_field_is_visible (target, f) ||
              prov_field_is_optional (f))
            g_assert_null (reasons[f]);
          else if (f == F_CERT || f == F_KEY)
            g_assert_nonnull (reasons[f]);  /* generated or imported, not typed */
          else
            g_assert_cmpstr (reasons[f], ==, R_REQUIRED);
        }
      free_reasons (reasons);

      g_assert_null (prov_target_system_check_field (target, PROV_FIELD_KIND, NULL));
      g_assert_null (prov_target_system_check_field (target, PROV_FIELD_VERSION, NULL));
      g_assert_null (prov_target_system_check_field (target, PROV_FIELD_AUTH_MECHANISM, NULL));
    }
}

/* Lengths are counted in characters, as the reason says. */
static void
test_validation_length_in_characters (void)
{
  g_autoptr(ProvTargetSystem) target = new_valid_target (JAM);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *reason = NULL;

  /* 2048 characters of two bytes each: 4096 bytes, still fine. */
  for (guint i = 0; i < PROV_FIELD_MAX_LENGTH; i++)
    g_string_append (value, "é");
  prov_target_system_set_display_name (target, value->str);
  reason = prov_target_system_check_field (target, F_NAME, NULL);
  g_assert_null (reason);

  g_string_append (value, "é");
  prov_target_system_set_display_name (target, value->str);
  reason = prov_target_system_check_field (target, F_NAME, NULL);
  g_assert_cmpstr (reason, ==, R_TOO_LONG);
}

/* Fields of another mechanism do not block saving. */
static void
test_validation_hidden_fields_ignored (void)
{
  g_autoptr(ProvTargetSystem) target = new_valid_target (IPS_BASIC);

  prov_target_system_set_text (target, PROV_FIELD_COMMON_NAME, " bad\tcommon name that is far too long for any certificate at all ");
  prov_target_system_set_text (target, PROV_FIELD_TOKEN_URL, "http://not-https.example.com");
  assert_valid (target, NULL);

  /* The same values count once their mechanism is chosen. */
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_CERTIFICATE);
  g_assert_false (prov_target_system_validate (target, NULL, NULL));
  prov_target_system_set_auth_mechanism (target, PROV_AUTH_MECHANISM_OAUTH);
  g_assert_false (prov_target_system_validate (target, NULL, NULL));
}

static void
test_validation_duplicate_name (void)
{
  g_autoptr(ProvTargetStore) store = prov_target_store_new ("/nonexistent/never-written.json");
  g_autoptr(ProvTargetSystem) jam = new_valid_target (JAM);
  g_autoptr(ProvTargetSystem) ips = new_valid_target (IPS_BASIC);
  g_autoptr(ProvTargetSystem) umlaut = new_valid_target (IPS_CERT);
  g_autoptr(ProvTargetSystem) candidate = new_valid_target (IPS_OAUTH);
  g_autoptr(ProvTargetSystem) jam_copy = NULL;
  const struct { const char *name; gboolean taken; } cases[] = {
    { "Jam Europe", TRUE },
    { "jam europe", TRUE },
    { "JAM EUROPE", TRUE },
    { "  Jam Europe  ", TRUE },
    { "jAM eUROPE ", TRUE },
    { "ips prod", TRUE },              /* stored with spaces around it */
    { "ÄRGER", TRUE },                 /* case folding beyond ASCII */
    { "Jam Europe 2", FALSE },
    { "Jam  Europe", FALSE },
    { "Jam-Europe", FALSE },
    { "Arger", FALSE },
  };

  prov_target_system_set_display_name (ips, "  IPS Prod ");
  prov_target_system_set_display_name (umlaut, "ärger");
  prov_target_store_append (store, jam);
  prov_target_store_append (store, ips);
  prov_target_store_append (store, umlaut);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reason = NULL;

      prov_target_system_set_display_name (candidate, cases[i].name);
      reason = prov_target_system_check_field (candidate, PROV_FIELD_DISPLAY_NAME, G_LIST_MODEL (store));
      g_test_message ("“%s”: %s", cases[i].name, reason ? reason : "(free)");
      if (cases[i].taken)
        {
          g_assert_cmpstr (reason, ==, R_DUPLICATE);
          g_assert_false (prov_target_system_validate (candidate, G_LIST_MODEL (store), NULL));
        }
      else
        {
          g_assert_null (reason);
          assert_valid (candidate, G_LIST_MODEL (store));
        }

      /* Without the others there is nothing to collide with. */
      g_clear_pointer (&reason, g_free);
      reason = prov_target_system_check_field (candidate, PROV_FIELD_DISPLAY_NAME, NULL);
      g_assert_null (reason);
    }

  /* A target in the store does not collide with itself, nor does the copy
   * an editor works on (same uuid). */
  assert_valid (jam, G_LIST_MODEL (store));
  jam_copy = prov_target_system_copy (jam);
  prov_target_system_set_display_name (jam_copy, "JAM EUROPE");
  assert_valid (jam_copy, G_LIST_MODEL (store));
  /* ...but renaming it to another target's name does. */
  prov_target_system_set_display_name (jam_copy, "ips PROD");
  {
    g_autofree char *reason = prov_target_system_check_field (jam_copy, PROV_FIELD_DISPLAY_NAME, G_LIST_MODEL (store));
    g_assert_cmpstr (reason, ==, R_DUPLICATE);
  }
}

/* Visibility per type and mechanism */

static void
test_visibility (void)
{
  const struct
  {
    ProvTargetKind    kind;
    ProvAuthMechanism mechanism;
    const ProvField   visible[PROV_N_FIELDS + 1];  /* ends with PROV_N_FIELDS */
  } cases[] = {
    { JAM, { F_NAME, PROV_FIELD_KIND, F_URL, F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
    /* A Jam target keeps a mechanism around, but it does not matter. */
    { PROV_TARGET_KIND_SAP_JAM, PROV_AUTH_MECHANISM_BASIC,
      { F_NAME, PROV_FIELD_KIND, F_URL, F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
    { PROV_TARGET_KIND_SAP_JAM, PROV_AUTH_MECHANISM_CERTIFICATE,
      { F_NAME, PROV_FIELD_KIND, F_URL, F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
    { IPS_BASIC, { F_NAME, PROV_FIELD_KIND, F_URL, PROV_FIELD_VERSION, PROV_FIELD_AUTH_MECHANISM,
                   F_USER, F_PASS, F_CA, PROV_N_FIELDS } },
    { IPS_CERT, { F_NAME, PROV_FIELD_KIND, F_URL, PROV_FIELD_VERSION, PROV_FIELD_AUTH_MECHANISM,
                  F_CN, F_CERTPW, F_CERT, F_KEY, F_CA, PROV_N_FIELDS } },
    { IPS_OAUTH, { F_NAME, PROV_FIELD_KIND, F_URL, PROV_FIELD_VERSION, PROV_FIELD_AUTH_MECHANISM,
                   F_TOKEN, F_ID, F_SECRET, F_CA, PROV_N_FIELDS } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ProvTargetSystem) target = prov_target_system_new (cases[i].kind);
      gboolean expected[PROV_N_FIELDS] = { FALSE, };

      prov_target_system_set_auth_mechanism (target, cases[i].mechanism);
      for (guint j = 0; cases[i].visible[j] != PROV_N_FIELDS; j++)
        expected[cases[i].visible[j]] = TRUE;

      for (guint f = 0; f < PROV_N_FIELDS; f++)
        {
          g_test_message ("case %u, %s: expected %s", i, prov_field_get_key (f),
                          expected[f] ? "visible" : "hidden");
          g_assert_cmpint (prov_target_system_field_is_visible (target, f), ==, expected[f]);
        }
      g_assert_false (prov_target_system_field_is_visible (target, PROV_N_FIELDS));
    }

  /* Switching the type on the same object switches the fields. */
  {
    g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);

    g_assert_false (prov_target_system_field_is_visible (target, PROV_FIELD_VERSION));
    g_assert_cmpint (prov_target_system_get_auth_mechanism (target), ==, PROV_AUTH_MECHANISM_OAUTH);
    prov_target_system_set_kind (target, PROV_TARGET_KIND_IDENTITY_PROVISIONING);
    g_assert_true (prov_target_system_field_is_visible (target, PROV_FIELD_VERSION));
    g_assert_true (prov_target_system_field_is_visible (target, F_USER));
    g_assert_false (prov_target_system_field_is_visible (target, F_SECRET));
    g_assert_cmpint (prov_target_system_get_auth_mechanism (target), ==, PROV_AUTH_MECHANISM_BASIC);
  }
}

/* The field titles of the issue, per type. */
static void
test_field_titles (void)
{
  const ProvTargetKind jam = PROV_TARGET_KIND_SAP_JAM;
  const ProvTargetKind ips = PROV_TARGET_KIND_IDENTITY_PROVISIONING;

  g_assert_cmpstr (prov_field_get_title (F_NAME, jam), ==, "Display Name");
  g_assert_cmpstr (prov_field_get_title (PROV_FIELD_KIND, ips), ==, "Type");
  g_assert_cmpstr (prov_field_get_title (F_URL, jam), ==, "URL");
  g_assert_cmpstr (prov_field_get_title (F_URL, ips), ==, "SCIM URL");
  g_assert_cmpstr (prov_field_get_title (F_TOKEN, jam), ==, "Token URL");
  g_assert_cmpstr (prov_field_get_title (F_TOKEN, ips), ==, "Token URL");
  g_assert_cmpstr (prov_field_get_title (F_ID, jam), ==, "Client Key");
  g_assert_cmpstr (prov_field_get_title (F_ID, ips), ==, "Client ID");
  g_assert_cmpstr (prov_field_get_title (F_SECRET, jam), ==, "Client Secret");
  g_assert_cmpstr (prov_field_get_title (PROV_FIELD_VERSION, ips), ==, "Version");
  g_assert_cmpstr (prov_field_get_title (PROV_FIELD_AUTH_MECHANISM, ips), ==, "Authentication Mechanism");
  g_assert_cmpstr (prov_field_get_title (F_USER, ips), ==, "Username");
  g_assert_cmpstr (prov_field_get_title (F_PASS, ips), ==, "Password");
  g_assert_cmpstr (prov_field_get_title (F_CN, ips), ==, "Common Name");
  g_assert_cmpstr (prov_field_get_title (F_CERTPW, ips), ==, "Certificate Password");

  g_assert_cmpstr (prov_target_kind_to_label (jam), ==, "SAP Jam");
  g_assert_cmpstr (prov_target_kind_to_label (ips), ==, "Identity Provisioning");
  g_assert_cmpstr (prov_auth_mechanism_to_label (PROV_AUTH_MECHANISM_BASIC), ==, "Basic");
  g_assert_cmpstr (prov_auth_mechanism_to_label (PROV_AUTH_MECHANISM_CERTIFICATE), ==, "Certificate");
  g_assert_cmpstr (prov_auth_mechanism_to_label (PROV_AUTH_MECHANISM_OAUTH), ==, "OAuth");

  /* Exactly the passwords, the client secret and the private key are
   * secret; the CA file is the only optional field. */
  for (guint f = 0; f < PROV_N_FIELDS; f++)
    {
      g_assert_cmpint (prov_field_is_secret (f), ==,
                       f == F_PASS || f == F_CERTPW || f == F_SECRET || f == F_KEY);
      g_assert_cmpint (prov_field_is_optional (f), ==, f == F_CA);
    }
}

static void
test_loopback_hosts (void)
{
  g_assert_true (prov_url_host_is_loopback ("127.0.0.1"));
  g_assert_true (prov_url_host_is_loopback ("127.1.2.3"));
  g_assert_true (prov_url_host_is_loopback ("::1"));
  g_assert_true (prov_url_host_is_loopback ("localhost"));
  g_assert_true (prov_url_host_is_loopback ("LOCALHOST"));
  g_assert_false (prov_url_host_is_loopback (NULL));
  g_assert_false (prov_url_host_is_loopback (""));
  g_assert_false (prov_url_host_is_loopback ("10.0.0.1"));
  g_assert_false (prov_url_host_is_loopback ("::2"));
  g_assert_false (prov_url_host_is_loopback ("localhost.example.com"));
  g_assert_false (prov_url_host_is_loopback ("127.0.0.1.example.com"));
  g_assert_false (prov_url_host_is_loopback ("jam4.sapjam.com"));
}

/* The Jam token URL default */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_token_url_default (void)
{
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  guint token_notifies = 0;

  g_signal_connect (target, "notify::token-url", G_CALLBACK (count_notify), &token_notifies);

  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "");
  g_assert_null (prov_target_system_dup_default_token_url (target));

  /* Follows the URL, with and without a trailing slash, with a port, IPv6. */
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");
  g_assert_cmpuint (token_notifies, ==, 1);
  prov_target_system_set_url (target, "https://jam8.sapjam.com/");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam8.sapjam.com/api/v1/auth/token");
  g_assert_cmpuint (token_notifies, ==, 2);
  prov_target_system_set_url (target, "https://jam.example.com:8443");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam.example.com:8443/api/v1/auth/token");
  prov_target_system_set_url (target, "http://[::1]:8080");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "http://[::1]:8080/api/v1/auth/token");
  {
    g_autofree char *token_url = prov_target_system_dup_default_token_url (target);
    g_assert_cmpstr (token_url, ==, "http://[::1]:8080/api/v1/auth/token");
  }

  /* Typing character by character passes through addresses that do not
   * parse; the default comes back when the URL does again. */
  prov_target_system_set_url (target, "https://");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "");
  prov_target_system_set_url (target, "https://j");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://j/api/v1/auth/token");
  prov_target_system_set_url (target, "https://jam4.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");

  /* Edited by hand: it stays, whatever the URL does. */
  prov_target_system_set_text (target, F_TOKEN, "https://auth.example.com/oauth/token");
  token_notifies = 0;
  prov_target_system_set_url (target, "https://jam10.sapjam.com");
  prov_target_system_set_url (target, "");
  prov_target_system_set_url (target, "https://jam12.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://auth.example.com/oauth/token");
  g_assert_cmpuint (token_notifies, ==, 0);

  /* Cleared by hand: it follows again. */
  prov_target_system_set_text (target, F_TOKEN, "");
  prov_target_system_set_url (target, "https://jam2.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (target, F_TOKEN), ==, "https://jam2.sapjam.com/api/v1/auth/token");

  /* Identity Provisioning has no default and does not follow. */
  {
    g_autoptr(ProvTargetSystem) ips = new_valid_target (IPS_OAUTH);

    g_assert_null (prov_target_system_dup_default_token_url (ips));
    prov_target_system_set_url (ips, "https://other.accounts.ondemand.com/ipsproxy/service/api/v1/systems/x/entities/user");
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "https://tenant.accounts.ondemand.com/oauth2/token");

    prov_target_system_set_text (ips, F_TOKEN, NULL);
    prov_target_system_set_url (ips, SCIM_URL);
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "");

    /* Switching to SAP Jam fills an empty token URL from the URL. */
    prov_target_system_set_url (ips, "https://jam4.sapjam.com");
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "");
    prov_target_system_set_kind (ips, PROV_TARGET_KIND_SAP_JAM);
    g_assert_cmpstr (prov_target_system_get_text (ips, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");
  }

  /* Through the property, as a bound entry would set it. */
  {
    g_autoptr(ProvTargetSystem) jam = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_autofree char *token_url = NULL;

    g_object_set (jam, "url", "https://jam3.sapjam.com", NULL);
    g_object_get (jam, "token-url", &token_url, NULL);
    g_assert_cmpstr (token_url, ==, "https://jam3.sapjam.com/api/v1/auth/token");
  }
}

/* Copy, assign, equal */

static void
test_copy_assign_equal (void)
{
  const struct { ProvTargetKind kind; ProvAuthMechanism mechanism; } types[] = {
    { JAM }, { IPS_BASIC }, { IPS_CERT }, { IPS_OAUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ProvTargetSystem) target = new_valid_target (types[i].kind, types[i].mechanism);
      g_autoptr(ProvTargetSystem) copy = NULL;
      g_autoptr(ProvTargetSystem) other = NULL;

      if (types[i].kind == PROV_TARGET_KIND_SAP_JAM)
        prov_target_system_set_text (target, F_TOKEN, "https://auth.example.com/token");
      else
        prov_target_system_set_version (target, PROV_SCIM_VERSION_1);

      copy = prov_target_system_copy (target);
      g_assert_true (copy != target);
      g_assert_cmpstr (prov_target_system_get_uuid (copy), ==, prov_target_system_get_uuid (target));
      g_assert_true (prov_target_system_equal (copy, target));
      g_assert_true (prov_target_system_equal (target, copy));
      g_assert_cmpint (prov_target_system_get_kind (copy), ==, types[i].kind);
      g_assert_cmpint (prov_target_system_get_version (copy), ==, prov_target_system_get_version (target));
      g_assert_cmpint (prov_target_system_get_auth_mechanism (copy), ==, prov_target_system_get_auth_mechanism (target));
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        if (prov_field_is_text (f))
          g_assert_cmpstr (prov_target_system_get_text (copy, f), ==, prov_target_system_get_text (target, f));

      /* The copy is independent. */
      prov_target_system_set_display_name (copy, "Renamed");
      g_assert_false (prov_target_system_equal (copy, target));
      g_assert_cmpstr (prov_target_system_get_display_name (target), !=, "Renamed");

      /* Assign takes the values and keeps the identity. */
      other = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
      g_assert_false (prov_target_system_equal (other, target));
      prov_target_system_assign (other, target);
      g_assert_true (prov_target_system_equal (other, target));
      g_assert_cmpstr (prov_target_system_get_uuid (other), !=, prov_target_system_get_uuid (target));
      g_assert_true (g_uuid_string_is_valid (prov_target_system_get_uuid (other)));

      /* Every visible field takes part in equality, secrets included. */
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        {
          if (!prov_field_is_text (f) || !prov_target_system_field_is_visible (target, f))
            continue;
          prov_target_system_assign (copy, target);
          g_assert_true (prov_target_system_equal (copy, target));
          prov_target_system_set_text (copy, f, "changed");
          g_test_message ("changed %s", prov_field_get_key (f));
          g_assert_false (prov_target_system_equal (copy, target));
        }

      /* Assigning itself changes nothing. */
      prov_target_system_assign (target, target);
      g_assert_true (prov_target_system_equal (target, target));
    }

  /* Hidden fields, the type, version and mechanism. */
  {
    g_autoptr(ProvTargetSystem) a = new_valid_target (IPS_BASIC);
    g_autoptr(ProvTargetSystem) b = prov_target_system_copy (a);

    prov_target_system_set_text (b, F_SECRET, "hidden-while-basic");
    prov_target_system_set_text (b, F_CN, "hidden too");
    g_assert_true (prov_target_system_equal (a, b));

    prov_target_system_set_version (b, PROV_SCIM_VERSION_1);
    g_assert_false (prov_target_system_equal (a, b));
    prov_target_system_set_version (b, PROV_SCIM_VERSION_2);
    g_assert_true (prov_target_system_equal (a, b));

    prov_target_system_set_auth_mechanism (b, PROV_AUTH_MECHANISM_OAUTH);
    g_assert_false (prov_target_system_equal (a, b));
    prov_target_system_set_auth_mechanism (b, PROV_AUTH_MECHANISM_BASIC);

    prov_target_system_set_kind (b, PROV_TARGET_KIND_SAP_JAM);
    g_assert_false (prov_target_system_equal (a, b));
  }

  /* A Jam target's version is hidden and does not count. */
  {
    g_autoptr(ProvTargetSystem) a = new_valid_target (JAM);
    g_autoptr(ProvTargetSystem) b = prov_target_system_copy (a);

    prov_target_system_set_version (b, PROV_SCIM_VERSION_1);
    g_assert_true (prov_target_system_equal (a, b));
  }

  /* Assigning into a Jam target whose token URL follows its URL takes the
   * source's hand-edited token URL, not a new default. */
  {
    g_autoptr(ProvTargetSystem) from = new_valid_target (JAM);
    g_autoptr(ProvTargetSystem) into = new_valid_target (JAM);

    prov_target_system_set_url (from, "https://jam9.sapjam.com");
    prov_target_system_set_text (from, F_TOKEN, "https://auth.example.com/token");
    prov_target_system_assign (into, from);
    g_assert_cmpstr (prov_target_system_get_text (into, F_TOKEN), ==, "https://auth.example.com/token");
    g_assert_cmpstr (prov_target_system_get_url (into), ==, "https://jam9.sapjam.com");
  }
}

/* JSON */

static const char * const secret_markers[] = {
  "MARKER-password-5d1e",
  "MARKER-certificate-password-77aa",
  "MARKER-client-secret-c0ffee",
  "MARKER-private-key-0b5e",
};

static void
set_secret_markers (ProvTargetSystem *target)
{
  /* Every secret field, visible or not. */
  prov_target_system_set_text (target, F_PASS, secret_markers[0]);
  prov_target_system_set_text (target, F_CERTPW, secret_markers[1]);
  prov_target_system_set_text (target, F_SECRET, secret_markers[2]);
  prov_target_system_set_text (target, F_KEY, secret_markers[3]);
}

static void
assert_no_secret_in (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_markers); i++)
    {
      if (strstr (text, secret_markers[i]) != NULL)
        g_error ("secret %s found in: %s", secret_markers[i], text);
    }
  g_assert_null (strstr (text, "\"password\""));
  g_assert_null (strstr (text, "\"certificate-password\""));
  g_assert_null (strstr (text, "\"client-secret\""));
  g_assert_null (strstr (text, "\"certificate-key\""));
  g_assert_null (strstr (text, "PRIVATE KEY"));
}

static void
test_json_round_trip (void)
{
  const struct { ProvTargetKind kind; ProvAuthMechanism mechanism; } types[] = {
    { JAM }, { IPS_BASIC }, { IPS_CERT }, { IPS_OAUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ProvTargetSystem) target = new_valid_target (types[i].kind, types[i].mechanism);
      g_autoptr(ProvTargetSystem) restored = NULL;
      g_autoptr(ProvTargetSystem) expected = NULL;
      g_autoptr(JsonObject) object = NULL;
      g_autoptr(JsonObject) reparsed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (types[i].kind == PROV_TARGET_KIND_IDENTITY_PROVISIONING)
        prov_target_system_set_version (target, PROV_SCIM_VERSION_1);
      set_secret_markers (target);
      if (types[i].mechanism == PROV_AUTH_MECHANISM_CERTIFICATE)
        prov_target_system_set_text (target, F_KEY, test_key_pem);

      object = prov_target_system_to_json (target);
      text = json_text (object);
      g_test_message ("%s", text);
      assert_no_secret_in (text);

      g_assert_cmpstr (json_object_get_string_member (object, "uuid"), ==, prov_target_system_get_uuid (target));
      g_assert_cmpstr (json_object_get_string_member (object, "type"), ==,
                       types[i].kind == PROV_TARGET_KIND_SAP_JAM ? "sap-jam" : "identity-provisioning");

      /* Through text, as it goes through the file. */
      reparsed = json_object_from_text (text);
      restored = prov_target_system_new_from_json (reparsed, &error);
      g_assert_no_error (error);
      g_assert_nonnull (restored);

      g_assert_cmpstr (prov_target_system_get_uuid (restored), ==, prov_target_system_get_uuid (target));
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        if (prov_field_is_secret (f))
          g_assert_cmpstr (prov_target_system_get_text (restored, f), ==, "");

      /* Everything else came back. */
      expected = prov_target_system_copy (target);
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        if (prov_field_is_secret (f))
          prov_target_system_set_text (expected, f, NULL);
      g_assert_true (prov_target_system_equal (restored, expected));
      g_assert_cmpint (prov_target_system_get_version (restored), ==, prov_target_system_get_version (target));
      g_assert_cmpint (prov_target_system_get_auth_mechanism (restored), ==, prov_target_system_get_auth_mechanism (target));

      /* And it serializes to the same document. */
      {
        g_autoptr(JsonObject) again = prov_target_system_to_json (restored);
        g_autofree char *again_text = json_text (again);
        g_assert_cmpstr (again_text, ==, text);
      }
    }
}

static void
test_json_hand_edited_token_url (void)
{
  g_autoptr(ProvTargetSystem) target = new_valid_target (JAM);
  g_autoptr(ProvTargetSystem) restored = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) without = NULL;
  g_autoptr(GError) error = NULL;

  prov_target_system_set_text (target, F_TOKEN, "https://auth.example.com/token");
  object = prov_target_system_to_json (target);
  restored = prov_target_system_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (restored, F_TOKEN), ==, "https://auth.example.com/token");

  /* The URL still does not move it after loading. */
  prov_target_system_set_url (restored, "https://jam5.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (restored, F_TOKEN), ==, "https://auth.example.com/token");

  /* A file without a token URL gets the default, which then follows. */
  without = json_object_from_text ("{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\","
                                   " \"type\": \"sap-jam\", \"display-name\": \"Jam\","
                                   " \"url\": \"https://jam4.sapjam.com\", \"client-id\": \"c\"}");
  g_clear_object (&restored);
  restored = prov_target_system_new_from_json (without, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (restored, F_TOKEN), ==, "https://jam4.sapjam.com/api/v1/auth/token");
  prov_target_system_set_url (restored, "https://jam6.sapjam.com");
  g_assert_cmpstr (prov_target_system_get_text (restored, F_TOKEN), ==, "https://jam6.sapjam.com/api/v1/auth/token");
}

static void
test_json_unknown_members (void)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) written = NULL;
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autoptr(ProvTargetSystem) copy = NULL;
  g_autoptr(ProvTargetSystem) assigned = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  object = json_object_from_text (
    "{"
    "  \"uuid\": \"0b6c7e3e-6f0b-4c1a-9d2e-8f7a6b5c4d3e\","
    "  \"type\": \"identity-provisioning\","
    "  \"display-name\": \"IPS\","
    "  \"url\": \"" SCIM_URL "\","
    "  \"version\": 1,"
    "  \"authentication\": \"basic\","
    "  \"username\": \"T000123\","
    "  \"x-deprovisioning\": \"delete\","
    "  \"x-retry\": { \"count\": 3, \"interval\": [30, 60] },"
    "  \"x-flag\": true,"
    "  \"x-nothing\": null,"
    /* Secrets found in a file are not taken, and not written back. */
    "  \"password\": \"MARKER-password-5d1e\","
    "  \"certificate-key\": \"MARKER-private-key-0b5e\","
    "  \"client-secret\": \"MARKER-client-secret-c0ffee\""
    "}");

  target = prov_target_system_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_target_system_get_text (target, F_PASS), ==, "");
  g_assert_cmpstr (prov_target_system_get_text (target, F_SECRET), ==, "");
  g_assert_cmpstr (prov_target_system_get_text (target, F_KEY), ==, "");
  g_assert_cmpint (prov_target_system_get_version (target), ==, PROV_SCIM_VERSION_1);

  /* They survive a copy and an assign (the editor works on those). */
  copy = prov_target_system_copy (target);
  assigned = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  prov_target_system_assign (assigned, copy);

  written = prov_target_system_to_json (assigned);
  text = json_text (written);
  g_test_message ("%s", text);
  assert_no_secret_in (text);

  g_assert_cmpstr (json_object_get_string_member (written, "x-deprovisioning"), ==, "delete");
  g_assert_true (json_node_equal (json_object_get_member (written, "x-retry"),
                                 json_object_get_member (object, "x-retry")));
  g_assert_true (json_object_get_boolean_member (written, "x-flag"));
  g_assert_true (json_object_has_member (written, "x-nothing"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (written, "x-nothing")));
  g_assert_cmpint (json_object_get_int_member (written, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (written, "authentication"), ==, "basic");
}

/* Objects a file may hold that are no target: each is refused as corrupt,
 * with a sentence saying why. */
static void
test_json_bad_objects (void)
{
  const struct { const char *json; } cases[] = {
    { "{\"type\": \"sap-jam\", \"display-name\": \"No uuid\"}" },
    { "{\"uuid\": \"not-a-uuid\", \"type\": \"sap-jam\"}" },
    { "{\"uuid\": 42, \"type\": \"sap-jam\"}" },
    { "{\"uuid\": \"\", \"type\": \"sap-jam\"}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\"}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-hana\"}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": 1}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-jam\", \"display-name\": 5}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-jam\", \"url\": [\"https://x\"]}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"sap-jam\", \"token-url\": {}}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"identity-provisioning\", \"display-name\": \"IPS\", \"version\": 3}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"identity-provisioning\", \"version\": \"2\"}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"identity-provisioning\", \"authentication\": \"kerberos\"}" },
    { "{\"uuid\": \"3b241101-e2bb-4255-8caf-4136c566a962\", \"type\": \"identity-provisioning\", \"authentication\": 2}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = json_object_from_text (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(ProvTargetSystem) target = prov_target_system_new_from_json (object, &error);

      g_test_message ("%s → %s", cases[i].json, error ? error->message : "(accepted)");
      g_assert_null (target);
      g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }

  /* The version message names the target it is about. */
  {
    g_autoptr(JsonObject) object = json_object_from_text (cases[10].json);
    g_autoptr(GError) error = NULL;
    g_autoptr(ProvTargetSystem) target = prov_target_system_new_from_json (object, &error);

    g_assert_null (target);
    g_assert_nonnull (strstr (error->message, "“IPS”"));
  }
}

/* Properties are what a front end binds to. */
static void
test_properties (void)
{
  g_autoptr(ProvTargetSystem) target = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *label = NULL;
  g_autofree char *display_name = NULL;
  ProvTargetKind kind;
  guint notifies = 0;

  target = g_object_new (PROV_TYPE_TARGET_SYSTEM,
                         "kind", PROV_TARGET_KIND_IDENTITY_PROVISIONING,
                         "display-name", "From properties",
                         NULL);
  g_object_get (target, "uuid", &uuid, "kind-label", &label, "kind", &kind,
                "display-name", &display_name, NULL);
  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpstr (label, ==, "Identity Provisioning");
  g_assert_cmpint (kind, ==, PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  g_assert_cmpstr (display_name, ==, "From properties");

  /* Two new targets never share a uuid. */
  {
    g_autoptr(ProvTargetSystem) a = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_autoptr(ProvTargetSystem) b = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
    g_assert_cmpstr (prov_target_system_get_uuid (a), !=, prov_target_system_get_uuid (b));
  }

  /* Setting the same value again notifies nobody; "" and NULL are the same. */
  g_signal_connect (target, "notify::display-name", G_CALLBACK (count_notify), &notifies);
  prov_target_system_set_display_name (target, "From properties");
  g_assert_cmpuint (notifies, ==, 0);
  prov_target_system_set_display_name (target, "");
  g_assert_cmpuint (notifies, ==, 1);
  prov_target_system_set_display_name (target, NULL);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpstr (prov_target_system_get_display_name (target), ==, "");
}

static void
generated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
set_up_certificates (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  prov_client_certificate_generate_async ("provisioner", "P000123", NULL, generated_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  prov_client_certificate_generate_finish (result, &test_certificate_pem, &test_key_pem, &error);
  g_assert_no_error (error);

  scratch_dir = g_dir_make_tmp ("provisioner-target-system-XXXXXX", &error);
  g_assert_no_error (error);
  ca_file_path = g_build_filename (scratch_dir, "ca.pem", NULL);
  g_file_set_contents (ca_file_path, test_certificate_pem, -1, &error);
  g_assert_no_error (error);
  not_a_certificate_path = g_build_filename (scratch_dir, "notes.txt", NULL);
  g_file_set_contents (not_a_certificate_path, "just some notes\n", -1, &error);
  g_assert_no_error (error);
}

static void
tear_down_certificates (void)
{
  g_remove (ca_file_path);
  g_remove (not_a_certificate_path);
  g_rmdir (scratch_dir);
  g_clear_pointer (&ca_file_path, g_free);
  g_clear_pointer (&not_a_certificate_path, g_free);
  g_clear_pointer (&scratch_dir, g_free);
  g_clear_pointer (&test_certificate_pem, g_free);
  g_clear_pointer (&test_key_pem, g_free);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  set_up_certificates ();

  for (guint i = 0; i < G_N_ELEMENTS (validation_cases); i++)
    {
      const ValidationCase *c = &validation_cases[i];
      const char *type;
      g_autofree char *path = NULL;

      if (c->kind == PROV_TARGET_KIND_SAP_JAM)
        type = "jam";
      else if (c->mechanism == PROV_AUTH_MECHANISM_BASIC)
        type = "ips-basic";
      else if (c->mechanism == PROV_AUTH_MECHANISM_CERTIFICATE)
        type = "ips-certificate";
      else
        type = "ips-oauth";

      path = g_strdup_printf ("/target-system/validation/%s/%s/%s-%03u", type,
                              prov_field_get_key (c->field), c->valid ? "good" : "bad", i);
      g_test_add_data_func (path, c, test_validation_case);
    }

  g_test_add_func ("/target-system/validation/valid-targets", test_validation_valid_targets);
  g_test_add_func ("/target-system/validation/empty", test_validation_empty);
  g_test_add_func ("/target-system/validation/length-in-characters", test_validation_length_in_characters);
  g_test_add_func ("/target-system/validation/hidden-fields-ignored", test_validation_hidden_fields_ignored);
  g_test_add_func ("/target-system/validation/duplicate-name", test_validation_duplicate_name);
  g_test_add_func ("/target-system/loopback-hosts", test_loopback_hosts);
  g_test_add_func ("/target-system/visibility", test_visibility);
  g_test_add_func ("/target-system/field-titles", test_field_titles);
  g_test_add_func ("/target-system/token-url-default", test_token_url_default);
  g_test_add_func ("/target-system/copy-assign-equal", test_copy_assign_equal);
  g_test_add_func ("/target-system/properties", test_properties);
  g_test_add_func ("/target-system/json/round-trip", test_json_round_trip);
  g_test_add_func ("/target-system/json/hand-edited-token-url", test_json_hand_edited_token_url);
  g_test_add_func ("/target-system/json/unknown-members", test_json_unknown_members);
  g_test_add_func ("/target-system/json/bad-objects", test_json_bad_objects);

  result = g_test_run ();
  tear_down_certificates ();
  return result;
}
