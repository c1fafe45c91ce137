/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Starts and drives the test ENT (tests/ent-server/) from a test. The server
 * runs in its own process, so a test may use the async client on its own main
 * loop and these synchronous helpers without deadlock. Every call aborts the
 * test (g_error) when the server cannot be reached: a broken harness must not
 * look like a passing test. */

typedef struct _CarnetTestEnt CarnetTestEnt;

/* Spawns the server with a fresh state (seed "letter") in a temporary folder,
 * on a port chosen by the system, and waits until it prints its URL. */
CarnetTestEnt *carnet_test_ent_start            (void);
void           carnet_test_ent_stop             (CarnetTestEnt *ent);   /* kills, removes the folder */

const char    *carnet_test_ent_get_url          (CarnetTestEnt *ent);   /* "https://127.0.0.1:PORT" */
const char    *carnet_test_ent_get_host         (CarnetTestEnt *ent);   /* "127.0.0.1:PORT" */
const char    *carnet_test_ent_get_ca_file      (CarnetTestEnt *ent);   /* tests/data/ca.pem (absolute) */
const char    *carnet_test_ent_get_outbox       (CarnetTestEnt *ent);

/* Moves the server's clock forward (codes, bans and sessions expire). */
void           carnet_test_ent_advance_clock    (CarnetTestEnt *ent,
                                                 guint          seconds);
/* Misbehave on requests whose path (without query) equals @path, or on every
 * path when @path is "*". @kind is one of: "latency" (wait @latency_ms, then
 * answer normally), "500", "502" (HTML body), "malformed" (truncated JSON),
 * "mistyped" (valid JSON, fields of the wrong type), "drop" (close the
 * connection without an answer), "expire-session" (act as if the session
 * had expired), "huge" (a 20 MiB body), "redirect-other-host",
 * "redirect-loop", "csrf" (403 invalid.xsrf.token).
 * @count: how many requests it applies to, -1 until cleared. */
void           carnet_test_ent_set_fault        (CarnetTestEnt *ent,
                                                 const char    *path,
                                                 const char    *kind,
                                                 guint          latency_ms,
                                                 int            count);
void           carnet_test_ent_clear_faults     (CarnetTestEnt *ent);
/* Ends every open session on the server side. */
void           carnet_test_ent_expire_sessions  (CarnetTestEnt *ent);
/* How many requests reached @path ("*" for all) since start. */
guint          carnet_test_ent_count_requests   (CarnetTestEnt *ent,
                                                 const char    *path);

/* The last mail the ENT "sent" to @address (whole RFC 822 text), or NULL. */
char          *carnet_test_ent_last_mail        (CarnetTestEnt *ent,
                                                 const char    *address);
/* The 6-digit code of the last mail to @address; g_error when there is none. */
char          *carnet_test_ent_last_mail_code   (CarnetTestEnt *ent,
                                                 const char    *address);
/* The reset link "https://…/auth/reset/<code>" of the last mail to @address. */
char          *carnet_test_ent_last_reset_link  (CarnetTestEnt *ent,
                                                 const char    *address);
/* The server's record of a user, as JSON text (for asserting state changes:
 * "activated", "email", "emailValidated", "needRevalidateTerms", …). */
char          *carnet_test_ent_get_user_json    (CarnetTestEnt *ent,
                                                 const char    *login);
/* TRUE when @password is @login's current password on the server. */
gboolean       carnet_test_ent_check_password   (CarnetTestEnt *ent,
                                                 const char    *login,
                                                 const char    *password);

/* Additions (after the first version of this header). */

/* Stops the server process and starts it again on the same state folder
 * (the port, hence the URL and host, may change): for "state survives a
 * restart" tests. Sessions and tokens do not survive, as on a real ENT
 * whose session store was flushed. */
void           carnet_test_ent_restart          (CarnetTestEnt *ent);
/* Back to the seed: state, outbox, faults and request counts (the clock
 * offset too); the process keeps running. */
void           carnet_test_ent_reset            (CarnetTestEnt *ent);
const char    *carnet_test_ent_get_state_dir    (CarnetTestEnt *ent);
/* A new session that trusts the test CA (and has no cookie jar), for tests
 * that speak HTTP to the server without the Carnet client. It follows
 * redirects unless a message has SOUP_MESSAGE_NO_REDIRECT. */
SoupSession   *carnet_test_ent_new_soup_session (CarnetTestEnt *ent);

/* As carnet_test_ent_start(), but the server shows tests/data/@name.pem
 * (key @name-key.pem): "wronghost" (for ent.example.org), "untrusted"
 * (self-signed), "expired" (the test CA's, ended in 2021). */
CarnetTestEnt *carnet_test_ent_start_with_cert  (const char    *name);
/* The session ids, XSRF tokens and OAuth tokens the server honours now. */
GStrv          carnet_test_ent_get_live_secrets (CarnetTestEnt *ent);

/* Issue 12 additions. */

/* Sets @login's password on the server, as if the parent had reset it
 * elsewhere: the old one stops working and the account's sessions end. */
void           carnet_test_ent_set_password     (CarnetTestEnt *ent,
                                                 const char    *login,
                                                 const char    *password);
/* Sets a boolean of @login's record: "forceChangePassword",
 * "needRevalidateTerms", "emailValidated", "blocked", "blockedProfile"…
 * Live sessions see it at their next request (the forced 302s, the
 * requirements), as after a charter change mid-session; userinfo keeps the
 * needRevalidateTerms it had at login, as on entcore. Blocking ends the
 * account's sessions. */
void           carnet_test_ent_set_user_flag    (CarnetTestEnt *ent,
                                                 const char    *login,
                                                 const char    *member,
                                                 gboolean       value);

/* Issue 13 additions. */

/* The rememberMe of the last POST /auth/login form since the start (or the
 * last reset): NULL when the form had none. *seen tells whether any login
 * form arrived at all. */
char          *carnet_test_ent_get_last_login_remember_me (CarnetTestEnt *ent,
                                                           gboolean      *seen);

/* Sets the string @member of a record of the seed's @collection ("users",
 * "children" or "structures") whose "id" is @id ("u-karim", "c-yanis",
 * "jean-jaures-calais", see SEED.md): a name, a class, a login, an email
 * as a school might have typed it. Live sessions see it at their next
 * request. */
void           carnet_test_ent_set_record_string (CarnetTestEnt *ent,
                                                  const char    *collection,
                                                  const char    *id,
                                                  const char    *member,
                                                  const char    *value);

/* Issue 16 additions: the timeline (see tests/ent-server/CONTRACT.md "Timeline"). */

/* Publishes a notification to @login (its only recipient), dated now on the
 * test ENT's clock plus @delay_seconds (> 0: in the future, hidden by
 * /timeline/lastNotifications until the clock passes it; < 0: in the past).
 * @type/@event_type: "MESSAGERIE"/"SEND-MESSAGE" or "WORKSPACE"/"SHARE"
 * (the message is compiled from the app's template at each request, with
 * @subject HTML-escaped as entcore's mustache does), or anything else with
 * @message_html set (stored and served as is, markup included).
 * @sender_name: params.username and a sender id made from it; NULL: a
 * system notification (no "sender", no username). Returns the new
 * notification's "_id" (g_free it). */
char          *carnet_test_ent_publish_notification (CarnetTestEnt *ent,
                                                     const char    *login,
                                                     const char    *type,
                                                     const char    *event_type,
                                                     const char    *sender_name,
                                                     const char    *subject,
                                                     const char    *message_html,
                                                     int            delay_seconds);
/* Adds a flash message for the parents (profile "Relative") of the Collège
 * Jean Jaurès, shown from now + @start_seconds (test clock) for
 * @duration_seconds; @contents_html is its "fr" contents; @color: "red",
 * "orange", "green", "blue", or NULL (then customColor "#1E88E5"). Returns
 * its id. */
gint64         carnet_test_ent_add_flash_message    (CarnetTestEnt *ent,
                                                     const char    *title,
                                                     const char    *contents_html,
                                                     const char    *color,
                                                     int            start_seconds,
                                                     int            duration_seconds);
/* TRUE once @login has marked flash message @id read
 * (PUT /timeline/flashmsg/:id/markasread). */
gboolean       carnet_test_ent_flash_message_is_read (CarnetTestEnt *ent,
                                                      const char    *login,
                                                      gint64         id);

/* Async APIs driven to completion on the default main context, for the
 * tests without GTK. A wait that does not end within 30 s fails the test,
 * naming @what, instead of hanging it. */
typedef gboolean (*CarnetTestCondition) (gpointer user_data);

void          carnet_test_wait_until   (CarnetTestCondition  condition,
                                        gpointer             user_data,
                                        const char          *what);
/* The callback of a call whose result carnet_test_await_result() returns
 * (one call at a time). */
void          carnet_test_done_cb      (GObject             *source,
                                        GAsyncResult        *result,
                                        gpointer             user_data);
GAsyncResult *carnet_test_await_result (void);

/* Issue 15 additions: EduConnect (see tests/ent-server/CONTRACT.md
 * "EduConnect (SAML)" and SEED.md "EduConnect"). The test ENT runs a
 * stand-in EduConnect identity provider on a second loopback port, HTTPS
 * with the same certificate. Its login form: #username, #password,
 * button #bouton_valider. */

/* An EduConnect parent with one ENT account (amandine.roux: federated, no
 * ENT password), children Théo Roux (4ème B, Collège Jean Jaurès) and Chloé
 * Roux (CM1, École élémentaire Jules Ferry). */
#define CARNET_TEST_EDUCONNECT_LOGIN          "a.roux25"
#define CARNET_TEST_EDUCONNECT_PASSWORD       "Educ-Roux-2026"
#define CARNET_TEST_EDUCONNECT_ENT_LOGIN      "amandine.roux"
/* An EduConnect parent with two ENT accounts (olivier.garnier at the
 * Collège Jean Jaurès, child Jade Garnier; olivier.garnier1 at the École
 * élémentaire Jules Ferry, child Nathan Garnier): the ENT's account picker
 * (/auth/saml/selectUser). */
#define CARNET_TEST_EDUCONNECT_TWO_LOGIN      "o.garnier31"
#define CARNET_TEST_EDUCONNECT_TWO_PASSWORD   "Educ-Garnier-2026"
#define CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_1 "olivier.garnier"
#define CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2 "olivier.garnier1"

/* "https://127.0.0.1:PORT" of the stand-in EduConnect (its login page is
 * reached through the ENT's /auth/saml/authn/educonnect, not directly). */
const char    *carnet_test_ent_get_idp_url      (CarnetTestEnt *ent);
/* How many sessions the stand-in EduConnect holds open (its
 * shib_idp_session cookie): 1 after a login, 0 after the ENT's slo sent the
 * browser to its logout. */
guint          carnet_test_ent_idp_session_count (CarnetTestEnt *ent);
/* TRUE while @one_session_id (an oneSessionId cookie's value) is a live
 * session of the ENT. */
gboolean       carnet_test_ent_session_is_open  (CarnetTestEnt *ent,
                                                 const char    *one_session_id);
/* How many live ENT sessions @login has (any way they were opened). */
guint          carnet_test_ent_session_count    (CarnetTestEnt *ent,
                                                 const char    *login);

G_END_DECLS
