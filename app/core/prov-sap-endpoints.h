/* prov-sap-endpoints.h — where SAP's services answer, per target type
 *
 * Every URL the app sends to is made here, from the address a person
 * entered. The shapes are SAP's, as docs/sap-domain.md states them
 * (“The wire” and “The source of users”).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-system.h"

G_BEGIN_DECLS

/* SAP Jam's SCIM API: <Jam URL>/api/v1/scim. */
#define PROV_SAP_JAM_SCIM_PATH "/api/v1/scim"

/* SAP Jam's SCIM API for a Jam URL, with @resource ("Users") or without
 * (NULL). */
char     *prov_sap_jam_scim_url            (const char       *jam_url,
                                            const char       *resource);
/* The OAuth token URL SAP Jam documents for a Jam URL: its scheme, host and
 * port with /api/v1/auth/token. NULL when the URL has no host yet. */
char     *prov_sap_jam_token_url           (const char       *jam_url);

/* Whether @path is the path of an Identity Provisioning SCIM URL:
 * /ipsproxy/service/api/v1/systems/<system ID>/entities/user (a trailing
 * slash allowed). */
gboolean  prov_sap_ips_scim_path_is_valid  (const char       *path);

/* The users collection @target writes to: Jam's SCIM Users, or the SCIM
 * URL of an Identity Provisioning system. One user is <users URL>/<id>. */
char     *prov_sap_users_url               (ProvTargetSystem *target);
/* What Test Connection reads: one user of Jam, or the IPS SCIM URL. */
char     *prov_sap_test_connection_url     (ProvTargetSystem *target);

/* A page of an Identity Authentication tenant's users. Version 2:
 * <tenant>/scim/Users with startIndex and count. Version 1:
 * <tenant>/service/scim/Users with count and startId (@next_id, or
 * "initial" when NULL). */
char     *prov_sap_ias_v2_users_url        (const char       *tenant_url,
                                            guint             start_index,
                                            guint             count);
char     *prov_sap_ias_v1_users_url        (const char       *tenant_url,
                                            guint             count,
                                            const char       *next_id);

G_END_DECLS
