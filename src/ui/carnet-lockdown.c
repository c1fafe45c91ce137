/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-lockdown.h"

#include "carnet-ent-secret-private.h"
#include "carnet-shared-machine.h"

struct _CarnetLockdown
{
  GObject          parent_instance;

  GtkWindow       *window;           /* weak */
  GSettings       *settings;
  CarnetSession   *session;
  gboolean         shared;

  CarnetIdleWatch *idle_watch;
  guint            idle_seconds_for_testing;
  /* The page shown is one of the open session's. */
  gboolean         logged_in;

  /* The logout guard's pipe, when Carnet runs under it. */
  CarnetGuardLink *guard;

  /* The idle logout's request to the ENT, sent after the pages were
   * cleared, bounded like the one on closing. */
  GCancellable    *idle_cancellable;
  guint            idle_timeout_id;

  GCancellable    *close_cancellable;
  guint            close_timeout_id;
  guint            closing : 1;
  guint            closed : 1;
};

G_DEFINE_FINAL_TYPE (CarnetLockdown, carnet_lockdown, G_TYPE_OBJECT)

enum {
  FORGET_TYPED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Tells the logout guard which session is open, if any. */
static void
update_guard (CarnetLockdown *self)
{
  g_autofree char *base_url = NULL;
  g_autoptr(CarnetEntSecretString) cookies = NULL;
  CarnetEntClient *client;

  if (self->guard == NULL)
    return;

  client = self->session != NULL ? carnet_session_get_client (self->session) : NULL;
  if (client != NULL && carnet_ent_client_has_session (client))
    {
      cookies = carnet_ent_client_dup_session_cookies (client);
      base_url = g_strconcat ("https://", carnet_ent_client_get_host (client), NULL);
    }

  carnet_guard_link_set_session (self->guard, base_url, cookies);
}

static gboolean
has_session (CarnetLockdown *self)
{
  return self->session != NULL && carnet_session_get_logged_in (self->session);
}

/* --- Idle time ------------------------------------------------------------------
 * The next user of a lab's computer must not find the previous one's
 * account open, nor what they typed before logging in. */

static void
idle_logout_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CarnetLockdown) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_session_log_out_finish (CARNET_SESSION (object), result, &error))
    g_debug ("The ENT was not told about the idle logout: %s", error->message);
  else
    {
      g_debug ("The ENT was told about the idle logout");
      update_guard (self);
    }

  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  g_clear_object (&self->idle_cancellable);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  CarnetLockdown *self = user_data;

  self->idle_timeout_id = 0;
  g_debug ("The ENT did not answer the idle logout in time");
  g_cancellable_cancel (self->idle_cancellable);

  return G_SOURCE_REMOVE;
}

static void
idle_cb (CarnetLockdown  *self,
         CarnetIdleWatch *watch)
{
  /* Idle on a page before login: what was typed there goes, and the
   * machine is back at the start for the next user. */
  if (!self->logged_in || self->session == NULL)
    {
      g_debug ("Clearing the pages after the idle time");
      g_signal_emit (self, signals [FORGET_TYPED], 0);
      return;
    }

  /* The session forgets at once (the pages go), then tells the ENT, within
   * the bound closing the window has. */
  g_debug ("Logging out after the idle time");
  if (self->idle_cancellable != NULL)
    g_cancellable_cancel (self->idle_cancellable);
  g_clear_object (&self->idle_cancellable);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  self->idle_cancellable = g_cancellable_new ();
  self->idle_timeout_id = g_timeout_add_seconds (CARNET_LOCKDOWN_LOGOUT_SECONDS, idle_timeout_cb, self);
  carnet_session_log_out_async (self->session, CARNET_SESSION_LOGOUT_IDLE, self->idle_cancellable,
                                idle_logout_cb, g_object_ref (self));
}

guint
carnet_lockdown_get_idle_minutes (CarnetLockdown *self)
{
  g_return_val_if_fail (CARNET_IS_LOCKDOWN (self), 10);

  return self->settings != NULL ? g_settings_get_uint (self->settings, "idle-logout-minutes") : 10;
}

void
carnet_lockdown_set_idle_seconds_for_testing (CarnetLockdown *self,
                                              guint           seconds)
{
  g_return_if_fail (CARNET_IS_LOCKDOWN (self));

  self->idle_seconds_for_testing = seconds;
}

void
carnet_lockdown_page_shown (CarnetLockdown *self,
                            gboolean        at_start,
                            gboolean        logged_in)
{
  guint seconds;

  g_return_if_fail (CARNET_IS_LOCKDOWN (self));

  self->logged_in = logged_in;
  update_guard (self);

  /* Not logged in, what was typed (a provisional password, a login) must
   * not wait there for the next user either; the first page holds
   * nothing of the kind. */
  if (!self->shared || at_start)
    {
      carnet_idle_watch_stop (self->idle_watch);
      return;
    }

  /* From page to page of one session the period goes on. */
  if (carnet_idle_watch_get_running (self->idle_watch))
    return;

  seconds = self->idle_seconds_for_testing;
  if (seconds == 0)
    seconds = carnet_lockdown_get_idle_minutes (self) * 60;
  carnet_idle_watch_start (self->idle_watch, seconds);
}

/* --- Closing ----------------------------------------------------------------------- */

static void
finish_close (CarnetLockdown *self)
{
  if (self->closed)
    return;

  self->closed = TRUE;
  g_clear_handle_id (&self->close_timeout_id, g_source_remove);
  if (self->window != NULL)
    gtk_window_destroy (self->window);
}

static void
close_logout_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetLockdown) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_session_log_out_finish (CARNET_SESSION (object), result, &error))
    g_debug ("The ENT was not told about the logout: %s", error->message);
  else
    update_guard (self);

  finish_close (self);
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  CarnetLockdown *self = user_data;

  self->close_timeout_id = 0;
  g_debug ("The ENT did not answer the logout in time; closing anyway");
  g_cancellable_cancel (self->close_cancellable);
  finish_close (self);

  return G_SOURCE_REMOVE;
}

gboolean
carnet_lockdown_close (CarnetLockdown *self)
{
  g_return_val_if_fail (CARNET_IS_LOCKDOWN (self), FALSE);

  if (self->closing)
    return TRUE;

  if (!self->shared || !has_session (self) || self->window == NULL)
    return FALSE;

  /* The window goes at once; the logout finishes behind it, within a
   * bound, so that a silent ENT never keeps Carnet running. */
  self->closing = TRUE;
  carnet_idle_watch_stop (self->idle_watch);
  carnet_session_cancel (self->session);
  gtk_widget_set_visible (GTK_WIDGET (self->window), FALSE);

  self->close_cancellable = g_cancellable_new ();
  self->close_timeout_id = g_timeout_add_seconds (CARNET_LOCKDOWN_LOGOUT_SECONDS,
                                                  close_timeout_cb, self);
  carnet_session_log_out_async (self->session, CARNET_SESSION_LOGOUT_CLOSING, self->close_cancellable,
                                close_logout_cb, g_object_ref (self));

  return TRUE;
}

/* --- The session ------------------------------------------------------------------ */

void
carnet_lockdown_set_session (CarnetLockdown *self,
                             CarnetSession  *session)
{
  CarnetEntClient *client;

  g_return_if_fail (CARNET_IS_LOCKDOWN (self));
  g_return_if_fail (session == NULL || CARNET_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (carnet_session_get_client (self->session), self);
  g_set_object (&self->session, session);
  if (session == NULL)
    return;

  client = carnet_session_get_client (session);
  /* A shared machine's session must not outlive the browser-like session
   * (entcore gives a "remember me" cookie a year). */
  carnet_ent_client_set_remember_me (client, !self->shared);
  if (self->guard != NULL)
    g_signal_connect_object (client, "session-changed",
                             G_CALLBACK (update_guard), self, G_CONNECT_SWAPPED);
}

gboolean
carnet_lockdown_get_shared (CarnetLockdown *self)
{
  g_return_val_if_fail (CARNET_IS_LOCKDOWN (self), FALSE);

  return self->shared;
}

CarnetLockdown *
carnet_lockdown_new (GtkWindow  *window,
                     GSettings  *settings,
                     const char *ca_file)
{
  CarnetLockdown *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CARNET_TYPE_LOCKDOWN, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  self->shared = settings != NULL && g_settings_get_boolean (settings, "shared-machine");

  self->idle_watch = carnet_idle_watch_new (GTK_WIDGET (window));
  g_signal_connect_object (self->idle_watch, "idle", G_CALLBACK (idle_cb), self, G_CONNECT_SWAPPED);

  if (self->shared)
    {
      carnet_shared_machine_protect_process ();
      self->guard = carnet_guard_link_open ();
      if (self->guard != NULL)
        carnet_guard_link_set_ca_file (self->guard, ca_file);
    }

  return self;
}

static void
carnet_lockdown_dispose (GObject *object)
{
  CarnetLockdown *self = CARNET_LOCKDOWN (object);

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;

  g_clear_handle_id (&self->close_timeout_id, g_source_remove);
  if (self->close_cancellable != NULL)
    g_cancellable_cancel (self->close_cancellable);
  g_clear_object (&self->close_cancellable);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  if (self->idle_cancellable != NULL)
    g_cancellable_cancel (self->idle_cancellable);
  g_clear_object (&self->idle_cancellable);
  g_clear_pointer (&self->guard, carnet_guard_link_free);
  if (self->idle_watch != NULL)
    carnet_idle_watch_stop (self->idle_watch);
  g_clear_object (&self->idle_watch);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (carnet_lockdown_parent_class)->dispose (object);
}

static void
carnet_lockdown_class_init (CarnetLockdownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_lockdown_dispose;

  signals [FORGET_TYPED] =
    g_signal_new ("forget-typed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
carnet_lockdown_init (CarnetLockdown *self)
{
}
