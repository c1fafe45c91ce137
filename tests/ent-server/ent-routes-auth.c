/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /auth/…: login, activation, OAuth2, charter, forgotten login/password,
 * password change, as entcore 6.15.4's AuthController answers them — a 302
 * for success, the login page or a 200 JSON body with a translated message
 * for failure. See CONTRACT.md for the file:line of each behaviour. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

/* StringValidation.generateRandomCode(): lower case, no look-alikes. */
#define RESET_CODE_ALPHABET "abcdefghjkmnprstvwxyz3456789"

static gboolean
route (EntRequest *req,
       const char *method,
       const char *path)
{
  return g_str_equal (req->method, method) && g_str_equal (req->path, path);
}

/* A form value, NULL when absent or empty. */
static const char *
form_get (GHashTable *form,
          const char *name)
{
  const char *value = g_hash_table_lookup (form, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* StringUtils.isEmpty / trim().isEmpty(). */
static gboolean
is_blank (const char *value)
{
  if (value == NULL)
    return TRUE;
  for (; *value != '\0'; value++)
    if (!g_ascii_isspace (*value))
      return FALSE;

  return TRUE;
}

/* Where a redirection to a callback goes: an address of this host as is,
 * a path on this host, anything else to the host's root. */
static char *
callback_location (EntRequest *req,
                   const char *callback)
{
  g_autofree char *own = g_strdup_printf ("https://%s", req->host);
  g_autofree char *own_slash = g_strdup_printf ("https://%s/", req->host);

  if (callback != NULL && callback[0] == '/' && callback[1] != '/')
    return ent_absolute_url (req, callback);
  if (callback != NULL && (g_str_equal (callback, own) || g_str_has_prefix (callback, own_slash)))
    return g_strdup (callback);

  return g_steal_pointer (&own);
}

static gboolean
reset_code_is_live (EntServer  *server,
                    JsonObject *user)
{
  return json_object_get_string_member_with_default (user, "resetCode", NULL) != NULL &&
         ent_now (server) - json_object_get_int_member_with_default (user, "resetCodeDate", 0) < ENT_RESET_CODE_SECONDS;
}

/* --- pages ------------------------------------------------------------------ */

/* auth/src/main/resources/view-src/login.html rendered by AuthController
 * .loginResult() (AC:596-612): the error is the translated message, escaped
 * by jmustache, in the body's ng-init; callBack is URL-encoded. */
static void
reply_login_page (EntRequest *req,
                  const char *error_key,
                  const char *callback)
{
  g_autofree char *message = error_key != NULL ? ent_html_escape (ent_translate (req, error_key)) : g_strdup ("");
  g_autofree char *encoded = callback != NULL ? ent_java_url_encode (callback) : g_strdup ("");
  g_autofree char *escaped_callback = ent_html_escape (encoded);
  g_autofree char *html = NULL;

  html = g_strdup_printf (
    "<!doctype html>\n"
    "<!--\n\n -->\n\n"
    "<html>\n"
    "\t<head>\n"
    "\t\t<title>%s</title>\n"
    "\t\t<meta name=\"description\" content=\"%s\">\n"
    "\t\t<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n"
    "\t\t<script type=\"text/javascript\" src=\"/assets/js/entcore/ng-app.js?v=" ENT_VERSION "\" id=\"context\"></script>\n"
    "\t\t<script type=\"text/javascript\" src=\"/auth/public/dist/application.js?v=" ENT_VERSION "\"></script>\n"
    "        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1, maximum-scale=1\" />\n"
    "%s"
    "\t</head>\n"
    "\t<body class=\"login\" ng-controller=\"LoginController\"\n"
    "\t\t  ng-init='error = \"%s\"; callBack = \"%s\"; mainPage = \"\"'>\n"
    "\t\t<default-styles>\n"
    "\t\t\t<div class=\"absolute\">\n"
    "             <div ng-include=\"template.containers.main\"></div>\n"
    "            </div>\n"
    "\t\t</default-styles>\n"
    "\t</body>\n"
    "</html>\n",
    ent_translate (req, "auth.title"), ent_translate (req, "auth.meta.description"),
    req->user == NULL ? "        <script type=\"text/javascript\">var notLoggedIn = true;</script>\n" : "",
    message, escaped_callback);
  ent_reply_html (req, SOUP_STATUS_OK, html);
}

static void
reply_activation_page (EntRequest *req,
                       const char *login,
                       const char *code)
{
  g_autofree char *login_escaped = ent_html_escape (login);
  g_autofree char *code_escaped = ent_html_escape (code);
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

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "callBack");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "cgu");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "passwordRegex");
  json_builder_add_string_value (b, ENT_PASSWORD_REGEX);
  json_builder_set_member_name (b, "mandatory");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mail");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "phone");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  /* The rule in words, one entry per language with a bundle. The test ENT's
   * own text, which matches its regex (entcore's default says 6). */
  json_builder_set_member_name (b, "passwordRegexI18n");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fr");
  json_builder_add_string_value (b, "Le mot de passe doit comporter au moins 8 caractères, dont une lettre "
                                    "minuscule, une lettre majuscule et un chiffre.");
  json_builder_set_member_name (b, "en");
  json_builder_add_string_value (b, "Your password must contain at least 8 characters, with a lower-case "
                                    "letter, a capital letter and a digit.");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "passwordRegexI18nActivation");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fr");
  json_builder_add_string_value (b, "Choisissez un mot de passe d'au moins 8 caractères avec "
                                    "une minuscule, une majuscule et un chiffre.");
  json_builder_set_member_name (b, "en");
  json_builder_add_string_value (b, "Choose a password of at least 8 characters with a lower-case "
                                    "letter, a capital letter and a digit.");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "mfaConfig");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
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

/* DefaultUserAuthAccount.matchActivationCode (UA:280-298): login, code, no
 * password yet, not blocked. */
static gboolean
activation_code_matches (JsonObject *user,
                         const char *code)
{
  return user != NULL && code != NULL && json_object_get_string_member_with_default (user, "passwordHash", NULL) == NULL &&
         !ent_user_get_bool (user, "blocked") &&
         g_strcmp0 (json_object_get_string_member_with_default (user, "activationCode", NULL), code) == 0;
}

/* DefaultUserAuthAccount.matchResetCode (UA:315-331): a code less than 24 h
 * old. */
static gboolean
reset_code_matches (EntServer  *server,
                    JsonObject *user,
                    const char *code)
{
  return user != NULL && code != NULL && reset_code_is_live (server, user) &&
         g_strcmp0 (json_object_get_string_member_with_default (user, "resetCode", NULL), code) == 0;
}

/* OAuthDataHandler.getUserId + checkPassword (OD:155-343), shared by the
 * form login, the password grant and the password change. NULL on success,
 * otherwise the auth.error key; *status is 403 for the two "hijack" cases
 * (activation or reset code as password), 401 otherwise. */
static const char *
get_user_id (EntServer   *server,
             const char  *login,
             const char  *password,
             JsonObject **out_user,
             guint       *status)
{
  JsonObject *user;
  const char *code;

  *out_user = NULL;
  if (status != NULL)
    *status = 401;

  if (is_blank (login) || is_blank (password))
    return "auth.error.authenticationFailed";

  /* The ban comes first: even the right password is refused. */
  if (ent_is_banned (server, login))
    return "auth.error.ban";

  user = ent_state_find_user (server, login);
  if (user == NULL)
    return "auth.error.authenticationFailed";   /* unknown: not counted */
  *out_user = user;

  if (ent_user_get_bool (user, "blockedProfile"))
    {
      ent_record_failure (server, login);
      return "auth.error.blockedProfileType";
    }
  if (ent_user_get_bool (user, "blocked"))
    {
      ent_record_failure (server, login);
      return "auth.error.blockedUser";
    }

  code = json_object_get_string_member_with_default (user, "activationCode", NULL);
  if (code != NULL && g_str_equal (code, password))
    {
      if (status != NULL)
        *status = 403;
      return "auth.error.activation.code";
    }
  if (reset_code_matches (server, user, password))
    {
      if (status != NULL)
        *status = 403;
      return "auth.error.password.reset";
    }

  if (!ent_password_check (user, password))
    {
      ent_record_failure (server, login);
      return "auth.error.authenticationFailed";
    }

  return NULL;
}

/* AuthController.createSession (AC:966-987). */
static void
log_in (EntRequest *req,
        JsonObject *user,
        const char *callback)
{
  EntSession *session = ent_session_new (req->server, ent_user_get_string (user, "id"));
  g_autofree char *location = NULL;
  g_autoptr(GRegex) login_page = g_regex_new ("^https?://[0-9a-zA-Z.\\-_:]+/auth/login/?(\\?.*)?$", 0, 0, NULL);

  ent_set_session_cookies (req, session);
  location = callback_location (req, callback);
  if (g_regex_match (login_page, location, 0, NULL))
    {
      g_autofree char *own = g_strdup_printf ("https://%s", req->host);

      g_free (location);
      location = g_strdup (own);
    }
  ent_reply_redirect (req, location);
}

/* What the harness reads back (GET /__test/last-login): entcore's
 * createSession gives oneSessionId a year's Max-Age only for
 * rememberMe "true" (AuthController.createSession). */
static void
record_remember_me (EntServer  *server,
                    GHashTable *form)
{
  const char *remember_me = g_hash_table_lookup (form, "rememberMe");

  server->last_login_form = remember_me != NULL ? 2 : 1;
  g_strlcpy (server->last_remember_me, remember_me != NULL ? remember_me : "",
             sizeof server->last_remember_me);
}

/* AuthController.loginSubmit (AC:761-809): the password, then the
 * activation code (the activation page), then a reset code (302 to the
 * reset page), else the login page with the password's error. */
static void
handle_login (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *login = g_hash_table_lookup (form, "email");
  const char *password = g_hash_table_lookup (form, "password");
  const char *given_callback = form_get (form, "callBack");
  g_autofree char *callback = NULL;
  JsonObject *user = NULL;
  const char *error;

  record_remember_me (req->server, form);

  /* Without callBack: the configured loginCallback, "https://host". */
  if (given_callback != NULL)
    callback = g_uri_unescape_string (given_callback, NULL);
  if (callback == NULL)
    callback = g_strdup_printf ("https://%s", req->host);

  error = get_user_id (req->server, login, password, &user, NULL);
  if (error == NULL)
    {
      log_in (req, user, callback);
      return;
    }

  user = ent_state_find_user (req->server, login);
  if (activation_code_matches (user, password))
    {
      reply_activation_page (req, login, password);
      return;
    }
  if (reset_code_matches (req->server, user, password))
    {
      /* AC:950: the login as typed, not encoded. */
      g_autofree char *path = g_strdup_printf ("/auth/reset/%s?login=%s", password, login);
      g_autofree char *location = ent_absolute_url (req, path);

      ent_reply_redirect (req, location);
      return;
    }

  reply_login_page (req, error, callback);
}

/* AuthController.logoutCallback (AC:1023-1057): XSRF-TOKEN is left.
 * AuthController.logout (AC:991-1021, the deployment has "slo": true): a
 * federated account's session goes to /auth/saml/slo?callback=<c> ("null"
 * when there is none, as Java's concatenation writes it) and is ended there. */
static void
handle_logout (EntRequest *req)
{
  const char *callback = req->query != NULL ? g_hash_table_lookup (req->query, "callback") : NULL;
  g_autofree char *location = NULL;

  if (req->session != NULL && req->user != NULL && ent_user_get_bool (req->user, "federated") &&
      (req->query == NULL || !g_hash_table_contains (req->query, "SAMLRequest")))
    {
      g_autofree char *path = g_strconcat ("/auth/saml/slo?callback=", callback != NULL ? callback : "null", NULL);

      location = ent_absolute_url (req, path);
      ent_reply_redirect (req, location);
      return;
    }

  location = callback_location (req, callback != NULL ? callback : "/");

  if (req->session != NULL)
    {
      g_hash_table_remove (req->server->sessions, req->session->id);
      req->session = NULL;
      ent_clear_login_cookies (req);
    }

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
      guint status = 401;
      const char *error = get_user_id (req->server, g_hash_table_lookup (form, "username"),
                                       g_hash_table_lookup (form, "password"), &user, &status);
      const char *id;

      if (error != NULL)
        {
          reply_oauth_error (req, status, "access_denied", error);
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
  /* From the session cache (correction 11): forceChangePassword is null
   * unless set; needRevalidateTerms is what it was at login. */
  json_builder_set_member_name (b, "forceChangePassword");
  if (ent_user_get_bool (user, "forceChangePassword"))
    json_builder_add_boolean_value (b, TRUE);
  else
    json_builder_add_null_value (b);
  add_bool (b, "needRevalidateTerms", req->session != NULL ? req->session->terms_at_login
                                                           : ent_user_get_bool (user, "needRevalidateTerms"));
  add_bool (b, "deletePending", FALSE);
  /* The account's flags (issue 15): federated once it came in through
   * EduConnect (AFC:70-79 storeFederated), its IdP (AbstractSSOProvider
   * sets federatedIDP), hasPw false without an ENT password. */
  add_bool (b, "federated", ent_user_get_bool (user, "federated"));
  if (ent_user_get_bool (user, "federated"))
    {
      const char *idp = json_object_get_string_member_with_default (user, "federatedIDP", NULL);

      json_builder_set_member_name (b, "federatedIDP");
      if (idp != NULL)
        json_builder_add_string_value (b, idp);
      else
        json_builder_add_null_value (b);
    }
  add_bool (b, "hasPw", json_object_get_string_member_with_default (user, "passwordHash", NULL) != NULL);
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

static void
handle_requirements (EntRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_bool (b, "forceChangePassword", ent_user_get_bool (req->user, "forceChangePassword"));
  add_bool (b, "needRevalidateTerms", ent_user_get_bool (req->user, "needRevalidateTerms"));
  add_bool (b, "needRevalidateEmail", ent_user_needs_email_validation (req->user));
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
      ent_reply_empty (req, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  ent_reply_json_text (req, SOUP_STATUS_OK,
                       activation_code_matches (ent_state_find_user (req->server, login), code)
                       ? "{\"match\":true}" : "{\"match\":false}");
}

/* PhoneValidation.validateMobileNumber, for French numbers (the test ENT's
 * region): NULL when valid (*normalized: E.164), otherwise the error key. */
static const char *
check_phone (const char *phone,
             char      **normalized)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = phone;
  const char *national;

  *normalized = NULL;
  if (g_str_has_prefix (p, "+33"))
    p += 3;
  else if (g_str_has_prefix (p, "0033"))
    p += 4;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '.' && *p != '-' && *p != '(' && *p != ')')
        return "phone.validation.error.invalid.format";
    }

  national = digits->str[0] == '0' ? digits->str + 1 : digits->str;
  if (digits->len == 0)
    return "phone.validation.error.empty";
  if (strlen (national) != 9 || national[0] == '0')
    return "phone.validation.error.invalid.number";
  if (g_str_has_prefix (national, "89"))
    return "phone.validation.error.premium.blocked";
  if (national[0] != '6' && national[0] != '7')
    return "phone.validation.error.not.mobile";

  *normalized = g_strconcat ("+33", national, NULL);

  return NULL;
}

/* AuthController.activeAccountSubmit (AC:1243-1390). */
static void
handle_activation (EntRequest *req,
                   gboolean    login_after)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *login = g_hash_table_lookup (form, "login");
  const char *code = g_hash_table_lookup (form, "activationCode");
  const char *password = g_hash_table_lookup (form, "password");
  const char *confirm = g_hash_table_lookup (form, "confirmPassword");
  const char *mail = g_hash_table_lookup (form, "mail");
  const char *phone = g_hash_table_lookup (form, "phone");
  g_autofree char *normalized_phone = NULL;
  g_autofree char *location = NULL;
  JsonObject *user;

  /* The charter first and alone, untranslated (AC:1256-1267). */
  if (g_strcmp0 (g_hash_table_lookup (form, "acceptCGU"), "true") != 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, "invalid.cgu");
      json_builder_end_object (b);
      json_builder_set_member_name (b, "cgu");
      json_builder_add_boolean_value (b, TRUE);
      if (code != NULL)
        {
          json_builder_set_member_name (b, "activationCode");
          json_builder_add_string_value (b, code);
        }
      if (login != NULL)
        {
          json_builder_set_member_name (b, "login");
          json_builder_add_string_value (b, login);
        }
      json_builder_end_object (b);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
      return;
    }

  /* Every failed check, in this order (AC:1275-1322). */
  if (is_blank (login))
    g_ptr_array_add (keys, "auth.activation.error.login.missing");
  if (is_blank (code))
    g_ptr_array_add (keys, "auth.activation.error.code.missing");
  if (is_blank (password))
    g_ptr_array_add (keys, "auth.activation.error.password.missing");
  else
    {
      if (g_strcmp0 (password, confirm) != 0)
        g_ptr_array_add (keys, "auth.activation.error.password.mismatch");
      if (!ent_password_is_valid (password))
        g_ptr_array_add (keys, "auth.activation.error.password.format");
    }
  if (is_blank (mail))      /* mandatory.mail is on in this test ENT */
    g_ptr_array_add (keys, "auth.activation.error.email.mandatory");
  else if (!ent_mail_is_valid (mail))
    g_ptr_array_add (keys, "auth.activation.error.email.format");
  else if (ent_mail_is_blocked (req->server, mail))
    g_ptr_array_add (keys, "auth.activation.error.email.blocked");
  if (!is_blank (phone))    /* mandatory.phone is off */
    {
      const char *phone_error = check_phone (phone, &normalized_phone);

      if (phone_error != NULL)
        g_ptr_array_add (keys, (gpointer) phone_error);
    }

  if (keys->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < keys->len; i++)
        {
          if (i > 0)
            g_string_append (text, "<br />");
          g_string_append (text, ent_translate (req, g_ptr_array_index (keys, i)));
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, text->str);
      json_builder_end_object (b);
      if (code != NULL)
        {
          json_builder_set_member_name (b, "activationCode");
          json_builder_add_string_value (b, code);
        }
      if (login != NULL)
        {
          json_builder_set_member_name (b, "login");
          json_builder_add_string_value (b, login);
        }
      json_builder_set_member_name (b, "cgu");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
      return;
    }

  user = ent_state_find_user (req->server, login);
  if (activation_code_matches (user, code))
    {
      /* DefaultUserAuthAccount.activateAccount (UA:143-208). The mail
       * state is not touched: emailState stays null until a PUT. */
      ent_password_set (user, password);
      json_object_set_boolean_member (user, "activated", TRUE);
      json_object_set_null_member (user, "activationCode");
      json_object_set_string_member (user, "email", mail);
      json_object_set_boolean_member (user, "emailValidated", FALSE);
      json_object_set_string_member (user, "mobile", normalized_phone != NULL ? normalized_phone : "");
      json_object_set_boolean_member (user, "needRevalidateTerms", FALSE);
      ent_state_save (req->server);
    }
  else if (user == NULL || json_object_get_string_member_with_default (user, "activationCode", NULL) != NULL ||
           !ent_password_check (user, password))
    {
      /* UA:209-226: already active with this very password succeeds again;
       * anything else is activation.error, translated (AC:1369-1381). */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, ent_translate (req, "activation.error"));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "activationCode");
      json_builder_add_string_value (b, code);
      json_builder_end_object (b);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
      return;
    }

  /* AC:1391-1413: activationAutoLogin (template.j2:44) on /auth/activation. */
  if (!login_after)
    {
      location = ent_absolute_url (req, "/auth/login");
      ent_reply_redirect (req, location);
      return;
    }

  log_in (req, user, NULL);
}

/* --- forgotten login / password ----------------------------------------------- */

/* StringValidation.sanitize(): what firstNameSearchField holds. */
static char *
sanitize (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text != NULL ? text : "", "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

typedef struct
{
  JsonObject *user;
  const char *structure_id;
} ForgotRow;

static void
mail_login (EntRequest *req,
            const char *to,
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

  ent_send_mail (req->server, to, "Votre identifiant ENT", body);
}

static void
add_nullable (JsonBuilder *b,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* AuthController.forgetId (AC:1443-1520) over
 * findByMailAndFirstNameAndStructure (UA:341-356): one row per (account,
 * structure) whose emailSearchField is the mail in lower case. */
static void
handle_forgot_id (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *mail = body != NULL ? json_object_get_string_member_with_default (body, "mail", NULL) : NULL;
  const char *service = body != NULL ? json_object_get_string_member_with_default (body, "service", NULL) : NULL;
  const char *first_name = body != NULL ? json_object_get_string_member_with_default (body, "firstName", NULL) : NULL;
  const char *structure = body != NULL ? json_object_get_string_member_with_default (body, "structureId", NULL) : NULL;
  JsonArray *users = ent_state_users (req->server);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (ForgotRow));
  g_autofree char *mail_lower = NULL;
  g_autofree char *first_sanitized = NULL;
  ForgotRow *match;

  if (is_blank (mail))
    {
      ent_reply_empty (req, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  mail_lower = g_utf8_strdown (mail, -1);
  if (!is_blank (first_name))
    first_sanitized = sanitize (first_name);
  if (is_blank (structure))
    structure = NULL;

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      g_autofree char *email_lower = g_utf8_strdown (ent_user_get_string (user, "email"), -1);
      JsonArray *children = json_object_get_array_member (user, "children");
      g_autoptr(GPtrArray) seen = g_ptr_array_new ();

      if (*email_lower == '\0' || !g_str_equal (email_lower, mail_lower))
        continue;
      if (first_sanitized != NULL)
        {
          g_autofree char *own = sanitize (ent_user_get_string (user, "firstName"));

          if (!g_str_equal (own, first_sanitized))
            continue;
        }

      /* A parent's ProfileGroup is in each of the children's schools. */
      for (guint j = 0; j < json_array_get_length (children); j++)
        {
          JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, j));
          const char *id = ent_user_get_string (child, "structureId");
          ForgotRow row = { user, id };

          if (g_ptr_array_find_with_equal_func (seen, id, g_str_equal, NULL) ||
              (structure != NULL && !g_str_equal (structure, id)))
            continue;
          g_ptr_array_add (seen, (gpointer) id);
          g_array_append_val (rows, row);
        }
    }

  if (rows->len == 0)
    {
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return;
    }

  if (rows->len > 1)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(GPtrArray) listed = g_ptr_array_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "structures");
      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        {
          ForgotRow *row = &g_array_index (rows, ForgotRow, i);
          JsonObject *s = ent_state_find_structure (req->server, row->structure_id);

          if (g_ptr_array_find_with_equal_func (listed, row->structure_id, g_str_equal, NULL))
            continue;
          g_ptr_array_add (listed, (gpointer) row->structure_id);
          json_builder_begin_object (b);
          add_nullable (b, "loginAlias", json_object_get_string_member_with_default (row->user, "loginAlias", NULL));
          add_nullable (b, "activationCode",
                        json_object_get_string_member_with_default (row->user, "activationCode", NULL));
          add_nullable (b, "structureName", json_object_get_string_member_with_default (s, "name", NULL));
          add_nullable (b, "structureId", row->structure_id);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);

      /* Several accounts in one school, once a first name was given: {}. */
      if (first_name != NULL && listed->len == 1)
        {
          g_autoptr(JsonNode) unused = json_builder_get_root (b);

          ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
          return;
        }
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
      return;
    }

  match = &g_array_index (rows, ForgotRow, 0);
  if (json_object_get_string_member_with_default (match->user, "activationCode", NULL) != NULL)
    {
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return;
    }
  if (g_strcmp0 (service, "mail") != 0)
    {
      ent_reply_empty (req, SOUP_STATUS_BAD_REQUEST);   /* no SMS provider here */
      return;
    }

  mail_login (req, mail, match->user);
  ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
}

/* AuthController.forgotPasswordSubmit (AC:1549-1590). */
static void
handle_forgot_password (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *login = body != NULL ? json_object_get_string_member_with_default (body, "login", NULL) : NULL;
  const char *service = body != NULL ? json_object_get_string_member_with_default (body, "service", NULL) : NULL;
  JsonObject *user;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;

  if (is_blank (login) || is_blank (service))
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.login");
      return;
    }

  user = ent_state_find_user (req->server, login);
  if (user == NULL || json_object_get_string_member_with_default (user, "activationCode", NULL) != NULL ||
      *ent_user_get_string (user, "email") == '\0')
    {
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return;
    }
  if (!g_str_equal (service, "mail"))
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "invalid.service");
      return;
    }

  code = ent_random_code (RESET_CODE_ALPHABET, 8);
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

/* AuthController.resetPasswordView (AC:1753-1777): the change-password
 * pages for a session, the reset page otherwise. */
static void
handle_reset_page (EntRequest *req,
                   const char *code)
{
  const char *login = req->query != NULL ? g_hash_table_lookup (req->query, "login") : NULL;
  const char *callback = req->query != NULL ? g_hash_table_lookup (req->query, "callback") : NULL;
  g_autofree char *html = NULL;

  if (req->user != NULL && (g_str_equal (code, "password") || g_str_equal (code, "forceChangePassword")))
    {
      gboolean force = g_str_equal (code, "forceChangePassword");
      g_autofree char *login_escaped = ent_html_escape (ent_user_get_string (req->user, "login"));
      g_autofree char *callback_escaped = ent_html_escape (force ? (callback != NULL ? callback : "/")
                                                                 : "/userbook/mon-compte");

      html = g_strdup_printf (
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
        "  <meta charset=\"utf-8\">\n  <title>%s</title>\n</head>\n<body>\n"
        "  <form method=\"post\" action=\"%s\">\n"
        "    <input type=\"hidden\" name=\"login\" value=\"%s\">\n"
        "    <input type=\"hidden\" name=\"callback\" value=\"%s\">\n"
        "%s"
        "    <input name=\"oldPassword\" type=\"password\">\n"
        "    <input name=\"password\" type=\"password\">\n"
        "    <input name=\"confirmPassword\" type=\"password\">\n"
        "  </form>\n</body>\n</html>\n",
        force ? "forceChangePassword" : "changePassword",
        force ? "/auth/reset" : "/auth/changePassword",
        login_escaped, callback_escaped,
        force ? "    <input type=\"hidden\" name=\"forceChange\" value=\"force\">\n" : "");
    }
  else
    {
      g_autofree char *code_escaped = ent_html_escape (code);
      g_autofree char *login_escaped = ent_html_escape (login != NULL ? login : "");

      html = g_strdup_printf (
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
        "  <meta charset=\"utf-8\">\n  <title>reset</title>\n</head>\n<body>\n"
        "  <form method=\"post\" action=\"/auth/reset\">\n"
        "    <input type=\"hidden\" name=\"resetCode\" value=\"%s\">\n"
        "    <input name=\"login\" type=\"text\" value=\"%s\">\n"
        "    <input name=\"password\" type=\"password\">\n"
        "    <input name=\"confirmPassword\" type=\"password\">\n"
        "  </form>\n</body>\n</html>\n", code_escaped, login_escaped);
    }

  ent_reply_html (req, SOUP_STATUS_OK, html);
}

/* AuthController.resetPasswordMatch (AC:1216-1231). */
static void
handle_reset_match (EntRequest *req)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);
  const char *login = body != NULL ? json_object_get_string_member_with_default (body, "login", NULL) : NULL;
  const char *code = body != NULL ? json_object_get_string_member_with_default (body, "password", NULL) : NULL;

  if (body == NULL)
    {
      ent_reply_empty (req, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  ent_reply_json_text (req, SOUP_STATUS_OK,
                       reset_code_matches (req->server, ent_state_find_user (req->server, login), code)
                       ? "{\"match\":true}" : "{\"match\":false}");
}

static void
reply_reset_error (EntRequest *req,
                   const char *key,
                   const char *reset_code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, ent_translate (req, key));
  json_builder_end_object (b);
  if (reset_code != NULL)
    {
      json_builder_set_member_name (b, "resetCode");
      json_builder_add_string_value (b, reset_code);
    }
  json_builder_end_object (b);
  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* AuthController.changePassword (AC:1790-1893), behind both POST
 * /auth/changePassword (secured) and POST /auth/reset (public). */
static void
handle_change_password (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *login = g_hash_table_lookup (form, "login");
  const char *reset_code = g_hash_table_lookup (form, "resetCode");
  const char *old_password = g_hash_table_lookup (form, "oldPassword");
  const char *password = g_hash_table_lookup (form, "password");
  const char *confirm = g_hash_table_lookup (form, "confirmPassword");
  const char *callback = form_get (form, "callback");
  gboolean forced = g_strcmp0 (g_hash_table_lookup (form, "forceChange"), "force") == 0;
  JsonObject *user = NULL;
  const char *id;
  g_autofree char *location = NULL;

  if (callback == NULL)
    callback = "/auth/login";

  /* Every form problem is the same message (AC:1801-1813). */
  if (login == NULL ||
      (is_blank (reset_code) && (is_blank (old_password) || g_str_equal (old_password, password != NULL ? password : ""))) ||
      password == NULL || is_blank (login) || is_blank (password) ||
      g_strcmp0 (password, confirm) != 0 || !ent_password_is_valid (password))
    {
      reply_reset_error (req, "auth.reset.invalid.argument", reset_code);
      return;
    }

  /* getUserId() counts a wrong old password toward the ban, and refuses a
   * banned login whatever the password. */
  if (get_user_id (req->server, login, old_password, &user, NULL) != NULL)
    user = NULL;

  if (!is_blank (reset_code))
    {
      /* resetPassword (UA:641-670): login, live code, then the history. */
      user = ent_state_find_user (req->server, login);
      if (!reset_code_matches (req->server, user, reset_code) || ent_password_was_used (user, password))
        {
          reply_reset_error (req, "reset.error", reset_code);
          return;
        }
      json_object_set_null_member (user, "resetCode");
      json_object_set_int_member (user, "resetCodeDate", 0);
    }
  else if (user == NULL || ent_password_was_used (user, password))
    {
      /* changePassword (UA:720-745) and updatePassword (UA:1021-1062):
       * wrong old password, ban, reused password — one message. */
      reply_reset_error (req, "reset.error", NULL);
      return;
    }

  ent_password_set (user, password);
  json_object_set_boolean_member (user, "forceChangePassword", FALSE);
  ent_state_save (req->server);

  /* AC:1841-1856: the other sessions end (all of them when forced); the
   * login cookies go when there was no session cookie or when forced. */
  id = ent_user_get_string (user, "id");
  if (forced && req->session != NULL && g_strcmp0 (req->session->user_id, id) == 0)
    req->session = NULL;   /* about to be freed */
  ent_sessions_drop_user (req->server, id, forced ? NULL : req->session);
  if (req->cookie_session_id == NULL || forced)
    ent_clear_login_cookies (req);

  location = forced ? ent_absolute_url (req, "/auth/login") : callback_location (req, callback);
  ent_reply_redirect (req, location);
}

/* --- dispatch --------------------------------------------------------------- */

gboolean
ent_routes_auth (EntRequest *req)
{
  if (route (req, "GET", "/auth/context"))
    handle_context (req);
  else if (route (req, "GET", "/auth/i18n"))
    ent_handle_i18n (req);
  else if (route (req, "GET", ENT_CHARTER_PATH))
    handle_charter (req);
  else if (route (req, "GET", "/auth/login"))
    {
      const char *callback = req->query != NULL ? g_hash_table_lookup (req->query, "callback") : NULL;

      reply_login_page (req, NULL, callback);
    }
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
      if (ent_require_user (req))
        handle_userinfo (req);
    }
  else if (route (req, "GET", "/auth/user/requirements"))
    {
      if (ent_require_user (req))
        handle_requirements (req);
    }
  else if (route (req, "PUT", "/auth/cgu/revalidate"))
    {
      if (ent_require_user (req))
        handle_cgu_revalidate (req);
    }
  else if (route (req, "POST", "/auth/forgot-id"))
    handle_forgot_id (req);
  else if (route (req, "POST", "/auth/forgot-password"))
    handle_forgot_password (req);
  else if (route (req, "POST", "/auth/reset/match"))
    handle_reset_match (req);
  else if (route (req, "POST", "/auth/reset"))
    handle_change_password (req);
  else if (g_str_equal (req->method, "GET") && g_str_has_prefix (req->path, "/auth/reset/") &&
           req->path[strlen ("/auth/reset/")] != '\0' &&
           strchr (req->path + strlen ("/auth/reset/"), '/') == NULL)
    handle_reset_page (req, req->path + strlen ("/auth/reset/"));
  else if (route (req, "POST", "/auth/changePassword"))
    {
      if (ent_require_user (req))
        handle_change_password (req);
    }
  else
    return FALSE;

  return TRUE;
}
