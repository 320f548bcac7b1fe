/* prov-certificate-import.h — one way to import a client certificate, for
 * both forms (a target system, the source of users)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "prov-target-system.h"

G_BEGIN_DECLS

/* Asks over @widget's window for a PEM or PKCS#12 file, reads it and
 * imports it into @target (its Certificate Password opens a PKCS#12
 * file): the certificate and its private key replace @target's. A chooser
 * closed without a file is G_IO_ERROR_CANCELLED; any other error's
 * message is a sentence for people. */
void     prov_import_client_certificate_async  (GtkWidget            *widget,
                                                ProvTargetSystem     *target,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean prov_import_client_certificate_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
