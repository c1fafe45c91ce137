/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-reauth.h"

G_BEGIN_DECLS

#define CARNET_TYPE_STEP_PAGE (carnet_step_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (CarnetStepPage, carnet_step_page, CARNET, STEP_PAGE, GtkWidget)

/* What the pages of the steps the ENT asks for after a login (password,
 * charter, mail) have in common: whose session it is, one call to the ENT
 * at a time that « Annuler » stops, the password again when the ENT ends
 * the session in the middle (CarnetReauth), and how they end.
 *
 * Signals:
 *   done (): the step is done (each page also has its own signal).
 *   action-required (): the ENT asks for another step first. */

struct _CarnetStepPageClass
{
  GtkWidgetClass parent_class;

  /* Signal: the step is done. */
  void (*done)        (CarnetStepPage *self);

  /* Shows the page busy (a call or the login again) or idle. */
  void (*update_busy) (CarnetStepPage *self,
                       gboolean        busy);
  /* Logged in again: what the ended session interrupted, again.
   * @password, the one the ENT has just accepted, only during the call. */
  void (*retry)       (CarnetStepPage *self,
                       const char     *password);
  /* Not logged in again: @error's message next to the page's fields. */
  void (*show_failed) (CarnetStepPage *self,
                       const GError   *error);
  /* Forgets what was typed (after the call under way was cancelled). */
  void (*clear)       (CarnetStepPage *self);

  gpointer padding[8];
};

/* @login: whose session it is, to log in again when it ends. Another
 * client cancels what was under way. */
void             carnet_step_page_set_account    (CarnetStepPage *self,
                                                  CarnetEntClient *client,
                                                  const char     *login);
CarnetEntClient *carnet_step_page_get_client     (CarnetStepPage *self);
const char      *carnet_step_page_get_login      (CarnetStepPage *self);
CarnetReauth    *carnet_step_page_get_reauth     (CarnetStepPage *self);
/* A call to the ENT may start: a client, none under way, no login again
 * needed first. */
gboolean         carnet_step_page_can_call       (CarnetStepPage *self);
/* A call under way or the login again. */
gboolean         carnet_step_page_get_busy       (CarnetStepPage *self);
/* A call starts: its cancellable (the page's), and the page busy. */
GCancellable    *carnet_step_page_begin_call     (CarnetStepPage *self);
/* A call's answer came with @error (NULL when it succeeded): FALSE when it
 * is no longer wanted (cancelled), else the page is idle again and TRUE. */
gboolean         carnet_step_page_end_call       (CarnetStepPage *self,
                                                  const GError   *error);
/* After a failed call: emits action-required when the ENT asks for
 * another step than @own_field's, and returns TRUE. */
gboolean         carnet_step_page_action_required (CarnetStepPage *self,
                                                  const GError   *error,
                                                  CarnetEntField  own_field);
/* After a failed call: when the ENT ended the session, asks for the
 * password again (then retry) and returns TRUE. */
gboolean         carnet_step_page_prompt_reauth  (CarnetStepPage *self,
                                                  const GError   *error);
/* Cancels the call under way and the login again. */
void             carnet_step_page_cancel         (CarnetStepPage *self);
/* Cancels, forgets the login again and what was typed (a logout). */
void             carnet_step_page_clear          (CarnetStepPage *self);
/* Emits done. */
void             carnet_step_page_emit_done      (CarnetStepPage *self);

G_END_DECLS
