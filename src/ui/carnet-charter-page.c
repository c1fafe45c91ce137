/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-charter-page.h"
#include "carnet-charter-page-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-busy-actions.h"
#include "carnet-charter-view.h"
#include "carnet-reauth.h"
#include "carnet-ui-private.h"


struct _CarnetCharterPage
{
  GtkWidget          parent_instance;

  GtkStack          *content_stack;
  GtkSpinner        *loading_spinner;
  GtkLabel          *loading_label;
  GtkLabel          *load_error_label;
  GtkButton         *retry_button;
  CarnetCharterView *view;
  GtkTextView       *text_view;
  GtkBox            *error_box;
  GtkLabel          *error_label;
  CarnetBusyActions *busy_actions;
  GtkButton         *open_button;
  GtkButton         *accept_button;

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
};

/* The types its template names, registered with it (GtkBuilder finds
 * types by name). */
G_DEFINE_FINAL_TYPE_WITH_CODE (CarnetCharterPage, carnet_charter_page, GTK_TYPE_WIDGET,
                               g_type_ensure (CARNET_TYPE_BUSY_ACTIONS);
                               g_type_ensure (CARNET_TYPE_CHARTER_VIEW))

enum {
  ACCEPTED,
  ACTION_REQUIRED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
clear_pages (CarnetCharterPage *self)
{
  carnet_charter_view_clear (self->view);
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
  carnet_busy_actions_set_text (self->busy_actions,
                                carnet_reauth_get_busy (self->reauth) ? _("Logging in again…")
                                                                      : _("Recording your acceptance…"));
  carnet_busy_actions_set_busy (self->busy_actions, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);
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
  return carnet_charter_view_get_loading (self->view) &&
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
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CarnetCharterPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!carnet_charter_view_load_finish (CARNET_CHARTER_VIEW (object), result, &text, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("The charter cannot be shown (%s): %s",
               self->content_type ? self->content_type : "no type", error->message);
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

  if (text != NULL)
    {
      show_text (self, text);
      return;
    }

  /* The first page is there: the charter shows, the rest follows. */
  set_loading (self, FALSE, FALSE);
  gtk_stack_set_visible_child_name (self->content_stack, "pdf");
  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
}

void
carnet_charter_page_show_document (CarnetCharterPage *self,
                                   GBytes            *bytes,
                                   const char        *content_type)
{
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

  carnet_charter_view_load_async (self->view, bytes, content_type, load_cb, g_object_ref (self));
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
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
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
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
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

  return carnet_charter_view_get_n_pages (self->view);
}

guint
carnet_charter_page_get_n_renders (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return carnet_charter_view_get_n_renders (self->view);
}

guint
carnet_charter_page_get_n_rendered (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return carnet_charter_view_get_n_rendered (self->view);
}

gsize
carnet_charter_page_get_rendered_pixels (CarnetCharterPage *self)
{
  g_return_val_if_fail (CARNET_IS_CHARTER_PAGE (self), 0);

  return carnet_charter_view_get_rendered_pixels (self->view);
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

  return carnet_charter_view_get_rendering (self->view);
}

void
carnet_charter_page_scroll_to_page (CarnetCharterPage *self,
                                    guint              index)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  carnet_charter_view_scroll_to_page (self->view, index);
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
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, load_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, view);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, text_view);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, busy_actions);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetCharterPage, accept_button);
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
