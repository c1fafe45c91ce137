/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

/* The Accept-Language the client sends (the ENT's messages and its
 * /auth/i18n are in that language); NULL: from the locale, "fr" when the
 * locale names none. Forgets the dictionary fetched before. */
void        carnet_ent_client_set_accept_language (CarnetEntClient *self,
                                                   const char      *accept_language);
const char *carnet_ent_client_get_accept_language (CarnetEntClient *self);

/* How answers map to errors; exposed for the unit tests. */
GError *carnet_ent_error_from_redirect_path (const char     *path,
                                             gboolean       *session_expired);
GError *carnet_ent_error_from_status         (guint           status,
                                             JsonNode       *json,
                                             CarnetEntField  field,
                                             gboolean       *session_expired);

G_END_DECLS
