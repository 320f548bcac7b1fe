/* prov-connection-record.h — the last Test Connection of each target,
 * kept across starts
 *
 * A small state file, so that the sidebar shows after a restart (or after
 * a timer's `provisioner test --all`) which targets answered, when, and
 * why not. Each outcome is kept with a fingerprint of the target's values
 * (never of its secrets): a target changed since, here or by another
 * process, shows no outcome rather than one of other values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "prov-write-queue.h"

G_BEGIN_DECLS

/* <the user's state folder>/io.github.provisioner.Provisioner/connection-tests.json */
char     *prov_connection_record_default_path (void);

/* Sets on each target of @targets (a GListModel of ProvTargetSystem) the
 * outcome @path holds for it, with its time, when its values are still
 * those tested and the target knows of no later outcome. A missing, damaged or oversized file sets nothing (said in
 * the debug log: it only describes). */
void      prov_connection_record_apply        (GListModel  *targets,
                                               const char  *path);

/* Queues on @queue a write of the outcomes @targets have now for the
 * uuids in @changed (those this process tested, or saved with new values;
 * one it no longer has, or whose outcome is unknown, is removed). Others
 * stay as the file has them when the write runs, so that two processes
 * (the window and a timer's command) keep each other's. Atomic and
 * owner-only, after the writes queued before it;
 * prov_write_queue_flush_async() says when it is done. */
void      prov_connection_record_queue_write  (ProvWriteQueue *queue,
                                               GListModel     *targets,
                                               GHashTable     *changed,
                                               const char     *path);

G_END_DECLS
