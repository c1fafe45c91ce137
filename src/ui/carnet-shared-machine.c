/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-shared-machine.h"

#include "carnet-ent-secret-private.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib-unix.h>

GSettings *
carnet_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

gboolean
carnet_shared_machine_is_enabled (void)
{
  g_autoptr(GSettings) settings = carnet_settings_new ();

  return settings != NULL && g_settings_get_boolean (settings, "shared-machine");
}

gboolean
carnet_shared_machine_protect_process (void)
{
  struct rlimit no_core = { 0, 0 };
  gboolean done = TRUE;

  /* No core file holding a session cookie or a password typed. */
  if (setrlimit (RLIMIT_CORE, &no_core) != 0)
    done = FALSE;

#ifdef __linux__
  /* Nor can another program of the same user attach to Carnet or read its
   * memory through /proc (the next user of a lab's account). */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    done = FALSE;
#endif

  if (!done)
    g_debug ("Could not protect the process: %s", g_strerror (errno));

  return done;
}

/* --- The logout guard ------------------------------------------------------ */

void
carnet_logout_guard_exec (char **argv)
{
  const char *guard = g_getenv ("CARNET_LOGOUT_GUARD");
  g_autofree char *self = NULL;
  g_autoptr(GPtrArray) args = NULL;

  if (g_getenv ("CARNET_GUARD_FD") != NULL || !carnet_shared_machine_is_enabled ())
    return;

  /* Running uninstalled, the build tree's guard. */
  if (guard == NULL || *guard == '\0')
    guard = LIBEXECDIR "/carnet-logout-guard";

  self = g_file_read_link ("/proc/self/exe", NULL);
  if (self == NULL)
    {
      g_debug ("Not guarded: where Carnet runs from is not known");
      return;
    }

  args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer) guard);
  g_ptr_array_add (args, self);
  for (guint i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);

  execv (guard, (char **) args->pdata);
  g_debug ("Not guarded: %s: %s", guard, g_strerror (errno));
}

struct _CarnetGuardLink
{
  int   fd;
  char *base_url;
  char *cookies;
};

CarnetGuardLink *
carnet_guard_link_open (void)
{
  const char *value = g_getenv ("CARNET_GUARD_FD");
  CarnetGuardLink *self;
  guint64 fd;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 3, G_MAXINT, &fd, NULL) ||
      fcntl ((int) fd, F_GETFD) < 0)
    return NULL;

  /* Not for the programs Carnet starts (a PDF viewer); and a guard that
   * stopped reading must never block the window. */
  if (fcntl ((int) fd, F_SETFD, FD_CLOEXEC) < 0 ||
      !g_unix_set_fd_nonblocking ((int) fd, TRUE, NULL))
    return NULL;

  self = g_new0 (CarnetGuardLink, 1);
  self->fd = (int) fd;
  /* Once: the windows Carnet opens later are not guarded twice. */
  g_unsetenv ("CARNET_GUARD_FD");

  return self;
}

static void
send_line (CarnetGuardLink *self,
           char            *line)
{
  gsize length = strlen (line);
  gsize done = 0;

  while (self->fd >= 0 && done < length)
    {
      ssize_t n = write (self->fd, line + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_debug ("The logout guard is not listening: %s", g_strerror (errno));
          close (self->fd);
          self->fd = -1;
          break;
        }
      done += (gsize) n;
    }

  carnet_ent_secret_wipe (line, length);
}

void
carnet_guard_link_set_ca_file (CarnetGuardLink *self,
                               const char      *ca_file)
{
  g_autofree char *line = NULL;

  g_return_if_fail (self != NULL);

  if (ca_file == NULL || strchr (ca_file, '\n') != NULL)
    return;

  line = g_strdup_printf ("ca %s\n", ca_file);
  send_line (self, line);
}

void
carnet_guard_link_set_session (CarnetGuardLink *self,
                               const char      *base_url,
                               const char      *cookies)
{
  char *line;

  g_return_if_fail (self != NULL);

  if (cookies != NULL && (base_url == NULL || strchr (cookies, '\n') != NULL ||
                          strchr (base_url, ' ') != NULL || strchr (base_url, '\n') != NULL))
    cookies = NULL;

  if (g_strcmp0 (cookies, self->cookies) == 0 && g_strcmp0 (base_url, self->base_url) == 0)
    return;

  g_clear_pointer (&self->cookies, carnet_ent_secret_free);
  g_clear_pointer (&self->base_url, g_free);

  if (cookies == NULL)
    {
      line = g_strdup ("end\n");
      send_line (self, line);
      g_free (line);
      return;
    }

  self->base_url = g_strdup (base_url);
  self->cookies = g_strdup (cookies);
  line = g_strdup_printf ("session %s %s\n", base_url, cookies);
  send_line (self, line);
  g_free (line);
}

void
carnet_guard_link_free (CarnetGuardLink *self)
{
  if (self == NULL)
    return;

  /* The guard keeps what it was told last: a session still open is logged
   * out when Carnet ends. */
  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->cookies, carnet_ent_secret_free);
  g_free (self->base_url);
  g_free (self);
}

/* --- Idle watch ---------------------------------------------------------------- */

struct _CarnetIdleWatch
{
  GObject             parent_instance;

  GtkEventController *controller;   /* owned by the widget */
  guint               timeout_id;
  gint64              period_us;
  gint64              last_input_us;
  double              last_x;
  double              last_y;
};

G_DEFINE_FINAL_TYPE (CarnetIdleWatch, carnet_idle_watch, G_TYPE_OBJECT)

enum {
  IDLE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
event_cb (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          CarnetIdleWatch          *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
      {
        double x, y;

        /* GTK repeats the last pointer position when the layout changes
         * under a pointer that did not move: that is not the user. */
        if (gdk_event_get_position (event, &x, &y) &&
            x == self->last_x && y == self->last_y)
          break;
        self->last_x = x;
        self->last_y = y;
        self->last_input_us = g_get_monotonic_time ();
        break;
      }

    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCH_END:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
    case GDK_TOUCHPAD_HOLD:
      self->last_input_us = g_get_monotonic_time ();
      break;

    default:
      break;
    }

  /* Only watching: the event goes on to the widgets. */
  return GDK_EVENT_PROPAGATE;
}

static void schedule (CarnetIdleWatch *self);

static gboolean
timeout_cb (gpointer user_data)
{
  CarnetIdleWatch *self = user_data;
  gint64 idle_us = g_get_monotonic_time () - self->last_input_us;

  self->timeout_id = 0;

  if (idle_us < self->period_us)
    {
      /* There was input meanwhile: wait for the rest of a new period. */
      schedule (self);
      return G_SOURCE_REMOVE;
    }

  g_debug ("No input for %" G_GINT64_FORMAT " s", idle_us / G_USEC_PER_SEC);
  g_signal_emit (self, signals [IDLE], 0);

  return G_SOURCE_REMOVE;
}

static void
schedule (CarnetIdleWatch *self)
{
  gint64 left_us = self->last_input_us + self->period_us - g_get_monotonic_time ();
  guint left_ms = (guint) CLAMP (left_us / 1000 + 1, 1, G_MAXUINT);

  /* One timer per period, not one per event: events only note the time. */
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (left_ms, timeout_cb, self);
}

void
carnet_idle_watch_start (CarnetIdleWatch *self,
                         guint            seconds)
{
  g_return_if_fail (CARNET_IS_IDLE_WATCH (self));
  g_return_if_fail (seconds > 0);

  self->period_us = (gint64) seconds * G_USEC_PER_SEC;
  self->last_input_us = g_get_monotonic_time ();
  schedule (self);
}

void
carnet_idle_watch_stop (CarnetIdleWatch *self)
{
  g_return_if_fail (CARNET_IS_IDLE_WATCH (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

gboolean
carnet_idle_watch_get_running (CarnetIdleWatch *self)
{
  g_return_val_if_fail (CARNET_IS_IDLE_WATCH (self), FALSE);

  return self->timeout_id != 0;
}

CarnetIdleWatch *
carnet_idle_watch_new (GtkWidget *widget)
{
  CarnetIdleWatch *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (CARNET_TYPE_IDLE_WATCH, NULL);

  /* Capture phase: the window sees every event before any child may
   * stop it. */
  self->controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (self->controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (self->controller, "carnet-idle-watch");
  g_signal_connect_object (self->controller, "event", G_CALLBACK (event_cb), self, 0);
  gtk_widget_add_controller (widget, self->controller);

  return self;
}

static void
carnet_idle_watch_dispose (GObject *object)
{
  CarnetIdleWatch *self = CARNET_IDLE_WATCH (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->controller = NULL;

  G_OBJECT_CLASS (carnet_idle_watch_parent_class)->dispose (object);
}

static void
carnet_idle_watch_class_init (CarnetIdleWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_idle_watch_dispose;

  signals [IDLE] =
    g_signal_new ("idle",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
carnet_idle_watch_init (CarnetIdleWatch *self)
{
  self->last_x = self->last_y = -1;
}
