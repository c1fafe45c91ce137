/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "carnet-session.h"

G_BEGIN_DECLS

#define CARNET_TYPE_NEWS_WATCH (carnet_news_watch_get_type ())
G_DECLARE_FINAL_TYPE (CarnetNewsWatch, carnet_news_watch, CARNET, NEWS_WATCH, GObject)

/* Watches the ENT's timeline for one logged-in account: asks for the first
 * page of notifications (carnet_ent_client_get_notifications_async, page 0,
 * every type) every "interval" milliseconds, and tells which items it has
 * not seen before. No widgets: the application turns "new-items" into
 * desktop notifications, the account page's « Actualités » pane may show
 * the last page read ("items").
 *
 * Seen items: per account (the ENT's address and the login), the newest
 * date seen and the ids of the last page read. They are kept in
 * @state_dir/news-seen.ini when @state_dir is not NULL (the window gives
 * g_get_user_state_dir()/carnet), in memory only when it is NULL (a shared
 * machine: nothing is written). An item is new when its id was not seen and
 * it is not older than the newest date seen. The first page read for an
 * account that has nothing remembered (the first login ever, or every login
 * on a shared machine) notifies nothing: it is what the ENT already showed,
 * and the pane shows it; only what is published after it is notified.
 *
 * Failures: the next poll waits twice as long each time (interval × 2ⁿ),
 * capped at "max-interval"; a success goes back to "interval". The session
 * expiring (CARNET_ENT_ERROR_SESSION_EXPIRED) or the session's logged-out
 * stops the watch ("running" becomes FALSE, "last-error" says why for an
 * expiry); carnet_news_watch_start() starts it again (after the password
 * was given again).
 *
 * Properties:
 *   session (CarnetSession, construct-only): whose client and login;
 *   state-dir (string or NULL, construct-only): see above;
 *   interval (guint, milliseconds, default 300000 = 5 minutes, minimum 10);
 *   max-interval (guint, milliseconds, default 3600000 = 1 hour);
 *   running (gboolean, read-only, notify): polls are scheduled;
 *   items (GPtrArray of CarnetEntNotification, read-only, notify, may be
 *     NULL before the first success): the last page read, newest first;
 *   last-error (GError boxed, read-only, notify): the last poll's error,
 *     NULL after a success.
 *
 * Signals:
 *   new-items (GPtrArray *items): items of a poll not seen before, newest
 *     first, never empty; emitted after "items" is updated and after they
 *     are remembered as seen. */

CarnetNewsWatch *carnet_news_watch_new        (CarnetSession   *session,
                                               const char      *state_dir);

/* Starts polling: a first poll now, then every interval. Does nothing when
 * running; a watch whose session is logged out does not start. */
void             carnet_news_watch_start      (CarnetNewsWatch *self);
/* Stops polling and cancels a poll under way. */
void             carnet_news_watch_stop       (CarnetNewsWatch *self);
gboolean         carnet_news_watch_get_running (CarnetNewsWatch *self);

guint            carnet_news_watch_get_interval     (CarnetNewsWatch *self);
void             carnet_news_watch_set_interval     (CarnetNewsWatch *self,
                                                     guint            interval_ms);
guint            carnet_news_watch_get_max_interval (CarnetNewsWatch *self);
void             carnet_news_watch_set_max_interval (CarnetNewsWatch *self,
                                                     guint            max_interval_ms);

/* The last page read (CarnetEntNotification), newest first, or NULL. */
GPtrArray       *carnet_news_watch_get_items      (CarnetNewsWatch *self);
const GError    *carnet_news_watch_get_last_error (CarnetNewsWatch *self);

G_END_DECLS
