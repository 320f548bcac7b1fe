/* prov-target-system-private.h — the fields of ProvTargetSystem, for the
 * files that split its concerns (validation, JSON)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-system.h"

G_BEGIN_DECLS

struct _ProvTargetSystem
{
  GObject            parent_instance;

  char              *uuid;
  ProvTargetKind     kind;
  ProvScimVersion    version;
  ProvAuthMechanism  auth_mechanism;
  char              *text[PROV_N_FIELDS];

  /* Members of the stored object this version does not know; written back. */
  JsonObject        *unknown_members;

  /* Provisioning settings; 0 rates mean SAP's default for the type. */
  guint              rate_per_minute;
  guint              rate_per_hour;
  ProvDeprovisionMode deprovision_mode;
  guint              threshold_users;
  guint              threshold_percent;

  ProvConnectionStatus connection_status;
  char              *connection_message;
  GDateTime         *connection_time;
};

/* A target with a known identifier, as read from targets.json or copied. */
ProvTargetSystem *prov_target_system_new_with_uuid (const char *uuid);

G_END_DECLS
