/* target-fixture.h — valid targets and certificate files shared by the
 * target system tests (model, validation, JSON)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-system.h"

#define JAM_URL "https://jam4.sapjam.com"
#define SCIM_URL "https://tenant.accounts.ondemand.com/ipsproxy/service/api/v1/systems/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/entities/user"
#define SCIM_PREFIX "https://tenant.accounts.ondemand.com/ipsproxy/service/api/v1/systems/"

/* A type and mechanism, as two arguments. */
#define JAM        PROV_TARGET_KIND_SAP_JAM, PROV_AUTH_MECHANISM_OAUTH
#define IPS_BASIC  PROV_TARGET_KIND_IDENTITY_PROVISIONING, PROV_AUTH_MECHANISM_BASIC
#define IPS_CERT   PROV_TARGET_KIND_IDENTITY_PROVISIONING, PROV_AUTH_MECHANISM_CERTIFICATE
#define IPS_OAUTH  PROV_TARGET_KIND_IDENTITY_PROVISIONING, PROV_AUTH_MECHANISM_OAUTH

#define F_NAME     PROV_FIELD_DISPLAY_NAME
#define F_URL      PROV_FIELD_URL
#define F_TOKEN    PROV_FIELD_TOKEN_URL
#define F_USER     PROV_FIELD_USERNAME
#define F_PASS     PROV_FIELD_PASSWORD
#define F_CN       PROV_FIELD_COMMON_NAME
#define F_CERTPW   PROV_FIELD_CERTIFICATE_PASSWORD
#define F_ID       PROV_FIELD_CLIENT_ID
#define F_SECRET   PROV_FIELD_CLIENT_SECRET
#define F_CERT     PROV_FIELD_CLIENT_CERTIFICATE
#define F_KEY      PROV_FIELD_CERTIFICATE_KEY
#define F_CA       PROV_FIELD_CA_FILE

/* A real certificate and key (made once by the core's generator), and CA
 * files, for the Certificate fields. Set up by target_fixture_set_up(). */
extern char *test_certificate_pem;
extern char *test_key_pem;
extern char *scratch_dir;
extern char *ca_file_path;          /* holds test_certificate_pem */
extern char *not_a_certificate_path;

void              target_fixture_set_up    (void);
void              target_fixture_tear_down (void);
/* A target of @kind whose every visible field is valid. */
ProvTargetSystem *new_valid_target         (ProvTargetKind    kind,
                                            ProvAuthMechanism mechanism);
