/* prov-journal.h — a record of every provisioning run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-plan.h"

G_BEGIN_DECLS

/* One line of a run: what was done to one user, and how it ended. */
typedef struct
{
  GDateTime *time;
  char      *user_name;
  ProvAction action;
  gboolean   ok;
  char      *message;   /* the sentence people read; NULL when ok */
} ProvJournalEntry;

/* A run as the history lists it. */
typedef struct
{
  char      *path;
  GDateTime *started;
  char      *target_uuid;
  char      *target_name;
  char      *scenario;
  guint      succeeded;
  guint      failed;
  gboolean   finished;   /* FALSE: the app stopped before the run ended */
  gboolean   cancelled;
  char      *error;      /* why it could not start (no plan), or NULL */
} ProvJournalRun;

void prov_journal_entry_free (ProvJournalEntry *entry);
void prov_journal_run_free   (ProvJournalRun   *run);

#define PROV_TYPE_JOURNAL (prov_journal_get_type ())
G_DECLARE_FINAL_TYPE (ProvJournal, prov_journal, PROV, JOURNAL, GObject)

/* The default folder: the user's state directory. */
char        *prov_journal_get_default_dir (void);

/* Starts the journal of a new run in @dir (NULL for the default): the
 * file is created and its first line queued. Records are written in
 * order on the journal's own worker thread, each flushed on its own, so a
 * crash loses nothing that was written; prov_journal_flush_async() says
 * when everything queued is on disk. The _async variant also creates the
 * file off the main loop. */
ProvJournal *prov_journal_new_run         (const char        *dir,
                                           ProvTargetSystem  *target,
                                           const char        *scenario,
                                           GError           **error);
void         prov_journal_new_run_async   (const char          *dir,
                                           ProvTargetSystem    *target,
                                           const char          *scenario,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
ProvJournal *prov_journal_new_run_finish  (GAsyncResult        *result,
                                           GError             **error);
/* Completes once every record queued before it is written and flushed;
 * FALSE (PROV_ERROR_SAVE_FAILED) when one could not be. */
void         prov_journal_flush_async     (ProvJournal         *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean     prov_journal_flush_finish    (GAsyncResult        *result,
                                           GError             **error);
const char  *prov_journal_get_path        (ProvJournal       *self);
void         prov_journal_record          (ProvJournal       *self,
                                           const char        *user_name,
                                           ProvAction         action,
                                           gboolean           ok,
                                           const char        *message);
void         prov_journal_finish          (ProvJournal       *self,
                                           guint              succeeded,
                                           guint              failed,
                                           gboolean           cancelled);
/* Ends a run that was asked for but could not start (its source could not
 * be read, its target not planned): @message says why. */
void         prov_journal_finish_not_started (ProvJournal    *self,
                                              const char     *message);

/* Runs newest first; @target_uuid NULL for all targets. */
GPtrArray   *prov_journal_list_runs       (const char        *dir,
                                           const char        *target_uuid);
GPtrArray   *prov_journal_read_entries    (const char        *path,
                                           GError           **error);
/* The same, read on a worker thread (for the history window). */
void         prov_journal_list_runs_async (const char          *dir,
                                           const char          *target_uuid,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray   *prov_journal_list_runs_finish (GAsyncResult       *result,
                                            GError            **error);
void         prov_journal_read_entries_async  (const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray   *prov_journal_read_entries_finish (GAsyncResult        *result,
                                               GError             **error);
/* A run as CSV (time, user, action, outcome, message). */
GBytes      *prov_journal_format_csv      (const char        *path,
                                           GError           **error);
/* Writes prov_journal_format_csv() to @destination. */
gboolean     prov_journal_export_csv      (const char        *path,
                                           GFile             *destination,
                                           GError           **error);

G_END_DECLS
