/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CARNET_TYPE_WELCOME_PAGE (carnet_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetWelcomePage, carnet_welcome_page, CARNET, WELCOME_PAGE, GtkWidget)

/* The first screen: the ENT address from the letter, checked at once, then
 * the letter's four choices (as the actions win.first-connection, win.login,
 * win.forgot-login and win.forgot-password).
 *
 * Signals:
 *   address-accepted (CarnetEntClient *client, CarnetEntContext *context):
 *     the address answers like an Open ENT NG server; the receiver keeps
 *     @client (created with the page's CA file, if any). */

const char *carnet_welcome_page_get_address          (CarnetWelcomePage *self);
void        carnet_welcome_page_set_address          (CarnetWelcomePage *self,
                                                      const char        *address);
/* FALSE when the school's IT locked the address. */
void        carnet_welcome_page_set_address_editable (CarnetWelcomePage *self,
                                                      gboolean           editable);
const char *carnet_welcome_page_get_ca_file          (CarnetWelcomePage *self);
void        carnet_welcome_page_set_ca_file          (CarnetWelcomePage *self,
                                                      const char        *ca_file);
/* Checks the typed address with GET /auth/context; cancels any check under way. */
void        carnet_welcome_page_check_address        (CarnetWelcomePage *self);
void        carnet_welcome_page_cancel               (CarnetWelcomePage *self);
gboolean    carnet_welcome_page_get_accepted         (CarnetWelcomePage *self);
/* Lists the accounts remembered in the keyring (not on a shared machine);
 * done by itself each time the page shows. Activating one checks its host
 * and records its login, returned by get_chosen_login until the address is
 * changed: the receiver of address-accepted logs in with it. */
void        carnet_welcome_page_refresh_accounts     (CarnetWelcomePage *self);
const char *carnet_welcome_page_get_chosen_login     (CarnetWelcomePage *self);

G_END_DECLS
