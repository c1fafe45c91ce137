/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-secret-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

/* One exchange with the ENT, the same for every operation: the request
 * checked (HTTPS, this host), the cookies and XSRF header, the deadline,
 * the answer read in chunks up to a cap, then the statuses and redirects
 * every operation treats alike mapped to errors before the operation's
 * own handler (CarnetEntCall.done) reads the rest. */

#define MAX_ANSWER_SIZE         (2 * 1024 * 1024)
#define READ_CHUNK_SIZE         (64 * 1024)

/* --- the exchange -------------------------------------------------------- */

static void
call_stop_deadline (CarnetEntCall *call)
{
  if (call->deadline != NULL)
    {
      g_source_destroy (call->deadline);
      g_clear_pointer (&call->deadline, g_source_unref);
    }
}

static void
call_clear_exchange (CarnetEntCall *call)
{
  call_stop_deadline (call);
  if (call->cancelled_id != 0)
    {
      /* Blocks until a handler running in another thread is done. */
      g_cancellable_disconnect (call->cancelled_by, call->cancelled_id);
      call->cancelled_id = 0;
    }
  g_clear_object (&call->cancelled_by);
  g_clear_object (&call->exchange_cancellable);
  call->timed_out = FALSE;

  g_clear_object (&call->msg);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->location, g_uri_unref);

  /* Answers can hold tokens. An empty array's data is NULL, which
   * memset() must not be given, even with a length of 0. */
  if (call->body != NULL)
    {
      if (call->body->len > 0)
        carnet_ent_secret_wipe (call->body->data, call->body->len);
      g_clear_pointer (&call->body, g_byte_array_unref);
    }

  call->tls_errors = 0;
}

static void
call_free (gpointer data)
{
  CarnetEntCall *call = data;

  call_clear_exchange (call);
  g_clear_object (&call->user);
  g_clear_pointer (&call->content_type, g_free);
  g_clear_pointer (&call->url, g_free);
  g_clear_pointer (&call->pending_text, g_free);
  g_clear_pointer (&call->login, g_free);
  g_clear_pointer (&call->secret, carnet_ent_secret_free);
  g_free (call);
}

CarnetEntCall *
carnet_ent_call_new (CarnetEntCallFlags flags,
                     CarnetEntCallDone done)
{
  CarnetEntCall *call = g_new0 (CarnetEntCall, 1);

  call->flags = flags;
  call->done = done;
  call->max_size = MAX_ANSWER_SIZE;

  return call;
}

void
carnet_ent_task_return_error (GTask  *task,
                              GError *error)
{
  CarnetEntClient *self = g_task_get_source_object (task);
  CarnetEntCall *call = g_task_get_task_data (task);

  /* The dictionary could not be fetched: the error text waiting for it is
   * read without it (by its words), and that is the operation's answer. */
  if (call != NULL && call->on_failure != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      CarnetEntCallDone then = call->on_failure;

      g_debug ("Side request failed: %s", error->message);
      g_error_free (error);
      call->on_failure = NULL;
      call->after_i18n = NULL;
      call->done = NULL;
      then (self, task, call);
      return;
    }
  if (call != NULL)
    call->on_failure = NULL;

  if (call != NULL && (call->flags & CARNET_ENT_CALL_FORGET_SESSION))
    carnet_ent_client_forget_session (self);

  /* Once logged in, the address is certainly right: the advice to check
   * it against the letter would send the parent the wrong way. */
  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL) &&
      carnet_ent_client_has_session (self) &&
      g_strcmp0 (error->message, carnet_ent_error_default_message (CARNET_ENT_ERROR_PROTOCOL)) == 0)
    {
      g_free (error->message);
      error->message = g_strdup (_("The ENT gave an answer Carnet does not understand. "
                                   "Try again later; if it goes on, tell your child’s school."));
    }

  g_task_return_error (task, error);
}

SoupMessage *
carnet_ent_client_new_message (CarnetEntClient *self,
                               const char      *method,
                               const char      *path_and_query)
{
  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL)
    return NULL;

  return soup_message_new_from_uri (method, uri);
}

/* Form and JSON bodies carry passwords and codes: each is written once, in
 * a buffer of its final size, with no escaped copy of a value on the way,
 * and wiped when libsoup lets go of it (carnet-ent-secret.c). */
void
carnet_ent_message_set_form_body (SoupMessage         *msg,
                                  const CarnetEntPair *pairs,
                                  gsize                n_pairs)
{
  gsize length;
  char *form = carnet_ent_secret_form (pairs, n_pairs, &length);
  g_autoptr(GBytes) bytes = carnet_ent_secret_bytes_new_take (form, length);

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
}

void
carnet_ent_message_set_json_body (SoupMessage         *msg,
                                  const CarnetEntPair *pairs,
                                  gsize                n_pairs)
{
  gsize length;
  char *json = carnet_ent_secret_json (pairs, n_pairs, &length);
  g_autoptr(GBytes) bytes = carnet_ent_secret_bytes_new_take (json, length);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  CarnetEntCall *call = user_data;

  /* Never accept a certificate the trust store refused; only remember why
   * to tell the user. */
  call->tls_errors = errors;

  return FALSE;
}

static void call_read_next (GTask *task);
static void call_finish_response (GTask *task);

static void
call_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  CarnetEntCall *call = g_task_get_task_data (task);
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      call_stop_deadline (call);
      if (call->timed_out)
        {
          g_debug ("Answer of %s not whole in time (%u bytes read)",
                   g_uri_get_path (soup_message_get_uri (call->msg)), call->body->len);
          carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_TIMEOUT));
          return;
        }
      carnet_ent_task_return_error (task, carnet_ent_error_from_transport (error, call->tls_errors));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      call_stop_deadline (call);
      g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      call_finish_response (g_steal_pointer (&task));
      return;
    }

  if (call->body->len + size > call->max_size)
    {
      call_stop_deadline (call);
      g_debug ("Answer of %s larger than %" G_GSIZE_FORMAT " bytes",
               g_uri_get_path (soup_message_get_uri (call->msg)), call->max_size);
      g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      carnet_ent_task_return_error (task,
                                    carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE,
                                                               NULL, 0,
                                                               _("The ENT’s answer is too large. It may not be an ENT.")));
      return;
    }

  g_byte_array_append (call->body, g_bytes_get_data (bytes, NULL), size);
  /* Answers can hold tokens: the chunk is ours alone, wiped like the body. */
  carnet_ent_secret_wipe ((gpointer) g_bytes_get_data (bytes, NULL), size);
  call_read_next (g_steal_pointer (&task));
}

static void
call_read_next (GTask *task)
{
  CarnetEntCall *call = g_task_get_task_data (task);

  /* The exchange's cancellable: the caller's, and the deadline's. */
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   call->exchange_cancellable,
                                   call_read_cb, task);
}

static void
call_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CarnetEntCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    call_stop_deadline (call);
  if (call->stream == NULL && call->timed_out)
    {
      g_debug ("No answer from %s in time", g_uri_get_path (soup_message_get_uri (call->msg)));
      carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_TIMEOUT));
      return;
    }
  if (call->stream == NULL)
    {
      GTlsCertificateFlags tls_errors = call->tls_errors;

      if (tls_errors == 0 && call->msg != NULL)
        tls_errors = soup_message_get_tls_peer_certificate_errors (call->msg);
      carnet_ent_task_return_error (task, carnet_ent_error_from_transport (error, tls_errors));
      return;
    }

  headers = soup_message_get_response_headers (call->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) call->max_size)
    {
      call_stop_deadline (call);
      carnet_ent_task_return_error (task,
                                    carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE,
                                                               NULL, 0,
                                                               _("The ENT’s answer is too large. It may not be an ENT.")));
      return;
    }

  /* Sized for the answer when the ENT says its length, so that the body
   * is not reallocated as it arrives (each move leaves a copy behind). */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    call->body = g_byte_array_sized_new ((guint) soup_message_headers_get_content_length (headers));
  else
    call->body = g_byte_array_new ();
  call_read_next (g_steal_pointer (&task));
}

static void
call_cancelled_cb (GCancellable *cancellable,
                   GCancellable *exchange_cancellable)
{
  g_cancellable_cancel (exchange_cancellable);
}

static gboolean
call_deadline_cb (gpointer user_data)
{
  CarnetEntCall *call = user_data;

  call->timed_out = TRUE;
  g_clear_pointer (&call->deadline, g_source_unref);
  g_cancellable_cancel (call->exchange_cancellable);

  return G_SOURCE_REMOVE;
}

void
carnet_ent_call_start (CarnetEntClient *self,
                       GTask           *task,
                       SoupMessage     *msg)
{
  CarnetEntCall *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  const char *method;
  GUri *uri;

  call_clear_exchange (call);

  if (msg == NULL)
    {
      carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
      g_object_unref (task);
      return;
    }

  call->msg = msg;
  uri = soup_message_get_uri (msg);

  /* The last line of defence: whatever built this message, nothing leaves
   * over plain HTTP, and nothing leaves for another host. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    {
      carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_INSECURE));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  method = soup_message_get_method (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  if (soup_message_headers_get_one (headers, "Accept") == NULL)
    soup_message_headers_replace (headers, "Accept", "application/json, text/html;q=0.5, */*;q=0.1");

  if (!g_str_equal (method, SOUP_METHOD_GET) && !g_str_equal (method, SOUP_METHOD_HEAD))
    {
      g_autofree char *xsrf = carnet_ent_client_get_cookie (self, "XSRF-TOKEN");

      if (xsrf != NULL)
        soup_message_headers_replace (headers, "X-XSRF-TOKEN", xsrf);
    }

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), call);

  g_debug ("%s %s", method, g_uri_get_path (uri));

  /* The exchange is cancelled by the caller or by the deadline. */
  call->exchange_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    {
      call->cancelled_by = g_object_ref (g_task_get_cancellable (task));
      call->cancelled_id = g_cancellable_connect (call->cancelled_by,
                                                  G_CALLBACK (call_cancelled_cb),
                                                  g_object_ref (call->exchange_cancellable),
                                                  g_object_unref);
    }
  if (self->timeout > 0)
    {
      call->deadline = g_timeout_source_new (self->timeout * 1000);
      g_source_set_static_name (call->deadline, "[carnet] ENT answer deadline");
      g_source_set_callback (call->deadline, call_deadline_cb, call, NULL);
      g_source_attach (call->deadline, g_main_context_get_thread_default ());
    }

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT,
                           call->exchange_cancellable,
                           call_send_cb, task);
}

JsonNode *
carnet_ent_call_get_json (CarnetEntCall *call,
                          GError **error)
{
  if (call->body == NULL)
    {
      g_propagate_error (error, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
      return NULL;
    }

  return carnet_ent_json_parse ((const char *) call->body->data, call->body->len, error);
}

gboolean
carnet_ent_client_same_origin (CarnetEntClient *self,
                               GUri            *uri)
{
  g_autofree char *host_port = NULL;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;

  host_port = carnet_ent_host_port_from_uri (uri);

  return host_port != NULL && g_ascii_strcasecmp (host_port, self->host) == 0;
}

static guint
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    return (guint) seconds;

  return 0;
}

GError *
carnet_ent_error_from_redirect_path (const char *path,
                                     gboolean   *session_expired)
{
  *session_expired = FALSE;

  if (g_strcmp0 (path, "/auth/login") == 0)
    {
      *session_expired = TRUE;
      return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SESSION_EXPIRED);
    }

  if (g_strcmp0 (path, "/auth/reset/forceChangePassword") == 0)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_ACTION_REQUIRED, CARNET_ENT_FIELD_NEW_PASSWORD,
                                      NULL, 0, _("The ENT asks you to choose a new password first."));

  if (g_strcmp0 (path, "/auth/revalidate-terms") == 0)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_ACTION_REQUIRED, CARNET_ENT_FIELD_CHARTER,
                                      NULL, 0, _("The ENT asks you to accept its charter first."));

  if (g_strcmp0 (path, "/auth/validate-mail") == 0)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_ACTION_REQUIRED, CARNET_ENT_FIELD_MAIL,
                                      NULL, 0, _("The ENT asks you to confirm your email address first."));

  return NULL;
}

GError *
carnet_ent_error_from_status (guint           status,
                              JsonNode       *json,
                              CarnetEntField  field,
                              gboolean       *session_expired)
{
  const char *key = NULL;
  const char *description = NULL;
  GError *error;

  *session_expired = FALSE;
  carnet_ent_error_keys_from_json (json, &key, &description);

  if (status == 429 || status == 509)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_RATE_LIMITED);

  if (status >= 500)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SERVER);

  /* A missing or stale XSRF token means the cookies this client holds are
   * not the session's any more (the ENT replaced or dropped it): logging
   * in again is the fix, so it is an expired session, not a bug to report. */
  if (status == 403 && g_strcmp0 (key, "invalid.xsrf.token") == 0)
    {
      *session_expired = TRUE;
      return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SESSION_EXPIRED);
    }

  if ((error = carnet_ent_error_from_auth_key (description)) != NULL ||
      (error = carnet_ent_error_from_auth_key (key)) != NULL)
    return error;

  if (status == 401)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
                                      NULL, 0,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BAD_CREDENTIALS));

  if (status == 400)
    {
      CarnetEntField f = field;

      if (g_strcmp0 (key, "invalid.login") == 0)
        f = CARNET_ENT_FIELD_LOGIN;
      else if (key != NULL && (strstr (key, "mail") != NULL))
        f = CARNET_ENT_FIELD_MAIL;

      return carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, f, key, 0,
                                        carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT));
    }

  return carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);
}

/* Answers every operation treats alike; then the operation's own handler. */
static void
call_finish_response (GTask *task)
{
  CarnetEntClient *self = g_task_get_source_object (task);
  CarnetEntCall *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->msg);

  /* Side requests (/auth/i18n, /auth/reset/match) make do with any answer. */
  if (call->on_failure != NULL)
    {
      call->on_failure = NULL;
      call->done (self, task, call);
      g_object_unref (task);
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (call->msg),
                                                           "Location");

      if (location != NULL)
        call->location = g_uri_parse_relative (soup_message_get_uri (call->msg), location,
                                               G_URI_FLAGS_ENCODED, NULL);

      if ((call->location == NULL || !carnet_ent_client_same_origin (self, call->location)) &&
          !(call->flags & CARNET_ENT_CALL_FOREIGN_REDIRECT))
        {
          g_debug ("Redirect away from the ENT refused");
          carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
          g_object_unref (task);
          return;
        }

      if ((call->flags & CARNET_ENT_CALL_AUTHENTICATED) &&
          !(call->success_path != NULL &&
            g_strcmp0 (g_uri_get_path (call->location), call->success_path) == 0))
        {
          gboolean expired;
          GError *error = carnet_ent_error_from_redirect_path (g_uri_get_path (call->location),
                                                               &expired);

          if (error != NULL)
            {
              if (expired)
                carnet_ent_client_forget_session (self);
              carnet_ent_task_return_error (task, error);
              g_object_unref (task);
              return;
            }
        }
    }
  else if (status == 429 || status == 509 || status >= 500 || status == 403)
    {
      g_autoptr(JsonNode) json = carnet_ent_call_get_json (call, NULL);
      gboolean expired;
      GError *error = carnet_ent_error_from_status (status, json, call->field, &expired);

      /* Other 403s are the operation's to interpret. */
      if (status != 403 || expired)
        {
          if (error->code == CARNET_ENT_ERROR_RATE_LIMITED)
            {
              guint retry_after = parse_retry_after (call->msg);

              g_clear_error (&error);
              error = carnet_ent_error_new_full (CARNET_ENT_ERROR_RATE_LIMITED, CARNET_ENT_FIELD_NONE,
                                                 NULL, retry_after,
                                                 carnet_ent_error_default_message (CARNET_ENT_ERROR_RATE_LIMITED));
            }
          if (expired)
            {
              /* Before any login there is no session to lose: "you were
               * logged out" would be wrong. The stale cookies go all the
               * same, so trying again works. */
              if (!carnet_ent_client_has_session (self) &&
                  error->code == CARNET_ENT_ERROR_SESSION_EXPIRED)
                {
                  g_clear_error (&error);
                  error = carnet_ent_error_new_full (CARNET_ENT_ERROR_SERVER, CARNET_ENT_FIELD_NONE, NULL, 0,
                                                     _("The ENT refused the request for safety reasons. Try again."));
                }
              carnet_ent_client_forget_session (self);
            }
          carnet_ent_task_return_error (task, error);
          g_object_unref (task);
          return;
        }

      g_clear_error (&error);
    }

  call->done (self, task, call);
  g_object_unref (task);
}

/* For the handlers: any answer they do not expect. */
void
carnet_ent_task_return_status_error (GTask *task,
                                     CarnetEntCall *call)
{
  CarnetEntClient *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) json = carnet_ent_call_get_json (call, NULL);
  guint status = soup_message_get_status (call->msg);
  gboolean expired;
  GError *error;

  if (SOUP_STATUS_IS_REDIRECTION (status) || SOUP_STATUS_IS_SUCCESSFUL (status))
    error = carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);
  else
    error = carnet_ent_error_from_status (status, json, call->field, &expired);

  if (error->code == CARNET_ENT_ERROR_SESSION_EXPIRED)
    carnet_ent_client_forget_session (self);

  g_debug ("Unexpected status %u from %s", status, g_uri_get_path (soup_message_get_uri (call->msg)));
  carnet_ent_task_return_error (task, error);
}

GTask *
carnet_ent_task_new (CarnetEntClient     *self,
                     CarnetEntCall       *call,
                     gpointer             source_tag,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call_free);
  /* What the exchange got decides: an answer that arrived stands even if
   * the caller cancelled since; a cancelled exchange answers
   * G_IO_ERROR_CANCELLED (carnet_ent_error_from_transport()). */
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

/* Validation errors found before sending anything. */
void
carnet_ent_task_return_local_error (GTask          *task,
                                    CarnetEntError  code,
                                    CarnetEntField  field,
                                    const char     *message)
{
  g_task_return_error (task, carnet_ent_error_new_full (code, field, NULL, 0, message));
  g_object_unref (task);
}

/* --- error texts back to keys (GET /auth/i18n) ---------------------------- */

static void
i18n_done (CarnetEntClient *self,
           GTask           *task,
           CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;

  if (soup_message_get_status (call->msg) == SOUP_STATUS_OK &&
      (json = carnet_ent_call_get_json (call, &error)) != NULL)
    {
      GHashTable *reverse = carnet_ent_i18n_reverse_new_from_json (json, &error);

      if (reverse != NULL)
        {
          g_clear_pointer (&self->i18n_reverse, g_hash_table_unref);
          self->i18n_reverse = reverse;
        }
    }

  /* Without the dictionary the text is read by its words. */
  if (self->i18n_reverse == NULL)
    g_debug ("No usable /auth/i18n (status %u)", soup_message_get_status (call->msg));

  {
    CarnetEntCallDone then = call->after_i18n;

    call->after_i18n = NULL;
    call->on_failure = NULL;
    call->done = NULL;
    then (self, task, call);
  }
}

/* Fetches the dictionary once per client when @text is a translated
 * message (not a raw key) and it is not there yet, then calls @then with
 * the text in call->pending_text. FALSE when nothing was started: read
 * the text now. */
gboolean
carnet_ent_call_fetch_i18n (CarnetEntClient *self,
                            GTask           *task,
                            CarnetEntCall   *call,
                            const char      *text,
                            CarnetEntCallDone then)
{
  g_autofree char *normal = NULL;
  SoupMessage *msg;

  if (self->i18n_reverse != NULL || call->i18n_tried || text == NULL)
    return FALSE;

  normal = carnet_ent_i18n_normalize (text);
  if (normal == NULL || *normal == '\0' || carnet_ent_text_is_key (normal))
    return FALSE;

  msg = carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/i18n");
  if (msg == NULL)
    return FALSE;

  call->i18n_tried = TRUE;
  if (text != call->pending_text)
    {
      g_free (call->pending_text);
      call->pending_text = g_strdup (text);
    }
  call->after_i18n = then;
  call->on_failure = then;
  call->done = i18n_done;
  /* Public and bounded like any answer; its failures only mean no
   * dictionary (handled in i18n_done through the status). */
  call->flags &= ~CARNET_ENT_CALL_AUTHENTICATED;
  call->max_size = MAX_ANSWER_SIZE;

  carnet_ent_call_start (self, g_object_ref (task), msg);
  return TRUE;
}

gboolean
carnet_ent_is_blank (const char *str)
{
  if (str == NULL)
    return TRUE;

  for (; *str != '\0'; str++)
    if (!g_ascii_isspace (*str))
      return FALSE;

  return TRUE;
}

gboolean
carnet_ent_client_finish_boolean (CarnetEntClient  *self,
                                  GAsyncResult     *result,
                                  gpointer          source_tag,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* name, value, …, NULL (at most MAX_JSON_MEMBERS pairs); NULL values are
 * left out. */
#define MAX_JSON_MEMBERS 8

SoupMessage *
carnet_ent_client_new_json_message (CarnetEntClient *self,
                                    const char      *method,
                                    const char      *path,
                                    const char      *first_name,
                                    ...)
{
  CarnetEntPair body[MAX_JSON_MEMBERS];
  gsize n_pairs = 0;
  SoupMessage *msg;
  const char *name;
  va_list args;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      if (n_pairs == G_N_ELEMENTS (body))
        g_error ("More than %d JSON members for %s", MAX_JSON_MEMBERS, path);
      body[n_pairs].name = name;
      body[n_pairs].value = va_arg (args, const char *);
      n_pairs++;
    }
  va_end (args);

  msg = carnet_ent_client_new_message (self, method, path);
  if (msg != NULL)
    carnet_ent_message_set_json_body (msg, body, n_pairs);

  return msg;
}
