/* prov-error.c — the core's error domain and which errors pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-error.h"

G_DEFINE_QUARK (prov-error-quark, prov_error)

gboolean
prov_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != PROV_ERROR)
    return FALSE;

  switch ((ProvError) error->code)
    {
    case PROV_ERROR_TIMED_OUT:
    case PROV_ERROR_CONNECTION_LOST:
    case PROV_ERROR_RATE_LIMITED:
    case PROV_ERROR_BAD_GATEWAY:
    case PROV_ERROR_MAINTENANCE:
      return TRUE;

    case PROV_ERROR_FAILED:
    case PROV_ERROR_INVALID_FIELD:
    case PROV_ERROR_INVALID_FILE:
    case PROV_ERROR_INVALID_USER:
    case PROV_ERROR_EXISTS:
    case PROV_ERROR_NOT_CONFIRMED:
    case PROV_ERROR_CORRUPT_FILE:
    case PROV_ERROR_SAVE_FAILED:
    case PROV_ERROR_READ_ONLY:
    case PROV_ERROR_CHANGED_ON_DISK:
    case PROV_ERROR_KEYRING_UNAVAILABLE:
    case PROV_ERROR_KEYRING_LOCKED:
    case PROV_ERROR_KEYRING_FAILED:
    case PROV_ERROR_HOST_NOT_FOUND:
    case PROV_ERROR_CONNECTION_REFUSED:
    case PROV_ERROR_TLS_UNAVAILABLE:
    case PROV_ERROR_TLS_NOT_TRUSTED:
    case PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED:
    case PROV_ERROR_CLIENT_CERTIFICATE_REJECTED:
    case PROV_ERROR_CLIENT_CERTIFICATE_INVALID:
    case PROV_ERROR_CREDENTIALS_REFUSED:
    case PROV_ERROR_UNAUTHORIZED:
    case PROV_ERROR_FORBIDDEN:
    case PROV_ERROR_NOT_FOUND:
    case PROV_ERROR_SERVER_ERROR:
    case PROV_ERROR_CONFLICT:
    case PROV_ERROR_BAD_RESPONSE:
    case PROV_ERROR_UNSUPPORTED_ANSWER:
    case PROV_ERROR_NETWORK:
    default:
      return FALSE;
    }
}

gboolean
prov_error_is_target_wide (const GError *error)
{
  if (error == NULL || error->domain != PROV_ERROR)
    return FALSE;

  /* Not 403 or 404: SCIM answers them about one user too. */
  switch (error->code)
    {
    case PROV_ERROR_HOST_NOT_FOUND:
    case PROV_ERROR_CONNECTION_REFUSED:
    case PROV_ERROR_TLS_UNAVAILABLE:
    case PROV_ERROR_TLS_NOT_TRUSTED:
    case PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED:
    case PROV_ERROR_CLIENT_CERTIFICATE_REJECTED:
    case PROV_ERROR_CLIENT_CERTIFICATE_INVALID:
    case PROV_ERROR_CREDENTIALS_REFUSED:
    case PROV_ERROR_UNAUTHORIZED:
      return TRUE;
    default:
      return FALSE;
    }
}
