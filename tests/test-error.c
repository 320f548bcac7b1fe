/* test-error.c — which errors are worth another try, hit every request,
 * or need the person to act
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "prov-error.h"

/* Every code of ours is in @members exactly when @judge says so. */
static void
assert_judged (gboolean        (*judge) (const GError *error),
               const ProvError *members,
               guint            n_members)
{
  guint n_found = 0;

  for (int code = PROV_ERROR_FAILED; code <= PROV_ERROR_NETWORK; code++)
    {
      g_autoptr(GError) error = g_error_new_literal (PROV_ERROR, code, "x");
      gboolean expected = FALSE;

      for (guint i = 0; i < n_members; i++)
        expected |= members[i] == (ProvError) code;
      g_test_message ("code %d", code);
      g_assert_cmpint (judge (error), ==, expected);
      n_found += expected;
    }
  g_assert_cmpuint (n_found, ==, n_members);
}

static void
test_transient (void)
{
  /* SAP's retry policy: timeouts, dropped connections, 429, 502, 503. */
  static const ProvError transient[] = {
    PROV_ERROR_TIMED_OUT, PROV_ERROR_CONNECTION_LOST, PROV_ERROR_RATE_LIMITED,
    PROV_ERROR_BAD_GATEWAY, PROV_ERROR_MAINTENANCE,
  };

  assert_judged (prov_error_is_transient, transient, G_N_ELEMENTS (transient));
}

static void
test_target_wide (void)
{
  /* The address, TLS, the client certificate, the credentials. Not 403 or
   * 404: SCIM answers them about one user. */
  static const ProvError target_wide[] = {
    PROV_ERROR_HOST_NOT_FOUND, PROV_ERROR_CONNECTION_REFUSED,
    PROV_ERROR_TLS_UNAVAILABLE, PROV_ERROR_TLS_NOT_TRUSTED,
    PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED, PROV_ERROR_CLIENT_CERTIFICATE_REJECTED,
    PROV_ERROR_CLIENT_CERTIFICATE_INVALID, PROV_ERROR_CREDENTIALS_REFUSED,
    PROV_ERROR_UNAUTHORIZED,
  };

  assert_judged (prov_error_is_target_wide, target_wide, G_N_ELEMENTS (target_wide));
}

static gboolean
is_keyring_kind (const GError *error)
{
  return prov_error_get_kind (error) == PROV_ERROR_KIND_KEYRING;
}

static gboolean
is_invalid_kind (const GError *error)
{
  return prov_error_get_kind (error) == PROV_ERROR_KIND_INVALID;
}

static gboolean
is_not_confirmed_kind (const GError *error)
{
  return prov_error_get_kind (error) == PROV_ERROR_KIND_NOT_CONFIRMED;
}

static void
test_kind (void)
{
  /* The command line's exit codes 3, 4 and 5 come from these; the rest
   * are failures of the operation (exit 1). */
  static const ProvError keyring[] = {
    PROV_ERROR_KEYRING_UNAVAILABLE, PROV_ERROR_KEYRING_LOCKED, PROV_ERROR_KEYRING_FAILED,
  };
  static const ProvError invalid[] = {
    PROV_ERROR_INVALID_FIELD, PROV_ERROR_INVALID_FILE, PROV_ERROR_INVALID_USER,
    PROV_ERROR_EXISTS, PROV_ERROR_CORRUPT_FILE, PROV_ERROR_READ_ONLY,
  };
  static const ProvError not_confirmed[] = { PROV_ERROR_NOT_CONFIRMED };

  assert_judged (is_keyring_kind, keyring, G_N_ELEMENTS (keyring));
  assert_judged (is_invalid_kind, invalid, G_N_ELEMENTS (invalid));
  assert_judged (is_not_confirmed_kind, not_confirmed, G_N_ELEMENTS (not_confirmed));
}

static void
test_other_domains (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  /* Only our own codes are judged: the network layer maps the rest. */
  g_assert_false (prov_error_is_transient (io));
  g_assert_false (prov_error_is_transient (NULL));
  g_assert_false (prov_error_is_target_wide (io));
  g_assert_cmpint (prov_error_get_kind (io), ==, PROV_ERROR_KIND_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/transient", test_transient);
  g_test_add_func ("/error/target-wide", test_target_wide);
  g_test_add_func ("/error/kind", test_kind);
  g_test_add_func ("/error/other-domains", test_other_domains);

  return g_test_run ();
}
