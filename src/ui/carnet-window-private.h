/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "carnet-lockdown.h"
#include "carnet-session.h"
#include "carnet-welcome-page.h"
#include "carnet-window-educonnect.h"
#include "carnet-window-news.h"
#include "carnet-window.h"

G_BEGIN_DECLS

/* On a shared machine, how long closing the window waits for the ENT to
 * acknowledge the logout before it closes anyway. */
#define CARNET_WINDOW_CLOSE_LOGOUT_SECONDS CARNET_LOCKDOWN_LOGOUT_SECONDS

/* A session opened through EduConnect expired (carnet_reauth_prompt()):
 * there is no password to ask again; the session is logged out and the
 * login page says so, with its EduConnect button. */
void carnet_window_end_expired_session (CarnetWindow *self);

/* Tests only: a shared machine's idle time in seconds instead of the
 * "idle-logout-minutes" key (whose minimum is a minute). 0: the key. */
void carnet_window_set_idle_seconds_for_testing (CarnetWindow *self,
                                                 guint         seconds);

/* --- Between the window's own files ---------------------------------------------
 * carnet-window.c (the pages, the letter's choices, the session's steps) and
 * carnet-window-logout.c (logging out, clearing the pages) share the window's
 * instance: nothing else reads it. */

/* The pages, by their place in carnet-window.c's table. */
typedef enum {
  PAGE_WELCOME,
  PAGE_LOGIN,
  PAGE_ACCOUNT,
  PAGE_STEPS,
  PAGE_ACTIVATION,
  PAGE_FORGOT_LOGIN,
  PAGE_FORGOT_PASSWORD,
  PAGE_PASSWORD,
  PAGE_CHARTER,
  PAGE_MAIL,
#if CARNET_HAVE_WEBKIT
  PAGE_EDUCONNECT,
#endif
  N_PAGES
} PageId;

struct _CarnetWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *back_button;
  GtkButton            *step_logout_button;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  CarnetWelcomePage    *welcome_page;
  GtkStack             *steps_stack;
  GtkSpinner           *steps_spinner;
  GtkLabel             *steps_error_label;
  GtkButton            *steps_retry_button;

  /* Built so far (owned by the stack), by PageId. */
  GtkWidget            *page_widgets[N_PAGES];
  PageId                shown;

  GSettings            *settings;
  char                 *ent_url;
  char                 *ca_file;

  /* The accepted address's, or NULL. */
  CarnetSession        *session;
  /* The EduConnect login's side: the web view, an expired session. */
  CarnetWindowEduconnect *educonnect;
  /* Shared machines: logout after idle time and when the window closes. */
  CarnetLockdown       *lockdown;
  /* The ENT's news while the account is open, and the background. */
  CarnetWindowNews     *news;
};

/* The page, built if it was not yet. */
GtkWidget *carnet_window_get_page  (CarnetWindow *self,
                                    PageId        id);
/* The page if it was built, else NULL. */
GtkWidget *carnet_window_peek_page (CarnetWindow *self,
                                    PageId        id);
/* Shows the page (built if needed) with its header bar, and focuses it. */
void       carnet_window_show_page (CarnetWindow *self,
                                    PageId        id);

/* carnet-window-logout.c: the session's "logged-out" (swapped), which clears
 * the pages of what the session left in them and says why; win.step-log-out;
 * the lockdown's "forget-typed" (swapped), idle before any login. */
void carnet_window_session_logged_out_cb      (CarnetWindow              *self,
                                               CarnetSessionLogoutReason  reason,
                                               CarnetSession             *session);
void carnet_window_step_log_out_activated_cb  (GtkWidget                 *widget,
                                               const char                *action_name,
                                               GVariant                  *parameter);
void carnet_window_forget_typed_cb            (CarnetWindow              *self,
                                               CarnetLockdown            *lockdown);

G_END_DECLS
