/* prov-test-certs.c — keys and certificates generated at run time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

#include "prov-test-certs.h"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs12_t, gnutls_pkcs12_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs12_bag_t, gnutls_pkcs12_bag_deinit, NULL)

/* Backdated a little so a certificate minted now is valid for a peer whose
 * clock is slightly behind. */
#define VALIDITY_BACKDATE (60 * 60)
#define VALIDITY_LENGTH   (365 * 24 * 60 * 60)
#define DAY               (24 * 60 * 60)

typedef enum
{
  KIND_CA,
  KIND_SERVER,
  KIND_CLIENT,
} CertKind;

struct _ProvTestCert
{
  grefcount              ref_count;

  gnutls_x509_crt_t      crt;
  gnutls_x509_privkey_t  key;

  char                  *cert_pem;
  char                  *key_pem;
  char                  *subject;
};

static gboolean
check (int          ret,
       const char  *what,
       GError     **error)
{
  if (ret >= 0)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "GnuTLS: %s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

/* Takes the GnuTLS-allocated datum and returns a GLib string. */
static char *
steal_datum_string (gnutls_datum_t *datum)
{
  char *str = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
  return str;
}

ProvTestCert *
prov_test_cert_ref (ProvTestCert *cert)
{
  g_return_val_if_fail (cert != NULL, NULL);

  g_ref_count_inc (&cert->ref_count);
  return cert;
}

void
prov_test_cert_unref (ProvTestCert *cert)
{
  g_return_if_fail (cert != NULL);

  if (!g_ref_count_dec (&cert->ref_count))
    return;

  g_clear_pointer (&cert->crt, gnutls_x509_crt_deinit);
  g_clear_pointer (&cert->key, gnutls_x509_privkey_deinit);
  g_free (cert->cert_pem);
  g_free (cert->key_pem);
  g_free (cert->subject);
  g_free (cert);
}

static gboolean
set_random_serial (gnutls_x509_crt_t   crt,
                   GError            **error)
{
  guint8 serial[16];

  if (!check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "random serial", error))
    return FALSE;

  /* A positive INTEGER that is never zero. */
  serial[0] &= 0x7f;
  serial[0] |= 0x01;

  return check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error);
}

static gboolean
add_alt_names (gnutls_x509_crt_t    crt,
               const char * const  *dns_names,
               const char * const  *ip_addresses,
               GError             **error)
{
  for (guint i = 0; dns_names != NULL && dns_names[i] != NULL; i++)
    {
      if (!check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
                                                        dns_names[i], strlen (dns_names[i]),
                                                        GNUTLS_FSAN_APPEND),
                  "subjectAltName DNS", error))
        return FALSE;
    }

  for (guint i = 0; ip_addresses != NULL && ip_addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip_addresses[i]);

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is not an IP address", ip_addresses[i]);
          return FALSE;
        }

      if (!check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                                        g_inet_address_to_bytes (address),
                                                        g_inet_address_get_native_size (address),
                                                        GNUTLS_FSAN_APPEND),
                  "subjectAltName IP", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_extensions (gnutls_x509_crt_t   crt,
                CertKind            kind,
                gboolean            rsa,
                GError            **error)
{
  unsigned int usage;
  const char *purpose = NULL;

  switch (kind)
    {
    case KIND_CA:
      if (!check (gnutls_x509_crt_set_basic_constraints (crt, 1, -1), "basicConstraints", error))
        return FALSE;
      usage = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
      break;

    case KIND_SERVER:
      if (!check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "basicConstraints", error))
        return FALSE;
      usage = GNUTLS_KEY_DIGITAL_SIGNATURE | (rsa ? GNUTLS_KEY_KEY_ENCIPHERMENT : 0);
      purpose = GNUTLS_KP_TLS_WWW_SERVER;
      break;

    case KIND_CLIENT:
      if (!check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "basicConstraints", error))
        return FALSE;
      usage = GNUTLS_KEY_DIGITAL_SIGNATURE | (rsa ? GNUTLS_KEY_KEY_ENCIPHERMENT : 0);
      purpose = GNUTLS_KP_TLS_WWW_CLIENT;
      break;

    default:
      g_assert_not_reached ();
    }

  if (!check (gnutls_x509_crt_set_key_usage (crt, usage), "keyUsage", error))
    return FALSE;

  if (purpose != NULL &&
      !check (gnutls_x509_crt_set_key_purpose_oid (crt, purpose, 1), "extendedKeyUsage", error))
    return FALSE;

  return TRUE;
}

static ProvTestCert *
build_cert (ProvTestCert        *issuer,
            CertKind             kind,
            const char          *subject_dn,
            const char          *common_name,
            const char * const  *dns_names,
            const char * const  *ip_addresses,
            ProvTestCertFlags    flags,
            GError             **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  gnutls_datum_t datum = { NULL, 0 };
  gboolean rsa = (flags & PROV_TEST_CERT_RSA) != 0;
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  time_t now = time (NULL);
  const char *err_pos = NULL;
  ProvTestCert *cert;
  int ret;

  if (!check (gnutls_x509_privkey_init (&key), "key", error))
    return NULL;

  if (rsa)
    ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, 2048, 0);
  else
    ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                        GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
  if (!check (ret, "generating a key", error))
    return NULL;

  if (!check (gnutls_x509_crt_init (&crt), "certificate", error) ||
      !check (gnutls_x509_crt_set_version (crt, 3), "version", error) ||
      !set_random_serial (crt, error) ||
      !check (gnutls_x509_crt_set_key (crt, key), "public key", error))
    return NULL;

  if (flags & PROV_TEST_CERT_EXPIRED)
    {
      ret = gnutls_x509_crt_set_activation_time (crt, now - 2 * DAY);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_expiration_time (crt, now - DAY);
    }
  else
    {
      ret = gnutls_x509_crt_set_activation_time (crt, now - VALIDITY_BACKDATE);
      if (ret >= 0)
        ret = gnutls_x509_crt_set_expiration_time (crt, now + VALIDITY_LENGTH);
    }
  if (!check (ret, "validity", error))
    return NULL;

  if (subject_dn != NULL)
    {
      ret = gnutls_x509_crt_set_dn (crt, subject_dn, &err_pos);
      if (ret < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Cannot parse the subject “%s” near “%s”: %s",
                       subject_dn, err_pos ? err_pos : "", gnutls_strerror (ret));
          return NULL;
        }
    }
  else if (!check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                  common_name, strlen (common_name)),
                   "subject", error))
    return NULL;

  if (!set_extensions (crt, kind, rsa, error) ||
      !add_alt_names (crt, dns_names, ip_addresses, error))
    return NULL;

  if (!check (gnutls_x509_crt_get_key_id (crt, 0, key_id, &key_id_size), "key id", error) ||
      !check (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size), "subjectKeyIdentifier", error))
    return NULL;

  if (issuer != NULL)
    {
      guint8 issuer_id[64];
      size_t issuer_id_size = sizeof issuer_id;
      unsigned int critical;

      if (!check (gnutls_x509_crt_get_subject_key_id (issuer->crt, issuer_id, &issuer_id_size, &critical),
                  "issuer key id", error) ||
          !check (gnutls_x509_crt_set_authority_key_id (crt, issuer_id, issuer_id_size),
                  "authorityKeyIdentifier", error) ||
          !check (gnutls_x509_crt_sign2 (crt, issuer->crt, issuer->key, GNUTLS_DIG_SHA256, 0),
                  "signing", error))
        return NULL;
    }
  else if (!check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "self-signing", error))
    return NULL;

  cert = g_new0 (ProvTestCert, 1);
  g_ref_count_init (&cert->ref_count);
  cert->crt = g_steal_pointer (&crt);
  cert->key = g_steal_pointer (&key);

  if (!check (gnutls_x509_crt_export2 (cert->crt, GNUTLS_X509_FMT_PEM, &datum), "exporting", error))
    goto fail;
  cert->cert_pem = steal_datum_string (&datum);

  if (!check (gnutls_x509_privkey_export2_pkcs8 (cert->key, GNUTLS_X509_FMT_PEM, NULL,
                                                 GNUTLS_PKCS_PLAIN, &datum),
              "exporting the key", error))
    goto fail;
  cert->key_pem = steal_datum_string (&datum);

  if (!check (gnutls_x509_crt_get_dn3 (cert->crt, &datum, 0), "subject", error))
    goto fail;
  cert->subject = steal_datum_string (&datum);

  return cert;

fail:
  prov_test_cert_unref (cert);
  return NULL;
}

ProvTestCert *
prov_test_cert_new_ca (const char         *subject_dn,
                       ProvTestCertFlags   flags,
                       GError            **error)
{
  g_return_val_if_fail (subject_dn != NULL, NULL);

  return build_cert (NULL, KIND_CA, subject_dn, NULL, NULL, NULL, flags, error);
}

ProvTestCert *
prov_test_cert_new_server (ProvTestCert        *issuer,
                           const char * const  *dns_names,
                           const char * const  *ip_addresses,
                           ProvTestCertFlags    flags,
                           GError             **error)
{
  const char *cn;

  g_return_val_if_fail (issuer != NULL, NULL);

  if (dns_names != NULL && dns_names[0] != NULL)
    cn = dns_names[0];
  else if (ip_addresses != NULL && ip_addresses[0] != NULL)
    cn = ip_addresses[0];
  else
    cn = "Provisioner test server";

  return build_cert (issuer, KIND_SERVER, NULL, cn, dns_names, ip_addresses, flags, error);
}

ProvTestCert *
prov_test_cert_new_client (ProvTestCert       *issuer,
                           const char         *subject_dn,
                           ProvTestCertFlags   flags,
                           GError            **error)
{
  g_return_val_if_fail (subject_dn != NULL, NULL);

  return build_cert (issuer, KIND_CLIENT, subject_dn, NULL, NULL, NULL, flags, error);
}

ProvTestCert *
prov_test_cert_new_client_with_cn (ProvTestCert       *issuer,
                                   const char         *common_name,
                                   ProvTestCertFlags   flags,
                                   GError            **error)
{
  g_return_val_if_fail (common_name != NULL, NULL);

  return build_cert (issuer, KIND_CLIENT, NULL, common_name, NULL, NULL, flags, error);
}

const char *
prov_test_cert_get_certificate_pem (ProvTestCert *cert)
{
  g_return_val_if_fail (cert != NULL, NULL);
  return cert->cert_pem;
}

const char *
prov_test_cert_get_private_key_pem (ProvTestCert *cert)
{
  g_return_val_if_fail (cert != NULL, NULL);
  return cert->key_pem;
}

const char *
prov_test_cert_get_subject (ProvTestCert *cert)
{
  g_return_val_if_fail (cert != NULL, NULL);
  return cert->subject;
}

GTlsCertificate *
prov_test_cert_to_tls_certificate (ProvTestCert  *cert,
                                   GError       **error)
{
  g_autofree char *pem = NULL;

  g_return_val_if_fail (cert != NULL, NULL);

  pem = g_strconcat (cert->cert_pem, cert->key_pem, NULL);
  return g_tls_certificate_new_from_pem (pem, -1, error);
}

gboolean
prov_test_cert_write_files (ProvTestCert  *cert,
                            const char    *cert_path,
                            const char    *key_path,
                            GError       **error)
{
  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (cert_path != NULL, FALSE);

  if (!g_file_set_contents_full (cert_path, cert->cert_pem, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;

  if (key_path != NULL &&
      !g_file_set_contents_full (key_path, cert->key_pem, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  return TRUE;
}

GBytes *
prov_test_cert_export_pkcs12 (ProvTestCert  *cert,
                              const char    *password,
                              GError       **error)
{
  g_auto(gnutls_pkcs12_t) p12 = NULL;
  g_auto(gnutls_pkcs12_bag_t) cert_bag = NULL;
  g_auto(gnutls_pkcs12_bag_t) key_bag = NULL;
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  gnutls_datum_t id;
  gnutls_datum_t out = { NULL, 0 };
  unsigned int schema = password != NULL ? GNUTLS_PKCS_PBES2_AES_256 : GNUTLS_PKCS_PLAIN;
  GBytes *bytes;
  int cert_index;
  int key_index;

  g_return_val_if_fail (cert != NULL, NULL);

  /* The shared local key id is how readers pair the key with its certificate. */
  if (!check (gnutls_x509_crt_get_key_id (cert->crt, 0, key_id, &key_id_size), "key id", error))
    return NULL;
  id.data = key_id;
  id.size = key_id_size;

  if (!check (gnutls_pkcs12_bag_init (&cert_bag), "PKCS#12 bag", error))
    return NULL;
  cert_index = gnutls_pkcs12_bag_set_crt (cert_bag, cert->crt);
  if (!check (cert_index, "PKCS#12 certificate", error) ||
      !check (gnutls_pkcs12_bag_set_key_id (cert_bag, cert_index, &id), "PKCS#12 key id", error))
    return NULL;
  if (password != NULL &&
      !check (gnutls_pkcs12_bag_encrypt (cert_bag, password, schema), "PKCS#12 encryption", error))
    return NULL;

  if (!check (gnutls_pkcs12_bag_init (&key_bag), "PKCS#12 bag", error))
    return NULL;
  key_index = gnutls_pkcs12_bag_set_privkey (key_bag, cert->key, password, schema);
  if (!check (key_index, "PKCS#12 key", error) ||
      !check (gnutls_pkcs12_bag_set_key_id (key_bag, key_index, &id), "PKCS#12 key id", error))
    return NULL;

  if (!check (gnutls_pkcs12_init (&p12), "PKCS#12", error) ||
      !check (gnutls_pkcs12_set_bag (p12, cert_bag), "PKCS#12", error) ||
      !check (gnutls_pkcs12_set_bag (p12, key_bag), "PKCS#12", error))
    return NULL;

  /* The format always carries a MAC; "no password" is an empty one. */
  if (!check (gnutls_pkcs12_generate_mac2 (p12, GNUTLS_MAC_SHA256, password != NULL ? password : ""),
              "PKCS#12 MAC", error))
    return NULL;

  if (!check (gnutls_pkcs12_export2 (p12, GNUTLS_X509_FMT_DER, &out), "PKCS#12 export", error))
    return NULL;

  bytes = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return bytes;
}

char *
prov_test_cert_export_encrypted_key (ProvTestCert  *cert,
                                     const char    *password,
                                     GError       **error)
{
  gnutls_datum_t out = { NULL, 0 };

  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (!check (gnutls_x509_privkey_export2_pkcs8 (cert->key, GNUTLS_X509_FMT_PEM, password,
                                                 GNUTLS_PKCS_PBES2_AES_256, &out),
              "exporting the key", error))
    return NULL;

  return steal_datum_string (&out);
}

/* GnuTLS escapes a value as in RFC 4514 ("Doe\\, John"); give it back as
 * it is in the certificate. */
static char *
unescape_rfc4514 (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (out, *p);
          continue;
        }

      p++;
      if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[0]) * 16 + g_ascii_xdigit_value (p[1])));
          p++;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

char *
prov_test_certs_dup_common_name (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t datum;
  char buffer[1024];
  size_t size = sizeof buffer - 1;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || gnutls_x509_crt_init (&crt) < 0)
    return NULL;

  datum.data = der->data;
  datum.size = der->len;
  if (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER) < 0)
    return NULL;

  if (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buffer, &size) < 0)
    return NULL;
  buffer[size] = '\0';

  return unescape_rfc4514 (buffer);
}
