/* keyring-fixture.h — what the ProvSecretStore tests share
 *
 * Each async call of the store made and awaited under a watchdog (a
 * keyring prompt would wait forever), what the keyring holds checked past
 * the code under test (keyring-raw.h), and targets with secrets.
 * Used by test-secret-store and test-secret-store-errors, which run
 * through with-keyring.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsecret/secret.h>

#include "prov-error.h"
#include "prov-secret-store.h"
#include "prov-target-store.h"
#include "keyring-raw.h"
#include "test-helpers.h"

G_BEGIN_DECLS

/* The fields whose values are secrets. */
#define N_SECRET_FIELDS 4
extern const ProvField secret_fields[N_SECRET_FIELDS];

/* Longer than any honest keyring answer; a prompt would wait forever. */
#define WATCHDOG_SECONDS 20

/* Not a real key: the store keeps whatever text it is given. */
#define FAKE_KEY_PEM "-----BEGIN PRIVATE KEY-----\nTUFSS0VSLW5vdC1hLWtleQ==\n-----END PRIVATE KEY-----\n"

gboolean save_target  (ProvSecretStore   *store,
                       ProvTargetSystem  *target,
                       GError           **error);

gboolean load_target  (ProvSecretStore   *store,
                       ProvTargetSystem  *target,
                       GError           **error);

gboolean clear_target (ProvSecretStore   *store,
                       const char        *uuid,
                       GError           **error);

/* The keyring holds @expected (NULL: nothing) for @uuid's @field. */
void assert_stored (const char *uuid,
                    ProvField   field,
                    const char *expected);

/* What a person reads: a sentence, not a D-Bus error name. */
void assert_sentence (const GError *error);

ProvTargetSystem *new_ips_target (ProvAuthMechanism mechanism);

/* A target with the same identity and no secrets, as after loading the file. */
ProvTargetSystem *fresh_from_file (ProvTargetSystem *target);

G_END_DECLS
