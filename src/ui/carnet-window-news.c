/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-window-news.h"

#include "carnet-application.h"

/* Polled while the account is open, for the desktop notifications (sent by
 * the application) and the account page's « Actualités » pane. What was
 * seen is kept per account under the user's state folder, never on a
 * shared machine (memory only). */
struct _CarnetWindowNews
{
  GtkWindow       *window;         /* not owned: the window owns this */
  CarnetNewsWatch *watch;
  /* Closed into the background: hidden, the application held. */
  gboolean         in_background;
};

static void
items_cb (CarnetWindowNews *self,
          GPtrArray        *items,
          CarnetNewsWatch  *watch)
{
  GtkApplication *application = gtk_window_get_application (self->window);

  if (CARNET_IS_APPLICATION (application))
    carnet_application_notify_news (CARNET_APPLICATION (application), items);
}

/* The session expired (or ended) with the window in the background: nothing
 * is polled any more and nobody can give the password: the window goes. */
static void
running_cb (CarnetWindowNews *self,
            GParamSpec       *pspec,
            CarnetNewsWatch  *watch)
{
  if (self->in_background && !carnet_news_watch_get_running (watch))
    {
      g_debug ("The news stopped in the background: closing the window");
      gtk_window_destroy (self->window);
    }
}

/* Shown again (a notification clicked): the hold goes with the background. */
static void
visible_cb (GtkWindow        *window,
            GParamSpec       *pspec,
            CarnetWindowNews *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (window)))
    carnet_window_news_leave_background (self);
}

CarnetWindowNews *
carnet_window_news_new (GtkWindow *window)
{
  CarnetWindowNews *self = g_new0 (CarnetWindowNews, 1);

  self->window = window;
  g_signal_connect (window, "notify::visible", G_CALLBACK (visible_cb), self);

  return self;
}

void
carnet_window_news_free (CarnetWindowNews *self)
{
  if (self == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->window, self);
  carnet_window_news_clear (self);
  carnet_window_news_leave_background (self);
  g_free (self);
}

CarnetNewsWatch *
carnet_window_news_start (CarnetWindowNews *self,
                          CarnetSession    *session,
                          gboolean          shared)
{
  if (self->watch == NULL)
    {
      g_autofree char *state_dir = NULL;

      if (!shared)
        state_dir = g_build_filename (g_get_user_state_dir (), "carnet", NULL);
      self->watch = carnet_news_watch_new (session, state_dir);
      g_signal_connect_swapped (self->watch, "new-items", G_CALLBACK (items_cb), self);
      g_signal_connect_swapped (self->watch, "notify::running", G_CALLBACK (running_cb), self);
    }
  /* Again after the password dialog when the session had expired. */
  carnet_news_watch_start (self->watch);

  return self->watch;
}

void
carnet_window_news_clear (CarnetWindowNews *self)
{
  if (self->watch == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->watch, self);
  carnet_news_watch_stop (self->watch);
  g_clear_object (&self->watch);
}

CarnetNewsWatch *
carnet_window_news_get_watch (CarnetWindowNews *self)
{
  return self->watch;
}

/* "notify-in-background" on (never on a shared machine), the account open
 * and its news polled, and not asked to quit: closing hides the window and
 * holds the application, which keeps polling and notifying. */
gboolean
carnet_window_news_close_to_background (CarnetWindowNews *self,
                                        gboolean          shared)
{
  GtkApplication *application = gtk_window_get_application (self->window);

  if (CARNET_IS_APPLICATION (application) &&
      !carnet_application_get_quitting (CARNET_APPLICATION (application)) &&
      carnet_application_get_notify_in_background (CARNET_APPLICATION (application)) &&
      !shared &&
      self->watch != NULL && carnet_news_watch_get_running (self->watch))
    {
      if (!self->in_background)
        {
          g_debug ("Closed while logged in: the news are polled in the background");
          self->in_background = TRUE;
          g_application_hold (G_APPLICATION (application));
          gtk_widget_set_visible (GTK_WIDGET (self->window), FALSE);
        }
      return TRUE;
    }

  /* Asked to quit, or the switch turned off since. */
  carnet_window_news_leave_background (self);
  return FALSE;
}

void
carnet_window_news_leave_background (CarnetWindowNews *self)
{
  GtkApplication *application = gtk_window_get_application (self->window);

  if (!self->in_background)
    return;

  self->in_background = FALSE;
  if (application != NULL)
    g_application_release (G_APPLICATION (application));
}
