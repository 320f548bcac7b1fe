/* prov-users-window.h — the source's users: search, pick, provision
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "prov-target-service.h"

G_BEGIN_DECLS

#define PROV_TYPE_USERS_WINDOW (prov_users_window_get_type ())
G_DECLARE_FINAL_TYPE (ProvUsersWindow, prov_users_window, PROV, USERS_WINDOW, AdwWindow)

/* The scenario "selected users to all target systems". */
ProvUsersWindow *prov_users_window_new (GtkWindow         *parent,
                                        ProvTargetService *service);

G_END_DECLS
