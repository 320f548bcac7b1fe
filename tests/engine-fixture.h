/* engine-fixture.h — what the provisioning tests share
 *
 * The in-process test peer (prov_test_server) as SAP Jam, Identity
 * Provisioning and an Identity Authentication tenant; targets built in
 * code with their secrets set directly; users from ProvUser JSON; what was
 * pushed and the journal in a temporary folder; and one engine run as the
 * app makes it (plan, journal, engine), with every wait scaled down
 * (TIME_SCALE) so retries, Retry-After and the rate limits' minute take
 * milliseconds. Used by test-engine, test-target-client, test-plan,
 * test-run and test-journal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "prov-engine.h"
#include "prov-http-client.h"
#include "prov-journal.h"
#include "prov-plan.h"
#include "prov-push-state.h"
#include "prov-test-server.h"
#include "prov-user.h"
#include "test-helpers.h"

G_BEGIN_DECLS

/* Real minutes become 0.6 s, SAP's 30 s between tries 0.3 s. */
#define TIME_SCALE 0.01

/* Time ten times slower: a minute's wait outlasts the test's patience
 * (TEST_WAIT_SECONDS), so a run that ends at all was ended by its cancel —
 * which the tests of Cancel show without timing anything. */
#define OUTLASTS_PATIENCE 10.0

#define JAM_CLIENT_ID     "jam-client"
#define JAM_CLIENT_SECRET "jam-secret"
#define IPS_USER          "ips-technical-user"
#define IPS_PASSWORD      "ips-password"
#define IAS_CLIENT_ID     "ias-client"
#define IAS_SECRET        "ias-secret"
#define IPS_SYSTEM        "sys1"

#define JAM_USERS_PATH "/api/v1/scim/Users"
#define IPS_USERS_PATH "/ipsproxy/service/api/v1/systems/" IPS_SYSTEM "/entities/user"

typedef enum
{
  KIND_JAM,
  KIND_IPS,
} Kind;

typedef struct
{
  ProvTestServer *server;
  ProvHttpClient *client;
  char           *dir;
  char           *journal_dir;
} Fixture;

/* The users most cases run with. */
#define N_USERS 50

/* Waiting on the main context (the server lives in it too): got_result_cb()
 * and wait_for() of test-helpers.h, and: */

/* Lets the server finish what it still holds (delayed answers). */
void spin (guint ms);

/* Users: "user00001" … with their default attributes, or another family
 * name and status. */

JsonObject *user_json (guint       i,
                       const char *family_name,
                       gboolean    active);
ProvUser *user_new (guint       i,
                    const char *family_name,
                    gboolean    active);
/* Users 1 … @n with their default attributes. */
GPtrArray *users_new (guint n);
/* Removes user number @i (1-based) from @users. */
void users_remove (GPtrArray *users,
                   guint      i);
/* Puts @user (owned) in the place of user number @i. */
void users_replace (GPtrArray *users,
                    guint      i,
                    ProvUser  *user);

/* Targets */

ProvTargetSystem *target_new (const char *base_url,
                              Kind        kind);
const char *users_path (Kind kind);
ProvTestStore store_of (Kind kind);
char *state_path (Fixture          *f,
                  ProvTargetSystem *target);
/* What was pushed, as the next run would load it from disk. */
ProvPushState *state_load (Fixture          *f,
                           ProvTargetSystem *target);

/* The server's side */

/* POST, PUT, PATCH and DELETE requests under @path_prefix (NULL: all). */
guint count_writes (ProvTestServer *server,
                    const char     *path_prefix);
const char *family_name_of (JsonObject *user);
/* The store holds every user of @users exactly once, with the source's
 * family name and status, plus exactly @n_gone others (users that left the
 * source and were deactivated, not deleted). Nothing lost, nothing twice. */
void assert_store_matches (ProvTestServer *server,
                           Kind            kind,
                           GPtrArray      *users,
                           guint           n_gone);
gboolean server_user_active (ProvTestServer *server,
                             Kind            kind,
                             guint           i);

/* One engine run, as the app makes it */

typedef struct
{
  guint    concurrency;   /* 0: the engine's default */
  guint    retries;       /* 0: the engine's default; use 1 + n for n */
  gboolean unlimited;
  double   time_scale;    /* 0: TIME_SCALE */
  guint    cancel_after;  /* cancel once this many are done; 0: never */
  guint    cancel_on_status; /* cancel once the server answered this; 0: never */
  guint    cancel_after_ms;  /* cancel this long after the start; 0: never */
} RunOptions;

typedef struct
{
  ProvPlan       *plan;
  ProvEngine     *engine;
  ProvJournal    *journal;
  GError         *error;
  gint64          elapsed;   /* µs */
  gint64          cancelled_at;
  GCancellable   *cancellable;
  guint           cancel_after;
  guint           cancel_on_status;
  ProvTestServer *server;
} Run;

void run_free (Run *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Plans @users (a @complete read, or not) against what was pushed to
 * @target and runs the engine; @options may be NULL. */
Run *run_engine (Fixture          *f,
                 ProvTargetSystem *target,
                 GPtrArray        *users,
                 gboolean          complete,
                 const RunOptions *options);
/* Runs and expects every operation to succeed. */
Run *run_engine_ok (Fixture          *f,
                    ProvTargetSystem *target,
                    GPtrArray        *users,
                    const RunOptions *options);
/* The next run would send nothing: what was pushed matches the source. */
void assert_converged (Fixture          *f,
                       ProvTargetSystem *target,
                       GPtrArray        *users);

/* The fixture: the peer with every client, a client, a scratch folder */

void fixture_set_up (Fixture       *f,
                     gconstpointer  data);
void fixture_tear_down (Fixture       *f,
                        gconstpointer  data);
/* Adds the test "/provisioning/engine/@path" on a fixture for @kind. */
#define ENGINE_TEST_ADD(path, kind, func) \
  g_test_add ("/provisioning/engine/" path, Fixture, GINT_TO_POINTER (kind), \
              fixture_set_up, func, fixture_tear_down)

/* A target of the Kind GINT_TO_POINTER'd in @data on the peer. */
ProvTargetSystem *fixture_target (Fixture       *f,
                                  gconstpointer  data);

G_END_DECLS
