/* prov-cli-fields.h — the editor's fields as command-line options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

typedef struct
{
  char    *url;
  char    *scim_url;
  char    *token_url;
  char    *client_key;
  char    *client_id;
  char    *version;
  char    *auth;
  char    *username;
  char    *common_name;
  char    *certificate;
  char    *generate_certificate;   /* the administrator's user ID */
  char    *ca_file;
  char    *rate_per_minute;
  char    *rate_per_hour;
  char    *deprovision;
  char    *threshold_users;
  char    *threshold_percent;
  char    *real_time;
  gboolean secret_stdin;
  gboolean yes;
} ProvCliFields;

/* The command's @own options (ending in G_OPTION_ENTRY_NULL), then the
 * options filling @fields; free the array with g_free(). */
GOptionEntry *prov_cli_fields_entries          (ProvCliFields      *fields,
                                                const GOptionEntry *own);
void          prov_cli_fields_clear            (ProvCliFields    *fields);

/* Sets the choices (version, auth) first, then every text field and
 * setting given. A value that is not one of the choices, a number that is
 * not a number, or a field the target's type and mechanism do not have is
 * a G_OPTION_ERROR (usage). */
gboolean      prov_cli_fields_apply            (ProvCliFields    *fields,
                                                ProvTargetSystem *target,
                                                GError          **error);

/* Sets @error (usage) for a @value that is not one of @choices, written
 * as --help writes them (“deactivate|delete”). Returns FALSE. */
gboolean      prov_cli_bad_choice              (GError          **error,
                                                const char       *option,
                                                const char       *choices,
                                                const char       *value);

/* The secret the target's mechanism needs from a person (Client Secret,
 * Password or Certificate Password). */
ProvField     prov_cli_fields_secret_field     (ProvTargetSystem *target);

/* --certificate: imports the file with the target's Certificate Password.
 * --generate-certificate: a new key and certificate, as the editor's
 * Generate. A G_OPTION_ERROR for an option the target does not take (or
 * both at once); PROV_ERROR_INVALID_FIELD for a value that cannot make a
 * certificate. */
gboolean      prov_cli_fields_import_certificate (ProvCliFields    *fields,
                                                  ProvTargetSystem *target,
                                                  GError          **error);

G_END_DECLS
