/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-news-watch.h"
#include "carnet-session.h"

G_BEGIN_DECLS

/* A window's share of the ENT's news: the watch polled while the account is
 * open (its new items go to the application's desktop notifications), and
 * the window kept in the background when closed ("notify-in-background"). */
typedef struct _CarnetWindowNews CarnetWindowNews;

CarnetWindowNews *carnet_window_news_new               (GtkWindow        *window);
void              carnet_window_news_free              (CarnetWindowNews *self);

/* Makes the watch for @session the first time (what was seen is kept under
 * the user's state folder unless @shared), then (re)starts it. */
CarnetNewsWatch  *carnet_window_news_start             (CarnetWindowNews *self,
                                                        CarnetSession    *session,
                                                        gboolean          shared);
/* Stops and forgets the watch (logout, another ENT). */
void              carnet_window_news_clear             (CarnetWindowNews *self);
CarnetNewsWatch  *carnet_window_news_get_watch         (CarnetWindowNews *self);

/* On close-request: TRUE when the window was hidden into the background
 * (the application held) instead of closing; otherwise leaves the
 * background and returns FALSE. */
gboolean          carnet_window_news_close_to_background (CarnetWindowNews *self,
                                                          gboolean          shared);
/* Releases the application's hold, if the window had one. */
void              carnet_window_news_leave_background  (CarnetWindowNews *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CarnetWindowNews, carnet_window_news_free)

G_END_DECLS
