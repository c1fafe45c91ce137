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
/* GIO / TLS / resolver errors from libsoup → NETWORK, TLS, TIMEOUT; a
 * cancellation stays G_IO_ERROR_CANCELLED (with a translated message). */
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
/* The same with the dictionary of GET /auth/i18n inverted (see
 * carnet_ent_i18n_reverse_new_from_json()): translated texts are mapped
 * back to their keys; @reverse NULL reads raw keys only, then keywords. */
GError     *carnet_ent_error_from_login_page_full (const char        *html,
                                                   gsize              length,
                                                   GHashTable        *reverse);
GError     *carnet_ent_error_from_form_message_full (CarnetEntForm    form,
                                                     const char      *raw_message,
                                                     GHashTable      *reverse);
/* The message of login.html's ng-init='error = "…"', HTML escapes
 * decoded; NULL when the page has none. */
char       *carnet_ent_login_page_error_text     (const char           *html,
                                                  gsize                 length);
/* TRUE when the page holds an error text that is not a raw key. */
gboolean    carnet_ent_login_page_needs_i18n     (const char           *html,
                                                  gsize                 length);
/* &#39; &quot; &amp; &lt; &gt; &#x60; &#x3D; (Mustache's escapes) decoded. */
char       *carnet_ent_html_unescape             (const char           *text);
/* "auth.error.ban": an i18n key, not a sentence. */
gboolean    carnet_ent_text_is_key               (const char           *text);
/* Tags dropped, spaces collapsed, NFC, typographic apostrophes plain. */
char       *carnet_ent_i18n_normalize            (const char           *text);
/* The keys whose translation is @text (several when texts are shared),
 * or @text itself when it is a raw key; NULL when unknown. */
char      **carnet_ent_i18n_lookup               (GHashTable           *reverse,
                                                  const char           *text);
/* A refused POST /auth/reset (reset.error or auth.reset.invalid.argument). */
gboolean    carnet_ent_form_message_is_reset_refusal (const char       *raw_message,
                                                      GHashTable       *reverse);
/* After /auth/reset/match: CODE_EXPIRED when the code no longer matches,
 * else PASSWORD_POLICY (the new password was refused, likely used before). */
GError     *carnet_ent_error_reset_refused       (gboolean              code_matches,
                                                  const char           *server_message);
/* The login's 302 to /auth/reset/<code>: RESET_CODE_AS_PASSWORD. */
GError     *carnet_ent_error_reset_code_as_password (const char        *code);
/* "Too many wrong attempts … in N minutes at most." */
char       *carnet_ent_error_banned_message      (guint                 retry_after);

/* "a<br />b" → "a\nb", other tags dropped; NULL when not UTF-8. */
char       *carnet_ent_error_clean_server_message (const char          *message);

G_END_DECLS
