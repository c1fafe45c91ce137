/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-timeline-private.h"

#include <string.h>

#include <libsoup/soup.h>

/* The ENT's news: the client's calls to entcore 6.15.4's timeline module
 * (timeline/src/main/java/org/entcore/timeline/), all behind the session.
 * GET /timeline/lastNotifications (TimelineController.java:305-400),
 * GET /timeline/types (:402-416), GET /timeline/i18nNotifications
 * (:267-284), GET /timeline/flashmsg/listuser (FlashMsgController.java:
 * 94-110), PUT /timeline/flashmsg/:id/markasread (:112-124). Their answers
 * are read by carnet-ent-timeline.c (the shapes, with file:line, are there). */

/* "fr-FR,fr;q=0.9" → "fr". */
static char *
client_language (CarnetEntClient *self)
{
  const char *accept = carnet_ent_client_get_accept_language (self);
  gsize n = 0;

  if (accept == NULL)
    return NULL;
  while (g_ascii_isalpha (accept[n]))
    n++;

  return n > 0 ? g_ascii_strdown (accept, (gssize) n) : NULL;
}

static JsonNode *
json_answer (GTask         *task,
             CarnetEntCall *call)
{
  g_autoptr(GError) error = NULL;
  JsonNode *json;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return NULL;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  return json;
}

static void
notifications_done (CarnetEntClient *self,
                    GTask           *task,
                    CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *notifications;

  if (!(json = json_answer (task, call)))
    return;

  if (!(notifications = carnet_ent_notifications_new_from_json (json, self->base_url, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, notifications, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_get_notifications_async (CarnetEntClient     *self,
                                           guint                page,
                                           const char * const  *types,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GString) path = NULL;
  SoupMessage *msg;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, notifications_done),
                              carnet_ent_client_get_notifications_async, cancellable, callback, user_data);

  path = g_string_new ("/timeline/lastNotifications");
  g_string_append_printf (path, "?page=%u", page);
  for (gsize i = 0; types != NULL && types[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;

      if (*types[i] == '\0')
        continue;
      escaped = g_uri_escape_string (types[i], NULL, FALSE);
      g_string_append_printf (path, "&type=%s", escaped);
    }

  msg = carnet_ent_client_new_message (self, SOUP_METHOD_GET, path->str);
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept", "application/json;version=3.0");
  carnet_ent_call_start (self, task, msg);
}

GPtrArray *
carnet_ent_client_get_notifications_finish (CarnetEntClient  *self,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
types_done (CarnetEntClient *self,
            GTask           *task,
            CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  char **types;

  if (!(json = json_answer (task, call)))
    return;

  if (!(types = carnet_ent_timeline_types_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, types, (GDestroyNotify) g_strfreev);
}

void
carnet_ent_client_get_timeline_types_async (CarnetEntClient     *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, types_done),
                              carnet_ent_client_get_timeline_types_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/timeline/types"));
}

char **
carnet_ent_client_get_timeline_types_finish (CarnetEntClient  *self,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
i18n_done (CarnetEntClient *self,
           GTask           *task,
           CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *table;

  if (!(json = json_answer (task, call)))
    return;

  if (!(table = carnet_ent_timeline_i18n_new_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, table, (GDestroyNotify) g_hash_table_unref);
}

void
carnet_ent_client_get_timeline_i18n_async (CarnetEntClient     *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  /* The language is the session's Accept-Language (TimelineController.java:270). */
  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, i18n_done),
                              carnet_ent_client_get_timeline_i18n_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET,
                                                                    "/timeline/i18nNotifications"));
}

GHashTable *
carnet_ent_client_get_timeline_i18n_finish (CarnetEntClient  *self,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
flash_messages_done (CarnetEntClient *self,
                     GTask           *task,
                     CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  GPtrArray *messages;

  if (!(json = json_answer (task, call)))
    return;

  language = client_language (self);
  if (!(messages = carnet_ent_flash_messages_new_from_json (json, language, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_get_flash_messages_async (CarnetEntClient     *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, flash_messages_done),
                              carnet_ent_client_get_flash_messages_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET,
                                                                    "/timeline/flashmsg/listuser"));
}

GPtrArray *
carnet_ent_client_get_flash_messages_finish (CarnetEntClient  *self,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mark_read_done (CarnetEntClient *self,
                GTask           *task,
                CarnetEntCall   *call)
{
  GError *error = NULL;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK &&
      soup_message_get_status (call->msg) != SOUP_STATUS_NO_CONTENT)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (call->body != NULL &&
      !carnet_ent_empty_answer_check ((const char *) call->body->data, call->body->len, &error))
    {
      carnet_ent_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
carnet_ent_client_mark_flash_message_read_async (CarnetEntClient     *self,
                                                 const char          *id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, mark_read_done),
                              carnet_ent_client_mark_flash_message_read_async, cancellable, callback, user_data);

  /* The ENT's ids are numbers (BIGSERIAL): anything else is not one of its messages. */
  if (id == NULL || *id == '\0' || strspn (id, "0123456789") != strlen (id) || strlen (id) > 19)
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NONE,
                                               carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT));

  path = g_strdup_printf ("/timeline/flashmsg/%s/markasread", id);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_PUT, path));
}

gboolean
carnet_ent_client_mark_flash_message_read_finish (CarnetEntClient  *self,
                                                  GAsyncResult     *result,
                                                  GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_mark_flash_message_read_async, error);
}
