/* prov-write-queue.c — file writes done in order on one worker thread
 *
 * The journal and the record of what was pushed are written while a run
 * goes on; their writes leave the main loop but keep their order, and a
 * flush says when they are on disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-write-queue.h"

struct _ProvWriteQueue
{
  GObject      parent_instance;

  GThreadPool *pool;      /* one thread, draining `pending` */
  GMutex       lock;      /* pending, draining and error */
  GQueue       pending;   /* Job, in the order pushed */
  gboolean     draining;  /* a drain is in the pool or running */
  GSource     *wake;      /* starts a drain once this loop iteration is done */
  GError      *error;     /* the first failure since the last flush */
};

G_DEFINE_FINAL_TYPE (ProvWriteQueue, prov_write_queue, G_TYPE_OBJECT)

typedef struct
{
  ProvWriteQueue *queue;   /* not a reference: the pool ends before the queue */
  ProvWriteFunc   func;
  gpointer        data;
  GDestroyNotify  destroy;
  GTask          *flush;   /* a flush instead of a write */
} Job;

static void
run_job (Job *job)
{
  ProvWriteQueue *self = job->queue;

  if (job->flush != NULL)
    {
      GError *error;

      g_mutex_lock (&self->lock);
      error = g_steal_pointer (&self->error);
      g_mutex_unlock (&self->lock);

      if (error != NULL)
        g_task_return_error (job->flush, error);
      else
        g_task_return_boolean (job->flush, TRUE);
      g_object_unref (job->flush);
    }
  else
    {
      GError *error = NULL;

      if (!job->func (job->data, &error))
        {
          g_mutex_lock (&self->lock);
          if (self->error == NULL)
            self->error = g_steal_pointer (&error);
          g_mutex_unlock (&self->lock);
          g_clear_error (&error);
        }
      if (job->destroy != NULL)
        job->destroy (job->data);
    }

  g_free (job);
}

/* On the worker: every job pushed until none is left. A job pushed
 * meanwhile joins this drain, so a run's burst of lines wakes the worker
 * once instead of once a line (a wake is a system call every time). */
static void
drain (gpointer data,
       gpointer pool_data)
{
  ProvWriteQueue *self = data;

  for (;;)
    {
      Job *job;

      g_mutex_lock (&self->lock);
      job = g_queue_pop_head (&self->pending);
      if (job == NULL)
        self->draining = FALSE;
      g_mutex_unlock (&self->lock);

      if (job == NULL)
        return;
      run_job (job);
    }
}

/* Hands what is pending to the worker, unless it is draining already. */
static void
start_drain (ProvWriteQueue *self)
{
  gboolean start;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->wake, g_source_unref);
  start = !self->draining && !g_queue_is_empty (&self->pending);
  if (start)
    self->draining = TRUE;
  g_mutex_unlock (&self->lock);

  if (start)
    g_thread_pool_push (self->pool, self, NULL);
}

static gboolean
wake_cb (gpointer data)
{
  start_drain (data);
  return G_SOURCE_REMOVE;
}

/* The worker is woken once the loop iteration that queued a job is done,
 * not once a job: a run answers several users an iteration, and every
 * wake is a system call and a thread switch (waking per line cost a fifth
 * of a 5,000-user run's CPU on a 2-core VM). At default priority, so a
 * busy loop never holds the writes back for more than an iteration. */
static void
enqueue (ProvWriteQueue *self,
         Job            *job)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->pending, job);
  /* A wake waiting on a loop this caller does not run (a context pushed
   * for a while, then dropped) moves here: whoever waits for a flush
   * runs its own loop, and would wait for ever on the other. */
  if (self->wake != NULL &&
      (g_source_is_destroyed (self->wake) || g_source_get_context (self->wake) != context))
    {
      g_source_destroy (self->wake);
      g_clear_pointer (&self->wake, g_source_unref);
    }
  if (!self->draining && self->wake == NULL)
    {
      self->wake = g_idle_source_new ();
      g_source_set_priority (self->wake, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->wake, wake_cb, self, NULL);
      g_source_set_static_name (self->wake, "[provisioner] write queue");
      g_source_attach (self->wake, context);
    }
  g_mutex_unlock (&self->lock);
}

static void
prov_write_queue_finalize (GObject *object)
{
  ProvWriteQueue *self = (ProvWriteQueue *)object;

  /* What was queued is still written: a record is never dropped. The
   * wake holds no reference: the queue may go before its loop runs. */
  if (self->wake != NULL)
    {
      g_source_destroy (self->wake);
      start_drain (self);
    }
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_assert (g_queue_is_empty (&self->pending));
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (prov_write_queue_parent_class)->finalize (object);
}

static void
prov_write_queue_class_init (ProvWriteQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = prov_write_queue_finalize;
}

static void
prov_write_queue_init (ProvWriteQueue *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
  /* Exclusive: a shared pool could run two of our jobs at once. */
  self->pool = g_thread_pool_new (drain, NULL, 1, TRUE, NULL);
}

ProvWriteQueue *
prov_write_queue_new (void)
{
  return g_object_new (PROV_TYPE_WRITE_QUEUE, NULL);
}

void
prov_write_queue_push (ProvWriteQueue *self,
                       ProvWriteFunc   func,
                       gpointer        data,
                       GDestroyNotify  destroy)
{
  Job *job;

  g_return_if_fail (PROV_IS_WRITE_QUEUE (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (Job, 1);
  job->queue = self;
  job->func = func;
  job->data = data;
  job->destroy = destroy;
  enqueue (self, job);
}

gboolean
prov_write_queue_check (ProvWriteQueue  *self,
                        GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (PROV_IS_WRITE_QUEUE (self), FALSE);

  g_mutex_lock (&self->lock);
  ok = self->error == NULL;
  if (!ok && error != NULL)
    *error = g_error_copy (self->error);
  g_mutex_unlock (&self->lock);
  return ok;
}

void
prov_write_queue_flush_async (ProvWriteQueue      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PROV_IS_WRITE_QUEUE (self));

  job = g_new0 (Job, 1);
  job->queue = self;
  /* No source object: the worker must never hold the last reference. */
  job->flush = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (job->flush, prov_write_queue_flush_async);
  enqueue (self, job);
}

gboolean
prov_write_queue_flush_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
