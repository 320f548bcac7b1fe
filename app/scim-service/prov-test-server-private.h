/* prov-test-server-private.h — the state of the embedded SCIM service,
 * shared by its files (never included outside app/scim-service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "prov-test-server.h"

G_BEGIN_DECLS

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

void     prov_scim_end_in_flight  (ProvTestServer    *self,
                                   SoupServerMessage *msg);
Request *prov_scim_record_request (ProvTestServer    *self,
                                   SoupServerMessage *msg,
                                   const char        *path);

G_END_DECLS
