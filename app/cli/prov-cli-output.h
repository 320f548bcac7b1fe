/* prov-cli-output.h — what the command line prints: plain text and --json
 *
 * The JSON shapes are documented in docs/cli-json.md and kept stable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "prov-journal.h"
#include "prov-plan.h"
#include "prov-target-system.h"

G_BEGIN_DECLS

/* Pretty-printed, on stdout, with a final newline. */
void        prov_cli_print_json          (JsonNode          *node);

/* "jam" or "ips", and back (-1 when unknown). */
const char *prov_cli_kind_to_string      (ProvTargetKind     kind);
int         prov_cli_kind_from_string    (const char        *value);

/* The option / JSON name of a field for a kind of target ("url" or
 * "scim-url", "client-key" or "client-id"), or NULL for fields the command
 * line does not show. */
const char *prov_cli_field_name          (ProvField          field,
                                          ProvTargetKind     kind);

/* name, type, uuid and every visible non-secret field. */
JsonObject *prov_cli_target_to_json      (ProvTargetSystem  *target);
void        prov_cli_print_target        (ProvTargetSystem  *target);

/* One plan's counts; see docs/cli-json.md. */
JsonObject *prov_cli_plan_to_json        (ProvPlan          *plan);
/* The same as lines "  Create: N" … "  Unchanged: N". */
void        prov_cli_print_plan_counts   (ProvPlan          *plan);
JsonObject *prov_cli_run_to_json         (ProvJournalRun    *run);

G_END_DECLS
