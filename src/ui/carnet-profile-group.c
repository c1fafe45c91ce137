/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-profile-group.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "carnet-busy-actions.h"
#include "carnet-new-password-group.h"
#include "carnet-reauth.h"
#include "carnet-ui-private.h"

/* What "Save" is doing; also what to repeat after logging in again when the
 * session expired in the middle. */
typedef enum {
  STEP_NONE,
  STEP_CHANGE_PASSWORD,
  STEP_CHECK_PASSWORD,
  STEP_SEND_CODE,
  STEP_CHECK_CODE,
  STEP_REFRESH_USER,
  /* Logged in again for the children (outside a save). */
  STEP_LOGGED_IN_AGAIN,
} Step;

struct _CarnetProfileGroup
{
  GtkWidget               parent_instance;

  GtkScrolledWindow      *scroll;
  AdwPreferencesGroup    *requirements_group;
  AdwActionRow           *requirements_row;
  AdwActionRow           *login_row;
  AdwActionRow           *email_row;
  AdwActionRow           *sign_in_row;
  AdwPreferencesGroup    *current_password_group;
  AdwPasswordEntryRow    *current_password_row;
  GtkLabel               *current_error_label;
  CarnetNewPasswordGroup *new_password_group;
  AdwEntryRow            *new_email_row;
  AdwPasswordEntryRow    *code_row;
  GtkLabel               *email_info_label;
  GtkLabel               *email_error_label;
  GtkButton              *resend_button;
  CarnetBusyActions      *save_actions;
  GtkButton              *save_button;

  CarnetSession          *session;
  CarnetEntClient        *client;
  CarnetEntUser          *user;
  GCancellable           *save_cancellable;

  Step                    step;
  /* The current password was checked by the ENT during this save. */
  gboolean                password_verified;
  /* A code was mailed to the new address and can be typed. */
  gboolean                code_pending;
  /* The children's or the news' pane lost the session while a change was
   * under way: they load again once the password is given again. */
  gboolean                reload_after_reauth;
  CarnetReauth           *reauth;
};

G_DEFINE_FINAL_TYPE (CarnetProfileGroup, carnet_profile_group, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  ACTION_REQUIRED,
  LOGGED_IN_AGAIN,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void run_step (CarnetProfileGroup *self);

static void
add_toast (CarnetProfileGroup *self,
           const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static const char *
get_text (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
set_saving (CarnetProfileGroup *self,
            const char         *what)
{
  gboolean busy = what != NULL;
  gboolean was_busy = carnet_busy_actions_get_busy (self->save_actions);
  GtkWidget *rows[] = {
    GTK_WIDGET (self->current_password_row), GTK_WIDGET (self->new_email_row),
    GTK_WIDGET (self->code_row), GTK_WIDGET (self->resend_button),
  };

  if (busy)
    carnet_busy_actions_set_text (self->save_actions, what);
  carnet_busy_actions_set_busy (self->save_actions, busy);
  /* Each step in turn: « Annuler » keeps the focus. */
  if (busy)
    gtk_widget_grab_focus (carnet_busy_actions_get_cancel_button (self->save_actions));

  /* Insensitive but never cleared: what was typed stays. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !busy);
  carnet_new_password_group_set_editable (self->new_password_group, !busy);

  if (busy != was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
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
show_email (CarnetProfileGroup *self)
{
  const char *email = self->user ? carnet_ent_user_get_email (self->user) : NULL;

  set_row_value (self->email_row, (email && *email) ? email : _("None yet"));
}

/* --- Errors next to their field --------------------------------------------- */

static void
set_field_error (GtkLabel   *label,
                 GtkWidget  *row,
                 const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (row == NULL)
    return;

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
      gtk_widget_grab_focus (row);
      gtk_editable_select_region (GTK_EDITABLE (row), 0, -1);
    }
}

static void
clear_errors (CarnetProfileGroup *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->current_password_row), GTK_WIDGET (self->new_email_row),
    GTK_WIDGET (self->code_row),
  };

  set_field_error (self->current_error_label, NULL, NULL);
  set_field_error (self->email_error_label, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gtk_widget_remove_css_class (rows[i], "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* Where an error of @step goes: under the field it is about. */
static void
show_step_error (CarnetProfileGroup *self,
                 const GError       *error)
{
  CarnetEntField field = carnet_ent_error_get_field (error);

  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS))
    {
      set_field_error (self->current_error_label, GTK_WIDGET (self->current_password_row),
                       _("The current password is incorrect."));
      return;
    }

  switch (self->step)
    {
    case STEP_CHANGE_PASSWORD:
      if (field == CARNET_ENT_FIELD_PASSWORD)
        set_field_error (self->current_error_label, GTK_WIDGET (self->current_password_row), error->message);
      else
        carnet_new_password_group_set_error (self->new_password_group,
                                             field == CARNET_ENT_FIELD_CONFIRM_PASSWORD,
                                             error->message);
      break;

    case STEP_CHECK_PASSWORD:
      set_field_error (self->current_error_label, GTK_WIDGET (self->current_password_row), error->message);
      break;

    case STEP_SEND_CODE:
      set_field_error (self->email_error_label, GTK_WIDGET (self->new_email_row), error->message);
      break;

    case STEP_CHECK_CODE:
      set_field_error (self->email_error_label, GTK_WIDGET (self->code_row), error->message);
      break;

    case STEP_REFRESH_USER:
    case STEP_NONE:
    default:
      set_field_error (self->email_error_label, NULL, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
      break;
    }
}

/* --- Saving, step by step --------------------------------------------------- */

static void
save_done (CarnetProfileGroup *self)
{
  g_clear_object (&self->save_cancellable);
  self->step = STEP_NONE;
  set_saving (self, NULL);
}

static void
clear_password_rows (CarnetProfileGroup *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->current_password_row), "");
  carnet_new_password_group_clear (self->new_password_group);
}

static void reauth_prompt (CarnetProfileGroup *self);

/* A failed step: ask for the password again when the session expired, else
 * say what went wrong next to the field concerned. */
static void
step_failed (CarnetProfileGroup *self,
             const GError       *error)
{
  if (carnet_reauth_error_matches (error))
    {
      /* Keep self->step: it is repeated once logged in again. */
      set_saving (self, NULL);
      reauth_prompt (self);
      return;
    }

  g_debug ("Saving failed: %s", error->message);
  g_clear_object (&self->save_cancellable);
  self->step = STEP_NONE;
  /* The ENT wants a step first (its charter changed, a password change
   * forced meanwhile): the window shows it, then this page again. */
  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED))
    {
      set_saving (self, NULL);
      g_signal_emit (self, signals [ACTION_REQUIRED], 0);
      return;
    }
  /* Once the fields are sensitive again, so that the one at fault gets the focus. */
  set_saving (self, NULL);
  show_step_error (self, error);
}

/* Whether this step's answer still matters. */
static gboolean
step_current (CarnetProfileGroup *self,
              const GError       *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return self->save_cancellable != NULL && !g_cancellable_is_cancelled (self->save_cancellable);
}

static void
change_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CarnetProfileGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_change_password_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      if (step_current (self, error))
        step_failed (self, error);
      return;
    }

  if (!step_current (self, NULL))
    return;

  carnet_ui_update_stored_password (carnet_ent_client_get_host (self->client),
                                    carnet_ent_user_get_login (self->user),
                                    carnet_new_password_group_get_password (self->new_password_group));
  /* The passwords have done their work. */
  clear_password_rows (self);
  self->password_verified = TRUE;
  add_toast (self, _("Password changed"));

  if (*get_text (self->new_email_row) != '\0' && !self->code_pending)
    {
      self->step = STEP_SEND_CODE;
      run_step (self);
      return;
    }

  save_done (self);
}

static void
check_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CarnetProfileGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_session_check_password_finish (CARNET_SESSION (object), result, &error))
    {
      if (step_current (self, error))
        step_failed (self, error);
      return;
    }

  if (!step_current (self, NULL))
    return;

  self->password_verified = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->current_password_row), "");
  self->step = STEP_SEND_CODE;
  run_step (self);
}

static void
send_code_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CarnetProfileGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;

  if (!carnet_ent_client_send_mail_code_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      if (step_current (self, error))
        step_failed (self, error);
      return;
    }

  if (!step_current (self, NULL))
    return;

  self->code_pending = TRUE;
  /* Translators: %s is the new email address. */
  info = g_strdup_printf (_("A 6-digit code was sent to %s. Type it here, then save."),
                          get_text (self->new_email_row));
  gtk_label_set_text (self->email_info_label, info);
  gtk_widget_set_visible (GTK_WIDGET (self->email_info_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->resend_button), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");

  save_done (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
refresh_user_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetProfileGroup) self = user_data;
  g_autoptr(CarnetEntUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = carnet_ent_client_get_user_info_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (user == NULL)
    {
      if (step_current (self, error))
        step_failed (self, error);
      return;
    }

  if (!step_current (self, NULL))
    return;

  g_set_object (&self->user, user);
  /* The session's profile is this one now (the new email). */
  carnet_session_set_user (self->session, user);
  show_email (self);
  gtk_editable_set_text (GTK_EDITABLE (self->new_email_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->email_info_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->resend_button), FALSE);
  add_toast (self, _("Email address changed"));
  save_done (self);
}

static void
check_code_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CarnetProfileGroup) self = user_data;
  g_autoptr(CarnetEntMailState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint tries;

  state = carnet_ent_client_check_mail_code_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (state == NULL)
    {
      if (step_current (self, error))
        step_failed (self, error);
      return;
    }

  if (!step_current (self, NULL))
    return;

  switch (carnet_ent_mail_state_get_kind (state))
    {
    case CARNET_ENT_MAIL_STATE_VALID:
      self->code_pending = FALSE;
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
      self->step = STEP_REFRESH_USER;
      run_step (self);
      return;

    case CARNET_ENT_MAIL_STATE_OUTDATED:
      self->code_pending = FALSE;
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
      gtk_widget_set_visible (GTK_WIDGET (self->code_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->email_info_label), FALSE);
      save_done (self);
      set_field_error (self->email_error_label, GTK_WIDGET (self->resend_button),
                       _("This code is no longer valid. Ask for a new code."));
      gtk_widget_grab_focus (GTK_WIDGET (self->resend_button));
      return;

    case CARNET_ENT_MAIL_STATE_PENDING:
    case CARNET_ENT_MAIL_STATE_NONE:
    case CARNET_ENT_MAIL_STATE_UNCHECKED:
    default:
      tries = carnet_ent_mail_state_get_tries (state);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "This code is not the right one. %u try left.",
                                              "This code is not the right one. %u tries left.",
                                              tries),
                                 tries);
      save_done (self);
      set_field_error (self->email_error_label, GTK_WIDGET (self->code_row), message);
      return;
    }
}

static void
run_step (CarnetProfileGroup *self)
{
  const char *login = carnet_ent_user_get_login (self->user);

  if (self->save_cancellable == NULL)
    self->save_cancellable = g_cancellable_new ();

  switch (self->step)
    {
    case STEP_CHANGE_PASSWORD:
      set_saving (self, _("Changing the password…"));
      /* The group only says "valid" when both fields are identical. */
      carnet_ent_client_change_password_async (self->client, login,
                                               get_text (self->current_password_row),
                                               carnet_new_password_group_get_password (self->new_password_group),
                                               carnet_new_password_group_get_password (self->new_password_group),
                                               self->save_cancellable,
                                               change_password_cb, g_object_ref (self));
      break;

    case STEP_CHECK_PASSWORD:
      /* Changing the address itself does not need the password, but the
       * letter asks for it before any change: logging in again with it is
       * how the ENT checks it (a wrong one is BAD_CREDENTIALS), and it also
       * renews the session before the code is sent. */
      set_saving (self, _("Checking your password…"));
      carnet_session_check_password_async (self->session,
                                           get_text (self->current_password_row),
                                           self->save_cancellable,
                                           check_password_cb, g_object_ref (self));
      break;

    case STEP_SEND_CODE:
      set_saving (self, _("Sending a code to the new address…"));
      carnet_ent_client_send_mail_code_async (self->client,
                                              get_text (self->new_email_row),
                                              self->save_cancellable,
                                              send_code_cb, g_object_ref (self));
      break;

    case STEP_CHECK_CODE:
      set_saving (self, _("Checking the code…"));
      carnet_ent_client_check_mail_code_async (self->client,
                                               get_text (self->code_row),
                                               self->save_cancellable,
                                               check_code_cb, g_object_ref (self));
      break;

    case STEP_REFRESH_USER:
      set_saving (self, _("Updating your account…"));
      carnet_ent_client_get_user_info_async (self->client,
                                             self->save_cancellable,
                                             refresh_user_cb, g_object_ref (self));
      break;

    case STEP_LOGGED_IN_AGAIN:
      save_done (self);
      g_signal_emit (self, signals [LOGGED_IN_AGAIN], 0);
      break;

    case STEP_NONE:
    default:
      save_done (self);
      break;
    }
}

static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '.') != NULL &&
         strchr (text, ' ') == NULL && at[1] != '.';
}

static void
save (CarnetProfileGroup *self)
{
  const char *current = get_text (self->current_password_row);
  const char *new_password = carnet_new_password_group_get_password (self->new_password_group);
  g_autofree char *email = NULL;
  gboolean want_password;
  /* Logged in through EduConnect: no ENT password to check (nor to
   * change); the address is changed with the mailed code alone. */
  gboolean federated = self->session != NULL && carnet_session_get_federated (self->session);
  gboolean want_email;

  if (self->client == NULL || self->user == NULL || self->save_cancellable != NULL)
    return;

  clear_errors (self);

  email = g_strstrip (g_strdup (get_text (self->new_email_row)));
  want_password = *new_password != '\0';
  want_email = *email != '\0' && !self->code_pending;

  /* The code from the mail is what is left to do. */
  if (self->code_pending && !want_password)
    {
      g_autoptr(CarnetUiSecret) code = g_strstrip (g_strdup (get_text (self->code_row)));

      if (*code == '\0')
        {
          set_field_error (self->email_error_label, GTK_WIDGET (self->code_row),
                           _("Type the code received by email."));
          return;
        }
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
      self->step = STEP_CHECK_CODE;
      run_step (self);
      return;
    }

  if (!want_password && !want_email)
    {
      set_field_error (self->current_error_label, NULL,
                       _("Nothing to save: type a new password or a new email address."));
      return;
    }

  if (*current == '\0' && !federated)
    {
      set_field_error (self->current_error_label, GTK_WIDGET (self->current_password_row),
                       _("Type your current password: it is required for any change."));
      return;
    }

  if (want_password)
    {
      CarnetEntContext *context = carnet_ent_client_get_cached_context (self->client);

      if (context != NULL && !carnet_ent_context_check_password (context, new_password))
        {
          const char *rule = carnet_ent_context_get_password_rule (context, FALSE);

          carnet_new_password_group_set_error (self->new_password_group, FALSE,
                                               rule ? rule : _("The new password does not follow the ENT’s rule."));
          return;
        }
      if (!carnet_new_password_group_get_valid (self->new_password_group))
        {
          carnet_new_password_group_set_error (self->new_password_group, TRUE,
                                               _("The two new passwords are not the same."));
          return;
        }
    }

  if (want_email)
    {
      if (!looks_like_email (email))
        {
          set_field_error (self->email_error_label, GTK_WIDGET (self->new_email_row),
                           _("This email address does not look right."));
          return;
        }
      gtk_editable_set_text (GTK_EDITABLE (self->new_email_row), email);
    }

  self->password_verified = FALSE;
  if (federated)
    self->step = STEP_SEND_CODE;
  else
    self->step = want_password ? STEP_CHANGE_PASSWORD : STEP_CHECK_PASSWORD;
  run_step (self);
}

static void
save_clicked_cb (CarnetProfileGroup *self)
{
  save (self);
}

static void
save_activated_cb (CarnetProfileGroup *self)
{
  save (self);
}

static void
resend_clicked_cb (CarnetProfileGroup *self)
{
  if (self->save_cancellable != NULL || *get_text (self->new_email_row) == '\0')
    return;

  clear_errors (self);
  self->step = STEP_SEND_CODE;
  run_step (self);
}

static void
save_cancel_clicked_cb (CarnetProfileGroup *self)
{
  /* Logging in again is part of the save. */
  carnet_reauth_reset (self->reauth);
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  save_done (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
}

static void
field_changed_cb (CarnetProfileGroup *self,
                  GtkEditable        *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

/* --- Session expired: the password again, in place ------------------------- */

static void
reauth_busy_cb (CarnetProfileGroup *self)
{
  set_saving (self, carnet_reauth_get_busy (self->reauth) ? _("Logging in again…") : NULL);
}

static void
reauth_logged_in_cb (CarnetProfileGroup *self)
{
  if (self->reload_after_reauth)
    {
      self->reload_after_reauth = FALSE;
      g_signal_emit (self, signals [LOGGED_IN_AGAIN], 0);
    }

  /* Logged in again: do what was interrupted, with what was typed. */
  if (step_current (self, NULL))
    run_step (self);
}

static void
reauth_failed_cb (CarnetProfileGroup *self,
                  const GError       *error)
{
  gboolean saving = self->step != STEP_LOGGED_IN_AGAIN;

  self->step = STEP_NONE;
  self->reload_after_reauth = FALSE;
  g_clear_object (&self->save_cancellable);
  set_saving (self, NULL);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_field_error (self->current_error_label, NULL, error->message);
  else if (saving)
    set_field_error (self->current_error_label, NULL,
                     _("Your session has expired: nothing was saved. Save again to log in again."));
}

static void
reauth_prompt (CarnetProfileGroup *self)
{
  if (self->save_cancellable == NULL)
    self->save_cancellable = g_cancellable_new ();

  carnet_reauth_prompt (self->reauth, self->client, carnet_ent_user_get_login (self->user));
}

/* --- The profile ------------------------------------------------------------------ */

static void
update_requirements (CarnetProfileGroup    *self,
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

static void
reset_profile (CarnetProfileGroup *self)
{
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  carnet_reauth_reset (self->reauth);
  self->step = STEP_NONE;
  self->reload_after_reauth = FALSE;
  self->code_pending = FALSE;
  set_saving (self, NULL);
  clear_errors (self);
  clear_password_rows (self);
  gtk_editable_set_text (GTK_EDITABLE (self->new_email_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->email_info_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->resend_button), FALSE);
}

void
carnet_profile_group_set_reauth (CarnetProfileGroup *self,
                                 CarnetReauth       *reauth)
{
  g_return_if_fail (CARNET_IS_PROFILE_GROUP (self));
  g_return_if_fail (CARNET_IS_REAUTH (reauth));
  g_return_if_fail (self->reauth == NULL);

  self->reauth = g_object_ref (reauth);
  g_signal_connect_object (reauth, "notify::busy", G_CALLBACK (reauth_busy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reauth, "logged-in", G_CALLBACK (reauth_logged_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reauth, "failed", G_CALLBACK (reauth_failed_cb), self, G_CONNECT_SWAPPED);
}

void
carnet_profile_group_reset (CarnetProfileGroup *self)
{
  g_return_if_fail (CARNET_IS_PROFILE_GROUP (self));

  reset_profile (self);
}

gboolean
carnet_profile_group_get_busy (CarnetProfileGroup *self)
{
  g_return_val_if_fail (CARNET_IS_PROFILE_GROUP (self), FALSE);

  return carnet_busy_actions_get_busy (self->save_actions);
}

void
carnet_profile_group_log_in_again (CarnetProfileGroup *self)
{
  g_return_if_fail (CARNET_IS_PROFILE_GROUP (self));

  if (self->client == NULL || self->user == NULL)
    return;

  /* A change under way keeps its step: it asks for the password itself when
   * the ENT refuses it (or already does), and goes on once it is given; the
   * panes load again then. */
  if (self->step != STEP_NONE && self->step != STEP_LOGGED_IN_AGAIN)
    {
      self->reload_after_reauth = TRUE;
      return;
    }

  self->step = STEP_LOGGED_IN_AGAIN;
  reauth_prompt (self);
}

void
carnet_profile_group_scroll_to_top (CarnetProfileGroup *self)
{
  g_return_if_fail (CARNET_IS_PROFILE_GROUP (self));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroll), 0);
}

void
carnet_profile_group_set_session (CarnetProfileGroup *self,
                                  CarnetSession      *session)
{
  CarnetEntClient *client = NULL;
  CarnetEntUser *user = NULL;
  gboolean federated;

  g_return_if_fail (CARNET_IS_PROFILE_GROUP (self));
  g_return_if_fail (!session || CARNET_IS_SESSION (session));

  if (session != NULL)
    {
      client = carnet_session_get_client (session);
      user = carnet_session_get_user (session);
    }

  reset_profile (self);

  g_set_object (&self->session, session);
  g_set_object (&self->client, client);
  g_set_object (&self->user, user);
  update_requirements (self, user != NULL ? carnet_session_get_requirements (session) : NULL);

  /* EduConnect accounts have no ENT password: nothing to type or change,
   * and a line says where their password is. */
  federated = session != NULL && carnet_session_get_federated (session);
  gtk_widget_set_visible (GTK_WIDGET (self->current_password_group), !federated);
  gtk_widget_set_visible (GTK_WIDGET (self->new_password_group), !federated);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_row), federated);
  if (federated)
    set_row_value (self->sign_in_row, _("With EduConnect: your password is managed on EduConnect"));

  if (user == NULL)
    return;

  set_row_value (self->login_row, carnet_ent_user_get_login (user));
  show_email (self);
  carnet_new_password_group_set_context (self->new_password_group,
                                         carnet_ent_client_get_cached_context (client),
                                         FALSE);
}

static void
carnet_profile_group_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CarnetProfileGroup *self = CARNET_PROFILE_GROUP (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, carnet_profile_group_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
carnet_profile_group_grab_focus (GtkWidget *widget)
{
  CarnetProfileGroup *self = CARNET_PROFILE_GROUP (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->current_password_row));
}

static void
carnet_profile_group_dispose (GObject *object)
{
  CarnetProfileGroup *self = CARNET_PROFILE_GROUP (object);

  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  g_clear_object (&self->reauth);
  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_object (&self->user);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_PROFILE_GROUP);

  G_OBJECT_CLASS (carnet_profile_group_parent_class)->dispose (object);
}

static void
carnet_profile_group_class_init (CarnetProfileGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = carnet_profile_group_get_property;
  object_class->dispose = carnet_profile_group_dispose;

  widget_class->grab_focus = carnet_profile_group_grab_focus;

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The ENT asks for a step first (ACTION_REQUIRED: charter, forced
   * password, email): the window asks for the requirements and shows it. */
  signals [ACTION_REQUIRED] =
    g_signal_new ("action-required",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals [LOGGED_IN_AGAIN] =
    g_signal_new ("logged-in-again",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (CARNET_TYPE_BUSY_ACTIONS);
  g_type_ensure (CARNET_TYPE_NEW_PASSWORD_GROUP);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-profile-group.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetProfileGroup, name)
  BIND (scroll);
  BIND (requirements_group);
  BIND (requirements_row);
  BIND (login_row);
  BIND (sign_in_row);
  BIND (email_row);
  BIND (current_password_row);
  BIND (current_error_label);
  BIND (new_password_group);
  BIND (current_password_group);
  BIND (new_email_row);
  BIND (code_row);
  BIND (email_info_label);
  BIND (email_error_label);
  BIND (resend_button);
  BIND (save_actions);
  BIND (save_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resend_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
carnet_profile_group_init (CarnetProfileGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->current_password_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->new_email_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->code_row), NULL);
}
