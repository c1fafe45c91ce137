/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-types.h"
#include "carnet-ent-types-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-error-private.h"

#include <string.h>

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

  if (!(object = carnet_ent_json_get_object (node, "context", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_CONTEXT, NULL);

  if (!carnet_ent_json_get_string (object, "passwordRegex", TRUE, &self->password_regex, error) ||
      !carnet_ent_json_get_bool (object, "cgu", FALSE, &self->cgu, error) ||
      !carnet_ent_json_get_string_map (object, "passwordRegexI18n", &self->rule, error) ||
      !carnet_ent_json_get_string_map (object, "passwordRegexI18nActivation", &self->rule_activation, error))
    return NULL;

  mandatory = json_object_get_member (object, "mandatory");
  if (mandatory != NULL && !JSON_NODE_HOLDS_NULL (mandatory))
    {
      JsonObject *m;

      if (!(m = carnet_ent_json_get_object (mandatory, "mandatory", error)) ||
          !carnet_ent_json_get_bool (m, "mail", FALSE, &self->mail_mandatory, error) ||
          !carnet_ent_json_get_bool (m, "phone", FALSE, &self->phone_mandatory, error))
        return NULL;
    }

  /* Java's String.matches() needs the whole string to match; anchoring
   * the pattern as a group keeps alternations ("a|b") whole too, and \z
   * (not $) refuses a trailing newline as Java does. */
  anchored = g_strdup_printf ("\\A(?:%s)\\z", self->password_regex);
  self->regex = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &regex_error);
  if (self->regex == NULL)
    {
      carnet_ent_json_protocol_error (error, "passwordRegex does not compile");
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
  gboolean    federated;
  char       *federated_idp;
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
  g_clear_pointer (&self->federated_idp, g_free);
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

  if (!(object = carnet_ent_json_get_object (node, "userinfo", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_USER, NULL);

  if (!carnet_ent_json_get_string (object, "userId", TRUE, &self->id, error) ||
      !carnet_ent_json_get_string (object, "login", TRUE, &self->login, error) ||
      !carnet_ent_json_get_string (object, "type", TRUE, &self->type, error) ||
      !carnet_ent_json_get_string (object, "username", FALSE, &self->display_name, error) ||
      !carnet_ent_json_get_string (object, "firstName", FALSE, &self->first_name, error) ||
      !carnet_ent_json_get_string (object, "lastName", FALSE, &self->last_name, error) ||
      !carnet_ent_json_get_string (object, "email", FALSE, &self->email, error) ||
      !carnet_ent_json_get_string (object, "mobile", FALSE, &self->mobile, error) ||
      !carnet_ent_json_get_bool (object, "forceChangePassword", FALSE, &self->force_change_password, error) ||
      !carnet_ent_json_get_bool (object, "needRevalidateTerms", FALSE, &self->need_revalidate_terms, error) ||
      /* The account logs in through a federation (EduConnect): entcore
       * 6.15.4 AbstractFederateController.java:70-78 stores the flag at
       * the SAML login, the session carries it, userinfo 2.0 keeps it
       * (UserInfoAdapterV1_0Json.java:78 removes it from 1.0 only). */
      !carnet_ent_json_get_bool (object, "federated", FALSE, &self->federated, error) ||
      !carnet_ent_json_get_string (object, "federatedIDP", FALSE, &self->federated_idp, error) ||
      !carnet_ent_json_get_strv (object, "structureNames", &self->structure_names, error) ||
      !carnet_ent_json_get_strv (object, "childrenIds", &self->children_ids, error))
    return NULL;

  if (*self->id == '\0')
    {
      carnet_ent_json_protocol_error (error, "userId empty");
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
          carnet_ent_json_protocol_error (error, "children");
          return NULL;
        }

      json_object_iter_init (&iter, json_node_get_object (children));
      while (json_object_iter_next (&iter, &child_id, &value))
        {
          ChildName *name;
          JsonObject *child;

          if (!(child = carnet_ent_json_get_object (value, "children.<id>", error)))
            return NULL;

          name = g_new0 (ChildName, 1);
          if (!carnet_ent_json_get_string (child, "firstName", FALSE, &name->first_name, error) ||
              !carnet_ent_json_get_string (child, "lastName", FALSE, &name->last_name, error))
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

gboolean
carnet_ent_user_get_federated (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), FALSE);
  return self->federated;
}

const char *
carnet_ent_user_get_federated_idp (CarnetEntUser *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_USER (self), NULL);
  /* Read as "" when absent: NULL for the caller. */
  return self->federated_idp != NULL && *self->federated_idp != '\0' ? self->federated_idp : NULL;
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

  if (!(object = carnet_ent_json_get_object (node, "requirements", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_REQUIREMENTS, NULL);

  /* Mobile and MFA came later in Open ENT NG's history: optional. */
  if (!carnet_ent_json_get_bool (object, "forceChangePassword", TRUE, &self->force_change_password, error) ||
      !carnet_ent_json_get_bool (object, "needRevalidateTerms", TRUE, &self->need_revalidate_terms, error) ||
      !carnet_ent_json_get_bool (object, "needRevalidateEmail", TRUE, &self->need_revalidate_email, error) ||
      !carnet_ent_json_get_bool (object, "needRevalidateMobile", FALSE, &self->need_revalidate_mobile, error) ||
      !carnet_ent_json_get_bool (object, "needMfa", FALSE, &self->need_mfa, error))
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

  if (!carnet_ent_json_get_string (state, "state", TRUE, &kind, error) ||
      !carnet_ent_json_get_string (state, "valid", FALSE, &self->valid, error) ||
      !carnet_ent_json_get_string (state, "pending", FALSE, &self->pending, error) ||
      !carnet_ent_json_get_uint (state, "tries", FALSE, &self->tries, error) ||
      !carnet_ent_json_get_uint (state, "ttl", FALSE, &self->ttl, error))
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
    return carnet_ent_json_protocol_error (error, "emailState.state");

  return TRUE;
}

CarnetEntMailState *
carnet_ent_mail_state_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(CarnetEntMailState) self = NULL;
  JsonObject *object;
  JsonNode *state;

  if (!(object = carnet_ent_json_get_object (node, "mailstate", error)))
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
      carnet_ent_json_protocol_error (error, "emailState");
      return NULL;
    }

  if (!carnet_ent_json_get_string (object, "email", FALSE, &self->email, error) ||
      !carnet_ent_json_get_string (object, "displayName", FALSE, &self->display_name, error) ||
      !carnet_ent_json_get_uint (object, "waitInSeconds", FALSE, &self->wait_in_seconds, error))
    return NULL;

  state = json_object_get_member (object, "emailState");
  if (JSON_NODE_HOLDS_NULL (state))
    {
      self->kind = CARNET_ENT_MAIL_STATE_NONE;
    }
  else
    {
      JsonObject *state_object;

      if (!(state_object = carnet_ent_json_get_object (state, "emailState", error)) ||
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
      carnet_ent_json_protocol_error (error, "children: not an array");
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

      if (!(school = carnet_ent_json_get_object (json_array_get_element (schools, i), "children[]", error)) ||
          !carnet_ent_json_get_string (school, "structureName", FALSE, &school_name, error))
        return NULL;

      list_node = json_object_get_member (school, "children");
      if (list_node == NULL || !JSON_NODE_HOLDS_ARRAY (list_node))
        {
          carnet_ent_json_protocol_error (error, "children[].children");
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

          if (!(object = carnet_ent_json_get_object (json_array_get_element (list, j), "child", error)) ||
              !carnet_ent_json_get_string (object, "id", TRUE, &child->id, error) ||
              !carnet_ent_json_get_string (object, "displayName", TRUE, &child->display_name, error) ||
              !carnet_ent_json_get_strv (object, "classesNames", &child->classes, error))
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

  if (!(object = carnet_ent_json_get_object (node, "forgot-id", error)))
    return NULL;

  structures = json_object_get_member (object, "structures");
  if (structures == NULL || JSON_NODE_HOLDS_NULL (structures))
    return g_steal_pointer (&schools);

  if (!JSON_NODE_HOLDS_ARRAY (structures))
    {
      carnet_ent_json_protocol_error (error, "structures");
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
      if (!(element = carnet_ent_json_get_object (json_array_get_element (array, i), "structures[]", error)) ||
          !carnet_ent_json_get_string (element, "structureId", FALSE, &school->id, error) ||
          !carnet_ent_json_get_string (element, "structureName", FALSE, &school->name, error))
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
      carnet_ent_json_protocol_error (error, "structures[].structureId");
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
