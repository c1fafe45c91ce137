/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Typed results of CarnetEntClient. All are immutable GObjects built by
 * the client from the ENT's answers; callers never see JSON. Getters return
 * borrowed values ("" rather than NULL for absent optional strings unless
 * said otherwise). */

/* --- GET /auth/context ---------------------------------------------------- */
#define CARNET_TYPE_ENT_CONTEXT (carnet_ent_context_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntContext, carnet_ent_context, CARNET, ENT_CONTEXT, GObject)

const char *carnet_ent_context_get_password_regex  (CarnetEntContext *self);
/* The ENT's own wording of its rule for the current language (activation
 * variant when @activation), or NULL when it gave none. */
const char *carnet_ent_context_get_password_rule   (CarnetEntContext *self,
                                                    gboolean          activation);
gboolean    carnet_ent_context_get_cgu             (CarnetEntContext *self);
gboolean    carnet_ent_context_get_mail_mandatory  (CarnetEntContext *self);
gboolean    carnet_ent_context_get_phone_mandatory (CarnetEntContext *self);
/* TRUE when @password matches the whole passwordRegex (Java's matches()). */
gboolean    carnet_ent_context_check_password      (CarnetEntContext *self,
                                                    const char       *password);

/* --- GET /auth/oauth2/userinfo (version 2.0) ------------------------------ */
#define CARNET_TYPE_ENT_USER (carnet_ent_user_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntUser, carnet_ent_user, CARNET, ENT_USER, GObject)

const char         *carnet_ent_user_get_id                    (CarnetEntUser *self);
const char         *carnet_ent_user_get_login                 (CarnetEntUser *self);
const char         *carnet_ent_user_get_display_name          (CarnetEntUser *self);
const char         *carnet_ent_user_get_first_name            (CarnetEntUser *self);
const char         *carnet_ent_user_get_last_name             (CarnetEntUser *self);
const char         *carnet_ent_user_get_email                 (CarnetEntUser *self);
const char         *carnet_ent_user_get_mobile                (CarnetEntUser *self);
const char         *carnet_ent_user_get_profile_type          (CarnetEntUser *self); /* "Relative" for a parent */
gboolean            carnet_ent_user_is_parent                 (CarnetEntUser *self);
gboolean            carnet_ent_user_get_force_change_password (CarnetEntUser *self);
gboolean            carnet_ent_user_get_need_revalidate_terms (CarnetEntUser *self);
/* userinfo's "federated": the session was opened through an identity
 * federation (EduConnect, SAML), not with the ENT's own password; such an
 * account has no password Carnet can check or change. Absent: FALSE. */
gboolean            carnet_ent_user_get_federated             (CarnetEntUser *self);
/* userinfo's "federatedIDP": the identity provider's entity id, or NULL
 * when the ENT does not say (or the session is not federated). */
const char         *carnet_ent_user_get_federated_idp         (CarnetEntUser *self);
const char * const *carnet_ent_user_get_structure_names       (CarnetEntUser *self);
const char * const *carnet_ent_user_get_children_ids          (CarnetEntUser *self);
/* First and last name of a child from userinfo's "children" map; FALSE if unknown. */
gboolean            carnet_ent_user_lookup_child              (CarnetEntUser  *self,
                                                               const char     *child_id,
                                                               const char    **first_name,
                                                               const char    **last_name);

/* --- GET /auth/user/requirements ------------------------------------------ */
#define CARNET_TYPE_ENT_REQUIREMENTS (carnet_ent_requirements_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntRequirements, carnet_ent_requirements, CARNET, ENT_REQUIREMENTS, GObject)

gboolean carnet_ent_requirements_get_force_change_password  (CarnetEntRequirements *self);
gboolean carnet_ent_requirements_get_need_revalidate_terms  (CarnetEntRequirements *self);
gboolean carnet_ent_requirements_get_need_revalidate_email  (CarnetEntRequirements *self);
gboolean carnet_ent_requirements_get_need_revalidate_mobile (CarnetEntRequirements *self);
gboolean carnet_ent_requirements_get_need_mfa               (CarnetEntRequirements *self);

/* --- /directory/user/mailstate -------------------------------------------- */
typedef enum {
  CARNET_ENT_MAIL_STATE_NONE,      /* emailState was null */
  CARNET_ENT_MAIL_STATE_UNCHECKED,
  CARNET_ENT_MAIL_STATE_PENDING,   /* a code was sent and can be typed */
  CARNET_ENT_MAIL_STATE_OUTDATED,  /* code expired or tries used up: ask for a new one */
  CARNET_ENT_MAIL_STATE_VALID,
} CarnetEntMailStateKind;

#define CARNET_TYPE_ENT_MAIL_STATE (carnet_ent_mail_state_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntMailState, carnet_ent_mail_state, CARNET, ENT_MAIL_STATE, GObject)

const char             *carnet_ent_mail_state_get_email           (CarnetEntMailState *self);
const char             *carnet_ent_mail_state_get_display_name    (CarnetEntMailState *self);
guint                   carnet_ent_mail_state_get_wait_in_seconds (CarnetEntMailState *self);
CarnetEntMailStateKind  carnet_ent_mail_state_get_kind            (CarnetEntMailState *self);
const char             *carnet_ent_mail_state_get_valid           (CarnetEntMailState *self);
const char             *carnet_ent_mail_state_get_pending         (CarnetEntMailState *self);
guint                   carnet_ent_mail_state_get_tries           (CarnetEntMailState *self);
guint                   carnet_ent_mail_state_get_ttl             (CarnetEntMailState *self);

/* --- GET /directory/user/<id>/children, merged with userinfo -------------- */
#define CARNET_TYPE_ENT_CHILD (carnet_ent_child_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntChild, carnet_ent_child, CARNET, ENT_CHILD, GObject)

const char         *carnet_ent_child_get_id             (CarnetEntChild *self);
const char         *carnet_ent_child_get_display_name   (CarnetEntChild *self);
const char         *carnet_ent_child_get_first_name     (CarnetEntChild *self);
const char         *carnet_ent_child_get_last_name      (CarnetEntChild *self);
const char         *carnet_ent_child_get_school_name    (CarnetEntChild *self);
const char * const *carnet_ent_child_get_classes        (CarnetEntChild *self);

/* --- POST /auth/forgot-id "structures" answer ------------------------------ */
#define CARNET_TYPE_ENT_SCHOOL (carnet_ent_school_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntSchool, carnet_ent_school, CARNET, ENT_SCHOOL, GObject)

const char *carnet_ent_school_get_id   (CarnetEntSchool *self);
const char *carnet_ent_school_get_name (CarnetEntSchool *self);

G_END_DECLS
