/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real CarnetEntClient against the real test ENT, over HTTPS, one fresh
 * server (fresh seed) per test. Each test asserts what a page would act on:
 * the typed result, or the error code.
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-secret-private.h"
#include "carnet-test-client.h"
#include "carnet-test-ent.h"

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ent = carnet_test_ent_start ();
  f->client = carnet_test_ent_new_client (f->ent, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  carnet_test_ent_stop (f->ent);
}

/* --- small synchronous wrappers, for readability of the tests ------------- */

static CarnetEntContext *
get_context (CarnetEntClient *client,
             GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_get_context_async (client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_get_context_finish (client, res, error);
}

static gboolean
login (CarnetEntClient *client,
       const char      *user,
       const char      *password,
       GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_login_async (client, user, password, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_login_finish (client, res, error);
}

static CarnetEntUser *
get_user_info (CarnetEntClient *client,
               GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_get_user_info_async (client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_get_user_info_finish (client, res, error);
}

static CarnetEntRequirements *
get_requirements (CarnetEntClient *client,
                  GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_get_requirements_async (client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_get_requirements_finish (client, res, error);
}

static CarnetEntMailState *
check_mail_code (CarnetEntClient *client,
                 const char      *code,
                 GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_check_mail_code_async (client, code, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_check_mail_code_finish (client, res, error);
}

static gboolean
send_mail_code (CarnetEntClient *client,
                const char      *address,
                GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_send_mail_code_async (client, address, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_send_mail_code_finish (client, res, error);
}

static GPtrArray *
forgot_login (CarnetEntClient *client,
              const char      *mail,
              const char      *first_name,
              const char      *school_id,
              GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_forgot_login_async (client, mail, first_name, school_id, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_forgot_login_finish (client, res, error);
}

static gboolean
reset_password (CarnetEntClient *client,
                const char      *user,
                const char      *link,
                const char      *password,
                GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_reset_password_async (client, user, link, password, password, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_reset_password_finish (client, res, error);
}

static gboolean
forgot_password (CarnetEntClient *client,
                 const char      *user,
                 GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_forgot_password_async (client, user, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_forgot_password_finish (client, res, error);
}

static gboolean
change_password (CarnetEntClient *client,
                 const char      *user,
                 const char      *old_password,
                 const char      *password,
                 GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_change_password_async (client, user, old_password, password, password,
                                           NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_change_password_finish (client, res, error);
}

static gboolean
force_change_password (CarnetEntClient *client,
                       const char      *user,
                       const char      *old_password,
                       const char      *password,
                       GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_force_change_password_async (client, user, old_password, password, password,
                                                 NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_force_change_password_finish (client, res, error);
}

static gboolean
accept_charter (CarnetEntClient *client,
                GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_accept_charter_async (client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_accept_charter_finish (client, res, error);
}

static gboolean
string_contains (const char *haystack,
                 const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/* --- public configuration ------------------------------------------------ */

static void
test_context (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntContext) context = get_context (f->client, &error);

  g_assert_no_error (error);
  g_assert_nonnull (context);
  g_assert_true (carnet_ent_context_get_mail_mandatory (context));
  g_assert_false (carnet_ent_context_get_phone_mandatory (context));
  g_assert_true (carnet_ent_context_get_cgu (context));
  /* The rule is the whole-match regex of the ENT: a capital, a lower-case
   * letter and a digit, 8 characters or more. */
  g_assert_true (carnet_ent_context_check_password (context, "Cartable2026"));
  g_assert_false (carnet_ent_context_check_password (context, "cartable2026"));
  g_assert_false (carnet_ent_context_check_password (context, "Ca2"));
  g_assert_nonnull (carnet_ent_context_get_password_rule (context, TRUE));
}

/* An address that does not answer like an Open ENT NG server. */
static void
test_context_not_an_ent (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntContext) context = NULL;

  carnet_test_ent_set_fault (f->ent, "/auth/context", "mistyped", 0, 1);
  context = get_context (f->client, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  g_assert_null (context);
  g_clear_error (&error);

  carnet_test_ent_set_fault (f->ent, "/auth/context", "502", 0, 1);
  context = get_context (f->client, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SERVER);
  g_clear_error (&error);

  /* The ENT is fine again: nothing was left broken in the client. */
  context = get_context (f->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
}

/* --- TLS and plain HTTP ---------------------------------------------------- */

static void
test_tls_needs_explicit_ca (void)
{
  CarnetTestEnt *ent = carnet_test_ent_start ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new (carnet_test_ent_get_url (ent), &error);
  g_autoptr(CarnetEntContext) context = NULL;

  g_assert_no_error (error);

  /* The system's trust store does not know the test CA: refused, and so is
   * a login, before any password leaves the machine. */
  context = get_context (client, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TLS);
  g_assert_null (context);
  g_clear_error (&error);

  g_assert_false (login (client, "karim.benali", "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TLS);
  g_clear_error (&error);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/login"), ==, 0);

  /* Only the explicit CA file makes it trusted. */
  g_assert_true (carnet_ent_client_set_ca_file (client, carnet_test_ent_get_ca_file (ent), &error));
  g_assert_no_error (error);
  context = get_context (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);

  g_clear_object (&client);
  carnet_test_ent_stop (ent);
}

static void
test_tls_wrong_ca (void)
{
  CarnetTestEnt *ent = carnet_test_ent_start ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new (carnet_test_ent_get_url (ent), &error);
  g_autofree char *other_ca = g_build_filename (g_getenv ("CARNET_TEST_DATA"), "untrusted.pem", NULL);
  g_autoptr(CarnetEntContext) context = NULL;

  g_assert_true (carnet_ent_client_set_ca_file (client, other_ca, &error));
  g_assert_no_error (error);
  context = get_context (client, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TLS);
  g_assert_null (context);

  g_clear_object (&client);
  carnet_test_ent_stop (ent);
}

/* Untrusted, expired, for another host: each refused with its own message,
 * before a login's password or any request reaches the server. */
static void
test_tls_hostile (void)
{
  const char * const certs[] = { "untrusted", "expired", "wronghost" };
  char *messages[G_N_ELEMENTS (certs)] = { NULL, };

  for (guint i = 0; i < G_N_ELEMENTS (certs); i++)
    {
      CarnetTestEnt *ent = carnet_test_ent_start_with_cert (certs[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CarnetEntClient) client = carnet_ent_client_new (carnet_test_ent_get_url (ent), &error);
      g_autoptr(CarnetEntContext) context = NULL;

      g_assert_no_error (error);
      g_assert_true (carnet_ent_client_set_ca_file (client, carnet_test_ent_get_ca_file (ent), &error));
      context = get_context (client, &error);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TLS);
      g_assert_null (context);
      messages[i] = g_strdup (error->message);
      g_clear_error (&error);

      g_assert_false (login (client, "karim.benali", "Cartable2026", &error));
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TLS);
      g_assert_cmpuint (carnet_test_ent_count_requests (ent, "*"), ==, 0);

      g_clear_object (&client);
      carnet_test_ent_stop (ent);
    }

  g_assert_cmpstr (messages[0], !=, messages[1]);
  g_assert_cmpstr (messages[1], !=, messages[2]);
  g_assert_cmpstr (messages[0], !=, messages[2]);
  for (guint i = 0; i < G_N_ELEMENTS (certs); i++)
    g_free (messages[i]);
}

static void
test_http_becomes_https (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = g_strconcat ("http://", carnet_test_ent_get_host (f->ent), "/", NULL);
  g_autofree char *expected = g_strconcat ("https://", carnet_test_ent_get_host (f->ent), NULL);
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new (http_url, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (carnet_ent_client_get_base_url (client), ==, expected);
  g_assert_true (carnet_ent_client_set_ca_file (client, carnet_test_ent_get_ca_file (f->ent), &error));

  /* The test ENT only speaks HTTPS: this login can only succeed because the
   * client never used plain HTTP. */
  g_assert_true (login (client, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_has_session (client));
}


/* A plain-HTTP listener that records what reaches it: given an http://
 * address, the client must speak TLS to it, never the password in clear. */
typedef struct {
  GByteArray *received;
  gboolean    closed;
} PlainListener;

static void
plain_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data);

static void
plain_read_next (GInputStream  *stream,
                 PlainListener *listener)
{
  g_input_stream_read_bytes_async (stream, 4096, G_PRIORITY_DEFAULT, NULL, plain_read_cb, listener);
}

static void
plain_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PlainListener *listener = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      listener->closed = TRUE;
      g_input_stream_close (G_INPUT_STREAM (source), NULL, NULL);
      return;
    }
  g_byte_array_append (listener->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Answer like a plain web server would, so the client cannot wait on us. */
  plain_read_next (G_INPUT_STREAM (source), listener);
}

static gboolean
plain_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source_object,
                   gpointer           user_data)
{
  static const char answer[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_object_set_data_full (G_OBJECT (service), "connection", g_object_ref (connection), g_object_unref);
  g_output_stream_write_all (out, answer, sizeof answer - 1, NULL, NULL, NULL);
  plain_read_next (g_io_stream_get_input_stream (G_IO_STREAM (connection)), user_data);
  return TRUE;
}

static void
test_no_password_over_http (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = NULL;
  g_autofree char *url = NULL;
  PlainListener listener = { g_byte_array_new (), FALSE };

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (plain_incoming_cb), &listener);
  g_socket_service_start (service);

  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = carnet_ent_client_new (url, &error);
  g_assert_no_error (error);

  g_assert_false (login (client, "karim.benali", "Cartable2026", &error));
  g_assert_nonnull (error);
  g_test_message ("login to a plain HTTP server: %s", error->message);
  g_assert_false (carnet_ent_client_has_session (client));

  /* Something arrived, and it was a TLS handshake (record type 22), not a
   * form with the password. */
  g_assert_cmpuint (listener.received->len, >, 0);
  g_assert_cmpuint (listener.received->data[0], ==, 0x16);
  g_assert_null (g_strstr_len ((const char *) listener.received->data, listener.received->len, "Cartable2026"));
  g_assert_null (g_strstr_len ((const char *) listener.received->data, listener.received->len, "POST"));

  /* The client hangs up after the failed handshake; wait for it, so that no
   * read is left pending on this stack frame's listener. */
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (!listener.closed && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (listener.closed);
  }

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_byte_array_unref (listener.received);
}

/* --- activation (the letter's first connection) --------------------------- */

static void
test_activation_match (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  gboolean matches = FALSE;

  carnet_ent_client_activation_match_async (f->client, "frederic", "7KQ4M2PX", NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_ent_client_activation_match_finish (f->client, res, &matches, &error));
  g_assert_no_error (error);
  g_assert_true (matches);
  g_clear_object (&res);

  carnet_ent_client_activation_match_async (f->client, "frederic", "WRONG123", NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  carnet_ent_client_activation_match_finish (f->client, res, &matches, &error);
  g_assert_no_error (error);
  g_assert_false (matches);
}

static gboolean
activate (CarnetEntClient *client,
          const char      *code,
          const char      *password,
          const char      *mail,
          gboolean        *logged_in,
          GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_activate_async (client, "frederic", code, password, password, mail, NULL,
                                    TRUE, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_activate_finish (client, res, logged_in, error);
}

static void
test_activation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntUser) user = NULL;
  g_autofree char *record = NULL;
  gboolean logged_in = FALSE;

  g_assert_true (activate (f->client, "7KQ4M2PX", "Cahier2026", "frederic@ac-lille.fr", &logged_in, &error));
  g_assert_no_error (error);
  /* The ENT logs the new parent in at once (auto-login). */
  g_assert_true (logged_in);
  g_assert_true (carnet_ent_client_has_session (f->client));

  user = get_user_info (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (carnet_ent_user_get_login (user), ==, "frederic");
  g_assert_cmpstr (carnet_ent_user_get_first_name (user), ==, "Frédéric");
  g_assert_true (carnet_ent_user_is_parent (user));

  g_assert_true (carnet_test_ent_check_password (f->ent, "frederic", "Cahier2026"));
  record = carnet_test_ent_get_user_json (f->ent, "frederic");
  g_assert_true (string_contains (record, "frederic@ac-lille.fr"));

  /* The provisional code is spent: a second activation is refused. */
  g_assert_false (activate (f->client, "7KQ4M2PX", "Cahier2027", "frederic@ac-lille.fr", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
}

static void
test_activation_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Wrong provisional code: the ENT's 200 + JSON error. */
  g_assert_false (activate (f->client, "WRONG123", "Cahier2026", "frederic@ac-lille.fr", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);

  /* A password the ENT's rule refuses (no capital, no digit). The client has
   * not fetched the context, so this is the server's verdict. */
  g_assert_false (activate (f->client, "7KQ4M2PX", "cahierdetextes", "frederic@ac-lille.fr", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_NEW_PASSWORD);
  g_clear_error (&error);

  /* The email is mandatory on this ENT. */
  g_assert_false (activate (f->client, "7KQ4M2PX", "Cahier2026", "pas-une-adresse", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* None of these activated the account. */
  g_assert_false (carnet_test_ent_check_password (f->ent, "frederic", "Cahier2026"));
}

/* --- login ---------------------------------------------------------------- */

static void
test_login (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  g_assert_false (carnet_ent_client_has_session (f->client));
  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_has_session (f->client));

  user = get_user_info (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (carnet_ent_user_get_first_name (user), ==, "Karim");
  g_assert_cmpstr (carnet_ent_user_get_last_name (user), ==, "Benali");
  g_assert_cmpstr (carnet_ent_user_get_email (user), ==, "karim.benali@example.fr");
  g_assert_cmpstr (carnet_ent_user_get_profile_type (user), ==, "Relative");
  g_assert_true (carnet_ent_user_is_parent (user));
  g_assert_cmpuint (g_strv_length ((char **) carnet_ent_user_get_children_ids (user)), ==, 2);
}

/* Issue 13, item 5: on a shared machine the login forms leave rememberMe
 * out, so entcore gives the session cookie its short cookie_timeout rather
 * than a year. The default keeps rememberMe=true. */
static void
test_login_remember_me (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *remember_me = NULL;
  gboolean seen = FALSE;

  g_assert_true (carnet_ent_client_get_remember_me (f->client));
  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
  remember_me = carnet_test_ent_get_last_login_remember_me (f->ent, &seen);
  g_assert_true (seen);
  g_assert_cmpstr (remember_me, ==, "true");
  g_clear_pointer (&remember_me, g_free);

  carnet_ent_client_set_remember_me (f->client, FALSE);
  g_assert_false (carnet_ent_client_get_remember_me (f->client));
  carnet_test_ent_reset (f->ent);
  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_has_session (f->client));
  seen = FALSE;
  remember_me = carnet_test_ent_get_last_login_remember_me (f->ent, &seen);
  g_assert_true (seen);
  g_assert_null (remember_me);

  /* The login that follows a forced password change too. */
  carnet_test_ent_reset (f->ent);
  carnet_test_ent_set_user_flag (f->ent, "karim.benali", "forceChangePassword", TRUE);
  g_assert_true (force_change_password (f->client, "karim.benali", "Cartable2026", "Trousse2026", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/login"), ==, 1);
  seen = FALSE;
  remember_me = carnet_test_ent_get_last_login_remember_me (f->ent, &seen);
  g_assert_true (seen);
  g_assert_null (remember_me);

  /* And back on. */
  carnet_ent_client_set_remember_me (f->client, TRUE);
  g_assert_true (login (f->client, "karim.benali", "Trousse2026", &error));
  g_assert_no_error (error);
  remember_me = carnet_test_ent_get_last_login_remember_me (f->ent, &seen);
  g_assert_cmpstr (remember_me, ==, "true");
}

static void
test_login_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (login (f->client, "karim.benali", "Mauvais2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_false (carnet_ent_client_has_session (f->client));
  /* The message never repeats the password. */
  g_assert_false (string_contains (error->message, "Mauvais2026"));
  g_clear_error (&error);

  g_assert_false (login (f->client, "bloque.parent", "Bloque2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED);
  g_clear_error (&error);

  /* The letter's provisional code is not a password yet. */
  g_assert_false (login (f->client, "frederic", "7KQ4M2PX", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NOT_ACTIVATED);
  g_clear_error (&error);
}

static void
test_login_ban (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 5; i++)
    {
      g_assert_false (login (f->client, "karim.benali", "Mauvais2026", &error));
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
      g_clear_error (&error);
    }

  /* Banned: even the right password fails, and the user is told to wait. */
  g_assert_false (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BANNED);
  g_assert_cmpuint (carnet_ent_error_get_retry_after (error), >, 0);
  g_clear_error (&error);

  /* Fifteen minutes later the ban is over. */
  carnet_test_ent_advance_clock (f->ent, 15 * 60 + 1);
  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
}

/* --- after login: requirements, charter, notification email --------------- */

static void
test_requirements (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntRequirements) req = NULL;

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));
  req = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_false (carnet_ent_requirements_get_force_change_password (req));
  g_assert_true (carnet_ent_requirements_get_need_revalidate_terms (req));
  g_assert_true (carnet_ent_requirements_get_need_revalidate_email (req));
  g_clear_object (&req);

  g_assert_true (login (f->client, "paul.leroy", "Provisoire1", &error));
  req = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_requirements_get_force_change_password (req));
  g_clear_object (&req);

  /* While the change is forced, changePassword is redirected like every
   * secured route; the way out is the public POST /auth/reset with
   * forceChange=force, then a new login (ENT-CORRECTIONS 3). */
  g_assert_false (change_password (f->client, "paul.leroy", "Provisoire1", "Nouveau2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_NEW_PASSWORD);
  g_clear_error (&error);
  g_assert_true (force_change_password (f->client, "paul.leroy", "Provisoire1", "Nouveau2026", &error));
  g_assert_no_error (error);
  req = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_false (carnet_ent_requirements_get_force_change_password (req));
  g_clear_object (&req);

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  req = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_false (carnet_ent_requirements_get_need_revalidate_terms (req));
  g_assert_false (carnet_ent_requirements_get_need_revalidate_email (req));
}

static void
test_charter (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(CarnetEntRequirements) req = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *url = NULL;
  gsize size;
  const char *bytes;

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));

  carnet_ent_client_get_charter_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  pdf = carnet_ent_client_get_charter_finish (f->client, res, &content_type, &url, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (pdf, &size);
  g_assert_cmpuint (size, >, 1000);
  g_assert_true (memcmp (bytes, "%PDF", 4) == 0);
  g_assert_cmpstr (content_type, ==, "application/pdf");
  g_assert_true (g_str_has_prefix (url, carnet_ent_client_get_base_url (f->client)));
  g_clear_object (&res);

  carnet_ent_client_accept_charter_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_ent_client_accept_charter_finish (f->client, res, &error));
  g_assert_no_error (error);

  req = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_false (carnet_ent_requirements_get_need_revalidate_terms (req));
}

static void
test_mail_code (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(CarnetEntMailState) state = NULL;
  g_autoptr(CarnetEntUser) user = NULL;
  g_autofree char *code = NULL;
  const char *address = "nathalie.nouvelle@example.fr";

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));
  /* Her charter is pending: until it is accepted, mailstate is redirected
   * to /auth/revalidate-terms like every secured route (ENT-CORRECTIONS 9). */
  carnet_ent_client_get_mail_state_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  state = carnet_ent_client_get_mail_state_finish (f->client, res, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CHARTER);
  g_clear_error (&error);
  g_clear_object (&res);
  g_assert_true (accept_charter (f->client, &error));
  g_assert_no_error (error);

  carnet_ent_client_get_mail_state_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  state = carnet_ent_client_get_mail_state_finish (f->client, res, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (carnet_ent_mail_state_get_email (state), ==, "nathalie.martin@example.fr");
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), !=, CARNET_ENT_MAIL_STATE_VALID);
  g_clear_object (&state);

  g_assert_true (send_mail_code (f->client, address, &error));
  g_assert_no_error (error);
  code = carnet_test_ent_last_mail_code (f->ent, address);
  g_assert_cmpuint (strlen (code), ==, 6);

  /* A wrong code costs one try and is not an error. */
  state = check_mail_code (f->client, code[0] == '0' ? "111111" : "000000", &error);
  g_assert_no_error (error);
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), ==, CARNET_ENT_MAIL_STATE_PENDING);
  g_assert_cmpuint (carnet_ent_mail_state_get_tries (state), ==, 4);
  g_clear_object (&state);

  state = check_mail_code (f->client, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), ==, CARNET_ENT_MAIL_STATE_VALID);

  user = get_user_info (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (carnet_ent_user_get_email (user), ==, address);
}

static void
test_mail_code_expired (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntMailState) state = NULL;
  g_autofree char *code = NULL;

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));
  g_assert_true (accept_charter (f->client, &error));
  g_assert_true (send_mail_code (f->client, "nathalie.martin@example.fr", &error));
  code = carnet_test_ent_last_mail_code (f->ent, "nathalie.martin@example.fr");

  /* The code lives 600 s; the session is kept alive for the test's sake by
   * the server's session lifetime being longer than that. */
  carnet_test_ent_advance_clock (f->ent, 601);
  state = check_mail_code (f->client, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), ==, CARNET_ENT_MAIL_STATE_OUTDATED);
}

static void
test_mail_code_tries (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autoptr(CarnetEntMailState) state = NULL;
  const char *wrong;

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));
  g_assert_true (accept_charter (f->client, &error));
  g_assert_true (send_mail_code (f->client, "nathalie.martin@example.fr", &error));
  code = carnet_test_ent_last_mail_code (f->ent, "nathalie.martin@example.fr");
  wrong = code[0] == '0' ? "111111" : "000000";

  for (int i = 0; i < 5; i++)
    {
      g_clear_object (&state);
      state = check_mail_code (f->client, wrong, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), ==, CARNET_ENT_MAIL_STATE_OUTDATED);
  g_clear_object (&state);

  /* Used up: even the right code no longer validates the address. */
  state = check_mail_code (f->client, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), !=, CARNET_ENT_MAIL_STATE_VALID);
}

/* --- forgotten login and password ------------------------------------------ */

static void
test_forgot_login (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schools = NULL;
  g_autofree char *mail = NULL;

  /* One account in one school: the login is mailed. */
  schools = forgot_login (f->client, "paul.leroy@example.fr", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schools->len, ==, 0);
  mail = carnet_test_ent_last_mail (f->ent, "paul.leroy@example.fr");
  g_assert_true (string_contains (mail, "paul.leroy"));
  g_clear_pointer (&schools, g_ptr_array_unref);
  g_clear_pointer (&mail, g_free);

  /* One account whose children are in two schools: one row per school
   * (ENT-CORRECTIONS 8), so the ENT asks which, and mails nothing yet. */
  schools = forgot_login (f->client, "karim.benali@example.fr", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schools->len, ==, 2);
  g_assert_null (carnet_test_ent_last_mail (f->ent, "karim.benali@example.fr"));
  {
    g_autoptr(GPtrArray) again = forgot_login (f->client, "karim.benali@example.fr", "Karim",
                                               carnet_ent_school_get_id (g_ptr_array_index (schools, 0)),
                                               &error);

    g_assert_no_error (error);
    g_assert_cmpuint (again->len, ==, 0);
  }
  mail = carnet_test_ent_last_mail (f->ent, "karim.benali@example.fr");
  g_assert_true (string_contains (mail, "karim.benali"));
  g_clear_pointer (&schools, g_ptr_array_unref);

  /* Nobody: the same neutral answer, and no mail. */
  schools = forgot_login (f->client, "personne@example.fr", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schools->len, ==, 0);
  g_assert_null (carnet_test_ent_last_mail (f->ent, "personne@example.fr"));
}

static void
test_forgot_login_several_schools (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schools = NULL;
  g_autofree char *mail = NULL;
  const char *ferry_id = NULL;

  schools = forgot_login (f->client, "claire.dubois@example.fr", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schools->len, ==, 2);
  for (guint i = 0; i < schools->len; i++)
    {
      CarnetEntSchool *school = g_ptr_array_index (schools, i);

      g_assert_true (CARNET_IS_ENT_SCHOOL (school));
      if (string_contains (carnet_ent_school_get_name (school), "Jules Ferry"))
        ferry_id = carnet_ent_school_get_id (school);
    }
  g_assert_cmpstr (ferry_id, ==, "jules-ferry-calais");
  g_assert_null (carnet_test_ent_last_mail (f->ent, "claire.dubois@example.fr"));

  {
    g_autoptr(GPtrArray) again = forgot_login (f->client, "claire.dubois@example.fr", "Claire", ferry_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (again->len, ==, 0);
  }
  mail = carnet_test_ent_last_mail (f->ent, "claire.dubois@example.fr");
  g_assert_true (string_contains (mail, "claire.dubois1"));
}

static void
test_forgot_password_and_reset (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *pasted = NULL;

  g_assert_true (forgot_password (f->client, "karim.benali", &error));
  g_assert_no_error (error);
  link = carnet_test_ent_last_reset_link (f->ent, "karim.benali@example.fr");
  g_assert_true (g_str_has_prefix (link, carnet_test_ent_get_url (f->ent)));

  /* Pasted as a parent would, with the spaces a mail reader adds. */
  pasted = g_strdup_printf ("  <%s>\n", link);
  g_assert_true (reset_password (f->client, "karim.benali", pasted, "Trousse2026", &error));
  g_assert_no_error (error);

  g_assert_false (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (login (f->client, "karim.benali", "Trousse2026", &error));
  g_assert_no_error (error);
}

static void
test_reset_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *code = NULL;

  g_assert_true (forgot_password (f->client, "karim.benali", &error));
  link = carnet_test_ent_last_reset_link (f->ent, "karim.benali@example.fr");

  /* A link to another site is not pasted into this ENT. */
  g_assert_false (reset_password (f->client, "karim.benali",
                                  "https://ent.example.org/auth/reset/ABCD1234", "Trousse2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CODE);
  g_clear_error (&error);

  /* The bare code works as well as the link, but not after 24 hours. */
  code = g_path_get_basename (link);
  g_assert_cmpuint (strlen (code), ==, 8);
  carnet_test_ent_advance_clock (f->ent, 24 * 3600 + 1);
  g_assert_false (reset_password (f->client, "karim.benali", code, "Trousse2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CODE_EXPIRED);
  g_clear_error (&error);
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Cartable2026"));
}

/* --- the account ------------------------------------------------------------ */

static void
test_change_password (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));

  g_assert_false (change_password (f->client, "karim.benali", "Mauvais2026", "Trousse2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Cartable2026"));

  g_assert_true (change_password (f->client, "karim.benali", "Cartable2026", "Trousse2026", &error));
  g_assert_no_error (error);
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Trousse2026"));
}

static void
test_children (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(CarnetEntUser) user = NULL;
  g_autoptr(GPtrArray) children = NULL;
  gboolean seen_ines = FALSE, seen_yanis = FALSE;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  user = get_user_info (f->client, &error);
  g_assert_no_error (error);

  carnet_ent_client_get_children_async (f->client, user, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  children = carnet_ent_client_get_children_finish (f->client, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 2);

  for (guint i = 0; i < children->len; i++)
    {
      CarnetEntChild *child = g_ptr_array_index (children, i);
      const char * const *classes = carnet_ent_child_get_classes (child);

      g_assert_cmpstr (carnet_ent_child_get_last_name (child), ==, "Benali");
      g_assert_nonnull (classes);
      if (g_strcmp0 (carnet_ent_child_get_first_name (child), "Inès") == 0)
        {
          seen_ines = TRUE;
          g_assert_true (string_contains (carnet_ent_child_get_school_name (child), "Jules Ferry"));
          g_assert_cmpstr (classes[0], ==, "CM2");
        }
      else if (g_strcmp0 (carnet_ent_child_get_first_name (child), "Yanis") == 0)
        {
          seen_yanis = TRUE;
          g_assert_true (string_contains (carnet_ent_child_get_school_name (child), "Jean Jaurès"));
          g_assert_cmpstr (classes[0], ==, "5ème C");
        }
    }
  g_assert_true (seen_ines && seen_yanis);
}

static void
test_session_expired (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  carnet_test_ent_expire_sessions (f->ent);

  user = get_user_info (f->client, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_null (user);
  g_assert_false (carnet_ent_client_has_session (f->client));
  g_clear_error (&error);

  /* Logging in again repairs it. */
  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  user = get_user_info (f->client, &error);
  g_assert_no_error (error);
}

static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  carnet_ent_client_logout_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_ent_client_logout_finish (f->client, res, &error));
  g_assert_no_error (error);
  g_assert_false (carnet_ent_client_has_session (f->client));

  user = get_user_info (f->client, &error);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
}

static void
test_csrf_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(CarnetEntRequirements) req = NULL;

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));

  /* The ENT refuses the CSRF token: the page gets an error it can act on. */
  carnet_test_ent_set_fault (f->ent, "/auth/cgu/revalidate", "csrf", 0, 1);
  carnet_ent_client_accept_charter_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_false (carnet_ent_client_accept_charter_finish (f->client, res, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CARNET_ENT_ERROR);
  g_assert_true (error->code == CARNET_ENT_ERROR_SESSION_EXPIRED || error->code == CARNET_ENT_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_object (&res);

  /* Without the fault, the server's own CSRF check passes: the client sends
   * the token from the XSRF-TOKEN cookie. */
  if (!carnet_ent_client_has_session (f->client))
    g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));
  carnet_ent_client_accept_charter_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_ent_client_accept_charter_finish (f->client, res, &error));
  g_assert_no_error (error);
  req = get_requirements (f->client, &error);
  g_assert_false (carnet_ent_requirements_get_need_revalidate_terms (req));
}

/* --- faults ----------------------------------------------------------------- */

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  static const struct {
    const char *kind;
    CarnetEntError expected;
  } rows[] = {
    { "500", CARNET_ENT_ERROR_SERVER },
    { "502", CARNET_ENT_ERROR_SERVER },
    { "malformed", CARNET_ENT_ERROR_PROTOCOL },
    { "mistyped", CARNET_ENT_ERROR_PROTOCOL },
    { "drop", CARNET_ENT_ERROR_NETWORK },
    { "huge", CARNET_ENT_ERROR_PROTOCOL },
    { "redirect-other-host", CARNET_ENT_ERROR_PROTOCOL },
    { "redirect-loop", CARNET_ENT_ERROR_PROTOCOL },
    { "expire-session", CARNET_ENT_ERROR_SESSION_EXPIRED },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(CarnetEntUser) user = NULL;

      if (!carnet_ent_client_has_session (f->client))
        g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
      g_assert_no_error (error);

      /* Until cleared: libsoup may legitimately resend a GET once after a
       * dropped keep-alive connection, and a one-shot fault would then
       * test nothing. */
      carnet_test_ent_set_fault (f->ent, "/auth/oauth2/userinfo", rows[i].kind, 0, -1);
      user = get_user_info (f->client, &error);
      carnet_test_ent_clear_faults (f->ent);
      g_test_message ("fault %s: %s", rows[i].kind, error ? error->message : "(none)");
      g_assert_null (user);
      g_assert_error (error, CARNET_ENT_ERROR, (int) rows[i].expected);
      /* Every message can be shown to a parent as it is. */
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_clear_error (&error);
    }
}


/* A 200 whose body is cut short or has every member of the wrong type, on
 * each route that has no other test of it: an answer Carnet does not
 * understand, never a success (the parent would wait for a mail that may
 * not come) nor a refusal of what they typed (or an expired link). */
static void
test_fault_bodies (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const kinds[] = { "malformed", "mistyped" };
  static const char * const paths[] = {
    "/auth/activation", "/auth/forgot-id", "/auth/forgot-password", "/auth/reset",
    "/auth/cgu/revalidate", "/directory/user/mailstate",
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (login (f->client, "nathalie.martin", "Soleil2026", &error));
  g_assert_no_error (error);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
      {
        const char *path = paths[p];
        gboolean ok;

        carnet_test_ent_set_fault (f->ent, path, kinds[k], 0, 1);
        if (g_str_equal (path, "/auth/activation"))
          ok = activate (f->client, "7KQ4M2PX", "Cahier2026", "frederic@ac-lille.fr", NULL, &error);
        else if (g_str_equal (path, "/auth/forgot-id"))
          {
            g_autoptr(GPtrArray) schools = forgot_login (f->client, "karim.benali@example.fr",
                                                         NULL, NULL, &error);
            ok = schools != NULL;
          }
        else if (g_str_equal (path, "/auth/forgot-password"))
          ok = forgot_password (f->client, "karim.benali", &error);
        else if (g_str_equal (path, "/auth/reset"))
          ok = reset_password (f->client, "karim.benali", "ABCD1234", "Trousse2026", &error);
        else if (g_str_equal (path, "/auth/cgu/revalidate"))
          ok = accept_charter (f->client, &error);
        else
          ok = send_mail_code (f->client, "nathalie.nouvelle@example.fr", &error);
        carnet_test_ent_clear_faults (f->ent);

        g_test_message ("%s on %s: %s", kinds[k], path, error ? error->message : "(none)");
        g_assert_false (ok);
        g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
        /* Logged in, the address is right: no advice to check it. */
        if (g_str_equal (path, "/auth/cgu/revalidate") || g_str_equal (path, "/directory/user/mailstate"))
          {
            g_assert_null (strstr (error->message, "letter"));
            g_assert_nonnull (strstr (error->message, "school"));
          }
        g_clear_error (&error);
      }

  /* The session survived all that, and the real answers still pass: 204
   * for the charter, 200 with an empty body for the code. */
  g_assert_true (carnet_ent_client_has_session (f->client));
  g_assert_true (accept_charter (f->client, &error));
  g_assert_no_error (error);
  g_assert_true (send_mail_code (f->client, "nathalie.nouvelle@example.fr", &error));
  g_assert_no_error (error);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntContext) context = NULL;
  gint64 start;

  const guint timeout = 1;
  const guint latency_ms = 10000;
  gint64 elapsed;

  /* Bounded by what is configured, not by a margin a busy machine (ASan,
   * three builds on two cores) can overrun: at least the time-out, and
   * well before the answer would have come. */
  carnet_ent_client_set_timeout (f->client, timeout);
  carnet_test_ent_set_fault (f->ent, "/auth/context", "latency", latency_ms, 1);
  start = g_get_monotonic_time ();
  context = get_context (f->client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed, >=, timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, (gint64) latency_ms * 1000);
}

/* A hostile or broken ENT that answers a byte at a time: the socket is never
 * silent for a second, so only Carnet's own deadline ends the wait. */
static void
test_timeout_trickle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntContext) context = NULL;
  gint64 start;

  const guint timeout = 1;
  gint64 elapsed;

  /* The whole trickled answer takes about 18 s (a byte every 200 ms) and
   * would end in PROTOCOL ("{}" is no context): TIMEOUT itself shows that
   * Carnet's deadline ended the wait. The time is bounded by the
   * configured time-out (issue 13: a fixed 2 s bound failed at 4.1 s under
   * ASan on a busy machine): not before it, and a small multiple of it,
   * far below the trickle's length. */
  carnet_ent_client_set_timeout (f->client, timeout);
  carnet_test_ent_set_fault (f->ent, "/auth/context", "trickle", 0, 1);
  start = g_get_monotonic_time ();
  context = get_context (f->client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed, >=, timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, 10 * timeout * G_USEC_PER_SEC);
}

/* ENT_TRICKLE_BODY_MS of tests/ent-server/ent-server.h: how long the
 * "trickle-body" fault takes to send its body. */
#define TRICKLE_BODY_MS 16000

/* Issue 13, item 4: the headers at once, then a body a byte every 200 ms.
 * The socket is never silent and the headers came in time: only a
 * deadline for the whole answer ends the wait. Every kind of request goes
 * through it: a JSON route, the login form (an HTML answer), the charter's
 * document (the largest answer). Without it each call would end after
 * the whole body, 16 s later, with the fault's (valid) context. */
static void
test_timeout_trickle_body (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntContext) context = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GBytes) charter = NULL;
  gint64 start, elapsed;

  const guint timeout = 1;
  const guint charter_timeout = 5;

  carnet_ent_client_set_timeout (f->client, timeout);

  /* Bounded by what is configured and by the fault, not by a margin a
   * loaded machine (ASan, two cores) can overrun: not before the
   * time-out, and before the body could have ended. (On such a machine
   * 1 s may end even before the headers: the same error, the same
   * bounds.) */
  carnet_test_ent_set_fault (f->ent, "/auth/context", "trickle-body", 0, 1);
  start = g_get_monotonic_time ();
  context = get_context (f->client, &error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("/auth/context: TIMEOUT after %" G_GINT64_FORMAT " ms (time-out %u s, body %d ms)",
                  elapsed / 1000, timeout, TRICKLE_BODY_MS);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
  g_assert_null (context);
  g_assert_cmpint (elapsed, >=, timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, (gint64) TRICKLE_BODY_MS * 1000);
  g_clear_error (&error);

  carnet_test_ent_clear_faults (f->ent);
  carnet_test_ent_set_fault (f->ent, "/auth/login", "trickle-body", 0, 1);
  start = g_get_monotonic_time ();
  g_assert_false (login (f->client, "karim.benali", "Cartable2026", &error));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("/auth/login: TIMEOUT after %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
  g_assert_cmpint (elapsed, >=, timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, (gint64) TRICKLE_BODY_MS * 1000);
  g_clear_error (&error);

  /* The same message as the headers' time-out. */
  {
    g_autoptr(GError) headers_error = NULL;
    g_autoptr(CarnetEntContext) late = NULL;

    carnet_test_ent_clear_faults (f->ent);
    carnet_test_ent_set_fault (f->ent, "/auth/context", "trickle", 0, 1);
    late = get_context (f->client, &headers_error);
    g_assert_error (headers_error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
    carnet_test_ent_clear_faults (f->ent);
    carnet_test_ent_set_fault (f->ent, "/auth/context", "trickle-body", 0, 1);
    g_clear_object (&context);
    context = get_context (f->client, &error);
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
    g_assert_cmpstr (error->message, ==, headers_error->message);
    g_clear_error (&error);
  }

  /* The charter's document. Its request comes after a login and after
   * GET /auth/i18n (where the charter is), which must succeed first: those
   * get the default time-out and a longer one, so that a slow machine
   * (a login took more than 1 s under ASan) reaches the document. */
  /* On a slow machine a 1 s time-out can end a call before its request
   * reached the test ENT: that fault is still armed, and would meet the
   * next request to its route. */
  carnet_test_ent_clear_faults (f->ent);
  carnet_ent_client_set_timeout (f->client, 30);
  login (f->client, "nathalie.martin", "Soleil2026", &error);
  g_assert_no_error (error);
  carnet_ent_client_set_timeout (f->client, charter_timeout);
  carnet_test_ent_set_fault (f->ent, "/assets/cgu/Charte_d_utilisation.pdf", "trickle-body", 0, 1);
  start = g_get_monotonic_time ();
  carnet_ent_client_get_charter_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  charter = carnet_ent_client_get_charter_finish (f->client, res, NULL, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("charter: TIMEOUT after %" G_GINT64_FORMAT " ms (time-out %u s)",
                  elapsed / 1000, charter_timeout);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TIMEOUT);
  g_assert_null (charter);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/assets/cgu/Charte_d_utilisation.pdf"), ==, 1);
  g_assert_cmpint (elapsed, >=, charter_timeout * G_USEC_PER_SEC - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, (gint64) TRICKLE_BODY_MS * 1000);

  /* The client still works afterwards. */
  carnet_ent_client_set_timeout (f->client, 30);
  g_clear_error (&error);
  g_clear_object (&context);
  context = get_context (f->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
}

/* --- issue 13, item 7: the bodies with secrets are wiped ------------------ */

/* Every secret body the client frees: its size, and whether all its bytes
 * were zero just before free(). */
static GArray *wiped_sizes;
static gboolean wiped_all_zero;

static void
wiped_hook (const char *data,
            gsize       size)
{
  for (gsize i = 0; i < size; i++)
    if (data[i] != '\0')
      wiped_all_zero = FALSE;
  g_array_append_val (wiped_sizes, size);
  g_test_message ("secret body of %" G_GSIZE_FORMAT " bytes freed", size);
}

/* A body of *@user_data bytes was freed (and is counted once). */
static gboolean
wiped_cb (gpointer user_data)
{
  gsize size = *(const gsize *) user_data;

  for (guint i = 0; i < wiped_sizes->len; i++)
    if (g_array_index (wiped_sizes, gsize, i) == size)
      {
        g_array_remove_index (wiped_sizes, i);
        return TRUE;
      }
  return FALSE;
}

/* libsoup lets go of a message's body once it is done with the message:
 * the test waits for that rather than guessing when. */
static void
await_wiped (gsize size)
{
  g_test_message ("waiting for a secret body of %" G_GSIZE_FORMAT " bytes", size);
  carnet_test_wait_until (wiped_cb, &size, "a request body freed after its answer");
}

static void
test_secret_bodies_wiped (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *long_password = g_strnfill (2100, 'A');
  g_autofree char *long_form = NULL;
  gboolean matches = FALSE;
  static const char login_form[] =
    "email=karim.benali&password=Cartable2026&rememberMe=true&secureLocation=true";
  static const char match_json[] = "{\"login\":\"frederic\",\"password\":\"7KQ4M2PX\"}";

  wiped_sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  wiped_all_zero = TRUE;
  carnet_ent_secret_set_free_hook (wiped_hook);

  /* The login form: the ENT got the password (the login worked), then the
   * whole buffer, of the form's size exactly, was zero when freed. */
  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_no_error (error);
  await_wiped (sizeof login_form);

  /* A 2 KB password: still one buffer of the form's size (the client's
   * buffer used to start at 1 KB and grow, leaving copies behind). */
  long_form = g_strconcat ("email=karim.benali&password=", long_password,
                           "&rememberMe=true&secureLocation=true", NULL);
  g_assert_false (login (f->client, "karim.benali", long_password, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  await_wiped (strlen (long_form) + 1);

  /* The letter's code, in JSON (json-glib's builder and generator kept
   * copies nobody wiped). */
  carnet_ent_client_activation_match_async (f->client, "frederic", "7KQ4M2PX", NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_ent_client_activation_match_finish (f->client, res, &matches, &error));
  g_assert_no_error (error);
  g_assert_true (matches);
  g_clear_object (&res);   /* the operation, its message and its body */
  await_wiped (sizeof match_json);

  g_assert_true (wiped_all_zero);
  carnet_ent_secret_set_free_hook (NULL);
  g_clear_pointer (&wiped_sizes, g_array_unref);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  gint64 start;

  const guint latency_ms = 10000;

  carnet_test_ent_set_fault (f->ent, "/auth/login", "latency", latency_ms, 1);
  start = g_get_monotonic_time ();
  carnet_ent_client_login_async (f->client, "karim.benali", "Cartable2026", cancellable, carnet_test_done_cb, NULL);
  g_timeout_add (200, cancel_cb, cancellable);
  res = carnet_test_await_result ();
  g_assert_false (carnet_ent_client_login_finish (f->client, res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The user gets control back at once, not when the ENT answers (the
   * bound is the answer's delay, not a margin a loaded machine overruns). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, (gint64) latency_ms * 1000);
  g_assert_false (carnet_ent_client_has_session (f->client));
}

/* --- issue 12: what entcore 6.15.4 really answers ------------------------- */

/* The failed login page carries the TRANSLATED message (ENT-CORRECTIONS 1):
 * read through GET /auth/i18n, fetched once per client. */
static void
test_login_errors_translated (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (login (f->client, "karim.benali", "Mauvais2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_PASSWORD);
  /* French by default, with the apostrophe decoded. */
  g_assert_cmpstr (carnet_ent_error_get_server_message (error), ==,
                   "L'identifiant ou le mot de passe est incorrect.");
  g_clear_error (&error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/i18n"), ==, 1);

  g_assert_false (login (f->client, "bloque.parent", "Bloque2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED);
  g_clear_error (&error);

  /* An unknown login is the same refusal. */
  g_assert_false (login (f->client, "personne.inconnue", "Mauvais2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);

  /* The dictionary was fetched once for the three. */
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/i18n"), ==, 1);
}

static void
test_login_errors_english (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  carnet_ent_client_set_accept_language (f->client, "en-GB, en;q=0.9");

  g_assert_false (login (f->client, "karim.benali", "Mauvais2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_cmpstr (carnet_ent_error_get_server_message (error), ==, "Invalid login or password");
  g_clear_error (&error);

  /* en.json has no auth.error.blockedUser: the raw key. */
  g_assert_false (login (f->client, "bloque.parent", "Bloque2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED);
  g_clear_error (&error);

  /* The activation errors too. */
  g_assert_false (activate (f->client, "WRONG123", "Cahier2026", "frederic@ac-lille.fr", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_PASSWORD);
}

/* Without the dictionary (the ENT fails on it), the words still tell. */
static void
test_login_errors_no_i18n (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  carnet_test_ent_set_fault (f->ent, "/auth/i18n", "500", 0, -1);

  g_assert_false (login (f->client, "karim.benali", "Mauvais2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_false (login (f->client, "bloque.parent", "Bloque2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BLOCKED);
}

/* The ban's page is translated too, and the parent is told when to retry. */
static void
test_login_ban_translated (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 5; i++)
    {
      g_assert_false (login (f->client, "karim.benali", "Mauvais2026", &error));
      g_clear_error (&error);
    }

  g_assert_false (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BANNED);
  g_assert_cmpuint (carnet_ent_error_get_retry_after (error), ==, 15 * 60);
  g_assert_true (string_contains (error->message, "15"));
  g_assert_true (string_contains (carnet_ent_error_get_server_message (error), "tentatives"));
}

/* A reset code typed as the password (ENT-CORRECTIONS 7): 302 to
 * /auth/reset/<code> without a session. */
static void
test_login_with_reset_code (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *code = NULL;

  g_assert_true (forgot_password (f->client, "karim.benali", &error));
  g_assert_no_error (error);
  link = carnet_test_ent_last_reset_link (f->ent, "karim.benali@example.fr");
  code = g_path_get_basename (link);

  g_assert_false (login (f->client, "karim.benali", code, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD);
  g_assert_cmpstr (carnet_ent_error_get_server_message (error), ==, code);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_PASSWORD);
  g_assert_false (carnet_ent_client_has_session (f->client));
  g_clear_error (&error);

  /* The page it opens: the code and a new password. */
  g_assert_true (reset_password (f->client, "karim.benali", code, "Trousse2026", &error));
  g_assert_no_error (error);
  g_assert_true (login (f->client, "karim.benali", "Trousse2026", &error));
  g_assert_no_error (error);
}

/* A password changed elsewhere: the remembered one is a plain refusal. */
static void
test_login_password_changed_elsewhere (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  carnet_test_ent_set_password (f->ent, "karim.benali", "Ailleurs2026");
  g_assert_false (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (login (f->client, "karim.benali", "Ailleurs2026", &error));
  g_assert_no_error (error);
}

/* changePassword's success is a 302 to its callback, the session kept
 * (ENT-CORRECTIONS 2): it used to read as an expired session. */
static void
test_change_password_keeps_session (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_true (change_password (f->client, "karim.benali", "Cartable2026", "Trousse2026", &error));
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_has_session (f->client));
  user = get_user_info (f->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);

  /* Back to a password used before: the ENT's one text for "wrong current
   * password or used before" (ENT-CORRECTIONS 4). */
  g_assert_false (change_password (f->client, "karim.benali", "Trousse2026", "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_PASSWORD);
  g_assert_true (string_contains (error->message, "used before"));
  g_clear_error (&error);

  /* The session ended: the filter's 302 to the login page. */
  carnet_test_ent_expire_sessions (f->ent);
  g_assert_false (change_password (f->client, "karim.benali", "Trousse2026", "Gomme2026x", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
}

/* A forced change (ENT-CORRECTIONS 3): changePassword is redirected, the
 * way out is POST /auth/reset forceChange=force, then a new login. */
static void
test_force_change_password (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntRequirements) requirements = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  carnet_test_ent_set_user_flag (f->ent, "karim.benali", "forceChangePassword", TRUE);

  requirements = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_requirements_get_force_change_password (requirements));

  g_assert_false (change_password (f->client, "karim.benali", "Cartable2026", "Trousse2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_NEW_PASSWORD);
  g_clear_error (&error);

  /* A wrong current password changes nothing. */
  g_assert_false (force_change_password (f->client, "karim.benali", "Mauvais2026", "Trousse2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Cartable2026"));

  g_assert_true (force_change_password (f->client, "karim.benali", "Cartable2026", "Trousse2026", &error));
  g_assert_no_error (error);
  g_assert_true (carnet_test_ent_check_password (f->ent, "karim.benali", "Trousse2026"));
  g_assert_true (carnet_ent_client_has_session (f->client));
  user = get_user_info (f->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_clear_object (&requirements);
  requirements = get_requirements (f->client, &error);
  g_assert_no_error (error);
  g_assert_false (carnet_ent_requirements_get_force_change_password (requirements));
}

/* reset.error is "bad code or password used before": /auth/reset/match
 * tells them apart (ENT-CORRECTIONS 4). */
static void
test_reset_refusals (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  g_assert_true (change_password (f->client, "karim.benali", "Cartable2026", "Trousse2026", &error));
  g_assert_no_error (error);

  g_assert_true (forgot_password (f->client, "karim.benali", &error));
  link = carnet_test_ent_last_reset_link (f->ent, "karim.benali@example.fr");

  /* The code is right, the password was used before. */
  g_assert_false (reset_password (f->client, "karim.benali", link, "Cartable2026", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_NEW_PASSWORD);
  g_clear_error (&error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/reset/match"), ==, 1);

  /* A code that was never sent. */
  g_assert_false (reset_password (f->client, "karim.benali", "abcd2345", "Gomme2026x", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CODE_EXPIRED);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CODE);
  g_clear_error (&error);

  /* The right code and a new password still work. */
  g_assert_true (reset_password (f->client, "karim.benali", link, "Gomme2026x", &error));
  g_assert_no_error (error);
}

/* Activation errors name their field (ENT-CORRECTIONS 5). */
static void
test_activation_error_fields (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (activate (f->client, "7KQ4M2PX", "Cahier2026", "pas-une-adresse", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_MAIL);
  g_assert_true (string_contains (error->message, "email address"));
  g_assert_true (string_contains (carnet_ent_error_get_server_message (error), "email"));
  g_clear_error (&error);

  g_assert_false (activate (f->client, "WRONG123", "Cahier2026", "frederic@ac-lille.fr", NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_BAD_CREDENTIALS);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_PASSWORD);
  g_clear_error (&error);

  g_assert_false (carnet_test_ent_check_password (f->ent, "frederic", "Cahier2026"));
}

/* A lost 302 after a successful activation: posting the same form again
 * succeeds again (ENT-CORRECTIONS 5), it does not read as a wrong code. */
static void
test_activation_repost (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (activate (f->client, "7KQ4M2PX", "Cahier2026", "frederic@ac-lille.fr", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (activate (f->client, "7KQ4M2PX", "Cahier2026", "frederic@ac-lille.fr", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (carnet_test_ent_check_password (f->ent, "frederic", "Cahier2026"));
}

/* mailstate (ENT-CORRECTIONS 12): a code checked before any was sent is
 * "outdated", and POST answers only {"state","valid"}. */
static void
test_mail_code_before_send (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntMailState) state = NULL;

  g_assert_true (login (f->client, "karim.benali", "Cartable2026", &error));
  state = check_mail_code (f->client, "123456", &error);
  g_assert_no_error (error);
  g_assert_cmpint (carnet_ent_mail_state_get_kind (state), ==, CARNET_ENT_MAIL_STATE_OUTDATED);
}

/* --- quirks the test ENT does not reproduce: a tiny server of our own ------ */

/* entcore may answer PUT /auth/cgu/revalidate with 400 cgu.accept.failed
 * after it recorded the acceptance (ENT-CORRECTIONS 13, AC:1918-1935); the
 * test ENT does not, so an in-process HTTPS server plays that part. */
typedef struct {
  gboolean still_pending;
  guint    requirements_asked;
} QuirkServer;

static void
quirk_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  QuirkServer *quirk = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "PUT") && g_str_equal (path, "/auth/cgu/revalidate"))
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":\"cgu.accept.failed\"}", 29);
      return;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, "/auth/user/requirements"))
    {
      g_autofree char *body = g_strdup_printf ("{\"forceChangePassword\":false,\"needRevalidateTerms\":%s,"
                                               "\"needRevalidateEmail\":false,\"needRevalidateMobile\":false,"
                                               "\"needMfa\":false}",
                                               quirk->still_pending ? "true" : "false");

      quirk->requirements_asked++;
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }

  soup_server_message_set_status (msg, 404, NULL);
}

static SoupServer *
quirk_server_start (QuirkServer      *quirk,
                    CarnetEntClient **client)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (g_getenv ("CARNET_TEST_DATA"), "server.pem", NULL);
  g_autofree char *key = g_build_filename (g_getenv ("CARNET_TEST_DATA"), "server-key.pem", NULL);
  g_autofree char *ca = g_build_filename (g_getenv ("CARNET_TEST_DATA"), "ca.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_autofree char *url = NULL;
  SoupServer *server;
  GSList *uris;

  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, quirk_handler, quirk, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error));
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  *client = carnet_ent_client_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (*client, ca, &error));
  g_assert_no_error (error);

  return server;
}

static void
test_accept_charter_400_recorded (void)
{
  QuirkServer quirk = { FALSE, 0 };
  g_autoptr(CarnetEntClient) client = NULL;
  g_autoptr(SoupServer) server = quirk_server_start (&quirk, &client);
  g_autoptr(GError) error = NULL;

  /* Recorded all the same: requirements (the only one to trust) says so. */
  g_assert_true (accept_charter (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (quirk.requirements_asked, ==, 1);

  /* Not recorded: the ENT failed; nothing the parent did is wrong. */
  quirk.still_pending = TRUE;
  g_assert_false (accept_charter (client, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SERVER);
  g_assert_cmpuint (quirk.requirements_asked, ==, 2);

  g_clear_object (&client);
  soup_server_disconnect (server);
}

#define ADD(path, fn) \
  g_test_add ("/ent/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("context", test_context);
  ADD ("context/not-an-ent", test_context_not_an_ent);
  g_test_add_func ("/ent/tls/needs-explicit-ca", test_tls_needs_explicit_ca);
  g_test_add_func ("/ent/tls/wrong-ca", test_tls_wrong_ca);
  g_test_add_func ("/ent/tls/hostile", test_tls_hostile);
  ADD ("tls/http-becomes-https", test_http_becomes_https);
  g_test_add_func ("/ent/tls/no-password-over-http", test_no_password_over_http);
  g_test_add_func ("/ent/issue12/accept-charter-400-recorded", test_accept_charter_400_recorded);
  ADD ("activation/match", test_activation_match);
  ADD ("activation/success", test_activation);
  ADD ("activation/errors", test_activation_errors);
  ADD ("login/success", test_login);
  ADD ("login/remember-me", test_login_remember_me);
  ADD ("login/errors", test_login_errors);
  ADD ("login/ban", test_login_ban);
  ADD ("requirements", test_requirements);
  ADD ("charter", test_charter);
  ADD ("mail/code", test_mail_code);
  ADD ("mail/expired", test_mail_code_expired);
  ADD ("mail/tries", test_mail_code_tries);
  ADD ("forgot-login/one", test_forgot_login);
  ADD ("forgot-login/several-schools", test_forgot_login_several_schools);
  ADD ("forgot-password/reset", test_forgot_password_and_reset);
  ADD ("forgot-password/errors", test_reset_errors);
  ADD ("account/change-password", test_change_password);
  ADD ("account/children", test_children);
  ADD ("session/expired", test_session_expired);
  ADD ("session/logout", test_logout);
  ADD ("session/csrf-refused", test_csrf_refused);
  ADD ("faults", test_faults);
  ADD ("faults/bodies", test_fault_bodies);
  ADD ("faults/timeout", test_timeout);
  ADD ("faults/timeout-trickle", test_timeout_trickle);
  ADD ("faults/timeout-trickle-body", test_timeout_trickle_body);
  ADD ("secrets/bodies-wiped", test_secret_bodies_wiped);
  ADD ("issue12/login-translated", test_login_errors_translated);
  ADD ("issue12/login-english", test_login_errors_english);
  ADD ("issue12/login-no-i18n", test_login_errors_no_i18n);
  ADD ("issue12/login-ban-translated", test_login_ban_translated);
  ADD ("issue12/login-reset-code", test_login_with_reset_code);
  ADD ("issue12/login-password-changed-elsewhere", test_login_password_changed_elsewhere);
  ADD ("issue12/change-password-keeps-session", test_change_password_keeps_session);
  ADD ("issue12/force-change-password", test_force_change_password);
  ADD ("issue12/reset-refusals", test_reset_refusals);
  ADD ("issue12/activation-error-fields", test_activation_error_fields);
  ADD ("issue12/activation-repost", test_activation_repost);
  ADD ("issue12/mail-code-before-send", test_mail_code_before_send);
  ADD ("faults/cancel", test_cancel);

  return g_test_run ();
}
