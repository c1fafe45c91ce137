/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-types.h"
#include "carnet-ent-types-private.h"
#include "carnet-ent-error-private.h"

#include <string.h>

/* --- strict JSON helpers ------------------------------------------------- */

static gboolean
protocol_error (GError     **error,
                const char  *what)
{
  /* Field names only: never a value, which could be a token. */
  g_debug ("Unexpected answer from the ENT: %s", what);
  g_propagate_error (error, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
  return FALSE;
}

static JsonObject *
node_get_object (JsonNode   *node,
                 const char *what,
                 GError    **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      protocol_error (error, what);
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
node_is_string (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Required strings must be present and strings; optional ones may be
 * absent or null and then read as "". */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return protocol_error (error, name);
      *out = g_strdup ("");
      return TRUE;
    }

  if (!node_is_string (node))
    return protocol_error (error, name);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *name,
          gboolean     required,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return protocol_error (error, name);
      *out = FALSE;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return protocol_error (error, name);

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
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
        return protocol_error (error, name);
      *out = 0;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return protocol_error (error, name);

  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXUINT)
    return protocol_error (error, name);

  *out = (guint) value;
  return TRUE;
}

/* An optional array of strings; absent or null → empty. */
static gboolean
get_strv (JsonObject   *object,
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
        return protocol_error (error, name);

      array = json_node_get_array (node);
      n = json_array_get_length (array);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!node_is_string (element))
            return protocol_error (error, name);
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* {"fr": "…", "en": "…"}: optional; non-string values are refused. */
static gboolean
get_string_map (JsonObject  *object,
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
        return protocol_error (error, name);

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          if (!node_is_string (value))
            return protocol_error (error, name);
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
      protocol_error (error, "empty body");
      return NULL;
    }

  /* json-glib would warn on invalid UTF-8 in some versions: refuse first. */
  if (!g_utf8_validate (data, length, NULL))
    {
      protocol_error (error, "not UTF-8");
      return NULL;
    }

  if (!json_depth_is_sane (data, length))
    {
      protocol_error (error, "JSON nested too deep, or not plain JSON");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      protocol_error (error, "not JSON");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      protocol_error (error, "empty JSON");
      return NULL;
    }

  return json_node_ref (root);
}

/* --- CarnetEntContext ---------------------------------------------------- */

struct _CarnetEntContext
{
  GObject     parent_instance;

  char       *password_regex;
  GRegex     *regex;
  GHashTable *rule;
  GHashTable *rule_activation;
  gboolean    cgu;
  gboolean    mail_mandatory;
  gboolean    phone_mandatory;
};

G_DEFINE_FINAL_TYPE (CarnetEntContext, carnet_ent_context, G_TYPE_OBJECT)

static void
carnet_ent_context_finalize (GObject *object)
{
  CarnetEntContext *self = (CarnetEntContext *)object;

  g_clear_pointer (&self->password_regex, g_free);
  g_clear_pointer (&self->regex, g_regex_unref);
  g_clear_pointer (&self->rule, g_hash_table_unref);
  g_clear_pointer (&self->rule_activation, g_hash_table_unref);

  G_OBJECT_CLASS (carnet_ent_context_parent_class)->finalize (object);
}

static void
carnet_ent_context_class_init (CarnetEntContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_context_finalize;
}

static void
carnet_ent_context_init (CarnetEntContext *self)
{
}

CarnetEntContext *
carnet_ent_context_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(CarnetEntContext) self = NULL;
  g_autoptr(GError) regex_error = NULL;
  g_autofree char *anchored = NULL;
  JsonObject *object;
  JsonNode *mandatory;

  if (!(object = node_get_object (node, "context", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_CONTEXT, NULL);

  if (!get_string (object, "passwordRegex", TRUE, &self->password_regex, error) ||
      !get_bool (object, "cgu", FALSE, &self->cgu, error) ||
      !get_string_map (object, "passwordRegexI18n", &self->rule, error) ||
      !get_string_map (object, "passwordRegexI18nActivation", &self->rule_activation, error))
    return NULL;

  mandatory = json_object_get_member (object, "mandatory");
  if (mandatory != NULL && !JSON_NODE_HOLDS_NULL (mandatory))
    {
      JsonObject *m;

      if (!(m = node_get_object (mandatory, "mandatory", error)) ||
          !get_bool (m, "mail", FALSE, &self->mail_mandatory, error) ||
          !get_bool (m, "phone", FALSE, &self->phone_mandatory, error))
        return NULL;
    }

  /* Java's String.matches() needs the whole string to match; anchoring
   * the pattern as a group keeps alternations ("a|b") whole too, and \z
   * (not $) refuses a trailing newline as Java does. */
  anchored = g_strdup_printf ("\\A(?:%s)\\z", self->password_regex);
  self->regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &regex_error);
  if (self->regex == NULL)
    {
      protocol_error (error, "passwordRegex does not compile");
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
carnet_ent_context_get_password_regex (CarnetEntContext *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CONTEXT (self), NULL);

  return self->password_regex;
}

const char *
carnet_ent_context_get_password_rule (CarnetEntContext *self,
                                      gboolean          activation)
{
  const char * const *languages;
  GHashTable *map;

  g_return_val_if_fail (CARNET_IS_ENT_CONTEXT (self), NULL);

  map = activation && g_hash_table_size (self->rule_activation) > 0
        ? self->rule_activation : self->rule;
  languages = g_get_language_names ();

  for (guint i = 0; languages[i] != NULL; i++)
    {
      const char *rule = g_hash_table_lookup (map, languages[i]);

      if (rule != NULL && *rule != '\0')
        return rule;
    }

  /* Open ENT NG's default language is French, and ENTs often give only
   * that: better the French rule than none. */
  {
    const char *rule = g_hash_table_lookup (map, "fr");

    return rule != NULL && *rule != '\0' ? rule : NULL;
  }
}

gboolean
carnet_ent_context_get_cgu (CarnetEntContext *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CONTEXT (self), FALSE);

  return self->cgu;
}

gboolean
carnet_ent_context_get_mail_mandatory (CarnetEntContext *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CONTEXT (self), FALSE);

  return self->mail_mandatory;
}

gboolean
carnet_ent_context_get_phone_mandatory (CarnetEntContext *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CONTEXT (self), FALSE);

  return self->phone_mandatory;
}

gboolean
carnet_ent_context_check_password (CarnetEntContext *self,
                                   const char       *password)
{
  g_return_val_if_fail (CARNET_IS_ENT_CONTEXT (self), FALSE);

  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    return FALSE;

  return g_regex_match (self->regex, password, 0, NULL);
}

/* --- CarnetEntUser ------------------------------------------------------- */

typedef struct
{
  char *first_name;
  char *last_name;
} ChildName;

static void
child_name_free (gpointer data)
{
  ChildName *name = data;

  g_free (name->first_name);
  g_free (name->last_name);
  g_free (name);
}

struct _CarnetEntUser
{
  GObject     parent_instance;

  char       *id;
  char       *login;
  char       *display_name;
  char       *first_name;
  char       *last_name;
  char       *email;
  char       *mobile;
  char       *type;
  gboolean    force_change_password;
  gboolean    need_revalidate_terms;
  char      **structure_names;
  char      **children_ids;
  GHashTable *children;
};

G_DEFINE_FINAL_TYPE (CarnetEntUser, carnet_ent_user, G_TYPE_OBJECT)

static void
carnet_ent_user_finalize (GObject *object)
{
  CarnetEntUser *self = (CarnetEntUser *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->first_name, g_free);
  g_clear_pointer (&self->last_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->mobile, g_free);
  g_clear_pointer (&self->type, g_free);
  g_clear_pointer (&self->structure_names, g_strfreev);
  g_clear_pointer (&self->children_ids, g_strfreev);
  g_clear_pointer (&self->children, g_hash_table_unref);

  G_OBJECT_CLASS (carnet_ent_user_parent_class)->finalize (object);
}

static void
carnet_ent_user_class_init (CarnetEntUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_user_finalize;
}

static void
carnet_ent_user_init (CarnetEntUser *self)
{
  self->children = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, child_name_free);
}

CarnetEntUser *
carnet_ent_user_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(CarnetEntUser) self = NULL;
  JsonObject *object;
  JsonNode *children;

  if (!(object = node_get_object (node, "userinfo", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_USER, NULL);

  if (!get_string (object, "userId", TRUE, &self->id, error) ||
      !get_string (object, "login", TRUE, &self->login, error) ||
      !get_string (object, "type", TRUE, &self->type, error) ||
      !get_string (object, "username", FALSE, &self->display_name, error) ||
      !get_string (object, "firstName", FALSE, &self->first_name, error) ||
      !get_string (object, "lastName", FALSE, &self->last_name, error) ||
      !get_string (object, "email", FALSE, &self->email, error) ||
      !get_string (object, "mobile", FALSE, &self->mobile, error) ||
      !get_bool (object, "forceChangePassword", FALSE, &self->force_change_password, error) ||
      !get_bool (object, "needRevalidateTerms", FALSE, &self->need_revalidate_terms, error) ||
      !get_strv (object, "structureNames", &self->structure_names, error) ||
      !get_strv (object, "childrenIds", &self->children_ids, error))
    return NULL;

  if (*self->id == '\0')
    {
      protocol_error (error, "userId empty");
      return NULL;
    }

  children = json_object_get_member (object, "children");
  if (children != NULL && !JSON_NODE_HOLDS_NULL (children))
    {
      JsonObjectIter iter;
      const char *child_id;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (children))
        {
          protocol_error (error, "children");
          return NULL;
        }

      json_object_iter_init (&iter, json_node_get_object (children));
      while (json_object_iter_next (&iter, &child_id, &value))
        {
          ChildName *name;
          JsonObject *child;

          if (!(child = node_get_object (value, "children.<id>", error)))
            return NULL;

          name = g_new0 (ChildName, 1);
          if (!get_string (child, "firstName", FALSE, &name->first_name, error) ||
              !get_string (child, "lastName", FALSE, &name->last_name, error))
            {
              child_name_free (name);
              return NULL;
            }

          g_hash_table_replace (self->children, g_strdup (child_id), name);
        }
    }

  return g_steal_pointer (&self);
}

const char *
carnet_ent_user_get_id (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->id;
}

const char *
carnet_ent_user_get_login (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->login;
}

const char *
carnet_ent_user_get_display_name (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->display_name;
}

const char *
carnet_ent_user_get_first_name (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->first_name;
}

const char *
carnet_ent_user_get_last_name (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->last_name;
}

const char *
carnet_ent_user_get_email (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->email;
}

const char *
carnet_ent_user_get_mobile (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->mobile;
}

const char *
carnet_ent_user_get_profile_type (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return self->type;
}

gboolean
carnet_ent_user_is_parent (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), FALSE);

  /* "PERSRELELEVE" is what userinfo 1.0 calls a parent. */
  return g_str_equal (self->type, "Relative") ||
         g_str_equal (self->type, "PERSRELELEVE");
}

gboolean
carnet_ent_user_get_force_change_password (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), FALSE);
  return self->force_change_password;
}

gboolean
carnet_ent_user_get_need_revalidate_terms (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), FALSE);
  return self->need_revalidate_terms;
}

const char * const *
carnet_ent_user_get_structure_names (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return (const char * const *) self->structure_names;
}

const char * const *
carnet_ent_user_get_children_ids (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  return (const char * const *) self->children_ids;
}

gboolean
carnet_ent_user_lookup_child (CarnetEntUser  *self,
                              const char     *child_id,
                              const char    **first_name,
                              const char    **last_name)
{
  ChildName *name;

  g_return_val_if_fail (CARNET_IS_ENT_USER (self), FALSE);

  name = child_id != NULL ? g_hash_table_lookup (self->children, child_id) : NULL;

  if (first_name != NULL)
    *first_name = name != NULL ? name->first_name : NULL;
  if (last_name != NULL)
    *last_name = name != NULL ? name->last_name : NULL;

  return name != NULL;
}

/* --- CarnetEntRequirements ----------------------------------------------- */

struct _CarnetEntRequirements
{
  GObject  parent_instance;

  gboolean force_change_password;
  gboolean need_revalidate_terms;
  gboolean need_revalidate_email;
  gboolean need_revalidate_mobile;
  gboolean need_mfa;
};

G_DEFINE_FINAL_TYPE (CarnetEntRequirements, carnet_ent_requirements, G_TYPE_OBJECT)

static void
carnet_ent_requirements_class_init (CarnetEntRequirementsClass *klass)
{
}

static void
carnet_ent_requirements_init (CarnetEntRequirements *self)
{
}

CarnetEntRequirements *
carnet_ent_requirements_new_from_json (JsonNode  *node,
                                       GError   **error)
{
  g_autoptr(CarnetEntRequirements) self = NULL;
  JsonObject *object;

  if (!(object = node_get_object (node, "requirements", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_REQUIREMENTS, NULL);

  /* Mobile and MFA came later in Open ENT NG's history: optional. */
  if (!get_bool (object, "forceChangePassword", TRUE, &self->force_change_password, error) ||
      !get_bool (object, "needRevalidateTerms", TRUE, &self->need_revalidate_terms, error) ||
      !get_bool (object, "needRevalidateEmail", TRUE, &self->need_revalidate_email, error) ||
      !get_bool (object, "needRevalidateMobile", FALSE, &self->need_revalidate_mobile, error) ||
      !get_bool (object, "needMfa", FALSE, &self->need_mfa, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
carnet_ent_requirements_get_force_change_password (CarnetEntRequirements *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_REQUIREMENTS (self), FALSE);
  return self->force_change_password;
}

gboolean
carnet_ent_requirements_get_need_revalidate_terms (CarnetEntRequirements *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_REQUIREMENTS (self), FALSE);
  return self->need_revalidate_terms;
}

gboolean
carnet_ent_requirements_get_need_revalidate_email (CarnetEntRequirements *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_REQUIREMENTS (self), FALSE);
  return self->need_revalidate_email;
}

gboolean
carnet_ent_requirements_get_need_revalidate_mobile (CarnetEntRequirements *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_REQUIREMENTS (self), FALSE);
  return self->need_revalidate_mobile;
}

gboolean
carnet_ent_requirements_get_need_mfa (CarnetEntRequirements *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_REQUIREMENTS (self), FALSE);
  return self->need_mfa;
}

/* --- CarnetEntMailState -------------------------------------------------- */

struct _CarnetEntMailState
{
  GObject                 parent_instance;

  char                   *email;
  char                   *display_name;
  guint                   wait_in_seconds;
  CarnetEntMailStateKind  kind;
  char                   *valid;
  char                   *pending;
  guint                   tries;
  guint                   ttl;
};

G_DEFINE_FINAL_TYPE (CarnetEntMailState, carnet_ent_mail_state, G_TYPE_OBJECT)

static void
carnet_ent_mail_state_finalize (GObject *object)
{
  CarnetEntMailState *self = (CarnetEntMailState *)object;

  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->valid, g_free);
  g_clear_pointer (&self->pending, g_free);

  G_OBJECT_CLASS (carnet_ent_mail_state_parent_class)->finalize (object);
}

static void
carnet_ent_mail_state_class_init (CarnetEntMailStateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_mail_state_finalize;
}

static void
carnet_ent_mail_state_init (CarnetEntMailState *self)
{
}

static gboolean
parse_email_state (CarnetEntMailState  *self,
                   JsonObject          *state,
                   GError             **error)
{
  g_autofree char *kind = NULL;

  g_clear_pointer (&self->valid, g_free);
  g_clear_pointer (&self->pending, g_free);

  if (!get_string (state, "state", TRUE, &kind, error) ||
      !get_string (state, "valid", FALSE, &self->valid, error) ||
      !get_string (state, "pending", FALSE, &self->pending, error) ||
      !get_uint (state, "tries", FALSE, &self->tries, error) ||
      !get_uint (state, "ttl", FALSE, &self->ttl, error))
    return FALSE;

  if (g_str_equal (kind, "unchecked"))
    self->kind = CARNET_ENT_MAIL_STATE_UNCHECKED;
  else if (g_str_equal (kind, "pending"))
    self->kind = CARNET_ENT_MAIL_STATE_PENDING;
  else if (g_str_equal (kind, "outdated"))
    self->kind = CARNET_ENT_MAIL_STATE_OUTDATED;
  else if (g_str_equal (kind, "valid"))
    self->kind = CARNET_ENT_MAIL_STATE_VALID;
  else
    return protocol_error (error, "emailState.state");

  return TRUE;
}

CarnetEntMailState *
carnet_ent_mail_state_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(CarnetEntMailState) self = NULL;
  JsonObject *object;
  JsonNode *state;

  if (!(object = node_get_object (node, "mailstate", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_MAIL_STATE, NULL);
  self->valid = g_strdup ("");
  self->pending = g_strdup ("");

  if (json_object_has_member (object, "state") &&
      !json_object_has_member (object, "emailState"))
    {
      /* POST may answer the state object alone. */
      self->email = g_strdup ("");
      self->display_name = g_strdup ("");
      if (!parse_email_state (self, object, error))
        return NULL;
      return g_steal_pointer (&self);
    }

  if (!json_object_has_member (object, "emailState"))
    {
      protocol_error (error, "emailState");
      return NULL;
    }

  if (!get_string (object, "email", FALSE, &self->email, error) ||
      !get_string (object, "displayName", FALSE, &self->display_name, error) ||
      !get_uint (object, "waitInSeconds", FALSE, &self->wait_in_seconds, error))
    return NULL;

  state = json_object_get_member (object, "emailState");
  if (JSON_NODE_HOLDS_NULL (state))
    {
      self->kind = CARNET_ENT_MAIL_STATE_NONE;
    }
  else
    {
      JsonObject *state_object;

      if (!(state_object = node_get_object (state, "emailState", error)) ||
          !parse_email_state (self, state_object, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
carnet_ent_mail_state_get_email (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), NULL);
  return self->email;
}

const char *
carnet_ent_mail_state_get_display_name (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), NULL);
  return self->display_name;
}

guint
carnet_ent_mail_state_get_wait_in_seconds (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), 0);
  return self->wait_in_seconds;
}

CarnetEntMailStateKind
carnet_ent_mail_state_get_kind (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), CARNET_ENT_MAIL_STATE_NONE);
  return self->kind;
}

const char *
carnet_ent_mail_state_get_valid (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), NULL);
  return self->valid;
}

const char *
carnet_ent_mail_state_get_pending (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), NULL);
  return self->pending;
}

guint
carnet_ent_mail_state_get_tries (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), 0);
  return self->tries;
}

guint
carnet_ent_mail_state_get_ttl (CarnetEntMailState *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_MAIL_STATE (self), 0);
  return self->ttl;
}

/* --- CarnetEntChild ------------------------------------------------------ */

struct _CarnetEntChild
{
  GObject   parent_instance;

  char     *id;
  char     *display_name;
  char     *first_name;
  char     *last_name;
  char     *school_name;
  char    **classes;
};

G_DEFINE_FINAL_TYPE (CarnetEntChild, carnet_ent_child, G_TYPE_OBJECT)

static void
carnet_ent_child_finalize (GObject *object)
{
  CarnetEntChild *self = (CarnetEntChild *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->first_name, g_free);
  g_clear_pointer (&self->last_name, g_free);
  g_clear_pointer (&self->school_name, g_free);
  g_clear_pointer (&self->classes, g_strfreev);

  G_OBJECT_CLASS (carnet_ent_child_parent_class)->finalize (object);
}

static void
carnet_ent_child_class_init (CarnetEntChildClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_child_finalize;
}

static void
carnet_ent_child_init (CarnetEntChild *self)
{
}

GPtrArray *
carnet_ent_children_new_from_json (JsonNode       *node,
                                   CarnetEntUser  *user,
                                   GError        **error)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *schools;
  guint n_schools;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      protocol_error (error, "children: not an array");
      return NULL;
    }

  schools = json_node_get_array (node);
  n_schools = json_array_get_length (schools);

  for (guint i = 0; i < n_schools; i++)
    {
      g_autofree char *school_name = NULL;
      JsonObject *school;
      JsonNode *list_node;
      JsonArray *list;
      guint n;

      if (!(school = node_get_object (json_array_get_element (schools, i), "children[]", error)) ||
          !get_string (school, "structureName", FALSE, &school_name, error))
        return NULL;

      list_node = json_object_get_member (school, "children");
      if (list_node == NULL || !JSON_NODE_HOLDS_ARRAY (list_node))
        {
          protocol_error (error, "children[].children");
          return NULL;
        }

      list = json_node_get_array (list_node);
      n = json_array_get_length (list);
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(CarnetEntChild) child = g_object_new (CARNET_TYPE_ENT_CHILD, NULL);
          const char *first_name = NULL;
          const char *last_name = NULL;
          JsonObject *object;

          if (!(object = node_get_object (json_array_get_element (list, j), "child", error)) ||
              !get_string (object, "id", TRUE, &child->id, error) ||
              !get_string (object, "displayName", TRUE, &child->display_name, error) ||
              !get_strv (object, "classesNames", &child->classes, error))
            return NULL;

          if (user != NULL)
            carnet_ent_user_lookup_child (user, child->id, &first_name, &last_name);

          child->first_name = g_strdup (first_name != NULL ? first_name : "");
          child->last_name = g_strdup (last_name != NULL ? last_name : "");
          child->school_name = g_strdup (school_name);

          g_ptr_array_add (children, g_steal_pointer (&child));
        }
    }

  return g_steal_pointer (&children);
}

const char *
carnet_ent_child_get_id (CarnetEntChild *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CHILD (self), NULL);
  return self->id;
}

const char *
carnet_ent_child_get_display_name (CarnetEntChild *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CHILD (self), NULL);
  return self->display_name;
}

const char *
carnet_ent_child_get_first_name (CarnetEntChild *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CHILD (self), NULL);
  return self->first_name;
}

const char *
carnet_ent_child_get_last_name (CarnetEntChild *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CHILD (self), NULL);
  return self->last_name;
}

const char *
carnet_ent_child_get_school_name (CarnetEntChild *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CHILD (self), NULL);
  return self->school_name;
}

const char * const *
carnet_ent_child_get_classes (CarnetEntChild *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CHILD (self), NULL);
  return (const char * const *) self->classes;
}

/* --- CarnetEntSchool ----------------------------------------------------- */

struct _CarnetEntSchool
{
  GObject  parent_instance;

  char    *id;
  char    *name;
};

G_DEFINE_FINAL_TYPE (CarnetEntSchool, carnet_ent_school, G_TYPE_OBJECT)

static void
carnet_ent_school_finalize (GObject *object)
{
  CarnetEntSchool *self = (CarnetEntSchool *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (carnet_ent_school_parent_class)->finalize (object);
}

static void
carnet_ent_school_class_init (CarnetEntSchoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_school_finalize;
}

static void
carnet_ent_school_init (CarnetEntSchool *self)
{
}

GPtrArray *
carnet_ent_schools_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GPtrArray) schools = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object;
  JsonNode *structures;
  JsonArray *array;
  guint n;

  if (!(object = node_get_object (node, "forgot-id", error)))
    return NULL;

  structures = json_object_get_member (object, "structures");
  if (structures == NULL || JSON_NODE_HOLDS_NULL (structures))
    return g_steal_pointer (&schools);

  if (!JSON_NODE_HOLDS_ARRAY (structures))
    {
      protocol_error (error, "structures");
      return NULL;
    }

  array = json_node_get_array (structures);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CarnetEntSchool) school = g_object_new (CARNET_TYPE_ENT_SCHOOL, NULL);
      JsonObject *element;
      gboolean seen = FALSE;

      /* One row per (account, structure), with loginAlias and
       * activationCode, any of them null (entcore's forgot-id). */
      if (!(element = node_get_object (json_array_get_element (array, i), "structures[]", error)) ||
          !get_string (element, "structureId", FALSE, &school->id, error) ||
          !get_string (element, "structureName", FALSE, &school->name, error))
        return NULL;

      /* A row without a school cannot be chosen; a school met twice is
       * one choice. */
      if (*school->id == '\0')
        continue;
      for (guint j = 0; j < schools->len; j++)
        if (g_str_equal (carnet_ent_school_get_id (g_ptr_array_index (schools, j)), school->id))
          seen = TRUE;
      if (seen)
        continue;
      if (*school->name == '\0')
        {
          g_free (school->name);
          school->name = g_strdup (school->id);
        }

      g_ptr_array_add (schools, g_steal_pointer (&school));
    }

  /* Rows but no school to choose: not an answer the parent can act on
   * (an empty array would say the login was mailed). */
  if (n > 0 && schools->len == 0)
    {
      protocol_error (error, "structures[].structureId");
      return NULL;
    }

  return g_steal_pointer (&schools);
}

const char *
carnet_ent_school_get_id (CarnetEntSchool *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_SCHOOL (self), NULL);
  return self->id;
}

const char *
carnet_ent_school_get_name (CarnetEntSchool *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_SCHOOL (self), NULL);
  return self->name;
}

/* --- CarnetEntTokens ----------------------------------------------------- */

struct _CarnetEntTokens
{
  GObject  parent_instance;

  char    *access_token;
  char    *refresh_token;
  char    *scope;
  guint    expires_in;
};

G_DEFINE_FINAL_TYPE (CarnetEntTokens, carnet_ent_tokens, G_TYPE_OBJECT)

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      volatile char *p = *str;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (str, g_free);
    }
}

static void
carnet_ent_tokens_finalize (GObject *object)
{
  CarnetEntTokens *self = (CarnetEntTokens *)object;

  wipe_string (&self->access_token);
  wipe_string (&self->refresh_token);
  g_clear_pointer (&self->scope, g_free);

  G_OBJECT_CLASS (carnet_ent_tokens_parent_class)->finalize (object);
}

static void
carnet_ent_tokens_class_init (CarnetEntTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_tokens_finalize;
}

static void
carnet_ent_tokens_init (CarnetEntTokens *self)
{
}

CarnetEntTokens *
carnet_ent_tokens_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(CarnetEntTokens) self = NULL;
  g_autofree char *token_type = NULL;
  JsonObject *object;

  if (!(object = node_get_object (node, "token", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_TOKENS, NULL);

  if (!get_string (object, "token_type", TRUE, &token_type, error) ||
      !get_string (object, "access_token", TRUE, &self->access_token, error) ||
      !get_string (object, "refresh_token", FALSE, &self->refresh_token, error) ||
      !get_string (object, "scope", FALSE, &self->scope, error) ||
      !get_uint (object, "expires_in", FALSE, &self->expires_in, error))
    return NULL;

  if (g_ascii_strcasecmp (token_type, "Bearer") != 0 || *self->access_token == '\0')
    {
      protocol_error (error, "token_type or access_token");
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
carnet_ent_tokens_get_access_token (CarnetEntTokens *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_TOKENS (self), NULL);
  return self->access_token;
}

const char *
carnet_ent_tokens_get_refresh_token (CarnetEntTokens *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_TOKENS (self), NULL);
  return self->refresh_token;
}

const char *
carnet_ent_tokens_get_scope (CarnetEntTokens *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_TOKENS (self), NULL);
  return self->scope;
}

guint
carnet_ent_tokens_get_expires_in (CarnetEntTokens *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_TOKENS (self), 0);
  return self->expires_in;
}

/* --- small answers ------------------------------------------------------- */

gboolean
carnet_ent_match_from_json (JsonNode  *node,
                            gboolean  *matches,
                            GError   **error)
{
  JsonObject *object;

  if (!(object = node_get_object (node, "match", error)))
    return FALSE;

  return get_bool (object, "match", TRUE, matches, error);
}

char *
carnet_ent_charter_path_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autofree char *path = NULL;
  JsonObject *object;

  if (!(object = node_get_object (node, "i18n", error)) ||
      !get_string (object, "auth.charter", TRUE, &path, error))
    return NULL;

  g_strstrip (path);
  if (*path == '\0')
    {
      protocol_error (error, "auth.charter empty");
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

  if (!(object = node_get_object (node, "i18n", error)))
    return NULL;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = NULL;
      const char *keys;

      /* Only strings are translations; anything else is left out. */
      if (!node_is_string (value) || !g_utf8_validate (key, -1, NULL))
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

  if (!(object = node_get_object (node, "form answer", error)))
    return FALSE;

  error_node = json_object_get_member (object, "error");
  if (error_node == NULL || JSON_NODE_HOLDS_NULL (error_node))
    return TRUE;

  if (node_is_string (error_node))
    {
      *message = g_strdup (json_node_get_string (error_node));
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonNode *text = json_object_get_member (json_node_get_object (error_node), "message");

      if (node_is_string (text))
        {
          *message = g_strdup (json_node_get_string (text));
          return TRUE;
        }
    }

  /* An error we cannot read is no refusal we can tell the parent about:
   * saying "the ENT refused what you typed" would send them looking for
   * a mistake they did not make. */
  return protocol_error (error, "error");
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
      !(object = node_get_object (node, "empty answer", error)))
    return FALSE;

  /* A success that says "error" is a contradiction, whatever its type. */
  error_node = json_object_get_member (object, "error");
  if (error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node))
    return protocol_error (error, "error in a success");

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
  if (node_is_string (member))
    *error_key = json_node_get_string (member);

  member = json_object_get_member (object, "error_description");
  if (node_is_string (member))
    *description = json_node_get_string (member);
}
