/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The ENT's news (entcore's timeline module), as CarnetEntClient gives it
 * (carnet-ent-client.h: carnet_ent_client_get_notifications_async() and the
 * others). Immutable GObjects; getters return borrowed values, "" rather
 * than NULL for absent strings unless said otherwise.
 *
 * Nothing here holds markup the UI may render: the ENT's HTML is kept as
 * it came (get_message_html(), for nothing but tests and debugging) and
 * turned by the ENT layer into plain text (get_text()): tags dropped,
 * entities decoded, white space folded, control characters gone. Show
 * get_text() in labels with use-markup off. */

/* --- GET /timeline/lastNotifications (Accept: version 3.0) ---------------- */
#define CARNET_TYPE_ENT_NOTIFICATION (carnet_ent_notification_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntNotification, carnet_ent_notification, CARNET, ENT_NOTIFICATION, GObject)

/* "_id": the ENT's id of the notification, stable; what "seen" is kept by. */
const char *carnet_ent_notification_get_id           (CarnetEntNotification *self);
/* "type", as the ENT wrote it ("MESSAGERIE", "BLOG", …). */
const char *carnet_ent_notification_get_kind         (CarnetEntNotification *self);
/* "event-type" ("SEND-MESSAGE", …); "" when absent. */
const char *carnet_ent_notification_get_event_type   (CarnetEntNotification *self);
/* The sender's name as the notification gives it (params.username); "" when
 * none (notifications sent by the ENT itself). */
const char *carnet_ent_notification_get_sender_name  (CarnetEntNotification *self);
/* "sender": the sender's user id; "" when none. */
const char *carnet_ent_notification_get_sender_id    (CarnetEntNotification *self);
/* "date" ({"$date": milliseconds or ISO 8601}), in UTC. Never NULL. */
GDateTime  *carnet_ent_notification_get_date         (CarnetEntNotification *self);
/* "message": the HTML the ENT made from its template. Never show it. */
const char *carnet_ent_notification_get_message_html (CarnetEntNotification *self);
/* The message as safe plain text (see above). */
const char *carnet_ent_notification_get_text         (CarnetEntNotification *self);
/* Where the notification leads: an absolute https URL on the ENT's own host
 * and port (params.resourceUri when it is one, else the message's first
 * <a href> that is one), or NULL. Never another site. */
const char *carnet_ent_notification_get_link         (CarnetEntNotification *self);

/* Labels from GET /timeline/i18nNotifications (a table key → text, as
 * carnet_ent_client_get_timeline_i18n_finish() returns it): the type's label
 * is under the type in lower case ("messagerie" → « Messagerie »), the
 * event's under "type.event-type" in lower case. NULL when the ENT has none. */
const char *carnet_ent_timeline_i18n_lookup_type  (GHashTable *i18n,
                                                   const char *kind);
const char *carnet_ent_timeline_i18n_lookup_event (GHashTable *i18n,
                                                   const char *kind,
                                                   const char *event_type);

/* --- GET /timeline/flashmsg/listuser ---------------------------------------- */
#define CARNET_TYPE_ENT_FLASH_MESSAGE (carnet_ent_flash_message_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntFlashMessage, carnet_ent_flash_message, CARNET, ENT_FLASH_MESSAGE, GObject)

/* "id" (a number at the ENT), in decimal: what mark-read takes. */
const char *carnet_ent_flash_message_get_id    (CarnetEntFlashMessage *self);
const char *carnet_ent_flash_message_get_title (CarnetEntFlashMessage *self); /* plain text, folded */
/* "contents" in the client's language (else French, else the first there
 * is), as safe plain text. The ENT's colours are not kept. */
const char *carnet_ent_flash_message_get_text  (CarnetEntFlashMessage *self);

/* --- the HTML → text the ENT layer uses, public for the UI's tests --------- */
/* Linear in @html's length; any input, valid UTF-8 or not. Tags dropped
 * (<br>, </p>, </div>, </li> become a space), comments, <script> and
 * <style> contents dropped, character references decoded (named ones of
 * HTML's common set, decimal, hexadecimal; others kept as written), white
 * space folded to single spaces and trimmed, control characters removed,
 * invalid UTF-8 replaced with U+FFFD. Never NULL. */
char       *carnet_ent_html_to_text (const char *html,
                                     gssize      length);

G_END_DECLS
