/* prov-mapping.h — SAP's attribute table: from a source user to a target's SCIM JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "prov-user.h"

G_BEGIN_DECLS

/* How a value goes over. */
typedef enum
{
  PROV_MAPPING_VALUE_TEXT,    /* a text, sent when not empty */
  PROV_MAPPING_VALUE_ACTIVE,  /* always sent: true only when the source user is active */
  PROV_MAPPING_VALUE_LOCALE,  /* sent as ll_CC only when language and country are both there */
} ProvMappingValue;

/* One row of the table. Paths are SCIM attribute paths with two selectors
 * for entries of multi-valued attributes: "[primary]" (the primary entry,
 * else the first with a value) and "[type=work]" (the first entry of that
 * type); an extension attribute follows its schema URN and a colon. */
typedef struct
{
  const char       *ias_name;     /* SAP's name for it in Identity Authentication: "firstName" */
  const char       *source_path;  /* in Identity Authentication's SCIM and CSV: "name.givenName" */
  const char       *jam_path;     /* in SAP Jam's SCIM: "name.givenName" */
  ProvMappingValue  value;
  const char       *note;         /* untranslated, may be NULL: see prov_mapping_entry_get_note() */
} ProvMappingEntry;

/* The table, in SAP's order: for display and tests. */
const ProvMappingEntry *prov_mapping_get_entries        (guint                  *n_entries);
/* The entry's note, translated; NULL when it has none. */
const char             *prov_mapping_entry_get_note     (const ProvMappingEntry *entry);

/* The user as SAP Jam's SCIM API takes it (POST or PUT body): schemas (the
 * core User schema, and the enterprise extension only when the user has an
 * enterprise value), then the mapped attributes in table order. A value the
 * source lacks is left out, never sent empty. Its text, compact: the same
 * user always gives the same bytes, and they are what json-glib writes
 * for that object. */
char                   *prov_mapping_dup_jam_text       (ProvUser               *user);
/* The same from a user's SCIM JSON: what a ProvUser computes once, while
 * it has the tree at hand. */
char                   *prov_mapping_dup_jam_text_for_json (JsonObject          *source);
/* The same, as a tree (parsed from that text). */
JsonObject             *prov_mapping_build_jam_user     (ProvUser               *user);

/* The user as Identity Provisioning's real-time API takes it: the source's
 * SCIM JSON without id and meta (active kept), blank strings left out,
 * members sorted so the bytes do not depend on the source's order. */
JsonObject             *prov_mapping_build_ips_user     (ProvUser               *user);

G_END_DECLS
