/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from the ENT is never Pango markup (issue 13, item 2): a school
 * named « Collège Saint-Joseph & Sainte-Marie » must show, « & » included,
 * without a Gtk-WARNING (fatal here, G_DEBUG=fatal-warnings), and a name
 * that is a <span> must show as the characters it is, not as large red
 * text in Carnet's layout. The ENT's hosts show their Unicode form next to
 * the punycode one (item 6). */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-credentials.h"
#include "carnet-ent-client.h"
#include "carnet-login-page.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS 30000

#define FR_ADDRESS       "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE "Se connecter"
#define FR_FORGOT_LOGIN  "Identifiant oublié"
#define FR_LOGIN         "Identifiant"
#define FR_PASSWORD      "Mot de passe"
#define FR_LOG_IN_BUTTON "Se connecter"
#define FR_MY_MAIL       "Mon adresse mail"
#define FR_SEND          "Envoyer"

/* What a school, a family or a hostile ENT may have typed. */
#define SPAN          "<span foreground=\"red\" size=\"xx-large\">X</span>"
#define SCHOOL        "Collège Saint-Joseph & Sainte-Marie"
#define OTHER_SCHOOL  "École <Jules> Ferry " SPAN
#define LOGIN         "karim.benali<i>&</i>"
#define EMAIL         "karim.benali+<b>ecole</b>@example.fr"
#define MAIL          "nathalie&<b>martin</b>@example.fr"
#define FIRST_NAME    "Karim & <Co>"
#define CHILD_FIRST   SPAN
#define CHILD_LAST    "Benali & Fils"
#define CHILD_CLASS   "5ème <C> & D"
#define CHILD2_FIRST  "Inès <3"
#define CHILD2_CLASS  "CM2 & CM1"
/* The Unicode form of a punycode host, then the host itself. */
#define IDN_HOST      "xn--monlyce-gya.net"
#define IDN_DISPLAY   "monlycée.net (xn--monlyce-gya.net)"

static CarnetTestEnt *ent;

typedef struct
{
  GtkWidget *window;
} Fixture;

/* --- Helpers ------------------------------------------------------------------ */

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
               const char *name)
{
  carnet_test_ui_wait_for_page (window, name, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (window);
}

/* The label @css_class ("title", "subtitle", "heading") of a row or group
 * shows @raw character for character: no markup was read in it. A <span>
 * read as markup would show only « X »; a lone « & » would not show at all
 * (and GTK would have warned). */
static void
assert_shown_as_is (GtkWidget  *root,
                    const char *raw,
                    const char *css_class)
{
  GtkWidget *label = carnet_test_ui_find_label_text (root, raw);

  if (label == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("no label shows “%s” as it is", raw);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
      return;
    }
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, raw);
  if (css_class != NULL)
    g_assert_true (gtk_widget_has_css_class (label, css_class));
}

/* Nothing shows the <span>'s content alone: it was never read as markup. */
static void
assert_no_markup_shown (GtkWidget *root)
{
  g_assert_null (carnet_test_ui_find_label_text (root, "X"));
}

static void
shoot (GtkWidget  *window,
       const char *name)
{
  g_free (carnet_test_ui_save_screenshot (window, name));
}

static GtkWidget *
new_window (void)
{
  GtkWidget *window;

  window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 900);
  carnet_test_ui_present (window);

  return window;
}

static void
open_choice (GtkWidget  *window,
             const char *choice,
             const char *page)
{
  carnet_test_ui_type_into (window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (window, FR_ADDRESS);
  wait_for_control (window, choice);
  carnet_test_ui_wait_for_frame (window);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, choice));
  wait_for_page (window, page);
}

/* --- The keyring ----------------------------------------------------------------- */

static void
store (const char *host,
       const char *login)
{
  carnet_test_ui_keyring_store (host, login, "Cartable2026");
}

static void
forget (const char *host,
        const char *login)
{
  carnet_test_ui_keyring_forget (host, login);
}

/* --- Fixture -------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");

  carnet_test_ent_reset (ent);
  g_settings_reset (settings, "ent-url");
  g_settings_reset (settings, "shared-machine");
  g_settings_set_boolean (settings, "remember-credentials", GPOINTER_TO_INT (data));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    carnet_test_ui_destroy (f->window);
}

/* --- Tests ------------------------------------------------------------------------ */

/* The account page: the profile's login and email, the children's names,
 * classes and schools. */
static void
test_account (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *child = g_strdup_printf ("%s %s", CHILD_FIRST, CHILD_LAST);
  g_autofree char *child2 = g_strdup_printf ("%s %s", CHILD2_FIRST, "Benali");
  g_autofree char *title = g_strdup_printf ("Compte de %s", FIRST_NAME);
  GtkWidget *stack;

  carnet_test_ent_set_record_string (ent, "users", "u-karim", "login", LOGIN);
  carnet_test_ent_set_record_string (ent, "users", "u-karim", "email", EMAIL);
  carnet_test_ent_set_record_string (ent, "users", "u-karim", "firstName", FIRST_NAME);
  carnet_test_ent_set_record_string (ent, "users", "u-karim", "displayName", FIRST_NAME " Benali");
  carnet_test_ent_set_record_string (ent, "structures", "jean-jaures-calais", "name", SCHOOL);
  carnet_test_ent_set_record_string (ent, "structures", "jules-ferry-calais", "name", OTHER_SCHOOL);
  carnet_test_ent_set_record_string (ent, "children", "c-yanis", "firstName", CHILD_FIRST);
  carnet_test_ent_set_record_string (ent, "children", "c-yanis", "lastName", CHILD_LAST);
  carnet_test_ent_set_record_string (ent, "children", "c-yanis", "className", CHILD_CLASS);
  carnet_test_ent_set_record_string (ent, "children", "c-ines", "firstName", CHILD2_FIRST);
  carnet_test_ent_set_record_string (ent, "children", "c-ines", "className", CHILD2_CLASS);

  f->window = new_window ();
  open_choice (f->window, FR_LOG_IN_CHOICE, "login");
  carnet_test_ui_type_into (f->window, FR_LOGIN, LOGIN);
  carnet_test_ui_type_into (f->window, FR_PASSWORD, "Cartable2026");
  carnet_test_ui_click (f->window, FR_LOG_IN_BUTTON);
  wait_for_label (f->window, title);
  wait_for_page (f->window, "account");

  /* Profil: the login and the email are the rows' subtitles. */
  assert_shown_as_is (f->window, LOGIN, "subtitle");
  assert_shown_as_is (f->window, EMAIL, "subtitle");
  assert_shown_as_is (f->window, title, NULL);
  assert_shown_as_is (f->window, SCHOOL " · " OTHER_SCHOOL, NULL);
  assert_no_markup_shown (f->window);
  shoot (f->window, "markup-account-profile");
  carnet_test_ui_assert_controls_named (f->window, "markup-account-profile");

  /* Enfants: a group per school, a row per child. */
  stack = carnet_test_ui_find_by_type (f->window, ADW_TYPE_VIEW_STACK);
  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "children");
  wait_for_label (f->window, child);
  carnet_test_ui_wait_for_frame (f->window);
  assert_shown_as_is (f->window, child, "title");
  assert_shown_as_is (f->window, CHILD_CLASS, "subtitle");
  assert_shown_as_is (f->window, child2, "title");
  assert_shown_as_is (f->window, CHILD2_CLASS, "subtitle");
  assert_shown_as_is (f->window, SCHOOL, "heading");
  assert_shown_as_is (f->window, OTHER_SCHOOL, "heading");
  assert_no_markup_shown (f->window);
  shoot (f->window, "markup-account-children");
  carnet_test_ui_assert_controls_named (f->window, "markup-account-children");
}

/* Forgotten login: the school choice names the ENT's schools. */
static void
test_forgot_login_schools (Fixture       *f,
                           gconstpointer  data)
{
  carnet_test_ent_set_record_string (ent, "structures", "jean-jaures-calais", "name", SCHOOL);
  carnet_test_ent_set_record_string (ent, "structures", "jules-ferry-calais", "name", OTHER_SCHOOL);

  f->window = new_window ();
  open_choice (f->window, FR_FORGOT_LOGIN, "forgot-login");
  carnet_test_ui_type_into (f->window, FR_MY_MAIL, "claire.dubois@example.fr");
  carnet_test_ui_click (f->window, FR_SEND);

  wait_for_control (f->window, SCHOOL);
  carnet_test_ui_wait_for_frame (f->window);
  assert_shown_as_is (f->window, SCHOOL, "title");
  assert_shown_as_is (f->window, OTHER_SCHOOL, "title");
  g_assert_true (GTK_IS_CHECK_BUTTON (carnet_test_ui_get_by_label (f->window, OTHER_SCHOOL)));
  assert_no_markup_shown (f->window);
  shoot (f->window, "markup-forgot-login-schools");
  carnet_test_ui_assert_controls_named (f->window, "markup-forgot-login-schools");
}

/* The mail page: the address the ENT knows, to confirm. */
static gboolean
address_filled_cb (gpointer user_data)
{
  GtkWidget *row = carnet_test_ui_find_by_label (user_data, FR_MY_MAIL);

  return row != NULL && *gtk_editable_get_text (GTK_EDITABLE (row)) != '\0';
}

static void
test_mail (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *row;

  carnet_test_ent_set_user_flag (ent, "nathalie.martin", "needRevalidateTerms", FALSE);
  carnet_test_ent_set_record_string (ent, "users", "u-nathalie", "email", MAIL);
  carnet_test_ent_set_record_string (ent, "users", "u-nathalie", "firstName", SPAN);

  f->window = new_window ();
  open_choice (f->window, FR_LOG_IN_CHOICE, "login");
  carnet_test_ui_type_into (f->window, FR_LOGIN, "nathalie.martin");
  carnet_test_ui_type_into (f->window, FR_PASSWORD, "Soleil2026");
  carnet_test_ui_click (f->window, FR_LOG_IN_BUTTON);
  wait_for_page (f->window, "mail");
  carnet_test_ui_wait_until (address_filled_cb, f->window, TIMEOUT_MS, "the address to confirm");

  row = carnet_test_ui_get_by_label (f->window, FR_MY_MAIL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, MAIL);
  assert_no_markup_shown (f->window);
  shoot (f->window, "markup-mail");
  carnet_test_ui_assert_controls_named (f->window, "markup-mail");
}

/* Welcome page: a remembered login is shown as it was typed, its ENT's
 * host in both forms when it is an IDN. */
static void
test_welcome_accounts (Fixture       *f,
                       gconstpointer  data)
{
  const char *host = carnet_test_ent_get_host (ent);
  g_autofree char *idn_label = g_strdup_printf ("Se connecter en tant que parent sur %s", IDN_DISPLAY);

  store (host, SPAN);
  store (IDN_HOST, "parent");

  f->window = new_window ();
  wait_for_label (f->window, IDN_DISPLAY);
  carnet_test_ui_wait_for_frame (f->window);
  assert_shown_as_is (f->window, SPAN, "title");
  assert_shown_as_is (f->window, host, "subtitle");
  assert_shown_as_is (f->window, IDN_DISPLAY, "subtitle");
  g_assert_nonnull (carnet_test_ui_find_by_label (f->window, idn_label));
  assert_no_markup_shown (f->window);
  shoot (f->window, "markup-welcome-accounts");
  carnet_test_ui_assert_controls_named (f->window, "markup-welcome-accounts");

  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  forget (host, SPAN);
  forget (IDN_HOST, "parent");
}

/* The login page says which ENT: an IDN host in both forms. */
static void
test_login_idn_host (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("https://" IDN_HOST ":8443", &error);
  GtkWidget *page;

  g_assert_no_error (error);
  f->window = gtk_window_new ();
  page = g_object_new (CARNET_TYPE_LOGIN_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (f->window), page);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 560, 700);
  carnet_test_ui_present (f->window);

  carnet_login_page_set_client (CARNET_LOGIN_PAGE (page), client);
  carnet_test_ui_wait_for_frame (f->window);
  assert_shown_as_is (f->window, "monlycée.net:8443 (" IDN_HOST ":8443)", NULL);
  shoot (f->window, "markup-login-idn-host");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  carnet_test_ui_init (&argc, &argv);
  ent = carnet_test_ent_start ();

#define ADD(path, fn, remember) \
  g_test_add (path, Fixture, GINT_TO_POINTER (remember), fixture_setup, fn, fixture_teardown)
  ADD ("/ui/markup/account", test_account, FALSE);
  ADD ("/ui/markup/forgot-login-schools", test_forgot_login_schools, FALSE);
  ADD ("/ui/markup/mail", test_mail, FALSE);
  ADD ("/ui/markup/welcome-accounts", test_welcome_accounts, TRUE);
  ADD ("/ui/markup/login-idn-host", test_login_idn_host, FALSE);
#undef ADD

  ret = g_test_run ();
  carnet_test_ent_stop (ent);

  return ret;
}
