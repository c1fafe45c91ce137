/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-timeline.h"
#include "carnet-ent-timeline-private.h"
#include "carnet-ent-html-private.h"
#include "carnet-ent-json-private.h"

#include <math.h> /* isfinite: a macro, no libm */
#include <string.h>

/* The ENT's news as types (CarnetEntNotification, CarnetEntFlashMessage,
 * the labels), read strictly from the answers of entcore 6.15.4's timeline
 * module (timeline/src/main/java/org/entcore/timeline/). What it answers:
 *
 * GET /timeline/lastNotifications (TimelineController.java:305-400): 25 a
 * page (PAGELIMIT, :644), page=n skips 25·n, type=… repeated filters
 * (:328-335); the store's fields (DefaultTimelineEventStore.java:87-97,
 * 167-170): _id, type, event-type, params, date ({"$date": …}, Mongo's),
 * sender, message, resource, sub-resource, recipients, preview… Notifications
 * without a "message" get it from their template, in the order the
 * templates finish (TimelineController.java:340-392), not the store's
 * "created" order (:86): the client sorts them again, newest first.
 * GET /timeline/types (:402-416): Mongo's distinct "type", an array.
 * GET /timeline/i18nNotifications (:267-284): one object, key → text; the
 * modules' i18n/timeline/<lang>.json give a type's label under its name in
 * lower case ("messagerie": "Messagerie") and an event's under
 * "type.event-type" (conversation/…/i18n/timeline/fr.json).
 * GET /timeline/flashmsg/listuser (FlashMsgController.java:94-110,
 * FlashMsgServiceSqlImpl.java:143-194): an array of {id (BIGSERIAL), title,
 * contents (JSONB: language → HTML), color, customColor, signature,
 * signatureColor}; PUT /timeline/flashmsg/:id/markasread (:112-124,
 * FlashMsgServiceSqlImpl.java:261-266) answers an object.
 *
 * The calls that fetch them are in carnet-ent-timeline-client.c, the HTML →
 * text in carnet-ent-html.c. */

/* --- CarnetEntNotification ------------------------------------------------- */

struct _CarnetEntNotification
{
  GObject    parent_instance;

  char      *id;
  char      *kind;
  char      *event_type;
  char      *sender_name;
  char      *sender_id;
  GDateTime *date;
  char      *message_html;
  char      *text;
  char      *link;
};

G_DEFINE_FINAL_TYPE (CarnetEntNotification, carnet_ent_notification, G_TYPE_OBJECT)

static void
carnet_ent_notification_finalize (GObject *object)
{
  CarnetEntNotification *self = (CarnetEntNotification *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->event_type);
  g_free (self->sender_name);
  g_free (self->sender_id);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->message_html);
  g_free (self->text);
  g_free (self->link);

  G_OBJECT_CLASS (carnet_ent_notification_parent_class)->finalize (object);
}

static void
carnet_ent_notification_class_init (CarnetEntNotificationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_notification_finalize;
}

static void
carnet_ent_notification_init (CarnetEntNotification *self)
{
}

const char *
carnet_ent_notification_get_id (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->id;
}

const char *
carnet_ent_notification_get_kind (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->kind;
}

const char *
carnet_ent_notification_get_event_type (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->event_type;
}

const char *
carnet_ent_notification_get_sender_name (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->sender_name;
}

const char *
carnet_ent_notification_get_sender_id (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->sender_id;
}

GDateTime *
carnet_ent_notification_get_date (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->date;
}

const char *
carnet_ent_notification_get_message_html (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->message_html;
}

const char *
carnet_ent_notification_get_text (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->text;
}

const char *
carnet_ent_notification_get_link (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->link;
}

/* Mongo's date as entcore renders it: {"$date": milliseconds since 1970}
 * or {"$date": "2026-12-07T23:40:00.000Z"}. Years 1 to 9999 only. */
#define MIN_DATE_MS G_GINT64_CONSTANT (-62135596800000)
#define MAX_DATE_MS G_GINT64_CONSTANT (253402300799999)

static GDateTime *
date_from_ms (gint64 ms)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 secs, rest;

  if (ms < MIN_DATE_MS || ms > MAX_DATE_MS)
    return NULL;

  secs = ms / 1000;
  rest = ms % 1000;
  if (rest < 0)
    {
      secs--;
      rest += 1000;
    }

  seconds = g_date_time_new_from_unix_utc (secs);
  if (seconds == NULL)
    return NULL;

  return g_date_time_add (seconds, rest * G_TIME_SPAN_MILLISECOND);
}

static GDateTime *
date_from_json (JsonObject  *object,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, "date");
  JsonNode *value;
  GDateTime *date = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (value = json_object_get_member (json_node_get_object (node), "$date")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (value))
    {
      carnet_ent_json_protocol_error (error, "date");
      return NULL;
    }

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_INT64:
      date = date_from_ms (json_node_get_int (value));
      break;

    case G_TYPE_DOUBLE:
      {
        double ms = json_node_get_double (value);

        if (isfinite (ms) && ms >= (double) MIN_DATE_MS && ms <= (double) MAX_DATE_MS)
          date = date_from_ms ((gint64) ms);
      }
      break;

    case G_TYPE_STRING:
      {
        g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
        g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (json_node_get_string (value), utc);

        if (parsed != NULL)
          date = g_date_time_to_utc (parsed);
      }
      break;

    default:
      break;
    }

  if (date == NULL)
    carnet_ent_json_protocol_error (error, "date");
  return date;
}

static CarnetEntNotification *
notification_new_from_json (JsonNode    *node,
                            GUri        *base,
                            GError     **error)
{
  g_autoptr(CarnetEntNotification) self = NULL;
  g_autoptr(GPtrArray) hrefs = NULL;
  JsonObject *object;
  JsonNode *params;

  if (!(object = carnet_ent_json_get_object (node, "results[]", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_NOTIFICATION, NULL);
  if (!carnet_ent_json_get_string (object, "_id", TRUE, &self->id, error) ||
      !carnet_ent_json_get_string (object, "type", TRUE, &self->kind, error) ||
      !carnet_ent_json_get_string (object, "event-type", FALSE, &self->event_type, error) ||
      !carnet_ent_json_get_string (object, "sender", FALSE, &self->sender_id, error) ||
      !carnet_ent_json_get_string (object, "message", TRUE, &self->message_html, error) ||
      !(self->date = date_from_json (object, error)))
    return NULL;

  if (*self->id == '\0' || *self->kind == '\0')
    {
      carnet_ent_json_protocol_error (error, "_id or type empty");
      return NULL;
    }

  hrefs = g_ptr_array_new_with_free_func (g_free);
  self->text = carnet_ent_html_scan (self->message_html, strlen (self->message_html), hrefs);

  /* params is each module's own: read what is there, as text, and
   * ignore the rest (a username that is no string is no name). */
  params = json_object_get_member (object, "params");
  if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
    {
      JsonObject *p = json_node_get_object (params);
      JsonNode *username = json_object_get_member (p, "username");
      JsonNode *resource_uri = json_object_get_member (p, "resourceUri");

      if (carnet_ent_json_is_string (username))
        self->sender_name = carnet_ent_html_to_text (json_node_get_string (username), -1);
      if (carnet_ent_json_is_string (resource_uri))
        self->link = carnet_ent_html_link_on_ent (base, json_node_get_string (resource_uri));
    }
  else if (params != NULL && !JSON_NODE_HOLDS_NULL (params))
    {
      carnet_ent_json_protocol_error (error, "params");
      return NULL;
    }
  if (self->sender_name == NULL)
    self->sender_name = g_strdup ("");

  for (guint i = 0; self->link == NULL && i < hrefs->len; i++)
    self->link = carnet_ent_html_link_on_ent (base, g_ptr_array_index (hrefs, i));

  return g_steal_pointer (&self);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  CarnetEntNotification *na = *(CarnetEntNotification **) a;
  CarnetEntNotification *nb = *(CarnetEntNotification **) b;

  return g_date_time_compare (nb->date, na->date);
}

GPtrArray *
carnet_ent_notifications_new_from_json (JsonNode    *node,
                                        const char  *base_url,
                                        GError     **error)
{
  g_autoptr(GPtrArray) notifications = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GUri) base = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *results;
  JsonArray *array;
  guint n;

  if (!(object = carnet_ent_json_get_object (node, "lastNotifications", error)) ||
      !carnet_ent_json_get_string (object, "status", FALSE, &status, error))
    return NULL;

  /* renderJson of the store's reply: "ok", or renderError's (TimelineController.java:395). */
  if (*status != '\0' && g_strcmp0 (status, "ok") != 0)
    {
      carnet_ent_json_protocol_error (error, "status");
      return NULL;
    }

  results = json_object_get_member (object, "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      carnet_ent_json_protocol_error (error, "results");
      return NULL;
    }

  if (base_url != NULL)
    base = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);

  array = json_node_get_array (results);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      CarnetEntNotification *notification = notification_new_from_json (json_array_get_element (array, i),
                                                                         base, error);

      if (notification == NULL)
        return NULL;
      g_ptr_array_add (notifications, notification);
    }

  /* Stable: notifications of the same instant keep the ENT's order. */
  g_ptr_array_sort (notifications, compare_newest_first);

  return g_steal_pointer (&notifications);
}

/* --- types and labels -------------------------------------------------------- */

char **
carnet_ent_timeline_types_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      carnet_ent_json_protocol_error (error, "types");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (!carnet_ent_json_is_string (element))
        {
          carnet_ent_json_protocol_error (error, "types[]");
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

GHashTable *
carnet_ent_timeline_i18n_new_from_json (JsonNode  *node,
                                        GError   **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  JsonObject *object;

  if (!(object = carnet_ent_json_get_object (node, "i18nNotifications", error)))
    return NULL;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const char *label;

      if (!carnet_ent_json_is_string (value))
        continue;
      label = json_node_get_string (value);
      g_hash_table_replace (table, g_strdup (key), carnet_ent_html_fold_text (label, strlen (label)));
    }

  return g_steal_pointer (&table);
}

const char *
carnet_ent_timeline_i18n_lookup_type (GHashTable *i18n,
                                      const char *kind)
{
  g_autofree char *key = NULL;
  const char *label;

  if (i18n == NULL || kind == NULL || *kind == '\0')
    return NULL;

  key = g_utf8_strdown (kind, -1);
  label = g_hash_table_lookup (i18n, key);

  return label != NULL && *label != '\0' ? label : NULL;
}

const char *
carnet_ent_timeline_i18n_lookup_event (GHashTable *i18n,
                                       const char *kind,
                                       const char *event_type)
{
  g_autofree char *joined = NULL;
  g_autofree char *key = NULL;
  const char *label;

  if (i18n == NULL || kind == NULL || *kind == '\0' || event_type == NULL || *event_type == '\0')
    return NULL;

  joined = g_strconcat (kind, ".", event_type, NULL);
  key = g_utf8_strdown (joined, -1);
  label = g_hash_table_lookup (i18n, key);

  return label != NULL && *label != '\0' ? label : NULL;
}

/* --- CarnetEntFlashMessage ---------------------------------------------------- */

struct _CarnetEntFlashMessage
{
  GObject  parent_instance;

  char    *id;
  char    *title;
  char    *text;
};

G_DEFINE_FINAL_TYPE (CarnetEntFlashMessage, carnet_ent_flash_message, G_TYPE_OBJECT)

static void
carnet_ent_flash_message_finalize (GObject *object)
{
  CarnetEntFlashMessage *self = (CarnetEntFlashMessage *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->text);

  G_OBJECT_CLASS (carnet_ent_flash_message_parent_class)->finalize (object);
}

static void
carnet_ent_flash_message_class_init (CarnetEntFlashMessageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_flash_message_finalize;
}

static void
carnet_ent_flash_message_init (CarnetEntFlashMessage *self)
{
}

const char *
carnet_ent_flash_message_get_id (CarnetEntFlashMessage *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_FLASH_MESSAGE (self), NULL);
  return self->id;
}

const char *
carnet_ent_flash_message_get_title (CarnetEntFlashMessage *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_FLASH_MESSAGE (self), NULL);
  return self->title;
}

const char *
carnet_ent_flash_message_get_text (CarnetEntFlashMessage *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_FLASH_MESSAGE (self), NULL);
  return self->text;
}

/* The language's contents, else French, else the first language in
 * alphabetical order (the same whatever the table's order). */
static const char *
choose_contents (GHashTable *contents,
                 const char *language)
{
  const char *found;
  const char *first_key = NULL;
  const char *key;
  GHashTableIter iter;

  if (language != NULL && (found = g_hash_table_lookup (contents, language)) != NULL)
    return found;
  if ((found = g_hash_table_lookup (contents, "fr")) != NULL)
    return found;

  g_hash_table_iter_init (&iter, contents);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (first_key == NULL || strcmp (key, first_key) < 0)
      first_key = key;

  return first_key != NULL ? g_hash_table_lookup (contents, first_key) : NULL;
}

static CarnetEntFlashMessage *
flash_message_new_from_json (JsonNode    *node,
                             const char  *language,
                             GError     **error)
{
  g_autoptr(CarnetEntFlashMessage) self = NULL;
  g_autoptr(GHashTable) contents = NULL;
  g_autofree char *title = NULL;
  const char *html;
  JsonObject *object;
  JsonNode *id;

  if (!(object = carnet_ent_json_get_object (node, "flashmsg[]", error)))
    return NULL;

  id = json_object_get_member (object, "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) ||
      json_node_get_value_type (id) != G_TYPE_INT64 || json_node_get_int (id) < 0)
    {
      carnet_ent_json_protocol_error (error, "id");
      return NULL;
    }

  if (!carnet_ent_json_get_string (object, "title", TRUE, &title, error))
    return NULL;
  if (json_object_get_member (object, "contents") == NULL ||
      !carnet_ent_json_get_string_map (object, "contents", &contents, error))
    {
      if (error != NULL && *error == NULL)
        carnet_ent_json_protocol_error (error, "contents");
      return NULL;
    }

  self = g_object_new (CARNET_TYPE_ENT_FLASH_MESSAGE, NULL);
  self->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  /* A title is text, not HTML: only folded. */
  self->title = carnet_ent_html_fold_text (title, strlen (title));
  html = choose_contents (contents, language);
  self->text = carnet_ent_html_to_text (html, -1);

  return g_steal_pointer (&self);
}

GPtrArray *
carnet_ent_flash_messages_new_from_json (JsonNode    *node,
                                         const char  *language,
                                         GError     **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      carnet_ent_json_protocol_error (error, "flashmsg");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      CarnetEntFlashMessage *message = flash_message_new_from_json (json_array_get_element (array, i),
                                                                    language, error);

      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }

  return g_steal_pointer (&messages);
}
