/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What must happen after every login, as the letter says: "Consultez et
 * acceptez la charte ENT", then "Saisissez votre mail pour être notifié des
 * messages de l'ENT" — in the real window, against the test ENT. */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "carnet-charter-page.h"
#include "carnet-login-page.h"
#include "carnet-mail-page.h"
#include "carnet-password-page.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-ui-private.h"
#include "carnet-window.h"

/* Generous: three engineers share two cores. */
#define TIMEOUT_MS 30000

#define FR_ADDRESS        "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE  "Se connecter"
#define FR_LOGIN          "Identifiant"
#define FR_PASSWORD       "Mot de passe"
#define FR_ACCEPT         "J’accepte la charte"
#define FR_MAIL           "Mon adresse mail"
#define FR_CODE           "Code reçu par mail"
#define FR_RESEND         "Renvoyer le code"
#define FR_CHANGE_ADDRESS "Modifier l’adresse"
#define FR_SENT_PREFIX    "Un code à 6 chiffres a été envoyé à "
#define FR_WRONG_CODE     "Code incorrect. Il vous reste 4 essais."
#define FR_OUTDATED       "Ce code n’est plus valable. Demandez-en un nouveau."

#define NEW_MAIL          "nathalie.nouvelle@example.fr"

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
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");

  /* These tests are not about remembering passwords: the keyring stays out
   * of them (the settings live in memory, for this process only). */
  g_settings_set_boolean (settings, "remember-credentials", FALSE);
  carnet_test_ui_fixture_setup (f, TRUE, 560);
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
wait_for_label_prefix (Fixture    *f,
                       const char *prefix)
{
  carnet_test_ui_wait_for_label_prefix (f->window, prefix, TIMEOUT_MS);
}

static void
wait_for_control (Fixture    *f,
                  const char *label)
{
  carnet_test_ui_wait_for_control (f->window, label, TIMEOUT_MS);
}

static void
wait_for_sensitive (Fixture    *f,
                    const char *label)
{
  carnet_test_ui_wait_for_control_sensitive (f->window, label, TIMEOUT_MS);
}

static void
wait_for_page (Fixture    *f,
               const char *name)
{
  carnet_test_ui_wait_for_page (f->window, name, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (f->window);
}

/* The server's record of @login, parsed. */
static JsonObject *
get_user (Fixture    *f,
          const char *login)
{
  g_autofree char *json = carnet_test_ent_get_user_json (f->ent, login);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
login_page_idle_cb (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWidget *page = carnet_test_ui_find_by_name (f->window, "login_page");

  return CARNET_IS_LOGIN_PAGE (page) && !carnet_login_page_get_busy (CARNET_LOGIN_PAGE (page));
}

static void
log_in (Fixture    *f,
        const char *login,
        const char *password)
{
  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);
  wait_for_control (f, FR_LOG_IN_CHOICE);
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_LOG_IN_CHOICE));
  wait_for_page (f, "login");

  /* The login page first looks for a remembered password in the keyring,
   * and ignores Enter meanwhile. */
  carnet_test_ui_wait_until (login_page_idle_cb, f, TIMEOUT_MS, "the login page to be ready");

  carnet_test_ui_type_into (f->window, FR_LOGIN, login);
  carnet_test_ui_type_into (f->window, FR_PASSWORD, password);
  carnet_test_ui_press_enter (f->window, FR_PASSWORD);
}

static CarnetCharterPage *
get_charter_page (Fixture *f)
{
  GtkWidget *page = carnet_test_ui_find_by_name (f->window, "charter_page");

  g_assert_true (CARNET_IS_CHARTER_PAGE (page));

  return CARNET_CHARTER_PAGE (page);
}

static gboolean
charter_shown_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return carnet_charter_page_get_n_pages (get_charter_page (f)) > 0;
}

/* Logs nathalie.martin in and accepts the charter, checking what shows. */
static void
accept_charter (Fixture *f,
                gboolean screenshot)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), NULL };
  g_autoptr(JsonObject) user = NULL;
  GtkWidget *accept;

  log_in (f, "nathalie.martin", "Soleil2026");

  wait_for_page (f, "charter");
  carnet_test_ui_wait_until (charter_shown_cb, f, TIMEOUT_MS, "the charter to show");

  /* The test ENT's charter is a 3-page PDF, rendered here, every page. */
  g_assert_cmpuint (carnet_charter_page_get_n_pages (get_charter_page (f)), ==, 3);
  g_assert_true (GTK_IS_PICTURE (carnet_test_ui_get_by_label (f->window, "Page 1 sur 3")));
  g_assert_nonnull (carnet_test_ui_find_by_name (f->window, "charter-page-picture"));
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Consultez et acceptez la charte ENT"));
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, "Ouvrir dans le lecteur de PDF")));

  if (screenshot)
    {
      g_free (carnet_test_ui_save_screenshot (f->window, "charter"));
      assert_french (f, "charter", allowed);
      assert_controls_named (f, "charter");
    }

  user = get_user (f, "nathalie.martin");
  g_assert_true (json_object_get_boolean_member (user, "needRevalidateTerms"));

  accept = carnet_test_ui_get_by_label (f->window, FR_ACCEPT);
  g_assert_true (gtk_widget_is_sensitive (accept));
  gtk_widget_activate (accept);

  wait_for_page (f, "mail");
  g_clear_pointer (&user, json_object_unref);
  user = get_user (f, "nathalie.martin");
  g_assert_false (json_object_get_boolean_member (user, "needRevalidateTerms"));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/cgu/revalidate"), ==, 1);
}

static const char *
carnet_mail_page_get_step_for_test (Fixture *f)
{
  GtkWidget *page = carnet_test_ui_find_by_name (f->window, "mail_page");

  g_assert_true (CARNET_IS_MAIL_PAGE (page));

  return carnet_mail_page_get_step (CARNET_MAIL_PAGE (page));
}

static gboolean
mail_step_is_address_cb (gpointer user_data)
{
  return g_strcmp0 (carnet_mail_page_get_step_for_test (user_data), "address") == 0;
}

static gboolean
uris_recorded_cb (gpointer user_data)
{
  return ((GPtrArray *) user_data)->len > 0;
}

static gboolean
resend_waiting_cb (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWidget *resend = carnet_test_ui_find_by_label (f->window, FR_RESEND);

  return resend != NULL && !gtk_widget_is_sensitive (resend);
}

static void
send_code_to (Fixture    *f,
              const char *address)
{
  GtkWidget *resend;

  wait_for_sensitive (f, FR_MAIL);
  carnet_test_ui_type_into (f->window, FR_MAIL, address);
  carnet_test_ui_press_enter (f->window, FR_MAIL);

  wait_for_label_prefix (f, FR_SENT_PREFIX);
  g_assert_cmpstr (carnet_mail_page_get_step_for_test (f), ==, "code");

  /* "Send again" waits for the ENT's waitInSeconds, and says so. */
  resend = carnet_test_ui_get_by_label (f->window, FR_RESEND);
  g_assert_false (gtk_widget_is_sensitive (resend));
  g_assert_true (g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (resend)), "Renvoyer le code ("));
}

static void
type_code (Fixture    *f,
           const char *code)
{
  wait_for_sensitive (f, FR_CODE);
  carnet_test_ui_type_into (f->window, FR_CODE, code);
  carnet_test_ui_press_enter (f->window, FR_CODE);
}

static char *
wrong_code (const char *right)
{
  return g_strdup (g_str_equal (right, "000000") ? "111111" : "000000");
}

static void
test_charter_and_mail (Fixture       *f,
                       gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent),
                                   "nathalie.martin@example.fr", NEW_MAIL,
                                   "nathalie.martin", "Nathalie Martin", "NM", NULL };
  g_autoptr(JsonObject) user = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong = NULL;
  GtkWidget *row;

  accept_charter (f, TRUE);

  /* Step 1: the address the ENT knows, ready to be confirmed or changed. */
  wait_for_sensitive (f, FR_MAIL);
  row = carnet_test_ui_get_by_label (f->window, FR_MAIL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "nathalie.martin@example.fr");
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, "Votre mail pour les notifications de l’ENT"));
  g_free (carnet_test_ui_save_screenshot (f->window, "mail-address"));
  assert_french (f, "mail (address)", allowed);
  assert_controls_named (f, "mail (address)");

  /* Step 2: the code. */
  send_code_to (f, NEW_MAIL);
  code = carnet_test_ent_last_mail_code (f->ent, NEW_MAIL);
  wrong = wrong_code (code);

  type_code (f, wrong);
  wait_for_label (f, FR_WRONG_CODE);
  row = carnet_test_ui_get_by_label (f->window, FR_CODE);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  /* What was typed stays, to be corrected. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, wrong);
  g_free (carnet_test_ui_save_screenshot (f->window, "mail-code-error"));
  assert_french (f, "mail (code)", allowed);
  assert_controls_named (f, "mail (code)");

  /* Back to the address without losing it, then to the code again. */
  gtk_widget_activate_action (f->window, "win.back", NULL);
  carnet_test_ui_wait_until (mail_step_is_address_cb, f, TIMEOUT_MS, "the mail page back at the address");
  g_assert_cmpstr (carnet_mail_page_get_step_for_test (f), ==, "address");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, FR_MAIL))),
                   ==, NEW_MAIL);
  user = get_user (f, "nathalie.martin");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "nathalie.martin@example.fr");
  g_clear_pointer (&user, json_object_unref);

  /* Sending again at once: entcore does not throttle (waitInSeconds is a
   * hint, CONTRACT.md mailstate PUT) and mails the same code again; the
   * page is back at the code, the address kept. */
  carnet_test_ui_press_enter (f->window, FR_MAIL);
  wait_for_label_prefix (f, "Un code à 6 chiffres a été envoyé à");
  g_assert_cmpstr (carnet_mail_page_get_step_for_test (f), ==, "code");
  gtk_widget_activate_action (f->window, "win.back", NULL);
  carnet_test_ui_wait_until (mail_step_is_address_cb, f, TIMEOUT_MS, "the mail page back at the address");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, FR_MAIL))),
                   ==, NEW_MAIL);
}

static void
test_charter_and_mail_valid (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonObject) user = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong = NULL;

  accept_charter (f, FALSE);
  send_code_to (f, NEW_MAIL);
  code = carnet_test_ent_last_mail_code (f->ent, NEW_MAIL);
  wrong = wrong_code (code);

  type_code (f, wrong);
  wait_for_label (f, FR_WRONG_CODE);

  type_code (f, code);
  wait_for_page (f, "account");
  wait_for_label (f, "Compte de Nathalie");
  wait_for_label (f, NEW_MAIL);

  user = get_user (f, "nathalie.martin");
  g_assert_false (json_object_get_boolean_member (user, "needRevalidateTerms"));
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, NEW_MAIL);
  g_assert_true (json_object_get_boolean_member (user, "emailValidated"));
}

/* A parent who does not accept the charter can still leave: the header bar
 * offers to log out, and the ENT is told. */
static void
test_log_out_from_charter (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *button;

  log_in (f, "nathalie.martin", "Soleil2026");
  wait_for_page (f, "charter");
  carnet_test_ui_wait_until (charter_shown_cb, f, TIMEOUT_MS, "the charter to show");
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/logout"), ==, 0);

  button = carnet_test_ui_get_by_label (f->window, "Se déconnecter sans terminer ces étapes");
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);

  wait_for_page (f, "welcome");
  g_assert_false (carnet_ent_client_has_session (carnet_window_get_client (CARNET_WINDOW (f->window))));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/logout"), ==, 1);
  /* Not shown where there is nothing to leave. */
  g_assert_null (carnet_test_ui_find_by_label (f->window, "Se déconnecter sans terminer ces étapes"));
}

static void
collect_editables (GtkWidget *widget,
                   GPtrArray *editables)
{
  if (ADW_IS_ENTRY_ROW (widget))
    g_ptr_array_add (editables, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_editables (child, editables);
}

/* Logged out from the mail step with a code typed: what was typed goes
 * with the session (the code row hides it, the next user could show it). */
static void
test_log_out_from_mail (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) editables = g_ptr_array_new ();
  GtkWidget *mail_page;

  accept_charter (f, FALSE);
  send_code_to (f, NEW_MAIL);
  wait_for_sensitive (f, FR_CODE);
  carnet_test_ui_type_into (f->window, FR_CODE, "123456");

  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Se déconnecter sans terminer ces étapes"));
  wait_for_page (f, "welcome");

  mail_page = carnet_test_ui_find_by_name (f->window, "mail_page");
  g_assert_nonnull (mail_page);
  collect_editables (mail_page, editables);
  g_assert_cmpuint (editables->len, >=, 2);
  for (guint i = 0; i < editables->len; i++)
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (editables, i))), ==, "");
}

static void
test_mail_code_expired (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) user = NULL;
  g_autofree char *code = NULL;
  g_autofree char *second = NULL;
  g_autofree char *mail = NULL;
  GtkWidget *resend;

  accept_charter (f, FALSE);
  send_code_to (f, NEW_MAIL);
  code = carnet_test_ent_last_mail_code (f->ent, NEW_MAIL);

  /* Ten minutes and a second later, the right code is no longer valid. */
  carnet_test_ent_advance_clock (f->ent, 601);
  type_code (f, code);
  wait_for_label (f, FR_OUTDATED);

  /* A new code can be asked for at once, and that one works. */
  resend = carnet_test_ui_get_by_label (f->window, FR_RESEND);
  g_assert_true (gtk_widget_is_sensitive (resend));
  mail = carnet_test_ent_last_mail (f->ent, NEW_MAIL);
  gtk_widget_activate (resend);

  /* Once the ENT has sent it, the countdown starts again. */
  carnet_test_ui_wait_until (resend_waiting_cb, f, TIMEOUT_MS, "the new code to be sent");
  g_assert_null (carnet_test_ui_find_label_prefix (f->window, "Ce code n’est plus"));
  second = carnet_test_ent_last_mail_code (f->ent, NEW_MAIL);
  {
    g_autofree char *now = carnet_test_ent_last_mail (f->ent, NEW_MAIL);

    g_assert_cmpstr (now, !=, mail);
  }

  type_code (f, second);
  wait_for_page (f, "account");
  wait_for_label (f, NEW_MAIL);

  user = get_user (f, "nathalie.martin");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, NEW_MAIL);
}

static void
collect_password_rows (GtkWidget *widget,
                       GPtrArray *rows)
{
  if (!carnet_test_ui_is_showing (widget))
    return;

  if (ADW_IS_PASSWORD_ENTRY_ROW (widget))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_password_rows (child, rows);
}

/* The new-password group belongs to the activation wizard (its wording
 * too): its two rows are found by place, the new one then its confirmation. */
static void
type_new_password (Fixture    *f,
                   const char *password)
{
  GtkWidget *page = carnet_test_ui_find_by_type (f->window, CARNET_TYPE_PASSWORD_PAGE);
  GtkWidget *group = page ? carnet_test_ui_find_by_name (page, "password_group") : NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  g_assert_nonnull (group);
  collect_password_rows (group, rows);
  g_assert_cmpuint (rows->len, ==, 2);

  for (guint i = 0; i < rows->len; i++)
    {
      gtk_widget_grab_focus (g_ptr_array_index (rows, i));
      gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, i)), password);
    }
}

static void
test_forced_password_change (Fixture       *f,
                             gconstpointer  data)
{
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (f->ent), NULL };
  GtkWidget *change;
  GtkWidget *current;

  log_in (f, "paul.leroy", "Provisoire1");

  wait_for_page (f, "password");
  wait_for_label (f, "Choisissez un nouveau mot de passe");
  change = carnet_test_ui_get_by_label (f->window, "Changer le mot de passe");
  /* Nothing typed yet: nothing to send. */
  g_assert_false (gtk_widget_is_sensitive (change));

  /* A wrong current password is said next to it, the rest kept. */
  carnet_test_ui_type_into (f->window, "Mot de passe actuel", "Provisoire2");
  type_new_password (f, "Nouveau2026");
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive, change, TIMEOUT_MS,
                             "« Changer le mot de passe » to be offered");
  g_free (carnet_test_ui_save_screenshot (f->window, "password"));
  assert_controls_named (f, "password");
  gtk_widget_activate (change);
  /* The real ENT answers reset.error for a wrong current password and for
   * a new one used before alike (ENT-CORRECTIONS 3): the message says both. */
  wait_for_label (f, "Le mot de passe actuel est faux, ou le nouveau mot de passe a déjà été utilisé. "
                     "Vérifiez le mot de passe actuel, ou choisissez-en un autre.");
  current = carnet_test_ui_get_by_label (f->window, "Mot de passe actuel");
  g_assert_true (gtk_widget_has_css_class (current, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (current)), ==, "Provisoire2");
  g_free (carnet_test_ui_save_screenshot (f->window, "password-error"));
  assert_french (f, "password (error)", allowed);

  carnet_test_ui_type_into (f->window, "Mot de passe actuel", "Provisoire1");
  carnet_test_ui_press_enter (f->window, "Mot de passe actuel");

  /* Paul has nothing else to do: his account. */
  wait_for_page (f, "account");
  wait_for_label (f, "Compte de Paul");
  g_assert_true (carnet_test_ent_check_password (f->ent, "paul.leroy", "Nouveau2026"));
  g_assert_false (carnet_test_ent_check_password (f->ent, "paul.leroy", "Provisoire1"));
  /* The passwords have done their work: none stays in a widget. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (current)), ==, "");
}

static gboolean
retry_showing_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return carnet_test_ui_find_by_label (f->window, "Réessayer de télécharger la charte") != NULL;
}

static void
test_charter_download_errors (Fixture       *f,
                              gconstpointer  data)
{
  const char *charter = "/assets/cgu/Charte_d_utilisation.pdf";

  /* Progress shows at once and the download can be cancelled. */
  carnet_test_ent_set_fault (f->ent, charter, "latency", 10000, 1);
  log_in (f, "nathalie.martin", "Soleil2026");
  wait_for_page (f, "charter");
  wait_for_label (f, "Téléchargement de la charte…");
  g_assert_false (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_ACCEPT)));
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Annuler le téléchargement de la charte"));
  wait_for_label (f, "Le téléchargement de la charte a été annulé.");
  g_assert_false (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_ACCEPT)));

  /* The ENT fails: said plainly, with a way to try again. */
  carnet_test_ent_set_fault (f->ent, charter, "500", 0, 1);
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Réessayer de télécharger la charte"));
  wait_for_label (f, "L’ENT rencontre un problème en ce moment. Réessayez plus tard.");
  carnet_test_ui_wait_until (retry_showing_cb, f, TIMEOUT_MS, "the retry button");

  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Réessayer de télécharger la charte"));
  carnet_test_ui_wait_until (charter_shown_cb, f, TIMEOUT_MS, "the charter to show");
  g_assert_cmpuint (carnet_charter_page_get_n_pages (get_charter_page (f)), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_ACCEPT)));
}

static void
record_uri_cb (const char *uri,
               gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (uri));
}

/* « Ouvrir dans le lecteur de PDF » hands the viewer the bytes already
 * downloaded, from a private file (0600 in a 0700 folder), never the ENT's
 * address; the file goes when the parent logs out (nothing of the session
 * waits for the next user of a shared machine), or when the window closes. */
static void
test_charter_outside_viewer (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  GStatBuf st;

  carnet_ui_set_launcher_for_testing (record_uri_cb, uris);
  log_in (f, "nathalie.martin", "Soleil2026");
  wait_for_page (f, "charter");
  carnet_test_ui_wait_until (charter_shown_cb, f, TIMEOUT_MS, "the charter to show");
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive,
                             carnet_test_ui_get_by_label (f->window, "Ouvrir dans le lecteur de PDF"),
                             TIMEOUT_MS, "the charter to be downloaded");
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Ouvrir dans le lecteur de PDF"));
  /* A button activated from the keyboard clicks once its press shows. */
  carnet_test_ui_wait_until (uris_recorded_cb, uris, TIMEOUT_MS, "the viewer to be asked");
  carnet_test_ui_drain ();

  g_assert_cmpuint (uris->len, ==, 1);
  g_assert_false (g_str_has_prefix (g_ptr_array_index (uris, 0), carnet_test_ent_get_url (f->ent)));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (uris, 0), "file:///"));
  path = g_filename_from_uri (g_ptr_array_index (uris, 0), NULL, NULL);
  g_assert_nonnull (path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  dir = g_path_get_dirname (path);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_str_has_prefix (dir, g_get_user_runtime_dir ()) || g_str_has_prefix (dir, g_get_tmp_dir ()));
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_assert_true (length > 4 && memcmp (contents, "%PDF", 4) == 0);
  }

  /* Logged out: the copy is gone, and its folder. */
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Se déconnecter sans terminer ces étapes"));
  wait_for_page (f, "welcome");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  /* Again, then the window closed while the charter is open: the same. */
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&dir, g_free);
  g_ptr_array_set_size (uris, 0);
  log_in (f, "nathalie.martin", "Soleil2026");
  wait_for_page (f, "charter");
  carnet_test_ui_wait_until (charter_shown_cb, f, TIMEOUT_MS, "the charter to show");
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive,
                             carnet_test_ui_get_by_label (f->window, "Ouvrir dans le lecteur de PDF"),
                             TIMEOUT_MS, "the charter to be downloaded");
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Ouvrir dans le lecteur de PDF"));
  carnet_test_ui_wait_until (uris_recorded_cb, uris, TIMEOUT_MS, "the viewer to be asked");
  path = g_filename_from_uri (g_ptr_array_index (uris, 0), NULL, NULL);
  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  dir = g_path_get_dirname (path);
  carnet_test_ui_destroy (f->window);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  carnet_ui_set_launcher_for_testing (NULL, NULL);

  /* The fixture closes a window: a fresh one. */
  f->window = gtk_window_new ();
}

int
main (int   argc,
      char *argv[])
{

  carnet_test_ui_init (&argc, &argv);

  g_test_add ("/ui/requirements/charter-then-mail", Fixture, NULL,
              fixture_setup, test_charter_and_mail, fixture_teardown);
  g_test_add ("/ui/requirements/mail-validated", Fixture, NULL,
              fixture_setup, test_charter_and_mail_valid, fixture_teardown);
  g_test_add ("/ui/requirements/mail-code-expired", Fixture, NULL,
              fixture_setup, test_mail_code_expired, fixture_teardown);
  g_test_add ("/ui/requirements/log-out-from-charter", Fixture, NULL,
              fixture_setup, test_log_out_from_charter, fixture_teardown);

  g_test_add ("/ui/requirements/log-out-from-mail", Fixture, NULL,
              fixture_setup, test_log_out_from_mail, fixture_teardown);
  g_test_add ("/ui/requirements/charter-outside-viewer", Fixture, NULL,
              fixture_setup, test_charter_outside_viewer, fixture_teardown);
  g_test_add ("/ui/requirements/charter-download-errors", Fixture, NULL,
              fixture_setup, test_charter_download_errors, fixture_teardown);
  g_test_add ("/ui/requirements/forced-password-change", Fixture, NULL,
              fixture_setup, test_forced_password_change, fixture_teardown);

  return g_test_run ();
}
