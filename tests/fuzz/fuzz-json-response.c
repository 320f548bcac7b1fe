/* fuzz-json-response.c — libFuzzer harness for what servers answer
 *
 * Feeds arbitrary bytes to every parser in prov-json-response.c, the code
 * that reads token and SCIM responses from the network, and the JSON guard
 * (prov-json-reader.c) in front of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "prov-json-reader.h"
#include "prov-json-response.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

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
        g_assert (JSON_NODE_HOLDS_OBJECT (json_array_get_element (resources, i)));
    }

  return 0;
}
