/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-ui-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "carnet-credentials.h"
#include "carnet-resources.h"
#include "carnet-shared-machine.h"

void
carnet_ui_label_editable_row (AdwPreferencesRow *row,
                              const char        *label)
{
  GtkEditable *delegate;
  const char *title;

  g_return_if_fail (ADW_IS_PREFERENCES_ROW (row));
  g_return_if_fail (GTK_IS_EDITABLE (row));

  title = label != NULL ? label : adw_preferences_row_get_title (row);
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  if (delegate != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    -1);
}

void
carnet_ui_ensure_resources (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      carnet_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
carnet_ui_dispose_children (GtkWidget *widget,
                            GType      widget_type)
{
  GtkWidget *child;

  gtk_widget_dispose_template (widget, widget_type);

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

void
carnet_ui_secret_free (CarnetUiSecret *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
stored_update_list_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  const char *host = g_object_get_data (G_OBJECT (task), "host");
  const char *login = g_object_get_data (G_OBJECT (task), "login");
  const char *password = g_task_get_task_data (task);

  accounts = carnet_credentials_list_finish (result, &error);
  if (accounts == NULL)
    return;

  for (guint i = 0; i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->host, host) && g_str_equal (account->login, login))
        {
          /* The remembered password must follow the change, or the next
           * automatic login would be refused. */
          carnet_credentials_store_async (host, login, password, NULL, NULL, NULL);
          return;
        }
    }
}

void
carnet_ui_update_stored_password (const char *host,
                                  const char *login,
                                  const char *password)
{
  GTask *task;

  g_return_if_fail (host != NULL && login != NULL && password != NULL);

  /* A shared machine never reads nor writes the keyring. */
  if (carnet_shared_machine_is_enabled ())
    return;

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_object_set_data_full (G_OBJECT (task), "host", g_strdup (host), g_free);
  g_object_set_data_full (G_OBJECT (task), "login", g_strdup (login), g_free);
  g_task_set_task_data (task, g_strdup (password), (GDestroyNotify) carnet_credentials_free_password);
  carnet_credentials_list_async (NULL, stored_update_list_cb, task);
}

static CarnetUiLauncher test_launcher;
static gpointer test_launcher_data;

void
carnet_ui_set_launcher_for_testing (CarnetUiLauncher launcher,
                                    gpointer         user_data)
{
  test_launcher = launcher;
  test_launcher_data = user_data;
}

void
carnet_ui_show_uri (GtkWidget  *widget,
                    const char *uri)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  if (test_launcher != NULL)
    {
      test_launcher (uri, test_launcher_data);
      return;
    }

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

char *
carnet_ui_write_private_file (GBytes      *bytes,
                              const char  *basename,
                              GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *path = NULL;
  const char *data;
  gsize length;
  int fd;

  g_return_val_if_fail (bytes != NULL && basename != NULL, NULL);

  /* A folder only this user can enter, in the session's runtime folder
   * (tmpfs, gone at logout), else in the temporary folder. */
  template = g_build_filename (g_get_user_runtime_dir (), "carnet-XXXXXX", NULL);
  dir = g_mkdtemp_full (template, 0700);
  if (dir == NULL)
    {
      g_clear_pointer (&template, g_free);
      dir = g_dir_make_tmp ("carnet-XXXXXX", error);
      if (dir == NULL)
        return NULL;
    }
  else
    template = NULL; /* g_mkdtemp_full() returned it */
  g_chmod (dir, 0700);

  path = g_build_filename (dir, basename, NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", path, g_strerror (saved));
      g_rmdir (dir);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "%s: %s", path, g_strerror (saved));
          close (fd);
          g_unlink (path);
          g_rmdir (dir);
          return NULL;
        }
      data += written;
      length -= written;
    }
  close (fd);

  return g_steal_pointer (&path);
}

void
carnet_ui_remove_private_file (const char *path)
{
  g_autofree char *dir = NULL;

  if (path == NULL)
    return;

  dir = g_path_get_dirname (path);
  g_unlink (path);
  g_rmdir (dir);
}
