/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-harness"

#include "config.h"

#include "carnet-test-ent.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define STOP_TIMEOUT_MS 5000

struct _CarnetTestEnt
{
  GSubprocess *process;
  char        *server_path;
  char        *data_dir;
  char        *ca_file;
  char        *cert_name;   /* "server", or a hostile one */
  char        *state_dir;
  char        *outbox;
  char        *url;
  char        *host;
  char        *idp_url;
  SoupSession *session;
};

static const char *
required_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run the test through meson test", name);

  return value;
}

/* Runs in the child between fork and exec: a test that crashes must not
 * leave a server behind. */
static void
child_setup_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
spawn (CarnetTestEnt *ent)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *cert_file = g_strconcat (ent->cert_name, ".pem", NULL);
  g_autofree char *key_file = g_strconcat (ent->cert_name, "-key.pem", NULL);
  g_autofree char *cert = g_build_filename (ent->data_dir, cert_file, NULL);
  g_autofree char *key = g_build_filename (ent->data_dir, key_file, NULL);
  g_autoptr(GDataInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb, NULL, NULL);
  ent->process = g_subprocess_launcher_spawn (launcher, &error, ent->server_path,
                                              "--state-dir", ent->state_dir,
                                              "--port", "0",
                                              "--cert", cert,
                                              "--key", key,
                                              NULL);
  if (ent->process == NULL)
    g_error ("Cannot start %s: %s", ent->server_path, error->message);

  /* The pipe stays open (owned by the subprocess) after this stream goes:
   * do not close the base stream, the server may still print. */
  input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ent->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
  /* Skip anything a library might print before the server's own line. */
  for (guint i = 0; i < 1000; i++)
    {
      g_free (line);
      line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, &error);
      if (line == NULL || g_str_has_prefix (line, "URL https://"))
        break;
      /* The stand-in EduConnect's line comes first. */
      if (g_str_has_prefix (line, "IDP https://"))
        {
          g_free (ent->idp_url);
          ent->idp_url = g_strdup (line + strlen ("IDP "));
        }
    }
  if (line != NULL && ent->idp_url == NULL)
    g_error ("The test ENT did not say where its EduConnect is");
  if (line == NULL || !g_str_has_prefix (line, "URL https://"))
    g_error ("The test ENT did not start (%s)",
             error != NULL ? error->message : line != NULL ? line : "it exited");

  g_free (ent->url);
  g_free (ent->host);
  ent->url = g_strdup (line + strlen ("URL "));
  ent->host = g_strdup (ent->url + strlen ("https://"));
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* SIGTERM lets the server save its state; SIGKILL only if it hangs. Waits on
 * a private context so the test's own main loop is left alone. */
static void
terminate (CarnetTestEnt *ent)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  GSource *timeout;

  if (ent->process == NULL)
    return;

  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (ent->process, SIGTERM);
  g_subprocess_wait_async (ent->process, NULL, wait_cb, &done);
  timeout = g_timeout_source_new (STOP_TIMEOUT_MS);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);

  if (!done)
    {
      g_warning ("The test ENT ignored SIGTERM; killing it");
      g_subprocess_force_exit (ent->process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }

  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_pop_thread_default (context);
  g_clear_object (&ent->process);
}

SoupSession *
carnet_test_ent_new_soup_session (CarnetTestEnt *ent)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ent->ca_file, &error);
  SoupSession *session;

  if (database == NULL)
    g_error ("Cannot load %s: %s", ent->ca_file, error->message);

  session = soup_session_new_with_options ("timeout", 30, "tls-database", database, NULL);

  return session;
}

CarnetTestEnt *
carnet_test_ent_start (void)
{
  return carnet_test_ent_start_with_cert ("server");
}

CarnetTestEnt *
carnet_test_ent_start_with_cert (const char *name)
{
  CarnetTestEnt *ent = g_new0 (CarnetTestEnt, 1);
  g_autoptr(GError) error = NULL;

  ent->cert_name = g_strdup (name);

  ent->server_path = g_strdup (required_env ("CARNET_TEST_ENT_SERVER"));
  ent->data_dir = g_strdup (required_env ("CARNET_TEST_DATA"));
  ent->ca_file = g_build_filename (ent->data_dir, "ca.pem", NULL);
  ent->state_dir = g_dir_make_tmp ("carnet-test-ent-XXXXXX", &error);
  if (ent->state_dir == NULL)
    g_error ("Cannot make a temporary folder: %s", error->message);
  ent->outbox = g_build_filename (ent->state_dir, "outbox", NULL);
  ent->session = carnet_test_ent_new_soup_session (ent);

  spawn (ent);

  return ent;
}

void
carnet_test_ent_restart (CarnetTestEnt *ent)
{
  terminate (ent);
  spawn (ent);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
carnet_test_ent_stop (CarnetTestEnt *ent)
{
  if (ent == NULL)
    return;

  terminate (ent);
  remove_tree (ent->state_dir);

  g_clear_object (&ent->session);
  g_free (ent->server_path);
  g_free (ent->data_dir);
  g_free (ent->ca_file);
  g_free (ent->cert_name);
  g_free (ent->state_dir);
  g_free (ent->outbox);
  g_free (ent->url);
  g_free (ent->host);
  g_free (ent->idp_url);
  g_free (ent);
}

const char *
carnet_test_ent_get_url (CarnetTestEnt *ent)
{
  return ent->url;
}

const char *
carnet_test_ent_get_host (CarnetTestEnt *ent)
{
  return ent->host;
}

const char *
carnet_test_ent_get_ca_file (CarnetTestEnt *ent)
{
  return ent->ca_file;
}

const char *
carnet_test_ent_get_outbox (CarnetTestEnt *ent)
{
  return ent->outbox;
}

const char *
carnet_test_ent_get_state_dir (CarnetTestEnt *ent)
{
  return ent->state_dir;
}

/* --- /__test/ ------------------------------------------------------------- */

static gboolean
accept_hostile_cb (SoupMessage          *msg,
                   GTlsCertificate      *certificate,
                   GTlsCertificateFlags  errors,
                   gpointer              user_data)
{
  return TRUE;
}

static JsonNode *
control (CarnetTestEnt *ent,
         const char    *method,
         const char    *path_and_query,
         JsonBuilder   *body)
{
  g_autofree char *uri = g_strconcat (ent->url, path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;
  gsize length = 0;
  const char *data;

  if (msg == NULL)
    g_error ("Bad control URI %s", uri);

  if (body != NULL)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (body);
      char *json = json_to_string (root, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  /* A server started with a hostile certificate is still the harness's
   * own: its remote control may be read, by this session only. */
  if (g_strcmp0 (ent->cert_name, "server") != 0)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_hostile_cb), NULL);
  answer = soup_session_send_and_read (ent->session, msg, NULL, &error);
  if (answer == NULL)
    g_error ("The test ENT did not answer %s %s: %s", method, path_and_query, error->message);

  data = g_bytes_get_data (answer, &length);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    return NULL;

  text = length > 0 ? g_strndup (data, length) : g_strdup ("{}");
  node = json_from_string (text, &error);
  if (node == NULL)
    g_error ("The test ENT answered %s %s with bad JSON: %s (%s)", method, path_and_query, error->message, text);

  return node;
}

static void
control_ok (CarnetTestEnt *ent,
            const char    *method,
            const char    *path,
            JsonBuilder   *body)
{
  g_autoptr(JsonNode) node = control (ent, method, path, body);

  if (node == NULL)
    g_error ("The test ENT refused %s %s", method, path);
}

void
carnet_test_ent_advance_clock (CarnetTestEnt *ent,
                               guint          seconds)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_int_value (b, seconds);
  json_builder_end_object (b);
  control_ok (ent, "POST", "/__test/clock/advance", b);
}

void
carnet_test_ent_set_fault (CarnetTestEnt *ent,
                           const char    *path,
                           const char    *kind,
                           guint          latency_ms,
                           int            count)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "latencyMs");
  json_builder_add_int_value (b, latency_ms);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, count);
  json_builder_end_object (b);
  control_ok (ent, "POST", "/__test/faults", b);
}

void
carnet_test_ent_clear_faults (CarnetTestEnt *ent)
{
  control_ok (ent, "DELETE", "/__test/faults", NULL);
}

void
carnet_test_ent_expire_sessions (CarnetTestEnt *ent)
{
  control_ok (ent, "POST", "/__test/sessions/expire", NULL);
}

void
carnet_test_ent_reset (CarnetTestEnt *ent)
{
  control_ok (ent, "POST", "/__test/reset", NULL);
}

guint
carnet_test_ent_count_requests (CarnetTestEnt *ent,
                                const char    *path)
{
  g_autofree char *escaped = g_uri_escape_string (path, NULL, FALSE);
  g_autofree char *query = g_strconcat ("/__test/requests?path=", escaped, NULL);
  g_autoptr(JsonNode) node = control (ent, "GET", query, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The test ENT refused to count requests");

  return (guint) json_object_get_int_member_with_default (json_node_get_object (node), "count", 0);
}

GStrv
carnet_test_ent_get_live_secrets (CarnetTestEnt *ent)
{
  g_autoptr(JsonNode) node = control (ent, "GET", "/__test/secrets", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (array = json_object_get_array_member (json_node_get_object (node), "secrets")) == NULL)
    g_error ("The test ENT refused to list its secrets");

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));

  return g_strv_builder_end (builder);
}

char *
carnet_test_ent_get_user_json (CarnetTestEnt *ent,
                               const char    *login)
{
  g_autofree char *escaped = g_uri_escape_string (login, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/__test/users/", escaped, NULL);
  g_autoptr(JsonNode) node = control (ent, "GET", path, NULL);

  if (node == NULL)
    g_error ("The test ENT has no user %s", login);

  return json_to_string (node, TRUE);
}

gboolean
carnet_test_ent_check_password (CarnetTestEnt *ent,
                                const char    *login,
                                const char    *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "login");
  json_builder_add_string_value (b, login);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  node = control (ent, "POST", "/__test/check-password", b);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The test ENT refused to check a password");

  return json_object_get_boolean_member_with_default (json_node_get_object (node), "match", FALSE);
}

void
carnet_test_ent_set_password (CarnetTestEnt *ent,
                              const char    *login,
                              const char    *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *escaped = g_uri_escape_string (login, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/__test/users/", escaped, "/password", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  control_ok (ent, "POST", path, b);
}

void
carnet_test_ent_set_user_flag (CarnetTestEnt *ent,
                               const char    *login,
                               const char    *member,
                               gboolean       value)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *escaped = g_uri_escape_string (login, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/__test/users/", escaped, "/flag", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "member");
  json_builder_add_string_value (b, member);
  json_builder_set_member_name (b, "value");
  json_builder_add_boolean_value (b, value);
  json_builder_end_object (b);
  control_ok (ent, "POST", path, b);
}

char *
carnet_test_ent_get_last_login_remember_me (CarnetTestEnt *ent,
                                            gboolean      *seen)
{
  g_autoptr(JsonNode) node = control (ent, "GET", "/__test/last-login", NULL);
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The test ENT refused to tell the last login");

  object = json_node_get_object (node);
  *seen = json_object_get_boolean_member_with_default (object, "seen", FALSE);

  return g_strdup (json_object_get_string_member_with_default (object, "rememberMe", NULL));
}

void
carnet_test_ent_set_record_string (CarnetTestEnt *ent,
                                   const char    *collection,
                                   const char    *id,
                                   const char    *member,
                                   const char    *value)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "collection");
  json_builder_add_string_value (b, collection);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "member");
  json_builder_add_string_value (b, member);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
  control_ok (ent, "POST", "/__test/records", b);
}

/* --- the timeline (issue 16) ---------------------------------------------- */

char *
carnet_test_ent_publish_notification (CarnetTestEnt *ent,
                                      const char    *login,
                                      const char    *type,
                                      const char    *event_type,
                                      const char    *sender_name,
                                      const char    *subject,
                                      const char    *message_html,
                                      int            delay_seconds)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *id;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "recipient");
  json_builder_add_string_value (b, login);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "eventType");
  json_builder_add_string_value (b, event_type);
  if (sender_name != NULL)
    {
      json_builder_set_member_name (b, "senderName");
      json_builder_add_string_value (b, sender_name);
    }
  if (subject != NULL)
    {
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, subject);
    }
  if (message_html != NULL)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message_html);
    }
  json_builder_set_member_name (b, "delaySeconds");
  json_builder_add_int_value (b, delay_seconds);
  json_builder_end_object (b);

  node = control (ent, "POST", "/__test/timeline", b);
  id = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
       ? json_object_get_string_member_with_default (json_node_get_object (node), "_id", NULL) : NULL;
  if (id == NULL)
    g_error ("The test ENT refused to publish a notification to %s", login);

  return g_strdup (id);
}

gint64
carnet_test_ent_add_flash_message (CarnetTestEnt *ent,
                                   const char    *title,
                                   const char    *contents_html,
                                   const char    *color,
                                   int            start_seconds,
                                   int            duration_seconds)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_set_member_name (b, "contents");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fr");
  json_builder_add_string_value (b, contents_html);
  json_builder_end_object (b);
  if (color != NULL)
    {
      json_builder_set_member_name (b, "color");
      json_builder_add_string_value (b, color);
    }
  json_builder_set_member_name (b, "startSeconds");
  json_builder_add_int_value (b, start_seconds);
  json_builder_set_member_name (b, "durationSeconds");
  json_builder_add_int_value (b, duration_seconds);
  json_builder_end_object (b);

  node = control (ent, "POST", "/__test/flashmsg", b);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "id"))
    g_error ("The test ENT refused to add a flash message");

  return json_object_get_int_member (json_node_get_object (node), "id");
}

gboolean
carnet_test_ent_flash_message_is_read (CarnetTestEnt *ent,
                                       const char    *login,
                                       gint64         id)
{
  g_autoptr(JsonNode) node = control (ent, "GET", "/__test/flashmsg", NULL);
  JsonArray *messages;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The test ENT refused to list its flash messages");

  messages = json_object_get_array_member (json_node_get_object (node), "messages");
  for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      JsonArray *read_by;

      if (json_object_get_int_member (message, "id") != id)
        continue;
      read_by = json_object_get_array_member (message, "readBy");
      for (guint r = 0; r < json_array_get_length (read_by); r++)
        if (g_strcmp0 (json_array_get_string_element (read_by, r), login) == 0)
          return TRUE;
      return FALSE;
    }

  g_error ("The test ENT has no flash message %" G_GINT64_FORMAT, id);
}

/* --- the outbox ------------------------------------------------------------- */

char *
carnet_test_ent_last_mail (CarnetTestEnt *ent,
                           const char    *address)
{
  g_autofree char *lower = g_utf8_strdown (address, -1);
  g_autofree char *suffix = g_strconcat ("-", lower, ".eml", NULL);
  g_autoptr(GDir) dir = g_dir_open (ent->outbox, 0, NULL);
  g_autofree char *newest = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  char *text = NULL;

  /* Names start with a zero-padded counter: the greatest is the newest. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix) && (newest == NULL || strcmp (name, newest) > 0))
      {
        g_free (newest);
        newest = g_strdup (name);
      }

  if (newest == NULL)
    return NULL;

  path = g_build_filename (ent->outbox, newest, NULL);
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("Cannot read %s: %s", path, error->message);

  return text;
}

static char *
search_last_mail (CarnetTestEnt *ent,
                  const char    *address,
                  const char    *pattern,
                  const char    *what)
{
  g_autofree char *mail = carnet_test_ent_last_mail (ent, address);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *body;

  if (mail == NULL)
    g_error ("No mail to %s in the outbox", address);

  body = strstr (mail, "\r\n\r\n");
  body = body != NULL ? body + 4 : mail;
  if (!g_regex_match (regex, body, 0, &match))
    g_error ("The last mail to %s holds no %s", address, what);

  return g_match_info_fetch (match, 0);
}

char *
carnet_test_ent_last_mail_code (CarnetTestEnt *ent,
                                const char    *address)
{
  return search_last_mail (ent, address, "(?<![0-9])[0-9]{6}(?![0-9])", "6-digit code");
}

char *
carnet_test_ent_last_reset_link (CarnetTestEnt *ent,
                                 const char    *address)
{
  return search_last_mail (ent, address, "https://[^\\s/]+/auth/reset/[A-Za-z0-9]{8}(?![A-Za-z0-9])",
                           "reset link");
}

/* --- Waiting, without GTK --------------------------------------------------------- */

static gboolean
hung_cb (gpointer user_data)
{
  g_error ("%s did not happen within 30 s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

void
carnet_test_wait_until (CarnetTestCondition  condition,
                        gpointer             user_data,
                        const char          *what)
{
  guint id = g_timeout_add_seconds (30, hung_cb, (gpointer) what);

  while (!condition (user_data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static GAsyncResult *pending_result;

void
carnet_test_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_assert_null (pending_result);
  pending_result = g_object_ref (result);
}

static gboolean
result_pending_cb (gpointer user_data)
{
  return pending_result != NULL;
}

GAsyncResult *
carnet_test_await_result (void)
{
  carnet_test_wait_until (result_pending_cb, NULL, "the call's end");
  return g_steal_pointer (&pending_result);
}

/* --- EduConnect (issue 15) ----------------------------------------------------- */

const char *
carnet_test_ent_get_idp_url (CarnetTestEnt *ent)
{
  return ent->idp_url;
}

guint
carnet_test_ent_idp_session_count (CarnetTestEnt *ent)
{
  g_autoptr(JsonNode) node = control (ent, "GET", "/__test/idp-sessions", NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The test ENT refused to count its EduConnect sessions");

  return (guint) json_object_get_int_member_with_default (json_node_get_object (node), "count", 0);
}

static JsonNode *
sessions_query (CarnetTestEnt *ent,
                const char    *member,
                const char    *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/__test/sessions?%s=%s", member, escaped);
  JsonNode *node = control (ent, "GET", path, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The test ENT refused to tell its sessions");

  return node;
}

gboolean
carnet_test_ent_session_is_open (CarnetTestEnt *ent,
                                 const char    *one_session_id)
{
  g_autoptr(JsonNode) node = sessions_query (ent, "id", one_session_id);

  return json_object_get_boolean_member_with_default (json_node_get_object (node), "open", FALSE);
}

guint
carnet_test_ent_session_count (CarnetTestEnt *ent,
                               const char    *login)
{
  g_autoptr(JsonNode) node = sessions_query (ent, "login", login);

  return (guint) json_object_get_int_member_with_default (json_node_get_object (node), "count", 0);
}
