/* prov-scim-store.c — the user and group stores of the embedded SCIM service
 *
 * Resources in insertion order with id and unique-attribute indexes, the
 * SCIM filter subset the endpoints accept, and the accessors of the users.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "prov-scim-http.h"
#include "prov-scim-store.h"

/* Resource stores */

static void
resource_free (Resource *resource)
{
  g_free (resource->id);
  g_free (resource->unique_key);
  g_clear_pointer (&resource->object, json_object_unref);
  g_free (resource);
}

ResourceStore *
prov_scim_store_new (const char *resource_type,
           const char *unique_attr,
           const char *schema,
           const char *location)
{
  ResourceStore *store = g_new0 (ResourceStore, 1);

  store->resource_type = resource_type;
  store->unique_attr = unique_attr;
  store->schema = schema;
  store->location = g_strdup (location);
  store->order = g_ptr_array_new_with_free_func ((GDestroyNotify) resource_free);
  store->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  store->by_unique = g_hash_table_new (g_str_hash, g_str_equal);
  return store;
}

void
prov_scim_store_free (ResourceStore *store)
{
  g_hash_table_unref (store->by_id);
  g_hash_table_unref (store->by_unique);
  g_ptr_array_unref (store->order);
  g_free (store->location);
  g_free (store);
}

Resource *
prov_scim_store_lookup_id (ResourceStore *store,
                 const char    *id)
{
  return id != NULL ? g_hash_table_lookup (store->by_id, id) : NULL;
}

Resource *
prov_scim_store_lookup_unique (ResourceStore *store,
                     const char    *value)
{
  g_autofree char *key = prov_scim_casefold (value);

  return key != NULL ? g_hash_table_lookup (store->by_unique, key) : NULL;
}

/* Installs @object (taken) as @resource's content: id and meta are the
 * server's, "created" survives updates. */
void
prov_scim_store_set_object (ResourceStore *store,
                  Resource      *resource,
                  JsonObject    *object)
{
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *now = prov_scim_now_iso8601 ();
  g_autofree char *location = g_strdup_printf ("%s/%s", store->location, resource->id);
  g_autofree char *version = g_strdup_printf ("W/\"%" G_GUINT64_FORMAT "\"", ++store->serial);
  const char *created = NULL;
  JsonNode *old_meta = NULL;

  if (resource->object != NULL)
    old_meta = json_object_get_member (resource->object, "meta");
  if (old_meta != NULL && JSON_NODE_HOLDS_OBJECT (old_meta))
    created = prov_scim_object_get_string (json_node_get_object (old_meta), "created");

  json_object_set_string_member (meta, "resourceType", store->resource_type);
  json_object_set_string_member (meta, "created", created != NULL ? created : now);
  json_object_set_string_member (meta, "lastModified", now);
  json_object_set_string_member (meta, "location", location);
  json_object_set_string_member (meta, "version", version);

  json_object_set_string_member (object, "id", resource->id);
  json_object_set_object_member (object, "meta", g_steal_pointer (&meta));
  if (!json_object_has_member (object, "schemas"))
    json_object_set_array_member (object, "schemas", prov_scim_string_array (store->schema, NULL));

  if (resource->unique_key != NULL)
    g_hash_table_remove (store->by_unique, resource->unique_key);
  g_clear_pointer (&resource->unique_key, g_free);

  resource->unique_key = prov_scim_casefold (prov_scim_object_get_string (object, store->unique_attr));
  if (resource->unique_key != NULL)
    g_hash_table_insert (store->by_unique, resource->unique_key, resource);

  g_clear_pointer (&resource->object, json_object_unref);
  resource->object = object;
}

Resource *
prov_scim_store_insert (ResourceStore *store,
              JsonObject    *object,
              const char    *id)
{
  Resource *resource = g_new0 (Resource, 1);

  if (id == NULL || g_hash_table_contains (store->by_id, id))
    resource->id = g_uuid_string_random ();
  else
    resource->id = g_strdup (id);

  g_ptr_array_add (store->order, resource);
  g_hash_table_insert (store->by_id, resource->id, resource);
  prov_scim_store_set_object (store, resource, object);
  return resource;
}

void
prov_scim_store_remove (ResourceStore *store,
              Resource      *resource)
{
  g_hash_table_remove (store->by_id, resource->id);
  if (resource->unique_key != NULL)
    g_hash_table_remove (store->by_unique, resource->unique_key);
  g_ptr_array_remove (store->order, resource);
}

void
prov_scim_ips_system_free (IpsSystem *system)
{
  prov_scim_store_free (system->users);
  prov_scim_store_free (system->groups);
  g_free (system);
}

static ResourceStore *
get_store (ProvTestServer *self,
           ProvTestStore   which,
           const char     *system_id)
{
  IpsSystem *system;

  switch (which)
    {
    case PROV_TEST_STORE_JAM:
      return self->jam_users;

    case PROV_TEST_STORE_SOURCE:
      return self->source_users;

    case PROV_TEST_STORE_IPS:
      g_return_val_if_fail (system_id != NULL, NULL);
      system = g_hash_table_lookup (self->ips_systems, system_id);
      if (system == NULL)
        {
          g_critical ("No Identity Provisioning system “%s”", system_id);
          return NULL;
        }
      return system->users;

    default:
      g_return_val_if_reached (NULL);
    }
}

/* Filters */

static void
filter_term_free (FilterTerm *term)
{
  g_free (term->value);
  g_free (term);
}

const char *
prov_scim_skip_spaces (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static char *
read_word (const char **p)
{
  const char *start = *p;

  while (**p != '\0' && **p != ' ' && **p != '\t')
    (*p)++;

  return start == *p ? NULL : g_strndup (start, *p - start);
}

/* A quoted SCIM string value, with \" and \\ escapes. */
char *
prov_scim_read_quoted (const char **p)
{
  GString *value = g_string_new (NULL);
  const char *q = *p + 1;

  while (*q != '\0' && *q != '"')
    {
      if (*q == '\\' && q[1] != '\0')
        q++;
      g_string_append_c (value, *q);
      q++;
    }

  if (*q != '"')
    {
      g_string_free (value, TRUE);
      return NULL;
    }

  *p = q + 1;
  return g_string_free (value, FALSE);
}

/* Parses `attr eq "value" [and attr eq "value"]...` over the attributes
 * @rules allows; NULL with @error for anything else. */
static GPtrArray *
parse_filter (const char         *filter,
              const FilterRules  *rules,
              GError            **error)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) filter_term_free);
  const char *p = prov_scim_skip_spaces (filter);

  while (TRUE)
    {
      g_autofree char *attr = NULL;
      g_autofree char *op = NULL;
      g_autofree char *value = NULL;
      const char *canonical = NULL;
      FilterTerm *term;

      attr = read_word (&p);
      p = prov_scim_skip_spaces (p);
      op = read_word (&p);
      p = prov_scim_skip_spaces (p);

      if (attr == NULL || op == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "The filter “%s” is incomplete", filter);
          return NULL;
        }

      for (guint i = 0; rules->attributes[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (attr, rules->attributes[i]) == 0)
            canonical = rules->attributes[i];
        }

      if (canonical == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "Filtering on “%s” is not supported", attr);
          return NULL;
        }

      if (g_ascii_strcasecmp (op, "eq") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "The operator “%s” is not supported, only “eq”", op);
          return NULL;
        }

      if (*p == '"')
        value = prov_scim_read_quoted (&p);
      else
        value = read_word (&p);

      if (value == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "The filter “%s” has no valid value", filter);
          return NULL;
        }

      term = g_new0 (FilterTerm, 1);
      term->attr = canonical;
      term->value = g_steal_pointer (&value);
      g_ptr_array_add (terms, term);

      p = prov_scim_skip_spaces (p);
      if (*p == '\0')
        break;

      if (rules->allow_and && g_ascii_strncasecmp (p, "and", 3) == 0 && (p[3] == ' ' || p[3] == '\t'))
        {
          p = prov_scim_skip_spaces (p + 3);
          continue;
        }

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The filter “%s” is not supported", filter);
      return NULL;
    }

  return g_steal_pointer (&terms);
}

static gboolean
value_matches (JsonNode   *node,
               const char *value)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    return g_ascii_strcasecmp (value, "null") == 0;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      g_autofree char *a = prov_scim_casefold (json_node_get_string (node));
      g_autofree char *b = prov_scim_casefold (value);
      return g_strcmp0 (a, b) == 0;
    }
  if (type == G_TYPE_BOOLEAN)
    return g_ascii_strcasecmp (value, json_node_get_boolean (node) ? "true" : "false") == 0;
  if (type == G_TYPE_INT64)
    return g_ascii_strtoll (value, NULL, 10) == json_node_get_int (node);

  return FALSE;
}

static gboolean
resource_matches_term (JsonObject *object,
                       FilterTerm *term)
{
  g_auto(GStrv) path = g_strsplit (term->attr, ".", 2);
  const char *sub = path[1];
  JsonNode *node = json_object_get_member (object, path[0]);

  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            {
              JsonNode *member = json_object_get_member (json_node_get_object (element),
                                                         sub != NULL ? sub : "value");
              if (member != NULL && value_matches (member, term->value))
                return TRUE;
            }
          else if (value_matches (element, term->value))
            return TRUE;
        }
      return FALSE;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member;

      if (sub == NULL)
        return FALSE;
      member = json_object_get_member (json_node_get_object (node), sub);
      return member != NULL && value_matches (member, term->value);
    }

  return sub == NULL && value_matches (node, term->value);
}

/* The resources that match @filter (all for NULL), in store order; the
 * array borrows them. */
GPtrArray *
prov_scim_store_filter (ResourceStore      *store,
              const char         *filter,
              const FilterRules  *rules,
              GError            **error)
{
  g_autoptr(GPtrArray) terms = NULL;
  GPtrArray *matches = g_ptr_array_new ();

  if (filter == NULL || *filter == '\0')
    {
      g_ptr_array_extend (matches, store->order, NULL, NULL);
      return matches;
    }

  terms = parse_filter (filter, rules, error);
  if (terms == NULL)
    {
      g_ptr_array_unref (matches);
      return NULL;
    }

  /* The provisioning engine looks users up one by one: keep that O(1). */
  if (terms->len == 1 && g_str_equal (((FilterTerm *) terms->pdata[0])->attr, store->unique_attr))
    {
      Resource *resource = prov_scim_store_lookup_unique (store, ((FilterTerm *) terms->pdata[0])->value);

      if (resource != NULL)
        g_ptr_array_add (matches, resource);
      return matches;
    }

  for (guint i = 0; i < store->order->len; i++)
    {
      Resource *resource = g_ptr_array_index (store->order, i);
      gboolean all = TRUE;

      for (guint j = 0; j < terms->len && all; j++)
        all = resource_matches_term (resource->object, g_ptr_array_index (terms, j));

      if (all)
        g_ptr_array_add (matches, resource);
    }

  return matches;
}

void
prov_test_server_add_ips_system (ProvTestServer *self,
                                 const char     *system_id)
{
  g_autofree char *base = NULL;
  g_autofree char *location = NULL;
  IpsSystem *system;

  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (system_id != NULL);

  if (g_hash_table_contains (self->ips_systems, system_id))
    return;

  base = g_strdup_printf ("%s%s/%s/entities", self->base_url, IPS_PREFIX, system_id);
  system = g_new0 (IpsSystem, 1);
  location = g_strconcat (base, "/user", NULL);
  system->users = prov_scim_store_new ("User", "userName", SCIM_USER, location);
  g_free (location);
  location = g_strconcat (base, "/group", NULL);
  system->groups = prov_scim_store_new ("Group", "displayName", SCIM_GROUP, location);
  g_hash_table_insert (self->ips_systems, g_strdup (system_id), system);
}

guint
prov_test_server_get_n_users (ProvTestServer *self,
                              ProvTestStore   store,
                              const char     *system_id)
{
  ResourceStore *resources;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);

  resources = get_store (self, store, system_id);
  return resources != NULL ? resources->order->len : 0;
}

JsonArray *
prov_test_server_dup_users (ProvTestServer *self,
                            ProvTestStore   store,
                            const char     *system_id)
{
  ResourceStore *resources;
  JsonArray *users;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);

  users = json_array_new ();
  resources = get_store (self, store, system_id);
  for (guint i = 0; resources != NULL && i < resources->order->len; i++)
    {
      Resource *resource = g_ptr_array_index (resources->order, i);
      json_array_add_object_element (users, prov_scim_object_deep_copy (resource->object));
    }

  return users;
}

JsonObject *
prov_test_server_find_user (ProvTestServer *self,
                            ProvTestStore   store,
                            const char     *system_id,
                            const char     *user_name)
{
  ResourceStore *resources;
  Resource *resource;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  g_return_val_if_fail (user_name != NULL, NULL);

  resources = get_store (self, store, system_id);
  if (resources == NULL)
    return NULL;

  resource = prov_scim_store_lookup_unique (resources, user_name);
  return resource != NULL ? prov_scim_object_deep_copy (resource->object) : NULL;
}

const char *
prov_test_server_put_user (ProvTestServer *self,
                           ProvTestStore   store,
                           const char     *system_id,
                           JsonObject     *user)
{
  ResourceStore *resources;
  Resource *resource;
  const char *user_name;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  resources = get_store (self, store, system_id);
  user_name = prov_scim_object_get_string (user, "userName");
  if (resources == NULL || user_name == NULL)
    return NULL;

  resource = prov_scim_store_lookup_unique (resources, user_name);
  if (resource != NULL)
    prov_scim_store_set_object (resources, resource, prov_scim_object_deep_copy (user));
  else
    resource = prov_scim_store_insert (resources, prov_scim_object_deep_copy (user), prov_scim_object_get_string (user, "id"));

  return resource->id;
}

gboolean
prov_test_server_remove_user (ProvTestServer *self,
                              ProvTestStore   store,
                              const char     *system_id,
                              const char     *user_name)
{
  ResourceStore *resources;
  Resource *resource;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (user_name != NULL, FALSE);

  resources = get_store (self, store, system_id);
  if (resources == NULL)
    return FALSE;

  resource = prov_scim_store_lookup_unique (resources, user_name);
  if (resource == NULL)
    return FALSE;

  prov_scim_store_remove (resources, resource);
  return TRUE;
}

void
prov_test_server_add_source_users (ProvTestServer *self,
                                   JsonArray      *users)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (users != NULL);

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonNode *element = json_array_get_element (users, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        prov_test_server_put_user (self, PROV_TEST_STORE_SOURCE, NULL, json_node_get_object (element));
    }
}

static JsonObject *
generate_user (guint i)
{
  static const char * const titles[] = { "Engineer", "Manager", "Analyst", "Designer" };
  JsonObject *user = json_object_new ();
  JsonObject *name = json_object_new ();
  JsonObject *email = json_object_new ();
  JsonObject *phone = json_object_new ();
  JsonObject *address = json_object_new ();
  JsonObject *enterprise = json_object_new ();
  JsonArray *array;
  char buffer[128];

  json_object_set_array_member (user, "schemas", prov_scim_string_array (SCIM_USER, SCIM_ENTERPRISE, NULL));
  g_snprintf (buffer, sizeof buffer, "00000000-0000-4000-8000-%012u", i);
  json_object_set_string_member (user, "id", buffer);
  g_snprintf (buffer, sizeof buffer, "user%05u", i);
  json_object_set_string_member (user, "userName", buffer);

  g_snprintf (buffer, sizeof buffer, "Given%u", i);
  json_object_set_string_member (name, "givenName", buffer);
  g_snprintf (buffer, sizeof buffer, "Family%u", i);
  json_object_set_string_member (name, "familyName", buffer);
  json_object_set_object_member (user, "name", name);

  g_snprintf (buffer, sizeof buffer, "Given%u Family%u", i, i);
  json_object_set_string_member (user, "displayName", buffer);

  g_snprintf (buffer, sizeof buffer, "user%05u@example.com", i);
  json_object_set_string_member (email, "value", buffer);
  json_object_set_boolean_member (email, "primary", TRUE);
  json_object_set_string_member (email, "type", "work");
  array = json_array_new ();
  json_array_add_object_element (array, email);
  json_object_set_array_member (user, "emails", array);

  json_object_set_boolean_member (user, "active", TRUE);
  json_object_set_string_member (user, "userType", "employee");
  json_object_set_string_member (user, "title", titles[i % G_N_ELEMENTS (titles)]);
  json_object_set_string_member (user, "locale", "en_US");

  g_snprintf (buffer, sizeof buffer, "+49 6227 %06u", i);
  json_object_set_string_member (phone, "value", buffer);
  json_object_set_string_member (phone, "type", "work");
  array = json_array_new ();
  json_array_add_object_element (array, phone);
  json_object_set_array_member (user, "phoneNumbers", array);

  g_snprintf (buffer, sizeof buffer, "%u Dietmar-Hopp-Allee", i);
  json_object_set_string_member (address, "type", "work");
  json_object_set_string_member (address, "streetAddress", buffer);
  json_object_set_string_member (address, "locality", "Walldorf");
  json_object_set_string_member (address, "postalCode", "69190");
  json_object_set_string_member (address, "country", "DE");
  array = json_array_new ();
  json_array_add_object_element (array, address);
  json_object_set_array_member (user, "addresses", array);

  g_snprintf (buffer, sizeof buffer, "E%05u", i);
  json_object_set_string_member (enterprise, "employeeNumber", buffer);
  g_snprintf (buffer, sizeof buffer, "CC%03u", i % 50);
  json_object_set_string_member (enterprise, "costCenter", buffer);
  json_object_set_string_member (enterprise, "organization", "Provisioner Test Org");
  g_snprintf (buffer, sizeof buffer, "Division %u", i % 5);
  json_object_set_string_member (enterprise, "division", buffer);
  g_snprintf (buffer, sizeof buffer, "Department %u", i % 10);
  json_object_set_string_member (enterprise, "department", buffer);
  json_object_set_object_member (user, SCIM_ENTERPRISE, enterprise);

  return user;
}

void
prov_test_server_generate_source_users (ProvTestServer *self,
                                        guint           n)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) user = generate_user (++self->generated_users);

      prov_test_server_put_user (self, PROV_TEST_STORE_SOURCE, NULL, user);
    }
}
