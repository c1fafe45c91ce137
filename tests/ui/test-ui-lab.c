/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"

/* School labs: the shared-machine mode (nothing left under the user's home
 * or in the keyring, logout after idle time and on closing), settings
 * locked by a lab technician with dconf, and the primary menu (About,
 * keyboard shortcuts). One executable, three meson tests: the GSettings
 * backend is chosen once per process.
 *   GSETTINGS_BACKEND=keyfile                      the session tests, the menu
 *   GSETTINGS_BACKEND=dconf CARNET_LAB_LOCK=address ent-url and shared-machine locked
 *   GSETTINGS_BACKEND=dconf CARNET_LAB_LOCK=remember remember-credentials locked on
 * Each process runs in a HOME of its own, made here before GLib reads it. */

#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>
#include <glib-unix.h>
#include <unistd.h>

#include "carnet-application.h"
#include "carnet-credentials.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window-private.h"

#define TIMEOUT_MS 30000

#define FR_ADDRESS          "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE    "Se connecter"
#define FR_LOGIN            "Identifiant"
#define FR_PASSWORD         "Mot de passe"
#define FR_LOG_IN_BUTTON    "Se connecter"
#define FR_LOG_OUT          "Se déconnecter"
#define FR_REMEMBER         "Se souvenir de moi"
#define FR_MENU             "Menu principal"
#define FR_SET_BY_ADMINS    "Définie par les administrateurs de cet ordinateur."
#define FR_IDLE_1_MINUTE    "Vous avez été déconnecté après 1 minute d’inactivité."
#define FR_CLEARED_1_MINUTE "Saisie effacée après 1 minute d’inactivité."

#define LOGIN    "karim.benali"
#define PASSWORD "Cartable2026"

static CarnetTestEnt *ent;
static char *home;
static GPtrArray *po_msgids;
static GPtrArray *po_msgstrs;

static void
check_page (GtkWidget  *root,
            const char *page)
{
  const char * const allowed[] = {
    "Carnet", "Parent", carnet_test_ent_get_host (ent), LOGIN, "karim.benali@example.fr",
    "Karim Benali", "KB", "Yanis Benali", "Inès Benali", "5ème C", "CM2",
    "Collège Jean Jaurès", "École élémentaire Jules Ferry",
    "Collège Jean Jaurès · École élémentaire Jules Ferry",
    "Yanis Benali, 5ème C, Collège Jean Jaurès", "Inès Benali, CM2, École élémentaire Jules Ferry",
    PACKAGE_VERSION, NULL
  };

  carnet_test_ui_assert_french (root, po_msgids, po_msgstrs, page, allowed);
  carnet_test_ui_assert_controls_named (root, page);
}

/* --- Helpers ------------------------------------------------------------------- */

static void
wait_for_label (GtkWidget  *root,
                const char *text)
{
  carnet_test_ui_wait_for_label (root, text, TIMEOUT_MS);
}

static void
wait_for_control (GtkWidget  *root,
                  const char *label)
{
  carnet_test_ui_wait_for_control (root, label, TIMEOUT_MS);
}

static void
wait_for_page (GtkWidget  *window,
               const char *name,
               guint       timeout_ms)
{
  carnet_test_ui_wait_for_page (window, name, timeout_ms);
  carnet_test_ui_wait_for_frame (window);
}

static GtkWidget *
new_window (GtkApplication *application,
            const char     *url)
{
  GtkWidget *window;

  window = GTK_WIDGET (carnet_window_new (application, url, carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 900);
  carnet_test_ui_present (window);

  return window;
}

static void
log_in (GtkWidget *window)
{
  carnet_test_ui_type_into (window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (window, FR_ADDRESS);
  wait_for_control (window, FR_LOG_IN_CHOICE);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_IN_CHOICE));
  wait_for_page (window, "login", TIMEOUT_MS);

  /* Not offered on a shared machine. */
  g_assert_null (carnet_test_ui_find_by_label (window, FR_REMEMBER));

  carnet_test_ui_type_into (window, FR_LOGIN, LOGIN);
  carnet_test_ui_type_into (window, FR_PASSWORD, PASSWORD);
  carnet_test_ui_press_enter (window, FR_PASSWORD);
  wait_for_label (window, "Compte de Karim");
  wait_for_page (window, "account", TIMEOUT_MS);
}

/* A shared machine never asks the ENT for a long-lived session. */
static void
assert_no_remember_me (void)
{
  g_autofree char *remember_me = NULL;
  gboolean seen = FALSE;

  remember_me = carnet_test_ent_get_last_login_remember_me (ent, &seen);
  g_assert_true (seen);
  g_assert_null (remember_me);
}

static void
show_pane (GtkWidget  *window,
           const char *name)
{
  GtkWidget *stack = carnet_test_ui_find_by_type (window, ADW_TYPE_VIEW_STACK);

  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
  carnet_test_ui_wait_for_frame (window);
}

static void
set_shared_machine (gboolean shared)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_boolean (settings, "shared-machine", shared);
  g_settings_set_uint (settings, "idle-logout-minutes", 1);
  g_settings_sync ();
}

static guint
logouts (void)
{
  return carnet_test_ent_count_requests (ent, "/auth/logout");
}

/* Carnet's items in the keyring of the session (gnome-keyring), for this ENT. */
static guint
keyring_items_for_ent (void)
{
  g_autoptr(GPtrArray) accounts = carnet_test_ui_keyring_list ();
  guint n = 0;

  for (guint i = 0; i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->host, carnet_test_ent_get_host (ent)))
        n++;
    }

  return n;
}

/* --- The user's home, file by file ------------------------------------------------ */

static void
snapshot_dir (GHashTable *files,
              const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        g_hash_table_insert (files, g_strdup (path), g_bytes_new_static ("(symlink)", 9));
      else if (g_file_test (path, G_FILE_TEST_IS_DIR))
        snapshot_dir (files, path);
      else if (g_file_get_contents (path, &contents, &length, NULL))
        /* Binary files too: a NUL does not hide what follows it from memmem. */
        g_hash_table_insert (files, g_strdup (path), g_bytes_new_take (contents, length));
    }
}

static GHashTable *
snapshot_home (void)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);

  snapshot_dir (files, home);

  return files;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  return data != NULL && memmem (data, length, needle, strlen (needle)) != NULL;
}

/* Fails when a file under HOME that is new or changed since @before holds
 * one of @secrets. */
static void
assert_home_keeps_nothing (GHashTable         *before,
                           const char * const *secrets)
{
  g_autoptr(GHashTable) after = snapshot_home ();
  GHashTableIter iter;
  gpointer key, value;
  guint changed = 0;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *old = g_hash_table_lookup (before, key);

      if (old != NULL && g_bytes_equal (old, value))
        continue;

      changed++;
      g_test_message ("%s under HOME: %s", old ? "Changed" : "New", (const char *) key + strlen (home));
      for (guint i = 0; secrets[i] != NULL; i++)
        if (bytes_contain (value, secrets[i]))
          g_error ("%s keeps “%s” after a session on a shared machine",
                   (const char *) key, secrets[i]);
    }

  g_test_message ("%u new or changed files under HOME, none holds the session’s data", changed);
}

/* --- Shared machine ---------------------------------------------------------------- */

static void
test_shared_session (void)
{
  g_autoptr(GHashTable) before = NULL;
  const char * const secrets[] = {
    LOGIN, PASSWORD, carnet_test_ent_get_host (ent), "127.0.0.1", "oneSessionId", "XSRF-TOKEN", NULL
  };
  g_autofree char *keyfile = NULL;
  GtkWidget *window;
  guint logouts_before;

  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);
  /* The keyfile backend really writes under this HOME. */
  keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (keyring_items_for_ent (), ==, 0);
  before = snapshot_home ();
  logouts_before = logouts ();

  window = new_window (NULL, NULL);
  /* Nobody else on the account can attach to Carnet or read its memory,
   * and no core file would hold the session. */
  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
  log_in (window);
  assert_no_remember_me ();
  g_free (carnet_test_ui_save_screenshot (window, "lab-account"));
  check_page (window, "account (shared machine)");
  show_pane (window, "children");
  wait_for_label (window, "Yanis Benali");
  show_pane (window, "profile");

  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_OUT));
  wait_for_page (window, "welcome", TIMEOUT_MS);
  g_assert_cmpuint (logouts (), ==, logouts_before + 1);

  carnet_test_ui_destroy (window);
  g_settings_sync ();

  assert_home_keeps_nothing (before, secrets);
  g_assert_cmpuint (keyring_items_for_ent (), ==, 0);
}

/* Moves the real pointer of the X server over @window, as a user would. */
static void
move_pointer (GtkWidget *window,
              int        x,
              int        y)
{
  GdkDisplay *display = gtk_widget_get_display (window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  XWarpPointer (gdk_x11_display_get_xdisplay (display), None, gdk_x11_surface_get_xid (surface),
                0, 0, 0, 0, x, y);
  XFlush (gdk_x11_display_get_xdisplay (display));
}

static void
test_idle_logout (void)
{
  GtkWidget *window;
  guint logouts_before;
  gint64 start;

  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);

  window = new_window (NULL, NULL);
  carnet_window_set_idle_seconds_for_testing (CARNET_WINDOW (window), 3);
  log_in (window);
  logouts_before = logouts ();

  /* Someone is using it: twice the idle time, the pointer moving each second. */
  start = g_get_monotonic_time ();
  for (int i = 0; g_get_monotonic_time () - start < 6 * G_USEC_PER_SEC; i++)
    {
      move_pointer (window, 100 + 20 * (i % 2), 200);
      carnet_test_ui_settle (1000);
      g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (window)), ==, "account");
    }
  g_assert_cmpuint (logouts (), ==, logouts_before);

  /* Then nobody: the session ends, the ENT is told, the next user reads why. */
  wait_for_page (window, "welcome", 10000);
  g_assert_cmpuint (logouts (), ==, logouts_before + 1);
  wait_for_label (window, FR_IDLE_1_MINUTE);
  g_free (carnet_test_ui_save_screenshot (window, "lab-idle-logout"));
  check_page (window, "welcome (after idle logout)");

  carnet_test_ui_destroy (window);
}

/* Typed on the login page, not sent, and the parent walked away: the next
 * user of the machine finds the start page, and nothing of it. */
static void
test_idle_forgets_typing (void)
{
  GtkWidget *window;
  guint requests_before;

  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);

  window = new_window (NULL, NULL);
  carnet_window_set_idle_seconds_for_testing (CARNET_WINDOW (window), 3);
  carnet_test_ui_type_into (window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (window, FR_ADDRESS);
  wait_for_control (window, FR_LOG_IN_CHOICE);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_IN_CHOICE));
  wait_for_page (window, "login", TIMEOUT_MS);
  carnet_test_ui_type_into (window, FR_LOGIN, LOGIN);
  carnet_test_ui_type_into (window, FR_PASSWORD, PASSWORD);
  requests_before = carnet_test_ent_count_requests (ent, "/auth/login");

  wait_for_page (window, "welcome", 10000);
  wait_for_label (window, FR_CLEARED_1_MINUTE);
  g_free (carnet_test_ui_save_screenshot (window, "lab-idle-cleared"));
  check_page (window, "welcome (after idle, not logged in)");
  /* Nothing was sent meanwhile. */
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/login"), ==, requests_before);

  /* Back on the login page: empty. */
  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_IN_CHOICE));
  wait_for_page (window, "login", TIMEOUT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (window, FR_LOGIN))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (window, FR_PASSWORD))), ==, "");

  carnet_test_ui_destroy (window);
}

static gboolean
is_null_cb (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
test_close_logout (void)
{
  GtkWidget *window;
  guint logouts_before;
  gint64 start;

  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);

  /* The ENT answers: the window goes at once, the ENT is told. */
  window = new_window (NULL, NULL);
  log_in (window);
  logouts_before = logouts ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (window != NULL && gtk_widget_get_visible (window));
  carnet_test_ui_wait_until (is_null_cb, &window, 5000, "the window to be destroyed");
  g_assert_cmpuint (logouts (), ==, logouts_before + 1);

  /* The ENT does not answer: closing still ends, within its bound. */
  window = new_window (NULL, NULL);
  log_in (window);
  carnet_test_ent_set_fault (ent, "/auth/logout", "latency", 20000, -1);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  start = g_get_monotonic_time ();
  gtk_window_close (GTK_WINDOW (window));
  carnet_test_ui_wait_until (is_null_cb, &window, 10000, "the window to be destroyed");
  g_assert_cmpint (g_get_monotonic_time () - start, <,
                   (CARNET_WINDOW_CLOSE_LOGOUT_SECONDS + 2) * G_USEC_PER_SEC);
  carnet_test_ent_clear_faults (ent);
}

static guint logouts_cb_target;

static gboolean
logout_received_cb (gpointer user_data)
{
  return logouts () >= logouts_cb_target;
}

/* The ENT takes its time to answer the logout (or never does): the next
 * user must not find the previous one's children on the screen meanwhile.
 * The pages are cleared first, then the ENT is told. */
static void
test_idle_logout_slow_ent (void)
{
  GtkWidget *window;
  guint logouts_before;

  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);

  /* Carnet would wait 120 s for the ENT's answer; this test waits at most
   * TIMEOUT_MS for the start page. */
  g_setenv ("CARNET_TEST_ENT_TIMEOUT", "120", TRUE);
  window = new_window (NULL, NULL);
  g_unsetenv ("CARNET_TEST_ENT_TIMEOUT");
  carnet_window_set_idle_seconds_for_testing (CARNET_WINDOW (window), 3);
  log_in (window);
  show_pane (window, "children");
  wait_for_label (window, "Yanis Benali");
  logouts_before = logouts ();
  carnet_test_ent_set_fault (ent, "/auth/logout", "latency", 600000, -1);

  wait_for_page (window, "welcome", TIMEOUT_MS);
  g_assert_null (carnet_test_ui_find_by_label (window, "Yanis Benali"));
  g_assert_null (carnet_test_ui_find_by_label (window, "Compte de Karim"));
  wait_for_label (window, FR_IDLE_1_MINUTE);
  /* And the ENT was told, even though it has not answered. */
  logouts_cb_target = logouts_before + 1;
  carnet_test_ui_wait_until (logout_received_cb, NULL, TIMEOUT_MS, "the logout to reach the ENT");
  g_free (carnet_test_ui_save_screenshot (window, "lab-idle-logout-slow-ent"));

  carnet_test_ent_clear_faults (ent);
  carnet_test_ui_destroy (window);
}

static gboolean
windows_gone_cb (gpointer user_data)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (user_data))) == 0;
}

/* Asked to end from outside (SIGTERM from a lab's script or the service
 * manager, SIGHUP when the terminal goes) or by the desktop session ending:
 * the session with the ENT does not stay open behind the process. */
static void
check_end_logs_out (const char *how,
                    int         signum)
{
  static guint n = 0;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, n++);
  /* Carnet's application as carnet_application_new() makes it, under an id
   * of its own: the test makes one per way of ending. */
  CarnetApplication *app = g_object_new (CARNET_TYPE_APPLICATION,
                                         "application-id", id,
                                         "flags", G_APPLICATION_NON_UNIQUE,
                                         "resource-base-path", RESOURCE_PREFIX,
                                         "register-session", TRUE,
                                         NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  guint logouts_before;

  g_test_message ("Ending with %s", how);
  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = new_window (GTK_APPLICATION (app), NULL);
  log_in (window);
  logouts_before = logouts ();

  if (signum != 0)
    g_assert_cmpint (raise (signum), ==, 0);
  else
    g_signal_emit_by_name (app, "query-end");

  carnet_test_ui_wait_until (windows_gone_cb, app, TIMEOUT_MS, "the window to close");
  logouts_cb_target = logouts_before + 1;
  carnet_test_ui_wait_until (logout_received_cb, NULL, TIMEOUT_MS, "the logout to reach the ENT");

  /* A registered application that never ran stays (its exported actions
   * hold it) with its signal sources: it has no window left to close, and
   * a second signal only asks it to quit, which it is not running to do. */
  g_object_unref (app);
}

static void
test_end_logs_out (void)
{
  check_end_logs_out ("SIGTERM", SIGTERM);
  check_end_logs_out ("SIGHUP", SIGHUP);
  check_end_logs_out ("SIGINT", SIGINT);
  check_end_logs_out ("the desktop session's query-end", 0);
}

/* What is in the pipe now (the window writes without blocking). */
static char *
read_pipe (int fd)
{
  GString *text = g_string_new (NULL);
  char buffer[1024];
  ssize_t n;

  while ((n = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);

  return g_string_free (text, FALSE);
}

/* Under carnet-logout-guard (tests/guard/ checks the guard itself), the
 * window tells it which session is open, and that none is after a logout. */
static void
test_guard_told (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fd_text = NULL;
  g_autofree char *told = NULL;
  g_autofree char *told_after = NULL;
  g_autofree char *expected_ca = NULL;
  g_autofree char *expected_session = NULL;
  GtkWidget *window;
  int fds[2];

  carnet_test_ent_reset (ent);
  set_shared_machine (TRUE);
  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_assert_true (g_unix_set_fd_nonblocking (fds[0], TRUE, &error));
  fd_text = g_strdup_printf ("%d", fds[1]);
  g_setenv ("CARNET_GUARD_FD", fd_text, TRUE);

  window = new_window (NULL, NULL);
  /* Taken once: a second window is not guarded twice. */
  g_assert_null (g_getenv ("CARNET_GUARD_FD"));
  log_in (window);

  told = read_pipe (fds[0]);
  expected_ca = g_strdup_printf ("ca %s\n", carnet_test_ent_get_ca_file (ent));
  expected_session = g_strdup_printf ("session %s oneSessionId=", carnet_test_ent_get_url (ent));
  g_assert_true (g_str_has_prefix (told, expected_ca));
  g_assert_nonnull (strstr (told, expected_session));
  g_assert_true (g_str_has_suffix (told, "\n"));
  g_assert_null (strstr (told, PASSWORD));

  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_OUT));
  wait_for_page (window, "welcome", TIMEOUT_MS);
  told_after = read_pipe (fds[0]);
  g_assert_cmpstr (told_after, ==, "end\n");

  carnet_test_ui_destroy (window);
  /* The window closed its end. */
  g_assert_cmpint (read (fds[0], &(char) { 0 }, 1), ==, 0);
  close (fds[0]);
}

/* --- The primary menu: About and keyboard shortcuts --------------------------------- */

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (window))
        return GTK_WINDOW (window);
    }

  return NULL;
}

static gboolean
toplevel_showing_cb (gpointer user_data)
{
  return find_toplevel (GPOINTER_TO_SIZE (user_data)) != NULL;
}

static GtkWindow *
wait_for_toplevel (GType type)
{
  GtkWindow *toplevel;

  carnet_test_ui_wait_until (toplevel_showing_cb, GSIZE_TO_POINTER (type), TIMEOUT_MS, g_type_name (type));
  toplevel = find_toplevel (type);
  carnet_test_ui_wait_for_frame (GTK_WIDGET (toplevel));

  return toplevel;
}

static void
assert_accels (GtkApplication     *application,
               const char         *action,
               const char * const *expected)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (application, action);

  g_assert_true (g_strv_equal ((const char * const *) accels, expected));
}

static void
test_menu (void)
{
  g_autoptr(CarnetApplication) app = carnet_application_new ();
  g_autoptr(GError) error = NULL;
  const char * const quit[] = { "<Control>q", NULL };
  const char * const close[] = { "<Control>w", NULL };
  const char * const shortcuts[] = { "<Control>question", NULL };
  GtkWidget *window;
  GtkWidget *button;
  GtkPopover *popover;
  GtkWindow *about;
  GtkWindow *overlay;

  set_shared_machine (FALSE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  assert_accels (GTK_APPLICATION (app), "app.quit", quit);
  assert_accels (GTK_APPLICATION (app), "window.close", close);
  assert_accels (GTK_APPLICATION (app), "win.show-help-overlay", shortcuts);

  window = new_window (GTK_APPLICATION (app), NULL);

  /* The menu, from its button in the header bar. */
  button = carnet_test_ui_get_by_label (window, FR_MENU);
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_get_mapped, popover,
                             TIMEOUT_MS, "the menu");
  carnet_test_ui_wait_for_label (GTK_WIDGET (popover), "Raccourcis clavier", TIMEOUT_MS);
  g_assert_nonnull (carnet_test_ui_find_label_text (GTK_WIDGET (popover), "Raccourcis clavier"));
  g_assert_nonnull (carnet_test_ui_find_label_text (GTK_WIDGET (popover), "À propos de Carnet"));
  g_free (carnet_test_ui_save_screenshot (GTK_WIDGET (popover), "lab-menu"));
  check_page (GTK_WIDGET (popover), "primary menu");
  gtk_popover_popdown (popover);

  /* About: Carnet's name, version and licence, over the window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Carnet");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Les développeurs de Carnet");
  g_free (carnet_test_ui_save_screenshot (GTK_WIDGET (about), "lab-about"));
  gtk_window_destroy (about);

  /* The shortcuts window, with the real accelerators. */
  g_assert_true (gtk_widget_activate_action (window, "win.show-help-overlay", NULL));
  overlay = wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_true (gtk_window_get_transient_for (overlay) == GTK_WINDOW (window));
  g_assert_nonnull (carnet_test_ui_find_label_text (GTK_WIDGET (overlay), "Quitter"));
  g_assert_nonnull (carnet_test_ui_find_label_text (GTK_WIDGET (overlay), "Revenir en arrière"));
  g_assert_nonnull (carnet_test_ui_find_label_text (GTK_WIDGET (overlay), "Fermer la fenêtre"));
  g_free (carnet_test_ui_save_screenshot (GTK_WIDGET (overlay), "lab-shortcuts"));
  gtk_window_destroy (overlay);

  /* Ctrl+W's action closes the window; Ctrl+Q's closes them all. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (gtk_widget_activate_action (window, "window.close", NULL));
  carnet_test_ui_wait_until (is_null_cb, &window, 5000, "the window to close");

  window = new_window (GTK_APPLICATION (app), NULL);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  carnet_test_ui_wait_until (is_null_cb, &window, 5000, "the window to close on quit");
}

/* --- Settings locked by the lab's technician (dconf) ------------------------------------ */

static char *dconf_dir;

/* What README.md tells a technician to do, under a temporary folder
 * instead of /etc: a profile, a keyfile database and its locks, compiled
 * with dconf. Before GLib's first GSettings. */
static void
write_dconf_lab (const char *lock)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile_dir = NULL;
  g_autofree char *locks_dir = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *locks = NULL;
  g_autofree char *path = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *db = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  dconf_dir = g_dir_make_tmp ("carnet-lab-dconf-XXXXXX", &error);
  g_assert_no_error (error);
  keyfile_dir = g_build_filename (dconf_dir, "db", "local.d", NULL);
  locks_dir = g_build_filename (keyfile_dir, "locks", NULL);
  g_assert_cmpint (g_mkdir_with_parents (locks_dir, 0755), ==, 0);

  if (g_str_equal (lock, "address"))
    {
      keys = g_strdup_printf ("[io/github/carnet/Carnet]\n"
                              "ent-url='%s'\n"
                              "shared-machine=true\n",
                              carnet_test_ent_get_host (ent));
      locks = g_strdup ("/io/github/carnet/Carnet/ent-url\n"
                        "/io/github/carnet/Carnet/shared-machine\n");
    }
  else
    {
      keys = g_strdup ("[io/github/carnet/Carnet]\n"
                       "remember-credentials=true\n");
      locks = g_strdup ("/io/github/carnet/Carnet/remember-credentials\n");
    }

  path = g_build_filename (keyfile_dir, "00-carnet", NULL);
  g_file_set_contents (path, keys, -1, &error);
  g_assert_no_error (error);
  g_free (path);
  path = g_build_filename (locks_dir, "carnet", NULL);
  g_file_set_contents (path, locks, -1, &error);
  g_assert_no_error (error);

  db = g_build_filename (dconf_dir, "db", "local", NULL);
  {
    const char *argv[] = { "dconf", "compile", db, keyfile_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                  &out, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("dconf compile failed: %s", err);
  }

  profile = g_build_filename (dconf_dir, "profile", NULL);
  g_free (keys);
  keys = g_strdup_printf ("user-db:user\nfile-db:%s\n", db);
  g_file_set_contents (profile, keys, -1, &error);
  g_assert_no_error (error);
  g_setenv ("DCONF_PROFILE", profile, TRUE);
}

static void
test_locked_address (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;
  GtkWidget *address;

  g_assert_false (g_settings_is_writable (settings, "ent-url"));
  g_assert_false (g_settings_is_writable (settings, "shared-machine"));
  g_assert_true (g_settings_get_boolean (settings, "shared-machine"));

  /* Even the command line does not replace the technician's address. */
  window = new_window (NULL, "https://autre-ent.example.fr");
  address = carnet_test_ui_get_by_label (window, FR_ADDRESS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address)), ==, carnet_test_ent_get_host (ent));
  g_assert_false (gtk_widget_is_sensitive (address));
  g_assert_nonnull (carnet_test_ui_find_label_text (window, FR_SET_BY_ADMINS));

  /* The preset address is the one used: checked with the ENT at once. */
  wait_for_control (window, FR_LOG_IN_CHOICE);
  g_assert_cmpstr (carnet_ent_client_get_host (carnet_window_get_client (CARNET_WINDOW (window))), ==,
                   carnet_test_ent_get_host (ent));
  g_free (carnet_test_ui_save_screenshot (window, "lab-locked-address"));
  check_page (window, "welcome (address locked)");

  /* And the forced shared machine: remember-me is not offered. */
  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_IN_CHOICE));
  wait_for_page (window, "login", TIMEOUT_MS);
  g_assert_null (carnet_test_ui_find_by_label (window, FR_REMEMBER));

  carnet_test_ui_destroy (window);
}

static void
test_locked_remember (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window;
  GtkWidget *remember;

  g_assert_false (g_settings_is_writable (settings, "remember-credentials"));

  window = new_window (NULL, carnet_test_ent_get_url (ent));
  wait_for_control (window, FR_LOG_IN_CHOICE);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, FR_LOG_IN_CHOICE));
  wait_for_page (window, "login", TIMEOUT_MS);

  /* The administrators' choice, shown and not changeable. */
  remember = carnet_test_ui_get_by_label (window, FR_REMEMBER);
  g_assert_true (GTK_IS_SWITCH (remember));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (remember)));
  g_assert_false (gtk_widget_is_sensitive (remember));
  g_free (carnet_test_ui_save_screenshot (window, "lab-locked-remember"));
  check_page (window, "login (remember-me locked)");

  carnet_test_ui_destroy (window);
}

/* --- Main ------------------------------------------------------------------------- */

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *backend = g_getenv ("GSETTINGS_BACKEND");
  const char *lock = g_getenv ("CARNET_LAB_LOCK");
  g_autoptr(GError) error = NULL;
  int ret;

  /* A HOME of its own, set before anything reads it: what is found there
   * afterwards was written by this process. */
  home = g_dir_make_tmp ("carnet-lab-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  {
    const struct { const char *var, *dir; } xdg[] = {
      { "XDG_CONFIG_HOME", ".config" }, { "XDG_DATA_HOME", ".local/share" },
      { "XDG_CACHE_HOME", ".cache" }, { "XDG_STATE_HOME", ".local/state" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
      {
        g_autofree char *dir = g_build_filename (home, xdg[i].dir, NULL);

        g_setenv (xdg[i].var, dir, TRUE);
      }
  }

  g_assert_nonnull (backend);
  ent = carnet_test_ent_start ();
  if (g_str_equal (backend, "dconf"))
    {
      g_assert_nonnull (lock);
      write_dconf_lab (lock);
    }

  carnet_test_ui_init (&argc, &argv);
  carnet_test_ui_load_po (&po_msgids, &po_msgstrs);

  if (g_str_equal (backend, "keyfile"))
    {
      g_test_add_func ("/ui/lab/shared-session", test_shared_session);
      g_test_add_func ("/ui/lab/idle-logout", test_idle_logout);
      g_test_add_func ("/ui/lab/idle-forgets-typing", test_idle_forgets_typing);
      g_test_add_func ("/ui/lab/close-logout", test_close_logout);
      g_test_add_func ("/ui/lab/idle-logout-slow-ent", test_idle_logout_slow_ent);
      g_test_add_func ("/ui/lab/end-logs-out", test_end_logs_out);
      g_test_add_func ("/ui/lab/guard-told", test_guard_told);
      g_test_add_func ("/ui/lab/menu", test_menu);
    }
  else if (g_str_equal (lock, "address"))
    g_test_add_func ("/ui/lab/locked-address", test_locked_address);
  else
    g_test_add_func ("/ui/lab/locked-remember", test_locked_remember);

  ret = g_test_run ();
  carnet_test_ent_stop (ent);
  remove_tree (home);
  if (dconf_dir != NULL)
    remove_tree (dconf_dir);

  return ret;
}
