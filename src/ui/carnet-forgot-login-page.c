/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-forgot-login-page.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-busy-actions.h"
#include "carnet-ui-private.h"
#include "carnet-wizard-private.h"

struct _CarnetForgotLoginPage
{
  GtkWidget         parent_instance;

  GtkStack          *steps;
  AdwEntryRow       *mail_row;
  GtkWidget         *mail_error_box;
  GtkLabel          *mail_error_label;
  CarnetBusyActions *mail_actions;
  GtkButton         *send_button;

  GtkListBox        *schools_list;
  AdwEntryRow       *first_name_row;
  GtkWidget         *schools_error_box;
  GtkLabel          *schools_error_label;
  CarnetBusyActions *schools_actions;
  GtkButton         *schools_send_button;

  GtkLabel          *done_label;
  GtkButton         *done_login_button;

  CarnetEntClient   *client;
  GCancellable      *cancellable;
  GtkCheckButton    *first_check;    /* groups the schools' radio buttons */
};

G_DEFINE_FINAL_TYPE (CarnetForgotLoginPage, carnet_forgot_login_page, GTK_TYPE_WIDGET)

static gboolean
on_schools (CarnetForgotLoginPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->steps), "schools") == 0;
}

static const char *
chosen_school (CarnetForgotLoginPage *self)
{
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->schools_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkCheckButton *check = g_object_get_data (G_OBJECT (row), "carnet-check");

      if (check != NULL && gtk_check_button_get_active (check))
        return g_object_get_data (G_OBJECT (row), "carnet-school-id");
    }

  return NULL;
}

static void
update_send (CarnetForgotLoginPage *self)
{
  g_autofree char *first_name = carnet_wizard_get_stripped (self->first_name_row);

  gtk_widget_set_sensitive (GTK_WIDGET (self->schools_send_button),
                            chosen_school (self) != NULL && *first_name != '\0');
}

static void
set_busy (CarnetForgotLoginPage *self,
          gboolean               busy)
{
  gboolean schools = on_schools (self);

  carnet_busy_actions_set_busy (schools ? self->schools_actions : self->mail_actions, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->mail_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->schools_list), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->first_name_row), !busy);
}

static void
clear_errors (CarnetForgotLoginPage *self)
{
  carnet_wizard_set_error (self->mail_error_box, self->mail_error_label, NULL);
  carnet_wizard_set_error (self->schools_error_box, self->schools_error_label, NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->mail_row), NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->first_name_row), NULL);
}

static void
show_error (CarnetForgotLoginPage *self,
            const GError          *error)
{
  GtkWidget *row = NULL;

  if (on_schools (self))
    {
      carnet_wizard_set_error (self->schools_error_box, self->schools_error_label, error->message);
      if (carnet_ent_error_get_field (error) == CARNET_ENT_FIELD_FIRST_NAME)
        row = GTK_WIDGET (self->first_name_row);
    }
  else
    {
      carnet_wizard_set_error (self->mail_error_box, self->mail_error_label, error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT))
        row = GTK_WIDGET (self->mail_row);
    }

  if (row != NULL)
    {
      carnet_wizard_mark_row (row, error->message);
      carnet_wizard_focus_row (row, FALSE);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (on_schools (self) ? self->schools_send_button : self->send_button));
}

static void
school_toggled_cb (CarnetForgotLoginPage *self)
{
  update_send (self);
}

static void
fill_schools (CarnetForgotLoginPage *self,
              GPtrArray             *schools)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->schools_list))) != NULL)
    gtk_list_box_remove (self->schools_list, child);
  self->first_check = NULL;

  for (guint i = 0; i < schools->len; i++)
    {
      CarnetEntSchool *school = g_ptr_array_index (schools, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      /* The school's name as the ENT gives it, never markup (« & »…). */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), carnet_ent_school_get_name (school));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, carnet_ent_school_get_name (school),
                                      -1);
      if (self->first_check != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->first_check);
      else
        self->first_check = GTK_CHECK_BUTTON (check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (school_toggled_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "carnet-check", check);
      g_object_set_data_full (G_OBJECT (row), "carnet-school-id",
                              g_strdup (carnet_ent_school_get_id (school)), g_free);
      gtk_list_box_append (self->schools_list, row);
    }
}

static void
forgot_login_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetForgotLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schools = NULL;

  schools = carnet_ent_client_forgot_login_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (schools == NULL)
    {
      show_error (self, error);
      return;
    }

  if (schools->len > 0 && !on_schools (self))
    {
      fill_schools (self, schools);
      gtk_stack_set_visible_child_name (self->steps, "schools");
      update_send (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->schools_list));
      return;
    }

  /* The ENT never says whether an account exists: neither do we. */
  gtk_label_set_text (self->done_label,
                      _("If an account matches this address, an email with your login has been sent to it."));
  gtk_stack_set_visible_child_name (self->steps, "done");
  gtk_widget_grab_focus (GTK_WIDGET (self->done_login_button));
}

static void
send (CarnetForgotLoginPage *self)
{
  g_autofree char *mail = carnet_wizard_get_stripped (self->mail_row);
  g_autofree char *first_name = NULL;
  const char *school = NULL;

  if (self->client == NULL || self->cancellable != NULL)
    return;

  clear_errors (self);
  if (strchr (mail, '@') == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT,
                                                     _("Type the email address you gave the ENT, such as “name@example.fr”."));

      gtk_stack_set_visible_child_name (self->steps, "mail");
      show_error (self, error);
      return;
    }

  if (on_schools (self))
    {
      first_name = carnet_wizard_get_stripped (self->first_name_row);
      school = chosen_school (self);
      if (school == NULL || *first_name == '\0')
        return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  carnet_ent_client_forgot_login_async (self->client, mail, first_name, school,
                                        self->cancellable, forgot_login_cb, g_object_ref (self));
}

static void
send_clicked_cb (CarnetForgotLoginPage *self)
{
  send (self);
}

static void
mail_activated_cb (CarnetForgotLoginPage *self)
{
  send (self);
}

static void
schools_send_clicked_cb (CarnetForgotLoginPage *self)
{
  send (self);
}

static void
first_name_activated_cb (CarnetForgotLoginPage *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->schools_send_button)))
    send (self);
}

static void
field_changed_cb (CarnetForgotLoginPage *self,
                  GtkEditable           *editable)
{
  carnet_wizard_mark_row (GTK_WIDGET (editable), NULL);
  update_send (self);
}

static void
cancel (CarnetForgotLoginPage *self)
{
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

static void
cancel_clicked_cb (CarnetForgotLoginPage *self)
{
  cancel (self);
  if (on_schools (self))
    carnet_wizard_focus_row (GTK_WIDGET (self->first_name_row), FALSE);
  else
    carnet_wizard_focus_row (GTK_WIDGET (self->mail_row), FALSE);
}

static void
previous_clicked_cb (CarnetForgotLoginPage *self)
{
  carnet_forgot_login_page_go_back (self);
}

gboolean
carnet_forgot_login_page_go_back (CarnetForgotLoginPage *self)
{
  g_return_val_if_fail (CARNET_IS_FORGOT_LOGIN_PAGE (self), FALSE);

  if (self->cancellable != NULL)
    {
      cancel_clicked_cb (self);
      return TRUE;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->steps), "mail") != 0)
    {
      clear_errors (self);
      gtk_stack_set_visible_child_name (self->steps, "mail");
      carnet_wizard_focus_row (GTK_WIDGET (self->mail_row), FALSE);
      return TRUE;
    }

  return FALSE;
}

void
carnet_forgot_login_page_reset (CarnetForgotLoginPage *self)
{
  GtkWidget *child;

  g_return_if_fail (CARNET_IS_FORGOT_LOGIN_PAGE (self));

  cancel (self);
  clear_errors (self);
  gtk_stack_set_visible_child_name (self->steps, "mail");
  gtk_editable_set_text (GTK_EDITABLE (self->mail_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->first_name_row), "");
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->schools_list))) != NULL)
    gtk_list_box_remove (self->schools_list, child);
  self->first_check = NULL;
}

void
carnet_forgot_login_page_set_client (CarnetForgotLoginPage *self,
                                     CarnetEntClient       *client)
{
  g_return_if_fail (CARNET_IS_FORGOT_LOGIN_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  if (self->client == client)
    return;

  carnet_forgot_login_page_reset (self);
  g_set_object (&self->client, client);
}

static gboolean
carnet_forgot_login_page_grab_focus (GtkWidget *widget)
{
  CarnetForgotLoginPage *self = CARNET_FORGOT_LOGIN_PAGE (widget);
  const char *step = gtk_stack_get_visible_child_name (self->steps);

  if (g_strcmp0 (step, "schools") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
  if (g_strcmp0 (step, "done") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->done_login_button));

  return gtk_widget_grab_focus (GTK_WIDGET (self->mail_row));
}

static void
carnet_forgot_login_page_dispose (GObject *object)
{
  CarnetForgotLoginPage *self = CARNET_FORGOT_LOGIN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_FORGOT_LOGIN_PAGE);

  G_OBJECT_CLASS (carnet_forgot_login_page_parent_class)->dispose (object);
}

static void
carnet_forgot_login_page_class_init (CarnetForgotLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_forgot_login_page_dispose;
  widget_class->grab_focus = carnet_forgot_login_page_grab_focus;

  carnet_ui_ensure_resources ();
  g_type_ensure (CARNET_TYPE_BUSY_ACTIONS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-forgot-login-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetForgotLoginPage, name)
  BIND (steps);
  BIND (mail_row);
  BIND (mail_error_box);
  BIND (mail_error_label);
  BIND (mail_actions);
  BIND (send_button);
  BIND (schools_list);
  BIND (first_name_row);
  BIND (schools_error_box);
  BIND (schools_error_label);
  BIND (schools_actions);
  BIND (schools_send_button);
  BIND (done_label);
  BIND (done_login_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mail_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, schools_send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, first_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
}

static void
carnet_forgot_login_page_init (CarnetForgotLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->mail_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->first_name_row), NULL);
}
