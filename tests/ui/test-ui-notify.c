/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ENT's news as desktop notifications, for real: this test owns
 * org.gtk.Notifications on the private session bus (what GNOME Shell owns;
 * GLib 2.74's GApplication picks its "gtk" notification backend when that
 * name has an owner, ggtknotificationbackend.c) and records what Carnet's
 * application sends there. An item published on the test ENT arrives as a
 * French notification within the polling interval; its default action,
 * called the way the shell calls it (org.freedesktop.Application on the
 * application's id), shows the « Actualités » pane; the session expiring
 * while polling notifies nothing and stops the polling; a shared machine
 * writes nothing of it under $HOME; "notify-in-background" keeps polling
 * after the window is closed.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "carnet-application.h"
#include "carnet-news-watch.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS          30000
#define INTERVAL_MS         500
#define POLL_PATH           "/timeline/lastNotifications"
#define APP_PATH            "/io/github/carnet/Carnet"

#define FR_ADDRESS          "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE    "Se connecter"
#define FR_LOGIN            "Identifiant"
#define FR_PASSWORD         "Mot de passe"
#define FR_NEW_ON_ENT       "Nouveauté sur l’ENT"

#define MESSAGE_HTML \
  "La sortie au musée est <b>reportée</b> à jeudi &amp; <span foreground=\"red\">vendredi</span>."
#define MESSAGE_TEXT "La sortie au musée est reportée à jeudi & vendredi."

static CarnetTestEnt *ent;
static CarnetApplication *app;
static GDBusConnection *bus;

/* --- The notification server ------------------------------------------------------ */

typedef struct
{
  char *app_id;
  char *id;
  char *title;
  char *body;
  char *default_action;
  gint64 received;  /* monotonic µs */
} Received;

static GPtrArray *received;

static void
received_free (gpointer data)
{
  Received *r = data;

  g_free (r->app_id);
  g_free (r->id);
  g_free (r->title);
  g_free (r->body);
  g_free (r->default_action);
  g_free (r);
}

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) data = NULL;
      Received *r = g_new0 (Received, 1);

      g_variant_get (parameters, "(ss@a{sv})", &r->app_id, &r->id, &data);
      g_variant_lookup (data, "title", "s", &r->title);
      g_variant_lookup (data, "body", "s", &r->body);
      g_variant_lookup (data, "default-action", "s", &r->default_action);
      r->received = g_get_monotonic_time ();
      g_test_message ("Notification %s: « %s » « %s »", r->id, r->title, r->body);
      g_ptr_array_add (received, r);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_error ("Could not own %s on the test's session bus", name);
}

static gboolean
flag_set_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
start_notification_server (void)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gboolean owned = FALSE;

  info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                name_acquired_cb, name_lost_cb, &owned, NULL);
  carnet_test_ui_wait_until (flag_set_cb, &owned, TIMEOUT_MS, "org.gtk.Notifications");
}

/* --- Helpers ------------------------------------------------------------------------- */

static void
set_settings (gboolean shared,
              gboolean background)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_boolean (settings, "shared-machine", shared);
  g_settings_set_boolean (settings, "notify-in-background", background);
  /* The keyring is not this test's business. */
  g_settings_set_boolean (settings, "remember-credentials", FALSE);
  g_settings_sync ();
}

static GtkWidget *
log_in (void)
{
  GtkWidget *window = GTK_WIDGET (carnet_window_new (GTK_APPLICATION (app), NULL,
                                                     carnet_test_ent_get_ca_file (ent)));

  gtk_window_set_default_size (GTK_WINDOW (window), 560, 900);
  carnet_test_ui_present (window);
  carnet_test_ui_type_into (window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (window, FR_ADDRESS);
  carnet_test_ui_wait_for_control (window, FR_LOG_IN_CHOICE, TIMEOUT_MS);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_IN_CHOICE));
  carnet_test_ui_wait_for_page (window, "login", TIMEOUT_MS);
  carnet_test_ui_type_into (window, FR_LOGIN, "karim.benali");
  carnet_test_ui_type_into (window, FR_PASSWORD, "Cartable2026");
  carnet_test_ui_press_enter (window, FR_PASSWORD);
  carnet_test_ui_wait_for_page (window, "account", TIMEOUT_MS);

  return window;
}

static gboolean
first_page_cb (gpointer user_data)
{
  CarnetNewsWatch *watch = carnet_window_get_news_watch (user_data);

  return watch != NULL && carnet_news_watch_get_items (watch) != NULL;
}

/* The window's watch, polling every INTERVAL_MS, its first page read. */
static CarnetNewsWatch *
watch_polling (GtkWidget *window)
{
  CarnetNewsWatch *watch = carnet_window_get_news_watch (CARNET_WINDOW (window));

  g_assert_nonnull (watch);
  g_assert_true (carnet_news_watch_get_running (watch));
  /* The default is 5 minutes. */
  g_assert_cmpuint (carnet_news_watch_get_interval (watch), ==, 5 * 60 * 1000);
  carnet_news_watch_set_interval (watch, INTERVAL_MS);
  carnet_test_ui_wait_until (first_page_cb, window, TIMEOUT_MS, "the first page of news");

  return watch;
}

static char *
publish (const char *html)
{
  return carnet_test_ent_publish_notification (ent, "karim.benali", "NEWS", "NEWS-PUBLISHED",
                                               "Sophie Lefèvre", NULL, html, 0);
}

static guint received_target;

static gboolean
received_cb (gpointer user_data)
{
  return received->len >= received_target;
}

static Received *
wait_for_notification (void)
{
  received_target = received->len + 1;
  carnet_test_ui_wait_until (received_cb, NULL, TIMEOUT_MS, "a desktop notification");

  return g_ptr_array_index (received, received->len - 1);
}

/* Calls the application's action @name the way GNOME Shell does for a
 * notification's default action: on the bus, at the application's id. */
static gboolean activated;

static void
activate_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_assert_no_error (error);
  activated = TRUE;
}

static void
activate_as_shell (const char *action)
{
  activated = FALSE;
  g_dbus_connection_call (bus, APP_ID, APP_PATH, "org.freedesktop.Application", "ActivateAction",
                          g_variant_new ("(s@av@a{sv})", action,
                                         g_variant_new_array (G_VARIANT_TYPE_VARIANT, NULL, 0),
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                          NULL, G_DBUS_CALL_FLAGS_NONE, TIMEOUT_MS, NULL, activate_done_cb, NULL);
  carnet_test_ui_wait_until (flag_set_cb, &activated, TIMEOUT_MS, "the action's call");
}

static gboolean
news_pane_shown_cb (gpointer user_data)
{
  GtkWidget *stack = carnet_test_ui_find_by_type (user_data, ADW_TYPE_VIEW_STACK);

  return stack != NULL && gtk_widget_get_visible (user_data) &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), "news") == 0;
}

static char *
seen_file (void)
{
  return g_build_filename (g_get_user_state_dir (), "carnet", "news-seen.ini", NULL);
}

/* --- Tests --------------------------------------------------------------------------- */

/* A new item: one notification, in French, plain text, within the polling
 * interval; clicked, the window shows it on the « Actualités » pane. What
 * was seen is kept under the user's state folder. */
static void
test_new_item (void)
{
  g_autofree char *id = NULL;
  g_autofree char *path = seen_file ();
  g_autofree char *contents = NULL;
  GtkWidget *window;
  Received *r;
  gint64 published;

  carnet_test_ent_reset (ent);
  set_settings (FALSE, FALSE);
  window = log_in ();
  watch_polling (window);
  /* The first page is what the ENT already had: no notification. */
  g_assert_cmpuint (received->len, ==, 0);

  published = g_get_monotonic_time ();
  id = publish (MESSAGE_HTML);
  r = wait_for_notification ();
  /* The test ENT shows an item once its clock is past its date: the poll
   * that follows the publication, or the next. */
  g_assert_cmpint (r->received - published, <, (2 * INTERVAL_MS + 2000) * 1000);

  g_assert_cmpstr (r->app_id, ==, APP_ID);
  g_assert_cmpstr (r->title, ==, FR_NEW_ON_ENT);
  g_assert_cmpstr (r->body, ==, "Sophie Lefèvre : " MESSAGE_TEXT);
  g_assert_null (strchr (r->body, '<'));
  g_assert_cmpstr (r->default_action, ==, "app.show-news");

  /* Clicked: the « Actualités » pane, with the item. */
  g_assert_false (news_pane_shown_cb (window));
  activate_as_shell ("show-news");
  carnet_test_ui_wait_until (news_pane_shown_cb, window, TIMEOUT_MS, "the « Actualités » pane");
  carnet_test_ui_wait_for_label (window, MESSAGE_TEXT, TIMEOUT_MS);
  g_free (carnet_test_ui_save_screenshot (window, "notify-news-pane"));

  /* Seen, per account, on disk. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "karim.benali"));
  g_assert_nonnull (strstr (contents, id));

  carnet_test_ui_destroy (window);
  g_assert_cmpint (g_remove (path), ==, 0);
}

static gboolean
watch_stopped_cb (gpointer user_data)
{
  return !carnet_news_watch_get_running (user_data);
}

static gboolean
done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The session expiring while polling: nothing is notified and the polling
 * stops (a poll after it would only fail again). */
static void
test_session_expired (void)
{
  g_autofree char *id = NULL;
  CarnetNewsWatch *watch;
  GtkWidget *window;
  gboolean waited = FALSE;
  guint polls;
  guint notified;

  carnet_test_ent_reset (ent);
  set_settings (FALSE, FALSE);
  window = log_in ();
  watch = watch_polling (window);
  notified = received->len;

  carnet_test_ent_expire_sessions (ent);
  id = publish ("Sortie scolaire annulée.");
  carnet_test_ui_wait_until (watch_stopped_cb, watch, TIMEOUT_MS, "the polling to stop");
  polls = carnet_test_ent_count_requests (ent, POLL_PATH);

  /* Four intervals: no poll, no notification (nothing to wait for). */
  g_timeout_add (4 * INTERVAL_MS, done_cb, &waited);
  carnet_test_ui_wait_until (flag_set_cb, &waited, TIMEOUT_MS, "four intervals");
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, POLL_PATH), ==, polls);
  g_assert_cmpuint (received->len, ==, notified);

  carnet_test_ui_destroy (window);
  g_remove (seen_file ());
}

static gboolean
no_window_cb (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

/* Every file under @path, into @files. */
static void
list_files (const char *path,
            GPtrArray  *files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        list_files (child, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

/* A shared machine: the news are notified while the window is open, but
 * nothing of them is written under $HOME, the switch is off and
 * insensitive, and closing the window ends everything (no background). */
static void
test_shared_machine (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  g_autofree char *path = seen_file ();
  GtkWidget *window;
  Received *r;

  carnet_test_ent_reset (ent);
  /* Even with the key on: a shared machine never keeps Carnet running. */
  set_settings (TRUE, TRUE);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "notify-in-background"));
  g_assert_false (g_variant_get_boolean (g_action_group_get_action_state (G_ACTION_GROUP (app),
                                                                         "notify-in-background")));
  window = log_in ();
  watch_polling (window);

  id = publish (MESSAGE_HTML);
  r = wait_for_notification ();
  g_assert_cmpstr (r->body, ==, "Sophie Lefèvre : " MESSAGE_TEXT);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  list_files (g_get_home_dir (), files);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (g_ptr_array_index (files, i), &contents, &length, NULL))
        continue;
      if (g_strstr_len (contents, length, id) != NULL || g_strstr_len (contents, length, "news-seen") != NULL)
        g_error ("%s keeps the news on a shared machine", (char *) g_ptr_array_index (files, i));
    }

  /* Closing logs out and the window goes, news and all. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  carnet_test_ui_wait_until (no_window_cb, &window, TIMEOUT_MS, "the window to go");
  set_settings (FALSE, FALSE);
}

/* The session expiring with the window in the background: nobody can give
 * the password again, nothing is polled any more: the window goes (and
 * with it the application's hold), without a notification. */
static void
test_background_expired (void)
{
  g_autofree char *id = NULL;
  GtkWidget *window;
  guint notified;

  carnet_test_ent_reset (ent);
  set_settings (FALSE, TRUE);
  window = log_in ();
  watch_polling (window);
  notified = received->len;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  g_assert_false (gtk_widget_get_visible (window));

  carnet_test_ent_expire_sessions (ent);
  id = publish ("Rappel : photo de classe demain.");
  carnet_test_ui_wait_until (no_window_cb, &window, TIMEOUT_MS, "the hidden window to go");
  g_assert_cmpuint (received->len, ==, notified);

  set_settings (FALSE, FALSE);
  g_remove (seen_file ());
}

/* "notify-in-background" (the menu's switch): closing the window while
 * logged in hides it; the news are still polled and notified; the
 * notification brings the window back on the « Actualités » pane; quitting
 * ends it. Last: app.quit marks the application as ending. */
static void
test_background (void)
{
  g_autofree char *id = NULL;
  GtkWidget *window;
  Received *r;

  carnet_test_ent_reset (ent);
  set_settings (FALSE, FALSE);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "notify-in-background"));
  g_action_group_change_action_state (G_ACTION_GROUP (app), "notify-in-background",
                                      g_variant_new_boolean (TRUE));
  g_assert_true (carnet_application_get_notify_in_background (app));

  window = log_in ();
  watch_polling (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  g_assert_false (gtk_widget_get_visible (window));
  g_assert_true (carnet_news_watch_get_running (carnet_window_get_news_watch (CARNET_WINDOW (window))));

  id = publish ("Les bulletins du trimestre sont en ligne.");
  r = wait_for_notification ();
  g_assert_cmpstr (r->body, ==, "Sophie Lefèvre : Les bulletins du trimestre sont en ligne.");

  activate_as_shell ("show-news");
  carnet_test_ui_wait_until (news_pane_shown_cb, window, TIMEOUT_MS, "the window on « Actualités »");
  carnet_test_ui_wait_for_label (window, "Les bulletins du trimestre sont en ligne.", TIMEOUT_MS);

  /* Closed again, then quit: gone for good. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  activate_as_shell ("quit");
  carnet_test_ui_wait_until (no_window_cb, &window, TIMEOUT_MS, "the window to go");

  set_settings (FALSE, FALSE);
  g_remove (seen_file ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  carnet_test_ui_init (&argc, &argv);

  received = g_ptr_array_new_with_free_func (received_free);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  /* Before the application sends anything: GApplication picks its
   * notification backend at its first notification. */
  start_notification_server ();

  ent = carnet_test_ent_start ();
  set_settings (FALSE, FALSE);
  /* Carnet's application as carnet_application_new() makes it. (Its
   * registration waits about 25 s on the test bus: GTK 4.8's start-up asks
   * for the desktop portal, which does not answer there.) */
  app = carnet_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/ui/notify/new-item", test_new_item);
  g_test_add_func ("/ui/notify/session-expired", test_session_expired);
  g_test_add_func ("/ui/notify/shared-machine", test_shared_machine);
  g_test_add_func ("/ui/notify/background-expired", test_background_expired);
  g_test_add_func ("/ui/notify/background", test_background);

  status = g_test_run ();

  carnet_test_ent_stop (ent);
  g_ptr_array_unref (received);

  return status;
}
