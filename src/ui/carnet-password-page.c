/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-password-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-busy-actions.h"
#include "carnet-new-password-group.h"
#include "carnet-reauth.h"
#include "carnet-ui-private.h"

struct _CarnetPasswordPage
{
  CarnetStepPage          parent_instance;

  AdwPasswordEntryRow    *current_row;
  CarnetNewPasswordGroup *password_group;
  GtkBox                 *error_box;
  GtkLabel               *error_label;
  CarnetBusyActions      *busy_actions;
  GtkButton              *change_button;
};

/* The types its template names, registered with it (GtkBuilder finds
 * types by name). */
G_DEFINE_FINAL_TYPE_WITH_CODE (CarnetPasswordPage, carnet_password_page, CARNET_TYPE_STEP_PAGE,
                               g_type_ensure (CARNET_TYPE_BUSY_ACTIONS))

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define STEP(self) (CARNET_STEP_PAGE (self))

static gboolean
can_submit (CarnetPasswordPage *self)
{
  return carnet_step_page_can_call (STEP (self)) &&
         carnet_step_page_get_login (STEP (self)) != NULL &&
         *gtk_editable_get_text (GTK_EDITABLE (self->current_row)) != '\0' &&
         carnet_new_password_group_get_valid (self->password_group);
}

static void
update_change_cb (CarnetPasswordPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_button), can_submit (self));
}

static void
carnet_password_page_update_busy (CarnetStepPage *step,
                                  gboolean        busy)
{
  CarnetPasswordPage *self = CARNET_PASSWORD_PAGE (step);
  CarnetReauth *reauth = carnet_step_page_get_reauth (step);

  carnet_busy_actions_set_text (self->busy_actions,
                                carnet_reauth_get_busy (reauth) ? _("Logging in again…")
                                                                : _("Changing the password…"));
  carnet_busy_actions_set_busy (self->busy_actions, busy);

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
  if (carnet_step_page_prompt_reauth (STEP (self), error))
    return;

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
  CarnetEntClient *client = CARNET_ENT_CLIENT (object);

  carnet_ent_client_force_change_password_finish (client, result, &error);
  if (!carnet_step_page_end_call (STEP (self), error))
    return;

  if (error != NULL)
    {
      if (!carnet_step_page_action_required (STEP (self), error, CARNET_ENT_FIELD_NEW_PASSWORD))
        show_error (self, error);
      return;
    }

  /* A remembered password follows the change. */
  carnet_ui_update_stored_password (carnet_ent_client_get_host (client),
                                    carnet_step_page_get_login (STEP (self)),
                                    carnet_new_password_group_get_password (self->password_group));
  /* The passwords have done their work: they must not stay in widgets. */
  carnet_password_page_clear (self);
  carnet_step_page_emit_done (STEP (self));
}

/* @current: the current password, as the ENT must check it. */
static void
submit (CarnetPasswordPage *self,
        const char         *current)
{
  const char *password;
  GCancellable *cancellable;

  if (!can_submit (self))
    return;

  clear_error (self);
  password = carnet_new_password_group_get_password (self->password_group);

  cancellable = carnet_step_page_begin_call (STEP (self));
  /* The forced change goes through the ENT's reset, which ends the
   * session; the client then logs in again with the new password. */
  carnet_ent_client_force_change_password_async (carnet_step_page_get_client (STEP (self)),
                                                 carnet_step_page_get_login (STEP (self)),
                                                 current,
                                                 password,
                                                 password,
                                                 cancellable,
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

  carnet_step_page_cancel (STEP (self));
}

static void
carnet_password_page_real_clear (CarnetStepPage *step)
{
  CarnetPasswordPage *self = CARNET_PASSWORD_PAGE (step);

  clear_error (self);
  gtk_editable_set_text (GTK_EDITABLE (self->current_row), "");
  carnet_new_password_group_clear (self->password_group);
  update_change_cb (self);
}

void
carnet_password_page_clear (CarnetPasswordPage *self)
{
  g_return_if_fail (CARNET_IS_PASSWORD_PAGE (self));

  carnet_step_page_clear (STEP (self));
}

void
carnet_password_page_set_account (CarnetPasswordPage *self,
                                  CarnetEntClient    *client,
                                  const char         *login)
{
  g_return_if_fail (CARNET_IS_PASSWORD_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  carnet_password_page_clear (self);
  carnet_step_page_set_account (STEP (self), client, login);

  carnet_new_password_group_set_context (self->password_group,
                                         client ? carnet_ent_client_get_cached_context (client) : NULL,
                                         FALSE);
  update_change_cb (self);
}

/* --- The session ended: the password again ------------------------------------ */

static void
carnet_password_page_retry (CarnetStepPage *step,
                            const char     *password)
{
  /* The ENT checks the current password of a change as it checks a login's:
   * the one it has just accepted is the current one, even if the field
   * (kept as typed) says otherwise; another would only be refused, and
   * count towards a ban. */
  submit (CARNET_PASSWORD_PAGE (step), password);
}

static void
carnet_password_page_show_failed (CarnetStepPage *step,
                                  const GError   *error)
{
  CarnetPasswordPage *self = CARNET_PASSWORD_PAGE (step);

  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);
}

static void
carnet_password_page_done (CarnetStepPage *step)
{
  g_signal_emit (step, signals [CHANGED], 0);
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

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_PASSWORD_PAGE);

  G_OBJECT_CLASS (carnet_password_page_parent_class)->dispose (object);
}

static void
carnet_password_page_class_init (CarnetPasswordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CarnetStepPageClass *step_class = CARNET_STEP_PAGE_CLASS (klass);

  object_class->dispose = carnet_password_page_dispose;

  widget_class->grab_focus = carnet_password_page_grab_focus;

  step_class->done = carnet_password_page_done;
  step_class->update_busy = carnet_password_page_update_busy;
  step_class->retry = carnet_password_page_retry;
  step_class->show_failed = carnet_password_page_show_failed;
  step_class->clear = carnet_password_page_real_clear;

  signals [CHANGED] =
    g_signal_new ("changed",
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
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, busy_actions);
  gtk_widget_class_bind_template_child (widget_class, CarnetPasswordPage, change_button);
  gtk_widget_class_bind_template_callback (widget_class, update_change_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, current_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
carnet_password_page_init (CarnetPasswordPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_reauth_add_button (carnet_step_page_get_reauth (STEP (self)), self->error_box);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->current_row), NULL);
  update_change_cb (self);
}
