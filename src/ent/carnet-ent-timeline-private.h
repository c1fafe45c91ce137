/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "carnet-ent-timeline.h"

G_BEGIN_DECLS

/* Strict constructors from the timeline's JSON (entcore 6.15.4's timeline
 * module), as carnet-ent-types-private.h's: a missing or mistyped required
 * field is CARNET_ENT_ERROR_PROTOCOL, unknown fields are ignored, nothing
 * warns or crashes on any input (fuzzed by the "timeline" target). */

/* {"status":"ok","number":n,"results":[…]} of GET /timeline/lastNotifications
 * (version 3.0). Links are kept only when on @base_url ("https://host[:port]").
 * Element type CarnetEntNotification, newest first. */
GPtrArray  *carnet_ent_notifications_new_from_json   (JsonNode    *node,
                                                      const char  *base_url,
                                                      GError     **error);
/* ["BLOG", …] of GET /timeline/types; nulls are left out. */
char      **carnet_ent_timeline_types_from_json      (JsonNode    *node,
                                                      GError     **error);
/* {"key": "label", …} of GET /timeline/i18nNotifications; members that are
 * not strings are left out. Not an object → PROTOCOL. */
GHashTable *carnet_ent_timeline_i18n_new_from_json   (JsonNode    *node,
                                                      GError     **error);
/* [{"id":1,"title":"…","contents":{"fr":"<p>…</p>"},…}] of GET
 * /timeline/flashmsg/listuser; @language ("fr", may be NULL) chooses the
 * contents. Element type CarnetEntFlashMessage. */
GPtrArray  *carnet_ent_flash_messages_new_from_json  (JsonNode    *node,
                                                      const char  *language,
                                                      GError     **error);

G_END_DECLS
