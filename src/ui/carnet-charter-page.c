/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-charter-page.h"
#include "carnet-charter-page-private.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <poppler.h>

#include "carnet-reauth.h"
#include "carnet-ui-private.h"

/* Pixels across a rendered page: sharp at the clamp's readable width. */
#define RENDER_WIDTH 1100

/* The PDF, read once in a thread. Poppler documents are not thread-safe:
 * every use of @document holds @mutex (and the page renders one page at a
 * time anyway). */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  PopplerDocument *document;
} CharterDocument;

/* A page of the PDF in the page: a picture of its final size, blank until
 * it comes near the view. */
typedef struct
{
  GtkPicture *picture;
  int         index;        /* in the document */
  int         width;        /* of the rendering, in pixels */
  int         height;
  gboolean    rendered;
} Sheet;

struct _CarnetCharterPage
{
  GtkWidget          parent_instance;

  GtkStack          *content_stack;
  GtkSpinner        *loading_spinner;
  GtkLabel          *loading_label;
  GtkLabel          *load_error_label;
  GtkButton         *retry_button;
  GtkScrolledWindow *pdf_scroller;
  GtkBox            *pages_box;
  GtkTextView       *text_view;
  GtkBox            *error_box;
  GtkLabel          *error_label;
  GtkStack          *action_stack;
  GtkButton         *open_button;
  GtkButton         *accept_button;
  GtkSpinner        *spinner;
  GtkLabel          *busy_label;
  GtkButton         *cancel_button;

  CarnetEntClient   *client;
  char              *login;
  CarnetReauth      *reauth;
  GCancellable      *cancellable;
  char              *url;
  /* The charter as downloaded, for an outside viewer, and its private copy. */
  GBytes            *bytes;
  char              *content_type;
  char              *private_path;
  /* The charter cannot be shown here (too long, unreadable) but was handed
   * to the desktop's viewer: the parent read it there, and may accept. */
  gboolean           shown_outside;
  guint              n_pages;

  /* Reading the charter and rendering its pages, off the main thread. */
  GCancellable      *render_cancellable;
  CharterDocument   *document;
  GArray            *sheets;          /* of Sheet */
  int                n_document_pages;
  gboolean           render_busy;     /* one page renders at a time */
  guint              update_source;
  gsize              rendered_pixels;
  guint              n_rendered;
  guint              n_renders;
};

G_DEFINE_FINAL_TYPE (CarnetCharterPage, carnet_charter_page, GTK_TYPE_WIDGET)

enum {
  ACCEPTED,
  ACTION_REQUIRED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void schedule_update (CarnetCharterPage *self);

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* --- The document, shared with the threads ----------------------------------- */

static CharterDocument *
charter_document_ref (CharterDocument *doc)
{
  g_atomic_ref_count_inc (&doc->ref_count);
  return doc;
}

static void
charter_document_unref (CharterDocument *doc)
{
  if (!g_atomic_ref_count_dec (&doc->ref_count))
    return;

  g_mutex_lock (&doc->mutex);
  g_clear_object (&doc->document);
  g_mutex_unlock (&doc->mutex);
  g_mutex_clear (&doc->mutex);
  g_free (doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CharterDocument, charter_document_unref)

/* --- The HTML charter's text --------------------------------------------------- */

/* @name matches the tag name at @tag (@length bytes up to its ">"), whole. */
static gboolean
tag_is (const char *tag,
        gsize       length,
        const char *name)
{
  gsize n = strlen (name);

  return length >= n && g_ascii_strncasecmp (tag, name, n) == 0 &&
         (length == n || !g_ascii_isalnum (tag[n]));
}

/* The "</@name" that ends a script or style block, or NULL. */
static const char *
find_end_tag (const char *from,
              const char *end,
              const char *name)
{
  gsize n = strlen (name);

  while (from < end)
    {
      const char *lt = memchr (from, '<', end - from);

      if (lt == NULL)
        return NULL;
      if ((gsize) (end - lt) >= n + 2 && lt[1] == '/' && g_ascii_strncasecmp (lt + 2, name, n) == 0)
        return lt;
      from = lt + 1;
    }

  return NULL;
}

static const char *
find_comment_end (const char *from,
                  const char *end)
{
  while (from < end)
    {
      const char *dash = memchr (from, '-', end - from);

      if (dash == NULL || end - dash < 3)
        return NULL;
      if (dash[1] == '-' && dash[2] == '>')
        return dash + 3;
      from = dash + 1;
    }

  return NULL;
}

static void
append_text (GString    *out,
             const char *from,
             const char *end)
{
#define ENTITY(e, c) { e, sizeof e - 1, c }
  static const struct { const char *entity; gsize length; char c; } entities[] = {
    ENTITY ("&nbsp;", ' '), ENTITY ("&lt;", '<'), ENTITY ("&gt;", '>'),
    ENTITY ("&quot;", '"'), ENTITY ("&#39;", '\''), ENTITY ("&amp;", '&'),
  };
#undef ENTITY

  while (from < end)
    {
      const char *amp = memchr (from, '&', end - from);
      gboolean decoded = FALSE;

      if (amp == NULL)
        {
          g_string_append_len (out, from, end - from);
          return;
        }
      g_string_append_len (out, from, amp - from);
      for (guint i = 0; i < G_N_ELEMENTS (entities) && !decoded; i++)
        {
          gsize n = entities[i].length;

          if ((gsize) (end - amp) >= n && memcmp (amp, entities[i].entity, n) == 0)
            {
              g_string_append_c (out, entities[i].c);
              from = amp + n;
              decoded = TRUE;
            }
        }
      if (!decoded)
        {
          g_string_append_c (out, '&');
          from = amp + 1;
        }
    }
}

/* Runs of blank lines become one empty line. */
static char *
collapse_blank_lines (GString *in)
{
  GString *out = g_string_sized_new (in->len);
  gsize i = 0;

  while (i < in->len)
    {
      char c = in->str[i];

      if (c == '\n')
        {
          gsize j = i + 1;
          gsize last_newline = 0;

          while (j < in->len && strchr (" \t\r\n", in->str[j]) != NULL && in->str[j] != '\0')
            {
              if (in->str[j] == '\n')
                last_newline = j;
              j++;
            }
          if (last_newline != 0)
            {
              g_string_append (out, "\n\n");
              i = last_newline + 1;
              continue;
            }
        }
      g_string_append_c (out, c);
      i++;
    }

  return g_string_free (out, FALSE);
}

/* A hand-written scanner: every byte is looked at a bounded number of
 * times, whatever the markup (unclosed scripts, thousands of "<"). The
 * regular expressions it replaces took 18.7 s on 128 KB. */
char *
carnet_charter_text_from_html (const char *html,
                               gsize       length)
{
  g_autoptr(GString) out = g_string_sized_new (length);
  const char *p = html;
  const char *end = html + length;
  /* Once no ">" follows, none follows any later "<" either. */
  gboolean no_more_gt = FALSE;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);
      const char *gt;
      const char *tag;
      gsize tag_length;
      gboolean closing;

      if (lt == NULL)
        {
          append_text (out, p, end);
          break;
        }
      append_text (out, p, lt);
      p = lt;

      if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          const char *close = find_comment_end (p + 4, end);

          p = close != NULL ? close : end;
          continue;
        }

      /* "a < b" is text, as in a browser. */
      if (end - p < 2 || !(g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
        {
          g_string_append_c (out, '<');
          p++;
          continue;
        }

      gt = no_more_gt ? NULL : memchr (p + 1, '>', end - p - 1);
      if (gt == NULL)
        {
          no_more_gt = TRUE;
          g_string_append_c (out, '<');
          p++;
          continue;
        }

      closing = p[1] == '/';
      tag = p + (closing ? 2 : 1);
      tag_length = gt - tag;

      if (!closing && (tag_is (tag, tag_length, "script") || tag_is (tag, tag_length, "style")))
        {
          const char *name = tag_is (tag, tag_length, "script") ? "script" : "style";
          const char *close = find_end_tag (gt + 1, end, name);
          const char *close_gt = close != NULL ? memchr (close, '>', end - close) : NULL;

          /* An unclosed block runs to the end, as in a browser. */
          p = close_gt != NULL ? close_gt + 1 : end;
          continue;
        }

      if ((!closing && tag_is (tag, tag_length, "br")) ||
          (closing && (tag_is (tag, tag_length, "p") || tag_is (tag, tag_length, "div") ||
                       tag_is (tag, tag_length, "li") ||
                       (tag_length >= 2 && (tag[0] == 'h' || tag[0] == 'H') &&
                        tag[1] >= '1' && tag[1] <= '6' &&
                        (tag_length == 2 || !g_ascii_isalnum (tag[2]))))))
        g_string_append_c (out, '\n');

      p = gt + 1;
    }

  return g_strstrip (collapse_blank_lines (out));
}

/* Pango lays out a paragraph at once: one of a megabyte would hold the
 * main thread for seconds. A paragraph longer than this goes on a new line
 * at its next space (or, without any, where it reaches twice as long). */
#define MAX_PARAGRAPH_BYTES 2000

static char *
break_long_paragraphs (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 1);
  gsize since_break = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize n = g_utf8_next_char (p) - p;

      if (*p == '\n')
        since_break = 0;
      else if (since_break >= MAX_PARAGRAPH_BYTES && (*p == ' ' || since_break >= 2 * MAX_PARAGRAPH_BYTES))
        {
          g_string_append_c (out, '\n');
          since_break = 0;
          if (*p == ' ')
            continue;
        }
      g_string_append_len (out, p, n);
      since_break += n;
    }

  return g_string_free (out, FALSE);
}

/* --- Reading the charter, in a thread ------------------------------------------ */

typedef struct
{
  GBytes *bytes;
  char   *content_type;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data->content_type);
  g_free (data);
}

typedef struct
{
  int index;
  int width;
  int height;
} SheetSize;

/* What was read: the text, or the PDF with the sizes of its pages. */
typedef struct
{
  char            *text;
  CharterDocument *document;
  int              n_document_pages;
  GArray          *sizes;         /* of SheetSize */
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  g_free (prepared->text);
  g_clear_pointer (&prepared->document, charter_document_unref);
  g_clear_pointer (&prepared->sizes, g_array_unref);
  g_free (prepared);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

static gboolean
is_text (const char *content_type)
{
  return content_type != NULL && g_str_has_prefix (content_type, "text/");
}

/* Rendered pixels for a page of @width × @height points, within the caps. */
static gboolean
page_pixels (double  width,
             double  height,
             int    *pixel_width,
             int    *pixel_height)
{
  double w, h, shrink = 1;

  if (!(width > 0) || !(height > 0) || !isfinite (width) || !isfinite (height))
    return FALSE;

  /* As wide as the view wants; a page so tall that this would take more
   * than the cap is rendered to the cap's height, narrower. */
  w = RENDER_WIDTH;
  h = height * (RENDER_WIDTH / width);
  if (w * h > CARNET_CHARTER_MAX_PAGE_PIXELS)
    shrink = (CARNET_CHARTER_MAX_PAGE_PIXELS / (double) RENDER_WIDTH) / h;

  *pixel_width = CLAMP ((int) floor (w * shrink), 1, CARNET_CHARTER_MAX_PAGE_SIDE);
  *pixel_height = CLAMP ((int) ceil (h * shrink), 1, CARNET_CHARTER_MAX_PAGE_SIDE);

  return TRUE;
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(Prepared) prepared = g_new0 (Prepared, 1);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;
  gsize length;
  const char *bytes = g_bytes_get_data (data->bytes, &length);

  if (is_text (data->content_type))
    {
      g_autofree char *raw = NULL;
      g_autofree char *text = NULL;

      if (length > CARNET_CHARTER_MAX_TEXT_BYTES)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                   "%" G_GSIZE_FORMAT " bytes of text", length);
          return;
        }
      raw = g_utf8_make_valid (bytes ? bytes : "", length);
      if (strstr (data->content_type, "html") != NULL)
        text = carnet_charter_text_from_html (raw, strlen (raw));
      else
        text = g_strdup (g_strstrip (raw));
      prepared->text = break_long_paragraphs (text);
      g_task_return_pointer (task, g_steal_pointer (&prepared), (GDestroyNotify) prepared_free);
      return;
    }

  /* poppler-glib 22.02 has no g_autoptr() for its types. */
  document = poppler_document_new_from_bytes (data->bytes, NULL, &error);
  if (document == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  prepared->document = g_new0 (CharterDocument, 1);
  g_atomic_ref_count_init (&prepared->document->ref_count);
  g_mutex_init (&prepared->document->mutex);
  prepared->document->document = document;

  prepared->n_document_pages = poppler_document_get_n_pages (document);
  if (prepared->n_document_pages > CARNET_CHARTER_MAX_PAGES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "%d pages", prepared->n_document_pages);
      return;
    }

  prepared->sizes = g_array_new (FALSE, FALSE, sizeof (SheetSize));
  for (int i = 0; i < prepared->n_document_pages && !g_cancellable_is_cancelled (cancellable); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      SheetSize size = { i, 0, 0 };
      double width = 0, height = 0;

      if (page == NULL)
        continue;
      poppler_page_get_size (page, &width, &height);
      g_object_unref (page);
      if (page_pixels (width, height, &size.width, &size.height))
        g_array_append_val (prepared->sizes, size);
    }

  if (prepared->sizes->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "empty PDF");
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&prepared), (GDestroyNotify) prepared_free);
}

/* --- Rendering a page, in a thread -------------------------------------------- */

typedef struct
{
  CharterDocument *document;
  guint            sheet;
  int              index;
  int              width;
  int              height;
} RenderData;

static void
render_data_free (RenderData *data)
{
  charter_document_unref (data->document);
  g_free (data);
}

typedef struct
{
  guint   sheet;
  GBytes *pixels;
  int     width;
  int     height;
  int     stride;
} Rendered;

static void
rendered_free (Rendered *rendered)
{
  g_bytes_unref (rendered->pixels);
  g_free (rendered);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderData *data = task_data;
  Rendered *rendered;
  cairo_surface_t *surface;
  PopplerPage *page;
  double width = 0, height = 0;
  cairo_t *cr;

  if (g_task_return_error_if_cancelled (task))
    return;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, data->width, data->height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "no memory for the page");
      return;
    }

  cr = cairo_create (surface);
  /* PDF pages are paper: white under the text whatever the theme. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  g_mutex_lock (&data->document->mutex);
  page = poppler_document_get_page (data->document->document, data->index);
  if (page != NULL)
    {
      poppler_page_get_size (page, &width, &height);
      if (width > 0 && height > 0)
        {
          cairo_scale (cr, data->width / width, data->height / height);
          poppler_page_render (page, cr);
        }
      g_object_unref (page);
    }
  g_mutex_unlock (&data->document->mutex);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  rendered = g_new0 (Rendered, 1);
  rendered->sheet = data->sheet;
  rendered->width = data->width;
  rendered->height = data->height;
  rendered->stride = cairo_image_surface_get_stride (surface);
  /* The surface's own memory, freed with the bytes: no copy. */
  rendered->pixels = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                                 (gsize) rendered->stride * data->height,
                                                 (GDestroyNotify) cairo_surface_destroy,
                                                 surface);
  g_task_return_pointer (task, rendered, (GDestroyNotify) rendered_free);
}

/* --- The page ------------------------------------------------------------------ */

static void
stop_rendering (CarnetCharterPage *self)
{
  if (self->render_cancellable != NULL)
    g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  g_clear_handle_id (&self->update_source, g_source_remove);
  g_clear_pointer (&self->document, charter_document_unref);
  self->render_busy = FALSE;
}

static void
clear_pages (CarnetCharterPage *self)
{
  GtkWidget *child;

  stop_rendering (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_box_remove (self->pages_box, child);
  if (self->sheets != NULL)
    g_array_set_size (self->sheets, 0);
  self->n_pages = 0;
  self->n_document_pages = 0;
  self->rendered_pixels = 0;
  self->n_rendered = 0;
  self->n_renders = 0;
}

static void
clear_error (CarnetCharterPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
  gtk_label_set_text (self->error_label, "");
}

static void
show_error (CarnetCharterPage *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);
}

static void
update_actions (CarnetCharterPage *self)
{
  const char *shown = gtk_stack_get_visible_child_name (self->content_stack);
  gboolean has_document = g_strcmp0 (shown, "pdf") == 0 || g_strcmp0 (shown, "text") == 0;

  /* Accepting what was not shown would not be accepting anything, and
   * without a session it cannot be recorded. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button),
                            (has_document || (self->shown_outside && self->bytes != NULL)) &&
                            !carnet_reauth_get_needed (self->reauth));
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), self->bytes != NULL);
}

static void
set_accepting (CarnetCharterPage *self,
               gboolean           busy)
{
  gtk_label_set_text (self->busy_label,
                      carnet_reauth_get_busy (self->reauth) ? _("Logging in again…")
                                                            : _("Recording your acceptance…"));
  gtk_stack_set_visible_child_name (self->action_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

static void
set_loading (CarnetCharterPage *self,
             gboolean           loading,
             gboolean           preparing)
{
  if (loading)
    {
      const char *text = preparing ? _("Preparing the charter…") : _("Downloading the charter…");
      const char *name = preparing ? _("Preparing the charter") : _("Downloading the charter");

      gtk_label_set_text (self->loading_label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->loading_spinner),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
    }
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, loading, -1);
}

static gboolean
is_preparing (CarnetCharterPage *self)
{
  return self->render_cancellable != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") == 0;
}

static void
show_load_error (CarnetCharterPage *self,
                 const char        *message)
{
  gtk_label_set_text (self->load_error_label, message);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

static void
add_sheet (CarnetCharterPage *self,
           const SheetSize   *size)
{
  g_autoptr(GdkPaintable) blank = gdk_paintable_new_empty (size->width, size->height);
  g_autofree char *label = NULL;
  GtkWidget *picture = gtk_picture_new_for_paintable (blank);
  Sheet sheet = { GTK_PICTURE (picture), size->index, size->width, size->height, FALSE };

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_add_css_class (picture, "card");
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_name (picture, "charter-page-picture");

  /* Translators: the accessible name of a page of the charter, "Page 1 of 3". */
  label = g_strdup_printf (_("Page %u of %u"), (guint) size->index + 1, (guint) self->n_document_pages);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  gtk_box_append (self->pages_box, picture);
  g_array_append_val (self->sheets, sheet);
}

/* Where @sheet is against the view: its distance from the view's middle,
 * and whether it is near (within a screen of the view) or in view. FALSE
 * when it has no place yet. */
static gboolean
sheet_place (CarnetCharterPage *self,
             Sheet             *sheet,
             double            *distance,
             gboolean          *near,
             gboolean          *in_view)
{
  graphene_rect_t bounds;
  double view = gtk_widget_get_height (GTK_WIDGET (self->pdf_scroller));
  double top, bottom;

  if (view <= 0 || !gtk_widget_compute_bounds (GTK_WIDGET (sheet->picture),
                                               GTK_WIDGET (self->pdf_scroller), &bounds))
    return FALSE;

  top = bounds.origin.y;
  bottom = top + bounds.size.height;
  *in_view = bottom >= 0 && top <= view;
  *near = bottom >= -view && top <= 2 * view;
  *distance = fabs ((top + bottom) / 2 - view / 2);

  return TRUE;
}

/* Back to blank, far pages first, while the rendered pages take more than
 * the budget; the pages near the view stay. */
static void
evict_far_sheets (CarnetCharterPage *self)
{
  while (self->rendered_pixels > CARNET_CHARTER_PIXEL_BUDGET)
    {
      Sheet *farthest = NULL;
      double farthest_distance = -1;
      GdkPaintable *blank;

      for (guint i = 0; i < self->sheets->len; i++)
        {
          Sheet *sheet = &g_array_index (self->sheets, Sheet, i);
          double distance;
          gboolean near, in_view;

          if (!sheet->rendered)
            continue;
          /* A page with no place (not laid out yet) goes first. */
          if (!sheet_place (self, sheet, &distance, &near, &in_view))
            {
              distance = G_MAXDOUBLE;
              near = FALSE;
            }
          if (!near && distance > farthest_distance)
            {
              farthest = sheet;
              farthest_distance = distance;
            }
        }

      if (farthest == NULL)
        return;

      blank = gdk_paintable_new_empty (farthest->width, farthest->height);
      gtk_picture_set_paintable (farthest->picture, blank);
      g_clear_object (&blank);
      farthest->rendered = FALSE;
      self->rendered_pixels -= (gsize) farthest->width * farthest->height;
      self->n_rendered--;
    }
}

static void render_sheet (CarnetCharterPage *self,
                          guint              sheet);

static void
show_pdf (CarnetCharterPage *self)
{
  self->n_pages = self->sheets->len;
  set_loading (self, FALSE, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, "pdf");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Rendered *rendered;
  Sheet *sheet;

  rendered = g_task_propagate_pointer (G_TASK (result), &error);
  if (rendered == NULL)
    {
      if (is_cancelled (error))
        return;
      /* Out of memory for one page: it stays blank, the others go on. */
      g_debug ("A page of the charter could not be rendered: %s", error->message);
      self->render_busy = FALSE;
      if (self->n_pages == 0)
        {
          clear_pages (self);
          set_loading (self, FALSE, FALSE);
          show_load_error (self, _("The charter could not be shown here. Open it in the PDF reader to read it, then accept it here."));
        }
      return;
    }

  self->render_busy = FALSE;
  self->n_renders++;
  sheet = &g_array_index (self->sheets, Sheet, rendered->sheet);
  texture = gdk_memory_texture_new (rendered->width, rendered->height,
                                    GDK_MEMORY_DEFAULT, rendered->pixels,
                                    rendered->stride);
  rendered_free (rendered);

  if (!sheet->rendered)
    {
      sheet->rendered = TRUE;
      self->rendered_pixels += (gsize) sheet->width * sheet->height;
      self->n_rendered++;
    }
  gtk_picture_set_paintable (sheet->picture, GDK_PAINTABLE (texture));

  /* The first page is there: the charter shows, the rest follows. */
  if (self->n_pages == 0)
    show_pdf (self);

  evict_far_sheets (self);
  schedule_update (self);
}

static void
render_sheet (CarnetCharterPage *self,
              guint              index)
{
  g_autoptr(GTask) task = NULL;
  Sheet *sheet = &g_array_index (self->sheets, Sheet, index);
  RenderData *data = g_new0 (RenderData, 1);

  data->document = charter_document_ref (self->document);
  data->sheet = index;
  data->index = sheet->index;
  data->width = sheet->width;
  data->height = sheet->height;

  self->render_busy = TRUE;
  task = g_task_new (self, self->render_cancellable, render_cb, NULL);
  g_task_set_source_tag (task, render_sheet);
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);
  g_task_run_in_thread (task, render_thread);
}

/* The next page to render: one in view first, then one near it. */
static gboolean
update_cb (gpointer user_data)
{
  CarnetCharterPage *self = user_data;
  int next_near = -1;

  self->update_source = 0;
  if (self->document == NULL || self->render_busy)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < self->sheets->len; i++)
    {
      Sheet *sheet = &g_array_index (self->sheets, Sheet, i);
      double distance;
      gboolean near, in_view;

      if (sheet->rendered || !sheet_place (self, sheet, &distance, &near, &in_view))
        continue;
      if (in_view)
        {
          render_sheet (self, i);
          return G_SOURCE_REMOVE;
        }
      if (near && next_near < 0)
        next_near = i;
    }

  if (next_near >= 0)
    render_sheet (self, next_near);

  return G_SOURCE_REMOVE;
}

static void
schedule_update (CarnetCharterPage *self)
{
  /* After the layout: the pages' places are known then. */
  if (self->update_source == 0 && self->document != NULL)
    self->update_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_cb, self, NULL);
}

static void
show_text (CarnetCharterPage *self,
           const char        *text)
{
  set_loading (self, FALSE, FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  gtk_stack_set_visible_child_name (self->content_stack, "text");

  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (object);
  g_autoptr(Prepared) prepared = NULL;
  g_autoptr(GError) error = NULL;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  if (is_cancelled (error))
    return;

  if (prepared == NULL)
    {
      g_debug ("The charter cannot be shown (%s): %s",
               self->content_type ? self->content_type : "no type", error->message);
      clear_pages (self);
      set_loading (self, FALSE, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          show_load_error (self, _("The charter is too long to be shown here. Open it in the PDF reader to read it, then accept it here."));
          /* Downloading it again would not make it shorter. */
          gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
          gtk_widget_grab_focus (GTK_WIDGET (self->open_button));
        }
      else
        show_load_error (self, _("The charter could not be shown here. Open it in the PDF reader to read it, then accept it here."));
      return;
    }

  if (prepared->text != NULL)
    {
      g_clear_object (&self->render_cancellable);
      show_text (self, prepared->text);
      return;
    }

  self->document = g_steal_pointer (&prepared->document);
  self->n_document_pages = prepared->n_document_pages;
  for (guint i = 0; i < prepared->sizes->len; i++)
    add_sheet (self, &g_array_index (prepared->sizes, SheetSize, i));

  /* The spinner stays until the first page is there. */
  render_sheet (self, 0);
}

void
carnet_charter_page_show_document (CarnetCharterPage *self,
                                   GBytes            *bytes,
                                   const char        *content_type)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));
  g_return_if_fail (bytes != NULL);

  clear_pages (self);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = g_bytes_ref (bytes);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  carnet_ui_remove_private_file (self->private_path);
  g_clear_pointer (&self->private_path, g_free);

  /* At once: reading and rendering may take a while, never on this thread. */
  set_loading (self, TRUE, TRUE);
  update_actions (self);

  data = g_new0 (PrepareData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->content_type = g_strdup (content_type);

  self->render_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->render_cancellable, prepare_cb, NULL);
  g_task_set_source_tag (task, carnet_charter_page_show_document);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

static void
get_charter_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CarnetCharterPage) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *url = NULL;

  bytes = carnet_ent_client_get_charter_finish (CARNET_ENT_CLIENT (object), result,
                                                &content_type, &url, &error);
  if (is_cancelled (error) || self->cancellable == NULL)
    return;

  g_clear_object (&self->cancellable);

  if (bytes == NULL)
    {
      set_loading (self, FALSE, FALSE);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED) &&
          carnet_ent_error_get_field (error) != CARNET_ENT_FIELD_CHARTER)
        {
          g_signal_emit (self, signals [ACTION_REQUIRED], 0);
          return;
        }
      show_load_error (self, error->message);
      return;
    }

  g_free (self->url);
  self->url = g_steal_pointer (&url);
  carnet_charter_page_show_document (self, bytes, content_type);
}

void
carnet_charter_page_start (CarnetCharterPage *self)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  carnet_charter_page_cancel (self);
  carnet_reauth_reset (self->reauth);
  clear_pages (self);
  clear_error (self);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  carnet_ui_remove_private_file (self->private_path);
  g_clear_pointer (&self->private_path, g_free);
  self->shown_outside = FALSE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);

  if (self->client == NULL)
    return;

  set_loading (self, TRUE, FALSE);
  update_actions (self);

  self->cancellable = g_cancellable_new ();
  carnet_ent_client_get_charter_async (self->client,
                                       self->cancellable,
                                       get_charter_cb,
                                       g_object_ref (self));
}

static void
accept_charter_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CarnetCharterPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_accept_charter_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      if (is_cancelled (error) || self->cancellable == NULL)
        return;

      g_clear_object (&self->cancellable);
      set_accepting (self, FALSE);

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED) &&
          carnet_ent_error_get_field (error) != CARNET_ENT_FIELD_CHARTER)
        {
          g_signal_emit (self, signals [ACTION_REQUIRED], 0);
          return;
        }

      show_error (self, error->message);
      /* The ENT ended the session: the password again, then accept again. */
      if (carnet_reauth_error_matches (error))
        {
          carnet_reauth_prompt (self->reauth, self->client, self->login);
          return;
        }
      gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
      return;
    }

  if (self->cancellable == NULL)
    return;

  g_clear_object (&self->cancellable);
  set_accepting (self, FALSE);
  g_signal_emit (self, signals [ACCEPTED], 0);
}

static void
accept_clicked_cb (CarnetCharterPage *self)
{
  if (self->client == NULL || self->cancellable != NULL ||
      carnet_reauth_get_needed (self->reauth))
    return;

  clear_error (self);
  self->cancellable = g_cancellable_new ();
  set_accepting (self, TRUE);
  carnet_ent_client_accept_charter_async (self->client,
                                          self->cancellable,
                                          accept_charter_cb,
                                          g_object_ref (self));
}

static void
open_clicked_cb (CarnetCharterPage *self)
{
  g_autofree char *uri = NULL;

  if (self->bytes == NULL)
    return;

  /* The viewer gets the bytes already downloaded, from a private file, not
   * the ENT's address (which needs the session: a browser shows « cannot
   * display the link »). The file goes with the page. */
  if (self->private_path == NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean text = self->content_type != NULL && g_str_has_prefix (self->content_type, "text/");

      self->private_path = carnet_ui_write_private_file (self->bytes,
                                                         text ? _("charter.txt") : _("charter.pdf"),
                                                         &error);
      if (self->private_path == NULL)
        {
          g_debug ("The charter could not be written: %s", error->message);
          show_error (self, _("The charter could not be handed to the PDF reader."));
          return;
        }
    }

  uri = g_filename_to_uri (self->private_path, NULL, NULL);
  if (uri != NULL)
    {
      carnet_ui_show_uri (GTK_WIDGET (self), uri);
      /* Read in the viewer when Carnet could not show it: it can be
       * accepted now, rather than leaving the parent with no way on. */
      if (!self->shown_outside)
        {
          self->shown_outside = TRUE;
          update_actions (self);
        }
    }
}

static void
retry_clicked_cb (CarnetCharterPage *self)
{
  carnet_charter_page_start (self);
}

static void
cancel_clicked_cb (CarnetCharterPage *self)
{
  gboolean loading = g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "loading") == 0;

  carnet_charter_page_cancel (self);
  if (loading)
    show_load_error (self, _("The download of the charter was cancelled."));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
}

void
carnet_charter_page_cancel (CarnetCharterPage *self)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  /* Logging in again: stopped, "Log in again" offered instead. */
  carnet_reauth_cancel (self->reauth);
  /* A charter being read stops too; once shown, its pages keep coming. */
  if (is_preparing (self))
    {
      clear_pages (self);
      set_loading (self, FALSE, FALSE);
    }
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
  set_accepting (self, FALSE);
}

void
carnet_charter_page_set_account (CarnetCharterPage *self,
                                 CarnetEntClient   *client,
                                 const char        *login)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  g_free (self->login);
  self->login = g_strdup (login);
  if (self->client == client)
    return;

  carnet_charter_page_cancel (self);
  carnet_reauth_reset (self->reauth);
  g_set_object (&self->client, client);
}

/* --- The session ended: the password again ------------------------------------ */

static void
reauth_notify_cb (CarnetCharterPage *self)
{
  set_accepting (self, carnet_reauth_get_busy (self->reauth) || self->cancellable != NULL);
  update_actions (self);
}

static void
reauth_logged_in_cb (CarnetCharterPage *self)
{
  /* What the expired session interrupted. */
  clear_error (self);
  accept_clicked_cb (self);
}

static void
reauth_failed_cb (CarnetCharterPage *self,
                  const GError      *error)
{
  show_error (self, error->message);
}

void
carnet_charter_page_set_read_only (CarnetCharterPage *self,
                                   gboolean           read_only)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->accept_button), !read_only);
}

guint
carnet_charter_page_get_n_pages (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return self->n_pages;
}

guint
carnet_charter_page_get_n_renders (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return self->n_renders;
}

guint
carnet_charter_page_get_n_rendered (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return self->n_rendered;
}

gsize
carnet_charter_page_get_rendered_pixels (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return self->rendered_pixels;
}

gboolean
carnet_charter_page_get_preparing (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), FALSE);

  return is_preparing (self);
}

gboolean
carnet_charter_page_get_rendering (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), FALSE);

  return self->render_busy || self->update_source != 0;
}

void
carnet_charter_page_scroll_to_page (CarnetCharterPage *self,
                                    guint              index)
{
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  Sheet *sheet;

  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  if (self->sheets == NULL || index >= self->sheets->len)
    return;

  sheet = &g_array_index (self->sheets, Sheet, index);
  adjustment = gtk_scrolled_window_get_vadjustment (self->pdf_scroller);
  if (gtk_widget_compute_bounds (GTK_WIDGET (sheet->picture), GTK_WIDGET (self->pdf_scroller), &bounds))
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + bounds.origin.y);
}

static gboolean
carnet_charter_page_grab_focus (GtkWidget *widget)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (widget);

  if (gtk_widget_is_sensitive (GTK_WIDGET (self->accept_button)))
    return gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));

  return GTK_WIDGET_CLASS (carnet_charter_page_parent_class)->grab_focus (widget);
}

static void
carnet_charter_page_dispose (GObject *object)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_rendering (self);
  g_array_set_size (self->sheets, 0);
  g_clear_object (&self->client);
  carnet_reauth_reset (self->reauth);
  carnet_ui_remove_private_file (self->private_path);
  g_clear_pointer (&self->private_path, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_CHARTER_PAGE);

  G_OBJECT_CLASS (carnet_charter_page_parent_class)->dispose (object);
}

static void
carnet_charter_page_finalize (GObject *object)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (object);

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_object (&self->reauth);
  g_clear_pointer (&self->sheets, g_array_unref);

  G_OBJECT_CLASS (carnet_charter_page_parent_class)->finalize (object);
}

static void
carnet_charter_page_class_init (CarnetCharterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_charter_page_dispose;
  object_class->finalize = carnet_charter_page_finalize;

  widget_class->grab_focus = carnet_charter_page_grab_focus;

  signals [ACCEPTED] =
    g_signal_new ("accepted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals [ACTION_REQUIRED] =
    g_signal_new ("action-required",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-charter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, load_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, pdf_scroller);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, pages_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, text_view);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, accept_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
carnet_charter_page_init (CarnetCharterPage *self)
{
  /* Before the template: its signals may ask whether it is needed. */
  GtkAdjustment *adjustment;

  self->reauth = carnet_reauth_new (GTK_WIDGET (self));
  self->sheets = g_array_new (FALSE, FALSE, sizeof (Sheet));
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Pages come near the view as it scrolls or grows. */
  adjustment = gtk_scrolled_window_get_vadjustment (self->pdf_scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);

  carnet_reauth_add_button (self->reauth, self->error_box);
  g_signal_connect_object (self->reauth, "notify", G_CALLBACK (reauth_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "logged-in", G_CALLBACK (reauth_logged_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "failed", G_CALLBACK (reauth_failed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}
