/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_ACCOUNT_PAGE (carnet_account_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetAccountPage, carnet_account_page, CARNET, ACCOUNT_PAGE, GtkWidget)

/* The letter's "VOTRE COMPTE" (for now its header, the login and the way out).
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
