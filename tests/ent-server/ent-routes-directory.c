/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /directory/…: the account, its children, and the notification email with
 * its 6-digit code. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

static JsonObject *
mail_state (JsonObject *user)
{
  return json_object_has_member (user, "emailState") ? json_object_get_object_member (user, "emailState") : NULL;
}

static gboolean
member_is_null (JsonObject *object,
                const char *member)
{
  return !json_object_has_member (object, member) || json_object_get_null_member (object, member);
}

/* The stored ttl is an absolute time (s); answers give what is left. */
static gint64
ttl_remaining (EntServer  *server,
               JsonObject *state)
{
  return MAX (0, json_object_get_int_member_with_default (state, "ttl", 0) - ent_now (server));
}

static void
add_member_or_null (JsonBuilder *b,
                    JsonObject  *state,
                    const char  *member)
{
  json_builder_set_member_name (b, member);
  if (member_is_null (state, member))
    json_builder_add_null_value (b);
  else
    json_builder_add_value (b, json_node_copy (json_object_get_member (state, member)));
}

/* DataStateUtils.formatAsResponse(emailState) for GET (L:…/datavalidation/
 * utils/DataStateUtils.java:102-111): the stored state without its key, ttl
 * as seconds left. A pending code past its ttl stays "pending", ttl 0. */
static void
add_stored_state (EntServer   *server,
                  JsonBuilder *b,
                  JsonObject  *state)
{
  json_builder_begin_object (b);
  add_member_or_null (b, state, "state");
  add_member_or_null (b, state, "valid");
  add_member_or_null (b, state, "pending");
  add_member_or_null (b, state, "tries");
  json_builder_set_member_name (b, "ttl");
  if (member_is_null (state, "ttl"))
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, ttl_remaining (server, state));
  json_builder_end_object (b);
}

/* UserController.getMailState (UC:1159-1176). emailState is null until the
 * first PUT (right after activation too). */
static void
handle_mailstate_get (EntRequest *req)
{
  JsonObject *state = mail_state (req->user);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, ent_user_get_string (req->user, "email"));
  json_builder_set_member_name (b, "firstName");
  json_builder_add_string_value (b, ent_user_get_string (req->user, "firstName"));
  json_builder_set_member_name (b, "lastName");
  json_builder_add_string_value (b, ent_user_get_string (req->user, "lastName"));
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, ent_user_get_string (req->user, "displayName"));
  json_builder_set_member_name (b, "waitInSeconds");
  json_builder_add_int_value (b, ENT_MAIL_WAIT_SECONDS);
  json_builder_set_member_name (b, "emailState");
  if (state == NULL)
    json_builder_add_null_value (b);
  else
    add_stored_state (req->server, b, state);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* UserController.putMailState (UC:1178-1199) and
 * AbstractDataValidationService.startUpdate: no throttle (waitInSeconds is
 * only a hint), the same code again for the same pending address while it
 * lives. */
static void
handle_mailstate_put (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *email = body != NULL ? json_object_get_string_member_with_default (body, "email", NULL) : NULL;
  JsonObject *state = mail_state (req->user);
  gint64 now = ent_now (req->server);
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  /* The route's JSON schema: a 400 {"error": …}. */
  if (!ent_mail_is_valid (email))
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.mail");
      return;
    }

  if (state == NULL)
    {
      state = json_object_new ();
      json_object_set_object_member (req->user, "emailState", state);
    }

  if (g_strcmp0 (json_object_get_string_member_with_default (state, "state", NULL), "pending") == 0 &&
      !member_is_null (state, "ttl") && ttl_remaining (req->server, state) > 0 &&
      g_strcmp0 (json_object_get_string_member_with_default (state, "pending", NULL), email) == 0 &&
      json_object_get_string_member_with_default (state, "code", NULL) != NULL)
    code = g_strdup (json_object_get_string_member (state, "code"));
  else
    code = g_strdup_printf ("%06d", g_random_int_range (0, 1000000));

  json_object_set_string_member (state, "state", "pending");
  if (member_is_null (state, "valid"))
    json_object_set_string_member (state, "valid", "");
  json_object_set_string_member (state, "pending", email);
  json_object_set_string_member (state, "code", code);
  json_object_set_int_member (state, "ttl", now + ENT_MAIL_CODE_SECONDS);
  json_object_set_int_member (state, "tries", ENT_MAIL_CODE_TRIES);
  ent_state_save (req->server);

  text = g_strdup_printf (
    "Bonjour %s,\n\n"
    "Pour confirmer votre adresse e-mail sur l'ENT, saisissez ce code :\n\n"
    "    %s\n\n"
    "Ce code est valable 10 minutes.\n"
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
    "L'équipe de l'ENT\n",
    ent_user_get_string (req->user, "displayName"), code);
  ent_send_mail (req->server, email, "Code de vérification de votre adresse e-mail", text);

  ent_reply_empty (req, SOUP_STATUS_OK);
}

/* UserController.postMailState (UC:1201-1228) over
 * AbstractDataValidationService.tryValidate (L:…/AbstractDataValidationService.java:238-301):
 * the key before the ttl; the answer is {"state","valid"} plus tries and
 * ttl only when pending or outdated. */
static void
handle_mailstate_post (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *key = body != NULL ? json_object_get_string_member_with_default (body, "key", NULL) : NULL;
  JsonObject *state = mail_state (req->user);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *trimmed = NULL;
  const char *name;

  if (key == NULL)
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.key");
      return;
    }
  trimmed = g_strstrip (g_strdup (key));

  if (state == NULL)
    {
      state = json_object_new ();
      json_object_set_string_member (state, "state", "outdated");
      json_object_set_object_member (req->user, "emailState", state);
    }
  else if (g_strcmp0 (json_object_get_string_member_with_default (state, "state", NULL), "outdated") == 0)
    ;
  else if (g_strcmp0 (json_object_get_string_member_with_default (state, "code", NULL), trimmed) != 0 ||
           *trimmed == '\0')
    {
      gint64 tries = member_is_null (state, "tries") ? 0 : MAX (0, json_object_get_int_member (state, "tries") - 1);

      if (tries <= 0)
        json_object_set_string_member (state, "state", "outdated");
      json_object_set_int_member (state, "tries", tries);
    }
  else if (member_is_null (state, "ttl") || ttl_remaining (req->server, state) <= 0 ||
           *json_object_get_string_member_with_default (state, "pending", "") == '\0')
    json_object_set_string_member (state, "state", "outdated");
  else
    {
      g_autofree char *pending = g_strdup (json_object_get_string_member (state, "pending"));

      json_object_set_string_member (state, "state", "valid");
      json_object_set_string_member (state, "valid", pending);
      json_object_set_null_member (state, "pending");
      json_object_remove_member (state, "code");
      json_object_set_null_member (state, "ttl");
      json_object_set_null_member (state, "tries");
      json_object_set_string_member (req->user, "email", pending);
      json_object_set_boolean_member (req->user, "emailValidated", TRUE);
    }
  ent_state_save (req->server);

  name = json_object_get_string_member_with_default (state, "state", "outdated");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "valid");
  json_builder_add_string_value (b, member_is_null (state, "valid") ? "" : json_object_get_string_member (state, "valid"));
  if (g_str_equal (name, "pending") || g_str_equal (name, "outdated"))
    {
      if (!member_is_null (state, "tries"))
        {
          json_builder_set_member_name (b, "tries");
          json_builder_add_int_value (b, json_object_get_int_member (state, "tries"));
        }
      if (!member_is_null (state, "ttl"))
        {
          json_builder_set_member_name (b, "ttl");
          json_builder_add_int_value (b, ttl_remaining (req->server, state));
        }
    }
  json_builder_end_object (b);
  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
handle_children (EntRequest *req,
                 const char *user_id)
{
  JsonArray *children = json_object_get_array_member (req->user, "children");
  g_autoptr(GPtrArray) structures = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!g_str_equal (user_id, ent_user_get_string (req->user, "id")))
    {
      ent_reply_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
      return;
    }

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, i));
      const char *id = ent_user_get_string (child, "structureId");

      if (!g_ptr_array_find_with_equal_func (structures, id, g_str_equal, NULL))
        g_ptr_array_add (structures, (gpointer) id);
    }

  json_builder_begin_array (b);
  for (guint s = 0; s < structures->len; s++)
    {
      const char *structure_id = g_ptr_array_index (structures, s);
      JsonObject *structure = ent_state_find_structure (req->server, structure_id);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "structureName");
      json_builder_add_string_value (b, ent_user_get_string (structure, "name"));
      json_builder_set_member_name (b, "children");
      json_builder_begin_array (b);
      for (guint i = 0; i < json_array_get_length (children); i++)
        {
          JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, i));
          g_autofree char *display = NULL;

          if (!g_str_equal (ent_user_get_string (child, "structureId"), structure_id))
            continue;

          display = g_strdup_printf ("%s %s", ent_user_get_string (child, "lastName"),
                                     ent_user_get_string (child, "firstName"));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, ent_user_get_string (child, "id"));
          json_builder_set_member_name (b, "displayName");
          json_builder_add_string_value (b, display);
          json_builder_set_member_name (b, "externalId");
          json_builder_add_string_value (b, ent_user_get_string (child, "externalId"));
          json_builder_set_member_name (b, "classesNames");
          json_builder_begin_array (b);
          json_builder_add_string_value (b, ent_user_get_string (child, "className"));
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
handle_myinfos (EntRequest *req)
{
  JsonObject *user = req->user;
  JsonArray *children = json_object_get_array_member (user, "children");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) structures = g_ptr_array_new ();
  static const char * const fields[] = {
    "id", "login", "externalId", "displayName", "firstName", "lastName", "email", "mobile", NULL
  };

  json_builder_begin_object (b);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      json_builder_set_member_name (b, fields[i]);
      json_builder_add_string_value (b, ent_user_get_string (user, fields[i]));
    }
  json_builder_set_member_name (b, "type");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "Relative");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "children");
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, i));
      const char *structure_id = ent_user_get_string (child, "structureId");
      g_autofree char *display = g_strdup_printf ("%s %s", ent_user_get_string (child, "firstName"),
                                                  ent_user_get_string (child, "lastName"));

      if (!g_ptr_array_find_with_equal_func (structures, structure_id, g_str_equal, NULL))
        g_ptr_array_add (structures, (gpointer) structure_id);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, ent_user_get_string (child, "id"));
      json_builder_set_member_name (b, "displayName");
      json_builder_add_string_value (b, display);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "structures");
  json_builder_begin_array (b);
  for (guint i = 0; i < structures->len; i++)
    {
      JsonObject *structure = ent_state_find_structure (req->server, g_ptr_array_index (structures, i));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, ent_user_get_string (structure, "id"));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ent_user_get_string (structure, "name"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

gboolean
ent_routes_directory (EntRequest *req)
{
  const char *method = req->method;
  const char *path = req->path;

  if (g_str_equal (path, "/directory/i18n") && g_str_equal (method, "GET"))
    {
      ent_reply_json_text (req, SOUP_STATUS_OK,
        "{"
        "\"directory.mail\":\"Adresse e-mail\","
        "\"directory.mobile\":\"Téléphone mobile\","
        "\"directory.children\":\"Enfants\","
        "\"directory.mailstate.code\":\"Saisissez le code à 6 chiffres reçu par e-mail.\","
        "\"directory.mailstate.outdated\":\"Ce code a expiré. Demandez-en un nouveau.\","
        "\"directory.mailstate.wait\":\"Patientez quelques secondes avant de demander un nouveau code.\""
        "}");
      return TRUE;
    }

  if (g_str_equal (path, "/directory/user/mailstate"))
    {
      if (g_str_equal (method, "GET"))
        {
          if (ent_require_user (req))
            handle_mailstate_get (req);
        }
      else if (g_str_equal (method, "PUT"))
        {
          if (ent_require_user (req))
            handle_mailstate_put (req);
        }
      else if (g_str_equal (method, "POST"))
        {
          if (ent_require_user (req))
            handle_mailstate_post (req);
        }
      else
        return FALSE;
      return TRUE;
    }

  if (g_str_equal (path, "/directory/myinfos") && g_str_equal (method, "GET"))
    {
      if (ent_require_user (req))
        handle_myinfos (req);
      return TRUE;
    }

  if (g_str_has_prefix (path, "/directory/user/") && g_str_has_suffix (path, "/children") &&
      g_str_equal (method, "GET"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/directory/user/"),
                                       strlen (path) - strlen ("/directory/user/") - strlen ("/children"));

      if (*id == '\0' || strchr (id, '/') != NULL)
        return FALSE;
      if (ent_require_user (req))
        handle_children (req, id);
      return TRUE;
    }

  return FALSE;
}
