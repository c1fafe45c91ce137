/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "carnet-lockdown.h"
#include "carnet-window.h"

G_BEGIN_DECLS

/* On a shared machine, how long closing the window waits for the ENT to
 * acknowledge the logout before it closes anyway. */
#define CARNET_WINDOW_CLOSE_LOGOUT_SECONDS CARNET_LOCKDOWN_LOGOUT_SECONDS

/* A session opened through EduConnect expired (carnet_reauth_prompt()):
 * there is no password to ask again; the session is logged out and the
 * login page says so, with its EduConnect button. */
void carnet_window_end_expired_session (CarnetWindow *self);

/* Tests only: a shared machine's idle time in seconds instead of the
 * "idle-logout-minutes" key (whose minimum is a minute). 0: the key. */
void carnet_window_set_idle_seconds_for_testing (CarnetWindow *self,
                                                 guint         seconds);

G_END_DECLS
