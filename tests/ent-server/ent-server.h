/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Private to the test ENT: one process-wide server, plain structs. The
 * persistent part (users, children, structures, the mail counter and the
 * clock offset) is a JSON tree so that state.json is a faithful dump of it
 * and the /__test/ routes can show a record without a second serializer. */

#define ENT_SESSION_IDLE_SECONDS    (30 * 60)
#define ENT_VERSION                 "6.15.4"
#define ENT_TOKEN_SECONDS           3600
#define ENT_BAN_FAILURES            5
#define ENT_BAN_SECONDS             (15 * 60)
#define ENT_MAIL_CODE_SECONDS       600
#define ENT_MAIL_CODE_TRIES         5
#define ENT_MAIL_WAIT_SECONDS       10
#define ENT_RESET_CODE_SECONDS      (24 * 3600)
#define ENT_PASSWORD_HISTORY        10
#define ENT_PASSWORD_REGEX          "^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9]).{8,}$"
#define ENT_CHARTER_PATH            "/assets/cgu/Charte_d_utilisation.pdf"
#define ENT_OAUTH_CLIENT_ID         "carnet"
#define ENT_OAUTH_CLIENT_SECRET     "carnet-test-secret"

typedef struct
{
  char    *id;
  char    *user_id;
  char    *xsrf;
  gint64   last_seen;
  /* What the session cache said at login: userinfo reads it (entcore's
   * userinfo comes from the session, so it goes stale, correction 11). */
  gboolean terms_at_login;
  /* A federated (EduConnect) session: the assertion's NameID and
   * SessionIndex (SamlController.acs stores them with the session; slo
   * needs them). NULL for a password login. */
  char    *name_id;
  char    *session_index;
} EntSession;

typedef struct
{
  char    *token;
  char    *user_id;
  gboolean refresh;
  gint64   expires;
  char    *scope;
} EntToken;

typedef struct
{
  char     *kind;
  guint     latency_ms;
  int       count;     /* -1: until cleared */
} EntFault;

typedef struct
{
  SoupServer  *soup;
  GMainLoop   *loop;
  char        *state_dir;
  char        *state_file;
  char        *outbox;
  char        *charter_file;
  guint        latency_ms;

  JsonNode    *state;          /* the persistent tree */
  GHashTable  *sessions;       /* id → EntSession */
  GHashTable  *tokens;         /* token → EntToken (access and refresh) */
  GHashTable  *faults;         /* path or "*" → EntFault */
  GHashTable  *request_counts; /* path → GUINT_TO_POINTER */
  guint        total_requests;
  GArray      *request_log;    /* EntLogged, in arrival order */
  GHashTable  *delayed;        /* answers waiting for their latency (Delayed) */
  guint        live_messages;  /* SoupServerMessages not finalized yet */
  /* The last POST /auth/login form's rememberMe, for the harness:
   * last_login_form 0 before any, 1 without rememberMe, 2 with it (its
   * value in last_remember_me, cut to 15 bytes). */
  guint        last_login_form;
  char         last_remember_me[16];

  /* The stand-in EduConnect (ent-idp.c), on its own port; the key that
   * signs the SAML stand-in tokens, the signed cookies and selectUser's
   * keys (ent-routes-saml.c). */
  SoupServer  *idp_soup;
  char        *idp_url;        /* "https://127.0.0.1:PORT" */
  char        *ent_url;        /* "https://127.0.0.1:PORT" of the ENT */
  GHashTable  *idp_sessions;   /* cookie value → EntIdpSession */
  GHashTable  *idp_flows;      /* execution id → EntIdpFlow */
  char        *saml_key;
} EntServer;

typedef struct
{
  char    *id;              /* the shib_idp_session cookie */
  char    *identity;        /* the EduConnect login */
  char    *session_index;
} EntIdpSession;

/* An authentication request waiting for the login form. */
typedef struct
{
  char    *id;
  char    *request_id;
  char    *relay_state;
} EntIdpFlow;

/* One request as the test ENT saw it, for the benchmark: when it arrived
 * and when it was answered (after any latency), monotonic µs. */
typedef struct
{
  char    *method;
  char    *path;
  guint    seq;
  gint64   arrived;
  gint64   answered;   /* 0: not yet */
} EntLogged;

/* What a handler gets: the request, already parsed enough. */
typedef struct
{
  EntServer         *server;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  char              *host;        /* "127.0.0.1:PORT" as the client said */
  GHashTable        *query;       /* may be NULL */
  GBytes            *body;
  EntSession        *session;     /* cookie session, or NULL */
  char              *cookie_session_id; /* the oneSessionId cookie, live or not */
  EntToken          *token;       /* valid Bearer token, or NULL */
  gboolean           bearer_given;
  JsonObject        *user;        /* the session's or token's user, or NULL */
  gboolean           ignore_credentials; /* "expire-session" fault */
} EntRequest;

/* ent-state.c */
gint64      ent_now                    (EntServer   *server);
void        ent_state_load             (EntServer   *server,
                                        gboolean     reset);
void        ent_state_reseed           (EntServer   *server);
void        ent_state_save             (EntServer   *server);
JsonObject *ent_state_find_user        (EntServer   *server,
                                        const char  *login);
JsonObject *ent_state_find_user_by_id  (EntServer   *server,
                                        const char  *id);
JsonArray  *ent_state_users            (EntServer   *server);
JsonObject *ent_state_find_child       (EntServer   *server,
                                        const char  *id);
JsonObject *ent_state_find_structure   (EntServer   *server,
                                        const char  *id);
char       *ent_password_hash          (const char  *password);
gboolean    ent_password_check         (JsonObject  *user,
                                        const char  *password);
gboolean    ent_password_was_used      (JsonObject  *user,
                                        const char  *password);
void        ent_password_set           (JsonObject  *user,
                                        const char  *password);
gboolean    ent_password_is_valid      (const char  *password);
gboolean    ent_mail_is_valid          (const char  *mail);
gboolean    ent_is_banned              (EntServer   *server,
                                        const char  *login);
void        ent_record_failure         (EntServer   *server,
                                        const char  *login);
gboolean    ent_user_needs_email_validation (JsonObject *user);
gboolean    ent_mail_is_blocked        (EntServer   *server,
                                        const char  *mail);
void        ent_sessions_drop_user     (EntServer   *server,
                                        const char  *user_id,
                                        EntSession  *keep);
void        ent_send_mail              (EntServer   *server,
                                        const char  *to,
                                        const char  *subject,
                                        const char  *body);
char       *ent_random_code            (const char  *alphabet,
                                        guint        length);
JsonNode   *ent_user_public_json       (JsonObject  *user);
const char *ent_user_get_string        (JsonObject  *user,
                                        const char  *member);
gboolean    ent_user_get_bool          (JsonObject  *user,
                                        const char  *member);

/* sessions and tokens (ent-state.c) */
EntSession *ent_session_new            (EntServer   *server,
                                        const char  *user_id);
EntSession *ent_session_lookup         (EntServer   *server,
                                        const char  *id);
void        ent_session_free           (gpointer     data);
EntToken   *ent_token_new              (EntServer   *server,
                                        const char  *user_id,
                                        gboolean     refresh,
                                        const char  *scope);
EntToken   *ent_token_lookup           (EntServer   *server,
                                        const char  *token,
                                        gboolean     refresh);
void        ent_token_free             (gpointer     data);

/* carnet-test-ent-server.c: answers */
void        ent_reply_json             (EntRequest  *req,
                                        guint        status,
                                        JsonNode    *node);
void        ent_reply_json_text        (EntRequest  *req,
                                        guint        status,
                                        const char  *text);
void        ent_reply_error            (EntRequest  *req,
                                        guint        status,
                                        const char  *key);
void        ent_reply_form_error       (EntRequest  *req,
                                        GPtrArray   *messages,
                                        const char  *extra_key,
                                        const char  *extra_value,
                                        const char  *login);
void        ent_reply_html             (EntRequest  *req,
                                        guint        status,
                                        const char  *html);
void        ent_reply_redirect         (EntRequest  *req,
                                        const char  *location);
void        ent_reply_empty            (EntRequest  *req,
                                        guint        status);
void        ent_set_session_cookies    (EntRequest  *req,
                                        EntSession  *session);
void        ent_clear_session_cookies  (EntRequest  *req);
void        ent_reply_login_redirect   (EntRequest  *req);
char       *ent_absolute_url           (EntRequest  *req,
                                        const char  *path);
GHashTable *ent_request_form           (EntRequest  *req);
JsonObject *ent_request_json           (EntRequest  *req,
                                        JsonNode   **out_node);

/* The filters of a @SecuredAction route, in entcore's order: CSRF on
 * POST/PUT/DELETE, session, forced password change, charter, email. */
gboolean    ent_require_user           (EntRequest  *req);
void        ent_clear_login_cookies    (EntRequest  *req);
char       *ent_java_url_encode        (const char  *text);
const char *ent_request_header         (EntRequest  *req,
                                        const char  *name);

/* routes: return TRUE when they handled the request */
gboolean    ent_routes_auth            (EntRequest  *req);
gboolean    ent_routes_directory       (EntRequest  *req);
gboolean    ent_routes_test            (EntRequest  *req);
gboolean    ent_routes_timeline        (EntRequest  *req);
gboolean    ent_routes_saml            (EntRequest  *req);

/* ent-routes-saml.c: the stand-in SAML tokens. A token is base64 of
 * "<JSON>\n<HMAC-SHA256 of the JSON, hex>"; verify returns the JSON
 * object (unref the node) or NULL when the signature does not match. */
char       *ent_saml_sign              (EntServer   *server,
                                        JsonNode    *payload);
JsonObject *ent_saml_verify            (EntServer   *server,
                                        const char  *token,
                                        JsonNode   **out_node);
char       *ent_hmac                   (EntServer   *server,
                                        const char  *text);
/* A cookie of the request (the first of that name), or NULL. */
char       *ent_request_cookie         (EntRequest  *req,
                                        const char  *name);
/* The callback a SAML login goes back to: a path or an address of this
 * host as it is, anything else the host's root. */
char       *ent_saml_callback_location (EntRequest  *req,
                                        const char  *callback);

/* ent-idp.c: the stand-in EduConnect. */
#define ENT_IDP_SESSION_COOKIE      "shib_idp_session"
#define ENT_IDP_SSO_PATH            "/idp/profile/SAML2/Redirect/SSO"
#define ENT_IDP_SLO_PATH            "/idp/profile/SAML2/Redirect/SLO"
#define ENT_SAML_ASSERTION_SECONDS  300
gboolean    ent_idp_start              (EntServer   *server,
                                        GTlsCertificate *certificate,
                                        int          port,
                                        GError     **error);
void        ent_idp_session_free       (gpointer     data);
void        ent_idp_flow_free          (gpointer     data);
/* The seeded EduConnect identities (state.json "educonnect"). */
JsonObject *ent_state_find_identity    (EntServer   *server,
                                        const char  *login);

/* ent-routes-timeline.c: the timeline's store. Notifications are
 * state.json's "timeline" (dates in ms), flash messages its
 * "flashMessages" (dates in s, "readBy": user ids). */
void        ent_timeline_seed          (EntServer   *server);
char       *ent_timeline_publish       (EntServer   *server,
                                        const char  *recipient_id,
                                        const char  *type,
                                        const char  *event_type,
                                        const char  *sender_name,
                                        const char  *subject,
                                        const char  *message,
                                        gint64       date_seconds);
gint64      ent_flash_add              (EntServer   *server,
                                        const char  *title,
                                        const char  *contents_fr,
                                        const char  *color,
                                        const char  *custom_color,
                                        const char  *signature,
                                        const char  *structure_id,
                                        const char  *domain,
                                        gint64       start,
                                        gint64       end);
JsonObject *ent_flash_find             (EntServer   *server,
                                        gint64       id);

/* ent-i18n.c */
gboolean    ent_i18n_is_english        (EntRequest  *req);
const char *ent_translate              (EntRequest  *req,
                                        const char  *key);
void        ent_handle_i18n            (EntRequest  *req);
char       *ent_html_escape            (const char  *text);

/* ent-faults.c */
/* How long the "trickle-body" fault takes to send its whole body (80
 * bytes, one every 200 ms), after headers sent at once. */
#define ENT_TRICKLE_BODY_MS 16000

EntFault   *ent_faults_take            (EntServer   *server,
                                        const char  *path);
void        ent_fault_free             (gpointer     data);
gboolean    ent_fault_kind_is_known    (const char  *kind);
gboolean    ent_fault_apply            (EntRequest  *req,
                                        EntFault    *fault);

/* ent-charter.c */
gboolean    ent_charter_write          (const char  *path,
                                        GError     **error);

G_END_DECLS
