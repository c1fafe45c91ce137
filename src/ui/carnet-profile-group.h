/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-reauth.h"
#include "carnet-session.h"

G_BEGIN_DECLS

#define CARNET_TYPE_PROFILE_GROUP (carnet_profile_group_get_type ())
G_DECLARE_FINAL_TYPE (CarnetProfileGroup, carnet_profile_group, CARNET, PROFILE_GROUP, GtkWidget)

/* The account page's Profil pane: what the ENT still asks for, the login
 * and current email, then the changes (the current password, required for
 * any; a new password; a new email confirmed by a code mailed to it) and
 * Enregistrer, step by step. When the ENT says the session expired, it asks
 * for the password again in place and repeats what was interrupted.
 *
 * Properties:
 *   busy (read-only): a save (or the login again) is under way.
 *
 * Signals:
 *   action-required (): the ENT asks for a step first.
 *   logged-in-again (): logged in again after
 *     carnet_profile_group_log_in_again(). */

/* The page's: logging in again belongs to the page (the dialog goes when
 * the page is hidden, not when the Enfants pane shows). Once, at first. */
void     carnet_profile_group_set_reauth     (CarnetProfileGroup    *self,
                                              CarnetReauth          *reauth);
/* Starts afresh for the session's user and requirements (NULL: empty).
 * The session checks the password and gets the profile read again. */
void     carnet_profile_group_set_session    (CarnetProfileGroup    *self,
                                              CarnetSession         *session);
/* Stops a save and forgets what was typed. */
void     carnet_profile_group_reset          (CarnetProfileGroup    *self);
gboolean carnet_profile_group_get_busy       (CarnetProfileGroup    *self);
/* The session expired outside a save (the children): the password again,
 * then logged-in-again. */
void     carnet_profile_group_log_in_again   (CarnetProfileGroup    *self);
/* Back to the top. */
void     carnet_profile_group_scroll_to_top  (CarnetProfileGroup    *self);

G_END_DECLS
