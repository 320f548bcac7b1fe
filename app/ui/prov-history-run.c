/* prov-history-run.c — one provisioning run, as History lists it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "prov-history-run.h"
#include "prov-ui-util.h"

struct _ProvHistoryRun
{
  GObject   parent_instance;

  char     *path;
  char     *when;
  char     *outcome;
  gboolean  failed;     /* some users failed, or the run did not end */
  gboolean  started;    /* FALSE: it could not start, and has no lines */
};

G_DEFINE_FINAL_TYPE (ProvHistoryRun, prov_history_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_WHEN,
  PROP_OUTCOME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
describe_run (const ProvJournalRun *run)
{
  g_autofree char *outcome = NULL;

  if (run->error != NULL)
    /* Translators: why a run could not start, a sentence */
    return g_strdup_printf (_("Did not start: %s"), run->error);
  outcome = g_strdup_printf (ngettext ("%u user provisioned", "%u users provisioned", run->succeeded),
                             run->succeeded);
  if (!run->finished)
    /* Translators: the run's outcome, then why it is incomplete */
    return g_strdup_printf (_("%s — interrupted before it ended"), outcome);
  if (run->cancelled)
    return g_strdup_printf (_("%s — cancelled"), outcome);
  if (run->failed > 0)
    return g_strdup_printf (ngettext ("%s, %u failed", "%s, %u failed", run->failed), outcome, run->failed);
  return g_steal_pointer (&outcome);
}

ProvHistoryRun *
prov_history_run_new (const ProvJournalRun *run)
{
  ProvHistoryRun *self;

  g_return_val_if_fail (run != NULL, NULL);

  self = g_object_new (PROV_TYPE_HISTORY_RUN, NULL);
  self->path = g_strdup (run->path);
  self->when = prov_format_date_time (run->started);
  self->outcome = describe_run (run);
  self->failed = run->failed > 0 || !run->finished || run->error != NULL;
  self->started = run->error == NULL;
  return self;
}

const char *
prov_history_run_get_path (ProvHistoryRun *self)
{
  g_return_val_if_fail (PROV_IS_HISTORY_RUN (self), NULL);
  return self->path;
}

const char *
prov_history_run_get_when (ProvHistoryRun *self)
{
  g_return_val_if_fail (PROV_IS_HISTORY_RUN (self), NULL);
  return self->when;
}

const char *
prov_history_run_get_outcome (ProvHistoryRun *self)
{
  g_return_val_if_fail (PROV_IS_HISTORY_RUN (self), NULL);
  return self->outcome;
}

gboolean
prov_history_run_get_failed (ProvHistoryRun *self)
{
  g_return_val_if_fail (PROV_IS_HISTORY_RUN (self), FALSE);
  return self->failed;
}

gboolean
prov_history_run_get_started (ProvHistoryRun *self)
{
  g_return_val_if_fail (PROV_IS_HISTORY_RUN (self), FALSE);
  return self->started;
}

static void
prov_history_run_finalize (GObject *object)
{
  ProvHistoryRun *self = PROV_HISTORY_RUN (object);

  g_free (self->path);
  g_free (self->when);
  g_free (self->outcome);
  G_OBJECT_CLASS (prov_history_run_parent_class)->finalize (object);
}

static void
prov_history_run_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ProvHistoryRun *self = PROV_HISTORY_RUN (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_WHEN:
      g_value_set_string (value, self->when);
      break;
    case PROP_OUTCOME:
      g_value_set_string (value, self->outcome);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_history_run_class_init (ProvHistoryRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prov_history_run_finalize;
  object_class->get_property = prov_history_run_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WHEN] =
    g_param_spec_string ("when", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_string ("outcome", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prov_history_run_init (ProvHistoryRun *self)
{
}
