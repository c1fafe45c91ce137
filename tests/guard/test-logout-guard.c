/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-guard"

/* carnet-logout-guard (src/carnet-logout-guard.c) against the test ENT: a
 * real session is opened with the real client, the guard runs a child that
 * tells it the session, as Carnet's window does, then the child ends the way
 * Carnet ends when its display is lost (GTK calls _exit(1)), or is killed.
 * The ENT must see the logout, and the session must be dead. When the child
 * said "end" first, nothing is sent. Signals reach the child. A federated
 * (EduConnect) session, opened by a plain SoupSession going through the
 * test ENT's SAML flow as Carnet's web view does, is closed too, through
 * the ENT's /auth/saml/slo, and the guard never goes on to the identity
 * provider. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "carnet-ent-client.h"
#include "carnet-test-ent.h"

#define TIMEOUT_MS 30000

static CarnetTestEnt *ent;

static GAsyncResult *pending_result;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  pending_result = g_object_ref (result);
}

static GAsyncResult *
wait_result (void)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  GAsyncResult *result;

  while (pending_result == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("No answer within %d ms", TIMEOUT_MS);
      g_main_context_iteration (NULL, TRUE);
    }

  result = pending_result;
  pending_result = NULL;

  return result;
}

static CarnetEntClient *
logged_in_client (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  CarnetEntClient *client;

  client = carnet_ent_client_new (carnet_test_ent_get_url (ent), &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (client, carnet_test_ent_get_ca_file (ent), &error));
  carnet_ent_client_login_async (client, "karim.benali", "Cartable2026", NULL, store_result_cb, NULL);
  result = wait_result ();
  g_assert_true (carnet_ent_client_login_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_has_session (client));

  return client;
}

/* Whether the ENT still knows the client's session. */
static gboolean
session_alive (CarnetEntClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  carnet_ent_client_get_user_info_async (client, NULL, store_result_cb, NULL);
  result = wait_result ();
  user = carnet_ent_client_get_user_info_finish (client, result, &error);
  if (user != NULL)
    return TRUE;

  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  return FALSE;
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Runs the guard over `sh -c SCRIPT`, with MESSAGES in $MESSAGES (what
 * Carnet's window would write to the pipe); returns the guard's status. */
static int
run_guard (const char *messages,
           const char *script)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) guard = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  gint64 deadline;

  g_subprocess_launcher_setenv (launcher, "MESSAGES", messages, TRUE);
  guard = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CARNET_LOGOUT_GUARD"),
                                       "/bin/sh", "-c", script, NULL);
  g_assert_no_error (error);

  g_subprocess_wait_async (guard, NULL, exited_cb, &exited);
  deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  while (!exited)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The guard did not end within %d ms", TIMEOUT_MS);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_true (g_subprocess_get_if_exited (guard));
  return g_subprocess_get_exit_status (guard);
}

static char *
session_messages (CarnetEntClient *client,
                  const char      *after)
{
  g_autofree char *cookies = carnet_ent_client_dup_session_cookies (client);

  g_assert_nonnull (cookies);
  g_assert_nonnull (strstr (cookies, "oneSessionId="));

  return g_strdup_printf ("ca %s\nsession %s %s\n%s",
                          carnet_test_ent_get_ca_file (ent),
                          carnet_test_ent_get_url (ent), cookies, after);
}

/* The display lost: GTK ends Carnet with _exit(1) (gdk_x_io_error, and the
 * Wayland backend's dispatch error); a session is open. */
static void
test_display_lost (void)
{
  g_autoptr(CarnetEntClient) client = logged_in_client ();
  g_autofree char *messages = session_messages (client, "");
  guint logouts = carnet_test_ent_count_requests (ent, "/auth/logout");

  guint slos = carnet_test_ent_count_requests (ent, "/auth/saml/slo");

  g_assert_cmpint (run_guard (messages, "printf '%s' \"$MESSAGES\" >&3; exit 1"), ==, 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/logout"), ==, logouts + 1);
  /* A password account's logout is the one request. */
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/saml/slo"), ==, slos);
  g_assert_false (session_alive (client));
}

/* Killed (SIGKILL: nothing of Carnet runs any more). */
static void
test_killed (void)
{
  g_autoptr(CarnetEntClient) client = logged_in_client ();
  g_autofree char *messages = session_messages (client, "");
  guint logouts = carnet_test_ent_count_requests (ent, "/auth/logout");

  g_assert_cmpint (run_guard (messages, "printf '%s' \"$MESSAGES\" >&3; kill -KILL $$"),
                   ==, 128 + SIGKILL);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/logout"), ==, logouts + 1);
  g_assert_false (session_alive (client));
}

/* Carnet logged out itself and said so: the guard sends nothing. */
static void
test_ended_cleanly (void)
{
  g_autoptr(CarnetEntClient) client = logged_in_client ();
  g_autofree char *messages = session_messages (client, "end\n");
  guint logouts = carnet_test_ent_count_requests (ent, "/auth/logout");

  g_assert_cmpint (run_guard (messages, "printf '%s' \"$MESSAGES\" >&3; exit 0"), ==, 0);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/logout"), ==, logouts);
  g_assert_true (session_alive (client));
}

/* A session over plain HTTP is never sent anything (credentials). */
static void
test_plain_http_refused (void)
{
  guint logouts = carnet_test_ent_count_requests (ent, "/auth/logout");
  g_autofree char *url = g_strdup (carnet_test_ent_get_url (ent));
  g_autofree char *messages = NULL;

  g_assert_true (g_str_has_prefix (url, "https://"));
  messages = g_strdup_printf ("session http://%s oneSessionId=x\n", url + strlen ("https://"));
  g_assert_cmpint (run_guard (messages, "printf '%s' \"$MESSAGES\" >&3; exit 1"), ==, 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/logout"), ==, logouts);
}

/* SIGTERM to the guard (a lab's script, the session manager) reaches
 * Carnet, which closes as with Ctrl+Q; here the child says it got it. */
static void
test_signal_passed_on (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) guard = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *last = NULL;

  guard = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CARNET_LOGOUT_GUARD"),
                                       "/bin/sh", "-c",
                                       "trap 'echo TERM; exit 0' TERM; echo READY; "
                                       "while :; do sleep 0.05; done", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (guard));

  /* The child's trap is set once it said READY. */
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "READY");

  g_subprocess_send_signal (guard, SIGTERM);
  last = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last, ==, "TERM");
  g_assert_true (g_subprocess_wait (guard, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (guard));
  g_assert_cmpint (g_subprocess_get_exit_status (guard), ==, 0);
}

/* --- a federated session ------------------------------------------------------ */

/* The attribute escapes of the test ENT's and its IdP's pages. */
static char *
html_unescape (const char *text)
{
  static const char * const pairs[][2] = {
    { "&amp;", "&" }, { "&#39;", "'" }, { "&quot;", "\"" }, { "&lt;", "<" }, { "&gt;", ">" },
    { "&#x60;", "`" }, { "&#x3D;", "=" },
  };
  GString *out = g_string_new (NULL);

  while (*text != '\0')
    {
      gboolean done = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (pairs) && !done; i++)
        if (g_str_has_prefix (text, pairs[i][0]))
          {
            g_string_append (out, pairs[i][1]);
            text += strlen (pairs[i][0]);
            done = TRUE;
          }
      if (!done)
        g_string_append_c (out, *text++);
    }

  return g_string_free (out, FALSE);
}

/* Group 1 of @pattern in @text, unescaped; fails the test when absent. */
static char *
find (const char *text,
      const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;

  if (!g_regex_match (regex, text, 0, &match))
    g_error ("Not in the page: %s", pattern);
  raw = g_match_info_fetch (match, 1);

  return html_unescape (raw);
}

/* One step of the browser, no redirect followed: a GET, or a POST of
 * @form. Returns the body; *status, and *location for a redirect
 * (absolute, resolved against @uri). */
static char *
browse (SoupSession  *browser,
        const char   *uri,
        const char   *form,
        guint        *status,
        char        **location)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *header;

  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      msg = soup_message_new ("POST", uri);
      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  else
    msg = soup_message_new ("GET", uri);
  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (browser, msg, NULL, &error);
  g_assert_no_error (error);

  *status = soup_message_get_status (msg);
  header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  if (location != NULL)
    *location = header != NULL ? g_uri_resolve_relative (uri, header, G_URI_FLAGS_ENCODED, NULL) : NULL;

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The EduConnect login of a.roux25 as the web view goes through it: the
 * ENT's « ÉduConnect » link, the identity provider's form typed in, its
 * auto-POST to the ENT's acs; then the ENT's cookies go to a client as
 * carnet_session_adopt_async() gives them. *one_session_id: the ENT's
 * session. */
static CarnetEntClient *
federated_client (char **one_session_id)
{
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authn = g_strconcat (carnet_test_ent_get_url (ent), "/auth/saml/authn/educonnect", NULL);
  g_autofree char *idp_page = NULL;
  g_autofree char *login_page = NULL;
  g_autofree char *action = NULL;
  g_autofree char *post_uri = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *auto_post = NULL;
  g_autofree char *acs = NULL;
  g_autofree char *saml_response = NULL;
  g_autofree char *relay_state = NULL;
  g_autofree char *response_enc = NULL;
  g_autofree char *relay_enc = NULL;
  g_autofree char *assertion = NULL;
  g_autofree char *home = NULL;
  g_autofree char *body = NULL;
  SoupCookieJar *jar;
  GSList *all;
  GList *cookies = NULL;
  CarnetEntClient *client;
  guint status;

  database = g_tls_file_database_new (carnet_test_ent_get_ca_file (ent), &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (browser, database);
  soup_session_set_timeout (browser, TIMEOUT_MS / 1000);
  soup_session_add_feature_by_type (browser, SOUP_TYPE_COOKIE_JAR);

  /* « Élève ou parent (ÉduConnect) »: on to the identity provider. */
  body = browse (browser, authn, NULL, &status, &idp_page);
  g_assert_cmpuint (status, ==, SOUP_STATUS_FOUND);
  g_assert_true (g_str_has_prefix (idp_page, carnet_test_ent_get_idp_url (ent)));
  g_clear_pointer (&body, g_free);

  login_page = browse (browser, idp_page, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  action = find (login_page, "<form id=\"form\"[^>]*\\saction=\"([^\"]*)\"");
  post_uri = g_uri_resolve_relative (idp_page, action, G_URI_FLAGS_ENCODED, NULL);
  credentials = g_strdup_printf ("username=%s&password=%s",
                                 CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);

  /* The page that posts itself to the ENT on load. */
  auto_post = browse (browser, post_uri, credentials, &status, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  acs = find (auto_post, "<form method=\"POST\" action=\"([^\"]*)\"");
  g_assert_true (g_str_has_prefix (acs, carnet_test_ent_get_url (ent)));
  saml_response = find (auto_post, "name=\"SAMLResponse\" value=\"([^\"]*)\"");
  relay_state = find (auto_post, "name=\"RelayState\" value=\"([^\"]*)\"");
  response_enc = g_uri_escape_string (saml_response, NULL, FALSE);
  relay_enc = g_uri_escape_string (relay_state, NULL, FALSE);
  assertion = g_strdup_printf ("SAMLResponse=%s&RelayState=%s", response_enc, relay_enc);

  /* One ENT account: the session, and on to the ENT's home. */
  body = browse (browser, acs, assertion, &status, &home);
  g_assert_cmpuint (status, ==, SOUP_STATUS_FOUND);
  g_assert_true (g_str_has_prefix (home, carnet_test_ent_get_url (ent)));

  jar = SOUP_COOKIE_JAR (soup_session_get_feature (browser, SOUP_TYPE_COOKIE_JAR));
  all = soup_cookie_jar_all_cookies (jar);
  *one_session_id = NULL;
  for (GSList *l = all; l != NULL; l = l->next)
    {
      cookies = g_list_prepend (cookies, l->data);
      if (g_str_equal (soup_cookie_get_name (l->data), "oneSessionId"))
        *one_session_id = g_strdup (soup_cookie_get_value (l->data));
    }
  g_slist_free (all);
  g_assert_nonnull (*one_session_id);

  client = carnet_ent_client_new (carnet_test_ent_get_url (ent), &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (client, carnet_test_ent_get_ca_file (ent), &error));
  g_assert_true (carnet_ent_client_adopt_cookies (client, cookies, &error));
  g_assert_no_error (error);
  g_list_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  return client;
}

/* A federated session, the display lost: the ENT answers the guard's
 * /auth/logout with a redirect to its /auth/saml/slo (and keeps the
 * session); the guard GETs the slo, which closes the session and answers
 * with a redirect to the identity provider's logout, which the guard does
 * not follow: its Cookie header holds the ENT's session. The identity
 * provider's session is untouched, which its logout (ending the session
 * the request names) would not have left: the guard never reached it. */
static void
test_federated_display_lost (void)
{
  g_autofree char *one_session_id = NULL;
  g_autoptr(CarnetEntClient) client = federated_client (&one_session_id);
  g_autofree char *messages = session_messages (client, "");
  guint logouts = carnet_test_ent_count_requests (ent, "/auth/logout");
  guint slos = carnet_test_ent_count_requests (ent, "/auth/saml/slo");

  g_assert_true (session_alive (client));
  g_assert_true (carnet_test_ent_session_is_open (ent, one_session_id));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 1);

  g_assert_cmpint (run_guard (messages, "printf '%s' \"$MESSAGES\" >&3; exit 1"), ==, 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/logout"), ==, logouts + 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/saml/slo"), ==, slos + 1);
  g_assert_false (carnet_test_ent_session_is_open (ent, one_session_id));
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 0);
  g_assert_false (session_alive (client));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("CARNET_LOGOUT_GUARD"));

  ent = carnet_test_ent_start ();
  g_test_add_func ("/guard/display-lost", test_display_lost);
  g_test_add_func ("/guard/killed", test_killed);
  g_test_add_func ("/guard/ended-cleanly", test_ended_cleanly);
  g_test_add_func ("/guard/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/guard/signal-passed-on", test_signal_passed_on);
  g_test_add_func ("/guard/federated-display-lost", test_federated_display_lost);
  ret = g_test_run ();
  carnet_test_ent_stop (ent);

  return ret;
}
