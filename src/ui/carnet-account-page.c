/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-account-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "carnet-credentials.h"
#include "carnet-shared-machine.h"
#include "carnet-ent-client-private.h"
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
  STEP_LOAD_CHILDREN,
} Step;

struct _CarnetAccountPage
{
  GtkWidget             parent_instance;

  AdwAvatar            *avatar;
  GtkLabel             *title_label;
  GtkLabel             *schools_label;
  AdwViewStack         *view_stack;
  GtkScrolledWindow    *profile_scroll;
  GtkScrolledWindow    *children_scroll;
  AdwPreferencesGroup  *requirements_group;
  AdwActionRow         *requirements_row;
  AdwActionRow         *login_row;
  AdwActionRow         *email_row;
  AdwPasswordEntryRow  *current_password_row;
  GtkLabel             *current_error_label;
  CarnetNewPasswordGroup *new_password_group;
  AdwEntryRow          *new_email_row;
  AdwPasswordEntryRow  *code_row;
  GtkLabel             *email_info_label;
  GtkLabel             *email_error_label;
  GtkButton            *resend_button;
  GtkStack             *save_stack;
  GtkButton            *save_button;
  GtkSpinner           *save_spinner;
  GtkLabel             *save_busy_label;
  GtkButton            *save_cancel_button;
  GtkStack             *children_stack;
  GtkSpinner           *children_spinner;
  AdwStatusPage        *children_error_page;
  GtkBox               *children_box;
  GtkStack             *action_stack;
  GtkButton            *logout_button;
  GtkSpinner           *spinner;

  CarnetEntClient      *client;
  CarnetEntUser        *user;
  GCancellable         *cancellable;          /* logout */
  GCancellable         *save_cancellable;
  GCancellable         *children_cancellable;
  GPtrArray            *school_groups;

  Step                  step;
  /* The current password was checked by the ENT during this save. */
  gboolean              password_verified;
  /* A code was mailed to the new address and can be typed. */
  gboolean              code_pending;
  gboolean              children_loaded;
  CarnetReauth         *reauth;
};

G_DEFINE_FINAL_TYPE (CarnetAccountPage, carnet_account_page, GTK_TYPE_WIDGET)

enum {
  LOGGED_OUT,
  ACTION_REQUIRED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void run_step (CarnetAccountPage *self);
static void load_children (CarnetAccountPage *self);

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
add_toast (CarnetAccountPage *self,
           const char        *text)
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
set_saving (CarnetAccountPage *self,
            const char        *what)
{
  gboolean busy = what != NULL;
  GtkWidget *rows[] = {
    GTK_WIDGET (self->current_password_row), GTK_WIDGET (self->new_email_row),
    GTK_WIDGET (self->code_row), GTK_WIDGET (self->resend_button),
  };

  gtk_stack_set_visible_child_name (self->save_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->save_spinner, busy);
  if (busy)
    {
      gtk_label_set_text (self->save_busy_label, what);
      gtk_widget_grab_focus (GTK_WIDGET (self->save_cancel_button));
    }

  /* Insensitive but never cleared: what was typed stays. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !busy);
  carnet_new_password_group_set_editable (self->new_password_group, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->logout_button), !busy);
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
show_email (CarnetAccountPage *self)
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
clear_errors (CarnetAccountPage *self)
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
show_step_error (CarnetAccountPage *self,
                 const GError      *error)
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
save_done (CarnetAccountPage *self)
{
  g_clear_object (&self->save_cancellable);
  self->step = STEP_NONE;
  set_saving (self, NULL);
}

static void
clear_password_rows (CarnetAccountPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->current_password_row), "");
  carnet_new_password_group_clear (self->new_password_group);
}

static void reauth_prompt (CarnetAccountPage *self);

/* A failed step: ask for the password again when the session expired, else
 * say what went wrong next to the field concerned. */
static void
step_failed (CarnetAccountPage *self,
             const GError      *error)
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
step_current (CarnetAccountPage *self,
              const GError      *error)
{
  if (error != NULL && is_cancelled (error))
    return FALSE;

  return self->save_cancellable != NULL && !g_cancellable_is_cancelled (self->save_cancellable);
}

static void
change_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
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
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_login_finish (CARNET_ENT_CLIENT (object), result, &error))
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
  g_autoptr(CarnetAccountPage) self = user_data;
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
  g_autoptr(CarnetAccountPage) self = user_data;
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
  g_autoptr(CarnetAccountPage) self = user_data;
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
run_step (CarnetAccountPage *self)
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
      carnet_ent_client_login_async (self->client, login,
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

    case STEP_LOAD_CHILDREN:
      save_done (self);
      load_children (self);
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
save (CarnetAccountPage *self)
{
  const char *current = get_text (self->current_password_row);
  const char *new_password = carnet_new_password_group_get_password (self->new_password_group);
  g_autofree char *email = NULL;
  gboolean want_password;
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

  if (*current == '\0')
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
  self->step = want_password ? STEP_CHANGE_PASSWORD : STEP_CHECK_PASSWORD;
  run_step (self);
}

static void
save_clicked_cb (CarnetAccountPage *self)
{
  save (self);
}

static void
save_activated_cb (CarnetAccountPage *self)
{
  save (self);
}

static void
resend_clicked_cb (CarnetAccountPage *self)
{
  if (self->save_cancellable != NULL || *get_text (self->new_email_row) == '\0')
    return;

  clear_errors (self);
  self->step = STEP_SEND_CODE;
  run_step (self);
}

static void
save_cancel_clicked_cb (CarnetAccountPage *self)
{
  /* Logging in again is part of the save. */
  carnet_reauth_reset (self->reauth);
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  save_done (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
}

static void
field_changed_cb (CarnetAccountPage *self,
                  GtkEditable       *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

/* --- Session expired: the password again, in place ------------------------- */

static void
reauth_busy_cb (CarnetAccountPage *self)
{
  set_saving (self, carnet_reauth_get_busy (self->reauth) ? _("Logging in again…") : NULL);
}

static void
reauth_logged_in_cb (CarnetAccountPage *self)
{
  /* Logged in again: do what was interrupted, with what was typed. */
  if (step_current (self, NULL))
    run_step (self);
}

static void
reauth_failed_cb (CarnetAccountPage *self,
                  const GError      *error)
{
  gboolean saving = self->step != STEP_LOAD_CHILDREN;

  self->step = STEP_NONE;
  g_clear_object (&self->save_cancellable);
  set_saving (self, NULL);

  if (!g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CANCELLED))
    set_field_error (self->current_error_label, NULL, error->message);
  else if (saving)
    set_field_error (self->current_error_label, NULL,
                     _("Your session has expired: nothing was saved. Save again to log in again."));
}

static void
reauth_prompt (CarnetAccountPage *self)
{
  if (self->save_cancellable == NULL)
    self->save_cancellable = g_cancellable_new ();

  carnet_reauth_prompt (self->reauth, self->client, carnet_ent_user_get_login (self->user));
}

/* --- Enfants ------------------------------------------------------------------ */

static void
clear_children (CarnetAccountPage *self)
{
  for (guint i = 0; i < self->school_groups->len; i++)
    gtk_box_remove (self->children_box, g_ptr_array_index (self->school_groups, i));
  g_ptr_array_set_size (self->school_groups, 0);
  self->children_loaded = FALSE;
}

static void
show_children (CarnetAccountPage *self,
               GPtrArray         *children)
{
  /* By the school's name as the ENT gives it (the titles are escaped). */
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  clear_children (self);

  if (children->len == 0)
    {
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("The ENT links no child to this account."));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      gtk_box_append (self->children_box, group);
      g_ptr_array_add (self->school_groups, group);
    }

  for (guint i = 0; i < children->len; i++)
    {
      CarnetEntChild *child = g_ptr_array_index (children, i);
      const char *school = carnet_ent_child_get_school_name (child);
      const char * const *classes = carnet_ent_child_get_classes (child);
      const char *first = carnet_ent_child_get_first_name (child);
      const char *last = carnet_ent_child_get_last_name (child);
      g_autofree char *name = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *label = NULL;
      GtkWidget *group;
      GtkWidget *row;

      if (school == NULL || *school == '\0')
        school = _("Other school");

      group = g_hash_table_lookup (groups, school);
      if (group == NULL)
        {
          /* A group's title is always Pango markup (libadwaita 1.2): a
           * school « Saint-Joseph & Sainte-Marie » would show no title. */
          g_autofree char *escaped = g_markup_escape_text (school, -1);

          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped);
          gtk_box_append (self->children_box, group);
          g_ptr_array_add (self->school_groups, group);
          g_hash_table_insert (groups, g_strdup (school), group);
        }

      if (first != NULL && *first != '\0')
        name = g_strdup_printf ("%s %s", first, last ? last : "");
      else
        name = g_strdup (carnet_ent_child_get_display_name (child));
      g_strstrip (name);

      if (classes != NULL && classes[0] != NULL)
        subtitle = g_strjoinv (", ", (char **) classes);

      row = adw_action_row_new ();
      /* Names and classes are the ENT's text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "avatar-default-symbolic");
      if (subtitle != NULL)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          /* Translators: an accessible name, "<child>, <classes>, <school>". */
          label = g_strdup_printf (_("%s, %s, %s"), name, subtitle, school);
        }
      else
        label = g_strdup_printf (_("%s, %s"), name, school);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  self->children_loaded = TRUE;
  gtk_stack_set_visible_child_name (self->children_stack, "list");
}

static void
children_failed (CarnetAccountPage *self,
                 const char        *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  gtk_spinner_set_spinning (self->children_spinner, FALSE);
  /* The description is always markup; the message may quote the ENT. */
  adw_status_page_set_description (self->children_error_page, escaped);
  gtk_stack_set_visible_child_name (self->children_stack, "error");
}

static void
get_children_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GError) error = NULL;

  children = carnet_ent_client_get_children_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (children == NULL && is_cancelled (error))
    return;
  if (self->children_cancellable == NULL || g_cancellable_is_cancelled (self->children_cancellable))
    return;

  g_clear_object (&self->children_cancellable);
  gtk_spinner_set_spinning (self->children_spinner, FALSE);

  if (children == NULL)
    {
      g_debug ("No children from the ENT: %s", error->message);
      children_failed (self, error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED) &&
          self->save_cancellable == NULL)
        {
          g_signal_emit (self, signals [ACTION_REQUIRED], 0);
          return;
        }
      /* As for a change: the password again, then load them again. */
      if (carnet_reauth_error_matches (error) &&
          self->save_cancellable == NULL)
        {
          self->step = STEP_LOAD_CHILDREN;
          reauth_prompt (self);
        }
      return;
    }

  show_children (self, children);
}

static void
load_children (CarnetAccountPage *self)
{
  if (self->client == NULL || self->user == NULL)
    return;

  if (self->children_cancellable != NULL)
    g_cancellable_cancel (self->children_cancellable);
  g_clear_object (&self->children_cancellable);

  self->children_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->children_stack, "loading");
  gtk_spinner_set_spinning (self->children_spinner, TRUE);
  carnet_ent_client_get_children_async (self->client, self->user,
                                        self->children_cancellable,
                                        get_children_cb, g_object_ref (self));
}

static void
children_cancel_clicked_cb (CarnetAccountPage *self)
{
  if (self->children_cancellable != NULL)
    g_cancellable_cancel (self->children_cancellable);
  g_clear_object (&self->children_cancellable);
  children_failed (self, _("Loading was cancelled."));
}

static void
children_retry_clicked_cb (CarnetAccountPage *self)
{
  load_children (self);
}

/* --- The account -------------------------------------------------------------- */

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

static void
reset_profile (CarnetAccountPage *self)
{
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  carnet_reauth_reset (self->reauth);
  self->step = STEP_NONE;
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
carnet_account_page_set_account (CarnetAccountPage     *self,
                                 CarnetEntClient       *client,
                                 CarnetEntUser         *user,
                                 CarnetEntRequirements *requirements)
{
  g_autofree char *title = NULL;
  g_autofree char *schools = NULL;
  const char *first_name;
  const char *display_name;
  const char * const *structures;

  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));
  g_return_if_fail (!user || CARNET_IS_ENT_USER (user));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->children_cancellable != NULL)
    g_cancellable_cancel (self->children_cancellable);
  g_clear_object (&self->children_cancellable);
  set_busy (self, FALSE);
  reset_profile (self);
  clear_children (self);

  g_set_object (&self->client, client);
  g_set_object (&self->user, user);

  adw_view_stack_set_visible_child_name (self->view_stack, "profile");
  /* Another parent (or the same, later) starts at the top, not where the
   * last one left the page. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->profile_scroll), 0);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->children_scroll), 0);

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
  show_email (self);
  if (client != NULL)
    carnet_new_password_group_set_context (self->new_password_group,
                                           carnet_ent_client_get_cached_context (client),
                                           FALSE);

  update_requirements (self, requirements);

  if (client != NULL)
    load_children (self);
}

/* --- Logging out ----------------------------------------------------------------- */

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
      if (is_cancelled (error))
        return;

      g_debug ("The ENT was not told about the logout: %s", error->message);
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  carnet_account_page_set_account (self, NULL, NULL, NULL);

  g_signal_emit (self, signals [LOGGED_OUT], 0);
}

static void
do_log_out (CarnetAccountPage *self)
{
  if (self->cancellable != NULL)
    return;

  if (self->client == NULL)
    {
      g_signal_emit (self, signals [LOGGED_OUT], 0);
      return;
    }

  reset_profile (self);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  carnet_ent_client_logout_async (self->client,
                                  self->cancellable,
                                  logout_cb,
                                  g_object_ref (self));
}

void
carnet_account_page_log_out (CarnetAccountPage *self)
{
  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));

  do_log_out (self);
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_credentials_forget_finish (result, &error))
    {
      g_debug ("The stored password was not forgotten: %s", error->message);
      add_toast (self, _("Carnet could not forget the stored password."));
    }

  do_log_out (self);
}

static void
logout_response_cb (CarnetAccountPage *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  if (g_str_equal (response, "forget") && self->client != NULL && self->user != NULL)
    {
      carnet_credentials_forget_async (carnet_ent_client_get_host (self->client),
                                       carnet_ent_user_get_login (self->user),
                                       NULL, forget_cb, g_object_ref (self));
      return;
    }

  if (g_str_equal (response, "keep"))
    do_log_out (self);
}

static void
logout_list_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stored = FALSE;
  GtkRoot *root;
  GtkWidget *dialog;

  accounts = carnet_credentials_list_finish (result, &error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->logout_button), TRUE);

  if (self->client == NULL || self->user == NULL)
    return;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->host, carnet_ent_client_get_host (self->client)) &&
          g_str_equal (account->login, carnet_ent_user_get_login (self->user)))
        stored = TRUE;
    }

  if (!stored)
    {
      do_log_out (self);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Forget the Password?"),
                                   _("Your password is stored on this computer, so that Carnet logs you in by itself. Do you also want to forget it?"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "keep", _("_Keep It"),
                                    "forget", _("_Forget It"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "forget",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (logout_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
logout_clicked_cb (CarnetAccountPage *self)
{
  /* A shared machine never reads the keyring: nothing can be stored. */
  if (self->cancellable != NULL || self->client == NULL ||
      carnet_shared_machine_is_enabled ())
    {
      do_log_out (self);
      return;
    }

  /* Only the list of accounts: the keyring is not unlocked for this. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->logout_button), FALSE);
  carnet_credentials_list_async (NULL, logout_list_cb, g_object_ref (self));
}

static gboolean
carnet_account_page_grab_focus (GtkWidget *widget)
{
  CarnetAccountPage *self = CARNET_ACCOUNT_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->current_password_row));
}

static void
carnet_account_page_dispose (GObject *object)
{
  CarnetAccountPage *self = CARNET_ACCOUNT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->save_cancellable != NULL)
    g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  if (self->children_cancellable != NULL)
    g_cancellable_cancel (self->children_cancellable);
  g_clear_object (&self->children_cancellable);
  g_clear_object (&self->reauth);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_pointer (&self->school_groups, g_ptr_array_unref);

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

  /* The ENT asks for a step first (ACTION_REQUIRED: charter, forced
   * password, email): the window asks for the requirements and shows it. */
  signals [ACTION_REQUIRED] =
    g_signal_new ("action-required",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (CARNET_TYPE_NEW_PASSWORD_GROUP);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-account-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, name)
  BIND (avatar);
  BIND (title_label);
  BIND (schools_label);
  BIND (view_stack);
  BIND (profile_scroll);
  BIND (children_scroll);
  BIND (requirements_group);
  BIND (requirements_row);
  BIND (login_row);
  BIND (email_row);
  BIND (current_password_row);
  BIND (current_error_label);
  BIND (new_password_group);
  BIND (new_email_row);
  BIND (code_row);
  BIND (email_info_label);
  BIND (email_error_label);
  BIND (resend_button);
  BIND (save_stack);
  BIND (save_button);
  BIND (save_spinner);
  BIND (save_busy_label);
  BIND (save_cancel_button);
  BIND (children_stack);
  BIND (children_spinner);
  BIND (children_error_page);
  BIND (children_box);
  BIND (action_stack);
  BIND (logout_button);
  BIND (spinner);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, logout_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resend_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, children_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, children_retry_clicked_cb);
}

static void
carnet_account_page_init (CarnetAccountPage *self)
{
  self->reauth = carnet_reauth_new (GTK_WIDGET (self));
  g_signal_connect_object (self->reauth, "notify::busy", G_CALLBACK (reauth_busy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "logged-in", G_CALLBACK (reauth_logged_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reauth, "failed", G_CALLBACK (reauth_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->school_groups = g_ptr_array_new ();

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->current_password_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->new_email_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->code_row), NULL);
}
