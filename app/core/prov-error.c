/* prov-error.c — the core's error domain and which errors pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-error.h"

#include <errno.h>
#include <gio/gio.h>

G_DEFINE_QUARK (prov-error-quark, prov_error)

const char *
prov_error_file_reason (const GError *error)
{
  static const struct
  {
    GFileError   file_code;
    GIOErrorEnum io_code;
    int          errnum;
  } reasons[] = {
    { G_FILE_ERROR_NOENT, G_IO_ERROR_NOT_FOUND, ENOENT },
    { G_FILE_ERROR_ACCES, G_IO_ERROR_PERMISSION_DENIED, EACCES },
    { G_FILE_ERROR_NOSPC, G_IO_ERROR_NO_SPACE, ENOSPC },
    { G_FILE_ERROR_ROFS, G_IO_ERROR_READ_ONLY, EROFS },
    { G_FILE_ERROR_ISDIR, G_IO_ERROR_IS_DIRECTORY, EISDIR },
    { G_FILE_ERROR_NOTDIR, G_IO_ERROR_NOT_DIRECTORY, ENOTDIR },
    { G_FILE_ERROR_NAMETOOLONG, G_IO_ERROR_FILENAME_TOO_LONG, ENAMETOOLONG },
    { G_FILE_ERROR_LOOP, G_IO_ERROR_TOO_MANY_LINKS, ELOOP },
  };

  g_return_val_if_fail (error != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if ((error->domain == G_FILE_ERROR && error->code == (int) reasons[i].file_code) ||
        (error->domain == G_IO_ERROR && error->code == (int) reasons[i].io_code))
      return g_strerror (reasons[i].errnum);
  return error->message;
}

/* What each code means for whoever handles it, decided in one place. The
 * switch names every code (-Wswitch-enum), so a new one does not build
 * until it is sorted here. */
typedef struct
{
  ProvErrorKind kind;
  gboolean      transient;
  gboolean      target_wide;
} Traits;

static Traits
traits_for (ProvError code)
{
  switch (code)
    {
    /* SAP's retry policy, docs/sap-domain.md “Writing users” */
    case PROV_ERROR_TIMED_OUT:
    case PROV_ERROR_CONNECTION_LOST:
    case PROV_ERROR_RATE_LIMITED:
    case PROV_ERROR_BAD_GATEWAY:
    case PROV_ERROR_MAINTENANCE:
      return (Traits) { PROV_ERROR_KIND_FAILED, TRUE, FALSE };

    /* Every request to the target would meet them. Not 403 or 404: SCIM
     * answers them about one user too. */
    case PROV_ERROR_HOST_NOT_FOUND:
    case PROV_ERROR_CONNECTION_REFUSED:
    case PROV_ERROR_TLS_UNAVAILABLE:
    case PROV_ERROR_TLS_NOT_TRUSTED:
    case PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED:
    case PROV_ERROR_CLIENT_CERTIFICATE_REJECTED:
    case PROV_ERROR_CLIENT_CERTIFICATE_INVALID:
    case PROV_ERROR_CREDENTIALS_REFUSED:
    case PROV_ERROR_UNAUTHORIZED:
      return (Traits) { PROV_ERROR_KIND_FAILED, FALSE, TRUE };

    case PROV_ERROR_FAILED:
    case PROV_ERROR_SAVE_FAILED:
    case PROV_ERROR_CHANGED_ON_DISK:
    case PROV_ERROR_FORBIDDEN:
    case PROV_ERROR_NOT_FOUND:
    case PROV_ERROR_SERVER_ERROR:
    case PROV_ERROR_CONFLICT:
    case PROV_ERROR_BAD_RESPONSE:
    case PROV_ERROR_UNSUPPORTED_ANSWER:
    case PROV_ERROR_NETWORK:
      return (Traits) { PROV_ERROR_KIND_FAILED, FALSE, FALSE };

    case PROV_ERROR_INVALID_FIELD:
    case PROV_ERROR_INVALID_FILE:
    case PROV_ERROR_INVALID_USER:
    case PROV_ERROR_EXISTS:
    case PROV_ERROR_CORRUPT_FILE:
    case PROV_ERROR_READ_ONLY:
      return (Traits) { PROV_ERROR_KIND_INVALID, FALSE, FALSE };

    case PROV_ERROR_KEYRING_UNAVAILABLE:
    case PROV_ERROR_KEYRING_LOCKED:
    case PROV_ERROR_KEYRING_FAILED:
      return (Traits) { PROV_ERROR_KIND_KEYRING, FALSE, FALSE };

    case PROV_ERROR_NOT_CONFIRMED:
      return (Traits) { PROV_ERROR_KIND_NOT_CONFIRMED, FALSE, FALSE };

    default: /* a number outside the enum: no code of ours */
      return (Traits) { PROV_ERROR_KIND_FAILED, FALSE, FALSE };
    }
}

static gboolean
is_ours (const GError *error)
{
  return error != NULL && error->domain == PROV_ERROR;
}

gboolean
prov_error_is_transient (const GError *error)
{
  return is_ours (error) && traits_for (error->code).transient;
}

gboolean
prov_error_is_target_wide (const GError *error)
{
  return is_ours (error) && traits_for (error->code).target_wide;
}

ProvErrorKind
prov_error_get_kind (const GError *error)
{
  return is_ours (error) ? traits_for (error->code).kind : PROV_ERROR_KIND_FAILED;
}
