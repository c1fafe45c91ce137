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
#include "carnet-test-client.h"
#include "carnet-test-ent.h"
#include "carnet-test-saml.h"

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

  client = carnet_test_ent_new_client (ent, NULL);
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

/* The EduConnect login of a.roux25 as the web view goes through it
 * (carnet_test_saml_login: the ENT's wayf and « ÉduConnect » link, the
 * identity provider's form typed in, its auto-POST to the ENT's acs); then
 * the ENT's cookies go to a client as carnet_session_adopt_async() gives
 * them. *one_session_id: the ENT's session. */
static CarnetEntClient *
federated_client (char **one_session_id)
{
  g_autoptr(SoupSession) browser = carnet_test_saml_browser_new (ent, TIMEOUT_MS / 1000);
  g_autoptr(GError) error = NULL;
  g_autolist(SoupCookie) cookies = NULL;
  CarnetEntClient *client;

  cookies = carnet_test_saml_login (ent, browser, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD,
                                    NULL);
  *one_session_id = carnet_test_cookie_value (cookies, "oneSessionId");
  g_assert_nonnull (*one_session_id);

  client = carnet_test_ent_new_client (ent, NULL);
  g_assert_true (carnet_ent_client_adopt_cookies (client, cookies, &error));
  g_assert_no_error (error);

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
