/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CarnetSession against the real test ENT: the steps after a login in the
 * ENT's order, logout by reason, the password check. No GTK: this runs
 * under the sanitizers with leaks checked.
 */
#include "config.h"

#include "carnet-session.h"
#include "carnet-test-ent.h"

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
  CarnetSession   *session;
  /* The steps the session went through, as "busy,charter,…". */
  GString         *steps;
  GPtrArray       *logouts;
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
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ent = carnet_test_ent_start ();
  f->client = carnet_ent_client_new (carnet_test_ent_get_url (f->ent), &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (f->client, carnet_test_ent_get_ca_file (f->ent), &error));
  g_assert_no_error (error);
  f->session = carnet_session_new (f->client);
  f->steps = g_string_new (NULL);
  f->logouts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->session, "notify::step", G_CALLBACK (step_cb), f);
  g_signal_connect (f->session, "logged-out", G_CALLBACK (logged_out_cb), f);
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
#undef ADD

  return g_test_run ();
}
