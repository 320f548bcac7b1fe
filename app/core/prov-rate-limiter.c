/* prov-rate-limiter.c — staying under a target's published request limits
 *
 * A sliding-window log: the answer times of the last N requests. A request
 * may go when fewer than N were answered in the last window or are still on
 * their way. Unlike a token bucket this never lets 2N through in one minute
 * of the server's clock, whether the server counts in fixed or sliding
 * minutes — so it is never refused.
 *
 * Why answer times and not send times: the server counts a request when it
 * arrives, and the time on the way varies (the first request on a new
 * connection also pays for the handshake; a busy connection queues), so two
 * requests sent exactly a window apart can arrive less than a window apart
 * and the second is refused. A request arrives after it is sent and before
 * it is answered: counting it as "now" while on its way and from its answer
 * afterwards is never earlier than the server's count. It costs one answer's
 * latency a window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-rate-limiter.h"

typedef struct
{
  guint   limit;
  gint64  window;   /* µs */
  gint64 *times;    /* ring buffer of the last @limit answer times, in order */
  guint   next;     /* slot the next entry goes to (the oldest once full) */
  guint   used;
} Window;

struct _ProvRateLimiter
{
  GObject parent_instance;

  Window  minute;
  Window  hour;
  guint   in_flight; /* taken, not yet released: they count as "now" */
  gint64  paused_until;
};

G_DEFINE_FINAL_TYPE (ProvRateLimiter, prov_rate_limiter, G_TYPE_OBJECT)

static void
window_init (Window *window,
             guint   limit,
             gint64  length)
{
  window->limit = limit;
  window->window = length;
  window->times = limit ? g_new0 (gint64, limit) : NULL;
}

/* When the window lets one more request through, at or after @from, with
 * @in_flight requests still on their way at @now. */
static gint64
window_next_allowed (Window *window,
                     guint   in_flight,
                     gint64  now,
                     gint64  from)
{
  guint expired;
  guint oldest;

  if (window->limit == 0 || window->used + in_flight < window->limit)
    return from;

  /* The oldest entries must leave the window first; the answers are in
   * time order, and a request still on its way counts as answered now
   * (the newest): when it is answered later, the caller asks again. */
  expired = window->used + in_flight + 1 - window->limit;
  if (expired > window->used)
    return MAX (from, now + window->window);

  oldest = (window->next + window->limit - window->used) % window->limit;
  return MAX (from, window->times[(oldest + expired - 1) % window->limit] + window->window);
}

static void
window_add (Window *window,
            gint64  now)
{
  if (window->limit == 0)
    return;

  window->times[window->next] = now;
  window->next = (window->next + 1) % window->limit;
  window->used = MIN (window->used + 1, window->limit);
}

static void
prov_rate_limiter_finalize (GObject *object)
{
  ProvRateLimiter *self = (ProvRateLimiter *)object;

  g_free (self->minute.times);
  g_free (self->hour.times);

  G_OBJECT_CLASS (prov_rate_limiter_parent_class)->finalize (object);
}

static void
prov_rate_limiter_class_init (ProvRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_rate_limiter_finalize;
}

static void
prov_rate_limiter_init (ProvRateLimiter *self)
{
}

ProvRateLimiter *
prov_rate_limiter_new (guint  per_minute,
                       guint  per_hour,
                       gint64 minute_usec)
{
  ProvRateLimiter *self;

  g_return_val_if_fail (minute_usec > 0, NULL);

  self = g_object_new (PROV_TYPE_RATE_LIMITER, NULL);
  window_init (&self->minute, per_minute, minute_usec);
  window_init (&self->hour, per_hour, minute_usec * 60);
  return self;
}

gint64
prov_rate_limiter_get_delay (ProvRateLimiter *self,
                             gint64           now)
{
  gint64 allowed;

  g_return_val_if_fail (PROV_IS_RATE_LIMITER (self), 0);

  allowed = MAX (now, self->paused_until);
  allowed = window_next_allowed (&self->minute, self->in_flight, now, allowed);
  allowed = window_next_allowed (&self->hour, self->in_flight, now, allowed);
  /* The hour may have pushed past the minute's answer; it only grows. */
  allowed = window_next_allowed (&self->minute, self->in_flight, now, allowed);

  return allowed - now;
}

void
prov_rate_limiter_take (ProvRateLimiter *self,
                        gint64           now)
{
  g_return_if_fail (PROV_IS_RATE_LIMITER (self));

  self->in_flight++;
}

void
prov_rate_limiter_release (ProvRateLimiter *self,
                           gint64           now)
{
  g_return_if_fail (PROV_IS_RATE_LIMITER (self));
  g_return_if_fail (self->in_flight > 0);

  self->in_flight--;
  window_add (&self->minute, now);
  window_add (&self->hour, now);
}

void
prov_rate_limiter_pause_until (ProvRateLimiter *self,
                               gint64           until)
{
  g_return_if_fail (PROV_IS_RATE_LIMITER (self));
  self->paused_until = MAX (self->paused_until, until);
}

/* Requests beyond the first full window go at the window's pace. */
static gint64
window_estimate (Window *window,
                 guint   in_flight,
                 guint   n)
{
  guint free_now;

  if (window->limit == 0 || n == 0)
    return 0;

  free_now = window->limit - MIN (window->used + in_flight, window->limit);
  if (n <= free_now)
    return 0;

  return ((gint64) (n - free_now + window->limit - 1) / window->limit) * window->window;
}

gint64
prov_rate_limiter_estimate (ProvRateLimiter *self,
                            guint            n_requests)
{
  g_return_val_if_fail (PROV_IS_RATE_LIMITER (self), 0);

  return MAX (window_estimate (&self->minute, self->in_flight, n_requests),
              window_estimate (&self->hour, self->in_flight, n_requests));
}
