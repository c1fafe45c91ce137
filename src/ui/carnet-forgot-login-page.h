/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_FORGOT_LOGIN_PAGE (carnet_forgot_login_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetForgotLoginPage, carnet_forgot_login_page, CARNET, FORGOT_LOGIN_PAGE, GtkWidget)

/* The letter's "Identifiant oublié — Mon adresse mail": the email address,
 * then (when several accounts use it) the school and the first name. The
 * ENT never says whether an account exists, nor does the page. */

void     carnet_forgot_login_page_set_client (CarnetForgotLoginPage *self,
                                            CarnetEntClient      *client);
/* Escape / Back: cancels a request, or returns to the previous step.
 * FALSE when already at the first step (leave the page). Nothing typed is lost. */
gboolean carnet_forgot_login_page_go_back    (CarnetForgotLoginPage *self);
/* Cancels, forgets everything typed, back to the first step. */
void     carnet_forgot_login_page_reset      (CarnetForgotLoginPage *self);

G_END_DECLS
