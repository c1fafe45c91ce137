/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-shared-machine.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <errno.h>
#include <sys/resource.h>

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
