/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_FORGOT_PASSWORD_PAGE (carnet_forgot_password_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetForgotPasswordPage, carnet_forgot_password_page, CARNET, FORGOT_PASSWORD_PAGE, GtkWidget)

/* The letter's "Mot de passe oublié — Mon identifiant": the login, then the
 * mail's link (or its code) and the new password typed twice.
 *
 * Signals:
 *   password-reset (const char *login): the new password is set. */

void     carnet_forgot_password_page_set_client (CarnetForgotPasswordPage *self,
                                            CarnetEntClient      *client);
/* Escape / Back: cancels a request, or returns to the previous step.
 * FALSE when already at the first step (leave the page). Nothing typed is lost. */
gboolean carnet_forgot_password_page_go_back    (CarnetForgotPasswordPage *self);
/* Straight to the last step, the mail's code already known (typed as the
 * password on the login page): @login and @code filled, the new password's
 * field focused. */
void     carnet_forgot_password_page_start_with_code (CarnetForgotPasswordPage *self,
                                                      const char               *login,
                                                      const char               *code);
/* Cancels, forgets everything typed, back to the first step. */
void     carnet_forgot_password_page_reset      (CarnetForgotPasswordPage *self);

G_END_DECLS
