/* test-mapping.c — SAP's attribute mapping (prov-mapping): one case per
 * row of the table, and the payloads for SAP Jam and Identity Provisioning
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "prov-mapping.h"
#include "users-fixture.h"

/* The mapping: one case per row of SAP's table (at least) */

typedef struct
{
  const char *ias_name;   /* the row of the table it tests */
  const char *source;     /* relaxed JSON */
  const char *jam;        /* the whole Jam payload, relaxed JSON */
} MappingCase;

#define JAM_CORE "'schemas':['" CORE "'],'userName':'u'"
#define JAM_CORE_ACTIVE JAM_CORE ",'active':true"
#define JAM_ENT "'schemas':['" CORE "','" ENT "'],'userName':'u','active':true"

static const MappingCase mapping_cases[] = {
  { "firstName", "{'userName':'u','name':{'givenName':'Ada','middleName':'M'}}",
    "{" JAM_CORE_ACTIVE ",'name':{'givenName':'Ada'}}" },
  { "lastName", "{'userName':'u','name':{'familyName':'Brindlewick','formatted':'X'}}",
    "{" JAM_CORE_ACTIVE ",'name':{'familyName':'Brindlewick'}}" },
  { "uid", "{'userName':'ada.brindlewick','id':'abc','externalId':'x','displayName':'Ada'}",
    "{'schemas':['" CORE "'],'userName':'ada.brindlewick','active':true}" },
  { "title", "{'userName':'u','title':'Engineer'}",
    "{" JAM_CORE_ACTIVE ",'jobFunction':'Engineer'}" },
  { "userType", "{'userName':'u','userType':'employee'}",
    "{" JAM_CORE_ACTIVE ",'type':'employee'}" },
  { "mail", "{'userName':'u','emails':[{'value':'a@example.com','type':'home'},{'value':'b@example.com','type':'work','primary':true}]}",
    "{" JAM_CORE_ACTIVE ",'emails':[{'value':'b@example.com','primary':true}]}" },
  { "mail", "{'userName':'u','emails':[{'value':' '},{'value':'a@example.com'},{'value':'b@example.com'}]}",
    "{" JAM_CORE_ACTIVE ",'emails':[{'value':'a@example.com','primary':true}]}" },
  { "status", "{'userName':'u','active':true}",
    "{" JAM_CORE_ACTIVE "}" },
  { "status", "{'userName':'u','active':false}",
    "{" JAM_CORE ",'active':false}" },
  { "status", "{'userName':'u'}",
    "{" JAM_CORE_ACTIVE "}" },
  { "telephone", "{'userName':'u','phoneNumbers':[{'value':'+1 555-0100','type':'mobile'},{'value':'+1 555-0101','type':'work'}]}",
    "{" JAM_CORE_ACTIVE ",'phoneNumbers':[{'type':'work','value':'+1 555-0101'}]}" },
  { "telephone", "{'userName':'u','phoneNumbers':[{'value':'+1 555-0100','type':'mobile'},{'value':'+1 555-0102'}]}",
    "{" JAM_CORE_ACTIVE "}" },
  { "street", "{'userName':'u','addresses':[{'type':'home','streetAddress':'2 Sample Road'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'home','streetAddress':'2 Sample Road'}]}" },
  { "city", "{'userName':'u','addresses':[{'type':'Home','locality':'Berlin','region':'BE'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'home','locality':'Berlin'}]}" },
  { "zip", "{'userName':'u','addresses':[{'type':'home','postalCode':'10115'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'home','postalCode':'10115'}]}" },
  { "country", "{'userName':'u','addresses':[{'type':'home','country':'DE'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'home','country':'DE'}]}" },
  { "companyStreet", "{'userName':'u','addresses':[{'type':'work','streetAddress':'1 Example Street'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'work','streetAddress':'1 Example Street'}]}" },
  { "companyCity", "{'userName':'u','addresses':[{'type':'work','locality':'Walldorf'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'work','locality':'Walldorf'}]}" },
  { "companyZip", "{'userName':'u','addresses':[{'type':'work','postalCode':'69190'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'work','postalCode':'69190'}]}" },
  { "companyCountry", "{'userName':'u','addresses':[{'type':'work','country':'DE'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':[{'type':'work','country':'DE'}]}" },
  { "companyCountry",
    "{'userName':'u','addresses':[{'type':'other','country':'FR'},"
    "{'type':'home','streetAddress':'2 Sample Road','locality':'Berlin','postalCode':'10115','country':'DE'},"
    "{'type':'work','streetAddress':'1 Example Street','locality':'Walldorf','postalCode':'69190','country':'DE'}]}",
    "{" JAM_CORE_ACTIVE ",'addresses':["
    "{'type':'home','streetAddress':'2 Sample Road','locality':'Berlin','postalCode':'10115','country':'DE'},"
    "{'type':'work','streetAddress':'1 Example Street','locality':'Walldorf','postalCode':'69190','country':'DE'}]}" },
  { "locale", "{'userName':'u','locale':'de_DE'}",
    "{" JAM_CORE_ACTIVE ",'locale':'de_DE'}" },
  { "locale", "{'userName':'u','locale':'pt-br'}",
    "{" JAM_CORE_ACTIVE ",'locale':'pt_BR'}" },
  { "locale", "{'userName':'u','locale':'de'}",
    "{" JAM_CORE_ACTIVE "}" },
  { "employeeNumber", "{'userName':'u','" ENT "':{'employeeNumber':'004711'}}",
    "{" JAM_ENT ",'" ENT "':{'personnelNumber':'004711'}}" },
  { "employeeNumber", "{'userName':'u','" ENT "':{'employeeNumber':4711}}",
    "{" JAM_ENT ",'" ENT "':{'personnelNumber':'4711'}}" },
  { "costCenter", "{'userName':'u','" ENT "':{'costCenter':'CC-1001'}}",
    "{" JAM_ENT ",'" ENT "':{'costCenter':'CC-1001'}}" },
  { "organization", "{'userName':'u','" ENT "':{'organization':'Example Corp'}}",
    "{" JAM_ENT ",'" ENT "':{'company':'Example Corp'}}" },
  { "division", "{'userName':'u','" ENT "':{'division':'Products'}}",
    "{" JAM_ENT ",'" ENT "':{'division':'Products'}}" },
  { "department", "{'userName':'u','" ENT "':{'department':'Engineering','manager':{'value':'x'}}}",
    "{" JAM_ENT ",'" ENT "':{'department':'Engineering'}}" },
};

static void
test_mapping_case (gconstpointer data)
{
  const MappingCase *test_case = data;
  ProvUser *user = user_from_relaxed (test_case->source);
  g_autoptr(JsonObject) jam = prov_mapping_build_jam_user (user);

  assert_json_equal (jam, test_case->jam);
  assert_object_has_no_blank_strings (jam);
  g_assert_finalize_object (user);
}

static void
test_mapping_table_covered (void)
{
  guint n_entries = 0;
  const ProvMappingEntry *entries = prov_mapping_get_entries (&n_entries);

  /* SAP's table has 12 rows; addresses and the enterprise extension take
   * one entry per attribute. */
  g_assert_cmpuint (n_entries, ==, 22);

  for (guint i = 0; i < n_entries; i++)
    {
      gboolean covered = FALSE;

      g_assert_nonnull (entries[i].ias_name);
      g_assert_nonnull (entries[i].source_path);
      g_assert_nonnull (entries[i].jam_path);
      for (gsize j = 0; j < G_N_ELEMENTS (mapping_cases); j++)
        covered |= g_str_equal (mapping_cases[j].ias_name, entries[i].ias_name);
      if (!covered)
        g_test_message ("no test for %s", entries[i].ias_name);
      g_assert_true (covered);
    }

  /* Two rows docs/sap-domain.md spells out. */
  g_assert_cmpstr (entries[3].ias_name, ==, "title");
  g_assert_cmpstr (entries[3].jam_path, ==, "jobFunction");
  g_assert_cmpstr (entries[0].source_path, ==, "name.givenName");
  g_assert_nonnull (prov_mapping_entry_get_note (&entries[6]));
  g_assert_null (prov_mapping_entry_get_note (&entries[0]));
}

static void
test_mapping_locale (void)
{
  const struct
  {
    const char *locale;
    const char *sent;   /* NULL: left out */
  } cases[] = {
    { "de_DE", "de_DE" },
    { "en-US", "en_US" },
    { "EN_gb", "en_GB" },
    { "fil_PH", "fil_PH" },
    { " fr_FR ", "fr_FR" },
    { "de", NULL },
    { "de_", NULL },
    { "_DE", NULL },
    { "DE", NULL },
    { "", NULL },
    { "   ", NULL },
    { "en_US.UTF-8", NULL },
    { "zh-Hans-CN", NULL },
    { "es-419", NULL },
    { "d_DE", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{'userName':'u','locale':'%s'}", cases[i].locale);
      ProvUser *user = user_from_relaxed (json);
      g_autoptr(JsonObject) jam = prov_mapping_build_jam_user (user);

      g_test_message ("locale “%s”", cases[i].locale);
      if (cases[i].sent == NULL)
        g_assert_false (json_object_has_member (jam, "locale"));
      else
        g_assert_cmpstr (json_object_get_string_member (jam, "locale"), ==, cases[i].sent);
      g_assert_finalize_object (user);
    }
}

static void
test_mapping_no_empty_values (void)
{
  ProvUser *user = user_from_relaxed ("{'userName':'u','name':{'givenName':'','familyName':' '},"
                                      "'title':'','userType':'  ','locale':'',"
                                      "'emails':[{'value':'','primary':true}],"
                                      "'phoneNumbers':[{'value':'','type':'work'}],"
                                      "'addresses':[{'type':'home','streetAddress':'','locality':' '},{'type':'work'}],"
                                      "'" ENT "':{'employeeNumber':'','costCenter':' ','organization':'',"
                                      "'division':'','department':''}}");
  g_autoptr(JsonObject) jam = prov_mapping_build_jam_user (user);
  g_autoptr(JsonObject) ips = prov_mapping_build_ips_user (user);

  assert_json_equal (jam, "{" JAM_CORE_ACTIVE "}");
  assert_object_has_no_blank_strings (jam);

  assert_json_equal (ips, "{'userName':'u','emails':[{'primary':true}],'phoneNumbers':[{'type':'work'}],"
                          "'addresses':[{'type':'home'},{'type':'work'}]}");
  assert_object_has_no_blank_strings (ips);
  g_assert_finalize_object (user);
}

static void
test_mapping_enterprise_only_when_present (void)
{
  ProvUser *without = user_from_relaxed ("{'userName':'u','" ENT "':{'manager':{'value':'boss'}}}");
  ProvUser *with = user_from_relaxed ("{'userName':'u','" ENT "':{'division':'Products'}}");
  g_autoptr(JsonObject) jam_without = prov_mapping_build_jam_user (without);
  g_autoptr(JsonObject) jam_with = prov_mapping_build_jam_user (with);
  JsonArray *schemas;

  g_assert_false (json_object_has_member (jam_without, ENT));
  schemas = json_object_get_array_member (jam_without, "schemas");
  g_assert_cmpuint (json_array_get_length (schemas), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (schemas, 0), ==, CORE);

  g_assert_true (json_object_has_member (jam_with, ENT));
  schemas = json_object_get_array_member (jam_with, "schemas");
  g_assert_cmpuint (json_array_get_length (schemas), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (schemas, 0), ==, CORE);
  g_assert_cmpstr (json_array_get_string_element (schemas, 1), ==, ENT);

  g_assert_finalize_object (without);
  g_assert_finalize_object (with);
}

static void
test_mapping_full_user (void)
{
  ProvUser *user = user_from_relaxed (FULL_USER);
  g_autoptr(JsonObject) jam = prov_mapping_build_jam_user (user);
  g_autoptr(JsonObject) ips = prov_mapping_build_ips_user (user);
  g_autoptr(GList) members = json_object_get_members (jam);
  g_autofree char *jam_text = json_to_text (jam);

  assert_json_equal (jam,
                     "{'schemas':['" CORE "','" ENT "'],"
                     " 'name':{'givenName':'Zoë','familyName':'Quillfeather'},"
                     " 'userName':'zoe.quillfeather','jobFunction':'Engineer','type':'employee',"
                     " 'emails':[{'primary':true,'value':'Zoe.Quillfeather@Example.com'}],"
                     " 'active':true,"
                     " 'phoneNumbers':[{'type':'work','value':'+1 555-0101'}],"
                     " 'addresses':[{'type':'home','streetAddress':'2 Sample Road','locality':'Berlin','postalCode':'10115','country':'DE'},"
                     "              {'type':'work','streetAddress':'1 Example Street','locality':'Walldorf','postalCode':'69190','country':'DE'}],"
                     " 'locale':'de_DE',"
                     " '" ENT "':{'personnelNumber':'004711','costCenter':'CC-1001','company':'Example Corp',"
                     "            'division':'Products','department':'Engineering'}}");

  /* schemas leads; the rest follows the table. */
  g_assert_cmpstr (members->data, ==, "schemas");
  g_assert_true (g_str_has_prefix (jam_text, "{\"schemas\":[\"" CORE "\",\"" ENT "\"],\"name\":{\"givenName\":"));

  /* Identity Provisioning: the source minus id and meta, active kept. */
  g_assert_false (json_object_has_member (ips, "id"));
  g_assert_false (json_object_has_member (ips, "meta"));
  g_assert_true (json_object_get_boolean_member (ips, "active"));
  {
    g_autoptr(JsonObject) expected = json_from_relaxed (FULL_USER);
    json_object_remove_member (expected, "id");
    json_object_remove_member (expected, "meta");
    {
      g_autofree char *expected_text = prov_scim_json_dup_canonical (expected);
      g_autofree char *ips_text = json_to_text (ips);

      /* Already canonical: sorted members, so the bytes are the canonical ones. */
      g_assert_cmpstr (ips_text, ==, expected_text);
    }
  }

  g_assert_finalize_object (user);
}

static void
test_mapping_ips_inactive (void)
{
  ProvUser *user = user_from_relaxed ("{'userName':'u','active':false,'id':'x','meta':{'version':'1'}}");
  g_autoptr(JsonObject) ips = prov_mapping_build_ips_user (user);

  assert_json_equal (ips, "{'userName':'u','active':false}");
  g_assert_finalize_object (user);
}

/* What is pushed is also kept on disk (pushed/<uuid>.json): a password a
 * tenant sent along must reach neither. */
static void
test_mapping_ips_no_password (void)
{
  ProvUser *user = user_from_relaxed ("{'userName':'u','active':true,'password':'Tenant-Pw-1c9e'}");
  g_autoptr(JsonObject) ips = prov_mapping_build_ips_user (user);
  g_autoptr(JsonObject) jam = prov_mapping_build_jam_user (user);
  g_autofree char *ips_text = json_to_text (ips);
  g_autofree char *jam_text = json_to_text (jam);

  assert_json_equal (ips, "{'userName':'u','active':true}");
  g_assert_null (strstr (ips_text, "Tenant-Pw-1c9e"));
  g_assert_null (strstr (jam_text, "Tenant-Pw-1c9e"));
  g_assert_finalize_object (user);
}

static void
test_mapping_deterministic (void)
{
  ProvUser *a = user_from_relaxed (FULL_USER);
  /* The same user, members in another order at every level. */
  ProvUser *b = user_from_relaxed ("{'" SAP "':{'userId':'P000123'},"
                                   " '" ENT "':{'department':'Engineering','division':'Products','organization':'Example Corp','costCenter':'CC-1001','employeeNumber':'004711'},"
                                   " 'addresses':[{'country':'DE','postalCode':'69190','locality':'Walldorf','streetAddress':'1 Example Street','type':'work'},"
                                   "              {'country':'DE','postalCode':'10115','locality':'Berlin','streetAddress':'2 Sample Road','type':'home'}],"
                                   " 'phoneNumbers':[{'type':'mobile','value':'+1 555-0100'},{'type':'work','value':'+1 555-0101'}],"
                                   " 'emails':[{'type':'home','value':'zq@home.example.com'},"
                                   "           {'primary':true,'type':'work','value':'Zoe.Quillfeather@Example.com'}],"
                                   " 'locale':'de_DE','active':true,'userType':'employee','title':'Engineer',"
                                   " 'displayName':'Z. Quillfeather',"
                                   " 'name':{'familyName':'Quillfeather','givenName':'Zoë'},"
                                   " 'userName':'zoe.quillfeather',"
                                   " 'meta':{'lastModified':'2024-05-01T10:00:00Z','resourceType':'User'},"
                                   " 'id':'7d0b2c1e-0000-4000-8000-000000000001',"
                                   " 'schemas':['" CORE "','" ENT "','" SAP "']}");
  g_autoptr(JsonObject) jam_a = prov_mapping_build_jam_user (a);
  g_autoptr(JsonObject) jam_a2 = prov_mapping_build_jam_user (a);
  g_autoptr(JsonObject) jam_b = prov_mapping_build_jam_user (b);
  g_autoptr(JsonObject) ips_a = prov_mapping_build_ips_user (a);
  g_autoptr(JsonObject) ips_b = prov_mapping_build_ips_user (b);
  g_autofree char *text_a = json_to_text (jam_a);
  g_autofree char *text_a2 = json_to_text (jam_a2);
  g_autofree char *text_b = json_to_text (jam_b);
  g_autofree char *ips_text_a = json_to_text (ips_a);
  g_autofree char *ips_text_b = json_to_text (ips_b);

  g_assert_cmpstr (text_a, ==, text_a2);
  g_assert_cmpstr (text_a, ==, text_b);
  g_assert_cmpstr (ips_text_a, ==, ips_text_b);

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

/* The exact bytes of a SAP Jam payload. What was pushed is remembered by
 * the SHA-256 of these bytes: if they changed from one version to the
 * next, the first run after an update would write every user again. The
 * expected texts are what json-glib's generator made of the payload when
 * the format was set (escapes included: quote, backslash, the short
 * forms, \u00XX in lowercase, DEL, and UTF-8 as it is). */
static void
test_mapping_jam_bytes_stable (void)
{
  const struct
  {
    const char *source;   /* relaxed JSON */
    const char *text;
  } cases[] = {
    { FULL_USER,
      "{\"schemas\":[\"" CORE "\",\"" ENT "\"],"
      "\"name\":{\"givenName\":\"Zoë\",\"familyName\":\"Quillfeather\"},"
      "\"userName\":\"zoe.quillfeather\",\"jobFunction\":\"Engineer\",\"type\":\"employee\","
      "\"emails\":[{\"primary\":true,\"value\":\"Zoe.Quillfeather@Example.com\"}],"
      "\"active\":true,"
      "\"phoneNumbers\":[{\"type\":\"work\",\"value\":\"+1 555-0101\"}],"
      "\"addresses\":[{\"type\":\"home\",\"streetAddress\":\"2 Sample Road\",\"locality\":\"Berlin\",\"postalCode\":\"10115\",\"country\":\"DE\"},"
      "{\"type\":\"work\",\"streetAddress\":\"1 Example Street\",\"locality\":\"Walldorf\",\"postalCode\":\"69190\",\"country\":\"DE\"}],"
      "\"locale\":\"de_DE\","
      "\"" ENT "\":{\"personnelNumber\":\"004711\",\"costCenter\":\"CC-1001\",\"company\":\"Example Corp\","
      "\"division\":\"Products\",\"department\":\"Engineering\"}}" },
    { "{'userName':'q\\\"uote\\\\back/slash','name':{'givenName':'tab\\tnew\\nline\\r\\b\\f',"
      "'familyName':'\\u0001\\u001e\\u007f é€😀\\u2028'},'active':false,"
      "'" ENT "':{'employeeNumber':4711}}",
      "{\"schemas\":[\"" CORE "\",\"" ENT "\"],"
      "\"name\":{\"givenName\":\"tab\\tnew\\nline\\r\\b\\f\","
      "\"familyName\":\"\\u0001\\u001e\\u007f é€😀\xe2\x80\xa8\"},"
      "\"userName\":\"q\\\"uote\\\\back/slash\",\"active\":false,"
      "\"" ENT "\":{\"personnelNumber\":\"4711\"}}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ProvUser *user = user_from_relaxed (cases[i].source);
      g_autofree char *text = prov_mapping_dup_jam_text (user);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_finalize_object (user);
    }
}

/* Every ASCII character in a value is written as json-glib writes it;
 * U+001F, which json-glib 1.6 leaves raw (invalid JSON), is escaped. */
static void
test_mapping_jam_escapes_as_json_glib (void)
{
  for (guint c = 1; c < 0x80; c++)
    {
      g_autoptr(JsonObject) source = json_from_relaxed ("{'userName':'u'}");
      g_autoptr(JsonObject) name = json_object_new ();
      char value[] = { 'a', (char) c, 'b', '\0' };
      ProvUser *user;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(JsonNode) expected_node = NULL;
      g_autofree char *expected = NULL;

      json_object_set_string_member (name, "givenName", value);
      json_object_set_object_member (source, "name", json_object_ref (name));
      user = prov_user_new_from_json (source, NULL);
      g_assert_nonnull (user);
      text = prov_mapping_dup_jam_text (user);

      /* Valid JSON, with the value as it was. */
      parsed = json_from_string (text, NULL);
      g_assert_nonnull (parsed);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (parsed), "name"),
                                                      "givenName"), ==, value);

      if (c == 0x1f)
        {
          g_assert_nonnull (strstr (text, "a\\u001fb"));
        }
      else
        {
          expected_node = json_node_init_object (json_node_alloc (), prov_mapping_build_jam_user (user));
          json_object_unref (json_node_get_object (expected_node));
          expected = json_to_string (expected_node, FALSE);
          g_assert_cmpstr (text, ==, expected);
        }
      g_assert_finalize_object (user);
    }
}

/* From a CSV row to SAP Jam, end to end. */
static void
test_mapping_from_csv (void)
{
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users =
    read_csv_text ("loginName,firstName,lastName,mail,active,title,locale,"
                   "phoneNumbers[0].value,phoneNumbers[0].type,"
                   ENT ":employeeNumber\n"
                   "ada,Ada,Brindlewick,ada@example.com;ada2@example.com,FALSE,Engineer,de,+1 555-0100,work,\n",
                   &row_errors, NULL, &error);
  g_autoptr(JsonObject) jam = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (row_errors->len, ==, 0);
  g_assert_cmpuint (users->len, ==, 1);

  jam = prov_mapping_build_jam_user (g_ptr_array_index (users, 0));
  assert_json_equal (jam,
                     "{'schemas':['" CORE "'],'name':{'givenName':'Ada','familyName':'Brindlewick'},"
                     " 'userName':'ada','jobFunction':'Engineer',"
                     " 'emails':[{'primary':true,'value':'ada@example.com'}],'active':false,"
                     " 'phoneNumbers':[{'type':'work','value':'+1 555-0100'}]}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (mapping_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/users/mapping/entry/%s/%" G_GSIZE_FORMAT,
                                               mapping_cases[i].ias_name, i);
      g_test_add_data_func (path, &mapping_cases[i], test_mapping_case);
    }
  g_test_add_func ("/users/mapping/table-covered", test_mapping_table_covered);
  g_test_add_func ("/users/mapping/locale", test_mapping_locale);
  g_test_add_func ("/users/mapping/no-empty-values", test_mapping_no_empty_values);
  g_test_add_func ("/users/mapping/enterprise-only-when-present", test_mapping_enterprise_only_when_present);
  g_test_add_func ("/users/mapping/full-user", test_mapping_full_user);
  g_test_add_func ("/users/mapping/ips-inactive", test_mapping_ips_inactive);
  g_test_add_func ("/users/mapping/ips-no-password", test_mapping_ips_no_password);
  g_test_add_func ("/users/mapping/deterministic", test_mapping_deterministic);
  g_test_add_func ("/users/mapping/from-csv", test_mapping_from_csv);
  g_test_add_func ("/users/mapping/jam-bytes-stable", test_mapping_jam_bytes_stable);
  g_test_add_func ("/users/mapping/jam-escapes-as-json-glib", test_mapping_jam_escapes_as_json_glib);

  return g_test_run ();
}
