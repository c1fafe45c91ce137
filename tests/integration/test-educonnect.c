/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EduConnect login without GTK: a plain SoupSession plays the web view
 * (the ENT's wayf, the stand-in EduConnect's form, the auto-POST to the
 * ENT's acs, the account picker), stops where the web view stops (the
 * ENT's own pages, outside /auth/), and its cookies go to
 * carnet_session_adopt_async() as the web view's cookie manager gives them.
 * Then the account, the children, the logout through the ENT's SAML logout.
 * Runs under the sanitizers with leaks checked.
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "carnet-session.h"
#include "carnet-test-client.h"
#include "carnet-test-ent.h"
#include "carnet-test-saml.h"

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
  CarnetSession   *session;
  SoupSession     *browser;
  /* The steps the session went through, as "account,none". */
  GString         *steps;
  GPtrArray       *logouts;
} Fixture;

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
  g_assert_false (carnet_session_get_federated (session));
  g_ptr_array_add (f->logouts, g_strdup (nick (CARNET_TYPE_SESSION_LOGOUT_REASON, reason)));
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

  /* The browser: its own cookies, the test CA, redirects followed by hand. */
  f->browser = carnet_test_saml_browser_new (f->ent, 30);
}

static gboolean
session_unused_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_atomic_int_get (&G_OBJECT (f->session)->ref_count) == 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* A request cancelled when the profile was refused lets go last. */
  carnet_test_wait_until (session_unused_cb, f, "the session's last request to end");
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->browser);
  g_string_free (f->steps, TRUE);
  g_ptr_array_unref (f->logouts);
  carnet_test_ent_stop (f->ent);
}

/* What the browser gets from the ENT's userinfo with its cookies now. */
static guint
browser_userinfo_status (Fixture *f)
{
  g_autofree char *uri = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/oauth2/userinfo", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (f->browser, msg, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (msg);
}

/* --- the session ------------------------------------------------------------ */

static gboolean
adopt (Fixture        *f,
       CarnetSession  *session,
       GList          *cookies,
       GError        **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_adopt_async (session, cookies, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_session_adopt_finish (session, res, error);
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

/* The children's first names, as the account page lists them. */
static char *
children_names (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  carnet_ent_client_get_children_async (f->client, carnet_session_get_user (f->session), NULL,
                                        carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  children = carnet_ent_client_get_children_finish (f->client, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < children->len; i++)
    g_strv_builder_add (names, carnet_ent_child_get_first_name (g_ptr_array_index (children, i)));
  strv = g_strv_builder_end (names);

  return g_strjoinv (",", strv);
}

/* One EduConnect identity, one ENT account: the account, federated, her
 * children; logout through the ENT's SAML logout, which closes the ENT's
 * session (the browser's cookie is refused after), and Carnet does not
 * follow it to EduConnect. */
static void
test_one_account (Fixture       *f,
                  gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *children = NULL;
  g_autoptr(GError) error = NULL;

  cookies = carnet_test_saml_login (f->ent, f->browser, CARNET_TEST_EDUCONNECT_LOGIN,
                                    CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  session_id = carnet_test_cookie_value (cookies, "oneSessionId");
  g_assert_nonnull (session_id);
  g_assert_true (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (f->ent), ==, 1);

  g_assert_true (adopt (f, f->session, cookies, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "account");
  g_assert_true (carnet_session_get_federated (f->session));
  g_assert_true (carnet_ent_user_get_federated (carnet_session_get_user (f->session)));
  g_assert_nonnull (carnet_ent_user_get_federated_idp (carnet_session_get_user (f->session)));
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  g_assert_true (carnet_session_get_logged_in (f->session));

  /* Théo and Chloé Roux, as on the account page. */
  children = children_names (f);
  g_assert_nonnull (strstr (children, "Théo"));
  g_assert_nonnull (strstr (children, "Chloé"));

  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_USER, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->logouts->len, ==, 1);
  g_assert_cmpstr (f->steps->str, ==, "account,none");
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_false (carnet_session_get_federated (f->session));
  g_assert_null (carnet_ent_client_dup_session_cookies (f->client));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/saml/slo"), ==, 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/logout"), ==, 0);
  /* The ENT's session is closed: its cookie is refused. */
  g_assert_false (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_cmpuint (carnet_test_ent_session_count (f->ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 0);
  g_assert_cmpuint (browser_userinfo_status (f), !=, 200);
  /* The redirect to EduConnect's logout was not followed by Carnet (the
   * web view's EduConnect session is dropped with the web view). */
  g_assert_cmpuint (carnet_test_ent_idp_session_count (f->ent), ==, 1);
}

/* Two ENT accounts for one identity: the one picked in the ENT's list. An
 * idle logout (the pages gone first) still goes through the SAML logout. */
static void
test_two_accounts (Fixture       *f,
                   gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *children = NULL;
  g_autoptr(GError) error = NULL;

  cookies = carnet_test_saml_login (f->ent, f->browser, CARNET_TEST_EDUCONNECT_TWO_LOGIN,
                                    CARNET_TEST_EDUCONNECT_TWO_PASSWORD, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2);
  session_id = carnet_test_cookie_value (cookies, "oneSessionId");

  g_assert_true (adopt (f, f->session, cookies, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "account");
  g_assert_true (carnet_session_get_federated (f->session));
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2);
  children = children_names (f);
  g_assert_cmpstr (children, ==, "Nathan");
  g_assert_cmpuint (carnet_test_ent_session_count (f->ent, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_1), ==, 0);

  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_IDLE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/saml/slo"), ==, 1);
  g_assert_false (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_cmpuint (browser_userinfo_status (f), !=, 200);
}

/* The cookies of one host are not another host's session: a client for
 * the same ENT under another name takes none of them, asks nothing. */
static void
test_other_host (Fixture       *f,
                 gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autoptr(GUri) ent_uri = g_uri_parse (carnet_test_ent_get_url (f->ent), G_URI_FLAGS_NONE, NULL);
  g_autofree char *other_url = g_strdup_printf ("https://localhost:%d", g_uri_get_port (ent_uri));
  g_autoptr(CarnetEntClient) other = NULL;
  g_autoptr(CarnetSession) other_session = NULL;
  g_autofree char *session_id = NULL;
  g_autoptr(GError) error = NULL;

  cookies = carnet_test_saml_login (f->ent, f->browser, CARNET_TEST_EDUCONNECT_LOGIN,
                                    CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  session_id = carnet_test_cookie_value (cookies, "oneSessionId");
  other = carnet_test_ent_new_client (f->ent, other_url);
  other_session = carnet_session_new (other);

  g_assert_false (adopt (f, other_session, cookies, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_false (carnet_session_get_logged_in (other_session));
  g_assert_null (carnet_session_get_user (other_session));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 0);
  /* Nothing was done to the session itself. */
  g_assert_true (carnet_test_ent_session_is_open (f->ent, session_id));
}

/* Expired cookies: in the browser's jar (past their date), or the ENT's
 * session ended since (the browser logged out of it): the logged-out
 * error, nothing held, no step. */
static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autolist(SoupCookie) past = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GError) error = NULL;

  cookies = carnet_test_saml_login (f->ent, f->browser, CARNET_TEST_EDUCONNECT_LOGIN,
                                    CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  for (GList *l = cookies; l != NULL; l = l->next)
    {
      SoupCookie *copy = soup_cookie_copy (l->data);

      soup_cookie_set_expires (copy, yesterday);
      past = g_list_prepend (past, copy);
    }
  g_assert_false (adopt (f, f->session, past, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 0);
  g_clear_error (&error);

  /* The browser leaves through the ENT's SAML logout itself. */
  {
    g_autofree char *slo = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/saml/slo", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", slo);
    g_autoptr(GBytes) body = NULL;

    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    body = soup_session_send_and_read (f->browser, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  }
  g_assert_false (adopt (f, f->session, cookies, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_null (carnet_session_get_user (f->session));
  g_assert_null (carnet_session_get_login (f->session));
  g_assert_cmpstr (f->steps->str, ==, "");
  g_assert_cmpuint (f->logouts->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/educonnect/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("one-account", test_one_account);
  ADD ("two-accounts", test_two_accounts);
  ADD ("other-host", test_other_host);
  ADD ("expired", test_expired);
#undef ADD

  return g_test_run ();
}
