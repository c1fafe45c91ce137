/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-login-page.h"
#include "carnet-session.h"

G_BEGIN_DECLS

/* The window's side of the EduConnect login (the page itself is
 * CarnetEduconnectPage): opening the portal from the login page, dropping
 * the web view whenever the session or what was typed goes, and an
 * expired EduConnect session, which ends on the login page with a line
 * instead of the password dialog. Without WebKit (-Dwebkit=disabled)
 * there is no portal: nothing starts and nothing is ever expired. */
typedef struct _CarnetWindowEduconnect CarnetWindowEduconnect;

CarnetWindowEduconnect *carnet_window_educonnect_new          (void);
void                    carnet_window_educonnect_free         (CarnetWindowEduconnect *self);

/* The type of the page (a CarnetEduconnectPage), for the window's table. */
GType                   carnet_window_educonnect_page_get_type (void);
/* Opens @session's portal in @page; FALSE when its address has none. The
 * login page is stopped first: no remembered password behind the
 * parent's back meanwhile. */
gboolean                carnet_window_educonnect_start        (GtkWidget              *page,
                                                               CarnetLoginPage        *login_page,
                                                               CarnetSession          *session,
                                                               const char             *ca_file);
/* Drops the web view, its network session and what is under way; @page
 * may be NULL (never built). */
void                    carnet_window_educonnect_stop         (GtkWidget              *page);

/* An EduConnect session expired: TRUE when the window should log it out
 * now (FALSE: no session, not EduConnect's, or already under way). */
gboolean                carnet_window_educonnect_expire       (CarnetWindowEduconnect *self,
                                                               CarnetSession          *session);
/* The session logged out for @reason: whether it was such an expiry (then
 * the window shows the login page and calls _show_expired); cleared. */
gboolean                carnet_window_educonnect_logged_out   (CarnetWindowEduconnect *self,
                                                               CarnetSessionLogoutReason reason);
/* The expiry's line on the login page, its EduConnect button focused. */
void                    carnet_window_educonnect_show_expired (CarnetLoginPage        *login_page);

G_END_DECLS
