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

static GError *
unavailable_error (void)
{
  return g_error_new_literal (CARNET_CREDENTIALS_ERROR, CARNET_CREDENTIALS_ERROR_UNAVAILABLE,
                              _("Carnet cannot use this computer's password keyring, so it cannot remember your password."));
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
      ret = unavailable_error ();
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

/* --- One backend, ready before any call ------------------------------------
 *
 * Inside Flatpak, libsecret 0.20.5 uses its file backend, which first asks the
 * Secret portal for the keyring's key (secret-file-backend.c):
 *  - it calls RetrieveSecret and only subscribes to the request's Response
 *    signal once the reply has been dispatched to the main loop. gnome-keyring
 *    answers at once, so while the main loop is busy (the window starting) the
 *    Response comes first and is dropped: that backend never finishes
 *    initialising and the secret_password_*() call waits forever;
 *  - cancelling that wait deadlocks: its "cancelled" handler calls
 *    g_cancellable_disconnect() on the cancellable being cancelled;
 *  - until one backend is ready and cached, every call makes its own, each
 *    with its own copy of the keyring file.
 *
 * So a first cheap call (a search that reads no secret), without cancellable,
 * makes libsecret create and cache its one backend before any other
 * secret_password_*() call is issued; the calls made meanwhile wait for it.
 * Attempt N that has not finished after N seconds is abandoned (not
 * cancelled) and made again, by then from an idle main loop, BACKEND_ATTEMPTS
 * times at most (10 s in all); after that the waiting calls fail with
 * CARNET_CREDENTIALS_ERROR_UNAVAILABLE (and the next call tries again). An
 * abandoned attempt that succeeds late is taken. Outside Flatpak this is the
 * Secret Service connection, made once as well. */

#define BACKEND_ATTEMPTS 4

typedef void (*StartFunc) (GTask *task);

typedef struct
{
  GTask     *task;
  StartFunc  start;
} Waiter;

static gboolean backend_ready;
static GQueue waiters = G_QUEUE_INIT;
static guint backend_generation;
static guint backend_attempt;
static guint backend_timeout_id;

static void backend_attempt_start (void);

static void
backend_flush (const GError *error)
{
  Waiter *waiter;

  while ((waiter = g_queue_pop_head (&waiters)) != NULL)
    {
      if (g_task_return_error_if_cancelled (waiter->task))
        ;
      else if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        {
          waiter->start (waiter->task);
          g_free (waiter);
          continue;
        }
      g_object_unref (waiter->task);
      g_free (waiter);
    }
}

static void
backend_give_up (void)
{
  g_autoptr(GError) error = NULL;

  g_debug ("No keyring backend after %u attempts", backend_attempt);
  backend_attempt = 0;
  error = unavailable_error ();
  backend_flush (error);
}

static void
backend_search_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  g_list_free_full (items, g_object_unref);
  if (error == NULL && !backend_ready)
    {
      g_debug ("Keyring backend ready (attempt %u)", backend_attempt);
      backend_ready = TRUE;
      backend_attempt = 0;
      backend_generation++;
      g_clear_handle_id (&backend_timeout_id, g_source_remove);
      backend_flush (NULL);
      return;
    }
  /* A late answer to an abandoned attempt, or to one made after it. */
  if (error == NULL || generation != backend_generation)
    {
      g_debug ("Late answer to an abandoned keyring attempt");
      return;
    }

  g_debug ("Keyring backend not available: %s", error->message);
  g_clear_handle_id (&backend_timeout_id, g_source_remove);
  backend_give_up ();
}

static gboolean
backend_timeout_cb (gpointer user_data)
{
  backend_timeout_id = 0;
  g_debug ("Keyring backend attempt %u took more than %u s: abandoned",
           backend_attempt, backend_attempt);
  /* Not cancelled (see above); a late error is ignored, a late success
   * taken (see backend_search_cb). */
  backend_generation++;

  if (backend_attempt < BACKEND_ATTEMPTS)
    backend_attempt_start ();
  else
    backend_give_up ();

  return G_SOURCE_REMOVE;
}

static void
backend_attempt_start (void)
{
  backend_attempt++;
  backend_generation++;
  g_debug ("Getting the keyring backend (attempt %u)", backend_attempt);
  backend_timeout_id = g_timeout_add (backend_attempt * 1000, backend_timeout_cb, NULL);
  /* No attributes, no SECRET_SEARCH_UNLOCK nor LOAD_SECRETS: never prompts. */
  secret_password_search (&schema, SECRET_SEARCH_NONE, NULL, backend_search_cb,
                          GUINT_TO_POINTER (backend_generation), NULL);
}

/* Runs start (task) once the backend is ready, or fails the task. */
static void
with_backend (GTask     *task,
              StartFunc  start)
{
  Waiter *waiter;

  if (backend_ready)
    {
      start (task);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->task = task;
  waiter->start = start;
  g_queue_push_tail (&waiters, waiter);
  if (backend_attempt == 0)
    backend_attempt_start ();
}

/* What a call needs once the backend is ready. */
typedef struct
{
  char *host;
  char *login;
  char *password;
} Request;

static void
request_free (Request *request)
{
  g_free (request->host);
  g_free (request->login);
  if (request->password != NULL)
    {
      secret_password_wipe (request->password);
      g_free (request->password);
    }
  g_free (request);
}

static Request *
request_new (GTask      *task,
             const char *host,
             const char *login,
             const char *password)
{
  Request *request = g_new0 (Request, 1);

  request->host = g_strdup (host);
  request->login = g_strdup (login);
  request->password = g_strdup (password);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return request;
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

static void
store_start (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  g_autofree char *label = make_label (request->host, request->login);

  secret_password_store (&schema, SECRET_COLLECTION_DEFAULT, label, request->password,
                         g_task_get_cancellable (task), store_cb, task,
                         "host", request->host, "login", request->login, NULL);
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

  g_return_if_fail (host != NULL && *host != '\0');
  g_return_if_fail (login != NULL && *login != '\0');
  g_return_if_fail (password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_credentials_store_async);
  request_new (task, host, login, password);
  with_backend (g_steal_pointer (&task), store_start);
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

static void
lookup_start (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  secret_password_lookup (&schema, g_task_get_cancellable (task), lookup_cb, task,
                          "host", request->host, "login", request->login, NULL);
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
  request_new (task, host, login, NULL);
  with_backend (task, lookup_start);
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

static void
forget_start (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  secret_password_clear (&schema, g_task_get_cancellable (task), forget_cb, task,
                         "host", request->host, "login", request->login, NULL);
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
  request_new (task, host, login, NULL);
  with_backend (task, forget_start);
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

static void
list_start (GTask *task)
{
  /* SECRET_SEARCH_ALL without SECRET_SEARCH_UNLOCK/LOAD_SECRETS: listing the
   * accounts never asks for the keyring's password nor reads a secret. */
  secret_password_search (&schema, SECRET_SEARCH_ALL, g_task_get_cancellable (task),
                          list_cb, task, NULL);
}

void
carnet_credentials_list_async (GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, carnet_credentials_list_async);
  with_backend (task, list_start);
}

GPtrArray *
carnet_credentials_list_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
