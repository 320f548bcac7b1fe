/* test-json-scan.c — the id of a create's answer, read off the text
 * (prov_json_scan_string_member)
 *
 * Whenever the scan is sure, it says what json-glib would: the top-level
 * member, never one nested deeper; anything unusual is left to json-glib.
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-json-reader.h"
#include "prov-json-scan.h"

/* What json-glib finds: the top-level text member, or NULL. */
static char *
parsed_id (const char *text,
           gboolean   *valid)
{
  g_autoptr(JsonNode) root = prov_json_reader_parse (text, -1, 0, 0, NULL);

  *valid = root != NULL && JSON_NODE_HOLDS_OBJECT (root);
  if (!*valid)
    return NULL;
  return g_strdup (prov_json_get_string (json_node_get_object (root), "id"));
}

typedef struct
{
  const char *text;
  gboolean    sure;
  const char *id;
} Case;

static const Case cases[] = {
  /* What targets answer: the id among the user's other members. */
  { "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"a1b2\",\"userName\":\"ada\"}", TRUE, "a1b2" },
  { " {\n \"userName\" : \"ada\" ,\n \"id\" : \"7\" } \n", TRUE, "7" },
  /* Ids nested in members are not the user's. */
  { "{\"groups\":[{\"id\":\"g1\"}],\"meta\":{\"id\":\"m\"},\"id\":\"u1\"}", TRUE, "u1" },
  { "{\"groups\":[{\"id\":\"g1\"}],\"meta\":{\"id\":\"m\"}}", TRUE, NULL },
  /* Absent, or not text. */
  { "{}", TRUE, NULL },
  { "{\"id\":42}", TRUE, NULL },
  { "{\"id\":null,\"a\":[true,false,-1.5e+3,0,{}]}", TRUE, NULL },
  { "{\"id\":{\"value\":\"x\"}}", TRUE, NULL },
  /* The last of two, as json-glib keeps it. */
  { "{\"id\":\"first\",\"id\":\"second\"}", TRUE, "second" },
  { "{\"id\":\"first\",\"id\":3}", TRUE, NULL },
  /* Escapes elsewhere are fine; in the id or a key, json-glib decodes them. */
  { "{\"name\":\"O\\\"Brien \\u00e9\\n\",\"id\":\"x\"}", TRUE, "x" },
  { "{\"id\":\"a\\/b\"}", FALSE, NULL },
  { "{\"\\u0069d\":\"x\"}", FALSE, NULL },
  /* Text in UTF-8 is kept as it is. */
  { "{\"id\":\"\xc3\xa9t\xc3\xa9\"}", TRUE, "\xc3\xa9t\xc3\xa9" },
  /* Not one JSON object: json-glib has the last word. */
  { "", FALSE, NULL },
  { "[{\"id\":\"x\"}]", FALSE, NULL },
  { "\"id\"", FALSE, NULL },
  { "{\"id\":\"x\"", FALSE, NULL },
  { "{\"id\":\"x\"}}", FALSE, NULL },
  { "{\"id\":\"x\"} {}", FALSE, NULL },
  { "{\"id\":\"x\",}", FALSE, NULL },
  { "{\"id\":\"x\",\"a\":01}", FALSE, NULL },
  { "{\"id\":\"x\",\"a\":tru}", FALSE, NULL },
  { "{\"id\":\"x\",\"a\":[1,]}", FALSE, NULL },
  { "{\"id\":\"x\",\"a\":\"\\q\"}", FALSE, NULL },
  { "{\"id\":\"x\",\"a\":\"\\u12\"}", FALSE, NULL },
  { "{\"id\":\"x\tx\"}", FALSE, NULL },
  { "{\"id\":\"\xff\"}", FALSE, NULL },
  { "{id:\"x\"}", FALSE, NULL },
  { "<html>Created</html>", FALSE, NULL },
};

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *shown = g_strescape (cases[i].text, NULL);
      gboolean sure = prov_json_scan_string_member (cases[i].text, strlen (cases[i].text), "id", &id);

      g_test_message ("case %u: %s", i, shown);
      g_assert_cmpint (sure, ==, cases[i].sure);
      g_assert_cmpstr (id, ==, cases[i].id);

      /* Sure means: what json-glib finds. */
      if (sure)
        {
          gboolean valid;
          g_autofree char *expected = parsed_id (cases[i].text, &valid);

          g_assert_true (valid);
          g_assert_cmpstr (id, ==, expected);
        }
    }
}

/* Only the bytes given are read: a NUL inside or text past them is no end. */
static void
test_length (void)
{
  const char text[] = "{\"id\":\"x\"}{\"id\":\"y\"}";
  const char with_nul[] = "{\"id\":\"x\"}\0";
  g_autofree char *id = NULL;

  g_assert_true (prov_json_scan_string_member (text, 10, "id", &id));
  g_assert_cmpstr (id, ==, "x");
  g_clear_pointer (&id, g_free);
  g_assert_false (prov_json_scan_string_member (text, 9, "id", &id));
  g_assert_null (id);
  g_assert_false (prov_json_scan_string_member (with_nul, sizeof with_nul - 1, "id", &id));
  g_assert_null (id);
}

/* As deep as the app's reader allows, and no deeper. */
static void
test_depth (void)
{
  guint depth = PROV_JSON_READER_DEFAULT_MAX_DEPTH;
  g_autoptr(GString) ok = g_string_new ("{\"id\":\"x\",\"a\":");
  g_autoptr(GString) deep = NULL;
  g_autofree char *id = NULL;

  for (guint i = 1; i < depth; i++)
    g_string_append_c (ok, '[');
  for (guint i = 1; i < depth; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  g_assert_true (prov_json_scan_string_member (ok->str, ok->len, "id", &id));
  g_assert_cmpstr (id, ==, "x");
  g_clear_pointer (&id, g_free);

  deep = g_string_new ("{\"id\":\"x\",\"a\":");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_false (prov_json_scan_string_member (deep->str, deep->len, "id", &id));
  g_assert_null (id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-scan/cases", test_cases);
  g_test_add_func ("/json-scan/length", test_length);
  g_test_add_func ("/json-scan/depth", test_depth);

  return g_test_run ();
}
