/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-step-page.h"

G_BEGIN_DECLS

#define CARNET_TYPE_MAIL_PAGE (carnet_mail_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetMailPage, carnet_mail_page, CARNET, MAIL_PAGE, CarnetStepPage)

/* The letter's "Saisissez votre mail pour être notifié des messages de
 * l'ENT": the address, then the 6-digit code the ENT mails to it. Also
 * meant for the account's "change my email".
 *
 * Signals (besides CarnetStepPage's done and action-required):
 *   validated (const char *email): the ENT confirmed @email (with done). */

/* @login: whose session it is, to log in again when it ends. */
void        carnet_mail_page_set_account (CarnetMailPage  *self,
                                          CarnetEntClient *client,
                                          const char      *login);
/* Asks the ENT for the current state, prefills the address, shows step 1. */
void        carnet_mail_page_start      (CarnetMailPage  *self);
/* Forgets what was typed and sent (address, code), as after a logout. */
void        carnet_mail_page_clear      (CarnetMailPage  *self);
/* Cancels what is under way. */
void        carnet_mail_page_cancel     (CarnetMailPage  *self);
/* Escape: from the code back to the address (TRUE), or nothing to go back to. */
gboolean    carnet_mail_page_go_back    (CarnetMailPage  *self);
/* "address" or "code". */
const char *carnet_mail_page_get_step   (CarnetMailPage  *self);

G_END_DECLS
