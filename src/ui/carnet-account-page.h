/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_ACCOUNT_PAGE (carnet_account_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetAccountPage, carnet_account_page, CARNET, ACCOUNT_PAGE, GtkWidget)

/* The letter's "VOTRE COMPTE": "Compte de <prénom>", the panes Profil (login,
 * current email; change the password and/or the email, the current password
 * being required, then Enregistrer) and Enfants (children grouped by school),
 * and Se déconnecter (which offers to forget a remembered password). When the
 * ENT says the session expired, it asks for the password again in place and
 * repeats what was interrupted.
 *
 * Signals:
 *   logged-out (): the session is closed (even if the ENT could not be told). */

void carnet_account_page_set_account (CarnetAccountPage     *self,
                                      CarnetEntClient       *client,
                                      CarnetEntUser         *user,
                                      CarnetEntRequirements *requirements);
/* Ends the session with the ENT, then emits logged-out. */
void carnet_account_page_log_out     (CarnetAccountPage     *self);

G_END_DECLS
