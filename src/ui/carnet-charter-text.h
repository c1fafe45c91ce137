/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text of a charter the ENT sends as HTML or text, made safe to lay
 * out on the main thread. No GTK: it runs in the charter's reading thread. */

/* The text of an HTML charter: script and style blocks and comments
 * dropped, a line break for <br> and the ends of paragraphs, divisions,
 * headings and list items, other tags dropped, the usual entities decoded.
 * One pass, linear in @length. */
char *carnet_charter_text_from_html        (const char *html,
                                            gsize       length);
/* @text with a line break in every paragraph longer than Pango lays out
 * quickly (at a space, or where there is none). */
char *carnet_charter_break_long_paragraphs (const char *text);

G_END_DECLS
