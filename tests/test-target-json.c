/* test-target-json.c — a target system as an object of targets.json:
 * round trips, no secrets, hand edits, unknown members, damaged objects;
 * and the export of a list of them (prov-targets-export.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "prov-error.h"
#include "prov-target-system.h"
#include "prov-targets-export.h"
#include "target-fixture.h"
#include "test-helpers.h"

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
/* Real-time provisioning is saved; a target saved before the setting
 * existed has it off; anything but a boolean is damage. */
static void
test_json_real_time (void)
{
  g_autoptr(ProvTargetSystem) target = new_valid_target (JAM);
  g_autoptr(ProvTargetSystem) restored = NULL;
  g_autoptr(ProvTargetSystem) old = NULL;
  g_autoptr(ProvTargetSystem) bare = NULL;
  g_autoptr(ProvTargetSystem) damaged = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *provisioning;

  g_assert_false (prov_target_system_get_real_time (target));
  prov_target_system_set_real_time (target, TRUE);
  object = prov_target_system_to_json (target);
  restored = prov_target_system_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_true (prov_target_system_get_real_time (restored));

  provisioning = json_object_get_object_member (object, "provisioning");
  json_object_remove_member (provisioning, "real-time");
  old = prov_target_system_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_false (prov_target_system_get_real_time (old));

  json_object_remove_member (object, "provisioning");
  bare = prov_target_system_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_false (prov_target_system_get_real_time (bare));

  provisioning = json_object_new ();
  json_object_set_string_member (provisioning, "real-time", "yes");
  json_object_set_object_member (object, "provisioning", provisioning);
  damaged = prov_target_system_new_from_json (object, &error);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
  g_assert_null (damaged);
}

/* Export */

static GPtrArray *
read_export (const char *path,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  prov_targets_export_read_async (path, NULL, got_result_cb, &result);
  return prov_targets_export_read_finish (wait_for (&result), error);
}

/* Written and read back off the main loop: every kind of target, no
 * secret in the file, owner only; read back as new targets (identifiers of
 * their own) with every other field as it was. */
static void
test_export_round_trip (void)
{
  const struct { ProvTargetKind kind; ProvAuthMechanism mechanism; } types[] = {
    { JAM }, { IPS_BASIC }, { IPS_CERT }, { IPS_OAUTH },
  };
  g_autoptr(GListStore) list = g_list_store_new (PROV_TYPE_TARGET_SYSTEM);
  g_autofree char *path = g_build_filename (scratch_dir, "export.json", NULL);
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(ProvTargetSystem) target = new_valid_target (types[i].kind, types[i].mechanism);
      g_autofree char *name = g_strdup_printf ("Exported %u", i);

      prov_target_system_set_display_name (target, name);
      set_secret_markers (target);
      g_list_store_append (list, target);
    }

  {
    g_autoptr(GAsyncResult) result = NULL;

    prov_targets_export_write_async (path, G_LIST_MODEL (list), NULL, got_result_cb, &result);
    g_assert_true (prov_targets_export_write_finish (wait_for (&result), &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  assert_no_secret_in (text);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  read = read_export (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->len, ==, G_N_ELEMENTS (types));
  for (guint i = 0; i < read->len; i++)
    {
      ProvTargetSystem *restored = g_ptr_array_index (read, i);
      g_autoptr(ProvTargetSystem) original = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_cmpstr (prov_target_system_get_uuid (restored), !=, prov_target_system_get_uuid (original));
      g_assert_true (g_uuid_string_is_valid (prov_target_system_get_uuid (restored)));
      for (guint f = 0; f < PROV_N_FIELDS; f++)
        if (prov_field_is_text (f))
          g_assert_cmpstr (prov_target_system_get_text (restored, f), ==,
                           prov_field_is_secret (f) ? "" : prov_target_system_get_text (original, f));
      g_assert_cmpint (prov_target_system_get_auth_mechanism (restored), ==,
                       prov_target_system_get_auth_mechanism (original));
    }
}

/* An export that cannot be written says where and why in one sentence,
 * without the temporary file GLib writes first: a name of 250 characters
 * is fine, its temporary name (7 more) is too long even for root. */
static void
test_export_not_written (void)
{
  g_autoptr(GListStore) list = g_list_store_new (PROV_TYPE_TARGET_SYSTEM);
  g_autoptr(ProvTargetSystem) target = new_valid_target (JAM);
  g_autofree char *long_name = g_strnfill (250, 'e');
  g_autofree char *too_long = g_build_filename (scratch_dir, long_name, NULL);
  g_autofree char *missing = g_build_filename (scratch_dir, "no-such-folder", "export.json", NULL);
  const struct { const char *path; int errnum; } cases[] = {
    { too_long, ENAMETOOLONG },
    { missing, ENOENT },
  };

  g_list_store_append (list, target);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("The target systems could not be exported to “%s”: %s",
                                                   cases[i].path, g_strerror (cases[i].errnum));

      g_assert_false (prov_targets_export_write (cases[i].path, G_LIST_MODEL (list), &error));
      g_assert_error (error, PROV_ERROR, PROV_ERROR_SAVE_FAILED);
      g_assert_cmpstr (error->message, ==, expected);
      g_assert_false (g_file_test (cases[i].path, G_FILE_TEST_EXISTS));
    }
}

/* What is not an export is said with the file's name, as one sentence;
 * nothing is read from it. */
static void
test_export_not_an_export (void)
{
  const struct { const char *contents; const char *words; } cases[] = {
    { "", "is not a target systems export" },
    { "[]", "is not a target systems export" },
    { "{\"format\": \"something-else\", \"targets\": []}", "is not a target systems export" },
    { "{\"format\": \"provisioner-targets\", \"targets\": {}}", "is not a target systems export" },
    { "{\"format\": \"provisioner-targets\", \"targets\": [1]}", "is not a target systems export" },
    { "{\"format\": \"provisioner-targets\", \"targets\": [{\"type\": \"sap-jam\", \"url\": 5}]}",
      "target system 1: " },
  };
  g_autofree char *path = g_build_filename (scratch_dir, "not-an-export.json", NULL);
  g_autofree char *deep = g_build_filename (scratch_dir, "deep.json", NULL);
  g_autofree char *missing = g_build_filename (scratch_dir, "missing.json", NULL);
  g_autoptr(GString) nested = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) read = NULL;
      g_autofree char *named = g_strdup_printf ("“%s”", path);

      g_assert_true (g_file_set_contents (path, cases[i].contents, -1, NULL));
      read = prov_targets_export_read (path, &error);
      g_test_message ("%s → %s", cases[i].contents, error ? error->message : "read");
      g_assert_null (read);
      g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE);
      g_assert_true (g_str_has_prefix (error->message, named));
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }

  /* Nested deeper than json-glib survives, and missing. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, '[');
  g_assert_true (g_file_set_contents (deep, nested->str, -1, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (read_export (deep, &error));
    g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (read_export (missing, &error));
    g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE);
    g_assert_nonnull (strstr (error->message, "missing.json"));
  }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  target_fixture_set_up ();

  g_test_add_func ("/target-system/json/round-trip", test_json_round_trip);
  g_test_add_func ("/target-system/json/hand-edited-token-url", test_json_hand_edited_token_url);
  g_test_add_func ("/target-system/json/unknown-members", test_json_unknown_members);
  g_test_add_func ("/target-system/json/bad-objects", test_json_bad_objects);
  g_test_add_func ("/target-system/json/real-time", test_json_real_time);
  g_test_add_func ("/target-system/export/round-trip", test_export_round_trip);
  g_test_add_func ("/target-system/export/not-an-export", test_export_not_an_export);
  g_test_add_func ("/target-system/export/not-written", test_export_not_written);

  result = g_test_run ();
  target_fixture_tear_down ();
  return result;
}
