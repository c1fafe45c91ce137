/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /__test/: the harness's remote control. Never counted, never faulted,
 * never delayed, so a test can always reach it. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <glib/gstdio.h>
#include <string.h>

static gboolean
is (EntRequest *req,
    const char *method,
    const char *path)
{
  return g_str_equal (req->method, method) && g_str_equal (req->path, path);
}

static void
empty_outbox (EntServer *server)
{
  g_autoptr(GDir) dir = g_dir_open (server->outbox, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (server->outbox, name, NULL);

      g_unlink (path);
    }
}

static void
reply_clock (EntRequest *req)
{
  g_autofree char *text = g_strdup_printf ("{\"now\":%" G_GINT64_FORMAT ",\"offset\":%" G_GINT64_FORMAT "}",
                                           ent_now (req->server),
                                           json_object_get_int_member_with_default (json_node_get_object (req->server->state),
                                                                                    "clockOffset", 0));

  ent_reply_json_text (req, SOUP_STATUS_OK, text);
}

gboolean
ent_routes_test (EntRequest *req)
{
  EntServer *server = req->server;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body = ent_request_json (req, &node);

  if (is (req, "GET", "/__test/clock"))
    {
      reply_clock (req);
      return TRUE;
    }

  if (is (req, "POST", "/__test/clock/advance"))
    {
      JsonObject *root = json_node_get_object (server->state);
      gint64 seconds = body != NULL ? json_object_get_int_member_with_default (body, "seconds", -1) : -1;

      if (seconds < 0)
        {
          ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "seconds");
          return TRUE;
        }
      json_object_set_int_member (root, "clockOffset",
                                  json_object_get_int_member_with_default (root, "clockOffset", 0) + seconds);
      ent_state_save (server);
      reply_clock (req);
      return TRUE;
    }

  if (is (req, "POST", "/__test/faults"))
    {
      const char *path = body != NULL ? json_object_get_string_member_with_default (body, "path", NULL) : NULL;
      const char *kind = body != NULL ? json_object_get_string_member_with_default (body, "kind", NULL) : NULL;
      EntFault *fault;

      if (path == NULL || !ent_fault_kind_is_known (kind))
        {
          ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "unknown.fault");
          return TRUE;
        }

      fault = g_new0 (EntFault, 1);
      fault->kind = g_strdup (kind);
      fault->latency_ms = (guint) json_object_get_int_member_with_default (body, "latencyMs", 0);
      fault->count = (int) json_object_get_int_member_with_default (body, "count", -1);
      if (fault->count == 0)
        ent_fault_free (fault);
      else
        g_hash_table_replace (server->faults, g_strdup (path), fault);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  if (is (req, "DELETE", "/__test/faults"))
    {
      g_hash_table_remove_all (server->faults);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  if (is (req, "POST", "/__test/sessions/expire"))
    {
      GHashTableIter iter;
      EntToken *token;

      g_hash_table_remove_all (server->sessions);
      /* Access tokens end too; refresh tokens survive, as they would. */
      g_hash_table_iter_init (&iter, server->tokens);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &token))
        if (!token->refresh)
          g_hash_table_iter_remove (&iter);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  /* Every secret the ENT has handed out and still honours: session ids,
   * XSRF tokens, OAuth tokens. The secrets test looks for them in Carnet's
   * logs and files. */
  if (is (req, "GET", "/__test/secrets"))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      GHashTableIter iter;
      EntSession *session;
      EntToken *token;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "secrets");
      json_builder_begin_array (builder);
      g_hash_table_iter_init (&iter, server->sessions);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
        {
          json_builder_add_string_value (builder, session->id);
          json_builder_add_string_value (builder, session->xsrf);
        }
      g_hash_table_iter_init (&iter, server->tokens);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &token))
        json_builder_add_string_value (builder, token->token);
      /* Issue 15: the stand-in EduConnect's sessions and the seed's
       * EduConnect passwords (the state keeps only their hashes). */
      {
        EntIdpSession *idp_session;

        g_hash_table_iter_init (&iter, server->idp_sessions);
        while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &idp_session))
          json_builder_add_string_value (builder, idp_session->id);
        json_builder_add_string_value (builder, "Educ-Roux-2026");
        json_builder_add_string_value (builder, "Educ-Garnier-2026");
      }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
      return TRUE;
    }

  /* The last login form's rememberMe: {"seen":false} before any login,
   * then {"seen":true} with "rememberMe" only when the form had one. */
  if (is (req, "GET", "/__test/last-login"))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seen");
      json_builder_add_boolean_value (builder, server->last_login_form != 0);
      if (server->last_login_form == 2)
        {
          json_builder_set_member_name (builder, "rememberMe");
          json_builder_add_string_value (builder, server->last_remember_me);
        }
      json_builder_end_object (builder);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
      return TRUE;
    }

  if (is (req, "GET", "/__test/requests"))
    {
      const char *path = req->query != NULL ? g_hash_table_lookup (req->query, "path") : NULL;
      guint count;
      g_autofree char *text = NULL;

      if (path == NULL || g_str_equal (path, "*"))
        count = server->total_requests;
      else
        count = GPOINTER_TO_UINT (g_hash_table_lookup (server->request_counts, path));
      text = g_strdup_printf ("{\"count\":%u}", count);
      ent_reply_json_text (req, SOUP_STATUS_OK, text);
      return TRUE;
    }

  /* Every request since the start or the last reset, with the monotonic
   * times (µs) it arrived and was answered: the benchmark counts the
   * sequential round trips from it. */
  if (is (req, "GET", "/__test/request-log"))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "requests");
      json_builder_begin_array (builder);
      for (guint i = 0; i < server->request_log->len; i++)
        {
          EntLogged *logged = &g_array_index (server->request_log, EntLogged, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "method");
          json_builder_add_string_value (builder, logged->method);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, logged->path);
          json_builder_set_member_name (builder, "arrived");
          json_builder_add_int_value (builder, logged->arrived);
          json_builder_set_member_name (builder, "answered");
          json_builder_add_int_value (builder, logged->answered);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
      return TRUE;
    }

  /* POST /__test/users/<login>/password {"password"}: as if the parent
   * had reset it elsewhere (through a reset link): the old one stops
   * working and every session of the account ends (AC:1841-1849). */
  if (g_str_equal (req->method, "POST") && g_str_has_prefix (req->path, "/__test/users/") &&
      g_str_has_suffix (req->path, "/password"))
    {
      g_autofree char *login = g_strndup (req->path + strlen ("/__test/users/"),
                                          strlen (req->path) - strlen ("/__test/users/") - strlen ("/password"));
      JsonObject *user = ent_state_find_user (server, login);
      const char *password = body != NULL ? json_object_get_string_member_with_default (body, "password", NULL) : NULL;

      if (user == NULL || password == NULL)
        {
          ent_reply_error (req, user == NULL ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_BAD_REQUEST, "unknown.user");
          return TRUE;
        }
      ent_password_set (user, password);
      ent_sessions_drop_user (server, ent_user_get_string (user, "id"), NULL);
      ent_state_save (server);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  /* POST /__test/users/<login>/flag {"member","value"}: a boolean of the
   * record (forceChangePassword, needRevalidateTerms, emailValidated,
   * blocked, blockedProfile, …). The filters read the record at each
   * request, so live sessions see it at once (userinfo's snapshot does
   * not, as on entcore). Blocking ends the sessions, as PUT /auth/block
   * does (AC:1669-1705). */
  if (g_str_equal (req->method, "POST") && g_str_has_prefix (req->path, "/__test/users/") &&
      g_str_has_suffix (req->path, "/flag"))
    {
      g_autofree char *login = g_strndup (req->path + strlen ("/__test/users/"),
                                          strlen (req->path) - strlen ("/__test/users/") - strlen ("/flag"));
      JsonObject *user = ent_state_find_user (server, login);
      const char *member = body != NULL ? json_object_get_string_member_with_default (body, "member", NULL) : NULL;
      static const char * const refused[] = {
        "id", "login", "passwordHash", "passwordHistory", "children", "emailState", "email", NULL
      };

      if (user == NULL || member == NULL || g_strv_contains (refused, member) ||
          !json_object_has_member (body, "value") ||
          json_node_get_value_type (json_object_get_member (body, "value")) != G_TYPE_BOOLEAN)
        {
          ent_reply_error (req, user == NULL ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_BAD_REQUEST, "bad.flag");
          return TRUE;
        }
      json_object_set_boolean_member (user, member, json_object_get_boolean_member (body, "value"));
      if ((g_str_equal (member, "blocked") || g_str_equal (member, "blockedProfile")) &&
          json_object_get_boolean_member (body, "value"))
        ent_sessions_drop_user (server, ent_user_get_string (user, "id"), NULL);
      ent_state_save (server);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  /* POST /__test/records {"collection","id","member","value"}: a string of
   * a record ("users", "children" or "structures", found by id), as a
   * school or a family would have named it: names, classes, logins, emails
   * that are hostile to markup. The id itself never changes. */
  if (is (req, "POST", "/__test/records"))
    {
      static const char * const collections[] = { "users", "children", "structures", NULL };
      const char *collection = body != NULL ? json_object_get_string_member_with_default (body, "collection", NULL) : NULL;
      const char *id = body != NULL ? json_object_get_string_member_with_default (body, "id", NULL) : NULL;
      const char *member = body != NULL ? json_object_get_string_member_with_default (body, "member", NULL) : NULL;
      const char *value = body != NULL ? json_object_get_string_member_with_default (body, "value", NULL) : NULL;
      JsonObject *record = NULL;

      if (collection != NULL && g_strv_contains (collections, collection) && id != NULL)
        {
          JsonArray *items = json_object_get_array_member (json_node_get_object (server->state), collection);

          for (guint i = 0; record == NULL && i < json_array_get_length (items); i++)
            {
              JsonObject *item = json_array_get_object_element (items, i);

              if (g_strcmp0 (json_object_get_string_member_with_default (item, "id", NULL), id) == 0)
                record = item;
            }
        }

      if (record == NULL || member == NULL || value == NULL || g_str_equal (member, "id"))
        {
          ent_reply_error (req, record == NULL ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_BAD_REQUEST, "bad.record");
          return TRUE;
        }
      json_object_set_string_member (record, member, value);
      ent_state_save (server);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  if (g_str_equal (req->method, "GET") && g_str_has_prefix (req->path, "/__test/users/"))
    {
      JsonObject *user = ent_state_find_user (server, req->path + strlen ("/__test/users/"));

      if (user == NULL)
        ent_reply_error (req, SOUP_STATUS_NOT_FOUND, "unknown.user");
      else
        ent_reply_json (req, SOUP_STATUS_OK, ent_user_public_json (user));
      return TRUE;
    }

  if (is (req, "POST", "/__test/check-password"))
    {
      const char *login = body != NULL ? json_object_get_string_member_with_default (body, "login", NULL) : NULL;
      const char *password = body != NULL ? json_object_get_string_member_with_default (body, "password", NULL) : NULL;
      JsonObject *user = ent_state_find_user (server, login);

      ent_reply_json_text (req, SOUP_STATUS_OK,
                           user != NULL && ent_password_check (user, password)
                           ? "{\"match\":true}" : "{\"match\":false}");
      return TRUE;
    }

  /* POST /__test/timeline {"recipient": login, "type", "eventType",
   * "senderName"?, "subject"?, "message"?, "delaySeconds"?}: a notification
   * to one parent, dated now (+ delaySeconds) on the ENT's clock, as an app
   * of the ENT would publish it (issue 16). → {"_id"}. */
  if (is (req, "POST", "/__test/timeline"))
    {
      const char *login = body != NULL ? json_object_get_string_member_with_default (body, "recipient", NULL) : NULL;
      const char *type = body != NULL ? json_object_get_string_member_with_default (body, "type", NULL) : NULL;
      const char *event_type = body != NULL ? json_object_get_string_member_with_default (body, "eventType", NULL) : NULL;
      JsonObject *user = ent_state_find_user (server, login);
      g_autofree char *id = NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (user == NULL || type == NULL || event_type == NULL || *type == '\0' || *event_type == '\0')
        {
          ent_reply_error (req, user == NULL ? SOUP_STATUS_NOT_FOUND : SOUP_STATUS_BAD_REQUEST, "bad.notification");
          return TRUE;
        }
      id = ent_timeline_publish (server, ent_user_get_string (user, "id"), type, event_type,
                                 json_object_get_string_member_with_default (body, "senderName", NULL),
                                 json_object_get_string_member_with_default (body, "subject", NULL),
                                 json_object_get_string_member_with_default (body, "message", NULL),
                                 ent_now (server) + json_object_get_int_member_with_default (body, "delaySeconds", 0));
      ent_state_save (server);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "_id");
      json_builder_add_string_value (builder, id);
      json_builder_end_object (builder);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
      return TRUE;
    }

  /* POST /__test/flashmsg {"title", "contents": {"fr"}, "color"?,
   * "startSeconds"?, "durationSeconds"?}: a flash message for the parents
   * of the Collège Jean Jaurès (no color: customColor #1E88E5). → {"id"}. */
  if (is (req, "POST", "/__test/flashmsg"))
    {
      const char *title = body != NULL ? json_object_get_string_member_with_default (body, "title", NULL) : NULL;
      JsonObject *contents = body != NULL && json_object_has_member (body, "contents") &&
                             JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "contents"))
                             ? json_object_get_object_member (body, "contents") : NULL;
      const char *fr = contents != NULL ? json_object_get_string_member_with_default (contents, "fr", NULL) : NULL;
      const char *color;
      gint64 start;
      gint64 id;
      g_autofree char *text = NULL;

      if (title == NULL || fr == NULL)
        {
          ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "bad.flashmsg");
          return TRUE;
        }
      color = json_object_get_string_member_with_default (body, "color", NULL);
      start = ent_now (server) + json_object_get_int_member_with_default (body, "startSeconds", 0);
      id = ent_flash_add (server, title, fr, color, color == NULL ? "#1E88E5" : NULL, NULL,
                          "jean-jaures-calais", NULL, start,
                          start + json_object_get_int_member_with_default (body, "durationSeconds", 7 * 24 * 3600));
      ent_state_save (server);
      text = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT "}", id);
      ent_reply_json_text (req, SOUP_STATUS_OK, text);
      return TRUE;
    }

  /* GET /__test/flashmsg: {"messages": [{"id", "readBy": [logins]}]}. */
  if (is (req, "GET", "/__test/flashmsg"))
    {
      JsonObject *root = json_node_get_object (server->state);
      JsonArray *messages = json_object_has_member (root, "flashMessages")
                            ? json_object_get_array_member (root, "flashMessages") : NULL;
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
        {
          JsonObject *message = json_array_get_object_element (messages, i);
          JsonArray *read_by = json_object_get_array_member (message, "readBy");

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, json_object_get_int_member (message, "id"));
          json_builder_set_member_name (builder, "readBy");
          json_builder_begin_array (builder);
          for (guint r = 0; read_by != NULL && r < json_array_get_length (read_by); r++)
            {
              JsonObject *reader = ent_state_find_user_by_id (server, json_array_get_string_element (read_by, r));

              if (reader != NULL)
                json_builder_add_string_value (builder, ent_user_get_string (reader, "login"));
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (builder));
      return TRUE;
    }

  /* Issue 15: for logout tests. */
  if (is (req, "GET", "/__test/idp-sessions"))
    {
      g_autofree char *text = g_strdup_printf ("{\"count\":%u}", g_hash_table_size (server->idp_sessions));

      ent_reply_json_text (req, SOUP_STATUS_OK, text);
      return TRUE;
    }

  if (is (req, "GET", "/__test/sessions"))
    {
      const char *id = req->query != NULL ? g_hash_table_lookup (req->query, "id") : NULL;
      const char *login = req->query != NULL ? g_hash_table_lookup (req->query, "login") : NULL;
      JsonObject *user = ent_state_find_user (server, login);
      GHashTableIter iter;
      EntSession *session;
      guint count = 0;
      g_autofree char *text = NULL;

      g_hash_table_iter_init (&iter, server->sessions);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
        if (user != NULL && g_strcmp0 (session->user_id, ent_user_get_string (user, "id")) == 0)
          count++;
      text = g_strdup_printf ("{\"open\":%s,\"count\":%u}",
                              ent_session_lookup (server, id) != NULL ? "true" : "false", count);
      ent_reply_json_text (req, SOUP_STATUS_OK, text);
      return TRUE;
    }

  if (is (req, "POST", "/__test/reset"))
    {
      ent_state_reseed (server);
      g_hash_table_remove_all (server->faults);
      g_hash_table_remove_all (server->request_counts);
      server->total_requests = 0;
      g_array_set_size (server->request_log, 0);
      server->last_login_form = 0;
      empty_outbox (server);
      ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
      return TRUE;
    }

  return FALSE;
}
