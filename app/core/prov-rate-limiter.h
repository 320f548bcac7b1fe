/* prov-rate-limiter.h — staying under a target's published request limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PROV_TYPE_RATE_LIMITER (prov_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (ProvRateLimiter, prov_rate_limiter, PROV, RATE_LIMITER, GObject)

/* At most @per_minute requests in any sliding window of one minute and
 * @per_hour in any hour (0 = no limit). @minute_usec is the length of a
 * "minute" in microseconds — G_USEC_PER_SEC * 60 in real use; tests and
 * benchmarks scale it down so a run takes seconds. An hour is 60 minutes. */
ProvRateLimiter *prov_rate_limiter_new          (guint            per_minute,
                                                 guint            per_hour,
                                                 gint64           minute_usec);

/* How long to wait (µs) before the next request may go; 0 = now. Does not
 * take a slot. */
gint64           prov_rate_limiter_get_delay    (ProvRateLimiter *self,
                                                 gint64           now_usec);
/* Takes a slot at @now_usec (call when the request is sent). It counts as
 * "now" until released. */
void             prov_rate_limiter_take         (ProvRateLimiter *self,
                                                 gint64           now_usec);
/* The request that took a slot was answered (or failed) at @now_usec: from
 * then on it counts from that time. Every take needs one release. */
void             prov_rate_limiter_release      (ProvRateLimiter *self,
                                                 gint64           now_usec);
/* The server said to wait: nothing goes before @until_usec. */
void             prov_rate_limiter_pause_until  (ProvRateLimiter *self,
                                                 gint64           until_usec);
/* The shortest time (µs) @n more requests can take under the limits. */
gint64           prov_rate_limiter_estimate     (ProvRateLimiter *self,
                                                 guint            n_requests);

G_END_DECLS
