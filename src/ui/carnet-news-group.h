/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-news-watch.h"

G_BEGIN_DECLS

#define CARNET_TYPE_NEWS_GROUP (carnet_news_group_get_type ())
G_DECLARE_FINAL_TYPE (CarnetNewsGroup, carnet_news_group, CARNET, NEWS_GROUP, GtkWidget)

/* The account page's Actualités pane: the ENT's timeline, newest first, a
 * row per notification (its type as the ENT names it, the sender, when,
 * the text made safe by the ENT layer — never markup — and « Ouvrir » when
 * it links to a page of the ENT, opened in the browser only when clicked);
 * 25 at a time with « Afficher plus »; loading (with « Annuler »), empty, or
 * why they could not be shown (with « Réessayer »). The ENT's flash
 * messages show above it as banners whose close button tells the ENT they
 * were read.
 *
 * Signals:
 *   failed (GError *error): the ENT did not give the news (the error is
 *     shown already; the page decides whether to log in again or show a
 *     step). */

/* Asks the ENT for the first page, the types' names and the flash
 * messages (cancels a load under way; forgets what was shown). */
void  carnet_news_group_load      (CarnetNewsGroup *self,
                                   CarnetEntClient *client);
/* The items @watch finds new are added at the top (those not shown yet);
 * NULL: no more. */
void  carnet_news_group_set_watch (CarnetNewsGroup *self,
                                   CarnetNewsWatch *watch);
/* Stops a load, forgets the news, the watch and the client, back to the top. */
void  carnet_news_group_clear     (CarnetNewsGroup *self);

/* When @date was, for a parent reading it at @now (local time): « à
 * l’instant », « il y a 5 min », « il y a 3 h », « hier à 18:30 »,
 * « mardi à 08:15 », « 3 novembre », « 3 novembre 2025 ». */
char *carnet_news_group_format_date (GDateTime *date,
                                     GDateTime *now);

G_END_DECLS
