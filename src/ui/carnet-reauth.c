/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-reauth.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-session.h"
#include "carnet-ui-private.h"
#include "carnet-window-private.h"

typedef enum {
  STATE_IDLE,
  STATE_ASKING,
  STATE_LOGGING_IN,
  STATE_GAVE_UP,
} State;

struct _CarnetReauth
{
  GObject              parent_instance;

  GtkWidget           *page;      /* weak */
  CarnetEntClient     *client;
  char                *login;
  State                state;

  AdwMessageDialog    *dialog;
  AdwPasswordEntryRow *row;
  GCancellable        *cancellable;
  /* Only while the ENT checks it, for "logged-in". */
  CarnetUiSecret      *password;
  GPtrArray           *buttons;
};

G_DEFINE_FINAL_TYPE (CarnetReauth, carnet_reauth, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NEEDED,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  LOGGED_IN,
  FAILED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void show_dialog (CarnetReauth *self,
                         const char   *body);

gboolean
carnet_reauth_error_matches (const GError *error)
{
  /* The client says SESSION_EXPIRED for a redirect to the login page, a
   * refused token and an XSRF token the ENT no longer knows. */
  return g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
}

static void
set_state (CarnetReauth *self,
           State         state)
{
  gboolean was_needed = self->state != STATE_IDLE;
  gboolean was_busy = self->state == STATE_LOGGING_IN;

  self->state = state;

  for (guint i = 0; i < self->buttons->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->buttons, i), state == STATE_GAVE_UP);

  if (was_needed != (state != STATE_IDLE))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NEEDED]);
  if (was_busy != (state == STATE_LOGGING_IN))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
close_dialog (CarnetReauth *self)
{
  AdwMessageDialog *dialog = g_steal_pointer (&self->dialog);

  self->row = NULL;
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
stop_login (CarnetReauth *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->password, carnet_ui_secret_free);
}

static void
give_up (CarnetReauth *self,
         const GError *error)
{
  g_autoptr(GError) cancelled = NULL;

  if (error == NULL)
    error = cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             _("Your session has expired: nothing was saved. Log in again to go on."));

  set_state (self, STATE_GAVE_UP);
  g_signal_emit (self, signals [FAILED], 0, error);

  /* The way on gets the focus. */
  for (guint i = 0; i < self->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, i);

      if (gtk_widget_get_mapped (button))
        {
          gtk_widget_grab_focus (button);
          break;
        }
    }
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CarnetReauth) self = user_data;
  g_autoptr(CarnetUiSecret) password = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = carnet_ent_client_login_finish (CARNET_ENT_CLIENT (object), result, &error);
  /* Cancelled or reset meanwhile: whoever did it has said so. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  password = g_steal_pointer (&self->password);

  if (!ok)
    {
      g_debug ("Logging in again failed: %s", error->message);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS))
        {
          /* A typo: the dialog again, saying so. */
          set_state (self, STATE_ASKING);
          show_dialog (self, error->message);
          return;
        }
      give_up (self, error);
      return;
    }

  set_state (self, STATE_IDLE);
  g_signal_emit (self, signals [LOGGED_IN], 0, password);
}

static void
response_cb (CarnetReauth     *self,
             const char       *response,
             AdwMessageDialog *dialog)
{
  g_autoptr(CarnetUiSecret) password = NULL;

  if (dialog != self->dialog)
    return;

  if (self->row != NULL)
    {
      password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->row)));
      gtk_editable_set_text (GTK_EDITABLE (self->row), "");
    }
  self->dialog = NULL;
  self->row = NULL;

  if (!g_str_equal (response, "login") || password == NULL || *password == '\0' ||
      self->client == NULL)
    {
      give_up (self, NULL);
      return;
    }

  stop_login (self);
  self->cancellable = g_cancellable_new ();
  self->password = g_steal_pointer (&password);
  set_state (self, STATE_LOGGING_IN);
  carnet_ent_client_login_async (self->client, self->login, self->password,
                                 self->cancellable, login_cb, g_object_ref (self));
}

static void
row_changed_cb (AdwMessageDialog *dialog,
                GtkEditable      *row)
{
  adw_message_dialog_set_response_enabled (dialog, "login",
                                           *gtk_editable_get_text (row) != '\0');
}

static gboolean
answer_idle_cb (gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(AdwMessageDialog) dialog = g_weak_ref_get (weak);

  /* Gone meanwhile (the page went away): nothing to answer. */
  if (dialog == NULL)
    return G_SOURCE_REMOVE;

  g_object_set_data (G_OBJECT (dialog), "carnet-answering", NULL);
  adw_message_dialog_response (dialog, "login");
  gtk_window_destroy (GTK_WINDOW (dialog));

  return G_SOURCE_REMOVE;
}

static void
weak_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
row_activated_cb (AdwMessageDialog *dialog,
                  GtkEditable      *row)
{
  GWeakRef *weak;

  if (*gtk_editable_get_text (row) == '\0' ||
      g_object_get_data (G_OBJECT (dialog), "carnet-answering") != NULL)
    return;

  /* Enter in the field answers like the suggested button, which closes;
   * but not inside the field's own handler: destroying the dialog there
   * freed the field while GTK still used it (a crash). From an idle. */
  g_object_set_data (G_OBJECT (dialog), "carnet-answering", GINT_TO_POINTER (TRUE));
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, dialog);
  g_idle_add_full (G_PRIORITY_DEFAULT, answer_idle_cb, weak, weak_free);
}

static void
show_dialog (CarnetReauth *self,
             const char   *body)
{
  GtkRoot *root = self->page != NULL ? gtk_widget_get_root (self->page) : NULL;
  GtkWidget *list;
  GtkWidget *row;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Session Expired"),
                                   body != NULL ? body : _("Your session has expired. Type your password again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "login", _("_Log In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "login",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "login", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "login");
  /* Escape and the window's close button. */
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Password"));
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (row), NULL);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (row_changed_cb), dialog);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (row_activated_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, G_CONNECT_SWAPPED);

  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  self->row = ADW_PASSWORD_ENTRY_ROW (row);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (row);
}

void
carnet_reauth_prompt (CarnetReauth    *self,
                      CarnetEntClient *client,
                      const char      *login)
{
  g_return_if_fail (CARNET_IS_REAUTH (self));
  g_return_if_fail (CARNET_IS_ENT_CLIENT (client));

  if (self->state == STATE_ASKING || self->state == STATE_LOGGING_IN)
    return;

  /* Opened through EduConnect: no ENT password to type. The window logs
   * the session out and its login page says so. */
  if (self->page != NULL && CARNET_IS_WINDOW (gtk_widget_get_root (self->page)))
    {
      CarnetWindow *window = CARNET_WINDOW (gtk_widget_get_root (self->page));
      CarnetSession *session = carnet_window_get_session (window);

      if (session != NULL && carnet_session_get_client (session) == client &&
          carnet_session_get_federated (session))
        {
          carnet_window_end_expired_session (window);
          return;
        }
    }

  g_set_object (&self->client, client);
  if (login != self->login)
    {
      g_free (self->login);
      self->login = g_strdup (login);
    }

  set_state (self, STATE_ASKING);
  show_dialog (self, NULL);
}

static void
button_clicked_cb (CarnetReauth *self)
{
  if (self->client != NULL)
    carnet_reauth_prompt (self, self->client, self->login);
}

void
carnet_reauth_add_button (CarnetReauth *self,
                          GtkBox       *box)
{
  GtkWidget *button;

  g_return_if_fail (CARNET_IS_REAUTH (self));
  g_return_if_fail (GTK_IS_BOX (box));

  button = gtk_button_new_with_mnemonic (_("Log _In Again"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, self->state == STATE_GAVE_UP);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Log in again"),
                                  -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (button_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (box, button);
  g_ptr_array_add (self->buttons, g_object_ref (button));
}

void
carnet_reauth_cancel (CarnetReauth *self)
{
  g_return_if_fail (CARNET_IS_REAUTH (self));

  if (self->state != STATE_ASKING && self->state != STATE_LOGGING_IN)
    return;

  close_dialog (self);
  stop_login (self);
  give_up (self, NULL);
}

void
carnet_reauth_reset (CarnetReauth *self)
{
  g_return_if_fail (CARNET_IS_REAUTH (self));

  close_dialog (self);
  stop_login (self);
  set_state (self, STATE_IDLE);
}

gboolean
carnet_reauth_get_needed (CarnetReauth *self)
{
  g_return_val_if_fail (CARNET_IS_REAUTH (self), FALSE);

  return self->state != STATE_IDLE;
}

gboolean
carnet_reauth_get_busy (CarnetReauth *self)
{
  g_return_val_if_fail (CARNET_IS_REAUTH (self), FALSE);

  return self->state == STATE_LOGGING_IN;
}

GtkWindow *
carnet_reauth_get_dialog (CarnetReauth *self)
{
  g_return_val_if_fail (CARNET_IS_REAUTH (self), NULL);

  return self->dialog != NULL ? GTK_WINDOW (self->dialog) : NULL;
}

CarnetReauth *
carnet_reauth_new (GtkWidget *page)
{
  CarnetReauth *self;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  self = g_object_new (CARNET_TYPE_REAUTH, NULL);
  self->page = page;
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &self->page);
  /* Another page shows, or the window goes: the dialog must not stay. */
  g_signal_connect_object (page, "unmap", G_CALLBACK (carnet_reauth_reset), self, G_CONNECT_SWAPPED);

  return self;
}

static void
carnet_reauth_dispose (GObject *object)
{
  CarnetReauth *self = CARNET_REAUTH (object);

  close_dialog (self);
  stop_login (self);
  if (self->page != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->page), (gpointer *) &self->page);
  self->page = NULL;
  g_clear_object (&self->client);
  g_ptr_array_set_size (self->buttons, 0);

  G_OBJECT_CLASS (carnet_reauth_parent_class)->dispose (object);
}

static void
carnet_reauth_finalize (GObject *object)
{
  CarnetReauth *self = CARNET_REAUTH (object);

  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (carnet_reauth_parent_class)->finalize (object);
}

static void
carnet_reauth_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CarnetReauth *self = CARNET_REAUTH (object);

  switch (prop_id)
    {
    case PROP_NEEDED:
      g_value_set_boolean (value, carnet_reauth_get_needed (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, carnet_reauth_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_reauth_class_init (CarnetReauthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_reauth_dispose;
  object_class->finalize = carnet_reauth_finalize;
  object_class->get_property = carnet_reauth_get_property;

  properties [PROP_NEEDED] =
    g_param_spec_boolean ("needed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [LOGGED_IN] =
    g_signal_new ("logged-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals [FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
carnet_reauth_init (CarnetReauth *self)
{
  self->buttons = g_ptr_array_new_with_free_func (g_object_unref);
}
