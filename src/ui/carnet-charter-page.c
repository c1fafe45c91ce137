/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-charter-page.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <poppler.h>

#include "carnet-reauth.h"
#include "carnet-ui-private.h"

/* Pixels across a rendered page: sharp at the clamp's readable width. */
#define RENDER_WIDTH 1100

struct _CarnetCharterPage
{
  GtkWidget          parent_instance;

  GtkStack          *content_stack;
  GtkSpinner        *loading_spinner;
  GtkLabel          *load_error_label;
  GtkButton         *retry_button;
  GtkBox            *pages_box;
  GtkLabel          *text_label;
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
  guint              n_pages;
};

G_DEFINE_FINAL_TYPE (CarnetCharterPage, carnet_charter_page, GTK_TYPE_WIDGET)

enum {
  ACCEPTED,
  ACTION_REQUIRED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
clear_pages (CarnetCharterPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_box_remove (self->pages_box, child);
  self->n_pages = 0;
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
                            has_document && !carnet_reauth_get_needed (self->reauth));
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

static GtkWidget *
render_page (PopplerPage *page,
             guint        number,
             guint        count)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *label = NULL;
  cairo_surface_t *surface;
  GtkWidget *picture;
  double width, height, scale;
  int pixel_width, pixel_height;
  cairo_t *cr;

  poppler_page_get_size (page, &width, &height);
  if (width <= 0 || height <= 0)
    return NULL;

  scale = RENDER_WIDTH / width;
  pixel_width = RENDER_WIDTH;
  pixel_height = (int) ceil (height * scale);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixel_width, pixel_height);
  cr = cairo_create (surface);
  /* PDF pages are paper: white under the text whatever the theme. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * pixel_height);
  texture = gdk_memory_texture_new (pixel_width, pixel_height,
                                    GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);

  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_add_css_class (picture, "card");
  gtk_widget_set_overflow (picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_name (picture, "charter-page-picture");

  /* Translators: the accessible name of a page of the charter, "Page 1 of 3". */
  label = g_strdup_printf (_("Page %u of %u"), number, count);
  gtk_picture_set_alternative_text (GTK_PICTURE (picture), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  return picture;
}

static gboolean
show_pdf (CarnetCharterPage *self,
          GBytes            *bytes,
          GError           **error)
{
  PopplerDocument *document;
  int count;

  /* poppler-glib 22.02 has no g_autoptr() for its types. */
  document = poppler_document_new_from_bytes (bytes, NULL, error);
  if (document == NULL)
    return FALSE;

  count = poppler_document_get_n_pages (document);
  for (int i = 0; i < count; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      GtkWidget *picture = page ? render_page (page, i + 1, count) : NULL;

      g_clear_object (&page);
      if (picture != NULL)
        {
          gtk_box_append (self->pages_box, picture);
          self->n_pages++;
        }
    }
  g_object_unref (document);

  if (self->n_pages == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "empty PDF");
      return FALSE;
    }

  gtk_stack_set_visible_child_name (self->content_stack, "pdf");

  return TRUE;
}

static char *
text_from_html (const char *html)
{
  g_autoptr(GRegex) blocks = g_regex_new ("<(script|style)[^>]*>.*?</\\1>", G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) breaks = g_regex_new ("<(br|/p|/div|/h[1-6]|/li)[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) tags = g_regex_new ("<[^>]*>", G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) blank = g_regex_new ("\n[ \t\r\n]*\n", 0, 0, NULL);
  g_autofree char *a = g_regex_replace_literal (blocks, html, -1, 0, "", 0, NULL);
  g_autofree char *b = g_regex_replace_literal (breaks, a, -1, 0, "\n", 0, NULL);
  g_autofree char *c = g_regex_replace_literal (tags, b, -1, 0, "", 0, NULL);
  g_autofree char *d = g_regex_replace_literal (blank, c, -1, 0, "\n\n", 0, NULL);
  GString *s = g_string_new (d);

  g_string_replace (s, "&nbsp;", " ", 0);
  g_string_replace (s, "&lt;", "<", 0);
  g_string_replace (s, "&gt;", ">", 0);
  g_string_replace (s, "&quot;", "\"", 0);
  g_string_replace (s, "&#39;", "'", 0);
  g_string_replace (s, "&amp;", "&", 0);

  return g_strstrip (g_string_free (s, FALSE));
}

static void
show_text (CarnetCharterPage *self,
           GBytes            *bytes,
           const char        *content_type)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *raw = g_utf8_make_valid (data ? data : "", length);
  g_autofree char *text = NULL;

  if (content_type != NULL && strstr (content_type, "html") != NULL)
    text = text_from_html (raw);
  else
    text = g_strdup (g_strstrip (raw));

  gtk_label_set_text (self->text_label, text);
  gtk_stack_set_visible_child_name (self->content_stack, "text");
}

static void
show_load_error (CarnetCharterPage *self,
                 const char        *message)
{
  gtk_label_set_text (self->load_error_label, message);
  gtk_stack_set_visible_child_name (self->content_stack, "error");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
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
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, FALSE, -1);

  if (bytes == NULL)
    {
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
  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = g_bytes_ref (bytes);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  carnet_ui_remove_private_file (self->private_path);
  g_clear_pointer (&self->private_path, g_free);

  if (content_type != NULL && g_str_has_prefix (content_type, "text/"))
    show_text (self, bytes, content_type);
  else
    {
      g_autoptr(GError) pdf_error = NULL;

      if (!show_pdf (self, bytes, &pdf_error))
        {
          g_debug ("The charter is not a readable PDF (%s): %s",
                   content_type ? content_type : "no type", pdf_error->message);
          clear_pages (self);
          show_load_error (self, _("The charter could not be shown here. Open it in the PDF reader to read it."));
          return;
        }
    }

  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
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
  gtk_label_set_text (self->text_label, "");

  if (self->client == NULL)
    return;

  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  gtk_spinner_set_spinning (self->loading_spinner, TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);
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
    carnet_ui_show_uri (GTK_WIDGET (self), uri);
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
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, load_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, pages_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, text_label);
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
  self->reauth = carnet_reauth_new (GTK_WIDGET (self));
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_reauth_add_button (self->reauth, self->error_box);
  g_signal_connect_object (self->reauth, "notify", G_CALLBACK (reauth_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "logged-in", G_CALLBACK (reauth_logged_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "failed", G_CALLBACK (reauth_failed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}
