/* prov-test-server.c — an in-process SAP Jam / Identity Provisioning /
 * Identity Authentication peer for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <libsoup/soup.h>

#include "prov-test-server.h"

#define SCIM_LIST_RESPONSE   "urn:ietf:params:scim:api:messages:2.0:ListResponse"
#define SCIM_ERROR           "urn:ietf:params:scim:api:messages:2.0:Error"
#define SCIM_PATCH_OP        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define SCIM_USER            "urn:ietf:params:scim:schemas:core:2.0:User"
#define SCIM_GROUP           "urn:ietf:params:scim:schemas:core:2.0:Group"
#define SCIM_ENTERPRISE      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define SCIM1_CORE           "urn:scim:schemas:core:1.0"
#define SCIM1_ENTERPRISE     "urn:scim:schemas:extension:enterprise:1.0"

#define SCIM_CONTENT_TYPE    "application/scim+json"
#define JSON_CONTENT_TYPE    "application/json"
#define FORM_CONTENT_TYPE    "application/x-www-form-urlencoded"

#define JAM_TOKEN_PATH       "/api/v1/auth/token"
#define IAS_TOKEN_PATH       "/oauth2/token"
#define JAM_SCIM_PREFIX      "/api/v1/scim"
#define IPS_PREFIX           "/ipsproxy/service/api/v1/systems"
#define SOURCE_V2_PREFIX     "/scim"
#define SOURCE_V1_PREFIX     "/service/scim"

/* libsoup 3.2 has no name for it. */
#define HTTP_TOO_MANY_REQUESTS 429

#define MAX_PAGE_SIZE        100
#define V1_MAX_COUNT         100
/* What SAP Jam documents per minute; only used in 429 fault headers. */
#define FAULT_RATE_LIMIT     200

#define PEER_CERT_KEY        "prov-test-server-peer-certificate"
#define PEER_CN_KEY          "prov-test-server-peer-cn"
#define SEEN_KEY             "prov-test-server-seen"

/* Types */

typedef struct
{
  grefcount           ref_count;
  char               *method;
  char               *path;
  SoupMessageHeaders *headers;
  char               *body;
  char               *client_cn;
  guint               status;
} Request;

typedef struct
{
  char          *path_prefix;
  ProvTestFault  kind;
  int            param;
  guint          remaining;  /* 0: forever */
} Fault;

typedef struct
{
  char   *path_prefix;
  guint   limit;
  gint64  window_us;
  GQueue  times;             /* gint64 monotonic µs, oldest first */
} RateLimit;

typedef struct
{
  ProvTestServer    *self;
  SoupServerMessage *msg;
  char              *path;
  guint              source_id;
} Delayed;

typedef struct
{
  char       *id;
  char       *unique_key;    /* casefolded unique attribute, or NULL */
  JsonObject *object;
} Resource;

typedef struct
{
  const char *resource_type; /* "User", "Group" */
  const char *unique_attr;   /* "userName", "displayName" */
  const char *schema;
  char       *location;      /* absolute URL of the collection */
  GPtrArray  *order;         /* Resource*, insertion order */
  GHashTable *by_id;         /* id → Resource* */
  GHashTable *by_unique;     /* unique_key → Resource* */
  guint64     serial;
} ResourceStore;

typedef struct
{
  ResourceStore *users;
  ResourceStore *groups;
} IpsSystem;

typedef enum
{
  AUTH_BASIC  = 1 << 0,
  AUTH_BEARER = 1 << 1,
  AUTH_CERT   = 1 << 2,
} AuthMethods;

typedef enum
{
  LIST_SCIM2,
  LIST_SCIM1,
} ListStyle;

/* Which attributes a collection may be filtered on. */
typedef struct
{
  const char * const *attributes;
  gboolean            allow_and;
} FilterRules;

typedef struct
{
  const char *attr;          /* canonical name, from FilterRules */
  char       *value;
} FilterTerm;

struct _ProvTestServer
{
  GObject              parent_instance;

  ProvTestServerFlags  flags;
  SoupServer          *server;
  char                *base_url;
  char                *base_url_localhost;
  guint16              port;

  /* Certificates, generated at start; files live in tmp_dir. */
  char                *tmp_dir;
  ProvTestCert        *ca;
  ProvTestCert        *client_ca;
  ProvTestCert        *untrusted_ca;
  ProvTestCert        *server_cert;
  char                *ca_file;
  char                *client_ca_file;
  char                *untrusted_ca_file;
  char                *client_trust_file;
  GPtrArray           *pinned_certs;       /* GTlsCertificate* */
  GHashTable          *trusted_subjects;   /* CN set */

  GHashTable          *clients;            /* client id → secret */
  GHashTable          *tokens;             /* token → gint64* expiry (monotonic µs) */
  guint                token_lifetime;
  guint                tokens_issued;

  GPtrArray           *requests;           /* Request* */
  guint                in_flight;
  guint                max_concurrent;
  guint                connections;
  guint                generation;         /* bumps on clear_requests */

  GPtrArray           *faults;             /* Fault* */
  GPtrArray           *rate_limits;        /* RateLimit* */
  GPtrArray           *delayed;            /* Delayed* */
  guint                retry_after;

  ResourceStore       *jam_users;
  ResourceStore       *jam_groups;
  ResourceStore       *source_users;
  ResourceStore       *source_groups;
  GHashTable          *ips_systems;        /* id → IpsSystem* */

  guint                generated_users;
  gboolean             source_repeat_last_page;
  int                  source_reported_total;
  char                *source_end_marker;
  guint                source_page_cap;    /* 0: no cap beyond the defaults */
  gboolean             ips_strict_post;    /* POST of a taken userName: 409 */
  gboolean             ignoring_filter;    /* while serving an IGNORE_FILTER fault */
  gboolean             source_writable;    /* real-time sync tests change the tenant */
  gboolean             source_refuse_delta; /* 400 invalidFilter for lastModified */
};

static void prov_test_server_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ProvTestServer, prov_test_server, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, prov_test_server_initable_iface_init))

enum {
  PROP_0,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const jam_filter_attributes[] = { "userName", NULL };
static const char * const group_filter_attributes[] = { "displayName", NULL };
static const char * const source_filter_attributes[] = {
  "userName", "id", "externalId", "emails", "emails.value", "displayName",
  "name.givenName", "name.familyName", "active", NULL
};

static const FilterRules jam_user_rules = { jam_filter_attributes, FALSE };
static const FilterRules group_rules = { group_filter_attributes, FALSE };
static const FilterRules source_user_rules = { source_filter_attributes, TRUE };

static void dispatch (ProvTestServer    *self,
                      SoupServerMessage *msg,
                      const char        *path);

/* Small helpers */

static gboolean
path_has_prefix (const char *path,
                 const char *prefix)
{
  gsize len;

  if (prefix == NULL)
    return TRUE;

  /* A plain string prefix, so tests can match "/api/v1/scim/Us" too. */
  len = strlen (prefix);
  return strncmp (path, prefix, len) == 0;
}

static gboolean
path_is_under (const char *path,
               const char *root)
{
  gsize len = strlen (root);

  return strncmp (path, root, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* The non-empty segments of @path. */
static GStrv
split_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

static char *
casefold (const char *str)
{
  return str != NULL ? g_utf8_casefold (str, -1) : NULL;
}

static char *
random_token (void)
{
  guint8 bytes[24];

  if (gnutls_rnd (GNUTLS_RND_RANDOM, bytes, sizeof bytes) < 0)
    {
      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = g_random_int_range (0, 256);
    }

  return g_base64_encode (bytes, sizeof bytes);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format_iso8601 (now);
}

static JsonNode *node_deep_copy (JsonNode *node);

static JsonObject *
object_deep_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, node_deep_copy (member));

  return copy;
}

static JsonArray *
array_deep_copy (JsonArray *array)
{
  guint n = json_array_get_length (array);
  JsonArray *copy = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    json_array_add_element (copy, node_deep_copy (json_array_get_element (array, i)));

  return copy;
}

/* json_node_copy() shares objects and arrays; stored resources must not. */
static JsonNode *
node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      copy = json_node_alloc ();
      json_node_take_object (json_node_init (copy, JSON_NODE_OBJECT),
                             object_deep_copy (json_node_get_object (node)));
      return copy;

    case JSON_NODE_ARRAY:
      copy = json_node_alloc ();
      json_node_take_array (json_node_init (copy, JSON_NODE_ARRAY),
                            array_deep_copy (json_node_get_array (node)));
      return copy;

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
string_array (const char *first,
              ...)
{
  JsonArray *array = json_array_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    json_array_add_string_element (array, s);
  va_end (args);

  return array;
}

/* Responses */

static void
respond_body (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              char              *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
respond_object (SoupServerMessage *msg,
                guint              status,
                const char        *content_type,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  respond_body (msg, status, content_type, json_to_string (node, FALSE));
}

static void
respond_scim_error (SoupServerMessage *msg,
                    guint              status,
                    const char        *scim_type,
                    const char        *detail)
{
  g_autoptr(JsonObject) error = json_object_new ();
  g_autofree char *status_str = g_strdup_printf ("%u", status);

  json_object_set_array_member (error, "schemas", string_array (SCIM_ERROR, NULL));
  json_object_set_string_member (error, "status", status_str);
  if (scim_type != NULL)
    json_object_set_string_member (error, "scimType", scim_type);
  json_object_set_string_member (error, "detail", detail);

  respond_object (msg, status, SCIM_CONTENT_TYPE, error);
}

static void
respond_json_error (SoupServerMessage *msg,
                    guint              status,
                    const char        *error_code,
                    const char        *description)
{
  g_autoptr(JsonObject) error = json_object_new ();

  json_object_set_string_member (error, "error", error_code);
  if (description != NULL)
    json_object_set_string_member (error, "error_description", description);

  respond_object (msg, status, JSON_CONTENT_TYPE, error);
}

static gboolean
is_scim_path (const char *path)
{
  return path_is_under (path, JAM_SCIM_PREFIX) ||
         path_is_under (path, IPS_PREFIX) ||
         path_is_under (path, SOURCE_V2_PREFIX) ||
         path_is_under (path, SOURCE_V1_PREFIX);
}

static void
add_rate_limit_headers (SoupServerMessage *msg,
                        guint              limit,
                        guint              remaining,
                        guint              reset_in_seconds)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *limit_str = g_strdup_printf ("%u", limit);
  g_autofree char *remaining_str = g_strdup_printf ("%u", remaining);
  g_autofree char *reset_str = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC + reset_in_seconds);

  soup_message_headers_replace (headers, "X-RateLimit-Limit", limit_str);
  soup_message_headers_replace (headers, "X-RateLimit-Remaining", remaining_str);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", reset_str);
}

static void
respond_too_many_requests (SoupServerMessage *msg,
                           const char        *path,
                           guint              limit,
                           guint              retry_after)
{
  g_autofree char *retry_str = g_strdup_printf ("%u", retry_after);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", retry_str);
  add_rate_limit_headers (msg, limit, 0, retry_after);

  if (is_scim_path (path))
    respond_scim_error (msg, HTTP_TOO_MANY_REQUESTS, NULL, "Too many requests");
  else
    respond_json_error (msg, HTTP_TOO_MANY_REQUESTS, "too_many_requests", "Too many requests");
}

/* The answer a STATUS fault gives: what the real service would send. */
static void
respond_fault_status (ProvTestServer    *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      guint              status)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *phrase = soup_status_get_phrase (status);

  if (status == HTTP_TOO_MANY_REQUESTS)
    {
      respond_too_many_requests (msg, path, FAULT_RATE_LIMIT, self->retry_after);
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      if (path_is_under (path, JAM_SCIM_PREFIX))
        soup_message_headers_replace (headers, "WWW-Authenticate",
                                      "Bearer realm=\"SAP Jam\", error=\"invalid_token\"");
      else
        soup_message_headers_replace (headers, "WWW-Authenticate",
                                      "Basic realm=\"Provisioner test server\"");
    }

  if (is_scim_path (path))
    respond_scim_error (msg, status, NULL, phrase != NULL ? phrase : "Error");
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    respond_json_error (msg, status, "invalid_client", "Client authentication failed");
  else
    respond_json_error (msg, status, status >= 500 ? "server_error" : "invalid_request", phrase);
}

/* Request record */

static Request *
request_ref (Request *request)
{
  g_ref_count_inc (&request->ref_count);
  return request;
}

static void
request_unref (Request *request)
{
  if (!g_ref_count_dec (&request->ref_count))
    return;

  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request->body);
  g_free (request->client_cn);
  g_free (request);
}

/* Resource stores */

static void
resource_free (Resource *resource)
{
  g_free (resource->id);
  g_free (resource->unique_key);
  g_clear_pointer (&resource->object, json_object_unref);
  g_free (resource);
}

static ResourceStore *
store_new (const char *resource_type,
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

static void
store_free (ResourceStore *store)
{
  g_hash_table_unref (store->by_id);
  g_hash_table_unref (store->by_unique);
  g_ptr_array_unref (store->order);
  g_free (store->location);
  g_free (store);
}

static Resource *
store_lookup_id (ResourceStore *store,
                 const char    *id)
{
  return id != NULL ? g_hash_table_lookup (store->by_id, id) : NULL;
}

static Resource *
store_lookup_unique (ResourceStore *store,
                     const char    *value)
{
  g_autofree char *key = casefold (value);

  return key != NULL ? g_hash_table_lookup (store->by_unique, key) : NULL;
}

/* Installs @object (taken) as @resource's content: id and meta are the
 * server's, "created" survives updates. */
static void
store_set_object (ResourceStore *store,
                  Resource      *resource,
                  JsonObject    *object)
{
  g_autoptr(JsonObject) meta = json_object_new ();
  g_autofree char *now = now_iso8601 ();
  g_autofree char *location = g_strdup_printf ("%s/%s", store->location, resource->id);
  g_autofree char *version = g_strdup_printf ("W/\"%" G_GUINT64_FORMAT "\"", ++store->serial);
  const char *created = NULL;
  JsonNode *old_meta = NULL;

  if (resource->object != NULL)
    old_meta = json_object_get_member (resource->object, "meta");
  if (old_meta != NULL && JSON_NODE_HOLDS_OBJECT (old_meta))
    created = object_get_string (json_node_get_object (old_meta), "created");

  json_object_set_string_member (meta, "resourceType", store->resource_type);
  json_object_set_string_member (meta, "created", created != NULL ? created : now);
  json_object_set_string_member (meta, "lastModified", now);
  json_object_set_string_member (meta, "location", location);
  json_object_set_string_member (meta, "version", version);

  json_object_set_string_member (object, "id", resource->id);
  json_object_set_object_member (object, "meta", g_steal_pointer (&meta));
  if (!json_object_has_member (object, "schemas"))
    json_object_set_array_member (object, "schemas", string_array (store->schema, NULL));

  if (resource->unique_key != NULL)
    g_hash_table_remove (store->by_unique, resource->unique_key);
  g_clear_pointer (&resource->unique_key, g_free);

  resource->unique_key = casefold (object_get_string (object, store->unique_attr));
  if (resource->unique_key != NULL)
    g_hash_table_insert (store->by_unique, resource->unique_key, resource);

  g_clear_pointer (&resource->object, json_object_unref);
  resource->object = object;
}

static Resource *
store_insert (ResourceStore *store,
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
  store_set_object (store, resource, object);
  return resource;
}

static void
store_remove (ResourceStore *store,
              Resource      *resource)
{
  g_hash_table_remove (store->by_id, resource->id);
  if (resource->unique_key != NULL)
    g_hash_table_remove (store->by_unique, resource->unique_key);
  g_ptr_array_remove (store->order, resource);
}

static void
ips_system_free (IpsSystem *system)
{
  store_free (system->users);
  store_free (system->groups);
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

static const char *
skip_spaces (const char *p)
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
static char *
read_quoted (const char **p)
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
  const char *p = skip_spaces (filter);

  while (TRUE)
    {
      g_autofree char *attr = NULL;
      g_autofree char *op = NULL;
      g_autofree char *value = NULL;
      const char *canonical = NULL;
      FilterTerm *term;

      attr = read_word (&p);
      p = skip_spaces (p);
      op = read_word (&p);
      p = skip_spaces (p);

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
        value = read_quoted (&p);
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

      p = skip_spaces (p);
      if (*p == '\0')
        break;

      if (rules->allow_and && g_ascii_strncasecmp (p, "and", 3) == 0 && (p[3] == ' ' || p[3] == '\t'))
        {
          p = skip_spaces (p + 3);
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
      g_autofree char *a = casefold (json_node_get_string (node));
      g_autofree char *b = casefold (value);
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
static GPtrArray *
store_filter (ResourceStore      *store,
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
      Resource *resource = store_lookup_unique (store, ((FilterTerm *) terms->pdata[0])->value);

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

/* Certificates and the TLS peer */

static GTlsCertificate *
get_peer_certificate (SoupServerMessage *msg)
{
  GTlsCertificate *cert = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket;

  if (cert != NULL)
    return cert;

  /* Later requests on a kept-alive connection have no peer certificate of
   * their own: use the one accepted during the connection's handshake. */
  socket = soup_server_message_get_socket (msg);
  return socket != NULL ? g_object_get_data (G_OBJECT (socket), PEER_CERT_KEY) : NULL;
}

static const char *
get_peer_common_name (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GTlsCertificate *cert;
  char *cn;

  if (socket == NULL)
    return NULL;

  cn = g_object_get_data (G_OBJECT (socket), PEER_CN_KEY);
  if (cn != NULL)
    return cn;

  cert = get_peer_certificate (msg);
  if (cert == NULL)
    return NULL;

  cn = prov_test_certs_dup_common_name (cert);
  if (cn != NULL)
    g_object_set_data_full (G_OBJECT (socket), PEER_CN_KEY, cn, g_free);
  return cn;
}

static gboolean
is_pinned (ProvTestServer  *self,
           GTlsCertificate *cert)
{
  for (guint i = 0; i < self->pinned_certs->len; i++)
    {
      if (g_tls_certificate_is_same (cert, g_ptr_array_index (self->pinned_certs, i)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
accept_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ProvTestServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  gboolean accepted;

  /* A pinned certificate is its own anchor: only "unknown CA" is forgiven. */
  accepted = errors == 0 ||
             ((errors & ~G_TLS_CERTIFICATE_UNKNOWN_CA) == 0 && is_pinned (self, cert));

  g_debug ("Client certificate %s (errors 0x%x)", accepted ? "accepted" : "refused", errors);

  if (accepted && socket != NULL)
    g_object_set_data_full (G_OBJECT (socket), PEER_CERT_KEY, g_object_ref (cert), g_object_unref);

  return accepted;
}

/* Authentication */

static gboolean
check_client (ProvTestServer *self,
              const char     *client_id,
              const char     *client_secret)
{
  const char *secret;

  if (client_id == NULL || client_secret == NULL)
    return FALSE;

  secret = g_hash_table_lookup (self->clients, client_id);
  return secret != NULL && g_str_equal (secret, client_secret);
}

/* Splits "Basic base64(id:secret)"; FALSE when it is not well-formed. */
static gboolean
parse_basic (const char  *authorization,
             char       **client_id,
             char       **client_secret)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  const char *colon;
  gsize len;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (authorization + 6, &len);
  text = g_strndup ((const char *) decoded, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    return FALSE;

  *client_id = g_strndup (text, colon - text);
  *client_secret = g_strdup (colon + 1);
  return TRUE;
}

static gboolean
check_basic (ProvTestServer *self,
             const char     *authorization)
{
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *unescaped_id = NULL;
  g_autofree char *unescaped_secret = NULL;

  if (!parse_basic (authorization, &client_id, &client_secret))
    return FALSE;

  if (check_client (self, client_id, client_secret))
    return TRUE;

  /* RFC 6749 §2.3.1 wants both form-urlencoded; many clients do not. */
  unescaped_id = g_uri_unescape_string (client_id, NULL);
  unescaped_secret = g_uri_unescape_string (client_secret, NULL);
  return check_client (self, unescaped_id, unescaped_secret);
}

static gboolean
check_bearer (ProvTestServer *self,
              const char     *authorization)
{
  const char *token;
  gint64 *expiry;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;

  token = authorization + 7;
  while (*token == ' ')
    token++;

  expiry = g_hash_table_lookup (self->tokens, token);
  return expiry != NULL && g_get_monotonic_time () < *expiry;
}

static gboolean
check_certificate (ProvTestServer    *self,
                   SoupServerMessage *msg)
{
  GTlsCertificate *cert = get_peer_certificate (msg);
  const char *cn;

  if (cert == NULL)
    return FALSE;

  if (is_pinned (self, cert))
    return TRUE;

  cn = get_peer_common_name (msg);
  return cn != NULL && g_hash_table_contains (self->trusted_subjects, cn);
}

/* TRUE when the request may proceed; otherwise a 401 has been set. */
static gboolean
authenticate (ProvTestServer    *self,
              SoupServerMessage *msg,
              AuthMethods        methods,
              const char        *realm)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *challenge = NULL;
  const char *detail;

  if (authorization != NULL)
    {
      if ((methods & AUTH_BASIC) && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
        {
          if (check_basic (self, authorization))
            return TRUE;
          challenge = g_strdup_printf ("Basic realm=\"%s\"", realm);
          detail = "The client ID or secret is wrong";
        }
      else if ((methods & AUTH_BEARER) && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
        {
          if (check_bearer (self, authorization))
            return TRUE;
          challenge = g_strdup_printf ("Bearer realm=\"%s\", error=\"invalid_token\", "
                                       "error_description=\"The access token is invalid or expired\"",
                                       realm);
          detail = "The access token is invalid or expired";
        }
      else
        detail = "This authorization scheme is not accepted here";
    }
  else
    {
      if ((methods & AUTH_CERT) && check_certificate (self, msg))
        return TRUE;
      detail = "Authentication is required";
    }

  if (challenge == NULL)
    challenge = g_strdup_printf ("%s realm=\"%s\"", (methods & AUTH_BASIC) ? "Basic" : "Bearer", realm);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", challenge);
  respond_scim_error (msg, SOUP_STATUS_UNAUTHORIZED, NULL, detail);
  return FALSE;
}

/* Request bodies */

static char *
request_body_string (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data != NULL ? data : "", len);
}

/* The request body as a JSON object; NULL after answering 400. */
static JsonObject *
parse_request_object (SoupServerMessage *msg)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = request_body_string (msg);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, body, -1, &error))
    {
      g_autofree char *detail = g_strdup_printf ("The body is not valid JSON: %s", error->message);
      respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidSyntax", detail);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidSyntax", "The body is not a JSON object");
      return NULL;
    }

  return object_deep_copy (json_node_get_object (root));
}

static GHashTable *
request_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL)
    return g_hash_table_new (g_str_hash, g_str_equal);
  return soup_form_decode (query);
}

/* A non-negative integer query parameter; FALSE after answering 400. */
static gboolean
query_uint (SoupServerMessage *msg,
            GHashTable        *query,
            const char        *name,
            guint              default_value,
            guint             *value)
{
  const char *str = g_hash_table_lookup (query, name);
  guint64 parsed;

  if (str == NULL || *str == '\0')
    {
      *value = default_value;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (str, 10, 0, G_MAXINT, &parsed, NULL))
    {
      g_autofree char *detail = g_strdup_printf ("“%s” must be a non-negative integer", name);
      respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue", detail);
      return FALSE;
    }

  *value = (guint) parsed;
  return TRUE;
}

/* OAuth token endpoint */

static void
handle_token (ProvTestServer    *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *token = NULL;
  const char *grant_type;
  gboolean client_ok;
  gint64 *expiry;

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      respond_json_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                          "The token endpoint takes POST");
      return;
    }

  if (content_type == NULL || g_ascii_strcasecmp (content_type, FORM_CONTENT_TYPE) != 0)
    {
      respond_json_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "The body must be application/x-www-form-urlencoded");
      return;
    }

  body = request_body_string (msg);
  form = soup_form_decode (body);

  if (authorization != NULL)
    client_ok = check_basic (self, authorization);
  else
    client_ok = check_client (self, g_hash_table_lookup (form, "client_id"),
                              g_hash_table_lookup (form, "client_secret"));

  if (!client_ok)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"OAuth\"");
      respond_json_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                          "Client authentication failed");
      return;
    }

  grant_type = g_hash_table_lookup (form, "grant_type");
  if (grant_type == NULL)
    {
      respond_json_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", "grant_type is missing");
      return;
    }
  if (!g_str_equal (grant_type, "client_credentials"))
    {
      respond_json_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                          "Only client_credentials is supported");
      return;
    }

  token = random_token ();
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, g_strdup (token), expiry);
  self->tokens_issued++;

  answer = json_object_new ();
  json_object_set_string_member (answer, "access_token", token);
  json_object_set_string_member (answer, "token_type", "Bearer");
  json_object_set_int_member (answer, "expires_in", self->token_lifetime);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Pragma", "no-cache");
  respond_object (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, answer);
}

/* SCIM collections */

static JsonObject *
scim1_view (JsonObject *object)
{
  JsonObject *copy = object_deep_copy (object);
  JsonNode *enterprise = json_object_get_member (copy, SCIM_ENTERPRISE);
  JsonArray *schemas = string_array (SCIM1_CORE, NULL);

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

  p = skip_spaces (filter + strlen (prefix));
  value = *p == '"' ? read_quoted (&p) : NULL;
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
      const char *modified = meta ? object_get_string (meta, "lastModified") : NULL;
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
  g_autoptr(GHashTable) query = request_query (msg);
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
    matches = store_filter (store,
                            self->ignoring_filter ? NULL : g_hash_table_lookup (query, "filter"),
                            rules, &error);
  if (matches == NULL)
    {
      respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidFilter", error->message);
      return;
    }

  if (!query_uint (msg, query, "startIndex", 1, &start_index) ||
      !query_uint (msg, query, "count", MAX_PAGE_SIZE, &count))
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
          respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue",
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
              respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue", "Unknown startId");
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
                                string_array (style == LIST_SCIM1 ? SCIM1_CORE : SCIM_LIST_RESPONSE, NULL));
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
        json_array_add_object_element (resources, object_deep_copy (resource->object));
    }
  json_object_set_array_member (list, "Resources", resources);

  respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE, list);
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
      if (status == SOUP_STATUS_CREATED && object_get_string (meta, "location") != NULL)
        soup_message_headers_replace (headers, "Location", object_get_string (meta, "location"));
      if (object_get_string (meta, "version") != NULL)
        soup_message_headers_replace (headers, "ETag", object_get_string (meta, "version"));
    }

  respond_object (msg, status, SCIM_CONTENT_TYPE, resource->object);
}

static void
respond_not_found (SoupServerMessage *msg,
                   ResourceStore     *store,
                   const char        *id)
{
  g_autofree char *detail = g_strdup_printf ("%s %s not found", store->resource_type, id);

  respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, detail);
}

static gboolean
check_unique (SoupServerMessage *msg,
              ResourceStore     *store,
              JsonObject        *object,
              Resource          *self_resource)
{
  const char *value = object_get_string (object, store->unique_attr);
  Resource *other;

  if (value == NULL || *value == '\0')
    {
      g_autofree char *detail = g_strdup_printf ("“%s” is required", store->unique_attr);
      respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidValue", detail);
      return FALSE;
    }

  other = store_lookup_unique (store, value);
  if (other != NULL && other != self_resource)
    {
      g_autofree char *detail = g_strdup_printf ("%s “%s” already exists", store->unique_attr, value);
      respond_scim_error (msg, SOUP_STATUS_CONFLICT, "uniqueness", detail);
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
      json_object_set_member (object, parts[0], node_deep_copy (value));
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

  json_object_set_member (json_node_get_object (parent), parts[1], node_deep_copy (value));
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
      respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidSyntax", "Operations is missing");
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
      op = object_get_string (operation, "op");
      path = object_get_string (operation, "path");
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
  respond_scim_error (msg, SOUP_STATUS_BAD_REQUEST, "invalidPath",
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
      resource = store_lookup_id (store, id);
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
              respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE, view);
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
      respond_scim_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "This collection is read-only");
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_POST) && id == NULL)
    {
      Resource *existing = NULL;

      body = parse_request_object (msg);
      if (body == NULL)
        return;

      /* Identity Provisioning's POST creates or updates (a standard SCIM
       * server answers 409 instead: ips_strict_post). */
      if (upsert && !self->ips_strict_post)
        {
          existing = store_lookup_id (store, object_get_string (body, "id"));
          if (existing == NULL)
            existing = store_lookup_unique (store, object_get_string (body, store->unique_attr));
        }

      if (!check_unique (msg, store, body, existing))
        return;

      if (existing != NULL)
        {
          store_set_object (store, existing, g_steal_pointer (&body));
          respond_resource (msg, SOUP_STATUS_OK, existing);
        }
      else
        {
          resource = store_insert (store, g_steal_pointer (&body), NULL);
          respond_resource (msg, SOUP_STATUS_CREATED, resource);
        }
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_PUT) && resource != NULL)
    {
      body = parse_request_object (msg);
      if (body == NULL || !check_unique (msg, store, body, resource))
        return;

      store_set_object (store, resource, g_steal_pointer (&body));
      respond_resource (msg, SOUP_STATUS_OK, resource);
      return;
    }

  if (g_str_equal (method, "PATCH") && resource != NULL)
    {
      g_autoptr(JsonObject) patched = object_deep_copy (resource->object);

      body = parse_request_object (msg);
      if (body == NULL || !apply_patch (msg, patched, body) ||
          !check_unique (msg, store, patched, resource))
        return;

      store_set_object (store, resource, g_steal_pointer (&patched));
      respond_resource (msg, SOUP_STATUS_OK, resource);
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_DELETE) && resource != NULL)
    {
      store_remove (store, resource);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                id != NULL ? "GET, PUT, PATCH, DELETE" : "GET, POST");
  respond_scim_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL, "Method not allowed here");
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
      respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE,
                      json_node_get_object (json_parser_get_root (parser)));
      return;
    }

  resources = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "Resources");
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonObject *schema = json_array_get_object_element (resources, i);

      if (g_strcmp0 (object_get_string (schema, "id"), id) == 0)
        {
          respond_object (msg, SOUP_STATUS_OK, SCIM_CONTENT_TYPE, schema);
          return;
        }
    }

  respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such schema");
}

static void
handle_jam_scim (ProvTestServer    *self,
                 SoupServerMessage *msg,
                 const char        *rest)
{
  g_auto(GStrv) parts = split_path (rest);
  guint n = g_strv_length (parts);

  if (!authenticate (self, msg, AUTH_BEARER, "SAP Jam"))
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
    respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such SCIM endpoint");
}

/* Identity Provisioning */

static void
handle_ips (ProvTestServer    *self,
            SoupServerMessage *msg,
            const char        *rest)
{
  g_auto(GStrv) parts = split_path (rest);
  guint n = g_strv_length (parts);
  IpsSystem *system;

  if (!authenticate (self, msg, AUTH_BASIC | AUTH_BEARER | AUTH_CERT, "Identity Provisioning"))
    return;

  if (n < 3 || n > 4 || !g_str_equal (parts[1], "entities"))
    {
      respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such endpoint");
      return;
    }

  system = g_hash_table_lookup (self->ips_systems, parts[0]);
  if (system == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("System “%s” not found", parts[0]);
      respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, detail);
      return;
    }

  if (g_str_equal (parts[2], "user"))
    handle_collection (self, msg, system->users, parts[3], &jam_user_rules, LIST_SCIM2, FALSE, TRUE);
  else if (g_str_equal (parts[2], "group"))
    handle_collection (self, msg, system->groups, parts[3], &group_rules, LIST_SCIM2, FALSE, TRUE);
  else
    respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such entity type");
}

/* Identity Authentication (the source) */

static void
handle_source (ProvTestServer    *self,
               SoupServerMessage *msg,
               const char        *rest,
               ListStyle          style)
{
  g_auto(GStrv) parts = split_path (rest);
  guint n = g_strv_length (parts);

  if (!authenticate (self, msg, AUTH_BASIC | AUTH_BEARER | AUTH_CERT, "Identity Authentication"))
    return;

  if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Users"))
    handle_collection (self, msg, self->source_users, parts[1], &source_user_rules, style,
                       !self->source_writable, FALSE);
  else if (n >= 1 && n <= 2 && g_str_equal (parts[0], "Groups"))
    handle_collection (self, msg, self->source_groups, parts[1], &group_rules, style, TRUE, FALSE);
  else
    respond_scim_error (msg, SOUP_STATUS_NOT_FOUND, NULL, "No such SCIM endpoint");
}

static void
dispatch (ProvTestServer    *self,
          SoupServerMessage *msg,
          const char        *path)
{
  if (g_str_equal (path, JAM_TOKEN_PATH) || g_str_equal (path, IAS_TOKEN_PATH))
    handle_token (self, msg);
  else if (path_is_under (path, JAM_SCIM_PREFIX))
    handle_jam_scim (self, msg, path + strlen (JAM_SCIM_PREFIX));
  else if (path_is_under (path, IPS_PREFIX))
    handle_ips (self, msg, path + strlen (IPS_PREFIX));
  else if (path_is_under (path, SOURCE_V1_PREFIX))
    handle_source (self, msg, path + strlen (SOURCE_V1_PREFIX), LIST_SCIM1);
  else if (path_is_under (path, SOURCE_V2_PREFIX))
    handle_source (self, msg, path + strlen (SOURCE_V2_PREFIX), LIST_SCIM2);
  else
    respond_json_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
}

/* Faults, rate limits, concurrency */

static void
fault_free (Fault *fault)
{
  g_free (fault->path_prefix);
  g_free (fault);
}

static void
rate_limit_free (RateLimit *limit)
{
  g_free (limit->path_prefix);
  g_queue_clear_full (&limit->times, g_free);
  g_free (limit);
}

static void
delayed_free (Delayed *delayed)
{
  g_clear_object (&delayed->msg);
  g_free (delayed->path);
  g_free (delayed);
}

/* Takes the oldest fault that matches @path, counting it down. */
static gboolean
take_fault (ProvTestServer *self,
            const char     *path,
            ProvTestFault  *kind,
            int            *param)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = g_ptr_array_index (self->faults, i);

      if (!path_has_prefix (path, fault->path_prefix))
        continue;

      *kind = fault->kind;
      *param = fault->param;
      if (fault->remaining > 0 && --fault->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      return TRUE;
    }

  return FALSE;
}

/* FALSE when a limit refused the request (429 set). */
static gboolean
apply_rate_limits (ProvTestServer    *self,
                   SoupServerMessage *msg,
                   const char        *path)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < self->rate_limits->len; i++)
    {
      RateLimit *limit = g_ptr_array_index (self->rate_limits, i);
      gint64 *oldest;
      guint reset;

      if (!path_has_prefix (path, limit->path_prefix))
        continue;

      while ((oldest = g_queue_peek_head (&limit->times)) != NULL && *oldest <= now - limit->window_us)
        g_free (g_queue_pop_head (&limit->times));

      if (limit->times.length >= limit->limit)
        {
          gint64 wait = *oldest + limit->window_us - now;
          guint retry = MAX (1, (guint) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));

          respond_too_many_requests (msg, path, limit->limit, retry);
          return FALSE;
        }

      g_queue_push_tail (&limit->times, g_memdup2 (&now, sizeof now));
      oldest = g_queue_peek_head (&limit->times);
      reset = (guint) ((*oldest + limit->window_us - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      add_rate_limit_headers (msg, limit->limit, limit->limit - limit->times.length, reset);
    }

  return TRUE;
}

static void
end_in_flight (ProvTestServer    *self,
               SoupServerMessage *msg)
{
  Request *request = g_object_get_data (G_OBJECT (msg), "prov-test-server-request");

  if (request == NULL)
    return;

  request->status = soup_server_message_get_status (msg);
  g_object_set_data (G_OBJECT (msg), "prov-test-server-request", NULL);
  g_assert (self->in_flight > 0);
  self->in_flight--;
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  end_in_flight (PROV_TEST_SERVER (user_data), msg);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  ProvTestServer *self = user_data;

  if (self->flags & PROV_TEST_SERVER_REQUIRE_CLIENT_CERT)
    g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
}

static void
stolen_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  g_object_unref (object);
}

static void
drop_connection (ProvTestServer    *self,
                 SoupServerMessage *msg)
{
  GIOStream *stream;

  end_in_flight (self, msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, stolen_closed_cb, NULL);
}

static void
truncate_response (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len = g_bytes_get_size (bytes);

  if (len < 2)
    return;

  soup_message_body_truncate (body);
  soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL), len / 2);
}

static const char malformed_json[] =
  "{\"schemas\": [\"" SCIM_LIST_RESPONSE "\"], \"totalResults\": 1,, \"access_token\": tok, \"Resources\": [}";

static const char html_page[] =
  "<!DOCTYPE html>\n<html><head><title>Service temporarily unavailable</title></head>"
  "<body><h1>We are down for maintenance</h1><p>Please try again later.</p></body></html>\n";

/* After faults: rate limits, then the endpoint. */
static void
serve (ProvTestServer    *self,
       SoupServerMessage *msg,
       const char        *path)
{
  if (!apply_rate_limits (self, msg, path))
    return;

  dispatch (self, msg, path);
}

static gboolean
delay_done_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  delayed->source_id = 0;
  serve (delayed->self, delayed->msg, delayed->path);
  soup_server_message_unpause (delayed->msg);
  g_ptr_array_remove (delayed->self->delayed, delayed);

  return G_SOURCE_REMOVE;
}

static void
delay_message (ProvTestServer    *self,
               SoupServerMessage *msg,
               const char        *path,
               guint              ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->path = g_strdup (path);
  delayed->source_id = g_timeout_add (ms, delay_done_cb, delayed);
  g_ptr_array_add (self->delayed, delayed);

  soup_server_message_pause (msg);
}

static Request *
record_request (ProvTestServer    *self,
                SoupServerMessage *msg,
                const char        *path)
{
  Request *request = g_new0 (Request, 1);
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *cn = get_peer_common_name (msg);

  g_ref_count_init (&request->ref_count);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  request->body = request_body_string (msg);
  request->client_cn = g_strdup (cn);
  g_ptr_array_add (self->requests, request);

  if (socket != NULL &&
      GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), SEEN_KEY)) != self->generation + 1)
    {
      g_object_set_data (G_OBJECT (socket), SEEN_KEY, GUINT_TO_POINTER (self->generation + 1));
      self->connections++;
    }

  /* In flight until SoupServer reports it finished or aborted. */
  g_object_set_data_full (G_OBJECT (msg), "prov-test-server-request",
                          request_ref (request), (GDestroyNotify) request_unref);
  self->in_flight++;
  self->max_concurrent = MAX (self->max_concurrent, self->in_flight);

  return request;
}

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  ProvTestServer *self = user_data;
  ProvTestFault kind;
  int param;

  record_request (self, msg, path);
  g_debug ("%s %s", soup_server_message_get_method (msg), path);

  if (!take_fault (self, path, &kind, &param))
    {
      serve (self, msg, path);
      return;
    }

  switch (kind)
    {
    case PROV_TEST_FAULT_DELAY:
      delay_message (self, msg, path, MAX (param, 0));
      break;

    case PROV_TEST_FAULT_DROP:
      drop_connection (self, msg);
      break;

    case PROV_TEST_FAULT_STATUS:
      respond_fault_status (self, msg, path, param);
      break;

    case PROV_TEST_FAULT_MALFORMED_JSON:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, is_scim_path (path) ? SCIM_CONTENT_TYPE : JSON_CONTENT_TYPE,
                                        SOUP_MEMORY_STATIC, malformed_json, strlen (malformed_json));
      break;

    case PROV_TEST_FAULT_TRUNCATED_JSON:
      serve (self, msg, path);
      truncate_response (msg);
      break;

    case PROV_TEST_FAULT_WRONG_CONTENT_TYPE:
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                        SOUP_MEMORY_STATIC, html_page, strlen (html_page));
      break;

    case PROV_TEST_FAULT_IGNORE_FILTER:
      self->ignoring_filter = TRUE;
      serve (self, msg, path);
      self->ignoring_filter = FALSE;
      break;

    case PROV_TEST_FAULT_NONE:
    default:
      serve (self, msg, path);
      break;
    }
}

/* Start-up */

static gboolean
write_client_trust (ProvTestServer  *self,
                    GError         **error)
{
  g_autoptr(GString) pem = g_string_new (NULL);
  g_autoptr(GTlsDatabase) database = NULL;

  g_string_append (pem, prov_test_cert_get_certificate_pem (self->ca));
  g_string_append (pem, prov_test_cert_get_certificate_pem (self->client_ca));
  for (guint i = 0; i < self->pinned_certs->len; i++)
    {
      g_autofree char *cert_pem = NULL;

      g_object_get (g_ptr_array_index (self->pinned_certs, i), "certificate-pem", &cert_pem, NULL);
      g_string_append (pem, cert_pem);
    }

  if (!g_file_set_contents_full (self->client_trust_file, pem->str, pem->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  /* Only new connections see a new database; that is all tests need. */
  database = g_tls_file_database_new (self->client_trust_file, error);
  if (database == NULL)
    return FALSE;

  soup_server_set_tls_database (self->server, database);
  return TRUE;
}

static gboolean
make_certificates (ProvTestServer   *self,
                   GTlsCertificate **server_tls_cert,
                   GError          **error)
{
  static const char * const local_names[] = { "localhost", NULL };
  static const char * const local_ips[] = { "127.0.0.1", NULL };
  static const char * const wrong_names[] = { "wrong.example.invalid", NULL };
  gboolean wrong_host = (self->flags & PROV_TEST_SERVER_WRONG_HOST_CERT) != 0;
  ProvTestCertFlags server_flags = PROV_TEST_CERT_DEFAULT;
  g_autofree char *server_file = NULL;
  g_autofree char *server_key_file = NULL;

  if (self->flags & PROV_TEST_SERVER_EXPIRED_CERT)
    server_flags |= PROV_TEST_CERT_EXPIRED;

  self->ca = prov_test_cert_new_ca ("CN=Provisioner Test CA,O=Provisioner Tests", 0, error);
  if (self->ca == NULL)
    return FALSE;
  self->client_ca = prov_test_cert_new_ca ("CN=Provisioner Test Client CA,O=Provisioner Tests", 0, error);
  if (self->client_ca == NULL)
    return FALSE;
  self->untrusted_ca = prov_test_cert_new_ca ("CN=Provisioner Untrusted Test CA,O=Provisioner Tests", 0, error);
  if (self->untrusted_ca == NULL)
    return FALSE;
  self->server_cert = prov_test_cert_new_server (self->ca,
                                                 wrong_host ? wrong_names : local_names,
                                                 wrong_host ? NULL : local_ips,
                                                 server_flags, error);
  if (self->server_cert == NULL)
    return FALSE;

  self->ca_file = g_build_filename (self->tmp_dir, "ca.pem", NULL);
  self->client_ca_file = g_build_filename (self->tmp_dir, "client-ca.pem", NULL);
  self->untrusted_ca_file = g_build_filename (self->tmp_dir, "untrusted-ca.pem", NULL);
  self->client_trust_file = g_build_filename (self->tmp_dir, "client-trust.pem", NULL);
  server_file = g_build_filename (self->tmp_dir, "server.pem", NULL);
  server_key_file = g_build_filename (self->tmp_dir, "server-key.pem", NULL);

  if (!prov_test_cert_write_files (self->ca, self->ca_file, NULL, error) ||
      !prov_test_cert_write_files (self->client_ca, self->client_ca_file, NULL, error) ||
      !prov_test_cert_write_files (self->untrusted_ca, self->untrusted_ca_file, NULL, error) ||
      !prov_test_cert_write_files (self->server_cert, server_file, server_key_file, error))
    return FALSE;

  *server_tls_cert = prov_test_cert_to_tls_certificate (self->server_cert, error);
  return *server_tls_cert != NULL;
}

static gboolean
prov_test_server_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  ProvTestServer *self = PROV_TEST_SERVER (initable);
  g_autoptr(GTlsCertificate) tls_cert = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *location = NULL;
  GSList *uris;
  gboolean tls;

  if (self->flags & (PROV_TEST_SERVER_REQUIRE_CLIENT_CERT |
                     PROV_TEST_SERVER_EXPIRED_CERT |
                     PROV_TEST_SERVER_WRONG_HOST_CERT))
    self->flags |= PROV_TEST_SERVER_TLS;
  tls = (self->flags & PROV_TEST_SERVER_TLS) != 0;

  self->tmp_dir = g_dir_make_tmp ("prov-test-server-XXXXXX", error);
  if (self->tmp_dir == NULL)
    return FALSE;

  if (tls && !make_certificates (self, &tls_cert, error))
    return FALSE;

  self->server = soup_server_new ("server-header", "prov-test-server ",
                                  "tls-certificate", tls_cert,
                                  NULL);

  if (self->flags & PROV_TEST_SERVER_REQUIRE_CLIENT_CERT)
    {
      if (!write_client_trust (self, error))
        return FALSE;
      soup_server_set_tls_auth_mode (self->server, G_TLS_AUTHENTICATION_REQUIRED);
    }

  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_done_cb), self);
  soup_server_add_handler (self->server, NULL, server_handler_cb, self, NULL);

  /* Loopback only, whatever port the kernel picks. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!soup_server_listen (self->server, address, tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->base_url = g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http", self->port);
  self->base_url_localhost = g_strdup_printf ("%s://localhost:%u", tls ? "https" : "http", self->port);

  location = g_strconcat (self->base_url, JAM_SCIM_PREFIX, "/Users", NULL);
  self->jam_users = store_new ("User", "userName", SCIM_USER, location);
  g_free (location);
  location = g_strconcat (self->base_url, JAM_SCIM_PREFIX, "/Groups", NULL);
  self->jam_groups = store_new ("Group", "displayName", SCIM_GROUP, location);
  g_free (location);
  location = g_strconcat (self->base_url, SOURCE_V2_PREFIX, "/Users", NULL);
  self->source_users = store_new ("User", "userName", SCIM_USER, location);
  g_free (location);
  location = g_strconcat (self->base_url, SOURCE_V2_PREFIX, "/Groups", NULL);
  self->source_groups = store_new ("Group", "displayName", SCIM_GROUP, location);

  g_debug ("Listening on %s", self->base_url);
  return TRUE;
}

static void
prov_test_server_initable_iface_init (GInitableIface *iface)
{
  iface->init = prov_test_server_initable_init;
}

/* GObject */

static void
remove_tmp_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_unlink (file);
        }
    }

  g_rmdir (path);
}

static void
prov_test_server_dispose (GObject *object)
{
  ProvTestServer *self = (ProvTestServer *)object;

  /* Pending delays hold messages; drop them before the connections go. */
  for (guint i = 0; i < self->delayed->len; i++)
    {
      Delayed *delayed = g_ptr_array_index (self->delayed, i);
      g_clear_handle_id (&delayed->source_id, g_source_remove);
    }
  g_ptr_array_set_size (self->delayed, 0);

  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (prov_test_server_parent_class)->dispose (object);
}

static void
prov_test_server_finalize (GObject *object)
{
  ProvTestServer *self = (ProvTestServer *)object;

  if (self->tmp_dir != NULL)
    remove_tmp_dir (self->tmp_dir);

  g_free (self->tmp_dir);
  g_free (self->base_url);
  g_free (self->base_url_localhost);
  g_clear_pointer (&self->ca, prov_test_cert_unref);
  g_clear_pointer (&self->client_ca, prov_test_cert_unref);
  g_clear_pointer (&self->untrusted_ca, prov_test_cert_unref);
  g_clear_pointer (&self->server_cert, prov_test_cert_unref);
  g_free (self->ca_file);
  g_free (self->client_ca_file);
  g_free (self->untrusted_ca_file);
  g_free (self->client_trust_file);
  g_ptr_array_unref (self->pinned_certs);
  g_hash_table_unref (self->trusted_subjects);
  g_hash_table_unref (self->clients);
  g_hash_table_unref (self->tokens);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->rate_limits);
  g_ptr_array_unref (self->delayed);
  g_clear_pointer (&self->jam_users, store_free);
  g_clear_pointer (&self->jam_groups, store_free);
  g_clear_pointer (&self->source_users, store_free);
  g_clear_pointer (&self->source_groups, store_free);
  g_hash_table_unref (self->ips_systems);
  g_free (self->source_end_marker);

  G_OBJECT_CLASS (prov_test_server_parent_class)->finalize (object);
}

static void
prov_test_server_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ProvTestServer *self = PROV_TEST_SERVER (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_test_server_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ProvTestServer *self = PROV_TEST_SERVER (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      self->flags = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_test_server_class_init (ProvTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = prov_test_server_dispose;
  object_class->finalize = prov_test_server_finalize;
  object_class->get_property = prov_test_server_get_property;
  object_class->set_property = prov_test_server_set_property;

  /* ProvTestServerFlags; a plain uint keeps the test library free of
   * generated enum types. */
  properties[PROP_FLAGS] =
    g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prov_test_server_init (ProvTestServer *self)
{
  self->pinned_certs = g_ptr_array_new_with_free_func (g_object_unref);
  self->trusted_subjects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->token_lifetime = 3600;
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_unref);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->rate_limits = g_ptr_array_new_with_free_func ((GDestroyNotify) rate_limit_free);
  self->delayed = g_ptr_array_new_with_free_func ((GDestroyNotify) delayed_free);
  self->retry_after = 30;
  self->ips_systems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) ips_system_free);
  self->source_reported_total = -1;
  self->source_end_marker = g_strdup ("<end>");
}

/* Public API */

ProvTestServer *
prov_test_server_try_new (ProvTestServerFlags   flags,
                          GError              **error)
{
  return g_initable_new (PROV_TYPE_TEST_SERVER, NULL, error, "flags", (guint) flags, NULL);
}

ProvTestServer *
prov_test_server_new (ProvTestServerFlags flags)
{
  g_autoptr(GError) error = NULL;
  ProvTestServer *self = prov_test_server_try_new (flags, &error);

  if (self == NULL)
    g_error ("Cannot start the test server: %s", error->message);

  return self;
}

const char *
prov_test_server_get_base_url (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->base_url;
}

const char *
prov_test_server_get_base_url_localhost (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->base_url_localhost;
}

guint16
prov_test_server_get_port (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->port;
}

const char *
prov_test_server_get_ca_file (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->ca_file;
}

const char *
prov_test_server_get_untrusted_ca_file (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->untrusted_ca_file;
}

const char *
prov_test_server_get_client_ca_file (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->client_ca_file;
}

ProvTestCert *
prov_test_server_get_client_ca (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->client_ca;
}

const char *
prov_test_server_get_tmp_dir (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  return self->tmp_dir;
}

void
prov_test_server_add_client (ProvTestServer *self,
                             const char     *client_id,
                             const char     *client_secret)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (client_id != NULL);
  g_return_if_fail (client_secret != NULL);

  g_hash_table_insert (self->clients, g_strdup (client_id), g_strdup (client_secret));
}

void
prov_test_server_remove_client (ProvTestServer *self,
                                const char     *client_id)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (client_id != NULL);

  g_hash_table_remove (self->clients, client_id);
}

void
prov_test_server_trust_client_certificate_subject (ProvTestServer *self,
                                                   const char     *subject_cn)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (subject_cn != NULL);

  g_hash_table_add (self->trusted_subjects, g_strdup (subject_cn));
}

gboolean
prov_test_server_trust_client_certificate_pem (ProvTestServer  *self,
                                               const char      *cert_pem,
                                               GError         **error)
{
  GTlsCertificate *cert;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (cert_pem != NULL, FALSE);

  cert = g_tls_certificate_new_from_pem (cert_pem, -1, error);
  if (cert == NULL)
    return FALSE;

  g_ptr_array_add (self->pinned_certs, cert);

  if (self->flags & PROV_TEST_SERVER_REQUIRE_CLIENT_CERT)
    return write_client_trust (self, error);
  return TRUE;
}

gboolean
prov_test_server_create_client_certificate (ProvTestServer  *self,
                                            const char      *common_name,
                                            char           **cert_pem,
                                            char           **key_pem,
                                            GError         **error)
{
  g_autoptr(ProvTestCert) cert = NULL;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (common_name != NULL, FALSE);

  if (self->client_ca == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "A plain HTTP server has no client CA");
      return FALSE;
    }

  cert = prov_test_cert_new_client_with_cn (self->client_ca, common_name, 0, error);
  if (cert == NULL)
    return FALSE;

  if (cert_pem != NULL)
    *cert_pem = g_strdup (prov_test_cert_get_certificate_pem (cert));
  if (key_pem != NULL)
    *key_pem = g_strdup (prov_test_cert_get_private_key_pem (cert));
  return TRUE;
}

void
prov_test_server_set_token_lifetime (ProvTestServer *self,
                                     guint           seconds)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->token_lifetime = seconds;
}

void
prov_test_server_revoke_tokens (ProvTestServer *self)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_hash_table_remove_all (self->tokens);
}

guint
prov_test_server_count_tokens_issued (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->tokens_issued;
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
  system->users = store_new ("User", "userName", SCIM_USER, location);
  g_free (location);
  location = g_strconcat (base, "/group", NULL);
  system->groups = store_new ("Group", "displayName", SCIM_GROUP, location);
  g_hash_table_insert (self->ips_systems, g_strdup (system_id), system);
}

void
prov_test_server_inject_fault (ProvTestServer *self,
                               const char     *path_prefix,
                               ProvTestFault   fault,
                               int             param,
                               guint           times)
{
  Fault *entry;

  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (fault != PROV_TEST_FAULT_STATUS || (param >= 100 && param <= 599));

  entry = g_new0 (Fault, 1);
  entry->path_prefix = g_strdup (path_prefix);
  entry->kind = fault;
  entry->param = param;
  entry->remaining = times;
  g_ptr_array_add (self->faults, entry);
}

void
prov_test_server_clear_faults (ProvTestServer *self)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_ptr_array_set_size (self->faults, 0);
}

void
prov_test_server_set_retry_after (ProvTestServer *self,
                                  guint           seconds)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->retry_after = seconds;
}

void
prov_test_server_set_rate_limit (ProvTestServer *self,
                                 const char     *path_prefix,
                                 guint           limit,
                                 guint           window_ms)
{
  RateLimit *entry;

  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (limit == 0 || window_ms > 0);

  for (guint i = 0; i < self->rate_limits->len; i++)
    {
      entry = g_ptr_array_index (self->rate_limits, i);
      if (g_strcmp0 (entry->path_prefix, path_prefix) == 0)
        {
          g_ptr_array_remove_index (self->rate_limits, i);
          break;
        }
    }

  if (limit == 0)
    return;

  entry = g_new0 (RateLimit, 1);
  entry->path_prefix = g_strdup (path_prefix);
  entry->limit = limit;
  entry->window_us = (gint64) window_ms * 1000;
  g_queue_init (&entry->times);
  g_ptr_array_add (self->rate_limits, entry);
}

static gboolean
request_matches (Request    *request,
                 const char *method,
                 const char *path_prefix)
{
  return (method == NULL || g_ascii_strcasecmp (method, request->method) == 0) &&
         path_has_prefix (request->path, path_prefix);
}

static Request *
find_last_request (ProvTestServer *self,
                   const char     *method,
                   const char     *path_prefix)
{
  for (guint i = self->requests->len; i > 0; i--)
    {
      Request *request = g_ptr_array_index (self->requests, i - 1);

      if (request_matches (request, method, path_prefix))
        return request;
    }
  return NULL;
}

guint
prov_test_server_count_requests (ProvTestServer *self,
                                 const char     *method,
                                 const char     *path_prefix)
{
  guint count = 0;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      if (request_matches (g_ptr_array_index (self->requests, i), method, path_prefix))
        count++;
    }
  return count;
}

guint
prov_test_server_count_responses (ProvTestServer *self,
                                  guint           status,
                                  const char     *path_prefix)
{
  guint count = 0;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      Request *request = g_ptr_array_index (self->requests, i);

      if (request->status == status && request_matches (request, NULL, path_prefix))
        count++;
    }
  return count;
}

guint
prov_test_server_count_connections (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->connections;
}

guint
prov_test_server_get_max_concurrent (ProvTestServer *self)
{
  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), 0);
  return self->max_concurrent;
}

void
prov_test_server_clear_requests (ProvTestServer *self)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));

  g_ptr_array_set_size (self->requests, 0);
  self->connections = 0;
  self->generation++;
  self->max_concurrent = self->in_flight;
}

const char *
prov_test_server_get_last_authorization (ProvTestServer *self,
                                         const char     *path_prefix)
{
  return prov_test_server_get_last_request_header (self, path_prefix, "Authorization");
}

const char *
prov_test_server_get_last_request_header (ProvTestServer *self,
                                          const char     *path_prefix,
                                          const char     *header_name)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);
  g_return_val_if_fail (header_name != NULL, NULL);

  request = find_last_request (self, NULL, path_prefix);
  return request != NULL ? soup_message_headers_get_one (request->headers, header_name) : NULL;
}

const char *
prov_test_server_get_last_request_body (ProvTestServer *self,
                                        const char     *method,
                                        const char     *path_prefix)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);

  request = find_last_request (self, method, path_prefix);
  return request != NULL ? request->body : NULL;
}

const char *
prov_test_server_get_last_client_certificate_cn (ProvTestServer *self,
                                                 const char     *path_prefix)
{
  Request *request;

  g_return_val_if_fail (PROV_IS_TEST_SERVER (self), NULL);

  request = find_last_request (self, NULL, path_prefix);
  return request != NULL ? request->client_cn : NULL;
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
      json_array_add_object_element (users, object_deep_copy (resource->object));
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

  resource = store_lookup_unique (resources, user_name);
  return resource != NULL ? object_deep_copy (resource->object) : NULL;
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
  user_name = object_get_string (user, "userName");
  if (resources == NULL || user_name == NULL)
    return NULL;

  resource = store_lookup_unique (resources, user_name);
  if (resource != NULL)
    store_set_object (resources, resource, object_deep_copy (user));
  else
    resource = store_insert (resources, object_deep_copy (user), object_get_string (user, "id"));

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

  resource = store_lookup_unique (resources, user_name);
  if (resource == NULL)
    return FALSE;

  store_remove (resources, resource);
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

  json_object_set_array_member (user, "schemas", string_array (SCIM_USER, SCIM_ENTERPRISE, NULL));
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

void
prov_test_server_set_source_repeat_last_page (ProvTestServer *self,
                                              gboolean        repeat)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_repeat_last_page = repeat;
}

void
prov_test_server_set_source_reported_total (ProvTestServer *self,
                                            int             total)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_reported_total = total;
}

void
prov_test_server_set_source_end_marker (ProvTestServer *self,
                                        const char     *marker)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  g_return_if_fail (marker != NULL);

  g_free (self->source_end_marker);
  self->source_end_marker = g_strdup (marker);
}

void
prov_test_server_set_source_page_cap (ProvTestServer *self,
                                      guint           cap)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->source_page_cap = cap;
}

void
prov_test_server_set_ips_strict_post (ProvTestServer *self,
                                      gboolean        strict)
{
  g_return_if_fail (PROV_IS_TEST_SERVER (self));
  self->ips_strict_post = strict;
}
