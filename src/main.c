/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "carnet-application.h"
#include "carnet-shared-machine.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CarnetApplication) app = NULL;
  const char *localedir;

  /* A shared machine's Carnet runs under its logout guard. */
  carnet_logout_guard_exec (argv);

  setlocale (LC_ALL, "");

  /* Running uninstalled from the build tree: build/po holds the catalogs. */
  localedir = g_getenv ("CARNET_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Carnet"));

  app = carnet_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
