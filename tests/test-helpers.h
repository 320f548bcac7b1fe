/* test-helpers.h — what many test programs need, written once
 *
 * Waiting for one asynchronous call on the main context (where the test
 * peer lives too), and removing a scratch folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longer than any honest answer of the keyring or the peer: a keyring
 * prompt or a request nobody answers fails the test, it does not stall. */
#define TEST_WAIT_SECONDS 60

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **)
 * @user_data, which must be NULL. */
void          got_result_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

/* Iterates the main context until *@result is set, and returns it; fails
 * the test after TEST_WAIT_SECONDS. */
GAsyncResult *wait_for      (GAsyncResult **result);

/* Removes @path, and everything under it when it is a folder. */
void          remove_tree   (const char    *path);

G_END_DECLS
