/* prov-target-json.h — a target system as an object of targets.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-system.h"

G_BEGIN_DECLS

/* Serialization of the non-secret fields. Unknown members of @object are
 * kept and written back, so a newer version's data survives a round trip. */
JsonObject        *prov_target_system_to_json             (ProvTargetSystem  *self);
ProvTargetSystem  *prov_target_system_new_from_json       (JsonObject        *object,
                                                           GError           **error);

G_END_DECLS
