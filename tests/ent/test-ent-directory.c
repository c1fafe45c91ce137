/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 15: the directory of Open ENT NG platforms. A parent finds the ENT
 * by its name, a town or a region, however they type it; a letter's old
 * address leads to the platform that replaced it; a broken --directory
 * file is an error the app can show, not a crash.
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "carnet-ent-directory.h"

static const char *
first_name (GPtrArray *results)
{
  g_assert_cmpuint (results->len, >, 0);
  return carnet_ent_platform_get_name (g_ptr_array_index (results, 0));
}

static gboolean
has_name (GPtrArray  *results,
          const char *name)
{
  for (guint i = 0; i < results->len; i++)
    if (g_str_equal (carnet_ent_platform_get_name (g_ptr_array_index (results, i)), name))
      return TRUE;
  return FALSE;
}

/* The built-in list: the mobile app's platforms, all of them sound. */
static void
test_builtin (void)
{
  CarnetEntDirectory *directory = carnet_ent_directory_get_default ();
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_null (carnet_ent_directory_get_default_error ());
  g_assert_cmpuint (carnet_ent_directory_get_n_platforms (directory), >=, 35);

  for (guint i = 0; i < carnet_ent_directory_get_n_platforms (directory); i++)
    {
      const CarnetEntPlatform *p = carnet_ent_directory_get_platform (directory, i);
      const char *wayf = carnet_ent_platform_get_wayf (p);

      g_assert_true (g_str_has_prefix (carnet_ent_platform_get_url (p), "https://"));
      g_assert_null (strchr (carnet_ent_platform_get_url (p) + 8, '/'));
      g_assert_true (wayf == NULL || g_str_has_prefix (wayf, "https://"));
      /* Two rows a parent could not tell apart would be a trap. */
      g_assert_false (g_hash_table_contains (names, carnet_ent_platform_get_name (p)));
      g_hash_table_add (names, (gpointer) carnet_ent_platform_get_name (p));
      /* No test platform of the app. */
      g_assert_null (strstr (carnet_ent_platform_get_url (p), "preprod"));
      g_assert_null (strstr (carnet_ent_platform_get_url (p), "recette"));
      g_assert_null (strstr (carnet_ent_platform_get_url (p), "localhost"));
      /* Its own host leads back to it. */
      g_assert_true (carnet_ent_directory_lookup (directory, carnet_ent_platform_get_url (p)) == p);
    }

  /* The ones the issue names. */
  for (guint i = 0; i < 7; i++)
    {
      static const char * const hosts[] = {
        "enthdf.fr", "ent.iledefrance.fr", "ent.l-educdenormandie.fr",
        "ent.parisclassenumerique.fr", "mon.lyceeconnecte.fr",
        "ent77.seine-et-marne.fr", "moncollege-ent.essonne.fr",
      };

      g_assert_nonnull (carnet_ent_directory_lookup (directory, hosts[i]));
    }
}

/* « lille » is a town of the Hauts-de-France: its ENT comes first. */
static void
test_search_town (void)
{
  CarnetEntDirectory *directory = carnet_ent_directory_get_default ();
  g_autoptr(GPtrArray) results = carnet_ent_directory_search (directory, "lille");
  const CarnetEntPlatform *p;

  g_assert_cmpstr (first_name (results), ==, "ENT Hauts-de-France");
  p = g_ptr_array_index (results, 0);
  g_assert_cmpstr (carnet_ent_platform_get_url (p), ==, "https://enthdf.fr");
  g_assert_cmpstr (carnet_ent_platform_get_region (p), ==, "Hauts-de-France");
  g_assert_nonnull (carnet_ent_platform_get_wayf (p));

  /* Case, a prefix, and the town's accents. */
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "  LIL");
  g_assert_cmpstr (first_name (results), ==, "ENT Hauts-de-France");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "bethune");
  g_assert_cmpstr (first_name (results), ==, "ENT Hauts-de-France");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "Saint-Étienne");
  g_assert_cmpstr (first_name (results), ==, "E-cléo");
}

/* Regions and old names, accents folded both ways. */
static void
test_search_region (void)
{
  CarnetEntDirectory *directory = carnet_ent_directory_get_default ();
  g_autoptr(GPtrArray) results = NULL;

  results = carnet_ent_directory_search (directory, "ile de france");
  g_assert_cmpstr (first_name (results), ==, "MonLycée.net");
  g_clear_pointer (&results, g_ptr_array_unref);

  results = carnet_ent_directory_search (directory, "Île-de-France");
  g_assert_cmpstr (first_name (results), ==, "MonLycée.net");
  g_assert_true (has_name (results, "MonCollège"));
  g_clear_pointer (&results, g_ptr_array_unref);

  results = carnet_ent_directory_search (directory, "savoirs numériques");
  g_assert_cmpstr (first_name (results), ==, "ENT Hauts-de-France");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "SAVOIRS NUMERIQUES");
  g_assert_cmpstr (first_name (results), ==, "ENT Hauts-de-France");
  g_clear_pointer (&results, g_ptr_array_unref);

  results = carnet_ent_directory_search (directory, "hauts");
  g_assert_cmpstr (first_name (results), ==, "ENT Hauts-de-France");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* The name before the region before a keyword: « normandie » is L'Educ
   * de Normandie's name; « paris » is Paris Classe Numérique's. */
  results = carnet_ent_directory_search (directory, "normandie");
  g_assert_cmpstr (first_name (results), ==, "ENT L'Educ de Normandie");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "paris");
  g_assert_cmpstr (first_name (results), ==, "Paris Classe Numérique");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "moncollege");
  g_assert_cmpstr (first_name (results), ==, "MonCollège");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Every word must match; nothing, or no word, finds nothing. */
  results = carnet_ent_directory_search (directory, "lille marseille");
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, " -- ");
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);
  results = carnet_ent_directory_search (directory, "zzzz");
  g_assert_cmpuint (results->len, ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Bounded: « e » starts a word of nearly every platform. */
  results = carnet_ent_directory_search (directory, "e");
  g_assert_cmpuint (results->len, ==, CARNET_ENT_DIRECTORY_SEARCH_MAX);
  g_clear_pointer (&results, g_ptr_array_unref);
  {
    g_autofree char *long_text = g_strnfill (100000, 'a');

    results = carnet_ent_directory_search (directory, long_text);
    g_assert_cmpuint (results->len, ==, 0);
  }
}

/* A letter's old address leads to the platform that replaced it. */
static void
test_lookup (void)
{
  CarnetEntDirectory *directory = carnet_ent_directory_get_default ();
  const CarnetEntPlatform *hdf = carnet_ent_directory_lookup (directory, "enthdf.fr");
  static const char * const retired[] = {
    "savoirsnumeriques5962.fr",
    "https://www.savoirsnumeriques5962.fr/",
    "jean-jaures-calais.savoirsnumeriques5962.fr",
    "ent.picardie.fr",
    "ent.oise.fr",
  };

  g_assert_nonnull (hdf);
  g_assert_cmpstr (carnet_ent_platform_get_name (hdf), ==, "ENT Hauts-de-France");
  g_assert_true (carnet_ent_directory_lookup (directory, "https://enthdf.fr/auth/login") == hdf);
  g_assert_true (carnet_ent_directory_lookup (directory, "WWW.ENTHDF.FR") == hdf);
  g_assert_false (carnet_ent_platform_is_retired_host (hdf, "enthdf.fr"));

  for (guint i = 0; i < G_N_ELEMENTS (retired); i++)
    {
      g_assert_true (carnet_ent_directory_lookup (directory, retired[i]) == hdf);
      g_assert_true (carnet_ent_platform_is_retired_host (hdf, retired[i]));
    }

  /* A host that merely ends the same way, another port, garbage. */
  g_assert_null (carnet_ent_directory_lookup (directory, "notsavoirsnumeriques5962.fr"));
  g_assert_null (carnet_ent_directory_lookup (directory, "enthdf.fr.evil.example"));
  g_assert_null (carnet_ent_directory_lookup (directory, "enthdf.fr:8443"));
  g_assert_null (carnet_ent_directory_lookup (directory, "enthdf.fr@evil.example"));
  g_assert_null (carnet_ent_directory_lookup (directory, ""));
  g_assert_null (carnet_ent_directory_lookup (directory, NULL));

  g_assert_cmpstr (carnet_ent_platform_get_name (carnet_ent_directory_lookup (directory, "monlycee.net")),
                   ==, "MonLycée.net");
}

#define OVERRIDE \
  "{ \"platforms\": [ {" \
  "  \"id\": \"hdf\", \"name\": \"ENT Hauts-de-France\", \"region\": \"Hauts-de-France\"," \
  "  \"url\": \"https://127.0.0.1:8443\"," \
  "  \"wayf\": \"https://127.0.0.1:8443/auth/saml/wayf?callBack=https%3A%2F%2F127.0.0.1%3A8443%2F\"," \
  "  \"keywords\": [\"Lille\", \"savoirs numériques\"]," \
  "  \"retired\": [\"savoirsnumeriques5962.fr\"], \"_note\": \"a test's\" }," \
  " { \"id\": \"other\", \"name\": \"Autre ENT\", \"url\": \"https://127.0.0.2\" } ] }"

/* --directory=FILE replaces the list: what the UI tests and labs use. */
static void
test_override (void)
{
  g_autoptr(CarnetEntDirectory) directory = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const CarnetEntPlatform *p;
  int fd;

  fd = g_file_open_tmp ("carnet-directory-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, OVERRIDE, -1, &error);
  g_assert_no_error (error);

  directory = carnet_ent_directory_new_from_file (path, &error);
  g_unlink (path);
  g_assert_no_error (error);
  g_assert_cmpuint (carnet_ent_directory_get_n_platforms (directory), ==, 2);

  results = carnet_ent_directory_search (directory, "Lille");
  g_assert_cmpuint (results->len, ==, 1);
  p = g_ptr_array_index (results, 0);
  g_assert_cmpstr (carnet_ent_platform_get_id (p), ==, "hdf");
  g_assert_cmpstr (carnet_ent_platform_get_url (p), ==, "https://127.0.0.1:8443");
  g_assert_true (carnet_ent_directory_lookup (directory, "https://127.0.0.1:8443/auth/saml/acs") == p);
  g_assert_true (carnet_ent_directory_lookup (directory, "savoirsnumeriques5962.fr") == p);
  g_assert_null (carnet_ent_directory_lookup (directory, "127.0.0.1"));

  p = carnet_ent_directory_lookup (directory, "127.0.0.2");
  g_assert_nonnull (p);
  g_assert_null (carnet_ent_platform_get_wayf (p));
  g_assert_cmpstr (carnet_ent_platform_get_region (p), ==, "");
  g_assert_cmpstrv (carnet_ent_platform_get_keywords (p), ((const char *[]) { NULL }));
}

/* A broken file: an error in French that names what is wrong. */
static void
test_broken (void)
{
  static const struct { const char *json; const char *says; } cases[] = {
    { "", "platforms" },
    { "{ \"platforms\": [ { \"id\": \"x\", ", "JSON" },
    { "[]", "platforms" },
    { "{ \"platforms\": {} }", "platforms" },
    { "{ \"platforms\": [ 3 ] }", "objet" },
    { "{ \"platforms\": [ { \"name\": \"A\", \"url\": \"https://a.fr\" } ] }", "id" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"url\": \"https://a.fr\" } ] }", "name" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\" } ] }", "url" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"http://a.fr\" } ] }", "https" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\", \"wayf\": \"javascript:x\" } ] }", "wayf" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": 3, \"url\": \"https://a.fr\" } ] }", "name" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\", \"keywords\": \"Lille\" } ] }", "keywords" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\", \"keywords\": [1] } ] }", "keywords" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\", \"nmae\": \"B\" } ] }", "nmae" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\", \"retired\": [\"a b\"] } ] }", "retired" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\" },"
      "                   { \"id\": \"a\", \"name\": \"B\", \"url\": \"https://b.fr\" } ] }", "id" },
    { "{ \"platforms\": [ { \"id\": \"a\", \"name\": \"A\", \"url\": \"https://a.fr\" },"
      "                   { \"id\": \"b\", \"name\": \"B\", \"url\": \"https://b.fr\", \"retired\": [\"www.a.fr\"] } ] }", "a.fr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CarnetEntDirectory) directory = NULL;
      g_autoptr(GError) error = NULL;

      directory = carnet_ent_directory_new_from_data (cases[i].json, strlen (cases[i].json), &error);
      g_assert_null (directory);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_test_message ("%s → %s", cases[i].json, error->message);
      g_assert_true (g_str_has_prefix (error->message, "L’annuaire des ENT n’est pas valable"));
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }

  /* A file that is not there. */
  {
    g_autoptr(CarnetEntDirectory) directory = NULL;
    g_autoptr(GError) error = NULL;

    directory = carnet_ent_directory_new_from_file ("/nonexistent/annuaire.json", &error);
    g_assert_null (directory);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "/nonexistent/annuaire.json"));
  }
}

/* The default directory from a broken --directory file: empty, and why. */
static void
test_default_broken (void)
{
  if (g_test_subprocess ())
    {
      CarnetEntDirectory *directory;
      const GError *error;

      carnet_ent_directory_set_default_file ("/nonexistent/annuaire.json");
      directory = carnet_ent_directory_get_default ();
      g_assert_nonnull (directory);
      g_assert_cmpuint (carnet_ent_directory_get_n_platforms (directory), ==, 0);
      g_assert_null (carnet_ent_directory_lookup (directory, "enthdf.fr"));
      error = carnet_ent_directory_get_default_error ();
      g_assert_nonnull (error);
      g_print ("%s\n", error->message);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*/nonexistent/annuaire.json*");
}

int
main (int   argc,
      char *argv[])
{
  /* The errors are asserted in French, as a parent reads them. */
  g_setenv ("LANGUAGE", "fr", TRUE);
  setlocale (LC_ALL, "fr_FR.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CARNET_LOCALEDIR") != NULL ? g_getenv ("CARNET_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ent/directory/builtin", test_builtin);
  g_test_add_func ("/ent/directory/search-town", test_search_town);
  g_test_add_func ("/ent/directory/search-region", test_search_region);
  g_test_add_func ("/ent/directory/lookup", test_lookup);
  g_test_add_func ("/ent/directory/override", test_override);
  g_test_add_func ("/ent/directory/broken", test_broken);
  g_test_add_func ("/ent/directory/default-broken", test_default_broken);

  return g_test_run ();
}
