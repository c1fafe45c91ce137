/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-forgot-password-page.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-busy-actions.h"
#include "carnet-new-password-group.h"
#include "carnet-ui-private.h"
#include "carnet-wizard-private.h"

struct _CarnetForgotPasswordPage
{
  GtkWidget               parent_instance;

  GtkStack               *steps;
  AdwEntryRow            *login_row;
  GtkWidget              *login_error_box;
  GtkLabel               *login_error_label;
  CarnetBusyActions      *login_actions;
  GtkButton              *send_button;

  GtkLabel               *sent_label;
  AdwPasswordEntryRow    *code_row;
  GtkLabel               *code_status_label;
  CarnetNewPasswordGroup *password_group;
  GtkWidget              *reset_error_box;
  GtkLabel               *reset_error_label;
  GtkButton              *new_link_button;
  CarnetBusyActions      *reset_actions;
  GtkButton              *previous_button;
  GtkButton              *reset_button;

  CarnetEntClient        *client;
  GCancellable           *cancellable;
  gboolean                code_ok;
};

G_DEFINE_FINAL_TYPE (CarnetForgotPasswordPage, carnet_forgot_password_page, GTK_TYPE_WIDGET)

enum {
  PASSWORD_RESET,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
on_reset (CarnetForgotPasswordPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->steps), "reset") == 0;
}

static void
update_reset_cb (CarnetForgotPasswordPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button),
                            self->code_ok && carnet_new_password_group_get_valid (self->password_group));
}

static void
update_code (CarnetForgotPasswordPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  const char *host = self->client != NULL ? carnet_ent_client_get_host (self->client) : NULL;
  g_autoptr(CarnetUiSecret) code = NULL;
  g_autoptr(CarnetUiSecret) anywhere = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetUiSecret) stripped = g_strstrip (g_strdup (text));

  code = carnet_ent_parse_reset_code (text, host, &error);
  self->code_ok = code != NULL;

  if (*stripped == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->code_status_label), FALSE);
    }
  else if (code != NULL)
    {
      /* Not the code itself: the field hides it. */
      gtk_label_set_text (self->code_status_label,
                          _("Code recognized: it will be checked with the new password."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->code_status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->code_status_label), "success");
      gtk_widget_set_visible (GTK_WIDGET (self->code_status_label), TRUE);
    }
  else
    {
      /* A valid link, but to another server: say so rather than "invalid". */
      anywhere = carnet_ent_parse_reset_code (text, NULL, NULL);
      gtk_label_set_text (self->code_status_label,
                          anywhere != NULL
                          ? _("This link is for another ENT: use the link of the email this ENT sent you.")
                          : _("Paste the whole link of the email, or type its 8-character code."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->code_status_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->code_status_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->code_status_label), TRUE);
    }

  update_reset_cb (self);
}

static void
set_busy (CarnetForgotPasswordPage *self,
          gboolean                  busy,
          const char               *what)
{
  CarnetBusyActions *actions = on_reset (self) ? self->reset_actions : self->login_actions;

  if (what != NULL)
    carnet_busy_actions_set_text (actions, what);
  /* « Annuler » takes the focus when it shows. */
  carnet_busy_actions_set_busy (actions, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->login_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !busy);
  carnet_new_password_group_set_editable (self->password_group, !busy);
}

static void
clear_errors (CarnetForgotPasswordPage *self)
{
  carnet_wizard_set_error (self->login_error_box, self->login_error_label, NULL);
  carnet_wizard_set_error (self->reset_error_box, self->reset_error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->new_link_button), FALSE);
  carnet_wizard_mark_row (GTK_WIDGET (self->login_row), NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->code_row), NULL);
  carnet_new_password_group_set_error (self->password_group, FALSE, NULL);
}

static void
forgot_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CarnetForgotPasswordPage) self = user_data;
  g_autoptr(GError) error = NULL;

  carnet_ent_client_forgot_password_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);

  if (error != NULL)
    {
      carnet_wizard_set_error (self->login_error_box, self->login_error_label, error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT) ||
          g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS) ||
          g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NOT_ACTIVATED) ||
          g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED))
        {
          carnet_wizard_mark_row (GTK_WIDGET (self->login_row), error->message);
          carnet_wizard_focus_row (GTK_WIDGET (self->login_row), FALSE);
        }
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->send_button));
      return;
    }

  {
    CarnetEntContext *context = carnet_ent_client_get_cached_context (self->client);

    carnet_new_password_group_set_context (self->password_group, context, FALSE);
  }
  /* A new mail makes the link of an older one useless. */
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_stack_set_visible_child_name (self->steps, "reset");
  update_code (self);
  carnet_wizard_focus_row (GTK_WIDGET (self->code_row), FALSE);
}

static void
send (CarnetForgotPasswordPage *self)
{
  g_autofree char *login = carnet_wizard_get_stripped (self->login_row);

  if (self->client == NULL || self->cancellable != NULL)
    return;

  clear_errors (self);
  if (*login == '\0')
    {
      const char *message = _("Type your ENT login.");

      carnet_wizard_set_error (self->login_error_box, self->login_error_label, message);
      carnet_wizard_mark_row (GTK_WIDGET (self->login_row), message);
      carnet_wizard_focus_row (GTK_WIDGET (self->login_row), FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Sending…"));
  carnet_ent_client_forgot_password_async (self->client, login, self->cancellable,
                                           forgot_password_cb, g_object_ref (self));
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CarnetForgotPasswordPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;

  carnet_ent_client_reset_password_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);

  if (error != NULL)
    {
      CarnetEntField field = carnet_ent_error_get_field (error);

      g_debug ("Reset refused: %s", error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CODE_EXPIRED))
        {
          const char *message = _("This link is no longer valid (it lasts 24 hours). Ask for a new one.");

          carnet_wizard_set_error (self->reset_error_box, self->reset_error_label, message);
          carnet_wizard_mark_row (GTK_WIDGET (self->code_row), message);
          gtk_widget_set_visible (GTK_WIDGET (self->code_status_label), FALSE);
          gtk_widget_set_visible (GTK_WIDGET (self->new_link_button), TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->new_link_button));
          return;
        }

      carnet_wizard_set_error (self->reset_error_box, self->reset_error_label, error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY) ||
          field == CARNET_ENT_FIELD_NEW_PASSWORD || field == CARNET_ENT_FIELD_CONFIRM_PASSWORD)
        carnet_new_password_group_set_error (self->password_group,
                                             field == CARNET_ENT_FIELD_CONFIRM_PASSWORD,
                                             error->message);
      else if (field == CARNET_ENT_FIELD_CODE || field == CARNET_ENT_FIELD_LOGIN)
        {
          carnet_wizard_mark_row (GTK_WIDGET (self->code_row), error->message);
          carnet_wizard_focus_row (GTK_WIDGET (self->code_row), TRUE);
        }
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->reset_button));
      return;
    }

  login = carnet_wizard_get_stripped (self->login_row);
  carnet_forgot_password_page_reset (self);
  g_signal_emit (self, signals [PASSWORD_RESET], 0, login);
}

static void
reset_password (CarnetForgotPasswordPage *self)
{
  g_autofree char *login = carnet_wizard_get_stripped (self->login_row);
  const char *password;

  if (self->client == NULL || self->cancellable != NULL ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->reset_button)))
    return;

  clear_errors (self);
  password = carnet_new_password_group_get_password (self->password_group);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Changing the password…"));
  carnet_ent_client_reset_password_async (self->client, login,
                                          gtk_editable_get_text (GTK_EDITABLE (self->code_row)),
                                          password, password,
                                          self->cancellable, reset_cb, g_object_ref (self));
}

static void
send_clicked_cb (CarnetForgotPasswordPage *self)
{
  send (self);
}

static void
login_activated_cb (CarnetForgotPasswordPage *self)
{
  send (self);
}

static void
code_activated_cb (CarnetForgotPasswordPage *self)
{
  if (self->code_ok)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_group));
}

static void
password_group_activate_cb (CarnetForgotPasswordPage *self)
{
  reset_password (self);
}

static void
reset_clicked_cb (CarnetForgotPasswordPage *self)
{
  reset_password (self);
}

static void
field_changed_cb (CarnetForgotPasswordPage *self,
                  GtkEditable              *editable)
{
  carnet_wizard_mark_row (GTK_WIDGET (editable), NULL);
  if (editable == GTK_EDITABLE (self->code_row))
    update_code (self);
}

static void
cancel (CarnetForgotPasswordPage *self)
{
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);
}

static void
cancel_clicked_cb (CarnetForgotPasswordPage *self)
{
  cancel (self);
  if (on_reset (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->reset_button));
  else
    carnet_wizard_focus_row (GTK_WIDGET (self->login_row), FALSE);
}

static void
previous_clicked_cb (CarnetForgotPasswordPage *self)
{
  carnet_forgot_password_page_go_back (self);
}

gboolean
carnet_forgot_password_page_go_back (CarnetForgotPasswordPage *self)
{
  g_return_val_if_fail (CARNET_IS_FORGOT_PASSWORD_PAGE (self), FALSE);

  if (self->cancellable != NULL)
    {
      cancel_clicked_cb (self);
      return TRUE;
    }

  if (on_reset (self))
    {
      /* The login stays, to ask for a new link at once; the link is a
       * secret, and of no use any more: the next mail brings a new one. */
      clear_errors (self);
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
      gtk_stack_set_visible_child_name (self->steps, "login");
      carnet_wizard_focus_row (GTK_WIDGET (self->login_row), FALSE);
      return TRUE;
    }

  return FALSE;
}

void
carnet_forgot_password_page_reset (CarnetForgotPasswordPage *self)
{
  g_return_if_fail (CARNET_IS_FORGOT_PASSWORD_PAGE (self));

  cancel (self);
  clear_errors (self);
  gtk_stack_set_visible_child_name (self->steps, "login");
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  carnet_new_password_group_clear (self->password_group);
  clear_errors (self);
}

void
carnet_forgot_password_page_start_with_code (CarnetForgotPasswordPage *self,
                                             const char               *login,
                                             const char               *code)
{
  g_return_if_fail (CARNET_IS_FORGOT_PASSWORD_PAGE (self));
  g_return_if_fail (login != NULL && code != NULL);

  carnet_forgot_password_page_reset (self);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  if (self->client != NULL)
    carnet_new_password_group_set_context (self->password_group,
                                           carnet_ent_client_get_cached_context (self->client),
                                           FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  gtk_stack_set_visible_child_name (self->steps, "reset");
  update_code (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_group));
}

void
carnet_forgot_password_page_set_client (CarnetForgotPasswordPage *self,
                                        CarnetEntClient          *client)
{
  g_return_if_fail (CARNET_IS_FORGOT_PASSWORD_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  if (self->client == client)
    return;

  carnet_forgot_password_page_reset (self);
  g_set_object (&self->client, client);
}

static gboolean
carnet_forgot_password_page_grab_focus (GtkWidget *widget)
{
  CarnetForgotPasswordPage *self = CARNET_FORGOT_PASSWORD_PAGE (widget);

  if (on_reset (self) && self->code_ok)
    return gtk_widget_grab_focus (GTK_WIDGET (self->password_group));
  if (on_reset (self))
    return gtk_widget_grab_focus (GTK_WIDGET (self->code_row));

  return gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
}

static void
carnet_forgot_password_page_dispose (GObject *object)
{
  CarnetForgotPasswordPage *self = CARNET_FORGOT_PASSWORD_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_FORGOT_PASSWORD_PAGE);

  G_OBJECT_CLASS (carnet_forgot_password_page_parent_class)->dispose (object);
}

static void
carnet_forgot_password_page_class_init (CarnetForgotPasswordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_forgot_password_page_dispose;
  widget_class->grab_focus = carnet_forgot_password_page_grab_focus;

  signals [PASSWORD_RESET] =
    g_signal_new ("password-reset",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CARNET_TYPE_NEW_PASSWORD_GROUP);
  g_type_ensure (CARNET_TYPE_BUSY_ACTIONS);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-forgot-password-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetForgotPasswordPage, name)
  BIND (steps);
  BIND (login_row);
  BIND (login_error_box);
  BIND (login_error_label);
  BIND (login_actions);
  BIND (send_button);
  BIND (sent_label);
  BIND (code_row);
  BIND (code_status_label);
  BIND (password_group);
  BIND (reset_error_box);
  BIND (reset_error_label);
  BIND (new_link_button);
  BIND (reset_actions);
  BIND (previous_button);
  BIND (reset_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, update_reset_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_group_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
}

static void
carnet_forgot_password_page_init (CarnetForgotPasswordPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_label_set_text (self->sent_label,
                      _("An email has been sent to you with a link. Paste the link here (or type its 8-character code), then choose your new password."));
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->login_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->code_row), NULL);
  update_reset_cb (self);
}
