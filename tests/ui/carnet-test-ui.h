/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Helpers for the UI tests: find the real widgets the way a user (or a
 * screen reader) sees them, wait for the main loop without hanging, and
 * take screenshots. */

/* The accessible name of @widget (the LABEL property), or NULL. Free it. */
char      *carnet_test_ui_get_accessible_label (GtkWidget  *widget);

/* The first visible and mapped widget under @root (included), other than a
 * GtkLabel, whose accessible name is @label, or NULL. */
GtkWidget *carnet_test_ui_find_by_label        (GtkWidget  *root,
                                                const char *label);
/* … whose widget name or builder id is @name (need not be mapped). */
GtkWidget *carnet_test_ui_find_by_name         (GtkWidget  *root,
                                                const char *name);
/* … that is a @type (visible and mapped). */
GtkWidget *carnet_test_ui_find_by_type         (GtkWidget  *root,
                                                GType       type);
/* … a mapped GtkLabel showing exactly @text. */
GtkWidget *carnet_test_ui_find_label_text      (GtkWidget  *root,
                                                const char *text);
/* As above, but fails the test with @what when there is none. */
GtkWidget *carnet_test_ui_get_by_label         (GtkWidget  *root,
                                                const char *label);

/* Whether @widget and all its ancestors are visible and it is mapped. */
gboolean   carnet_test_ui_is_showing           (GtkWidget  *widget);

typedef gboolean (*CarnetTestUiCondition) (gpointer user_data);

/* Iterates the default main context until @condition is TRUE; fails the
 * test (naming @what) after @timeout_ms. */
void       carnet_test_ui_wait_until           (CarnetTestUiCondition  condition,
                                                gpointer               user_data,
                                                guint                  timeout_ms,
                                                const char            *what);
/* Lets pending redraws, layouts and idles run for about @ms. */
void       carnet_test_ui_settle               (guint                  ms);

/* Renders @widget's window with its own renderer and saves it as
 * $CARNET_SCREENSHOT_DIR/@name.png (the folder is created). Returns the path. */
char      *carnet_test_ui_save_screenshot      (GtkWidget  *widget,
                                                const char *name);

/* Every string the user can read or hear under @root: texts of mapped
 * labels, titles and subtitles of rows, and accessible names. Deduplicated. */
GPtrArray *carnet_test_ui_collect_strings      (GtkWidget  *root);

G_END_DECLS
