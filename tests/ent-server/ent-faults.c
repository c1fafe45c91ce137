/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Misbehaviour on demand, so the client's error paths can be tested against
 * a real socket rather than a mock. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

#define HUGE_BODY_SIZE (20 * 1024 * 1024)

static const char * const fault_kinds[] = {
  "latency", "500", "502", "malformed", "mistyped", "drop", "expire-session",
  "huge", "redirect-other-host", "redirect-loop", "csrf", "trickle", "trickle-body", NULL
};

gboolean
ent_fault_kind_is_known (const char *kind)
{
  return kind != NULL && g_strv_contains (fault_kinds, kind);
}

void
ent_fault_free (gpointer data)
{
  EntFault *fault = data;

  g_free (fault->kind);
  g_free (fault);
}

/* Returns a copy of the fault that applies to this request, or NULL, and
 * counts it down. */
EntFault *
ent_faults_take (EntServer  *server,
                 const char *path)
{
  const char *key = path;
  EntFault *fault = g_hash_table_lookup (server->faults, path);
  EntFault *copy;

  if (fault == NULL)
    {
      key = "*";
      fault = g_hash_table_lookup (server->faults, key);
    }
  if (fault == NULL)
    return NULL;

  copy = g_new0 (EntFault, 1);
  copy->kind = g_strdup (fault->kind);
  copy->latency_ms = fault->latency_ms;
  copy->count = 1;

  if (fault->count > 0 && --fault->count == 0)
    g_hash_table_remove (server->faults, key);

  return copy;
}

static void
reply_huge (EntRequest *req)
{
  char *data = g_malloc (HUGE_BODY_SIZE);
  static const char head[] = "{\"padding\":\"";

  /* Valid JSON, so only a size limit protects the client. */
  memset (data, 'x', HUGE_BODY_SIZE);
  memcpy (data, head, strlen (head));
  data[HUGE_BODY_SIZE - 2] = '"';
  data[HUGE_BODY_SIZE - 1] = '}';

  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE,
                                    data, HUGE_BODY_SIZE);
}

/* "trickle": an answer sent a byte at a time, every TRICKLE_INTERVAL_MS, so
 * the socket is never silent for long while the answer never ends in time. */
#define TRICKLE_INTERVAL_MS 200

static const char trickle_answer[] =
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
  "Connection: close\r\n\r\n{}";

/* "trickle-body": the status and headers at once, then the body a byte at
 * a time, every TRICKLE_INTERVAL_MS: a client that only waits for the
 * headers, or only counts silence, waits ENT_TRICKLE_BODY_MS for it. The
 * body is a valid /auth/context answer, so a client without a deadline
 * for the whole answer succeeds, late. */
static const char trickle_body_head[] =
  "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 80\r\n"
  "Connection: close\r\n\r\n";
static const char trickle_body[] =
  "{\"callBack\":\"\",\"cgu\":true,\"passwordRegex\":\".{8}.*\",\"mandatory\":{\"mail\":false}}  ";

G_STATIC_ASSERT (sizeof trickle_body - 1 == 80);
G_STATIC_ASSERT (ENT_TRICKLE_BODY_MS == (sizeof trickle_body - 1) * TRICKLE_INTERVAL_MS);

typedef struct
{
  GIOStream  *stream;
  const char *data;
  gsize       sent;
} Trickle;

static gboolean
trickle_cb (gpointer user_data)
{
  Trickle *trickle = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (trickle->stream);

  /* One byte on a healthy socket does not block; once the client went
   * away the write fails and the trickle stops. */
  if (trickle->sent < strlen (trickle->data) &&
      g_output_stream_write (out, trickle->data + trickle->sent, 1, NULL, NULL) == 1 &&
      g_output_stream_flush (out, NULL, NULL))
    {
      trickle->sent++;
      return G_SOURCE_CONTINUE;
    }

  g_debug ("trickle stopped after %" G_GSIZE_FORMAT " bytes", trickle->sent);
  g_io_stream_close (trickle->stream, NULL, NULL);
  g_object_unref (trickle->stream);
  g_free (trickle);

  return G_SOURCE_REMOVE;
}

/* TRUE when the fault answered (or dropped) the request; FALSE when the
 * request must go on (latency, expire-session). */
gboolean
ent_fault_apply (EntRequest *req,
                 EntFault   *fault)
{
  const char *kind = fault->kind;

  g_debug ("fault %s on %s", kind, req->path);

  if (g_str_equal (kind, "latency"))
    return FALSE;

  if (g_str_equal (kind, "expire-session"))
    {
      req->ignore_credentials = TRUE;
      return FALSE;
    }

  if (g_str_equal (kind, "500"))
    ent_reply_json_text (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                         "{\"error\":\"internal.error\",\"message\":\"Erreur interne du serveur (test)\"}");
  else if (g_str_equal (kind, "502"))
    ent_reply_html (req, SOUP_STATUS_BAD_GATEWAY,
                    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
                    "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
  else if (g_str_equal (kind, "malformed"))
    ent_reply_json_text (req, SOUP_STATUS_OK,
                         "{\"userId\":\"u-frederic\",\"login\":\"frederic\",\"children\":{\"c-lea\":{\"firstName\":\"L");
  else if (g_str_equal (kind, "mistyped"))
    ent_reply_json_text (req, SOUP_STATUS_OK,
                         "{\"userId\":42,\"login\":true,\"username\":[],\"firstName\":{},\"lastName\":7,"
                         "\"email\":false,\"type\":[\"Relative\"],\"children\":\"c-lea\",\"childrenIds\":\"c-lea\","
                         "\"match\":\"true\",\"structures\":\"jean-jaures-calais\",\"error\":12,"
                         "\"forceChangePassword\":\"false\",\"needRevalidateTerms\":0,"
                         "\"needRevalidateEmail\":null,\"passwordRegex\":3,\"mandatory\":[],"
                         "\"emailState\":\"valid\",\"waitInSeconds\":\"10\",\"access_token\":1,"
                         "\"expires_in\":\"3600\"}");
  else if (g_str_equal (kind, "drop"))
    {
      GIOStream *stream = soup_server_message_steal_connection (req->msg);

      /* Closing the stolen stream ends the TCP connection with no HTTP
       * answer at all, like a crashed proxy. */
      if (stream != NULL)
        {
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
        }
    }
  else if (g_str_equal (kind, "trickle"))
    {
      GIOStream *stream = soup_server_message_steal_connection (req->msg);

      if (stream != NULL)
        {
          Trickle *trickle = g_new0 (Trickle, 1);

          trickle->stream = stream;
          trickle->data = trickle_answer;
          g_timeout_add (TRICKLE_INTERVAL_MS, trickle_cb, trickle);
        }
    }
  else if (g_str_equal (kind, "trickle-body"))
    {
      GIOStream *stream = soup_server_message_steal_connection (req->msg);

      /* The head is a few dozen bytes: written at once on a healthy
       * socket. */
      if (stream != NULL &&
          g_output_stream_write_all (g_io_stream_get_output_stream (stream), trickle_body_head,
                                     strlen (trickle_body_head), NULL, NULL, NULL) &&
          g_output_stream_flush (g_io_stream_get_output_stream (stream), NULL, NULL))
        {
          Trickle *trickle = g_new0 (Trickle, 1);

          trickle->stream = stream;
          trickle->data = trickle_body;
          g_timeout_add (TRICKLE_INTERVAL_MS, trickle_cb, trickle);
        }
      else if (stream != NULL)
        {
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
        }
    }
  else if (g_str_equal (kind, "huge"))
    reply_huge (req);
  else if (g_str_equal (kind, "redirect-other-host"))
    {
      g_autofree char *location = g_strdup_printf ("https://ent.example.org%s", req->path);

      ent_reply_redirect (req, location);
    }
  else if (g_str_equal (kind, "redirect-loop"))
    {
      g_autofree char *location = ent_absolute_url (req, req->path);

      ent_reply_redirect (req, location);
    }
  else if (g_str_equal (kind, "csrf"))
    ent_reply_error (req, SOUP_STATUS_FORBIDDEN, "invalid.xsrf.token");
  else
    return FALSE;

  return TRUE;
}
