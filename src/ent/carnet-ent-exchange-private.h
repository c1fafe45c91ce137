/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "carnet-ent-client.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-secret-private.h"

G_BEGIN_DECLS

/* Inside the ENT layer only: the client's fields, shared by its files
 * (carnet-ent-client.c owns them), and the exchange the operations are
 * built on (carnet-ent-exchange.c). */

struct _CarnetEntClient
{
  GObject           parent_instance;

  char             *base_url;
  char             *host;
  GUri             *base_uri;

  SoupSession      *session;
  SoupCookieJar    *cookie_jar;
  guint             timeout;

  CarnetEntContext *context;

  /* GET /auth/i18n inverted (text → keys), fetched once, when an error
   * text first needs it, in the language of accept_language. */
  GHashTable       *i18n_reverse;
  char             *accept_language;

  guint             has_cookie_session : 1;
  guint             remember_me : 1;
};

/* --- the client (carnet-ent-client.c) ------------------------------------ */

/* A session was opened (login, activation with login): "session-changed". */
void         carnet_ent_client_session_opened  (CarnetEntClient *self);
/* Drops every cookie; "session-changed". */
void         carnet_ent_client_forget_session  (CarnetEntClient *self);
char        *carnet_ent_client_get_cookie      (CarnetEntClient *self,
                                                const char      *name);
gboolean     carnet_ent_client_has_cookie      (CarnetEntClient *self,
                                                const char      *name);

/* --- addresses (carnet-ent-address.c) ------------------------------------ */

/* "host" or "host:port" ("[v6]:port"), lower case, port omitted when 443. */
char        *carnet_ent_host_port_from_uri     (GUri            *uri);

/* --- the exchange (carnet-ent-exchange.c) -------------------------------- */

typedef enum {
  CARNET_ENT_CALL_PUBLIC         = 0,
  /* Needs the session: a 302 to /auth/login means it expired. */
  CARNET_ENT_CALL_AUTHENTICATED  = 1 << 0,
  /* Keep the session's end for the caller (logout). */
  CARNET_ENT_CALL_FORGET_SESSION = 1 << 1,
  /* A redirect off the ENT is an answer, never followed (a SAML logout
   * sends the browser on to the identity provider). */
  CARNET_ENT_CALL_FOREIGN_REDIRECT = 1 << 2,
} CarnetEntCallFlags;

typedef struct _CarnetEntCall CarnetEntCall;
typedef void (*CarnetEntCallDone) (CarnetEntClient *self,
                                   GTask           *task,
                                   CarnetEntCall   *call);

struct _CarnetEntCall
{
  SoupMessage          *msg;
  CarnetEntCallFlags    flags;
  gsize                 max_size;
  CarnetEntCallDone     done;
  GTlsCertificateFlags  tls_errors;
  GInputStream         *stream;
  GByteArray           *body;
  GUri                 *location;

  /* The answer's deadline: libsoup's time-out only counts silence on the
   * socket (and was seen not to fire at all, once in a CI run), so an ENT
   * sending a byte now and then would hold a parent forever. The whole
   * answer, status, headers and body, must arrive within `timeout`
   * seconds of the request; the deadline runs until the body's end. */
  GCancellable         *exchange_cancellable;
  GCancellable         *cancelled_by;
  gulong                cancelled_id;
  GSource              *deadline;
  gboolean              timed_out;

  /* Per operation. */
  CarnetEntForm         form;
  /* A 302 to this path is the operation's success, not a filter's. */
  const char           *success_path;
  /* An error text waiting for GET /auth/i18n, and what reads it then. */
  char                 *pending_text;
  CarnetEntCallDone     after_i18n;
  gboolean              i18n_tried;
  /* Set for a side request: called instead of failing the operation when
   * the exchange fails, and any status goes to `done` as it is. */
  CarnetEntCallDone     on_failure;
  /* For the next step (reset/match, the login after a forced change). */
  char                 *login;
  char                 *secret;
  CarnetEntField        field;
  CarnetEntUser        *user;
  char                 *content_type;
  char                 *url;
  gboolean              flag;
};

CarnetEntCall *carnet_ent_call_new             (CarnetEntCallFlags   flags,
                                                CarnetEntCallDone    done);
/* A task whose data is @call; the operation's GTask. */
GTask       *carnet_ent_task_new               (CarnetEntClient     *self,
                                                CarnetEntCall       *call,
                                                gpointer             source_tag,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Sends @msg (taken; NULL: PROTOCOL) for @task (a reference taken), then
 * calls call->done with the answer, unless an answer every operation
 * treats alike ended the task first. */
void         carnet_ent_call_start             (CarnetEntClient     *self,
                                                GTask               *task,
                                                SoupMessage         *msg);
/* The answer's body as JSON (PROTOCOL when it is not). */
JsonNode    *carnet_ent_call_get_json          (CarnetEntCall       *call,
                                                GError             **error);
/* Fetches GET /auth/i18n once per client when @text is a translated
 * message (not a raw key), then calls @then with the text in
 * call->pending_text. FALSE when nothing was started: read the text now. */
gboolean     carnet_ent_call_fetch_i18n        (CarnetEntClient     *self,
                                                GTask               *task,
                                                CarnetEntCall       *call,
                                                const char          *text,
                                                CarnetEntCallDone    then);

/* Ends @task with @error (taken). */
void         carnet_ent_task_return_error      (GTask               *task,
                                                GError              *error);
/* Ends @task with the error of an answer its handler does not expect. */
void         carnet_ent_task_return_status_error (GTask             *task,
                                                  CarnetEntCall     *call);
/* Ends @task (and drops its reference) with an error found before sending. */
void         carnet_ent_task_return_local_error (GTask              *task,
                                                 CarnetEntError      code,
                                                 CarnetEntField      field,
                                                 const char         *message);
gboolean     carnet_ent_client_finish_boolean  (CarnetEntClient     *self,
                                                GAsyncResult        *result,
                                                gpointer             source_tag,
                                                GError             **error);

/* "https://host[:port]" + @path_and_query; NULL when that is no URI. */
SoupMessage *carnet_ent_client_new_message     (CarnetEntClient     *self,
                                                const char          *method,
                                                const char          *path_and_query);
/* name, value, …, NULL (at most 8 pairs); NULL values are left out. */
SoupMessage *carnet_ent_client_new_json_message (CarnetEntClient    *self,
                                                 const char         *method,
                                                 const char         *path,
                                                 const char         *first_name,
                                                 ...) G_GNUC_NULL_TERMINATED;
/* Bodies that carry passwords and codes: written once, wiped when freed. */
void         carnet_ent_message_set_form_body  (SoupMessage         *msg,
                                                const CarnetEntPair *pairs,
                                                gsize                n_pairs);
void         carnet_ent_message_set_json_body  (SoupMessage         *msg,
                                                const CarnetEntPair *pairs,
                                                gsize                n_pairs);
/* HTTPS on the client's own host and port. */
gboolean     carnet_ent_client_same_origin     (CarnetEntClient     *self,
                                                GUri                *uri);
/* NULL, empty or only spaces. */
gboolean     carnet_ent_is_blank               (const char          *str);

/* --- forms (carnet-ent-form.c) ------------------------------------------- */

/* Ends @task with an error and FALSE when the new password is missing,
 * not confirmed, or against the ENT's rule (when its context is known). */
gboolean     carnet_ent_task_check_new_password (CarnetEntClient    *self,
                                                 GTask              *task,
                                                 const char         *password,
                                                 const char         *confirm_password);
/* The handler of a form answering 302 on success (call->form says which). */
void         carnet_ent_form_done              (CarnetEntClient     *self,
                                                GTask               *task,
                                                CarnetEntCall       *call);

G_END_DECLS
