/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "carnet-ent-timeline.h"

G_BEGIN_DECLS

#define CARNET_TYPE_APPLICATION (carnet_application_get_type ())
G_DECLARE_FINAL_TYPE (CarnetApplication, carnet_application, CARNET, APPLICATION, AdwApplication)

CarnetApplication *carnet_application_new (void);

/* The "notify-in-background" key, never on a shared machine: a window
 * closed while logged in stays in the background, polling the ENT's news. */
gboolean carnet_application_get_notify_in_background (CarnetApplication *self);
/* Asked to end (app.quit, a signal, the desktop session ending): the
 * windows close for good. */
gboolean carnet_application_get_quitting             (CarnetApplication *self);
/* A desktop notification for @items (CarnetEntNotification, newest first,
 * not empty): in French, plain text; clicking it shows the window on the
 * « Actualités » pane (app.show-news). */
void     carnet_application_notify_news              (CarnetApplication *self,
                                                      GPtrArray         *items);

G_END_DECLS
