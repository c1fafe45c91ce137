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

/* Getting in and out: the ENT's context, activation, login, the
 * forgotten login and password, the forced password change, logout. */

/* --- GET /auth/context --------------------------------------------------- */

static GError *
not_an_ent_error (void)
{
  return carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE, NULL, 0,
                                    _("This address does not answer like an ENT. Check the address on the letter: the platform may have been renamed."));
}

static void
context_done (CarnetEntClient *self,
              GTask           *task,
              CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  CarnetEntContext *context;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK ||
      !(json = carnet_ent_call_get_json (call, &error)) ||
      !(context = carnet_ent_context_new_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, not_an_ent_error ());
      return;
    }

  g_set_object (&self->context, context);
  g_task_return_pointer (task, context, g_object_unref);
}

void
carnet_ent_client_get_context_async (CarnetEntClient     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, context_done),
                              carnet_ent_client_get_context_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/context"));
}

CarnetEntContext *
carnet_ent_client_get_context_finish (CarnetEntClient  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- POST /auth/activation/match ----------------------------------------- */

static void
match_done (CarnetEntClient *self,
            GTask           *task,
            CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  gboolean matches = FALSE;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)) ||
      !carnet_ent_match_from_json (json, &matches, &error))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  call->flag = matches;
  g_task_return_boolean (task, matches);
}

void
carnet_ent_client_activation_match_async (CarnetEntClient     *self,
                                          const char          *login,
                                          const char          *activation_code,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SoupMessage *msg;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, match_done);
  call->field = CARNET_ENT_FIELD_PASSWORD;
  task = carnet_ent_task_new (self, call, carnet_ent_client_activation_match_async,
                              cancellable, callback, user_data);

  if (carnet_ent_is_blank (login))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                               _("Type the login printed on the letter."));
  if (carnet_ent_is_blank (activation_code))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                                               _("Type the provisional password printed on the letter."));

  msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/activation/match");
  if (msg != NULL)
    {
      const CarnetEntPair body[] = {
        { "login", login },
        { "password", activation_code },
      };

      carnet_ent_message_set_json_body (msg, body, G_N_ELEMENTS (body));
    }
  carnet_ent_call_start (self, task, msg);
}

gboolean
carnet_ent_client_activation_match_finish (CarnetEntClient  *self,
                                           GAsyncResult     *result,
                                           gboolean         *matches,
                                           GError          **error)
{
  gboolean ret;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ret = g_task_propagate_boolean (G_TASK (result), error);
  if (matches != NULL)
    *matches = ret;

  return ret;
}

/* --- POST /auth/activation ------------------------------------------------ */

void
carnet_ent_client_activate_async (CarnetEntClient     *self,
                                  const char          *login,
                                  const char          *activation_code,
                                  const char          *password,
                                  const char          *confirm_password,
                                  const char          *mail,
                                  const char          *phone,
                                  gboolean             accept_charter,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SoupMessage *msg;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, carnet_ent_form_done);
  call->form = CARNET_ENT_FORM_ACTIVATION;
  task = carnet_ent_task_new (self, call, carnet_ent_client_activate_async, cancellable, callback, user_data);

  if (carnet_ent_is_blank (login))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                               _("Type the login printed on the letter."));
  if (carnet_ent_is_blank (activation_code))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                                               _("Type the provisional password printed on the letter."));
  if (!carnet_ent_task_check_new_password (self, task, password, confirm_password))
    return;
  if (self->context != NULL && carnet_ent_context_get_mail_mandatory (self->context) && carnet_ent_is_blank (mail))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
                                               _("The ENT needs an email address."));
  if (self->context != NULL && carnet_ent_context_get_phone_mandatory (self->context) && carnet_ent_is_blank (phone))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
                                               _("The ENT needs a mobile phone number."));
  if (!accept_charter)
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CHARTER,
                                               _("The charter must be accepted."));

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "activationCode", activation_code },
      { "password", password },
      { "confirmPassword", confirm_password },
      { "acceptCGU", "true" },
      { "mail", mail },
      { "phone", phone },
    };

    msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/activation");
    if (msg != NULL)
      carnet_ent_message_set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  carnet_ent_call_start (self, task, msg);
}

gboolean
carnet_ent_client_activate_finish (CarnetEntClient  *self,
                                   GAsyncResult     *result,
                                   gboolean         *logged_in,
                                   GError          **error)
{
  gboolean ret = carnet_ent_client_finish_boolean (self, result, carnet_ent_client_activate_async, error);
  CarnetEntCall *call = g_task_get_task_data (G_TASK (result));

  if (logged_in != NULL)
    *logged_in = ret && call->flag;

  return ret;
}

/* POST /auth/login. entcore's loginSubmit gives the session cookie a
 * year's Max-Age when rememberMe is "true", and the configured
 * cookie_timeout (a cookie for the browser's session, by default) when it
 * is anything else or absent: on a shared machine it is left out. */
static SoupMessage *
new_login_message (CarnetEntClient *self,
                   const char      *login,
                   const char      *password)
{
  CarnetEntPair form[4] = {
    { "email", login },
    { "password", password },
  };
  gsize n_pairs = 2;
  SoupMessage *msg;

  if (self->remember_me)
    form[n_pairs++] = (CarnetEntPair) { "rememberMe", "true" };
  form[n_pairs++] = (CarnetEntPair) { "secureLocation", "true" };

  msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/login");
  if (msg != NULL)
    carnet_ent_message_set_form_body (msg, form, n_pairs);

  return msg;
}

/* --- POST /auth/login ---------------------------------------------------- */

static void
login_page_mapped (CarnetEntClient *self,
                   GTask           *task,
                   CarnetEntCall   *call)
{
  const char *page = call->pending_text != NULL ? call->pending_text : "";

  carnet_ent_task_return_error (task, carnet_ent_error_from_login_page_full (page, strlen (page), self->i18n_reverse));
}

/* The password typed was the code of a reset mail: the ENT sends the
 * browser to /auth/reset/<code>?login=<login>, without a session. */
static char *
reset_code_from_location (GUri *location)
{
  const char *path = location != NULL ? g_uri_get_path (location) : NULL;
  g_autofree char *code = NULL;

  if (path == NULL || !g_str_has_prefix (path, "/auth/reset/"))
    return NULL;

  code = g_uri_unescape_string (path + strlen ("/auth/reset/"), NULL);
  if (code == NULL || *code == '\0' || strchr (code, '/') != NULL ||
      g_str_equal (code, "forceChangePassword") || strlen (code) > 64)
    return NULL;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return NULL;

  return g_steal_pointer (&code);
}

static void
login_done (CarnetEntClient *self,
            GTask           *task,
            CarnetEntCall   *call)
{
  guint status = soup_message_get_status (call->msg);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      if (!carnet_ent_client_has_cookie (self, "oneSessionId"))
        {
          g_autofree char *code = reset_code_from_location (call->location);

          if (code != NULL)
            {
              carnet_ent_task_return_error (task, carnet_ent_error_reset_code_as_password (code));
              carnet_ent_secret_wipe_string (code);
              return;
            }

          g_debug ("Login redirected without a session cookie");
          carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
          return;
        }

      carnet_ent_client_session_opened (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      const char *page = (const char *) call->body->data;
      gsize length = call->body->len;

      /* The failed login page carries the message translated for the
       * Accept-Language sent: map it back to its key. */
      if (length > 0 && carnet_ent_login_page_needs_i18n (page, length) &&
          self->i18n_reverse == NULL)
        {
          g_autofree char *text = g_strndup (page, length);

          if (carnet_ent_call_fetch_i18n (self, task, call, text, login_page_mapped))
            return;
        }

      carnet_ent_task_return_error (task, carnet_ent_error_from_login_page_full (page, length, self->i18n_reverse));
      return;
    }

  carnet_ent_task_return_status_error (task, call);
}

void
carnet_ent_client_login_async (CarnetEntClient     *self,
                               const char          *login,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SoupMessage *msg;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, login_done);
  call->field = CARNET_ENT_FIELD_PASSWORD;
  task = carnet_ent_task_new (self, call, carnet_ent_client_login_async, cancellable, callback, user_data);

  if (carnet_ent_is_blank (login))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                               _("Type your login."));
  if (password == NULL || *password == '\0')
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                                               _("Type your password."));

  /* Start from a clean jar: an old session's cookies would otherwise mix
   * with the new one's. */
  carnet_ent_client_forget_session (self);

  msg = new_login_message (self, login, password);
  carnet_ent_call_start (self, task, msg);
}

gboolean
carnet_ent_client_login_finish (CarnetEntClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_login_async, error);
}

/* --- forgotten login and password ---------------------------------------- */

static void
forgot_login_done (CarnetEntClient *self,
                   GTask           *task,
                   CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GPtrArray *schools;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)) ||
      !carnet_ent_form_error_from_json (json, &message, &error))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (message != NULL)
    {
      g_autofree char *clean = carnet_ent_error_clean_server_message (message);

      carnet_ent_task_return_error (task, carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, call->field,
                                                                     clean, 0,
                                                                     carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT)));
      return;
    }

  if (!(schools = carnet_ent_schools_new_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, schools, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_forgot_login_async (CarnetEntClient     *self,
                                      const char          *mail,
                                      const char          *first_name,
                                      const char          *school_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *trimmed = NULL;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, forgot_login_done);
  call->field = CARNET_ENT_FIELD_MAIL;
  task = carnet_ent_task_new (self, call, carnet_ent_client_forgot_login_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (mail != NULL ? mail : ""));
  if (*trimmed == '\0' || strchr (trimmed, '@') == NULL)
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
                                               _("Type a whole email address, like name@example.fr."));
  if (school_id != NULL && carnet_ent_is_blank (first_name))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_FIRST_NAME,
                                               _("Type your first name."));
  if (first_name != NULL && school_id == NULL)
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_SCHOOL,
                                               _("Choose the school."));

  carnet_ent_call_start (self, task,
                         carnet_ent_client_new_json_message (self, SOUP_METHOD_POST, "/auth/forgot-id",
                                                             "mail", trimmed,
                                                             "service", "mail",
                                                             "firstName", first_name,
                                                             "structureId", school_id,
                                                             NULL));
}

GPtrArray *
carnet_ent_client_forgot_login_finish (CarnetEntClient  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
forgot_password_done (CarnetEntClient *self,
                      GTask           *task,
                      CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  /* The answer never tells whether the login exists; only an explicit
   * error is one. It is always a JSON object ({} or {"status":"ok"}): a
   * body that is not one, or an "error" that cannot be read, means the
   * link may not have been sent, and the parent would wait for nothing. */
  if (!(json = carnet_ent_call_get_json (call, &error)) ||
      !carnet_ent_form_error_from_json (json, &message, &error))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (message != NULL)
    {
      g_autofree char *clean = carnet_ent_error_clean_server_message (message);

      carnet_ent_task_return_error (task, carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                                                     clean, 0,
                                                                     carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT)));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
carnet_ent_client_forgot_password_async (CarnetEntClient     *self,
                                         const char          *login,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *trimmed = NULL;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, forgot_password_done);
  call->field = CARNET_ENT_FIELD_LOGIN;
  task = carnet_ent_task_new (self, call, carnet_ent_client_forgot_password_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (login != NULL ? login : ""));
  if (*trimmed == '\0')
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                               _("Type your login."));

  carnet_ent_call_start (self, task,
                         carnet_ent_client_new_json_message (self, SOUP_METHOD_POST, "/auth/forgot-password",
                                                             "login", trimmed, "service", "mail", NULL));
}

gboolean
carnet_ent_client_forgot_password_finish (CarnetEntClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_forgot_password_async, error);
}

void
carnet_ent_client_reset_password_async (CarnetEntClient     *self,
                                        const char          *login,
                                        const char          *link_or_code,
                                        const char          *password,
                                        const char          *confirm_password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntSecretString) code = NULL;
  SoupMessage *msg;
  CarnetEntCall *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, carnet_ent_form_done);
  call->form = CARNET_ENT_FORM_RESET;
  task = carnet_ent_task_new (self, call, carnet_ent_client_reset_password_async, cancellable, callback, user_data);

  if (carnet_ent_is_blank (login))
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                               _("Type your login."));

  code = carnet_ent_parse_reset_code (link_or_code, self->host, &error);
  if (code == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (!carnet_ent_task_check_new_password (self, task, password, confirm_password))
    return;

  call->login = g_strdup (login);
  call->secret = g_strdup (code);

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "resetCode", code },
      { "password", password },
      { "confirmPassword", confirm_password },
    };

    msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/reset");
    if (msg != NULL)
      carnet_ent_message_set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  carnet_ent_call_start (self, task, msg);
}

gboolean
carnet_ent_client_reset_password_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_reset_password_async, error);
}

/* --- forced password change --------------------------------------------- */

static void
force_change_done (CarnetEntClient *self,
                   GTask           *task,
                   CarnetEntCall   *call)
{
  guint status = soup_message_get_status (call->msg);
  SoupMessage *msg;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || call->location == NULL ||
      g_strcmp0 (g_uri_get_path (call->location), "/auth/reset") == 0)
    {
      carnet_ent_form_done (self, task, call);
      return;
    }

  /* Changed: the ENT dropped every session of the user and cleared the
   * cookies. Log in again with the new password. */
  carnet_ent_client_forget_session (self);

  msg = new_login_message (self, call->login, call->secret);
  g_clear_pointer (&call->secret, carnet_ent_secret_free);

  call->done = login_done;
  call->field = CARNET_ENT_FIELD_PASSWORD;
  call->i18n_tried = FALSE;
  carnet_ent_call_start (self, g_object_ref (task), msg);
}

void
carnet_ent_client_force_change_password_async (CarnetEntClient     *self,
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

  /* POST /auth/reset is public (no filter, no CSRF): the forced state
   * redirects every secured route, /auth/changePassword included. */
  call = carnet_ent_call_new (CARNET_ENT_CALL_PUBLIC, force_change_done);
  call->form = CARNET_ENT_FORM_CHANGE_PASSWORD;
  task = carnet_ent_task_new (self, call, carnet_ent_client_force_change_password_async,
                              cancellable, callback, user_data);

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

  call->login = g_strdup (login);
  call->secret = g_strdup (password);

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "oldPassword", old_password },
      { "password", password },
      { "confirmPassword", confirm_password },
      { "forceChange", "force" },
    };

    msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/reset");
    if (msg != NULL)
      carnet_ent_message_set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  carnet_ent_call_start (self, task, msg);
}

gboolean
carnet_ent_client_force_change_password_finish (CarnetEntClient  *self,
                                                GAsyncResult     *result,
                                                GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_force_change_password_async, error);
}

/* --- logout -------------------------------------------------------------- */

static void
logout_done (CarnetEntClient *self,
             GTask           *task,
             CarnetEntCall   *call)
{
  carnet_ent_client_forget_session (self);
  g_task_return_boolean (task, TRUE);
}

void
carnet_ent_client_logout_async (CarnetEntClient     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  /* Whatever the ENT answers, this client is logged out afterwards. */
  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_FORGET_SESSION, logout_done),
                              carnet_ent_client_logout_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/logout?callback=/"));
}

gboolean
carnet_ent_client_logout_finish (CarnetEntClient  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_logout_async, error);
}

/* --- logout of a federated session --------------------------------------- */

/* entcore 6.15.4: GET /auth/logout, for a federated session and with slo
 * configured, only redirects to /auth/saml/slo?callback=… and leaves the
 * session open (AuthController.java:991-1021); the slo ends it (deletes it
 * with its SAML metadata, clears oneSessionId and authenticated) and
 * redirects to the identity provider's logout with a SAMLRequest
 * (AbstractFederateController.java:148-173, SamlController.java:766-825).
 * Its callback is not used (AbstractFederateController.java:149), so none is
 * sent. Without a federated session the slo is the plain logout
 * (logoutCallback). The redirect, wherever it goes, is the answer: the
 * client does not follow it to the IdP. */
void
carnet_ent_client_federated_logout_async (CarnetEntClient     *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  /* Whatever the ENT answers, this client is logged out afterwards. */
  task = carnet_ent_task_new (self,
                              carnet_ent_call_new (CARNET_ENT_CALL_FORGET_SESSION |
                                                   CARNET_ENT_CALL_FOREIGN_REDIRECT,
                                                   logout_done),
                              carnet_ent_client_federated_logout_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/auth/saml/slo"));
}

gboolean
carnet_ent_client_federated_logout_finish (CarnetEntClient  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_federated_logout_async, error);
}
