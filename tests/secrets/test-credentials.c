/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CarnetCredentials against a real gnome-keyring on a private session bus
 * (build-aux/dev test starts one, unlocked). What a parent relies on: the
 * password is in the keyring under the ENT's host and the login, where
 * secret-tool finds it, and nowhere after "forget".
 */
#include "config.h"

#include <string.h>

#include "carnet-credentials.h"

static GAsyncResult *pending_result;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  pending_result = g_object_ref (result);
}

static GAsyncResult *
await_result (void)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (pending_result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > deadline)
        g_error ("a keyring call did not complete within 20 s");
      g_usleep (1000);
    }
  return g_steal_pointer (&pending_result);
}

static void
store (const char *host,
       const char *login,
       const char *password)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  carnet_credentials_store_async (host, login, password, NULL, done_cb, NULL);
  res = await_result ();
  g_assert_true (carnet_credentials_store_finish (res, &error));
  g_assert_no_error (error);
}

static char *
lookup (const char *host,
        const char *login)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  carnet_credentials_lookup_async (host, login, NULL, done_cb, NULL);
  res = await_result ();
  password = carnet_credentials_lookup_finish (res, &error);
  g_assert_no_error (error);
  return password;
}

static void
forget (const char *host,
        const char *login)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  carnet_credentials_forget_async (host, login, NULL, done_cb, NULL);
  res = await_result ();
  g_assert_true (carnet_credentials_forget_finish (res, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list (void)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  carnet_credentials_list_async (NULL, done_cb, NULL);
  res = await_result ();
  accounts = carnet_credentials_list_finish (res, &error);
  g_assert_no_error (error);
  return accounts;
}

/* What `secret-tool lookup host H login L` prints, as another program
 * reading the same keyring would. */
static char *
secret_tool_lookup (const char *host,
                    const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { "secret-tool", "lookup", "host", host, "login", login, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_steal_pointer (&out);
}

static void
test_store_lookup_forget (void)
{
  const char *host = "127.0.0.1:8443";
  char *password;
  g_autofree char *seen = NULL;

  store (host, "karim.benali", "Cartable2026");

  password = lookup (host, "karim.benali");
  g_assert_cmpstr (password, ==, "Cartable2026");
  carnet_credentials_free_password (password);

  /* Under the schema's attributes, where any Secret Service client finds it. */
  seen = secret_tool_lookup (host, "karim.benali");
  g_assert_cmpstr (seen, ==, "Cartable2026");
  g_clear_pointer (&seen, g_free);

  /* A password change replaces the entry, it does not add one. */
  store (host, "karim.benali", "Trousse2026");
  password = lookup (host, "karim.benali");
  g_assert_cmpstr (password, ==, "Trousse2026");
  carnet_credentials_free_password (password);

  /* Another login or another ENT does not see it. */
  g_assert_null (lookup (host, "nathalie.martin"));
  g_assert_null (lookup ("enthdf.fr", "karim.benali"));

  forget (host, "karim.benali");
  g_assert_null (lookup (host, "karim.benali"));
  seen = secret_tool_lookup (host, "karim.benali");
  g_assert_null (seen);

  /* Forgetting what is not there is not an error. */
  forget (host, "karim.benali");
}

static void
test_list_accounts (void)
{
  g_autoptr(GPtrArray) accounts = NULL;
  CarnetAccount *a;

  store ("ent.iledefrance.fr", "nathalie.martin", "Soleil2026");
  store ("enthdf.fr", "karim.benali", "Cartable2026");
  store ("enthdf.fr", "claire.dubois", "Rentree2026");

  accounts = list ();
  g_assert_cmpuint (accounts->len, ==, 3);
  a = g_ptr_array_index (accounts, 0);
  g_assert_cmpstr (a->host, ==, "ent.iledefrance.fr");
  a = g_ptr_array_index (accounts, 1);
  g_assert_cmpstr (a->host, ==, "enthdf.fr");
  g_assert_cmpstr (a->login, ==, "claire.dubois");
  a = g_ptr_array_index (accounts, 2);
  g_assert_cmpstr (a->login, ==, "karim.benali");

  forget ("ent.iledefrance.fr", "nathalie.martin");
  forget ("enthdf.fr", "karim.benali");
  forget ("enthdf.fr", "claire.dubois");
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = list ();
  g_assert_cmpuint (accounts->len, ==, 0);
}

/* No Secret Service at all (a minimal session): a plain, translated error,
 * never a hang or a crash. Run with DBUS_SESSION_BUS_ADDRESS pointing
 * nowhere, see tests/secrets/meson.build. */
static void
test_unavailable (void)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  carnet_credentials_store_async ("enthdf.fr", "karim.benali", "Cartable2026", NULL, done_cb, NULL);
  res = await_result ();
  g_assert_false (carnet_credentials_store_finish (res, &error));
  g_assert_error (error, CARNET_CREDENTIALS_ERROR, CARNET_CREDENTIALS_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, "Cartable2026"));
  g_clear_object (&res);
  g_clear_error (&error);

  carnet_credentials_lookup_async ("enthdf.fr", "karim.benali", NULL, done_cb, NULL);
  res = await_result ();
  g_assert_null (carnet_credentials_lookup_finish (res, &error));
  g_assert_error (error, CARNET_CREDENTIALS_ERROR, CARNET_CREDENTIALS_ERROR_UNAVAILABLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("CARNET_TEST_NO_KEYRING") != NULL)
    g_test_add_func ("/secrets/unavailable", test_unavailable);
  else
    {
      g_test_add_func ("/secrets/store-lookup-forget", test_store_lookup_forget);
      g_test_add_func ("/secrets/list-accounts", test_list_accounts);
    }

  return g_test_run ();
}
