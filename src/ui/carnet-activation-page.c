/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-activation-page.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-busy-actions.h"
#include "carnet-new-password-group.h"
#include "carnet-charter-page.h"
#include "carnet-ui-private.h"
#include "carnet-wizard-private.h"

struct _CarnetActivationPage
{
  GtkWidget               parent_instance;

  GtkStack               *steps;
  AdwEntryRow            *login_row;
  AdwPasswordEntryRow    *code_row;
  GtkWidget              *code_error_box;
  GtkLabel               *code_error_label;
  CarnetBusyActions      *code_actions;
  GtkButton              *continue_button;

  CarnetNewPasswordGroup *password_group;
  AdwEntryRow            *mail_row;
  GtkLabel               *mail_hint_label;
  AdwEntryRow            *phone_row;
  AdwActionRow           *charter_row;
  GtkCheckButton         *charter_check;
  GtkButton              *charter_button;
  GtkWidget              *details_error_box;
  GtkLabel               *details_error_label;
  CarnetBusyActions      *details_actions;
  GtkButton              *previous_button;
  GtkButton              *activate_button;

  CarnetEntClient        *client;
  GCancellable           *cancellable;
  GCancellable           *charter_cancellable;
  /* « Lire »: the charter shown over the page. */
  GtkWidget              *charter_window;
};

G_DEFINE_FINAL_TYPE (CarnetActivationPage, carnet_activation_page, GTK_TYPE_WIDGET)

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
on_details (CarnetActivationPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->steps), "details") == 0;
}

static void
update_activate_cb (CarnetActivationPage *self)
{
  gboolean valid;
  const char *mail = gtk_editable_get_text (GTK_EDITABLE (self->mail_row));
  gboolean no_at = *mail != '\0' && strchr (mail, '@') == NULL;

  /* The button greys while the address has no « @ »: say why, next to
   * the field, and to a screen reader on the field. */
  gtk_widget_set_visible (GTK_WIDGET (self->mail_hint_label), no_at);
  if (no_at)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->mail_row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    gtk_label_get_text (self->mail_hint_label),
                                    -1);
  else if (!gtk_widget_has_css_class (GTK_WIDGET (self->mail_row), "error"))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->mail_row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  valid = carnet_new_password_group_get_valid (self->password_group) &&
          strchr (gtk_editable_get_text (GTK_EDITABLE (self->mail_row)), '@') != NULL &&
          gtk_check_button_get_active (self->charter_check);
  if (gtk_widget_get_visible (GTK_WIDGET (self->phone_row)))
    valid = valid && *gtk_editable_get_text (GTK_EDITABLE (self->phone_row)) != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->activate_button), valid);
}

static void
set_busy (CarnetActivationPage *self,
          gboolean              busy,
          const char           *what)
{
  CarnetBusyActions *actions = on_details (self) ? self->details_actions : self->code_actions;

  if (what != NULL)
    carnet_busy_actions_set_text (actions, what);
  /* « Annuler » takes the focus when it shows. */
  carnet_busy_actions_set_busy (actions, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);

  /* Insensitive but never cleared. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !busy);
  carnet_new_password_group_set_editable (self->password_group, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mail_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->phone_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->charter_row), !busy);
}

static void
clear_errors (CarnetActivationPage *self)
{
  carnet_wizard_set_error (self->code_error_box, self->code_error_label, NULL);
  carnet_wizard_set_error (self->details_error_box, self->details_error_label, NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->login_row), NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->code_row), NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->mail_row), NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->phone_row), NULL);
  carnet_wizard_mark_row (GTK_WIDGET (self->charter_row), NULL);
  carnet_new_password_group_set_error (self->password_group, FALSE, NULL);
}

static void
show_code_error (CarnetActivationPage *self,
                 const char           *message,
                 GtkWidget            *row)
{
  gtk_stack_set_visible_child_name (self->steps, "code");
  carnet_wizard_set_error (self->code_error_box, self->code_error_label, message);
  if (row != NULL)
    {
      carnet_wizard_mark_row (row, message);
      carnet_wizard_focus_row (row, row == GTK_WIDGET (self->code_row));
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

static void
show_details_error (CarnetActivationPage *self,
                    const GError         *error)
{
  GtkWidget *row = NULL;
  CarnetEntField field = carnet_ent_error_get_field (error);

  carnet_wizard_set_error (self->details_error_box, self->details_error_label, error->message);

  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY) ||
      field == CARNET_ENT_FIELD_NEW_PASSWORD || field == CARNET_ENT_FIELD_CONFIRM_PASSWORD)
    {
      carnet_new_password_group_set_error (self->password_group,
                                           field == CARNET_ENT_FIELD_CONFIRM_PASSWORD,
                                           error->message);
      return;
    }

  switch (field)
    {
    case CARNET_ENT_FIELD_MAIL:
      row = GTK_WIDGET (self->mail_row);
      break;
    case CARNET_ENT_FIELD_PHONE:
      row = GTK_WIDGET (self->phone_row);
      break;
    case CARNET_ENT_FIELD_CHARTER:
      row = GTK_WIDGET (self->charter_row);
      break;
    case CARNET_ENT_FIELD_LOGIN:
      show_code_error (self, error->message, GTK_WIDGET (self->login_row));
      return;
    case CARNET_ENT_FIELD_PASSWORD:
    case CARNET_ENT_FIELD_CODE:
      show_code_error (self, error->message, GTK_WIDGET (self->code_row));
      return;
    default:
      break;
    }

  if (row != NULL)
    {
      carnet_wizard_mark_row (row, error->message);
      carnet_wizard_focus_row (row, FALSE);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->activate_button));
}

static void
show_details (CarnetActivationPage *self)
{
  CarnetEntContext *context = carnet_ent_client_get_cached_context (self->client);
  gboolean phone = context != NULL && carnet_ent_context_get_phone_mandatory (context);

  carnet_new_password_group_set_context (self->password_group, context, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->phone_row), phone);
  gtk_stack_set_visible_child_name (self->steps, "details");
  update_activate_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_group));
}

static void
match_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CarnetActivationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean matches = FALSE;

  carnet_ent_client_activation_match_finish (CARNET_ENT_CLIENT (object), result, &matches, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);

  if (error != NULL)
    show_code_error (self, error->message, NULL);
  else if (!matches)
    show_code_error (self,
                     _("This login and this provisional password do not match. Check the notification letter from your child’s school."),
                     GTK_WIDGET (self->code_row));
  else
    show_details (self);
}

static void
check_code (CarnetActivationPage *self)
{
  g_autofree char *login = carnet_wizard_get_stripped (self->login_row);
  g_autoptr(CarnetUiSecret) code = carnet_wizard_get_stripped (self->code_row);

  if (self->client == NULL || self->cancellable != NULL)
    return;

  clear_errors (self);
  if (*login == '\0')
    {
      show_code_error (self, _("Type the login printed on the letter."), GTK_WIDGET (self->login_row));
      return;
    }
  if (*code == '\0')
    {
      show_code_error (self, _("Type the provisional password printed on the letter."), GTK_WIDGET (self->code_row));
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Checking the letter’s login…"));
  carnet_ent_client_activation_match_async (self->client, login, code, self->cancellable,
                                            match_cb, g_object_ref (self));
}

static void
activate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CarnetActivationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  gboolean logged_in = FALSE;

  carnet_ent_client_activate_finish (CARNET_ENT_CLIENT (object), result, &logged_in, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);

  if (error != NULL)
    {
      g_debug ("Activation refused: %s", error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS))
        show_code_error (self, error->message, GTK_WIDGET (self->code_row));
      else
        show_details_error (self, error);
      return;
    }

  login = carnet_wizard_get_stripped (self->login_row);
  /* The passwords have done their work. */
  carnet_activation_page_reset (self);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  g_signal_emit (self, signals [ACTIVATED], 0, login, logged_in);
}

static void
activate_account (CarnetActivationPage *self)
{
  g_autofree char *login = carnet_wizard_get_stripped (self->login_row);
  g_autoptr(CarnetUiSecret) code = carnet_wizard_get_stripped (self->code_row);
  g_autofree char *mail = carnet_wizard_get_stripped (self->mail_row);
  g_autofree char *phone = carnet_wizard_get_stripped (self->phone_row);
  const char *password;

  if (self->client == NULL || self->cancellable != NULL ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->activate_button)))
    return;

  clear_errors (self);
  password = carnet_new_password_group_get_password (self->password_group);

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Activating your account…"));
  carnet_ent_client_activate_async (self->client, login, code, password, password,
                                    mail,
                                    gtk_widget_get_visible (GTK_WIDGET (self->phone_row)) ? phone : NULL,
                                    TRUE,
                                    self->cancellable, activate_cb, g_object_ref (self));
}

static void
continue_clicked_cb (CarnetActivationPage *self)
{
  check_code (self);
}

static void
login_activated_cb (CarnetActivationPage *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->code_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
  else
    check_code (self);
}

static void
code_activated_cb (CarnetActivationPage *self)
{
  check_code (self);
}

static void
password_group_activate_cb (CarnetActivationPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->mail_row));
}

static void
mail_activated_cb (CarnetActivationPage *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->activate_button)))
    activate_account (self);
  else if (!gtk_check_button_get_active (self->charter_check))
    gtk_widget_grab_focus (GTK_WIDGET (self->charter_check));
}

static void
activate_clicked_cb (CarnetActivationPage *self)
{
  activate_account (self);
}

static void
previous_clicked_cb (CarnetActivationPage *self)
{
  carnet_activation_page_go_back (self);
}

static void
field_changed_cb (CarnetActivationPage *self,
                  GtkEditable          *editable)
{
  carnet_wizard_mark_row (GTK_WIDGET (editable), NULL);
  update_activate_cb (self);
}

static void
cancel (CarnetActivationPage *self)
{
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);
}

static void
cancel_clicked_cb (CarnetActivationPage *self)
{
  cancel (self);
  if (on_details (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->activate_button));
  else
    carnet_wizard_focus_row (GTK_WIDGET (self->code_row), FALSE);
}

static void
charter_window_destroy_cb (CarnetActivationPage *self)
{
  self->charter_window = NULL;
  gtk_widget_grab_focus (GTK_WIDGET (self->charter_button));
}

/* « Lire »: the charter inside Carnet, in a window over the page, with the
 * charter page's own viewer (every page of the PDF; the outside viewer, if
 * wanted, gets the bytes already downloaded). Nothing typed is touched. */
static void
charter_clicked_cb (CarnetActivationPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *page;

  if (self->client == NULL)
    return;

  if (self->charter_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->charter_window));
      return;
    }

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Usage Charter"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    {
      int width, height;

      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (window), MAX (width, 360), MAX (height, 480));
    }
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Usage Charter"), NULL));
  gtk_box_append (GTK_BOX (box), header);
  page = g_object_new (CARNET_TYPE_CHARTER_PAGE, "vexpand", TRUE, NULL);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

  carnet_charter_page_set_read_only (CARNET_CHARTER_PAGE (page), TRUE);
  carnet_charter_page_set_account (CARNET_CHARTER_PAGE (page), self->client, NULL);
  self->charter_window = window;
  g_signal_connect_object (window, "destroy", G_CALLBACK (charter_window_destroy_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
  carnet_charter_page_start (CARNET_CHARTER_PAGE (page));
}

gboolean
carnet_activation_page_go_back (CarnetActivationPage *self)
{
  g_return_val_if_fail (CARNET_IS_ACTIVATION_PAGE (self), FALSE);

  if (self->cancellable != NULL)
    {
      cancel_clicked_cb (self);
      return TRUE;
    }

  if (on_details (self))
    {
      carnet_wizard_set_error (self->details_error_box, self->details_error_label, NULL);
      gtk_stack_set_visible_child_name (self->steps, "code");
      carnet_wizard_focus_row (GTK_WIDGET (self->code_row), FALSE);
      return TRUE;
    }

  return FALSE;
}

void
carnet_activation_page_reset (CarnetActivationPage *self)
{
  g_return_if_fail (CARNET_IS_ACTIVATION_PAGE (self));

  cancel (self);
  if (self->charter_cancellable != NULL)
    g_cancellable_cancel (self->charter_cancellable);
  g_clear_object (&self->charter_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->charter_button), TRUE);

  clear_errors (self);
  gtk_stack_set_visible_child_name (self->steps, "code");
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  carnet_new_password_group_clear (self->password_group);
  gtk_editable_set_text (GTK_EDITABLE (self->mail_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), "");
  gtk_check_button_set_active (self->charter_check, FALSE);
  clear_errors (self);
}

void
carnet_activation_page_set_client (CarnetActivationPage *self,
                                   CarnetEntClient      *client)
{
  g_return_if_fail (CARNET_IS_ACTIVATION_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  if (self->client == client)
    return;

  carnet_activation_page_reset (self);
  g_set_object (&self->client, client);
}

static gboolean
carnet_activation_page_grab_focus (GtkWidget *widget)
{
  CarnetActivationPage *self = CARNET_ACTIVATION_PAGE (widget);

  if (on_details (self))
    return gtk_widget_grab_focus (GTK_WIDGET (self->password_group));
  if (*gtk_editable_get_text (GTK_EDITABLE (self->login_row)) == '\0')
    return gtk_widget_grab_focus (GTK_WIDGET (self->login_row));

  return gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
carnet_activation_page_dispose (GObject *object)
{
  CarnetActivationPage *self = CARNET_ACTIVATION_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->charter_cancellable != NULL)
    g_cancellable_cancel (self->charter_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->charter_cancellable);
  if (self->charter_window != NULL)
    {
      GtkWidget *window = g_steal_pointer (&self->charter_window);

      g_signal_handlers_disconnect_by_data (window, self);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_clear_object (&self->client);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_ACTIVATION_PAGE);

  G_OBJECT_CLASS (carnet_activation_page_parent_class)->dispose (object);
}

static void
carnet_activation_page_class_init (CarnetActivationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_activation_page_dispose;
  widget_class->grab_focus = carnet_activation_page_grab_focus;

  signals [ACTIVATED] =
    g_signal_new ("activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  g_type_ensure (CARNET_TYPE_NEW_PASSWORD_GROUP);
  g_type_ensure (CARNET_TYPE_BUSY_ACTIONS);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-activation-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetActivationPage, name)
  BIND (steps);
  BIND (login_row);
  BIND (code_row);
  BIND (code_error_box);
  BIND (code_error_label);
  BIND (code_actions);
  BIND (continue_button);
  BIND (password_group);
  BIND (mail_row);
  BIND (mail_hint_label);
  BIND (phone_row);
  BIND (charter_row);
  BIND (charter_check);
  BIND (charter_button);
  BIND (details_error_box);
  BIND (details_error_label);
  BIND (details_actions);
  BIND (previous_button);
  BIND (activate_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, update_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_group_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, mail_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, charter_clicked_cb);
}

static void
carnet_activation_page_init (CarnetActivationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->login_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->code_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->mail_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->phone_row), NULL);
  update_activate_cb (self);
}
