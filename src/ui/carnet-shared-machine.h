/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The school lab's "shared machine" mode of DESIGN.md: nothing stored on
 * disk (no keyring entry, no cookie, no last login or address), logout
 * after some idle time and when the window closes. */

/* Carnet's settings, or NULL when the schema is not installed. */
GSettings *carnet_settings_new              (void);
/* Whether the "shared-machine" key is on (FALSE without the schema). */
gboolean   carnet_shared_machine_is_enabled (void);
/* For a shared machine: no core file, and (Linux) not dumpable, so that
 * nobody else on the account can attach to the process or read its
 * memory. For the rest of the process's life. FALSE if it failed. */
gboolean   carnet_shared_machine_protect_process (void);

/* --- The logout guard ------------------------------------------------------
 * On a shared machine Carnet runs under carnet-logout-guard (see
 * src/carnet-logout-guard.c), which logs the session out when Carnet ends
 * without doing so. This is Carnet's end of the pipe between them. */

/* Re-executes Carnet under the guard when the machine is shared and it is not
 * already guarded. Returns only when it did not (not shared, already
 * guarded, or the guard cannot be run: Carnet then goes on unguarded). */
void carnet_logout_guard_exec (char **argv);

typedef struct _CarnetGuardLink CarnetGuardLink;

/* The pipe to the guard (CARNET_GUARD_FD), or NULL when not guarded. */
CarnetGuardLink *carnet_guard_link_open        (void);
void             carnet_guard_link_set_ca_file (CarnetGuardLink *self,
                                                const char      *ca_file);
/* The session now open with @base_url ("https://host[:port]"), or none
 * (@cookies NULL). Only what changed is written. */
void             carnet_guard_link_set_session (CarnetGuardLink *self,
                                                const char      *base_url,
                                                const char      *cookies);
void             carnet_guard_link_free        (CarnetGuardLink *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CarnetGuardLink, carnet_guard_link_free)

#define CARNET_TYPE_IDLE_WATCH (carnet_idle_watch_get_type ())
G_DECLARE_FINAL_TYPE (CarnetIdleWatch, carnet_idle_watch, CARNET, IDLE_WATCH, GObject)

/* Watches what the user does in @widget's window (keys, clicks, pointer
 * moves, scrolling, touch) and emits "idle" once after a period without
 * any. It holds no reference to @widget. */
CarnetIdleWatch *carnet_idle_watch_new         (GtkWidget       *widget);
/* Starts a period of @seconds from now; input restarts it. */
void             carnet_idle_watch_start       (CarnetIdleWatch *self,
                                                guint            seconds);
void             carnet_idle_watch_stop        (CarnetIdleWatch *self);
gboolean         carnet_idle_watch_get_running (CarnetIdleWatch *self);

G_END_DECLS
