/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-json-private.h"
#include "carnet-ent-error-private.h"

#include <string.h>

/* The strict reading of what the ENT answers: a whole body parsed with its
 * depth bounded, the typed readers the types' constructors use
 * (carnet-ent-types.c), and the small answers that need no type. */

/* --- typed readers --------------------------------------------------------- */

gboolean
carnet_ent_json_protocol_error (GError     **error,
                                const char  *what)
{
  /* Field names only: never a value, which could be a token. */
  g_debug ("Unexpected answer from the ENT: %s", what);
  g_propagate_error (error, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
  return FALSE;
}

JsonObject *
carnet_ent_json_get_object (JsonNode   *node,
                            const char *what,
                            GError    **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      carnet_ent_json_protocol_error (error, what);
      return NULL;
    }

  return json_node_get_object (node);
}

gboolean
carnet_ent_json_is_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Required strings must be present and strings; optional ones may be
 * absent or null and then read as "". */
gboolean
carnet_ent_json_get_string (JsonObject  *object,
                            const char  *name,
                            gboolean     required,
                            char       **out,
                            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return carnet_ent_json_protocol_error (error, name);
      *out = g_strdup ("");
      return TRUE;
    }

  if (!carnet_ent_json_is_string (node))
    return carnet_ent_json_protocol_error (error, name);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
carnet_ent_json_get_bool (JsonObject  *object,
                          const char  *name,
                          gboolean     required,
                          gboolean    *out,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return carnet_ent_json_protocol_error (error, name);
      *out = FALSE;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return carnet_ent_json_protocol_error (error, name);

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
carnet_ent_json_get_uint (JsonObject  *object,
                          const char  *name,
                          gboolean     required,
                          guint       *out,
                          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return carnet_ent_json_protocol_error (error, name);
      *out = 0;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return carnet_ent_json_protocol_error (error, name);

  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXUINT)
    return carnet_ent_json_protocol_error (error, name);

  *out = (guint) value;
  return TRUE;
}

/* An optional array of strings; absent or null → empty. */
gboolean
carnet_ent_json_get_strv (JsonObject   *object,
                          const char   *name,
                          char       ***out,
                          GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint n;

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return carnet_ent_json_protocol_error (error, name);

      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!carnet_ent_json_is_string (element))
            return carnet_ent_json_protocol_error (error, name);
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* {"fr": "…", "en": "…"}: optional; non-string values are refused. */
gboolean
carnet_ent_json_get_string_map (JsonObject  *object,
                                const char  *name,
                                GHashTable **out,
                                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return carnet_ent_json_protocol_error (error, name);

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          if (!carnet_ent_json_is_string (value))
            return carnet_ent_json_protocol_error (error, name);
          g_hash_table_replace (map, g_strdup (key), g_strdup (json_node_get_string (value)));
        }
    }

  *out = g_steal_pointer (&map);
  return TRUE;
}

/* No ENT answer nests deeper than a few levels (children: 4). json-glib's
 * parser recurses once per level, so a body of 100 000 "[" (well under
 * the 2 MiB an answer may weigh) overflowed the stack and crashed Carnet:
 * found with the fuzz targets, kept in tests/fuzz/crashes/context/.
 *
 * The count is only sound if this scan and json-glib's scanner agree on
 * where strings start and end. json-glib 1.6 accepts more than JSON: C
 * comments and "/" … "/" comments, 'single-quoted' strings (no escapes), and
 * after "\u" and a hex digit it takes the next 4 bytes whatever they are,
 * after a surrogate the next 2 as well: "/ *"* /[[[…", "'"'[[[…" and
 * "\"\\u1\"x\"[[[…" each hid 200 000 "[" from the old scan. An ENT speaks
 * JSON only, so what JSON does not allow there is refused outright: outside
 * strings, any "/" or "'"; inside, "\u" not followed by 4 hex digits, and a
 * surrogate escape that is not a high one followed by "\u" and a low one.
 * What remains is read the same way by both. */
#define MAX_JSON_DEPTH 64

static int
hex_escape_value (const char *data,
                  gsize       length,
                  gsize       i)
{
  int value = 0;

  /* data[i] is the "u" of "\u". */
  if (length - i <= 4)
    return -1;
  for (gsize k = i + 1; k <= i + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

static gboolean
json_depth_is_sane (const char *data,
                    gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\')
            {
              int value;

              if (++i >= length)
                return FALSE;
              if (data[i] != 'u')
                continue;

              value = hex_escape_value (data, length, i);
              if (value < 0 || (value >= 0xDC00 && value <= 0xDFFF))
                return FALSE;
              i += 4;
              if (value >= 0xD800 && value <= 0xDBFF)
                {
                  int low;

                  if (length - i <= 2 || data[i + 1] != '\\' || data[i + 2] != 'u')
                    return FALSE;
                  low = hex_escape_value (data, length, i + 2);
                  if (low < 0xDC00 || low > 0xDFFF)
                    return FALSE;
                  i += 6;
                }
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '/' || c == '\'')
        return FALSE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

JsonNode *
carnet_ent_json_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0 || length > G_MAXSSIZE)
    {
      carnet_ent_json_protocol_error (error, "empty body");
      return NULL;
    }

  /* json-glib would warn on invalid UTF-8 in some versions: refuse first. */
  if (!g_utf8_validate (data, length, NULL))
    {
      carnet_ent_json_protocol_error (error, "not UTF-8");
      return NULL;
    }

  if (!json_depth_is_sane (data, length))
    {
      carnet_ent_json_protocol_error (error, "JSON nested too deep, or not plain JSON");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      carnet_ent_json_protocol_error (error, "not JSON");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      carnet_ent_json_protocol_error (error, "empty JSON");
      return NULL;
    }

  return json_node_ref (root);
}

/* --- small answers ------------------------------------------------------- */

gboolean
carnet_ent_match_from_json (JsonNode  *node,
                            gboolean  *matches,
                            GError   **error)
{
  JsonObject *object;

  if (!(object = carnet_ent_json_get_object (node, "match", error)))
    return FALSE;

  return carnet_ent_json_get_bool (object, "match", TRUE, matches, error);
}

char *
carnet_ent_charter_path_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autofree char *path = NULL;
  JsonObject *object;

  if (!(object = carnet_ent_json_get_object (node, "i18n", error)) ||
      !carnet_ent_json_get_string (object, "auth.charter", TRUE, &path, error))
    return NULL;

  g_strstrip (path);
  if (*path == '\0')
    {
      carnet_ent_json_protocol_error (error, "auth.charter empty");
      return NULL;
    }

  return g_steal_pointer (&path);
}

GHashTable *
carnet_ent_i18n_reverse_new_from_json (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(GHashTable) reverse = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObjectIter iter;
  JsonObject *object;
  const char *key;
  JsonNode *value;

  if (!(object = carnet_ent_json_get_object (node, "i18n", error)))
    return NULL;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = NULL;
      const char *keys;

      /* Only strings are translations; anything else is left out. */
      if (!carnet_ent_json_is_string (value) || !g_utf8_validate (key, -1, NULL))
        continue;
      text = carnet_ent_i18n_normalize (json_node_get_string (value));
      if (text == NULL || *text == '\0')
        continue;

      /* Several keys may share a text (reset.error and
       * auth.reset.invalid.argument in French): keep them all. */
      keys = g_hash_table_lookup (reverse, text);
      if (keys == NULL)
        g_hash_table_insert (reverse, g_steal_pointer (&text), g_strdup (key));
      else
        {
          char *joined = g_strconcat (keys, "\n", key, NULL);

          g_hash_table_insert (reverse, g_steal_pointer (&text), joined);
        }
    }

  return g_steal_pointer (&reverse);
}

gboolean
carnet_ent_form_error_from_json (JsonNode  *node,
                                 char     **message,
                                 GError   **error)
{
  JsonObject *object;
  JsonNode *error_node;

  *message = NULL;

  if (!(object = carnet_ent_json_get_object (node, "form answer", error)))
    return FALSE;

  error_node = json_object_get_member (object, "error");
  if (error_node == NULL || JSON_NODE_HOLDS_NULL (error_node))
    return TRUE;

  if (carnet_ent_json_is_string (error_node))
    {
      *message = g_strdup (json_node_get_string (error_node));
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonNode *text = json_object_get_member (json_node_get_object (error_node), "message");

      if (carnet_ent_json_is_string (text))
        {
          *message = g_strdup (json_node_get_string (text));
          return TRUE;
        }
    }

  /* An error we cannot read is no refusal we can tell the parent about:
   * saying "the ENT refused what you typed" would send them looking for
   * a mistake they did not make. */
  return carnet_ent_json_protocol_error (error, "error");
}

gboolean
carnet_ent_empty_answer_check (const char  *data,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonNode *error_node;
  gsize i;

  for (i = 0; i < length && g_ascii_isspace (data[i]); i++)
    ;
  if (i == length)
    return TRUE;

  if (!(node = carnet_ent_json_parse (data, length, error)) ||
      !(object = carnet_ent_json_get_object (node, "empty answer", error)))
    return FALSE;

  /* A success that says "error" is a contradiction, whatever its type. */
  error_node = json_object_get_member (object, "error");
  if (error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node))
    return carnet_ent_json_protocol_error (error, "error in a success");

  return TRUE;
}

void
carnet_ent_error_keys_from_json (JsonNode    *node,
                                 const char **error_key,
                                 const char **description)
{
  JsonObject *object;
  JsonNode *member;

  *error_key = NULL;
  *description = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  object = json_node_get_object (node);

  member = json_object_get_member (object, "error");
  if (carnet_ent_json_is_string (member))
    *error_key = json_node_get_string (member);

  member = json_object_get_member (object, "error_description");
  if (carnet_ent_json_is_string (member))
    *description = json_node_get_string (member);
}
