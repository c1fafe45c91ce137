/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

/* What the parent has to go through next while a session is open: the
 * window shows a page for each. */
typedef enum {
  CARNET_SESSION_STEP_NONE,      /* no session: nobody logged in */
  CARNET_SESSION_STEP_BUSY,      /* asking the ENT what it requires */
  CARNET_SESSION_STEP_ERROR,     /* asking failed: carnet_session_get_error() */
  CARNET_SESSION_STEP_PASSWORD,  /* a password change is forced */
  CARNET_SESSION_STEP_CHARTER,   /* the charter must be accepted */
  CARNET_SESSION_STEP_MAIL,      /* the notification email must be confirmed */
  CARNET_SESSION_STEP_ACCOUNT,   /* nothing left: the account */
} CarnetSessionStep;

/* Why the session ended. */
typedef enum {
  CARNET_SESSION_LOGOUT_USER,     /* the parent asked */
  CARNET_SESSION_LOGOUT_IDLE,     /* a shared machine's idle time ran out */
  CARNET_SESSION_LOGOUT_CLOSING,  /* the window closes (shared machine) */
} CarnetSessionLogoutReason;

#define CARNET_TYPE_SESSION_STEP (carnet_session_step_get_type ())
#define CARNET_TYPE_SESSION_LOGOUT_REASON (carnet_session_logout_reason_get_type ())
GType carnet_session_step_get_type          (void) G_GNUC_CONST;
GType carnet_session_logout_reason_get_type (void) G_GNUC_CONST;

#define CARNET_TYPE_SESSION (carnet_session_get_type ())
G_DECLARE_FINAL_TYPE (CarnetSession, carnet_session, CARNET, SESSION, GObject)

/* The logged-in state of one ENT (one client, one accepted address): who is
 * logged in, what the ENT requires of them, the step that follows, logout.
 * No widgets: the window maps the step to its pages.
 *
 * Properties (all read-only, with notify):
 *   client (CarnetEntClient, construct-only), user (CarnetEntUser or NULL),
 *   requirements (CarnetEntRequirements or NULL: the last ones read),
 *   login (the user's login, or the one given to set_login before the user
 *   is known; NULL when logged out), step (CarnetSessionStep).
 *
 * Signals:
 *   login-accepted (const char *login): during carnet_session_login_async(),
 *     the ENT took the password; the profile and requirements are asked.
 *   logged-out (CarnetSessionLogoutReason reason): the session is closed
 *     and forgotten here (user, requirements, login cleared; step NONE),
 *     whether or not the ENT could be told. Emitted once per
 *     carnet_session_log_out_async(): at once for IDLE (the next user of
 *     the machine must not wait for a slow ENT to stop seeing the pages),
 *     when the ENT answered (or failed, or the call was cancelled)
 *     otherwise. */

CarnetSession         *carnet_session_new              (CarnetEntClient *client);
CarnetEntClient       *carnet_session_get_client       (CarnetSession   *self);
CarnetEntUser         *carnet_session_get_user         (CarnetSession   *self);
CarnetEntRequirements *carnet_session_get_requirements (CarnetSession   *self);
const char            *carnet_session_get_login        (CarnetSession   *self);
CarnetSessionStep      carnet_session_get_step         (CarnetSession   *self);
/* Why the step is ERROR, else NULL. */
const GError          *carnet_session_get_error        (CarnetSession   *self);
/* Whether the ENT has a session open for the client. */
gboolean               carnet_session_get_logged_in    (CarnetSession   *self);

/* The profile read again (the account page, after a change of email). */
void      carnet_session_set_user              (CarnetSession       *self,
                                                CarnetEntUser       *user);

/* Logs @login in with @password, then reads the profile and the
 * requirements (one round trip for both). Fails with the login's error, or
 * the profile's (the session stays open on the ENT then, as today: the
 * login page says why). On success the user, login and requirements are
 * set, and then the step: the first requirement left or ACCOUNT (or
 * BUSY while the requirements are asked again when the ENT did not say). */
void      carnet_session_login_async           (CarnetSession       *self,
                                                const char          *login,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  carnet_session_login_finish          (CarnetSession       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* A session opened elsewhere, in a web view (EduConnect): the client
 * adopts @soup_cookies (element type SoupCookie, not taken; see
 * carnet_ent_client_adopt_cookies()), then the profile and the
 * requirements are read as after carnet_session_login_async(), and on
 * success the user, login (the user's, from the profile), requirements
 * and step are set the same way (notify::user, ::login, ::requirements,
 * ::step, as for a login). login-accepted is not emitted: it means "the
 * ENT took the password" and its handler (the login page) remembers the
 * typed password; here there is none, and Carnet keeps nothing of an
 * EduConnect login. Fails with
 * SESSION_EXPIRED when the cookies hold no session, or the ENT does not
 * know it (nothing is held then), or with the profile's error. */
void      carnet_session_adopt_async           (CarnetSession       *self,
                                                GList               *soup_cookies,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  carnet_session_adopt_finish          (CarnetSession       *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Whether the session was opened through EduConnect (the profile says
 * "federated"): no password to check, change or remember; logout goes
 * through the ENT's SAML logout. FALSE when logged out. */
gboolean  carnet_session_get_federated         (CarnetSession       *self);

/* A session opened elsewhere (an activation that logged in) for @login,
 * whose profile is not read yet; call carnet_session_continue() next. */
void      carnet_session_set_login             (CarnetSession       *self,
                                                const char          *login);

/* After a step (or an ACTION_REQUIRED error): step BUSY, asks the ENT what
 * it still requires and sets the step to the first one left; when none is,
 * reads the profile again (a step may have changed the email) and sets
 * ACCOUNT. On failure the step is ERROR. Cancels any continue under way. */
void      carnet_session_continue              (CarnetSession       *self);
/* Stops a continue under way (the step stays as it is). */
void      carnet_session_cancel                (CarnetSession       *self);

/* Ends the session: stops any continue, tells the ENT (GET /auth/logout,
 * or for a federated session the ENT's SAML logout, see
 * carnet_ent_client_federated_logout_async(); the client forgets
 * its cookies whatever the ENT answers) and emits logged-out (see above
 * for when). @cancellable bounds the request to the ENT (a shared
 * machine's closing waits a few seconds only). The finish fails when the
 * ENT was not told; the session is forgotten here anyway. */
void      carnet_session_log_out_async         (CarnetSession             *self,
                                                CarnetSessionLogoutReason  reason,
                                                GCancellable              *cancellable,
                                                GAsyncReadyCallback        callback,
                                                gpointer                   user_data);
gboolean  carnet_session_log_out_finish        (CarnetSession             *self,
                                                GAsyncResult              *result,
                                                GError                   **error);

/* Checks @password as the logged-in user's current one, the way the ENT
 * allows it: by logging in again with it, which also renews the session.
 * A wrong password fails with CARNET_ENT_ERROR_BAD_CREDENTIALS. */
void      carnet_session_check_password_async  (CarnetSession       *self,
                                                const char          *password,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean  carnet_session_check_password_finish (CarnetSession       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
