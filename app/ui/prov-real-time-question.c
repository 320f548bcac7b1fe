/* prov-real-time-question.c — asking before real-time provisioning pushes
 * a whole source at once
 *
 * A target that has received nobody yet gets every user of the source at
 * the first check after real-time provisioning is turned on: the person
 * sees that plan, as a Provision run would show it, before saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "prov-real-time-question.h"
#include "prov-ui-util.h"

/* "12 to create, 3 to update, 1 to deactivate", the actions there are (a
 * plan asked about always has one). */
static char *
describe_plan (ProvPlan *plan)
{
  const ProvAction actions[] = {
    PROV_ACTION_CREATE, PROV_ACTION_UPDATE, PROV_ACTION_DEACTIVATE, PROV_ACTION_DELETE,
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      guint n = prov_plan_count (plan, actions[i]);
      g_autofree char *part = NULL;

      if (n == 0)
        continue;
      /* Translators: parts of a list: "12 users to create, 3 users to update" */
      if (actions[i] == PROV_ACTION_CREATE)
        part = g_strdup_printf (ngettext ("%u user to create", "%u users to create", n), n);
      else if (actions[i] == PROV_ACTION_UPDATE)
        part = g_strdup_printf (ngettext ("%u user to update", "%u users to update", n), n);
      else if (actions[i] == PROV_ACTION_DEACTIVATE)
        part = g_strdup_printf (ngettext ("%u user to deactivate", "%u users to deactivate", n), n);
      else
        part = g_strdup_printf (ngettext ("%u user to delete", "%u users to delete", n), n);
      if (text->len > 0)
        g_string_append (text, _(", "));
      g_string_append (text, part);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
prov_ask_real_time_async (GtkWindow           *parent,
                          ProvTargetSystem    *target,
                          ProvPlan            *plan,
                          const char          *reason,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  /* In the order of ProvRealTimeChoice; Turn On only with a plan. */
  const ProvResponse responses[] = {
    { "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT },
    { "off", _("Save With Real-Time _Off"), ADW_RESPONSE_DEFAULT },
    { "on", _("_Turn On"), ADW_RESPONSE_SUGGESTED },
  };
  const char *name = prov_target_system_get_display_name (target);
  g_autofree char *body = NULL;

  if (plan != NULL)
    {
      g_autofree char *counts = describe_plan (plan);

      /* Translators: 1: a target system's name, 2: "12 users to create, 3 users to update" */
      body = g_strdup_printf (_("“%s” has not received any users yet. With real-time provisioning on, the source of users is pushed to it at once: %s."),
                              name, counts);
    }
  else
    /* Translators: 1: a target system's name, 2: why the source could not be read */
    body = g_strdup_printf (_("“%s” has not received any users yet, and what real-time provisioning would push to it at once is not known: %s"),
                            name, reason);

  prov_ask_async (parent, _("Turn On Real-Time Provisioning?"), body, responses,
                  plan != NULL ? G_N_ELEMENTS (responses) : G_N_ELEMENTS (responses) - 1,
                  plan != NULL ? "on" : "off", callback, user_data);
}

ProvRealTimeChoice
prov_ask_real_time_finish (GAsyncResult *result)
{
  return prov_ask_finish (result);
}
