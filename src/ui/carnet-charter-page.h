/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "carnet-ent-client.h"
#include "carnet-step-page.h"

G_BEGIN_DECLS

#define CARNET_TYPE_CHARTER_PAGE (carnet_charter_page_get_type ())
G_DECLARE_FINAL_TYPE (CarnetCharterPage, carnet_charter_page, CARNET, CHARTER_PAGE, CarnetStepPage)

/* The letter's "Consultez et acceptez la charte ENT": the charter shown
 * inside Carnet (the PDF rendered, or its text), then "I accept".
 *
 * Signals (besides CarnetStepPage's done and action-required):
 *   accepted (): the ENT recorded that the charter was accepted (with
 *     done). */

/* @login: whose session it is, to log in again when it ends. */
void     carnet_charter_page_set_account (CarnetCharterPage *self,
                                          CarnetEntClient   *client,
                                          const char        *login);
/* Downloads and shows the charter (again). */
void     carnet_charter_page_start       (CarnetCharterPage *self);
/* Cancels a download or an acceptance under way. */
void     carnet_charter_page_cancel      (CarnetCharterPage *self);
/* Number of pages of the PDF shown (each rendered as it comes near the
 * view), 0 when none (text, loading, error). */
guint    carnet_charter_page_get_n_pages (CarnetCharterPage *self);
/* Only to read it (the activation's « Lire »): no acceptance to record
 * from here, the ENT records it with the activation. */
void     carnet_charter_page_set_read_only (CarnetCharterPage *self,
                                            gboolean           read_only);

G_END_DECLS
