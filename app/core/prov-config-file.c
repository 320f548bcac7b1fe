/* prov-config-file.c — reading and writing the app's own files safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prov-config-file.h"
#include "prov-error.h"

/* As the kernel's own limit on nested symlinks. */
#define MAX_LINKS 40

static char *
stamp_from_stat (const struct stat *st)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ".%09ld",
                          (guint64) st->st_dev, (guint64) st->st_ino, (gint64) st->st_size,
                          (gint64) st->st_mtim.tv_sec, (long) st->st_mtim.tv_nsec);
}

char *
prov_config_file_stamp (const char *path)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  if (stat (path, &st) != 0)
    return g_strdup (PROV_CONFIG_FILE_ABSENT);
  return stamp_from_stat (&st);
}

char *
prov_config_file_resolve (const char *path)
{
  g_autofree char *current = g_strdup (path);

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < MAX_LINKS; i++)
    {
      g_autofree char *target = NULL;
      struct stat st;

      if (lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        break;

      target = g_file_read_link (current, NULL);
      if (target == NULL)
        break;
      if (!g_path_is_absolute (target))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          g_autofree char *joined = g_build_filename (dir, target, NULL);

          g_free (target);
          target = g_canonicalize_filename (joined, NULL);
        }
      g_free (current);
      current = g_steal_pointer (&target);
    }

  return g_steal_pointer (&current);
}

GBytes *
prov_config_file_read (const char  *path,
                       gsize        max_size,
                       char       **stamp,
                       GError     **error)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize length = 0;
  gsize capacity;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* Non-blocking, so that a FIFO put in place of the file cannot hang the
   * open; it is refused below like every other non-regular file. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("“%s” cannot be opened (%s)."), path, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("“%s” cannot be read (%s)."), path, g_strerror (saved_errno));
      return NULL;
    }

  if (S_ISDIR (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder, not a file."), path);
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file."), path);
      return NULL;
    }

  if ((guint64) st.st_size > max_size)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("“%s” is too large (over %u KiB)."), path, (guint) (max_size / 1024));
      return NULL;
    }

  /* Sized by the file, grown if it grows while read, never past one byte
   * more than allowed (enough to tell it is too large). */
  capacity = (gsize) st.st_size + 1;
  data = g_malloc (capacity);
  while (length <= max_size)
    {
      gssize n;

      if (length == capacity)
        {
          capacity = MIN (capacity * 2, max_size + 1);
          data = g_realloc (data, capacity);
        }
      n = read (fd, data + length, capacity - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("“%s” cannot be read (%s)."), path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }
  close (fd);

  if (length > max_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("“%s” is too large (over %u KiB)."), path, (guint) (max_size / 1024));
      return NULL;
    }

  if (stamp != NULL)
    *stamp = stamp_from_stat (&st);
  return g_bytes_new_take (g_realloc (g_steal_pointer (&data), MAX (length, 1)), length);
}

gboolean
prov_config_file_write (const char  *path,
                        GBytes      *bytes,
                        const char  *expected_stamp,
                        char       **new_stamp,
                        GError     **error)
{
  g_autofree char *real = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length;
  struct stat st;
  int dir_fd;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  /* Renaming over a symlink would replace the link with a file. */
  real = prov_config_file_resolve (path);
  dir = g_path_get_dirname (real);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("the folder “%s” cannot be created (%s)"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("the folder “%s” cannot be opened (%s)"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* Other instances take the same lock; it goes with the descriptor. */
  while (flock (dir_fd, LOCK_EX) != 0 && errno == EINTR)
    ;

  if (stat (real, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   "%s is a directory", real);
      goto out;
    }

  if (expected_stamp != NULL)
    {
      g_autofree char *current = prov_config_file_stamp (real);

      if (!g_str_equal (current, expected_stamp))
        {
          g_debug ("%s changed on disk: expected “%s”, found “%s”", real, expected_stamp, current);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
                       "%s was changed by another program", real);
          goto out;
        }
    }

  data = g_bytes_get_data (bytes, &length);
  if (!g_file_set_contents_full (real, data ? data : "", length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", prov_error_file_reason (local_error));
      goto out;
    }

  if (new_stamp != NULL)
    *new_stamp = prov_config_file_stamp (real);
  ok = TRUE;

out:
  close (dir_fd);
  return ok;
}

char *
prov_config_file_move_aside (const char  *path,
                             GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  /* Two failures within a second must not clobber each other. */
  for (guint i = 1; g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, i);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&aside);
}

char *
prov_config_file_state_path (const char *state_dir,
                             const char *folder,
                             const char *target_uuid,
                             const char *suffix)
{
  g_autofree char *name = g_strconcat (target_uuid, suffix, NULL);

  if (state_dir != NULL)
    return g_build_filename (state_dir, folder, name, NULL);
  return g_build_filename (g_get_user_state_dir (), BASE_APP_ID, folder, name, NULL);
}
