/* prov-real-time-question.h — asking before real-time provisioning pushes
 * a whole source at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "prov-plan.h"

G_BEGIN_DECLS

typedef enum
{
  PROV_REAL_TIME_CANCEL,   /* back to the editor, nothing saved */
  PROV_REAL_TIME_OFF,      /* save with real-time provisioning off */
  PROV_REAL_TIME_ON,       /* save, and push the plan at the first check */
} ProvRealTimeChoice;

/* Shows what turning real-time provisioning on for @target pushes at once
 * (@plan), or why that is not known (@reason, when @plan is NULL: then
 * the only ways on are Cancel and saving with it off). */
void               prov_ask_real_time_async  (GtkWindow           *parent,
                                              ProvTargetSystem    *target,
                                              ProvPlan            *plan,
                                              const char          *reason,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
ProvRealTimeChoice prov_ask_real_time_finish (GAsyncResult        *result);

G_END_DECLS
