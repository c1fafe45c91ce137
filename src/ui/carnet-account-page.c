/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-account-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-ui-private.h"

struct _CarnetAccountPage
{
  GtkWidget             parent_instance;

  AdwAvatar            *avatar;
  GtkLabel             *title_label;
  GtkLabel             *schools_label;
  AdwPreferencesGroup  *requirements_group;
  AdwActionRow         *requirements_row;
  AdwActionRow         *login_row;
  AdwActionRow         *email_row;
  GtkStack             *action_stack;
  GtkButton            *logout_button;
  GtkSpinner           *spinner;

  CarnetEntClient      *client;
  CarnetEntUser        *user;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (CarnetAccountPage, carnet_account_page, GTK_TYPE_WIDGET)

enum {
  LOGGED_OUT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
set_busy (CarnetAccountPage *self,
          gboolean           busy)
{
  gtk_stack_set_visible_child_name (self->action_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);
}

static void
set_row_value (AdwActionRow *row,
               const char   *value)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *label = NULL;

  adw_action_row_set_subtitle (row, value);

  /* Translators: an accessible name, "<field>: <value>", e.g. "My login: frederic". */
  label = g_strdup_printf (_("%s: %s"), title, value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
update_requirements (CarnetAccountPage     *self,
                     CarnetEntRequirements *requirements)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new ();
  g_autofree char *text = NULL;

  if (requirements != NULL)
    {
      if (carnet_ent_requirements_get_force_change_password (requirements))
        g_ptr_array_add (steps, _("Choose a new password."));
      if (carnet_ent_requirements_get_need_revalidate_terms (requirements))
        g_ptr_array_add (steps, _("Read and accept the ENT’s charter."));
      if (carnet_ent_requirements_get_need_revalidate_email (requirements))
        g_ptr_array_add (steps, _("Confirm your email address."));
      if (carnet_ent_requirements_get_need_revalidate_mobile (requirements))
        g_ptr_array_add (steps, _("Confirm your mobile phone number."));
      if (carnet_ent_requirements_get_need_mfa (requirements))
        g_ptr_array_add (steps, _("Confirm your identity with a code."));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->requirements_group), steps->len > 0);
  if (steps->len == 0)
    return;

  g_ptr_array_add (steps, _("Carnet will soon do these steps with you; until then, use the ENT’s website."));
  g_ptr_array_add (steps, NULL);
  text = g_strjoinv ("\n", (char **) steps->pdata);

  adw_action_row_set_subtitle (self->requirements_row, text);
}

void
carnet_account_page_set_account (CarnetAccountPage     *self,
                                 CarnetEntClient       *client,
                                 CarnetEntUser         *user,
                                 CarnetEntRequirements *requirements)
{
  g_autofree char *title = NULL;
  g_autofree char *schools = NULL;
  const char *first_name;
  const char *display_name;
  const char *email;
  const char * const *structures;

  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));
  g_return_if_fail (!user || CARNET_IS_ENT_USER (user));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  g_set_object (&self->client, client);
  g_set_object (&self->user, user);

  if (user == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->schools_label, "");
      adw_avatar_set_text (self->avatar, NULL);
      update_requirements (self, NULL);
      return;
    }

  first_name = carnet_ent_user_get_first_name (user);
  display_name = carnet_ent_user_get_display_name (user);
  if (first_name == NULL || *first_name == '\0')
    first_name = display_name;

  /* Translators: the page's title, as on the letter ("COMPTE DE FREDERIC");
   * %s is the parent's first name. */
  title = g_strdup_printf (_("Account of %s"), first_name);
  gtk_label_set_text (self->title_label, title);
  adw_avatar_set_text (self->avatar, display_name);

  structures = carnet_ent_user_get_structure_names (user);
  if (structures != NULL && structures[0] != NULL)
    schools = g_strjoinv (" · ", (char **) structures);
  gtk_label_set_text (self->schools_label, schools ? schools : "");
  gtk_widget_set_visible (GTK_WIDGET (self->schools_label), schools != NULL);

  set_row_value (self->login_row, carnet_ent_user_get_login (user));

  email = carnet_ent_user_get_email (user);
  set_row_value (self->email_row, (email && *email) ? email : _("None yet"));

  update_requirements (self, requirements);
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The client forgets the session even when the ENT cannot be told. */
  if (!carnet_ent_client_logout_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("The ENT was not told about the logout: %s", error->message);
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  carnet_account_page_set_account (self, NULL, NULL, NULL);

  g_signal_emit (self, signals [LOGGED_OUT], 0);
}

void
carnet_account_page_log_out (CarnetAccountPage *self)
{
  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));

  if (self->cancellable != NULL)
    return;

  if (self->client == NULL)
    {
      g_signal_emit (self, signals [LOGGED_OUT], 0);
      return;
    }

  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  carnet_ent_client_logout_async (self->client,
                                  self->cancellable,
                                  logout_cb,
                                  g_object_ref (self));
}

static void
logout_clicked_cb (CarnetAccountPage *self)
{
  carnet_account_page_log_out (self);
}

static gboolean
carnet_account_page_grab_focus (GtkWidget *widget)
{
  CarnetAccountPage *self = CARNET_ACCOUNT_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->logout_button));
}

static void
carnet_account_page_dispose (GObject *object)
{
  CarnetAccountPage *self = CARNET_ACCOUNT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->user);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_ACCOUNT_PAGE);

  G_OBJECT_CLASS (carnet_account_page_parent_class)->dispose (object);
}

static void
carnet_account_page_class_init (CarnetAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_account_page_dispose;

  widget_class->grab_focus = carnet_account_page_grab_focus;

  signals [LOGGED_OUT] =
    g_signal_new ("logged-out",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, schools_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, requirements_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, requirements_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, login_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, logout_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, logout_clicked_cb);
}

static void
carnet_account_page_init (CarnetAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
