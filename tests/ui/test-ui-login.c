/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS 20000

/* What the French pages say; the test reads them as a parent would. */
#define FR_ADDRESS        "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE  "Se connecter"
#define FR_LOGIN          "Identifiant"
#define FR_PASSWORD       "Mot de passe"
#define FR_LOG_IN_BUTTON  "Se connecter"
#define FR_LOG_OUT        "Se déconnecter"
#define FR_BAD_CREDENTIALS "L’identifiant ou le mot de passe est incorrect."
#define FR_NOTHING_ANSWERS "Rien ne répond à cette adresse."

typedef CarnetTestUiFixture Fixture;

/* --- fr.po, French pages, named controls (see carnet-test-ui.h) ------------ */

static void
load_po (Fixture *f)
{
  carnet_test_ui_load_po (&f->msgids, &f->msgstrs);
}

static void
assert_french (Fixture            *f,
               const char         *page,
               const char * const *allowed)
{
  carnet_test_ui_assert_french (f->window, f->msgids, f->msgstrs, page, allowed);
}

static void
assert_controls_named (Fixture    *f,
                       const char *page)
{
  carnet_test_ui_assert_controls_named (f->window, page);
}

static void
test_po_complete (void)
{
  Fixture f = { 0 };
  guint missing = 0;

  load_po (&f);

  for (guint i = 0; i < f.msgids->len; i++)
    if (*(char *) g_ptr_array_index (f.msgstrs, i) == '\0')
      {
        g_test_message ("Not translated into French: “%s”", (char *) g_ptr_array_index (f.msgids, i));
        missing++;
      }

  g_test_message ("%u strings in fr.po", f.msgids->len);
  g_assert_cmpuint (missing, ==, 0);

  g_ptr_array_unref (f.msgids);
  g_ptr_array_unref (f.msgstrs);
}

/* --- Driving the window -------------------------------------------------------- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  carnet_test_ui_fixture_setup (f, GPOINTER_TO_INT (data), 560);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  carnet_test_ui_fixture_teardown (f);
}

static void
wait_for_label (Fixture    *f,
                const char *text)
{
  carnet_test_ui_wait_for_label (f->window, text, TIMEOUT_MS);
}

static void
wait_for_control (Fixture    *f,
                  const char *label)
{
  carnet_test_ui_wait_for_control (f->window, label, TIMEOUT_MS);
}

static void
wait_for_page (Fixture    *f,
               const char *name)
{
  carnet_test_ui_wait_for_page (f->window, name, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (f->window);
}

static void
open_login_page (Fixture *f)
{
  GtkWidget *choice;

  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);

  wait_for_control (f, FR_LOG_IN_CHOICE);
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome"));
  {
    const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), NULL };

    assert_french (f, "welcome", allowed);
  }
  assert_controls_named (f, "welcome");

  choice = carnet_test_ui_get_by_label (f->window, FR_LOG_IN_CHOICE);
  g_assert_true (GTK_IS_LIST_BOX_ROW (choice));
  /* Typed, Enter: the keyboard is on « Se connecter », the next Enter opens it. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == choice);
  gtk_widget_activate (choice);

  wait_for_page (f, "login");
}

static void
test_login_success (Fixture       *f,
                    gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (f->ent),
                                   "karim.benali", "karim.benali@example.fr", "Karim Benali", "KB",
                                   NULL };
  GtkWidget *button;

  open_login_page (f);

  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Parent"));
  carnet_test_ui_type_into (f->window, FR_LOGIN, "karim.benali");
  carnet_test_ui_type_into (f->window, FR_PASSWORD, "Cartable2026");
  g_free (carnet_test_ui_save_screenshot (f->window, "login"));
  assert_french (f, "login", allowed);
  assert_controls_named (f, "login");

  button = carnet_test_ui_get_by_label (f->window, FR_LOG_IN_BUTTON);
  g_assert_true (GTK_IS_BUTTON (button));
  gtk_widget_activate (button);

  wait_for_label (f, "Compte de Karim");
  wait_for_page (f, "account");
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "karim.benali"));
  g_free (carnet_test_ui_save_screenshot (f->window, "account"));
  g_assert_nonnull (carnet_test_ui_find_label_prefix (f->window, "Compte de "));
  assert_french (f, "account", allowed);
  assert_controls_named (f, "account");

  /* The password has done its work: it must not stay in a widget. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_find_by_name (f->window, "password_row"))), ==, "");

  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_LOG_OUT));
  wait_for_page (f, "welcome");
  g_assert_false (carnet_ent_client_has_session (carnet_window_get_client (CARNET_WINDOW (f->window))));
}

static void
test_login_wrong_password (Fixture       *f,
                           gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (f->ent), NULL };
  GtkWidget *login_row;
  GtkWidget *password_row;
  GtkEditable *password_text;
  int start, end;

  open_login_page (f);

  carnet_test_ui_type_into (f->window, FR_LOGIN, "karim.benali");
  carnet_test_ui_type_into (f->window, FR_PASSWORD, "Trousse2026");
  carnet_test_ui_press_enter (f->window, FR_PASSWORD);

  wait_for_label (f, FR_BAD_CREDENTIALS);
  g_free (carnet_test_ui_save_screenshot (f->window, "login-error"));
  assert_french (f, "login (error)", allowed);

  login_row = carnet_test_ui_get_by_label (f->window, FR_LOGIN);
  password_row = carnet_test_ui_get_by_label (f->window, FR_PASSWORD);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (login_row)), ==, "karim.benali");
  g_assert_true (gtk_widget_is_sensitive (login_row));

  /* The password is kept, focused and selected, to be retyped at once. */
  password_text = gtk_editable_get_delegate (GTK_EDITABLE (password_row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, "Trousse2026");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (password_text)));
  g_assert_true (gtk_editable_get_selection_bounds (password_text, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, strlen ("Trousse2026"));
  g_assert_true (gtk_widget_has_css_class (password_row, "error"));

  /* Escape goes back to the choices. */
  gtk_widget_activate_action (f->window, "win.back", NULL);
  wait_for_page (f, "welcome");
}

static void
test_login_cancel (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *login_row;
  GtkWidget *cancel;

  open_login_page (f);

  carnet_test_ent_set_fault (f->ent, "/auth/login", "latency", 10000, 1);
  carnet_test_ui_type_into (f->window, FR_LOGIN, "karim.benali");
  carnet_test_ui_type_into (f->window, FR_PASSWORD, "Cartable2026");
  carnet_test_ui_press_enter (f->window, FR_PASSWORD);

  /* Progress shows at once, without waiting for the ENT. */
  login_row = carnet_test_ui_get_by_label (f->window, FR_LOGIN);
  g_assert_false (gtk_widget_is_sensitive (login_row));
  carnet_test_ui_wait_for_frame (f->window);
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Connexion…"));
  cancel = carnet_test_ui_get_by_label (f->window, "Annuler la connexion");
  gtk_widget_activate (cancel);

  /* A button activated from the keyboard clicks after its press animation. */
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive, login_row,
                             TIMEOUT_MS, "the fields to be editable again");
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (login_row)), ==, "karim.benali");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, FR_PASSWORD))),
                   ==, "Cartable2026");
  g_assert_nonnull (carnet_test_ui_get_by_label (f->window, FR_LOG_IN_BUTTON));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (f->window)), ==, "login");
}

static void
test_welcome_unreachable (Fixture       *f,
                          gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", NULL };
  /* Nothing listens on port 1. */
  carnet_test_ui_type_into (f->window, FR_ADDRESS, "127.0.0.1:1");
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);

  carnet_test_ui_wait_for_label_prefix (f->window, FR_NOTHING_ANSWERS, TIMEOUT_MS);
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-unreachable"));
  assert_french (f, "welcome (unreachable)", allowed);
  assert_controls_named (f, "welcome (unreachable)");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, FR_ADDRESS))),
                   ==, "127.0.0.1:1");
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_LOG_IN_CHOICE));
}

static void
test_welcome_not_an_ent (Fixture       *f,
                         gconstpointer  data)
{
  /* A web server that answers, but not like an Open ENT NG one. */
  carnet_test_ent_set_fault (f->ent, "/auth/context", "malformed", 0, -1);
  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);

  carnet_test_ui_wait_for_label_prefix (f->window, "Cette adresse ne répond pas comme un ENT.", TIMEOUT_MS);
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_LOG_IN_CHOICE));
}

static void
test_welcome_preset (void)
{
  CarnetTestEnt *ent = carnet_test_ent_start ();
  Fixture f = { ent, NULL, NULL, NULL };
  GtkWidget *row;

  load_po (&f);

  /* As "carnet --ent-url=… --ca-file=…" does: checked at once, nothing typed. */
  f.window = GTK_WIDGET (carnet_window_new (NULL, carnet_test_ent_get_url (ent),
                                            carnet_test_ent_get_ca_file (ent)));
  gtk_window_present (GTK_WINDOW (f.window));
  wait_for_control (&f, FR_LOG_IN_CHOICE);

  row = carnet_test_ui_get_by_label (f.window, FR_ADDRESS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, carnet_test_ent_get_url (ent));
  g_assert_true (gtk_widget_is_sensitive (row));
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/context"), >=, 1);
  /* Checked before or after the window showed: the keyboard is on « Se connecter ». */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) ==
                 carnet_test_ui_get_by_label (f.window, FR_LOG_IN_CHOICE));

  fixture_teardown (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{

  carnet_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/po/complete", test_po_complete);
  g_test_add ("/ui/welcome/unreachable", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_welcome_unreachable, fixture_teardown);
  g_test_add ("/ui/welcome/not-an-ent", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_welcome_not_an_ent, fixture_teardown);
  g_test_add_func ("/ui/welcome/preset", test_welcome_preset);
  g_test_add ("/ui/login/success", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_login_success, fixture_teardown);
  g_test_add ("/ui/login/wrong-password", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_login_wrong_password, fixture_teardown);
  g_test_add ("/ui/login/cancel", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_login_cancel, fixture_teardown);

  return g_test_run ();
}
