/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-login-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-credentials.h"
#include "carnet-session.h"
#include "carnet-ui-private.h"
#if CARNET_HAVE_WEBKIT
#include "carnet-educonnect-page.h"
#endif

struct _CarnetLoginPage
{
  GtkWidget             parent_instance;

  GtkLabel             *host_label;
  AdwActionRow         *profile_row;
  AdwEntryRow          *login_row;
  AdwPasswordEntryRow  *password_row;
  GtkBox               *error_box;
  GtkLabel             *error_label;
  GtkButton            *reset_code_button;
  GtkStack             *action_stack;
  GtkButton            *login_button;
  GtkSpinner           *spinner;
  GtkLabel             *busy_label;
  GtkButton            *cancel_button;
  AdwPreferencesGroup  *remember_group;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  GtkWidget            *educonnect_box;
  GtkButton            *educonnect_button;

  CarnetSession        *session;
  /* The session's, kept for the pages' host and keyring entries. */
  CarnetEntClient      *client;
  GCancellable         *cancellable;
  /* The ENT took the password of the login under way. */
  gboolean              accepted;
  GSettings            *settings;
  /* Looking for a remembered password; what the parent does wins over it.
   * Only a token: cancelling libsecret 0.20's search in flight made it
   * complete its task twice, so its answer is ignored instead. */
  GCancellable         *auto_cancellable;
  /* The login under way uses the password from the keyring. */
  gboolean              auto_login;
  /* Whose remembered password is being looked up. */
  char                 *auto_login_as;
  /* The code of a password-reset mail, typed as the password, and its
   * login: the way on is to choose the new password with it. */
  CarnetUiSecret       *reset_code;
  char                 *reset_login;
};

G_DEFINE_FINAL_TYPE (CarnetLoginPage, carnet_login_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_BUSY,
  N_PROPS
};

enum {
  LOGGED_IN,
  AUTO_LOGIN_STARTED,
  RESET_CODE_TYPED,
  N_SIGNALS
};

/* "host\nlogin" of the remembered passwords the ENT refused during this
 * run: never tried again by themselves, even when the keyring could not
 * forget them (each try counts toward the ENT's ban). */
static GHashTable *refused_accounts;

static char *
account_key (const char *host,
             const char *login)
{
  return g_strconcat (host, "\n", login, NULL);
}

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void
set_busy (CarnetLoginPage *self,
          gboolean         busy,
          const char      *what)
{
  gtk_stack_set_visible_child_name (self->action_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->spinner, busy);
  if (what != NULL)
    gtk_label_set_text (self->busy_label, what);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);

  /* Focus first leaves the fields, so that none loses it by becoming
   * insensitive; Escape or Enter then cancel. */
  if (busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  /* Insensitive but never cleared: what was typed stays visible. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_group), !busy);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
clear_error (CarnetLoginPage *self)
{
  g_clear_pointer (&self->reset_code, carnet_ui_secret_free);
  g_clear_pointer (&self->reset_login, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->reset_code_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
  gtk_label_set_text (self->error_label, "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->login_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->login_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->password_row),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
focus_row (GtkWidget *row,
           gboolean   select_all)
{
  gtk_widget_grab_focus (row);
  if (select_all)
    gtk_editable_select_region (GTK_EDITABLE (row), 0, -1);
  else
    gtk_editable_set_position (GTK_EDITABLE (row), -1);
}

static void
show_error (CarnetLoginPage *self,
            const GError    *error)
{
  GtkWidget *row = NULL;
  gboolean select_all = FALSE;

  clear_error (self);

  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS))
    {
      /* Most often a typo in the password: let it be retyped at once. */
      row = GTK_WIDGET (self->password_row);
      select_all = TRUE;
    }
  else if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT) ||
           g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NOT_ACTIVATED) ||
           g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED))
    {
      switch (carnet_ent_error_get_field (error))
        {
        case CARNET_ENT_FIELD_PASSWORD:
          row = GTK_WIDGET (self->password_row);
          break;

        case CARNET_ENT_FIELD_LOGIN:
        default:
          row = GTK_WIDGET (self->login_row);
          break;
        }
    }

  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);

  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD) &&
      carnet_ent_error_get_server_message (error) != NULL)
    {
      /* Not a typo: the mail's code works, on the forgotten-password page.
       * The way there gets the focus. */
      self->reset_code = g_strdup (carnet_ent_error_get_server_message (error));
      self->reset_login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_row))));
      gtk_label_set_text (self->error_label,
                          _("This is the code from the “Forgotten password” mail, not your password. "
                            "With it, you can now choose your new password."));
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_set_visible (GTK_WIDGET (self->reset_code_button), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->password_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      gtk_label_get_text (self->error_label),
                                      -1);
      gtk_widget_grab_focus (GTK_WIDGET (self->reset_code_button));
      return;
    }

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                      -1);
      focus_row (row, select_all);
    }
  else
    {
      /* Network and server errors: nothing to correct, try again. */
      gtk_widget_grab_focus (GTK_WIDGET (self->login_button));
    }
}


static gboolean
remember_allowed (CarnetLoginPage *self)
{
  /* Shared machines never store anything; IT may also turn it off. */
  if (self->settings == NULL)
    return FALSE;

  return !g_settings_get_boolean (self->settings, "shared-machine") &&
         g_settings_get_boolean (self->settings, "remember-credentials");
}

static void
update_remember (CarnetLoginPage *self)
{
  gboolean shared = self->settings != NULL &&
                    g_settings_get_boolean (self->settings, "shared-machine");
  gboolean locked = self->settings != NULL &&
                    !g_settings_is_writable (self->settings, "remember-credentials");
  gboolean offered = self->settings != NULL &&
                     g_settings_get_boolean (self->settings, "remember-credentials");

  gtk_widget_set_visible (GTK_WIDGET (self->remember_group), !shared);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_row), offered && !locked);
  /* Locked by the administrators: the switch shows their choice. */
  if (shared)
    gtk_switch_set_active (self->remember_switch, FALSE);
  else if (locked)
    gtk_switch_set_active (self->remember_switch, offered);
  else if (!offered)
    gtk_switch_set_active (self->remember_switch, FALSE);
}

static void
add_toast (CarnetLoginPage *self,
           const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CarnetLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_credentials_store_finish (result, &error))
    {
      /* Not worth stopping for: the parent is logged in all the same. */
      g_debug ("The password was not stored: %s", error->message);
      add_toast (self, _("Carnet cannot remember your password on this computer"));
    }
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!carnet_credentials_forget_finish (result, &error))
    g_debug ("The refused password was not forgotten: %s", error->message);
}

static void
auto_login_failed (CarnetLoginPage *self,
                   const GError    *error)
{
  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS) ||
      g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BANNED) ||
      g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED) ||
      g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NOT_ACTIVATED) ||
      g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD))
    {
      g_autoptr(GError) refused = NULL;
      g_autofree char *login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_row))));
      const char *host = carnet_ent_client_get_host (self->client);

      /* Refused by the ENT (changed elsewhere, a reset, too many tries, a
       * blocked account): it is never tried again by itself, since each
       * try counts toward the ENT's ban. Forgotten; and in this run, not
       * tried again even if the keyring could not forget it. */
      if (refused_accounts == NULL)
        refused_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (refused_accounts, account_key (host, login));
      carnet_credentials_forget_async (host, login, NULL, forget_cb, NULL);
      /* The parent wanted it remembered: the right one will be, once typed. */
      gtk_switch_set_active (self->remember_switch, TRUE);

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS))
        {
          refused = g_error_new_literal (CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS,
                                         _("The stored password is no longer valid."));
          show_error (self, refused);
        }
      else
        {
          refused = g_error_copy (error);
          g_free (refused->message);
          /* Translators: %s says why the ENT refused (too many tries…). */
          refused->message = g_strdup_printf (_("%s Carnet has forgotten the stored password: type it yourself."),
                                              error->message);
          show_error (self, refused);
        }
      return;
    }

  show_error (self, error);
}

static void
reset_code_clicked_cb (CarnetLoginPage *self)
{
  g_autoptr(CarnetUiSecret) code = g_steal_pointer (&self->reset_code);
  g_autofree char *login = g_steal_pointer (&self->reset_login);

  if (code == NULL)
    return;

  clear_error (self);
  g_signal_emit (self, signals [RESET_CODE_TYPED], 0, login, code);
}

static void
finish (CarnetLoginPage *self)
{
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, NULL);

  g_signal_emit (self, signals [LOGGED_IN], 0,
                 carnet_session_get_user (self->session),
                 carnet_session_get_requirements (self->session));
}

/* The ENT took the password; the session reads the profile and the
 * requirements next. */
static void
login_accepted_cb (CarnetLoginPage *self,
                   const char      *login,
                   CarnetSession   *session)
{
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  self->accepted = TRUE;

  /* Logged in by hand: what gets remembered now is what the ENT accepts. */
  if (!self->auto_login && refused_accounts != NULL)
    {
      g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_row))));
      g_autofree char *key = account_key (carnet_ent_client_get_host (self->client), typed);

      g_hash_table_remove (refused_accounts, key);
    }

  if (!self->auto_login && remember_allowed (self) &&
      gtk_switch_get_active (self->remember_switch))
    {
      g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_row))));

      /* libsecret copies the password at once; the widget is cleared later. */
      carnet_credentials_store_async (carnet_ent_client_get_host (self->client),
                                      typed,
                                      gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                      NULL, store_cb, g_object_ref (self));
    }
  self->auto_login = FALSE;

  gtk_label_set_text (self->busy_label, _("Opening your account…"));
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CarnetLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean accepted;

  if (!carnet_session_login_finish (CARNET_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
        return;

      accepted = self->accepted;
      self->accepted = FALSE;
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE, NULL);
      /* A refused password, or a profile the ENT would not give. */
      if (!accepted)
        g_debug ("Login refused: %s", error->message);
      if (!accepted && self->auto_login)
        auto_login_failed (self, error);
      else
        show_error (self, error);
      self->auto_login = FALSE;
      return;
    }

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  self->accepted = FALSE;
  finish (self);
}

static void
cancel_auto_login (CarnetLoginPage *self)
{
  if (self->auto_cancellable != NULL)
    g_cancellable_cancel (self->auto_cancellable);
  g_clear_object (&self->auto_cancellable);
}

static void
submit (CarnetLoginPage *self)
{
  g_autofree char *login = NULL;
  const char *password;

  if (self->client == NULL || self->cancellable != NULL)
    return;

  /* The parent logs in by hand: no remembered password behind their back. */
  cancel_auto_login (self);

  clear_error (self);

  /* Letters print logins in lower case; phones add a capital or a space. */
  login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_row))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, _("Logging in…"));

  self->accepted = FALSE;
  carnet_session_login_async (self->session,
                              login, password,
                              self->cancellable,
                              login_cb,
                              g_object_ref (self));
}

static void
login_clicked_cb (CarnetLoginPage *self)
{
  submit (self);
}

static void
login_activated_cb (CarnetLoginPage *self)
{
  /* Enter in the login goes on to the password, unless it is already typed. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    submit (self);
}

static void
password_activated_cb (CarnetLoginPage *self)
{
  submit (self);
}

static void
field_changed_cb (CarnetLoginPage *self,
                  GtkEditable     *editable)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
cancel_clicked_cb (CarnetLoginPage *self)
{
  carnet_login_page_cancel (self);
  focus_row (GTK_WIDGET (self->password_row), FALSE);
}

typedef struct
{
  CarnetLoginPage *self;
  GCancellable    *token;
} AutoData;

static AutoData *
auto_data_new (CarnetLoginPage *self)
{
  AutoData *data = g_new0 (AutoData, 1);

  data->self = g_object_ref (self);
  data->token = g_object_ref (self->auto_cancellable);

  return data;
}

static void
auto_data_free (AutoData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->token);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AutoData, auto_data_free)

static void
auto_lookup_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AutoData) data = user_data;
  CarnetLoginPage *self = data->self;
  g_autoptr(GError) error = NULL;
  char *password;
  const char *login = self->auto_login_as;

  password = carnet_credentials_lookup_finish (result, &error);
  if (self->auto_cancellable != data->token || login == NULL)
    {
      carnet_credentials_free_password (password);
      return;
    }
  g_clear_object (&self->auto_cancellable);

  if (password == NULL)
    {
      if (error != NULL)
        g_debug ("No stored password: %s", error->message);
      return;
    }

  /* Refused earlier in this run: the parent types it. */
  if (refused_accounts != NULL)
    {
      g_autofree char *key = account_key (carnet_ent_client_get_host (self->client), login);

      if (g_hash_table_contains (refused_accounts, key))
        {
          carnet_credentials_free_password (password);
          return;
        }
    }

  /* The parent has started to log in by hand meanwhile. */
  if (self->cancellable != NULL ||
      *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0')
    {
      carnet_credentials_free_password (password);
      return;
    }

  self->cancellable = g_cancellable_new ();

  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  clear_error (self);
  self->auto_login = TRUE;
  g_signal_emit (self, signals [AUTO_LOGIN_STARTED], 0);
  set_busy (self, TRUE, _("Logging in automatically…"));

  /* The stored password never goes into a widget. */
  self->accepted = FALSE;
  carnet_session_login_async (self->session, login, password,
                              self->cancellable, login_cb, g_object_ref (self));
  carnet_credentials_free_password (password);
}

static void
auto_list_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AutoData) data = user_data;
  CarnetLoginPage *self = data->self;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  const char *host;

  accounts = carnet_credentials_list_finish (result, &error);
  if (self->auto_cancellable != data->token)
    return;

  if (accounts == NULL)
    {
      g_debug ("No remembered accounts: %s", error->message);
      g_clear_object (&self->auto_cancellable);
      return;
    }

  host = carnet_ent_client_get_host (self->client);
  for (guint i = 0; i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->host, host))
        {
          g_free (self->auto_login_as);
          self->auto_login_as = g_strdup (account->login);
          carnet_credentials_lookup_async (host, account->login, NULL,
                                           auto_lookup_cb, g_steal_pointer (&data));
          return;
        }
    }

  g_clear_object (&self->auto_cancellable);
}

void
carnet_login_page_try_auto_login (CarnetLoginPage *self)
{
  carnet_login_page_try_auto_login_as (self, NULL);
}

void
carnet_login_page_try_auto_login_as (CarnetLoginPage *self,
                                     const char      *login)
{
  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));

  update_remember (self);

  /* The parent chose this account: it replaces any other under way. */
  if (login != NULL)
    cancel_auto_login (self);

  if (self->client == NULL || self->cancellable != NULL || self->auto_cancellable != NULL ||
      !remember_allowed (self))
    return;

  self->auto_cancellable = g_cancellable_new ();
  if (login == NULL)
    {
      carnet_credentials_list_async (NULL, auto_list_cb, auto_data_new (self));
      return;
    }

  g_free (self->auto_login_as);
  self->auto_login_as = g_strdup (login);
  carnet_credentials_lookup_async (carnet_ent_client_get_host (self->client), login, NULL,
                                   auto_lookup_cb, auto_data_new (self));
}

void
carnet_login_page_cancel (CarnetLoginPage *self)
{
  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));

  cancel_auto_login (self);
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->accepted = FALSE;
  self->auto_login = FALSE;
  set_busy (self, FALSE, NULL);
}

void
carnet_login_page_reset (CarnetLoginPage *self,
                         gboolean         keep_login)
{
  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));

  carnet_login_page_cancel (self);
  clear_error (self);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (!keep_login)
    gtk_editable_set_text (GTK_EDITABLE (self->login_row), "");
}

void
carnet_login_page_show_message (CarnetLoginPage *self,
                                const char      *message)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));
  g_return_if_fail (message != NULL);

  error = g_error_new_literal (CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED, message);
  show_error (self, error);
  /* The way in again is the one the parent took. */
  if (gtk_widget_get_visible (self->educonnect_box))
    gtk_widget_grab_focus (GTK_WIDGET (self->educonnect_button));
}

void
carnet_login_page_set_login (CarnetLoginPage *self,
                             const char      *login)
{
  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login != NULL ? login : "");
}

gboolean
carnet_login_page_get_busy (CarnetLoginPage *self)
{
  g_return_val_if_fail (CARNET_IS_LOGIN_PAGE (self), FALSE);

  return self->cancellable != NULL;
}

CarnetEntClient *
carnet_login_page_get_client (CarnetLoginPage *self)
{
  g_return_val_if_fail (CARNET_IS_LOGIN_PAGE (self), NULL);

  return self->client;
}

CarnetSession *
carnet_login_page_get_session (CarnetLoginPage *self)
{
  g_return_val_if_fail (CARNET_IS_LOGIN_PAGE (self), NULL);

  return self->session;
}

void
carnet_login_page_set_session (CarnetLoginPage *self,
                               CarnetSession   *session)
{
  g_autofree char *host = NULL;
  CarnetEntClient *client;

  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));
  g_return_if_fail (!session || CARNET_IS_SESSION (session));

  if (self->session == session)
    return;

  carnet_login_page_reset (self, FALSE);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, login_accepted_cb, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "login-accepted",
                             G_CALLBACK (login_accepted_cb), self, G_CONNECT_SWAPPED);

  client = session != NULL ? carnet_session_get_client (session) : NULL;
  if (!g_set_object (&self->client, client))
    return;

  /* Parents of collège and lycée pupils log in with EduConnect, where the
   * platform has it. */
#if CARNET_HAVE_WEBKIT
  gtk_widget_set_visible (self->educonnect_box, carnet_educonnect_page_lookup_wayf (session) != NULL);
#endif

  /* An IDN host in both forms: a homograph of the school's ENT shows. */
  host = client != NULL ? carnet_ent_host_for_display (carnet_ent_client_get_host (client)) : NULL;
  gtk_label_set_text (self->host_label, host != NULL ? host : "");

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLIENT]);
}

void
carnet_login_page_set_client (CarnetLoginPage *self,
                              CarnetEntClient *client)
{
  g_autoptr(CarnetSession) session = NULL;

  g_return_if_fail (CARNET_IS_LOGIN_PAGE (self));
  g_return_if_fail (!client || CARNET_IS_ENT_CLIENT (client));

  if (self->client == client)
    return;

  if (client != NULL)
    session = carnet_session_new (client);
  carnet_login_page_set_session (self, session);
}

static gboolean
carnet_login_page_grab_focus (GtkWidget *widget)
{
  CarnetLoginPage *self = CARNET_LOGIN_PAGE (widget);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->login_row)) == '\0')
    return gtk_widget_grab_focus (GTK_WIDGET (self->login_row));

  return gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
carnet_login_page_dispose (GObject *object)
{
  CarnetLoginPage *self = CARNET_LOGIN_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  if (self->auto_cancellable != NULL)
    g_cancellable_cancel (self->auto_cancellable);
  g_clear_object (&self->auto_cancellable);
  g_clear_pointer (&self->reset_code, carnet_ui_secret_free);
  g_clear_pointer (&self->reset_login, g_free);
  g_clear_pointer (&self->auto_login_as, g_free);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (carnet_login_page_parent_class)->dispose (object);
}

static void
carnet_login_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CarnetLoginPage *self = CARNET_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, carnet_login_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_login_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CarnetLoginPage *self = CARNET_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      carnet_login_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_login_page_class_init (CarnetLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_login_page_dispose;
  object_class->get_property = carnet_login_page_get_property;
  object_class->set_property = carnet_login_page_set_property;

  widget_class->grab_focus = carnet_login_page_grab_focus;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         CARNET_TYPE_ENT_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [LOGGED_IN] =
    g_signal_new ("logged-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CARNET_TYPE_ENT_USER, CARNET_TYPE_ENT_REQUIREMENTS);

  signals [AUTO_LOGIN_STARTED] =
    g_signal_new ("auto-login-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* The parent typed a reset mail's code as the password and chose to set
   * the new password with it: (login, code). */
  signals [RESET_CODE_TYPED] =
    g_signal_new ("reset-code-typed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, host_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, profile_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, login_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, reset_code_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, login_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, busy_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, remember_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, educonnect_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetLoginPage, educonnect_button);
  gtk_widget_class_bind_template_callback (widget_class, login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, login_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_code_clicked_cb);
}

static void
carnet_login_page_init (CarnetLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->login_row), NULL);
  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->password_row), NULL);

  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = NULL;

    /* Without the schema (uninstalled), nothing is remembered. */
    if (source != NULL)
      schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
    if (schema != NULL)
      self->settings = g_settings_new_full (schema, NULL, NULL);
  }
  /* A lab's IT may change or lock the keys while Carnet runs. */
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed",
                               G_CALLBACK (update_remember), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "writable-changed",
                               G_CALLBACK (update_remember), self, G_CONNECT_SWAPPED);
    }
  update_remember (self);
}
