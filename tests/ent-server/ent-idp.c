/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stand-in EduConnect identity provider, on its own loopback port of the
 * test ENT's process, HTTPS with the same certificate. What a browser sees
 * of a Shibboleth IdP such as EduConnect: the SSO endpoint shows a login
 * form (EduConnect's field ids: username, password, bouton_valider), keeps
 * its own session cookie (a second authentication is silent), answers an
 * auto-submitting form that POSTs SAMLResponse and RelayState to the ENT's
 * acs; the SLO endpoint ends its session. The messages are HMAC-signed JSON
 * stand-ins, not signed SAML XML (CONTRACT.md "EduConnect (SAML)"). */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

void
ent_idp_session_free (gpointer data)
{
  EntIdpSession *session = data;

  g_free (session->id);
  g_free (session->identity);
  g_free (session->session_index);
  g_free (session);
}

void
ent_idp_flow_free (gpointer data)
{
  EntIdpFlow *flow = data;

  g_free (flow->id);
  g_free (flow->request_id);
  g_free (flow->relay_state);
  g_free (flow);
}

static const char page_head[] =
  "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
  "\t<meta charset=\"utf-8\">\n"
  "\t<title>%s</title>\n"
  "</head>\n";

static void
reply_page (EntRequest *req,
            guint       status,
            const char *title,
            const char *body)
{
  g_autofree char *head = g_strdup_printf (page_head, title);
  g_autofree char *html = g_strconcat (head, body, "</html>\n", NULL);

  ent_reply_html (req, status, html);
}

/* The login page: EduConnect's ids (#username, #password, #bouton_valider). */
static void
reply_login_form (EntRequest *req,
                  EntIdpFlow *flow,
                  const char *username,
                  gboolean    failed)
{
  g_autofree char *user_html = ent_html_escape (username != NULL ? username : "");
  g_autofree char *body = g_strdup_printf (
    "<body>\n"
    "\t<main>\n"
    "\t\t<h1>ÉduConnect</h1>\n"
    "\t\t<p>Un compte unique pour suivre et accompagner la scolarité de mes enfants.</p>\n"
    "%s"
    "\t\t<form id=\"form\" method=\"post\" action=\"" ENT_IDP_SSO_PATH "?execution=%s\">\n"
    "\t\t\t<label for=\"username\">Identifiant</label>\n"
    "\t\t\t<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"%s\">\n"
    "\t\t\t<label for=\"password\">Mot de passe</label>\n"
    "\t\t\t<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">\n"
    "\t\t\t<button id=\"bouton_valider\" type=\"submit\" name=\"_eventId_proceed\">Se connecter</button>\n"
    "\t\t</form>\n"
    "\t</main>\n"
    "</body>\n",
    failed ? "\t\t<p id=\"erreur\" role=\"alert\">Identifiant ou mot de passe incorrect.</p>\n" : "",
    flow->id, user_html);

  reply_page (req, SOUP_STATUS_OK, "ÉduConnect - Connexion", body);
}

/* The assertion, and entcore's fed.html shape of an auto-submitting form. */
static void
reply_assertion (EntRequest    *req,
                 EntIdpSession *session,
                 const char    *request_id,
                 const char    *acs,
                 const char    *relay_state)
{
  EntServer *server = req->server;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *issuer = g_strconcat (server->idp_url, "/idp", NULL);
  g_autofree char *persistent = NULL;
  g_autofree char *name_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_html = NULL;
  g_autofree char *acs_html = ent_html_escape (acs);
  g_autofree char *relay_html = ent_html_escape (relay_state != NULL ? relay_state : "");
  g_autofree char *body = NULL;

  /* A persistent, opaque NameID for the identity (as a Shibboleth
   * persistent-id), in the marshalled form entcore keeps with the session. */
  {
    g_autofree char *text = g_strconcat ("nameid/", session->identity, NULL);
    g_autofree char *digest = ent_hmac (server, text);

    persistent = g_strndup (digest, 40);
  }
  name_id = g_strdup_printf ("<saml2:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\" "
                             "NameQualifier=\"%s\">%s</saml2:NameID>", issuer, persistent);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Assertion");
  json_builder_set_member_name (b, "issuer");
  json_builder_add_string_value (b, issuer);
  json_builder_set_member_name (b, "destination");
  json_builder_add_string_value (b, acs);
  json_builder_set_member_name (b, "inResponseTo");
  json_builder_add_string_value (b, request_id);
  json_builder_set_member_name (b, "nameId");
  json_builder_add_string_value (b, name_id);
  json_builder_set_member_name (b, "sessionIndex");
  json_builder_add_string_value (b, session->session_index);
  json_builder_set_member_name (b, "identity");
  json_builder_add_string_value (b, session->identity);
  json_builder_set_member_name (b, "notOnOrAfter");
  json_builder_add_int_value (b, ent_now (server) + ENT_SAML_ASSERTION_SECONDS);
  json_builder_end_object (b);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (b);

    token = ent_saml_sign (server, root);
  }
  token_html = ent_html_escape (token);

  body = g_strdup_printf (
    "<body onload=\"document.forms[0].submit()\">\n"
    "\t<p>Veuillez patienter, vous allez être redirigé vers l'application demandée.</p>\n"
    "\t<form method=\"POST\" action=\"%s\">\n"
    "\t\t<input type=\"hidden\" name=\"SAMLResponse\" value=\"%s\">\n"
    "\t\t<input type=\"hidden\" name=\"RelayState\" value=\"%s\">\n"
    "\t\t<noscript><input type=\"submit\" name=\"redirect\" value=\"Continuer\"></noscript>\n"
    "\t</form>\n"
    "</body>\n",
    acs_html, token_html, relay_html);

  reply_page (req, SOUP_STATUS_OK, "ÉduConnect", body);
}

static void
reply_invalid (EntRequest *req)
{
  reply_page (req, SOUP_STATUS_BAD_REQUEST, "ÉduConnect - Erreur",
              "<body>\n\t<p role=\"alert\">La demande de connexion n'est pas valide ou a expiré. "
              "Retournez sur le site de votre ENT pour recommencer.</p>\n</body>\n");
}

/* The AuthnRequest: our own signed stand-in, for our ENT's acs. */
static JsonObject *
read_authn_request (EntRequest *req,
                    const char *token,
                    JsonNode  **node)
{
  JsonObject *request = ent_saml_verify (req->server, token, node);

  if (request == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (request, "type", NULL), "AuthnRequest") != 0 ||
      json_object_get_string_member_with_default (request, "assertionConsumerServiceURL", NULL) == NULL ||
      json_object_get_string_member_with_default (request, "id", NULL) == NULL)
    return NULL;

  return request;
}

static EntIdpSession *
cookie_session (EntRequest *req)
{
  g_autofree char *id = ent_request_cookie (req, ENT_IDP_SESSION_COOKIE);

  return id != NULL ? g_hash_table_lookup (req->server->idp_sessions, id) : NULL;
}

static void
handle_sso_get (EntRequest *req)
{
  const char *token = req->query != NULL ? g_hash_table_lookup (req->query, "SAMLRequest") : NULL;
  const char *relay_state = req->query != NULL ? g_hash_table_lookup (req->query, "RelayState") : NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *request = read_authn_request (req, token, &node);
  EntIdpSession *session;
  EntIdpFlow *flow;

  if (request == NULL)
    {
      reply_invalid (req);
      return;
    }

  session = cookie_session (req);
  if (session != NULL)
    {
      reply_assertion (req, session, json_object_get_string_member (request, "id"),
                       json_object_get_string_member (request, "assertionConsumerServiceURL"), relay_state);
      return;
    }

  flow = g_new0 (EntIdpFlow, 1);
  {
    g_autofree char *digits = ent_random_code ("0123456789", 6);

    flow->id = g_strconcat ("e1s", digits, NULL);
  }
  flow->request_id = g_strdup (token);
  flow->relay_state = g_strdup (relay_state);
  g_hash_table_replace (req->server->idp_flows, flow->id, flow);
  reply_login_form (req, flow, NULL, FALSE);
}

static void
handle_sso_post (EntRequest *req)
{
  const char *execution = req->query != NULL ? g_hash_table_lookup (req->query, "execution") : NULL;
  EntIdpFlow *flow = execution != NULL ? g_hash_table_lookup (req->server->idp_flows, execution) : NULL;
  g_autoptr(GHashTable) form = ent_request_form (req);
  const char *username = g_hash_table_lookup (form, "username");
  const char *password = g_hash_table_lookup (form, "password");
  g_autoptr(JsonNode) node = NULL;
  JsonObject *request;
  JsonObject *identity;
  EntIdpSession *session;
  g_autofree char *cookie = NULL;

  request = flow != NULL ? read_authn_request (req, flow->request_id, &node) : NULL;
  if (request == NULL)
    {
      reply_invalid (req);
      return;
    }

  identity = ent_state_find_identity (req->server, username);
  if (identity == NULL || password == NULL || !ent_password_check (identity, password))
    {
      reply_login_form (req, flow, username, TRUE);
      return;
    }

  session = g_new0 (EntIdpSession, 1);
  session->id = ent_random_code ("0123456789abcdef", 32);
  session->identity = g_strdup (username);
  {
    g_autofree char *index = ent_random_code ("0123456789abcdef", 32);

    session->session_index = g_strconcat ("_", index, NULL);
  }
  g_hash_table_replace (req->server->idp_sessions, session->id, session);

  cookie = g_strdup_printf (ENT_IDP_SESSION_COOKIE "=%s; Path=/idp; Secure; HttpOnly; SameSite=None", session->id);
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie", cookie);

  reply_assertion (req, session, json_object_get_string_member (request, "id"),
                   json_object_get_string_member (request, "assertionConsumerServiceURL"), flow->relay_state);
  g_hash_table_remove (req->server->idp_flows, flow->id);
}

/* The LogoutRequest ends the session it names (by SessionIndex), and the
 * browser's own session cookie goes. */
static void
handle_slo (EntRequest *req)
{
  const char *token = req->query != NULL ? g_hash_table_lookup (req->query, "SAMLRequest") : NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *request = ent_saml_verify (req->server, token, &node);
  const char *session_index;
  EntIdpSession *own = cookie_session (req);
  GHashTableIter iter;
  EntIdpSession *session;

  if (request == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (request, "type", NULL), "LogoutRequest") != 0)
    {
      reply_invalid (req);
      return;
    }

  session_index = json_object_get_string_member_with_default (request, "sessionIndex", "");
  g_hash_table_iter_init (&iter, req->server->idp_sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (session != own && g_strcmp0 (session->session_index, session_index) == 0)
      g_hash_table_iter_remove (&iter);
  if (own != NULL)
    g_hash_table_remove (req->server->idp_sessions, own->id);

  soup_message_headers_append (soup_server_message_get_response_headers (req->msg), "Set-Cookie",
                               ENT_IDP_SESSION_COOKIE "=; Path=/idp; Max-Age=0; "
                               "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=None");
  reply_page (req, SOUP_STATUS_OK, "ÉduConnect - Déconnexion",
              "<body>\n\t<h1>ÉduConnect</h1>\n"
              "\t<p id=\"deconnexion\">Vous êtes déconnecté(e) d'ÉduConnect.</p>\n</body>\n");
}

static void
idp_cb (SoupServer        *soup,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  EntRequest req = { 0 };
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");

  req.server = user_data;
  req.msg = msg;
  req.method = soup_server_message_get_method (msg);
  req.path = g_uri_get_path (soup_server_message_get_uri (msg));
  req.query = query;
  req.host = g_strdup (host != NULL ? host : "127.0.0.1");
  if (body != NULL && body->length > 0)
    req.body = soup_message_body_flatten (body);

  /* Never logs a body or a header: they hold passwords and cookies. */
  g_debug ("IdP %s %s", req.method, req.path);

  if (g_str_equal (req.method, "GET") && g_str_equal (req.path, ENT_IDP_SSO_PATH))
    handle_sso_get (&req);
  else if (g_str_equal (req.method, "POST") && g_str_equal (req.path, ENT_IDP_SSO_PATH))
    handle_sso_post (&req);
  else if (g_str_equal (req.method, "GET") && g_str_equal (req.path, ENT_IDP_SLO_PATH))
    handle_slo (&req);
  else
    reply_page (&req, SOUP_STATUS_NOT_FOUND, "ÉduConnect", "<body>\n\t<p>Page introuvable.</p>\n</body>\n");

  g_free (req.host);
  g_clear_pointer (&req.body, g_bytes_unref);
}

gboolean
ent_idp_start (EntServer       *server,
               GTlsCertificate *certificate,
               int              port,
               GError         **error)
{
  g_autoptr(GSList) uris = NULL;

  server->idp_soup = soup_server_new ("tls-certificate", certificate,
                                      "server-header", "carnet-test-educonnect ",
                                      NULL);
  soup_server_add_handler (server->idp_soup, NULL, idp_cb, server, NULL);
  if (!soup_server_listen_local (server->idp_soup, (guint) port,
                                 SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (server->idp_soup);
  server->idp_url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  return TRUE;
}
