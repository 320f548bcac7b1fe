/* prov-source-dialog.h — configures where the users come from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-http-client.h"
#include "prov-secret-store.h"
#include "prov-source.h"

G_BEGIN_DECLS

#define PROV_TYPE_SOURCE_DIALOG (prov_source_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ProvSourceDialog, prov_source_dialog, PROV, SOURCE_DIALOG, AdwWindow)

/* Edits a copy of @source; Save stores its secrets in the keyring, then
 * updates @source and writes it to @path (NULL: the default file), and
 * emits ::saved. */
ProvSourceDialog *prov_source_dialog_new (GtkWindow       *parent,
                                          ProvSource      *source,
                                          const char      *path,
                                          ProvSecretStore *secrets,
                                          ProvHttpClient  *client);

G_END_DECLS
