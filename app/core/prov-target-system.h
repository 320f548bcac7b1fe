/* prov-target-system.h — one target system: its fields and settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  PROV_TARGET_KIND_SAP_JAM,
  PROV_TARGET_KIND_IDENTITY_PROVISIONING,
} ProvTargetKind;

typedef enum
{
  PROV_AUTH_MECHANISM_BASIC,
  PROV_AUTH_MECHANISM_CERTIFICATE,
  PROV_AUTH_MECHANISM_OAUTH,
} ProvAuthMechanism;

typedef enum
{
  PROV_SCIM_VERSION_1 = 1,
  PROV_SCIM_VERSION_2 = 2,
} ProvScimVersion;

/* What happens to a user that left the source. */
typedef enum
{
  PROV_DEPROVISION_DEACTIVATE,
  PROV_DEPROVISION_DELETE,
} ProvDeprovisionMode;

/* SAP's documented limits, used unless a target sets its own. */
#define PROV_JAM_REQUESTS_PER_MINUTE 200
#define PROV_JAM_REQUESTS_PER_HOUR 13000
#define PROV_IPS_REQUESTS_PER_MINUTE 150
/* A run that would deprovision more than both of these stops and asks. */
#define PROV_DEFAULT_THRESHOLD_USERS 10
#define PROV_DEFAULT_THRESHOLD_PERCENT 5
/* The most a target may set (the editor's spin buttons say the same). */
#define PROV_MAX_RATE_PER_MINUTE 1000000
#define PROV_MAX_RATE_PER_HOUR 100000000

/* The last Test Connection of a target; kept in memory only. */
typedef enum
{
  PROV_CONNECTION_STATUS_UNKNOWN,
  PROV_CONNECTION_STATUS_OK,
  PROV_CONNECTION_STATUS_FAILED,
} ProvConnectionStatus;

/* Every field a person can see or type. The order is the order on screen. */
typedef enum
{
  PROV_FIELD_DISPLAY_NAME,
  PROV_FIELD_KIND,
  PROV_FIELD_URL,
  PROV_FIELD_VERSION,
  PROV_FIELD_AUTH_MECHANISM,
  PROV_FIELD_USERNAME,
  PROV_FIELD_PASSWORD,
  PROV_FIELD_COMMON_NAME,
  PROV_FIELD_CERTIFICATE_PASSWORD,
  PROV_FIELD_CLIENT_CERTIFICATE,   /* PEM; public, kept in the file */
  PROV_FIELD_CERTIFICATE_KEY,      /* PEM; secret, kept in the keyring */
  PROV_FIELD_TOKEN_URL,
  PROV_FIELD_CLIENT_ID,
  PROV_FIELD_CLIENT_SECRET,
  PROV_FIELD_CA_FILE,              /* optional: one extra CA to trust */
  PROV_N_FIELDS
} ProvField;

/* The longest value any field accepts; anything longer is a paste gone wrong. */
#define PROV_FIELD_MAX_LENGTH 2048
/* Certificates and keys in PEM are longer, and span lines. */
#define PROV_PEM_MAX_LENGTH (64 * 1024)
#define PROV_COMMON_NAME_MAX_LENGTH 64

#define PROV_TYPE_TARGET_SYSTEM (prov_target_system_get_type ())
G_DECLARE_FINAL_TYPE (ProvTargetSystem, prov_target_system, PROV, TARGET_SYSTEM, GObject)

ProvTargetSystem  *prov_target_system_new                 (ProvTargetKind     kind);
ProvTargetSystem  *prov_target_system_copy                (ProvTargetSystem  *self);
void               prov_target_system_assign              (ProvTargetSystem  *self,
                                                           ProvTargetSystem  *from);
gboolean           prov_target_system_equal               (ProvTargetSystem  *self,
                                                           ProvTargetSystem  *other);

const char        *prov_target_system_get_uuid            (ProvTargetSystem  *self);
const char        *prov_target_system_get_display_name    (ProvTargetSystem  *self);
void               prov_target_system_set_display_name    (ProvTargetSystem  *self,
                                                           const char        *display_name);
ProvTargetKind     prov_target_system_get_kind            (ProvTargetSystem  *self);
void               prov_target_system_set_kind            (ProvTargetSystem  *self,
                                                           ProvTargetKind     kind);
const char        *prov_target_system_get_kind_label      (ProvTargetSystem  *self);
const char        *prov_target_system_get_url             (ProvTargetSystem  *self);
void               prov_target_system_set_url             (ProvTargetSystem  *self,
                                                           const char        *url);
ProvScimVersion    prov_target_system_get_version         (ProvTargetSystem  *self);
void               prov_target_system_set_version         (ProvTargetSystem  *self,
                                                           ProvScimVersion    version);
ProvAuthMechanism  prov_target_system_get_auth_mechanism  (ProvTargetSystem  *self);
void               prov_target_system_set_auth_mechanism  (ProvTargetSystem  *self,
                                                           ProvAuthMechanism  mechanism);

/* Text fields (everything but kind, version and mechanism) by field id.
 * Secret fields live here only while a person edits them; they are never
 * serialized — the keyring keeps them. */
const char        *prov_target_system_get_text            (ProvTargetSystem  *self,
                                                           ProvField          field);
void               prov_target_system_set_text            (ProvTargetSystem  *self,
                                                           ProvField          field,
                                                           const char        *value);

/* Provisioning settings. A rate of 0 means "SAP's documented default for
 * the type"; the getters return the effective value. */
guint              prov_target_system_get_rate_per_minute (ProvTargetSystem *self);
void               prov_target_system_set_rate_per_minute (ProvTargetSystem *self,
                                                           guint             per_minute);
guint              prov_target_system_get_rate_per_hour   (ProvTargetSystem *self);
void               prov_target_system_set_rate_per_hour   (ProvTargetSystem *self,
                                                           guint             per_hour);
ProvDeprovisionMode prov_target_system_get_deprovision_mode (ProvTargetSystem *self);
void               prov_target_system_set_deprovision_mode (ProvTargetSystem    *self,
                                                            ProvDeprovisionMode  mode);
/* Real-time provisioning: ProvSync pushes every change of the source. */
gboolean           prov_target_system_get_real_time         (ProvTargetSystem *self);
void               prov_target_system_set_real_time         (ProvTargetSystem *self,
                                                             gboolean          real_time);
guint              prov_target_system_get_threshold_users   (ProvTargetSystem *self);
void               prov_target_system_set_threshold_users   (ProvTargetSystem *self,
                                                             guint             users);
guint              prov_target_system_get_threshold_percent (ProvTargetSystem *self);
void               prov_target_system_set_threshold_percent (ProvTargetSystem *self,
                                                             guint             percent);

/* The outcome of the last connection test (not copied, compared or saved
 * with the target: it describes the saved target, not its values; the
 * service keeps it in a state file of its own, prov-connection-record.h).
 * @message is the sentence people read; the time is set to now. */
ProvConnectionStatus prov_target_system_get_connection_status (ProvTargetSystem    *self);
const char        *prov_target_system_get_connection_message  (ProvTargetSystem    *self);
GDateTime         *prov_target_system_get_connection_time     (ProvTargetSystem    *self);
void               prov_target_system_set_connection_status   (ProvTargetSystem    *self,
                                                               ProvConnectionStatus status,
                                                               const char          *message);
/* The same, as tested at @time (a recorded outcome read back). */
void               prov_target_system_restore_connection_status (ProvTargetSystem    *self,
                                                                 ProvConnectionStatus status,
                                                                 const char          *message,
                                                                 GDateTime           *time);

gboolean           prov_target_system_field_is_visible    (ProvTargetSystem  *self,
                                                           ProvField          field);
char              *prov_target_system_dup_default_token_url (ProvTargetSystem *self);

/* Takes a client certificate and its key from a PEM or PKCS#12 file's
 * @data, opened with the target's Certificate Password. On failure the
 * target is unchanged (PROV_ERROR_CLIENT_CERTIFICATE_INVALID). */
gboolean           prov_target_system_import_client_certificate (ProvTargetSystem *self,
                                                                 GBytes           *data,
                                                                 GError          **error);
/* Sets a generated or imported certificate and its key, then wipes and
 * frees @key_pem (transfer full; may be NULL): the key is secret, and no
 * copy of it stays behind in freed memory. */
void               prov_target_system_take_client_certificate (ProvTargetSystem *self,
                                                               const char       *certificate_pem,
                                                               char             *key_pem);

/* Helpers shared by front ends. */
const char        *prov_field_get_title                   (ProvField          field,
                                                           ProvTargetKind     kind);
const char        *prov_field_get_key                     (ProvField          field);
gboolean           prov_field_is_secret                   (ProvField          field);
gboolean           prov_field_is_text                     (ProvField          field);
gboolean           prov_field_is_optional                 (ProvField          field);
const char        *prov_target_kind_to_label              (ProvTargetKind     kind);
const char        *prov_auth_mechanism_to_label           (ProvAuthMechanism  mechanism);

G_END_DECLS

/* The target's other concerns, in their own files. */
#include "prov-target-validation.h"
#include "prov-target-json.h"
