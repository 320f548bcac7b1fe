/* prov-target-system.c — one target system: its fields and their validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "prov-client-certificate.h"
#include "prov-core-enums.h"
#include "prov-error.h"
#include "prov-target-system.h"

struct _ProvTargetSystem
{
  GObject            parent_instance;

  char              *uuid;
  ProvTargetKind     kind;
  ProvScimVersion    version;
  ProvAuthMechanism  auth_mechanism;
  char              *text[PROV_N_FIELDS];

  /* Members of the stored object this version does not know; written back. */
  JsonObject        *unknown_members;

  /* Provisioning settings; 0 rates mean SAP's default for the type. */
  guint              rate_per_minute;
  guint              rate_per_hour;
  ProvDeprovisionMode deprovision_mode;
  guint              threshold_users;
  guint              threshold_percent;

  ProvConnectionStatus connection_status;
  char              *connection_message;
  GDateTime         *connection_time;
};

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

static const char * const kind_keys[] = { "sap-jam", "identity-provisioning" };
static const char * const mechanism_keys[] = { "basic", "certificate", "oauth" };

#define JAM_TOKEN_PATH "/api/v1/auth/token"
#define IPS_PATH_PREFIX "/ipsproxy/service/api/v1/systems/"
#define IPS_PATH_SUFFIX "/entities/user"

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

static gboolean
field_is_pem (ProvField field)
{
  return field == PROV_FIELD_CLIENT_CERTIFICATE || field == PROV_FIELD_CERTIFICATE_KEY;
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

gboolean
prov_url_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
notify_field (ProvTargetSystem *self,
              ProvField         field)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[FIELD_PROP (field)]);
}

/* The token URL SAP Jam documents for a Jam URL, or NULL when the URL is not
 * usable yet. */
static char *
jam_token_url_for (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL || *url == '\0')
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  {
    g_autoptr(GUri) token_uri = g_uri_build (G_URI_FLAGS_NONE,
                                             g_uri_get_scheme (uri), NULL,
                                             g_uri_get_host (uri),
                                             g_uri_get_port (uri),
                                             JAM_TOKEN_PATH, NULL, NULL);
    return g_uri_to_string (token_uri);
  }
}

char *
prov_target_system_dup_default_token_url (ProvTargetSystem *self)
{
  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);

  if (self->kind != PROV_TARGET_KIND_SAP_JAM)
    return NULL;
  return jam_token_url_for (self->text[PROV_FIELD_URL]);
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

static void
prov_target_system_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ProvTargetSystem *self = PROV_TARGET_SYSTEM (object);

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

    case PROP_DISPLAY_NAME:
    case PROP_URL:
    case PROP_USERNAME:
    case PROP_PASSWORD:
    case PROP_COMMON_NAME:
    case PROP_CERTIFICATE_PASSWORD:
    case PROP_CLIENT_CERTIFICATE:
    case PROP_CERTIFICATE_KEY:
    case PROP_TOKEN_URL:
    case PROP_CLIENT_ID:
    case PROP_CLIENT_SECRET:
    case PROP_CA_FILE:
      g_value_set_string (value, prov_target_system_get_text (self, PROP_FIELD (prop_id)));
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

    case PROP_DISPLAY_NAME:
    case PROP_URL:
    case PROP_USERNAME:
    case PROP_PASSWORD:
    case PROP_COMMON_NAME:
    case PROP_CERTIFICATE_PASSWORD:
    case PROP_CLIENT_CERTIFICATE:
    case PROP_CERTIFICATE_KEY:
    case PROP_TOKEN_URL:
    case PROP_CLIENT_ID:
    case PROP_CLIENT_SECRET:
    case PROP_CA_FILE:
      prov_target_system_set_text (self, PROP_FIELD (prop_id), g_value_get_string (value));
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

  properties[PROP_DISPLAY_NAME] = text_field_pspec (PROV_FIELD_DISPLAY_NAME);
  properties[PROP_URL] = text_field_pspec (PROV_FIELD_URL);
  properties[PROP_USERNAME] = text_field_pspec (PROV_FIELD_USERNAME);
  properties[PROP_PASSWORD] = text_field_pspec (PROV_FIELD_PASSWORD);
  properties[PROP_COMMON_NAME] = text_field_pspec (PROV_FIELD_COMMON_NAME);
  properties[PROP_CERTIFICATE_PASSWORD] = text_field_pspec (PROV_FIELD_CERTIFICATE_PASSWORD);
  properties[PROP_CLIENT_CERTIFICATE] = text_field_pspec (PROV_FIELD_CLIENT_CERTIFICATE);
  properties[PROP_CERTIFICATE_KEY] = text_field_pspec (PROV_FIELD_CERTIFICATE_KEY);
  properties[PROP_CA_FILE] = text_field_pspec (PROV_FIELD_CA_FILE);

  properties[PROP_RATE_PER_MINUTE] =
    g_param_spec_uint ("rate-per-minute", NULL, NULL, 0, 1000000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_PER_HOUR] =
    g_param_spec_uint ("rate-per-hour", NULL, NULL, 0, 100000000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEPROVISION_MODE] =
    g_param_spec_enum ("deprovision-mode", NULL, NULL,
                       PROV_TYPE_DEPROVISION_MODE, PROV_DEPROVISION_DEACTIVATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THRESHOLD_USERS] =
    g_param_spec_uint ("threshold-users", NULL, NULL, 0, G_MAXINT32, PROV_DEFAULT_THRESHOLD_USERS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THRESHOLD_PERCENT] =
    g_param_spec_uint ("threshold-percent", NULL, NULL, 0, 100, PROV_DEFAULT_THRESHOLD_PERCENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CONNECTION_STATUS] =
    g_param_spec_enum ("connection-status", NULL, NULL,
                       PROV_TYPE_CONNECTION_STATUS, PROV_CONNECTION_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_URL] = text_field_pspec (PROV_FIELD_TOKEN_URL);
  properties[PROP_CLIENT_ID] = text_field_pspec (PROV_FIELD_CLIENT_ID);
  properties[PROP_CLIENT_SECRET] = text_field_pspec (PROV_FIELD_CLIENT_SECRET);

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

static ProvTargetSystem *
new_with_uuid (const char *uuid)
{
  return g_object_new (PROV_TYPE_TARGET_SYSTEM, "uuid", uuid, NULL);
}

ProvTargetSystem *
prov_target_system_copy (ProvTargetSystem *self)
{
  ProvTargetSystem *copy;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);

  copy = new_with_uuid (self->uuid);
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
      self->threshold_percent != other->threshold_percent)
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
  if (self->rate_per_minute == per_minute)
    return;
  self->rate_per_minute = per_minute;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_PER_MINUTE]);
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
  if (self->rate_per_hour == per_hour)
    return;
  self->rate_per_hour = per_hour;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_PER_HOUR]);
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
  if (self->threshold_users == users)
    return;
  self->threshold_users = users;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD_USERS]);
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
  if (self->threshold_percent == percent)
    return;
  self->threshold_percent = percent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD_PERCENT]);
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

void
prov_target_system_set_connection_status (ProvTargetSystem     *self,
                                          ProvConnectionStatus  status,
                                          const char           *message)
{
  g_return_if_fail (PROV_IS_TARGET_SYSTEM (self));

  g_free (self->connection_message);
  self->connection_message = g_strdup (message);
  g_clear_pointer (&self->connection_time, g_date_time_unref);
  if (status != PROV_CONNECTION_STATUS_UNKNOWN)
    self->connection_time = g_date_time_new_now_local ();
  self->connection_status = status;

  /* Always notify: the same status at a new time is news too. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATUS]);
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

/* Validation */

static gboolean
has_control_characters (const char *value)
{
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_surrounding_space (const char *value)
{
  gsize len = strlen (value);
  return len > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1]));
}

static gboolean
display_name_is_taken (ProvTargetSystem *self,
                       const char       *name,
                       GListModel       *others)
{
  g_autofree char *folded = NULL;
  g_autofree char *stripped = NULL;
  guint n;

  if (others == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (name));
  folded = g_utf8_casefold (stripped, -1);
  n = g_list_model_get_n_items (others);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ProvTargetSystem) other = g_list_model_get_item (others, i);
      g_autofree char *other_stripped = NULL;
      g_autofree char *other_folded = NULL;

      if (g_strcmp0 (other->uuid, self->uuid) == 0)
        continue;

      other_stripped = g_strstrip (g_strdup (prov_target_system_get_display_name (other)));
      other_folded = g_utf8_casefold (other_stripped, -1);
      if (g_strcmp0 (folded, other_folded) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Checks what every URL field needs; returns the parsed URI or a reason. */
static GUri *
check_url (const char  *value,
           char       **reason)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  /* GUri keeps spaces in a host or path as they are ("https://a.com "
   * parses), but no address has them; pasted ones are a common slip. */
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        {
          *reason = g_strdup (_("Remove the spaces from the address"));
          return NULL;
        }
    }

  uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      *reason = g_strdup (_("Enter a complete address that starts with https://"));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      if (g_ascii_strcasecmp (scheme, "http") != 0)
        {
          *reason = g_strdup (_("Enter a complete address that starts with https://"));
          return NULL;
        }
      if (!prov_url_host_is_loopback (host))
        {
          *reason = g_strdup (_("Use https://; plain http:// is allowed only for this computer"));
          return NULL;
        }
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      *reason = g_strdup (_("Remove the user name and password from the address; they belong in their own fields"));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      *reason = g_strdup (_("Remove the part after “?” or “#” from the address"));
      return NULL;
    }

  return g_steal_pointer (&uri);
}

static char *
check_jam_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  char *reason = NULL;
  const char *path;

  uri = check_url (value, &reason);
  if (uri == NULL)
    return reason;

  path = g_uri_get_path (uri);
  if (path[0] != '\0' && g_strcmp0 (path, "/") != 0)
    return g_strdup (_("Enter the SAP Jam address without a path, such as https://jam4.sapjam.com"));

  return NULL;
}

char *
prov_check_tenant_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  char *reason = NULL;
  const char *path;

  if (value == NULL || *value == '\0')
    return g_strdup (_("Required"));

  uri = check_url (value, &reason);
  if (uri == NULL)
    return reason;

  path = g_uri_get_path (uri);
  if (path[0] != '\0' && g_strcmp0 (path, "/") != 0)
    return g_strdup (_("Enter the tenant’s address without a path, such as https://mytenant.accounts.ondemand.com"));

  return NULL;
}

static char *
check_scim_url (const char *value)
{
  g_autoptr(GUri) uri = NULL;
  char *reason = NULL;
  const char *path;
  const char *system_id;
  gsize system_id_len;

  uri = check_url (value, &reason);
  if (uri == NULL)
    return reason;

  path = g_uri_get_path (uri);
  if (!g_str_has_prefix (path, IPS_PATH_PREFIX))
    goto bad_shape;

  system_id = path + strlen (IPS_PATH_PREFIX);
  {
    const char *end = strchr (system_id, '/');
    if (end == NULL)
      goto bad_shape;
    system_id_len = end - system_id;
    if (system_id_len == 0)
      goto bad_shape;
    if (g_strcmp0 (end, IPS_PATH_SUFFIX) != 0 &&
        g_strcmp0 (end, IPS_PATH_SUFFIX "/") != 0)
      goto bad_shape;
  }

  return NULL;

bad_shape:
  return g_strdup (_("Enter the SCIM URL of the system: https://<host>/ipsproxy/service/api/v1/systems/<system ID>/entities/user"));
}

/* The client certificate and its key come from Generate or Import, never
 * from typing: a problem means doing that again. */
static char *
check_pem (ProvField   field,
           const char *value)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  if (*value == '\0')
    return g_strdup (_("Generate or import a client certificate"));

  if (strlen (value) > PROV_PEM_MAX_LENGTH || !g_utf8_validate (value, -1, NULL))
    return g_strdup (_("Not a certificate in PEM format; generate or import it again"));

  if (field == PROV_FIELD_CLIENT_CERTIFICATE)
    {
      certificate = g_tls_certificate_new_from_pem (value, -1, NULL);
      if (certificate == NULL)
        return g_strdup (_("Not a certificate in PEM format; generate or import it again"));
    }
  else if (strstr (value, "PRIVATE KEY-----") == NULL)
    {
      return g_strdup (_("The private key is missing; generate or import the certificate again"));
    }

  return NULL;
}

static char *
check_ca_file (const char *value)
{
  g_autolist(GTlsCertificate) certificates = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_path_is_absolute (value))
    return g_strdup (_("Enter the full path of the file, starting with /"));

  if (!g_file_test (value, G_FILE_TEST_IS_REGULAR))
    return g_strdup (_("There is no such file"));

  certificates = g_tls_certificate_list_new_from_file (value, &error);
  if (certificates == NULL)
    return g_strdup (_("The file holds no certificate in PEM format"));

  return NULL;
}

char *
prov_target_system_check_field (ProvTargetSystem *self,
                                ProvField         field,
                                GListModel       *others)
{
  const char *value;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);
  g_return_val_if_fail (field < PROV_N_FIELDS, NULL);

  /* Choices from a drop-down cannot be wrong. */
  if (!prov_field_is_text (field))
    return NULL;

  value = prov_target_system_get_text (self, field);

  if (prov_field_is_optional (field) && *value == '\0')
    return NULL;

  if (field_is_pem (field))
    return check_pem (field, value);

  if (!prov_field_is_secret (field))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (value));
      if (*stripped == '\0')
        return g_strdup (_("Required"));
    }
  else if (*value == '\0')
    return g_strdup (_("Required"));

  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup (_("Contains characters that are not valid text"));

  /* The reason says characters, so count characters, not bytes. */
  if (g_utf8_strlen (value, -1) > PROV_FIELD_MAX_LENGTH)
    return g_strdup_printf (_("Too long: at most %d characters"), PROV_FIELD_MAX_LENGTH);

  if (has_control_characters (value))
    return g_strdup (_("Contains a line break, tab or other control character"));

  switch (field)
    {
    case PROV_FIELD_DISPLAY_NAME:
      if (display_name_is_taken (self, value, others))
        return g_strdup (_("Another target system already has this name"));
      return NULL;

    case PROV_FIELD_URL:
      if (self->kind == PROV_TARGET_KIND_SAP_JAM)
        return check_jam_url (value);
      return check_scim_url (value);

    case PROV_FIELD_TOKEN_URL:
      {
        g_autoptr(GUri) uri = NULL;
        char *reason = NULL;

        uri = check_url (value, &reason);
        return reason;
      }

    case PROV_FIELD_COMMON_NAME:
      if (g_utf8_strlen (value, -1) > PROV_COMMON_NAME_MAX_LENGTH)
        return g_strdup_printf (_("Too long: at most %d characters"), PROV_COMMON_NAME_MAX_LENGTH);
      if (has_surrounding_space (value))
        return g_strdup (_("Remove the spaces at the start or end"));
      return NULL;

    case PROV_FIELD_USERNAME:
    case PROV_FIELD_CLIENT_ID:
      if (has_surrounding_space (value))
        return g_strdup (_("Remove the spaces at the start or end"));
      return NULL;

    case PROV_FIELD_CA_FILE:
      return check_ca_file (value);

    case PROV_FIELD_PASSWORD:
    case PROV_FIELD_CERTIFICATE_PASSWORD:
    case PROV_FIELD_CLIENT_SECRET:
    case PROV_FIELD_CLIENT_CERTIFICATE:
    case PROV_FIELD_CERTIFICATE_KEY:
      return NULL;

    case PROV_FIELD_KIND:
    case PROV_FIELD_VERSION:
    case PROV_FIELD_AUTH_MECHANISM:
    case PROV_N_FIELDS:
    default:
      return NULL;
    }
}

gboolean
prov_target_system_validate (ProvTargetSystem   *self,
                             GListModel         *others,
                             char             ***reasons)
{
  g_auto(GStrv) result = NULL;
  gboolean valid = TRUE;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), FALSE);

  result = g_new0 (char *, PROV_N_FIELDS + 1);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (!prov_target_system_field_is_visible (self, i))
        continue;
      result[i] = prov_target_system_check_field (self, i, others);
      if (result[i] != NULL)
        valid = FALSE;
    }

  if (reasons != NULL)
    {
      /* A GStrv stops at its first NULL, so hand out a plain array. */
      *reasons = g_steal_pointer (&result);
    }
  else
    {
      for (guint i = 0; i < PROV_N_FIELDS; i++)
        g_free (result[i]);
      g_clear_pointer (&result, g_free);
    }

  return valid;
}

/* Serialization */

static int
index_of (const char * const *keys,
          guint               n_keys,
          const char         *key)
{
  for (guint i = 0; i < n_keys; i++)
    if (g_strcmp0 (keys[i], key) == 0)
      return i;
  return -1;
}

static gboolean
is_known_member (const char *name)
{
  if (g_strcmp0 (name, "uuid") == 0 || g_strcmp0 (name, "provisioning") == 0)
    return TRUE;
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    if (g_strcmp0 (name, field_info[i].key) == 0)
      return TRUE;
  return FALSE;
}

JsonObject *
prov_target_system_to_json (ProvTargetSystem *self)
{
  JsonObject *object;

  g_return_val_if_fail (PROV_IS_TARGET_SYSTEM (self), NULL);

  object = json_object_new ();

  if (self->unknown_members != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, self->unknown_members);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (object, name, json_node_copy (node));
    }

  json_object_set_string_member (object, "uuid", self->uuid);
  json_object_set_string_member (object, "type", kind_keys[self->kind]);

  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      if (!prov_target_system_field_is_visible (self, i) || prov_field_is_secret (i))
        continue;

      if (i == PROV_FIELD_VERSION)
        json_object_set_int_member (object, field_info[i].key, self->version);
      else if (i == PROV_FIELD_AUTH_MECHANISM)
        json_object_set_string_member (object, field_info[i].key, mechanism_keys[self->auth_mechanism]);
      else if (prov_field_is_text (i))
        {
          /* An optional field left empty is left out. */
          if (prov_field_is_optional (i) && self->text[i] == NULL)
            continue;
          json_object_set_string_member (object, field_info[i].key, prov_target_system_get_text (self, i));
        }
    }

  {
    JsonObject *provisioning = json_object_new ();

    if (self->rate_per_minute != 0)
      json_object_set_int_member (provisioning, "rate-per-minute", self->rate_per_minute);
    if (self->rate_per_hour != 0)
      json_object_set_int_member (provisioning, "rate-per-hour", self->rate_per_hour);
    json_object_set_string_member (provisioning, "deprovision",
                                   self->deprovision_mode == PROV_DEPROVISION_DELETE ? "delete" : "deactivate");
    json_object_set_int_member (provisioning, "threshold-users", self->threshold_users);
    json_object_set_int_member (provisioning, "threshold-percent", self->threshold_percent);
    json_object_set_object_member (object, "provisioning", provisioning);
  }

  return object;
}

static const char *
string_member (JsonObject  *object,
               const char  *name,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The value of “%s” is not text."), name);
      return NULL;
    }

  return json_node_get_string (node);
}

/* Reads one optional count; absent keeps the default. */
static gboolean
read_count (JsonObject  *object,
            const char  *name,
            guint        max,
            guint       *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (number = json_node_get_int (node)) < 0 || number > max)
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The value of “%s” is not a number from 0 to %u."), name, max);
      return FALSE;
    }

  *value = (guint) number;
  return TRUE;
}

static gboolean
read_provisioning (ProvTargetSystem  *self,
                   JsonObject        *object,
                   GError           **error)
{
  JsonNode *node = json_object_get_member (object, "provisioning");
  JsonObject *provisioning;
  const char *mode;
  GError *local_error = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The provisioning settings of a target system are damaged."));
      return FALSE;
    }

  provisioning = json_node_get_object (node);
  if (!read_count (provisioning, "rate-per-minute", 1000000, &self->rate_per_minute, error) ||
      !read_count (provisioning, "rate-per-hour", 100000000, &self->rate_per_hour, error) ||
      !read_count (provisioning, "threshold-users", G_MAXINT32, &self->threshold_users, error) ||
      !read_count (provisioning, "threshold-percent", 100, &self->threshold_percent, error))
    return FALSE;

  mode = string_member (provisioning, "deprovision", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (g_strcmp0 (mode, "delete") == 0)
    self->deprovision_mode = PROV_DEPROVISION_DELETE;
  else if (mode == NULL || g_strcmp0 (mode, "deactivate") == 0)
    self->deprovision_mode = PROV_DEPROVISION_DEACTIVATE;
  else
    {
      g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                   _("The deprovisioning choice “%s” is unknown."), mode);
      return FALSE;
    }

  return TRUE;
}

ProvTargetSystem *
prov_target_system_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_autoptr(ProvTargetSystem) self = NULL;
  const char *uuid;
  const char *type;
  int kind;
  GError *local_error = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  uuid = string_member (object, "uuid", &local_error);
  if (local_error == NULL && (uuid == NULL || !g_uuid_string_is_valid (uuid)))
    g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                 _("A target system has no valid identifier."));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  type = string_member (object, "type", &local_error);
  kind = index_of ((const char * const *)kind_keys, G_N_ELEMENTS (kind_keys), type);
  if (local_error == NULL && kind < 0)
    g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                 _("The target system type “%s” is unknown."), type ? type : "");
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  self = new_with_uuid (uuid);
  prov_target_system_set_kind (self, kind);

  if (json_object_has_member (object, "version"))
    {
      JsonNode *node = json_object_get_member (object, "version");
      gint64 version = JSON_NODE_HOLDS_VALUE (node) &&
                       json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : 0;

      if (version != PROV_SCIM_VERSION_1 && version != PROV_SCIM_VERSION_2)
        {
          /* The fields are not read yet: name the target from the object. */
          const char *name = string_member (object, field_info[PROV_FIELD_DISPLAY_NAME].key, NULL);

          g_set_error (error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                       _("The SCIM version of “%s” is neither 1 nor 2."),
                       name ? name : "");
          return NULL;
        }
      prov_target_system_set_version (self, (ProvScimVersion) version);
    }

  if (json_object_has_member (object, "authentication"))
    {
      const char *mechanism = string_member (object, "authentication", &local_error);
      int index = index_of ((const char * const *)mechanism_keys, G_N_ELEMENTS (mechanism_keys), mechanism);

      if (local_error == NULL && index < 0)
        g_set_error (&local_error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
                     _("The authentication mechanism “%s” is unknown."), mechanism ? mechanism : "");
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      prov_target_system_set_auth_mechanism (self, index);
    }

  /* URL before token URL, so a stored token URL wins over the default. */
  for (guint i = 0; i < PROV_N_FIELDS; i++)
    {
      const char *value;

      if (!prov_field_is_text (i) || prov_field_is_secret (i))
        continue;

      value = string_member (object, field_info[i].key, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (i == PROV_FIELD_TOKEN_URL)
        continue;
      prov_target_system_set_text (self, i, value);
    }
  /* Without a stored token URL, the default from the URL stays. */
  if (json_object_has_member (object, field_info[PROV_FIELD_TOKEN_URL].key))
    prov_target_system_set_text (self, PROV_FIELD_TOKEN_URL,
                                 string_member (object, field_info[PROV_FIELD_TOKEN_URL].key, NULL));

  if (!read_provisioning (self, object, error))
    return NULL;

  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, object);
    while (json_object_iter_next (&iter, &name, &node))
      {
        if (is_known_member (name))
          continue;
        if (self->unknown_members == NULL)
          self->unknown_members = json_object_new ();
        json_object_set_member (self->unknown_members, name, json_node_copy (node));
      }
  }

  return g_steal_pointer (&self);
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

  prov_target_system_set_text (self, PROV_FIELD_CLIENT_CERTIFICATE, certificate_pem);
  prov_target_system_set_text (self, PROV_FIELD_CERTIFICATE_KEY, key_pem);

  /* The key is secret; no copy stays behind in freed memory. */
  memset (key_pem, 0, strlen (key_pem));
  g_free (key_pem);
  return TRUE;
}
