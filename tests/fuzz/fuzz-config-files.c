/* fuzz-config-files.c — libFuzzer harness for the app's own files
 *
 * Built five times, once per parser (FUZZ_PARSER below): targets.json,
 * source.json, the push state, the journal and the record of connection
 * tests. Each input is written to a
 * file in a private folder and loaded as the app loads it; whatever loads
 * must also save and load again to the same thing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include <glib/gstdio.h>

#include "prov-connection-record.h"
#include "prov-error.h"
#include "prov-journal.h"
#include "prov-push-state.h"
#include "prov-source.h"
#include "prov-target-store.h"
#include "prov-target-system-private.h"

#define FUZZ_TARGETS    1
#define FUZZ_SOURCE     2
#define FUZZ_PUSH_STATE 3
#define FUZZ_JOURNAL    4
#define FUZZ_CONNECTIONS 5

#ifndef FUZZ_PARSER
#error "FUZZ_PARSER must name the parser to fuzz"
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *work_dir;

static void
clear_work_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (work_dir, name, NULL);
      g_remove (path);
    }
}

static char *
write_input (const char    *name,
             const uint8_t *data,
             size_t         size)
{
  char *path;

  /* Memory-backed when it can be: every save syncs. */
  if (work_dir == NULL)
    {
      g_autofree char *template = g_build_filename (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir (),
                                                    "fuzz-config-XXXXXX", NULL);
      work_dir = g_mkdtemp (g_steal_pointer (&template));
      g_assert (work_dir != NULL);
    }

  clear_work_dir ();
  path = g_build_filename (work_dir, name, NULL);
  g_assert (g_file_set_contents (path, (const char *) data, size, NULL));
  return path;
}

#if FUZZ_PARSER == FUZZ_TARGETS
static void
fuzz_one (const uint8_t *data,
          size_t         size)
{
  g_autofree char *path = write_input ("targets.json", data, size);
  g_autoptr(ProvTargetStore) store = prov_target_store_new (path);
  g_autoptr(ProvTargetStore) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!prov_target_store_load (store, NULL))
    return;

  if (!prov_target_store_save (store, &error))
    {
      /* Only a newer file may refuse. */
      g_assert (g_error_matches (error, PROV_ERROR, PROV_ERROR_READ_ONLY));
      return;
    }

  again = prov_target_store_new (path);
  g_assert (prov_target_store_load (again, NULL));
  g_assert (g_list_model_get_n_items (G_LIST_MODEL (again)) ==
            g_list_model_get_n_items (G_LIST_MODEL (store)));
}
#elif FUZZ_PARSER == FUZZ_SOURCE
static void
fuzz_one (const uint8_t *data,
          size_t         size)
{
  g_autofree char *path = write_input ("source.json", data, size);
  g_autoptr(ProvSource) source = prov_source_new ();
  g_autoptr(ProvSource) again = prov_source_new ();
  g_autoptr(GError) error = NULL;

  if (!prov_source_load (source, path, NULL))
    return;

  if (!prov_source_save (source, path, &error))
    {
      g_assert (g_error_matches (error, PROV_ERROR, PROV_ERROR_READ_ONLY));
      return;
    }

  g_assert (prov_source_load (again, path, NULL));
  g_assert (prov_source_get_kind (again) == prov_source_get_kind (source));
  g_assert (g_strcmp0 (prov_source_get_csv_path (again), prov_source_get_csv_path (source)) == 0);
}
#elif FUZZ_PARSER == FUZZ_PUSH_STATE
static void
fuzz_one (const uint8_t *data,
          size_t         size)
{
  g_autofree char *path = write_input ("pushed.json", data, size);
  g_autoptr(ProvPushState) state = prov_push_state_new ("fuzz", path);
  g_autoptr(ProvPushState) again = prov_push_state_new ("fuzz", path);

  if (!prov_push_state_load (state, NULL))
    return;

  g_assert (prov_push_state_save (state, NULL));
  g_assert (prov_push_state_load (again, NULL));
  g_assert (prov_push_state_get_n_users (again) == prov_push_state_get_n_users (state));
}
#elif FUZZ_PARSER == FUZZ_JOURNAL
static void
fuzz_one (const uint8_t *data,
          size_t         size)
{
  g_autofree char *path = write_input ("20261204T000000-fuzz.jsonl", data, size);
  g_autofree char *csv_path = g_build_filename (work_dir, "export.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  runs = prov_journal_list_runs (work_dir, NULL);
  g_assert (runs != NULL && runs->len <= 1);

  entries = prov_journal_read_entries (path, NULL);
  g_assert (entries != NULL);
  g_assert (prov_journal_export_csv (path, csv, NULL));
}
#elif FUZZ_PARSER == FUZZ_CONNECTIONS
/* The seeds name this target; its values are a new SAP Jam target's. */
#define FUZZ_UUID "00000000-0000-4000-8000-000000000001"

static void
fuzz_one (const uint8_t *data,
          size_t         size)
{
  g_autofree char *path = write_input ("connection-tests.json", data, size);
  g_autoptr(GListStore) targets = g_list_store_new (PROV_TYPE_TARGET_SYSTEM);
  g_autoptr(ProvTargetSystem) target = prov_target_system_new_with_uuid (FUZZ_UUID);

  g_list_store_append (targets, target);
  prov_connection_record_apply (G_LIST_MODEL (targets), path);
  if (prov_target_system_get_connection_status (target) != PROV_CONNECTION_STATUS_UNKNOWN)
    {
      g_assert (prov_target_system_get_connection_message (target) != NULL);
      g_assert (prov_target_system_get_connection_time (target) != NULL);
    }
}
#endif

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_one (data, size);
  return 0;
}
