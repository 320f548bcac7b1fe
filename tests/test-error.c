/* test-error.c — which errors are worth another try
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>

#include "prov-error.h"

static void
test_transient (void)
{
  /* SAP's retry policy: timeouts, dropped connections, 429, 502, 503. */
  static const ProvError transient[] = {
    PROV_ERROR_TIMED_OUT, PROV_ERROR_CONNECTION_LOST, PROV_ERROR_RATE_LIMITED,
    PROV_ERROR_BAD_GATEWAY, PROV_ERROR_MAINTENANCE,
  };
  guint n_transient = 0;

  for (int code = PROV_ERROR_FAILED; code <= PROV_ERROR_NETWORK; code++)
    {
      g_autoptr(GError) error = g_error_new_literal (PROV_ERROR, code, "x");
      gboolean expected = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (transient); i++)
        expected |= transient[i] == (ProvError) code;
      g_test_message ("code %d", code);
      g_assert_cmpint (prov_error_is_transient (error), ==, expected);
      n_transient += expected;
    }
  g_assert_cmpuint (n_transient, ==, G_N_ELEMENTS (transient));
}

static void
test_other_domains (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  /* Only our own codes are judged: the network layer maps the rest. */
  g_assert_false (prov_error_is_transient (io));
  g_assert_false (prov_error_is_transient (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/transient", test_transient);
  g_test_add_func ("/error/other-domains", test_other_domains);

  return g_test_run ();
}
