/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A charter far longer than the test ENT's three pages, as a hostile or
 * careless ENT may serve: the window keeps answering while it is read and
 * rendered, only the pages near the view are rendered, a charter beyond the
 * caps gets a plain message, and an HTML charter full of unclosed scripts
 * and stray "<" is cleaned at once. */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <string.h>
#include <time.h>

#include <adwaita.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "carnet-charter-page.h"
#include "carnet-charter-page-private.h"
#include "carnet-login-page.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-ui-private.h"
#include "carnet-window.h"

/* Generous: three engineers share two cores, under the sanitizers. */
#define TIMEOUT_MS 60000

/* The longest the main thread may work without coming back to the main
 * loop, in CPU time (waiting for the CPU on a loaded machine does not
 * count). Reading and rendering 150 pages on it took 16.5 s; the window
 * answers a key press within a frame or two, so a second is already a
 * sanitizer build's worst case by far. */
#define MAX_MAIN_CPU_US (1 * G_USEC_PER_SEC)

#define FR_ADDRESS       "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE "Se connecter"
#define FR_LOGIN         "Identifiant"
#define FR_PASSWORD      "Mot de passe"
#define FR_ACCEPT        "J’accepte la charte"
#define FR_OPEN          "Ouvrir dans le lecteur de PDF"
#define FR_RETRY         "Réessayer"
#define FR_TOO_LONG      "La charte est trop longue pour être affichée ici. Ouvrez-la dans le lecteur de PDF pour la lire, puis acceptez-la ici."

#define PAGE_WIDTH  595.0  /* A4 in points */
#define PAGE_HEIGHT 842.0

/* --- Watching the main loop ---------------------------------------------------- */

/* A timeout every 50 ms: the main thread's CPU time between two of its runs
 * is what the main loop spent away from it (handlers, layout, painting). */
typedef struct
{
  guint  source;
  gint64 last_cpu;
  gint64 last_wall;
  gint64 max_cpu;
  gint64 max_wall;
  gboolean paused;
} Watch;

static Watch watch;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts), ==, 0);

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
watch_tick_cb (gpointer user_data)
{
  gint64 cpu = thread_cpu_us ();
  gint64 wall = g_get_monotonic_time ();

  if (watch.paused)
    return G_SOURCE_CONTINUE;
  watch.max_cpu = MAX (watch.max_cpu, cpu - watch.last_cpu);
  watch.max_wall = MAX (watch.max_wall, wall - watch.last_wall);
  watch.last_cpu = cpu;
  watch.last_wall = wall;

  return G_SOURCE_CONTINUE;
}

static void
watch_start (void)
{
  g_assert_cmpuint (watch.source, ==, 0);
  watch = (Watch) { 0 };
  watch.last_cpu = thread_cpu_us ();
  watch.last_wall = g_get_monotonic_time ();
  watch.source = g_timeout_add (50, watch_tick_cb, NULL);
}

/* The test's own work (screenshots) does not count. */
static void
watch_pause (gboolean paused)
{
  if (paused)
    watch_tick_cb (NULL);
  watch.paused = paused;
  watch.last_cpu = thread_cpu_us ();
  watch.last_wall = g_get_monotonic_time ();
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  watch_pause (TRUE);
  g_free (carnet_test_ui_save_screenshot (window, name));
  watch_pause (FALSE);
}

static void
watch_stop (const char *what)
{
  /* What ran since the last tick counts too. */
  watch_tick_cb (NULL);
  g_clear_handle_id (&watch.source, g_source_remove);
  g_test_message ("%s: the main thread worked at most %" G_GINT64_FORMAT " ms of CPU (%"
                  G_GINT64_FORMAT " ms on the clock) between two turns of the main loop",
                  what, watch.max_cpu / 1000, watch.max_wall / 1000);
  if (watch.max_cpu > MAX_MAIN_CPU_US)
    g_error ("%s: the main thread worked %" G_GINT64_FORMAT " ms of CPU without returning "
             "to the main loop (at most %d ms)", what, watch.max_cpu / 1000,
             (int) (MAX_MAIN_CPU_US / 1000));
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");

  return line != NULL ? strtol (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

/* --- Charters ------------------------------------------------------------------ */

static cairo_status_t
write_bytes_cb (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

/* A PDF of @n_pages A4 pages; @full: a page of real text each (as long to
 * render as a real charter's), else one line. */
static GBytes *
make_pdf (guint    n_pages,
          gboolean full)
{
  GByteArray *pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_bytes_cb, pdf,
                                                                  PAGE_WIDTH, PAGE_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Serif 11");
  g_autoptr(GString) article = g_string_new (NULL);

  for (guint i = 0; i < 28; i++)
    g_string_append (article, "L’utilisateur s’engage à utiliser l’espace numérique de travail dans le "
                              "respect des lois en vigueur et de la présente charte. ");
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 128) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_justify (layout, TRUE);

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *text = full ? g_strdup_printf ("Article %u\n\n%s", i + 1, article->str)
                                   : g_strdup_printf ("Article %u", i + 1);

      pango_layout_set_text (layout, text, -1);
      cairo_move_to (cr, 64, 64);
      pango_cairo_show_layout (cr, layout);
      cairo_show_page (cr);
    }

  pango_font_description_free (font);
  g_clear_object (&layout);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (pdf);
}

/* The test ENT reads its charter from its state folder at every request. */
static void
set_ent_charter (CarnetTestEnt *ent,
                 GBytes        *pdf)
{
  g_autofree char *path = g_build_filename (carnet_test_ent_get_state_dir (ent),
                                            "Charte_d_utilisation.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
}

/* An HTML charter a careless ENT could send: its text, then thousands of
 * scripts that never end and of stray "<", as the regular expressions
 * Carnet used took 18.7 s to clean (quadratic). */
static char *
make_nasty_html (gsize size)
{
  GString *html = g_string_new ("<html><head><style>p { color: red; }</style></head><body>"
                                "<h1>Charte d’utilisation</h1><p>Article 1 — L’ENT &amp; ses règles</p>"
                                "<!-- un commentaire --><p>Article 2 — a &lt; b</p>");

  while (html->len < size / 2)
    g_string_append (html, "a < b << c ");
  while (html->len < size)
    g_string_append (html, "<script>x = 1; <p>");

  return g_string_free (html, FALSE);
}

/* --- Driving the window -------------------------------------------------------- */

typedef struct
{
  CarnetTestEnt *ent;
  GtkWidget     *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.carnet.Carnet");

  /* Not about remembering passwords: the keyring stays out. */
  g_settings_set_boolean (settings, "remember-credentials", FALSE);

  f->ent = carnet_test_ent_start ();
  f->window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (f->ent)));
  gtk_window_set_default_size (GTK_WINDOW (f->window), data != NULL ? GPOINTER_TO_INT (data) : 560, 760);
  carnet_test_ui_present (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  carnet_test_ui_destroy (f->window);
  g_clear_pointer (&f->ent, carnet_test_ent_stop);
}

static void
wait_for_control (Fixture    *f,
                  const char *label)
{
  carnet_test_ui_wait_for_control (f->window, label, TIMEOUT_MS);
}

static void
wait_for_page (Fixture    *f,
               const char *name)
{
  carnet_test_ui_wait_for_page (f->window, name, TIMEOUT_MS);
}

static gboolean
login_page_idle_cb (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWidget *page = carnet_test_ui_find_by_name (f->window, "login_page");

  return CARNET_IS_LOGIN_PAGE (page) && !carnet_login_page_get_busy (CARNET_LOGIN_PAGE (page));
}

/* nathalie.martin must accept the charter: her login leads to it. */
static void
log_in_to_charter (Fixture *f)
{
  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);
  wait_for_control (f, FR_LOG_IN_CHOICE);
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_LOG_IN_CHOICE));
  wait_for_page (f, "login");
  carnet_test_ui_wait_until (login_page_idle_cb, f, TIMEOUT_MS, "the login page to be ready");

  carnet_test_ui_type_into (f->window, FR_LOGIN, "nathalie.martin");
  carnet_test_ui_type_into (f->window, FR_PASSWORD, "Soleil2026");
  carnet_test_ui_press_enter (f->window, FR_PASSWORD);
  wait_for_page (f, "charter");
}

static CarnetCharterPage *
get_charter_page (GtkWidget *root)
{
  GtkWidget *page = carnet_test_ui_find_by_type (root, CARNET_TYPE_CHARTER_PAGE);

  g_assert_true (CARNET_IS_CHARTER_PAGE (page));

  return CARNET_CHARTER_PAGE (page);
}

static gboolean
charter_shown_cb (gpointer user_data)
{
  return carnet_charter_page_get_n_pages (get_charter_page (user_data)) > 0;
}

typedef struct
{
  Fixture *f;
  guint    index;
} PageLookup;

/* Page @index has its rendering, and nothing is rendering any more. */
static gboolean
page_rendered_cb (gpointer user_data)
{
  PageLookup *lookup = user_data;
  g_autofree char *label = g_strdup_printf ("Page %u sur %u", lookup->index + 1,
                                            carnet_charter_page_get_n_pages (get_charter_page (lookup->f->window)));
  GtkWidget *picture = carnet_test_ui_find_by_label (lookup->f->window, label);

  return GTK_IS_PICTURE (picture) &&
         GDK_IS_TEXTURE (gtk_picture_get_paintable (GTK_PICTURE (picture)));
}

static gboolean
quiet_cb (gpointer user_data)
{
  return !carnet_charter_page_get_rendering (user_data);
}

/* Renders stop once the pages near the view are there (a new layout may
 * find more: once more after the next frame). The view places the pages
 * from the adjustment, not from the last layout: with a place from before
 * the scroll, the pages scrolled to stayed blank (page 61 never rendered
 * when this waited for a frame instead of a 100 ms pause). */
static void
wait_until_quiet (CarnetCharterPage *page)
{
  carnet_test_ui_wait_until (quiet_cb, page, TIMEOUT_MS, "the pages near the view to be rendered");
  carnet_test_ui_wait_for_frame (GTK_WIDGET (page));
  carnet_test_ui_wait_until (quiet_cb, page, TIMEOUT_MS, "the pages near the view to be rendered");
}

/* --- The tests ----------------------------------------------------------------- */

/* 150 real pages: shown as soon as the first is rendered, the window
 * answering all along, only the pages near the view rendered, and the
 * rendered pages within the budget wherever the parent scrolls. */
static void
test_long_pdf (Fixture       *f,
               gconstpointer  data)
{
  const guint n = 150;
  g_autoptr(GBytes) pdf = make_pdf (n, TRUE);
  CarnetCharterPage *page;
  guint renders;
  gint64 start;

  set_ent_charter (f->ent, pdf);
  g_test_message ("A %u-page PDF of %" G_GSIZE_FORMAT " bytes; peak resident memory before it: %ld kB",
                  n, g_bytes_get_size (pdf), peak_rss_kb ());

  log_in_to_charter (f);
  page = get_charter_page (f->window);
  start = g_get_monotonic_time ();
  watch_start ();
  carnet_test_ui_wait_until (charter_shown_cb, f->window, TIMEOUT_MS, "the charter to show");
  g_test_message ("First page shown %" G_GINT64_FORMAT " ms after the charter page; peak resident memory: %ld kB",
                  (g_get_monotonic_time () - start) / 1000, peak_rss_kb ());

  g_assert_cmpuint (carnet_charter_page_get_n_pages (page), ==, n);
  g_assert_true (GTK_IS_PICTURE (carnet_test_ui_get_by_label (f->window, "Page 1 sur 150")));
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_ACCEPT)));
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_OPEN)));

  /* Only what is near the view: the first screens. */
  {
    PageLookup second = { f, 1 };

    carnet_test_ui_wait_until (page_rendered_cb, &second, TIMEOUT_MS, "page 2 to be rendered");
  }
  wait_until_quiet (page);
  g_test_message ("At the top: %u renders, %u pages held, %" G_GSIZE_FORMAT " pixels",
                  carnet_charter_page_get_n_renders (page), carnet_charter_page_get_n_rendered (page),
                  carnet_charter_page_get_rendered_pixels (page));
  g_assert_cmpuint (carnet_charter_page_get_n_renders (page), >=, 1);
  g_assert_cmpuint (carnet_charter_page_get_n_renders (page), <=, 6);
  screenshot (f->window, "charter-big-top");

  /* Down the charter, five screens apart: each place gets its pages, the
   * pages far behind go back to blank. */
  for (guint index = 30; index < n; index += 30)
    {
      PageLookup lookup = { f, index };
      g_autofree char *what = g_strdup_printf ("page %u to be rendered", index + 1);

      carnet_charter_page_scroll_to_page (page, index);
      carnet_test_ui_wait_until (page_rendered_cb, &lookup, TIMEOUT_MS, what);
      wait_until_quiet (page);
      g_test_message ("At page %u: %u renders, %u pages held, %" G_GSIZE_FORMAT " pixels",
                      index + 1, carnet_charter_page_get_n_renders (page),
                      carnet_charter_page_get_n_rendered (page),
                      carnet_charter_page_get_rendered_pixels (page));
      g_assert_cmpuint (carnet_charter_page_get_rendered_pixels (page), <=, CARNET_CHARTER_PIXEL_BUDGET);
    }
  screenshot (f->window, "charter-big-page-121");

  renders = carnet_charter_page_get_n_renders (page);
  g_assert_cmpuint (renders, <=, 5 * 6);
  g_assert_cmpuint (carnet_charter_page_get_n_rendered (page), <, renders);

  watch_stop ("150 pages");
  g_test_message ("Peak resident memory of the test process: %ld kB", peak_rss_kb ());

  /* It is still a charter to accept. */
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_ACCEPT));
  wait_for_page (f, "mail");
}

/* More pages than Carnet shows: a plain message, nothing rendered, the
 * outside reader offered; no acceptance of what was not shown. */
static void
record_uri_cb (const char *uri,
               gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (uri));
}

static gboolean
uri_launched_cb (gpointer user_data)
{
  return ((GPtrArray *) user_data)->len > 0;
}

/* The ENT recorded the acceptance (needRevalidateTerms false again). */
static gboolean
charter_accepted_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_strcmp0 (carnet_window_get_page_name (CARNET_WINDOW (f->window)), "charter") != 0;
}

static void
test_too_many_pages (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) pdf = make_pdf (CARNET_CHARTER_MAX_PAGES + 50, FALSE);
  CarnetCharterPage *page;

  set_ent_charter (f->ent, pdf);
  log_in_to_charter (f);
  page = get_charter_page (f->window);

  watch_start ();
  carnet_test_ui_wait_for_label (f->window, FR_TOO_LONG, TIMEOUT_MS);
  watch_stop ("250 pages");

  g_assert_cmpuint (carnet_charter_page_get_n_pages (page), ==, 0);
  g_assert_cmpuint (carnet_charter_page_get_n_renders (page), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (carnet_test_ui_find_by_label (f->window, FR_ACCEPT)));
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_OPEN)));
  /* Downloading it again would not make it shorter. */
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_RETRY));
  g_free (carnet_test_ui_save_screenshot (f->window, "charter-big-too-long"));

  /* Read in the desktop's viewer, it can be accepted: no dead end. */
  {
    g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);

    carnet_ui_set_launcher_for_testing (record_uri_cb, uris);
    gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_OPEN));
    /* A button activated from the keyboard clicks once its press shows. */
    carnet_test_ui_wait_until (uri_launched_cb, uris, TIMEOUT_MS, "the viewer to be asked");
    carnet_ui_set_launcher_for_testing (NULL, NULL);
    g_assert_cmpuint (uris->len, ==, 1);
    g_assert_true (g_str_has_prefix (g_ptr_array_index (uris, 0), "file://"));
  }
  g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (f->window, FR_ACCEPT)));
  gtk_widget_activate (carnet_test_ui_get_by_label (f->window, FR_ACCEPT));
  carnet_test_ui_wait_until (charter_accepted_cb, f, TIMEOUT_MS, "the acceptance to be recorded");
}

/* On a phone, 360 pixels wide: the long charter fits, its pages follow
 * the width. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) pdf = make_pdf (150, TRUE);
  PageLookup second = { f, 1 };
  CarnetCharterPage *page;
  int minimum = 0;

  set_ent_charter (f->ent, pdf);
  log_in_to_charter (f);
  page = get_charter_page (f->window);
  carnet_test_ui_wait_until (charter_shown_cb, f->window, TIMEOUT_MS, "the charter to show");
  carnet_test_ui_wait_until (page_rendered_cb, &second, TIMEOUT_MS, "page 2 to be rendered");
  wait_until_quiet (page);

  /* The page (the window's logged-in header bar is the window's own). */
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("The charter page's minimum width with the long charter: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpuint (carnet_charter_page_get_n_renders (page), <=, 6);
  g_free (carnet_test_ui_save_screenshot (f->window, "charter-big-narrow"));
}

/* A page 20 times as tall as A4 (the most a PDF page may be): rendered
 * narrower, within the cap, not as 29 million pixels. */
static void
test_tall_page (void)
{
  GByteArray *pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_bytes_cb, pdf, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GBytes) bytes = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (CARNET_TYPE_CHARTER_PAGE, NULL);
  Fixture f = { NULL, window };
  PageLookup tall = { &f, 1 };

  for (guint i = 0; i < 3; i++)
    {
      cairo_pdf_surface_set_size (surface, PAGE_WIDTH, i == 1 ? 14400 : PAGE_HEIGHT);
      cairo_move_to (cr, 64, 64);
      cairo_show_text (cr, "Article");
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  bytes = g_byte_array_free_to_bytes (pdf);

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 760);
  carnet_test_ui_present (window);

  carnet_charter_page_show_document (CARNET_CHARTER_PAGE (page), bytes, "application/pdf");
  carnet_test_ui_wait_until (charter_shown_cb, window, TIMEOUT_MS, "the charter to show");
  g_assert_cmpuint (carnet_charter_page_get_n_pages (CARNET_CHARTER_PAGE (page)), ==, 3);
  carnet_test_ui_wait_until (page_rendered_cb, &tall, TIMEOUT_MS, "the tall page to be rendered");
  wait_until_quiet (CARNET_CHARTER_PAGE (page));

  /* Pages 1 and 2 at most: A4 at 1100 px across, the tall one capped. */
  g_test_message ("%u pages held, %" G_GSIZE_FORMAT " pixels",
                  carnet_charter_page_get_n_rendered (CARNET_CHARTER_PAGE (page)),
                  carnet_charter_page_get_rendered_pixels (CARNET_CHARTER_PAGE (page)));
  g_assert_cmpuint (carnet_charter_page_get_rendered_pixels (CARNET_CHARTER_PAGE (page)), <=,
                    2 * CARNET_CHARTER_MAX_PAGE_PIXELS);
  g_free (carnet_test_ui_save_screenshot (window, "charter-big-tall-page"));

  carnet_test_ui_destroy (window);
}

static gboolean
text_shown_cb (gpointer user_data)
{
  CarnetCharterPage *page = get_charter_page (user_data);

  return !carnet_charter_page_get_preparing (page);
}

/* An HTML charter of 128 KB and more, hostile: shown at once, as text. */
static void
test_nasty_html (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (CARNET_TYPE_CHARTER_PAGE, NULL);

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 760);
  carnet_test_ui_present (window);
  /* The window's first frames (fonts, icons, the renderer) are not the
   * charter's. */
  carnet_test_ui_wait_for_frame (window);
  carnet_test_ui_wait_for_frame (window);

  for (gsize size = 128 * 1024; size <= 1024 * 1024; size *= 8)
    {
      g_autofree char *html = make_nasty_html (size);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&html), size);
      g_autofree char *what = g_strdup_printf ("%" G_GSIZE_FORMAT " KB of HTML", size / 1024);
      g_autofree char *text = NULL;
      GtkTextBuffer *buffer;
      GtkTextIter start, end;

      watch_start ();
      carnet_charter_page_show_document (CARNET_CHARTER_PAGE (page), bytes, "text/html; charset=utf-8");
      carnet_test_ui_wait_until (text_shown_cb, window, TIMEOUT_MS, what);
      carnet_test_ui_wait_for_frame (window);
      watch_stop (what);

      buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (carnet_test_ui_find_by_name (window, "text_view")));
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_assert_true (g_str_has_prefix (text, "Charte d’utilisation\nArticle 1 — L’ENT & ses règles\n"
                                             "Article 2 — a < b\na < b << c"));
      g_assert_null (strstr (text, "script"));
      g_assert_null (strstr (text, "color"));
      g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (window, FR_ACCEPT)));
      g_assert_true (gtk_widget_is_sensitive (carnet_test_ui_get_by_label (window, FR_OPEN)));
    }
  g_free (carnet_test_ui_save_screenshot (window, "charter-big-html"));

  /* Beyond the cap: the plain message. */
  {
    g_autofree char *html = make_nasty_html (CARNET_CHARTER_MAX_TEXT_BYTES + 1);
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&html), CARNET_CHARTER_MAX_TEXT_BYTES + 1);

    carnet_charter_page_show_document (CARNET_CHARTER_PAGE (page), bytes, "text/html");
    carnet_test_ui_wait_for_label (window, FR_TOO_LONG, TIMEOUT_MS);
  }

  carnet_test_ui_destroy (window);
}

/* The cleaner itself: what it keeps, and linear whatever the markup. */
static void
test_html_cleaner (void)
{
  static const struct { const char *html; const char *text; } cases[] = {
    { "<p>Un</p><p>Deux</p>", "Un\nDeux" },
    { "a<br>b<br/>c<BR >d", "a\nb\nc\nd" },
    { "<h1>Titre</h1><h2 class=x>Sous-titre</h2><ul><li>un</li><li>deux</li></ul>", "Titre\nSous-titre\nun\ndeux" },
    { "<div>x</div><header>y</header><hr>z", "x\nyz" },
    { "<script type=\"text/javascript\">alert('<p>')</script>Texte", "Texte" },
    { "<STYLE>p{}</style >Texte<style>unclosed", "Texte" },
    { "<scripts>a</scripts>b", "ab" },
    { "a<!-- <p>commentaire</p> -->b<!-- jamais fermé", "ab" },
    { "&lt;b&gt; &amp;amp; &quot;x&quot; &#39;y&#39;&nbsp;z &eacute; & fin", "<b> &amp; \"x\" 'y' z &eacute; & fin" },
    { "a < b et c <3 d <", "a < b et c <3 d <" },
    { "a <b c", "a <b c" },
    { "un\n\n\n  \n\tdeux\n  trois", "un\n\n\tdeux\n  trois" },
    { "  <p> </p> \n ", "" },
  };
  const gsize size = 1024 * 1024;
  const char *patterns[] = { "<script>a", "<", "<a", "</", "<!--", "&", "<style x", "a < b " };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = carnet_charter_text_from_html (cases[i].html, strlen (cases[i].html));

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Each of these, a megabyte of it, took the regular expressions minutes;
   * a linear pass takes milliseconds (CPU time: load does not count). */
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autoptr(GString) html = g_string_sized_new (size);
      g_autofree char *text = NULL;
      gint64 cpu;

      while (html->len < size)
        g_string_append (html, patterns[i]);
      cpu = thread_cpu_us ();
      text = carnet_charter_text_from_html (html->str, html->len);
      cpu = thread_cpu_us () - cpu;
      g_test_message ("1 MB of “%s”: %" G_GINT64_FORMAT " µs", patterns[i], cpu);
      g_assert_cmpint (cpu, <, MAX_MAIN_CPU_US);
    }
}

int
main (int   argc,
      char *argv[])
{
  carnet_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/charter-big/html-cleaner", test_html_cleaner);
  g_test_add_func ("/ui/charter-big/nasty-html", test_nasty_html);
  g_test_add_func ("/ui/charter-big/tall-page", test_tall_page);
  g_test_add ("/ui/charter-big/long-pdf", Fixture, NULL,
              fixture_setup, test_long_pdf, fixture_teardown);
  g_test_add ("/ui/charter-big/too-many-pages", Fixture, NULL,
              fixture_setup, test_too_many_pages, fixture_teardown);
  g_test_add ("/ui/charter-big/narrow", Fixture, GINT_TO_POINTER (360),
              fixture_setup, test_narrow, fixture_teardown);

  return g_test_run ();
}
