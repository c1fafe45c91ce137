/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CARNET_TYPE_CHARTER_VIEW (carnet_charter_view_get_type ())
G_DECLARE_FINAL_TYPE (CarnetCharterView, carnet_charter_view, CARNET, CHARTER_VIEW, GtkWidget)

/* The charter as the ENT sent it, read off the main thread: a text (HTML
 * cleaned) handed back to the page, or the PDF's pages, each a picture of
 * its size, rendered in a thread as it comes near the view and back to
 * blank when far from it beyond a pixel budget (carnet-charter-page-private.h). */

/* Reads @bytes: finishes with the text of a text or HTML charter, or NULL
 * once the first page of a PDF shows (its other pages follow). Errors:
 * G_IO_ERROR_MESSAGE_TOO_LARGE (too many pages, too much text), others when
 * it cannot be shown, G_IO_ERROR_CANCELLED after carnet_charter_view_clear(). */
void      carnet_charter_view_load_async          (CarnetCharterView   *self,
                                                   GBytes              *bytes,
                                                   const char          *content_type,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean  carnet_charter_view_load_finish         (CarnetCharterView   *self,
                                                   GAsyncResult        *result,
                                                   char               **text,
                                                   GError             **error);
/* Stops reading and rendering, drops the pages. */
void      carnet_charter_view_clear               (CarnetCharterView   *self);
/* TRUE from load until it finishes. */
gboolean  carnet_charter_view_get_loading         (CarnetCharterView   *self);
/* Pages shown (0 until the first renders). */
guint     carnet_charter_view_get_n_pages         (CarnetCharterView   *self);
guint     carnet_charter_view_get_n_renders       (CarnetCharterView   *self);
guint     carnet_charter_view_get_n_rendered      (CarnetCharterView   *self);
gsize     carnet_charter_view_get_rendered_pixels (CarnetCharterView   *self);
gboolean  carnet_charter_view_get_rendering       (CarnetCharterView   *self);
void      carnet_charter_view_scroll_to_page      (CarnetCharterView   *self,
                                                   guint                index);

G_END_DECLS
