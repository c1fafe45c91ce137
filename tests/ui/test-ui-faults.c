/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fault matrix: every fault the test ENT can inject, on every page that
 * calls the faulted route. Each row checks what a parent would notice: no
 * crash, no warning (G_DEBUG=fatal-warnings), a plain French message that
 * says what happened (no raw error text), a way to try again that works once
 * the ENT is fine, and nothing typed lost. */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS   8000
/* The window's per-request time-out for this test (CARNET_TEST_ENT_TIMEOUT,
 * seconds), and the latency that goes beyond it. */
#define CLIENT_TIMEOUT_S "1"
#define LATENCY_MS       1500
/* … and for a route that changes the account: the ENT still carries out the
 * late request once the client gave up, so it must come after the retry
 * (which would otherwise find the account already activated). */
#define LATENCY_LONG_MS  3000

/* What the French messages say, from their first words: specific enough to
 * tell one cause from another. */
#define MSG_TIMEOUT     "L’ENT a mis trop de temps à répondre"
#define MSG_UNREACHABLE "Impossible de joindre l’ENT"
#define MSG_SERVER      "L’ENT rencontre un problème en ce moment"
#define MSG_PROTOCOL    "L’ENT a donné une réponse que Carnet ne comprend pas"
#define MSG_NOT_ENT     "Cette adresse ne répond pas comme un ENT"
#define MSG_NOTHING     "Rien ne répond à cette adresse"
#define MSG_SESSION     "Vous avez été déconnecté"
#define MSG_CSRF        "L’ENT a refusé la demande"
#define MSG_BAN         "Trop de tentatives"
#define MSG_NO_PDF      "La charte ne peut pas être affichée ici"
#define MSG_REFUSED     "L’ENT a refusé ce qui a été saisi"
#define MSG_HUGE        "La réponse de l’ENT est trop volumineuse"

static CarnetTestEnt *ent;
static GPtrArray *po_msgids;
static GPtrArray *po_msgstrs;
static GtkWidget *window;

/* --- Helpers ------------------------------------------------------------------ */

static gboolean
string_showing (GtkWidget  *root,
                const char *part)
{
  g_autoptr(GPtrArray) strings = carnet_test_ui_collect_strings (root);

  for (guint i = 0; i < strings->len; i++)
    if (strstr (g_ptr_array_index (strings, i), part) != NULL)
      return TRUE;

  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Lookup;

static void
wait_for_control (const char *label)
{
  carnet_test_ui_wait_for_control (window, label, TIMEOUT_MS);
}

static gboolean
string_showing_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return string_showing (lookup->root, lookup->text);
}

static void
wait_for_string (const char *text)
{
  Lookup lookup = { window, text };
  g_autofree char *what = g_strdup_printf ("a text with “%s”", text);

  carnet_test_ui_wait_until (string_showing_cb, &lookup, TIMEOUT_MS, what);
}

static void
wait_for_page (const char *name)
{
  carnet_test_ui_wait_for_page (window, name, TIMEOUT_MS);
  carnet_test_ui_drain ();
}

static gboolean
page_left_cb (gpointer user_data)
{
  const char *name = carnet_window_get_page_name (CARNET_WINDOW (window));

  return !g_str_equal (name, user_data) && !g_str_equal (name, "steps");
}

static void
click (const char *label)
{
  carnet_test_ui_wait_for_control_sensitive (window, label, TIMEOUT_MS);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, label));
}

static const char *
text_of (const char *label)
{
  return gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (window, label)));
}

static void
new_window (gboolean with_url)
{
  window = GTK_WIDGET (carnet_window_new (NULL, with_url ? carnet_test_ent_get_url (ent) : NULL,
                                          carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 860);
  carnet_test_ui_present (window);
}

/* From the welcome page (address already checked): the choice @choice. */
static void
choose (const char *choice,
        const char *page)
{
  wait_for_control (choice);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, choice));
  wait_for_page (page);
}

static void
log_in (const char *login,
        const char *password)
{
  choose ("Se connecter", "login");
  carnet_test_ui_type_into (window, "Identifiant", login);
  carnet_test_ui_type_into (window, "Mot de passe", password);
  click ("Se connecter");
}

/* --- The pages and their routes -------------------------------------------------- */

/* One way to reach a page, fill it, send it, and know it worked. */
typedef struct
{
  const char   *name;
  const char   *page;           /* the window's page where the error shows */
  const char   *route;          /* the path the fault is put on */
  gboolean      fault_first;    /* the route is called while the page opens */
  gboolean      with_url;       /* the window opens on the ENT's address */
  gboolean      changes_state;  /* a late request would change the account */
  void        (*open)    (void);
  void        (*fill)    (void);
  const char   *submit;         /* the control that sends, and sends again */
  const char   *retry;          /* the control that tries again, when not @submit */
  const char   *fields[4][2];   /* what was typed: label, text */
  void        (*succeeded) (void);
  /* A step after the login: when the session is gone, the way on is to log
   * out and in again, as the message says; this login and password. */
  const char   *relogin[2];
} PageCase;

static void
open_nothing (void)
{
}

/* Bienvenue: the address check (GET /auth/context). */
static void
fill_address (void)
{
  carnet_test_ui_type_into (window, "Adresse de l’ENT", carnet_test_ent_get_host (ent));
}

static void
address_succeeded (void)
{
  wait_for_control ("Se connecter");
}

/* Se connecter (POST /auth/login). */
static void
open_login (void)
{
  choose ("Se connecter", "login");
}

static void
fill_login (void)
{
  carnet_test_ui_type_into (window, "Identifiant", "karim.benali");
  carnet_test_ui_type_into (window, "Mot de passe", "Cartable2026");
}

static void
left_for_account (void)
{
  wait_for_page ("account");
}

/* Première connexion, step 1 (POST /auth/activation/match). */
static void
open_activation (void)
{
  choose ("Première connexion (activer mon compte)", "activation");
}

static void
fill_letter (void)
{
  carnet_test_ui_type_into (window, "Identifiant", "frederic");
  carnet_test_ui_type_into (window, "Mot de passe provisoire", "7KQ4M2PX");
}

static void
letter_succeeded (void)
{
  wait_for_control ("Nouveau mot de passe");
}

/* Step 2 (POST /auth/activation). */
static void
open_activation_details (void)
{
  open_activation ();
  fill_letter ();
  click ("Continuer");
  letter_succeeded ();
}

static void
fill_details (void)
{
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Cahier2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Cahier2026");
  carnet_test_ui_type_into (window, "Adresse mail", "frederic@ac-lille.fr");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (carnet_test_ui_get_by_label (window, "J’accepte la charte d’utilisation")),
                               TRUE);
}

static void
activated (void)
{
  carnet_test_ui_wait_until (page_left_cb, (gpointer) "activation", TIMEOUT_MS,
                             "the window to leave the activation");
  g_assert_true (carnet_test_ent_check_password (ent, "frederic", "Cahier2026"));
}

/* Identifiant oublié (POST /auth/forgot-id). */
static void
open_forgot_login (void)
{
  choose ("Identifiant oublié", "forgot-login");
}

static void
fill_forgot_login (void)
{
  carnet_test_ui_type_into (window, "Mon adresse mail", "paul.leroy@example.fr");
}

static void
forgot_login_succeeded (void)
{
  wait_for_string ("Si un compte correspond à cette adresse");
}

/* Mot de passe oublié (POST /auth/forgot-password). */
static void
open_forgot_password (void)
{
  choose ("Mot de passe oublié", "forgot-password");
}

static void
fill_forgot_password (void)
{
  carnet_test_ui_type_into (window, "Mon identifiant", "karim.benali");
}

static void
link_sent (void)
{
  wait_for_control ("Lien reçu par mail (ou code)");
}

/* Its second step (POST /auth/reset). */
static char *reset_link;

static void
open_reset (void)
{
  open_forgot_password ();
  fill_forgot_password ();
  click ("Envoyer");
  link_sent ();
  g_free (reset_link);
  reset_link = carnet_test_ent_last_reset_link (ent, "karim.benali@example.fr");
}

static void
fill_reset (void)
{
  carnet_test_ui_type_into (window, "Lien reçu par mail (ou code)", reset_link);
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Trousse2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Trousse2026");
}

static void
reset_done (void)
{
  wait_for_page ("login");
  g_assert_true (carnet_test_ent_check_password (ent, "karim.benali", "Trousse2026"));
}

/* The charter (nathalie.martin must accept it): its download, asked for as
 * the page opens, and the acceptance (PUT /auth/cgu/revalidate). */
static void
open_charter (void)
{
  log_in ("nathalie.martin", "Soleil2026");
  wait_for_page ("charter");
}

static void
charter_shown (void)
{
  wait_for_control ("J’accepte la charte");
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive,
                             carnet_test_ui_get_by_label (window, "J’accepte la charte"),
                             TIMEOUT_MS, "the charter to be accepted");
}

static void
open_charter_shown (void)
{
  open_charter ();
  charter_shown ();
}

static void
charter_accepted (void)
{
  wait_for_page ("mail");
}

/* The notification email (nathalie.martin, after the charter). */
static void
open_mail (void)
{
  open_charter_shown ();
  click ("J’accepte la charte");
  charter_accepted ();
  wait_for_control ("Mon adresse mail");
}

static void
code_asked (void)
{
  wait_for_control ("Code reçu par mail");
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_is_sensitive,
                             carnet_test_ui_get_by_label (window, "Code reçu par mail"),
                             TIMEOUT_MS, "the code field to be ready");
}

static void
open_mail_code (void)
{
  open_mail ();
  click ("Envoyer le code");
  code_asked ();
}

static void
fill_mail_code (void)
{
  g_autofree char *code = carnet_test_ent_last_mail_code (ent, "nathalie.martin@example.fr");

  carnet_test_ui_type_into (window, "Code reçu par mail", code);
}

/* The forced password change (paul.leroy). */
static void
open_forced_password (void)
{
  log_in ("paul.leroy", "Provisoire1");
  wait_for_page ("password");
}

static void
fill_forced_password (void)
{
  carnet_test_ui_type_into (window, "Mot de passe actuel", "Provisoire1");
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Classeur2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Classeur2026");
}

static void
forced_password_changed (void)
{
  carnet_test_ui_wait_until (page_left_cb, (gpointer) "password", TIMEOUT_MS,
                             "the window to leave the password page");
  g_assert_true (carnet_test_ent_check_password (ent, "paul.leroy", "Classeur2026"));
}

/* The account (karim.benali): the children, asked for when their pane shows. */
static void
open_account (void)
{
  log_in ("karim.benali", "Cartable2026");
  wait_for_page ("account");
}

static void
show_children (void)
{
  GtkWidget *stack = carnet_test_ui_find_by_type (window, ADW_TYPE_VIEW_STACK);

  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "children");
}

static void
children_shown (void)
{
  wait_for_string ("Yanis Benali");
}

/* The account's password change (POST /auth/changePassword). */
static void
fill_account_password (void)
{
  carnet_test_ui_type_into (window, "Mot de passe actuel", "Cartable2026");
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Trousse2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Trousse2026");
}

static void
account_password_changed (void)
{
  wait_for_string ("Mot de passe modifié");
  g_assert_true (carnet_test_ent_check_password (ent, "karim.benali", "Trousse2026"));
}

/* The account, as the login opens it (GET /auth/oauth2/userinfo). */
static void
open_login_karim (void)
{
  choose ("Se connecter", "login");
  fill_login ();
}

static void
nothing_to_fill (void)
{
}

static char *children_route;

enum {
  CASE_ADDRESS,
  CASE_LOGIN,
  CASE_ACTIVATION_MATCH,
  CASE_ACTIVATION,
  CASE_FORGOT_LOGIN,
  CASE_FORGOT_PASSWORD,
  CASE_RESET,
  CASE_CHARTER_DOWNLOAD,
  CASE_CHARTER_ACCEPT,
  CASE_MAIL_SEND,
  CASE_MAIL_CHECK,
  CASE_FORCED_PASSWORD,
  CASE_USERINFO,
  CASE_CHILDREN,
  CASE_ACCOUNT_PASSWORD,
  N_CASES
};

static PageCase cases[N_CASES] = {
  [CASE_ADDRESS] = { "welcome", "welcome", "/auth/context", FALSE, FALSE, FALSE,
                     open_nothing, fill_address, "Adresse de l’ENT", NULL,
                     { { "Adresse de l’ENT", NULL } }, address_succeeded },
  [CASE_LOGIN] = { "login", "login", "/auth/login", FALSE, TRUE, FALSE,
                   open_login, fill_login, "Se connecter", NULL,
                   { { "Identifiant", "karim.benali" }, { "Mot de passe", "Cartable2026" } },
                   left_for_account },
  [CASE_ACTIVATION_MATCH] = { "activation-letter", "activation", "/auth/activation/match", FALSE, TRUE, FALSE,
                              open_activation, fill_letter, "Continuer", NULL,
                              { { "Identifiant", "frederic" }, { "Mot de passe provisoire", "7KQ4M2PX" } },
                              letter_succeeded },
  [CASE_ACTIVATION] = { "activation-details", "activation", "/auth/activation", FALSE, TRUE, TRUE,
                        open_activation_details, fill_details, "Activer mon compte", NULL,
                        { { "Nouveau mot de passe", "Cahier2026" }, { "Confirmer le mot de passe", "Cahier2026" },
                          { "Adresse mail", "frederic@ac-lille.fr" } },
                        activated },
  [CASE_FORGOT_LOGIN] = { "forgot-login", "forgot-login", "/auth/forgot-id", FALSE, TRUE, FALSE,
                          open_forgot_login, fill_forgot_login, "Envoyer", NULL,
                          { { "Mon adresse mail", "paul.leroy@example.fr" } },
                          forgot_login_succeeded },
  [CASE_FORGOT_PASSWORD] = { "forgot-password", "forgot-password", "/auth/forgot-password", FALSE, TRUE, FALSE,
                             open_forgot_password, fill_forgot_password, "Envoyer", NULL,
                             { { "Mon identifiant", "karim.benali" } },
                             link_sent },
  [CASE_RESET] = { "reset", "forgot-password", "/auth/reset", FALSE, TRUE, TRUE,
                   open_reset, fill_reset, "Changer le mot de passe", NULL,
                   { { "Nouveau mot de passe", "Trousse2026" }, { "Confirmer le mot de passe", "Trousse2026" } },
                   reset_done },
  [CASE_CHARTER_DOWNLOAD] = { "charter-download", "charter", "/assets/cgu/Charte_d_utilisation.pdf", TRUE, TRUE, FALSE,
                              open_charter, nothing_to_fill, NULL, "Réessayer de télécharger la charte",
                              { { NULL } }, charter_shown },
  [CASE_CHARTER_ACCEPT] = { "charter-accept", "charter", "/auth/cgu/revalidate", FALSE, TRUE, TRUE,
                            open_charter_shown, nothing_to_fill, "J’accepte la charte", NULL,
                            { { NULL } }, charter_accepted, { "nathalie.martin", "Soleil2026" } },
  [CASE_MAIL_SEND] = { "mail-send", "mail", "/directory/user/mailstate", FALSE, TRUE, TRUE,
                       open_mail, nothing_to_fill, "Envoyer le code", NULL,
                       { { "Mon adresse mail", "nathalie.martin@example.fr" } }, code_asked,
                       { "nathalie.martin", "Soleil2026" } },
  [CASE_MAIL_CHECK] = { "mail-check", "mail", "/directory/user/mailstate", FALSE, TRUE, TRUE,
                        open_mail_code, fill_mail_code, "Valider le code", NULL,
                        { { NULL } }, left_for_account, { "nathalie.martin", "Soleil2026" } },
  [CASE_FORCED_PASSWORD] = { "password", "password", "/auth/reset", FALSE, TRUE, TRUE,
                             open_forced_password, fill_forced_password, "Changer le mot de passe", NULL,
                             { { "Mot de passe actuel", "Provisoire1" }, { "Nouveau mot de passe", "Classeur2026" },
                               { "Confirmer le mot de passe", "Classeur2026" } },
                             forced_password_changed, { "paul.leroy", "Provisoire1" } },
  [CASE_USERINFO] = { "account-userinfo", "login", "/auth/oauth2/userinfo", FALSE, TRUE, FALSE,
                      open_login_karim, nothing_to_fill, "Se connecter", NULL,
                      { { NULL } }, left_for_account },
  [CASE_CHILDREN] = { "account-children", "account", NULL /* children_route */, TRUE, TRUE, FALSE,
                      open_account, nothing_to_fill, NULL, "Réessayer",
                      { { NULL } }, children_shown },
  [CASE_ACCOUNT_PASSWORD] = { "account-password", "account", "/auth/changePassword", FALSE, TRUE, TRUE,
                              open_account, fill_account_password, "Enregistrer", NULL,
                              { { "Mot de passe actuel", "Cartable2026" }, { "Nouveau mot de passe", "Trousse2026" },
                                { "Confirmer le mot de passe", "Trousse2026" } },
                              account_password_changed },
};

/* --- The matrix -------------------------------------------------------------------- */

typedef struct
{
  guint       page_case;
  const char *fault;     /* a test ENT fault kind, or "ban" */
  const char *message;   /* the start of what the page must say */
} Row;

static const Row matrix[] = {
  /* Bienvenue: a wrong answer may mean a wrong address; the page says so. */
  { CASE_ADDRESS, "latency",             MSG_TIMEOUT },
  { CASE_ADDRESS, "drop",                MSG_NOTHING },
  { CASE_ADDRESS, "500",                 MSG_SERVER },
  { CASE_ADDRESS, "502",                 MSG_SERVER },
  { CASE_ADDRESS, "malformed",           MSG_NOT_ENT },
  { CASE_ADDRESS, "mistyped",            MSG_NOT_ENT },
  { CASE_ADDRESS, "huge",                MSG_NOT_ENT },
  { CASE_ADDRESS, "redirect-other-host", MSG_NOT_ENT },
  { CASE_ADDRESS, "redirect-loop",       MSG_NOT_ENT },

  { CASE_LOGIN, "latency",             MSG_TIMEOUT },
  { CASE_LOGIN, "drop",                MSG_UNREACHABLE },
  { CASE_LOGIN, "500",                 MSG_SERVER },
  { CASE_LOGIN, "502",                 MSG_SERVER },
  { CASE_LOGIN, "malformed",           MSG_PROTOCOL },
  { CASE_LOGIN, "mistyped",            MSG_PROTOCOL },
  { CASE_LOGIN, "huge",                MSG_HUGE },
  { CASE_LOGIN, "redirect-other-host", MSG_PROTOCOL },
  { CASE_LOGIN, "redirect-loop",       MSG_PROTOCOL },
  { CASE_LOGIN, "csrf",                MSG_CSRF },
  { CASE_LOGIN, "ban",                 MSG_BAN },

  { CASE_ACTIVATION_MATCH, "latency",             MSG_TIMEOUT },
  { CASE_ACTIVATION_MATCH, "drop",                MSG_UNREACHABLE },
  { CASE_ACTIVATION_MATCH, "500",                 MSG_SERVER },
  { CASE_ACTIVATION_MATCH, "502",                 MSG_SERVER },
  { CASE_ACTIVATION_MATCH, "malformed",           MSG_PROTOCOL },
  { CASE_ACTIVATION_MATCH, "mistyped",            MSG_PROTOCOL },
  { CASE_ACTIVATION_MATCH, "huge",                MSG_HUGE },
  { CASE_ACTIVATION_MATCH, "redirect-other-host", MSG_PROTOCOL },
  { CASE_ACTIVATION_MATCH, "redirect-loop",       MSG_PROTOCOL },
  { CASE_ACTIVATION_MATCH, "csrf",                MSG_CSRF },

  { CASE_ACTIVATION, "latency",             MSG_TIMEOUT },
  { CASE_ACTIVATION, "drop",                MSG_UNREACHABLE },
  { CASE_ACTIVATION, "500",                 MSG_SERVER },
  { CASE_ACTIVATION, "502",                 MSG_SERVER },
  { CASE_ACTIVATION, "malformed",           MSG_PROTOCOL },
  { CASE_ACTIVATION, "mistyped",            MSG_PROTOCOL },
  { CASE_ACTIVATION, "huge",                MSG_HUGE },
  { CASE_ACTIVATION, "redirect-other-host", MSG_PROTOCOL },
  { CASE_ACTIVATION, "redirect-loop",       MSG_PROTOCOL },
  { CASE_ACTIVATION, "csrf",                MSG_CSRF },

  { CASE_FORGOT_LOGIN, "latency",             MSG_TIMEOUT },
  { CASE_FORGOT_LOGIN, "drop",                MSG_UNREACHABLE },
  { CASE_FORGOT_LOGIN, "500",                 MSG_SERVER },
  { CASE_FORGOT_LOGIN, "502",                 MSG_SERVER },
  { CASE_FORGOT_LOGIN, "malformed",           MSG_PROTOCOL },
  { CASE_FORGOT_LOGIN, "mistyped",            MSG_PROTOCOL },
  { CASE_FORGOT_LOGIN, "huge",                MSG_HUGE },
  { CASE_FORGOT_LOGIN, "redirect-other-host", MSG_PROTOCOL },
  { CASE_FORGOT_LOGIN, "redirect-loop",       MSG_PROTOCOL },
  { CASE_FORGOT_LOGIN, "csrf",                MSG_CSRF },

  { CASE_FORGOT_PASSWORD, "latency",             MSG_TIMEOUT },
  { CASE_FORGOT_PASSWORD, "drop",                MSG_UNREACHABLE },
  { CASE_FORGOT_PASSWORD, "500",                 MSG_SERVER },
  { CASE_FORGOT_PASSWORD, "502",                 MSG_SERVER },
  { CASE_FORGOT_PASSWORD, "malformed",           MSG_PROTOCOL },
  { CASE_FORGOT_PASSWORD, "mistyped",            MSG_PROTOCOL },
  { CASE_FORGOT_PASSWORD, "huge",                MSG_HUGE },
  { CASE_FORGOT_PASSWORD, "redirect-other-host", MSG_PROTOCOL },
  { CASE_FORGOT_PASSWORD, "redirect-loop",       MSG_PROTOCOL },
  { CASE_FORGOT_PASSWORD, "csrf",                MSG_CSRF },

  { CASE_RESET, "latency",             MSG_TIMEOUT },
  { CASE_RESET, "drop",                MSG_UNREACHABLE },
  { CASE_RESET, "500",                 MSG_SERVER },
  { CASE_RESET, "502",                 MSG_SERVER },
  { CASE_RESET, "malformed",           MSG_PROTOCOL },
  { CASE_RESET, "mistyped",            MSG_PROTOCOL },
  { CASE_RESET, "huge",                MSG_HUGE },
  { CASE_RESET, "redirect-other-host", MSG_PROTOCOL },
  { CASE_RESET, "redirect-loop",       MSG_PROTOCOL },
  { CASE_RESET, "csrf",                MSG_CSRF },

  /* What is not a PDF (or too large to show) is offered to the PDF reader. */
  { CASE_CHARTER_DOWNLOAD, "latency",             MSG_TIMEOUT },
  { CASE_CHARTER_DOWNLOAD, "drop",                MSG_UNREACHABLE },
  { CASE_CHARTER_DOWNLOAD, "500",                 MSG_SERVER },
  { CASE_CHARTER_DOWNLOAD, "502",                 MSG_SERVER },
  { CASE_CHARTER_DOWNLOAD, "malformed",           MSG_NO_PDF },
  { CASE_CHARTER_DOWNLOAD, "huge",                MSG_NO_PDF },
  { CASE_CHARTER_DOWNLOAD, "redirect-other-host", MSG_PROTOCOL },
  { CASE_CHARTER_DOWNLOAD, "redirect-loop",       MSG_PROTOCOL },

  /* After the session is lost (csrf, expire-session), the way on is to log
   * in again. */
  { CASE_CHARTER_ACCEPT, "latency",             MSG_TIMEOUT },
  { CASE_CHARTER_ACCEPT, "drop",                MSG_UNREACHABLE },
  { CASE_CHARTER_ACCEPT, "500",                 MSG_SERVER },
  { CASE_CHARTER_ACCEPT, "502",                 MSG_SERVER },
  { CASE_CHARTER_ACCEPT, "malformed",           MSG_PROTOCOL },
  { CASE_CHARTER_ACCEPT, "mistyped",            MSG_PROTOCOL },
  { CASE_CHARTER_ACCEPT, "redirect-other-host", MSG_PROTOCOL },
  { CASE_CHARTER_ACCEPT, "redirect-loop",       MSG_PROTOCOL },
  { CASE_CHARTER_ACCEPT, "csrf",                MSG_SESSION },
  { CASE_CHARTER_ACCEPT, "expire-session",      MSG_SESSION },

  { CASE_MAIL_SEND, "latency",             MSG_TIMEOUT },
  { CASE_MAIL_SEND, "drop",                MSG_UNREACHABLE },
  { CASE_MAIL_SEND, "500",                 MSG_SERVER },
  { CASE_MAIL_SEND, "502",                 MSG_SERVER },
  { CASE_MAIL_SEND, "malformed",           MSG_PROTOCOL },
  { CASE_MAIL_SEND, "mistyped",            MSG_PROTOCOL },
  { CASE_MAIL_SEND, "huge",                MSG_HUGE },
  { CASE_MAIL_SEND, "redirect-other-host", MSG_PROTOCOL },
  { CASE_MAIL_SEND, "redirect-loop",       MSG_PROTOCOL },
  { CASE_MAIL_SEND, "csrf",                MSG_SESSION },
  { CASE_MAIL_SEND, "expire-session",      MSG_SESSION },

  { CASE_MAIL_CHECK, "latency",             MSG_TIMEOUT },
  { CASE_MAIL_CHECK, "drop",                MSG_UNREACHABLE },
  { CASE_MAIL_CHECK, "500",                 MSG_SERVER },
  { CASE_MAIL_CHECK, "502",                 MSG_SERVER },
  { CASE_MAIL_CHECK, "malformed",           MSG_PROTOCOL },
  { CASE_MAIL_CHECK, "mistyped",            MSG_PROTOCOL },
  { CASE_MAIL_CHECK, "huge",                MSG_HUGE },
  { CASE_MAIL_CHECK, "redirect-other-host", MSG_PROTOCOL },
  { CASE_MAIL_CHECK, "redirect-loop",       MSG_PROTOCOL },
  { CASE_MAIL_CHECK, "csrf",                MSG_SESSION },
  { CASE_MAIL_CHECK, "expire-session",      MSG_SESSION },

  { CASE_FORCED_PASSWORD, "latency",             MSG_TIMEOUT },
  { CASE_FORCED_PASSWORD, "drop",                MSG_UNREACHABLE },
  { CASE_FORCED_PASSWORD, "500",                 MSG_SERVER },
  { CASE_FORCED_PASSWORD, "502",                 MSG_SERVER },
  { CASE_FORCED_PASSWORD, "malformed",           MSG_PROTOCOL },
  { CASE_FORCED_PASSWORD, "mistyped",            MSG_PROTOCOL },
  { CASE_FORCED_PASSWORD, "huge",                MSG_HUGE },
  { CASE_FORCED_PASSWORD, "redirect-other-host", MSG_PROTOCOL },
  { CASE_FORCED_PASSWORD, "redirect-loop",       MSG_PROTOCOL },
  { CASE_FORCED_PASSWORD, "csrf",                MSG_SESSION },
  /* No expire-session row: the forced change goes through POST /auth/reset,
   * a public route that needs no session (ENT-CORRECTIONS 3). */

  { CASE_USERINFO, "latency",             MSG_TIMEOUT },
  { CASE_USERINFO, "drop",                MSG_UNREACHABLE },
  { CASE_USERINFO, "500",                 MSG_SERVER },
  { CASE_USERINFO, "502",                 MSG_SERVER },
  { CASE_USERINFO, "malformed",           MSG_PROTOCOL },
  { CASE_USERINFO, "mistyped",            MSG_PROTOCOL },
  { CASE_USERINFO, "huge",                MSG_HUGE },
  { CASE_USERINFO, "redirect-other-host", MSG_PROTOCOL },
  { CASE_USERINFO, "redirect-loop",       MSG_PROTOCOL },

  { CASE_CHILDREN, "latency",             MSG_TIMEOUT },
  { CASE_CHILDREN, "drop",                MSG_UNREACHABLE },
  { CASE_CHILDREN, "500",                 MSG_SERVER },
  { CASE_CHILDREN, "502",                 MSG_SERVER },
  { CASE_CHILDREN, "malformed",           MSG_PROTOCOL },
  { CASE_CHILDREN, "mistyped",            MSG_PROTOCOL },
  { CASE_CHILDREN, "huge",                MSG_HUGE },
  { CASE_CHILDREN, "redirect-other-host", MSG_PROTOCOL },
  { CASE_CHILDREN, "redirect-loop",       MSG_PROTOCOL },

  /* No csrf row: a lost session opens the account page's password dialog,
   * which test-ui-account covers (session-expired). */
  { CASE_ACCOUNT_PASSWORD, "latency",             MSG_TIMEOUT },
  { CASE_ACCOUNT_PASSWORD, "drop",                MSG_UNREACHABLE },
  { CASE_ACCOUNT_PASSWORD, "500",                 MSG_SERVER },
  { CASE_ACCOUNT_PASSWORD, "502",                 MSG_SERVER },
  { CASE_ACCOUNT_PASSWORD, "malformed",           MSG_PROTOCOL },
  { CASE_ACCOUNT_PASSWORD, "mistyped",            MSG_PROTOCOL },
  { CASE_ACCOUNT_PASSWORD, "huge",                MSG_HUGE },
  { CASE_ACCOUNT_PASSWORD, "redirect-other-host", MSG_PROTOCOL },
  { CASE_ACCOUNT_PASSWORD, "redirect-loop",       MSG_PROTOCOL },
};

/* Raw error texts that must never reach a parent. */
static const char * const raw_texts[] = {
  "HTTP", "JSON", "json", "Bad Gateway", "nginx", "Internal Server", "Erreur interne du serveur (test)",
  "Error", "error", "Soup", "soup", "GLib", "TLS", "Connection", "Socket", "<html", "invalid.xsrf",
  "xxxxxxxx", NULL
};

typedef struct
{
  const char *route;
  guint       before;
  const char *message;
  const char *control;
  /* The session is gone: @control stays insensitive, and the password is
   * asked for again. */
  gboolean    relogin;
} Settled;

/* The dialog that asks for the password again, over the window. */
static GtkWidget *
find_reauth_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) dialog = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (dialog) && gtk_widget_get_mapped (dialog) &&
          gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window) &&
          carnet_test_ui_find_by_label (dialog, "Mot de passe") != NULL)
        return dialog;
    }

  return NULL;
}

static gboolean
reauth_dialog_shown_cb (gpointer user_data)
{
  return find_reauth_dialog () != NULL;
}

/* The request reached the ENT, the page is idle again and says why. */
static gboolean
settled_cb (gpointer user_data)
{
  Settled *settled = user_data;
  GtkWidget *control = carnet_test_ui_find_by_label (window, settled->control);

  return control != NULL && gtk_widget_is_sensitive (control) == !settled->relogin &&
         (!settled->relogin || find_reauth_dialog () != NULL) &&
         string_showing (window, settled->message) &&
         carnet_test_ent_count_requests (ent, settled->route) > settled->before;
}

static void
ban_karim (void)
{
  g_autoptr(SoupSession) session = carnet_test_ent_new_soup_session (ent);
  g_autofree char *url = g_strconcat (carnet_test_ent_get_url (ent), "/auth/login", NULL);

  /* Five wrong passwords from elsewhere: the ENT bans the login. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) body = g_bytes_new_static ("email=karim.benali&password=Mauvais2026",
                                                   strlen ("email=karim.benali&password=Mauvais2026"));
      g_autoptr(GBytes) answer = NULL;

      soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
      answer = soup_session_send_and_read (session, msg, NULL, NULL);
    }
}

/* When the request to @path number @nth (from 0, since the reset) arrived at
 * the ENT and when it was answered (0: not yet, or never, once its client
 * went away), from the ENT's request log. */
static void
request_times (const char *path,
               guint       nth,
               gint64     *arrived,
               gint64     *answered)
{
  g_autoptr(SoupSession) session = carnet_test_ent_new_soup_session (ent);
  g_autofree char *url = g_strconcat (carnet_test_ent_get_url (ent), "/__test/request-log", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *requests;

  *arrived = *answered = 0;
  g_assert_nonnull (answer);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), NULL));
  requests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (request, "path"), path) && nth-- == 0)
        {
          *arrived = json_object_get_int_member (request, "arrived");
          *answered = json_object_get_int_member (request, "answered");
          break;
        }
    }
}

typedef struct
{
  const char *path;
  guint       nth;
  gint64      done_by;
} Late;

static gboolean
late_request_done_cb (gpointer user_data)
{
  Late *late = user_data;
  gint64 arrived, answered;

  request_times (late->path, late->nth, &arrived, &answered);

  return answered != 0 || g_get_monotonic_time () > late->done_by;
}

/* The request to @path number @nth, which the ENT delayed by @latency_ms:
 * wait until the ENT answered it (or, when the client went away, dropped
 * it), so that nothing it does can reach the next row. The ENT runs on this
 * machine: its monotonic clock is this process's. */
static void
wait_for_late_request (const char *path,
                       guint       nth,
                       guint       latency_ms)
{
  gint64 arrived, answered;
  Late late = { path, nth, 0 };

  request_times (path, nth, &arrived, &answered);
  g_assert_cmpint (arrived, >, 0);
  late.done_by = arrived + (latency_ms + 100) * G_TIME_SPAN_MILLISECOND;
  carnet_test_ui_wait_until (late_request_done_cb, &late, TIMEOUT_MS + latency_ms,
                             "the delayed request to be answered");
}

static gint64 row_start;

static void
phase (const char *what)
{
  g_test_message ("%6.2f s: %s", (g_get_monotonic_time () - row_start) / 1e6, what);
}

static void
test_row (gconstpointer data)
{
  const Row *row = data;
  const PageCase *pc = &cases[row->page_case];
  const char *route = pc->route != NULL ? pc->route : children_route;
  gboolean ban = g_str_equal (row->fault, "ban");
  guint latency = pc->changes_state ? LATENCY_LONG_MS : LATENCY_MS;
  gboolean relogin = pc->relogin[0] != NULL && g_str_equal (row->message, MSG_SESSION);
  const char *control = pc->retry != NULL ? pc->retry : pc->submit;
  Settled settled = { ban ? "/auth/login" : route, 0, row->message, control, relogin };
  g_autoptr(GPtrArray) strings = NULL;
  g_autofree char *shot = g_strdup_printf ("faults-%s-%s", pc->name, row->fault);
  const char * const allowed[] = { "Carnet", "Parent", carnet_test_ent_get_host (ent), "karim.benali",
                                   "frederic", "frederic@ac-lille.fr", "nathalie.martin@example.fr",
                                   "paul.leroy@example.fr", "karim.benali@example.fr", NULL };

  row_start = g_get_monotonic_time ();
  carnet_test_ent_reset (ent);
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    /* The address a previous row's retry accepted is not this row's. */
    g_settings_reset (settings, "ent-url");
  }
  new_window (pc->with_url);
  carnet_test_ui_drain ();

  if (ban)
    ban_karim ();
  else if (pc->fault_first)
    carnet_test_ent_set_fault (ent, route, row->fault, latency, -1);

  phase ("window");
  pc->open ();
  phase ("opened");
  pc->fill ();
  phase ("filled");

  if (!ban && !pc->fault_first)
    carnet_test_ent_set_fault (ent, route, row->fault, latency, -1);
  settled.before = carnet_test_ent_count_requests (ent, settled.route);

  /* The route was called as the page opened. */
  if (pc->fault_first)
    settled.before = 0;
  if (pc->submit == NULL)
    {
      if (row->page_case == CASE_CHILDREN)
        show_children ();
    }
  else if (g_str_equal (pc->submit, "Adresse de l’ENT"))
    carnet_test_ui_press_enter (window, pc->submit);
  else
    click (pc->submit);

  carnet_test_ui_poll_until (settled_cb, &settled, TIMEOUT_MS);
  phase ("settled");
  /* A picture of each page's error (its 500 row) and of each fault (on the
   * login page, or where only that page has it): enough to look at. */
  if (g_str_equal (row->fault, "500") || row->page_case == CASE_LOGIN ||
      g_str_equal (row->fault, "expire-session") || !settled_cb (&settled))
    {
      GtkWidget *dialog = relogin ? find_reauth_dialog () : NULL;

      /* The helper waits for a frame drawn after this state. */
      carnet_test_ui_drain ();
      if (dialog != NULL)
        g_free (carnet_test_ui_save_dialog_screenshot (window, dialog, shot));
      else
        g_free (carnet_test_ui_save_screenshot (window, shot));
    }
  phase ("screenshot");
  if (!settled_cb (&settled))
    {
      /* Say what the page shows instead, then fail. */
      strings = carnet_test_ui_collect_strings (window);
      g_test_message ("%s: on page “%s”, requests %u (before %u); showing:", shot,
                      carnet_window_get_page_name (CARNET_WINDOW (window)),
                      carnet_test_ent_count_requests (ent, settled.route), settled.before);
      for (guint i = 0; i < strings->len; i++)
        g_test_message ("  “%s”", (char *) g_ptr_array_index (strings, i));
      g_test_fail_printf (relogin ? "%s: no “%s” with “%s” insensitive and the password asked again"
                                  : "%s: no “%s” with “%s” ready again",
                          shot, row->message, control);
      gtk_window_destroy (GTK_WINDOW (window));
      window = NULL;
      return;
    }

  /* Still on the page, in French, and nothing raw. */
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (window)), ==, pc->page);
  carnet_test_ui_assert_french (window, po_msgids, po_msgstrs, shot, allowed);
  strings = carnet_test_ui_collect_strings (window);
  for (guint i = 0; i < strings->len; i++)
    for (guint j = 0; raw_texts[j] != NULL; j++)
      if (strstr (g_ptr_array_index (strings, i), raw_texts[j]) != NULL)
        {
          g_test_fail_printf ("%s: raw text shown: “%s”", shot, (char *) g_ptr_array_index (strings, i));
          break;
        }

  /* Nothing typed is lost. */
  for (guint i = 0; i < G_N_ELEMENTS (pc->fields) && pc->fields[i][0] != NULL; i++)
    g_assert_cmpstr (text_of (pc->fields[i][0]), ==,
                     pc->fields[i][1] != NULL ? pc->fields[i][1] : carnet_test_ent_get_host (ent));

  phase ("checked");

  /* The ENT is fine again: trying again works. */
  if (ban)
    carnet_test_ent_advance_clock (ent, 16 * 60);
  else
    carnet_test_ent_clear_faults (ent);
  if (relogin)
    {
      GtkWidget *dialog = find_reauth_dialog ();

      /* In French, and named for a screen reader. */
      carnet_test_ui_assert_french (dialog, po_msgids, po_msgstrs, shot, allowed);
      carnet_test_ui_assert_controls_named (dialog, shot);
      g_assert_true (string_showing (dialog, "Votre session a expiré"));

      if (g_str_equal (row->fault, "csrf"))
        {
          GtkWidget *again;

          /* Escape: the page says so, and how to go on; still nothing sent. */
          gtk_widget_activate_action (dialog, "window.close", NULL);
          wait_for_control ("Se reconnecter");
          wait_for_string ("Reconnectez-vous pour continuer");
          g_assert_null (find_reauth_dialog ());
          g_assert_false (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (window, control)));
          carnet_test_ui_assert_french (window, po_msgids, po_msgstrs, shot, allowed);
          carnet_test_ui_assert_controls_named (window, shot);
          again = carnet_test_ui_get_by_label (window, "Se reconnecter");
          g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == again);
          {
            g_autofree char *cancelled = g_strconcat (shot, "-cancelled", NULL);

            carnet_test_ui_drain ();
            g_free (carnet_test_ui_save_screenshot (window, cancelled));
          }
          gtk_widget_activate (again);
          carnet_test_ui_wait_until (reauth_dialog_shown_cb, NULL, TIMEOUT_MS,
                                     "the password to be asked again");
          dialog = find_reauth_dialog ();
        }

      /* The password, Enter: logged in again, the step goes on by itself. */
      carnet_test_ui_type_into (dialog, "Mot de passe", pc->relogin[1]);
      carnet_test_ui_press_enter (dialog, "Mot de passe");
      pc->succeeded ();
      g_assert_null (find_reauth_dialog ());
    }
  else
    {
      if (g_str_equal (control, "Adresse de l’ENT"))
        carnet_test_ui_press_enter (window, control);
      else
        click (control);
      pc->succeeded ();
    }
  phase ("retried");
  if (g_str_equal (row->fault, "latency"))
    wait_for_late_request (route, settled.before, latency);

  gtk_window_destroy (GTK_WINDOW (window));
  window = NULL;
  carnet_test_ui_drain ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Read by the window when it is made (test only, see the welcome page). */
  g_setenv ("CARNET_TEST_ENT_TIMEOUT", CLIENT_TIMEOUT_S, TRUE);
  /* On the virtual display, GL is drawn by the CPU: the rows spent more of
   * their time drawing frames than waiting for the ENT. The checks read the
   * widgets, not the pixels; the screenshots look the same. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  carnet_test_ui_init (&argc, &argv);

  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    /* No password remembered by another test may log in by itself. */
    g_settings_set_boolean (settings, "remember-credentials", FALSE);
  }

  carnet_test_ui_load_po (&po_msgids, &po_msgstrs);
  ent = carnet_test_ent_start ();
  {
    g_autofree char *json = carnet_test_ent_get_user_json (ent, "karim.benali");
    const char *id = strstr (json, "\"id\"");
    const char *start;

    g_assert_nonnull (id);
    start = strchr (id + 4, '"') + 1;
    children_route = g_strdup_printf ("/directory/user/%.*s/children",
                                      (int) (strchr (start, '"') - start), start);
  }

  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/faults/%s/%s", cases[matrix[i].page_case].name,
                                               matrix[i].fault);

      g_test_add_data_func (path, &matrix[i], test_row);
    }

  ret = g_test_run ();
  carnet_test_ent_stop (ent);
  g_free (children_route);
  g_free (reset_link);

  return ret;
}
