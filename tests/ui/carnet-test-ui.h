/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>

#include "carnet-test-ent.h"

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
/* As carnet_test_ui_wait_until(), but returns whether @condition held
 * (FALSE after @timeout_ms) instead of failing: for a test that explains a
 * failure itself. */
gboolean   carnet_test_ui_poll_until           (CarnetTestUiCondition  condition,
                                                gpointer               user_data,
                                                guint                  timeout_ms);
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
/* The bound of the waits that take no time-out of their own (frames,
 * dialogs, the keyring): $CARNET_TEST_UI_TIMEOUT_MS, or 30 s. A bound only
 * ends a test gone wrong: no wait lasts longer than its condition. */
guint      carnet_test_ui_timeout_ms           (void);
/* Until a label under @root shows a text starting with @prefix. */
GtkWidget *carnet_test_ui_find_label_prefix    (GtkWidget             *root,
                                                const char            *prefix);
void       carnet_test_ui_wait_for_label_prefix (GtkWidget            *root,
                                                 const char           *prefix,
                                                 guint                 timeout_ms);
/* Until the control named @label shows under @root and can be used. */
void       carnet_test_ui_wait_for_control_sensitive (GtkWidget       *root,
                                                      const char      *label,
                                                      guint            timeout_ms);
/* Until no control named @label (no label showing @text) shows under @root. */
void       carnet_test_ui_wait_for_control_gone (GtkWidget            *root,
                                                 const char           *label,
                                                 guint                 timeout_ms);
void       carnet_test_ui_wait_for_label_gone  (GtkWidget             *root,
                                                const char            *text,
                                                guint                  timeout_ms);
/* Until @widget's window has laid out and drawn a frame begun after this
 * call: what a screenshot or a measure of the layout needs. */
void       carnet_test_ui_wait_for_frame       (GtkWidget             *widget);
/* Runs what the main loop has ready (a window just destroyed: its
 * cancellations, its idles), without waiting for anything else. */
void       carnet_test_ui_drain                (void);
/* gtk_window_destroy (@window), then carnet_test_ui_drain (). */
void       carnet_test_ui_destroy              (GtkWidget             *window);
/* Presents @window and waits until it is mapped; returns it. */
GtkWidget *carnet_test_ui_present              (GtkWidget             *window);
/* Lets the main loop run for about @ms: a pause, not a wait. For the
 * benchmark, a simulated user's pace (ui-lab's idle logout) and the one
 * known race that test-ui-charter-big.c describes; a test waits for a
 * condition instead. */
void       carnet_test_ui_settle               (guint                  ms);

/* Activates the control named @label under @root, as a click does; fails
 * when it is missing or insensitive. */
void        carnet_test_ui_click               (GtkWidget             *root,
                                                const char            *label);
/* The text of the editable named @label under @root. */
const char *carnet_test_ui_get_text            (GtkWidget             *root,
                                                const char            *label);

/* The message dialog showing (logout, session expired), or NULL; waiting
 * for one returns it once it has drawn its first frame. */
AdwMessageDialog *carnet_test_ui_find_message_dialog     (void);
AdwMessageDialog *carnet_test_ui_wait_for_message_dialog (void);

/* The keyring, as the tests set it up (each fails the test on an error or
 * after carnet_test_ui_timeout_ms ()). */
void       carnet_test_ui_keyring_store        (const char            *host,
                                                const char            *login,
                                                const char            *password);
void       carnet_test_ui_keyring_forget       (const char            *host,
                                                const char            *login);
/* Every remembered account (CarnetAccount). */
GPtrArray *carnet_test_ui_keyring_list         (void);
/* Lists the accounts and looks up @login's password on @host, twice: the
 * keyring answers in order, so any call Carnet made before (a listing for
 * the welcome page, an automatic login's list and lookup, a store after a
 * login) has been answered and its callback run when this returns. The
 * condition to wait on before asserting that the keyring was NOT used. */
void       carnet_test_ui_keyring_round_trip   (const char            *host,
                                                const char            *login);

/* The fixture of the tests that drive one window on their own test ENT:
 * fr.po read, the test ENT started (when @with_ent; otherwise the test
 * data's CA is trusted and @ent is NULL), a CarnetWindow on no address yet,
 * @width × 760, shown. The teardown destroys the window, stops the ENT and
 * frees fr.po. */
typedef struct
{
  CarnetTestEnt *ent;
  GtkWidget     *window;
  GPtrArray     *msgids;   /* fr.po, English */
  GPtrArray     *msgstrs;  /* fr.po, French ("" when untranslated or fuzzy) */
} CarnetTestUiFixture;

void       carnet_test_ui_fixture_setup        (CarnetTestUiFixture   *f,
                                                gboolean               with_ent,
                                                int                    width);
void       carnet_test_ui_fixture_teardown     (CarnetTestUiFixture   *f);

/* Renders @widget's window with its own renderer and saves it as
 * $CARNET_SCREENSHOT_DIR/@name.png (the folder is created). Returns the path. */
char      *carnet_test_ui_save_screenshot      (GtkWidget  *widget,
                                                const char *name);
/* Saves @texture (a web view's own snapshot, say) as
 * $CARNET_SCREENSHOT_DIR/@name.png beside the others. Returns the path. */
char      *carnet_test_ui_save_texture         (GdkTexture *texture,
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
