/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-window.h"

#include <glib/gi18n.h>

#include "carnet-ui-private.h"
#include "carnet-ent-secret-private.h"

#include "carnet-account-page.h"
#include "carnet-activation-page.h"
#include "carnet-charter-page.h"
#include "carnet-forgot-login-page.h"
#include "carnet-forgot-password-page.h"
#include "carnet-login-page.h"
#include "carnet-mail-page.h"
#include "carnet-password-page.h"
#include "carnet-shared-machine.h"
#include "carnet-window-private.h"
#include "carnet-perf.h"
#include "carnet-welcome-page.h"

struct _CarnetWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *back_button;
  GtkButton            *step_logout_button;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  CarnetWelcomePage    *welcome_page;
  CarnetLoginPage      *login_page;
  CarnetAccountPage    *account_page;
  AdwStatusPage        *soon_page;
  CarnetActivationPage *activation_page;
  CarnetForgotLoginPage *forgot_login_page;
  CarnetForgotPasswordPage *forgot_password_page;
  CarnetCharterPage    *charter_page;
  CarnetMailPage       *mail_page;
  CarnetPasswordPage   *password_page;
  GtkStack             *steps_stack;
  GtkSpinner           *steps_spinner;
  GtkLabel             *steps_error_label;
  GtkButton            *steps_retry_button;

  GSettings            *settings;
  CarnetEntClient      *client;
  char                 *ent_url;
  char                 *ca_file;

  /* After login: the user, and the requirements being asked. */
  CarnetEntUser        *user;
  GCancellable         *steps_cancellable;
  CarnetEntRequirements *requirements;
  /* Whose session it is while the user is not known (after an activation
   * that logged in): the steps' pages log in again with it. */
  char                 *login;

  /* Shared machines: logout after idle time and when the window closes. */
  CarnetIdleWatch      *idle_watch;
  guint                 idle_seconds_for_testing;
  GCancellable         *close_cancellable;
  guint                 close_timeout_id;
  /* The idle logout's request to the ENT, sent after the pages were
   * cleared, bounded like the one on closing. */
  GCancellable         *idle_logout_cancellable;
  guint                 idle_logout_timeout_id;
  /* The logout guard's pipe, when Carnet runs under it (shared machines). */
  CarnetGuardLink      *guard;
  guint                 idle_logout : 1;
  guint                 closing : 1;
  guint                 closed : 1;
};

G_DEFINE_FINAL_TYPE (CarnetWindow, carnet_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENT_URL,
  PROP_CA_FILE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
is_shared_machine (CarnetWindow *self)
{
  return self->settings != NULL && g_settings_get_boolean (self->settings, "shared-machine");
}

/* The pages shown while the ENT has a session open. */
static gboolean
page_is_logged_in (const char *name)
{
  return g_str_equal (name, "account") || g_str_equal (name, "steps") ||
         g_str_equal (name, "charter") || g_str_equal (name, "mail") ||
         g_str_equal (name, "password");
}

static guint
idle_logout_minutes (CarnetWindow *self)
{
  return self->settings != NULL ? g_settings_get_uint (self->settings, "idle-logout-minutes") : 10;
}

static void
update_idle_watch (CarnetWindow *self,
                   const char   *name)
{
  guint seconds;

  /* Not logged in, what was typed (a provisional password, a login) must
   * not wait there for the next user either; the welcome page holds
   * nothing of the kind. */
  if (!is_shared_machine (self) || g_str_equal (name, "welcome"))
    {
      carnet_idle_watch_stop (self->idle_watch);
      return;
    }

  /* From page to page of one session the period goes on. */
  if (carnet_idle_watch_get_running (self->idle_watch))
    return;

  seconds = self->idle_seconds_for_testing;
  if (seconds == 0)
    seconds = idle_logout_minutes (self) * 60;
  carnet_idle_watch_start (self->idle_watch, seconds);
}

/* --- Pages built when first needed --------------------------------------------
 * The letter's other paths (activation, forgotten login or password) and the
 * steps after login are not built before the first frame: fewer widgets to
 * create, style and keep for a parent who only logs in. */

static void activated_cb        (CarnetWindow             *self,
                                 const char               *login,
                                 gboolean                  logged_in,
                                 CarnetActivationPage     *page);
static void password_reset_cb   (CarnetWindow             *self,
                                 const char               *login,
                                 CarnetForgotPasswordPage *page);
static void step_done_cb        (CarnetWindow             *self);
static void password_changed_cb (CarnetWindow             *self,
                                 CarnetPasswordPage       *page);
static void mail_validated_cb   (CarnetWindow             *self,
                                 const char               *email,
                                 CarnetMailPage           *page);

static gpointer
add_page (CarnetWindow *self,
          GType         type,
          const char   *name,
          const char   *id)
{
  GtkWidget *page = g_object_new (type, NULL);

  /* Named as the template's ids were, for the UI tests. */
  gtk_widget_set_name (page, id);
  gtk_stack_add_named (self->stack, page, name);

  return page;
}

static CarnetActivationPage *
get_activation_page (CarnetWindow *self)
{
  if (self->activation_page == NULL)
    {
      self->activation_page = add_page (self, CARNET_TYPE_ACTIVATION_PAGE, "activation", "activation_page");
      g_signal_connect_object (self->activation_page, "activated",
                               G_CALLBACK (activated_cb), self, G_CONNECT_SWAPPED);
    }

  return self->activation_page;
}

static CarnetForgotLoginPage *
get_forgot_login_page (CarnetWindow *self)
{
  if (self->forgot_login_page == NULL)
    self->forgot_login_page = add_page (self, CARNET_TYPE_FORGOT_LOGIN_PAGE, "forgot-login", "forgot_login_page");

  return self->forgot_login_page;
}

static CarnetForgotPasswordPage *
get_forgot_password_page (CarnetWindow *self)
{
  if (self->forgot_password_page == NULL)
    {
      self->forgot_password_page = add_page (self, CARNET_TYPE_FORGOT_PASSWORD_PAGE,
                                             "forgot-password", "forgot_password_page");
      g_signal_connect_object (self->forgot_password_page, "password-reset",
                               G_CALLBACK (password_reset_cb), self, G_CONNECT_SWAPPED);
    }

  return self->forgot_password_page;
}

static CarnetPasswordPage *
get_password_page (CarnetWindow *self)
{
  if (self->password_page == NULL)
    {
      self->password_page = add_page (self, CARNET_TYPE_PASSWORD_PAGE, "password", "password_page");
      g_signal_connect_object (self->password_page, "changed",
                               G_CALLBACK (password_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->password_page, "action-required",
                               G_CALLBACK (step_done_cb), self, G_CONNECT_SWAPPED);
    }

  return self->password_page;
}

static CarnetCharterPage *
get_charter_page (CarnetWindow *self)
{
  if (self->charter_page == NULL)
    {
      self->charter_page = add_page (self, CARNET_TYPE_CHARTER_PAGE, "charter", "charter_page");
      g_signal_connect_object (self->charter_page, "accepted",
                               G_CALLBACK (step_done_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->charter_page, "action-required",
                               G_CALLBACK (step_done_cb), self, G_CONNECT_SWAPPED);
    }

  return self->charter_page;
}

static CarnetMailPage *
get_mail_page (CarnetWindow *self)
{
  if (self->mail_page == NULL)
    {
      self->mail_page = add_page (self, CARNET_TYPE_MAIL_PAGE, "mail", "mail_page");
      g_signal_connect_object (self->mail_page, "validated",
                               G_CALLBACK (mail_validated_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->mail_page, "action-required",
                               G_CALLBACK (step_done_cb), self, G_CONNECT_SWAPPED);
    }

  return self->mail_page;
}

/* Tells the logout guard which session is open, if any. */
static void
update_guard (CarnetWindow *self)
{
  g_autofree char *base_url = NULL;
  g_autoptr(CarnetEntSecretString) cookies = NULL;

  if (self->guard == NULL)
    return;

  if (self->client != NULL && carnet_ent_client_has_session (self->client))
    {
      cookies = carnet_ent_client_dup_session_cookies (self->client);
      base_url = g_strconcat ("https://", carnet_ent_client_get_host (self->client), NULL);
    }

  carnet_guard_link_set_session (self->guard, base_url, cookies);
}

static void
show_page (CarnetWindow *self,
           const char   *name,
           const char   *title)
{
  GtkWidget *page;
  gboolean can_go_back;
  g_autofree char *subtitle = NULL;

  /* The pages have their own headings; the header bar only adds which ENT,
   * an internationalised name in both forms, so that a look-alike shows. */
  if (title != NULL && self->client != NULL)
    subtitle = carnet_ent_host_for_display (carnet_ent_client_get_host (self->client));

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  can_go_back = g_str_equal (name, "login") || g_str_equal (name, "soon") ||
                g_str_equal (name, "activation") || g_str_equal (name, "forgot-login") ||
                g_str_equal (name, "forgot-password");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);

  /* A parent who will not accept the charter, or cannot reach their
   * mailbox now, must still be able to leave the ENT properly. */
  gtk_widget_set_visible (GTK_WIDGET (self->step_logout_button),
                          g_str_equal (name, "steps") || g_str_equal (name, "charter") ||
                          g_str_equal (name, "mail") || g_str_equal (name, "password"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->step_logout_button), TRUE);

  /* G_MESSAGES_DEBUG=carnet-ui shows the way through the pages; scripts
   * that drive a sandboxed Carnet (build-aux/flatpak-test) wait for it. */
  g_debug ("Showing page %s", name);
  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_visible_child (self->stack);
  gtk_widget_grab_focus (page);

  update_idle_watch (self, name);
  update_guard (self);
}

G_GNUC_UNUSED static void
show_soon (CarnetWindow *self,
           const char   *title)
{
  adw_status_page_set_title (self->soon_page, title);
  show_page (self, "soon", NULL);
}

static gboolean
address_is_ready (CarnetWindow *self)
{
  return self->client != NULL && carnet_welcome_page_get_accepted (self->welcome_page);
}

static void
back_activated_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);
  const char *page = carnet_window_get_page_name (self);

  if (g_str_equal (page, "welcome"))
    {
      carnet_welcome_page_cancel (self->welcome_page);
    }
  else if (g_str_equal (page, "login"))
    {
      carnet_login_page_cancel (self->login_page);
      show_page (self, "welcome", NULL);
    }
  else if (g_str_equal (page, "soon"))
    {
      show_page (self, "welcome", NULL);
    }
  /* The letter's wizards go back one step, then to the choices. */
  else if (g_str_equal (page, "activation"))
    {
      if (!carnet_activation_page_go_back (self->activation_page))
        show_page (self, "welcome", NULL);
    }
  else if (g_str_equal (page, "forgot-login"))
    {
      if (!carnet_forgot_login_page_go_back (self->forgot_login_page))
        show_page (self, "welcome", NULL);
    }
  else if (g_str_equal (page, "forgot-password"))
    {
      if (!carnet_forgot_password_page_go_back (self->forgot_password_page))
        show_page (self, "welcome", NULL);
    }
  else if (g_str_equal (page, "mail"))
    {
      /* From the code back to the address; the address is the first step. */
      carnet_mail_page_go_back (self->mail_page);
    }
  else if (g_str_equal (page, "charter"))
    {
      carnet_charter_page_cancel (self->charter_page);
    }
  else if (g_str_equal (page, "password"))
    {
      carnet_password_page_cancel (self->password_page);
    }
  /* On the account page the way out is "Log out". */
}

static void
login_activated_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  show_page (self, "login", NULL);
}

static void
first_connection_activated_cb (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_activation_page_set_client (get_activation_page (self), self->client);
  show_page (self, "activation", NULL);
}

static void
activated_cb (CarnetWindow         *self,
              const char           *login,
              gboolean              logged_in,
              CarnetActivationPage *page)
{
  if (logged_in)
    {
      g_free (self->login);
      self->login = g_strdup (login);
      /* The letter's next steps: charter, notification email, then the account. */
      carnet_window_continue_after_login (self);
      return;
    }

  carnet_login_page_reset (self->login_page, FALSE);
  carnet_login_page_set_login (self->login_page, login);
  show_page (self, "login", NULL);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your ENT account is activated. Log in with your new password.")));
}

static void
forgot_login_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_forgot_login_page_set_client (get_forgot_login_page (self), self->client);
  show_page (self, "forgot-login", NULL);
}

static void
forgot_password_activated_cb (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_forgot_password_page_set_client (get_forgot_password_page (self), self->client);
  show_page (self, "forgot-password", NULL);
}

static void
reset_code_typed_cb (CarnetWindow    *self,
                     const char      *login,
                     const char      *code,
                     CarnetLoginPage *page)
{
  CarnetForgotPasswordPage *forgot = get_forgot_password_page (self);

  carnet_forgot_password_page_set_client (forgot, self->client);
  carnet_forgot_password_page_start_with_code (forgot, login, code);
  show_page (self, "forgot-password", NULL);
}

static void
password_reset_cb (CarnetWindow             *self,
                   const char               *login,
                   CarnetForgotPasswordPage *page)
{
  carnet_login_page_reset (self->login_page, FALSE);
  carnet_login_page_set_login (self->login_page, login);
  show_page (self, "login", NULL);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your password has been changed. Log in with the new one.")));
}

static void
address_accepted_cb (CarnetWindow      *self,
                     CarnetEntClient   *client,
                     CarnetEntContext  *context,
                     CarnetWelcomePage *page)
{
  const char *host = carnet_ent_client_get_host (client);
  const char *chosen;

  g_debug ("The ENT address is accepted");
  g_set_object (&self->client, client);
  /* A shared machine's session must not outlive the browser-like session
   * (entcore gives a "remember me" cookie a year). */
  carnet_ent_client_set_remember_me (client, !is_shared_machine (self));
  if (self->guard != NULL)
    g_signal_connect_object (client, "session-changed",
                             G_CALLBACK (update_guard), self, G_CONNECT_SWAPPED);
  carnet_login_page_set_client (self->login_page, client);
  /* A remembered password logs in by itself (see auto_login_started_cb),
   * as the account chosen in the welcome page's list, if any. */
  chosen = carnet_welcome_page_get_chosen_login (page);
  if (chosen != NULL)
    carnet_login_page_set_login (self->login_page, chosen);
  carnet_login_page_try_auto_login_as (self->login_page, chosen);

  /* Next time, the letter is not needed to find the ENT again; a shared
   * machine keeps no trace of which ENT its users went to. */
  if (self->settings != NULL && !is_shared_machine (self) &&
      g_settings_is_writable (self->settings, "ent-url"))
    {
      g_autofree char *saved = g_settings_get_string (self->settings, "ent-url");

      if (g_strcmp0 (saved, host) != 0)
        g_settings_set_string (self->settings, "ent-url", host);
    }
}

static void
auto_login_started_cb (CarnetWindow    *self,
                       CarnetLoginPage *page)
{
  show_page (self, "login", NULL);
}

/* --- What must happen after every login --------------------------------------
 * The letter's "Consultez et acceptez la charte ENT" and "Saisissez votre
 * mail…": the ENT's requirements, in its order (password, charter, email),
 * asked again after each step, then the account. */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
show_steps_busy (CarnetWindow *self)
{
  gtk_stack_set_visible_child_name (self->steps_stack, "busy");
  gtk_spinner_set_spinning (self->steps_spinner, TRUE);
  show_page (self, "steps", _("Your Account"));
}

static void
show_steps_error (CarnetWindow *self,
                  const char   *message)
{
  gtk_spinner_set_spinning (self->steps_spinner, FALSE);
  gtk_label_set_text (self->steps_error_label, message);
  gtk_stack_set_visible_child_name (self->steps_stack, "error");
  show_page (self, "steps", _("Your Account"));
  gtk_widget_grab_focus (GTK_WIDGET (self->steps_retry_button));
}

static void
show_account (CarnetWindow          *self,
              CarnetEntRequirements *requirements)
{
  gtk_spinner_set_spinning (self->steps_spinner, FALSE);
  carnet_account_page_set_account (self->account_page, self->client, self->user, requirements);
  show_page (self, "account", _("Your Account"));
}

static void
refresh_user_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetWindow) self = user_data;
  g_autoptr(CarnetEntRequirements) requirements = NULL;
  g_autoptr(CarnetEntUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = carnet_ent_client_get_user_info_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (is_cancelled (error) || self->steps_cancellable == NULL)
    return;
  g_clear_object (&self->steps_cancellable);
  requirements = g_steal_pointer (&self->requirements);

  /* The steps may have changed the email: show what the ENT now knows. */
  if (user != NULL)
    g_set_object (&self->user, user);
  else
    g_debug ("The profile could not be read again: %s", error->message);

  if (self->user == NULL)
    {
      show_steps_error (self, error->message);
      return;
    }

  show_account (self, requirements);
}

/* Shows the page of the ENT's first requirement, if any is left. */
static gboolean
show_next_step (CarnetWindow          *self,
                CarnetEntRequirements *requirements)
{
  const char *login = self->user != NULL ? carnet_ent_user_get_login (self->user) : self->login;

  /* The ENT's order: password, then charter, then email. */
  if (carnet_ent_requirements_get_force_change_password (requirements) && self->user != NULL)
    {
      g_clear_object (&self->steps_cancellable);
      gtk_spinner_set_spinning (self->steps_spinner, FALSE);
      carnet_password_page_set_account (get_password_page (self), self->client,
                                        carnet_ent_user_get_login (self->user));
      show_page (self, "password", _("Password Change"));
      return TRUE;
    }

  if (carnet_ent_requirements_get_need_revalidate_terms (requirements))
    {
      g_clear_object (&self->steps_cancellable);
      gtk_spinner_set_spinning (self->steps_spinner, FALSE);
      carnet_charter_page_set_account (get_charter_page (self), self->client, login);
      show_page (self, "charter", _("ENT Charter"));
      carnet_charter_page_start (self->charter_page);
      return TRUE;
    }

  if (carnet_ent_requirements_get_need_revalidate_email (requirements))
    {
      g_clear_object (&self->steps_cancellable);
      gtk_spinner_set_spinning (self->steps_spinner, FALSE);
      carnet_mail_page_set_account (get_mail_page (self), self->client, login);
      carnet_mail_page_start (self->mail_page);
      show_page (self, "mail", _("Notification Email"));
      return TRUE;
    }

  return FALSE;
}

static void
requirements_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetWindow) self = user_data;
  g_autoptr(CarnetEntRequirements) requirements = NULL;
  g_autoptr(GError) error = NULL;

  requirements = carnet_ent_client_get_requirements_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (is_cancelled (error) || self->steps_cancellable == NULL)
    return;

  if (requirements == NULL)
    {
      g_clear_object (&self->steps_cancellable);
      g_debug ("No requirements from the ENT: %s", error->message);
      show_steps_error (self, error->message);
      return;
    }

  if (show_next_step (self, requirements))
    return;

  g_set_object (&self->requirements, requirements);
  carnet_ent_client_get_user_info_async (self->client,
                                         self->steps_cancellable,
                                         refresh_user_cb,
                                         g_object_ref (self));
}

void
carnet_window_continue_after_login (CarnetWindow *self)
{
  g_return_if_fail (CARNET_IS_WINDOW (self));
  g_return_if_fail (self->client != NULL);

  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  g_clear_object (&self->steps_cancellable);
  self->steps_cancellable = g_cancellable_new ();

  show_steps_busy (self);
  carnet_ent_client_get_requirements_async (self->client,
                                            self->steps_cancellable,
                                            requirements_cb,
                                            g_object_ref (self));
}

static void
steps_retry_clicked_cb (CarnetWindow *self)
{
  carnet_window_continue_after_login (self);
}

static void
step_done_cb (CarnetWindow *self)
{
  carnet_window_continue_after_login (self);
}

static void
password_changed_cb (CarnetWindow       *self,
                     CarnetPasswordPage *page)
{
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your password is changed.")));
  carnet_window_continue_after_login (self);
}

static void
mail_validated_cb (CarnetWindow   *self,
                   const char     *email,
                   CarnetMailPage *page)
{
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your email address is confirmed.")));
  carnet_window_continue_after_login (self);
}

static void
logged_in_cb (CarnetWindow          *self,
              CarnetEntUser         *user,
              CarnetEntRequirements *requirements,
              CarnetLoginPage       *page)
{
  g_set_object (&self->user, user);
  /* The password has done its work: it must not stay in a widget. */
  carnet_login_page_reset (self->login_page, TRUE);

  /* The login page has just read both the profile and the requirements:
   * asking the ENT again would only add two round trips. */
  if (user != NULL && requirements != NULL)
    {
      if (self->steps_cancellable != NULL)
        g_cancellable_cancel (self->steps_cancellable);
      g_clear_object (&self->steps_cancellable);
      if (!show_next_step (self, requirements))
        show_account (self, requirements);
      return;
    }

  carnet_window_continue_after_login (self);
}

/* Whoever comes back to a shared machine must read it: it stays. */
static void
add_lasting_toast (CarnetWindow *self,
                   const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
logged_out_cb (CarnetWindow      *self,
               CarnetAccountPage *page)
{
  gboolean shared = FALSE;

  if (self->settings != NULL)
    shared = g_settings_get_boolean (self->settings, "shared-machine");

  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  g_clear_object (&self->steps_cancellable);
  g_clear_object (&self->user);
  g_clear_pointer (&self->login, g_free);
  if (self->password_page != NULL)
    carnet_password_page_clear (self->password_page);
  /* A mail code typed (hidden) must not wait there for the next user. */
  if (self->mail_page != NULL)
    carnet_mail_page_clear (self->mail_page);

  carnet_login_page_reset (self->login_page, !shared);
  show_page (self, "welcome", NULL);

  if (self->idle_logout)
    {
      guint minutes = idle_logout_minutes (self);
      g_autofree char *message = NULL;

      self->idle_logout = FALSE;
      message = g_strdup_printf (ngettext ("You were logged out after %u minute without activity.",
                                           "You were logged out after %u minutes without activity.",
                                           minutes),
                                 minutes);
      add_lasting_toast (self, message);
      return;
    }

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("You are logged out.")));
}

static void
step_logout_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CarnetWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The client forgets the session even when the ENT cannot be told. */
  if (!carnet_ent_client_logout_finish (CARNET_ENT_CLIENT (object), result, &error))
    g_debug ("The ENT was not told about the logout: %s", error->message);

  logged_out_cb (self, NULL);
}

static void
step_log_out_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  g_clear_object (&self->steps_cancellable);

  if (self->client == NULL)
    {
      logged_out_cb (self, NULL);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->step_logout_button), FALSE);
  carnet_ent_client_logout_async (self->client, NULL, step_logout_cb, g_object_ref (self));
}

/* --- Shared machines ----------------------------------------------------------
 * The next user of a lab's computer must not find the previous one's
 * account open: logout after some time without input, and on closing. */

/* Idle on a page before login: what was typed there goes, and the machine
 * is back at the start for the next user. */
static void
forget_typed (CarnetWindow *self)
{
  guint minutes = idle_logout_minutes (self);
  g_autofree char *message = NULL;

  g_debug ("Clearing the pages after the idle time");
  carnet_login_page_reset (self->login_page, FALSE);
  if (self->activation_page != NULL)
    carnet_activation_page_reset (self->activation_page);
  if (self->forgot_login_page != NULL)
    carnet_forgot_login_page_reset (self->forgot_login_page);
  if (self->forgot_password_page != NULL)
    carnet_forgot_password_page_reset (self->forgot_password_page);
  show_page (self, "welcome", NULL);

  message = g_strdup_printf (ngettext ("What was typed was cleared after %u minute without activity.",
                                       "What was typed was cleared after %u minutes without activity.",
                                       minutes),
                             minutes);
  add_lasting_toast (self, message);
}

static void
idle_logout_told_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CarnetWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The client forgets the session even when the ENT cannot be told. */
  if (!carnet_ent_client_logout_finish (CARNET_ENT_CLIENT (object), result, &error))
    g_debug ("The ENT was not told about the idle logout: %s", error->message);
  else
    {
      g_debug ("The ENT was told about the idle logout");
      update_guard (self);
    }

  g_clear_handle_id (&self->idle_logout_timeout_id, g_source_remove);
  g_clear_object (&self->idle_logout_cancellable);
}

static gboolean
idle_logout_timeout_cb (gpointer user_data)
{
  CarnetWindow *self = user_data;

  self->idle_logout_timeout_id = 0;
  g_debug ("The ENT did not answer the idle logout in time");
  g_cancellable_cancel (self->idle_logout_cancellable);

  return G_SOURCE_REMOVE;
}

/* Idle with a session open: the next user of the machine must not see the
 * previous one's pages while a slow ENT takes its time to answer, so the
 * pages are cleared first, at once, and the ENT is told afterwards, within
 * the bound closing the window has. */
static void
idle_log_out (CarnetWindow *self)
{
  g_autoptr(CarnetEntClient) client = self->client ? g_object_ref (self->client) : NULL;

  g_debug ("Logging out after the idle time");
  self->idle_logout = TRUE;

  carnet_account_page_set_account (self->account_page, NULL, NULL, NULL);
  logged_out_cb (self, NULL);

  if (client == NULL || !carnet_ent_client_has_session (client) ||
      self->idle_logout_cancellable != NULL)
    return;

  self->idle_logout_cancellable = g_cancellable_new ();
  self->idle_logout_timeout_id = g_timeout_add_seconds (CARNET_WINDOW_CLOSE_LOGOUT_SECONDS,
                                                        idle_logout_timeout_cb, self);
  carnet_ent_client_logout_async (client, self->idle_logout_cancellable,
                                  idle_logout_told_cb, g_object_ref (self));
}

static void
idle_cb (CarnetWindow    *self,
         CarnetIdleWatch *watch)
{
  const char *page = carnet_window_get_page_name (self);

  if (!page_is_logged_in (page))
    {
      forget_typed (self);
      return;
    }

  idle_log_out (self);
}

void
carnet_window_set_idle_seconds_for_testing (CarnetWindow *self,
                                            guint         seconds)
{
  g_return_if_fail (CARNET_IS_WINDOW (self));

  self->idle_seconds_for_testing = seconds;
}

static void
finish_close (CarnetWindow *self)
{
  if (self->closed)
    return;

  self->closed = TRUE;
  g_clear_handle_id (&self->close_timeout_id, g_source_remove);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
close_logout_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_logout_finish (CARNET_ENT_CLIENT (object), result, &error))
    g_debug ("The ENT was not told about the logout: %s", error->message);
  else
    update_guard (self);

  finish_close (self);
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  CarnetWindow *self = user_data;

  self->close_timeout_id = 0;
  g_debug ("The ENT did not answer the logout in time; closing anyway");
  g_cancellable_cancel (self->close_cancellable);
  finish_close (self);

  return G_SOURCE_REMOVE;
}

static gboolean
carnet_window_close_request (GtkWindow *window)
{
  CarnetWindow *self = CARNET_WINDOW (window);

  if (self->closing)
    return TRUE;

  if (!is_shared_machine (self) || self->client == NULL ||
      !carnet_ent_client_has_session (self->client))
    return GTK_WINDOW_CLASS (carnet_window_parent_class)->close_request (window);

  /* The window goes at once; the logout finishes behind it, within a
   * bound, so that a silent ENT never keeps Carnet running. */
  self->closing = TRUE;
  carnet_idle_watch_stop (self->idle_watch);
  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->close_cancellable = g_cancellable_new ();
  self->close_timeout_id = g_timeout_add_seconds (CARNET_WINDOW_CLOSE_LOGOUT_SECONDS,
                                                  close_timeout_cb, self);
  carnet_ent_client_logout_async (self->client, self->close_cancellable,
                                  close_logout_cb, g_object_ref (self));

  return TRUE;
}

const char *
carnet_window_get_page_name (CarnetWindow *self)
{
  const char *name;

  g_return_val_if_fail (CARNET_IS_WINDOW (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);

  return name ? name : "welcome";
}

CarnetEntClient *
carnet_window_get_client (CarnetWindow *self)
{
  g_return_val_if_fail (CARNET_IS_WINDOW (self), NULL);

  return self->client;
}

CarnetWindow *
carnet_window_new (GtkApplication *application,
                   const char     *ent_url,
                   const char     *ca_file)
{
  return g_object_new (CARNET_TYPE_WINDOW,
                       "application", application,
                       "ent-url", ent_url,
                       "ca-file", ca_file,
                       NULL);
}

static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running uninstalled without the compiled schema: no settings, no crash. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; settings are not used", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
carnet_window_constructed (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);
  g_autofree char *address = NULL;
  gboolean writable = TRUE;

  G_OBJECT_CLASS (carnet_window_parent_class)->constructed (object);

  carnet_welcome_page_set_ca_file (self->welcome_page, self->ca_file);

  if (is_shared_machine (self))
    {
      carnet_shared_machine_protect_process ();
      self->guard = carnet_guard_link_open ();
      if (self->guard != NULL)
        carnet_guard_link_set_ca_file (self->guard, self->ca_file);
    }

  if (self->settings != NULL)
    {
      writable = g_settings_is_writable (self->settings, "ent-url");
      address = g_settings_get_string (self->settings, "ent-url");
    }

  /* The command line wins over the last address, not over a locked one. */
  if (writable && self->ent_url != NULL && *self->ent_url != '\0')
    {
      g_free (address);
      address = g_strdup (self->ent_url);
    }

  carnet_welcome_page_set_address_editable (self->welcome_page, writable);
  show_page (self, "welcome", NULL);

  if (address != NULL && *address != '\0')
    {
      carnet_welcome_page_set_address (self->welcome_page, address);
      carnet_welcome_page_check_address (self->welcome_page);
    }
}

static void
carnet_window_dispose (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CARNET_TYPE_WINDOW);
  /* The pages built later went with the stack. */
  self->activation_page = NULL;
  self->forgot_login_page = NULL;
  self->forgot_password_page = NULL;
  self->password_page = NULL;
  self->charter_page = NULL;
  self->mail_page = NULL;

  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  g_clear_object (&self->steps_cancellable);
  g_clear_object (&self->requirements);
  g_clear_object (&self->user);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_handle_id (&self->close_timeout_id, g_source_remove);
  if (self->close_cancellable != NULL)
    g_cancellable_cancel (self->close_cancellable);
  g_clear_object (&self->close_cancellable);
  g_clear_handle_id (&self->idle_logout_timeout_id, g_source_remove);
  if (self->idle_logout_cancellable != NULL)
    g_cancellable_cancel (self->idle_logout_cancellable);
  g_clear_object (&self->idle_logout_cancellable);
  g_clear_pointer (&self->guard, carnet_guard_link_free);
  if (self->idle_watch != NULL)
    carnet_idle_watch_stop (self->idle_watch);
  g_clear_object (&self->idle_watch);

  G_OBJECT_CLASS (carnet_window_parent_class)->dispose (object);
}

static void
carnet_window_finalize (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  g_clear_pointer (&self->ent_url, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->login, g_free);

  G_OBJECT_CLASS (carnet_window_parent_class)->finalize (object);
}

static void
carnet_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENT_URL:
      g_value_set_string (value, self->ent_url);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENT_URL:
      self->ent_url = g_value_dup_string (value);
      break;

    case PROP_CA_FILE:
      self->ca_file = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_window_class_init (CarnetWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = carnet_window_close_request;

  object_class->constructed = carnet_window_constructed;
  object_class->dispose = carnet_window_dispose;
  object_class->finalize = carnet_window_finalize;
  object_class->get_property = carnet_window_get_property;
  object_class->set_property = carnet_window_set_property;

  properties [PROP_ENT_URL] =
    g_param_spec_string ("ent-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.login", NULL, login_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.first-connection", NULL, first_connection_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.forgot-login", NULL, forgot_login_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.forgot-password", NULL, forgot_password_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.step-log-out", NULL, step_log_out_activated_cb);

  g_type_ensure (CARNET_TYPE_WELCOME_PAGE);
  g_type_ensure (CARNET_TYPE_LOGIN_PAGE);
  g_type_ensure (CARNET_TYPE_ACCOUNT_PAGE);
  g_type_ensure (CARNET_TYPE_CHARTER_PAGE);
  g_type_ensure (CARNET_TYPE_MAIL_PAGE);
  g_type_ensure (CARNET_TYPE_PASSWORD_PAGE);
  g_type_ensure (CARNET_TYPE_ACTIVATION_PAGE);
  g_type_ensure (CARNET_TYPE_FORGOT_LOGIN_PAGE);
  g_type_ensure (CARNET_TYPE_FORGOT_PASSWORD_PAGE);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, step_logout_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, account_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, soon_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_retry_button);
  gtk_widget_class_bind_template_callback (widget_class, steps_retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_accepted_cb);
  gtk_widget_class_bind_template_callback (widget_class, logged_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, logged_out_cb);
}

static void
carnet_window_init (CarnetWindow *self)
{
  static gboolean icons_added;
  GdkDisplay *display = gdk_display_get_default ();

  /* The application adds its icons itself; a window made by a test does not. */
  if (!icons_added && display != NULL)
    {
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                        RESOURCE_PREFIX "/icons");
      icons_added = TRUE;
    }

  /* Off unless the benchmark asks for it (CARNET_REPORT_FIRST_FRAME…). */
  carnet_perf_watch_window (GTK_WIDGET (self));
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->account_page, "action-required",
                           G_CALLBACK (step_done_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->login_page, "reset-code-typed",
                           G_CALLBACK (reset_code_typed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->login_page, "auto-login-started",
                           G_CALLBACK (auto_login_started_cb), self, G_CONNECT_SWAPPED);

  self->settings = settings_new ();

  self->idle_watch = carnet_idle_watch_new (GTK_WIDGET (self));
  g_signal_connect_object (self->idle_watch, "idle",
                           G_CALLBACK (idle_cb), self, G_CONNECT_SWAPPED);
}
