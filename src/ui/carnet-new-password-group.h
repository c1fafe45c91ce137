/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

#define CARNET_TYPE_NEW_PASSWORD_GROUP (carnet_new_password_group_get_type ())
G_DECLARE_FINAL_TYPE (CarnetNewPasswordGroup, carnet_new_password_group, CARNET, NEW_PASSWORD_GROUP, AdwPreferencesGroup)

/* "New password" typed twice, with the ENT's own rule shown and checked
 * live, a strength hint and the "both are identical" check.
 *
 * Properties:
 *   valid (gboolean, read-only, notified): the password follows the ENT's
 *     rule and both fields are identical; keep the submit button
 *     insensitive until then.
 * Signals:
 *   activate (): Enter was pressed in the confirmation (or in the first
 *     field while the form is valid). */

GtkWidget  *carnet_new_password_group_new             (void);
/* The rule and the check come from @context (may be NULL: then only
 * "not empty" and "identical" are checked); @activation picks the ENT's
 * wording for an account activation. */
void        carnet_new_password_group_set_context     (CarnetNewPasswordGroup *self,
                                                       CarnetEntContext       *context,
                                                       gboolean                activation);
gboolean    carnet_new_password_group_get_valid       (CarnetNewPasswordGroup *self);
/* Borrowed; do not keep it. */
const char *carnet_new_password_group_get_password    (CarnetNewPasswordGroup *self);
/* Empties both fields and forgets any error. */
void        carnet_new_password_group_clear           (CarnetNewPasswordGroup *self);
/* Marks the new password (@confirm FALSE) or its confirmation as refused,
 * with @message read by screen readers, and focuses it; NULL clears. */
void        carnet_new_password_group_set_error       (CarnetNewPasswordGroup *self,
                                                       gboolean                confirm,
                                                       const char             *message);
/* Insensitive while a request is under way; the text stays. */
void        carnet_new_password_group_set_editable    (CarnetNewPasswordGroup *self,
                                                       gboolean                editable);

G_END_DECLS
