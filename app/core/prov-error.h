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
  PROV_ERROR_INVALID,          /* a target failed validation */
  PROV_ERROR_CORRUPT_FILE,     /* the configuration file was unreadable; moved aside */
  PROV_ERROR_SAVE_FAILED,      /* the configuration file could not be written */
  PROV_ERROR_KEYRING_UNAVAILABLE, /* no Secret Service on the session bus */
  PROV_ERROR_KEYRING_LOCKED,   /* the keyring is locked and could not be unlocked */
  PROV_ERROR_KEYRING_FAILED,   /* the keyring refused for another reason */
} ProvError;

GQuark prov_error_quark (void);

G_END_DECLS
