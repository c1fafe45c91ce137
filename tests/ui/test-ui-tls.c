/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile TLS: a test ENT that shows a certificate of no known authority,
 * an expired one, or one made for another host. The address check is
 * refused with a French message that says which, and not one request
 * reaches the server. */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS 15000

static GPtrArray *po_msgids;
static GPtrArray *po_msgstrs;

typedef struct
{
  const char *cert;      /* tests/data/<cert>.pem */
  const char *message;   /* the start of what the page says */
} Hostile;

static const Hostile hostile[] = {
  { "untrusted", "Le certificat de l’ENT n’est pas reconnu" },
  { "expired",   "Le certificat de l’ENT a expiré" },
  { "wronghost", "Le certificat de l’ENT a été établi pour une autre adresse" },
};

static void
test_hostile (gconstpointer data)
{
  const Hostile *h = data;
  CarnetTestEnt *ent = carnet_test_ent_start_with_cert (h->cert);
  g_autofree char *shot = g_strdup_printf ("tls-%s", h->cert);
  const char * const allowed[] = { "Carnet", carnet_test_ent_get_host (ent), NULL };
  GtkWidget *window;
  /* Only the test CA is trusted, as in every UI test. */
  window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 760);
  carnet_test_ui_present (window);

  carnet_test_ui_type_into (window, "Adresse de l’ENT", carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (window, "Adresse de l’ENT");
  carnet_test_ui_wait_for_label_prefix (window, h->message, TIMEOUT_MS);
  g_free (carnet_test_ui_save_screenshot (window, shot));
  carnet_test_ui_assert_french (window, po_msgids, po_msgstrs, shot, allowed);

  /* Refused before any request: no choice to go on, nothing sent. */
  g_assert_null (carnet_test_ui_find_by_label (window, "Se connecter"));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (window)), ==, "welcome");
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "*"), ==, 0);

  carnet_test_ui_destroy (window);
  carnet_test_ent_stop (ent);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  carnet_test_ui_init (&argc, &argv);

  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_boolean (settings, "remember-credentials", FALSE);
  }
  carnet_test_ui_load_po (&po_msgids, &po_msgstrs);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/tls/%s", hostile[i].cert);

      g_test_add_data_func (path, &hostile[i], test_hostile);
    }

  ret = g_test_run ();

  return ret;
}
