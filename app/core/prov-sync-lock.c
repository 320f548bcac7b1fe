/* prov-sync-lock.c — one process at a time syncs a user's targets
 *
 * The window's application and `provisioner sync` (the systemd user unit,
 * a timer's --once) share the queues, the records of pushes and the
 * journals in the state directory. Two of them syncing at once would push
 * each change twice and overwrite each other's records, so the one that
 * holds this lock syncs and the others wait for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "prov-config-file.h"
#include "prov-error.h"
#include "prov-sync-lock.h"

struct _ProvSyncLock
{
  int fd;
};

static void
set_lock_error (GError     **error,
                const char  *path,
                int          errnum)
{
  g_set_error (error, PROV_ERROR, PROV_ERROR_FAILED,
               /* Translators: a file name, then why (“Permission denied”) */
               _("Real-time provisioning cannot take its lock “%s”: %s"),
               path, g_strerror (errnum));
}

ProvSyncLock *
prov_sync_lock_try (const char  *state_dir,
                    gboolean    *held_elsewhere,
                    GError     **error)
{
  g_autofree char *path = prov_config_file_state_path (state_dir, "sync", "sync", ".lock");
  g_autofree char *dir = g_path_get_dirname (path);
  ProvSyncLock *lock;
  int fd;

  *held_elsewhere = FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
    {
      set_lock_error (error, path, errno);
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;
      close (fd);
      if (saved_errno == EWOULDBLOCK)
        {
          *held_elsewhere = TRUE;
          return NULL;
        }
      set_lock_error (error, path, saved_errno);
      return NULL;
    }

  lock = g_new (ProvSyncLock, 1);
  lock->fd = fd;
  return lock;
}

void
prov_sync_lock_free (ProvSyncLock *lock)
{
  if (lock == NULL)
    return;
  /* Closing the descriptor drops the lock. */
  close (lock->fd);
  g_free (lock);
}
