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

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             GTask            *task)
{
  ProvRealTimeChoice choice = PROV_REAL_TIME_CANCEL;

  if (g_str_equal (response, "on"))
    choice = PROV_REAL_TIME_ON;
  else if (g_str_equal (response, "off"))
    choice = PROV_REAL_TIME_OFF;

  g_task_return_int (task, choice);
  g_object_unref (task);
}

/* "12 to create, 3 to update, 1 to deactivate", the actions there are. */
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
  if (text->len == 0)
    g_string_append (text, _("nothing: every user is on the target system already"));
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
  GTask *task = g_task_new (parent, NULL, callback, user_data);
  const char *name = prov_target_system_get_display_name (target);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  g_task_set_source_tag (task, prov_ask_real_time_async);

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

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Turn On Real-Time Provisioning?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "off", _("Save With Real-Time _Off"),
                                    NULL);
  if (plan != NULL)
    {
      adw_message_dialog_add_response (dialog, "on", _("_Turn On"));
      adw_message_dialog_set_response_appearance (dialog, "on", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "on");
    }
  else
    adw_message_dialog_set_default_response (dialog, "off");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), task);
  prov_fix_accessible_names_within (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

ProvRealTimeChoice
prov_ask_real_time_finish (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), PROV_REAL_TIME_CANCEL);
  return g_task_propagate_int (G_TASK (result), NULL);
}
