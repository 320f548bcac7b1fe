/* prov-scim-routes.c — the endpoints of the embedded SCIM service
 *
 * SAP Jam SCIM, the Identity Provisioning real-time API and the Identity
 * Authentication tenant (SCIM v2 paging, v1 startId paging), behind the
 * authentication of prov-scim-auth.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "prov-scim-auth.h"
#include "prov-scim-http.h"
#include "prov-scim-routes.h"
#include "prov-scim-store.h"

static const char * const jam_filter_attributes[] = { "userName", NULL };
static const char * const group_filter_attributes[] = { "displayName", NULL };
static const char * const source_filter_attributes[] = {
  "userName", "id", "externalId", "emails", "emails.value", "displayName",
  "name.givenName", "name.familyName", "active", NULL
};

static const FilterRules jam_user_rules = { jam_filter_attributes, FALSE };
static const FilterRules group_rules = { group_filter_attributes, FALSE };
static const FilterRules source_user_rules = { source_filter_attributes, TRUE };

/* SCIM collections */

static JsonObject *
scim1_view (JsonObject *object)
{
  JsonObject *copy = prov_scim_object_deep_copy (object);
  JsonNode *enterprise = json_object_get_member (copy, SCIM_ENTERPRISE);
  JsonArray *schemas = prov_scim_string_array (SCIM1_CORE, NULL);

  /* Version 1 names the same data with its own schema URNs. */
  if (enterprise != NULL)
    {
      json_object_set_member (copy, SCIM1_ENTERPRISE, json_node_copy (enterprise));
      json_object_remove_member (copy, SCIM_ENTERPRISE);
      json_array_add_string_element (schemas, SCIM1_ENTERPRISE);
    }
  json_object_set_array_member (copy, "schemas", schemas);

  return copy;
}

/* Real-time sync: the tenant's delta query. `meta.lastModified gt "<time>"`
 * (RFC 7644 §3.4.2.2) selects users changed after a time; a tenant may
 * refuse it. Returns NULL without @error when @filter is no delta query. */
static GPtrArray *
source_delta_filter (ProvTestServer *self,
                     ResourceStore  *store,
                     const char     *filter,
                     GError        **error)
{
  static const char prefix[] = "meta.lastModified gt ";
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *value = NULL;
  const char *p;
  GPtrArray *matches;

  if (filter == NULL || g_ascii_strncasecmp (filter, prefix, strlen (prefix)) != 0)
    return NULL;
  if (self->source_refuse_delta)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "Filtering on “meta.lastModified” is not supported");
      return NULL;
    }

  p = prov_scim_skip_spaces (filter + strlen (prefix));
  value = *p == '"' ? prov_scim_read_quoted (&p) : NULL;
  since = value ? g_date_time_new_from_iso8601 (value, NULL) : NULL;
  if (since == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The filter “%s” has no valid time", filter);
      return NULL;
    }

  matches = g_ptr_array_new ();
  for (guint i = 0; i < store->order->len; i++)
    {
      Resource *resource = g_ptr_array_index (store->order, i);
      JsonObject *meta = json_object_get_object_member (resource->object, "meta");
      const char *modified = meta ? prov_scim_object_get_string (meta, "lastModified") : NULL;
      g_autoptr(GDateTime) when = modified ? g_date_time_new_from_iso8601 (modified, NULL) : NULL;

      if (when != NULL && g_date_time_compare (when, since) > 0)
        g_ptr_array_add (matches, resource);
    }
  return matches;
}

void
prov_test_server_set_source_writable (ProvTestServer *self,
                                      gboolean        writable)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_writable = writable;
}

void
prov_test_server_set_source_refuse_delta (ProvTestServer *self,
                                          gboolean        refuse)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_refuse_delta = refuse;
}

/* Serves a GET on a collection: filter, paging, misbehaviour. */
static void
respond_list (ProvTestServer     *self,
              SoupServerMessage  *msg,
              ResourceStore      *store,
              const FilterRules  *rules,
              ListStyle           style)
{
  g_autoptr(GHashTable) query = prov_scim_request_query (msg);
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) list = NULL;
  JsonArray *resources;
  gboolean source = store == self->source_users;
  const char *start_id = g_hash_table_lookup (query, "startId");
  const char *next_id = NULL;
  guint start_index;
  guint count;
  guint total;
  guint first;
  guint end;

  if (source && !self->ignoring_filter)
    matches = source_delta_filter (self, store, g_hash_table_lookup (query, "filter"), &error);
  if (matches == NULL && error == NULL)
    matches = prov_scim_store_filter (store,
                            self->ignoring_filter ? NULL : g_hash_table_lookup (query, "filter"),
                            rules, &error);
  if (matches == NULL)
    {
      prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidFilter", error->message);
      return;
    }

  if (!prov_scim_query_uint (msg, query, "startIndex", 1, &start_index) ||
      !prov_scim_query_uint (msg, query, "count", MAX_PAGE_SIZE, &count))
    return;

  /* Servers may return fewer than asked; version 1 documents 100 at most. */
  count = MIN (count, style == LIST_SCIM1 ? V1_MAX_COUNT : MAX_PAGE_SIZE);
  if (source && self->source_page_cap > 0)
    count = MIN (count, self->source_page_cap);
  start_index = MAX (start_index, 1);
  total = matches->len;

  if (start_id != NULL && style == LIST_SCIM1)
    {
      if (g_hash_table_contains (query, "startIndex"))
        {
          prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue",
                              "startId and startIndex cannot be combined");
          return;
        }

      if (g_str_equal (start_id, "initial"))
        first = 0;
      else
        {
          for (first = 0; first < total; first++)
            {
              if (g_str_equal (((Resource *) matches->pdata[first])->id, start_id))
                break;
            }
          if (first == total)
            {
              prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue", "Unknown startId");
              return;
            }
        }
    }
  else
    {
      first = start_index - 1;
      if (source && self->source_repeat_last_page && first >= total && total > 0 && count > 0)
        first = ((total - 1) / count) * count;
    }

  first = MIN (first, total);
  end = MIN (first + count, total);

  if (start_id != NULL && style == LIST_SCIM1)
    {
      if (end < total)
        next_id = ((Resource *) matches->pdata[end])->id;
      else if (source && self->source_repeat_last_page && first < total)
        next_id = ((Resource *) matches->pdata[first])->id;
      else
        next_id = self->source_end_marker;
    }

  list = json_object_new ();
  json_object_set_array_member (list, "schemas",
                                prov_scim_string_array (style == LIST_SCIM1 ? SCIM1_CORE : SCIM_LIST_RESPONSE, NULL));
  json_object_set_int_member (list, "totalResults",
                              source && self->source_reported_total >= 0 ? self->source_reported_total : total);
  json_object_set_int_member (list, "itemsPerPage", end - first);
  if (next_id != NULL)
    json_object_set_string_member (list, "nextId", next_id);
  else
    json_object_set_int_member (list, "startIndex", start_index);

  resources = json_array_sized_new (end - first);
  for (guint i = first; i < end; i++)
    {
      Resource *resource = g_ptr_array_index (matches, i);

      if (style == LIST_SCIM1)
        json_array_add_object_element (resources, scim1_view (resource->object));
      else
        json_array_add_object_element (resources, prov_scim_object_deep_copy (resource->object));
    }
  json_object_set_array_member (list, "Resources", resources);

  prov_scim_respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE, list);
}

static void
respond_resource (SoupServerMessage *msg,
                  guint              status,
                  Resource          *resource)
{
  JsonObject *meta = json_object_get_object_member (resource->object, "meta");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (meta != NULL)
    {
      if (status == SOUP_STATUS_CREATED && prov_scim_object_get_string (meta, "location") != NULL)
        soup_message_headers_replace (headers, "Location", prov_scim_object_get_string (meta, "location"));
      if (prov_scim_object_get_string (meta, "version") != NULL)
        soup_message_headers_replace (headers, "ETag", prov_scim_object_get_string (meta, "version"));
    }

  prov_scim_respond_object (msg, status, SCIM_CONTENT_TYPE, resource->object);
}

static void
respond_not_found (SoupServerMessage *msg,
                   ResourceStore     *store,
                   const char        *id)
{
  g_autofree char *detail = g_strdup_printf ("%s %s not found", store->resource_type, id);

  prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, detail);
}

static gboolean
check_unique (SoupServerMessage *msg,
              ResourceStore     *store,
              JsonObject        *object,
              Resource          *self_resource)
{
  const char *value = prov_scim_object_get_string (object, store->unique_attr);
  Resource *other;

  if (value == NULL || *value == '\0')
    {
      g_autofree char *detail = g_strdup_printf ("“%s” is required", store->unique_attr);
      prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue", detail);
      return FALSE;
    }

  other = prov_scim_store_lookup_unique (store, value);
  if (other != NULL && other != self_resource)
    {
      g_autofree char *detail = g_strdup_printf ("%s “%s” already exists", store->unique_attr, value);
      prov_scim_respond_scim_error (msg, SOUP_STATUS_CONFLICT, "uniqueness", detail);
      return FALSE;
    }

  return TRUE;
}

/* Sets @path ("a" or "a.b") in @object to a copy of @value. */
static gboolean
patch_set (JsonObject *object,
           const char *path,
           JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", 2);
  JsonNode *parent;

  if (parts[1] == NULL)
    {
      json_object_set_member (object, parts[0], prov_scim_node_deep_copy (value));
      return TRUE;
    }

  parent = json_object_get_member (object, parts[0]);
  if (parent == NULL)
    {
      json_object_set_object_member (object, parts[0], json_object_new ());
      parent = json_object_get_member (object, parts[0]);
    }
  if (!JSON_NODE_HOLDS_OBJECT (parent))
    return FALSE;

  json_object_set_member (json_node_get_object (parent), parts[1], prov_scim_node_deep_copy (value));
  return TRUE;
}

static gboolean
patch_remove (JsonObject *object,
              const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", 2);
  JsonNode *parent;

  if (parts[1] == NULL)
    {
      json_object_remove_member (object, parts[0]);
      return TRUE;
    }

  parent = json_object_get_member (object, parts[0]);
  if (parent != NULL && JSON_NODE_HOLDS_OBJECT (parent))
    json_object_remove_member (json_node_get_object (parent), parts[1]);
  return TRUE;
}

/* Applies a SCIM PatchOp with add/replace/remove on simple paths (no
 * value filters); FALSE after answering 400. */
static gboolean
apply_patch (SoupServerMessage *msg,
             JsonObject        *target,
             JsonObject        *patch)
{
  JsonNode *operations = json_object_get_member (patch, "Operations");
  JsonArray *array;

  if (operations == NULL || !JSON_NODE_HOLDS_ARRAY (operations))
    {
      prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidSyntax", "Operations is missing");
      return FALSE;
    }

  array = json_node_get_array (operations);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *operation;
      const char *op;
      const char *path;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        goto bad_operation;

      operation = json_node_get_object (element);
      op = prov_scim_object_get_string (operation, "op");
      path = prov_scim_object_get_string (operation, "path");
      value = json_object_get_member (operation, "value");

      if (op == NULL || (path != NULL && (strchr (path, '[') != NULL || *path == '\0')))
        goto bad_operation;

      if (g_ascii_strcasecmp (op, "remove") == 0)
        {
          if (path == NULL || !patch_remove (target, path))
            goto bad_operation;
        }
      else if (g_ascii_strcasecmp (op, "add") == 0 || g_ascii_strcasecmp (op, "replace") == 0)
        {
          if (value == NULL)
            goto bad_operation;

          if (path != NULL)
            {
              if (!patch_set (target, path, value))
                goto bad_operation;
            }
          else if (JSON_NODE_HOLDS_OBJECT (value))
            {
              JsonObjectIter iter;
              const char *name;
              JsonNode *member;

              json_object_iter_init_ordered (&iter, json_node_get_object (value));
              while (json_object_iter_next_ordered (&iter, &name, &member))
                patch_set (target, name, member);
            }
          else
            goto bad_operation;
        }
      else
        goto bad_operation;
    }

  return TRUE;

bad_operation:
  prov_scim_respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidPath",
                      "Only add, replace and remove on simple attribute paths are supported");
  return FALSE;
}

static void
handle_collection (ProvTestServer     *self,
                   SoupServerMessage  *msg,
                   ResourceStore      *store,
                   const char         *id,
                   const FilterRules  *rules,
                   ListStyle           style,
                   gboolean            read_only,
                   gboolean            upsert)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) body = NULL;
  Resource *resource = NULL;

  if (id != NULL)
    {
      resource = prov_scim_store_lookup_id (store, id);
      if (resource == NULL &&
          (g_str_equal (method, SOUP_METHOD_GET) || (!read_only && !g_str_equal (method, SOUP_METHOD_POST))))
        {
          respond_not_found (msg, store, id);
          return;
        }
    }

  if (g_str_equal (method, SOUP_METHOD_GET))
    {
      if (resource != NULL)
        {
          if (style == LIST_SCIM1)
            {
              g_autoptr(JsonObject) view = scim1_view (resource->object);
              prov_scim_respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE, view);
            }
          else
            respond_resource (msg, SOUP_STATUS_OK, resource);
        }
      else
        respond_list (self, msg, store, rules, style);
      return;
    }

  if (read_only)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      prov_scim_respond_scim_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "This collection is read-only");
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_POST) && id == NULL)
    {
      Resource *existing = NULL;

      body = prov_scim_parse_request_object (msg);
      if (body == NULL)
        return;

      /* Identity Provisioning's POST creates or updates (a standard SCIM
       * server answers 409 instead: ips_strict_post). */
      if (upsert && !self->ips_strict_post)
        {
          existing = prov_scim_store_lookup_id (store, prov_scim_object_get_string (body, "id"));
          if (existing == NULL)
            existing = prov_scim_store_lookup_unique (store, prov_scim_object_get_string (body, store->unique_attr));
        }

      if (!check_unique (msg, store, body, existing))
        return;

      if (existing != NULL)
        {
          prov_scim_store_set_object (store, existing, g_steal_pointer (&body));
          respond_resource (msg, SOUP_STATUS_OK, existing);
        }
      else
        {
          resource = prov_scim_store_insert (store, g_steal_pointer (&body), NULL);
          respond_resource (msg, SOUP_STATUS_CREATED, resource);
        }
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_PUT) && resource != NULL)
    {
      body = prov_scim_parse_request_object (msg);
      if (body == NULL || !check_unique (msg, store, body, resource))
        return;

      prov_scim_store_set_object (store, resource, g_steal_pointer (&body));
      respond_resource (msg, SOUP_STATUS_OK, resource);
      return;
    }

  if (g_str_equal (method, "PATCH") && resource != NULL)
    {
      g_autoptr(JsonObject) patched = prov_scim_object_deep_copy (resource->object);

      body = prov_scim_parse_request_object (msg);
      if (body == NULL || !apply_patch (msg, patched, body) ||
          !check_unique (msg, store, patched, resource))
        return;

      prov_scim_store_set_object (store, resource, g_steal_pointer (&patched));
      respond_resource (msg, SOUP_STATUS_OK, resource);
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_DELETE) && resource != NULL)
    {
      prov_scim_store_remove (store, resource);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                id != NULL ? "GET, PUT, PATCH, DELETE" : "GET, POST");
  prov_scim_respond_scim_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Method not allowed here");
}

/* SAP Jam SCIM */

static const char schemas_json[] =
  "{\"schemas\":[\"" SCIM_LIST_RESPONSE "\"],\"totalResults\":2,\"itemsPerPage\":2,\"startIndex\":1,"
  "\"Resources\":["
  "{\"id\":\"" SCIM_USER "\",\"name\":\"User\",\"description\":\"User Account\","
  "\"attributes\":["
  "{\"name\":\"userName\",\"type\":\"string\",\"multiValued\":false,\"required\":true,"
  "\"caseExact\":false,\"mutability\":\"readWrite\",\"returned\":\"default\",\"uniqueness\":\"server\"},"
  "{\"name\":\"name\",\"type\":\"complex\",\"multiValued\":false,\"required\":false,\"subAttributes\":["
  "{\"name\":\"givenName\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"familyName\",\"type\":\"string\",\"multiValued\":false,\"required\":false}]},"
  "{\"name\":\"emails\",\"type\":\"complex\",\"multiValued\":true,\"required\":false},"
  "{\"name\":\"active\",\"type\":\"boolean\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"phoneNumbers\",\"type\":\"complex\",\"multiValued\":true,\"required\":false},"
  "{\"name\":\"addresses\",\"type\":\"complex\",\"multiValued\":true,\"required\":false},"
  "{\"name\":\"locale\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"type\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"jobFunction\",\"type\":\"string\",\"multiValued\":false,\"required\":false}],"
  "\"meta\":{\"resourceType\":\"Schema\"}},"
  "{\"id\":\"" SCIM_ENTERPRISE "\",\"name\":\"EnterpriseUser\",\"description\":\"Enterprise User\","
  "\"attributes\":["
  "{\"name\":\"personnelNumber\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"costCenter\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"company\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"division\",\"type\":\"string\",\"multiValued\":false,\"required\":false},"
  "{\"name\":\"department\",\"type\":\"string\",\"multiValued\":false,\"required\":false}],"
  "\"meta\":{\"resourceType\":\"Schema\"}}]}";

static const char service_provider_config_json[] =
  "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig\"],"
  "\"patch\":{\"supported\":true},\"bulk\":{\"supported\":false,\"maxOperations\":0,\"maxPayloadSize\":0},"
  "\"filter\":{\"supported\":true,\"maxResults\":100},\"changePassword\":{\"supported\":false},"
  "\"sort\":{\"supported\":false},\"etag\":{\"supported\":false},"
  "\"authenticationSchemes\":[{\"type\":\"oauthbearertoken\",\"name\":\"OAuth Bearer Token\","
  "\"description\":\"OAuth 2.0 client credentials\"}]}";

static void
handle_schemas (SoupServerMessage *msg,
                const char        *id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *resources;

  if (!json_parser_load_from_data (parser, schemas_json, -1, NULL))
    g_assert_not_reached ();

  if (id == NULL)
    {
      prov_scim_respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE,
                      json_node_get_object (json_parser_get_root (parser)));
      return;
    }

  resources = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "Resources");
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonObject *schema = json_array_get_object_element (resources, i);

      if (g_strcmp0 (prov_scim_object_get_string (schema, "id"), id) == 0)
        {
          prov_scim_respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE, schema);
          return;
        }
    }

  prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such schema");
}

static void
handle_jam_scim (ProvTestServer    *self,
                 SoupServerMessage *msg,
                 const char        *rest)
{
  g_auto(GStrv) parts = prov_scim_split_path (rest);
  guint n = g_strv_length (parts);

  if (!prov_scim_authenticate (self, msg, AUTH_BEARER, "SAP Jam"))
    return;

  if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Users"))
    handle_collection (self, msg, self->jam_users, parts[1], &jam_user_rules, LIST_SCIM2, FALSE, FALSE);
  else if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Groups"))
    handle_collection (self, msg, self->jam_groups, parts[1], &group_rules, LIST_SCIM2, FALSE, FALSE);
  else if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Schemas") &&
           g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    handle_schemas (msg, parts[1]);
  else if (n == 1 && g_str_equal (parts[0], "ServiceProviderConfig") &&
           g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, SCIM_CONTENT_TYPE, SOUP_MEMORY_STATIC,
                                        service_provider_config_json,
                                        strlen (service_provider_config_json));
    }
  else
    prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such SCIM endpoint");
}

/* Identity Provisioning */

static void
handle_ips (ProvTestServer    *self,
            SoupServerMessage *msg,
            const char        *rest)
{
  g_auto(GStrv) parts = prov_scim_split_path (rest);
  guint n = g_strv_length (parts);
  IpsSystem *system;

  if (!prov_scim_authenticate (self, msg, AUTH_BASIC | AUTH_BEARER | AUTH_CERT, "Identity Provisioning"))
    return;

  if (n < 3 || n > 4 || !g_str_equal (parts[1], "entities"))
    {
      prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint");
      return;
    }

  system = g_hash_table_lookup (self->ips_systems, parts[0]);
  if (system == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("System “%s” not found", parts[0]);
      prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, detail);
      return;
    }

  if (g_str_equal (parts[2], "user"))
    handle_collection (self, msg, system->users, parts[3], &jam_user_rules, LIST_SCIM2, FALSE, TRUE);
  else if (g_str_equal (parts[2], "group"))
    handle_collection (self, msg, system->groups, parts[3], &group_rules, LIST_SCIM2, FALSE, TRUE);
  else
    prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such entity type");
}

/* Identity Authentication (the source) */

static void
handle_source (ProvTestServer    *self,
               SoupServerMessage *msg,
               const char        *rest,
               ListStyle          style)
{
  g_auto(GStrv) parts = prov_scim_split_path (rest);
  guint n = g_strv_length (parts);

  if (!prov_scim_authenticate (self, msg, AUTH_BASIC | AUTH_BEARER | AUTH_CERT, "Identity Authentication"))
    return;

  if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Users"))
    handle_collection (self, msg, self->source_users, parts[1], &source_user_rules, style,
                       !self->source_writable, FALSE);
  else if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Groups"))
    handle_collection (self, msg, self->source_groups, parts[1], &group_rules, style, TRUE, FALSE);
  else
    prov_scim_respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such SCIM endpoint");
}

void
prov_scim_dispatch (ProvTestServer    *self,
          SoupServerMessage *msg,
          const char        *path)
{
  if (g_str_equal (path, JAM_TOKEN_PATH) || g_str_equal (path, IAS_TOKEN_PATH))
    prov_scim_handle_token (self, msg);
  else if (prov_scim_path_is_under (path, JAM_SCIM_PREFIX))
    handle_jam_scim (self, msg, path + strlen (JAM_SCIM_PREFIX));
  else if (prov_scim_path_is_under (path, IPS_PREFIX))
    handle_ips (self, msg, path + strlen (IPS_PREFIX));
  else if (prov_scim_path_is_under (path, SOURCE_V1_PREFIX))
    handle_source (self, msg, path + strlen (SOURCE_V1_PREFIX), LIST_SCIM1);
  else if (prov_scim_path_is_under (path, SOURCE_V2_PREFIX))
    handle_source (self, msg, path + strlen (SOURCE_V2_PREFIX), LIST_SCIM2);
  else
    prov_scim_respond_json_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
}
