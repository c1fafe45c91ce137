/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "carnet-perf.h"

#include <stdio.h>
#include <time.h>

#define STALL_LIMIT_US (50 * G_TIME_SPAN_MILLISECOND)

static gboolean report_first_frame;
static gboolean report_stalls;
static gboolean first_frame_seen;

/* The stall meter. Everything runs on the main thread except the poll
 * function, which GLib calls from whichever thread iterates the default
 * context: the main thread too, here. */
static gboolean   meter_on;
static gboolean   meter_paused;
static GPollFunc  real_poll;
static gint64     busy_since;     /* when the last poll returned, 0: unknown */
static gint64     paint_since;    /* when the current paint cycle began, 0: none */
static gint64     paint_in_busy;  /* paint time since the last poll returned */
/* The same in the main thread's CPU time: a stretch that took long on the
 * clock but little CPU was waiting (a blocking call) or was preempted. */
static gint64     busy_since_cpu;
static gint64     paint_since_cpu;
static gint64     paint_in_busy_cpu;
static CarnetPerfStalls stalls;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The stretch since the last poll (or resume) ends now. */
static void
account_stretch (gint64 now)
{
  gint64 cpu = thread_cpu_us ();

  if (busy_since != 0 && !meter_paused)
    {
      gint64 busy = now - busy_since;
      gint64 own = MAX (busy - paint_in_busy, 0);
      gint64 own_cpu = MAX (cpu - busy_since_cpu - paint_in_busy_cpu, 0);

      stalls.max_us = MAX (stalls.max_us, busy);
      stalls.max_own_us = MAX (stalls.max_own_us, own);
      stalls.max_own_cpu_us = MAX (stalls.max_own_cpu_us, own_cpu);
      if (own > STALL_LIMIT_US)
        {
          stalls.n_over_50ms++;
          g_debug ("Main loop stalled %" G_GINT64_FORMAT " ms (%" G_GINT64_FORMAT " ms painting, %"
                   G_GINT64_FORMAT " ms of CPU otherwise), until %" G_GINT64_FORMAT,
                   busy / 1000, paint_in_busy / 1000, own_cpu / 1000, now);
        }
    }
  paint_in_busy = 0;
  paint_in_busy_cpu = 0;
}

static gint
stall_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint ret;

  account_stretch (g_get_monotonic_time ());

  ret = real_poll (fds, n_fds, timeout);

  busy_since = g_get_monotonic_time ();
  busy_since_cpu = thread_cpu_us ();

  return ret;
}

void
carnet_perf_stalls_start (void)
{
  if (meter_on)
    return;

  meter_on = TRUE;
  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, stall_poll);
}

void
carnet_perf_stalls_reset (void)
{
  stalls = (CarnetPerfStalls) { 0 };
  busy_since = g_get_monotonic_time ();
  busy_since_cpu = thread_cpu_us ();
  paint_in_busy = 0;
  paint_in_busy_cpu = 0;
}

void
carnet_perf_stalls_pause (gboolean paused)
{
  gint64 now = g_get_monotonic_time ();

  /* What ran up to now counts; what the driver does while paused does not. */
  if (paused)
    account_stretch (now);
  meter_paused = paused;
  busy_since = now;
  busy_since_cpu = thread_cpu_us ();
  paint_in_busy = 0;
  paint_in_busy_cpu = 0;
}

void
carnet_perf_stalls_get (CarnetPerfStalls *out)
{
  g_return_if_fail (out != NULL);

  *out = stalls;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  paint_since = g_get_monotonic_time ();
  paint_since_cpu = thread_cpu_us ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (report_first_frame && !first_frame_seen)
    {
      first_frame_seen = TRUE;
      printf ("carnet-first-frame %" G_GINT64_FORMAT "\n", now);
      fflush (stdout);
    }

  if (paint_since != 0)
    {
      gint64 paint = now - paint_since;

      paint_in_busy += paint;
      paint_in_busy_cpu += thread_cpu_us () - paint_since_cpu;
      if (!meter_paused)
        stalls.max_paint_us = MAX (stalls.max_paint_us, paint);
      if (meter_on && paint > STALL_LIMIT_US)
        g_debug ("Painting took %" G_GINT64_FORMAT " ms, until %" G_GINT64_FORMAT, paint / 1000, now);
      paint_since = 0;
    }
}

static void
window_realize_cb (GtkWidget *window,
                   gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock == NULL)
    return;

  g_signal_connect_object (clock, "before-paint", G_CALLBACK (before_paint_cb), window, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), window, 0);
}

static void
window_unrealize_cb (GtkWidget *window,
                     gpointer   user_data)
{
  if (!report_stalls)
    return;

  printf ("carnet-stalls max-us %" G_GINT64_FORMAT " own-max-us %" G_GINT64_FORMAT
          " own-max-cpu-us %" G_GINT64_FORMAT " paint-max-us %" G_GINT64_FORMAT " own-over-50ms %u\n",
          stalls.max_us, stalls.max_own_us, stalls.max_own_cpu_us, stalls.max_paint_us, stalls.n_over_50ms);
  fflush (stdout);
}

void
carnet_perf_watch_window (GtkWidget *window)
{
  static gsize env_read;

  g_return_if_fail (GTK_IS_WIDGET (window));

  if (g_once_init_enter (&env_read))
    {
      report_first_frame = g_strcmp0 (g_getenv ("CARNET_REPORT_FIRST_FRAME"), "1") == 0;
      report_stalls = g_strcmp0 (g_getenv ("CARNET_REPORT_STALLS"), "1") == 0;
      if (report_stalls)
        carnet_perf_stalls_start ();
      g_once_init_leave (&env_read, 1);
    }

  if (!report_first_frame && !meter_on)
    return;

  g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), NULL);
  g_signal_connect (window, "unrealize", G_CALLBACK (window_unrealize_cb), NULL);
}
