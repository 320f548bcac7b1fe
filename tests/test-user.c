/* test-user.c — ProvUser: a user of the source as SCIM JSON, its getters,
 * e-mail choice, status, label, search, and its JSON given back
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "prov-error.h"
#include "users-fixture.h"

/* ProvUser */

static void
test_user_getters (void)
{
  ProvUser *user = user_from_relaxed (FULL_USER);

  g_assert_cmpstr (prov_user_get_user_name (user), ==, "zoe.quillfeather");
  g_assert_cmpstr (prov_user_get_id (user), ==, "7d0b2c1e-0000-4000-8000-000000000001");
  g_assert_cmpstr (prov_user_get_user_id (user), ==, "P000123");
  g_assert_cmpstr (prov_user_get_email (user), ==, "Zoe.Quillfeather@Example.com");
  g_assert_cmpstr (prov_user_get_given_name (user), ==, "Zoë");
  g_assert_cmpstr (prov_user_get_family_name (user), ==, "Quillfeather");
  g_assert_cmpstr (prov_user_get_display_label (user), ==, "Zoë Quillfeather");
  g_assert_true (prov_user_get_active (user));

  {
    g_autofree char *user_id = NULL;
    gboolean active = FALSE;

    g_object_get (user, "user-id", &user_id, "active", &active, NULL);
    g_assert_cmpstr (user_id, ==, "P000123");
    g_assert_true (active);
  }

  g_assert_finalize_object (user);
}

static void
test_user_minimal (void)
{
  ProvUser *user = user_from_relaxed ("{'userName':'minimal'}");

  g_assert_cmpstr (prov_user_get_user_name (user), ==, "minimal");
  g_assert_null (prov_user_get_id (user));
  g_assert_null (prov_user_get_user_id (user));
  g_assert_null (prov_user_get_email (user));
  g_assert_null (prov_user_get_given_name (user));
  g_assert_null (prov_user_get_family_name (user));
  g_assert_cmpstr (prov_user_get_display_label (user), ==, "minimal");
  g_assert_true (prov_user_get_active (user));
  g_assert_finalize_object (user);
}

static void
test_user_invalid (void)
{
  const char * const cases[] = {
    "{}",
    "{'userName':''}",
    "{'userName':'   '}",
    "{'userName':42}",
    "{'userName':null}",
    "{'userName':{'value':'x'}}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = json_from_relaxed (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ProvUser) user = prov_user_new_from_json (object, &error);

      g_assert_null (user);
      g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_USER);
      g_assert_nonnull (strstr (error->message, "userName"));
    }
}

static void
test_user_keeps_own_copy (void)
{
  g_autoptr(JsonObject) object = json_from_relaxed ("{'userName':'copy','name':{'givenName':'Ada'},"
                                                     "'emails':[{'value':'a@example.com'}]}");
  g_autoptr(GError) error = NULL;
  ProvUser *user = prov_user_new_from_json (object, &error);
  g_autoptr(JsonObject) json_before = NULL;
  g_autoptr(JsonObject) json_after = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  json_before = prov_user_dup_json (user);
  before = prov_scim_json_dup_canonical (json_before);

  json_object_set_string_member (object, "userName", "changed");
  json_object_set_string_member (json_object_get_object_member (object, "name"), "givenName", "Changed");
  json_array_add_string_element (json_object_get_array_member (object, "emails"), "x");

  json_after = prov_user_dup_json (user);
  after = prov_scim_json_dup_canonical (json_after);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (prov_user_get_user_name (user), ==, "copy");
  g_assert_cmpstr (prov_user_get_given_name (user), ==, "Ada");
  g_assert_finalize_object (user);
}

static void
test_user_email_choice (void)
{
  const struct
  {
    const char *json;
    const char *email;
  } cases[] = {
    { "{'userName':'u','emails':[{'value':'a@example.com'},{'value':'b@example.com','primary':true}]}", "b@example.com" },
    { "{'userName':'u','emails':[{'value':'a@example.com'},{'value':'b@example.com'}]}", "a@example.com" },
    { "{'userName':'u','emails':[{'value':''},{'value':'b@example.com'}]}", "b@example.com" },
    { "{'userName':'u','emails':[{'value':' ','primary':true},{'value':'b@example.com'}]}", "b@example.com" },
    { "{'userName':'u','emails':[{'value':'a@example.com','primary':false},{'value':'b@example.com','primary':'true'}]}", "b@example.com" },
    { "{'userName':'u','emails':[]}", NULL },
    { "{'userName':'u','emails':'a@example.com'}", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ProvUser *user = user_from_relaxed (cases[i].json);

      g_assert_cmpstr (prov_user_get_email (user), ==, cases[i].email);
      g_assert_finalize_object (user);
    }
}

static void
test_user_active (void)
{
  const struct
  {
    const char *json;
    gboolean active;
  } cases[] = {
    { "{'userName':'u'}", TRUE },
    { "{'userName':'u','active':null}", TRUE },
    { "{'userName':'u','active':true}", TRUE },
    { "{'userName':'u','active':false}", FALSE },
    { "{'userName':'u','active':'TRUE'}", TRUE },
    { "{'userName':'u','active':'false'}", FALSE },
    { "{'userName':'u','active':0}", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ProvUser *user = user_from_relaxed (cases[i].json);

      g_assert_cmpint (prov_user_get_active (user), ==, cases[i].active);
      g_assert_finalize_object (user);
    }
}

static void
test_user_display_label (void)
{
  const struct
  {
    const char *json;
    const char *label;
  } cases[] = {
    { "{'userName':'u','name':{'givenName':'Ada','familyName':'Brindlewick'},'displayName':'D'}", "Ada Brindlewick" },
    { "{'userName':'u','name':{'familyName':'Brindlewick'}}", "Brindlewick" },
    { "{'userName':'u','name':{'givenName':'Ada','familyName':' '}}", "Ada" },
    { "{'userName':'u','displayName':'The Display'}", "The Display" },
    { "{'userName':'u','name':'not an object'}", "u" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ProvUser *user = user_from_relaxed (cases[i].json);

      g_assert_cmpstr (prov_user_get_display_label (user), ==, cases[i].label);
      g_assert_finalize_object (user);
    }
}

static void
test_user_matches (void)
{
  ProvUser *user = user_from_relaxed (FULL_USER);
  const struct
  {
    const char *needle;
    gboolean matches;
  } cases[] = {
    { NULL, TRUE },
    { "", TRUE },
    /* user ID */
    { "P000123", TRUE },
    { "p000", TRUE },
    /* SCIM id */
    { "7D0B2C1E", TRUE },
    { "0000-4000-8000", TRUE },
    /* every email */
    { "zoe.quillfeather@example", TRUE },
    { "zq@home", TRUE },
    /* login name */
    { "QUILLFEATHER", TRUE },
    { "zoe.q", TRUE },
    /* not searched: names, title, department */
    { "Zoë", FALSE },
    { "Engineer", FALSE },
    { "Engineering", FALSE },
    { "P000124", FALSE },
    { "quill feather", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("needle %s", cases[i].needle ? cases[i].needle : "(null)");
      g_assert_cmpint (prov_user_matches (user, cases[i].needle), ==, cases[i].matches);
    }

  g_assert_finalize_object (user);

  /* Case folding beyond ASCII. */
  user = user_from_relaxed ("{'userName':'ZOË.Ångström'}");
  g_assert_true (prov_user_matches (user, "zoë.å"));
  g_assert_true (prov_user_matches (user, "ÅNGSTRÖM"));
  g_assert_false (prov_user_matches (user, "zoe"));
  g_assert_finalize_object (user);
}

/* What a user gives back is what it was made from, member for member:
 * it is what goes to Identity Provisioning. */
static void
test_user_json_round_trip (void)
{
  const char *texts[] = {
    FULL_USER,
    "{'userName':'u','n':[1,-2,3.25,1e-5,12345678901234,0],'t':true,'f':false,'z':null,"
    "'s':'quote \\\" back \\\\ slash \\u00e9 tab\\t nl\\n','e':{},'a':[[],[{}]]}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonObject) object = json_from_relaxed (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ProvUser) user = prov_user_new_from_json (object, &error);
      g_autoptr(JsonObject) first = NULL;
      g_autoptr(JsonObject) second = NULL;
      g_autofree char *expected = prov_scim_json_dup_canonical (object);
      g_autofree char *actual = NULL;
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      first = prov_user_dup_json (user);
      second = prov_user_dup_json (user);
      /* Each call is a tree of its own. */
      g_assert_true (first != second);
      actual = prov_scim_json_dup_canonical (first);
      again = prov_scim_json_dup_canonical (second);
      g_assert_cmpstr (actual, ==, expected);
      g_assert_cmpstr (again, ==, expected);
    }
}

/* json-glib writes 1e40 as 1e+40.0 and 1e400 (infinity) as -inf.0, and
 * reads "\377" as a byte that is not UTF-8: none of them would parse back,
 * so such a user is refused with a reason, as one without a userName is.
 * 100.0 and 1.5e40 are written well and kept. */
static void
test_user_unwritable_value (void)
{
  const char *refused[] = { "[1,-1e400]", "1e40", "[{\"z\":-2E+30}]", "\"\\377\"" };
  const char *kept[] = { "100.0", "1.5e40", "-0.0", "12345678901234" };

  for (gsize i = 0; i < G_N_ELEMENTS (refused) + G_N_ELEMENTS (kept); i++)
    {
      gboolean refuse = i < G_N_ELEMENTS (refused);
      const char *number = refuse ? refused[i] : kept[i - G_N_ELEMENTS (refused)];
      g_autofree char *text = g_strdup_printf ("{\"userName\":\"big\",\"x\":{\"y\":%s}}", number);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) error = NULL;
      g_autoptr(ProvUser) user = NULL;

      g_test_message ("%s", text);
      g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
      user = prov_user_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
      if (refuse)
        {
          g_assert_null (user);
          g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_USER);
          g_assert_nonnull (strstr (error->message, "“big”"));
        }
      else
        {
          g_autoptr(JsonObject) back = NULL;

          g_assert_no_error (error);
          back = prov_user_dup_json (user);
          g_assert_nonnull (back);
        }
    }
}

static void
test_canonical_json (void)
{
  g_autoptr(JsonObject) object = json_from_relaxed ("{'b':1,'a':{'d':[3,{'z':true,'y':null}],'c':'x'}}");
  g_autofree char *canonical = prov_scim_json_dup_canonical (object);

  g_assert_cmpstr (canonical, ==, "{\"a\":{\"c\":\"x\",\"d\":[3,{\"y\":null,\"z\":true}]},\"b\":1}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/users/user/getters", test_user_getters);
  g_test_add_func ("/users/user/minimal", test_user_minimal);
  g_test_add_func ("/users/user/invalid", test_user_invalid);
  g_test_add_func ("/users/user/keeps-own-copy", test_user_keeps_own_copy);
  g_test_add_func ("/users/user/email-choice", test_user_email_choice);
  g_test_add_func ("/users/user/active", test_user_active);
  g_test_add_func ("/users/user/display-label", test_user_display_label);
  g_test_add_func ("/users/user/matches", test_user_matches);
  g_test_add_func ("/users/user/json-round-trip", test_user_json_round_trip);
  g_test_add_func ("/users/user/unwritable-value", test_user_unwritable_value);
  g_test_add_func ("/users/user/canonical-json", test_canonical_json);

  return g_test_run ();
}
