/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CarnetSession against the real test ENT: the steps after a login in the
 * ENT's order, logout by reason, the password check. No GTK: this runs
 * under the sanitizers with leaks checked.
 */
#include "config.h"

#include "carnet-session.h"
#include "carnet-test-client.h"
#include "carnet-test-ent.h"

#include <string.h>

#include <libsoup/soup.h>

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
  CarnetSession   *session;
  /* The steps the session went through, as "busy,charter,…". */
  GString         *steps;
  GPtrArray       *logouts;
  guint            logins_accepted;
  guint            client_changes;
} Fixture;

static gboolean
not_busy_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return carnet_session_get_step (f->session) != CARNET_SESSION_STEP_BUSY;
}

/* Until the session leaves BUSY. */
static void
await_step (Fixture *f)
{
  carnet_test_wait_until (not_busy_cb, f, "the next step");
}

/* "account" for CARNET_SESSION_STEP_ACCOUNT. */
static const char *
nick (GType type,
      int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);

  return g_enum_get_value (klass, value)->value_nick;
}

static void
step_cb (CarnetSession *session,
         GParamSpec    *pspec,
         Fixture       *f)
{
  if (f->steps->len > 0)
    g_string_append_c (f->steps, ',');
  g_string_append (f->steps, nick (CARNET_TYPE_SESSION_STEP, carnet_session_get_step (session)));
}

static void
logged_out_cb (CarnetSession             *session,
               CarnetSessionLogoutReason  reason,
               Fixture                   *f)
{
  /* Forgotten before anyone hears of it. */
  g_assert_null (carnet_session_get_user (session));
  g_assert_null (carnet_session_get_login (session));
  g_assert_cmpint (carnet_session_get_step (session), ==, CARNET_SESSION_STEP_NONE);
  g_ptr_array_add (f->logouts, g_strdup (nick (CARNET_TYPE_SESSION_LOGOUT_REASON, reason)));
}

static void
login_accepted_cb (Fixture *f)
{
  f->logins_accepted++;
}

static void
client_changed_cb (Fixture *f)
{
  f->client_changes++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ent = carnet_test_ent_start ();
  f->client = carnet_test_ent_new_client (f->ent, NULL);
  f->session = carnet_session_new (f->client);
  f->steps = g_string_new (NULL);
  f->logouts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->session, "notify::step", G_CALLBACK (step_cb), f);
  g_signal_connect (f->session, "logged-out", G_CALLBACK (logged_out_cb), f);
  g_signal_connect_swapped (f->session, "login-accepted", G_CALLBACK (login_accepted_cb), f);
  g_signal_connect_swapped (f->client, "session-changed", G_CALLBACK (client_changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->client);
  g_string_free (f->steps, TRUE);
  g_ptr_array_unref (f->logouts);
  carnet_test_ent_stop (f->ent);
}

static gboolean
login (Fixture     *f,
       const char  *user,
       const char  *password,
       GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_login_async (f->session, user, password, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_session_login_finish (f->session, res, error);
}

static gboolean
log_out (Fixture                   *f,
         CarnetSessionLogoutReason  reason,
         GError                   **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_log_out_async (f->session, reason, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_session_log_out_finish (f->session, res, error);
}

/* Nothing required: one login, the account at once, without a second
 * round trip for the requirements. */
static void
test_login_account (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (carnet_session_get_step (f->session), ==, CARNET_SESSION_STEP_NONE);
  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);

  g_assert_cmpstr (f->steps->str, ==, "account");
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, "karim.benali");
  g_assert_nonnull (carnet_session_get_user (f->session));
  g_assert_cmpstr (carnet_ent_user_get_login (carnet_session_get_user (f->session)), ==, "karim.benali");
  g_assert_nonnull (carnet_session_get_requirements (f->session));
  g_assert_true (carnet_session_get_logged_in (f->session));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 1);

  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_USER, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->logouts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->logouts, 0), ==, "user");
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_null (carnet_session_get_requirements (f->session));
  g_assert_cmpstr (f->steps->str, ==, "account,none");
}

static void
test_login_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (login (f, "karim.benali", "Mauvais2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_cmpstr (f->steps->str, ==, "");
  g_assert_null (carnet_session_get_user (f->session));
  g_assert_null (carnet_session_get_login (f->session));
}

static void
test_login_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  carnet_session_login_async (f->session, "karim.benali", "Cartable2026", cancellable, carnet_test_done_cb, NULL);
  g_cancellable_cancel (cancellable);
  res = carnet_test_await_result ();
  g_assert_false (carnet_session_login_finish (f->session, res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (f->steps->str, ==, "");
  g_assert_null (carnet_session_get_user (f->session));
}

/* The charter, then the email, asked again after each: the ENT's order. */
static void
test_steps_in_order (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "nathalie.martin", "Soleil2026", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "charter");

  /* Accepted elsewhere (the charter page's job): the session asks again. */
  carnet_test_ent_set_user_flag (f->ent, "nathalie.martin", "needRevalidateTerms", FALSE);
  carnet_session_continue (f->session);
  g_assert_cmpint (carnet_session_get_step (f->session), ==, CARNET_SESSION_STEP_BUSY);
  await_step (f);
  g_assert_cmpstr (f->steps->str, ==, "charter,busy,mail");

  carnet_test_ent_set_user_flag (f->ent, "nathalie.martin", "emailValidated", TRUE);
  carnet_session_continue (f->session);
  await_step (f);
  /* Nothing left: the profile read again, then the account. */
  g_assert_cmpstr (f->steps->str, ==, "charter,busy,mail,busy,account");
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 2);
}

/* A forced password change first; its page needs the user's login. */
static void
test_step_password (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "paul.leroy", "Provisoire1", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "password");
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, "paul.leroy");
}

/* An activation that logged in: only the login is known. */
static void
test_continue_with_login (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));
  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_USER, &error));
  g_string_truncate (f->steps, 0);

  /* Logged in on the client directly, as the activation page does. */
  {
    g_autoptr(GAsyncResult) res = NULL;

    carnet_ent_client_login_async (f->client, "karim.benali", "Cartable2026", NULL, carnet_test_done_cb, NULL);
    res = carnet_test_await_result ();
    g_assert_true (carnet_ent_client_login_finish (f->client, res, &error));
  }
  carnet_session_set_login (f->session, "karim.benali");
  carnet_session_continue (f->session);
  await_step (f);
  g_assert_cmpstr (f->steps->str, ==, "busy,account");
  g_assert_nonnull (carnet_session_get_user (f->session));
}

/* The requirements cannot be read: ERROR with why; again, then on. */
static void
test_continue_error (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));
  carnet_test_ent_set_fault (f->ent, "/auth/oauth2/userinfo", "500", 0, -1);
  carnet_test_ent_set_fault (f->ent, "/auth/user/requirements", "500", 0, -1);
  carnet_session_continue (f->session);
  await_step (f);
  g_assert_cmpint (carnet_session_get_step (f->session), ==, CARNET_SESSION_STEP_ERROR);
  g_assert_nonnull (carnet_session_get_error (f->session));

  carnet_test_ent_clear_faults (f->ent);
  carnet_session_continue (f->session);
  await_step (f);
  g_assert_cmpint (carnet_session_get_step (f->session), ==, CARNET_SESSION_STEP_ACCOUNT);
  g_assert_null (carnet_session_get_error (f->session));
}

/* Idle: forgotten at once, before the ENT answers; then the ENT is told. */
static void
test_log_out_idle (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));
  carnet_session_log_out_async (f->session, CARNET_SESSION_LOGOUT_IDLE, NULL, carnet_test_done_cb, NULL);
  g_assert_cmpuint (f->logouts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->logouts, 0), ==, "idle");
  res = carnet_test_await_result ();
  g_assert_true (carnet_session_log_out_finish (f->session, res, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/logout"), ==, 1);
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_cmpuint (f->logouts->len, ==, 1);
}

/* A silent ENT: the caller's bound ends the request; forgotten all the same. */
static void
test_log_out_bounded (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));
  carnet_test_ent_set_fault (f->ent, "/auth/logout", "latency", 10000, -1);
  carnet_session_log_out_async (f->session, CARNET_SESSION_LOGOUT_CLOSING, cancellable, carnet_test_done_cb, NULL);
  g_assert_cmpuint (f->logouts->len, ==, 0);
  g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  res = carnet_test_await_result ();
  g_assert_false (carnet_session_log_out_finish (f->session, res, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (f->logouts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->logouts, 0), ==, "closing");
  g_assert_false (carnet_session_get_logged_in (f->session));
}

static void
test_check_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));

  {
    g_autoptr(GAsyncResult) res = NULL;

    carnet_session_check_password_async (f->session, "Mauvais2026", NULL, carnet_test_done_cb, NULL);
    res = carnet_test_await_result ();
    g_assert_false (carnet_session_check_password_finish (f->session, res, &error));
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) res = NULL;

    carnet_session_check_password_async (f->session, "Cartable2026", NULL, carnet_test_done_cb, NULL);
    res = carnet_test_await_result ();
    g_assert_true (carnet_session_check_password_finish (f->session, res, &error));
    g_assert_no_error (error);
  }
  /* Checking is not a step: the account stays. */
  g_assert_cmpstr (f->steps->str, ==, "account");
}

/* --- A session opened elsewhere (issue 15) -------------------------------------- */

/* A browser: its own cookies, the test CA, redirects not followed. */
static SoupSession *
browser_new (Fixture *f)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  SoupSession *browser = soup_session_new ();

  database = g_tls_file_database_new (carnet_test_ent_get_ca_file (f->ent), &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (browser, database);
  soup_session_set_timeout (browser, 30);
  soup_session_add_feature_by_type (browser, SOUP_TYPE_COOKIE_JAR);

  return browser;
}

/* The browser's cookies, as the web view's cookie manager gives them. */
static GList *
browser_cookies (SoupSession *browser)
{
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (browser, SOUP_TYPE_COOKIE_JAR));
  GSList *all = soup_cookie_jar_all_cookies (jar);
  GList *list = NULL;

  for (GSList *l = all; l != NULL; l = l->next)
    list = g_list_prepend (list, l->data);
  g_slist_free (all);

  return g_list_reverse (list);
}

static char *
cookie_value (GList      *cookies,
              const char *name)
{
  for (GList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      return g_strdup (soup_cookie_get_value (l->data));

  return NULL;
}

/* The ENT's own login page, in a browser: its session cookies. */
static GList *
browser_log_in (Fixture     *f,
                SoupSession *browser,
                const char  *login,
                const char  *password)
{
  g_autofree char *url = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/login", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  msg = soup_message_new_from_encoded_form ("POST", url,
                                            soup_form_encode ("email", login, "password", password,
                                                              "callBack", "/", NULL));
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (browser, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);

  return browser_cookies (browser);
}

static gboolean
adopt (Fixture  *f,
       GList    *cookies,
       GError  **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_adopt_async (f->session, cookies, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_session_adopt_finish (f->session, res, error);
}

static SoupCookie *
test_cookie (const char *name,
             const char *domain,
             gboolean    secure)
{
  SoupCookie *cookie = soup_cookie_new (name, "t-0123456789", domain, "/", -1);

  soup_cookie_set_secure (cookie, secure);
  soup_cookie_set_http_only (cookie, g_str_equal (name, "oneSessionId"));

  return cookie;
}

/* Which cookies the client takes, before the ENT is asked anything. */
static void
test_adopt_cookie_rules (Fixture       *f,
                         gconstpointer  data)
{
  g_autolist(SoupCookie) other_host = NULL;
  g_autolist(SoupCookie) not_secure = NULL;
  g_autolist(SoupCookie) expired = NULL;
  g_autolist(SoupCookie) good = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  SoupCookie *old;

  /* Another site's session cookie, even on the same machine's name. */
  other_host = g_list_prepend (other_host, test_cookie ("oneSessionId", "localhost", TRUE));
  other_host = g_list_prepend (other_host, test_cookie ("oneSessionId", "ent.example.org", TRUE));
  other_host = g_list_prepend (other_host, test_cookie ("authenticated", "127.0.0.1", TRUE));
  g_assert_false (carnet_ent_client_adopt_cookies (f->client, other_host, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  /* Said to the parent in French, with no cookie in it. */
  g_assert_null (strstr (error->message, "t-0123456789"));
  g_assert_false (carnet_ent_client_has_session (f->client));
  g_assert_null (carnet_ent_client_dup_session_cookies (f->client));
  g_clear_error (&error);

  /* Not Secure: it could have come over plain HTTP. */
  not_secure = g_list_prepend (not_secure, test_cookie ("oneSessionId", "127.0.0.1", FALSE));
  g_assert_false (carnet_ent_client_adopt_cookies (f->client, not_secure, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  /* Expired. */
  old = test_cookie ("oneSessionId", "127.0.0.1", TRUE);
  {
    g_autoptr(GDateTime) yesterday = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) then = g_date_time_add_days (yesterday, -1);

    soup_cookie_set_expires (old, then);
  }
  expired = g_list_prepend (expired, old);
  g_assert_false (carnet_ent_client_adopt_cookies (f->client, expired, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  /* The ENT's three, and nothing else of the browser's. */
  good = g_list_prepend (good, test_cookie ("oneSessionId", "127.0.0.1", TRUE));
  good = g_list_prepend (good, test_cookie ("authenticated", "127.0.0.1", TRUE));
  good = g_list_prepend (good, test_cookie ("XSRF-TOKEN", "127.0.0.1", TRUE));
  good = g_list_prepend (good, test_cookie ("shib_idp_session", "127.0.0.1", TRUE));
  good = g_list_prepend (good, test_cookie ("XSRF-TOKEN", "example.org", TRUE));
  f->client_changes = 0;
  g_assert_true (carnet_ent_client_adopt_cookies (f->client, good, &error));
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_has_session (f->client));
  g_assert_cmpuint (f->client_changes, >=, 1);
  header = carnet_ent_client_dup_session_cookies (f->client);
  g_assert_nonnull (strstr (header, "oneSessionId=t-0123456789"));
  g_assert_nonnull (strstr (header, "authenticated=t-0123456789"));
  g_assert_nonnull (strstr (header, "XSRF-TOKEN=t-0123456789"));
  g_assert_null (strstr (header, "shib_idp_session"));
  /* The client copied them: the caller's list is still the caller's. */
  g_assert_cmpuint (g_list_length (good), ==, 5);
}

/* Adopting forgets whoever the client held before, even when it fails. */
static void
test_adopt_forgets_previous (Fixture       *f,
                             gconstpointer  data)
{
  g_autolist(SoupCookie) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  g_assert_true (login (f, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
  before = carnet_ent_client_dup_session_cookies (f->client);
  g_assert_nonnull (before);
  f->client_changes = 0;

  none = g_list_prepend (none, test_cookie ("authenticated", "127.0.0.1", TRUE));
  g_assert_false (carnet_ent_client_adopt_cookies (f->client, none, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_false (carnet_ent_client_has_session (f->client));
  g_assert_null (carnet_ent_client_dup_session_cookies (f->client));
  g_assert_cmpuint (f->client_changes, ==, 1);
}

/* A session the parent opened in a browser with the ENT's password: the
 * same account as after Carnet's own login; no login-accepted (nothing to
 * remember); logout is the plain one. */
static void
test_adopt_account (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SoupSession) browser = browser_new (f);
  g_autolist(SoupCookie) cookies = browser_log_in (f, browser, "karim.benali", "Cartable2026");
  g_autofree char *session_id = cookie_value (cookies, "oneSessionId");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (session_id);
  g_assert_true (carnet_test_ent_session_is_open (f->ent, session_id));

  g_assert_true (adopt (f, cookies, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "account");
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, "karim.benali");
  g_assert_cmpstr (carnet_ent_user_get_login (carnet_session_get_user (f->session)), ==, "karim.benali");
  g_assert_nonnull (carnet_session_get_requirements (f->session));
  g_assert_true (carnet_session_get_logged_in (f->session));
  g_assert_false (carnet_session_get_federated (f->session));
  g_assert_cmpuint (f->logins_accepted, ==, 0);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 1);

  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_USER, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/logout"), ==, 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/saml/slo"), ==, 0);
  /* The browser's session was the one closed. */
  g_assert_false (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_false (carnet_session_get_federated (f->session));
  g_assert_cmpstr (f->steps->str, ==, "account,none");
}

static gboolean
session_unused_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_atomic_int_get (&G_OBJECT (f->session)->ref_count) == 1;
}

/* The browser logged out since: the ENT no longer knows the cookies. */
static void
test_adopt_stale (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupSession) browser = browser_new (f);
  g_autolist(SoupCookie) cookies = browser_log_in (f, browser, "karim.benali", "Cartable2026");
  g_autoptr(GError) error = NULL;

  {
    g_autofree char *url = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/logout?callback=/", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;

    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    body = soup_session_send_and_read (browser, msg, NULL, &error);
    g_assert_no_error (error);
  }

  g_assert_false (adopt (f, cookies, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_null (carnet_session_get_user (f->session));
  g_assert_null (carnet_session_get_login (f->session));
  g_assert_cmpint (carnet_session_get_step (f->session), ==, CARNET_SESSION_STEP_NONE);
  g_assert_cmpstr (f->steps->str, ==, "");
  /* The profile's refusal ends the adoption at once; the requirements'
   * request, cancelled then, lets go of the session when it returns. */
  carnet_test_wait_until (session_unused_cb, f, "the requirements' request to end");
}

/* No cookies at all (the web view was closed too early). */
static void
test_adopt_nothing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (adopt (f, NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 0);
  g_assert_false (carnet_session_get_federated (f->session));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/session/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("login-account", test_login_account);
  ADD ("login-refused", test_login_refused);
  ADD ("login-cancelled", test_login_cancelled);
  ADD ("steps-in-order", test_steps_in_order);
  ADD ("step-password", test_step_password);
  ADD ("continue-with-login", test_continue_with_login);
  ADD ("continue-error", test_continue_error);
  ADD ("log-out-idle", test_log_out_idle);
  ADD ("log-out-bounded", test_log_out_bounded);
  ADD ("check-password", test_check_password);
  ADD ("adopt/cookie-rules", test_adopt_cookie_rules);
  ADD ("adopt/forgets-previous", test_adopt_forgets_previous);
  ADD ("adopt/account", test_adopt_account);
  ADD ("adopt/stale", test_adopt_stale);
  ADD ("adopt/nothing", test_adopt_nothing);
#undef ADD

  return g_test_run ();
}
