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

typedef struct
{
  gboolean   done;
  gboolean   ok;
  GPtrArray *accounts;
} Pending;

static gboolean
pending_done_cb (gpointer user_data)
{
  return ((Pending *) user_data)->done;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;

  pending->ok = carnet_credentials_store_finish (result, &error);
  g_assert_no_error (error);
  pending->done = TRUE;
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;

  pending->ok = carnet_credentials_forget_finish (result, &error);
  g_assert_no_error (error);
  pending->done = TRUE;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;

  pending->accounts = carnet_credentials_list_finish (result, &error);
  g_assert_no_error (error);
  pending->done = TRUE;
}

static void
store (CarnetTestEnt *ent,
       const char    *login,
       const char    *password)
{
  Pending pending = { FALSE, FALSE, NULL };

  carnet_credentials_store_async (carnet_test_ent_get_host (ent), login, password,
                                  NULL, store_cb, &pending);
  carnet_test_ui_wait_until (pending_done_cb, &pending, TIMEOUT_MS, "the keyring to store");
  g_assert_true (pending.ok);
}

static void
forget (const char *host,
        const char *login)
{
  Pending pending = { FALSE, FALSE, NULL };

  carnet_credentials_forget_async (host, login, NULL, forget_cb, &pending);
  carnet_test_ui_wait_until (pending_done_cb, &pending, TIMEOUT_MS, "the keyring to forget");
}

/* Our two accounts on any test ENT, from this run or from one that crashed. */
static void
forget_test_accounts (void)
{
  Pending pending = { FALSE, FALSE, NULL };
  g_autoptr(GPtrArray) accounts = NULL;

  carnet_credentials_list_async (NULL, list_cb, &pending);
  carnet_test_ui_wait_until (pending_done_cb, &pending, TIMEOUT_MS, "the keyring’s list");
  accounts = pending.accounts;

  for (guint i = 0; i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_has_prefix (account->host, "127.0.0.1:") &&
          (g_str_equal (account->login, "karim.benali") ||
           g_str_equal (account->login, "nathalie.martin")))
        forget (account->host, account->login);
    }
}

/* --- Helpers ---------------------------------------------------------------------- */

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Lookup;

static gboolean
control_showing_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return carnet_test_ui_find_by_label (lookup->root, lookup->text) != NULL;
}

static gboolean
label_showing_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return carnet_test_ui_find_label_text (lookup->root, lookup->text) != NULL;
}

static gboolean
page_is_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return g_str_equal (carnet_window_get_page_name (CARNET_WINDOW (lookup->root)), lookup->text);
}

static void
wait_for (CarnetTestUiCondition  condition,
          GtkWidget             *root,
          const char            *text)
{
  Lookup lookup = { root, text };
  g_autofree char *what = g_strdup_printf ("“%s”", text);

  carnet_test_ui_wait_until (condition, &lookup, TIMEOUT_MS, what);
}

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
  gtk_window_present (GTK_WINDOW (window));
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_get_mapped, window,
                             TIMEOUT_MS, "the window to show");

  return window;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
dialog_showing_cb (gpointer user_data)
{
  return find_dialog () != NULL;
}

static gboolean
control_gone_cb (gpointer user_data)
{
  return !control_showing_cb (user_data);
}

/* Activates the row as Enter does on it. */
static void
choose_account (GtkWidget     *window,
                CarnetTestEnt *ent,
                const char    *login)
{
  g_autofree char *label = row_label (ent, login);
  GtkWidget *row;

  wait_for (control_showing_cb, window, label);
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

  gtk_window_destroy (GTK_WINDOW (f->window));
  carnet_test_ui_settle (50);
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
  wait_for (label_showing_cb, f->window, FR_SAVED_ACCOUNTS);
  wait_for (control_showing_cb, f->window, karim_label);
  wait_for (label_showing_cb, f->window, "karim.benali");
  wait_for (label_showing_cb, f->window, "nathalie.martin");
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, carnet_test_ent_get_host (karim_ent)));
  g_assert_nonnull (carnet_test_ui_find_label_text (f->window, carnet_test_ent_get_host (nathalie_ent)));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (f->window)), ==, "welcome");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_get_by_label (f->window, FR_ADDRESS))),
                   ==, "");
  carnet_test_ui_settle (200);
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
  wait_for (page_is_cb, f->window, "charter");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_find_by_name (f->window, "address_row"))),
                   ==, carnet_test_ent_get_host (nathalie_ent));
  gtk_window_destroy (GTK_WINDOW (f->window));
  carnet_test_ui_settle (50);

  /* Karim, in the first one. */
  f->window = new_window ();
  choose_account (f->window, karim_ent, "karim.benali");
  wait_for (label_showing_cb, f->window, "Compte de Karim");
  wait_for (page_is_cb, f->window, "account");

  /* Karim logs out and forgets his password: the list follows. */
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, "Se déconnecter"));
  carnet_test_ui_wait_until (dialog_showing_cb, NULL, TIMEOUT_MS, "the logout dialog");
  carnet_test_ui_settle (200);
  dialog = find_dialog ();
  adw_message_dialog_response (dialog, "forget");
  if (find_dialog () != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  wait_for (page_is_cb, f->window, "welcome");
  wait_for (control_gone_cb, f->window, karim_label);
  wait_for (control_showing_cb, f->window, nathalie_label);
  gtk_window_destroy (GTK_WINDOW (f->window));
  carnet_test_ui_settle (50);

  /* Two accounts on the same ENT: the one chosen is the one logged in. */
  store (karim_ent, "karim.benali", "Cartable2026");
  store (karim_ent, "nathalie.martin", "Soleil2026");
  f->window = new_window ();
  choose_account (f->window, karim_ent, "nathalie.martin");
  wait_for (page_is_cb, f->window, "charter");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (carnet_test_ui_find_by_name (f->window, "address_row"))),
                   ==, carnet_test_ent_get_host (karim_ent));
}

static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");
  g_autofree char *nathalie_label = row_label (nathalie_ent, "nathalie.martin");

  /* Becoming a shared machine hides the list at once… */
  wait_for (control_showing_cb, f->window, nathalie_label);
  g_settings_set_boolean (settings, "shared-machine", TRUE);
  carnet_test_ui_settle (300);
  g_assert_null (carnet_test_ui_find_label_text (f->window, FR_SAVED_ACCOUNTS));
  g_assert_null (carnet_test_ui_find_by_label (f->window, nathalie_label));
  gtk_window_destroy (GTK_WINDOW (f->window));
  carnet_test_ui_settle (50);

  /* … and a lab computer never shows it. */
  f->window = new_window ();
  carnet_test_ui_settle (1000);
  g_assert_null (carnet_test_ui_find_label_text (f->window, FR_SAVED_ACCOUNTS));
  g_assert_null (carnet_test_ui_find_by_label (f->window, nathalie_label));
  g_assert_null (carnet_test_ui_find_label_text (f->window, "nathalie.martin"));
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
