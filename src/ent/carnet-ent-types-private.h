/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "carnet-ent-types.h"

G_BEGIN_DECLS

/* Strict constructors from the ENT's JSON: a missing or mistyped required
 * field is CARNET_ENT_ERROR_PROTOCOL, unknown fields are ignored. They
 * never warn nor crash on any input, so they can be fuzzed directly. */

/* Parses a whole body; non-JSON, invalid UTF-8 or empty → PROTOCOL. */
JsonNode              *carnet_ent_json_parse               (const char     *data,
                                                            gsize           length,
                                                            GError        **error);

CarnetEntContext      *carnet_ent_context_new_from_json      (JsonNode       *node,
                                                              GError        **error);
CarnetEntUser         *carnet_ent_user_new_from_json         (JsonNode       *node,
                                                              GError        **error);
CarnetEntRequirements *carnet_ent_requirements_new_from_json (JsonNode       *node,
                                                              GError        **error);
/* Either the whole GET answer (with "emailState", maybe null) or the
 * state object alone (with "state"), as POST may answer. */
CarnetEntMailState    *carnet_ent_mail_state_new_from_json   (JsonNode       *node,
                                                              GError        **error);
CarnetEntTokens       *carnet_ent_tokens_new_from_json       (JsonNode       *node,
                                                              GError        **error);
/* Element type CarnetEntChild; @user (may be NULL) gives first/last names. */
GPtrArray             *carnet_ent_children_new_from_json     (JsonNode       *node,
                                                              CarnetEntUser  *user,
                                                              GError        **error);
/* The forgot-id answer: {} → empty array, {"structures":[…]} → CarnetEntSchool. */
GPtrArray             *carnet_ent_schools_new_from_json      (JsonNode       *node,
                                                              GError        **error);
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
