/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Measures for the benchmark (tests/bench/), off unless asked for by the
 * environment; when off, carnet_perf_watch_window() only reads two
 * variables once.
 *
 * CARNET_REPORT_FIRST_FRAME=1: prints "carnet-first-frame <µs>" on stdout,
 * the CLOCK_MONOTONIC time (g_get_monotonic_time()) of the first
 * "after-paint" of the window's frame clock, i.e. once the first frame has
 * been handed to the display.
 *
 * CARNET_REPORT_STALLS=1: measures every stretch of time the default main
 * context spends between two polls (a stall: no input, no redraw, no
 * network reply is handled meanwhile), and which part of it the window's
 * frame clock spent painting (from "before-paint" to "after-paint": GTK's
 * style, layout, snapshot and rendering). Prints the longest ones at exit. */

typedef struct
{
  gint64 max_us;        /* the longest stretch between two polls */
  gint64 max_own_us;    /* … not counting the frame clock's paint cycles in it */
  gint64 max_own_cpu_us;/* the most main-thread CPU time one such stretch used */
  gint64 max_paint_us;  /* the longest paint cycle */
  guint  n_over_50ms;   /* stretches over 50 ms, paint excluded */
} CarnetPerfStalls;

void     carnet_perf_watch_window   (GtkWidget        *window);

/* For the in-process benchmark driver: measure stalls from now on (even
 * without CARNET_REPORT_STALLS), forget what was measured, or stop counting
 * while the driver itself blocks the loop (pausing ends the stretch under
 * way: what ran before it counts). */
void     carnet_perf_stalls_start   (void);
void     carnet_perf_stalls_reset   (void);
void     carnet_perf_stalls_pause   (gboolean          paused);
void     carnet_perf_stalls_get     (CarnetPerfStalls *stalls);

G_END_DECLS
