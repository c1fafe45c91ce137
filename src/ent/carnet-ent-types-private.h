/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "carnet-ent-types.h"

G_BEGIN_DECLS

/* Strict constructors from the ENT's JSON (read with carnet-ent-json.c's
 * readers): a missing or mistyped required field is
 * CARNET_ENT_ERROR_PROTOCOL, unknown fields are ignored. They never warn
 * nor crash on any input, so they can be fuzzed directly. */

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
/* Element type CarnetEntChild; @user (may be NULL) gives first/last names. */
GPtrArray             *carnet_ent_children_new_from_json     (JsonNode       *node,
                                                              CarnetEntUser  *user,
                                                              GError        **error);
/* The forgot-id answer: {} → empty array, {"structures":[…]} → CarnetEntSchool. */
GPtrArray             *carnet_ent_schools_new_from_json      (JsonNode       *node,
                                                              GError        **error);

G_END_DECLS
