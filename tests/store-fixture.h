/* store-fixture.h — what the ProvTargetStore tests share
 *
 * A fresh folder per test with targets.json's path in it, targets of
 * each kind carrying a secret marker that must never reach the disk, and
 * the files as they are on disk (bytes, JSON, mode, the folder's names).
 * Used by test-target-store and test-target-store-damage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "prov-error.h"
#include "prov-target-store.h"
#include "test-helpers.h"

G_BEGIN_DECLS

#define APP_DIR "io.github.provisioner.Provisioner"
#define SCIM_URL "https://tenant.accounts.ondemand.com/ipsproxy/service/api/v1/systems/0f1e2d3c/entities/user"
#define SECRET_MARKER "MARKER-secret-never-on-disk-91c3"

typedef struct
{
  char *dir;   /* a fresh directory per test */
  char *path;  /* dir/targets.json */
} Fixture;

void fixture_set_up (Fixture       *fixture,
                     gconstpointer  data);

void fixture_tear_down (Fixture       *fixture,
                        gconstpointer  data);

ProvTargetSystem *new_jam (const char *name);

ProvTargetSystem *new_ips (const char        *name,
                           ProvAuthMechanism  mechanism);

/* The target as it must come back from the file: no secrets. */
ProvTargetSystem *without_secrets (ProvTargetSystem *target);

ProvTargetSystem *item (ProvTargetStore *store,
                        guint            position);

guint n_items (ProvTargetStore *store);

GBytes *read_bytes (const char *path);

void write_file (const char *path,
                 const char *contents,
                 gssize      length,
                 int         mode);

JsonObject *parse_file (const char *path);

void assert_mode (const char *path,
                  int         expected);

/* The names in @dir, sorted. */
GPtrArray *list_dir (const char *dir);

void assert_dir_holds (const char          *dir,
                       const char * const  *expected);


/* Before g_test_init: XDG_CONFIG_HOME is a scratch folder (the default
 * path must land there), then GTest starts. */
void store_fixture_init (int    *argc,
                         char ***argv);
/* That folder. */
const char *store_fixture_config_home (void);
/* After g_test_run: removes it. */
void store_fixture_clear (void);

G_END_DECLS
