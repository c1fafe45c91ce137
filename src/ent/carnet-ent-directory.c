/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-directory.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "carnet-ent-client.h"
#include "carnet-ent-directory-resources.h"

#define PLATFORMS_RESOURCE "/io/github/carnet/Carnet/ent/platforms.json"

/* What a search looks at: the first words of the text, the first bytes of
 * each (a parent types a name, not a page). */
#define SEARCH_MAX_WORDS 8
#define SEARCH_MAX_BYTES 256

struct _CarnetEntPlatform
{
  char  *id;
  char  *name;
  char  *region;
  char  *url;      /* "https://host[:port]", as carnet_ent_normalize_address() */
  char  *wayf;
  char **keywords;
  char **retired;  /* hosts, lower case, without "www." */

  /* Matching: the url's "host[:port]" without "www."; the folded words. */
  char  *host;
  char **name_words;
  char **region_words;
  char **keyword_words;
};

struct _CarnetEntDirectory
{
  GPtrArray *platforms;
};

static void
platform_free (CarnetEntPlatform *p)
{
  g_free (p->id);
  g_free (p->name);
  g_free (p->region);
  g_free (p->url);
  g_free (p->wayf);
  g_strfreev (p->keywords);
  g_strfreev (p->retired);
  g_free (p->host);
  g_strfreev (p->name_words);
  g_strfreev (p->region_words);
  g_strfreev (p->keyword_words);
  g_free (p);
}

/* --- Folding --------------------------------------------------------------------- */

/* Lower case, accents gone, « œ » as « oe »: « Île-de-France » → "ile-de-france". */
static char *
fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_new (NULL);

  if (decomposed == NULL)
    return g_string_free (out, FALSE);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      c = g_unichar_tolower (c);
      if (c == 0x0153)        /* œ */
        g_string_append (out, "oe");
      else if (c == 0x00e6)   /* æ */
        g_string_append (out, "ae");
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* The folded words of TEXT: runs of letters and digits (« L'Éduc de
 * Normandie » → l, educ, de, normandie; « Ari@ne57 » → ari, ne57 and the
 * whole "ari@ne57" is not a word). At most MAX words; 0: no bound. */
static void
add_words (GPtrArray  *words,
           const char *text,
           guint       max)
{
  g_autofree char *folded = fold (text);
  const char *p = folded;

  while (*p != '\0' && (max == 0 || words->len < max))
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        g_ptr_array_add (words, g_strndup (start, p - start));
    }
}

static char **
words_of (const char * const *texts)
{
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    add_words (words, texts[i], 0);
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

/* --- Hosts ----------------------------------------------------------------------- */

static const char *
skip_www (const char *host)
{
  return g_ascii_strncasecmp (host, "www.", 4) == 0 ? host + 4 : host;
}

/* "host[:port]" in lower case without "www.", from what a parent or a
 * letter gives (carnet_ent_normalize_address()'s rules); NULL if none. */
static char *
host_key (const char *uri_or_host)
{
  g_autofree char *base = NULL;
  const char *host;

  if (uri_or_host == NULL)
    return NULL;
  base = carnet_ent_normalize_address (uri_or_host, NULL);
  if (base == NULL)
    return NULL;

  host = base + strlen ("https://");
  return g_ascii_strdown (skip_www (host), -1);
}

static gboolean
host_is_under (const char *host,
               const char *domain)
{
  gsize host_len = strlen (host);
  gsize domain_len = strlen (domain);

  if (g_str_equal (host, domain))
    return TRUE;

  return host_len > domain_len &&
         host[host_len - domain_len - 1] == '.' &&
         g_str_equal (host + host_len - domain_len, domain);
}

/* --- Reading ----------------------------------------------------------------------- */

static GError *
invalid (const char *platform_id,
         const char *message)
{
  if (platform_id != NULL)
    /* Translators: the directory file of --directory is wrong. The first %s is
     * a platform's "id" in the file, the second what is wrong. */
    return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        _("The directory of ENTs is not valid (platform “%s”): %s"),
                        platform_id, message);

  return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                      _("The directory of ENTs is not valid: %s"), message);
}

static gboolean
read_string (JsonObject  *object,
             const char  *member,
             gboolean     required,
             const char  *platform_id,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_autofree char *message = g_strdup_printf (_("“%s” is missing."), member);
      g_propagate_error (error, invalid (platform_id, message));
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not text."), member);
      g_propagate_error (error, invalid (platform_id, message));
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  if (required && **out == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is empty."), member);
      g_clear_pointer (out, g_free);
      g_propagate_error (error, invalid (platform_id, message));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_strings (JsonObject  *object,
              const char  *member,
              const char  *platform_id,
              char      ***out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GPtrArray *strings;
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a list."), member);
      g_propagate_error (error, invalid (platform_id, message));
      return FALSE;
    }

  array = json_node_get_array (node);
  strings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” holds something other than text."), member);
          g_ptr_array_unref (strings);
          g_propagate_error (error, invalid (platform_id, message));
          return FALSE;
        }
      g_ptr_array_add (strings, g_strdup (json_node_get_string (element)));
    }
  g_ptr_array_add (strings, NULL);
  g_ptr_array_set_free_func (strings, NULL);
  *out = (char **) g_ptr_array_free (strings, FALSE);

  return TRUE;
}

static gboolean
is_https_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static CarnetEntPlatform *
read_platform (JsonNode    *node,
               GHashTable  *ids,
               GHashTable  *hosts,
               guint        index,
               GError     **error)
{
  CarnetEntPlatform *p;
  JsonObject *object;
  g_autofree char *url = NULL;
  g_autofree char *position = NULL;
  const char *label;
  JsonObjectIter iter;
  const char *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, invalid (NULL, _("A platform is not an object.")));
      return NULL;
    }
  object = json_node_get_object (node);
  p = g_new0 (CarnetEntPlatform, 1);

  /* Until the id is read, the platform is named by its position. */
  position = g_strdup_printf ("%u", index + 1);
  if (!read_string (object, "id", TRUE, position, &p->id, error))
    goto fail;
  label = p->id;

  /* Unknown fields are mistakes in a hand-written file; "_…" are notes. */
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, NULL))
    {
      static const char * const known[] = {
        "id", "name", "region", "url", "wayf", "keywords", "retired", NULL
      };

      if (member[0] != '_' && !g_strv_contains (known, member))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a field of a platform."), member);
          g_propagate_error (error, invalid (label, message));
          goto fail;
        }
    }

  if (!read_string (object, "name", TRUE, label, &p->name, error) ||
      !read_string (object, "region", FALSE, label, &p->region, error) ||
      !read_string (object, "url", TRUE, label, &url, error) ||
      !read_string (object, "wayf", FALSE, label, &p->wayf, error) ||
      !read_strings (object, "keywords", label, &p->keywords, error) ||
      !read_strings (object, "retired", label, &p->retired, error))
    goto fail;

  if (p->region == NULL)
    p->region = g_strdup ("");

  if (!is_https_url (url) || (p->url = carnet_ent_normalize_address (url, NULL)) == NULL)
    {
      g_propagate_error (error, invalid (label, _("“url” is not an https address.")));
      goto fail;
    }
  if (p->wayf != NULL && !is_https_url (p->wayf))
    {
      g_propagate_error (error, invalid (label, _("“wayf” is not an https address.")));
      goto fail;
    }
  p->host = host_key (p->url);

  for (guint i = 0; p->retired[i] != NULL; i++)
    {
      char *key = host_key (p->retired[i]);

      if (key == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” in “retired” is not a host."), p->retired[i]);
          g_propagate_error (error, invalid (label, message));
          goto fail;
        }
      g_free (p->retired[i]);
      p->retired[i] = key;
    }

  if (g_hash_table_contains (ids, p->id))
    {
      g_propagate_error (error, invalid (label, _("Another platform has the same id.")));
      goto fail;
    }
  g_hash_table_add (ids, g_strdup (p->id));

  /* One platform per host (the app's 1D and 2D of one host are one entry
   * here), and a host is never both one platform's and another's retired. */
  for (guint i = 0; i == 0 || p->retired[i - 1] != NULL; i++)
    {
      const char *host = i == 0 ? p->host : p->retired[i - 1];

      if (g_hash_table_contains (hosts, host))
        {
          g_autofree char *message = g_strdup_printf (_("Another platform is at %s."), host);
          g_propagate_error (error, invalid (label, message));
          goto fail;
        }
      g_hash_table_add (hosts, g_strdup (host));
    }

  {
    const char *name[] = { p->name, NULL };
    const char *region[] = { p->region, NULL };

    p->name_words = words_of (name);
    p->region_words = words_of (region);
    p->keyword_words = words_of ((const char * const *) p->keywords);
  }

  return p;

fail:
  platform_free (p);
  return NULL;
}

CarnetEntDirectory *
carnet_ent_directory_new_from_data (const char  *json,
                                    gsize        length,
                                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(CarnetEntDirectory) self = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonNode *platforms;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate_len (json, length, NULL) ||
      !json_parser_load_from_data (parser, json, length, &parse_error))
    {
      g_propagate_error (error, invalid (NULL, _("It is not JSON text.")));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (platforms = json_object_get_member (json_node_get_object (root), "platforms")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (platforms))
    {
      g_propagate_error (error, invalid (NULL, _("It has no list “platforms”.")));
      return NULL;
    }

  self = g_new0 (CarnetEntDirectory, 1);
  self->platforms = g_ptr_array_new_with_free_func ((GDestroyNotify) platform_free);
  array = json_node_get_array (platforms);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CarnetEntPlatform *p = read_platform (json_array_get_element (array, i), ids, hosts, i, error);

      if (p == NULL)
        return NULL;
      g_ptr_array_add (self->platforms, p);
    }

  return g_steal_pointer (&self);
}

CarnetEntDirectory *
carnet_ent_directory_new_from_file (const char  *path,
                                    GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &read_error))
    {
      g_autofree char *display = g_filename_display_name (path);

      /* Translators: %s is a file name, then the system's reason. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The directory of ENTs %s cannot be read: %s"), display, read_error->message);
      return NULL;
    }

  return carnet_ent_directory_new_from_data (contents, length, error);
}

void
carnet_ent_directory_free (CarnetEntDirectory *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->platforms);
  g_free (self);
}

/* --- The default directory --------------------------------------------------------- */

static char *default_file;
static GError *default_error;

void
carnet_ent_directory_set_default_file (const char *path)
{
  g_free (default_file);
  default_file = g_strdup (path);
}

CarnetEntDirectory *
carnet_ent_directory_new_builtin (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CarnetEntDirectory *directory = NULL;
  const char *json;
  gsize length;

  carnet_ent_directory_register_resource ();
  bytes = g_resource_lookup_data (carnet_ent_directory_get_resource (), PLATFORMS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes != NULL)
    {
      json = g_bytes_get_data (bytes, &length);
      directory = carnet_ent_directory_new_from_data (json, length, &error);
    }

  /* The built-in list is checked by test-ent-directory: never here. */
  if (directory == NULL)
    {
      g_critical ("The built-in directory of ENTs: %s", error->message);
      directory = g_new0 (CarnetEntDirectory, 1);
      directory->platforms = g_ptr_array_new ();
    }

  return directory;
}

static gpointer
load_default (gpointer data)
{
  CarnetEntDirectory *directory;
  GError *error = NULL;

  (void) data;

  if (default_file == NULL)
    return carnet_ent_directory_new_builtin ();

  directory = carnet_ent_directory_new_from_file (default_file, &error);
  if (directory == NULL)
    {
      default_error = error;
      directory = g_new0 (CarnetEntDirectory, 1);
      directory->platforms = g_ptr_array_new ();
    }

  return directory;
}

CarnetEntDirectory *
carnet_ent_directory_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_default, NULL);
}

const GError *
carnet_ent_directory_get_default_error (void)
{
  carnet_ent_directory_get_default ();

  return default_error;
}

guint
carnet_ent_directory_get_n_platforms (CarnetEntDirectory *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->platforms->len;
}

const CarnetEntPlatform *
carnet_ent_directory_get_platform (CarnetEntDirectory *self,
                                   guint               i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->platforms->len, NULL);

  return g_ptr_array_index (self->platforms, i);
}

/* --- Search ---------------------------------------------------------------------- */

typedef struct
{
  const CarnetEntPlatform *platform;
  guint                    tier;   /* 0 name, 1 region, 2 keywords */
  guint                    exact;  /* query words that are whole words there */
  guint                    index;
} Hit;

/* 0: WORD is a whole word of WORDS, 1: the start of one, 2: neither. */
static guint
match_word (char * const *words,
            const char   *word)
{
  guint best = 2;

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_str_equal (words[i], word))
        return 0;
      if (g_str_has_prefix (words[i], word))
        best = 1;
    }

  return best;
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *x = a;
  const Hit *y = b;

  if (x->tier != y->tier)
    return x->tier < y->tier ? -1 : 1;
  if (x->exact != y->exact)
    return x->exact > y->exact ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

GPtrArray *
carnet_ent_directory_search (CarnetEntDirectory *self,
                             const char         *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  GPtrArray *results = g_ptr_array_new ();
  g_autofree char *bounded = NULL;

  g_return_val_if_fail (self != NULL, results);

  if (text == NULL)
    return results;

  /* A bound on the work, cut on a character. */
  bounded = g_utf8_make_valid (text, -1);
  if (strlen (bounded) > SEARCH_MAX_BYTES)
    *g_utf8_find_prev_char (bounded, bounded + SEARCH_MAX_BYTES + 1) = '\0';
  add_words (words, bounded, SEARCH_MAX_WORDS);
  if (words->len == 0)
    return results;

  for (guint i = 0; i < self->platforms->len; i++)
    {
      const CarnetEntPlatform *p = g_ptr_array_index (self->platforms, i);
      Hit hit = { p, 0, 0, i };
      gboolean all = TRUE;

      for (guint w = 0; w < words->len && all; w++)
        {
          const char *word = g_ptr_array_index (words, w);
          char * const *fields[] = { p->name_words, p->region_words, p->keyword_words };
          guint tier;

          for (tier = 0; tier < G_N_ELEMENTS (fields); tier++)
            {
              guint m = match_word (fields[tier], word);

              if (m < 2)
                {
                  hit.exact += m == 0;
                  break;
                }
            }
          if (tier == G_N_ELEMENTS (fields))
            all = FALSE;
          else
            hit.tier = MAX (hit.tier, tier);
        }

      if (all)
        g_array_append_val (hits, hit);
    }

  g_array_sort (hits, compare_hits);
  for (guint i = 0; i < hits->len && i < CARNET_ENT_DIRECTORY_SEARCH_MAX; i++)
    g_ptr_array_add (results, (gpointer) g_array_index (hits, Hit, i).platform);

  return results;
}

/* --- Lookup ---------------------------------------------------------------------- */

const CarnetEntPlatform *
carnet_ent_directory_lookup (CarnetEntDirectory *self,
                             const char         *uri_or_host)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  key = host_key (uri_or_host);
  if (key == NULL)
    return NULL;

  for (guint i = 0; i < self->platforms->len; i++)
    {
      const CarnetEntPlatform *p = g_ptr_array_index (self->platforms, i);

      if (g_str_equal (p->host, key) || carnet_ent_platform_is_retired_host (p, key))
        return p;
    }

  return NULL;
}

gboolean
carnet_ent_platform_is_retired_host (const CarnetEntPlatform *p,
                                     const char              *uri_or_host)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (p != NULL, FALSE);

  key = host_key (uri_or_host);
  if (key == NULL)
    return FALSE;

  /* A retired platform's schools had their own names under it:
   * jean-jaures-calais.savoirsnumeriques5962.fr. */
  for (guint i = 0; p->retired[i] != NULL; i++)
    if (host_is_under (key, p->retired[i]))
      return TRUE;

  return FALSE;
}

/* --- Platforms --------------------------------------------------------------------- */

const char *
carnet_ent_platform_get_id (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->id;
}

const char *
carnet_ent_platform_get_name (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->name;
}

const char *
carnet_ent_platform_get_region (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->region;
}

const char *
carnet_ent_platform_get_url (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->url;
}

const char *
carnet_ent_platform_get_wayf (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->wayf;
}

const char * const *
carnet_ent_platform_get_keywords (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return (const char * const *) p->keywords;
}

const char * const *
carnet_ent_platform_get_retired (const CarnetEntPlatform *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return (const char * const *) p->retired;
}
