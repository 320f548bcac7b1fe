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
} ProvJournalRun;

void prov_journal_entry_free (ProvJournalEntry *entry);
void prov_journal_run_free   (ProvJournalRun   *run);

#define PROV_TYPE_JOURNAL (prov_journal_get_type ())
G_DECLARE_FINAL_TYPE (ProvJournal, prov_journal, PROV, JOURNAL, GObject)

/* The default folder: the user's state directory. */
char        *prov_journal_get_default_dir (void);

/* Starts the journal of a new run in @dir (NULL for the default). Each
 * record is written and flushed at once, so a crash loses nothing. */
ProvJournal *prov_journal_new_run         (const char        *dir,
                                           ProvTargetSystem  *target,
                                           const char        *scenario,
                                           GError           **error);
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

/* Runs newest first; @target_uuid NULL for all targets. */
GPtrArray   *prov_journal_list_runs       (const char        *dir,
                                           const char        *target_uuid);
GPtrArray   *prov_journal_read_entries    (const char        *path,
                                           GError           **error);
/* Writes a run as CSV (time, user, action, outcome, message). */
gboolean     prov_journal_export_csv      (const char        *path,
                                           GFile             *destination,
                                           GError           **error);

G_END_DECLS
