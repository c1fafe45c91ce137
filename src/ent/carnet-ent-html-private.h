/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Inside the ENT layer only: the HTML → text of carnet-ent-html.c, whose
 * public face is carnet_ent_html_to_text() (carnet-ent-timeline.h). Every
 * function is linear in its input's length and takes any bytes. */

/* @html's @length bytes as safe plain text (as carnet_ent_html_to_text());
 * the href of each opening <a> (at most 16, character references decoded,
 * as written otherwise) appended to @hrefs (g_free elements) when it is not
 * NULL. */
char *carnet_ent_html_scan        (const char *html,
                                   gsize       length,
                                   GPtrArray  *hrefs);
/* Text (not HTML): valid UTF-8, controls and bidirectional overrides gone,
 * runs of white space one space, trimmed. */
char *carnet_ent_html_fold_text   (const char *raw,
                                   gsize       length);
/* An absolute https URL on @base's host and port, from @href (relative or
 * not), written the base's way and percent-encoded, or NULL. */
char *carnet_ent_html_link_on_ent (GUri       *base,
                                   const char *href);

G_END_DECLS
