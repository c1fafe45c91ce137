/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-secrets"

#include "config.h"

#include "carnet-credentials.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

G_DEFINE_QUARK (carnet-credentials-error-quark, carnet_credentials_error)

static const SecretSchema schema = {
  "io.github.carnet.Carnet", SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

const void *
carnet_credentials_get_schema (void)
{
  return &schema;
}

void
carnet_account_free (CarnetAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->host);
  g_free (account->login);
  g_free (account);
}

void
carnet_credentials_free_password (char *password)
{
  secret_password_free (password);
}

/* libsecret's own errors speak of D-Bus and collections: log them for the
 * curious, and give the parent one plain sentence. libsecret never puts the
 * secret in its messages, but the attributes (the login) may be: debug only. */
static GError *
translate_error (GError *error)
{
  GError *ret;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ret = g_error_new_literal (CARNET_CREDENTIALS_ERROR, CARNET_CREDENTIALS_ERROR_CANCELLED,
                               _("The operation was cancelled."));
  else
    {
      g_debug ("Secret Service error: %s", error->message);
      ret = g_error_new_literal (CARNET_CREDENTIALS_ERROR, CARNET_CREDENTIALS_ERROR_UNAVAILABLE,
                                 _("Carnet cannot use this computer's password keyring, so it cannot remember your password."));
    }
  g_error_free (error);
  return ret;
}

static char *
make_label (const char *host,
            const char *login)
{
  /* Shown in Passwords and Keys (Seahorse). */
  return g_strdup_printf (_("ENT password for %s on %s"), login, host);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
carnet_credentials_store_async (const char          *host,
                                const char          *login,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && *host != '\0');
  g_return_if_fail (login != NULL && *login != '\0');
  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_credentials_store_async);
  label = make_label (host, login);
  secret_password_store (&schema, SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                         store_cb, g_steal_pointer (&task),
                         "host", host, "login", login, NULL);
}

gboolean
carnet_credentials_store_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
carnet_credentials_lookup_async (const char          *host,
                                 const char          *login,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (host != NULL && login != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_credentials_lookup_async);
  secret_password_lookup (&schema, cancellable, lookup_cb, task,
                          "host", host, "login", login, NULL);
}

char *
carnet_credentials_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
forget_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to forget. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
carnet_credentials_forget_async (const char          *host,
                                 const char          *login,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (host != NULL && login != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_credentials_forget_async);
  secret_password_clear (&schema, cancellable, forget_cb, task,
                         "host", host, "login", login, NULL);
}

gboolean
carnet_credentials_forget_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static int
compare_accounts (gconstpointer a,
                  gconstpointer b)
{
  const CarnetAccount *x = *(CarnetAccount * const *) a;
  const CarnetAccount *y = *(CarnetAccount * const *) b;
  int cmp = g_strcmp0 (x->host, y->host);

  return cmp != 0 ? cmp : g_strcmp0 (x->login, y->login);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;
  GPtrArray *accounts;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) carnet_account_free);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *host = g_hash_table_lookup (attributes, "host");
      const char *login = g_hash_table_lookup (attributes, "login");
      CarnetAccount *account;

      if (host == NULL || login == NULL)
        continue;
      account = g_new0 (CarnetAccount, 1);
      account->host = g_strdup (host);
      account->login = g_strdup (login);
      g_ptr_array_add (accounts, account);
    }
  g_list_free_full (items, g_object_unref);
  g_ptr_array_sort (accounts, compare_accounts);
  g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_credentials_list_async (GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, carnet_credentials_list_async);
  /* SECRET_SEARCH_ALL without SECRET_SEARCH_UNLOCK/LOAD_SECRETS: listing the
   * accounts never asks for the keyring's password nor reads a secret. */
  secret_password_search (&schema, SECRET_SEARCH_ALL, cancellable, list_cb, task, NULL);
}

GPtrArray *
carnet_credentials_list_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
