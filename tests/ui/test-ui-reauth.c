/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "session expired" helper the steps' pages and the account page share,
 * on its own over a plain window, against the test ENT: the dialog in
 * French, Escape, the "Log in again" button, a wrong then the right
 * password, and the dialog going away with its page. */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <dlfcn.h>
#include <locale.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/keysym.h>
#include <glib/gi18n.h>

#include "carnet-reauth.h"
#include "carnet-test-client.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"

#define TIMEOUT_MS 8000
#define FR_PASSWORD "Mot de passe"
#define FR_AGAIN    "Se reconnecter"

static CarnetTestEnt *ent;
static GPtrArray *po_msgids;
static GPtrArray *po_msgstrs;

typedef struct
{
  guint   logged_in;
  char   *password;
  guint   failed;
  GError *error;
} Events;

static void
logged_in_cb (CarnetReauth *reauth,
              const char   *password,
              Events       *events)
{
  events->logged_in++;
  g_free (events->password);
  events->password = g_strdup (password);
}

static void
failed_cb (CarnetReauth *reauth,
           const GError *error,
           Events       *events)
{
  events->failed++;
  g_clear_error (&events->error);
  events->error = g_error_copy (error);
}

static gboolean
logged_in_twice_cb (gpointer user_data)
{
  return ((Events *) user_data)->logged_in > 1;
}

static gboolean
dialog_shown_cb (gpointer user_data)
{
  GtkWindow *dialog = carnet_reauth_get_dialog (user_data);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static AdwMessageDialog *
wait_for_dialog (CarnetReauth *reauth)
{
  carnet_test_ui_wait_until (dialog_shown_cb, reauth, TIMEOUT_MS, "the password dialog");

  return ADW_MESSAGE_DIALOG (carnet_reauth_get_dialog (reauth));
}

/* Presses and releases Enter on the real keyboard of the X server (XTest,
 * from libXtst, which at-spi2-core brings), with the X focus on @window:
 * the key goes through GTK's event handling as a parent's would, not just
 * the "activate" signal. */
typedef int (*XTestFakeKeyEventFunc) (Display *, unsigned int, int, unsigned long);

static gboolean
window_active_cb (gpointer user_data)
{
  return gtk_window_is_active (user_data);
}

static void
press_real_enter (GtkWindow *window)
{
  static XTestFakeKeyEventFunc fake_key = NULL;
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *xdisplay;
  KeyCode keycode;

  if (fake_key == NULL)
    {
      void *xtst = dlopen ("libXtst.so.6", RTLD_NOW);

      g_assert_nonnull (xtst);
      fake_key = (XTestFakeKeyEventFunc) dlsym (xtst, "XTestFakeKeyEvent");
      g_assert_nonnull (fake_key);
    }

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XFlush (xdisplay);
  carnet_test_ui_wait_until (window_active_cb, window, TIMEOUT_MS, "the X focus on the dialog");
  keycode = XKeysymToKeycode (xdisplay, XK_Return);
  fake_key (xdisplay, keycode, True, CurrentTime);
  fake_key (xdisplay, keycode, False, CurrentTime);
  XFlush (xdisplay);
}

static gboolean
dialog_answered_cb (gpointer user_data)
{
  return carnet_reauth_get_dialog (user_data) == NULL;
}

static gboolean
pointer_cleared_cb (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static gboolean
not_busy_cb (gpointer user_data)
{
  return !carnet_reauth_get_busy (user_data);
}

static void
test_reauth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = NULL;
  g_autoptr(CarnetReauth) reauth = NULL;
  Events events = { 0 };
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *again;

  client = carnet_test_ent_new_client (ent, NULL);

  /* A page: a message, and the helper's button next to it. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 400);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Vous avez été déconnecté."));
  gtk_window_set_child (GTK_WINDOW (window), box);
  reauth = carnet_reauth_new (box);
  carnet_reauth_add_button (reauth, GTK_BOX (box));
  g_signal_connect (reauth, "logged-in", G_CALLBACK (logged_in_cb), &events);
  g_signal_connect (reauth, "failed", G_CALLBACK (failed_cb), &events);
  carnet_test_ui_present (window);

  g_assert_false (carnet_reauth_get_needed (reauth));
  g_assert_null (carnet_test_ui_find_by_label (window, FR_AGAIN));
  g_assert_null (carnet_reauth_get_dialog (reauth));

  /* The dialog: in French, named, "Log In" only with a password. */
  carnet_reauth_prompt (reauth, client, "karim.benali");
  g_assert_true (carnet_reauth_get_needed (reauth));
  dialog = wait_for_dialog (reauth);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Session expirée");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Votre session a expiré. Saisissez à nouveau votre mot de passe.");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "login"));
  carnet_test_ui_assert_french (GTK_WIDGET (dialog), po_msgids, po_msgstrs, "reauth dialog", NULL);
  carnet_test_ui_assert_controls_named (GTK_WIDGET (dialog), "reauth dialog");
  g_free (carnet_test_ui_save_dialog_screenshot (window, GTK_WIDGET (dialog), "reauth-dialog"));
  /* Asking again while it shows changes nothing. */
  carnet_reauth_prompt (reauth, client, "karim.benali");
  g_assert_true (carnet_reauth_get_dialog (reauth) == GTK_WINDOW (dialog));
  g_assert_null (carnet_test_ui_find_by_label (window, FR_AGAIN));

  /* Escape: "failed" (cancelled), with a message to show; the button shows. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  g_assert_cmpuint (events.failed, ==, 1);
  g_assert_error (events.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (events.error->message, ==,
                   "Votre session a expiré : rien n’a été enregistré. Reconnectez-vous pour continuer.");
  g_assert_null (carnet_reauth_get_dialog (reauth));
  g_assert_true (carnet_reauth_get_needed (reauth));
  again = carnet_test_ui_get_by_label (window, FR_AGAIN);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == again);
  carnet_test_ui_assert_controls_named (window, "reauth button");

  /* The button asks again; a wrong password asks again, saying why. */
  gtk_widget_activate (again);
  dialog = wait_for_dialog (reauth);
  g_assert_null (carnet_test_ui_find_by_label (window, FR_AGAIN));
  carnet_test_ui_type_into (GTK_WIDGET (dialog), FR_PASSWORD, "Mauvais2026");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "login"));
  press_real_enter (GTK_WINDOW (dialog));
  carnet_test_ui_wait_until (dialog_answered_cb, reauth, TIMEOUT_MS, "Enter to answer the dialog");
  carnet_test_ui_wait_until (not_busy_cb, reauth, TIMEOUT_MS, "the wrong password to be refused");
  dialog = wait_for_dialog (reauth);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "L’identifiant ou le mot de passe est incorrect.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (GTK_WIDGET (dialog), FR_PASSWORD))),
                   ==, "");
  g_assert_cmpuint (events.failed, ==, 1);
  g_assert_cmpuint (events.logged_in, ==, 0);

  /* The right one: logged in, with the password the ENT accepted. */
  carnet_test_ui_type_into (GTK_WIDGET (dialog), FR_PASSWORD, "Cartable2026");
  /* Enter must not destroy the field inside its own handler (Carnet
   * crashed: "invalid unclassed pointer in cast to 'GtkEditable'"): right
   * after the key's signal the dialog is still there, and it goes at the
   * next turn of the main loop. */
  {
    GtkWidget *alive = GTK_WIDGET (dialog);

    g_object_add_weak_pointer (G_OBJECT (alive), (gpointer *) &alive);
    carnet_test_ui_press_enter (GTK_WIDGET (dialog), FR_PASSWORD);
    g_assert_nonnull (alive);
    g_assert_true (carnet_reauth_get_dialog (reauth) == GTK_WINDOW (dialog));
    carnet_test_ui_wait_until (dialog_answered_cb, reauth, TIMEOUT_MS, "Enter to answer the dialog");
    carnet_test_ui_wait_until (not_busy_cb, reauth, TIMEOUT_MS, "the right password to be checked");
    carnet_test_ui_wait_until (pointer_cleared_cb, &alive, TIMEOUT_MS, "the answered dialog to go");
    g_assert_null (alive);
    g_assert_cmpuint (events.logged_in, ==, 1);
  }

  /* Once more with the real Enter key of the X server, through GTK's event
   * handling as a parent's would go. */
  carnet_test_ent_expire_sessions (ent);
  carnet_reauth_prompt (reauth, client, "karim.benali");
  dialog = wait_for_dialog (reauth);
  carnet_test_ui_type_into (GTK_WIDGET (dialog), FR_PASSWORD, "Cartable2026");
  /* The real Enter key this time (it crashed Carnet: the dialog was
   * destroyed inside the field's own handler). */
  press_real_enter (GTK_WINDOW (dialog));
  carnet_test_ui_wait_until (logged_in_twice_cb, &events, TIMEOUT_MS, "the login again");
  g_assert_cmpstr (events.password, ==, "Cartable2026");
  g_assert_true (carnet_ent_client_has_session (client));
  g_assert_false (carnet_reauth_get_needed (reauth));
  g_assert_null (carnet_reauth_get_dialog (reauth));
  g_assert_null (carnet_test_ui_find_by_label (window, FR_AGAIN));
  g_assert_cmpuint (events.failed, ==, 1);

  /* A page that starts again closes the dialog without a word. */
  carnet_reauth_prompt (reauth, client, "karim.benali");
  wait_for_dialog (reauth);
  carnet_reauth_reset (reauth);
  g_assert_null (carnet_reauth_get_dialog (reauth));
  g_assert_false (carnet_reauth_get_needed (reauth));

  /* … and so does a page that goes away. */
  carnet_reauth_prompt (reauth, client, "karim.benali");
  wait_for_dialog (reauth);
  gtk_widget_set_visible (box, FALSE);
  g_assert_null (carnet_reauth_get_dialog (reauth));
  g_assert_false (carnet_reauth_get_needed (reauth));
  g_assert_cmpuint (events.failed, ==, 1);
  g_assert_cmpuint (events.logged_in, ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
  g_free (events.password);
  g_clear_error (&events.error);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  carnet_test_ui_init (&argc, &argv);

  carnet_test_ui_load_po (&po_msgids, &po_msgstrs);
  ent = carnet_test_ent_start ();

  g_test_add_func ("/ui/reauth", test_reauth);

  ret = g_test_run ();
  carnet_test_ent_stop (ent);

  return ret;
}
