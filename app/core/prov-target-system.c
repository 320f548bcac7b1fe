/* prov-target-system.c — one target system: its fields and settings
 *
 * Validation is in prov-target-validation.c, the targets.json object in
 * prov-target-json.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-client-certificate.h"
#include "prov-core-enums.h"
#include "prov-error.h"
#include "prov-sap-endpoints.h"
#include "prov-target-system-private.h"

enum {
  PROP_0,
  PROP_UUID,
  PROP_KIND_LABEL,
  PROP_DISPLAY_NAME,
  PROP_KIND,
  PROP_URL,
  PROP_VERSION,
  PROP_AUTH_MECHANISM,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_COMMON_NAME,
  PROP_CERTIFICATE_PASSWORD,
  PROP_CLIENT_CERTIFICATE,
  PROP_CERTIFICATE_KEY,
  PROP_TOKEN_URL,
  PROP_CLIENT_ID,
  PROP_CLIENT_SECRET,
  PROP_CA_FILE,
  PROP_CONNECTION_STATUS,
  PROP_RATE_PER_MINUTE,
  PROP_RATE_PER_HOUR,
  PROP_DEPROVISION_MODE,
  PROP_THRESHOLD_USERS,
  PROP_THRESHOLD_PERCENT,
  PROP_REAL_TIME,
  N_PROPS
};

/* Field properties follow the field enum, offset by this much. */
#define FIELD_PROP(field) ((field) + PROP_DISPLAY_NAME)
#define PROP_FIELD(prop_id) ((ProvField) ((prop_id) - PROP_DISPLAY_NAME))

G_DEFINE_FINAL_TYPE (ProvTargetSystem, prov_target_system, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* The field table: key in targets.json and in the keyring, and titles. */
typedef struct
{
  const char *key;
  const char *jam_title;
  const char *ips_title;
  gboolean    secret;
} FieldInfo;

static const FieldInfo field_info[PROV_N_FIELDS] = {
  [PROV_FIELD_DISPLAY_NAME]         = { "display-name", N_("Display Name"), N_("Display Name"), FALSE },
  [PROV_FIELD_KIND]                 = { "type", N_("Type"), N_("Type"), FALSE },
  [PROV_FIELD_URL]                  = { "url", N_("URL"), N_("SCIM URL"), FALSE },
  [PROV_FIELD_VERSION]              = { "version", N_("Version"), N_("Version"), FALSE },
  [PROV_FIELD_AUTH_MECHANISM]       = { "authentication", N_("Authentication Mechanism"), N_("Authentication Mechanism"), FALSE },
  [PROV_FIELD_USERNAME]             = { "username", N_("Username"), N_("Username"), FALSE },
  [PROV_FIELD_PASSWORD]             = { "password", N_("Password"), N_("Password"), TRUE },
  [PROV_FIELD_COMMON_NAME]          = { "common-name", N_("Common Name"), N_("Common Name"), FALSE },
  [PROV_FIELD_CERTIFICATE_PASSWORD] = { "certificate-password", N_("Certificate Password"), N_("Certificate Password"), TRUE },
  [PROV_FIELD_CLIENT_CERTIFICATE]   = { "client-certificate", N_("Client Certificate"), N_("Client Certificate"), FALSE },
  [PROV_FIELD_CERTIFICATE_KEY]      = { "certificate-key", N_("Private Key"), N_("Private Key"), TRUE },
  [PROV_FIELD_TOKEN_URL]            = { "token-url", N_("Token URL"), N_("Token URL"), FALSE },
  [PROV_FIELD_CLIENT_ID]            = { "client-id", N_("Client Key"), N_("Client ID"), FALSE },
  [PROV_FIELD_CLIENT_SECRET]        = { "client-secret", N_("Client Secret"), N_("Client Secret"), TRUE },
  [PROV_FIELD_CA_FILE]              = { "ca-file", N_("Trusted CA Certificate"), N_("Trusted CA Certificate"), FALSE },
};


const char *
prov_field_get_key (ProvField field)
{
  g_return_val_if_fail (field < PROV_N_FIELDS, NULL);
  return field_info[field].key;
}

const char *
prov_field_get_title (ProvField      field,
                      ProvTargetKind kind)
{
  g_return_val_if_fail (field < PROV_N_FIELDS, NULL);
  if (kind == PROV_TARGET_KIND_SAP_JAM)
    return _(field_info[field].jam_title);
  return _(field_info[field].ips_title);
}

gboolean
prov_field_is_secret (ProvField field)
{
  g_return_val_if_fail (field < PROV_N_FIELDS, FALSE);
  return field_info[field].secret;
}

gboolean
prov_field_is_optional (ProvField field)
{
  return field == PROV_FIELD_CA_FILE;
}

gboolean
prov_field_is_text (ProvField field)
{
  return field != PROV_FIELD_KIND &&
         field != PROV_FIELD_VERSION &&
         field != PROV_FIELD_AUTH_MECHANISM &&
         field < PROV_N_FIELDS;
}

const char *
prov_target_kind_to_label (ProvTargetKind kind)
{
  switch (kind)
    {
    case PROV_TARGET_KIND_SAP_JAM:
      return _("SAP Jam");
    case PROV_TARGET_KIND_IDENTITY_PROVISIONING:
      return _("Identity Provisioning");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
prov_auth_mechanism_to_label (ProvAuthMechanism mechanism)
{
  switch (mechanism)
    {
    case PROV_AUTH_MECHANISM_BASIC:
      return _("Basic");
    case PROV_AUTH_MECHANISM_CERTIFICATE:
      return _("Certificate");
    case PROV_AUTH_MECHANISM_OAUTH:
      return _("OAuth");
    default:
      g_return_val_if_reached (NULL);
    }
}


static void
notify_field (ProvTargetSystem *self,
              ProvField         field)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[FIELD_PROP (field)]);
}

char *
prov_target_system_dup_default_token_url (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);

  if (self->kind != PROV_TARGET_KIND_SAP_JAM)
    return NULL;
  return prov_sap_jam_token_url (self->text[PROV_FIELD_URL]);
}

void
prov_target_system_set_text (ProvTargetSystem *self,
                             ProvField         field,
                             const char       *value)
{
  g_autofree char *old_default = NULL;

  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  g_return_if_fail (prov_field_is_text (field));

  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (self->text[field], value) == 0)
    return;

  if (field == PROV_FIELD_URL)
    old_default = prov_target_system_dup_default_token_url (self);

  g_free (self->text[field]);
  self->text[field] = g_strdup (value);
  notify_field (self, field);

  /* Jam's token URL follows the URL until someone types their own. */
  if (field == PROV_FIELD_URL && self->kind == PROV_TARGET_KIND_SAP_JAM)
    {
      const char *token_url = self->text[PROV_FIELD_TOKEN_URL];

      if (token_url == NULL || g_strcmp0 (token_url, old_default) == 0)
        {
          g_autofree char *new_default = prov_target_system_dup_default_token_url (self);
          prov_target_system_set_text (self, PROV_FIELD_TOKEN_URL, new_default);
        }
    }
}

const char *
prov_target_system_get_text (ProvTargetSystem *self,
                             ProvField         field)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  g_return_val_if_fail (prov_field_is_text (field), NULL);

  return self->text[field] ? self->text[field] : "";
}

static void
prov_target_system_finalize (GObject *object)
{
  ProvTargetSystem *self = (ProvTargetSystem *)object;

  g_clear_pointer (&self->uuid, g_free);
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      /* Secrets do not linger in freed memory. */
      if (self->text[i] != NULL && prov_field_is_secret (i))
        memset (self->text[i], 0, strlen (self->text[i]));
      g_clear_pointer (&self->text[i], g_free);
    }
  g_clear_pointer (&self->unknown_members, json_object_unref);
  g_clear_pointer (&self->connection_message, g_free);
  g_clear_pointer (&self->connection_time, g_date_time_unref);

  G_OBJECT_CLASS (prov_target_system_parent_class)->finalize (object);
}

/* A property of a text field (display-name, url, …, ca-file). */
static gboolean
is_text_field_prop (guint prop_id)
{
  return prop_id >= PROP_DISPLAY_NAME && prop_id <= PROP_CA_FILE &&
         prov_field_is_text (PROP_FIELD (prop_id));
}

static void
prov_target_system_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ProvTargetSystem *self = PROV_TARGET_SYSTEM (object);

  if (is_text_field_prop (prop_id))
    {
      g_value_set_string (value, prov_target_system_get_text (self, PROP_FIELD (prop_id)));
      return;
    }

  switch (prop_id)
    {
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;

    case PROP_KIND_LABEL:
      g_value_set_string (value, prov_target_kind_to_label (self->kind));
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_CONNECTION_STATUS:
      g_value_set_enum (value, self->connection_status);
      break;

    /* The stored values: 0 rates mean "SAP's default". */
    case PROP_RATE_PER_MINUTE:
      g_value_set_uint (value, self->rate_per_minute);
      break;

    case PROP_RATE_PER_HOUR:
      g_value_set_uint (value, self->rate_per_hour);
      break;

    case PROP_DEPROVISION_MODE:
      g_value_set_enum (value, self->deprovision_mode);
      break;

    case PROP_REAL_TIME:
      g_value_set_boolean (value, self->real_time);
      break;

    case PROP_THRESHOLD_USERS:
      g_value_set_uint (value, self->threshold_users);
      break;

    case PROP_THRESHOLD_PERCENT:
      g_value_set_uint (value, self->threshold_percent);
      break;

    case PROP_VERSION:
      g_value_set_enum (value, self->version);
      break;

    case PROP_AUTH_MECHANISM:
      g_value_set_enum (value, self->auth_mechanism);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_target_system_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ProvTargetSystem *self = PROV_TARGET_SYSTEM (object);

  if (is_text_field_prop (prop_id))
    {
      prov_target_system_set_text (self, PROP_FIELD (prop_id), g_value_get_string (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_UUID:
      /* Construct-only; NULL means a new target. */
      self->uuid = g_value_dup_string (value);
      if (self->uuid == NULL)
        self->uuid = g_uuid_string_random ();
      break;

    case PROP_KIND:
      prov_target_system_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_RATE_PER_MINUTE:
      prov_target_system_set_rate_per_minute (self, g_value_get_uint (value));
      break;

    case PROP_RATE_PER_HOUR:
      prov_target_system_set_rate_per_hour (self, g_value_get_uint (value));
      break;

    case PROP_DEPROVISION_MODE:
      prov_target_system_set_deprovision_mode (self, g_value_get_enum (value));
      break;

    case PROP_REAL_TIME:
      prov_target_system_set_real_time (self, g_value_get_boolean (value));
      break;

    case PROP_THRESHOLD_USERS:
      prov_target_system_set_threshold_users (self, g_value_get_uint (value));
      break;

    case PROP_THRESHOLD_PERCENT:
      prov_target_system_set_threshold_percent (self, g_value_get_uint (value));
      break;

    case PROP_VERSION:
      prov_target_system_set_version (self, g_value_get_enum (value));
      break;

    case PROP_AUTH_MECHANISM:
      prov_target_system_set_auth_mechanism (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
text_field_pspec (ProvField field)
{
  return g_param_spec_string (field_info[field].key, NULL, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
prov_target_system_class_init (ProvTargetSystemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prov_target_system_finalize;
  object_class->get_property = prov_target_system_get_property;
  object_class->set_property = prov_target_system_set_property;

  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND_LABEL] =
    g_param_spec_string ("kind-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       PROV_TYPE_TARGET_KIND, PROV_TARGET_KIND_SAP_JAM,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_VERSION] =
    g_param_spec_enum ("version", NULL, NULL,
                       PROV_TYPE_SCIM_VERSION, PROV_SCIM_VERSION_2,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_AUTH_MECHANISM] =
    g_param_spec_enum ("auth-mechanism", NULL, NULL,
                       PROV_TYPE_AUTH_MECHANISM, PROV_AUTH_MECHANISM_BASIC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Every text field is a string property of its key's name. */
  for (ProvField field = 0; field < PROV_N_FIELDS; field++)
    if (prov_field_is_text (field))
      properties[FIELD_PROP (field)] = text_field_pspec (field);

  properties[PROP_RATE_PER_MINUTE] =
    g_param_spec_uint ("rate-per-minute", NULL, NULL, 0, PROV_MAX_RATE_PER_MINUTE, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_PER_HOUR] =
    g_param_spec_uint ("rate-per-hour", NULL, NULL, 0, PROV_MAX_RATE_PER_HOUR, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEPROVISION_MODE] =
    g_param_spec_enum ("deprovision-mode", NULL, NULL,
                       PROV_TYPE_DEPROVISION_MODE, PROV_DEPROVISION_DEACTIVATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THRESHOLD_USERS] =
    g_param_spec_uint ("threshold-users", NULL, NULL, 0, G_MAXINT32, PROV_DEFAULT_THRESHOLD_USERS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Off for a new object and for targets saved before the setting
   * existed; front ends turn it on for targets people add. */
  properties[PROP_REAL_TIME] =
    g_param_spec_boolean ("real-time", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THRESHOLD_PERCENT] =
    g_param_spec_uint ("threshold-percent", NULL, NULL, 0, 100, PROV_DEFAULT_THRESHOLD_PERCENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CONNECTION_STATUS] =
    g_param_spec_enum ("connection-status", NULL, NULL,
                       PROV_TYPE_CONNECTION_STATUS, PROV_CONNECTION_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prov_target_system_init (ProvTargetSystem *self)
{
  self->deprovision_mode = PROV_DEPROVISION_DEACTIVATE;
  self->threshold_users = PROV_DEFAULT_THRESHOLD_USERS;
  self->threshold_percent = PROV_DEFAULT_THRESHOLD_PERCENT;
  self->kind = PROV_TARGET_KIND_SAP_JAM;
  self->version = PROV_SCIM_VERSION_2;
  self->auth_mechanism = PROV_AUTH_MECHANISM_BASIC;
}

ProvTargetSystem *
prov_target_system_new (ProvTargetKind kind)
{
  return g_object_new (PROV_TYPE_TARGET_SYSTEM,
                       "kind", kind,
                       NULL);
}

ProvTargetSystem *
prov_target_system_new_with_uuid (const char *uuid)
{
  return g_object_new (PROV_TYPE_TARGET_SYSTEM, "uuid", uuid, NULL);
}

ProvTargetSystem *
prov_target_system_copy (ProvTargetSystem *self)
{
  ProvTargetSystem *copy;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);

  copy = prov_target_system_new_with_uuid (self->uuid);
  prov_target_system_assign (copy, self);
  return copy;
}

/* Takes every field of @from, keeping @self's identity (uuid). */
void
prov_target_system_assign (ProvTargetSystem *self,
                           ProvTargetSystem *from)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (from));

  if (self == from)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  prov_target_system_set_kind (self, from->kind);
  prov_target_system_set_version (self, from->version);
  prov_target_system_set_auth_mechanism (self, from->auth_mechanism);

  /* The token URL goes last so the URL's automatic default does not win. */
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (prov_field_is_text (i) && i != PROV_FIELD_TOKEN_URL)
      prov_target_system_set_text (self, i, from->text[i]);
  prov_target_system_set_text (self, PROV_FIELD_TOKEN_URL, from->text[PROV_FIELD_TOKEN_URL]);

  g_clear_pointer (&self->unknown_members, json_object_unref);
  if (from->unknown_members != NULL)
    self->unknown_members = json_object_ref (from->unknown_members);

  prov_target_system_set_rate_per_minute (self, from->rate_per_minute);
  prov_target_system_set_rate_per_hour (self, from->rate_per_hour);
  prov_target_system_set_deprovision_mode (self, from->deprovision_mode);
  prov_target_system_set_threshold_users (self, from->threshold_users);
  prov_target_system_set_threshold_percent (self, from->threshold_percent);
  prov_target_system_set_real_time (self, from->real_time);

  g_object_thaw_notify (G_OBJECT (self));
}

/* Equal as a person would see it: the same visible values. */
gboolean
prov_target_system_equal (ProvTargetSystem *self,
                          ProvTargetSystem *other)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), FALSE);
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (other), FALSE);

  if (self->kind != other->kind ||
      self->rate_per_minute != other->rate_per_minute ||
      self->rate_per_hour != other->rate_per_hour ||
      self->deprovision_mode != other->deprovision_mode ||
      self->threshold_users != other->threshold_users ||
      self->threshold_percent != other->threshold_percent ||
      self->real_time != other->real_time)
    return FALSE;

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (!prov_target_system_field_is_visible (self, i))
        continue;

      if (i == PROV_FIELD_VERSION)
        {
          if (self->version != other->version)
            return FALSE;
        }
      else if (i == PROV_FIELD_AUTH_MECHANISM)
        {
          if (self->auth_mechanism != other->auth_mechanism)
            return FALSE;
        }
      else if (prov_field_is_text (i) &&
               g_strcmp0 (self->text[i], other->text[i]) != 0)
        return FALSE;
    }

  return TRUE;
}

const char *
prov_target_system_get_uuid (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  return self->uuid;
}

const char *
prov_target_system_get_display_name (ProvTargetSystem *self)
{
  return prov_target_system_get_text (self, PROV_FIELD_DISPLAY_NAME);
}

void
prov_target_system_set_display_name (ProvTargetSystem *self,
                                     const char       *display_name)
{
  prov_target_system_set_text (self, PROV_FIELD_DISPLAY_NAME, display_name);
}

const char *
prov_target_system_get_url (ProvTargetSystem *self)
{
  return prov_target_system_get_text (self, PROV_FIELD_URL);
}

void
prov_target_system_set_url (ProvTargetSystem *self,
                            const char       *url)
{
  prov_target_system_set_text (self, PROV_FIELD_URL, url);
}

ProvTargetKind
prov_target_system_get_kind (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), 0);
  return self->kind;
}

const char *
prov_target_system_get_kind_label (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  return prov_target_kind_to_label (self->kind);
}

void
prov_target_system_set_kind (ProvTargetSystem *self,
                             ProvTargetKind    kind)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  g_return_if_fail (kind <= PROV_TARGET_KIND_IDENTITY_PROVISIONING);

  if (self->kind == kind)
    return;

  self->kind = kind;
  notify_field (self, PROV_FIELD_KIND);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND_LABEL]);

  if (kind == PROV_TARGET_KIND_SAP_JAM &&
      self->text[PROV_FIELD_TOKEN_URL] == NULL)
    {
      g_autofree char *token_url = prov_target_system_dup_default_token_url (self);
      prov_target_system_set_text (self, PROV_FIELD_TOKEN_URL, token_url);
    }
}

ProvScimVersion
prov_target_system_get_version (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), PROV_SCIM_VERSION_2);
  return self->version;
}

void
prov_target_system_set_version (ProvTargetSystem *self,
                                ProvScimVersion   version)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  g_return_if_fail (version == PROV_SCIM_VERSION_1 || version == PROV_SCIM_VERSION_2);

  if (self->version == version)
    return;

  self->version = version;
  notify_field (self, PROV_FIELD_VERSION);
}

ProvAuthMechanism
prov_target_system_get_auth_mechanism (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), PROV_AUTH_MECHANISM_BASIC);

  /* SAP Jam only speaks OAuth client credentials. */
  if (self->kind == PROV_TARGET_KIND_SAP_JAM)
    return PROV_AUTH_MECHANISM_OAUTH;
  return self->auth_mechanism;
}

void
prov_target_system_set_auth_mechanism (ProvTargetSystem  *self,
                                       ProvAuthMechanism  mechanism)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  g_return_if_fail (mechanism <= PROV_AUTH_MECHANISM_OAUTH);

  if (self->auth_mechanism == mechanism)
    return;

  self->auth_mechanism = mechanism;
  notify_field (self, PROV_FIELD_AUTH_MECHANISM);
}

/* Stores a provisioning setting, telling only about a change. */
static void
set_setting (ProvTargetSystem *self,
             guint            *field,
             guint             value,
             guint             prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

guint
prov_target_system_get_rate_per_minute (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), 0);

  if (self->rate_per_minute != 0)
    return self->rate_per_minute;
  return self->kind == PROV_TARGET_KIND_SAP_JAM ? PROV_JAM_REQUESTS_PER_MINUTE
                                                : PROV_IPS_REQUESTS_PER_MINUTE;
}

void
prov_target_system_set_rate_per_minute (ProvTargetSystem *self,
                                        guint             per_minute)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  set_setting (self, &self->rate_per_minute, per_minute, PROP_RATE_PER_MINUTE);
}

guint
prov_target_system_get_rate_per_hour (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), 0);

  if (self->rate_per_hour != 0)
    return self->rate_per_hour;
  /* Identity Provisioning publishes no hourly limit. */
  return self->kind == PROV_TARGET_KIND_SAP_JAM ? PROV_JAM_REQUESTS_PER_HOUR : 0;
}

void
prov_target_system_set_rate_per_hour (ProvTargetSystem *self,
                                      guint             per_hour)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  set_setting (self, &self->rate_per_hour, per_hour, PROP_RATE_PER_HOUR);
}

ProvDeprovisionMode
prov_target_system_get_deprovision_mode (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), PROV_DEPROVISION_DEACTIVATE);
  return self->deprovision_mode;
}

void
prov_target_system_set_deprovision_mode (ProvTargetSystem    *self,
                                         ProvDeprovisionMode  mode)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  if (self->deprovision_mode == mode)
    return;
  self->deprovision_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPROVISION_MODE]);
}

gboolean
prov_target_system_get_real_time (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), FALSE);
  return self->real_time;
}

void
prov_target_system_set_real_time (ProvTargetSystem *self,
                                  gboolean          real_time)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));

  real_time = !!real_time;
  if (self->real_time == real_time)
    return;
  self->real_time = real_time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REAL_TIME]);
}

guint
prov_target_system_get_threshold_users (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), 0);
  return self->threshold_users;
}

void
prov_target_system_set_threshold_users (ProvTargetSystem *self,
                                        guint             users)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  set_setting (self, &self->threshold_users, users, PROP_THRESHOLD_USERS);
}

guint
prov_target_system_get_threshold_percent (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), 0);
  return self->threshold_percent;
}

void
prov_target_system_set_threshold_percent (ProvTargetSystem *self,
                                          guint             percent)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  percent = MIN (percent, 100);
  set_setting (self, &self->threshold_percent, percent, PROP_THRESHOLD_PERCENT);
}

ProvConnectionStatus
prov_target_system_get_connection_status (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), PROV_CONNECTION_STATUS_UNKNOWN);
  return self->connection_status;
}

const char *
prov_target_system_get_connection_message (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  return self->connection_message;
}

GDateTime *
prov_target_system_get_connection_time (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  return self->connection_time;
}

static void
set_connection_status (ProvTargetSystem     *self,
                       ProvConnectionStatus  status,
                       const char           *message,
                       GDateTime            *time)
{
  g_free (self->connection_message);
  self->connection_message = g_strdup (message);
  g_clear_pointer (&self->connection_time, g_date_time_unref);
  if (status != PROV_CONNECTION_STATUS_UNKNOWN)
    self->connection_time = time ? g_date_time_to_local (time) : g_date_time_new_now_local ();
  self->connection_status = status;

  /* Always notify: the same status at a new time is news too. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATUS]);
}

void
prov_target_system_set_connection_status (ProvTargetSystem     *self,
                                          ProvConnectionStatus  status,
                                          const char           *message)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));

  set_connection_status (self, status, message, NULL);
}

void
prov_target_system_restore_connection_status (ProvTargetSystem     *self,
                                              ProvConnectionStatus  status,
                                              const char           *message,
                                              GDateTime            *time)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));
  g_return_if_fail (time != NULL);

  set_connection_status (self, status, message, time);
}

gboolean
prov_target_system_field_is_visible (ProvTargetSystem *self,
                                     ProvField         field)
{
  gboolean jam;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), FALSE);

  jam = self->kind == PROV_TARGET_KIND_SAP_JAM;

  switch (field)
    {
    case PROV_FIELD_DISPLAY_NAME:
    case PROV_FIELD_KIND:
    case PROV_FIELD_URL:
    case PROV_FIELD_CA_FILE:
      return TRUE;

    case PROV_FIELD_VERSION:
    case PROV_FIELD_AUTH_MECHANISM:
      return !jam;

    case PROV_FIELD_USERNAME:
    case PROV_FIELD_PASSWORD:
      return !jam && self->auth_mechanism == PROV_AUTH_MECHANISM_BASIC;

    case PROV_FIELD_COMMON_NAME:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
      return !jam && self->auth_mechanism == PROV_AUTH_MECHANISM_CERTIFICATE;

    case PROV_FIELD_TOKEN_URL:
    case PROV_FIELD_CLIENT_ID:
    case PROV_FIELD_CLIENT_SECRET:
      return jam || self->auth_mechanism == PROV_AUTH_MECHANISM_OAUTH;

    case PROV_N_FIELDS:
    default:
      return FALSE;
    }
}


gboolean
prov_target_system_import_client_certificate (ProvTargetSystem  *self,
                                              GBytes            *data,
                                              GError           **error)
{
  g_autofree char *certificate_pem = NULL;
  char *key_pem = NULL;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!prov_client_certificate_import (data,
                                       prov_target_system_get_text (self, PROV_FIELD_CERTIFICATE_PASSWORD),
                                       &certificate_pem, &key_pem, error))
    return FALSE;

  prov_target_system_take_client_certificate (self, certificate_pem, key_pem);
  return TRUE;
}

void
prov_target_system_take_client_certificate (ProvTargetSystem *self,
                                            const char       *certificate_pem,
                                            char             *key_pem)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));

  prov_target_system_set_text (self, PROV_FIELD_CLIENT_CERTIFICATE, certificate_pem);
  prov_target_system_set_text (self, PROV_FIELD_CERTIFICATE_KEY, key_pem);
  if (key_pem != NULL)
    {
      memset (key_pem, 0, strlen (key_pem));
      g_free (key_pem);
    }
}
