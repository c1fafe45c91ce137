/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-session.h"

G_BEGIN_DECLS

/* How long a shared machine waits for the ENT to acknowledge a logout (the
 * window closing, the idle time run out) before it gives up on it. */
#define CARNET_LOCKDOWN_LOGOUT_SECONDS 3

#define CARNET_TYPE_LOCKDOWN (carnet_lockdown_get_type ())
G_DECLARE_FINAL_TYPE (CarnetLockdown, carnet_lockdown, CARNET, LOCKDOWN, GObject)

/* The school lab's "shared machine" policy of DESIGN.md for one window, as
 * Epiphany's lockdown is for its windows: when the "shared-machine" key is
 * on, the process is protected, the logout guard is told which session is
 * open, the session does not outlive the window (remember-me off, logout
 * on closing, bounded), and after the idle time the session is logged out
 * (CARNET_SESSION_LOGOUT_IDLE) or, before login, what was typed is
 * forgotten. Off, it does nothing.
 *
 * Signals:
 *   forget-typed (): the idle time ran out before login: the window clears
 *     what was typed and goes back to its start. */

/* @window: watched for input, hidden then destroyed on closing; not
 * referenced. @settings (may be NULL: not a shared machine). @ca_file
 * (may be NULL): the one the guard's logout trusts. */
CarnetLockdown *carnet_lockdown_new                 (GtkWindow      *window,
                                                     GSettings      *settings,
                                                     const char     *ca_file);
gboolean        carnet_lockdown_get_shared          (CarnetLockdown *self);
/* The idle time in minutes ("idle-logout-minutes"), for what the window says. */
guint           carnet_lockdown_get_idle_minutes    (CarnetLockdown *self);
/* Tests only: the idle time in seconds instead of the key (0: the key). */
void            carnet_lockdown_set_idle_seconds_for_testing (CarnetLockdown *self,
                                                              guint           seconds);
/* The session of the address accepted (NULL: none yet). */
void            carnet_lockdown_set_session         (CarnetLockdown *self,
                                                     CarnetSession  *session);
/* The window shows another page: @at_start, its first page (nothing typed
 * there to forget); @logged_in, a page of the open session. */
void            carnet_lockdown_page_shown          (CarnetLockdown *self,
                                                     gboolean        at_start,
                                                     gboolean        logged_in);
/* For the window's close-request: TRUE when the lockdown closes the window
 * itself, once the ENT was told (or the bound passed); FALSE when the
 * window closes as usual. */
gboolean        carnet_lockdown_close               (CarnetLockdown *self);

G_END_DECLS
