/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CARNET_ENT_ERROR (carnet_ent_error_quark ())

/**
 * CarnetEntError:
 * @CARNET_ENT_ERROR_NETWORK: the ENT could not be reached (DNS, refused, dropped)
 * @CARNET_ENT_ERROR_TLS: the ENT's certificate is not trusted, expired or for another host
 * @CARNET_ENT_ERROR_TIMEOUT: the ENT did not answer in time
 * @CARNET_ENT_ERROR_BAD_CREDENTIALS: wrong login, password or provisional code
 * @CARNET_ENT_ERROR_BANNED: too many failed attempts; see carnet_ent_error_get_retry_after()
 * @CARNET_ENT_ERROR_BLOCKED: the account (or its profile type) is blocked by the ENT
 * @CARNET_ENT_ERROR_NOT_ACTIVATED: the account must be activated first (letter's step 1)
 * @CARNET_ENT_ERROR_INVALID_INPUT: the ENT refused a field; see carnet_ent_error_get_field()
 *   and carnet_ent_error_get_server_message()
 * @CARNET_ENT_ERROR_PASSWORD_POLICY: the new password does not follow the ENT's rule
 * @CARNET_ENT_ERROR_SESSION_EXPIRED: the session ended; log in again
 * @CARNET_ENT_ERROR_RATE_LIMITED: the ENT asks to wait (quota, code resent too early)
 * @CARNET_ENT_ERROR_SERVER: the ENT failed (5xx)
 * @CARNET_ENT_ERROR_PROTOCOL: the ENT answered something unexpected (not an Open ENT NG
 *   server, malformed JSON, wrong redirect, too large)
 * @CARNET_ENT_ERROR_INSECURE: refused to send a credential over plain HTTP
 * @CARNET_ENT_ERROR_CODE_EXPIRED: a reset code or an email code is expired or used up
 * @CARNET_ENT_ERROR_ACTION_REQUIRED: the ENT redirected an authenticated request to a
 *   step the user must finish first; carnet_ent_error_get_field() says which:
 *   NEW_PASSWORD (forced password change), CHARTER (charter to accept again),
 *   MAIL (email to validate). Ask /auth/user/requirements and show that step.
 * @CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD: the password typed to log in is the
 *   code of a password-reset mail (the ENT answered with its reset page);
 *   carnet_ent_error_get_server_message() returns that code, so the
 *   forgotten-password page can open at its "new password" step with the
 *   login and the code filled in.
 *
 * Every error's message is translated and can be shown as it is.
 */
typedef enum {
  CARNET_ENT_ERROR_NETWORK,
  CARNET_ENT_ERROR_TLS,
  CARNET_ENT_ERROR_TIMEOUT,
  CARNET_ENT_ERROR_BAD_CREDENTIALS,
  CARNET_ENT_ERROR_BANNED,
  CARNET_ENT_ERROR_BLOCKED,
  CARNET_ENT_ERROR_NOT_ACTIVATED,
  CARNET_ENT_ERROR_INVALID_INPUT,
  CARNET_ENT_ERROR_PASSWORD_POLICY,
  CARNET_ENT_ERROR_SESSION_EXPIRED,
  CARNET_ENT_ERROR_RATE_LIMITED,
  CARNET_ENT_ERROR_SERVER,
  CARNET_ENT_ERROR_PROTOCOL,
  CARNET_ENT_ERROR_INSECURE,
  CARNET_ENT_ERROR_CODE_EXPIRED,
  CARNET_ENT_ERROR_ACTION_REQUIRED,
  CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD,
} CarnetEntError;

/* Which form field an INVALID_INPUT or PASSWORD_POLICY error is about. */
typedef enum {
  CARNET_ENT_FIELD_NONE,
  CARNET_ENT_FIELD_LOGIN,
  CARNET_ENT_FIELD_PASSWORD,          /* current or provisional password / code */
  CARNET_ENT_FIELD_NEW_PASSWORD,
  CARNET_ENT_FIELD_CONFIRM_PASSWORD,
  CARNET_ENT_FIELD_MAIL,
  CARNET_ENT_FIELD_PHONE,
  CARNET_ENT_FIELD_CHARTER,
  CARNET_ENT_FIELD_CODE,              /* email code, reset code or link */
  CARNET_ENT_FIELD_FIRST_NAME,
  CARNET_ENT_FIELD_SCHOOL,
} CarnetEntField;

GQuark         carnet_ent_error_quark              (void);

/* Extended error data (GLib extended errors); all return defaults on other errors. */
CarnetEntField carnet_ent_error_get_field          (const GError *error);
const char    *carnet_ent_error_get_server_message (const GError *error);
guint          carnet_ent_error_get_retry_after    (const GError *error); /* seconds, 0 unknown */

/* Creates an error of this domain with its extended data set. @server_message may be NULL. */
GError        *carnet_ent_error_new_full           (CarnetEntError  code,
                                                    CarnetEntField  field,
                                                    const char     *server_message,
                                                    guint           retry_after,
                                                    const char     *message);

G_END_DECLS
