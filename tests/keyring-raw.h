/* keyring-raw.h — the keyring's items, looked at past the code under test
 *
 * The schema of Provisioner's items written out again, so that a test
 * checks what the keyring holds independently of ProvSecretStore: a
 * target's one item (generation 2, a JSON object of its secret fields),
 * items of the earlier per-field format (generation 1), and counts.
 * Every call waits on the main context (test-helpers.h), so a window or
 * the test peer keeps running meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "prov-target-system.h"

G_BEGIN_DECLS

/* The value of @field in @uuid's item, or NULL. Free with g_free(). */
char  *keyring_raw_lookup      (const char  *uuid,
                                ProvField    field);

/* Sets @field of @uuid's item to @secret, keeping its other fields. */
void   keyring_raw_set         (const char  *uuid,
                                ProvField    field,
                                const char  *secret);

/* Writes @text as @uuid's item, whatever it is. */
void   keyring_raw_store_text  (const char  *uuid,
                                const char  *text);

/* An item of the per-field format, as an earlier version wrote it. */
void   keyring_raw_store_old   (const char  *uuid,
                                ProvField    field,
                                const char  *secret);

/* Items of @uuid of @generation ("1", "2"; NULL: any), and the label of
 * one of them in @label (when not NULL); G_MAXUINT when the keyring
 * changed under the search. */
guint  keyring_raw_try_count   (const char  *uuid,
                                const char  *generation,
                                char       **label);

/* The same, failing the test on an error. */
guint  keyring_raw_count       (const char  *uuid,
                                const char  *generation,
                                char       **label);

G_END_DECLS
