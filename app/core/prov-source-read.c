/* prov-source-read.c — reading the users of a ProvSource: a tenant's pages
 * (SCIM version 2, or version 1 until a tenant stops answering it), a CSV
 * file, the users changed since a time, their count, and Test Connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "prov-auth.h"
#include "prov-csv-reader.h"
#include "prov-error.h"
#include "prov-json-response.h"
#include "prov-rate-limiter.h"
#include "prov-sap-endpoints.h"
#include "prov-source-private.h"
#include "prov-user.h"

/* No real tenant has this many pages; a server that never ends does. */
#define MAX_PAGES 10000
#define V1_END_MARKER "<end>"

/* Reading users from a tenant */

typedef struct
{
  ProvAuth   *auth;
  GPtrArray  *users;
  GHashTable *seen;          /* folded userName */
  GPtrArray  *problems;
  char       *previous_page; /* the ids of the last page, to spot repeats */
  char       *base;
  gboolean    v1;
  gboolean    complete;
  guint       start_index;   /* of the next page to take in */
  guint       stride;        /* users a page is expected to hold */
  GQueue     *in_flight;     /* Page, in order of start_index */
  gboolean    over;          /* the task has returned */
  gboolean    guessed_wrong; /* pages vary: one at a time from then on */
  char       *next_id;
  guint       pages;
  guint       count;         /* users a page we ask for */
  guint       received;      /* resources on every distinct page */
  gint64      total;         /* the last totalResults, -1: never said */
  char       *filter;        /* a delta query, or NULL */
  gboolean    count_only;    /* one page for totalResults */
} Read;

/* Version 2 pages are fetched a few at a time: each is asked for where
 * the one before it is expected to end, and they are taken in strictly in
 * order; a page whose start turns out wrong is dropped and asked again. */

typedef struct
{
  GTask        *task;          /* a reference */
  guint         start_index;
  GCancellable *cancellable;   /* its own: a wrong guess is dropped alone */
  gulong        cancelled_id;  /* on the read's cancellable */
  gboolean      answered;
  SoupMessage  *message;
  GBytes       *body;
  GError       *error;
} Page;

static void
page_free (Page *page)
{
  if (page->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (page->task), page->cancelled_id);
  g_clear_object (&page->task);
  g_clear_object (&page->cancellable);
  g_clear_object (&page->message);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_clear_error (&page->error);
  g_free (page);
}

/* Out of the queue: one on the wire is cancelled and its callback frees
 * it; one already answered is freed now. */
static void
page_drop (Page *page)
{
  if (page->answered)
    page_free (page);
  else
    g_cancellable_cancel (page->cancellable);
}

static void
drop_pages (Read *read)
{
  g_queue_foreach (read->in_flight, (GFunc) page_drop, NULL);
  g_queue_clear (read->in_flight);
}

static void
read_free (Read *read)
{
  g_assert (read->in_flight == NULL || g_queue_is_empty (read->in_flight));
  g_clear_pointer (&read->in_flight, g_queue_free);
  g_clear_object (&read->auth);
  g_clear_pointer (&read->users, g_ptr_array_unref);
  g_clear_pointer (&read->seen, g_hash_table_unref);
  g_clear_pointer (&read->problems, g_ptr_array_unref);
  g_free (read->previous_page);
  g_free (read->base);
  g_free (read->next_id);
  g_free (read->filter);
  g_free (read);
}

static char *
page_url (Read *read,
          guint start_index)
{
  g_autofree char *url = NULL;

  if (read->v1)
    return prov_sap_ias_v1_users_url (read->base, read->count, read->next_id);
  url = prov_sap_ias_v2_users_url (read->base, start_index, read->count);
  if (read->filter != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (read->filter, NULL, FALSE);
      g_autofree char *plain = g_steal_pointer (&url);

      url = g_strconcat (plain, "&filter=", escaped, NULL);
    }
  return g_steal_pointer (&url);
}

static void request_pages (GTask *task);

/* A page holds at most what we asked for: a bigger answer is refused. */
static gsize
page_max_body (Read *read)
{
  return (gsize) (read->count + 1) * PROV_HTTP_MAX_BODY_PER_RESOURCE;
}

/* The ids (or user names) of a page, in order: two equal signatures mean
 * the server served the same page again. */
static char *
page_signature (JsonArray *resources)
{
  g_autoptr(GString) signature = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonObject *resource = json_array_get_object_element (resources, i);
      const char *key = json_object_get_string_member_with_default (resource, "id", NULL);

      if (key == NULL)
        key = json_object_get_string_member_with_default (resource, "userName", "");
      g_string_append (signature, key);
      g_string_append_c (signature, '\n');
    }
  return g_string_free (g_steal_pointer (&signature), FALSE);
}

/* The read is over. A count that disagrees with the server's total is
 * said; it makes the read incomplete unless an empty page proved the end. */
static void
finish_read (Read       *read,
             const char *host,
             gboolean    ended_on_empty_page)
{
  if (read->total < 0 || read->total == (gint64) read->received)
    return;

  g_debug ("%s: read %u users, totalResults %" G_GINT64_FORMAT, host, read->received, read->total);
  if (ended_on_empty_page)
    g_ptr_array_add (read->problems,
                     g_strdup_printf (ngettext ("%s reported %u user in total but sent %u; every page up to an empty one was read.",
                                                "%s reported %u users in total but sent %u; every page up to an empty one was read.",
                                                (gulong) MIN (read->total, G_MAXUINT)),
                                      host, (guint) MIN (read->total, G_MAXUINT), read->received));
  else
    {
      read->complete = FALSE;
      g_ptr_array_add (read->problems,
                       g_strdup_printf (ngettext ("%s reported %u user in total but sent %u, so the read may be incomplete and nobody is deprovisioned.",
                                                  "%s reported %u users in total but sent %u, so the read may be incomplete and nobody is deprovisioned.",
                                                  (gulong) MIN (read->total, G_MAXUINT)),
                                        host, (guint) MIN (read->total, G_MAXUINT), read->received));
    }
}

/* Whether the pages asked for ahead start where the pages before them
 * ended. */
static gboolean
guesses_hold (Read *read)
{
  Page *head = g_queue_peek_head (read->in_flight);

  return head == NULL || read->v1 || head->start_index == read->start_index;
}

/* SAP retired version 1 of the SCIM API on 30 November 2026. A tenant that
 * no longer serves it answers 404 or 410, or something that is no SCIM
 * list: said as what it most likely is, not as a wrong URL. Takes @error. */
static GError *
explain_retired_v1 (gboolean     v1,
                    SoupMessage *message,
                    GError      *error)
{
  guint status = message ? soup_message_get_status (message) : 0;
  GError *explained;

  if (!v1 || error == NULL || error->domain != PROV_ERROR)
    return error;
  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
    explained = g_error_new (PROV_ERROR, PROV_ERROR_NOT_FOUND,
                             _("%s no longer answers version 1 of the SCIM API (HTTP %u): SAP retired it on 30 November 2026. Switch the source of users to version 2."),
                             g_uri_get_host (soup_message_get_uri (message)), status);
  else if (error->code == PROV_ERROR_BAD_RESPONSE)
    explained = g_error_new (PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                             _("%s This source uses version 1 of the SCIM API, which SAP retired on 30 November 2026: switch it to version 2."),
                             error->message);
  else
    return error;
  g_error_free (error);
  return explained;
}

/* One page, in order. FALSE when the read is over (the task returned). */
static gboolean
take_page (GTask       *task,
           SoupMessage *message,
           GBytes      *body,
           GError      *error)
{
  Read *read = g_task_get_task_data (task);
  g_autoptr(JsonArray) resources = NULL;
  g_autoptr(JsonObject) object_body = NULL;
  g_autofree char *signature = NULL;
  gint64 total = -1;
  gboolean last_page = FALSE;
  guint n;
  const char *content_type;
  const char *host;

  if (message != NULL && read->filter != NULL &&
      (soup_message_get_status (message) == SOUP_STATUS_BAD_REQUEST ||
       soup_message_get_status (message) == SOUP_STATUS_NOT_IMPLEMENTED))
    {
      /* SCIM answers a filter it does not support with 400 invalidFilter. */
      g_debug ("%s refused the delta query (HTTP %u)",
               g_uri_get_host (soup_message_get_uri (message)), soup_message_get_status (message));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The tenant does not answer queries for users changed since a time."));
      return FALSE;
    }
  if (message != NULL &&
      (soup_message_get_status (message) == 429 ||
       soup_message_get_status (message) == SOUP_STATUS_SERVICE_UNAVAILABLE))
    {
      ProvSource *self = g_task_get_source_object (task);
      self->retry_after = prov_http_get_retry_after (message);
    }
  if (message == NULL ||
      !prov_http_check_status (message, PROV_HTTP_PURPOSE_SOURCE, &error))
    {
      g_task_return_error (task, explain_retired_v1 (read->v1, message, error));
      return FALSE;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  host = g_uri_get_host (soup_message_get_uri (message));
  if (!prov_json_response_parse_list (body, content_type, host, &resources, &total, NULL, &error))
    {
      g_task_return_error (task, explain_retired_v1 (read->v1, message, error));
      return FALSE;
    }

  n = json_array_get_length (resources);
  read->pages++;
  if (total >= 0)
    read->total = total;
  if (read->count_only)
    goto done;

  /* An empty page is the end, whatever the totals said. */
  if (n == 0)
    {
      finish_read (read, host, TRUE);
      goto done;
    }

  /* A server that serves its last page again has nothing more. */
  signature = page_signature (resources);
  if (g_strcmp0 (signature, read->previous_page) == 0)
    {
      finish_read (read, host, FALSE);
      goto done;
    }
  g_free (read->previous_page);
  read->previous_page = g_steal_pointer (&signature);
  read->received += n;

  if (read->v1)
    {
      const char *next_id = NULL;

      object_body = prov_json_response_parse_object (body, content_type, host, NULL);
      if (object_body != NULL)
        next_id = json_object_get_string_member_with_default (object_body, "nextId", NULL);
      /* The last page ends the read once its users are in. */
      last_page = next_id == NULL || *next_id == '\0' || g_str_equal (next_id, V1_END_MARKER);
      g_free (read->next_id);
      read->next_id = g_strdup (next_id);
    }
  else
    {
      /* Neither totalResults nor a short page ends the read: servers cap
       * pages below what was asked, and some report the page's size as
       * the total. Only an empty (or repeated) page does. */
      read->start_index += n;
      read->stride = n;
    }

  if (!last_page && read->pages >= MAX_PAGES)
    {
      g_task_return_new_error (task, PROV_ERROR, PROV_ERROR_BAD_RESPONSE,
                               _("%s kept sending pages of users without end; the read was stopped."),
                               host);
      return FALSE;
    }

  /* Where the next pages start is known: they are asked for before this
   * page's users are built, which takes longer than the server needs to
   * start on them. Not after a wrong guess: page_cb() starts over. */
  if (!last_page && guesses_hold (read))
    request_pages (task);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) user_error = NULL;
      g_autoptr(ProvUser) user = prov_user_new_from_json (json_array_get_object_element (resources, i), &user_error);
      char *key;

      if (user == NULL)
        {
          /* Its user would look gone: deprovisioning must not trust this read. */
          read->complete = FALSE;
          g_ptr_array_add (read->problems, g_strdup (user_error->message));
          continue;
        }

      key = g_utf8_casefold (prov_user_get_user_name (user), -1);
      if (!g_hash_table_add (read->seen, key))
        {
          /* Targets compare user names without case: only one of them
           * can be provisioned, and which one is a guess. */
          read->complete = FALSE;
          g_ptr_array_add (read->problems,
                           g_strdup_printf (_("%s has more than one user named “%s” when case is ignored; only the first was read."),
                                            host, prov_user_get_user_name (user)));
          continue;
        }
      g_ptr_array_add (read->users, g_steal_pointer (&user));
    }

  if (last_page)
    {
      finish_read (read, host, FALSE);
      goto done;
    }
  return TRUE;

done:
  g_task_return_boolean (task, TRUE);
  return FALSE;
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Page *page = user_data;
  g_autoptr(GTask) task = g_object_ref (page->task);
  Read *read = g_task_get_task_data (task);

  page->message = prov_auth_send_finish (PROV_AUTH (object), result, &page->body, &page->error);
  page->answered = TRUE;
  /* Dropped: the read is over, or the page started at the wrong place. */
  if (read->over || g_queue_find (read->in_flight, page) == NULL)
    {
      page_free (page);
      return;
    }

  while (!g_queue_is_empty (read->in_flight))
    {
      Page *head = g_queue_peek_head (read->in_flight);
      gboolean more;

      if (!guesses_hold (read))
        {
          /* The page before it was not as long as expected: every guess
           * after it is wrong too. */
          read->guessed_wrong = TRUE;
          drop_pages (read);
          break;
        }
      if (!head->answered)
        break;

      g_queue_pop_head (read->in_flight);
      more = take_page (task, head->message, head->body, g_steal_pointer (&head->error));
      page_free (head);
      if (!more)
        {
          read->over = TRUE;
          drop_pages (read);
          return;
        }
    }

  request_pages (task);
}

static void
read_cancelled_cb (GCancellable *cancellable,
                   GCancellable *page_cancellable)
{
  g_cancellable_cancel (page_cancellable);
}

static void
request_page (GTask *task,
              guint  start_index)
{
  Read *read = g_task_get_task_data (task);
  Page *page = g_new0 (Page, 1);
  g_autofree char *url = page_url (read, start_index);

  page->task = g_object_ref (task);
  page->start_index = start_index;
  page->cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    page->cancelled_id = g_cancellable_connect (g_task_get_cancellable (task),
                                                G_CALLBACK (read_cancelled_cb),
                                                g_object_ref (page->cancellable), g_object_unref);
  g_queue_push_tail (read->in_flight, page);
  prov_auth_send_with_limit_async (read->auth, SOUP_METHOD_GET, url, NULL, NULL,
                                   page_max_body (read), page->cancellable, page_cb, page);
}

/* Keeps pages in flight. The next is asked for where the last one asked
 * for should end; a guess goes no further than the page after the
 * reported total, which an honest read asks for anyway, so a server
 * that tells the truth sees not one request more than a one-by-one read.
 * A server that reports too many users may see a few pages asked for in
 * vain; after a wrong guess, the read goes one page at a time. */
static void
request_pages (GTask *task)
{
  Read *read = g_task_get_task_data (task);
  Page *last;
  guint next;

  if (g_queue_is_empty (read->in_flight))
    request_page (task, read->start_index);
  /* A delta query or a count is small: one page at a time. */
  if (read->v1 || read->stride == 0 || read->guessed_wrong ||
      read->filter != NULL || read->count_only)
    return;

  last = g_queue_peek_tail (read->in_flight);
  next = last->start_index + read->stride;
  while (g_queue_get_length (read->in_flight) < PROV_SOURCE_PAGES_IN_FLIGHT &&
         read->total >= 0 && next <= read->total + 1 && next > last->start_index)
    {
      request_page (task, next);
      last = g_queue_peek_tail (read->in_flight);
      next = last->start_index + read->stride;
    }
}

static Read *
read_new (ProvSource     *self,
          ProvHttpClient *client,
          guint           count)
{
  Read *read = g_new0 (Read, 1);
  g_autoptr(ProvRateLimiter) limiter = NULL;

  read->base = g_strdup (prov_target_system_get_url (self->connection));
  read->v1 = prov_target_system_get_version (self->connection) == PROV_SCIM_VERSION_1;
  read->auth = prov_auth_new (client, self->connection);
  read->users = g_ptr_array_new_with_free_func (g_object_unref);
  read->in_flight = g_queue_new ();
  read->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  read->problems = g_ptr_array_new_with_free_func (g_free);
  read->complete = TRUE;
  read->start_index = 1;
  read->count = count;
  read->total = -1;

  limiter = prov_rate_limiter_new (PROV_SOURCE_REQUESTS_PER_MINUTE, 0,
                                   (gint64) (60 * G_USEC_PER_SEC * self->time_scale));
  prov_auth_set_rate_limiter (read->auth, limiter);
  return read;
}

/* Reading users from a CSV file */

static void
csv_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Read *read = g_task_get_task_data (task);
  g_autoptr(GPtrArray) row_errors = NULL;
  g_auto(GStrv) warnings = NULL;
  GError *error = NULL;
  GPtrArray *users;

  users = prov_csv_reader_read_file_finish (result, &row_errors, &warnings, &error);
  if (users == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&read->users, g_ptr_array_unref);
  read->users = users;
  for (guint i = 0; row_errors != NULL && i < row_errors->len; i++)
    g_ptr_array_add (read->problems, prov_csv_row_error_to_string (g_ptr_array_index (row_errors, i)));
  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    g_ptr_array_add (read->problems, g_strdup (warnings[i]));

  /* A bad row's user would look gone from the source. */
  read->complete = row_errors == NULL || row_errors->len == 0;
  g_task_return_boolean (task, TRUE);
}

/* A tenant is asked only with the source's secrets: sent empty, its
 * refusal would blame credentials that were never given. TRUE when @task
 * has been ended with the error. */
static gboolean
ended_without_secrets (ProvSource *self,
                       GTask      *task)
{
  GError *error = NULL;

  if (prov_source_check_secrets (self, &error))
    return FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
  return TRUE;
}

void
prov_source_read_users_async (ProvSource          *self,
                              ProvHttpClient      *client,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Read *read;

  g_return_if_fail (PROV_IS_SOURCE (self));
  g_return_if_fail (PROV_IS_HTTP_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_source_read_users_async);
  read = read_new (self, client, PROV_SOURCE_PAGE_SIZE);
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);

  if (self->kind == PROV_SOURCE_KIND_CSV)
    {
      g_autoptr(GFile) file = g_file_new_for_path (prov_source_get_csv_path (self));
      prov_csv_reader_read_file_async (file, cancellable, csv_read_cb, task);
      return;
    }
  if (ended_without_secrets (self, task))
    return;

  request_pages (task);
  g_object_unref (task);   /* each page holds one */
}

GPtrArray *
prov_source_read_users_finish (ProvSource    *self,
                               GAsyncResult  *result,
                               gboolean      *complete,
                               GStrv         *problems,
                               GError       **error)
{
  Read *read;

  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  read = g_task_get_task_data (G_TASK (result));
  if (complete != NULL)
    *complete = read->complete;
  if (problems != NULL)
    {
      g_ptr_array_add (read->problems, NULL);
      *problems = (GStrv) g_ptr_array_steal (read->problems, NULL);
      read->problems = g_ptr_array_new_with_free_func (g_free);
    }
  return g_steal_pointer (&read->users);
}

/* Real-time sync: what changed, and how many there are */

void
prov_source_read_changed_users_async (ProvSource          *self,
                                      ProvHttpClient      *client,
                                      GDateTime           *since,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *when = NULL;
  GTask *task;
  Read *read;

  g_return_if_fail (PROV_IS_SOURCE (self));
  g_return_if_fail (PROV_IS_HTTP_CLIENT (client));
  g_return_if_fail (since != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_source_read_changed_users_async);

  /* Version 1 filters only with eq and and. */
  if (self->kind != PROV_SOURCE_KIND_TENANT ||
      prov_target_system_get_version (self->connection) == PROV_SCIM_VERSION_1)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The tenant does not answer queries for users changed since a time."));
      g_object_unref (task);
      return;
    }
  if (ended_without_secrets (self, task))
    return;

  read = read_new (self, client, PROV_SOURCE_PAGE_SIZE);
  utc = g_date_time_to_utc (since);
  when = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  read->filter = g_strdup_printf ("meta.lastModified gt \"%s\"", when);
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);
  request_pages (task);
  g_object_unref (task);   /* each page holds one */
}

GPtrArray *
prov_source_read_changed_users_finish (ProvSource    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return prov_source_read_users_finish (self, result, NULL, NULL, error);
}

void
prov_source_count_users_async (ProvSource          *self,
                               ProvHttpClient      *client,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Read *read;

  g_return_if_fail (PROV_IS_SOURCE (self));
  g_return_if_fail (PROV_IS_HTTP_CLIENT (client));
  g_return_if_fail (self->kind == PROV_SOURCE_KIND_TENANT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_source_count_users_async);
  if (ended_without_secrets (self, task))
    return;
  read = read_new (self, client, 1);
  read->count_only = TRUE;
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);
  request_pages (task);
  g_object_unref (task);   /* each page holds one */
}

gint64
prov_source_get_retry_after (ProvSource *self)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), -1);
  return self->retry_after;
}

gint64
prov_source_count_users_finish (ProvSource    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return -1;
  return ((Read *) g_task_get_task_data (G_TASK (result)))->total;
}

/* Test Connection */

static const char *
success_message (void)
{
  return _("Connection to the source of users was established successfully.");
}

static void
test_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonArray) resources = NULL;
  GError *error = NULL;

  message = prov_auth_send_finish (PROV_AUTH (object), result, &body, &error);
  if (message == NULL ||
      !prov_http_check_status (message, PROV_HTTP_PURPOSE_SOURCE, &error) ||
      !prov_json_response_parse_list (body,
                                      soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL),
                                      g_uri_get_host (soup_message_get_uri (message)),
                                      &resources, NULL, NULL, &error))
    {
      ProvSource *self = g_task_get_source_object (task);
      gboolean v1 = prov_target_system_get_version (self->connection) == PROV_SCIM_VERSION_1;

      g_task_return_error (task, explain_retired_v1 (v1, message, error));
      return;
    }

  g_task_return_pointer (task, g_strdup (success_message ()), g_free);
}

/* A file that reads with rows left out works, but while it has them no
 * read is complete and nobody is removed: the test says so, with the first. */
static void
test_csv_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) row_errors = NULL;
  g_autofree char *first = NULL;
  g_autofree char *rows = NULL;
  GError *error = NULL;

  users = prov_csv_reader_read_file_finish (result, &row_errors, NULL, &error);
  if (users == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (row_errors == NULL || row_errors->len == 0)
    {
      g_task_return_pointer (task, g_strdup (success_message ()), g_free);
      return;
    }

  first = prov_csv_row_error_to_string (g_ptr_array_index (row_errors, 0));
  /* The translators' comment stands by the text: xgettext does not take
   * one from before g_dngettext(). */
  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: after “Connection to the source of users was
                                        * established successfully.”; the first row's problem
                                        * (“Line 3: …”) follows */
                                       "%u row of the file cannot be read: until it is fixed, "
                                       "provisioning leaves it out and removes nobody.",
                                       "%u rows of the file cannot be read: until they are fixed, "
                                       "provisioning leaves them out and removes nobody.",
                                       row_errors->len),
                          row_errors->len);
  g_task_return_pointer (task, g_strjoin (" ", success_message (), rows, first, NULL), g_free);
}

void
prov_source_test_async (ProvSource          *self,
                        ProvHttpClient      *client,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Read *read;
  g_autofree char *url = NULL;

  g_return_if_fail (PROV_IS_SOURCE (self));
  g_return_if_fail (PROV_IS_HTTP_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_source_test_async);

  if (self->kind == PROV_SOURCE_KIND_CSV)
    {
      g_autoptr(GFile) file = g_file_new_for_path (prov_source_get_csv_path (self));
      prov_csv_reader_read_file_async (file, cancellable, test_csv_cb, task);
      return;
    }
  if (ended_without_secrets (self, task))
    return;

  read = read_new (self, client, 1);
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);
  url = page_url (read, read->start_index);
  prov_auth_send_with_limit_async (read->auth, SOUP_METHOD_GET, url, NULL, NULL, page_max_body (read),
                                   cancellable, test_page_cb, task);
}

char *
prov_source_test_finish (ProvSource    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
