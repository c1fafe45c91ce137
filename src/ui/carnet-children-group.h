/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_CHILDREN_GROUP (carnet_children_group_get_type ())
G_DECLARE_FINAL_TYPE (CarnetChildrenGroup, carnet_children_group, CARNET, CHILDREN_GROUP, GtkWidget)

/* The account page's Enfants pane: the children the ENT links to the
 * account, a group per school, a row per child; loading (with « Annuler »),
 * or why they could not be shown (with « Réessayer »).
 *
 * Signals:
 *   failed (GError *error): the ENT did not give them (the error is shown
 *     already; the page decides whether to log in again or show a step). */

/* Asks the ENT for @user's children (cancels a load under way). */
void carnet_children_group_load  (CarnetChildrenGroup *self,
                                  CarnetEntClient     *client,
                                  CarnetEntUser       *user);
/* Stops a load, forgets the children and the account, back to the top. */
void carnet_children_group_clear (CarnetChildrenGroup *self);

G_END_DECLS
