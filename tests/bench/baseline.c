/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark's floor: the least a libadwaita application can be, one
 * window and one label, started like Carnet (an AdwApplication, non-unique)
 * and reporting its first frame and stalls the same way (carnet-perf.c). */
#include <adwaita.h>

#include "carnet-perf.h"

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  carnet_perf_watch_window (window);
  gtk_window_set_title (GTK_WINDOW (window), "Baseline");
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 760);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                      gtk_label_new ("Hello"));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.carnet.Baseline", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
