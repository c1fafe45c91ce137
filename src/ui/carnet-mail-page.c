/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-mail-page.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-busy-actions.h"
#include "carnet-reauth.h"
#include "carnet-ui-private.h"

/* What the ENT waits before a new code when it did not say. */
#define DEFAULT_WAIT_SECONDS 10

struct _CarnetMailPage
{
  CarnetStepPage        parent_instance;

  GtkStack             *step_stack;
  AdwEntryRow          *address_row;
  GtkBox               *address_error_box;
  GtkLabel             *address_error_label;
  GtkLabel             *sent_label;
  AdwPasswordEntryRow  *code_row;
  GtkBox               *code_error_box;
  GtkLabel             *code_error_label;
  CarnetBusyActions    *busy_actions;
  GtkStack             *action_stack;
  GtkButton            *send_button;
  GtkButton            *check_button;
  GtkButton            *resend_button;
  GtkButton            *change_address_button;

  /* What the expired session interrupted, done again once logged in. */
  void                (*interrupted) (CarnetMailPage *self);
  char                 *sent_email;
  guint                 wait_in_seconds;
  guint                 wait_remaining;
  guint                 countdown_id;
};

/* The types its template names, registered with it (GtkBuilder finds
 * types by name). */
G_DEFINE_FINAL_TYPE_WITH_CODE (CarnetMailPage, carnet_mail_page, CARNET_TYPE_STEP_PAGE,
                               g_type_ensure (CARNET_TYPE_BUSY_ACTIONS))

enum {
  VALIDATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define STEP(self) (CARNET_STEP_PAGE (self))

static void load_state (CarnetMailPage *self);
static void send_again (CarnetMailPage *self);
static void send_clicked_cb (CarnetMailPage *self);
static void check_code (CarnetMailPage *self);

static gboolean
on_code_step (CarnetMailPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->step_stack), "code") == 0;
}

static void
focus_row (GtkWidget *row,
           gboolean   select_all)
{
  gtk_widget_grab_focus (GTK_WIDGET (row));
  if (select_all)
    gtk_editable_select_region (GTK_EDITABLE (row), 0, -1);
  else
    gtk_editable_set_position (GTK_EDITABLE (row), -1);
}

static void update_resend (CarnetMailPage *self);

/* A call to the ENT starts: @what it does, next to the spinner. */
static GCancellable *
begin_call (CarnetMailPage *self,
            const char     *what)
{
  carnet_busy_actions_set_text (self->busy_actions, what);

  return carnet_step_page_begin_call (STEP (self));
}

/* A call or the login again starts or ends; the page's busy state is
 * CarnetStepPage's. */
static void
carnet_mail_page_update_busy (CarnetStepPage *step,
                              gboolean        busy)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (step);
  CarnetReauth *reauth = carnet_step_page_get_reauth (step);
  gboolean ready = !carnet_reauth_get_needed (reauth);

  if (carnet_reauth_get_busy (reauth))
    carnet_busy_actions_set_text (self->busy_actions, _("Logging in again…"));
  /* « Annuler » takes the focus when it shows. */
  carnet_busy_actions_set_busy (self->busy_actions, busy);

  /* Insensitive but never cleared: what was typed stays visible. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_row), !busy);

  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), ready);
  update_resend (self);
}

static void
clear_errors (CarnetMailPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->address_error_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->code_error_box), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->code_row), "error");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->address_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->code_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* @row NULL: nothing to correct in a field (network…); the message still
 * shows under the step's fields. */
static void
show_error (CarnetMailPage *self,
            GtkWidget      *row,
            const char     *message)
{
  gboolean code = on_code_step (self);
  GtkBox *box = code ? self->code_error_box : self->address_error_box;
  GtkLabel *label = code ? self->code_error_label : self->address_error_label;

  clear_errors (self);
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (box), TRUE);

  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
      focus_row (row, TRUE);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (code ? self->check_button : self->send_button));
}

/* When the ENT ended the session: the password again, then @interrupted
 * again, and TRUE. */
static gboolean
session_ended (CarnetMailPage *self,
               const GError   *error,
               void          (*interrupted) (CarnetMailPage *self))
{
  if (!carnet_reauth_error_matches (error))
    return FALSE;

  self->interrupted = interrupted;
  show_error (self, NULL, error->message);
  carnet_step_page_prompt_reauth (STEP (self), error);
  return TRUE;
}

/* --- The "send again" countdown ---------------------------------------------- */

static void
update_resend (CarnetMailPage *self)
{
  if (self->wait_remaining > 0)
    {
      /* Translators: the "send again" button while it waits; %u is seconds. */
      g_autofree char *label = g_strdup_printf (_("Send the Code Again (%u s)"), self->wait_remaining);

      gtk_button_set_label (self->resend_button, label);
      gtk_widget_set_sensitive (GTK_WIDGET (self->resend_button), FALSE);
    }
  else
    {
      gtk_button_set_label (self->resend_button, _("_Send the Code Again"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->resend_button),
                                !carnet_reauth_get_needed (carnet_step_page_get_reauth (STEP (self))));
    }

  /* GtkButton names itself after its label; the countdown is not a name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->resend_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Send the code again"),
                                  -1);
}

static void
stop_countdown (CarnetMailPage *self)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->wait_remaining = 0;
  update_resend (self);
}

static gboolean
countdown_tick_cb (gpointer user_data)
{
  CarnetMailPage *self = user_data;

  if (self->wait_remaining > 0)
    self->wait_remaining--;
  update_resend (self);

  if (self->wait_remaining == 0)
    {
      self->countdown_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_countdown (CarnetMailPage *self,
                 guint           seconds)
{
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->wait_remaining = seconds;
  update_resend (self);
  if (seconds > 0)
    self->countdown_id = g_timeout_add_seconds (1, countdown_tick_cb, self);
}

/* --- Steps ----------------------------------------------------------------- */

static void
show_step (CarnetMailPage *self,
           const char     *step)
{
  gtk_stack_set_visible_child_name (self->step_stack, step);
  gtk_stack_set_visible_child_name (self->action_stack, step);
}

static void
show_code_step (CarnetMailPage *self)
{
  g_autofree char *sent = NULL;

  /* Translators: %s is the email address the code was sent to. */
  sent = g_strdup_printf (_("A 6-digit code was sent to %s. Type it below: it is valid for 10 minutes. Look in the spam folder too."),
                          self->sent_email);
  gtk_label_set_text (self->sent_label, sent);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  clear_errors (self);
  show_step (self, "code");
  focus_row (GTK_WIDGET (self->code_row), FALSE);
}

static void
get_mail_state_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CarnetMailPage) self = user_data;
  g_autoptr(CarnetEntMailState) state = NULL;
  g_autoptr(GError) error = NULL;

  state = carnet_ent_client_get_mail_state_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (!carnet_step_page_end_call (STEP (self), error))
    return;

  if (state == NULL)
    {
      if (carnet_step_page_action_required (STEP (self), error, CARNET_ENT_FIELD_MAIL) ||
          session_ended (self, error, load_state))
        return;

      /* The address can still be typed and sent. */
      show_error (self, NULL, error->message);
      focus_row (GTK_WIDGET (self->address_row), FALSE);
      return;
    }

  self->wait_in_seconds = carnet_ent_mail_state_get_wait_in_seconds (state);
  if (self->wait_in_seconds == 0)
    self->wait_in_seconds = DEFAULT_WAIT_SECONDS;

  /* What the parent typed wins over what the ENT knows. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->address_row)) == '\0')
    {
      const char *pending = carnet_ent_mail_state_get_pending (state);
      const char *email = carnet_ent_mail_state_get_email (state);

      gtk_editable_set_text (GTK_EDITABLE (self->address_row),
                             pending != NULL && *pending != '\0' ? pending : email);
    }

  focus_row (GTK_WIDGET (self->address_row), FALSE);
}

static void
load_state (CarnetMailPage *self)
{
  GCancellable *cancellable;

  if (!carnet_step_page_can_call (STEP (self)))
    return;

  cancellable = begin_call (self, _("Loading…"));
  carnet_ent_client_get_mail_state_async (carnet_step_page_get_client (STEP (self)),
                                          cancellable,
                                          get_mail_state_cb,
                                          g_object_ref (self));
}

/* After the call under way was cancelled and the login again forgotten. */
static void
carnet_mail_page_real_clear (CarnetStepPage *step)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (step);

  self->interrupted = NULL;
  stop_countdown (self);
  clear_errors (self);
  g_clear_pointer (&self->sent_email, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  show_step (self, "address");
}

void
carnet_mail_page_clear (CarnetMailPage *self)
{
  g_return_if_fail (CARNET_IS_MAIL_PAGE (self));

  carnet_step_page_clear (STEP (self));
}

void
carnet_mail_page_start (CarnetMailPage *self)
{
  g_return_if_fail (CARNET_IS_MAIL_PAGE (self));

  carnet_mail_page_clear (self);
  load_state (self);
}

static void
send_mail_code_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CarnetMailPage) self = user_data;
  g_autoptr(GError) error = NULL;

  carnet_ent_client_send_mail_code_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (!carnet_step_page_end_call (STEP (self), error))
    return;

  if (error != NULL)
    {
      if (carnet_step_page_action_required (STEP (self), error, CARNET_ENT_FIELD_MAIL))
        return;

      /* Sent again once logged in: what the address field then says, or,
       * from the code's step, to the same address. */
      if (session_ended (self, error, on_code_step (self) ? send_again : send_clicked_cb))
        return;

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_RATE_LIMITED))
        {
          guint wait = carnet_ent_error_get_retry_after (error);

          start_countdown (self, wait > 0 ? wait : self->wait_in_seconds);
          show_error (self, NULL, _("The ENT sent a code a moment ago. Wait a few seconds before asking for a new one."));
          return;
        }

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT))
        {
          /* The address is what the ENT refused: go back to it. */
          show_step (self, "address");
          show_error (self, GTK_WIDGET (self->address_row), error->message);
          return;
        }

      show_error (self, NULL, error->message);
      return;
    }

  start_countdown (self, self->wait_in_seconds);
  show_code_step (self);
}

static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '@') == NULL &&
         strchr (at, '.') != NULL && at[strlen (at) - 1] != '.' &&
         strpbrk (text, " \t<>,;") == NULL;
}

static void
send_code (CarnetMailPage *self,
           const char     *email)
{
  GCancellable *cancellable;

  if (!carnet_step_page_can_call (STEP (self)))
    return;

  clear_errors (self);

  if (!looks_like_email (email))
    {
      show_step (self, "address");
      show_error (self, GTK_WIDGET (self->address_row), _("Type a whole email address, like name@example.fr."));
      return;
    }

  g_free (self->sent_email);
  self->sent_email = g_strdup (email);

  cancellable = begin_call (self, _("Sending the code…"));
  carnet_ent_client_send_mail_code_async (carnet_step_page_get_client (STEP (self)),
                                          email,
                                          cancellable,
                                          send_mail_code_cb,
                                          g_object_ref (self));
}

static void
send_clicked_cb (CarnetMailPage *self)
{
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));

  send_code (self, email);
}

/* The address the last code went to (or was to go to). */
static void
send_again (CarnetMailPage *self)
{
  g_autofree char *email = g_strdup (self->sent_email);

  if (email != NULL)
    send_code (self, email);
}

static void
resend_clicked_cb (CarnetMailPage *self)
{
  if (self->wait_remaining == 0)
    send_again (self);
}

static void
show_outdated (CarnetMailPage *self)
{
  /* A new code is what is needed now; the ENT says if it is too early. */
  stop_countdown (self);
  show_error (self, GTK_WIDGET (self->code_row), _("This code is no longer valid. Ask for a new one."));
  gtk_widget_grab_focus (GTK_WIDGET (self->resend_button));
}

static void
check_mail_code_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CarnetMailPage) self = user_data;
  g_autoptr(CarnetEntMailState) state = NULL;
  g_autoptr(GError) error = NULL;

  state = carnet_ent_client_check_mail_code_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (!carnet_step_page_end_call (STEP (self), error))
    return;

  if (state == NULL)
    {
      if (carnet_step_page_action_required (STEP (self), error, CARNET_ENT_FIELD_MAIL) ||
          session_ended (self, error, check_code))
        return;

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CODE_EXPIRED))
        show_outdated (self);
      else if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT))
        show_error (self, GTK_WIDGET (self->code_row), error->message);
      else
        show_error (self, NULL, error->message);
      return;
    }

  switch (carnet_ent_mail_state_get_kind (state))
    {
    case CARNET_ENT_MAIL_STATE_VALID:
      stop_countdown (self);
      gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
      carnet_step_page_emit_done (STEP (self));
      break;

    case CARNET_ENT_MAIL_STATE_PENDING:
      {
        guint tries = carnet_ent_mail_state_get_tries (state);
        g_autofree char *message = NULL;

        message = g_strdup_printf (ngettext ("Wrong code. You have %u try left.",
                                             "Wrong code. You have %u tries left.",
                                             tries),
                                   tries);
        show_error (self, GTK_WIDGET (self->code_row), message);
      }
      break;

    case CARNET_ENT_MAIL_STATE_OUTDATED:
    case CARNET_ENT_MAIL_STATE_UNCHECKED:
    case CARNET_ENT_MAIL_STATE_NONE:
    default:
      show_outdated (self);
      break;
    }
}

static void
check_code (CarnetMailPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  /* The code, wiped once the client has its copy: 6 digits, one more to
   * tell a longer text. */
  char code[8] = { 0 };
  gsize len = 0;
  GCancellable *cancellable;

  if (!carnet_step_page_can_call (STEP (self)))
    return;

  clear_errors (self);

  /* Codes get copied from mails with spaces around or inside. */
  for (const char *p = text; *p != '\0' && len < sizeof code - 1; p++)
    if (!g_ascii_isspace (*p))
      code[len++] = *p;

  if (len != 6 || strspn (code, "0123456789") != 6)
    {
      explicit_bzero (code, sizeof code);
      show_error (self, GTK_WIDGET (self->code_row), _("Type the 6-digit code from the mail."));
      return;
    }

  cancellable = begin_call (self, _("Checking the code…"));
  carnet_ent_client_check_mail_code_async (carnet_step_page_get_client (STEP (self)),
                                           code,
                                           cancellable,
                                           check_mail_code_cb,
                                           g_object_ref (self));
  explicit_bzero (code, sizeof code);
}

static void
check_clicked_cb (CarnetMailPage *self)
{
  check_code (self);
}

static void
change_address_clicked_cb (CarnetMailPage *self)
{
  carnet_mail_page_go_back (self);
}

static void
field_changed_cb (CarnetMailPage *self,
                  GtkEditable    *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
cancel_clicked_cb (CarnetMailPage *self)
{
  carnet_mail_page_cancel (self);
  focus_row (on_code_step (self) ? GTK_WIDGET (self->code_row) : GTK_WIDGET (self->address_row), FALSE);
}

void
carnet_mail_page_cancel (CarnetMailPage *self)
{
  g_return_if_fail (CARNET_IS_MAIL_PAGE (self));

  /* Logging in again: stopped, "Log in again" offered instead. */
  carnet_step_page_cancel (STEP (self));
}

gboolean
carnet_mail_page_go_back (CarnetMailPage *self)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (CARNET_IS_MAIL_PAGE (self), FALSE);

  if (carnet_step_page_get_busy (STEP (self)))
    {
      carnet_mail_page_cancel (self);
      return TRUE;
    }

  if (!on_code_step (self))
    return FALSE;

  /* The address stays as it was typed, to be corrected. */
  message = g_strdup (gtk_label_get_text (self->code_error_label));
  clear_errors (self);
  /* The code is a secret, and of no use any more: the code step comes
   * back only with a new code sent. */
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  show_step (self, "address");
  if (carnet_reauth_get_needed (carnet_step_page_get_reauth (STEP (self))))
    {
      /* Once logged in again, the address may be another: nothing is
       * done by itself, and the way to log in again stays in sight. */
      self->interrupted = NULL;
      show_error (self, NULL, message);
    }
  focus_row (GTK_WIDGET (self->address_row), FALSE);

  return TRUE;
}

const char *
carnet_mail_page_get_step (CarnetMailPage *self)
{
  g_return_val_if_fail (CARNET_IS_MAIL_PAGE (self), NULL);

  return on_code_step (self) ? "code" : "address";
}

void
carnet_mail_page_set_account (CarnetMailPage  *self,
                              CarnetEntClient *client,
                              const char      *login)
{
  g_return_if_fail (CARNET_IS_MAIL_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  carnet_step_page_set_account (STEP (self), client, login);
}

/* --- The session ended: the password again ------------------------------------ */

static void
carnet_mail_page_retry (CarnetStepPage *step,
                        const char     *password)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (step);
  void (*interrupted) (CarnetMailPage *self) = g_steal_pointer (&self->interrupted);

  clear_errors (self);
  if (interrupted != NULL)
    interrupted (self);
  else
    focus_row (on_code_step (self) ? GTK_WIDGET (self->code_row) : GTK_WIDGET (self->address_row), FALSE);
}

static void
carnet_mail_page_show_failed (CarnetStepPage *step,
                              const GError   *error)
{
  show_error (CARNET_MAIL_PAGE (step), NULL, error->message);
}

static void
carnet_mail_page_done (CarnetStepPage *step)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (step);
  g_autofree char *email = g_strdup (self->sent_email);

  g_signal_emit (self, signals [VALIDATED], 0, email);
}

static gboolean
carnet_mail_page_grab_focus (GtkWidget *widget)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (widget);

  if (carnet_busy_actions_get_busy (self->busy_actions))
    return gtk_widget_grab_focus (carnet_busy_actions_get_cancel_button (self->busy_actions));

  return gtk_widget_grab_focus (on_code_step (self) ? GTK_WIDGET (self->code_row) : GTK_WIDGET (self->address_row));
}

static void
carnet_mail_page_dispose (GObject *object)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_MAIL_PAGE);

  G_OBJECT_CLASS (carnet_mail_page_parent_class)->dispose (object);
}

static void
carnet_mail_page_finalize (GObject *object)
{
  CarnetMailPage *self = CARNET_MAIL_PAGE (object);

  g_clear_pointer (&self->sent_email, g_free);

  G_OBJECT_CLASS (carnet_mail_page_parent_class)->finalize (object);
}

static void
carnet_mail_page_class_init (CarnetMailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CarnetStepPageClass *step_class = CARNET_STEP_PAGE_CLASS (klass);

  object_class->dispose = carnet_mail_page_dispose;
  object_class->finalize = carnet_mail_page_finalize;

  widget_class->grab_focus = carnet_mail_page_grab_focus;

  step_class->done = carnet_mail_page_done;
  step_class->update_busy = carnet_mail_page_update_busy;
  step_class->retry = carnet_mail_page_retry;
  step_class->show_failed = carnet_mail_page_show_failed;
  step_class->clear = carnet_mail_page_real_clear;

  /* With CarnetStepPage's done. */
  signals [VALIDATED] =
    g_signal_new ("validated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-mail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, step_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, address_error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, sent_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, code_error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, code_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, busy_actions);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, resend_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetMailPage, change_address_button);
  gtk_widget_class_bind_template_callback (widget_class, send_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resend_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_address_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
carnet_mail_page_init (CarnetMailPage *self)
{
  CarnetReauth *reauth = carnet_step_page_get_reauth (STEP (self));

  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_reauth_add_button (reauth, self->address_error_box);
  carnet_reauth_add_button (reauth, self->code_error_box);

  self->wait_in_seconds = DEFAULT_WAIT_SECONDS;
  update_resend (self);

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->address_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->code_row), NULL);
}
