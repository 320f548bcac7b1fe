/* test-input-limits.c — CSV files, user names and the journal export
 * against hostile input
 *
 * Over-long values and rows are row errors (so the read is incomplete and
 * nobody is deprovisioned because of it), a folder, a FIFO or /dev/zero is
 * never read as a list of users, a user name is the same whichever source
 * it comes from, and the journal's CSV export never hands a spreadsheet a
 * formula.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "prov-csv-reader.h"
#include "prov-error.h"
#include "prov-journal.h"
#include "prov-user.h"

#define HEADER "userName,emails[0].value,name.familyName\r\n"

static GPtrArray *
read_csv (const char  *text,
          gsize        length,
          GPtrArray  **row_errors,
          GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, length);

  return prov_csv_reader_read (bytes, row_errors, NULL, error);
}

static void
assert_row_error (GPtrArray  *row_errors,
                  guint       index,
                  guint       line,
                  const char *needle)
{
  ProvCsvRowError *row_error;

  g_assert_cmpuint (row_errors->len, >, index);
  row_error = g_ptr_array_index (row_errors, index);
  g_test_message ("line %u: %s", row_error->line, row_error->message);
  g_assert_cmpuint (row_error->line, ==, line);
  g_assert_nonnull (strstr (row_error->message, needle));
}

/* A value one byte over 64 KiB leaves its row out; one at the limit is fine. */
static void
test_csv_field_cap (void)
{
  g_autoptr(GString) csv = g_string_new (HEADER);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = g_strnfill (64 * 1024, 'a');
  g_autofree char *over = g_strnfill (64 * 1024 + 1, 'b');

  g_string_append_printf (csv, "first,first@example.com,%s\r\n", at_limit);
  g_string_append_printf (csv, "second,second@example.com,%s\r\n", over);
  /* Quoted, made long by doubled quotes. */
  g_string_append (csv, "third,third@example.com,\"");
  for (guint i = 0; i < 70 * 1024; i++)
    g_string_append (csv, "\"\"");
  g_string_append (csv, "\"\r\n");
  g_string_append (csv, "fourth,fourth@example.com,Four\r\n");

  users = read_csv (csv->str, csv->len, &row_errors, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 0)), ==, "first");
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 1)), ==, "fourth");
  g_assert_cmpuint (row_errors->len, ==, 2);
  assert_row_error (row_errors, 0, 3, "64 KiB");
  assert_row_error (row_errors, 1, 4, "64 KiB");
}

/* Many values, each under the field cap, making a row over 1 MiB. */
static void
test_csv_row_cap (void)
{
  g_autoptr(GString) csv = g_string_new ("userName,emails[0].value,name.familyName");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_value = g_strnfill (60 * 1024, 'x');

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (csv, ",x%u", i);
  g_string_append (csv, "\r\nlong,long@example.com,Long");
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (csv, ",%s", long_value);
  g_string_append (csv, "\r\nshort,short@example.com,Short");
  for (guint i = 0; i < 20; i++)
    g_string_append (csv, ",s");
  g_string_append (csv, "\r\n");

  users = read_csv (csv->str, csv->len, &row_errors, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_cmpstr (prov_user_get_user_name (g_ptr_array_index (users, 0)), ==, "short");
  g_assert_cmpuint (row_errors->len, ==, 1);
  assert_row_error (row_errors, 0, 2, "1 MiB");
}

/* The line naming the columns cannot be left out: the file is refused. */
static void
test_csv_header_cap (void)
{
  g_autoptr(GString) csv = g_string_new ("userName,emails[0].value,name.familyName,");
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 70 * 1024; i++)
    g_string_append_c (csv, 'h');
  g_string_append (csv, "\r\nalice,alice@example.com,A\r\n");

  users = read_csv (csv->str, csv->len, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "too long"));
}

/* The same person under the same name whatever the case or the spaces
 * around it: the second row is an error, the read incomplete. */
static void
test_csv_case_duplicates (void)
{
  const char csv[] =
    HEADER
    "alice,alice@example.com,A\r\n"
    "  ALICE ,alice2@example.com,A\r\n"
    "bob,bob@example.com,B\r\n";
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autoptr(GError) error = NULL;

  users = read_csv (csv, strlen (csv), &row_errors, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpuint (row_errors->len, ==, 1);
  assert_row_error (row_errors, 0, 3, "already used on line 2");
}

static void
read_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Must be refused before a byte is read: a FIFO would block, /dev/zero
 * would fill memory. */
static void
assert_file_refused (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  prov_csv_reader_read_file_async (file, NULL, read_file_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  users = prov_csv_reader_read_file_finish (result, NULL, NULL, &error);
  g_assert_null (users);
  g_assert_error (error, PROV_ERROR, PROV_ERROR_INVALID_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
}

static void
test_csv_not_regular (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-input-limits-XXXXXX", &error);
  g_autofree char *fifo = g_build_filename (dir, "users.csv", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "zero.csv", NULL);

  g_assert_no_error (error);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", link), ==, 0);

  assert_file_refused (fifo);
  assert_file_refused (folder);
  assert_file_refused (link);
  assert_file_refused ("/dev/zero");

  g_unlink (fifo);
  g_rmdir (folder);
  g_unlink (link);
  g_rmdir (dir);
}

/* A user from a tenant is named as the CSV reader would name it. */
static void
test_user_name_trimmed (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(ProvUser) user = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *scim;

  json_parser_load_from_data (parser,
                              "{\"userName\": \" \\t alice.smith \\r\\n\", \"id\": \"1\","
                              " \"name\": {\"familyName\": \"Smith\"}}", -1, &error);
  g_assert_no_error (error);
  scim = json_node_get_object (json_parser_get_root (parser));

  user = prov_user_new_from_json (scim, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prov_user_get_user_name (user), ==, "alice.smith");
  /* What is sent on is the trimmed name too. */
  json = prov_user_dup_json (user);
  g_assert_cmpstr (json_object_get_string_member (json, "userName"), ==, "alice.smith");
  /* The caller's object is left alone. */
  g_assert_cmpstr (json_object_get_string_member (scim, "userName"), ==, " \t alice.smith \r\n");
}

/* Each formula lead-in, at the start of any exported field, gets a quote. */
static void
test_export_neutralised (void)
{
  static const char * const leads[] = { "=", "+", "-", "@", "\t", "\r", "\n" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-input-limits-XXXXXX", &error);
  g_autofree char *csv_path = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (csv_path);
  g_autoptr(ProvTargetSystem) target = prov_target_system_new (PROV_TARGET_KIND_SAP_JAM);
  g_autoptr(ProvJournal) journal = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *journal_path = NULL;

  g_assert_no_error (error);
  prov_target_system_set_display_name (target, "Jam");
  journal = prov_journal_new_run (dir, target, "test", &error);
  g_assert_no_error (error);
  journal_path = g_strdup (prov_journal_get_path (journal));

  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_autofree char *user = g_strdup_printf ("%suser%u", leads[i], i);
      g_autofree char *message = g_strdup_printf ("%sSUM(A1:A9)", leads[i]);

      prov_journal_record (journal, user, PROV_ACTION_CREATE, FALSE, message);
    }
  prov_journal_record (journal, "plain", PROV_ACTION_UPDATE, FALSE, "a-b=c");
  prov_journal_finish (journal, 1, G_N_ELEMENTS (leads), FALSE);
  prov_journal_flush_async (journal, NULL, read_file_cb, &flushed);
  while (flushed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (prov_journal_flush_finish (flushed, &error));

  g_assert_true (prov_journal_export_csv (journal_path, destination, &error));
  g_assert_no_error (error);
  g_file_get_contents (csv_path, &contents, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_autofree char *user = g_strdup_printf (",\"'%suser%u\",", leads[i], i);
      g_autofree char *message = g_strdup_printf (",\"'%sSUM(A1:A9)\"", leads[i]);

      g_assert_nonnull (strstr (contents, user));
      g_assert_nonnull (strstr (contents, message));
    }
  /* Only the first character counts: the rest is left as it was. */
  g_assert_nonnull (strstr (contents, ",\"plain\","));
  g_assert_nonnull (strstr (contents, ",\"a-b=c\"\r\n"));

  g_unlink (csv_path);
  g_unlink (journal_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/input-limits/csv/field-cap", test_csv_field_cap);
  g_test_add_func ("/input-limits/csv/row-cap", test_csv_row_cap);
  g_test_add_func ("/input-limits/csv/header-cap", test_csv_header_cap);
  g_test_add_func ("/input-limits/csv/case-duplicates", test_csv_case_duplicates);
  g_test_add_func ("/input-limits/csv/not-regular", test_csv_not_regular);
  g_test_add_func ("/input-limits/user/name-trimmed", test_user_name_trimmed);
  g_test_add_func ("/input-limits/journal/export-neutralised", test_export_neutralised);

  return g_test_run ();
}
