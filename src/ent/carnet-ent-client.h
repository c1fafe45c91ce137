/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "carnet-ent-error.h"
#include "carnet-ent-types.h"
#include "carnet-ent-timeline.h"

G_BEGIN_DECLS

/* One CarnetEntClient per ENT host. It owns a SoupSession whose cookie jar
 * lives in memory only. TLS is always verified: against the system's trust
 * store, or only against the CA file given with carnet_ent_client_set_ca_file().
 * Every method is asynchronous and cancellable; every error is in
 * CARNET_ENT_ERROR with a translated message, except a cancelled call's,
 * which is G_IO_ERROR_CANCELLED. No method blocks. */

#define CARNET_TYPE_ENT_CLIENT (carnet_ent_client_get_type ())
G_DECLARE_FINAL_TYPE (CarnetEntClient, carnet_ent_client, CARNET, ENT_CLIENT, GObject)

/* "enthdf.fr", "http://x.fr/", "https://x.fr:8443/auth/login" → "https://x.fr[:port]".
 * Never keeps a path, a query or a fragment. NULL + INVALID_INPUT on garbage, on a user or
 * password ("x@", "enthdf.fr:443@evil.com"), a scheme other than http(s), a port written empty,
 * 0 or above 65535, and a host mixing scripts (a homograph); IDN hosts come back in punycode. */
char            *carnet_ent_normalize_address       (const char  *address,
                                                     GError     **error);

/* The host as the UI shows it: "host[:port]" as given, or, for an
 * internationalised name (punycode "xn--…"), its Unicode form with the
 * punycode after it, "monlycée.net (xn--monlyce-gya.net)", so that a
 * look-alike host (a Cyrillic « е » in « enthdf.fr ») is visible. Takes
 * carnet_ent_client_get_host() or a base URL "https://host[:port]". */
char            *carnet_ent_host_for_display        (const char  *host);

/* From the mail's link "https://<host>/auth/reset/<code>" (with or without
 * spaces, angle brackets or a trailing dot) or the bare 8-character code.
 * A link to another host than @expected_host (when not NULL) is refused. */
char            *carnet_ent_parse_reset_code        (const char  *link_or_code,
                                                     const char  *expected_host,
                                                     GError     **error);

CarnetEntClient *carnet_ent_client_new              (const char  *address,
                                                     GError     **error);
const char      *carnet_ent_client_get_base_url     (CarnetEntClient *self); /* "https://host[:port]" */
const char      *carnet_ent_client_get_host         (CarnetEntClient *self); /* "host" or "host:port" */
/* Trust only the CAs in @path (PEM). For tests and private ENTs; must be explicit. */
gboolean         carnet_ent_client_set_ca_file      (CarnetEntClient *self,
                                                     const char      *path,
                                                     GError         **error);
/* Seconds the ENT has to give its whole answer to a request (status,
 * headers and body, the charter's document included), counted by Carnet
 * from the request, before it fails with TIMEOUT (default 30); 0: no
 * limit. An operation that makes several requests gives each its own. */
void             carnet_ent_client_set_timeout      (CarnetEntClient *self,
                                                     guint            seconds);
guint            carnet_ent_client_get_timeout      (CarnetEntClient *self);
/* Whether the login forms ask the ENT to remember the session: with TRUE
 * (the default) they send rememberMe=true, and entcore's session cookie
 * lasts a year; with FALSE they send no rememberMe, and the cookie lasts as
 * long as the ENT's cookie_timeout says (a browser session by default). Set
 * it to FALSE on a shared machine. Applies to the next login. */
void             carnet_ent_client_set_remember_me  (CarnetEntClient *self,
                                                     gboolean         remember_me);
gboolean         carnet_ent_client_get_remember_me  (CarnetEntClient *self);
/* TRUE while the client holds a session it has not seen expire. */
gboolean         carnet_ent_client_has_session      (CarnetEntClient *self);
/* The Cookie header of the session the client holds with the ENT (what its
 * logout needs), for Carnet's logout guard (a shared machine's last resort
 * when Carnet ends without logging out); NULL without a cookie session. A
 * credential: never log it or write it to a file; wipe it after use. The
 * client's "session-changed" signal () tells when it changes: a session
 * opened (login, activation with login) or closed (logout, a session the
 * ENT no longer knows). */
char            *carnet_ent_client_dup_session_cookies (CarnetEntClient *self);
/* The context of the last successful get_context (the password rule the
 * pages show and check before sending); NULL before. */
CarnetEntContext *carnet_ent_client_get_cached_context (CarnetEntClient *self);

/* GET /auth/context. Also the "is this an Open ENT NG server?" check:
 * anything else answers PROTOCOL. */
void              carnet_ent_client_get_context_async      (CarnetEntClient     *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
CarnetEntContext *carnet_ent_client_get_context_finish     (CarnetEntClient     *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* POST /auth/activation/match: is this the letter's login + provisional code? */
void              carnet_ent_client_activation_match_async  (CarnetEntClient     *self,
                                                             const char          *login,
                                                             const char          *activation_code,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
/* Returns FALSE with no error when the pair does not match. */
gboolean          carnet_ent_client_activation_match_finish (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             gboolean            *matches,
                                                             GError             **error);

/* POST /auth/activation. @mail and @phone may be NULL when not mandatory.
 * On success *logged_in tells whether the ENT also opened a session. */
void              carnet_ent_client_activate_async          (CarnetEntClient     *self,
                                                             const char          *login,
                                                             const char          *activation_code,
                                                             const char          *password,
                                                             const char          *confirm_password,
                                                             const char          *mail,
                                                             const char          *phone,
                                                             gboolean             accept_charter,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_activate_finish         (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             gboolean            *logged_in,
                                                             GError             **error);

/* POST /auth/login (form). BAD_CREDENTIALS, BANNED, BLOCKED, NOT_ACTIVATED,
 * SERVER (the ENT says it is unavailable), RESET_CODE_AS_PASSWORD. The ENT
 * translates its refusal; the client maps it back to its key with the
 * ENT's GET /auth/i18n in the same language (fetched once, when first
 * needed), else by its words. */
void              carnet_ent_client_login_async             (CarnetEntClient     *self,
                                                             const char          *login,
                                                             const char          *password,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_login_finish            (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* GET /auth/oauth2/userinfo with version 2.0. */
void              carnet_ent_client_get_user_info_async     (CarnetEntClient     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
CarnetEntUser    *carnet_ent_client_get_user_info_finish    (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* GET /auth/user/requirements. */
void                   carnet_ent_client_get_requirements_async  (CarnetEntClient     *self,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
CarnetEntRequirements *carnet_ent_client_get_requirements_finish (CarnetEntClient     *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* The charter: locates it through /auth/i18n's "auth.charter", downloads it.
 * Returns the document; *content_type ("application/pdf", …) and *url
 * (absolute, on the ENT's host, to open it elsewhere) are set when not NULL. */
void              carnet_ent_client_get_charter_async       (CarnetEntClient     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes           *carnet_ent_client_get_charter_finish      (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             char               **content_type,
                                                             char               **url,
                                                             GError             **error);
/* PUT /auth/cgu/revalidate. */
void              carnet_ent_client_accept_charter_async    (CarnetEntClient     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_accept_charter_finish   (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* GET /directory/user/mailstate. */
void                carnet_ent_client_get_mail_state_async   (CarnetEntClient     *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
CarnetEntMailState *carnet_ent_client_get_mail_state_finish  (CarnetEntClient     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* PUT /directory/user/mailstate: mails a 6-digit code to @email. */
void                carnet_ent_client_send_mail_code_async   (CarnetEntClient     *self,
                                                              const char          *email,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            carnet_ent_client_send_mail_code_finish  (CarnetEntClient     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* POST /directory/user/mailstate: the new state (VALID, or PENDING with fewer
 * tries, or OUTDATED). A wrong code is not an error: look at the state. */
void                carnet_ent_client_check_mail_code_async  (CarnetEntClient     *self,
                                                              const char          *code,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
CarnetEntMailState *carnet_ent_client_check_mail_code_finish (CarnetEntClient     *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

/* POST /auth/forgot-id. @first_name and @school_id NULL the first time.
 * Returns an empty array when the ENT mailed the login (or says nothing,
 * since it never reveals whether an account exists), or the schools to
 * choose from (element type CarnetEntSchool) when several accounts match. */
void              carnet_ent_client_forgot_login_async      (CarnetEntClient     *self,
                                                             const char          *mail,
                                                             const char          *first_name,
                                                             const char          *school_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray        *carnet_ent_client_forgot_login_finish     (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* POST /auth/forgot-password. */
void              carnet_ent_client_forgot_password_async   (CarnetEntClient     *self,
                                                             const char          *login,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_forgot_password_finish  (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* POST /auth/reset. @link_or_code as pasted from the mail (see
 * carnet_ent_parse_reset_code()). CODE_EXPIRED, PASSWORD_POLICY, INVALID_INPUT.
 * When the ENT refuses, POST /auth/reset/match tells a code that no longer
 * matches (CODE_EXPIRED) from a refused new password (PASSWORD_POLICY:
 * likely one used before). */
void              carnet_ent_client_reset_password_async    (CarnetEntClient     *self,
                                                             const char          *login,
                                                             const char          *link_or_code,
                                                             const char          *password,
                                                             const char          *confirm_password,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_reset_password_finish   (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* POST /auth/changePassword, with a callback: the ENT's 302 to it is the
 * success, and the session is kept. A 302 to the login page is
 * SESSION_EXPIRED; to the forced password change, ACTION_REQUIRED with
 * field NEW_PASSWORD. The ENT answers one text for a wrong @old_password
 * and for a new password used before: BAD_CREDENTIALS with field PASSWORD
 * and a message naming both. */
void              carnet_ent_client_change_password_async   (CarnetEntClient     *self,
                                                             const char          *login,
                                                             const char          *old_password,
                                                             const char          *password,
                                                             const char          *confirm_password,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_change_password_finish  (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* The way out of a forced password change (the ENT's forceChangePassword
 * flag, seen as ACTION_REQUIRED with field NEW_PASSWORD): POST /auth/reset
 * with forceChange=force (public; /auth/changePassword is redirected while
 * the change is forced). The ENT then ends every session of the user, so
 * the client logs in again with @password: TRUE means logged in again with
 * a fresh session. Errors are those of carnet_ent_client_change_password_async(),
 * then those of carnet_ent_client_login_async(). */
void              carnet_ent_client_force_change_password_async  (CarnetEntClient     *self,
                                                                  const char          *login,
                                                                  const char          *old_password,
                                                                  const char          *password,
                                                                  const char          *confirm_password,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
gboolean          carnet_ent_client_force_change_password_finish (CarnetEntClient     *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* GET /directory/user/<id>/children, merged with @user's children names.
 * Element type CarnetEntChild, in the ENT's order (grouped by school). */
void              carnet_ent_client_get_children_async      (CarnetEntClient     *self,
                                                             CarnetEntUser       *user,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray        *carnet_ent_client_get_children_finish     (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* --- the ENT's news (entcore's timeline module) ----------------------------
 * All need the session (SESSION_EXPIRED when the ENT no longer knows it);
 * an answer not as entcore 6.15 gives it is PROTOCOL. */

/* GET /timeline/lastNotifications?page=@page[&type=…] with Accept
 * version 3.0: page @page (0 the newest) of 25 notifications, for the
 * types in @types (NULL or empty: every type). Element type
 * CarnetEntNotification, newest first. Fewer than 25: the last page. */
void       carnet_ent_client_get_notifications_async    (CarnetEntClient     *self,
                                                         guint                page,
                                                         const char * const  *types,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray *carnet_ent_client_get_notifications_finish   (CarnetEntClient     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* GET /timeline/types: the types of notification the ENT has ("BLOG",
 * "MESSAGERIE", …), for carnet_ent_client_get_notifications_async()'s
 * filter. A NULL-terminated array (g_strfreev). */
void       carnet_ent_client_get_timeline_types_async   (CarnetEntClient     *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
char     **carnet_ent_client_get_timeline_types_finish  (CarnetEntClient     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* GET /timeline/i18nNotifications in the client's language: key → label
 * (char * → char *, g_hash_table_unref). Read it with
 * carnet_ent_timeline_i18n_lookup_type() and _lookup_event(). */
void        carnet_ent_client_get_timeline_i18n_async   (CarnetEntClient     *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GHashTable *carnet_ent_client_get_timeline_i18n_finish  (CarnetEntClient     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* GET /timeline/flashmsg/listuser: the flash messages the user has not
 * marked read, in the ENT's order. Element type CarnetEntFlashMessage. */
void       carnet_ent_client_get_flash_messages_async   (CarnetEntClient     *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray *carnet_ent_client_get_flash_messages_finish  (CarnetEntClient     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* PUT /timeline/flashmsg/@id/markasread (@id: carnet_ent_flash_message_get_id()). */
void       carnet_ent_client_mark_flash_message_read_async  (CarnetEntClient     *self,
                                                             const char          *id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean   carnet_ent_client_mark_flash_message_read_finish (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* A session opened elsewhere (the EduConnect login in a web view) becomes
 * this client's: from @soup_cookies (element type SoupCookie, not taken)
 * only oneSessionId, authenticated and XSRF-TOKEN are kept, and only those
 * the ENT's own requests would carry: domain matching the ENT's host,
 * path matching "/", not expired, and Secure ones only (the client speaks
 * HTTPS only). Any session held before is forgotten first, whatever the
 * outcome. Without a usable oneSessionId, FALSE and SESSION_EXPIRED (the
 * login elsewhere did not end in a session for this ENT); nothing is
 * held then. On success, has_session() is TRUE and "session-changed" is
 * emitted; whether the ENT knows the session is only learnt by asking it
 * (get_user_info). No cookie value is ever logged or put in an error. */
gboolean          carnet_ent_client_adopt_cookies           (CarnetEntClient     *self,
                                                             GList               *soup_cookies,
                                                             GError             **error);

/* GET /auth/logout. Forgets the session even when the ENT cannot be reached. */
void              carnet_ent_client_logout_async            (CarnetEntClient     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_logout_finish           (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* The logout of a federated session (carnet_ent_user_get_federated()), as
 * entcore's own pages do it: GET /auth/saml/slo (entcore ignores its
 * callback, so none is sent), which closes
 * the ENT's session and answers with a redirect to the identity provider's
 * logout; the client does not follow it (the IdP's session, if any, is the
 * web view's, which Carnet drops). Forgets the session whatever the
 * answer, as carnet_ent_client_logout_async() does. */
void              carnet_ent_client_federated_logout_async  (CarnetEntClient     *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean          carnet_ent_client_federated_logout_finish (CarnetEntClient     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
