/* SPDX-License-Identifier: GPL-3.0-or-later */
/* carnet-test-ent: a local HTTPS imitation of an Open ENT NG server, quirks
 * included, for Carnet's tests and demo. See /work/shared/ENT-PROTOCOL.md. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifndef CARNET_TEST_DATA_DIR
# define CARNET_TEST_DATA_DIR "tests/data"
#endif

/* --- answers ---------------------------------------------------------------- */

const char *
ent_request_header (EntRequest *req,
                    const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

static void
reply_bytes (EntRequest *req,
             guint       status,
             const char *content_type,
             const char *data,
             gsize       length)
{
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_COPY, data, length);
}

void
ent_reply_json_text (EntRequest *req,
                     guint       status,
                     const char *text)
{
  reply_bytes (req, status, "application/json; charset=utf-8", text, strlen (text));
}

void
ent_reply_json (EntRequest *req,
                guint       status,
                JsonNode   *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  ent_reply_json_text (req, status, text);
  json_node_unref (node);
}

void
ent_reply_error (EntRequest *req,
                 guint       status,
                 const char *key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, key);
  json_builder_end_object (builder);
  ent_reply_json (req, status, json_builder_get_root (builder));
}

/* The form routes' way of failing: 200, messages joined by <br />. */
void
ent_reply_form_error (EntRequest *req,
                      GPtrArray  *messages,
                      const char *extra_key,
                      const char *extra_value,
                      const char *login)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < messages->len; i++)
    {
      if (i > 0)
        g_string_append (text, "<br />");
      g_string_append (text, g_ptr_array_index (messages, i));
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text->str);
  json_builder_end_object (builder);
  if (extra_key != NULL)
    {
      json_builder_set_member_name (builder, extra_key);
      json_builder_add_string_value (builder, extra_value != NULL ? extra_value : "");
    }
  if (login != NULL)
    {
      json_builder_set_member_name (builder, "login");
      json_builder_add_string_value (builder, login);
      json_builder_set_member_name (builder, "cgu");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
}

void
ent_reply_html (EntRequest *req,
                guint       status,
                const char *html)
{
  reply_bytes (req, status, "text/html; charset=utf-8", html, strlen (html));
}

void
ent_reply_empty (EntRequest *req,
                 guint       status)
{
  soup_server_message_set_status (req->msg, status, NULL);
}

void
ent_reply_redirect (EntRequest *req,
                    const char *location)
{
  soup_server_message_set_status (req->msg, SOUP_STATUS_FOUND, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
}

char *
ent_absolute_url (EntRequest *req,
                  const char *path)
{
  return g_strdup_printf ("https://%s%s", req->host, path);
}

void
ent_set_session_cookies (EntRequest *req,
                         EntSession *session)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *id = g_strdup_printf ("oneSessionId=%s; Path=/; HttpOnly; Secure; SameSite=Strict",
                                         session->id);
  g_autofree char *xsrf = g_strdup_printf ("XSRF-TOKEN=%s; Path=/; Secure", session->xsrf);

  soup_message_headers_append (headers, "Set-Cookie", id);
  soup_message_headers_append (headers, "Set-Cookie", "authenticated=true; Path=/; Secure");
  soup_message_headers_append (headers, "Set-Cookie", xsrf);
}

void
ent_clear_session_cookies (EntRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  const char *expired = "; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure";
  g_autofree char *id = g_strconcat ("oneSessionId=", expired, "; HttpOnly; SameSite=Strict", NULL);
  g_autofree char *authenticated = g_strconcat ("authenticated=", expired, NULL);
  g_autofree char *xsrf = g_strconcat ("XSRF-TOKEN=", expired, NULL);

  soup_message_headers_append (headers, "Set-Cookie", id);
  soup_message_headers_append (headers, "Set-Cookie", authenticated);
  soup_message_headers_append (headers, "Set-Cookie", xsrf);
}

/* CookieHelper.set(name, "", 0): what logout and a password change send;
 * XSRF-TOKEN stays. */
void
ent_clear_login_cookies (EntRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_append (headers, "Set-Cookie",
                               "oneSessionId=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
                               "Secure; HttpOnly; SameSite=Strict");
  soup_message_headers_append (headers, "Set-Cookie",
                               "authenticated=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure");
}

/* What Open ENT NG does for any request without a live session, XHR
 * included: send the browser to the login page. */
void
ent_reply_login_redirect (EntRequest *req)
{
  GUri *uri = soup_server_message_get_uri (req->msg);
  const char *query = g_uri_get_query (uri);
  g_autofree char *original = g_strdup_printf ("https://%s%s%s%s", req->host, req->path,
                                               query != NULL ? "?" : "",
                                               query != NULL ? query : "");
  g_autofree char *escaped = g_uri_escape_string (original, NULL, FALSE);
  g_autofree char *location = g_strdup_printf ("https://%s/auth/login?callback=%s",
                                               req->host, escaped);

  ent_clear_session_cookies (req);
  ent_reply_redirect (req, location);
}

/* java.net.URLEncoder.encode(text, "UTF-8"): what entcore's filters use
 * for their callback and redirect parameters. */
char *
ent_java_url_encode (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '.' || *p == '-' || *p == '*' || *p == '_')
        g_string_append_c (out, (char) *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02X", *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
path_contains_any (const char         *path,
                   const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strstr (path, list[i]) != NULL)
      return TRUE;

  return FALSE;
}

static void
redirect_to_path (EntRequest *req,
                  const char *path)
{
  g_autofree char *location = ent_absolute_url (req, path);

  ent_reply_redirect (req, location);
}

/* The filters entcore runs before a @SecuredAction route, in order:
 * - CsrfFilter (L:http/filter/CsrfFilter.java:99-126): POST/PUT/DELETE
 *   without an OAuth client need X-XSRF-TOKEN equal to the session's token;
 *   no live session means no token: 403, even for a stale cookie;
 * - the session (UserAuthFilter): none, or a bad Bearer: 302 to the login
 *   page, never 401;
 * - AbstractActionFilter.checkForceChangePassword (L:…/AbstractActionFilter.java:46-80);
 * - MandatoryUserValidationFilter (L:…/MandatoryUserValidationFilter.java:44-60,179-208):
 *   charter, then email.
 * TRUE when the route may go on; otherwise the answer is set. */
gboolean
ent_require_user (EntRequest *req)
{
  static const char * const force_allowed[] = {
    "/userbook/preference/language", "/theme", "/auth/oauth2/userinfo",
    "/userbook/preference/apps", "/auth/user/requirements", NULL
  };
  static const char * const always_allowed[] = { "/auth/", NULL };
  static const char * const terms_allowed_get[] = { "/internal/userinfo", "/userbook/", "/theme", NULL };
  static const char * const email_black[] = { "mon-compte", "annuaire", NULL };
  static const char * const email_only[] = { "/directory/user/mailstate", NULL };
  gboolean is_get = g_str_equal (req->method, "GET");
  gboolean unsafe = g_str_equal (req->method, "POST") || g_str_equal (req->method, "PUT") ||
                    g_str_equal (req->method, "DELETE");

  if (unsafe && req->token == NULL)
    {
      const char *header = ent_request_header (req, "X-XSRF-TOKEN");

      if (req->session == NULL || header == NULL || !g_str_equal (header, req->session->xsrf))
        {
          ent_reply_error (req, SOUP_STATUS_FORBIDDEN, "invalid.xsrf.token");
          return FALSE;
        }
    }

  if (req->user == NULL)
    {
      ent_reply_login_redirect (req);
      return FALSE;
    }

  if (ent_user_get_bool (req->user, "forceChangePassword") &&
      !g_strv_contains (force_allowed, req->path))
    {
      g_autofree char *callback = ent_java_url_encode (req->path);
      g_autofree char *path = g_strconcat ("/auth/reset/forceChangePassword?callback=", callback, NULL);

      redirect_to_path (req, path);
      return FALSE;
    }

  if (ent_user_get_bool (req->user, "needRevalidateTerms") &&
      ent_request_header (req, "Authorization") == NULL &&
      !path_contains_any (req->path, always_allowed) &&
      !(is_get && path_contains_any (req->path, terms_allowed_get)))
    {
      redirect_to_path (req, "/auth/revalidate-terms");
      return FALSE;
    }

  if (ent_user_needs_email_validation (req->user) &&
      !path_contains_any (req->path, always_allowed) &&
      (path_contains_any (req->path, email_black) ||
       !(is_get && path_contains_any (req->path, terms_allowed_get))) &&
      !path_contains_any (req->path, email_only))
    {
      GUri *uri = soup_server_message_get_uri (req->msg);
      const char *query = g_uri_get_query (uri);
      g_autofree char *absolute = g_strdup_printf ("https://%s%s%s%s", req->host, req->path,
                                                   query != NULL ? "?" : "", query != NULL ? query : "");
      g_autofree char *encoded = ent_java_url_encode (absolute);
      g_autofree char *path = g_strconcat ("/auth/validate-mail?force=true&type=email&redirect=", encoded, NULL);

      redirect_to_path (req, path);
      return FALSE;
    }

  return TRUE;
}

GHashTable *
ent_request_form (EntRequest *req)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  const char *data;

  if (req->body == NULL)
    return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  data = g_bytes_get_data (req->body, &length);
  text = g_strndup (data, length);

  return soup_form_decode (text);
}

JsonObject *
ent_request_json (EntRequest *req,
                  JsonNode  **out_node)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data;

  *out_node = NULL;
  if (req->body == NULL)
    return NULL;

  data = g_bytes_get_data (req->body, &length);
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  *out_node = json_node_ref (json_parser_get_root (parser));

  return json_node_get_object (*out_node);
}

/* --- dispatch ----------------------------------------------------------------- */

static void
resolve_credentials (EntRequest *req)
{
  const char *cookie = ent_request_header (req, "Cookie");
  const char *authorization = ent_request_header (req, "Authorization");
  const char *user_id = NULL;

  if (cookie != NULL)
    {
      GHashTable *cookies = soup_header_parse_semi_param_list (cookie);

      req->cookie_session_id = g_strdup (g_hash_table_lookup (cookies, "oneSessionId"));
      req->session = ent_session_lookup (req->server, req->cookie_session_id);
      soup_header_free_param_list (cookies);
    }

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      req->bearer_given = TRUE;
      req->token = ent_token_lookup (req->server, authorization + 7, FALSE);
    }

  if (req->ignore_credentials)
    {
      req->session = NULL;
      req->token = NULL;
    }

  if (req->token != NULL)
    user_id = req->token->user_id;
  else if (req->session != NULL)
    user_id = req->session->user_id;

  req->user = ent_state_find_user_by_id (req->server, user_id);
}

static void
process (EntRequest *req,
         EntFault   *fault)
{
  if (fault != NULL && ent_fault_apply (req, fault))
    return;

  resolve_credentials (req);

  if (ent_routes_auth (req) || ent_routes_saml (req) || ent_routes_directory (req) ||
      ent_routes_timeline (req))
    return;

  ent_reply_error (req, SOUP_STATUS_NOT_FOUND, "not.found");
}

static void
request_free (EntRequest *req)
{
  g_free (req->host);
  g_free (req->cookie_session_id);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_object_unref (req->msg);
  g_free (req);
}

static void
logged_clear (gpointer data)
{
  EntLogged *logged = data;

  g_free (logged->method);
  g_free (logged->path);
}

static guint
log_arrival (EntServer  *server,
             EntRequest *req)
{
  EntLogged logged = { 0 };

  logged.method = g_strdup (req->method);
  logged.path = g_strdup (req->path);
  logged.seq = server->total_requests;
  logged.arrived = g_get_monotonic_time ();
  g_array_append_val (server->request_log, logged);

  return logged.seq;
}

static void
log_answer (EntServer *server,
            guint      seq)
{
  /* Looked up by number: /__test/reset may have emptied the log meanwhile. */
  for (guint i = server->request_log->len; i > 0; i--)
    {
      EntLogged *logged = &g_array_index (server->request_log, EntLogged, i - 1);

      if (logged->seq == seq)
        {
          logged->answered = g_get_monotonic_time ();
          return;
        }
    }
}

typedef struct
{
  EntRequest *req;
  EntFault   *fault;
  gboolean    finished;
  gulong      finished_id;
  guint       seq;
  guint       source_id;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_signal_handler_disconnect (delayed->req->msg, delayed->finished_id);
  g_clear_pointer (&delayed->fault, ent_fault_free);
  request_free (delayed->req);
  g_free (delayed);
}

static void
delayed_finished_cb (SoupServerMessage *msg,
                     Delayed           *delayed)
{
  delayed->finished = TRUE;
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;
  EntServer *server = delayed->req->server;

  delayed->source_id = 0;
  if (!delayed->finished)
    {
      process (delayed->req, delayed->fault);
      log_answer (server, delayed->seq);
      soup_server_message_unpause (delayed->req->msg);
    }

  /* Frees it. */
  g_hash_table_remove (server->delayed, delayed);

  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  EntServer *server = user_data;
  EntRequest *req = g_new0 (EntRequest, 1);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *host;
  EntFault *fault = NULL;
  guint delay_ms;
  guint seq;

  req->server = server;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->path = g_uri_get_path (soup_server_message_get_uri (msg));
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;
  if (body != NULL && body->length > 0)
    req->body = soup_message_body_flatten (body);
  host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");
  if (host == NULL)
    host = "127.0.0.1";
  req->host = g_strdup (host);

  /* Never logs a body or a header: they hold passwords and cookies. */
  g_debug ("%s %s", req->method, req->path);

  if (g_str_has_prefix (req->path, "/__test/"))
    {
      if (!ent_routes_test (req))
        ent_reply_error (req, SOUP_STATUS_NOT_FOUND, "not.found");
      request_free (req);
      return;
    }

  server->total_requests++;
  g_hash_table_replace (server->request_counts, g_strdup (req->path),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (server->request_counts,
                                                                                 req->path)) + 1));
  seq = log_arrival (server, req);

  fault = ent_faults_take (server, req->path);
  delay_ms = server->latency_ms;
  if (fault != NULL && g_str_equal (fault->kind, "latency"))
    delay_ms += fault->latency_ms;

  if (delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->req = req;
      delayed->fault = fault;
      delayed->seq = seq;
      delayed->finished_id = g_signal_connect (msg, "finished",
                                               G_CALLBACK (delayed_finished_cb), delayed);
      soup_server_message_pause (msg);
      delayed->source_id = g_timeout_add (delay_ms, delayed_cb, delayed);
      g_hash_table_add (server->delayed, delayed);
      return;
    }

  process (req, fault);
  log_answer (server, seq);
  g_clear_pointer (&fault, ent_fault_free);
  request_free (req);
}

/* --- main ------------------------------------------------------------------- */

/* Every message libsoup makes, the first of each connection included (it
 * comes before the TLS handshake), is counted until it is finalized: a
 * message holds its connection, so none left means every connection and
 * its streams are gone. */
static void
message_finalized_cb (gpointer  user_data,
                      GObject  *where_the_object_was)
{
  EntServer *server = user_data;

  server->live_messages--;
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  EntServer *server = user_data;

  server->live_messages++;
  g_object_weak_ref (G_OBJECT (msg), message_finalized_cb, server);
}

static void
delayed_cancel (gpointer data)
{
  Delayed *delayed = data;

  g_clear_handle_id (&delayed->source_id, g_source_remove);
  delayed_free (delayed);
}

static gboolean
drain_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Stops listening, drops the answers still waiting for their latency, and
 * closes every connection; then runs the main context until every message
 * (and so every connection, TLS stream and socket) is finalized, for at most
 * DRAIN_TIMEOUT_MS: on a loaded machine a close can take more than one
 * iteration, and stopping at the first idle one left them behind. Bounded,
 * so that a connection libsoup never lets go cannot hang the exit. */
#define DRAIN_TIMEOUT_MS 2000

static void
shut_down (EntServer *server)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  soup_server_disconnect (server->soup);
  if (server->idp_soup != NULL)
    soup_server_disconnect (server->idp_soup);
  g_hash_table_remove_all (server->delayed);

  timeout_id = g_timeout_add (DRAIN_TIMEOUT_MS, drain_timeout_cb, &timed_out);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (server->live_messages > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  else
    g_message ("%u messages still alive %d ms after the server stopped",
               server->live_messages, DRAIN_TIMEOUT_MS);
}

static gboolean
quit_cb (gpointer user_data)
{
  EntServer *server = user_data;

  g_main_loop_quit (server->loop);

  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *state_dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  int port = 0;
  int idp_port = 0;
  int latency_ms = 0;
  gboolean reset = FALSE;
  GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Folder of state.json, the outbox and the charter", "DIR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port)", "N" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "Server certificate (PEM)", "PEM" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Server private key (PEM)", "PEM" },
    { "idp-port", 0, 0, G_OPTION_ARG_INT, &idp_port, "Port of the stand-in EduConnect on 127.0.0.1 (0: any free port)", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Delay added to every answer", "N" },
    { "reset", 0, 0, G_OPTION_ARG_NONE, &reset, "Start again from the seed", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the Carnet test ENT");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GSList) uris = NULL;
  EntServer server = { 0 };
  int bound_port;

  /* stdout carries only the URL line: the harness reads it through a pipe
   * nobody drains afterwards, so G_MESSAGES_DEBUG output must not go there. */
  g_log_writer_default_set_use_stderr (TRUE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (state_dir == NULL)
    state_dir = g_build_filename (g_get_user_cache_dir (), "carnet-test-ent", NULL);
  if (cert == NULL)
    cert = g_build_filename (CARNET_TEST_DATA_DIR, "server.pem", NULL);
  if (key == NULL)
    key = g_build_filename (CARNET_TEST_DATA_DIR, "server-key.pem", NULL);
  if (port < 0 || port > 65535 || idp_port < 0 || idp_port > 65535 || latency_ms < 0)
    {
      g_printerr ("Invalid --port, --idp-port or --latency-ms\n");
      return 2;
    }

  server.state_dir = g_strdup (state_dir);
  server.state_file = g_build_filename (state_dir, "state.json", NULL);
  server.outbox = g_build_filename (state_dir, "outbox", NULL);
  server.charter_file = g_build_filename (state_dir, "Charte_d_utilisation.pdf", NULL);
  server.latency_ms = (guint) latency_ms;
  server.sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, ent_session_free);
  server.tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, ent_token_free);
  server.faults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, ent_fault_free);
  server.request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server.request_log = g_array_new (FALSE, TRUE, sizeof (EntLogged));
  g_array_set_clear_func (server.request_log, logged_clear);
  server.delayed = g_hash_table_new_full (NULL, NULL, delayed_cancel, NULL);
  server.idp_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, ent_idp_session_free);
  server.idp_flows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, ent_idp_flow_free);
  server.saml_key = ent_random_code ("0123456789abcdefghijklmnopqrstuvwxyz", 40);

  if (g_mkdir_with_parents (server.outbox, 0700) != 0)
    {
      g_printerr ("Cannot create %s\n", server.outbox);
      return 1;
    }

  ent_state_load (&server, reset);

  if (!ent_charter_write (server.charter_file, &error))
    {
      g_printerr ("Cannot write the charter: %s\n", error->message);
      return 1;
    }

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  if (certificate == NULL)
    {
      g_printerr ("Cannot load %s / %s: %s\n", cert, key, error->message);
      return 1;
    }

  server.soup = soup_server_new ("tls-certificate", certificate,
                                 "server-header", "carnet-test-ent ",
                                 NULL);
  soup_server_add_handler (server.soup, NULL, server_cb, &server, NULL);
  g_signal_connect (server.soup, "request-started", G_CALLBACK (request_started_cb), &server);

  /* listen_local binds the loopback only: the test ENT is never reachable
   * from the network. */
  if (!soup_server_listen_local (server.soup, (guint) port,
                                 SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY,
                                 &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  uris = soup_server_get_uris (server.soup);
  bound_port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  server.ent_url = g_strdup_printf ("https://127.0.0.1:%d", bound_port);

  /* The stand-in EduConnect: same certificate, its own port. */
  if (!ent_idp_start (&server, certificate, idp_port, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", idp_port, error->message);
      return 1;
    }
  g_signal_connect (server.idp_soup, "request-started", G_CALLBACK (request_started_cb), &server);

  server.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, &server);
  g_unix_signal_add (SIGINT, quit_cb, &server);

  /* The IdP's line first: the harness reads up to the URL line. */
  printf ("IDP %s\n", server.idp_url);
  printf ("URL https://127.0.0.1:%d\n", bound_port);
  fflush (stdout);

  g_main_loop_run (server.loop);

  shut_down (&server);
  ent_state_save (&server);

  g_clear_object (&server.soup);
  g_clear_object (&server.idp_soup);
  g_hash_table_unref (server.idp_sessions);
  g_hash_table_unref (server.idp_flows);
  g_free (server.idp_url);
  g_free (server.ent_url);
  g_free (server.saml_key);
  g_hash_table_unref (server.delayed);
  g_main_loop_unref (server.loop);
  g_hash_table_unref (server.sessions);
  g_hash_table_unref (server.tokens);
  g_hash_table_unref (server.faults);
  g_hash_table_unref (server.request_counts);
  g_array_unref (server.request_log);
  json_node_unref (server.state);
  g_free (server.state_dir);
  g_free (server.state_file);
  g_free (server.outbox);
  g_free (server.charter_file);

  return 0;
}
