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

/* A ProvUser is immutable: it keeps @scim as compact text (not the
 * tree: a tenant's users would take seven times the memory), and copies
 * of the fields below. @scim needs a userName with at least one non-space
 * character, and no number json-glib cannot write as JSON (otherwise
 * PROV_ERROR_INVALID_USER); it is not changed. The userName is trimmed of
 * surrounding spaces, as the CSV reader trims it, so every source names a
 * person alike. Safe to create in a worker thread and hand over. */
ProvUser    *prov_user_new_from_json        (JsonObject  *scim,
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
/* The user's SCIM JSON, parsed anew from its text: free it with
 * json_object_unref(). Sealed (json-glib's immutable): copy to change. */
JsonObject  *prov_user_dup_json             (ProvUser    *self);
/* The user as SAP Jam takes it: see prov_mapping_dup_jam_text(). */
const char  *prov_user_get_jam_text         (ProvUser    *self);

/* Case-insensitive substring match on the user ID, the SCIM id, every email
 * value and the login name. An empty or NULL @needle matches everyone. */
gboolean     prov_user_matches              (ProvUser    *self,
                                             const char  *needle);

/* The canonical form of any SCIM JSON: members sorted by name at every
 * level, arrays in their order, no whitespace. */
char        *prov_scim_json_dup_canonical   (JsonObject  *object);
/* A deep copy of @object with its members sorted the same way. */
JsonObject  *prov_scim_json_copy_canonical  (JsonObject  *object);

G_END_DECLS
