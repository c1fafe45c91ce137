/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "carnet-charter-page.h"
#include "carnet-charter-text.h"

G_BEGIN_DECLS

/* What the charter page will show, whatever the ENT sends: beyond these, a
 * plain message and the outside reader. A 12 MB PDF may hold 100,000 pages. */
#define CARNET_CHARTER_MAX_PAGES        200
/* An HTML or text charter, in bytes. */
#define CARNET_CHARTER_MAX_TEXT_BYTES   (1024 * 1024)
/* One rendered page, in pixels (a very tall page is rendered narrower),
 * and the longest side a texture may have. */
#define CARNET_CHARTER_MAX_PAGE_PIXELS  (4 * 1024 * 1024)
#define CARNET_CHARTER_MAX_PAGE_SIDE    8192
/* The rendered pages kept at once, in pixels (4 bytes each): the pages far
 * from the view go back to blank beyond it, those near it stay. */
#define CARNET_CHARTER_PIXEL_BUDGET     (16 * 1024 * 1024)

/* For the tests. */

/* Shows @bytes as if the ENT had just sent them with @content_type. */
void     carnet_charter_page_show_document        (CarnetCharterPage *self,
                                                   GBytes            *bytes,
                                                   const char        *content_type);
/* Pages rendered since the charter was received (each render counts). */
guint    carnet_charter_page_get_n_renders        (CarnetCharterPage *self);
/* Rendered pages held now, and their pixels. */
guint    carnet_charter_page_get_n_rendered       (CarnetCharterPage *self);
gsize    carnet_charter_page_get_rendered_pixels  (CarnetCharterPage *self);
/* TRUE while the charter is read or its first page rendered. */
gboolean carnet_charter_page_get_preparing        (CarnetCharterPage *self);
/* TRUE while a page renders or the pages near the view are looked for. */
gboolean carnet_charter_page_get_rendering        (CarnetCharterPage *self);
/* Scrolls the rendered PDF so that page @index (from 0) is at the top. */
void     carnet_charter_page_scroll_to_page       (CarnetCharterPage *self,
                                                   guint              index);

G_END_DECLS
