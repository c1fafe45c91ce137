/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-news-watch.h"
#include "carnet-session.h"

G_BEGIN_DECLS

#define CARNET_TYPE_ACCOUNT_PAGE (carnet_account_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetAccountPage, carnet_account_page, CARNET, ACCOUNT_PAGE, GtkWidget)

/* The letter's "VOTRE COMPTE": "Compte de <prénom>", the panes Profil
 * (CarnetProfileGroup: login, current email; change the password and/or the
 * email, the current password being required, then Enregistrer), Enfants
 * (CarnetChildrenGroup: children grouped by school) and Actualités
 * (CarnetNewsGroup: the ENT's timeline and flash messages), and Se déconnecter
 * (which offers to forget a remembered password). When the ENT says the
 * session expired, it asks for the password again in place and repeats what
 * was interrupted.
 *
 * Signals:
 *   action-required (): the ENT asks for a step first. */

/* Starts afresh for the session's user and requirements: the window calls
 * it each time the session's step is ACCOUNT. Se déconnecter calls
 * carnet_session_log_out_async() (the window follows the session's
 * logged-out). NULL forgets everything shown and typed (a logout). */
void carnet_account_page_set_session (CarnetAccountPage *self,
                                      CarnetSession     *session);
/* The watch of the session's timeline (the window's, made when the session
 * reaches ACCOUNT; NULL at logout): the Actualités pane adds the items it
 * finds new, and the page starts it again after the password was given
 * again. carnet_account_page_set_session() forgets it. */
void carnet_account_page_set_news_watch (CarnetAccountPage *self,
                                         CarnetNewsWatch   *watch);
/* Shows the Actualités pane (a desktop notification's default action). */
void carnet_account_page_show_news      (CarnetAccountPage *self);

G_END_DECLS
