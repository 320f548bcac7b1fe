/* prov-config-file.h — reading and writing the app's own files safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A stamp of a file's state on disk (device, inode, size, mtime in ns).
 * An atomic save gives the file a new inode, so every save by anyone
 * changes the stamp. PROV_CONFIG_FILE_ABSENT stands for "no file". */
#define PROV_CONFIG_FILE_ABSENT ""

/* Reads @path whole. Only a regular file (or a symlink to one) is read:
 * a folder, a FIFO or a device (/dev/zero) is refused before any byte is
 * read, as is a file over @max_size bytes. @stamp (optional) gets the
 * file's stamp. A missing file is G_IO_ERROR_NOT_FOUND; the others are
 * G_IO_ERROR_IS_DIRECTORY, G_IO_ERROR_NOT_REGULAR_FILE,
 * G_IO_ERROR_MESSAGE_TOO_LARGE or an I/O error, each with a translated
 * sentence naming the file. */
GBytes   *prov_config_file_read     (const char  *path,
                                     gsize        max_size,
                                     char       **stamp,
                                     GError     **error);

/* The stamp of @path now (following symlinks); PROV_CONFIG_FILE_ABSENT
 * when there is no file. */
char     *prov_config_file_stamp    (const char  *path);

/* Writes @bytes atomically (a temporary file, synced, renamed over the old
 * one) with mode 0600. A symlink is written through: the file it points to
 * is replaced and the link stays. When @expected_stamp is not NULL, the
 * file must still have that stamp (PROV_CONFIG_FILE_ABSENT: must not
 * exist), otherwise nothing is written and the error is
 * G_IO_ERROR_WRONG_ETAG: another program changed it. The check and the
 * rename happen under an advisory lock on the folder, so two instances of
 * the app cannot both pass the check. @new_stamp (optional) gets the stamp
 * of what was written. Errors are G_IO_ERROR ones with a raw message. */
gboolean  prov_config_file_write    (const char  *path,
                                     GBytes      *bytes,
                                     const char  *expected_stamp,
                                     char       **new_stamp,
                                     GError     **error);

/* @path with every symlink along the final component followed; @path
 * itself when it is no symlink. */
char     *prov_config_file_resolve  (const char  *path);

/* Where the app keeps what it knows of a target between runs:
 * <@state_dir or the user's state folder/APP_ID>/@folder/@target_uuid@suffix.
 * @state_dir (tests) replaces the app's own state folder. */
char     *prov_config_file_state_path (const char  *state_dir,
                                       const char  *folder,
                                       const char  *target_uuid,
                                       const char  *suffix);

/* Renames a file we cannot use to <path>.corrupt-<local time>[-N], so that
 * nothing overwrites it; returns the new name. */
char     *prov_config_file_move_aside (const char  *path,
                                       GError     **error);

G_END_DECLS
