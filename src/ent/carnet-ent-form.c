/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-secret-private.h"
#include "carnet-ent-types-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

/* The ENT's forms (activation, reset, password changes): the new
 * password checked before sending, and their answers: a 302 on success, a
 * 200 with {"error":…} on refusal, read back to its key. */

/* Checks shared by activation, reset and password change. */
gboolean
carnet_ent_task_check_new_password (CarnetEntClient *self,
                                    GTask           *task,
                                    const char      *password,
                                    const char      *confirm_password)
{
  if (password == NULL || *password == '\0')
    {
      carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NEW_PASSWORD,
                                          _("Choose a new password."));
      return FALSE;
    }

  if (g_strcmp0 (password, confirm_password) != 0)
    {
      carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CONFIRM_PASSWORD,
                                          _("The two passwords are not the same."));
      return FALSE;
    }

  if (self->context != NULL && !carnet_ent_context_check_password (self->context, password))
    {
      carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                                          carnet_ent_error_default_message (CARNET_ENT_ERROR_PASSWORD_POLICY));
      return FALSE;
    }

  return TRUE;
}

/* --- forms answering 302 on success -------------------------------------- */

static void form_refused (CarnetEntClient *self,
                          GTask           *task,
                          CarnetEntCall   *call,
                          const char      *message);

static void
form_refused_mapped (CarnetEntClient *self,
                     GTask           *task,
                     CarnetEntCall   *call)
{
  g_autofree char *message = g_steal_pointer (&call->pending_text);

  form_refused (self, task, call, message);
}

static void
reset_match_done (CarnetEntClient *self,
                  GTask           *task,
                  CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  gboolean matches = FALSE;

  /* Unanswered, the code is the likelier culprit (reset codes last 24 h). */
  if (call->msg == NULL || soup_message_get_status (call->msg) != SOUP_STATUS_OK ||
      (json = carnet_ent_call_get_json (call, NULL)) == NULL ||
      !carnet_ent_match_from_json (json, &matches, NULL))
    matches = FALSE;

  carnet_ent_task_return_error (task, carnet_ent_error_reset_refused (matches, call->pending_text));
}

/* reset.error says "wrong or expired code, or a password used before";
 * POST /auth/reset/match tells the two apart. */
static void
reset_ask_match (CarnetEntClient *self,
                 GTask           *task,
                 CarnetEntCall   *call,
                 const char      *message)
{
  const CarnetEntPair body[] = {
    { "login", call->login },
    { "password", call->secret },
  };
  SoupMessage *msg;

  msg = carnet_ent_client_new_message (self, SOUP_METHOD_POST, "/auth/reset/match");
  if (msg == NULL)
    {
      carnet_ent_task_return_error (task, carnet_ent_error_reset_refused (FALSE, message));
      return;
    }
  carnet_ent_message_set_json_body (msg, body, G_N_ELEMENTS (body));

  if (message != call->pending_text)
    {
      g_free (call->pending_text);
      call->pending_text = g_strdup (message);
    }
  call->done = reset_match_done;
  call->on_failure = reset_match_done;  /* a failed exchange is answered too */
  carnet_ent_call_start (self, g_object_ref (task), msg);
}

static void
form_refused (CarnetEntClient *self,
              GTask           *task,
              CarnetEntCall   *call,
              const char      *message)
{
  GError *error;

  if (carnet_ent_call_fetch_i18n (self, task, call, message, form_refused_mapped))
    return;

  error = carnet_ent_error_from_form_message_full (call->form, message, self->i18n_reverse);

  if (call->form == CARNET_ENT_FORM_RESET && call->login != NULL && call->secret != NULL &&
      (error->code == CARNET_ENT_ERROR_CODE_EXPIRED || error->code == CARNET_ENT_ERROR_PASSWORD_POLICY))
    {
      g_error_free (error);
      reset_ask_match (self, task, call, message);
      return;
    }

  carnet_ent_task_return_error (task, error);
}

void
carnet_ent_form_done (CarnetEntClient *self,
                      GTask           *task,
                      CarnetEntCall   *call)
{
  guint status = soup_message_get_status (call->msg);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* Sent back to the form itself: nothing was done (a loop, or a
       * proxy in the way). Saying "done" would lie to the parent. */
      if (call->location == NULL ||
          g_strcmp0 (g_uri_get_path (call->location),
                     g_uri_get_path (soup_message_get_uri (call->msg))) == 0)
        {
          g_debug ("Form sent back to itself");
          carnet_ent_task_return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
          return;
        }

      /* Activation with auto-login opens a session; without it the ENT
       * sends the user to its login page. */
      call->flag = carnet_ent_client_has_cookie (self, "oneSessionId") &&
                   g_strcmp0 (g_uri_get_path (call->location), "/auth/login") != 0;
      if (call->flag)
        {
          carnet_ent_client_session_opened (self);
        }

      g_task_return_boolean (task, TRUE);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(JsonNode) json = carnet_ent_call_get_json (call, NULL);
      g_autofree char *message = NULL;
      GError *error = NULL;

      if (!carnet_ent_form_error_from_json (json, &message, &error))
        {
          carnet_ent_task_return_error (task, error);
          return;
        }
      if (message != NULL)
        {
          form_refused (self, task, call, message);
          return;
        }
    }

  carnet_ent_task_return_status_error (task, call);
}
