/* users-fixture.h — what the users tests share
 *
 * JSON written with ' for " (so that expectations stay readable), a user
 * with every attribute, and the checks that test-user, test-csv-reader and
 * test-mapping make on what they get.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "prov-csv-reader.h"
#include "prov-user.h"

G_BEGIN_DECLS

#define CORE "urn:ietf:params:scim:schemas:core:2.0:User"
#define ENT "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define SAP "urn:ietf:params:scim:schemas:extension:sap:2.0:User"

/* A user with every attribute, in relaxed JSON. */
#define FULL_USER \
  "{'schemas':['" CORE "','" ENT "','" SAP "']," \
  " 'id':'7d0b2c1e-0000-4000-8000-000000000001'," \
  " 'meta':{'resourceType':'User','lastModified':'2024-05-01T10:00:00Z'}," \
  " 'userName':'zoe.quillfeather'," \
  " 'name':{'givenName':'Zoë','familyName':'Quillfeather'}," \
  " 'displayName':'Z. Quillfeather'," \
  " 'title':'Engineer','userType':'employee','active':true,'locale':'de_DE'," \
  " 'emails':[{'value':'zq@home.example.com','type':'home'}," \
  "           {'value':'Zoe.Quillfeather@Example.com','type':'work','primary':true}]," \
  " 'phoneNumbers':[{'value':'+1 555-0100','type':'mobile'},{'value':'+1 555-0101','type':'work'}]," \
  " 'addresses':[{'type':'work','streetAddress':'1 Example Street','locality':'Walldorf','postalCode':'69190','country':'DE'}," \
  "              {'type':'home','streetAddress':'2 Sample Road','locality':'Berlin','postalCode':'10115','country':'DE'}]," \
  " '" ENT "':{'employeeNumber':'004711','costCenter':'CC-1001','organization':'Example Corp','division':'Products','department':'Engineering'}," \
  " '" SAP "':{'userId':'P000123'}}"

/* JSON written with ' for " so that expectations stay readable. */
JsonObject *json_from_relaxed (const char *relaxed);

ProvUser *user_from_relaxed (const char *relaxed);

char *json_to_text (JsonObject *object);

/* Asserts that @actual has the content of @expected_relaxed, in any order. */
void assert_json_equal (JsonObject *actual,
                        const char *expected_relaxed);

GPtrArray *read_csv_text (const char  *text,
                          GPtrArray  **row_errors,
                          GStrv       *warnings,
                          GError     **error);

/* No string in @object is empty or blank. */
void assert_object_has_no_blank_strings (JsonObject *object);

G_END_DECLS
