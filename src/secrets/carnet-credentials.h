/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A parent's remembered password, one per ENT host and login, in the system
 * keyring through libsecret's simple API (inside Flatpak: the Secret portal).
 * No GTK. Every call is asynchronous. Nothing here logs a secret; errors are
 * translated and never contain one. */

#define CARNET_CREDENTIALS_ERROR (carnet_credentials_error_quark ())

typedef enum {
  CARNET_CREDENTIALS_ERROR_UNAVAILABLE, /* no Secret Service, or the keyring stayed locked */
  CARNET_CREDENTIALS_ERROR_CANCELLED,
} CarnetCredentialsError;

/* An account remembered on this machine. */
typedef struct {
  char *host;   /* "enthdf.fr", "127.0.0.1:8443" */
  char *login;
} CarnetAccount;

GQuark          carnet_credentials_error_quark  (void);
const void     *carnet_credentials_get_schema   (void); /* the SecretSchema, for tests */

void            carnet_account_free             (CarnetAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CarnetAccount, carnet_account_free)

void            carnet_credentials_store_async  (const char          *host,
                                                 const char          *login,
                                                 const char          *password,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        carnet_credentials_store_finish (GAsyncResult        *result,
                                                 GError             **error);

/* Returns the password (free with carnet_credentials_free_password), or NULL
 * without error when none is stored. */
void            carnet_credentials_lookup_async  (const char          *host,
                                                  const char          *login,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char           *carnet_credentials_lookup_finish (GAsyncResult        *result,
                                                  GError             **error);
void            carnet_credentials_free_password (char                *password);

/* Forgets the password of @login on @host (no error when none was stored). */
void            carnet_credentials_forget_async  (const char          *host,
                                                  const char          *login,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        carnet_credentials_forget_finish (GAsyncResult        *result,
                                                  GError             **error);

/* Every remembered account (element type CarnetAccount), sorted by host then
 * login, without unlocking or reading any password. */
void            carnet_credentials_list_async    (GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray      *carnet_credentials_list_finish   (GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
