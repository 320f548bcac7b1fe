/* prov-user.h — one user of the source, as Identity Authentication's SCIM JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PROV_SCIM_SCHEMA_USER            "urn:ietf:params:scim:schemas:core:2.0:User"
#define PROV_SCIM_SCHEMA_ENTERPRISE_USER "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define PROV_SCIM_SCHEMA_SAP_USER        "urn:ietf:params:scim:schemas:extension:sap:2.0:User"

#define PROV_TYPE_USER (prov_user_get_type ())
G_DECLARE_FINAL_TYPE (ProvUser, prov_user, PROV, USER, GObject)

/* A ProvUser is immutable: it keeps its own deep copy of @scim, which
 * needs a userName with at least one non-space character (otherwise
 * PROV_ERROR_INVALID_USER). The userName is trimmed of surrounding spaces, as
 * the CSV reader trims it, so every source names a person alike. Safe to
 * create in a worker thread and hand over. */
ProvUser    *prov_user_new_from_json        (JsonObject  *scim,
                                             GError     **error);
/* The same without a copy: the user takes a reference to @scim (and may
 * trim its userName), so the caller must not change it afterwards. For a
 * page of users that was parsed for this alone. */
ProvUser    *prov_user_new_take_json        (JsonObject  *scim,
                                             GError     **error);

const char  *prov_user_get_user_name        (ProvUser    *self);
/* The source's SCIM id; NULL when the source gave none. */
const char  *prov_user_get_id               (ProvUser    *self);
/* SAP's user ID (P000123), from the SAP extension's userId; may be NULL. */
const char  *prov_user_get_user_id          (ProvUser    *self);
/* The value of the primary email, else of the first one with a value. */
const char  *prov_user_get_email            (ProvUser    *self);
const char  *prov_user_get_given_name       (ProvUser    *self);
const char  *prov_user_get_family_name      (ProvUser    *self);
/* "Given Family" (or the one of them there is), else displayName, else
 * userName: never NULL. */
const char  *prov_user_get_display_label    (ProvUser    *self);
/* TRUE when active is absent, null or true. */
gboolean     prov_user_get_active           (ProvUser    *self);
/* Owned by @self; do not modify. */
JsonObject  *prov_user_get_json             (ProvUser    *self);

/* Case-insensitive substring match on the user ID, the SCIM id, every email
 * value and the login name. An empty or NULL @needle matches everyone. */
gboolean     prov_user_matches              (ProvUser    *self,
                                             const char  *needle);

/* SHA-256 (lowercase hex) of the canonical JSON: equal for equal content,
 * whatever the order of members. */
char        *prov_user_dup_fingerprint      (ProvUser    *self);

/* The canonical form of any SCIM JSON: members sorted by name at every
 * level, arrays in their order, no whitespace; and its SHA-256 in hex. */
char        *prov_scim_json_dup_canonical   (JsonObject  *object);
char        *prov_scim_json_dup_digest      (JsonObject  *object);
/* A deep copy of @object with its members sorted the same way. */
JsonObject  *prov_scim_json_copy_canonical  (JsonObject  *object);

G_END_DECLS
