/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-charter-view.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <poppler.h>

#include "carnet-charter-page-private.h"
#include "carnet-charter-text.h"
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

struct _CarnetCharterView
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkBox            *pages_box;

  /* The load under way, until the first page shows. */
  GTask             *load_task;
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

G_DEFINE_FINAL_TYPE (CarnetCharterView, carnet_charter_view, GTK_TYPE_WIDGET)

static void schedule_update (CarnetCharterView *self);
static void finish_load     (CarnetCharterView *self,
                             char              *text,
                             GError            *error);

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
      prepared->text = carnet_charter_break_long_paragraphs (text);
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


/* --- The view ------------------------------------------------------------------ */

static void
stop_rendering (CarnetCharterView *self)
{
  if (self->render_cancellable != NULL)
    g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  g_clear_handle_id (&self->update_source, g_source_remove);
  g_clear_pointer (&self->document, charter_document_unref);
  self->render_busy = FALSE;
}

static void
clear_pages (CarnetCharterView *self)
{
  GtkWidget *child;

  stop_rendering (self);
  if (self->load_task != NULL)
    finish_load (self, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          "The charter was dropped"));
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
add_sheet (CarnetCharterView *self,
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
sheet_place (CarnetCharterView *self,
             Sheet             *sheet,
             double            *distance,
             gboolean          *near,
             gboolean          *in_view)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  graphene_rect_t bounds;
  double view = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  double top, bottom;

  /* Where the page is in the scrolled content (which scrolling does not
   * move), less where the adjustment is now: right as soon as the parent
   * scrolls, before the layout that follows has placed the pages. Their
   * place on the screen would still be the one before the scroll, and a
   * jump (End, Page Down, the scroll bar) would leave the pages it shows
   * blank. */
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (view <= 0 || content == NULL ||
      !gtk_widget_compute_bounds (GTK_WIDGET (sheet->picture), content, &bounds))
    return FALSE;

  top = bounds.origin.y - gtk_adjustment_get_value (adjustment);
  bottom = top + bounds.size.height;
  *in_view = bottom >= 0 && top <= view;
  *near = bottom >= -view && top <= 2 * view;
  *distance = fabs ((top + bottom) / 2 - view / 2);

  return TRUE;
}

/* Back to blank, far pages first, while the rendered pages take more than
 * the budget; the pages near the view stay. */
static void
evict_far_sheets (CarnetCharterView *self)
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

static void render_sheet (CarnetCharterView *self,
                          guint              sheet);

/* The load ends: @error NULL when the first page of the PDF shows, or
 * the text of a text charter in @text. */
static void
finish_load (CarnetCharterView *self,
             char              *text,
             GError            *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->load_task);

  if (task == NULL)
    {
      g_free (text);
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CarnetCharterView *self = CARNET_CHARTER_VIEW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Rendered *rendered;
  Sheet *sheet;

  rendered = g_task_propagate_pointer (G_TASK (result), &error);
  if (rendered == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Out of memory for one page: it stays blank, the others go on. */
      g_debug ("A page of the charter could not be rendered: %s", error->message);
      self->render_busy = FALSE;
      if (self->n_pages == 0)
        {
          GTask *task = g_steal_pointer (&self->load_task);

          /* The document goes, the load ends with why. */
          clear_pages (self);
          self->load_task = task;
          finish_load (self, NULL, g_steal_pointer (&error));
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
    {
      self->n_pages = self->sheets->len;
      finish_load (self, NULL, NULL);
    }

  evict_far_sheets (self);
  schedule_update (self);
}

static void
render_sheet (CarnetCharterView *self,
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
  CarnetCharterView *self = user_data;
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
schedule_update (CarnetCharterView *self)
{
  /* After the layout: the pages' places are known then. */
  if (self->update_source == 0 && self->document != NULL)
    self->update_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_cb, self, NULL);
}


static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CarnetCharterView *self = CARNET_CHARTER_VIEW (object);
  g_autoptr(Prepared) prepared = NULL;
  g_autoptr(GError) error = NULL;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (prepared == NULL)
    {
      GTask *task = g_steal_pointer (&self->load_task);

      clear_pages (self);
      self->load_task = task;
      finish_load (self, NULL, g_steal_pointer (&error));
      return;
    }

  if (prepared->text != NULL)
    {
      g_clear_object (&self->render_cancellable);
      finish_load (self, g_steal_pointer (&prepared->text), NULL);
      return;
    }

  self->document = g_steal_pointer (&prepared->document);
  self->n_document_pages = prepared->n_document_pages;
  for (guint i = 0; i < prepared->sizes->len; i++)
    add_sheet (self, &g_array_index (prepared->sizes, SheetSize, i));

  /* The load ends when the first page is there. */
  render_sheet (self, 0);
}

void
carnet_charter_view_load_async (CarnetCharterView   *self,
                                GBytes              *bytes,
                                const char          *content_type,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  g_return_if_fail (CARNET_IS_CHARTER_VIEW (self));
  g_return_if_fail (bytes != NULL);

  clear_pages (self);

  self->render_cancellable = g_cancellable_new ();
  self->load_task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->load_task, carnet_charter_view_load_async);

  data = g_new0 (PrepareData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->content_type = g_strdup (content_type);

  /* Reading and rendering may take a while, never on this thread. */
  task = g_task_new (self, self->render_cancellable, prepare_cb, NULL);
  g_task_set_source_tag (task, carnet_charter_view_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

gboolean
carnet_charter_view_load_finish (CarnetCharterView  *self,
                                 GAsyncResult       *result,
                                 char              **text,
                                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  char *found;

  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (text != NULL)
    *text = found;
  else
    g_free (found);

  return TRUE;
}

void
carnet_charter_view_clear (CarnetCharterView *self)
{
  g_return_if_fail (CARNET_IS_CHARTER_VIEW (self));

  clear_pages (self);
}

gboolean
carnet_charter_view_get_loading (CarnetCharterView *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), FALSE);

  return self->load_task != NULL;
}

guint
carnet_charter_view_get_n_pages (CarnetCharterView *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), 0);

  return self->n_pages;
}

guint
carnet_charter_view_get_n_renders (CarnetCharterView *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), 0);

  return self->n_renders;
}

guint
carnet_charter_view_get_n_rendered (CarnetCharterView *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), 0);

  return self->n_rendered;
}

gsize
carnet_charter_view_get_rendered_pixels (CarnetCharterView *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), 0);

  return self->rendered_pixels;
}

gboolean
carnet_charter_view_get_rendering (CarnetCharterView *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_VIEW (self), FALSE);

  return self->render_busy || self->update_source != 0;
}

void
carnet_charter_view_scroll_to_page (CarnetCharterView *self,
                                    guint              index)
{
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  Sheet *sheet;

  g_return_if_fail (CARNET_IS_CHARTER_VIEW (self));

  if (self->sheets == NULL || index >= self->sheets->len)
    return;

  sheet = &g_array_index (self->sheets, Sheet, index);
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  if (gtk_widget_compute_bounds (GTK_WIDGET (sheet->picture), GTK_WIDGET (self->scroller), &bounds))
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + bounds.origin.y);
}

static void
carnet_charter_view_dispose (GObject *object)
{
  CarnetCharterView *self = CARNET_CHARTER_VIEW (object);

  stop_rendering (self);
  if (self->load_task != NULL)
    finish_load (self, NULL, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          "The charter was dropped"));
  if (self->sheets != NULL)
    g_array_set_size (self->sheets, 0);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_CHARTER_VIEW);

  G_OBJECT_CLASS (carnet_charter_view_parent_class)->dispose (object);
}

static void
carnet_charter_view_finalize (GObject *object)
{
  CarnetCharterView *self = CARNET_CHARTER_VIEW (object);

  g_clear_pointer (&self->sheets, g_array_unref);

  G_OBJECT_CLASS (carnet_charter_view_parent_class)->finalize (object);
}

static void
carnet_charter_view_class_init (CarnetCharterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_charter_view_dispose;
  object_class->finalize = carnet_charter_view_finalize;

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-charter-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterView, scroller);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterView, pages_box);
}

static void
carnet_charter_view_init (CarnetCharterView *self)
{
  GtkAdjustment *adjustment;

  self->sheets = g_array_new (FALSE, FALSE, sizeof (Sheet));
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Pages come near the view as it scrolls or grows. */
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
}
