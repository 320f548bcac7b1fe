/* prov-client-certificate.c — client certificates for mutual TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <string.h>

#include "prov-client-certificate.h"
#include "prov-config-file.h"
#include "prov-error.h"

/* GnuTLS handles are pointers to these structs; naming them lets
 * g_autoptr() free them. */
typedef struct gnutls_x509_privkey_int GnutlsPrivateKey;
typedef struct gnutls_x509_crt_int GnutlsCertificate;
typedef struct gnutls_pkcs12_int GnutlsPkcs12;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GnutlsPrivateKey, gnutls_x509_privkey_deinit)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GnutlsCertificate, gnutls_x509_crt_deinit)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GnutlsPkcs12, gnutls_pkcs12_deinit)

static char *
datum_to_string (gnutls_datum_t *datum)
{
  char *text = g_strndup ((const char *) datum->data, datum->size);
  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
  return text;
}

static gboolean
set_gnutls_error (GError     **error,
                  int          code,
                  const char  *what)
{
  g_debug ("GnuTLS %s failed: %s", what, gnutls_strerror (code));
  g_set_error (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID,
               _("The client certificate could not be created: %s."), gnutls_strerror (code));
  return FALSE;
}

/* Generation */

typedef struct
{
  char *common_name;
  char *admin_user_id;
} GenerateData;

typedef struct
{
  char *certificate_pem;
  char *key_pem;
} CertificatePair;

static void
generate_data_free (GenerateData *data)
{
  g_free (data->common_name);
  g_free (data->admin_user_id);
  g_free (data);
}

static void
certificate_pair_free (CertificatePair *pair)
{
  if (pair->key_pem != NULL)
    memset (pair->key_pem, 0, strlen (pair->key_pem));
  g_free (pair->key_pem);
  g_free (pair->certificate_pem);
  g_free (pair);
}

static gboolean
generate (const char  *common_name,
          const char  *admin_user_id,
          char       **certificate_pem,
          char       **key_pem,
          GError     **error)
{
  g_autoptr(GnutlsPrivateKey) key = NULL;
  g_autoptr(GnutlsCertificate) crt = NULL;
  g_autofree char *subject = g_strdup_printf ("%s(%s)", common_name, admin_user_id);
  gnutls_datum_t out = { NULL, 0 };
  unsigned char serial[16];
  time_t now = time (NULL);
  int ret;

  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0)) < 0)
    return set_gnutls_error (error, ret, "key generation");

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (ret = gnutls_x509_crt_set_key (crt, key)) < 0)
    return set_gnutls_error (error, ret, "certificate set-up");

  /* By OID, so parentheses, commas or plus signs need no escaping. */
  ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                       subject, strlen (subject));
  if (ret < 0)
    return set_gnutls_error (error, ret, "subject");
  ret = gnutls_x509_crt_set_issuer_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                              subject, strlen (subject));
  if (ret < 0)
    return set_gnutls_error (error, ret, "issuer");

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = g_random_int_range (0, 256);
  serial[0] &= 0x7f; /* a positive serial number */

  if ((ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0 ||
      (ret = gnutls_x509_crt_set_activation_time (crt, now - 60)) < 0 ||
      (ret = gnutls_x509_crt_set_expiration_time (crt, now + (time_t) PROV_CLIENT_CERTIFICATE_VALID_DAYS * 24 * 3600)) < 0 ||
      (ret = gnutls_x509_crt_set_basic_constraints (crt, 0, -1)) < 0 ||
      (ret = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT)) < 0 ||
      (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0)
    return set_gnutls_error (error, ret, "certificate fields");

  if ((ret = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
    return set_gnutls_error (error, ret, "signing");

  if ((ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out)) < 0)
    return set_gnutls_error (error, ret, "certificate export");
  *certificate_pem = datum_to_string (&out);

  if ((ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                GNUTLS_PKCS_PLAIN, &out)) < 0)
    {
      g_clear_pointer (certificate_pem, g_free);
      return set_gnutls_error (error, ret, "key export");
    }
  *key_pem = datum_to_string (&out);

  return TRUE;
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GenerateData *data = task_data;
  CertificatePair *pair = g_new0 (CertificatePair, 1);
  GError *error = NULL;

  if (generate (data->common_name, data->admin_user_id,
                &pair->certificate_pem, &pair->key_pem, &error))
    g_task_return_pointer (task, pair, (GDestroyNotify) certificate_pair_free);
  else
    {
      certificate_pair_free (pair);
      g_task_return_error (task, error);
    }
}

void
prov_client_certificate_generate_async (const char          *common_name,
                                        const char          *admin_user_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GenerateData *data;

  g_return_if_fail (common_name != NULL && *common_name != '\0');
  g_return_if_fail (admin_user_id != NULL && *admin_user_id != '\0');

  data = g_new0 (GenerateData, 1);
  data->common_name = g_strdup (common_name);
  data->admin_user_id = g_strdup (admin_user_id);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_client_certificate_generate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) generate_data_free);
  g_task_run_in_thread (task, generate_thread);
}

gboolean
prov_client_certificate_generate_finish (GAsyncResult  *result,
                                         char         **certificate_pem,
                                         char         **key_pem,
                                         GError       **error)
{
  CertificatePair *pair;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  pair = g_task_propagate_pointer (G_TASK (result), error);
  if (pair == NULL)
    return FALSE;

  *certificate_pem = g_steal_pointer (&pair->certificate_pem);
  *key_pem = g_steal_pointer (&pair->key_pem);
  certificate_pair_free (pair);
  return TRUE;
}

/* Import */

static gboolean
set_import_error (GError     **error,
                  const char  *message,
                  int          code)
{
  if (code < 0)
    g_debug ("Certificate import: %s", gnutls_strerror (code));
  g_set_error_literal (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID, message);
  return FALSE;
}

static gboolean
export_pair (gnutls_x509_crt_t      crt,
             gnutls_x509_privkey_t  key,
             char                 **certificate_pem,
             char                 **key_pem,
             GError               **error)
{
  gnutls_datum_t out = { NULL, 0 };
  int ret;

  if ((ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out)) < 0)
    return set_import_error (error, _("The certificate could not be read."), ret);
  *certificate_pem = datum_to_string (&out);

  if ((ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                GNUTLS_PKCS_PLAIN, &out)) < 0)
    {
      g_clear_pointer (certificate_pem, g_free);
      return set_import_error (error, _("The private key could not be read."), ret);
    }
  *key_pem = datum_to_string (&out);

  return TRUE;
}

/* The key must belong to the certificate, or every handshake fails. */
static gboolean
key_belongs_to_certificate (gnutls_x509_crt_t     crt,
                            gnutls_x509_privkey_t key)
{
  unsigned char crt_id[64], key_id[64];
  size_t crt_id_size = sizeof crt_id, key_id_size = sizeof key_id;

  return gnutls_x509_crt_get_key_id (crt, 0, crt_id, &crt_id_size) >= 0 &&
         gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size) >= 0 &&
         crt_id_size == key_id_size &&
         memcmp (crt_id, key_id, crt_id_size) == 0;
}

static gboolean
import_pkcs12 (const gnutls_datum_t  *der,
               const char            *password,
               char                 **certificate_pem,
               char                 **key_pem,
               GError               **error)
{
  g_autoptr(GnutlsPkcs12) p12 = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t *chain = NULL;
  unsigned int chain_size = 0;
  gboolean ok;
  int ret;

  if ((ret = gnutls_pkcs12_init (&p12)) < 0 ||
      (ret = gnutls_pkcs12_import (p12, der, GNUTLS_X509_FMT_DER, 0)) < 0)
    return set_import_error (error, _("The file is neither a PKCS#12 file nor PEM text with a certificate and its key."), ret);

  /* A wrong password decrypts the bags to garbage that, about once in 256
   * tries, passes the padding check and fails later, as "no certificate".
   * Only the right password verifies the MAC: ask it first. (A file
   * without a MAC, or with one GnuTLS cannot check, goes on as before.) */
  ret = gnutls_pkcs12_verify_mac (p12, password ? password : "");
  if (ret == GNUTLS_E_MAC_VERIFY_FAILED && (password == NULL || *password == '\0'))
    ret = gnutls_pkcs12_verify_mac (p12, NULL);
  if (ret == GNUTLS_E_MAC_VERIFY_FAILED)
    return set_import_error (error, _("The PKCS#12 file could not be opened: check the Certificate Password."), ret);

  ret = gnutls_pkcs12_simple_parse (p12, password ? password : "", &key, &chain, &chain_size,
                                    NULL, NULL, NULL, 0);
  if (ret < 0 && (password == NULL || *password == '\0'))
    ret = gnutls_pkcs12_simple_parse (p12, NULL, &key, &chain, &chain_size, NULL, NULL, NULL, 0);
  if (ret < 0 || chain_size == 0)
    return set_import_error (error,
                             ret == GNUTLS_E_DECRYPTION_FAILED || ret == GNUTLS_E_MAC_VERIFY_FAILED
                             ? _("The PKCS#12 file could not be opened: check the Certificate Password.")
                             : _("The PKCS#12 file holds no certificate with a private key."),
                             ret);

  ok = export_pair (chain[0], key, certificate_pem, key_pem, error);

  for (guint i = 0; i < chain_size; i++)
    gnutls_x509_crt_deinit (chain[i]);
  gnutls_free (chain);
  gnutls_x509_privkey_deinit (key);
  return ok;
}

static gboolean
import_pem (const gnutls_datum_t  *pem,
            const char            *password,
            char                 **certificate_pem,
            char                 **key_pem,
            GError               **error)
{
  g_autoptr(GnutlsCertificate) crt = NULL;
  g_autoptr(GnutlsPrivateKey) key = NULL;
  int ret;

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, pem, GNUTLS_X509_FMT_PEM)) < 0)
    return set_import_error (error, _("The file holds no certificate."), ret);

  if ((ret = gnutls_x509_privkey_init (&key)) < 0)
    return set_import_error (error, _("The private key could not be read."), ret);

  ret = gnutls_x509_privkey_import2 (key, pem, GNUTLS_X509_FMT_PEM,
                                     password && *password ? password : NULL, 0);
  if (ret < 0)
    return set_import_error (error,
                             ret == GNUTLS_E_DECRYPTION_FAILED
                             ? _("The private key could not be decrypted: check the Certificate Password.")
                             : _("The file holds a certificate but not its private key. Choose a file with both, or a PKCS#12 file."),
                             ret);

  if (!key_belongs_to_certificate (crt, key))
    return set_import_error (error, _("The private key does not belong to the certificate."), 0);

  return export_pair (crt, key, certificate_pem, key_pem, error);
}

gboolean
prov_client_certificate_import (GBytes      *data,
                                const char  *password,
                                char       **certificate_pem,
                                char       **key_pem,
                                GError     **error)
{
  gnutls_datum_t datum;
  gsize size;

  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (certificate_pem != NULL && key_pem != NULL, FALSE);

  datum.data = (unsigned char *) g_bytes_get_data (data, &size);
  datum.size = size;

  if (size == 0)
    return set_import_error (error, _("The file is empty."), 0);

  if (g_strstr_len ((const char *) datum.data, size, "-----BEGIN ") != NULL)
    return import_pem (&datum, password, certificate_pem, key_pem, error);

  return import_pkcs12 (&datum, password, certificate_pem, key_pem, error);
}

GTlsCertificate *
prov_client_certificate_load (const char  *certificate_pem,
                              const char  *key_pem,
                              GError     **error)
{
  g_autofree char *both = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;

  if (certificate_pem == NULL || *certificate_pem == '\0' ||
      key_pem == NULL || *key_pem == '\0')
    {
      g_set_error_literal (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID,
                           _("No client certificate is set up. Generate or import one."));
      return NULL;
    }

  /* The certificate lives in the configuration file and its key in the
   * keyring: they can drift apart (a new certificate saved, its key not).
   * GLib loads such a pair without complaint and the server then hangs up
   * in the handshake, which would read as "not imported at the technical
   * user"; say instead that the stored pair is unusable. */
  {
    g_autoptr(GnutlsCertificate) crt = NULL;
    g_autoptr(GnutlsPrivateKey) key = NULL;
    gnutls_datum_t crt_datum = { (unsigned char *) certificate_pem, strlen (certificate_pem) };
    gnutls_datum_t key_datum = { (unsigned char *) key_pem, strlen (key_pem) };
    int ret;

    if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
        (ret = gnutls_x509_crt_import (crt, &crt_datum, GNUTLS_X509_FMT_PEM)) < 0 ||
        (ret = gnutls_x509_privkey_init (&key)) < 0 ||
        (ret = gnutls_x509_privkey_import2 (key, &key_datum, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0 ||
        !key_belongs_to_certificate (crt, key))
      {
        g_debug ("Cannot load the client certificate: %s",
                 ret < 0 ? gnutls_strerror (ret) : "the key does not belong to the certificate");
        g_set_error_literal (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID,
                             _("The stored client certificate cannot be used. Generate or import it again."));
        return NULL;
      }
  }

  both = g_strconcat (certificate_pem, "\n", key_pem, NULL);
  certificate = g_tls_certificate_new_from_pem (both, -1, &local_error);
  if (both != NULL)
    memset (both, 0, strlen (both));

  if (certificate == NULL)
    {
      g_debug ("Cannot load the client certificate: %s", local_error->message);
      g_set_error_literal (error, PROV_ERROR, PROV_ERROR_CLIENT_CERTIFICATE_INVALID,
                           _("The stored client certificate cannot be used. Generate or import it again."));
      return NULL;
    }

  return certificate;
}

char *
prov_client_certificate_describe (const char *certificate_pem)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *subject = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autofree char *expiry = NULL;

  if (certificate_pem == NULL || *certificate_pem == '\0')
    return NULL;

  certificate = g_tls_certificate_new_from_pem (certificate_pem, -1, NULL);
  if (certificate == NULL)
    return NULL;

  subject = g_tls_certificate_get_subject_name (certificate);
  not_after = g_tls_certificate_get_not_valid_after (certificate);
  if (not_after != NULL)
    expiry = g_date_time_format (not_after, "%Y-%m-%d");

  /* Translators: a certificate subject, then a date */
  return g_strdup_printf (_("%s, valid until %s"),
                          subject ? subject : "?",
                          expiry ? expiry : "?");
}

/* Reading a certificate file */

#define MAX_FILE_SIZE (1024 * 1024)

GBytes *
prov_client_certificate_read_file (const char  *path,
                                   GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return prov_config_file_read (path, MAX_FILE_SIZE, NULL, error);
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes = prov_client_certificate_read_file (task_data, &error);

  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

void
prov_client_certificate_read_file_async (GFile               *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *path;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, prov_client_certificate_read_file_async);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      /* Translators: %s is a file's name or address */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("“%s” is not a local file."), name);
      return;
    }
  g_task_set_task_data (task, path, g_free);
  g_task_run_in_thread (task, read_file_thread);
}

GBytes *
prov_client_certificate_read_file_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
