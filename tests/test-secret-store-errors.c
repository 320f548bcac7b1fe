/* test-secret-store-errors.c — ProvSecretStore without a usable keyring
 *
 * No Secret Service, no bus, no session, no default collection, a locked
 * keyring, and raw errors translated: each a sentence a person can act
 * on, never a D-Bus error name. Run through with-keyring.sh like
 * test-secret-store (keyring-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "keyring-fixture.h"

/* Errors: no keyring */

/* Every operation of the store gives @code, with a sentence. */
static void
assert_every_operation_fails (ProvError code)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;

  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "typed by a person");

  g_assert_false (clear_target (store, uuid, &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_clear_error (&error);

  g_assert_false (save_target (store, target, &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_assert_true (g_str_has_suffix (error->message, "; nothing was saved."));
  g_clear_error (&error);

  /* Nothing the person typed is lost; a read does not speak of saving. */
  g_assert_false (load_target (store, target, &error));
  g_assert_error (error, PROV_ERROR, code);
  assert_sentence (error);
  g_assert_null (strstr (error->message, "saved"));
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_PASSWORD), ==, "typed by a person");

  /* The parent checks for this line, so a child that skipped the checks
   * cannot pass. */
  g_printerr ("every operation failed as expected\n");
}

/* A session bus with nothing on it: no Secret Service can be started. */
static void
test_error_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* Kept reachable on purpose: the bus daemon is torn down by
       * GTestDBus's watcher when this process exits. */
      static GTestDBus *bus;

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      g_test_message ("empty bus at %s", g_test_dbus_get_bus_address (bus));
      assert_every_operation_fails (PROV_ERROR_KEYRING_UNAVAILABLE);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*every operation failed as expected*");
}

/* The bus address points nowhere. */
static void
test_error_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/provisioner-test/bus", TRUE);
      assert_every_operation_fails (PROV_ERROR_KEYRING_UNAVAILABLE);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*every operation failed as expected*");
}

/* No bus address at all and no display: GLib cannot even autolaunch one. */
static void
test_error_no_session (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *runtime = g_dir_make_tmp ("provisioner-no-bus-XXXXXX", NULL);

      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);  /* no "bus" socket in it */
      assert_every_operation_fails (PROV_ERROR_KEYRING_UNAVAILABLE);
      g_rmdir (runtime);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*every operation failed as expected*");
}

/* A running gnome-keyring without a login keyring (started without
 * --unlock): there is no default collection to store into. */
static void
test_error_no_default_collection (void)
{
  if (g_test_subprocess ())
    {
      static GTestDBus *bus;
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) daemon = NULL;
      g_autoptr(GDBusConnection) connection = NULL;
      g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *home = g_dir_make_tmp ("provisioner-no-login-XXXXXX", NULL);
      g_autofree char *runtime = g_build_filename (home, ".run", NULL);
      g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
      gint64 deadline;

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      g_mkdir (runtime, 0700);

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
      g_subprocess_launcher_unsetenv (launcher, "XDG_DATA_HOME");
      g_subprocess_launcher_unsetenv (launcher, "XDG_CONFIG_HOME");
      g_subprocess_launcher_unsetenv (launcher, "XDG_CACHE_HOME");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                            "--foreground", "--components=secrets", NULL);
      g_assert_no_error (error);

      /* Wait until it owns its name. */
      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      deadline = g_get_monotonic_time () + WATCHDOG_SECONDS * G_USEC_PER_SEC;
      for (;;)
        {
          g_autoptr(GVariant) reply = NULL;
          gboolean has_owner = FALSE;

          reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                               "org.freedesktop.DBus", "NameHasOwner",
                                               g_variant_new ("(s)", "org.freedesktop.secrets"),
                                               G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
          g_assert_no_error (error);
          g_variant_get (reply, "(b)", &has_owner);
          if (has_owner)
            break;
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (20000);
        }

      prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "s");
      g_assert_false (save_target (store, target, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == PROV_ERROR);
      g_assert_cmpint (error->code, ==, PROV_ERROR_KEYRING_FAILED);
      assert_sentence (error);
      g_clear_error (&error);

      /* Nothing can be stored, so nothing is found, and that is no error. */
      {
        g_autoptr(ProvTargetSystem) loaded = fresh_from_file (target);

        g_assert_true (load_target (store, loaded, &error));
        g_assert_no_error (error);
        g_assert_cmpstr (prov_target_system_get_text (loaded, PROV_FIELD_PASSWORD), ==, "");
      }

      g_subprocess_force_exit (daemon);
      g_subprocess_wait (daemon, NULL, NULL);
      remove_tree (home);
      g_printerr ("no default collection: checked\n");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*no default collection: checked*");
}

/* Errors: a locked keyring */

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *objects;
  int n;

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  n = secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
}

/* Unlocks the login keyring without a prompt, through gnome-keyring's own
 * interface for this (what its tests and seahorse use). */
static void
unlock_default_collection (void)
{
  const char *password = g_getenv ("PROV_TEST_KEYRING_PASSWORD");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *session;
  GVariant *secret;

  g_assert_nonnull (password);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  session_reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                               "org.freedesktop.Secret.Service", "OpenSession",
                                               g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                               G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (session_reply, "(v&o)", NULL, &session);

  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                          "text/plain");
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                       "UnlockWithMasterPassword",
                                       g_variant_new ("(o@(oayays))", "/org/freedesktop/secrets/collection/login", secret),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", session,
                               "org.freedesktop.Secret.Session", "Close",
                               NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
}

static void
test_error_locked (void)
{
  g_autoptr(ProvSecretStore) store = prov_secret_store_new ();
  g_autoptr(ProvTargetSystem) target = new_ips_target (PROV_AUTH_MECHANISM_BASIC);
  g_autoptr(ProvTargetSystem) reloaded = NULL;
  const char *uuid = prov_target_system_get_uuid (target);
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* Something to lose. */
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "stored before locking");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);

  lock_default_collection ();
  start = g_get_monotonic_time ();

  /* Storing fails at once (no display, so no prompt can wait). */
  prov_target_system_set_text (target, PROV_FIELD_PASSWORD, "typed while locked");
  g_assert_false (save_target (store, target, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  assert_sentence (error);
  g_assert_true (g_str_has_suffix (error->message, "; nothing was saved."));
  g_clear_error (&error);
  g_assert_cmpstr (prov_target_system_get_text (target, PROV_FIELD_PASSWORD), ==, "typed while locked");

  /* A locked secret is not a missing one. */
  reloaded = fresh_from_file (target);
  g_assert_false (load_target (store, reloaded, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  assert_sentence (error);
  g_assert_null (strstr (error->message, "saved"));
  g_clear_error (&error);

  /* Deleting the target cannot clear its secrets: say so. */
  g_assert_false (clear_target (store, uuid, &error));
  g_assert_error (error, PROV_ERROR, PROV_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Missing stays missing, locked or not. */
  {
    g_autoptr(ProvTargetSystem) unknown = new_ips_target (PROV_AUTH_MECHANISM_BASIC);

    g_assert_true (load_target (store, unknown, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (prov_target_system_get_text (unknown, PROV_FIELD_PASSWORD), ==, "");
  }

  g_test_message ("the locked keyring answered everything within %.2f s",
                  (g_get_monotonic_time () - start) / 1e6);

  /* Unlocked again: what was stored before is still there, unchanged. */
  unlock_default_collection ();
  assert_stored (uuid, PROV_FIELD_PASSWORD, "stored before locking");
  g_assert_true (save_target (store, target, &error));
  g_assert_no_error (error);
  assert_stored (uuid, PROV_FIELD_PASSWORD, "typed while locked");

  g_assert_true (clear_target (store, uuid, &error));
  g_assert_no_error (error);
}

/* The translation of raw errors, for the cases a live keyring rarely gives. */
static void
test_translate_error (void)
{
  const struct { GQuark domain; int code; const char *message; ProvError expected; } cases[] = {
    { G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
      "The name org.freedesktop.secrets was not provided by any .service files",
      PROV_ERROR_KEYRING_UNAVAILABLE },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot autolaunch D-Bus without X11 $DISPLAY",
      PROV_ERROR_KEYRING_UNAVAILABLE },
    { G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
      "Object does not exist at path “/org/freedesktop/secrets/collection/login”",
      PROV_ERROR_KEYRING_FAILED },
    { SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "Cannot create an item in a locked collection",
      PROV_ERROR_KEYRING_LOCKED },
    { SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT, "No such secret collection at path: /",
      PROV_ERROR_KEYRING_FAILED },
    { SECRET_ERROR, SECRET_ERROR_PROTOCOL, "Received invalid secret from the secret storage",
      PROV_ERROR_KEYRING_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) raw = g_error_new_literal (cases[i].domain, cases[i].code, cases[i].message);
      g_autoptr(GError) read = prov_secret_store_translate_error (raw, FALSE);
      g_autoptr(GError) written = prov_secret_store_translate_error (raw, TRUE);

      g_test_message ("%s →", cases[i].message);
      g_assert_error (read, PROV_ERROR, (int) cases[i].expected);
      g_assert_error (written, PROV_ERROR, (int) cases[i].expected);
      g_assert_cmpuint (strlen (read->message), >, 20);
      /* Only a failed write says that nothing was saved. */
      g_assert_null (strstr (read->message, "saved"));
      if (cases[i].domain != SECRET_ERROR || cases[i].code != SECRET_ERROR_PROTOCOL)
        g_assert_true (g_str_has_suffix (written->message, "; nothing was saved."));
    }

  /* Cancelling is not a keyring problem and stays what it is. */
  {
    g_autoptr(GError) raw = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    g_autoptr(GError) translated = prov_secret_store_translate_error (raw, TRUE);

    g_assert_error (translated, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Never against a real keyring: only inside with-keyring.sh. */
  if (g_getenv ("PROV_TEST_KEYRING_HOME") == NULL ||
      g_getenv ("PROV_TEST_KEYRING_PASSWORD") == NULL)
    {
      g_printerr ("Run this test through tests/with-keyring.sh: it needs a private, unlocked gnome-keyring.\n");
      return 1;
    }

  g_test_add_func ("/secret-store/translate-error", test_translate_error);
  g_test_add_func ("/secret-store/error/no-service", test_error_no_service);
  g_test_add_func ("/secret-store/error/no-bus", test_error_no_bus);
  g_test_add_func ("/secret-store/error/no-session", test_error_no_session);
  g_test_add_func ("/secret-store/error/no-default-collection", test_error_no_default_collection);
  g_test_add_func ("/secret-store/error/locked", test_error_locked);

  return g_test_run ();
}
