/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Helpers for the UI tests: find the real widgets the way a user (or a
 * screen reader) sees them, wait for the main loop without hanging, and
 * take screenshots. */

/* What every UI test does first: gtk_test_init(), then the locale of the
 * environment again (gtk_test_init() forces en_US; the tests read the French
 * pages), Carnet's translations from $CARNET_LOCALEDIR, libadwaita, and no
 * animations (pages switch at once: no half-slid page in a screenshot). */
void       carnet_test_ui_init                 (int         *argc,
                                                char      ***argv);

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
/* The waits every UI test makes, each failing after @timeout_ms: until a
 * label under @root shows @text; until a control named @label shows under
 * @root; until the CarnetWindow @window shows its page @name. */
void       carnet_test_ui_wait_for_label       (GtkWidget             *root,
                                                const char            *text,
                                                guint                  timeout_ms);
void       carnet_test_ui_wait_for_control     (GtkWidget             *root,
                                                const char            *label,
                                                guint                  timeout_ms);
void       carnet_test_ui_wait_for_page        (GtkWidget             *window,
                                                const char            *name,
                                                guint                  timeout_ms);
/* Lets pending redraws, layouts and idles run for about @ms. */
void       carnet_test_ui_settle               (guint                  ms);

/* Renders @widget's window with its own renderer and saves it as
 * $CARNET_SCREENSHOT_DIR/@name.png (the folder is created). Returns the path. */
char      *carnet_test_ui_save_screenshot      (GtkWidget  *widget,
                                                const char *name);
/* The same for @window with @dialog drawn over its middle, as a modal
 * dialog shows over it. */
char      *carnet_test_ui_save_dialog_screenshot (GtkWidget  *window,
                                                  GtkWidget  *dialog,
                                                  const char *name);

/* Every string the user can read or hear under @root: texts of mapped
 * labels, titles and subtitles of rows, and accessible names. Deduplicated. */
GPtrArray *carnet_test_ui_collect_strings      (GtkWidget  *root);

/* fr.po (from $CARNET_PO_SOURCE_DIR): the English msgids and their French
 * msgstrs ("" when untranslated or fuzzy), in the same order. */
void carnet_test_ui_load_po              (GPtrArray          **msgids,
                                          GPtrArray          **msgstrs);
/* Fails when a string shown under @root is English: a msgid shown as it is,
 * or common English words in a string fr.po does not know. */
void carnet_test_ui_assert_french        (GtkWidget           *root,
                                          GPtrArray           *msgids,
                                          GPtrArray           *msgstrs,
                                          const char          *page,
                                          const char * const  *allowed);
/* Fails when a control showing under @root has no accessible name. */
void carnet_test_ui_assert_controls_named (GtkWidget          *root,
                                           const char         *page);

/* Types @text into the editable named @label, as a user would (focus, then
 * text); fails when it is missing or insensitive. */
void carnet_test_ui_type_into             (GtkWidget          *root,
                                           const char         *label,
                                           const char         *text);
/* Presses Enter in the editable named @label. */
void carnet_test_ui_press_enter           (GtkWidget          *root,
                                           const char         *label);

G_END_DECLS
