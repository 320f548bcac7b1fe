/* target-service-fixture.h — what the ProvTargetService tests share
 *
 * A fresh folder per test for targets.json and source.json, the in-process
 * test peer on 127.0.0.1 (SAP Jam and an Identity Authentication tenant,
 * each with its client), a real keyring (with-keyring.sh) and the service
 * over them, loaded; and the service's calls made synchronous. Used by
 * test-target-service (the lifecycle) and test-target-service-runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-service.h"
#include "prov-test-server.h"
#include "test-helpers.h"

G_BEGIN_DECLS

/* Real minutes become 0.6 s. */
#define TIME_SCALE 0.01

#define JAM_CLIENT_ID     "jam-client"
#define JAM_CLIENT_SECRET "jam-secret"
#define IAS_CLIENT_ID     "ias-client"
#define IAS_SECRET        "ias-secret"

typedef struct
{
  char              *dir;
  char              *targets_path;
  char              *source_path;
  ProvTestServer    *server;
  ProvHttpClient    *client;
  ProvSecretStore   *secrets;
  ProvTargetStore   *store;
  ProvTargetService *service;
} Fixture;

/* Before g_test_init's tests run: journals and records of pushes go to a
 * scratch folder, and nothing goes through a proxy. */
void               target_service_tests_init (int               *argc,
                                              char            ***argv);
/* g_test_run(), then the scratch folder goes. */
int                target_service_tests_run  (void);

void               fixture_setup             (Fixture           *f,
                                              gconstpointer      data);
void               fixture_teardown          (Fixture           *f,
                                              gconstpointer      data);

/* A SAP Jam target on the peer, not saved; and one saved through the service. */
ProvTargetSystem  *jam_target                (Fixture           *f,
                                              const char        *name,
                                              const char        *secret);
ProvTargetSystem  *add_target                (Fixture           *f,
                                              const char        *name,
                                              const char        *secret);

/* The service's calls, waited for. */
void               load_service              (ProvTargetService *service);
ProvTargetSystem  *save_target               (Fixture           *f,
                                              ProvTargetSystem  *edited,
                                              gboolean          *created,
                                              GError           **error);
ProvTargetSystem  *dup_with_secrets          (Fixture           *f,
                                              ProvTargetSystem  *target);

/* The service's source as the peer's tenant (Basic, version 2), not saved;
 * and saving it. */
ProvSource        *tenant_source             (Fixture           *f,
                                              const char        *password);
gboolean           save_source               (Fixture           *f,
                                              ProvSource        *edited,
                                              GError           **error);

G_END_DECLS
