/* prov-source.c — where the users come from: the source object (the reading
 * of its users: prov-source-read.c; the file it lives in:
 * prov-source-file.c; its checks: prov-source-validation.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-core-enums.h"
#include "prov-source-private.h"


G_DEFINE_FINAL_TYPE (ProvSource, prov_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_CSV_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
prov_source_finalize (GObject *object)
{
  ProvSource *self = (ProvSource *)object;

  g_clear_pointer (&self->csv_path, g_free);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->file_path, g_free);
  g_clear_pointer (&self->file_stamp, g_free);

  G_OBJECT_CLASS (prov_source_parent_class)->finalize (object);
}

static void
prov_source_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ProvSource *self = PROV_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_CSV_PATH:
      g_value_set_string (value, self->csv_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_source_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ProvSource *self = PROV_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      prov_source_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_CSV_PATH:
      prov_source_set_csv_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
prov_source_class_init (ProvSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = prov_source_finalize;
  object_class->get_property = prov_source_get_property;
  object_class->set_property = prov_source_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, PROV_TYPE_SOURCE_KIND, PROV_SOURCE_KIND_TENANT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CSV_PATH] =
    g_param_spec_string ("csv-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
prov_source_init (ProvSource *self)
{
  /* The tenant connection reuses a target's fields: Identity Provisioning
   * has exactly the Basic / Certificate choice a tenant offers. */
  self->connection = prov_target_system_new (PROV_TARGET_KIND_IDENTITY_PROVISIONING);
  prov_target_system_set_auth_mechanism (self->connection, PROV_AUTH_MECHANISM_BASIC);
  prov_target_system_set_version (self->connection, PROV_SCIM_VERSION_2);
  self->time_scale = 1.0;
  self->retry_after = -1;
}

ProvSource *
prov_source_new (void)
{
  return g_object_new (PROV_TYPE_SOURCE, NULL);
}

ProvSource *
prov_source_copy (ProvSource *self)
{
  ProvSource *copy;

  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);

  copy = prov_source_new ();
  g_clear_object (&copy->connection);
  copy->connection = prov_target_system_copy (self->connection);
  copy->kind = self->kind;
  copy->csv_path = g_strdup (self->csv_path);
  copy->time_scale = self->time_scale;
  return copy;
}

void
prov_source_assign (ProvSource *self,
                    ProvSource *from)
{
  g_return_if_fail (PROV_IS_SOURCE (self));
  g_return_if_fail (PROV_IS_SOURCE (from));

  prov_target_system_assign (self->connection, from->connection);
  prov_source_set_kind (self, from->kind);
  prov_source_set_csv_path (self, from->csv_path);
}

gboolean
prov_source_equal (ProvSource *self,
                   ProvSource *other)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (PROV_IS_SOURCE (other), FALSE);

  if (self->kind != other->kind)
    return FALSE;
  if (self->kind == PROV_SOURCE_KIND_CSV)
    return g_strcmp0 (self->csv_path, other->csv_path) == 0;
  return prov_target_system_equal (self->connection, other->connection);
}

const char *
prov_source_get_uuid (ProvSource *self)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);
  return prov_target_system_get_uuid (self->connection);
}

ProvSourceKind
prov_source_get_kind (ProvSource *self)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), PROV_SOURCE_KIND_TENANT);
  return self->kind;
}

void
prov_source_set_kind (ProvSource     *self,
                      ProvSourceKind  kind)
{
  g_return_if_fail (PROV_IS_SOURCE (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
prov_source_get_csv_path (ProvSource *self)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);
  return self->csv_path ? self->csv_path : "";
}

void
prov_source_set_csv_path (ProvSource *self,
                          const char *path)
{
  g_return_if_fail (PROV_IS_SOURCE (self));

  if (path != NULL && *path == '\0')
    path = NULL;
  if (g_strcmp0 (self->csv_path, path) == 0)
    return;
  g_free (self->csv_path);
  self->csv_path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CSV_PATH]);
}

ProvTargetSystem *
prov_source_get_connection (ProvSource *self)
{
  g_return_val_if_fail (PROV_IS_SOURCE (self), NULL);
  return self->connection;
}

void
prov_source_set_time_scale (ProvSource *self,
                            double      scale)
{
  g_return_if_fail (PROV_IS_SOURCE (self));
  g_return_if_fail (scale > 0);
  self->time_scale = scale;
}
