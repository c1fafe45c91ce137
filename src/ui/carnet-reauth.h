/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_REAUTH (carnet_reauth_get_type ())
G_DECLARE_FINAL_TYPE (CarnetReauth, carnet_reauth, CARNET, REAUTH, GObject)

/* When the ENT ends the session in the middle of a step (an expired session,
 * or an XSRF token it no longer knows: CARNET_ENT_ERROR_SESSION_EXPIRED),
 * the parent's password again in a dialog over the page, and a login again
 * in place, so that the page does the step again with what was typed.
 *
 * From carnet_reauth_prompt() until a login succeeds, the reauth is
 * "needed": the page keeps its submit controls insensitive.
 *
 * Signals:
 *   logged-in (const char *password): logged in again; do the step again.
 *     @password, which the ENT has just accepted, is only valid during the
 *     emission.
 *   failed (GError *error): not logged in again: G_IO_ERROR_CANCELLED
 *     when the parent closed the dialog (or carnet_reauth_cancel()), else
 *     why the login failed (a wrong password only asks again). Either
 *     message can be shown as it is; the buttons of
 *     carnet_reauth_add_button() now show, and the first gets the focus.
 * Property:
 *   busy: the login is under way (the dialog is closed meanwhile). */

/* @page: whose window the dialog is over; when @page is unmapped (another
 * page shows, the window closes) the dialog goes away, as by carnet_reauth_reset(). */
CarnetReauth *carnet_reauth_new           (GtkWidget       *page);
/* Whether @error means logging in again is the way on. */
gboolean      carnet_reauth_error_matches (const GError    *error);
/* Shows the dialog, unless it is showing or the login is under way. The
 * password logs @login in again on @client. */
void          carnet_reauth_prompt        (CarnetReauth    *self,
                                           CarnetEntClient *client,
                                           const char      *login);
/* Closes the dialog or stops the login; emits "failed" (CANCELLED) when
 * either was under way. Still needed afterwards. */
void          carnet_reauth_cancel        (CarnetReauth    *self);
/* Forgets it all without a signal: the page starts again. */
void          carnet_reauth_reset         (CarnetReauth    *self);
gboolean      carnet_reauth_get_needed    (CarnetReauth    *self);
gboolean      carnet_reauth_get_busy      (CarnetReauth    *self);
/* The dialog while it shows, else NULL. */
GtkWindow    *carnet_reauth_get_dialog    (CarnetReauth    *self);
/* Appends a "Log in again" button to @box (next to a page's message),
 * shown while needed but neither asking nor logging in; it asks again. */
void          carnet_reauth_add_button    (CarnetReauth    *self,
                                           GtkBox          *box);

G_END_DECLS
