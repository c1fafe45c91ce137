/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-application.h"

#include <stdlib.h>

#include <signal.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "carnet-ent-directory.h"
#include "carnet-shared-machine.h"
#include "carnet-ui-private.h"
#include "carnet-window.h"

/* How much of an item's text a desktop notification shows. */
#define NEWS_TEXT_CHARS        200
#define NEWS_SUMMARY_ITEMS     3
#define NEWS_SUMMARY_CHARS     80

struct _CarnetApplication
{
  AdwApplication parent_instance;

  char *ent_url;
  char *ca_file;

  /* SIGTERM, SIGHUP, SIGINT: the windows close as with Ctrl+Q, so that a
   * shared machine's session is logged out (within its bound). */
  guint signal_ids[3];
  guint ending : 1;
  /* Asked to end (Ctrl+Q, a signal, the desktop session): the windows
   * close for good, none stays in the background. */
  guint quitting : 1;

  GSettings *settings;
  /* Owning the application id's name on the session bus (see startup). */
  guint name_id;
};

G_DEFINE_FINAL_TYPE (CarnetApplication, carnet_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "ent-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The ENT address, as printed on the school’s letter"), N_("ADDRESS") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Trust only the certificate authorities in this PEM file (for tests and private ENTs)"), N_("FILE") },
  { "directory", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Search the ENTs of this JSON file instead of the built-in list (for tests and school labs)"), N_("FILE") },
  { NULL }
};

CarnetApplication *
carnet_application_new (void)
{
  return g_object_new (CARNET_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", RESOURCE_PREFIX,
                       /* For "query-end" (GTK 4.22 always registers). */
                       "register-session", TRUE,
                       NULL);
}

static int
carnet_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  CarnetApplication *self = CARNET_APPLICATION (application);
  const char *ent_url = NULL;
  const char *ca_file = NULL;
  const char *directory = NULL;

  if (g_variant_dict_lookup (options, "ent-url", "&s", &ent_url))
    {
      g_free (self->ent_url);
      self->ent_url = g_strdup (ent_url);
    }

  if (g_variant_dict_lookup (options, "ca-file", "^&ay", &ca_file))
    {
      g_free (self->ca_file);
      /* Relative to where carnet was started, not to wherever GTK later runs. */
      self->ca_file = g_canonicalize_filename (ca_file, NULL);
    }

  /* The directory of ENTs the welcome page searches. A file that cannot be
   * read is said at once, rather than a search that finds nothing. */
  if (g_variant_dict_lookup (options, "directory", "^&ay", &directory))
    {
      g_autofree char *path = g_canonicalize_filename (directory, NULL);
      const GError *error;

      carnet_ent_directory_set_default_file (path);
      error = carnet_ent_directory_get_default_error ();
      if (error != NULL)
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  return -1;
}

static void
carnet_application_activate (GApplication *application)
{
  CarnetApplication *self = CARNET_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window == NULL)
    window = GTK_WINDOW (carnet_window_new (GTK_APPLICATION (application),
                                            self->ent_url,
                                            self->ca_file));

  gtk_window_present (window);
}

static void
close_windows (GtkApplication *application)
{
  GList *windows = gtk_application_get_windows (application);

  /* Closing rather than g_application_quit(): on a shared machine a window
   * logs out of the ENT when it closes, and the application ends with its
   * last window. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  CARNET_APPLICATION (user_data)->quitting = TRUE;
  close_windows (GTK_APPLICATION (user_data));
}

/* The window, even one closed into the background (hidden, not gone). */
static CarnetWindow *
find_window (GtkApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (application);
  GList *windows;

  if (CARNET_IS_WINDOW (window))
    return CARNET_WINDOW (window);
  for (windows = gtk_application_get_windows (application); windows != NULL; windows = windows->next)
    if (CARNET_IS_WINDOW (windows->data))
      return CARNET_WINDOW (windows->data);

  return NULL;
}

/* A desktop notification's default action: the window (shown again if it
 * was closed into the background) on the « Actualités » pane. */
static void
show_news_activated_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  CarnetWindow *window = find_window (GTK_APPLICATION (user_data));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (user_data));
      return;
    }
  gtk_window_present (GTK_WINDOW (window));
  carnet_window_show_news (window);
}

/* The switch of the primary menu follows the "notify-in-background" key;
 * off and insensitive on a shared machine (nothing runs on after the
 * window there) or when the key is locked. */
static void
settings_changed_cb (CarnetApplication *self,
                     const char        *key,
                     GSettings         *settings)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "notify-in-background");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (carnet_application_get_notify_in_background (self)));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                               self->settings != NULL && !carnet_shared_machine_is_enabled () &&
                               g_settings_is_writable (self->settings, "notify-in-background"));
}

static void
notify_in_background_change_state_cb (GSimpleAction *action,
                                      GVariant      *value,
                                      gpointer       user_data)
{
  CarnetApplication *self = CARNET_APPLICATION (user_data);

  if (self->settings == NULL || carnet_shared_machine_is_enabled ())
    return;
  /* The state follows the key (settings_changed_cb). */
  g_settings_set_boolean (self->settings, "notify-in-background", g_variant_get_boolean (value));
}

/* Asked to end from outside: a service manager or a lab's script (SIGTERM),
 * the terminal going away (SIGHUP), Ctrl+C (SIGINT). As Ctrl+Q: the
 * windows close, and on a shared machine each first logs out of the ENT,
 * within CARNET_WINDOW_CLOSE_LOGOUT_SECONDS. A second signal ends at once. */
static gboolean
end_signal_cb (gpointer user_data)
{
  CarnetApplication *self = CARNET_APPLICATION (user_data);

  if (self->ending)
    {
      g_debug ("Asked again to end: quitting now");
      g_application_quit (G_APPLICATION (self));
      return G_SOURCE_CONTINUE;
    }

  g_debug ("Asked to end: closing the windows");
  self->ending = TRUE;
  self->quitting = TRUE;
  close_windows (GTK_APPLICATION (self));

  return G_SOURCE_CONTINUE;
}

/* The desktop session is ending: it is asked to wait while the windows
 * close (a shared machine's windows log out of the ENT first, bounded);
 * the inhibition goes with the process. */
static void
query_end_cb (GtkApplication *application,
              gpointer        user_data)
{
  GtkWindow *window = gtk_application_get_active_window (application);

  g_debug ("The session is ending: closing the windows");
  CARNET_APPLICATION (application)->quitting = TRUE;
  if (window != NULL)
    gtk_application_inhibit (application, window, GTK_APPLICATION_INHIBIT_LOGOUT,
                             _("Logging out of the ENT"));
  close_windows (application);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Carnet developers"), NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Carnet"),
                        "developer-name", _("The Carnet developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Activate and manage your account on your children’s school ENT, as the school’s letter describes it."),
                        "website", "https://github.com/carnet/carnet",
                        "issue-url", "https://github.com/carnet/carnet/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
carnet_application_startup (GApplication *application)
{
  CarnetApplication *self = CARNET_APPLICATION (application);
  static const GActionEntry actions[] = {
    { "quit", quit_activated_cb },
    { "about", about_activated_cb },
    { "show-news", show_news_activated_cb },
    { "notify-in-background", NULL, NULL, "false", notify_in_background_change_state_cb },
  };
  GDBusConnection *connection;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  /* Before chaining up: GtkApplication looks for gtk/help-overlay.ui (the
   * shortcuts window) and the icons under resource-base-path at startup. */
  carnet_ui_ensure_resources ();

  G_APPLICATION_CLASS (carnet_application_parent_class)->startup (application);

  self->signal_ids[0] = g_unix_signal_add (SIGTERM, end_signal_cb, self);
  self->signal_ids[1] = g_unix_signal_add (SIGHUP, end_signal_cb, self);
  self->signal_ids[2] = g_unix_signal_add (SIGINT, end_signal_cb, self);
  g_signal_connect (application, "query-end", G_CALLBACK (query_end_cb), NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   actions, G_N_ELEMENTS (actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                         "app.quit", quit_accels);
  /* window.close is GtkWindow's own action. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                         "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application),
                                         "win.show-help-overlay", help_overlay_accels);

  self->settings = carnet_settings_new ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::notify-in-background",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::shared-machine",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "writable-changed::notify-in-background",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
    }
  settings_changed_cb (self, NULL, self->settings);

  /* A desktop notification's actions come back through the application's
   * id on the session bus (GNOME Shell calls org.freedesktop.Application
   * there); Carnet is not unique, so that name is taken here: by the first
   * Carnet running, the others waiting in line for it. */
  connection = g_application_get_dbus_connection (application);
  if (connection != NULL)
    self->name_id = g_bus_own_name_on_connection (connection,
                                                  g_application_get_application_id (application),
                                                  G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  NULL, NULL, NULL, NULL);
}

gboolean
carnet_application_get_notify_in_background (CarnetApplication *self)
{
  g_return_val_if_fail (CARNET_IS_APPLICATION (self), FALSE);

  return self->settings != NULL && !carnet_shared_machine_is_enabled () &&
         g_settings_get_boolean (self->settings, "notify-in-background");
}

gboolean
carnet_application_get_quitting (CarnetApplication *self)
{
  g_return_val_if_fail (CARNET_IS_APPLICATION (self), FALSE);

  return self->quitting;
}

/* "Sophie Lefèvre : text…", at most @max_chars characters of text. */
static char *
news_line (CarnetEntNotification *item,
           guint                  max_chars)
{
  const char *sender = carnet_ent_notification_get_sender_name (item);
  const char *text = carnet_ent_notification_get_text (item);
  g_autofree char *shown = NULL;

  if (g_utf8_strlen (text, -1) > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, max_chars - 1);

      shown = g_strconcat (g_strchomp (cut), "…", NULL);
    }
  else
    shown = g_strdup (text);

  if (sender == NULL || *sender == '\0')
    return g_steal_pointer (&shown);
  /* Translators: a news item in a desktop notification: its sender, then its text. */
  return g_strdup_printf (_("%s: %s"), sender, shown);
}

void
carnet_application_notify_news (CarnetApplication *self,
                                GPtrArray         *items)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  CarnetEntNotification *first;

  g_return_if_fail (CARNET_IS_APPLICATION (self));
  g_return_if_fail (items != NULL && items->len > 0);

  first = g_ptr_array_index (items, 0);
  if (items->len == 1)
    {
      title = g_strdup (_("New on the ENT"));
      g_autofree char *line = news_line (first, NEWS_TEXT_CHARS);

      g_string_append (body, line);
    }
  else
    {
      title = g_strdup_printf (ngettext ("%u new item on the ENT", "%u new items on the ENT", items->len),
                               items->len);
      for (guint i = 0; i < items->len && i < NEWS_SUMMARY_ITEMS; i++)
        {
          g_autofree char *line = news_line (g_ptr_array_index (items, i), NEWS_SUMMARY_CHARS);

          if (i > 0)
            g_string_append_c (body, '\n');
          g_string_append (body, line);
        }
      if (items->len > NEWS_SUMMARY_ITEMS)
        g_string_append (body, "\n…");
    }

  /* Plain text only: the ENT's HTML never gets here (get_text() is the
   * ENT layer's safe text). */
  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_default_action (notification, "app.show-news");
  /* One per poll: a later one does not replace what the parent has not read. */
  id = g_strdup_printf ("news-%s", carnet_ent_notification_get_id (first));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
carnet_application_finalize (GObject *object)
{
  CarnetApplication *self = CARNET_APPLICATION (object);

  g_clear_pointer (&self->ent_url, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_handle_id (&self->name_id, g_bus_unown_name);
  g_clear_object (&self->settings);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);

  G_OBJECT_CLASS (carnet_application_parent_class)->finalize (object);
}

static void
carnet_application_class_init (CarnetApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = carnet_application_finalize;

  app_class->handle_local_options = carnet_application_handle_local_options;
  app_class->startup = carnet_application_startup;
  app_class->activate = carnet_application_activate;
}

static void
carnet_application_init (CarnetApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
}
