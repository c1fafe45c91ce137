/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-test-ent.h"
#include "carnet-charter-page.h"
#include "carnet-forgot-password-page.h"
#include "carnet-test-ui.h"
#include "carnet-ui-private.h"
#include "carnet-window.h"

/* The machine is shared: be patient before calling something broken. */
#define TIMEOUT_MS 30000

/* The letter's wizards as a parent sees them, in French. */
#define FR_ADDRESS          "Adresse de l’ENT"
#define FR_FIRST_CONNECTION "Première connexion (activer mon compte)"
#define FR_FORGOT_LOGIN     "Identifiant oublié"
#define FR_FORGOT_PASSWORD  "Mot de passe oublié"
#define FR_LOGIN            "Identifiant"
#define FR_PROVISIONAL      "Mot de passe provisoire"
#define FR_CONTINUE         "Continuer"
#define FR_NEW_PASSWORD     "Nouveau mot de passe"
#define FR_CONFIRM          "Confirmer le mot de passe"
#define FR_MAIL             "Adresse mail"
#define FR_CHARTER          "J’accepte la charte d’utilisation"
#define FR_ACTIVATE         "Activer mon compte"
#define FR_NO_MATCH         "Cet identifiant et ce mot de passe provisoire ne correspondent pas. Vérifiez le courrier de notification de l’établissement de votre enfant."
#define FR_RULE_FAILS       "Le mot de passe ne respecte pas encore la règle de l’ENT"
#define FR_RULE_OK          "Le mot de passe respecte la règle de l’ENT"
#define FR_IDENTICAL        "Les deux mots de passe sont identiques"
#define FR_MY_MAIL          "Mon adresse mail"
#define FR_SEND             "Envoyer"
#define FR_SEND_AGAIN       "Envoyer à nouveau"
#define FR_FIRST_NAME       "Prénom"
#define FR_NEUTRAL          "Si un compte correspond à cette adresse, un mail vous a été envoyé avec votre identifiant."
#define FR_JULES_FERRY      "École élémentaire Jules Ferry"
#define FR_MY_LOGIN         "Mon identifiant"
#define FR_LINK             "Lien reçu par mail (ou code)"
#define FR_CHANGE           "Changer le mot de passe"
#define FR_CHANGED          "Votre mot de passe a été changé. Connectez-vous avec le nouveau."
#define FR_EXPIRED          "Ce lien n’est plus valable (il dure 24 heures). Demandez-en un nouveau."
#define FR_NEW_LINK         "Demander un nouveau lien"
#define FR_LOG_IN           "Se connecter"
#define FR_MAIL_NO_AT       "Une adresse mail contient « @ », par exemple nom@example.fr."
#define FR_CODE_AS_PASSWORD "C’est le code du mail « Mot de passe oublié », pas votre mot de passe. Avec lui, vous pouvez maintenant choisir votre nouveau mot de passe."
#define FR_CHOOSE_WITH_CODE "Choisir un nouveau mot de passe avec ce code"
#define FR_CODE_RECOGNIZED  "Code reconnu : il sera vérifié avec le nouveau mot de passe."
/* The client's own words for a dropped connection. */
#define FR_UNREACHABLE      "Impossible de joindre l’ENT."

typedef CarnetTestUiFixture Fixture;

/* --- fr.po, French pages, named controls (see carnet-test-ui.h) ------------ */

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

/* --- Driving the window -------------------------------------------------------- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* These pages never use the keyring; a password remembered by another
   * test in the same session must not log in by itself. */
  g_settings_set_boolean (settings, "remember-credentials", FALSE);
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
shoot (Fixture    *f,
       const char *name)
{
  g_free (carnet_test_ui_save_screenshot (f->window, name));
}

static void
click (Fixture    *f,
       const char *label)
{
  GtkWidget *button = carnet_test_ui_get_by_label (f->window, label);

  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
}

static const char *
text_of (Fixture    *f,
         const char *label)
{
  return gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, label)));
}

static gboolean
prefix_showing (Fixture    *f,
                const char *prefix)
{
  return carnet_test_ui_find_label_prefix (f->window, prefix) != NULL;
}

static void
wait_for_prefix (Fixture    *f,
                 const char *prefix)
{
  carnet_test_ui_wait_for_label_prefix (f->window, prefix, TIMEOUT_MS);
}

/* A secret code's field (issue 13, item 7): a password row, its text hidden
 * until the parent asks to see it. */
static void
assert_secret_row (GtkWidget *row)
{
  GtkEditable *text;

  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (row));
  text = gtk_editable_get_delegate (GTK_EDITABLE (row));
  g_assert_true (GTK_IS_TEXT (text));
  g_assert_false (gtk_text_get_visibility (GTK_TEXT (text)));
}

/* From the welcome page, the letter's choice @choice opens the page @page. */
static void
open_choice (Fixture    *f,
             const char *choice,
             const char *page)
{
  GtkWidget *row;

  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);
  wait_for_control (f, choice);
  carnet_test_ui_wait_for_frame (f->window);

  row = carnet_test_ui_get_by_label (f->window, choice);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  gtk_widget_activate (row);
  wait_for_page (f, page);
}

typedef struct
{
  Fixture    *f;
  const char *page;
} Leave;

static gboolean
left_page_cb (gpointer user_data)
{
  Leave *leave = user_data;
  const char *name = carnet_window_get_page_name (CARNET_WINDOW (leave->f->window));

  return !g_str_equal (name, leave->page) && !g_str_equal (name, "steps");
}

static gboolean
has_error_cb (gpointer user_data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (user_data), "error");
}

static void
record_uri_cb (const char *uri,
               gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (uri));
}

static GtkWidget *
charter_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GtkWidget *page;

      if (!gtk_widget_get_mapped (window) || CARNET_IS_WINDOW (window))
        continue;
      page = carnet_test_ui_find_by_type (window, CARNET_TYPE_CHARTER_PAGE);
      if (page != NULL)
        return window;
    }

  return NULL;
}

static gboolean
charter_window_ready_cb (gpointer user_data)
{
  GtkWidget *window = charter_window ();

  return window != NULL &&
         carnet_charter_page_get_n_pages (CARNET_CHARTER_PAGE (carnet_test_ui_find_by_type (window, CARNET_TYPE_CHARTER_PAGE))) == 3;
}

static void
test_activation_cancel (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *login_row;

  open_choice (f, FR_FIRST_CONNECTION, "activation");
  carnet_test_ent_set_fault (f->ent, "/auth/activation/match", "latency", 10000, 1);
  carnet_test_ui_type_into (f->window, FR_LOGIN, "frederic");
  carnet_test_ui_type_into (f->window, FR_PROVISIONAL, "7KQ4M2PX");
  carnet_test_ui_press_enter (f->window, FR_PROVISIONAL);

  /* Progress at once, and a way out of it. */
  login_row = carnet_test_ui_get_by_label (f->window, FR_LOGIN);
  g_assert_false (gtk_widget_is_sensitive (login_row));
  carnet_test_ui_wait_for_frame (f->window);
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Vérification de l’identifiant du courrier…"));
  shoot (f, "activation-1-checking");
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Annuler la vérification"));
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive, login_row,
                             TIMEOUT_MS, "the fields to be editable again");
  g_assert_cmpstr (text_of (f, FR_LOGIN), ==, "frederic");
  g_assert_cmpstr (text_of (f, FR_PROVISIONAL), ==, "7KQ4M2PX");
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_NEW_PASSWORD));

  /* Escape leaves the wizard for the choices. */
  gtk_widget_activate_action (f->window, "win.back", NULL);
  wait_for_page (f, "welcome");
}

/* --- Première connexion ----------------------------------------------------- */

static void
test_activation (Fixture       *f,
                 gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (f->ent),
                                   "frederic", "frederic@ac-lille.fr",
                                   "Choisissez un mot de passe d'au moins 8 caractères avec une minuscule, une majuscule et un chiffre.",
                                   NULL };
  GtkWidget *code_row;
  GtkWidget *activate;
  Leave leave = { f, "activation" };

  open_choice (f, FR_FIRST_CONNECTION, "activation");
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Parent"));
  g_assert_nonnull (carnet_test_ui_find_by_label (f->window, "Profil : Parent"));

  /* A wrong provisional password is refused at once, before anything else is asked. */
  carnet_test_ui_type_into (f->window, FR_LOGIN, "frederic");
  carnet_test_ui_type_into (f->window, FR_PROVISIONAL, "7KQ4M2PZ");
  shoot (f, "activation-1-letter");
  assert_french (f, "activation (letter)", allowed);
  assert_controls_named (f, "activation (letter)");
  carnet_test_ui_press_enter (f->window, FR_PROVISIONAL);

  wait_for_label (f, FR_NO_MATCH);
  shoot (f, "activation-1-no-match");
  assert_french (f, "activation (no match)", allowed);
  g_assert_cmpstr (text_of (f, FR_LOGIN), ==, "frederic");
  code_row = carnet_test_ui_get_by_label (f->window, FR_PROVISIONAL);
  assert_secret_row (code_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (code_row)), ==, "7KQ4M2PZ");
  g_assert_true (gtk_widget_has_css_class (code_row, "error"));
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_NEW_PASSWORD));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/activation"), ==, 0);

  carnet_test_ui_type_into (f->window, FR_PROVISIONAL, "7KQ4M2PX");
  click (f, FR_CONTINUE);
  wait_for_control (f, FR_NEW_PASSWORD);

  /* A password the ENT's rule refuses: said at once, and no way to send it. */
  carnet_test_ui_type_into (f->window, FR_NEW_PASSWORD, "cahier");
  carnet_test_ui_type_into (f->window, FR_CONFIRM, "cahier");
  carnet_test_ui_type_into (f->window, FR_MAIL, "frederic@ac-lille.fr");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (carnet_test_ui_get_by_label (f->window, FR_CHARTER)), TRUE);
  wait_for_label (f, FR_RULE_FAILS);
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Niveau de sécurité : faible"));
  activate = carnet_test_ui_get_by_label (f->window, FR_ACTIVATE);
  g_assert_false (gtk_widget_is_sensitive (activate));
  shoot (f, "activation-2-rule-refused");
  assert_french (f, "activation (rule refused)", allowed);

  carnet_test_ui_type_into (f->window, FR_NEW_PASSWORD, "Cahier2026");
  carnet_test_ui_type_into (f->window, FR_CONFIRM, "Cahier2026");
  wait_for_label (f, FR_RULE_OK);
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, FR_IDENTICAL));
  g_assert_true (gtk_widget_is_sensitive (activate));
  shoot (f, "activation-2-details");
  assert_french (f, "activation (details)", allowed);
  assert_controls_named (f, "activation (details)");

  /* « Lire »: the charter inside Carnet, over the page, never the ENT's
   * address handed to a browser; closed, everything typed is still there. */
  {
    g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
    GtkWidget *reader;

    carnet_ui_set_launcher_for_testing (record_uri_cb, uris);
    gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Lire la charte d’utilisation"));
    carnet_test_ui_wait_until (charter_window_ready_cb, NULL, TIMEOUT_MS, "the charter inside Carnet");
    reader = charter_window ();
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (reader)) == GTK_WINDOW (f->window));
    g_free (carnet_test_ui_save_screenshot (reader, "activation-2-charter"));
    g_assert_null (carnet_test_ui_find_by_label (reader, "J’accepte la charte"));
    carnet_test_ui_assert_french (reader, f->msgids, f->msgstrs, "activation charter", allowed);
    carnet_test_ui_assert_controls_named (reader, "activation charter");
    g_assert_cmpuint (uris->len, ==, 0);
    carnet_test_ui_destroy (reader);
    carnet_ui_set_launcher_for_testing (NULL, NULL);
    g_assert_cmpstr (text_of (f, FR_NEW_PASSWORD), ==, "Cahier2026");
  }

  /* Back one step and forward again: nothing typed is lost. */
  gtk_widget_activate_action (f->window, "win.back", NULL);
  wait_for_control (f, FR_CONTINUE);
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (f->window)), ==, "activation");
  g_assert_cmpstr (text_of (f, FR_PROVISIONAL), ==, "7KQ4M2PX");
  click (f, FR_CONTINUE);
  wait_for_control (f, FR_NEW_PASSWORD);
  g_assert_cmpstr (text_of (f, FR_NEW_PASSWORD), ==, "Cahier2026");
  g_assert_cmpstr (text_of (f, FR_MAIL), ==, "frederic@ac-lille.fr");

  /* Without « @ » the button greys, and the page says why next to it. */
  carnet_test_ui_type_into (f->window, FR_MAIL, "frederic.ac-lille.fr");
  g_assert_false (gtk_widget_is_sensitive (activate));
  wait_for_label (f, FR_MAIL_NO_AT);
  shoot (f, "activation-2-mail-no-at");
  assert_french (f, "activation (no @)", allowed);
  carnet_test_ui_type_into (f->window, FR_MAIL, "frederic@ac-lille.fr");
  carnet_test_ui_wait_for_frame (f->window);
  g_assert_null (carnet_test_ui_find_label_text (f->window, FR_MAIL_NO_AT));
  g_assert_true (gtk_widget_is_sensitive (activate));

  /* An address the ENT refuses: marked, focused, what is wrong said (not
   * « the ENT refused what was typed »), nothing else lost. */
  carnet_test_ui_type_into (f->window, FR_MAIL, "frederic@ac-lille");
  click (f, FR_ACTIVATE);
  carnet_test_ui_wait_until (has_error_cb, carnet_test_ui_get_by_label (f->window, FR_MAIL), TIMEOUT_MS,
                             "the email address to be marked");
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, carnet_test_ui_get_by_label (f->window, FR_MAIL)));
    g_assert_null (carnet_test_ui_find_label_text (f->window, "L’ENT a refusé ce qui a été saisi. Vérifiez, puis réessayez."));
  }
  shoot (f, "activation-2-mail-refused");
  g_assert_cmpstr (text_of (f, FR_MAIL), ==, "frederic@ac-lille");
  g_assert_cmpstr (text_of (f, FR_NEW_PASSWORD), ==, "Cahier2026");
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (f->window)), ==, "activation");
  g_assert_false (carnet_test_ent_check_password (f->ent, "frederic", "Cahier2026"));

  carnet_test_ui_type_into (f->window, FR_MAIL, "frederic@ac-lille.fr");
  g_assert_false (gtk_widget_has_css_class (carnet_test_ui_get_by_label (f->window, FR_MAIL), "error"));
  click (f, FR_ACTIVATE);
  carnet_test_ui_wait_until (left_page_cb, &leave, TIMEOUT_MS, "the window to leave the activation");
  g_test_message ("after the activation: page “%s”", carnet_window_get_page_name (CARNET_WINDOW (f->window)));
  shoot (f, "activation-3-next");
  g_assert_true (carnet_test_ent_check_password (f->ent, "frederic", "Cahier2026"));
  {
    g_autofree char *json = carnet_test_ent_get_user_json (f->ent, "frederic");

    g_assert_nonnull (strstr (json, "frederic@ac-lille.fr"));
  }

  /* The letter's last step: the address given at activation is confirmed
   * with the 6-digit code the ENT mails, and the parent is in. */
  wait_for_page (f, "mail");
  wait_for_control (f, "Mon adresse mail");
  g_assert_cmpstr (text_of (f, "Mon adresse mail"), ==, "frederic@ac-lille.fr");
  carnet_test_ui_press_enter (f->window, "Mon adresse mail");
  wait_for_control (f, "Code reçu par mail");
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive,
                             carnet_test_ui_get_by_label (f->window, "Code reçu par mail"),
                             TIMEOUT_MS, "the code field to be ready");
  assert_secret_row (carnet_test_ui_get_by_label (f->window, "Code reçu par mail"));
  {
    g_autofree char *code = carnet_test_ent_last_mail_code (f->ent, "frederic@ac-lille.fr");

    carnet_test_ui_type_into (f->window, "Code reçu par mail", code);
  }
  carnet_test_ui_press_enter (f->window, "Code reçu par mail");
  wait_for_page (f, "account");
  wait_for_label (f, "Compte de Frédéric");
  shoot (f, "activation-4-account");
  {
    g_autofree char *json = carnet_test_ent_get_user_json (f->ent, "frederic");

    g_autoptr(JsonNode) node = json_from_string (json, NULL);

    g_assert_nonnull (node);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "emailValidated"));
  }
}

static void
test_activation_unreachable (Fixture       *f,
                             gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (f->ent), "frederic", NULL };

  open_choice (f, FR_FIRST_CONNECTION, "activation");
  carnet_test_ent_set_fault (f->ent, "/auth/activation/match", "drop", 0, -1);
  carnet_test_ui_type_into (f->window, FR_LOGIN, "frederic");
  carnet_test_ui_type_into (f->window, FR_PROVISIONAL, "7KQ4M2PX");
  click (f, FR_CONTINUE);

  wait_for_prefix (f, FR_UNREACHABLE);
  shoot (f, "activation-unreachable");
  assert_french (f, "activation (unreachable)", allowed);
  g_assert_cmpstr (text_of (f, FR_LOGIN), ==, "frederic");
  g_assert_cmpstr (text_of (f, FR_PROVISIONAL), ==, "7KQ4M2PX");
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_NEW_PASSWORD));

  carnet_test_ent_clear_faults (f->ent);
  click (f, FR_CONTINUE);
  wait_for_control (f, FR_NEW_PASSWORD);
}

/* --- Identifiant oublié ------------------------------------------------------ */

/* One account in one school (ENT-CORRECTIONS 8: forgot-id has a row per
 * account and school; Karim's two schools now lead to the school choice). */
static void
test_forgot_login_one (Fixture       *f,
                       gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), "paul.leroy@example.fr", NULL };
  g_autofree char *mail = NULL;

  open_choice (f, FR_FORGOT_LOGIN, "forgot-login");
  carnet_test_ui_type_into (f->window, FR_MY_MAIL, "paul.leroy@example.fr");
  shoot (f, "forgot-login-1-mail");
  assert_french (f, "forgotten login", allowed);
  assert_controls_named (f, "forgotten login");
  carnet_test_ui_press_enter (f->window, FR_MY_MAIL);

  wait_for_label (f, FR_NEUTRAL);
  shoot (f, "forgot-login-3-sent");
  assert_french (f, "forgotten login (sent)", allowed);
  assert_controls_named (f, "forgotten login (sent)");
  mail = carnet_test_ent_last_mail (f->ent, "paul.leroy@example.fr");
  g_assert_nonnull (mail);
  g_assert_nonnull (strstr (mail, "paul.leroy"));

  click (f, FR_LOG_IN);
  wait_for_page (f, "login");
}

static void
test_forgot_login_schools (Fixture       *f,
                           gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), "claire.dubois@example.fr",
                                   "Claire", FR_JULES_FERRY, "Collège Jean Jaurès", NULL };
  g_autofree char *mail = NULL;
  GtkWidget *send;

  open_choice (f, FR_FORGOT_LOGIN, "forgot-login");
  carnet_test_ui_type_into (f->window, FR_MY_MAIL, "claire.dubois@example.fr");
  click (f, FR_SEND);

  wait_for_control (f, FR_JULES_FERRY);
  send = carnet_test_ui_get_by_label (f->window, FR_SEND_AGAIN);
  g_assert_false (gtk_widget_is_sensitive (send));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (carnet_test_ui_get_by_label (f->window, FR_JULES_FERRY)), TRUE);
  carnet_test_ui_type_into (f->window, FR_FIRST_NAME, "Claire");
  g_assert_true (gtk_widget_is_sensitive (send));
  shoot (f, "forgot-login-2-schools");
  assert_french (f, "forgotten login (schools)", allowed);
  assert_controls_named (f, "forgotten login (schools)");
  click (f, FR_SEND_AGAIN);

  wait_for_label (f, FR_NEUTRAL);

  /* Escape goes back one step at a time, keeping the address, then to the choices. */
  gtk_widget_activate_action (f->window, "win.back", NULL);
  wait_for_control (f, FR_MY_MAIL);
  g_assert_cmpstr (text_of (f, FR_MY_MAIL), ==, "claire.dubois@example.fr");
  gtk_widget_activate_action (f->window, "win.back", NULL);
  wait_for_page (f, "welcome");

  mail = carnet_test_ent_last_mail (f->ent, "claire.dubois@example.fr");
  g_assert_nonnull (mail);
  g_assert_nonnull (strstr (mail, "claire.dubois1"));
}

static void
test_forgot_login_unreachable (Fixture       *f,
                               gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), "paul.leroy@example.fr", NULL };

  open_choice (f, FR_FORGOT_LOGIN, "forgot-login");
  carnet_test_ent_set_fault (f->ent, "/auth/forgot-id", "drop", 0, -1);
  carnet_test_ui_type_into (f->window, FR_MY_MAIL, "paul.leroy@example.fr");
  click (f, FR_SEND);

  wait_for_prefix (f, FR_UNREACHABLE);
  shoot (f, "forgot-login-unreachable");
  assert_french (f, "forgotten login (unreachable)", allowed);
  g_assert_cmpstr (text_of (f, FR_MY_MAIL), ==, "paul.leroy@example.fr");
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_MY_MAIL)));
  g_assert_null (carnet_test_ui_find_label_text (f->window, FR_NEUTRAL));

  /* The ENT is back: the same text goes through. */
  carnet_test_ent_clear_faults (f->ent);
  click (f, FR_SEND);
  wait_for_label (f, FR_NEUTRAL);
}

/* --- Mot de passe oublié ----------------------------------------------------- */

static char *
ask_for_link (Fixture *f)
{
  open_choice (f, FR_FORGOT_PASSWORD, "forgot-password");
  carnet_test_ui_type_into (f->window, FR_MY_LOGIN, "karim.benali");
  carnet_test_ui_press_enter (f->window, FR_MY_LOGIN);
  wait_for_control (f, FR_LINK);

  return carnet_test_ent_last_reset_link (f->ent, "karim.benali@example.fr");
}

static void
test_forgot_password (Fixture       *f,
                      gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (f->ent), "karim.benali",
                                   "Le mot de passe doit comporter au moins 8 caractères, dont une lettre minuscule, une lettre majuscule et un chiffre.",
                                   NULL };
  g_autofree char *link = NULL;
  g_autofree char *pasted = NULL;

  open_choice (f, FR_FORGOT_PASSWORD, "forgot-password");
  carnet_test_ui_type_into (f->window, FR_MY_LOGIN, "karim.benali");
  shoot (f, "forgot-password-1-login");
  assert_french (f, "forgotten password", allowed);
  assert_controls_named (f, "forgotten password");
  carnet_test_ui_press_enter (f->window, FR_MY_LOGIN);
  wait_for_control (f, FR_LINK);
  wait_for_prefix (f, "Un mail vous a été envoyé avec un lien");
  assert_secret_row (carnet_test_ui_get_by_label (f->window, FR_LINK));
  link = carnet_test_ent_last_reset_link (f->ent, "karim.benali@example.fr");
  g_assert_nonnull (link);

  /* A link to another ENT is named as such. */
  carnet_test_ui_type_into (f->window, FR_LINK, "https://ent.example.org/auth/reset/ABCD2345");
  wait_for_prefix (f, "Ce lien est celui d’un autre ENT");

  /* Pasted from a mail reader: angle brackets and a space. */
  pasted = g_strdup_printf (" <%s>", link);
  carnet_test_ui_type_into (f->window, FR_LINK, pasted);
  wait_for_prefix (f, "Code ");
  /* The status says the code is good without showing it. */
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, FR_CODE_RECOGNIZED));
  carnet_test_ui_type_into (f->window, FR_NEW_PASSWORD, "Trousse2026");
  carnet_test_ui_type_into (f->window, FR_CONFIRM, "Trousse2026");
  wait_for_label (f, FR_RULE_OK);
  shoot (f, "forgot-password-2-reset");
  {
    const char * const allowed2[] = { "Carnet", carnet_test_ent_get_host (f->ent), pasted, "karim.benali",
                                      "Le mot de passe doit comporter au moins 8 caractères, dont une lettre minuscule, une lettre majuscule et un chiffre.",
                                      NULL };

    assert_french (f, "forgotten password (reset)", allowed2);
  }
  assert_controls_named (f, "forgotten password (reset)");
  click (f, FR_CHANGE);

  wait_for_page (f, "login");
  wait_for_label (f, FR_CHANGED);
  shoot (f, "forgot-password-3-login");
  g_assert_cmpstr (text_of (f, FR_LOGIN), ==, "karim.benali");
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Trousse2026"));
  g_assert_false (carnet_test_ent_check_password (f->ent, "karim.benali", "Cartable2026"));
}

static void
test_forgot_password_expired (Fixture       *f,
                              gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), "karim.benali",
                                   "Le mot de passe doit comporter au moins 8 caractères, dont une lettre minuscule, une lettre majuscule et un chiffre.",
                                   NULL };
  g_autofree char *link = ask_for_link (f);
  g_autofree char *code = g_path_get_basename (link);
  const char * const allowed2[] = { "Carnet", carnet_test_ent_get_host (f->ent), "karim.benali", code,
                                    "Le mot de passe doit comporter au moins 8 caractères, dont une lettre minuscule, une lettre majuscule et un chiffre.",
                                    NULL };

  carnet_test_ent_advance_clock (f->ent, 24 * 3600 + 1);
  /* Typed rather than pasted: the 8-character code. */
  carnet_test_ui_type_into (f->window, FR_LINK, code);
  wait_for_prefix (f, "Code ");
  carnet_test_ui_type_into (f->window, FR_NEW_PASSWORD, "Trousse2026");
  carnet_test_ui_type_into (f->window, FR_CONFIRM, "Trousse2026");
  click (f, FR_CHANGE);

  wait_for_label (f, FR_EXPIRED);
  shoot (f, "forgot-password-expired");
  assert_french (f, "forgotten password (expired)", allowed2);
  assert_controls_named (f, "forgotten password (expired)");
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Cartable2026"));

  /* A new link, the login kept; the old link, a secret of no use now, is gone. */
  click (f, FR_NEW_LINK);
  wait_for_control (f, FR_MY_LOGIN);
  g_assert_cmpstr (text_of (f, FR_MY_LOGIN), ==, "karim.benali");
  {
    GtkWidget *page = carnet_test_ui_find_by_type (f->window, CARNET_TYPE_FORGOT_PASSWORD_PAGE);

    g_assert_nonnull (page);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_find_by_name (page, "code_row"))), ==, "");
  }
  assert_french (f, "forgotten password (again)", allowed);
  g_assert_false (prefix_showing (f, FR_EXPIRED));
}

/* The code of the reset mail typed as the password on the login page: the
 * ENT answers with its reset page. Carnet says what it is and offers to
 * choose the new password with it, the login and the code already filled. */
static void
test_reset_code_as_password (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *link = ask_for_link (f);
  g_autofree char *code = g_path_get_basename (link);
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (f->ent), "karim.benali", NULL };
  GtkWidget *button;
  GtkWidget *focus;

  /* Back to the choices, then "Se connecter" with the mail's code. */
  gtk_widget_activate_action (f->window, "win.back", NULL);
  gtk_widget_activate_action (f->window, "win.back", NULL);
  wait_for_page (f, "welcome");
  wait_for_control (f, FR_LOG_IN);
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_LOG_IN));
  wait_for_page (f, "login");
  carnet_test_ui_type_into (f->window, FR_LOGIN, "karim.benali");
  carnet_test_ui_type_into (f->window, "Mot de passe", code);
  carnet_test_ui_press_enter (f->window, "Mot de passe");
  wait_for_label (f, FR_CODE_AS_PASSWORD);
  button = carnet_test_ui_get_by_label (f->window, FR_CHOOSE_WITH_CODE);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == button || (focus != NULL && gtk_widget_is_ancestor (focus, button)));
  /* Nothing refused counts: the password is the same, the code unused. */
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Cartable2026"));
  shoot (f, "login-reset-code-as-password");
  assert_french (f, "login (reset code as password)", allowed);
  assert_controls_named (f, "login (reset code as password)");

  /* The forgotten-password page at its last step, code and login kept. */
  gtk_widget_activate (button);
  wait_for_page (f, "forgot-password");
  wait_for_control (f, FR_NEW_PASSWORD);
  g_assert_cmpstr (text_of (f, FR_LINK), ==, code);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, carnet_test_ui_get_by_label (f->window, FR_NEW_PASSWORD)));
  carnet_test_ui_type_into (f->window, FR_NEW_PASSWORD, "Trousse2026");
  carnet_test_ui_type_into (f->window, FR_CONFIRM, "Trousse2026");
  wait_for_label (f, FR_RULE_OK);
  shoot (f, "forgot-password-from-login");
  click (f, FR_CHANGE);

  wait_for_page (f, "login");
  wait_for_label (f, FR_CHANGED);
  g_assert_cmpstr (text_of (f, FR_LOGIN), ==, "karim.benali");
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Trousse2026"));
}

int
main (int   argc,
      char *argv[])
{

  carnet_test_ui_init (&argc, &argv);

  g_test_add ("/ui/wizard/activation", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_activation, fixture_teardown);
  g_test_add ("/ui/wizard/activation/cancel", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_activation_cancel, fixture_teardown);
  g_test_add ("/ui/wizard/activation/unreachable", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_activation_unreachable, fixture_teardown);
  g_test_add ("/ui/wizard/forgot-login/one", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_forgot_login_one, fixture_teardown);
  g_test_add ("/ui/wizard/forgot-login/schools", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_forgot_login_schools, fixture_teardown);
  g_test_add ("/ui/wizard/forgot-login/unreachable", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_forgot_login_unreachable, fixture_teardown);
  g_test_add ("/ui/wizard/forgot-password/reset", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_forgot_password, fixture_teardown);
  g_test_add ("/ui/wizard/forgot-password/code-as-password", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_reset_code_as_password, fixture_teardown);
  g_test_add ("/ui/wizard/forgot-password/expired", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_forgot_password_expired, fixture_teardown);

  return g_test_run ();
}
