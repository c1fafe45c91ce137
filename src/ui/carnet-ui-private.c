/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-ui-private.h"

#include <string.h>

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
