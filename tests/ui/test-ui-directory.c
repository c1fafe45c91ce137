/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 15: a parent finds the ENT by a town, a region or its name on the
 * welcome page, picks it with the keyboard, and goes on as with a typed
 * address; a letter's retired address leads to its successor, said in a
 * line; a lab's locked address has no search. The directory is this run's
 * (--directory's file): « ENT Hauts-de-France » with its real keywords, at
 * the test ENT's address.
 */
#include "config.h"

#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "carnet-ent-directory.h"
#include "carnet-test-ui.h"
#include "carnet-welcome-page.h"
#include "carnet-window.h"

#define FR_SEARCH        "Chercher votre ENT"
#define FR_ADDRESS       "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE "Se connecter"
#define FR_HDF_ROW       "ENT Hauts-de-France, Hauts-de-France"
#define FR_NO_RESULT     "Aucun ENT trouvé sous ce nom. Tapez plus bas l’adresse imprimée sur le courrier."

/* One test ENT for the run: the directory's url is its address. */
static CarnetTestEnt *ent;
static char *directory_file;

typedef struct
{
  CarnetTestEnt *ent;
  GtkWidget     *window;
  GPtrArray     *msgids;
  GPtrArray     *msgstrs;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  carnet_test_ent_reset (ent);
  carnet_test_ui_load_po (&f->msgids, &f->msgstrs);
  f->ent = ent;
  f->window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 560, 760);
  carnet_test_ui_present (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  carnet_test_ui_destroy (f->window);
  g_clear_pointer (&f->msgids, g_ptr_array_unref);
  g_clear_pointer (&f->msgstrs, g_ptr_array_unref);
}

/* The test ENT as the region's platform, with the keywords of the
 * built-in list (src/ent/platforms.json) and its retired host. */
static void
write_directory (void)
{
  g_autoptr(CarnetEntDirectory) builtin = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const CarnetEntPlatform *hdf;
  int fd;

  builtin = carnet_ent_directory_new_builtin ();
  hdf = carnet_ent_directory_lookup (builtin, "enthdf.fr");
  g_assert_nonnull (hdf);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "platforms");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "hdf");
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, carnet_ent_platform_get_name (hdf));
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, carnet_ent_platform_get_region (hdf));
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, carnet_test_ent_get_url (ent));
  json_builder_set_member_name (builder, "keywords");
  json_builder_begin_array (builder);
  for (const char * const *k = carnet_ent_platform_get_keywords (hdf); *k != NULL; k++)
    json_builder_add_string_value (builder, *k);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "retired");
  json_builder_begin_array (builder);
  for (const char * const *r = carnet_ent_platform_get_retired (hdf); *r != NULL; r++)
    json_builder_add_string_value (builder, *r);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  fd = g_file_open_tmp ("carnet-test-directory-XXXXXX.json", &directory_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (directory_file, json, -1, &error);
  g_assert_no_error (error);
}

static void
wait_accepted (Fixture *f)
{
  carnet_test_ui_wait_for_control (f->window, FR_LOG_IN_CHOICE, carnet_test_ui_timeout_ms ());
}

static void
assert_french (Fixture    *f,
               const char *page)
{
  /* Names of places and platforms are the same in both languages. */
  static const char * const allowed[] = {
    "Carnet", "ENT Hauts-de-France", "Hauts-de-France", NULL
  };

  carnet_test_ui_assert_french (f->window, f->msgids, f->msgstrs, page, allowed);
  carnet_test_ui_assert_controls_named (f->window, page);
}

/* « lille »: the row « ENT Hauts-de-France », Tab to it, Enter. */
static void
test_search_town (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *focus;

  carnet_test_ui_type_into (f->window, FR_SEARCH, "lille");
  carnet_test_ui_wait_for_control (f->window, FR_HDF_ROW, carnet_test_ui_timeout_ms ());
  carnet_test_ui_wait_for_label (f->window, "Hauts-de-France", carnet_test_ui_timeout_ms ());
  row = carnet_test_ui_get_by_label (f->window, FR_HDF_ROW);
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  carnet_test_ui_wait_for_frame (f->window);
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-search"));
  assert_french (f, "welcome (search)");

  /* The keyboard: Tab from the search goes to the first result. */
  g_assert_true (gtk_widget_child_focus (f->window, GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == row);
  /* Enter on a row is its "activate". */
  g_assert_true (gtk_widget_activate (focus));

  wait_accepted (f);
  g_assert_cmpstr (carnet_test_ui_get_text (f->window, FR_ADDRESS), ==, carnet_test_ent_get_host (f->ent));
  /* The results went with the choice. */
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_HDF_ROW));
  carnet_test_ui_wait_for_frame (f->window);
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-search-picked"));

  carnet_test_ui_click (f->window, FR_LOG_IN_CHOICE);
  carnet_test_ui_wait_for_page (f->window, "login", carnet_test_ui_timeout_ms ());
}

/* A region with its accents left out, then Enter in the search: its best result. */
static void
test_search_region_enter (Fixture       *f,
                          gconstpointer  data)
{
  carnet_test_ui_type_into (f->window, FR_SEARCH, "hauts de france");
  carnet_test_ui_wait_for_control (f->window, FR_HDF_ROW, carnet_test_ui_timeout_ms ());
  carnet_test_ui_press_enter (f->window, FR_SEARCH);
  wait_accepted (f);
  g_assert_cmpstr (carnet_test_ui_get_text (f->window, FR_ADDRESS), ==, carnet_test_ent_get_host (f->ent));

  /* The old name finds it too; nothing found is said. */
  carnet_test_ui_type_into (f->window, FR_SEARCH, "Savoirs Numériques");
  carnet_test_ui_wait_for_control (f->window, FR_HDF_ROW, carnet_test_ui_timeout_ms ());
  carnet_test_ui_type_into (f->window, FR_SEARCH, "Marseille");
  carnet_test_ui_wait_for_label (f->window, FR_NO_RESULT, carnet_test_ui_timeout_ms ());
  g_assert_null (carnet_test_ui_find_by_label (f->window, FR_HDF_ROW));
  carnet_test_ui_wait_for_frame (f->window);
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-search-none"));
  assert_french (f, "welcome (search, nothing found)");
}

/* A typed address still works as before. */
static void
test_typed_address (Fixture       *f,
                    gconstpointer  data)
{
  carnet_test_ui_type_into (f->window, FR_ADDRESS, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);
  wait_accepted (f);
  g_assert_cmpstr (carnet_test_ui_get_text (f->window, FR_ADDRESS), ==, carnet_test_ent_get_host (f->ent));
}

/* The letter's savoirsnumeriques5962.fr: replaced by its successor, said. */
static void
test_retired (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *line = NULL;

  carnet_test_ui_type_into (f->window, FR_ADDRESS, "jean-jaures-calais.savoirsnumeriques5962.fr");
  carnet_test_ui_press_enter (f->window, FR_ADDRESS);
  line = g_strdup_printf ("jean-jaures-calais.savoirsnumeriques5962.fr est une ancienne adresse de "
                          "l’ENT Hauts-de-France : Carnet utilise son adresse actuelle, %s.",
                          carnet_test_ent_get_host (f->ent));
  carnet_test_ui_wait_for_label (f->window, line, carnet_test_ui_timeout_ms ());
  wait_accepted (f);
  g_assert_cmpstr (carnet_test_ui_get_text (f->window, FR_ADDRESS), ==, carnet_test_ent_get_host (f->ent));
  carnet_test_ui_wait_for_frame (f->window);
  g_free (carnet_test_ui_save_screenshot (f->window, "welcome-retired"));
  assert_french (f, "welcome (retired address)");

  /* Typing again: the line was about the old address. */
  carnet_test_ui_type_into (f->window, FR_ADDRESS, "x");
  carnet_test_ui_wait_for_label_gone (f->window, line, carnet_test_ui_timeout_ms ());
}

/* A lab's locked address: no search. Locked as carnet-window.c does it
 * when the setting is not writable, before the window shows (the dconf
 * lock itself: ui-lab-locked-address). */
static void
test_locked (void)
{
  GtkWidget *window;
  GtkWidget *page;

  carnet_test_ent_reset (ent);
  window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 760);
  page = carnet_test_ui_find_by_name (window, "welcome_page");
  g_assert_true (CARNET_IS_WELCOME_PAGE (page));
  /* The window gave the address the focus when it was made; the lock comes
   * first in carnet-window.c's own order. */
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  carnet_welcome_page_set_address_editable (CARNET_WELCOME_PAGE (page), FALSE);
  carnet_welcome_page_set_address (CARNET_WELCOME_PAGE (page), carnet_test_ent_get_host (ent));
  carnet_welcome_page_check_address (CARNET_WELCOME_PAGE (page));
  carnet_test_ui_present (window);

  carnet_test_ui_wait_for_control (window, FR_LOG_IN_CHOICE, carnet_test_ui_timeout_ms ());
  g_assert_null (carnet_test_ui_find_by_label (window, FR_SEARCH));
  g_assert_null (carnet_test_ui_find_label_text (window, "Trouver votre ENT"));
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "welcome-locked-no-search"));
  carnet_test_ui_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  carnet_test_ui_init (&argc, &argv);

  /* The built-in list's HDF, moved to the test ENT: what --directory reads. */
  ent = carnet_test_ent_start ();
  write_directory ();
  carnet_ent_directory_set_default_file (directory_file);
  g_assert_null (carnet_ent_directory_get_default_error ());
  g_test_add ("/ui/directory/search-town", Fixture, NULL, fixture_setup, test_search_town, fixture_teardown);
  g_test_add ("/ui/directory/search-region-enter", Fixture, NULL, fixture_setup, test_search_region_enter, fixture_teardown);
  g_test_add ("/ui/directory/typed-address", Fixture, NULL, fixture_setup, test_typed_address, fixture_teardown);
  g_test_add ("/ui/directory/retired", Fixture, NULL, fixture_setup, test_retired, fixture_teardown);
  g_test_add_func ("/ui/directory/locked", test_locked);

  status = g_test_run ();
  carnet_test_ent_stop (ent);
  g_unlink (directory_file);
  g_free (directory_file);

  return status;
}
