/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_ACTIVATION_PAGE (carnet_activation_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetActivationPage, carnet_activation_page, CARNET, ACTIVATION_PAGE, GtkWidget)

/* The letter's "Activer votre compte ENT à la première connexion": the
 * letter's login and provisional password (checked at once), then the new
 * password, the email address (and phone when the ENT wants one) and the
 * charter.
 *
 * Signals:
 *   activated (const char *login, gboolean logged_in): the account is
 *     activated; @logged_in when the ENT also opened a session. */

void     carnet_activation_page_set_client (CarnetActivationPage *self,
                                            CarnetEntClient      *client);
/* Escape / Back: cancels a request, or returns to the previous step.
 * FALSE when already at the first step (leave the page). Nothing typed is lost. */
gboolean carnet_activation_page_go_back    (CarnetActivationPage *self);
/* Cancels, forgets everything typed, back to the first step. */
void     carnet_activation_page_reset      (CarnetActivationPage *self);

G_END_DECLS
