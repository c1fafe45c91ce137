/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-session.h"

G_BEGIN_DECLS

#define CARNET_TYPE_EDUCONNECT_PAGE (carnet_educonnect_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEduconnectPage, carnet_educonnect_page, CARNET, EDUCONNECT_PAGE, GtkWidget)

/* « Se connecter avec ÉduConnect »: the platform's login portal (its wayf,
 * from the directory) in a web view, on a network session of its own that
 * is ephemeral (nothing of it on disk) and made again for each attempt.
 * When a navigation reaches the ENT's own address outside /auth/, the
 * ENT's login is over: the navigation is stopped, the ENT's cookies are
 * read from the web view's cookie jar and handed to
 * carnet_session_adopt_async(); the session's step then shows the next
 * page, as after a password login, and the web view goes.
 *
 * TLS is verified: a certificate WebKit does not trust is refused with
 * Carnet's own message, unless the window's --ca-file verifies its chain
 * for that host (tests, labs); only then is it allowed for the host.
 *
 * Signals:
 *   cancelled (): « Annuler »: the web view is gone; back to the login. */

/* Whether the address of @session's client has an EduConnect portal in the
 * directory: its URL (owned by the directory), else NULL. */
const char *carnet_educonnect_page_lookup_wayf (CarnetSession        *session);

/* Opens @session's portal afresh (any attempt under way is dropped). FALSE
 * when the directory has none for the address. @ca_file: the window's. */
gboolean    carnet_educonnect_page_start       (CarnetEduconnectPage *self,
                                                CarnetSession        *session,
                                                const char           *ca_file);
/* Drops the web view and its network session, and what is under way. */
void        carnet_educonnect_page_stop        (CarnetEduconnectPage *self);

G_END_DECLS
