/* prov-target-validation.h — whether a target system's fields are usable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-system.h"

G_BEGIN_DECLS

/* Validation: a translated reason, or NULL when the value is fine.
 * @others: the other targets (a GListModel of ProvTargetSystem) for the
 * unique-name rule; may be NULL. */
char              *prov_target_system_check_field         (ProvTargetSystem  *self,
                                                           ProvField          field,
                                                           GListModel        *others);
/* What names are unique by: @name without the spaces around it, case
 * folded. Free with g_free(). */
char              *prov_target_name_key                   (const char        *name);
/* Whether another target of @others (not @self, by uuid) is called @name,
 * ignoring case and the spaces around it. */
gboolean           prov_target_system_name_is_taken      (ProvTargetSystem  *self,
                                                           const char        *name,
                                                           GListModel        *others);
/* Checks every visible field. Returns TRUE when all are valid; otherwise
 * fills @reasons (owned by the caller; may be NULL) with one reason per
 * invalid field, indexed by ProvField, NULL where valid. */
gboolean           prov_target_system_validate            (ProvTargetSystem  *self,
                                                           GListModel        *others,
                                                           char            ***reasons);
/* Whether @self, a copy with its secrets from the keyring, has every
 * secret its authentication mechanism needs. An imported target, or one
 * whose keyring item was lost, has none; sent empty, a server's refusal
 * would blame credentials that were never given. PROV_ERROR_INVALID_FIELD
 * names the target and the field. */
gboolean           prov_target_system_check_secrets       (ProvTargetSystem  *self,
                                                           GError           **error);
/* The first secret field its mechanism needs that @self lacks, or
 * PROV_N_FIELDS. */
ProvField          prov_target_system_find_missing_secret (ProvTargetSystem  *self);
/* Reasons indexed by ProvField (NULL where valid; not a GStrv): hands
 * @result to @reasons, or frees it when @reasons is NULL. */
void               prov_field_reasons_return              (char             **result,
                                                           char            ***reasons);
void               prov_field_reasons_free                (char             **reasons);

/* Whether @host names this computer (localhost or a loopback address). */
gboolean           prov_url_host_is_loopback              (const char        *host);
/* An Identity Authentication tenant's address: https (http only for
 * loopback), no path. A reason, or NULL when fine. */
char              *prov_check_tenant_url                  (const char        *value);
/* A file to read: an absolute path to a regular file (symlinks followed).
 * A reason, or NULL when fine. */
char              *prov_check_file_path                   (const char        *path);

G_END_DECLS
