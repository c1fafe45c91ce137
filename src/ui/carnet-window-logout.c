/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-window-private.h"

#include <glib/gi18n.h>

#include "carnet-account-page.h"
#include "carnet-activation-page.h"
#include "carnet-forgot-login-page.h"
#include "carnet-forgot-password-page.h"
#include "carnet-login-page.h"
#include "carnet-step-page.h"

/* --- Logging out --------------------------------------------------------------------
 * The session's end, whoever asked for it (the parent, the idle time on a
 * shared machine, an expired session, the window closing): nothing of it
 * stays in the pages for the next user, and the window says why. */

/* Whoever comes back to a shared machine must read it: it stays. */
static void
add_lasting_toast (CarnetWindow *self,
                   const char   *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
carnet_window_session_logged_out_cb (CarnetWindow              *self,
                                     CarnetSessionLogoutReason  reason,
                                     CarnetSession             *session)
{
  gboolean shared = carnet_lockdown_get_shared (self->lockdown);
  GtkWidget *page;

  /* Nothing polled for nobody; what was seen stays on disk (not shared). */
  carnet_window_news_clear (self->news);

#if CARNET_HAVE_WEBKIT
  /* Whatever the web view still held of EduConnect goes with the session. */
  carnet_window_educonnect_stop (carnet_window_peek_page (self, PAGE_EDUCONNECT));
#endif

  /* The window is going. */
  if (reason == CARNET_SESSION_LOGOUT_CLOSING)
    return;

  /* Nothing typed or shown of the session waits there for the next user. */
  if ((page = carnet_window_peek_page (self, PAGE_ACCOUNT)) != NULL)
    carnet_account_page_set_session (CARNET_ACCOUNT_PAGE (page), NULL);
  /* The step pages: a password or code typed, the charter downloaded and its
   * copy handed to the PDF reader. */
  for (PageId id = PAGE_PASSWORD; id <= PAGE_MAIL; id++)
    if ((page = carnet_window_peek_page (self, id)) != NULL)
      carnet_step_page_clear (CARNET_STEP_PAGE (page));
  if ((page = carnet_window_peek_page (self, PAGE_LOGIN)) != NULL)
    carnet_login_page_reset (CARNET_LOGIN_PAGE (page), !shared);

  if (carnet_window_educonnect_logged_out (self->educonnect, reason))
    {
      carnet_window_show_page (self, PAGE_LOGIN);
      carnet_window_educonnect_show_expired (CARNET_LOGIN_PAGE (carnet_window_get_page (self, PAGE_LOGIN)));
      return;
    }

  carnet_window_show_page (self, PAGE_WELCOME);

  if (reason == CARNET_SESSION_LOGOUT_IDLE)
    {
      guint minutes = carnet_lockdown_get_idle_minutes (self->lockdown);
      g_autofree char *message = NULL;

      message = g_strdup_printf (ngettext ("You were logged out after %u minute without activity.",
                                           "You were logged out after %u minutes without activity.",
                                           minutes),
                                 minutes);
      add_lasting_toast (self, message);
      return;
    }

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("You are logged out.")));
}

void
carnet_window_step_log_out_activated_cb (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (self->session == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->step_logout_button), FALSE);
  carnet_session_log_out_async (self->session, CARNET_SESSION_LOGOUT_USER, NULL, NULL, NULL);
}

/* Idle on a page before login (shared machine): what was typed there goes,
 * and the machine is back at the start for the next user. */
void
carnet_window_forget_typed_cb (CarnetWindow   *self,
                               CarnetLockdown *lockdown)
{
  guint minutes = carnet_lockdown_get_idle_minutes (lockdown);
  g_autofree char *message = NULL;
  GtkWidget *page;

  if ((page = carnet_window_peek_page (self, PAGE_LOGIN)) != NULL)
    carnet_login_page_reset (CARNET_LOGIN_PAGE (page), FALSE);
  if ((page = carnet_window_peek_page (self, PAGE_ACTIVATION)) != NULL)
    carnet_activation_page_reset (CARNET_ACTIVATION_PAGE (page));
  if ((page = carnet_window_peek_page (self, PAGE_FORGOT_LOGIN)) != NULL)
    carnet_forgot_login_page_reset (CARNET_FORGOT_LOGIN_PAGE (page));
  if ((page = carnet_window_peek_page (self, PAGE_FORGOT_PASSWORD)) != NULL)
    carnet_forgot_password_page_reset (CARNET_FORGOT_PASSWORD_PAGE (page));
#if CARNET_HAVE_WEBKIT
  /* What was typed into EduConnect's form, and its cookies. */
  carnet_window_educonnect_stop (carnet_window_peek_page (self, PAGE_EDUCONNECT));
#endif
  carnet_window_show_page (self, PAGE_WELCOME);

  message = g_strdup_printf (ngettext ("What was typed was cleared after %u minute without activity.",
                                       "What was typed was cleared after %u minutes without activity.",
                                       minutes),
                             minutes);
  add_lasting_toast (self, message);
}

void
carnet_window_end_expired_session (CarnetWindow *self)
{
  g_return_if_fail (CARNET_IS_WINDOW (self));

  if (carnet_window_educonnect_expire (self->educonnect, self->session))
    carnet_session_log_out_async (self->session, CARNET_SESSION_LOGOUT_USER, NULL, NULL, NULL);
}

void
carnet_window_set_idle_seconds_for_testing (CarnetWindow *self,
                                            guint         seconds)
{
  g_return_if_fail (CARNET_IS_WINDOW (self));

  carnet_lockdown_set_idle_seconds_for_testing (self->lockdown, seconds);
}
