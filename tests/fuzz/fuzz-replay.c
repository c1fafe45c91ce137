/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "carnet-fuzz.h"

/* Runs one fuzz target over files and folders, without libFuzzer: the
 * seed corpus and every crash the fuzzers found once (tests/fuzz/crashes/)
 * run in every build, so a fixed crash stays fixed.
 *
 *   fuzz-replay TARGET PATH…     (a PATH may be a file or a folder) */

static guint n_inputs;

static void
replay_file (const CarnetFuzzTarget *target,
             const char             *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  /* The exact bytes: a copy the size of the input, so that ASan sees a
   * read past its end. */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, length);

    g_print ("# %s %s (%" G_GSIZE_FORMAT " bytes)\n", target->name, path, length);
    target->func (copy, length);
  }
  n_inputs++;
}

/* g_ptr_array_sort() passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
replay_path (const CarnetFuzzTarget *target,
             const char             *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      replay_file (target, path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    g_error ("Cannot open %s", path);

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      replay_file (target, file);
    }
}

int
main (int    argc,
      char **argv)
{
  const CarnetFuzzTarget *target;
  gboolean any_corpus = FALSE;

  if (argc < 3)
    {
      g_printerr ("Usage: %s TARGET PATH…\n", argv[0]);
      return 2;
    }

  carnet_fuzz_init ();
  target = carnet_fuzz_find_target (argv[1]);
  if (target == NULL)
    g_error ("No fuzz target named %s", argv[1]);

  for (int i = 2; i < argc; i++)
    {
      /* A missing crashes/<target> folder just means none was found. */
      if (!g_file_test (argv[i], G_FILE_TEST_EXISTS))
        continue;
      replay_path (target, argv[i]);
      any_corpus = TRUE;
    }

  /* An empty corpus would make this test pass without testing anything. */
  if (!any_corpus || n_inputs == 0)
    g_error ("No input for %s", target->name);

  g_print ("%s: %u inputs, no crash\n", target->name, n_inputs);
  return 0;
}
