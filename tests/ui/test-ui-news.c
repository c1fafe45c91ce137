/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The account page's « Actualités » pane (issue 16) against the test ENT's
 * timeline, in French: the seeded news, new items from the watch, pages of
 * 25, HTML and markup shown as text, a broken answer, the session expiring,
 * the flash messages; and the pane 360 pixels wide. */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "carnet-account-page.h"
#include "carnet-news-group.h"
#include "carnet-news-watch.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-ui-private.h"
#include "carnet-window.h"

#define TIMEOUT_MS 30000

#define FR_ADDRESS       "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE "Se connecter"
#define FR_LOGIN         "Identifiant"
#define FR_PASSWORD      "Mot de passe"
#define FR_REMEMBER      "Se souvenir de moi"
#define FR_MORE          "Afficher des actualités plus anciennes"
#define FR_RETRY         "Réessayer"

#define LAST_NOTIFICATIONS "/timeline/lastNotifications"

static CarnetTestEnt *ent;
static GPtrArray *po_msgids;
static GPtrArray *po_msgstrs;

typedef struct
{
  GtkWidget *window;
  GPtrArray *opened;  /* what the pane asked the browser to open */
} Fixture;

static void
launcher_cb (const char *uri,
             gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (uri));
}

/* --- Helpers ------------------------------------------------------------------- */

static void
check_page (GtkWidget  *window,
            const char *page)
{
  /* Names and texts of the seed and of what the tests publish. */
  const char * const allowed[] = {
    "Carnet", "Parent", carnet_test_ent_get_host (ent), "karim.benali", "Karim Benali", "KB",
    "Collège Jean Jaurès", "École élémentaire Jules Ferry",
    "Collège Jean Jaurès · École élémentaire Jules Ferry",
    "Sophie Lefèvre", "Marc Petit", "claire.dubois1", "Claire Dubois", "CD", NULL
  };

  carnet_test_ui_assert_french (window, po_msgids, po_msgstrs, page, allowed);
  carnet_test_ui_assert_controls_named (window, page);
}

static void
log_in_as (Fixture    *f,
           const char *login,
           const char *password,
           const char *title)
{
  GtkWidget *remember;

  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);
  carnet_test_ui_wait_for_control (f->window, FR_LOG_IN_CHOICE, TIMEOUT_MS);
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_LOG_IN_CHOICE));
  carnet_test_ui_wait_for_page (f->window, "login", TIMEOUT_MS);

  carnet_test_ui_type_into (f->window, FR_LOGIN, login);
  carnet_test_ui_type_into (f->window, FR_PASSWORD, password);
  remember = carnet_test_ui_get_by_label (f->window, FR_REMEMBER);
  gtk_switch_set_active (GTK_SWITCH (remember), FALSE);
  carnet_test_ui_click (f->window, "Se connecter");
  carnet_test_ui_wait_for_label (f->window, title, TIMEOUT_MS);
  carnet_test_ui_wait_for_page (f->window, "account", TIMEOUT_MS);
}

static void
log_in (Fixture *f)
{
  log_in_as (f, "karim.benali", "Cartable2026", "Compte de Karim");
}

static GtkWidget *
account_page (Fixture *f)
{
  GtkWidget *page = carnet_test_ui_find_by_type (f->window, CARNET_TYPE_ACCOUNT_PAGE);

  g_assert_nonnull (page);
  return page;
}

static void
show_news (Fixture *f)
{
  carnet_account_page_show_news (CARNET_ACCOUNT_PAGE (account_page (f)));
  carnet_test_ui_wait_for_frame (f->window);
}

static GtkListBox *
news_list (Fixture *f)
{
  GtkWidget *list = carnet_test_ui_find_by_name (f->window, "list_box");

  g_assert_true (GTK_IS_LIST_BOX (list));
  return GTK_LIST_BOX (list);
}

static guint
count_rows (Fixture *f)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (news_list (f)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;

  return n;
}

typedef struct
{
  Fixture *f;
  guint    rows;
} RowsWait;

static gboolean
rows_are_cb (gpointer user_data)
{
  RowsWait *wait = user_data;

  return count_rows (wait->f) == wait->rows;
}

static void
wait_for_rows (Fixture *f,
               guint    rows)
{
  RowsWait wait = { f, rows };

  carnet_test_ui_wait_until (rows_are_cb, &wait, TIMEOUT_MS, "the number of news rows");
}

/* The row showing the label @text. */
static GtkWidget *
row_of (Fixture    *f,
        const char *text)
{
  GtkWidget *label = carnet_test_ui_find_label_text (f->window, text);
  GtkWidget *row;

  g_assert_nonnull (label);
  row = gtk_widget_get_ancestor (label, GTK_TYPE_LIST_BOX_ROW);
  g_assert_nonnull (row);

  return row;
}

/* Shown as it is: no markup, and Pango lays out exactly @text. */
static void
assert_plain_label (Fixture    *f,
                    const char *text)
{
  GtkWidget *label = carnet_test_ui_find_label_text (f->window, text);

  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  g_assert_cmpstr (pango_layout_get_text (gtk_label_get_layout (GTK_LABEL (label))), ==, text);
}

/* @row says when, for an item published @hours ago (give or take the
 * minute the test took). */
static void
assert_when (GtkWidget *row,
             int        hours)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) date = g_date_time_add_hours (now, -hours);
  g_autoptr(GDateTime) before = g_date_time_add_minutes (date, -1);
  g_autofree char *when = carnet_news_group_format_date (date, now);
  g_autofree char *when_before = carnet_news_group_format_date (before, now);

  g_test_message ("%d h ago: « %s » or « %s »", hours, when, when_before);
  g_assert_true (carnet_test_ui_find_label_text (row, when) != NULL ||
                 carnet_test_ui_find_label_text (row, when_before) != NULL);
}

static gboolean
any_label_contains (GtkWidget  *widget,
                    const char *needle)
{
  if (GTK_IS_LABEL (widget) && carnet_test_ui_is_showing (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (any_label_contains (child, needle))
      return TRUE;

  return FALSE;
}

static gboolean
opened_cb (gpointer user_data)
{
  return ((GPtrArray *) user_data)->len > 0;
}

static gboolean
watch_read_cb (gpointer user_data)
{
  return carnet_news_watch_get_items (user_data) != NULL;
}

/* Then a second later at the ENT: items dated alike may come in any order,
 * page after page, and one dated the ENT's now is not served yet. */
static void
publish (const char *sender,
         const char *subject)
{
  g_free (carnet_test_ent_publish_notification (ent, "karim.benali", "MESSAGERIE", "SEND-MESSAGE",
                                                sender, subject, NULL, 0));
  carnet_test_ent_advance_clock (ent, 1);
}

/* --- Fixture ------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");

  carnet_test_ent_reset (ent);
  g_settings_reset (settings, "ent-url");
  g_settings_reset (settings, "remember-credentials");
  g_settings_reset (settings, "shared-machine");

  f->opened = g_ptr_array_new_with_free_func (g_free);
  carnet_ui_set_launcher_for_testing (launcher_cb, f->opened);

  f->window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 560, 900);
  carnet_test_ui_present (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  AdwMessageDialog *dialog;

  while ((dialog = carnet_test_ui_find_message_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  carnet_test_ui_destroy (f->window);
  carnet_ui_set_launcher_for_testing (NULL, NULL);
  g_clear_pointer (&f->opened, g_ptr_array_unref);
}

/* --- Tests --------------------------------------------------------------------- */

/* The seed: three items, newest first, with their type, sender and date,
 * the flash message above them; « Ouvrir » opens the ENT's page only when
 * clicked. */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *first;
  GtkWidget *open;
  g_autofree char *prefix = NULL;

  log_in (f);
  show_news (f);
  carnet_test_ui_wait_for_label (f->window, "Sophie Lefèvre", TIMEOUT_MS);
  wait_for_rows (f, 3);
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news"));
  check_page (f->window, "account (Actualités)");

  /* Newest first: Sophie Lefèvre's message (2 h ago), then Marc Petit's share (yesterday). */
  first = GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 0));
  g_assert_true (row_of (f, "Sophie Lefèvre") == first);
  g_assert_true (row_of (f, "Marc Petit") == GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 1)));
  g_assert_nonnull (carnet_test_ui_find_label_text (first, "Messagerie"));
  /* Seeded 2 h and 26 h before the test ENT's clock (« il y a 2 h »,
   * « hier à … », or the day before just after midnight). */
  assert_when (first, 2);
  assert_when (row_of (f, "Marc Petit"), 26);

  /* Its link, opened only on request, on the ENT's host. */
  g_assert_cmpuint (f->opened->len, ==, 0);
  open = carnet_test_ui_get_by_label (first, "Ouvrir dans le navigateur l’actualité de Sophie Lefèvre");
  gtk_widget_activate (open);
  carnet_test_ui_wait_until (opened_cb, f->opened, TIMEOUT_MS, "the browser asked to open the link");
  g_assert_cmpuint (f->opened->len, ==, 1);
  prefix = g_strdup_printf ("https://%s/", carnet_test_ent_get_host (ent));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->opened, 0), prefix));

  /* Only the first page, and it is not full. */
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_MORE));
}

/* The flash message: a banner whose close button tells the ENT it was read. */
static void
test_flash_message (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id;
  g_autofree char *close = NULL;

  id = carnet_test_ent_add_flash_message (ent, "Sortie <b>scolaire</b> & pique-nique",
                                          "<p>Prévoir un <span foreground=\"red\">goûter</span> &amp; une casquette.</p>",
                                          "red", 0, 3600);
  log_in (f);
  show_news (f);
  carnet_test_ui_wait_for_label (f->window, "Sortie <b>scolaire</b> & pique-nique", TIMEOUT_MS);
  assert_plain_label (f, "Sortie <b>scolaire</b> & pique-nique");
  assert_plain_label (f, "Prévoir un goûter & une casquette.");
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-flash"));
  check_page (f->window, "account (Actualités, flash messages)");

  close = g_strdup_printf ("Marquer le message « %s » comme lu", "Sortie <b>scolaire</b> & pique-nique");
  g_assert_false (carnet_test_ent_flash_message_is_read (ent, "karim.benali", id));
  carnet_test_ui_click (f->window, close);
  carnet_test_ui_wait_for_label_gone (f->window, "Sortie <b>scolaire</b> & pique-nique", TIMEOUT_MS);
  g_assert_true (carnet_test_ent_flash_message_is_read (ent, "karim.benali", id));
}

/* What the watch finds new goes on top, once. */
static void
test_new_items (Fixture       *f,
                gconstpointer  data)
{
  CarnetWindow *window;
  g_autoptr(CarnetNewsWatch) watch = NULL;
  GtkWidget *page;

  log_in (f);
  show_news (f);
  wait_for_rows (f, 3);

  window = CARNET_WINDOW (f->window);
  page = account_page (f);
  watch = carnet_news_watch_new (carnet_window_get_session (window), NULL);
  carnet_news_watch_set_interval (watch, 200);
  carnet_account_page_set_news_watch (CARNET_ACCOUNT_PAGE (page), watch);
  carnet_news_watch_start (watch);
  /* Its first page only tells what it has seen: publish after it. */
  carnet_test_ui_wait_until (watch_read_cb, watch, TIMEOUT_MS, "the watch's first page");

  publish ("Julie Moreau", "Sortie au musée jeudi");
  carnet_test_ui_wait_for_label (f->window, "Julie Moreau", TIMEOUT_MS);
  wait_for_rows (f, 4);
  g_assert_true (row_of (f, "Julie Moreau") == GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 0)));
  g_assert_nonnull (carnet_test_ui_find_label_text (row_of (f, "Julie Moreau"), "à l’instant"));
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-new-item"));

  publish ("Paul Girard", "Cantine : menu de la semaine");
  publish ("Anne Roux", "Conseil de classe");
  carnet_test_ui_wait_for_label (f->window, "Anne Roux", TIMEOUT_MS);
  wait_for_rows (f, 6);
  /* Newest first, above what was there. */
  g_assert_true (row_of (f, "Anne Roux") == GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 0)));
  g_assert_true (row_of (f, "Paul Girard") == GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 1)));
  g_assert_true (row_of (f, "Julie Moreau") == GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 2)));

  carnet_news_watch_stop (watch);
  carnet_account_page_set_news_watch (CARNET_ACCOUNT_PAGE (page), NULL);
}

/* Nothing for this parent: « Aucune actualité », until the watch finds an
 * item. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CarnetNewsWatch) watch = NULL;
  GtkWidget *page;

  log_in_as (f, "claire.dubois1", "Rentree2026", "Compte de Claire");
  show_news (f);
  carnet_test_ui_wait_for_label (f->window, "Aucune actualité", TIMEOUT_MS);
  g_assert_false (carnet_test_ui_is_showing (GTK_WIDGET (news_list (f))));
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-empty"));
  check_page (f->window, "account (Actualités, empty)");

  page = account_page (f);
  watch = carnet_news_watch_new (carnet_window_get_session (CARNET_WINDOW (f->window)), NULL);
  carnet_news_watch_set_interval (watch, 200);
  carnet_account_page_set_news_watch (CARNET_ACCOUNT_PAGE (page), watch);
  carnet_news_watch_start (watch);
  carnet_test_ui_wait_until (watch_read_cb, watch, TIMEOUT_MS, "the watch's first page");

  g_free (carnet_test_ent_publish_notification (ent, "claire.dubois1", "MESSAGERIE", "SEND-MESSAGE",
                                                "Julie Moreau", "Piscine lundi", NULL, 0));
  carnet_test_ui_wait_for_label (f->window, "Julie Moreau", TIMEOUT_MS);
  wait_for_rows (f, 1);
  carnet_test_ui_wait_for_label_gone (f->window, "Aucune actualité", TIMEOUT_MS);

  carnet_news_watch_stop (watch);
  carnet_account_page_set_news_watch (CARNET_ACCOUNT_PAGE (page), NULL);
}

/* 33 items: 25, then « Afficher plus » brings the 8 others and goes. */
static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  GtkAdjustment *adjustment;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Devoir n° %u", i + 1);

      publish ("Sophie Lefèvre", subject);
    }

  log_in (f);
  show_news (f);
  wait_for_rows (f, 25);
  carnet_test_ui_wait_for_control (f->window, FR_MORE, TIMEOUT_MS);
  /* Reached with the keyboard; seen at the bottom of the pane. */
  g_assert_true (gtk_widget_grab_focus (carnet_test_ui_get_by_label (f->window, FR_MORE)));
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (carnet_test_ui_get_by_label (f->window, FR_MORE),
                                                  GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  carnet_test_ui_wait_for_frame (f->window);
  g_test_message ("scrolled to %g of %g", gtk_adjustment_get_value (adjustment), gtk_adjustment_get_upper (adjustment));
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-more"));
  check_page (f->window, "account (Actualités, more)");

  carnet_test_ui_click (f->window, FR_MORE);
  wait_for_rows (f, 33);
  carnet_test_ui_wait_for_control_gone (f->window, FR_MORE, TIMEOUT_MS);
  /* The oldest last. */
  g_assert_true (row_of (f, "Marc Petit") == GTK_WIDGET (gtk_list_box_get_row_at_index (news_list (f), 31)));
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-paging"));
}

/* The ENT's HTML and any Pango markup in a name or a text are shown as
 * text; a link to another site gets no « Ouvrir ». */
static void
test_markup (Fixture       *f,
             gconstpointer  data)
{
  /* params.username is HTML too for the ENT layer: its tags go, its
   * entities are decoded, and what they spell stays text. */
  const char *username = "<span>Mme</span> Durand &lt;b&gt;&amp;&lt;/b&gt; <i>fils</i>";
  const char *sender = "Mme Durand <b>&</b> fils";
  const char *text = "Sortie au musée & pique-nique : prévoir un goûter. <i>Merci</i>";
  g_autofree char *open = g_strdup_printf ("Ouvrir dans le navigateur l’actualité de %s", sender);

  g_free (carnet_test_ent_publish_notification (ent, "karim.benali", "NEWS", "NEWS-PUBLISHED", username, NULL,
                                                "<p><b>Sortie</b> au musée &amp; pique-nique :"
                                                " <span foreground=\"red\">prévoir</span> un"
                                                " <a href=\"https://evil.example/x\">goûter</a>.</p>"
                                                "<script>alert(1)</script> &lt;i&gt;Merci&lt;/i&gt;",
                                                0));
  carnet_test_ent_advance_clock (ent, 1);
  log_in (f);
  show_news (f);
  carnet_test_ui_wait_for_label (f->window, sender, TIMEOUT_MS);
  assert_plain_label (f, sender);
  assert_plain_label (f, text);
  g_assert_true (row_of (f, sender) == row_of (f, text));
  g_assert_null (carnet_test_ui_find_by_label (row_of (f, sender), open));
  g_assert_false (any_label_contains (f->window, "alert"));
  g_assert_false (any_label_contains (f->window, "<p>"));
  g_assert_false (any_label_contains (f->window, "&amp;"));
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-markup"));
}

/* A broken answer: the error and « Réessayer », which brings the news. */
static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  /* Until cleared: the window's watch polls the same route. */
  carnet_test_ent_set_fault (ent, LAST_NOTIFICATIONS, "malformed", 0, -1);
  log_in (f);
  show_news (f);
  carnet_test_ui_wait_for_control (f->window, FR_RETRY, TIMEOUT_MS);
  g_free (carnet_test_ui_save_screenshot (f->window, "account-news-error"));
  check_page (f->window, "account (Actualités, error)");
  g_assert_null (carnet_test_ui_find_label_text (f->window, "Sophie Lefèvre"));

  carnet_test_ent_clear_faults (ent);
  carnet_test_ui_click (f->window, FR_RETRY);
  carnet_test_ui_wait_for_label (f->window, "Sophie Lefèvre", TIMEOUT_MS);
  wait_for_rows (f, 3);
}

/* The session ends between two pages: the password again, then the news
 * again. */
static void
test_session_expired (Fixture       *f,
                      gconstpointer  data)
{
  AdwMessageDialog *dialog;

  for (guint i = 0; i < 30; i++)
    publish ("Sophie Lefèvre", "Devoir");

  log_in (f);
  show_news (f);
  wait_for_rows (f, 25);
  carnet_test_ui_wait_for_control (f->window, FR_MORE, TIMEOUT_MS);

  carnet_test_ent_expire_sessions (ent);
  carnet_test_ui_click (f->window, FR_MORE);
  dialog = carnet_test_ui_wait_for_message_dialog ();
  g_free (carnet_test_ui_save_dialog_screenshot (f->window, GTK_WIDGET (dialog), "account-news-session-expired"));
  gtk_editable_set_text (GTK_EDITABLE (carnet_test_ui_get_by_label (GTK_WIDGET (dialog), FR_PASSWORD)),
                         "Cartable2026");
  carnet_test_ui_press_enter (GTK_WIDGET (dialog), FR_PASSWORD);

  /* Loaded again from the first page. */
  wait_for_rows (f, 25);
  carnet_test_ui_wait_for_control (f->window, FR_MORE, TIMEOUT_MS);
  g_assert_null (carnet_test_ui_find_message_dialog ());
  carnet_test_ui_click (f->window, FR_MORE);
  wait_for_rows (f, 33);
}

/* A phone-sized window: the pane with its banner and rows fits in 360 px. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  int minimum = 0;

  carnet_test_ent_add_flash_message (ent, "Grève du jeudi 10 décembre : accueil assuré",
                                     "<p>Le collège accueillera les élèves de 8 h à 17 h.</p>",
                                     "orange", 0, 3600);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
  log_in (f);
  show_news (f);
  wait_for_rows (f, 3);
  carnet_test_ui_wait_for_label (f->window, "Grève du jeudi 10 décembre : accueil assuré", TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (f->window);
  gtk_widget_measure (f->window, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("Actualités: %d px", minimum);
  g_free (carnet_test_ui_save_screenshot (f->window, "narrow-account-news"));
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (f->window), <=, 360);
}

/* When, in French, against a fixed now (local time). */
static void
test_dates (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 12, 10, 14, 30, 0); /* a Thursday */
  struct { int y, mo, d, h, mi; const char *expected; } cases[] = {
    { 2026, 12, 10, 14, 30, "à l’instant" },
    { 2026, 12, 10, 14, 31, "à l’instant" },  /* a clock a little ahead */
    { 2026, 12, 10, 14, 25, "il y a 5 min" },
    { 2026, 12, 10, 14, 29, "il y a 1 min" },
    { 2026, 12, 10, 11, 15, "il y a 3 h" },
    { 2026, 12, 10,  0,  5, "il y a 14 h" },
    { 2026, 12,  9, 18, 30, "hier à 18:30" },
    { 2026, 12,  8,  8, 15, "mardi à 08:15" },
    { 2026, 12,  4,  9,  0, "vendredi à 09:00" },
    { 2026, 11,  3, 10,  0, "3 novembre" },
    { 2025, 11,  3, 10,  0, "3 novembre 2025" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = g_date_time_new_local (cases[i].y, cases[i].mo, cases[i].d,
                                                         cases[i].h, cases[i].mi, 0);
      g_autofree char *text = carnet_news_group_format_date (date, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  carnet_test_ui_init (&argc, &argv);

  carnet_test_ui_load_po (&po_msgids, &po_msgstrs);
  ent = carnet_test_ent_start ();

  g_test_add_func ("/ui/news/dates", test_dates);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/ui/news/list", test_list);
  ADD ("/ui/news/flash-message", test_flash_message);
  ADD ("/ui/news/new-items", test_new_items);
  ADD ("/ui/news/empty", test_empty);
  ADD ("/ui/news/paging", test_paging);
  ADD ("/ui/news/markup", test_markup);
  ADD ("/ui/news/broken", test_broken);
  ADD ("/ui/news/session-expired", test_session_expired);
  ADD ("/ui/news/narrow", test_narrow);
#undef ADD

  ret = g_test_run ();
  carnet_test_ent_stop (ent);
  g_clear_pointer (&po_msgids, g_ptr_array_unref);
  g_clear_pointer (&po_msgstrs, g_ptr_array_unref);

  return ret;
}
