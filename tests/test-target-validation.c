/* test-target-validation.c — whether a target system's fields are usable:
 * every field's rules per type and mechanism, unique names, loopback hosts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "prov-error.h"
#include "prov-target-store.h"
#include "prov-target-system.h"
#include "target-fixture.h"

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
#define R_RELATIVE_PATH "Enter the full path of the file, starting with /"
#define R_NO_FILE "There is no such file"
#define R_FOLDER "That is a folder; choose a file in it"
#define R_NOT_REGULAR "That is not a regular file"

/* Helpers */

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
  BAD (JAM, F_CA, "ca.pem", R_RELATIVE_PATH),
  BAD (IPS_CERT, F_CA, "/nonexistent/provisioner/ca.pem", R_NO_FILE),
  BAD (IPS_BASIC, F_CA, "@SCRATCH@", R_FOLDER),
  BAD (IPS_BASIC, F_CA, "/dev/null", R_NOT_REGULAR),   /* a device reads as empty */
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

/* A target whose secret is missing from the keyring (imported, or its item
 * lost) says which one, and how to get it back: a typed secret is entered
 * again; a private key comes only with its certificate. */
static void
test_missing_secrets (void)
{
  g_autoptr(ProvTargetSystem) jam = new_valid_target (JAM);
  g_autoptr(ProvTargetSystem) ips = new_valid_target (IPS_CERT);
  g_autoptr(GError) error = NULL;

  g_assert_true (prov_target_system_check_secrets (jam, &error));
  g_assert_no_error (error);
  g_assert_true (prov_target_system_check_secrets (ips, &error));
  g_assert_no_error (error);

  prov_target_system_set_text (jam, F_SECRET, "");
  g_assert_false (prov_target_system_check_secrets (jam, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
  g_assert_cmpstr (error->message, ==,
                   "“Jam Europe” has no Client Secret saved: enter it and save the target system.");
  g_clear_error (&error);

  prov_target_system_set_text (ips, F_KEY, "");
  g_assert_false (prov_target_system_check_secrets (ips, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FIELD);
  g_assert_cmpstr (error->message, ==,
                   "“Identity Provisioning Prod” has no private key for its client certificate in the keyring: "
                   "generate or import the certificate again, then save the target system.");
  g_clear_error (&error);

  /* Both missing: the one on screen first, which is typed. */
  prov_target_system_set_text (ips, F_CERTPW, "");
  g_assert_false (prov_target_system_check_secrets (ips, &error));
  g_assert_cmpstr (error->message, ==,
                   "“Identity Provisioning Prod” has no Certificate Password saved: enter it and save the target system.");
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

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  target_fixture_set_up ();

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
  g_test_add_func ("/target-system/validation/missing-secrets", test_missing_secrets);
  g_test_add_func ("/target-system/loopback-hosts", test_loopback_hosts);

  result = g_test_run ();
  target_fixture_tear_down ();
  return result;
}
