/* test-rate-limiter.c — the sliding window of ProvRateLimiter, without a server
 *
 * This is a TAP test: nothing may be printed to stdout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-rate-limiter.h"

/* The limiter counts a request as "now" until answered, then from its
 * answer: never earlier than the server, which counts arrivals. */
static void
test_rate_limiter (void)
{
  const gint64 minute = 1000;
  g_autoptr(ProvRateLimiter) limiter = prov_rate_limiter_new (3, 0, minute);

  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 0), ==, 0);
  prov_rate_limiter_take (limiter, 0);
  prov_rate_limiter_take (limiter, 0);
  prov_rate_limiter_take (limiter, 0);

  /* Three on the way: none may go until one is answered and a window
   * has passed since; look again a window from now. */
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 10), ==, minute);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 5000), ==, minute);

  /* Answered at 100, 150 and 400: slots free a window after each answer,
   * not after each send. */
  prov_rate_limiter_release (limiter, 100);
  prov_rate_limiter_release (limiter, 150);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 200), ==, 100 + minute - 200);
  prov_rate_limiter_release (limiter, 400);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 200), ==, 100 + minute - 200);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 100 + minute), ==, 0);

  /* One more on the way at 1100 holds a slot: at 1150 answers 150 and
   * 400 are still in the window, so that is all three. */
  prov_rate_limiter_take (limiter, 100 + minute);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 1150), ==, 150 + minute - 1150);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 150 + minute), ==, 0);

  /* A pause from the server comes first. */
  prov_rate_limiter_pause_until (limiter, 5000);
  g_assert_cmpint (prov_rate_limiter_get_delay (limiter, 2000), ==, 3000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provisioning/rate-limiter", test_rate_limiter);

  return g_test_run ();
}
