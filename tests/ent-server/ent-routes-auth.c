/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /auth/…: login, activation, OAuth2, charter, forgotten login/password,
 * password change, with the answers the real server gives — a 302 for
 * success, HTML or a 200 JSON body for failure. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

#define MSG_PASSWORD_RULE "Le mot de passe doit contenir au moins 8 caractères, dont une minuscule, une majuscule et un chiffre."
#define MSG_PASSWORD_CONFIRM "Les mots de passe ne correspondent pas."
#define MSG_PASSWORD_REUSED "Ce mot de passe a déjà été utilisé : choisissez-en un différent des 10 derniers mots de passe."
#define MSG_MAIL_INVALID "L'adresse e-mail est invalide."
#define MSG_MAIL_MISSING "L'adresse e-mail est obligatoire."
#define MSG_LOGIN_MISSING "L'identifiant est obligatoire."
#define MSG_PASSWORD_MISSING "Le mot de passe est obligatoire."
#define MSG_RESET_INVALID "Le code de réinitialisation est invalide ou a expiré."
#define MSG_OLD_PASSWORD "L'ancien mot de passe est incorrect."

static gboolean
route (EntRequest *req,
       const char *method,
       const char *path)
{
  return g_str_equal (req->method, method) && g_str_equal (req->path, path);
}

static const char *
form_get (GHashTable *form,
          const char *name)
{
  const char *value = g_hash_table_lookup (form, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* The callback a form gave, kept on this host. */
static char *
callback_location (EntRequest *req,
                   const char *callback)
{
  g_autofree char *own = g_strdup_printf ("https://%s/", req->host);

  if (callback != NULL && callback[0] == '/' && callback[1] != '/')
    return ent_absolute_url (req, callback);
  if (callback != NULL && g_str_has_prefix (callback, own))
    return g_strdup (callback);

  return g_steal_pointer (&own);
}

/* --- pages ------------------------------------------------------------------ */

static const char *
error_text (const char *key)
{
  if (g_str_equal (key, "auth.error.ban"))
    return "Trop de tentatives de connexion ont échoué. Par sécurité, votre compte est bloqué pendant 15 minutes.";
  if (g_str_equal (key, "auth.error.blockedUser"))
    return "Votre compte est bloqué. Contactez l'administrateur de votre établissement.";
  if (g_str_equal (key, "auth.error.authenticationFailed"))
    return "Identifiant ou mot de passe incorrect.";

  return "Une erreur est survenue.";
}

/* The real page is a template whose error is an i18n key translated in the
 * browser, so the key itself is in the HTML. */
static void
reply_login_page (EntRequest *req,
                  const char *error_key,
                  const char *login)
{
  g_autofree char *escaped = g_markup_escape_text (login != NULL ? login : "", -1);
  g_autofree char *error = NULL;
  g_autofree char *html = NULL;

  if (error_key != NULL)
    error = g_strdup_printf ("    <div class=\"warning\"><i18n>%s</i18n>"
                             "<noscript>%s</noscript></div>\n", error_key, error_text (error_key));

  html = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
                          "  <meta charset=\"utf-8\">\n  <title>Connexion</title>\n</head>\n<body>\n"
                          "  <h1>Connexion à l'ENT</h1>\n"
                          "  <form method=\"post\" action=\"/auth/login\">\n"
                          "%s"
                          "    <label for=\"email\">Identifiant</label>\n"
                          "    <input id=\"email\" name=\"email\" type=\"text\" value=\"%s\">\n"
                          "    <label for=\"password\">Mot de passe</label>\n"
                          "    <input id=\"password\" name=\"password\" type=\"password\">\n"
                          "    <button type=\"submit\">Se connecter</button>\n"
                          "  </form>\n"
                          "  <a href=\"/auth/forgot\">Identifiant ou mot de passe oublié ?</a>\n"
                          "</body>\n</html>\n",
                          error != NULL ? error : "", escaped);
  ent_reply_html (req, SOUP_STATUS_OK, html);
}

static void
reply_activation_page (EntRequest *req,
                       const char *login,
                       const char *code)
{
  g_autofree char *login_escaped = g_markup_escape_text (login, -1);
  g_autofree char *code_escaped = g_markup_escape_text (code, -1);
  g_autofree char *html = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
    "  <meta charset=\"utf-8\">\n  <title>Activation de votre compte</title>\n</head>\n<body>\n"
    "  <h1>Activez votre compte</h1>\n"
    "  <form method=\"post\" action=\"/auth/activation\">\n"
    "    <input type=\"hidden\" name=\"login\" value=\"%s\">\n"
    "    <input type=\"hidden\" name=\"activationCode\" value=\"%s\">\n"
    "    <input name=\"password\" type=\"password\">\n"
    "    <input name=\"confirmPassword\" type=\"password\">\n"
    "    <input name=\"mail\" type=\"email\">\n"
    "    <input name=\"acceptCGU\" type=\"checkbox\" value=\"true\">\n"
    "    <button type=\"submit\">Activer</button>\n"
    "  </form>\n</body>\n</html>\n", login_escaped, code_escaped);

  ent_reply_html (req, SOUP_STATUS_OK, html);
}

/* --- public configuration --------------------------------------------------- */

static void
handle_context (EntRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *rule = "Le mot de passe doit comporter au moins 8 caractères, dont une lettre "
                     "minuscule, une lettre majuscule et un chiffre.";

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "callBack");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "cgu");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "passwordRegex");
  json_builder_add_string_value (b, ENT_PASSWORD_REGEX);
  json_builder_set_member_name (b, "passwordRegexI18n");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fr");
  json_builder_add_string_value (b, rule);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "passwordRegexI18nActivation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fr");
  json_builder_add_string_value (b, "Choisissez un mot de passe d'au moins 8 caractères avec "
                                    "une minuscule, une majuscule et un chiffre.");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "mandatory");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mail");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "phone");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
handle_i18n (EntRequest *req)
{
  ent_reply_json_text (req, SOUP_STATUS_OK,
    "{"
    "\"auth.charter\":\"" ENT_CHARTER_PATH "\","
    "\"auth.error.authenticationFailed\":\"Identifiant ou mot de passe incorrect.\","
    "\"auth.error.ban\":\"Trop de tentatives de connexion ont échoué. Par sécurité, votre compte est bloqué pendant 15 minutes.\","
    "\"auth.error.blockedUser\":\"Votre compte est bloqué. Contactez l'administrateur de votre établissement.\","
    "\"auth.error.blockedProfileType\":\"Les comptes de ce profil sont temporairement bloqués.\","
    "\"auth.error.global\":\"Une erreur est survenue. Veuillez réessayer plus tard.\","
    "\"auth.error.activation.code\":\"Votre compte n'est pas encore activé.\","
    "\"auth.login\":\"Identifiant\","
    "\"auth.password\":\"Mot de passe\","
    "\"auth.connect\":\"Se connecter\","
    "\"auth.activation\":\"Activation de votre compte\","
    "\"auth.activation.cgu\":\"J'accepte les conditions générales d'utilisation\","
    "\"auth.forgot\":\"Identifiant ou mot de passe oublié ?\","
    "\"auth.cgu.revalidate\":\"La charte d'utilisation a changé : merci de la lire et de l'accepter.\""
    "}");
}

static void
handle_charter (EntRequest *req)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (req->server->charter_file, &data, &length, &error))
    {
      ent_reply_error (req, SOUP_STATUS_NOT_FOUND, "not.found");
      return;
    }

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (req->msg, "application/pdf", SOUP_MEMORY_TAKE, data, length);
}

/* --- login ------------------------------------------------------------------ */

static gboolean
activation_code_matches (JsonObject *user,
                         const char *code)
{
  return user != NULL && !ent_user_get_bool (user, "activated") && code != NULL &&
         g_strcmp0 (json_object_get_string_member_with_default (user, "activationCode", NULL), code) == 0;
}

/* One check shared by the form login, the token grant and the password
 * change. Returns NULL on success, otherwise the auth.error key;
 * *not_activated is set when the provisional code was given as password. */
static const char *
authenticate (EntServer   *server,
              const char  *login,
              const char  *password,
              JsonObject **out_user,
              gboolean    *not_activated)
{
  JsonObject *user = ent_state_find_user (server, login);

  *out_user = user;
  if (not_activated != NULL)
    *not_activated = FALSE;

  /* While banned even the right password fails, and does not count. */
  if (ent_is_banned (server, login))
    return "auth.error.ban";

  if (user != NULL && activation_code_matches (user, password))
    {
      if (not_activated != NULL)
        *not_activated = TRUE;
      return "auth.error.activation.code";
    }

  if (user == NULL || password == NULL || !ent_password_check (user, password))
    {
      /* The failure that reaches the limit still reads as a wrong password;
       * the ban shows from the next attempt on. */
      ent_record_failure (server, login);
      return "auth.error.authenticationFailed";
    }

  if (ent_user_get_bool (user, "blocked"))
    return "auth.error.blockedUser";

  ent_clear_failures (server, login);

  return NULL;
}

static void
handle_login (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *login = form_get (form, "email");
  const char *password = form_get (form, "password");
  g_autofree char *location = NULL;
  JsonObject *user = NULL;
  gboolean not_activated = FALSE;
  const char *error;
  EntSession *session;

  if (login == NULL || password == NULL)
    {
      reply_login_page (req, "auth.error.authenticationFailed", login);
      return;
    }

  error = authenticate (req->server, login, password, &user, &not_activated);
  if (not_activated)
    {
      reply_activation_page (req, ent_user_get_string (user, "login"), password);
      return;
    }
  if (error != NULL)
    {
      reply_login_page (req, error, login);
      return;
    }

  session = ent_session_new (req->server, ent_user_get_string (user, "id"));
  ent_set_session_cookies (req, session);
  location = callback_location (req, form_get (form, "callBack"));
  ent_reply_redirect (req, location);
}

static void
handle_logout (EntRequest *req)
{
  const char *callback = req->query != NULL ? g_hash_table_lookup (req->query, "callback") : NULL;
  g_autofree char *location = callback_location (req, callback != NULL ? callback : "/");

  if (req->session != NULL)
    g_hash_table_remove (req->server->sessions, req->session->id);
  req->session = NULL;

  ent_clear_session_cookies (req);
  ent_reply_redirect (req, location);
}

/* --- OAuth2 ----------------------------------------------------------------- */

static gboolean
client_is_valid (EntRequest *req,
                 GHashTable *form)
{
  const char *authorization = ent_request_header (req, "Authorization");
  const char *id = form_get (form, "client_id");
  const char *secret = form_get (form, "client_secret");
  g_autofree char *decoded = NULL;
  g_auto(GStrv) parts = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      gsize length = 0;
      guchar *raw = g_base64_decode (authorization + 6, &length);

      decoded = g_strndup ((const char *) raw, length);
      g_free (raw);
      parts = g_strsplit (decoded, ":", 2);
      if (g_strv_length (parts) == 2)
        {
          id = parts[0];
          secret = parts[1];
        }
    }

  return g_strcmp0 (id, ENT_OAUTH_CLIENT_ID) == 0 &&
         g_strcmp0 (secret, ENT_OAUTH_CLIENT_SECRET) == 0;
}

static void
reply_oauth_error (EntRequest *req,
                   guint       status,
                   const char *error,
                   const char *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  if (description != NULL)
    {
      json_builder_set_member_name (b, "error_description");
      json_builder_add_string_value (b, description);
    }
  json_builder_end_object (b);
  ent_reply_json (req, status, json_builder_get_root (b));
}

static void
reply_tokens (EntRequest *req,
              EntToken   *access,
              EntToken   *refresh)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access->token);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, ENT_TOKEN_SECONDS);
  json_builder_set_member_name (b, "refresh_token");
  json_builder_add_string_value (b, refresh->token);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, access->scope);
  json_builder_end_object (b);
  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
handle_token (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *grant = form_get (form, "grant_type");

  if (!client_is_valid (req, form))
    {
      reply_oauth_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_client", NULL);
      return;
    }

  if (g_strcmp0 (grant, "password") == 0)
    {
      JsonObject *user = NULL;
      gboolean not_activated = FALSE;
      const char *error = authenticate (req->server, form_get (form, "username"),
                                        form_get (form, "password"), &user, &not_activated);
      const char *id;

      if (not_activated || (error == NULL && !ent_user_get_bool (user, "activated")))
        {
          reply_oauth_error (req, SOUP_STATUS_FORBIDDEN, "access_denied", "auth.error.activation.code");
          return;
        }
      if (error != NULL)
        {
          reply_oauth_error (req, SOUP_STATUS_UNAUTHORIZED, "access_denied", error);
          return;
        }

      id = ent_user_get_string (user, "id");
      reply_tokens (req, ent_token_new (req->server, id, FALSE, form_get (form, "scope")),
                    ent_token_new (req->server, id, TRUE, form_get (form, "scope")));
      return;
    }

  if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      EntToken *refresh = ent_token_lookup (req->server, form_get (form, "refresh_token"), TRUE);
      JsonObject *user = refresh != NULL ? ent_state_find_user_by_id (req->server, refresh->user_id) : NULL;

      if (user == NULL || ent_user_get_bool (user, "blocked"))
        {
          reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_grant", NULL);
          return;
        }

      reply_tokens (req, ent_token_new (req->server, refresh->user_id, FALSE, refresh->scope), refresh);
      return;
    }

  reply_oauth_error (req, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", NULL);
}

static void
add_string_array (JsonBuilder *b,
                  const char  *name,
                  GPtrArray   *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (values, i));
  json_builder_end_array (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
handle_userinfo (EntRequest *req)
{
  const char *accept = ent_request_header (req, "Accept");
  gboolean v2 = accept != NULL && strstr (accept, "version=2.0") != NULL;
  JsonObject *user = req->user;
  JsonArray *children = json_object_get_array_member (user, "children");
  g_autoptr(GPtrArray) structures = g_ptr_array_new ();
  g_autoptr(GPtrArray) structure_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) children_ids = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, i));
      const char *structure_id = ent_user_get_string (child, "structureId");
      JsonObject *structure = ent_state_find_structure (req->server, structure_id);

      g_ptr_array_add (children_ids, (gpointer) ent_user_get_string (child, "id"));
      if (!g_ptr_array_find_with_equal_func (structures, structure_id, g_str_equal, NULL))
        {
          g_ptr_array_add (structures, (gpointer) structure_id);
          g_ptr_array_add (structure_names, (gpointer) ent_user_get_string (structure, "name"));
        }
    }

  json_builder_begin_object (b);
  add_string (b, "userId", ent_user_get_string (user, "id"));
  add_string (b, "externalId", ent_user_get_string (user, "externalId"));
  add_string (b, "login", ent_user_get_string (user, "login"));
  add_string (b, "username", ent_user_get_string (user, "displayName"));
  add_string (b, "firstName", ent_user_get_string (user, "firstName"));
  add_string (b, "lastName", ent_user_get_string (user, "lastName"));
  add_string (b, "email", ent_user_get_string (user, "email"));
  add_string (b, "mobile", ent_user_get_string (user, "mobile"));
  add_string (b, "type", v2 ? "Relative" : "PERSRELELEVE");
  add_string (b, "level", "");
  add_string (b, "birthDate", "");
  add_bool (b, "forceChangePassword", ent_user_get_bool (user, "forceChangePassword"));
  add_bool (b, "needRevalidateTerms", ent_user_get_bool (user, "needRevalidateTerms"));
  add_bool (b, "deletePending", FALSE);
  add_bool (b, "federated", FALSE);
  add_bool (b, "hasPw", TRUE);
  add_string_array (b, "structures", structures);
  add_string_array (b, "structureNames", structure_names);
  add_string_array (b, "childrenIds", children_ids);
  json_builder_set_member_name (b, "children");
  json_builder_begin_object (b);
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, i));

      json_builder_set_member_name (b, ent_user_get_string (child, "id"));
      json_builder_begin_object (b);
      add_string (b, "firstName", ent_user_get_string (child, "firstName"));
      add_string (b, "lastName", ent_user_get_string (child, "lastName"));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  /* A few of the many fields a client must ignore. */
  json_builder_set_member_name (b, "apps");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "authorizedActions");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "groupsIds");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "functions");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static gboolean
needs_email_validation (JsonObject *user)
{
  return !ent_user_get_bool (user, "emailValidated");
}

static void
handle_requirements (EntRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_bool (b, "forceChangePassword", ent_user_get_bool (req->user, "forceChangePassword"));
  add_bool (b, "needRevalidateTerms", ent_user_get_bool (req->user, "needRevalidateTerms"));
  add_bool (b, "needRevalidateEmail", needs_email_validation (req->user));
  add_bool (b, "needRevalidateMobile", FALSE);
  add_bool (b, "needMfa", FALSE);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
handle_cgu_revalidate (EntRequest *req)
{
  json_object_set_boolean_member (req->user, "needRevalidateTerms", FALSE);
  ent_state_save (req->server);
  ent_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

/* --- activation ------------------------------------------------------------- */

static void
handle_activation_match (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *login = body != NULL ? json_object_get_string_member_with_default (body, "login", NULL) : NULL;
  const char *code = body != NULL ? json_object_get_string_member_with_default (body, "password", NULL) : NULL;

  if (body == NULL)
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.body");
      return;
    }

  ent_reply_json_text (req, SOUP_STATUS_OK,
                       activation_code_matches (ent_state_find_user (req->server, login), code)
                       ? "{\"match\":true}" : "{\"match\":false}");
}

/* Adds the password checks shared by activation, reset and change. */
static void
check_new_password (GPtrArray  *errors,
                    const char *password,
                    const char *confirm)
{
  if (password == NULL)
    {
      g_ptr_array_add (errors, MSG_PASSWORD_MISSING);
      return;
    }
  if (g_strcmp0 (password, confirm) != 0)
    g_ptr_array_add (errors, MSG_PASSWORD_CONFIRM);
  if (!ent_password_is_valid (password))
    g_ptr_array_add (errors, MSG_PASSWORD_RULE);
}

static void
handle_activation (EntRequest *req,
                   gboolean    login_after)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  const char *login = form_get (form, "login");
  const char *code = form_get (form, "activationCode");
  const char *password = form_get (form, "password");
  const char *mail = form_get (form, "mail");
  const char *phone = form_get (form, "phone");
  JsonObject *user;
  EntSession *session;
  g_autofree char *location = NULL;

  if (g_strcmp0 (form_get (form, "acceptCGU"), "true") != 0)
    g_ptr_array_add (errors, "invalid.cgu");
  if (login == NULL)
    g_ptr_array_add (errors, MSG_LOGIN_MISSING);
  if (code == NULL)
    g_ptr_array_add (errors, "Le code d'activation est obligatoire.");
  check_new_password (errors, password, form_get (form, "confirmPassword"));
  if (mail == NULL)
    g_ptr_array_add (errors, MSG_MAIL_MISSING);
  else if (!ent_mail_is_valid (mail))
    g_ptr_array_add (errors, MSG_MAIL_INVALID);
  if (phone != NULL && !g_regex_match_simple ("^(\\+33|0)[1-9]( ?[0-9]{2}){4}$", phone, 0, 0))
    g_ptr_array_add (errors, "Le numéro de téléphone est invalide.");

  if (errors->len > 0)
    {
      ent_reply_form_error (req, errors, "activationCode", code, login != NULL ? login : "");
      return;
    }

  user = ent_state_find_user (req->server, login);
  if (!activation_code_matches (user, code))
    {
      /* Untranslated on the real server too. */
      g_ptr_array_add (errors, "activation.error");
      ent_reply_form_error (req, errors, "activationCode", code, login);
      return;
    }

  ent_password_set (user, password);
  json_object_set_boolean_member (user, "activated", TRUE);
  json_object_set_null_member (user, "activationCode");
  json_object_set_string_member (user, "email", mail);
  json_object_set_boolean_member (user, "emailValidated", FALSE);
  json_object_set_string_member (user, "mobile", phone != NULL ? phone : "");
  json_object_set_boolean_member (user, "needRevalidateTerms", FALSE);
  {
    JsonObject *state = json_object_new ();

    json_object_set_string_member (state, "state", "unchecked");
    json_object_set_string_member (state, "valid", "");
    json_object_set_string_member (state, "pending", "");
    json_object_set_int_member (state, "tries", 0);
    json_object_set_int_member (state, "ttl", 0);
    json_object_set_object_member (user, "emailState", state);
  }
  ent_state_save (req->server);

  if (!login_after)
    {
      location = ent_absolute_url (req, "/auth/login");
      ent_reply_redirect (req, location);
      return;
    }

  session = ent_session_new (req->server, ent_user_get_string (user, "id"));
  ent_set_session_cookies (req, session);
  location = g_strdup_printf ("https://%s", req->host);
  ent_reply_redirect (req, location);
}

/* --- forgotten login / password ----------------------------------------------- */

static GPtrArray *
user_structures (EntServer  *server,
                 JsonObject *user)
{
  JsonArray *children = json_object_get_array_member (user, "children");
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = ent_state_find_child (server, json_array_get_string_element (children, i));
      const char *id = ent_user_get_string (child, "structureId");

      if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
        g_ptr_array_add (ids, (gpointer) id);
    }

  return ids;
}

static void
mail_login (EntRequest *req,
            JsonObject *user)
{
  g_autofree char *body = g_strdup_printf (
    "Bonjour %s,\n\n"
    "Vous avez demandé à retrouver votre identifiant de connexion à l'ENT.\n\n"
    "Votre identifiant est : %s\n\n"
    "Connectez-vous sur https://%s/auth/login\n\n"
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
    "L'équipe de l'ENT\n",
    ent_user_get_string (user, "displayName"), ent_user_get_string (user, "login"), req->host);

  ent_send_mail (req->server, ent_user_get_string (user, "email"),
                 "Votre identifiant ENT", body);
}

static void
handle_forgot_id (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *mail = body != NULL ? json_object_get_string_member_with_default (body, "mail", NULL) : NULL;
  const char *first_name = body != NULL ? json_object_get_string_member_with_default (body, "firstName", NULL) : NULL;
  const char *structure_id = body != NULL ? json_object_get_string_member_with_default (body, "structureId", NULL) : NULL;
  JsonArray *users = ent_state_users (req->server);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  if (mail == NULL || *mail == '\0')
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.mail");
      return;
    }

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (ent_user_get_bool (user, "activated") &&
          g_ascii_strcasecmp (ent_user_get_string (user, "email"), mail) == 0)
        g_ptr_array_add (matches, user);
    }

  /* The second round narrows down by school and first name. */
  if (matches->len > 1 && structure_id != NULL && first_name != NULL)
    {
      g_autoptr(GPtrArray) narrowed = g_ptr_array_new ();

      for (guint i = 0; i < matches->len; i++)
        {
          JsonObject *user = g_ptr_array_index (matches, i);
          g_autoptr(GPtrArray) structures = user_structures (req->server, user);
          g_autofree char *a = g_utf8_casefold (first_name, -1);
          g_autofree char *c = g_utf8_casefold (ent_user_get_string (user, "firstName"), -1);

          if (g_str_equal (a, c) &&
              g_ptr_array_find_with_equal_func (structures, structure_id, g_str_equal, NULL))
            g_ptr_array_add (narrowed, user);
        }

      if (narrowed->len == 1)
        mail_login (req, g_ptr_array_index (narrowed, 0));
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return;
    }

  if (matches->len == 1)
    mail_login (req, g_ptr_array_index (matches, 0));

  if (matches->len <= 1)
    {
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "structures");
  json_builder_begin_array (b);
  for (guint i = 0; i < matches->len; i++)
    {
      g_autoptr(GPtrArray) structures = user_structures (req->server, g_ptr_array_index (matches, i));

      for (guint j = 0; j < structures->len; j++)
        {
          const char *id = g_ptr_array_index (structures, j);
          JsonObject *structure = ent_state_find_structure (req->server, id);

          if (g_ptr_array_find_with_equal_func (seen, id, g_str_equal, NULL))
            continue;
          g_ptr_array_add (seen, (gpointer) id);
          json_builder_begin_object (b);
          add_string (b, "structureName", ent_user_get_string (structure, "name"));
          add_string (b, "structureId", id);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
handle_forgot_password (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *login = body != NULL ? json_object_get_string_member_with_default (body, "login", NULL) : NULL;
  JsonObject *user;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (login == NULL || *login == '\0')
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.login");
      return;
    }

  user = ent_state_find_user (req->server, login);
  if (user == NULL || !ent_user_get_bool (user, "activated") ||
      *ent_user_get_string (user, "email") == '\0')
    {
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return;
    }

  code = ent_random_code ("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 8);
  json_object_set_string_member (user, "resetCode", code);
  json_object_set_int_member (user, "resetCodeDate", ent_now (req->server));
  ent_state_save (req->server);

  text = g_strdup_printf (
    "Bonjour %s,\n\n"
    "Vous avez demandé la réinitialisation de votre mot de passe ENT.\n"
    "Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 24 heures) :\n\n"
    "https://%s/auth/reset/%s\n\n"
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message :\n"
    "votre mot de passe actuel reste valable.\n\n"
    "L'équipe de l'ENT\n",
    ent_user_get_string (user, "displayName"), req->host, code);
  ent_send_mail (req->server, ent_user_get_string (user, "email"),
                 "Réinitialisation de votre mot de passe ENT", text);

  ent_reply_json_text (req, SOUP_STATUS_OK, "{\"status\":\"ok\"}");
}

static void
handle_reset_page (EntRequest *req,
                   const char *code)
{
  g_autofree char *escaped = g_markup_escape_text (code, -1);
  g_autofree char *html = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
    "  <meta charset=\"utf-8\">\n  <title>Nouveau mot de passe</title>\n</head>\n<body>\n"
    "  <form method=\"post\" action=\"/auth/reset\">\n"
    "    <input type=\"hidden\" name=\"resetCode\" value=\"%s\">\n"
    "    <input name=\"login\" type=\"text\">\n"
    "    <input name=\"password\" type=\"password\">\n"
    "    <input name=\"confirmPassword\" type=\"password\">\n"
    "    <button type=\"submit\">Valider</button>\n"
    "  </form>\n</body>\n</html>\n", escaped);

  ent_reply_html (req, SOUP_STATUS_OK, html);
}

static void
handle_reset (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  const char *login = form_get (form, "login");
  const char *code = form_get (form, "resetCode");
  const char *password = form_get (form, "password");
  JsonObject *user = ent_state_find_user (req->server, login);
  g_autofree char *location = NULL;

  if (user == NULL || code == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (user, "resetCode", NULL), code) != 0 ||
      ent_now (req->server) - json_object_get_int_member_with_default (user, "resetCodeDate", 0) >= ENT_RESET_CODE_SECONDS)
    {
      g_ptr_array_add (errors, MSG_RESET_INVALID);
      ent_reply_form_error (req, errors, "resetCode", code, NULL);
      return;
    }

  check_new_password (errors, password, form_get (form, "confirmPassword"));
  if (errors->len == 0 && ent_password_was_used (user, password))
    g_ptr_array_add (errors, MSG_PASSWORD_REUSED);
  if (errors->len > 0)
    {
      ent_reply_form_error (req, errors, "resetCode", code, NULL);
      return;
    }

  ent_password_set (user, password);
  json_object_set_null_member (user, "resetCode");
  json_object_set_boolean_member (user, "forceChangePassword", FALSE);
  ent_state_save (req->server);

  location = ent_absolute_url (req, "/auth/login");
  ent_reply_redirect (req, location);
}

static void
handle_change_password (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  const char *login = form_get (form, "login");
  const char *old_password = form_get (form, "oldPassword");
  const char *password = form_get (form, "password");
  JsonObject *user = NULL;
  const char *error;
  g_autofree char *location = NULL;

  /* The form names the account, but a cookie session still needs its
   * CSRF header, as on every authenticated POST. */
  if (!ent_require_user (req, TRUE))
    return;
  if (login == NULL)
    login = ent_user_get_string (req->user, "login");

  if (old_password == NULL)
    {
      g_ptr_array_add (errors, "L'ancien mot de passe est obligatoire.");
      ent_reply_form_error (req, errors, NULL, NULL, NULL);
      return;
    }

  error = authenticate (req->server, login, old_password, &user, NULL);
  if (error != NULL && g_str_equal (error, "auth.error.ban"))
    {
      /* Untranslated, as the real module lacks the key. */
      g_ptr_array_add (errors, "auth.error.ban");
      ent_reply_form_error (req, errors, NULL, NULL, NULL);
      return;
    }
  if (error != NULL && !g_str_equal (error, "auth.error.blockedUser"))
    {
      g_ptr_array_add (errors, MSG_OLD_PASSWORD);
      ent_reply_form_error (req, errors, NULL, NULL, NULL);
      return;
    }

  check_new_password (errors, password, form_get (form, "confirmPassword"));
  if (errors->len == 0 && ent_password_was_used (user, password))
    g_ptr_array_add (errors, MSG_PASSWORD_REUSED);
  if (errors->len > 0)
    {
      ent_reply_form_error (req, errors, NULL, NULL, NULL);
      return;
    }

  ent_password_set (user, password);
  json_object_set_boolean_member (user, "forceChangePassword", FALSE);
  ent_state_save (req->server);

  location = callback_location (req, form_get (form, "callback"));
  ent_reply_redirect (req, location);
}

gboolean
ent_routes_auth (EntRequest *req)
{
  if (route (req, "GET", "/auth/context"))
    handle_context (req);
  else if (route (req, "GET", "/auth/i18n"))
    handle_i18n (req);
  else if (route (req, "GET", ENT_CHARTER_PATH))
    handle_charter (req);
  else if (route (req, "GET", "/auth/login"))
    reply_login_page (req, NULL, NULL);
  else if (route (req, "POST", "/auth/login"))
    handle_login (req);
  else if (route (req, "GET", "/auth/logout"))
    handle_logout (req);
  else if (route (req, "POST", "/auth/activation/match"))
    handle_activation_match (req);
  else if (route (req, "POST", "/auth/activation"))
    handle_activation (req, TRUE);
  else if (route (req, "POST", "/auth/activation/no-login"))
    handle_activation (req, FALSE);
  else if (route (req, "POST", "/auth/oauth2/token"))
    handle_token (req);
  else if (route (req, "GET", "/auth/oauth2/userinfo"))
    {
      if (ent_require_user (req, FALSE))
        handle_userinfo (req);
    }
  else if (route (req, "GET", "/auth/user/requirements"))
    {
      if (ent_require_user (req, FALSE))
        handle_requirements (req);
    }
  else if (route (req, "PUT", "/auth/cgu/revalidate"))
    {
      if (ent_require_user (req, TRUE))
        handle_cgu_revalidate (req);
    }
  else if (route (req, "POST", "/auth/forgot-id"))
    handle_forgot_id (req);
  else if (route (req, "POST", "/auth/forgot-password"))
    handle_forgot_password (req);
  else if (route (req, "POST", "/auth/reset"))
    handle_reset (req);
  else if (g_str_equal (req->method, "GET") && g_str_has_prefix (req->path, "/auth/reset/") &&
           strchr (req->path + strlen ("/auth/reset/"), '/') == NULL)
    handle_reset_page (req, req->path + strlen ("/auth/reset/"));
  else if (route (req, "POST", "/auth/changePassword"))
    handle_change_password (req);
  else
    return FALSE;

  return TRUE;
}
