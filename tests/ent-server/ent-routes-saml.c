/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /auth/saml/…: the EduConnect side of the ENT, as entcore 6.15.4's
 * SamlController (SC) and AbstractFederateController (AFC) answer a
 * browser: the wayf page, the authn redirection to the identity provider
 * with its signed relaystate/callback cookies, the acs that opens the
 * session (or shows the account picker), selectUser, and slo. The SAML
 * messages themselves are stand-ins (HMAC-signed JSON, see CONTRACT.md
 * "EduConnect (SAML)"); the routes, redirections, cookies and forms are
 * entcore's. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

#define PROVIDER        "educonnect"
/* CookieHelper.setSigned(…, 900, request): SC:270-274. */
#define STATE_COOKIE_SECONDS 900

/* --- tokens and signatures ---------------------------------------------------- */

char *
ent_hmac (EntServer  *server,
          const char *text)
{
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) server->saml_key,
                                    strlen (server->saml_key), text, -1);
}

char *
ent_saml_sign (EntServer *server,
               JsonNode  *payload)
{
  g_autofree char *json = json_to_string (payload, FALSE);
  g_autofree char *signature = ent_hmac (server, json);
  g_autofree char *text = g_strconcat (json, "\n", signature, NULL);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

JsonObject *
ent_saml_verify (EntServer   *server,
                 const char  *token,
                 JsonNode   **out_node)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  gsize length = 0;
  char *newline;

  *out_node = NULL;
  if (token == NULL || *token == '\0')
    return NULL;

  decoded = g_base64_decode (token, &length);
  text = g_strndup ((const char *) decoded, length);
  newline = strrchr (text, '\n');
  if (newline == NULL)
    return NULL;
  *newline = '\0';
  expected = ent_hmac (server, text);
  if (!g_str_equal (expected, newline + 1))
    return NULL;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  *out_node = json_node_ref (json_parser_get_root (parser));

  return json_node_get_object (*out_node);
}

char *
ent_request_cookie (EntRequest *req,
                    const char *name)
{
  const char *header = ent_request_header (req, "Cookie");
  GHashTable *cookies;
  char *value;

  if (header == NULL)
    return NULL;

  cookies = soup_header_parse_semi_param_list (header);
  value = g_strdup (g_hash_table_lookup (cookies, name));
  soup_header_free_param_list (cookies);

  return value;
}

/* CookieHelper.setSigned: "value:signature" (the signature covers the
 * name, the path and the value). The test ENT URL-escapes the value so that
 * a callback's characters stay one cookie value. */
static void
set_signed_cookie (EntRequest *req,
                   const char *name,
                   const char *value,
                   int         max_age)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
  g_autofree char *signed_text = g_strconcat (name, "/", escaped, NULL);
  g_autofree char *signature = ent_hmac (req->server, signed_text);
  g_autofree char *cookie = NULL;

  if (*value == '\0')
    cookie = g_strdup_printf ("%s=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure", name);
  else
    cookie = g_strdup_printf ("%s=%s:%s; Max-Age=%d; Path=/; Secure", name, escaped, signature, max_age);
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie", cookie);
}

/* CookieHelper.getSigned: the value when the signature matches, else NULL. */
static char *
get_signed_cookie (EntRequest *req,
                   const char *name)
{
  g_autofree char *cookie = ent_request_cookie (req, name);
  g_autofree char *signed_text = NULL;
  g_autofree char *expected = NULL;
  char *colon;

  if (cookie == NULL || (colon = strrchr (cookie, ':')) == NULL)
    return NULL;
  *colon = '\0';
  signed_text = g_strconcat (name, "/", cookie, NULL);
  expected = ent_hmac (req->server, signed_text);
  if (!g_str_equal (expected, colon + 1))
    return NULL;

  return g_uri_unescape_string (cookie, NULL);
}

char *
ent_saml_callback_location (EntRequest *req,
                            const char *callback)
{
  g_autofree char *own = g_strdup_printf ("https://%s", req->host);
  g_autofree char *own_slash = g_strdup_printf ("https://%s/", req->host);

  if (callback != NULL && callback[0] == '/' && callback[1] != '/')
    return ent_absolute_url (req, callback);
  if (callback != NULL && (g_str_equal (callback, own) || g_str_has_prefix (callback, own_slash)))
    return g_strdup (callback);

  return g_steal_pointer (&own_slash);
}

static void
redirect_to_path (EntRequest *req,
                  const char *path)
{
  g_autofree char *location = ent_absolute_url (req, path);

  ent_reply_redirect (req, location);
}

/* --- wayf -------------------------------------------------------------------- */

/* SC:143-250 and view-src/wayf.html: one link a provider; "login…"
 * providers go to /auth/login, the others to /auth/saml/authn/<name>; a
 * callBack is added, URLEncoder-encoded, to each link. Test ENT: the
 * provider names are written in French in the page (entcore's are <i18n>
 * keys of the theme), and the links keep the port (entcore rebuilds them
 * from the acs URI's scheme and host). */
static void
handle_wayf (EntRequest *req)
{
  const char *callback = req->query != NULL ? g_hash_table_lookup (req->query, "callBack") : NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *authn = NULL;
  g_autofree char *login = NULL;
  g_autofree char *title = ent_html_escape (ent_translate (req, "auth.title"));
  g_autofree char *html = NULL;

  if (callback != NULL && *callback != '\0')
    {
      g_autofree char *encoded = ent_java_url_encode (callback);

      suffix = g_strconcat ("?callBack=", encoded, NULL);
    }
  authn = g_strdup_printf ("https://%s/auth/saml/authn/" PROVIDER "%s", req->host, suffix != NULL ? suffix : "");
  login = g_strdup_printf ("https://%s/auth/login%s", req->host, suffix != NULL ? suffix : "");
  {
    g_autofree char *authn_html = ent_html_escape (authn);
    g_autofree char *login_html = ent_html_escape (login);

    html = g_strdup_printf (
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
      "\t<title>%s</title>\n"
      "\t<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n"
      "\t<script type=\"text/javascript\">var notLoggedIn = true;</script>\n"
      "</head>\n<body class=\"wayf\">\n"
      "\t<section id=\"credentials-content\">\n"
      "\t\t<h2 class=\"row vertical-spacing\">Vous souhaitez vous connecter en tant que ...</h2>\n"
      "\t\t<section class=\"dominos\">\n"
      "\t\t\t<div class=\"item\">\n"
      "\t\t\t\t<a class=\"centered-text domino " PROVIDER "\" href=\"%s\">"
      "<div style=\"margin: 20px;\">Élève ou parent (ÉduConnect)</div></a>\n"
      "\t\t\t</div>\n"
      "\t\t\t<div class=\"item\">\n"
      "\t\t\t\t<a class=\"centered-text domino login\" href=\"%s\">"
      "<div style=\"margin: 20px;\">Autres utilisateurs</div></a>\n"
      "\t\t\t</div>\n"
      "\t\t</section>\n"
      "\t</section>\n"
      "</body>\n</html>\n",
      title, authn_html, login_html);
  }

  ent_reply_html (req, SOUP_STATUS_OK, html);
}

/* --- authn ------------------------------------------------------------------- */

/* SC:252-285: the AuthnRequest (here a signed stand-in), the signed
 * relaystate cookie (900 s), the callBack in a signed cookie, and a 302 to
 * the identity provider. Unknown provider: 403 invalid.provider. */
static void
handle_authn (EntRequest *req,
              const char *provider)
{
  const char *callback = req->query != NULL ? g_hash_table_lookup (req->query, "callBack") : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *request_id = NULL;
  g_autofree char *relay_state = NULL;
  g_autofree char *acs = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_escaped = NULL;
  g_autofree char *location = NULL;

  if (!g_str_equal (provider, PROVIDER))
    {
      ent_reply_error (req, SOUP_STATUS_FORBIDDEN, "invalid.provider");
      return;
    }

  {
    g_autofree char *random = ent_random_code ("0123456789abcdef", 32);

    request_id = g_strconcat ("_", random, NULL);
  }
  relay_state = ent_random_code ("0123456789abcdef", 32);
  acs = ent_absolute_url (req, "/auth/saml/acs");
  issuer = ent_absolute_url (req, "/auth/saml/metadata");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "AuthnRequest");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, request_id);
  json_builder_set_member_name (b, "issuer");
  json_builder_add_string_value (b, issuer);
  json_builder_set_member_name (b, "assertionConsumerServiceURL");
  json_builder_add_string_value (b, acs);
  json_builder_set_member_name (b, "issueInstant");
  json_builder_add_int_value (b, ent_now (req->server));
  json_builder_end_object (b);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (b);

    token = ent_saml_sign (req->server, root);
  }
  token_escaped = g_uri_escape_string (token, NULL, FALSE);

  set_signed_cookie (req, "relaystate", relay_state, STATE_COOKIE_SECONDS);
  if (callback != NULL && *callback != '\0')
    set_signed_cookie (req, "callback", callback, STATE_COOKIE_SECONDS);

  location = g_strdup_printf ("%s" ENT_IDP_SSO_PATH "?SAMLRequest=%s&RelayState=%s",
                              req->server->idp_url, token_escaped, relay_state);
  ent_reply_redirect (req, location);
}

/* --- the session ---------------------------------------------------------------- */

/* AFC:53-122: the account is marked federated (storeFederated), a session
 * made with the assertion's NameID and SessionIndex, the three cookies set
 * (oneSessionId, authenticated, a fresh XSRF-TOKEN), and a 302 to the
 * callback cookie's address (that cookie cleared), else to "/". */
static void
open_federated_session (EntRequest *req,
                        JsonObject *user,
                        const char *name_id,
                        const char *session_index)
{
  EntSession *session;
  g_autofree char *callback = get_signed_cookie (req, "callback");
  g_autofree char *location = NULL;

  if (ent_user_get_bool (user, "blocked") || !ent_user_get_bool (user, "activated"))
    {
      redirect_to_path (req, "/auth/login");
      return;
    }

  json_object_set_boolean_member (user, "federated", TRUE);
  session = ent_session_new (req->server, ent_user_get_string (user, "id"));
  session->name_id = g_strdup (name_id);
  session->session_index = g_strdup (session_index);
  ent_set_session_cookies (req, session);
  ent_state_save (req->server);

  if (callback != NULL && *callback != '\0')
    {
      set_signed_cookie (req, "callback", "", 0);
      location = ent_saml_callback_location (req, callback);
    }
  else
    location = ent_absolute_url (req, "/");
  ent_reply_redirect (req, location);
}

/* selectUser's key: HmacSha1.sign(sessionIndex + nameId + login + id,
 * signKey) (SC:838-840; SamlHelper.getUsersWithSignatures). */
static char *
user_key (EntServer  *server,
          const char *session_index,
          const char *name_id,
          const char *login,
          const char *id)
{
  g_autofree char *text = g_strconcat (session_index, name_id, login, id, NULL);

  return ent_hmac (server, text);
}

static void
add_hidden (GString    *html,
            const char *name,
            const char *value)
{
  g_autofree char *escaped = ent_html_escape (value != NULL ? value : "");

  g_string_append_printf (html, "\t\t\t\t<input type=\"hidden\" name=\"%s\" value=\"%s\" />\n", name, escaped);
}

/* view-src/selectFederatedUser.html, rendered (SC:745-753): one form per
 * account, the school's name as its label. Test ENT: the texts written in
 * French (FR:84 connect.federated.user, FR:114 federated.users.title). */
static void
reply_select_user (EntRequest *req,
                   GPtrArray  *users,
                   const char *name_id,
                   const char *session_index)
{
  g_autoptr(GString) html = g_string_new (NULL);

  g_string_append (html,
                   "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
                   "\t<title>Choix du compte</title>\n"
                   "\t<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n"
                   "\t<script type=\"text/javascript\">var notLoggedIn = true;</script>\n"
                   "</head>\n<body>\n"
                   "\t<h1>Choisissez le compte pour vous connecter : </h1>\n"
                   "\t<section id=\"credentials-content\">\n");
  for (guint i = 0; i < users->len; i++)
    {
      JsonObject *user = g_ptr_array_index (users, i);
      JsonArray *children = json_object_get_array_member (user, "children");
      const char *structure_name = "";
      g_autofree char *key = user_key (req->server, session_index, name_id,
                                       ent_user_get_string (user, "login"), ent_user_get_string (user, "id"));
      g_autofree char *label = NULL;

      if (json_array_get_length (children) > 0)
        {
          JsonObject *child = ent_state_find_child (req->server, json_array_get_string_element (children, 0));
          JsonObject *structure = ent_state_find_structure (req->server, ent_user_get_string (child, "structureId"));

          structure_name = ent_user_get_string (structure, "name");
        }
      label = ent_html_escape (structure_name);

      g_string_append (html, "\t\t\t<form method=\"POST\" action=\"/auth/saml/selectUser\">\n");
      add_hidden (html, "id", ent_user_get_string (user, "id"));
      add_hidden (html, "login", ent_user_get_string (user, "login"));
      add_hidden (html, "activationCode", NULL);
      add_hidden (html, "email", ent_user_get_string (user, "email"));
      add_hidden (html, "mobile", ent_user_get_string (user, "mobile"));
      add_hidden (html, "nameId", name_id);
      add_hidden (html, "source", "AAF1D");
      add_hidden (html, "sessionIndex", session_index);
      add_hidden (html, "key", key);
      g_string_append_printf (html,
                              "\t\t\t\t<div class=\" row\">\n"
                              "\t\t\t\t\t<label class=\"three cell\">%s</label>\n",
                              label);
      if (ent_user_get_bool (user, "blocked"))
        g_string_append_printf (html, "\t\t\t\t\t<label class=\"right-magnet\">%s</label>\n",
                                ent_translate (req, "auth.error.blockedUser"));
      else
        g_string_append (html, "\t\t\t\t\t<button class=\"right-magnet\" style=\"margin-bottom:5px;\">Se connecter</button>\n");
      g_string_append (html, "\t\t\t\t</div>\n\t\t\t</form>\n");
    }
  g_string_append (html, "\t</section>\n</body>\n</html>\n");

  ent_reply_html (req, SOUP_STATUS_OK, html->str);
}

/* --- acs ---------------------------------------------------------------------- */

/* SC:615-764, 883-907: the relaystate cookie must equal the posted
 * RelayState (403 invalid_state), SAMLResponse must be there (400), the
 * assertion valid (else 302 /auth/login); its identity's accounts: none or
 * blocked → /auth/login (federated-authenticate-error off), one → the
 * session, several → the picker. A password session of the same account
 * is kept (302 "/"). */
static void
handle_acs (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *relay_state = g_hash_table_lookup (form, "RelayState");
  const char *response = g_hash_table_lookup (form, "SAMLResponse");
  g_autofree char *state = get_signed_cookie (req, "relaystate");
  g_autofree char *destination = ent_absolute_url (req, "/auth/saml/acs");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new ();
  JsonObject *assertion;
  JsonObject *identity;
  JsonArray *ids;
  const char *name_id;
  const char *session_index;
  const char *issuer;

  if (state == NULL || g_strcmp0 (state, relay_state) != 0)
    {
      ent_reply_error (req, SOUP_STATUS_FORBIDDEN, "invalid_state");
      return;
    }
  if (response == NULL || *response == '\0')
    {
      ent_reply_empty (req, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  assertion = ent_saml_verify (req->server, response, &node);
  if (assertion == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (assertion, "type", NULL), "Assertion") != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (assertion, "destination", NULL), destination) != 0 ||
      json_object_get_int_member_with_default (assertion, "notOnOrAfter", 0) <= ent_now (req->server))
    {
      redirect_to_path (req, "/auth/login");
      return;
    }

  name_id = json_object_get_string_member_with_default (assertion, "nameId", NULL);
  session_index = json_object_get_string_member_with_default (assertion, "sessionIndex", NULL);
  issuer = json_object_get_string_member_with_default (assertion, "issuer", "");
  identity = ent_state_find_identity (req->server,
                                      json_object_get_string_member_with_default (assertion, "identity", NULL));
  if (name_id == NULL || *name_id == '\0' || session_index == NULL || *session_index == '\0' || identity == NULL)
    {
      redirect_to_path (req, "/auth/login");
      return;
    }

  ids = json_object_get_array_member (identity, "users");
  for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
    {
      JsonObject *user = ent_state_find_user_by_id (req->server, json_array_get_string_element (ids, i));

      if (user != NULL)
        {
          /* AbstractSSOProvider: federatedIDP set on the matched accounts. */
          json_object_set_string_member (user, "federatedIDP", issuer);
          g_ptr_array_add (users, user);
        }
    }

  if (users->len == 0 ||
      (users->len == 1 && ent_user_get_bool (g_ptr_array_index (users, 0), "blocked")))
    {
      redirect_to_path (req, "/auth/login");
      return;
    }

  if (users->len > 1)
    {
      reply_select_user (req, users, name_id, session_index);
      return;
    }

  /* SC:688-703: already in through the ENT's own login, same account. */
  if (req->session != NULL && req->session->name_id == NULL &&
      g_strcmp0 (req->session->user_id, ent_user_get_string (g_ptr_array_index (users, 0), "id")) == 0)
    {
      redirect_to_path (req, "/");
      return;
    }

  open_federated_session (req, g_ptr_array_index (users, 0), name_id, session_index);
}

/* SC:827-865: the picker's form, its key checked; else /auth/login. */
static void
handle_select_user (EntRequest *req)
{
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *id = g_hash_table_lookup (form, "id");
  const char *login = g_hash_table_lookup (form, "login");
  const char *name_id = g_hash_table_lookup (form, "nameId");
  const char *session_index = g_hash_table_lookup (form, "sessionIndex");
  const char *key = g_hash_table_lookup (form, "key");
  g_autofree char *nameid_clean = NULL;
  g_autofree char *expected = NULL;
  JsonObject *user;

  if (id == NULL || login == NULL || name_id == NULL || session_index == NULL || key == NULL)
    {
      redirect_to_path (req, "/auth/login");
      return;
    }

  {
    g_auto(GStrv) parts = g_strsplit (name_id, "\r", -1);

    nameid_clean = g_strjoinv ("", parts);
  }
  expected = user_key (req->server, session_index, nameid_clean, login, id);
  user = ent_state_find_user_by_id (req->server, id);
  if (!g_str_equal (expected, key) || user == NULL || !g_str_equal (ent_user_get_string (user, "login"), login))
    {
      redirect_to_path (req, "/auth/login");
      return;
    }

  open_federated_session (req, user, nameid_clean, session_index);
}

/* --- slo ---------------------------------------------------------------------- */

/* AFC:148-173 and SC:766-825 (soft-slo off): a federated session is
 * deleted, oneSessionId and authenticated cleared, and the browser sent to
 * the identity provider's logout with a LogoutRequest (stand-in) naming the
 * NameID and SessionIndex; otherwise AuthController.logoutCallback with no
 * callback (the session, if any, ends; 302 to the configured "/"). The
 * callback parameter is ignored (AFC:149-150). */
static void
handle_slo (EntRequest *req)
{
  EntSession *session = req->session;
  JsonObject *user = session != NULL ? ent_state_find_user_by_id (req->server, session->user_id) : NULL;
  g_autofree char *name_id = NULL;
  g_autofree char *session_index = NULL;

  if (session != NULL)
    {
      name_id = g_strdup (session->name_id);
      session_index = g_strdup (session->session_index);
      g_hash_table_remove (req->server->sessions, session->id);
      req->session = NULL;
      ent_clear_login_cookies (req);
    }

  if (user != NULL && ent_user_get_bool (user, "federated") && name_id != NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *issuer = ent_absolute_url (req, "/auth/saml/metadata");
      g_autofree char *token = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *location = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "LogoutRequest");
      json_builder_set_member_name (b, "issuer");
      json_builder_add_string_value (b, issuer);
      json_builder_set_member_name (b, "nameId");
      json_builder_add_string_value (b, name_id);
      json_builder_set_member_name (b, "sessionIndex");
      json_builder_add_string_value (b, session_index);
      json_builder_set_member_name (b, "issueInstant");
      json_builder_add_int_value (b, ent_now (req->server));
      json_builder_end_object (b);
      {
        g_autoptr(JsonNode) root = json_builder_get_root (b);

        token = ent_saml_sign (req->server, root);
      }
      escaped = g_uri_escape_string (token, NULL, FALSE);
      location = g_strdup_printf ("%s" ENT_IDP_SLO_PATH "?SAMLRequest=%s", req->server->idp_url, escaped);
      ent_reply_redirect (req, location);
      return;
    }

  redirect_to_path (req, "/");
}

/* --- dispatch ------------------------------------------------------------------ */

gboolean
ent_routes_saml (EntRequest *req)
{
  const char *authn = "/auth/saml/authn/";

  if (g_str_equal (req->method, "GET") && g_str_equal (req->path, "/auth/saml/wayf"))
    handle_wayf (req);
  else if (g_str_equal (req->method, "GET") && g_str_has_prefix (req->path, authn) &&
           req->path[strlen (authn)] != '\0' && strchr (req->path + strlen (authn), '/') == NULL)
    handle_authn (req, req->path + strlen (authn));
  else if (g_str_equal (req->method, "POST") && g_str_equal (req->path, "/auth/saml/acs"))
    handle_acs (req);
  else if (g_str_equal (req->method, "POST") && g_str_equal (req->path, "/auth/saml/selectUser"))
    handle_select_user (req);
  else if (g_str_equal (req->method, "GET") && g_str_equal (req->path, "/auth/saml/slo"))
    handle_slo (req);
  else
    return FALSE;

  return TRUE;
}
