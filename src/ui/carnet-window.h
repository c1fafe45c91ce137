/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "carnet-ent-client.h"
#include "carnet-news-watch.h"
#include "carnet-session.h"

G_BEGIN_DECLS

#define CARNET_TYPE_WINDOW (carnet_window_get_type ())
G_DECLARE_FINAL_TYPE (CarnetWindow, carnet_window, CARNET, WINDOW, AdwApplicationWindow)

/* @ent_url presets the address unless the school's IT locked the "ent-url"
 * key; @ca_file (may be NULL) is the only CA the clients will trust. */
CarnetWindow    *carnet_window_new            (GtkApplication *application,
                                               const char     *ent_url,
                                               const char     *ca_file);
/* The client of the accepted ENT address, or NULL. */
CarnetEntClient *carnet_window_get_client     (CarnetWindow   *self);
/* "welcome", "login", "account", "steps", "charter", "mail"… */
const char      *carnet_window_get_page_name  (CarnetWindow   *self);
/* The session of the accepted ENT address, or NULL. */
CarnetSession   *carnet_window_get_session    (CarnetWindow   *self);
/* The ENT's news polled while the account is open (the tests set its
 * interval), or NULL. */
CarnetNewsWatch *carnet_window_get_news_watch (CarnetWindow   *self);
/* The account page's « Actualités » pane, when the account is open. */
void             carnet_window_show_news      (CarnetWindow   *self);

G_END_DECLS
