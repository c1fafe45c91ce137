/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-password-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-ent-client-private.h"
#include "carnet-new-password-group.h"
#include "carnet-reauth.h"
#include "carnet-ui-private.h"

struct _CarnetPasswordPage
{
  GtkWidget               parent_instance;

  AdwPasswordEntryRow    *current_row;
  CarnetNewPasswordGroup *password_group;
  GtkBox                 *error_box;
  GtkLabel               *error_label;
  GtkStack               *action_stack;
  GtkButton              *change_button;
  GtkSpinner             *spinner;
  GtkLabel               *busy_label;
  GtkButton              *cancel_button;

  CarnetEntClient        *client;
  char                   *login;
  GCancellable           *cancellable;
  CarnetReauth           *reauth;
};

G_DEFINE_FINAL_TYPE (CarnetPasswordPage, carnet_password_page, GTK_TYPE_WIDGET)

enum {
  CHANGED,
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

static gboolean
can_submit (CarnetPasswordPage *self)
{
  return self->client != NULL && self->login != NULL && self->cancellable == NULL &&
         !carnet_reauth_get_needed (self->reauth) &&
         *gtk_editable_get_text (GTK_EDITABLE (self->current_row)) != '\0' &&
         carnet_new_password_group_get_valid (self->password_group);
}

static void
update_change_cb (CarnetPasswordPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_button), can_submit (self));
}

static void
set_busy (CarnetPasswordPage *self,
          gboolean            busy)
{
  gtk_label_set_text (self->busy_label,
                      carnet_reauth_get_busy (self->reauth) ? _("Logging in again…")
                                                            : _("Changing the password…"));
  gtk_stack_set_visible_child_name (self->action_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  /* Insensitive but never cleared: what was typed stays. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->current_row), !busy);
  carnet_new_password_group_set_editable (self->password_group, !busy);
  update_change_cb (self);
}

static void
clear_error (CarnetPasswordPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->current_row), "error");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->current_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  carnet_new_password_group_set_error (self->password_group, FALSE, NULL);
}

static void
show_error (CarnetPasswordPage *self,
            const GError       *error)
{
  CarnetEntField field = carnet_ent_error_get_field (error);

  clear_error (self);
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);

  /* The ENT ended the session: the password again, then the change again. */
  if (carnet_reauth_error_matches (error))
    {
      carnet_reauth_prompt (self->reauth, self->client, self->login);
      return;
    }

  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS) ||
      field == CARNET_ENT_FIELD_PASSWORD)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->current_row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->current_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                      -1);
      gtk_widget_grab_focus (GTK_WIDGET (self->current_row));
      gtk_editable_select_region (GTK_EDITABLE (self->current_row), 0, -1);
    }
  else if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY) ||
           field == CARNET_ENT_FIELD_NEW_PASSWORD)
    carnet_new_password_group_set_error (self->password_group, FALSE, error->message);
  else if (field == CARNET_ENT_FIELD_CONFIRM_PASSWORD)
    carnet_new_password_group_set_error (self->password_group, TRUE, error->message);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->change_button));
}

static void
change_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CarnetPasswordPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_force_change_password_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      if (is_cancelled (error) || self->cancellable == NULL)
        return;

      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED) &&
          carnet_ent_error_get_field (error) != CARNET_ENT_FIELD_NEW_PASSWORD)
        {
          g_signal_emit (self, signals [ACTION_REQUIRED], 0);
          return;
        }

      show_error (self, error);
      return;
    }

  if (self->cancellable == NULL)
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  /* A remembered password follows the change. */
  carnet_ui_update_stored_password (carnet_ent_client_get_host (self->client), self->login,
                                    carnet_new_password_group_get_password (self->password_group));
  /* The passwords have done their work: they must not stay in widgets. */
  carnet_password_page_clear (self);
  g_signal_emit (self, signals [CHANGED], 0);
}

/* @current: the current password, as the ENT must check it. */
static void
submit (CarnetPasswordPage *self,
        const char         *current)
{
  const char *password;

  if (!can_submit (self))
    return;

  clear_error (self);
  password = carnet_new_password_group_get_password (self->password_group);

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  /* The forced change goes through the ENT's reset, which ends the
   * session; the client then logs in again with the new password. */
  carnet_ent_client_force_change_password_async (self->client,
                                                 self->login,
                                                 current,
                                                 password,
                                                 password,
                                                 self->cancellable,
                                                 change_password_cb,
                                                 g_object_ref (self));
}

static void
change_clicked_cb (CarnetPasswordPage *self)
{
  submit (self, gtk_editable_get_text (GTK_EDITABLE (self->current_row)));
}

static void
current_activated_cb (CarnetPasswordPage *self)
{
  if (can_submit (self))
    change_clicked_cb (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_group));
}

static void
current_changed_cb (CarnetPasswordPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->current_row), "error");
  update_change_cb (self);
}

static void
cancel_clicked_cb (CarnetPasswordPage *self)
{
  carnet_password_page_cancel (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->change_button));
}

void
carnet_password_page_cancel (CarnetPasswordPage *self)
{
  g_return_if_fail (CARNET_IS_PASSWORD_PAGE (self));

  /* Logging in again: stopped, "Log in again" offered instead. */
  carnet_reauth_cancel (self->reauth);
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

void
carnet_password_page_clear (CarnetPasswordPage *self)
{
  g_return_if_fail (CARNET_IS_PASSWORD_PAGE (self));

  carnet_password_page_cancel (self);
  carnet_reauth_reset (self->reauth);
  clear_error (self);
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), "");
  carnet_new_password_group_clear (self->password_group);
  update_change_cb (self);
}

void
carnet_password_page_set_account (CarnetPasswordPage *self,
                                  CarnetEntClient    *client,
                                  const char         *login)
{
  g_return_if_fail (CARNET_IS_PASSWORD_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  carnet_password_page_clear (self);
  g_set_object (&self->client, client);
  g_free (self->login);
  self->login = g_strdup (login);

  carnet_new_password_group_set_context (self->password_group,
                                         client ? carnet_ent_client_get_cached_context (client) : NULL,
                                         FALSE);
  update_change_cb (self);
}

/* --- The session ended: the password again ------------------------------------ */

static void
reauth_notify_cb (CarnetPasswordPage *self)
{
  set_busy (self, carnet_reauth_get_busy (self->reauth) || self->cancellable != NULL);
}

static void
reauth_logged_in_cb (CarnetPasswordPage *self,
                     const char         *password)
{
  /* The ENT checks the current password of a change as it checks a login's:
   * the one it has just accepted is the current one, even if the field
   * (kept as typed) says otherwise; another would only be refused, and
   * count towards a ban. */
  submit (self, password);
}

static void
reauth_failed_cb (CarnetPasswordPage *self,
                  const GError       *error)
{
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);
}

static gboolean
carnet_password_page_grab_focus (GtkWidget *widget)
{
  CarnetPasswordPage *self = CARNET_PASSWORD_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->current_row));
}

static void
carnet_password_page_dispose (GObject *object)
{
  CarnetPasswordPage *self = CARNET_PASSWORD_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  carnet_reauth_reset (self->reauth);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_PASSWORD_PAGE);

  G_OBJECT_CLASS (carnet_password_page_parent_class)->dispose (object);
}

static void
carnet_password_page_finalize (GObject *object)
{
  CarnetPasswordPage *self = CARNET_PASSWORD_PAGE (object);

  g_clear_pointer (&self->login, g_free);
  g_clear_object (&self->reauth);

  G_OBJECT_CLASS (carnet_password_page_parent_class)->finalize (object);
}

static void
carnet_password_page_class_init (CarnetPasswordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_password_page_dispose;
  object_class->finalize = carnet_password_page_finalize;

  widget_class->grab_focus = carnet_password_page_grab_focus;

  signals [CHANGED] =
    g_signal_new ("changed",
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

  g_type_ensure (CARNET_TYPE_NEW_PASSWORD_GROUP);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-password-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, current_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, password_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, change_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, update_change_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
carnet_password_page_init (CarnetPasswordPage *self)
{
  /* Before the template: its signals may ask whether it is needed. */
  self->reauth = carnet_reauth_new (GTK_WIDGET (self));
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_reauth_add_button (self->reauth, self->error_box);
  g_signal_connect_object (self->reauth, "notify", G_CALLBACK (reauth_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "logged-in", G_CALLBACK (reauth_logged_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "failed", G_CALLBACK (reauth_failed_cb), self, G_CONNECT_SWAPPED);

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->current_row), NULL);
  update_change_cb (self);
}
