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
  CarnetStepPage     parent_instance;

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

  /* The call under way is the download (its spinner is in the content),
   * not the acceptance (CarnetBusyActions). */
  gboolean           downloading;
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
G_DEFINE_FINAL_TYPE_WITH_CODE (CarnetCharterPage, carnet_charter_page, CARNET_TYPE_STEP_PAGE,
                               g_type_ensure (CARNET_TYPE_BUSY_ACTIONS);
                               g_type_ensure (CARNET_TYPE_CHARTER_VIEW))

enum {
  ACCEPTED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define STEP(self) (CARNET_STEP_PAGE (self))

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
                            !carnet_reauth_get_needed (carnet_step_page_get_reauth (STEP (self))));
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), self->bytes != NULL);
}

/* A call (the download or the acceptance) or the login again starts or
 * ends; the page's busy state is CarnetStepPage's. */
static void
carnet_charter_page_update_busy (CarnetStepPage *step,
                                 gboolean        busy)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (step);
  CarnetReauth *reauth = carnet_step_page_get_reauth (step);

  carnet_busy_actions_set_text (self->busy_actions,
                                carnet_reauth_get_busy (reauth) ? _("Logging in again…")
                                                                : _("Recording your acceptance…"));
  carnet_busy_actions_set_busy (self->busy_actions, busy && !self->downloading);
  update_actions (self);
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
  if (!carnet_step_page_end_call (STEP (self), error))
    return;

  self->downloading = FALSE;
  if (bytes == NULL)
    {
      set_loading (self, FALSE, FALSE);
      if (carnet_step_page_action_required (STEP (self), error, CARNET_ENT_FIELD_CHARTER))
        return;
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
  GCancellable *cancellable;

  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  /* Cancels, forgets the login again and the last charter. */
  carnet_step_page_clear (STEP (self));
  if (!carnet_step_page_can_call (STEP (self)))
    return;

  set_loading (self, TRUE, FALSE);
  update_actions (self);

  self->downloading = TRUE;
  cancellable = carnet_step_page_begin_call (STEP (self));
  carnet_ent_client_get_charter_async (carnet_step_page_get_client (STEP (self)),
                                       cancellable,
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

  carnet_ent_client_accept_charter_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (!carnet_step_page_end_call (STEP (self), error))
    return;

  if (error != NULL)
    {
      if (carnet_step_page_action_required (STEP (self), error, CARNET_ENT_FIELD_CHARTER))
        return;

      show_error (self, error->message);
      /* The ENT ended the session: the password again, then accept again. */
      if (carnet_step_page_prompt_reauth (STEP (self), error))
        return;
      gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
      return;
    }

  carnet_step_page_emit_done (STEP (self));
}

static void
accept_clicked_cb (CarnetCharterPage *self)
{
  GCancellable *cancellable;

  if (!carnet_step_page_can_call (STEP (self)))
    return;

  clear_error (self);
  cancellable = carnet_step_page_begin_call (STEP (self));
  carnet_ent_client_accept_charter_async (carnet_step_page_get_client (STEP (self)),
                                          cancellable,
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

/* The charter's download and reading stop (the call itself is
 * CarnetStepPage's). */
static void
stop_loading (CarnetCharterPage *self)
{
  /* A charter being read stops too; once shown, its pages keep coming. */
  if (is_preparing (self))
    {
      clear_pages (self);
      set_loading (self, FALSE, FALSE);
    }
  if (self->downloading)
    {
      self->downloading = FALSE;
      gtk_spinner_set_spinning (self->loading_spinner, FALSE);
    }
}

void
carnet_charter_page_cancel (CarnetCharterPage *self)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));

  stop_loading (self);
  /* Logging in again: stopped, "Log in again" offered instead. */
  carnet_step_page_cancel (STEP (self));
}

/* After the call under way was cancelled: the charter downloaded, shown
 * and handed to the viewer is forgotten. */
static void
carnet_charter_page_real_clear (CarnetStepPage *step)
{
  CarnetCharterPage *self = CARNET_CHARTER_PAGE (step);

  stop_loading (self);
  clear_pages (self);
  clear_error (self);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  carnet_ui_remove_private_file (self->private_path);
  g_clear_pointer (&self->private_path, g_free);
  self->shown_outside = FALSE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  update_actions (self);
}

void
carnet_charter_page_set_account (CarnetCharterPage *self,
                                 CarnetEntClient   *client,
                                 const char        *login)
{
  g_return_if_fail (CARNET_IS_CHARTER_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  /* Another session: what was under way for the last one stops. */
  if (client != carnet_step_page_get_client (STEP (self)))
    carnet_charter_page_cancel (self);
  carnet_step_page_set_account (STEP (self), client, login);
}

/* --- The session ended: the password again ------------------------------------ */

static void
carnet_charter_page_retry (CarnetStepPage *step,
                           const char     *password)
{
  /* What the expired session interrupted. */
  clear_error (CARNET_CHARTER_PAGE (step));
  accept_clicked_cb (CARNET_CHARTER_PAGE (step));
}

static void
carnet_charter_page_show_failed (CarnetStepPage *step,
                                 const GError   *error)
{
  show_error (CARNET_CHARTER_PAGE (step), error->message);
}

static void
carnet_charter_page_done (CarnetStepPage *step)
{
  g_signal_emit (step, signals [ACCEPTED], 0);
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

  G_OBJECT_CLASS (carnet_charter_page_parent_class)->finalize (object);
}

static void
carnet_charter_page_class_init (CarnetCharterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CarnetStepPageClass *step_class = CARNET_STEP_PAGE_CLASS (klass);

  object_class->dispose = carnet_charter_page_dispose;
  object_class->finalize = carnet_charter_page_finalize;

  widget_class->grab_focus = carnet_charter_page_grab_focus;

  step_class->done = carnet_charter_page_done;
  step_class->update_busy = carnet_charter_page_update_busy;
  step_class->retry = carnet_charter_page_retry;
  step_class->show_failed = carnet_charter_page_show_failed;
  step_class->clear = carnet_charter_page_real_clear;

  /* With CarnetStepPage's done. */
  signals [ACCEPTED] =
    g_signal_new ("accepted",
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
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_reauth_add_button (carnet_step_page_get_reauth (STEP (self)), self->error_box);
  update_actions (self);
}
