/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-secret-private.h"
#include "carnet-ent-types-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

/* The logged-in account: who the user is, what the ENT requires of them
 * (charter, email, password), and their children. */

#define MAX_DOCUMENT_SIZE (32 * 1024 * 1024)

/* --- authenticated JSON GETs --------------------------------------------- */

typedef gpointer (*JsonConstructor) (JsonNode *node, GError **error);

static void
json_object_done (CarnetEntClient *self,
                  GTask           *task,
                  CarnetEntCall   *call,
                  JsonConstructor  constructor)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  gpointer object;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)) ||
      !(object = constructor (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, object, g_object_unref);
}

static void
user_info_done (CarnetEntClient *self,
                GTask           *task,
                CarnetEntCall   *call)
{
  json_object_done (self, task, call, (JsonConstructor) carnet_ent_user_new_from_json);
}

void
carnet_ent_client_get_user_info_async (CarnetEntClient     *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SoupMessage *msg;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, user_info_done),
                              carnet_ent_client_get_user_info_async, cancellable, callback, user_data);
  msg = carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/oauth2/userinfo");
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept", "application/json;version=2.0");
  carnet_ent_call_start (self, task, msg);
}

CarnetEntUser *
carnet_ent_client_get_user_info_finish (CarnetEntClient  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
requirements_done (CarnetEntClient *self,
                   GTask           *task,
                   CarnetEntCall   *call)
{
  json_object_done (self, task, call, (JsonConstructor) carnet_ent_requirements_new_from_json);
}

void
carnet_ent_client_get_requirements_async (CarnetEntClient     *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, requirements_done),
                              carnet_ent_client_get_requirements_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/user/requirements"));
}

CarnetEntRequirements *
carnet_ent_client_get_requirements_finish (CarnetEntClient  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- the charter --------------------------------------------------------- */

static void
charter_document_done (CarnetEntClient *self,
                       GTask           *task,
                       CarnetEntCall   *call)
{
  const char *content_type;
  GBytes *bytes;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK || call->body->len == 0)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (call->msg),
                                                        NULL);
  g_free (call->content_type);
  call->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&call->body));
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
charter_i18n_done (CarnetEntClient *self,
                   GTask           *task,
                   CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)) ||
      !(path = carnet_ent_charter_path_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The same dictionary the error texts are read with. */
  if (self->i18n_reverse == NULL)
    self->i18n_reverse = carnet_ent_i18n_reverse_new_from_json (json, NULL);

  /* The key may hold a path or a whole URL; either must stay on the ENT. */
  uri = g_uri_parse_relative (self->base_uri, path, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || !carnet_ent_client_same_origin (self, uri))
    {
      g_debug ("Charter outside of the ENT refused");
      carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
      return;
    }

  g_free (call->url);
  call->url = g_uri_to_string (uri);
  call->max_size = MAX_DOCUMENT_SIZE;
  call->done = charter_document_done;

  /* carnet_ent_call_start takes a reference of its own; ours goes with the caller's. */
  carnet_ent_call_start (self, g_object_ref (task), soup_message_new_from_uri (SOUP_METHOD_GET, uri));
}

void
carnet_ent_client_get_charter_async (CarnetEntClient     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, charter_i18n_done),
                              carnet_ent_client_get_charter_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/i18n"));
}

GBytes *
carnet_ent_client_get_charter_finish (CarnetEntClient  *self,
                                      GAsyncResult     *result,
                                      char            **content_type,
                                      char            **url,
                                      GError          **error)
{
  CarnetEntCall *call;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  call = g_task_get_task_data (G_TASK (result));

  if (content_type != NULL)
    *content_type = bytes != NULL ? g_strdup (call->content_type) : NULL;
  if (url != NULL)
    *url = bytes != NULL ? g_strdup (call->url) : NULL;

  return bytes;
}

/* A success with nothing to read (204, or 200 with an empty body): what
 * the ENT sends must not be relied upon, but a body that is there must not
 * contradict the status (not JSON, or an "error"). */
static void
no_content_done (CarnetEntClient *self,
                 GTask           *task,
                 CarnetEntCall   *call)
{
  guint status = soup_message_get_status (call->msg);

  if (status == SOUP_STATUS_OK || status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_CREATED)
    {
      GError *error = NULL;

      if (call->body != NULL &&
          !carnet_ent_empty_answer_check ((const char *) call->body->data, call->body->len, &error))
        {
          carnet_ent_task_return_error (task, error);
          return;
        }

      g_task_return_boolean (task, TRUE);
      return;
    }

  carnet_ent_task_return_status_error (task, call);
}

static void
accept_charter_check_done (CarnetEntClient *self,
                           GTask           *task,
                           CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(CarnetEntRequirements) requirements = NULL;

  if (soup_message_get_status (call->msg) == SOUP_STATUS_OK &&
      (json = carnet_ent_call_get_json (call, NULL)) != NULL &&
      (requirements = carnet_ent_requirements_new_from_json (json, NULL)) != NULL &&
      !carnet_ent_requirements_get_need_revalidate_terms (requirements))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* cgu.accept.failed and still pending: the ENT could not record it;
   * nothing the user did is wrong. */
  carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_SERVER));
}

static void
accept_charter_done (CarnetEntClient *self,
                     GTask           *task,
                     CarnetEntCall   *call)
{
  if (soup_message_get_status (call->msg) == SOUP_STATUS_BAD_REQUEST)
    {
      /* entcore answers 400 cgu.accept.failed when a later step failed,
       * after the acceptance was recorded: /auth/user/requirements
       * (the only one to trust) says whether it was. */
      call->done = accept_charter_check_done;
      carnet_ent_call_start (self, g_object_ref (task),
                             carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/user/requirements"));
      return;
    }

  no_content_done (self, task, call);
}

void
carnet_ent_client_accept_charter_async (CarnetEntClient     *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, accept_charter_done),
                              carnet_ent_client_accept_charter_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_PUT, "/auth/cgu/revalidate"));
}

gboolean
carnet_ent_client_accept_charter_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_accept_charter_async, error);
}

/* --- notification email -------------------------------------------------- */

static void
mail_state_done (CarnetEntClient *self,
                 GTask           *task,
                 CarnetEntCall   *call)
{
  json_object_done (self, task, call, (JsonConstructor) carnet_ent_mail_state_new_from_json);
}

void
carnet_ent_client_get_mail_state_async (CarnetEntClient     *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, mail_state_done),
                              carnet_ent_client_get_mail_state_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/directory/user/mailstate"));
}

CarnetEntMailState *
carnet_ent_client_get_mail_state_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
carnet_ent_client_send_mail_code_async (CarnetEntClient     *self,
                                        const char          *email,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  CarnetEntCall *call;
  GTask *task;
  g_autofree char *trimmed = NULL;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, no_content_done);
  call->field = CARNET_ENT_FIELD_MAIL;
  task = carnet_ent_task_new (self, call, carnet_ent_client_send_mail_code_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (email != NULL ? email : ""));
  if (*trimmed == '\0' || strchr (trimmed, '@') == NULL)
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
                                               _("Type a whole email address, like name@example.fr."));

  carnet_ent_call_start (self, task,
                         carnet_ent_client_new_json_message (self, SOUP_METHOD_PUT, "/directory/user/mailstate",
                                                             "email", trimmed, NULL));
}

gboolean
carnet_ent_client_send_mail_code_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_send_mail_code_async, error);
}

void
carnet_ent_client_check_mail_code_async (CarnetEntClient     *self,
                                         const char          *code,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(CarnetEntSecretString) trimmed = NULL;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, mail_state_done);
  call->field = CARNET_ENT_FIELD_CODE;
  task = carnet_ent_task_new (self, call, carnet_ent_client_check_mail_code_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (code != NULL ? code : ""));
  if (*trimmed == '\0')
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CODE,
                                               _("Type the 6-digit code from the mail."));

  carnet_ent_call_start (self, task,
                         carnet_ent_client_new_json_message (self, SOUP_METHOD_POST, "/directory/user/mailstate",
                                                             "key", trimmed, NULL));
}

CarnetEntMailState *
carnet_ent_client_check_mail_code_finish (CarnetEntClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- POST /auth/changePassword -------------------------------------------- */

/* Where POST /auth/changePassword sends the browser when it worked: the
 * ENT's account page. Any other 302 is a filter's (session, forced step). */
#define CHANGE_PASSWORD_CALLBACK "/userbook/mon-compte"

void
carnet_ent_client_change_password_async (CarnetEntClient     *self,
                                         const char          *login,
                                         const char          *old_password,
                                         const char          *password,
                                         const char          *confirm_password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  SoupMessage *msg;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, carnet_ent_form_done);
  call->form = CARNET_ENT_FORM_CHANGE_PASSWORD;
  /* Success is a 302 to the callback, the session kept; the filters'
   * 302s go to /auth/login?callback=… or /auth/reset/forceChangePassword. */
  call->success_path = CHANGE_PASSWORD_CALLBACK;
  task = carnet_ent_task_new (self, call, carnet_ent_client_change_password_async, cancellable, callback, user_data);

  if (carnet_ent_is_blank (login))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                               _("Type your login."));
  if (old_password == NULL || *old_password == '\0')
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                                               _("Type your current password."));
  if (!carnet_ent_task_check_new_password (self, task, password, confirm_password))
    return;
  if (g_str_equal (old_password, password))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                                               _("The new password must be different from the current one."));

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "oldPassword", old_password },
      { "password", password },
      { "confirmPassword", confirm_password },
      { "callback", CHANGE_PASSWORD_CALLBACK },
    };

    msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/changePassword");
    if (msg != NULL)
      carnet_ent_message_set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  carnet_ent_call_start (self, task, msg);
}

gboolean
carnet_ent_client_change_password_finish (CarnetEntClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_change_password_async, error);
}

/* --- children ------------------------------------------------------------ */

static void
children_done (CarnetEntClient *self,
               GTask           *task,
               CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *children;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)) ||
      !(children = carnet_ent_children_new_from_json (json, call->user, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, children, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_get_children_async (CarnetEntClient     *self,
                                      CarnetEntUser       *user,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));
  g_return_if_fail (CARNET_IS_ENT_USER (user));

  call = carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, children_done);
  call->user = g_object_ref (user);
  task = carnet_ent_task_new (self, call, carnet_ent_client_get_children_async, cancellable, callback, user_data);

  escaped = g_uri_escape_string (carnet_ent_user_get_id (user), NULL, FALSE);
  path = g_strdup_printf ("/directory/user/%s/children", escaped);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, path));
}

GPtrArray *
carnet_ent_client_get_children_finish (CarnetEntClient  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
