/* SPDX-License-Identifier: GPL-3.0-or-later */
/* No secret in the logs or the files. A subprocess drives every flow of the
 * letter through the real window, against the test ENT, with every debug
 * message on (G_MESSAGES_DEBUG=all) and the HTTP log on (CARNET_DEBUG_HTTP=1):
 * activation with the provisional code, login with "remember me", the
 * charter, the email code, the forced password change, the password and
 * email changes, the forgotten password with its reset code, logging out.
 * It hands the secrets it met (codes from the mails, the ENT's live session
 * ids, XSRF and OAuth tokens) to this process, which then looks for each of
 * them, and for every password typed, in all that the subprocess printed
 * and in every file under $HOME. */
#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS 20000

/* Every password and code the flows type, known in advance. */
static const char * const typed_secrets[] = {
  "7KQ4M2PX",      /* frederic's provisional code (the letter) */
  "Cahier2026",    /* … his new password */
  "Cartable2026",  /* karim.benali */
  "Trousse2026",   /* … after the change */
  "Gomme2026",     /* … after the reset */
  "Soleil2026",    /* nathalie.martin */
  "Provisoire1",   /* paul.leroy, before the forced change */
  "Classeur2026",  /* … after it */
  "carnet-test-secret", /* the OAuth client secret */
  NULL
};

static CarnetTestEnt *ent;
static GtkWidget *window;
static GPtrArray *found_secrets;   /* in the subprocess */

/* --- Driving the window (subprocess) ----------------------------------------- */

static void
wait_for_control (const char *label)
{
  carnet_test_ui_wait_for_control (window, label, TIMEOUT_MS);
}

static void
wait_for_label (const char *text)
{
  carnet_test_ui_wait_for_label (window, text, TIMEOUT_MS);
}

static void
wait_for_page (const char *name)
{
  carnet_test_ui_wait_for_page (window, name, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (window);
}

static void
wait_sensitive (const char *label)
{
  carnet_test_ui_wait_for_control_sensitive (window, label, TIMEOUT_MS);
}

static void
click (const char *label)
{
  wait_sensitive (label);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, label));
}

static void
new_window (void)
{
  window = GTK_WIDGET (carnet_window_new (NULL, carnet_test_ent_get_url (ent),
                                          carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 860);
  carnet_test_ui_present (window);
}

static void
close_window (void)
{
  carnet_test_ui_destroy (window);
  window = NULL;
}

static void
choose (const char *choice,
        const char *page)
{
  wait_for_control (choice);
  gtk_widget_activate (carnet_test_ui_get_by_label (window, choice));
  wait_for_page (page);
}

/* What the ENT honours right now: its session ids and tokens. */
static void
collect_live_secrets (void)
{
  g_auto(GStrv) secrets = carnet_test_ent_get_live_secrets (ent);

  for (guint i = 0; secrets[i] != NULL; i++)
    g_ptr_array_add (found_secrets, g_strdup (secrets[i]));
}

static void
enter_mail_code (const char *address)
{
  g_autofree char *code = NULL;

  wait_sensitive ("Code reçu par mail");
  code = carnet_test_ent_last_mail_code (ent, address);
  g_ptr_array_add (found_secrets, g_strdup (code));
  carnet_test_ui_type_into (window, "Code reçu par mail", code);
  carnet_test_ui_press_enter (window, "Code reçu par mail");
}

static gboolean
left_or_dialog_cb (gpointer user_data)
{
  return carnet_test_ui_find_message_dialog () != NULL || g_str_equal (carnet_window_get_page_name (CARNET_WINDOW (window)), "welcome");
}

static void
log_out (void)
{
  AdwMessageDialog *dialog;

  click ("Se déconnecter");
  carnet_test_ui_wait_until (left_or_dialog_cb, NULL, TIMEOUT_MS, "the logout");
  if ((dialog = carnet_test_ui_find_message_dialog ()) != NULL)
    {
      /* Remembered: forget it, as a parent leaving a shared computer. */
      adw_message_dialog_response (dialog, "forget");
      if (carnet_test_ui_find_message_dialog () != NULL)
        gtk_window_destroy (GTK_WINDOW (dialog));
    }
  wait_for_page ("welcome");
}

static void
log_in (const char *login,
        const char *password,
        gboolean    remember)
{
  choose ("Se connecter", "login");
  carnet_test_ui_type_into (window, "Identifiant", login);
  carnet_test_ui_type_into (window, "Mot de passe", password);
  gtk_switch_set_active (GTK_SWITCH (carnet_test_ui_get_by_label (window, "Se souvenir de moi")), remember);
  click ("Se connecter");
}

static void
flow_activation (void)
{
  new_window ();
  choose ("Première connexion (activer mon compte)", "activation");
  carnet_test_ui_type_into (window, "Identifiant", "frederic");
  carnet_test_ui_type_into (window, "Mot de passe provisoire", "7KQ4M2PX");
  click ("Continuer");
  wait_for_control ("Nouveau mot de passe");
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Cahier2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Cahier2026");
  carnet_test_ui_type_into (window, "Adresse mail", "frederic@ac-lille.fr");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (carnet_test_ui_get_by_label (window, "J’accepte la charte d’utilisation")),
                               TRUE);
  click ("Activer mon compte");
  wait_for_page ("mail");
  wait_for_control ("Mon adresse mail");
  collect_live_secrets ();
  click ("Envoyer le code");
  enter_mail_code ("frederic@ac-lille.fr");
  wait_for_page ("account");
  collect_live_secrets ();
  log_out ();
  close_window ();
}

static gboolean
stored_is_cb (gpointer user_data)
{
  const char *argv[] = { "secret-tool", "lookup", "host", carnet_test_ent_get_host (ent),
                         "login", "karim.benali", NULL };
  g_autofree char *out = NULL;
  /* Its own debug messages would go to its output. */
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_MESSAGES_DEBUG");

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, NULL, NULL);

  return g_strcmp0 (out, user_data) == 0;
}

static void
flow_karim (void)
{
  /* "Remember me", and Carnet opened again logs in by itself with it. */
  new_window ();
  log_in ("karim.benali", "Cartable2026", TRUE);
  wait_for_page ("account");
  collect_live_secrets ();
  carnet_test_ui_wait_until (stored_is_cb, (gpointer) "Cartable2026", TIMEOUT_MS,
                             "the keyring to hold the password");
  close_window ();
  new_window ();
  wait_for_page ("account");
  collect_live_secrets ();
  log_out ();
  close_window ();

  /* The account's password and email changes. */
  new_window ();
  log_in ("karim.benali", "Cartable2026", FALSE);
  wait_for_page ("account");
  carnet_test_ui_type_into (window, "Mot de passe actuel", "Cartable2026");
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Trousse2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Trousse2026");
  click ("Enregistrer");
  wait_for_label ("Mot de passe modifié");
  g_assert_true (carnet_test_ent_check_password (ent, "karim.benali", "Trousse2026"));

  carnet_test_ui_type_into (window, "Mot de passe actuel", "Trousse2026");
  carnet_test_ui_type_into (window, "Nouvelle adresse mail", "karim.nouveau@example.fr");
  click ("Enregistrer");
  enter_mail_code ("karim.nouveau@example.fr");
  wait_for_label ("karim.nouveau@example.fr");
  collect_live_secrets ();
  log_out ();
  close_window ();
}

static void
flow_nathalie (void)
{
  new_window ();
  log_in ("nathalie.martin", "Soleil2026", FALSE);
  wait_for_page ("charter");
  collect_live_secrets ();
  click ("J’accepte la charte");
  wait_for_page ("mail");
  click ("Envoyer le code");
  enter_mail_code ("nathalie.martin@example.fr");
  wait_for_page ("account");
  collect_live_secrets ();
  log_out ();
  close_window ();
}

static gboolean
left_password_cb (gpointer user_data)
{
  const char *name = carnet_window_get_page_name (CARNET_WINDOW (window));

  return !g_str_equal (name, "password") && !g_str_equal (name, "steps");
}

static void
flow_paul (void)
{
  new_window ();
  log_in ("paul.leroy", "Provisoire1", FALSE);
  wait_for_page ("password");
  collect_live_secrets ();
  carnet_test_ui_type_into (window, "Mot de passe actuel", "Provisoire1");
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Classeur2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Classeur2026");
  click ("Changer le mot de passe");
  carnet_test_ui_wait_until (left_password_cb, NULL, TIMEOUT_MS, "the forced change");
  g_assert_true (carnet_test_ent_check_password (ent, "paul.leroy", "Classeur2026"));
  collect_live_secrets ();
  close_window ();
}

static void
flow_forgot_password (void)
{
  g_autofree char *link = NULL;

  new_window ();
  choose ("Mot de passe oublié", "forgot-password");
  carnet_test_ui_type_into (window, "Mon identifiant", "karim.benali");
  click ("Envoyer");
  wait_for_control ("Lien reçu par mail (ou code)");
  link = carnet_test_ent_last_reset_link (ent, "karim.nouveau@example.fr");
  g_assert_nonnull (link);
  g_ptr_array_add (found_secrets, g_strdup (strrchr (link, '/') + 1));
  carnet_test_ui_type_into (window, "Lien reçu par mail (ou code)", link);
  carnet_test_ui_type_into (window, "Nouveau mot de passe", "Gomme2026");
  carnet_test_ui_type_into (window, "Confirmer le mot de passe", "Gomme2026");
  click ("Changer le mot de passe");
  wait_for_page ("login");
  g_assert_true (carnet_test_ent_check_password (ent, "karim.benali", "Gomme2026"));
  close_window ();
}

static void
run_flows (void)
{
  const char *out = g_getenv ("CARNET_TEST_SECRETS_OUT");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = g_strdup (g_getenv ("G_MESSAGES_DEBUG"));

  g_assert_nonnull (out);
  found_secrets = g_ptr_array_new_with_free_func (g_free);

  /* The test ENT is not Carnet: its own debug output stays out. */
  g_unsetenv ("G_MESSAGES_DEBUG");
  ent = carnet_test_ent_start ();
  g_setenv ("G_MESSAGES_DEBUG", debug, TRUE);

  flow_activation ();
  flow_karim ();
  flow_nathalie ();
  flow_paul ();
  flow_forgot_password ();

  for (guint i = 0; i < found_secrets->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (found_secrets, i));
  g_assert_true (g_file_set_contents (out, text->str, -1, &error));
  g_assert_no_error (error);

  carnet_test_ent_stop (ent);
  g_ptr_array_unref (found_secrets);
}

/* --- Looking for them (this process) ---------------------------------------- */

static guint
scan_tree (const char         *path,
           const char * const *secrets)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint files = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          files += scan_tree (child, secrets);
          continue;
        }
      if (!g_file_get_contents (child, &contents, &length, NULL))
        continue;
      files++;
      for (guint i = 0; secrets[i] != NULL; i++)
        if (memmem (contents, length, secrets[i], strlen (secrets[i])) != NULL)
          g_error ("A secret (%zu characters) is written in %s", strlen (secrets[i]), child);
    }

  return files;
}

static void
test_no_secret_leaks (void)
{
  g_autofree char *out = g_build_filename (g_get_tmp_dir (), "carnet-test-secrets-XXXXXX", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) secrets = NULL;
  g_auto(GStrv) lines = NULL;
  int fd;
  guint files;

  if (g_test_subprocess ())
    {
      run_flows ();
      return;
    }

  fd = g_mkstemp (out);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_setenv ("CARNET_TEST_SECRETS_OUT", out, TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("CARNET_DEBUG_HTTP", "1", TRUE);

  g_test_trap_subprocess (NULL, 200 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The logs were on: the HTTP log shows the exchanges, with the session's
   * headers hidden. */
  g_test_trap_assert_stdout ("*carnet-ent-http*POST /auth/login*");
  g_test_trap_assert_stdout ("*Set-Cookie: [hidden]*");

  g_assert_true (g_file_get_contents (out, &contents, NULL, &error));
  g_assert_no_error (error);
  g_unlink (out);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; typed_secrets[i] != NULL; i++)
    g_strv_builder_add (builder, typed_secrets[i]);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_strv_builder_add (builder, lines[i]);
  secrets = g_strv_builder_end (builder);
  /* Three mail codes, a reset code, sessions and tokens were met. */
  g_assert_cmpuint (g_strv_length (secrets), >=, g_strv_length ((GStrv) typed_secrets) + 8);
  g_test_message ("%u secrets looked for", g_strv_length (secrets));

  for (guint i = 0; secrets[i] != NULL; i++)
    {
      g_autofree char *pattern = g_strdup_printf ("*%s*", secrets[i]);

      /* The message names the secret's index only, never the secret. */
      g_test_message ("looking for secret %u", i);
      g_test_trap_assert_stdout_unmatched (pattern);
      g_test_trap_assert_stderr_unmatched (pattern);
    }

  files = scan_tree (g_get_home_dir (), (const char * const *) secrets);
  g_test_message ("%u files under %s hold no secret", files, g_get_home_dir ());
}

int
main (int   argc,
      char *argv[])
{

  carnet_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/secrets/no-leak", test_no_secret_leaks);

  return g_test_run ();
}
