/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CARNET_TYPE_BUSY_ACTIONS (carnet_busy_actions_get_type ())
G_DECLARE_FINAL_TYPE (CarnetBusyActions, carnet_busy_actions, CARNET, BUSY_ACTIONS, GtkWidget)

/* A page's buttons while nothing is under way (its child), and while
 * something is: a spinner, what is happening, and « Annuler ».
 *
 * Properties:
 *   child: the buttons shown when idle.
 *   busy: the spinner, the text and « Annuler » instead of the child;
 *     when it turns busy, « Annuler » takes the focus.
 *   text: what is happening (« Envoi… »), next to the spinner.
 *   spinner-label: the spinner's accessible name.
 *   cancel-label: « Annuler »'s accessible name (« Annuler l’envoi »).
 *   vhomogeneous: as tall busy as idle (TRUE), or each its own height.
 *
 * Signals:
 *   cancel (): « Annuler » was clicked. */

CarnetBusyActions *carnet_busy_actions_new               (void);
GtkWidget         *carnet_busy_actions_get_child         (CarnetBusyActions *self);
void               carnet_busy_actions_set_child         (CarnetBusyActions *self,
                                                          GtkWidget         *child);
gboolean           carnet_busy_actions_get_busy          (CarnetBusyActions *self);
void               carnet_busy_actions_set_busy          (CarnetBusyActions *self,
                                                          gboolean           busy);
void               carnet_busy_actions_set_text          (CarnetBusyActions *self,
                                                          const char        *text);
void               carnet_busy_actions_set_spinner_label (CarnetBusyActions *self,
                                                          const char        *label);
void               carnet_busy_actions_set_cancel_label  (CarnetBusyActions *self,
                                                          const char        *label);
/* « Annuler », to give it the focus. */
GtkWidget         *carnet_busy_actions_get_cancel_button (CarnetBusyActions *self);

G_END_DECLS
