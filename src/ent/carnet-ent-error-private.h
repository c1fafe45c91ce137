/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "carnet-ent-error.h"

G_BEGIN_DECLS

/* How long the ENT bans a login after too many failures. */
#define CARNET_ENT_BAN_SECONDS 900

/* Which public form answered 200 + {"error":{"message":…}}. */
typedef enum {
  CARNET_ENT_FORM_ACTIVATION,
  CARNET_ENT_FORM_RESET,
  CARNET_ENT_FORM_CHANGE_PASSWORD,
} CarnetEntForm;

const char *carnet_ent_error_default_message     (CarnetEntError        code);
GError     *carnet_ent_error_new_simple          (CarnetEntError        code);
/* GIO / TLS / resolver errors from libsoup → NETWORK, TLS, TIMEOUT, CANCELLED. */
GError     *carnet_ent_error_from_transport      (const GError         *error,
                                                  GTlsCertificateFlags  tls_errors);
/* The 200 HTML page of a failed POST /auth/login. */
GError     *carnet_ent_error_from_login_page     (const char           *html,
                                                  gsize                 length);
/* "auth.error.*" keys (oauth2 error_description); NULL when not one. */
GError     *carnet_ent_error_from_auth_key       (const char           *key);
/* The translated message of a failed activation, reset or password change. */
GError     *carnet_ent_error_from_form_message   (CarnetEntForm         form,
                                                  const char           *raw_message);
/* "a<br />b" → "a\nb", other tags dropped; NULL when not UTF-8. */
char       *carnet_ent_error_clean_server_message (const char          *message);

G_END_DECLS
