/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The ENT's JSON read strictly: a missing or mistyped required field is
 * CARNET_ENT_ERROR_PROTOCOL (the debug log names the field, never a
 * value, which could be a secret); unknown fields are ignored. Nothing
 * here warns or crashes on any input, so it can be fuzzed directly. */

/* Parses a whole body; non-JSON, invalid UTF-8 or empty → PROTOCOL. */
JsonNode              *carnet_ent_json_parse               (const char     *data,
                                                            gsize           length,
                                                            GError        **error);

/* Typed readers of @object's member @name. Required members must be
 * there and of the type; optional ones may be absent or null and then
 * read as "", FALSE or 0. FALSE + PROTOCOL otherwise. */
gboolean    carnet_ent_json_protocol_error (GError      **error,
                                            const char   *what);
JsonObject *carnet_ent_json_get_object     (JsonNode     *node,
                                            const char   *what,
                                            GError      **error);
gboolean    carnet_ent_json_is_string      (JsonNode     *node);
gboolean    carnet_ent_json_get_string     (JsonObject   *object,
                                            const char   *name,
                                            gboolean      required,
                                            char        **out,
                                            GError      **error);
gboolean    carnet_ent_json_get_bool       (JsonObject   *object,
                                            const char   *name,
                                            gboolean      required,
                                            gboolean     *out,
                                            GError      **error);
gboolean    carnet_ent_json_get_uint       (JsonObject   *object,
                                            const char   *name,
                                            gboolean      required,
                                            guint        *out,
                                            GError      **error);
/* An optional array of strings; absent or null → empty. */
gboolean    carnet_ent_json_get_strv       (JsonObject   *object,
                                            const char   *name,
                                            char       ***out,
                                            GError      **error);
/* {"fr": "…", "en": "…"}: optional; non-string values are refused. */
gboolean    carnet_ent_json_get_string_map (JsonObject   *object,
                                            const char   *name,
                                            GHashTable  **out,
                                            GError      **error);

/* The small answers that need no type of their own. */
/* {"match": bool} */
gboolean               carnet_ent_match_from_json            (JsonNode       *node,
                                                              gboolean       *matches,
                                                              GError        **error);
/* "auth.charter" of /auth/i18n, or NULL + PROTOCOL. */
char                  *carnet_ent_charter_path_from_json     (JsonNode       *node,
                                                              GError        **error);
/* GET /auth/i18n inverted: normalised text (carnet_ent_i18n_normalize())
 * → its keys joined by "\n". Members that are not strings are left out;
 * not an object → PROTOCOL. */
GHashTable            *carnet_ent_i18n_reverse_new_from_json (JsonNode       *node,
                                                              GError        **error);
/* The 200 answer of a form or a public request: {"error":{"message":"…"},…}
 * or {"error":"key"} sets @message to the refusal; no (or a null) "error"
 * sets it to NULL. Anything else (not an object, an "error" of another type,
 * a "message" that is not a string) is PROTOCOL and FALSE. */
gboolean               carnet_ent_form_error_from_json       (JsonNode       *node,
                                                              char          **message,
                                                              GError        **error);
/* The body of a success that carries nothing (204 of PUT /auth/cgu/revalidate,
 * 200 of PUT /directory/user/mailstate): empty or blank, or a JSON object
 * without an "error" member. Not JSON, not an object, or an "error" → PROTOCOL. */
gboolean               carnet_ent_empty_answer_check         (const char     *data,
                                                              gsize           length,
                                                              GError        **error);
/* {"error":"key", "error_description":"…"}: borrowed strings or NULL. */
void                   carnet_ent_error_keys_from_json       (JsonNode       *node,
                                                              const char    **error_key,
                                                              const char    **description);

G_END_DECLS
