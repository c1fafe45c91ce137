/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 13, item 7: the request bodies that carry passwords and codes are
 * written once, in one allocation of their final size (a buffer that grows
 * leaves copies of what it held in the blocks it frees), and are wiped
 * before they are freed.
 */
#include "config.h"

#include <malloc.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "carnet-ent-secret-private.h"

/* A 2 KB password with every kind of byte a form must escape. */
static char *
long_password (void)
{
  GString *password = g_string_new (NULL);

  while (password->len < 2048)
    g_string_append (password, "Az09-._~ &=+%/?#\"\\é\t");

  return g_string_free (password, FALSE);
}

/* What the client sent before (g_uri_escape_string per value, joined):
 * the ENT must receive exactly the same bytes. */
static char *
reference_form (const CarnetEntPair *pairs,
                gsize                n_pairs)
{
  GString *form = g_string_new (NULL);

  for (gsize i = 0; i < n_pairs; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (pairs[i].value != NULL ? pairs[i].value : "",
                                                      NULL, FALSE);

      if (i > 0)
        g_string_append_c (form, '&');
      g_string_append_printf (form, "%s=%s", pairs[i].name, escaped);
    }

  return g_string_free (form, FALSE);
}

/* malloc's own rounding (16-byte chunks on glibc, none under ASan); a
 * buffer that doubled as it grew would be thousands of bytes larger. */
#define MALLOC_SLACK 64

static void
test_form (void)
{
  g_autofree char *password = long_password ();
  const CarnetEntPair pairs[] = {
    { "email", "karim.benali" },
    { "password", password },
    { "mail", NULL },
    { "rememberMe", "true" },
    { "secureLocation", "true" },
  };
  g_autofree char *expected = reference_form (pairs, G_N_ELEMENTS (pairs));
  gsize length = 0;
  char *form = carnet_ent_secret_form (pairs, G_N_ELEMENTS (pairs), &length);

  g_assert_cmpstr (form, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
  /* Far past the 1 KB the client's form buffer started with. */
  g_assert_cmpuint (length, >, 4096);
  /* One allocation of the final size, not a grown one. */
  g_assert_cmpuint (malloc_usable_size (form), >=, length + 1);
  g_assert_cmpuint (malloc_usable_size (form), <, length + 1 + MALLOC_SLACK);

  carnet_ent_secret_free (form);
}

static void
test_form_empty (void)
{
  gsize length = 1;
  char *form = carnet_ent_secret_form (NULL, 0, &length);

  g_assert_cmpstr (form, ==, "");
  g_assert_cmpuint (length, ==, 0);
  carnet_ent_secret_free (form);
}

static void
test_json (void)
{
  g_autofree char *password = long_password ();
  g_autofree char *control = g_strdup ("a\001b\037c\nd\re\bf\fg");
  const CarnetEntPair pairs[] = {
    { "login", "frédéric" },
    { "password", password },
    { "absent", NULL },
    { "key", control },
    { "quote\"name", "\"\\/" },
  };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize length = 0;
  char *json = carnet_ent_secret_json (pairs, G_N_ELEMENTS (pairs), &length);

  g_assert_cmpuint (length, ==, strlen (json));
  g_assert_cmpuint (malloc_usable_size (json), >=, length + 1);
  g_assert_cmpuint (malloc_usable_size (json), <, length + 1 + MALLOC_SLACK);

  /* What the ENT's parser reads back is every value as given. */
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (object, "login"), ==, "frédéric");
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, password);
  g_assert_cmpstr (json_object_get_string_member (object, "key"), ==, control);
  g_assert_cmpstr (json_object_get_string_member (object, "quote\"name"), ==, "\"\\/");
  g_assert_false (json_object_has_member (object, "absent"));

  carnet_ent_secret_free (json);

  json = carnet_ent_secret_json (pairs + 2, 1, &length);
  g_assert_cmpstr (json, ==, "{}");
  g_assert_cmpuint (length, ==, 2);
  carnet_ent_secret_free (json);
}

/* What the free hook saw: each buffer's size, and whether every byte of
 * it was zero just before free(). */
static GArray *freed_sizes;
static gboolean freed_all_zero;

static void
record_free_hook (const char *data,
                  gsize       size)
{
  for (gsize i = 0; i < size; i++)
    if (data[i] != '\0')
      freed_all_zero = FALSE;
  g_array_append_val (freed_sizes, size);
}

static void
test_bytes_wiped (void)
{
  g_autofree char *password = long_password ();
  const CarnetEntPair pairs[] = {
    { "email", "karim.benali" },
    { "password", password },
  };
  gsize length;
  char *form = carnet_ent_secret_form (pairs, G_N_ELEMENTS (pairs), &length);
  g_autofree char *copy = g_strdup (form);
  GBytes *bytes = carnet_ent_secret_bytes_new_take (form, length);
  gsize size;
  const char *data;

  freed_sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  freed_all_zero = TRUE;
  carnet_ent_secret_set_free_hook (record_free_hook);

  /* Intact while libsoup reads it, without its NUL. */
  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, ==, length);
  g_assert_true (memcmp (data, copy, length) == 0);
  g_assert_cmpuint (freed_sizes->len, ==, 0);

  /* The whole allocation (the body and its NUL) zero before free(). */
  g_bytes_unref (bytes);
  g_assert_cmpuint (freed_sizes->len, ==, 1);
  g_assert_cmpuint (g_array_index (freed_sizes, gsize, 0), ==, length + 1);
  g_assert_true (freed_all_zero);

  carnet_ent_secret_set_free_hook (NULL);
  g_clear_pointer (&freed_sizes, g_array_unref);
  carnet_ent_secret_wipe_string (copy);
}

static void
test_wipe_string (void)
{
  char buffer[] = "Cartable2026\0after";
  g_autoptr(CarnetEntSecretString) secret = g_strdup ("7KQ4M2PX");

  carnet_ent_secret_wipe_string (buffer);
  for (gsize i = 0; i < strlen ("Cartable2026"); i++)
    g_assert_cmpint (buffer[i], ==, '\0');
  /* Up to its NUL only. */
  g_assert_cmpstr (buffer + strlen ("Cartable2026") + 1, ==, "after");

  carnet_ent_secret_wipe_string (NULL);
  carnet_ent_secret_free (NULL);
  g_assert_nonnull (secret);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ent/secret/form", test_form);
  g_test_add_func ("/ent/secret/form-empty", test_form_empty);
  g_test_add_func ("/ent/secret/json", test_json);
  g_test_add_func ("/ent/secret/bytes-wiped", test_bytes_wiped);
  g_test_add_func ("/ent/secret/wipe-string", test_wipe_string);

  return g_test_run ();
}
