/* prov-source.h — where the users come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-http-client.h"
#include "prov-target-system.h"

G_BEGIN_DECLS

typedef enum
{
  PROV_SOURCE_KIND_TENANT,   /* an Identity Authentication tenant's SCIM API */
  PROV_SOURCE_KIND_CSV,      /* a CSV file in Identity Authentication's format */
} ProvSourceKind;

/* Users a page, as far as both SCIM versions allow. */
#define PROV_SOURCE_PAGE_SIZE 100
/* Identity Authentication throttles SCIM beyond this. */
#define PROV_SOURCE_REQUESTS_PER_MINUTE 200
/* Version 2 pages asked for at once while their starts can be foreseen. */
#define PROV_SOURCE_PAGES_IN_FLIGHT 4

#define PROV_TYPE_SOURCE (prov_source_get_type ())
G_DECLARE_FINAL_TYPE (ProvSource, prov_source, PROV, SOURCE, GObject)

ProvSource       *prov_source_new                (void);
ProvSource       *prov_source_copy               (ProvSource      *self);
void              prov_source_assign             (ProvSource      *self,
                                                  ProvSource      *from);
gboolean          prov_source_equal              (ProvSource      *self,
                                                  ProvSource      *other);

const char       *prov_source_get_uuid           (ProvSource      *self);
ProvSourceKind    prov_source_get_kind           (ProvSource      *self);
void              prov_source_set_kind           (ProvSource      *self,
                                                  ProvSourceKind   kind);
const char       *prov_source_get_csv_path       (ProvSource      *self);
void              prov_source_set_csv_path       (ProvSource      *self,
                                                  const char      *path);

/* The tenant's connection: URL, SCIM version, Basic (Username = client ID,
 * Password = client secret) or Certificate, and an optional extra CA —
 * the same fields and secrets as a target's, keyed by the source's uuid
 * in the keyring. Transfer none; edit it in place. */
ProvTargetSystem *prov_source_get_connection     (ProvSource      *self);

/* A translated reason per invalid field (PROV_N_FIELDS entries, NULL where
 * valid; the CSV path is reported at PROV_FIELD_URL), or TRUE. */
gboolean          prov_source_validate           (ProvSource      *self,
                                                  char          ***reasons);
/* The title of @field as the Source of Users form shows it ("Tenant URL",
 * "Client ID", or "CSV File" for the path of a CSV source), for saying
 * which field a reason is about. */
const char       *prov_source_get_field_title    (ProvSource      *self,
                                                  ProvField        field);
/* As prov_target_system_check_secrets() for a source with its secrets
 * (a CSV file needs none). */
gboolean          prov_source_check_secrets      (ProvSource      *self,
                                                  GError         **error);
/* The same for the saved source (prov_target_service_get_source()), which
 * holds no secret: the keyring has it, and a run reads it from there. */
gboolean          prov_source_validate_saved     (ProvSource      *self,
                                                  char          ***reasons);

/* The file: source.json beside targets.json. A missing file is the default
 * source (a tenant, SCIM version 2, nothing filled in). Only a regular file
 * (or a symlink to one) is read; a damaged one is moved aside to
 * <path>.corrupt-<time> (PROV_ERROR_CORRUPT_FILE). A file of a newer
 * format-version is used as far as this version understands it, and is
 * read-only: prov_source_check_writable() says so. Saving is atomic and
 * writes through a symlink; after a load or save of the same path it
 * refuses (PROV_ERROR_CHANGED_ON_DISK) when another program changed the
 * file meanwhile: load again to reload. */
gboolean          prov_source_load               (ProvSource      *self,
                                                  const char      *path,
                                                  GError         **error);
gboolean          prov_source_save               (ProvSource      *self,
                                                  const char      *path,
                                                  GError         **error);
char             *prov_source_get_default_path   (void);
gboolean          prov_source_is_read_only       (ProvSource      *self);
gboolean          prov_source_check_writable     (ProvSource      *self,
                                                  GError         **error);

/* Reads every user (ProvUser). @complete is FALSE when the list cannot be
 * trusted to be whole (a CSV with bad rows): then nobody may be
 * deprovisioned because of it. @problems gets one sentence per row or
 * page left out. Any failure to read at all is an error. */
void              prov_source_read_users_async   (ProvSource      *self,
                                                  ProvHttpClient  *client,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
GPtrArray        *prov_source_read_users_finish  (ProvSource      *self,
                                                  GAsyncResult    *result,
                                                  gboolean        *complete,
                                                  GStrv           *problems,
                                                  GError         **error);

/* Real-time sync. The users of a tenant (SCIM version 2) changed after
 * @since (`filter=meta.lastModified gt "<time>"`); a tenant that refuses
 * the filter, a version 1 tenant and a CSV file fail with
 * G_IO_ERROR_NOT_SUPPORTED: read every user instead. */
void              prov_source_read_changed_users_async  (ProvSource      *self,
                                                         ProvHttpClient  *client,
                                                         GDateTime       *since,
                                                         GCancellable    *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer         user_data);
GPtrArray        *prov_source_read_changed_users_finish (ProvSource      *self,
                                                         GAsyncResult    *result,
                                                         GError         **error);
/* The tenant's totalResults, from one page of one user (-1 when it does
 * not say). */
void              prov_source_count_users_async  (ProvSource      *self,
                                                  ProvHttpClient  *client,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
gint64            prov_source_count_users_finish (ProvSource      *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);

/* Seconds the tenant asked to wait (Retry-After, X-RateLimit-Reset) when
 * it last answered 429 or 503, or -1. */
gint64            prov_source_get_retry_after    (ProvSource      *self);

/* Test Connection for the source: one authenticated page of one user (or,
 * for a CSV file, reading it). _finish() returns what to tell the person:
 * SAP's sentence, and for a file with rows that cannot be read, how many
 * and the first. */
void              prov_source_test_async         (ProvSource      *self,
                                                  ProvHttpClient  *client,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
char             *prov_source_test_finish        (ProvSource      *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);

/* Scales the tenant's rate limit window (tests); 1.0 in real use. */
void              prov_source_set_time_scale     (ProvSource      *self,
                                                  double           scale);

G_END_DECLS
