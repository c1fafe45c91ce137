/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-window.h"

#include <glib/gi18n.h>

#include "carnet-ui-private.h"

#include "carnet-account-page.h"
#include "carnet-activation-page.h"
#include "carnet-application.h"
#include "carnet-charter-page.h"
#include "carnet-forgot-login-page.h"
#include "carnet-forgot-password-page.h"
#include "carnet-lockdown.h"
#include "carnet-login-page.h"
#include "carnet-mail-page.h"
#include "carnet-window-educonnect.h"
#include "carnet-window-news.h"
#include "carnet-password-page.h"
#include "carnet-perf.h"
#include "carnet-session.h"
#include "carnet-shared-machine.h"
#include "carnet-window-private.h"
#include "carnet-welcome-page.h"

/* --- The pages ------------------------------------------------------------------
 * One row each: its name in the stack, the header bar's title, how it is
 * built and what the header bar offers on it. Only the first page (and the
 * small "steps" one) are in the template: the others are built
 * when first shown or needed, after the first frame, so that a parent who
 * only logs in does not pay for the letter's other paths at start. */

typedef enum {
  PAGE_CAN_GO_BACK = 1 << 0,   /* the back button shows */
  PAGE_LOGGED_IN   = 1 << 1,   /* a page of the open session */
  PAGE_STEP        = 1 << 2,   /* a step after login: "Log out" in the header bar */
} PageFlags;

typedef struct
{
  const char *name;
  GCallback   callback;
} PageSignal;

typedef struct
{
  const char  *name;
  /* The header bar's title (N_()), or NULL: the page has its own heading. */
  const char  *title;
  /* NULL: in the template. */
  GType      (*get_type) (void);
  PageFlags    flags;
  /* Once built: its signals, to the window's handlers (swapped). */
  PageSignal   signals[3];
  /* win.back on it. */
  void       (*back)     (CarnetWindow *self,
                          GtkWidget    *page);
} PageInfo;

static void logged_in_cb          (CarnetWindow *self, CarnetEntUser *user, CarnetEntRequirements *requirements,
                                   CarnetLoginPage *page);
static void reset_code_typed_cb   (CarnetWindow *self, const char *login, const char *code, CarnetLoginPage *page);
static void auto_login_started_cb (CarnetWindow *self, CarnetLoginPage *page);
static void step_done_cb          (CarnetWindow *self);
static void activated_cb          (CarnetWindow *self, const char *login, gboolean logged_in, CarnetActivationPage *page);
static void password_reset_cb     (CarnetWindow *self, const char *login, CarnetForgotPasswordPage *page);
static void password_changed_cb   (CarnetWindow *self, CarnetPasswordPage *page);
static void mail_validated_cb     (CarnetWindow *self, const char *email, CarnetMailPage *page);
static void back_welcome               (CarnetWindow *self, GtkWidget *page);
static void back_login                 (CarnetWindow *self, GtkWidget *page);
static void back_wizard                (CarnetWindow *self, GtkWidget *page);
static void back_password              (CarnetWindow *self, GtkWidget *page);
static void back_charter               (CarnetWindow *self, GtkWidget *page);
static void back_mail                  (CarnetWindow *self, GtkWidget *page);
#if CARNET_HAVE_WEBKIT
static void back_educonnect            (CarnetWindow *self, GtkWidget *page);
#endif

#define SIGNAL(name, callback) { name, G_CALLBACK (callback) }

static const PageInfo pages[N_PAGES] = {
  [PAGE_WELCOME]         = { "welcome", NULL, NULL, 0, { }, back_welcome },
  [PAGE_LOGIN]           = { "login", NULL, carnet_login_page_get_type, PAGE_CAN_GO_BACK,
                             { SIGNAL ("logged-in", logged_in_cb),
                               SIGNAL ("reset-code-typed", reset_code_typed_cb),
                               SIGNAL ("auto-login-started", auto_login_started_cb) }, back_login },
  /* On the account page the way out is "Log out". */
  [PAGE_ACCOUNT]         = { "account", N_("Your Account"), carnet_account_page_get_type, PAGE_LOGGED_IN,
                             { SIGNAL ("action-required", step_done_cb) }, NULL },
  [PAGE_STEPS]           = { "steps", N_("Your Account"), NULL, PAGE_LOGGED_IN | PAGE_STEP, { }, NULL },
  [PAGE_ACTIVATION]      = { "activation", NULL, carnet_activation_page_get_type, PAGE_CAN_GO_BACK,
                             { SIGNAL ("activated", activated_cb) }, back_wizard },
  [PAGE_FORGOT_LOGIN]    = { "forgot-login", NULL, carnet_forgot_login_page_get_type, PAGE_CAN_GO_BACK,
                             { }, back_wizard },
  [PAGE_FORGOT_PASSWORD] = { "forgot-password", NULL, carnet_forgot_password_page_get_type, PAGE_CAN_GO_BACK,
                             { SIGNAL ("password-reset", password_reset_cb) }, back_wizard },
  [PAGE_PASSWORD]        = { "password", N_("Password Change"), carnet_password_page_get_type,
                             PAGE_LOGGED_IN | PAGE_STEP,
                             { SIGNAL ("changed", password_changed_cb),
                               SIGNAL ("action-required", step_done_cb) }, back_password },
  [PAGE_CHARTER]         = { "charter", N_("ENT Charter"), carnet_charter_page_get_type,
                             PAGE_LOGGED_IN | PAGE_STEP,
                             { SIGNAL ("accepted", step_done_cb),
                               SIGNAL ("action-required", step_done_cb) }, back_charter },
  [PAGE_MAIL]            = { "mail", N_("Notification Email"), carnet_mail_page_get_type,
                             PAGE_LOGGED_IN | PAGE_STEP,
                             { SIGNAL ("validated", mail_validated_cb),
                               SIGNAL ("action-required", step_done_cb) }, back_mail },
#if CARNET_HAVE_WEBKIT
  /* The login through EduConnect, in a web view (back: to the login). */
  [PAGE_EDUCONNECT]      = { "educonnect", N_("EduConnect Login"), carnet_window_educonnect_page_get_type,
                             PAGE_CAN_GO_BACK, { SIGNAL ("cancelled", back_educonnect) }, back_educonnect },
#endif
};

#undef SIGNAL

G_DEFINE_FINAL_TYPE (CarnetWindow, carnet_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENT_URL,
  PROP_CA_FILE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The page, built if it was not yet. */
GtkWidget *
carnet_window_get_page (CarnetWindow *self,
                        PageId        id)
{
  const PageInfo *info = &pages[id];
  g_autofree char *widget_name = NULL;
  GtkWidget *page;

  if (self->page_widgets[id] != NULL)
    return self->page_widgets[id];

  g_return_val_if_fail (info->get_type != NULL, NULL);

  page = g_object_new (info->get_type (), NULL);
  /* Named as the template's ids were, for the UI tests: "forgot_login_page". */
  widget_name = g_strdup_printf ("%s_page", info->name);
  g_strdelimit (widget_name, "-", '_');
  gtk_widget_set_name (page, widget_name);
  gtk_stack_add_named (self->stack, page, info->name);
  self->page_widgets[id] = page;

  for (guint i = 0; i < G_N_ELEMENTS (info->signals) && info->signals[i].name != NULL; i++)
    g_signal_connect_object (page, info->signals[i].name, info->signals[i].callback, self, G_CONNECT_SWAPPED);
  if (id == PAGE_LOGIN)
    carnet_login_page_set_session (CARNET_LOGIN_PAGE (page), self->session);

  return page;
}

/* The page if it was built, else NULL. */
GtkWidget *
carnet_window_peek_page (CarnetWindow *self,
                         PageId        id)
{
  return self->page_widgets[id];
}

#define LOGIN_PAGE(self)           CARNET_LOGIN_PAGE (carnet_window_get_page ((self), PAGE_LOGIN))
#define ACCOUNT_PAGE(self)         CARNET_ACCOUNT_PAGE (carnet_window_get_page ((self), PAGE_ACCOUNT))
#define ACTIVATION_PAGE(self)      CARNET_ACTIVATION_PAGE (carnet_window_get_page ((self), PAGE_ACTIVATION))
#define FORGOT_LOGIN_PAGE(self)    CARNET_FORGOT_LOGIN_PAGE (carnet_window_get_page ((self), PAGE_FORGOT_LOGIN))
#define FORGOT_PASSWORD_PAGE(self) CARNET_FORGOT_PASSWORD_PAGE (carnet_window_get_page ((self), PAGE_FORGOT_PASSWORD))
#define PASSWORD_PAGE(self)        CARNET_PASSWORD_PAGE (carnet_window_get_page ((self), PAGE_PASSWORD))
#define CHARTER_PAGE(self)         CARNET_CHARTER_PAGE (carnet_window_get_page ((self), PAGE_CHARTER))
#define MAIL_PAGE(self)            CARNET_MAIL_PAGE (carnet_window_get_page ((self), PAGE_MAIL))

static CarnetEntClient *
get_client (CarnetWindow *self)
{
  return self->session != NULL ? carnet_session_get_client (self->session) : NULL;
}

void
carnet_window_show_page (CarnetWindow *self,
                         PageId        id)
{
  const PageInfo *info = &pages[id];
  const char *title = info->title != NULL ? _(info->title) : NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *page;

  /* The pages have their own headings; the header bar only adds which ENT,
   * an internationalised name in both forms, so that a look-alike shows. */
  if (title != NULL && get_client (self) != NULL)
    subtitle = carnet_ent_host_for_display (carnet_ent_client_get_host (get_client (self)));

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), (info->flags & PAGE_CAN_GO_BACK) != 0);
  /* A parent who will not accept the charter, or cannot reach their
   * mailbox now, must still be able to leave the ENT properly. */
  gtk_widget_set_visible (GTK_WIDGET (self->step_logout_button), (info->flags & PAGE_STEP) != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->step_logout_button), TRUE);

  /* G_MESSAGES_DEBUG=carnet-ui shows the way through the pages; scripts
   * that drive a sandboxed Carnet (build-aux/flatpak-test) wait for it. */
  g_debug ("Showing page %s", info->name);
  page = info->get_type != NULL ? carnet_window_get_page (self, id) : NULL;
  self->shown = id;
  gtk_stack_set_visible_child_name (self->stack, info->name);
  if (page == NULL)
    page = gtk_stack_get_visible_child (self->stack);
  gtk_widget_grab_focus (page);

  carnet_lockdown_page_shown (self->lockdown, id == PAGE_WELCOME, (info->flags & PAGE_LOGGED_IN) != 0);
}

static gboolean
address_is_ready (CarnetWindow *self)
{
  return self->session != NULL && carnet_welcome_page_get_accepted (self->welcome_page);
}

/* --- Back ------------------------------------------------------------------------ */

static void
back_welcome (CarnetWindow *self,
              GtkWidget    *page)
{
  carnet_welcome_page_cancel (self->welcome_page);
}

static void
back_login (CarnetWindow *self,
            GtkWidget    *page)
{
  carnet_login_page_cancel (CARNET_LOGIN_PAGE (page));
  carnet_window_show_page (self, PAGE_WELCOME);
}

/* The letter's wizards go back one step, then to the choices. */
static void
back_wizard (CarnetWindow *self,
             GtkWidget    *page)
{
  gboolean went_back = FALSE;

  if (CARNET_IS_ACTIVATION_PAGE (page))
    went_back = carnet_activation_page_go_back (CARNET_ACTIVATION_PAGE (page));
  else if (CARNET_IS_FORGOT_LOGIN_PAGE (page))
    went_back = carnet_forgot_login_page_go_back (CARNET_FORGOT_LOGIN_PAGE (page));
  else if (CARNET_IS_FORGOT_PASSWORD_PAGE (page))
    went_back = carnet_forgot_password_page_go_back (CARNET_FORGOT_PASSWORD_PAGE (page));

  if (!went_back)
    carnet_window_show_page (self, PAGE_WELCOME);
}

static void
back_mail (CarnetWindow *self,
           GtkWidget    *page)
{
  /* From the code back to the address; the address is the first step. */
  carnet_mail_page_go_back (CARNET_MAIL_PAGE (page));
}

static void
back_charter (CarnetWindow *self,
              GtkWidget    *page)
{
  carnet_charter_page_cancel (CARNET_CHARTER_PAGE (page));
}

#if CARNET_HAVE_WEBKIT
static void
back_educonnect (CarnetWindow *self,
                 GtkWidget    *page)
{
  carnet_window_educonnect_stop (page);
  carnet_window_show_page (self, PAGE_LOGIN);
}

static void
educonnect_activated_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (address_is_ready (self) &&
      carnet_window_educonnect_start (carnet_window_get_page (self, PAGE_EDUCONNECT), LOGIN_PAGE (self),
                                      self->session, self->ca_file))
    carnet_window_show_page (self, PAGE_EDUCONNECT);
}
#endif

static void
back_password (CarnetWindow *self,
               GtkWidget    *page)
{
  carnet_password_page_cancel (CARNET_PASSWORD_PAGE (page));
}

static void
back_activated_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);
  const PageInfo *info = &pages[self->shown];

  if (info->back != NULL)
    info->back (self, gtk_stack_get_visible_child (self->stack));
}

/* --- The letter's choices ------------------------------------------------------- */

static void
login_activated_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_window_show_page (self, PAGE_LOGIN);
}

static void
first_connection_activated_cb (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_activation_page_set_client (ACTIVATION_PAGE (self), get_client (self));
  carnet_window_show_page (self, PAGE_ACTIVATION);
}

static void
forgot_login_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_forgot_login_page_set_client (FORGOT_LOGIN_PAGE (self), get_client (self));
  carnet_window_show_page (self, PAGE_FORGOT_LOGIN);
}

static void
forgot_password_activated_cb (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  carnet_forgot_password_page_set_client (FORGOT_PASSWORD_PAGE (self), get_client (self));
  carnet_window_show_page (self, PAGE_FORGOT_PASSWORD);
}

static void
activated_cb (CarnetWindow         *self,
              const char           *login,
              gboolean              logged_in,
              CarnetActivationPage *page)
{
  if (logged_in)
    {
      /* The letter's next steps: charter, notification email, then the account. */
      carnet_session_set_login (self->session, login);
      carnet_session_continue (self->session);
      return;
    }

  carnet_login_page_reset (LOGIN_PAGE (self), FALSE);
  carnet_login_page_set_login (LOGIN_PAGE (self), login);
  carnet_window_show_page (self, PAGE_LOGIN);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your ENT account is activated. Log in with your new password.")));
}

static void
reset_code_typed_cb (CarnetWindow    *self,
                     const char      *login,
                     const char      *code,
                     CarnetLoginPage *page)
{
  CarnetForgotPasswordPage *forgot = FORGOT_PASSWORD_PAGE (self);

  carnet_forgot_password_page_set_client (forgot, get_client (self));
  carnet_forgot_password_page_start_with_code (forgot, login, code);
  carnet_window_show_page (self, PAGE_FORGOT_PASSWORD);
}

static void
password_reset_cb (CarnetWindow             *self,
                   const char               *login,
                   CarnetForgotPasswordPage *page)
{
  carnet_login_page_reset (LOGIN_PAGE (self), FALSE);
  carnet_login_page_set_login (LOGIN_PAGE (self), login);
  carnet_window_show_page (self, PAGE_LOGIN);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your password has been changed. Log in with the new one.")));
}

static void
auto_login_started_cb (CarnetWindow    *self,
                       CarnetLoginPage *page)
{
  carnet_window_show_page (self, PAGE_LOGIN);
}

static void
logged_in_cb (CarnetWindow          *self,
              CarnetEntUser         *user,
              CarnetEntRequirements *requirements,
              CarnetLoginPage       *page)
{
  /* The password has done its work: it must not stay in a widget. The
   * session shows its next step by itself. */
  carnet_login_page_reset (page, TRUE);
}

/* --- The session's steps -------------------------------------------------------------
 * The letter's "Consultez et acceptez la charte ENT" and "Saisissez votre
 * mail…": the session asks the ENT what it requires, in its order; each
 * step has its page. */

static void
show_steps_busy (CarnetWindow *self)
{
  gtk_stack_set_visible_child_name (self->steps_stack, "busy");
  gtk_spinner_set_spinning (self->steps_spinner, TRUE);
  carnet_window_show_page (self, PAGE_STEPS);
}

static void
show_steps_error (CarnetWindow *self,
                  const char   *message)
{
  gtk_spinner_set_spinning (self->steps_spinner, FALSE);
  gtk_label_set_text (self->steps_error_label, message);
  gtk_stack_set_visible_child_name (self->steps_stack, "error");
  carnet_window_show_page (self, PAGE_STEPS);
  gtk_widget_grab_focus (GTK_WIDGET (self->steps_retry_button));
}

static void
session_step_cb (CarnetWindow  *self,
                 GParamSpec    *pspec,
                 CarnetSession *session)
{
  CarnetEntClient *client = carnet_session_get_client (session);
  const char *login = carnet_session_get_login (session);
  CarnetSessionStep step = carnet_session_get_step (session);

  if (step != CARNET_SESSION_STEP_BUSY)
    gtk_spinner_set_spinning (self->steps_spinner, FALSE);

  switch (step)
    {
    case CARNET_SESSION_STEP_NONE:
      /* The session's "logged-out" says why. */
      break;

    case CARNET_SESSION_STEP_BUSY:
      show_steps_busy (self);
      break;

    case CARNET_SESSION_STEP_ERROR:
      show_steps_error (self, carnet_session_get_error (session)->message);
      break;

    case CARNET_SESSION_STEP_PASSWORD:
      carnet_password_page_set_account (PASSWORD_PAGE (self), client, login);
      carnet_window_show_page (self, PAGE_PASSWORD);
      break;

    case CARNET_SESSION_STEP_CHARTER:
      carnet_charter_page_set_account (CHARTER_PAGE (self), client, login);
      carnet_window_show_page (self, PAGE_CHARTER);
      carnet_charter_page_start (CHARTER_PAGE (self));
      break;

    case CARNET_SESSION_STEP_MAIL:
      carnet_mail_page_set_account (MAIL_PAGE (self), client, login);
      carnet_mail_page_start (MAIL_PAGE (self));
      carnet_window_show_page (self, PAGE_MAIL);
      break;

    case CARNET_SESSION_STEP_ACCOUNT:
      carnet_account_page_set_session (ACCOUNT_PAGE (self), session);
      carnet_account_page_set_news_watch (ACCOUNT_PAGE (self),
                                          carnet_window_news_start (self->news, session,
                                                                    carnet_lockdown_get_shared (self->lockdown)));
      carnet_window_show_page (self, PAGE_ACCOUNT);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
steps_retry_clicked_cb (CarnetWindow *self)
{
  carnet_session_continue (self->session);
}

static void
step_done_cb (CarnetWindow *self)
{
  carnet_session_continue (self->session);
}

static void
password_changed_cb (CarnetWindow       *self,
                     CarnetPasswordPage *page)
{
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your password is changed.")));
  carnet_session_continue (self->session);
}

static void
mail_validated_cb (CarnetWindow   *self,
                   const char     *email,
                   CarnetMailPage *page)
{
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Your email address is confirmed.")));
  carnet_session_continue (self->session);
}

static gboolean
carnet_window_close_request (GtkWindow *window)
{
  CarnetWindow *self = CARNET_WINDOW (window);

  if (carnet_window_news_close_to_background (self->news, carnet_lockdown_get_shared (self->lockdown)))
    return TRUE;

  /* A shared machine's session is logged out first, within a bound. */
  if (carnet_lockdown_close (self->lockdown))
    return TRUE;

  return GTK_WINDOW_CLASS (carnet_window_parent_class)->close_request (window);
}

/* --- The address ----------------------------------------------------------------------- */

static void
set_session (CarnetWindow  *self,
             CarnetSession *session)
{
  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      carnet_session_cancel (self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
    }
  carnet_window_news_clear (self->news);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::step", G_CALLBACK (session_step_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "logged-out", G_CALLBACK (carnet_window_session_logged_out_cb), self, G_CONNECT_SWAPPED);
    }

  carnet_lockdown_set_session (self->lockdown, session);
  if (carnet_window_peek_page (self, PAGE_LOGIN) != NULL)
    carnet_login_page_set_session (LOGIN_PAGE (self), session);
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
  if (get_client (self) != client)
    {
      g_autoptr(CarnetSession) session = carnet_session_new (client);

      set_session (self, session);
    }

  /* A remembered password logs in by itself (see auto_login_started_cb),
   * as the account chosen in the welcome page's list, if any. */
  chosen = carnet_welcome_page_get_chosen_login (page);
  if (chosen != NULL)
    carnet_login_page_set_login (LOGIN_PAGE (self), chosen);
  carnet_login_page_try_auto_login_as (LOGIN_PAGE (self), chosen);

  /* Next time, the letter is not needed to find the ENT again; a shared
   * machine keeps no trace of which ENT its users went to. */
  if (self->settings != NULL && !carnet_lockdown_get_shared (self->lockdown) &&
      g_settings_is_writable (self->settings, "ent-url"))
    {
      g_autofree char *saved = g_settings_get_string (self->settings, "ent-url");

      if (g_strcmp0 (saved, host) != 0)
        g_settings_set_string (self->settings, "ent-url", host);
    }
}

/* --- The window -------------------------------------------------------------------------- */

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

  return get_client (self);
}

CarnetSession *
carnet_window_get_session (CarnetWindow *self)
{
  g_return_val_if_fail (CARNET_IS_WINDOW (self), NULL);

  return self->session;
}

CarnetNewsWatch *
carnet_window_get_news_watch (CarnetWindow *self)
{
  g_return_val_if_fail (CARNET_IS_WINDOW (self), NULL);

  return carnet_window_news_get_watch (self->news);
}

void
carnet_window_show_news (CarnetWindow *self)
{
  g_return_if_fail (CARNET_IS_WINDOW (self));

  if (self->session == NULL || carnet_session_get_step (self->session) != CARNET_SESSION_STEP_ACCOUNT)
    return;
  carnet_window_show_page (self, PAGE_ACCOUNT);
  carnet_account_page_show_news (ACCOUNT_PAGE (self));
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

static void
carnet_window_constructed (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);
  g_autofree char *address = NULL;
  gboolean writable = TRUE;

  G_OBJECT_CLASS (carnet_window_parent_class)->constructed (object);

  carnet_welcome_page_set_ca_file (self->welcome_page, self->ca_file);

  self->lockdown = carnet_lockdown_new (GTK_WINDOW (self), self->settings, self->ca_file);
  g_signal_connect_object (self->lockdown, "forget-typed", G_CALLBACK (carnet_window_forget_typed_cb), self, G_CONNECT_SWAPPED);

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
  carnet_window_show_page (self, PAGE_WELCOME);

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
  memset (self->page_widgets, 0, sizeof self->page_widgets);

  if (self->lockdown != NULL)
    set_session (self, NULL);
  g_clear_pointer (&self->news, carnet_window_news_free);
  g_clear_pointer (&self->educonnect, carnet_window_educonnect_free);
  /* A logout under way on closing goes with the window. */
  if (self->lockdown != NULL)
    g_object_run_dispose (G_OBJECT (self->lockdown));
  g_clear_object (&self->lockdown);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (carnet_window_parent_class)->dispose (object);
}

static void
carnet_window_finalize (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  g_clear_pointer (&self->ent_url, g_free);
  g_clear_pointer (&self->ca_file, g_free);

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
  gtk_widget_class_install_action (widget_class, "win.step-log-out", NULL,
                                   carnet_window_step_log_out_activated_cb);
#if CARNET_HAVE_WEBKIT
  gtk_widget_class_install_action (widget_class, "win.educonnect", NULL, educonnect_activated_cb);
#endif

  g_type_ensure (CARNET_TYPE_WELCOME_PAGE);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, step_logout_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, steps_retry_button);
  gtk_widget_class_bind_template_callback (widget_class, steps_retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_accepted_cb);
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

  self->news = carnet_window_news_new (GTK_WINDOW (self));
  self->educonnect = carnet_window_educonnect_new ();

  /* Off unless the benchmark asks for it (CARNET_REPORT_FIRST_FRAME…). */
  carnet_perf_watch_window (GTK_WIDGET (self));
  gtk_widget_init_template (GTK_WIDGET (self));
  self->page_widgets[PAGE_WELCOME] = GTK_WIDGET (self->welcome_page);

  /* Running uninstalled without the compiled schema: no settings, no crash. */
  self->settings = carnet_settings_new ();
  if (self->settings == NULL)
    g_warning ("The settings schema %s is not installed; settings are not used", APP_ID);
}
