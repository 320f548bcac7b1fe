/* prov-scim-store.h — the user and group stores of the embedded SCIM service
 *
 * Private to app/scim-service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-test-server-private.h"

G_BEGIN_DECLS

ResourceStore *prov_scim_store_new           (const char *resource_type,
                                              const char *unique_attr,
                                              const char *schema,
                                              const char *location);
void           prov_scim_store_free          (ResourceStore *store);
Resource      *prov_scim_store_lookup_id     (ResourceStore *store,
                                              const char    *id);
Resource      *prov_scim_store_lookup_unique (ResourceStore *store,
                                              const char    *value);
void           prov_scim_store_set_object    (ResourceStore *store,
                                              Resource      *resource,
                                              JsonObject    *object);
Resource      *prov_scim_store_insert        (ResourceStore *store,
                                              JsonObject    *object,
                                              const char    *id);
void           prov_scim_store_remove        (ResourceStore *store,
                                              Resource      *resource);
void           prov_scim_ips_system_free     (IpsSystem *system);
const char    *prov_scim_skip_spaces         (const char *p);
char          *prov_scim_read_quoted         (const char **p);
GPtrArray     *prov_scim_store_filter        (ResourceStore      *store,
                                              const char         *filter,
                                              const FilterRules  *rules,
                                              GError            **error);

G_END_DECLS
