/* fuzz-json-response.c — libFuzzer harness for what servers answer
 *
 * Feeds arbitrary bytes to every parser in prov-json-response.c, the code
 * that reads token and SCIM responses from the network, and the JSON guard
 * (prov-json-reader.c) in front of them; and every user of a page as the
 * source read makes it, which must give its JSON and its SAP Jam payload
 * back as JSON that parses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "prov-json-reader.h"
#include "prov-json-response.h"
#include "prov-mapping.h"
#include "prov-user.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A user keeps its JSON as text: what it gives back is what it was made
 * from (its userName trimmed), and its SAP Jam payload is JSON. */
static void
check_user (JsonObject *resource)
{
  g_autoptr(ProvUser) user = prov_user_new_from_json (resource, NULL);
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(JsonObject) jam = NULL;

  if (user == NULL)
    return;
  back = prov_user_dup_json (user);
  g_assert (back != NULL);
  if (g_strcmp0 (json_object_get_string_member (resource, "userName"), prov_user_get_user_name (user)) == 0)
    {
      g_autofree char *expected = prov_scim_json_dup_canonical (resource);
      g_autofree char *actual = prov_scim_json_dup_canonical (back);

      g_assert (g_str_equal (expected, actual));
    }
  jam = prov_mapping_build_jam_user (user);
  g_assert (jam != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) resources = NULL;
  g_autofree char *token = NULL;
  gint64 expires_in = 0;
  gint64 total = 0;
  gint64 start = 0;
  g_autoptr(JsonNode) node = NULL;

  /* A tight depth makes the guard's string and escape tracking matter. */
  node = prov_json_reader_parse ((const char *) data, size, 0, 4, NULL);

  object = prov_json_response_parse_object (body, "application/json", "fuzz.example", NULL);

  if (prov_json_response_parse_token (body, "application/json", "fuzz.example",
                                      &token, &expires_in, NULL))
    g_assert (token != NULL && *token != '\0' && expires_in >= 0);

  if (prov_json_response_parse_list (body, "application/scim+json; charset=utf-8", "fuzz.example",
                                     &resources, &total, &start, NULL))
    {
      g_assert (resources != NULL);
      for (guint i = 0; i < json_array_get_length (resources); i++)
        {
          g_assert (JSON_NODE_HOLDS_OBJECT (json_array_get_element (resources, i)));
          check_user (json_array_get_object_element (resources, i));
        }
    }

  return 0;
}
