/* prov-error.h — the core's error domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PROV_ERROR (prov_error_quark ())

/* One code per kind of failure a person must act on differently. The
 * message of an error in this domain is already a translated sentence. */
typedef enum
{
  PROV_ERROR_FAILED,
  PROV_ERROR_INVALID_FIELD,    /* a field's value is not usable (the message names it) */
  PROV_ERROR_INVALID_FILE,     /* a file given to read (a CSV list) is not usable as a whole */
  PROV_ERROR_INVALID_USER,     /* a user lacks what SCIM requires (userName) */
  PROV_ERROR_EXISTS,           /* an imported target has the identifier of one we have */
  PROV_ERROR_NOT_CONFIRMED,    /* a run over the safety threshold was not confirmed */
  PROV_ERROR_CORRUPT_FILE,     /* the configuration file was unreadable; moved aside */
  PROV_ERROR_SAVE_FAILED,      /* the configuration file could not be written */
  PROV_ERROR_READ_ONLY,        /* the file is from a newer version: not written */
  PROV_ERROR_CHANGED_ON_DISK,  /* another program saved the file since it was read */
  PROV_ERROR_KEYRING_UNAVAILABLE, /* no Secret Service on the session bus */
  PROV_ERROR_KEYRING_LOCKED,   /* the keyring is locked and could not be unlocked */
  PROV_ERROR_KEYRING_FAILED,   /* the keyring refused for another reason */

  /* Talking to a target system */
  PROV_ERROR_HOST_NOT_FOUND,
  PROV_ERROR_CONNECTION_REFUSED,
  PROV_ERROR_TIMED_OUT,
  PROV_ERROR_CONNECTION_LOST,  /* the peer closed the connection mid-request */
  PROV_ERROR_TLS_UNAVAILABLE,  /* no TLS backend (glib-networking missing) */
  PROV_ERROR_TLS_NOT_TRUSTED,  /* the server's certificate failed verification */
  PROV_ERROR_CLIENT_CERTIFICATE_REQUIRED,
  PROV_ERROR_CLIENT_CERTIFICATE_REJECTED,
  PROV_ERROR_CLIENT_CERTIFICATE_INVALID, /* ours cannot be loaded or decrypted */
  PROV_ERROR_CREDENTIALS_REFUSED, /* the token URL refused the client */
  PROV_ERROR_UNAUTHORIZED,     /* 401 from the API */
  PROV_ERROR_FORBIDDEN,        /* 403 from the API */
  PROV_ERROR_NOT_FOUND,        /* 404: wrong URL or system ID */
  PROV_ERROR_RATE_LIMITED,     /* 429 */
  PROV_ERROR_MAINTENANCE,      /* 503 */
  PROV_ERROR_BAD_GATEWAY,      /* 502: a proxy in front of the target failed */
  PROV_ERROR_SERVER_ERROR,     /* other 5xx */
  PROV_ERROR_CONFLICT,         /* 409 that could not be resolved */
  PROV_ERROR_BAD_RESPONSE,     /* not the JSON we expected */
  PROV_ERROR_UNSUPPORTED_ANSWER, /* a redirect we refuse to follow (another host, plain http://) */
  PROV_ERROR_NETWORK,          /* any other transport failure */
} ProvError;

GQuark   prov_error_quark        (void);

/* Why a file could not be read or written, in the C library's words
 * (“Permission denied”, “No space left on device”), without the file name
 * GLib puts in its messages: g_file_set_contents() names its temporary
 * file, which means nothing to a person. For an error of another kind, its
 * message. */
const char *prov_error_file_reason (const GError *error);

/* Whether a failure is worth another try: timeouts, dropped connections,
 * 429, 502 and 503 (SAP's retry policy, docs/sap-domain.md “Writing
 * users”). Everything else is permanent. */
gboolean prov_error_is_transient (const GError *error);

/* Whether every request to the target would meet the same failure: its
 * address (not found, refused), TLS, the client certificate, or the
 * credentials. A run stops sending at the first one: thousands of
 * requests would fail alike, and failed logins can lock the technical
 * user. */
gboolean prov_error_is_target_wide (const GError *error);

/* What a person must do about a failure. */
typedef enum
{
  PROV_ERROR_KIND_FAILED,        /* the operation failed: try again, or fix the server */
  PROV_ERROR_KIND_INVALID,       /* fix the configuration, a field or a file */
  PROV_ERROR_KIND_KEYRING,       /* unlock or start the keyring */
  PROV_ERROR_KIND_NOT_CONFIRMED, /* confirm the run */
} ProvErrorKind;

/* Errors of other domains are PROV_ERROR_KIND_FAILED. */
ProvErrorKind prov_error_get_kind (const GError *error);

G_END_DECLS
