/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-credentials.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

/* A parent whose children are in two ENTs: one remembered account in each,
 * listed on the welcome page. */

#define TIMEOUT_MS 30000

#define FR_SAVED_ACCOUNTS "Comptes enregistrés"
#define FR_ADDRESS        "Adresse de l’ENT"

static CarnetTestEnt *karim_ent;
static CarnetTestEnt *nathalie_ent;

typedef struct
{
  GtkWidget *window;
} Fixture;

/* --- The keyring ------------------------------------------------------------------ */

static void
store (CarnetTestEnt *ent,
       const char    *login,
       const char    *password)
{
  carnet_test_ui_keyring_store (carnet_test_ent_get_host (ent), login, password);
}

/* Our two accounts on any test ENT, from this run or from one that crashed. */
static void
forget_test_accounts (void)
{
  g_autoptr(GPtrArray) accounts = carnet_test_ui_keyring_list ();

  for (guint i = 0; i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_has_prefix (account->host, "127.0.0.1:") &&
          (g_str_equal (account->login, "karim.benali") ||
           g_str_equal (account->login, "nathalie.martin")))
        carnet_test_ui_keyring_forget (account->host, account->login);
    }
}

/* --- Helpers ---------------------------------------------------------------------- */

static char *
row_label (CarnetTestEnt *ent,
           const char    *login)
{
  return g_strdup_printf ("Se connecter en tant que %s sur %s", login, carnet_test_ent_get_host (ent));
}

static GtkWidget *
new_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");
  GtkWidget *window;

  /* No address from the letter nor from last time. */
  g_settings_reset (settings, "ent-url");
  window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (karim_ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 900);

  return carnet_test_ui_present (window);
}

/* Activates the row as Enter does on it. */
static void
choose_account (GtkWidget     *window,
                CarnetTestEnt *ent,
                const char    *login)
{
  g_autofree char *label = row_label (ent, login);
  GtkWidget *row;

  carnet_test_ui_wait_for_control (window, label, TIMEOUT_MS);
  row = carnet_test_ui_get_by_label (window, label);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_grab_focus (row);
  gtk_widget_activate (row);
}

/* --- Fixture ------------------------------------------------------------------------ */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");

  carnet_test_ent_reset (karim_ent);
  carnet_test_ent_reset (nathalie_ent);
  g_settings_reset (settings, "remember-credentials");
  g_settings_reset (settings, "shared-machine");
  f->window = new_window ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");

  carnet_test_ui_destroy (f->window);
  g_settings_reset (settings, "ent-url");
  g_settings_reset (settings, "shared-machine");
}

/* --- Tests -------------------------------------------------------------------------- */

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *karim_label = row_label (karim_ent, "karim.benali");
  g_autofree char *nathalie_label = row_label (nathalie_ent, "nathalie.martin");
  AdwMessageDialog *dialog;

  /* Both accounts, each with its ENT, above the address. */
  carnet_test_ui_wait_for_label (f->window, FR_SAVED_ACCOUNTS, TIMEOUT_MS);
  carnet_test_ui_wait_for_control (f->window, karim_label, TIMEOUT_MS);
  carnet_test_ui_wait_for_label (f->window, "karim.benali", TIMEOUT_MS);
  carnet_test_ui_wait_for_label (f->window, "nathalie.martin", TIMEOUT_MS);
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, carnet_test_ent_get_host (karim_ent)));
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, carnet_test_ent_get_host (nathalie_ent)));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (f->window)), ==, "welcome");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, FR_ADDRESS))),
                   ==, "");
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-accounts"));
  {
    const char * const allowed[] = { "Carnet", "karim.benali", "nathalie.martin",
                                     carnet_test_ent_get_host (karim_ent),
                                     carnet_test_ent_get_host (nathalie_ent), NULL };
    g_autoptr(GPtrArray) msgids = NULL;
    g_autoptr(GPtrArray) msgstrs = NULL;

    carnet_test_ui_load_po (&msgids, &msgstrs);
    carnet_test_ui_assert_french (f->window, msgids, msgstrs, "welcome (accounts)", allowed);
    carnet_test_ui_assert_controls_named (f->window, "welcome (accounts)");
  }

  /* Nathalie, in the second ENT: the address is filled and checked, then
   * she is logged in and must accept the charter. */
  choose_account (f->window, nathalie_ent, "nathalie.martin");
  carnet_test_ui_wait_for_page (f->window, "charter", TIMEOUT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_find_by_name (f->window, "address_row"))),
                   ==, carnet_test_ent_get_host (nathalie_ent));
  carnet_test_ui_destroy (f->window);

  /* Karim, in the first one. */
  f->window = new_window ();
  choose_account (f->window, karim_ent, "karim.benali");
  carnet_test_ui_wait_for_label (f->window, "Compte de Karim", TIMEOUT_MS);
  carnet_test_ui_wait_for_page (f->window, "account", TIMEOUT_MS);

  /* Karim logs out and forgets his password: the list follows. */
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Se déconnecter"));
  dialog = carnet_test_ui_wait_for_message_dialog ();
  adw_message_dialog_response (dialog, "forget");
  if (carnet_test_ui_find_message_dialog () != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  carnet_test_ui_wait_for_page (f->window, "welcome", TIMEOUT_MS);
  carnet_test_ui_wait_for_control_gone (f->window, karim_label, TIMEOUT_MS);
  carnet_test_ui_wait_for_control (f->window, nathalie_label, TIMEOUT_MS);
  carnet_test_ui_destroy (f->window);

  /* Two accounts on the same ENT: the one chosen is the one logged in. */
  store (karim_ent, "karim.benali", "Cartable2026");
  store (karim_ent, "nathalie.martin", "Soleil2026");
  f->window = new_window ();
  choose_account (f->window, karim_ent, "nathalie.martin");
  carnet_test_ui_wait_for_page (f->window, "charter", TIMEOUT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_find_by_name (f->window, "address_row"))),
                   ==, carnet_test_ent_get_host (karim_ent));
}

static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");
  g_autofree char *nathalie_label = row_label (nathalie_ent, "nathalie.martin");
  g_autoptr(GPtrArray) accounts = NULL;
  gboolean stored = FALSE;

  /* Becoming a shared machine hides the list at once (the accounts showed
   * before; the welcome page stays, its address still asked for)… */
  carnet_test_ui_wait_for_control (f->window, nathalie_label, TIMEOUT_MS);
  carnet_test_ui_wait_for_label (f->window, FR_SAVED_ACCOUNTS, TIMEOUT_MS);
  g_settings_set_boolean (settings, "shared-machine", TRUE);
  carnet_test_ui_wait_for_control_gone (f->window, nathalie_label, TIMEOUT_MS);
  carnet_test_ui_wait_for_label_gone (f->window, FR_SAVED_ACCOUNTS, TIMEOUT_MS);
  g_assert_null (carnet_test_ui_find_label_text (f->window, "nathalie.martin"));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (f->window)), ==, "welcome");
  g_assert_nonnull (carnet_test_ui_find_by_label (f->window, FR_ADDRESS));
  carnet_test_ui_destroy (f->window);

  /* … and a lab computer never shows it: the accounts are still in the
   * keyring, and once any listing the window asked for at its start has
   * been answered (carnet_test_ui_keyring_round_trip), none shows. */
  f->window = new_window ();
  carnet_test_ui_keyring_round_trip (carnet_test_ent_get_host (nathalie_ent), "nathalie.martin");
  accounts = carnet_test_ui_keyring_list ();
  for (guint i = 0; i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      stored |= g_str_equal (account->login, "nathalie.martin") &&
                g_str_equal (account->host, carnet_test_ent_get_host (nathalie_ent));
    }
  g_assert_true (stored);
  carnet_test_ui_wait_for_frame (f->window);
  g_assert_nonnull (carnet_test_ui_find_by_label (f->window, FR_ADDRESS));
  g_assert_null (carnet_test_ui_find_label_text (f->window, FR_SAVED_ACCOUNTS));
  g_assert_null (carnet_test_ui_find_by_label (f->window, nathalie_label));
  g_assert_null (carnet_test_ui_find_label_text (f->window, "nathalie.martin"));
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-shared-no-accounts"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  carnet_test_ui_init (&argc, &argv);

  karim_ent = carnet_test_ent_start ();
  nathalie_ent = carnet_test_ent_start ();
  g_assert_cmpstr (carnet_test_ent_get_host (karim_ent), !=, carnet_test_ent_get_host (nathalie_ent));
  forget_test_accounts ();
  store (karim_ent, "karim.benali", "Cartable2026");
  store (nathalie_ent, "nathalie.martin", "Soleil2026");

  g_test_add ("/ui/accounts/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);
  g_test_add ("/ui/accounts/shared", Fixture, NULL, fixture_setup, test_shared, fixture_teardown);

  ret = g_test_run ();

  forget_test_accounts ();
  carnet_test_ent_stop (karim_ent);
  carnet_test_ent_stop (nathalie_ent);

  return ret;
}
