/* prov-connection-banner.h — the result of Test Connection, where it is read
 *
 * A card above the target's form. While a test runs it shows a spinner and
 * Cancel; when the result arrives it shows SAP's sentence (success or the
 * reason of the failure) and moves the focus to its Dismiss button, so that
 * a screen reader announces it. A new result replaces the previous one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PROV_CONNECTION_BANNER_HIDDEN,
  PROV_CONNECTION_BANNER_TESTING,
  PROV_CONNECTION_BANNER_SUCCESS,
  PROV_CONNECTION_BANNER_FAILURE,
} ProvConnectionBannerState;

#define PROV_TYPE_CONNECTION_BANNER (prov_connection_banner_get_type ())
G_DECLARE_FINAL_TYPE (ProvConnectionBanner, prov_connection_banner, PROV, CONNECTION_BANNER, GtkWidget)

ProvConnectionBannerState  prov_connection_banner_get_state    (ProvConnectionBanner *self);
const char                *prov_connection_banner_get_text     (ProvConnectionBanner *self);
void                       prov_connection_banner_show_testing (ProvConnectionBanner *self);
/* Shows @sentence as the outcome and moves the focus to Dismiss. */
void                       prov_connection_banner_show_result  (ProvConnectionBanner *self,
                                                                gboolean              success,
                                                                const char           *sentence);
void                       prov_connection_banner_clear        (ProvConnectionBanner *self);

G_END_DECLS
