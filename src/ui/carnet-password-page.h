/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-step-page.h"

G_BEGIN_DECLS

#define CARNET_TYPE_PASSWORD_PAGE (carnet_password_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetPasswordPage, carnet_password_page, CARNET, PASSWORD_PAGE, CarnetStepPage)

/* The password change the ENT forces after a login: the current password,
 * the new one twice with the ENT's rule shown live.
 *
 * Signals (besides CarnetStepPage's done and action-required):
 *   changed (): the ENT took the new password (with done). */

/* @login: whose password changes. Forgets whatever was typed. */
void carnet_password_page_set_account (CarnetPasswordPage *self,
                                       CarnetEntClient    *client,
                                       const char         *login);
void carnet_password_page_cancel      (CarnetPasswordPage *self);
/* Empties every password field. */
void carnet_password_page_clear       (CarnetPasswordPage *self);

G_END_DECLS
