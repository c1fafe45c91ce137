/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-window-educonnect.h"

#include <glib/gi18n.h>

#if CARNET_HAVE_WEBKIT
#include "carnet-educonnect-page.h"
#endif

struct _CarnetWindowEduconnect
{
  /* An EduConnect session expired: its logout ends on the login page. */
  gboolean expired;
};

CarnetWindowEduconnect *
carnet_window_educonnect_new (void)
{
  return g_new0 (CarnetWindowEduconnect, 1);
}

void
carnet_window_educonnect_free (CarnetWindowEduconnect *self)
{
  g_free (self);
}

GType
carnet_window_educonnect_page_get_type (void)
{
#if CARNET_HAVE_WEBKIT
  return CARNET_TYPE_EDUCONNECT_PAGE;
#else
  g_return_val_if_reached (G_TYPE_INVALID);
#endif
}

gboolean
carnet_window_educonnect_start (GtkWidget       *page,
                                CarnetLoginPage *login_page,
                                CarnetSession   *session,
                                const char      *ca_file)
{
#if CARNET_HAVE_WEBKIT
  if (session == NULL || carnet_educonnect_page_lookup_wayf (session) == NULL)
    return FALSE;

  carnet_login_page_cancel (login_page);
  return carnet_educonnect_page_start (CARNET_EDUCONNECT_PAGE (page), session, ca_file);
#else
  return FALSE;
#endif
}

void
carnet_window_educonnect_stop (GtkWidget *page)
{
#if CARNET_HAVE_WEBKIT
  if (page != NULL)
    carnet_educonnect_page_stop (CARNET_EDUCONNECT_PAGE (page));
#endif
}

gboolean
carnet_window_educonnect_expire (CarnetWindowEduconnect *self,
                                 CarnetSession          *session)
{
  if (session == NULL || self->expired || !carnet_session_get_federated (session))
    return FALSE;

  self->expired = TRUE;
  return TRUE;
}

gboolean
carnet_window_educonnect_logged_out (CarnetWindowEduconnect    *self,
                                     CarnetSessionLogoutReason  reason)
{
  gboolean expired = self->expired;

  self->expired = FALSE;

  return expired && reason == CARNET_SESSION_LOGOUT_USER;
}

void
carnet_window_educonnect_show_expired (CarnetLoginPage *login_page)
{
  /* An EduConnect session has no password to type again: EduConnect again. */
  carnet_login_page_show_message (login_page, _("Your session has expired. Log in again with EduConnect."));
}
