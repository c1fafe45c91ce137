/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-session.h"

G_BEGIN_DECLS

#define CARNET_TYPE_LOGIN_PAGE (carnet_login_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetLoginPage, carnet_login_page, CARNET, LOGIN_PAGE, GtkWidget)

/* The letter's "Se connecter": profile Parent, login, password.
 *
 * Signals:
 *   logged-in (CarnetEntUser *user, CarnetEntRequirements *requirements):
 *     the session is open (the session's user and requirements, NULL when
 *     the ENT did not say what it requires); the session goes on to its
 *     next step by itself.
 *   auto-login-started (): logging in by itself with a remembered password.
 *   reset-code-typed (const char *login, const char *code): the password typed
 *     was the code of a password-reset mail, and the parent chose to set the
 *     new password with it (the forgotten-password page, at its last step). */

/* The session the page logs in (the window's, one per accepted address). */
CarnetSession   *carnet_login_page_get_session (CarnetLoginPage *self);
void             carnet_login_page_set_session (CarnetLoginPage *self,
                                                CarnetSession   *session);
CarnetEntClient *carnet_login_page_get_client (CarnetLoginPage *self);
/* A session of its own on @client (a page alone, in a test). */
void             carnet_login_page_set_client (CarnetLoginPage *self,
                                               CarnetEntClient *client);
/* Cancels a login under way. */
void             carnet_login_page_cancel     (CarnetLoginPage *self);
/* Forgets the password and any error; keeps the login when @keep_login. */
void             carnet_login_page_reset      (CarnetLoginPage *self,
                                               gboolean         keep_login);
gboolean         carnet_login_page_get_busy   (CarnetLoginPage *self);
/* Shows @message where a login's error shows (an EduConnect session that
 * expired: the way back in is EduConnect again, whose button gets the focus). */
void             carnet_login_page_show_message (CarnetLoginPage *self,
                                                 const char      *message);
/* Fills in the login (after an activation or a reset); the password is for the parent to type. */
void             carnet_login_page_set_login  (CarnetLoginPage *self,
                                               const char      *login);
/* When a password is remembered for this ENT (and allowed), logs in with it:
 * emits auto-login-started, then logged-in, or shows why on the page. */
void             carnet_login_page_try_auto_login (CarnetLoginPage *self);
/* The same with the password remembered for @login on this ENT (NULL: the
 * first login remembered for it). */
void             carnet_login_page_try_auto_login_as (CarnetLoginPage *self,
                                                      const char      *login);

G_END_DECLS
