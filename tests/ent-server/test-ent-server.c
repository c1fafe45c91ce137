/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The test ENT seen from outside with plain libsoup: its quirks are the
 * contract Carnet's client is tested against, so they are tested here. */
#include "config.h"

#include "carnet-test-ent.h"

#include <json-glib/json-glib.h>
#include <string.h>

static CarnetTestEnt *ent;
static SoupSession *session;

typedef struct
{
  char *session_id;
  char *xsrf;
} Cookies;

static void
cookies_clear (Cookies *cookies)
{
  g_clear_pointer (&cookies->session_id, g_free);
  g_clear_pointer (&cookies->xsrf, g_free);
}

typedef struct
{
  guint               status;
  char               *body;
  gsize               length;
  SoupMessageHeaders *headers;
  GError             *error;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->body);
  g_clear_pointer (&answer->headers, soup_message_headers_unref);
  g_clear_error (&answer->error);
  g_free (answer);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static void
take_cookies (SoupMessageHeaders *headers,
              Cookies            *cookies)
{
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Set-Cookie") != 0)
        continue;
      if (g_str_has_prefix (value, "oneSessionId="))
        {
          g_free (cookies->session_id);
          cookies->session_id = g_strndup (value + 13, strcspn (value + 13, ";"));
        }
      else if (g_str_has_prefix (value, "XSRF-TOKEN="))
        {
          g_free (cookies->xsrf);
          cookies->xsrf = g_strndup (value + 11, strcspn (value + 11, ";"));
        }
    }
}

/* One request, redirects not followed, cookies kept by hand. */
static Answer *
request_full (const char *method,
              const char *path,
              const char *content_type,
              const char *body,
              Cookies    *cookies,
              gboolean    send_xsrf,
              const char *header_name,
              const char *header_value)
{
  g_autofree char *uri = g_strconcat (carnet_test_ent_get_url (ent), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  Answer *answer = g_new0 (Answer, 1);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request_body);
    }
  if (cookies != NULL && cookies->session_id != NULL)
    {
      g_autofree char *cookie = g_strdup_printf ("oneSessionId=%s; authenticated=true; XSRF-TOKEN=%s",
                                                 cookies->session_id, cookies->xsrf);

      soup_message_headers_append (headers, "Cookie", cookie);
      if (send_xsrf)
        soup_message_headers_append (headers, "X-XSRF-TOKEN", cookies->xsrf);
    }
  if (header_name != NULL)
    soup_message_headers_append (headers, header_name, header_value);

  bytes = soup_session_send_and_read (session, msg, NULL, &answer->error);
  answer->status = soup_message_get_status (msg);
  answer->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (bytes != NULL)
    {
      /* Not g_strndup: a PDF holds NUL bytes. */
      answer->length = g_bytes_get_size (bytes);
      answer->body = g_malloc (answer->length + 1);
      /* An empty body's data is NULL, which memcpy() must not be given. */
      if (answer->length > 0)
        memcpy (answer->body, g_bytes_get_data (bytes, NULL), answer->length);
      answer->body[answer->length] = '\0';
    }
  if (cookies != NULL)
    take_cookies (answer->headers, cookies);

  return answer;
}

static Answer *
request (const char *method,
         const char *path,
         const char *content_type,
         const char *body,
         Cookies    *cookies)
{
  return request_full (method, path, content_type, body, cookies, TRUE, NULL, NULL);
}

#define FORM "application/x-www-form-urlencoded"
#define JSON "application/json"

static Answer *
login (const char *user,
       const char *password,
       Cookies    *cookies)
{
  g_autofree char *form = soup_form_encode ("email", user, "password", password, NULL);

  return request ("POST", "/auth/login", FORM, form, cookies);
}

static JsonObject *
answer_object (Answer    *answer,
               JsonNode **node)
{
  g_autoptr(GError) error = NULL;

  *node = json_from_string (answer->body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));

  return json_node_get_object (*node);
}

static JsonObject *
user_record (const char *user,
             JsonNode  **node)
{
  g_autofree char *text = carnet_test_ent_get_user_json (ent, user);

  *node = json_from_string (text, NULL);

  return json_node_get_object (*node);
}

static void
setup (void)
{
  carnet_test_ent_reset (ent);
}

/* The French texts of entcore 6.15.4's auth/src/main/resources/i18n/fr.json. */
#define FR_AUTH_FAILED "L'identifiant ou le mot de passe est incorrect."
#define FR_AUTH_FAILED_HTML "L&#39;identifiant ou le mot de passe est incorrect."
#define FR_BAN "Pour des raisons de sécurité, votre compte est bloqué temporairement suite à un trop grand " \
               "nombre de tentatives de connexion. Veuillez réessayer ultérieurement."
#define FR_BLOCKED_HTML "L&#39;administrateur de votre établissement a bloqué votre accès à votre réseau " \
                        "éducatif. Veuillez le contacter."
#define FR_RESET_ERROR "Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe " \
                       "n’a pas déjà été utilisé et que les deux saisies sont identiques."
#define FR_ACTIVATION_ERROR "Erreur lors de l'activation, veuillez vérifier votre identifiant et votre code " \
                            "d'activation."

static const char *
location (Answer *answer)
{
  return soup_message_headers_get_one (answer->headers, "Location");
}

static char *
url (const char *path)
{
  return g_strconcat (carnet_test_ent_get_url (ent), path, NULL);
}

static void
assert_location (Answer     *answer,
                 const char *path)
{
  g_autofree char *expected = url (path);

  g_assert_no_error (answer->error);
  g_assert_cmpuint (answer->status, ==, 302);
  g_assert_cmpstr (location (answer), ==, expected);
}

/* The escaped error of the login page: ng-init='error = "…"; callBack… */
static char *
login_page_error (Answer *answer)
{
  const char *start = strstr (answer->body, "ng-init='error = \"");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("ng-init='error = \"");
  end = strstr (start, "\"; callBack = \"");
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static void
assert_login_page_error (Answer     *answer,
                         const char *escaped)
{
  g_autofree char *error = NULL;

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (answer->headers, NULL), "text/html"));
  g_assert_null (soup_message_headers_get_one (answer->headers, "Set-Cookie"));
  error = login_page_error (answer);
  g_assert_cmpstr (error, ==, escaped);
}

/* {"error":{"message":…}} of a form answer. */
static char *
form_error (Answer *answer)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object = answer_object (answer, &node);

  g_assert_cmpuint (answer->status, ==, 200);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"));
}

static Answer *
login_with (const char *user,
            const char *password,
            Cookies    *cookies,
            const char *header,
            const char *value)
{
  g_autofree char *form = soup_form_encode ("email", user, "password", password, NULL);

  return request_full ("POST", "/auth/login", FORM, form, cookies, TRUE, header, value);
}

static char *
reset_code_of (const char *login,
               const char *address)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"service\":\"mail\"}", login);
  g_autoptr(Answer) forgot = request ("POST", "/auth/forgot-password", JSON, body, NULL);
  g_autofree char *link = NULL;

  g_assert_cmpuint (forgot->status, ==, 200);
  link = carnet_test_ent_last_reset_link (ent, address);

  return g_strdup (strrchr (link, '/') + 1);
}

/* --- tests ------------------------------------------------------------------ */

static void
test_login_success (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) answer = NULL;
  g_autoptr(Answer) infos = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) node = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  int seen = 0;

  setup ();
  answer = login ("karim.benali", "Cartable2026", &cookies);
  g_assert_cmpuint (answer->status, ==, 302);
  /* Without callBack: the loginCallback, the host without a slash (correction 13). */
  expected = g_strdup (carnet_test_ent_get_url (ent));
  g_assert_cmpstr (soup_message_headers_get_one (answer->headers, "Location"), ==, expected);

  soup_message_headers_iter_init (&iter, answer->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Set-Cookie") != 0)
        continue;
      seen++;
      if (g_str_has_prefix (value, "oneSessionId="))
        {
          g_assert_nonnull (strstr (value, "HttpOnly"));
          g_assert_nonnull (strstr (value, "Secure"));
          g_assert_nonnull (strstr (value, "SameSite=Strict"));
        }
      else if (!g_str_has_prefix (value, "authenticated=true") && !g_str_has_prefix (value, "XSRF-TOKEN="))
        g_assert_not_reached ();
    }
  g_assert_cmpint (seen, ==, 3);
  g_assert_true (g_uuid_string_is_valid (cookies.xsrf));

  infos = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  g_assert_cmpuint (infos->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (answer_object (infos, &node), "login"), ==, "karim.benali");
  cookies_clear (&cookies);
}

/* Correction 1: the failed login page carries the translated message,
 * HTML-escaped, in ng-init (login.html:19, AC:596-612). */
static void
test_login_failures (void)
{
  g_autoptr(Answer) wrong = NULL;
  g_autoptr(Answer) blocked = NULL;
  g_autoptr(Answer) provisional = NULL;
  g_autoptr(Answer) unknown = NULL;
  g_autoptr(Answer) english = NULL;
  g_autoptr(Answer) english_blocked = NULL;
  g_autoptr(Answer) other_language = NULL;
  g_autoptr(Answer) upper = NULL;

  setup ();
  wrong = login ("karim.benali", "Mauvais2026", NULL);
  assert_login_page_error (wrong, FR_AUTH_FAILED_HTML);
  g_assert_null (strstr (wrong->body, "auth.error"));
  g_assert_nonnull (strstr (wrong->body, "<title>Authentification</title>"));
  g_assert_nonnull (strstr (wrong->body, "callBack = \"https%3A%2F%2F127.0.0.1%3A"));
  g_assert_nonnull (strstr (wrong->body, "var notLoggedIn = true;"));

  unknown = login ("personne", "Mauvais2026", NULL);
  assert_login_page_error (unknown, FR_AUTH_FAILED_HTML);

  /* Logins are exact: n.login={login} (OD:183). */
  upper = login ("Karim.Benali", "Cartable2026", NULL);
  assert_login_page_error (upper, FR_AUTH_FAILED_HTML);

  /* Blocked comes before the password (OD:248-257). */
  blocked = login ("bloque.parent", "Mauvais2026", NULL);
  assert_login_page_error (blocked, FR_BLOCKED_HTML);

  /* In English, en.json; a key it lacks comes back as the key. */
  english = login_with ("karim.benali", "Mauvais2026", NULL, "Accept-Language", "en-GB,en;q=0.8");
  assert_login_page_error (english, "Invalid login or password");
  g_assert_nonnull (strstr (english->body, "<title>Authentication</title>"));
  english_blocked = login_with ("bloque.parent", "Bloque2026", NULL, "Accept-Language", "en");
  assert_login_page_error (english_blocked, "auth.error.blockedUser");
  /* A language without a bundle gets French. */
  other_language = login_with ("karim.benali", "Mauvais2026", NULL, "Accept-Language", "de-DE");
  assert_login_page_error (other_language, FR_AUTH_FAILED_HTML);

  provisional = login ("frederic", "7KQ4M2PX", NULL);
  g_assert_cmpuint (provisional->status, ==, 200);
  g_assert_nonnull (strstr (provisional->body, "action=\"/auth/activation\""));
  g_assert_null (strstr (provisional->body, "ng-init"));
}

/* Correction 10: ban rules (OD:157-176, 207-229). */
static void
test_login_ban (void)
{
  setup ();
  for (int i = 1; i <= 5; i++)
    {
      g_autoptr(Answer) answer = login ("claire.dubois", "Mauvais2026", NULL);

      assert_login_page_error (answer, FR_AUTH_FAILED_HTML);
    }

  /* Checked before the password: the right one is refused too. */
  {
    g_autoptr(Answer) right = login ("claire.dubois", "Rentree2026", NULL);
    g_autofree char *error = NULL;

    g_assert_cmpuint (right->status, ==, 200);
    error = login_page_error (right);
    g_assert_cmpstr (error, ==, FR_BAN);
  }

  /* Other accounts are not affected; the login as typed is the key, and an
   * unknown login is never counted. */
  {
    g_autoptr(Answer) other = login ("claire.dubois1", "Rentree2026", NULL);

    g_assert_cmpuint (other->status, ==, 302);
  }
  for (int i = 1; i <= 6; i++)
    {
      g_autoptr(Answer) answer = login ("Claire.Dubois1", "Mauvais2026", NULL);

      assert_login_page_error (answer, FR_AUTH_FAILED_HTML);
    }

  /* Lifts when the 5th newest failure is 15 minutes old. */
  /* (a margin: a slow run takes seconds between the failures) */
  carnet_test_ent_advance_clock (ent, 15 * 60 - 60);
  {
    g_autoptr(Answer) still = login ("claire.dubois", "Rentree2026", NULL);
    g_autofree char *error = login_page_error (still);

    g_assert_cmpstr (error, ==, FR_BAN);
  }
  carnet_test_ent_advance_clock (ent, 60);
  {
    g_autoptr(Answer) after = login ("claire.dubois", "Rentree2026", NULL);

    g_assert_cmpuint (after->status, ==, 302);
  }

  /* A success does not reset the counter: 4 failures, a success, 1 more. */
  setup ();
  for (int i = 1; i <= 4; i++)
    {
      g_autoptr(Answer) answer = login ("karim.benali", "Mauvais2026", NULL);

      g_assert_cmpuint (answer->status, ==, 200);
    }
  {
    g_autoptr(Answer) ok = login ("karim.benali", "Cartable2026", NULL);
    g_autoptr(Answer) fifth = login ("karim.benali", "Mauvais2026", NULL);
    g_autoptr(Answer) banned = login ("karim.benali", "Cartable2026", NULL);
    g_autofree char *error = NULL;

    g_assert_cmpuint (ok->status, ==, 302);
    assert_login_page_error (fifth, FR_AUTH_FAILED_HTML);
    error = login_page_error (banned);
    g_assert_cmpstr (error, ==, FR_BAN);
  }

  /* A blocked account's attempts count. */
  for (int i = 1; i <= 5; i++)
    {
      g_autoptr(Answer) answer = login ("bloque.parent", "Bloque2026", NULL);

      assert_login_page_error (answer, FR_BLOCKED_HTML);
    }
  {
    g_autoptr(Answer) banned = login ("bloque.parent", "Bloque2026", NULL);
    g_autofree char *error = login_page_error (banned);

    g_assert_cmpstr (error, ==, FR_BAN);
  }
}

static void
test_csrf (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) refused = NULL;
  g_autoptr(Answer) accepted = NULL;
  g_autoptr(JsonNode) node = NULL;

  setup ();
  logged = login ("nathalie.martin", "Soleil2026", &cookies);
  g_assert_cmpuint (logged->status, ==, 302);

  refused = request_full ("PUT", "/auth/cgu/revalidate", NULL, NULL, &cookies, FALSE, NULL, NULL);
  g_assert_cmpuint (refused->status, ==, 403);
  g_assert_cmpstr (refused->body, ==, "{\"error\":\"invalid.xsrf.token\"}");

  accepted = request ("PUT", "/auth/cgu/revalidate", NULL, NULL, &cookies);
  g_assert_cmpuint (accepted->status, ==, 204);
  g_assert_false (json_object_get_boolean_member (user_record ("nathalie.martin", &node),
                                                  "needRevalidateTerms"));
  cookies_clear (&cookies);
}

static void
assert_login_redirect (Answer     *answer,
                       const char *path)
{
  g_autofree char *original = g_strconcat (carnet_test_ent_get_url (ent), path, NULL);
  g_autofree char *escaped = g_uri_escape_string (original, NULL, FALSE);
  g_autofree char *expected = g_strdup_printf ("%s/auth/login?callback=%s",
                                               carnet_test_ent_get_url (ent), escaped);

  g_assert_cmpuint (answer->status, ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (answer->headers, "Location"), ==, expected);
}

static void
test_session_expired (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) anonymous = NULL;
  g_autoptr(Answer) expired = NULL;
  g_autoptr(Answer) idle = NULL;
  g_autoptr(Answer) logout = NULL;
  g_autoptr(Answer) after_logout = NULL;

  setup ();
  anonymous = request ("GET", "/auth/user/requirements", NULL, NULL, NULL);
  assert_login_redirect (anonymous, "/auth/user/requirements");

  logged = login ("karim.benali", "Cartable2026", &cookies);
  carnet_test_ent_expire_sessions (ent);
  expired = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  assert_login_redirect (expired, "/directory/myinfos");
  g_assert_nonnull (strstr (soup_message_headers_get_list (expired->headers, "Set-Cookie"), "Max-Age=0"));

  /* Sessions also end after 30 idle minutes of the server's clock. */
  g_clear_pointer (&logged, answer_free);
  logged = login ("karim.benali", "Cartable2026", &cookies);
  carnet_test_ent_advance_clock (ent, 31 * 60);
  idle = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  assert_login_redirect (idle, "/directory/myinfos");

  g_clear_pointer (&logged, answer_free);
  logged = login ("karim.benali", "Cartable2026", &cookies);
  logout = request ("GET", "/auth/logout?callback=/", NULL, NULL, &cookies);
  g_assert_cmpuint (logout->status, ==, 302);
  after_logout = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  g_assert_cmpuint (after_logout->status, ==, 302);
  cookies_clear (&cookies);
}

/* Correction 5: activation errors (AC:1243-1390, UA:143-226). */
static void
test_activation (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) match = NULL;
  g_autoptr(Answer) no_match = NULL;
  g_autoptr(Answer) no_cgu = NULL;
  g_autoptr(Answer) invalid = NULL;
  g_autoptr(Answer) invalid_en = NULL;
  g_autoptr(Answer) missing = NULL;
  g_autoptr(Answer) blocked_mail = NULL;
  g_autoptr(Answer) wrong_code = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) again = NULL;
  g_autoptr(Answer) other_password = NULL;
  g_autoptr(Answer) requirements = NULL;
  g_autoptr(Answer) mailstate = NULL;
  g_autoptr(JsonNode) node = NULL, node2 = NULL, node3 = NULL, node4 = NULL, node5 = NULL, node6 = NULL;
  g_autofree char *bad_form = NULL;
  g_autofree char *wrong_form = NULL;
  g_autofree char *good_form = NULL;
  g_autofree char *other_form = NULL;
  g_autofree char *message = NULL;
  static const char * const phone_cases[][2] = {
    { "06 12 34 56 7a", "Le format du numéro de téléphone est invalide." },
    { "01 23 45 67 89", "Ce numéro n'est pas un numéro de mobile." },
    { "0612", "Ce numéro de téléphone n'est pas valide." },
    { "08 99 12 34 56", "Les numéros surtaxés ne sont pas autorisés." },
  };
  JsonObject *object;

  setup ();
  match = request ("POST", "/auth/activation/match", JSON,
                   "{\"login\":\"frederic\",\"password\":\"7KQ4M2PX\"}", NULL);
  g_assert_cmpstr (match->body, ==, "{\"match\":true}");
  no_match = request ("POST", "/auth/activation/match", JSON,
                      "{\"login\":\"frederic\",\"password\":\"XXXXXXXX\"}", NULL);
  g_assert_cmpstr (no_match->body, ==, "{\"match\":false}");

  /* Without the charter: that error alone, untranslated. */
  bad_form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                               "password", "Jardin2026", "confirmPassword", "Jardin2027",
                               "mail", "pas-une-adresse", NULL);
  no_cgu = request ("POST", "/auth/activation", FORM, bad_form, NULL);
  g_assert_cmpuint (no_cgu->status, ==, 200);
  g_assert_cmpstr (no_cgu->body, ==,
                   "{\"error\":{\"message\":\"invalid.cgu\"},\"cgu\":true,\"activationCode\":\"7KQ4M2PX\",\"login\":\"frederic\"}");

  /* With it: every failed check, translated, joined by <br />. */
  g_free (bad_form);
  bad_form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                               "password", "jardin", "confirmPassword", "Jardin2027",
                               "mail", "pas-une-adresse", "acceptCGU", "true", NULL);
  invalid = request ("POST", "/auth/activation", FORM, bad_form, NULL);
  message = form_error (invalid);
  g_assert_cmpstr (message, ==,
                   "Les deux mots de passe ne concordent pas.<br />"
                   "Le mot de passe ne respecte pas les contraintes de sécurité.<br />"
                   "Le format de l'adresse email est invalide.");
  object = answer_object (invalid, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "activationCode"), ==, "7KQ4M2PX");
  g_assert_cmpstr (json_object_get_string_member (object, "login"), ==, "frederic");
  g_assert_true (json_object_get_boolean_member (object, "cgu"));

  invalid_en = request_full ("POST", "/auth/activation", FORM, bad_form, NULL, FALSE, "Accept-Language", "en");
  g_free (message);
  message = form_error (invalid_en);
  g_assert_cmpstr (message, ==, "Passwords do not match.<br />Password does not meet security requirements.<br />"
                                "Email address format is invalid.");

  missing = request ("POST", "/auth/activation", FORM, "acceptCGU=true&login=&activationCode=", NULL);
  g_free (message);
  message = form_error (missing);
  g_assert_cmpstr (message, ==, "L'identifiant est requis.<br />Le code d'activation est requis.<br />"
                                "Le mot de passe est requis.<br />L'adresse email est obligatoire.");

  {
    g_autofree char *form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                                              "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                              "mail", "interdit@example.fr", "acceptCGU", "true", NULL);

    blocked_mail = request ("POST", "/auth/activation", FORM, form, NULL);
    g_free (message);
    message = form_error (blocked_mail);
    g_assert_cmpstr (message, ==, "Cette adresse email n'est pas autorisée.");
  }

  for (guint i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    {
      g_autofree char *form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                                                "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                                "mail", "frederic.martin@example.fr", "phone", phone_cases[i][0],
                                                "acceptCGU", "true", NULL);

      g_autoptr(Answer) phone = request ("POST", "/auth/activation", FORM, form, NULL);

      g_free (message);
      message = form_error (phone);
      g_assert_cmpstr (message, ==, phone_cases[i][1]);
    }

  /* Unknown code: activation.error, translated, without login nor cgu. */
  wrong_form = soup_form_encode ("login", "frederic", "activationCode", "AAAAAAAA",
                                 "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                 "mail", "frederic.martin@example.fr", "acceptCGU", "true", NULL);
  wrong_code = request ("POST", "/auth/activation", FORM, wrong_form, NULL);
  g_assert_cmpstr (wrong_code->body, ==,
                   "{\"error\":{\"message\":\"" FR_ACTIVATION_ERROR "\"},\"activationCode\":\"AAAAAAAA\"}");

  good_form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                                "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                "mail", "frederic.martin@example.fr", "phone", "06 12 34 56 78",
                                "acceptCGU", "true", "theme", "", "callBack", "", NULL);
  done = request ("POST", "/auth/activation", FORM, good_form, &cookies);
  assert_location (done, "");
  g_assert_nonnull (cookies.session_id);
  g_assert_true (carnet_test_ent_check_password (ent, "frederic", "Jardin2026"));
  object = user_record ("frederic", &node3);
  g_assert_true (json_object_get_boolean_member (object, "activated"));
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "frederic.martin@example.fr");
  g_assert_cmpstr (json_object_get_string_member (object, "mobile"), ==, "+33612345678");
  g_assert_false (json_object_get_boolean_member (object, "emailValidated"));

  requirements = request ("GET", "/auth/user/requirements", NULL, NULL, &cookies);
  object = answer_object (requirements, &node4);
  g_assert_true (json_object_get_boolean_member (object, "needRevalidateEmail"));
  g_assert_false (json_object_get_boolean_member (object, "needRevalidateTerms"));

  /* Correction 12: emailState is null right after activation. */
  mailstate = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  g_assert_cmpuint (mailstate->status, ==, 200);
  g_assert_true (json_object_get_null_member (answer_object (mailstate, &node5), "emailState"));

  /* Posting the same form again succeeds again (a lost 302 is no wrong
   * code); another password does not. */
  again = request ("POST", "/auth/activation", FORM, good_form, NULL);
  assert_location (again, "");
  other_form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                                 "password", "Jardin2027", "confirmPassword", "Jardin2027",
                                 "mail", "frederic.martin@example.fr", "acceptCGU", "true", NULL);
  other_password = request ("POST", "/auth/activation", FORM, other_form, NULL);
  g_free (message);
  message = form_error (other_password);
  g_assert_cmpstr (message, ==, FR_ACTIVATION_ERROR);
  g_assert_false (json_object_has_member (answer_object (other_password, &node6), "login"));
  g_clear_pointer (&node2, json_node_unref);
  cookies_clear (&cookies);
}

/* Correction 12: mailstate details (UC:1159-1228,
 * AbstractDataValidationService.java:164-301). */
static void
test_mail_code (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) before = NULL;
  g_autoptr(Answer) first_post = NULL;
  g_autoptr(Answer) put = NULL;
  g_autoptr(Answer) state = NULL;
  g_autoptr(Answer) again = NULL;
  g_autoptr(Answer) wrong = NULL;
  g_autoptr(Answer) right = NULL;
  g_autoptr(Answer) after = NULL;
  g_autoptr(Answer) put2 = NULL;
  g_autoptr(Answer) stale_get = NULL;
  g_autoptr(Answer) late_wrong = NULL;
  g_autoptr(Answer) late = NULL;
  g_autoptr(Answer) bad = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL, n5 = NULL, n6 = NULL, n7 = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  g_autofree char *body = NULL;
  g_autofree char *mail = NULL;
  JsonObject *object;

  setup ();
  /* Frédéric, activated, has no mail state yet. */
  {
    g_autofree char *form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                                              "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                              "mail", "frederic.martin@example.fr", "acceptCGU", "true", NULL);

    logged = request ("POST", "/auth/activation", FORM, form, &cookies);
    g_assert_cmpuint (logged->status, ==, 302);
  }

  before = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  object = answer_object (before, &n1);
  g_assert_cmpint (json_object_get_int_member (object, "waitInSeconds"), ==, 10);
  g_assert_true (json_object_get_null_member (object, "emailState"));

  /* POST before any PUT: outdated, nothing else. */
  first_post = request ("POST", "/directory/user/mailstate", JSON, "{\"key\":\"123456\"}", &cookies);
  g_assert_cmpstr (first_post->body, ==, "{\"state\":\"outdated\",\"valid\":\"\"}");

  put = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"fred.m@example.fr\"}", &cookies);
  g_assert_cmpuint (put->status, ==, 200);
  g_assert_cmpuint (put->length, ==, 0);
  mail = carnet_test_ent_last_mail (ent, "fred.m@example.fr");
  g_assert_nonnull (strstr (mail, "Content-Type: text/plain; charset=utf-8"));
  code = carnet_test_ent_last_mail_code (ent, "fred.m@example.fr");
  g_assert_cmpuint (strlen (code), ==, 6);

  state = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  object = json_object_get_object_member (answer_object (state, &n2), "emailState");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (object, "pending"), ==, "fred.m@example.fr");
  g_assert_cmpint (json_object_get_int_member (object, "tries"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "ttl"), >=, 590);   /* a slow run may cross a second */
  g_assert_false (json_object_has_member (object, "key"));
  g_assert_false (json_object_has_member (object, "code"));

  /* No throttle; the same pending address gets the same code again. */
  again = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"fred.m@example.fr\"}", &cookies);
  g_assert_cmpuint (again->status, ==, 200);
  code2 = carnet_test_ent_last_mail_code (ent, "fred.m@example.fr");
  g_assert_cmpstr (code2, ==, code);

  wrong = request ("POST", "/directory/user/mailstate", JSON,
                   g_str_equal (code, "000000") ? "{\"key\":\"111111\"}" : "{\"key\":\"000000\"}", &cookies);
  object = answer_object (wrong, &n3);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (object, "tries"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (object, "ttl"), >=, 590);   /* a slow run may cross a second */

  body = g_strdup_printf ("{\"key\":\"%s\"}", code);
  right = request ("POST", "/directory/user/mailstate", JSON, body, &cookies);
  g_assert_cmpstr (right->body, ==, "{\"state\":\"valid\",\"valid\":\"fred.m@example.fr\"}");
  object = user_record ("frederic", &n4);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "fred.m@example.fr");
  g_assert_true (json_object_get_boolean_member (object, "emailValidated"));
  after = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  object = json_object_get_object_member (answer_object (after, &n5), "emailState");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "valid");
  g_assert_true (json_object_get_null_member (object, "pending"));
  g_assert_true (json_object_get_null_member (object, "ttl"));

  /* Past the ttl: GET still says pending, ttl 0; a wrong key is counted
   * (the key is checked first); the right one finds it outdated. */
  put2 = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"autre@example.fr\"}", &cookies);
  g_assert_cmpuint (put2->status, ==, 200);
  g_free (code);
  code = carnet_test_ent_last_mail_code (ent, "autre@example.fr");
  carnet_test_ent_advance_clock (ent, 601);
  stale_get = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  object = json_object_get_object_member (answer_object (stale_get, &n6), "emailState");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (object, "ttl"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "valid"), ==, "fred.m@example.fr");
  late_wrong = request ("POST", "/directory/user/mailstate", JSON,
                        g_str_equal (code, "000000") ? "{\"key\":\"111111\"}" : "{\"key\":\"000000\"}", &cookies);
  g_assert_cmpstr (late_wrong->body, ==, "{\"state\":\"pending\",\"valid\":\"fred.m@example.fr\",\"tries\":4,\"ttl\":0}");
  g_free (body);
  body = g_strdup_printf ("{\"key\":\"%s\"}", code);
  late = request ("POST", "/directory/user/mailstate", JSON, body, &cookies);
  object = answer_object (late, &n7);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "outdated");

  bad = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"pas-une-adresse\"}", &cookies);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_true (g_str_has_prefix (bad->body, "{\"error\":"));
  cookies_clear (&cookies);
}

/* Correction 8: one row per (account, structure) (UA:341-356, AC:1443-1520). */
static void
test_forgot_id (void)
{
  g_autoptr(Answer) several = NULL;
  g_autoptr(Answer) chosen = NULL;
  g_autoptr(Answer) two_schools = NULL;
  g_autoptr(Answer) narrowed = NULL;
  g_autoptr(Answer) unknown = NULL;
  g_autoptr(Answer) missing = NULL;
  g_autoptr(Answer) same_school = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *mail = NULL;
  JsonArray *structures;
  JsonObject *row;

  setup ();
  several = request ("POST", "/auth/forgot-id", JSON,
                     "{\"mail\":\"claire.dubois@example.fr\",\"service\":\"mail\"}", NULL);
  g_assert_cmpuint (several->status, ==, 200);
  structures = json_object_get_array_member (answer_object (several, &node), "structures");
  g_assert_cmpuint (json_array_get_length (structures), ==, 2);
  row = json_array_get_object_element (structures, 0);
  g_assert_true (json_object_get_null_member (row, "loginAlias"));
  g_assert_true (json_object_get_null_member (row, "activationCode"));
  g_assert_cmpstr (json_object_get_string_member (row, "structureName"), ==, "Collège Jean Jaurès");
  g_assert_cmpstr (json_object_get_string_member (row, "structureId"), ==, "jean-jaures-calais");
  g_assert_false (json_object_has_member (row, "login"));
  g_assert_null (carnet_test_ent_last_mail (ent, "claire.dubois@example.fr"));

  /* The second round: sanitised first name and school. */
  chosen = request ("POST", "/auth/forgot-id", JSON,
                    "{\"mail\":\"Claire.Dubois@example.fr\",\"service\":\"mail\","
                    "\"firstName\":\" CLAIRE \",\"structureId\":\"jules-ferry-calais\"}", NULL);
  g_assert_cmpstr (chosen->body, ==, "{}");
  mail = carnet_test_ent_last_mail (ent, "claire.dubois@example.fr");
  g_assert_nonnull (strstr (mail, "claire.dubois1"));

  /* One parent with children in two schools: two rows, no mail. */
  two_schools = request ("POST", "/auth/forgot-id", JSON,
                         "{\"mail\":\"karim.benali@example.fr\",\"service\":\"mail\"}", NULL);
  structures = json_object_get_array_member (answer_object (two_schools, &node2), "structures");
  g_assert_cmpuint (json_array_get_length (structures), ==, 2);
  g_assert_null (carnet_test_ent_last_mail (ent, "karim.benali@example.fr"));
  narrowed = request ("POST", "/auth/forgot-id", JSON,
                      "{\"mail\":\"karim.benali@example.fr\",\"service\":\"mail\","
                      "\"firstName\":\"Karim\",\"structureId\":\"jules-ferry-calais\"}", NULL);
  g_assert_cmpstr (narrowed->body, ==, "{}");
  g_free (mail);
  mail = carnet_test_ent_last_mail (ent, "karim.benali@example.fr");
  g_assert_nonnull (strstr (mail, "karim.benali"));

  /* Narrowed to one row: that account's login is mailed. */
  carnet_test_ent_reset (ent);
  same_school = request ("POST", "/auth/forgot-id", JSON,
                         "{\"mail\":\"claire.dubois@example.fr\",\"service\":\"mail\",\"firstName\":\"Claire\","
                         "\"structureId\":\"jean-jaures-calais\"}", NULL);
  g_assert_cmpstr (same_school->body, ==, "{}");
  g_free (mail);
  mail = carnet_test_ent_last_mail (ent, "claire.dubois@example.fr");
  g_assert_nonnull (strstr (mail, "Votre identifiant est : claire.dubois\n"));

  unknown = request ("POST", "/auth/forgot-id", JSON, "{\"mail\":\"x@example.fr\",\"service\":\"mail\"}", NULL);
  g_assert_cmpstr (unknown->body, ==, "{}");
  missing = request ("POST", "/auth/forgot-id", JSON, "{\"service\":\"mail\"}", NULL);
  g_assert_cmpuint (missing->status, ==, 400);
  g_assert_cmpuint (missing->length, ==, 0);
}

static void
test_reset (void)
{
  g_autoptr(Answer) forgot = NULL;
  g_autoptr(Answer) missing = NULL;
  g_autoptr(Answer) reused = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) forgot2 = NULL;
  g_autoptr(Answer) expired = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL;
  g_autofree char *link = NULL;
  g_autofree char *form = NULL;
  const char *code;
  JsonObject *object;

  setup ();
  missing = request ("POST", "/auth/forgot-password", JSON, "{\"service\":\"mail\"}", NULL);
  g_assert_cmpuint (missing->status, ==, 400);
  g_assert_cmpstr (missing->body, ==, "{\"error\":\"invalid.login\"}");

  forgot = request ("POST", "/auth/forgot-password", JSON, "{\"login\":\"karim.benali\",\"service\":\"mail\"}", NULL);
  g_assert_cmpuint (forgot->status, ==, 200);
  link = carnet_test_ent_last_reset_link (ent, "karim.benali@example.fr");
  g_assert_true (g_str_has_prefix (link, carnet_test_ent_get_url (ent)));
  code = strrchr (link, '/') + 1;
  g_assert_cmpuint (strlen (code), ==, 8);
  /* Correction 13: lower case, no look-alikes. */
  g_assert_cmpuint (strspn (code, "abcdefghjkmnprstvwxyz3456789"), ==, 8);

  form = soup_form_encode ("login", "karim.benali", "resetCode", code,
                           "password", "Cartable2026", "confirmPassword", "Cartable2026", NULL);
  reused = request ("POST", "/auth/reset", FORM, form, NULL);
  g_assert_cmpuint (reused->status, ==, 200);
  object = answer_object (reused, &n1);
  /* Correction 4: reset.error, translated. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"),
                   ==, FR_RESET_ERROR);
  g_assert_cmpstr (json_object_get_string_member (object, "resetCode"), ==, code);

  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "resetCode", code,
                           "password", "Cahier2026", "confirmPassword", "Cahier2026", NULL);
  done = request ("POST", "/auth/reset", FORM, form, NULL);
  assert_location (done, "/auth/login");
  g_assert_true (carnet_test_ent_check_password (ent, "karim.benali", "Cahier2026"));
  g_assert_false (carnet_test_ent_check_password (ent, "karim.benali", "Cartable2026"));

  /* A code lives 24 hours. */
  forgot2 = request ("POST", "/auth/forgot-password", JSON, "{\"login\":\"paul.leroy\",\"service\":\"mail\"}", NULL);
  g_free (link);
  link = carnet_test_ent_last_reset_link (ent, "paul.leroy@example.fr");
  carnet_test_ent_advance_clock (ent, 24 * 3600);
  g_free (form);
  form = soup_form_encode ("login", "paul.leroy", "resetCode", strrchr (link, '/') + 1,
                           "password", "Cahier2026", "confirmPassword", "Cahier2026", NULL);
  expired = request ("POST", "/auth/reset", FORM, form, NULL);
  object = answer_object (expired, &n2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"),
                   ==, FR_RESET_ERROR);
}

static void
test_oauth2 (void)
{
  g_autoptr(Answer) bad_client = NULL;
  g_autoptr(Answer) token = NULL;
  g_autoptr(Answer) v2 = NULL;
  g_autoptr(Answer) children = NULL;
  g_autoptr(Answer) cgu = NULL;
  g_autoptr(Answer) not_active = NULL;
  g_autoptr(Answer) refreshed = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL, n5 = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *refresh_form = NULL;
  JsonObject *object;
  JsonArray *groups;

  setup ();
  bad_client = request ("POST", "/auth/oauth2/token", FORM,
                        "grant_type=password&username=karim.benali&password=Cartable2026"
                        "&client_id=carnet&client_secret=nope", NULL);
  g_assert_cmpuint (bad_client->status, ==, 401);

  token = request_full ("POST", "/auth/oauth2/token", FORM,
                        "grant_type=password&username=karim.benali&password=Cartable2026&scope=userinfo",
                        NULL, FALSE, "Authorization", "Basic Y2FybmV0OmNhcm5ldC10ZXN0LXNlY3JldA==");
  g_assert_cmpuint (token->status, ==, 200);
  object = answer_object (token, &n1);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  bearer = g_strdup_printf ("Bearer %s", json_object_get_string_member (object, "access_token"));
  refresh_form = soup_form_encode ("grant_type", "refresh_token",
                                   "refresh_token", json_object_get_string_member (object, "refresh_token"),
                                   "client_id", "carnet", "client_secret", "carnet-test-secret", NULL);

  v2 = request_full ("GET", "/auth/oauth2/userinfo", NULL, NULL, NULL, FALSE, "Authorization", bearer);
  g_assert_cmpuint (v2->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (answer_object (v2, &n2), "type"), ==, "PERSRELELEVE");
  {
    g_autofree char *uri = g_strconcat (carnet_test_ent_get_url (ent), "/auth/oauth2/userinfo", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;

    soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", bearer);
    soup_message_headers_append (soup_message_get_request_headers (msg), "Accept", "application/json;version=2.0");
    bytes = soup_session_send_and_read (session, msg, NULL, NULL);
    text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    node = json_from_string (text, NULL);
    object = json_node_get_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "Relative");
    g_assert_cmpstr (json_object_get_string_member (object, "userId"), ==, "u-karim");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (object, "children"), "c-ines"),
                                                    "firstName"), ==, "Inès");
  }

  children = request_full ("GET", "/directory/user/u-karim/children", NULL, NULL, NULL, FALSE, "Authorization", bearer);
  g_assert_cmpuint (children->status, ==, 200);
  groups = json_node_get_array (n3 = json_from_string (children->body, NULL));
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (groups, 0), "structureName"),
                   ==, "Collège Jean Jaurès");

  /* Bearer calls need no CSRF header. */
  cgu = request_full ("PUT", "/auth/cgu/revalidate", NULL, NULL, NULL, FALSE, "Authorization", bearer);
  g_assert_cmpuint (cgu->status, ==, 204);

  not_active = request ("POST", "/auth/oauth2/token", FORM,
                        "grant_type=password&username=frederic&password=7KQ4M2PX"
                        "&client_id=carnet&client_secret=carnet-test-secret", NULL);
  g_assert_cmpuint (not_active->status, ==, 403);
  g_assert_cmpstr (json_object_get_string_member (answer_object (not_active, &n4), "error_description"),
                   ==, "auth.error.activation.code");

  refreshed = request ("POST", "/auth/oauth2/token", FORM, refresh_form, NULL);
  g_assert_cmpuint (refreshed->status, ==, 200);
  g_assert_true (json_object_has_member (answer_object (refreshed, &n5), "access_token"));
}

/* g_strstr_len() stops at the first NUL, which a PDF has. */
static gboolean
bytes_contain (const char *data,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static void
test_charter (void)
{
  g_autoptr(Answer) i18n = NULL;
  g_autoptr(Answer) pdf = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *path;

  setup ();
  i18n = request ("GET", "/auth/i18n", NULL, NULL, NULL);
  path = json_object_get_string_member (answer_object (i18n, &node), "auth.charter");
  g_assert_cmpstr (path, ==, "/assets/cgu/Charte_d_utilisation.pdf");
  pdf = request ("GET", path, NULL, NULL, NULL);
  g_assert_cmpuint (pdf->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (pdf->headers, NULL), ==, "application/pdf");
  g_assert_true (g_str_has_prefix (pdf->body, "%PDF-"));
  g_assert_true (bytes_contain (pdf->body, pdf->length, "/Count 3"));
}

static void
test_faults (void)
{
  g_autoptr(Answer) failed = NULL;
  g_autoptr(Answer) recovered = NULL;
  g_autoptr(Answer) bad_gateway = NULL;
  g_autoptr(Answer) dropped = NULL;
  g_autoptr(Answer) slow = NULL;
  g_autoptr(Answer) malformed = NULL;
  g_autoptr(Answer) unknown = NULL;
  g_autoptr(Answer) csrf = NULL;
  g_autoptr(Answer) other_host = NULL;
  g_autoptr(Answer) huge = NULL;
  gint64 start;

  setup ();
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/context"), ==, 0);

  carnet_test_ent_set_fault (ent, "/auth/context", "500", 0, 1);
  failed = request ("GET", "/auth/context", NULL, NULL, NULL);
  g_assert_cmpuint (failed->status, ==, 500);
  recovered = request ("GET", "/auth/context", NULL, NULL, NULL);
  g_assert_cmpuint (recovered->status, ==, 200);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/context"), ==, 2);

  carnet_test_ent_set_fault (ent, "*", "502", 0, 1);
  bad_gateway = request ("GET", "/auth/i18n", NULL, NULL, NULL);
  g_assert_cmpuint (bad_gateway->status, ==, 502);
  g_assert_nonnull (strstr (bad_gateway->body, "<html>"));

  /* libsoup silently retries an idempotent request once when a reused
   * connection closes without an answer: drop more than once. */
  carnet_test_ent_set_fault (ent, "/auth/context", "drop", 0, -1);
  dropped = request ("GET", "/auth/context", NULL, NULL, NULL);
  g_assert_nonnull (dropped->error);

  carnet_test_ent_set_fault (ent, "/auth/context", "latency", 300, -1);
  start = g_get_monotonic_time ();
  slow = request ("GET", "/auth/context", NULL, NULL, NULL);
  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);

  carnet_test_ent_set_fault (ent, "/auth/context", "malformed", 0, -1);
  malformed = request ("GET", "/auth/context", NULL, NULL, NULL);
  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_null (json_from_string (malformed->body, NULL));

  carnet_test_ent_set_fault (ent, "/auth/login", "csrf", 0, -1);
  csrf = request ("POST", "/auth/login", FORM, "email=a&password=b", NULL);
  g_assert_cmpuint (csrf->status, ==, 403);

  carnet_test_ent_set_fault (ent, "/auth/i18n", "redirect-other-host", 0, -1);
  other_host = request ("GET", "/auth/i18n", NULL, NULL, NULL);
  g_assert_cmpuint (other_host->status, ==, 302);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (other_host->headers, "Location"),
                                   "https://ent.example.org/"));

  carnet_test_ent_set_fault (ent, "/auth/i18n", "huge", 0, 1);
  huge = request ("GET", "/auth/i18n", NULL, NULL, NULL);
  g_assert_cmpuint (huge->length, ==, 20 * 1024 * 1024);

  carnet_test_ent_clear_faults (ent);
  {
    Cookies cookies = { 0 };
    g_autoptr(Answer) logged = login ("karim.benali", "Cartable2026", &cookies);
    g_autoptr(Answer) expired = NULL;
    g_autoptr(Answer) alive = NULL;
    Cookies kept = { g_strdup (cookies.session_id), g_strdup (cookies.xsrf) };

    g_assert_nonnull (logged);

    /* The fault answers as if expired but leaves the session alive. */
    carnet_test_ent_set_fault (ent, "/directory/myinfos", "expire-session", 0, 1);
    expired = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
    g_assert_cmpuint (expired->status, ==, 302);
    alive = request ("GET", "/directory/myinfos", NULL, NULL, &kept);
    g_assert_cmpuint (alive->status, ==, 200);
    cookies_clear (&cookies);
    cookies_clear (&kept);
  }

  carnet_test_ent_clear_faults (ent);
  unknown = request ("GET", "/nowhere", NULL, NULL, NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
}

static void
test_restart (void)
{
  g_autoptr(Answer) forgot = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) logged = NULL;
  g_autofree char *link = NULL;
  g_autofree char *form = NULL;

  setup ();
  forgot = request ("POST", "/auth/forgot-password", JSON, "{\"login\":\"paul.leroy\",\"service\":\"mail\"}", NULL);
  link = carnet_test_ent_last_reset_link (ent, "paul.leroy@example.fr");
  form = soup_form_encode ("login", "paul.leroy", "resetCode", strrchr (link, '/') + 1,
                           "password", "Definitif2026", "confirmPassword", "Definitif2026", NULL);
  done = request ("POST", "/auth/reset", FORM, form, NULL);
  g_assert_cmpuint (done->status, ==, 302);

  carnet_test_ent_restart (ent);
  g_assert_true (carnet_test_ent_check_password (ent, "paul.leroy", "Definitif2026"));
  logged = login ("paul.leroy", "Definitif2026", NULL);
  g_assert_cmpuint (logged->status, ==, 302);
  /* The outbox survives too. */
  g_clear_pointer (&link, g_free);
  link = carnet_test_ent_last_reset_link (ent, "paul.leroy@example.fr");
  g_assert_nonnull (link);
}

/* Contract 1: GET /auth/i18n, fr.json or en.json. */
static void
test_i18n (void)
{
  g_autoptr(Answer) fr = NULL;
  g_autoptr(Answer) en = NULL;
  g_autoptr(Answer) other = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL;
  JsonObject *object;

  setup ();
  fr = request ("GET", "/auth/i18n", NULL, NULL, NULL);
  object = answer_object (fr, &n1);
  g_assert_cmpstr (json_object_get_string_member (object, "auth.error.authenticationFailed"), ==, FR_AUTH_FAILED);
  g_assert_cmpstr (json_object_get_string_member (object, "auth.error.ban"), ==, FR_BAN);
  g_assert_cmpstr (json_object_get_string_member (object, "reset.error"), ==, FR_RESET_ERROR);
  g_assert_cmpstr (json_object_get_string_member (object, "auth.reset.invalid.argument"), ==, FR_RESET_ERROR);
  g_assert_cmpstr (json_object_get_string_member (object, "activation.error"), ==, FR_ACTIVATION_ERROR);
  g_assert_cmpstr (json_object_get_string_member (object, "auth.activation.error.email.format"), ==,
                   "Le format de l'adresse email est invalide.");
  g_assert_cmpstr (json_object_get_string_member (object, "phone.validation.error.not.mobile"), ==,
                   "Ce numéro n'est pas un numéro de mobile.");
  g_assert_cmpstr (json_object_get_string_member (object, "auth.charter"), ==, "/assets/cgu/Charte_d_utilisation.pdf");

  en = request_full ("GET", "/auth/i18n", NULL, NULL, NULL, FALSE, "Accept-Language", "en-US,en;q=0.9,fr;q=0.5");
  object = answer_object (en, &n2);
  g_assert_cmpstr (json_object_get_string_member (object, "auth.error.authenticationFailed"), ==,
                   "Invalid login or password");
  g_assert_cmpstr (json_object_get_string_member (object, "reset.error"), ==, "Reset error");
  g_assert_false (json_object_has_member (object, "auth.error.ban"));
  g_assert_cmpstr (json_object_get_string_member (object, "auth.charter"), ==, "/assets/cgu/Charte_d_utilisation.pdf");

  other = request_full ("GET", "/auth/i18n", NULL, NULL, NULL, FALSE, "Accept-Language", "it");
  object = answer_object (other, &n3);
  g_assert_cmpstr (json_object_get_string_member (object, "auth.error.authenticationFailed"), ==, FR_AUTH_FAILED);
}

/* Correction 7: a reset code (< 24 h) as the password (AC:790-794, 950;
 * OD:279-283). */
static void
test_login_reset_code (void)
{
  g_autoptr(Answer) redirected = NULL;
  g_autoptr(Answer) token = NULL;
  g_autoptr(Answer) later = NULL;
  g_autoptr(Answer) page = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *code = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *form = NULL;

  setup ();
  code = reset_code_of ("karim.benali", "karim.benali@example.fr");
  redirected = login ("karim.benali", code, NULL);
  expected = g_strdup_printf ("/auth/reset/%s?login=karim.benali", code);
  assert_location (redirected, expected);
  g_assert_null (soup_message_headers_get_one (redirected->headers, "Set-Cookie"));

  page = request ("GET", expected, NULL, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "value=\"karim.benali\""));

  form = soup_form_encode ("grant_type", "password", "username", "karim.benali", "password", code,
                           "client_id", "carnet", "client_secret", "carnet-test-secret", NULL);
  token = request ("POST", "/auth/oauth2/token", FORM, form, NULL);
  g_assert_cmpuint (token->status, ==, 403);
  g_assert_cmpstr (json_object_get_string_member (answer_object (token, &node), "error_description"),
                   ==, "auth.error.password.reset");

  carnet_test_ent_advance_clock (ent, 24 * 3600);
  later = login ("karim.benali", code, NULL);
  assert_login_page_error (later, FR_AUTH_FAILED_HTML);
}

/* Corrections 2 and 4: POST /auth/changePassword (AC:1790-1893). */
static void
test_change_password (void)
{
  Cookies cookies = { 0 };
  Cookies other = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) logged_other = NULL;
  g_autoptr(Answer) same = NULL;
  g_autoptr(Answer) mismatch = NULL;
  g_autoptr(Answer) wrong_old = NULL;
  g_autoptr(Answer) reused = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) kept = NULL;
  g_autoptr(Answer) dropped = NULL;
  g_autoptr(Answer) default_callback = NULL;
  g_autoptr(Answer) english = NULL;
  g_autofree char *form = NULL;
  g_autofree char *message = NULL;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);
  logged_other = login ("karim.benali", "Cartable2026", &other);

  form = soup_form_encode ("login", "karim.benali", "oldPassword", "Cartable2026",
                           "password", "Cartable2026", "confirmPassword", "Cartable2026", NULL);
  same = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  message = form_error (same);
  g_assert_cmpstr (message, ==, FR_RESET_ERROR);
  g_assert_false (strstr (same->body, "resetCode") != NULL);

  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "oldPassword", "Cartable2026",
                           "password", "Cahier2026", "confirmPassword", "Cahier2027", NULL);
  mismatch = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  g_free (message);
  message = form_error (mismatch);
  g_assert_cmpstr (message, ==, FR_RESET_ERROR);

  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "oldPassword", "Mauvais2026",
                           "password", "Cahier2026", "confirmPassword", "Cahier2026", NULL);
  wrong_old = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  g_free (message);
  message = form_error (wrong_old);
  g_assert_cmpstr (message, ==, FR_RESET_ERROR);
  english = request_full ("POST", "/auth/changePassword", FORM, form, &cookies, TRUE, "Accept-Language", "en");
  g_free (message);
  message = form_error (english);
  g_assert_cmpstr (message, ==, "Reset error");

  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "oldPassword", "Cartable2026",
                           "password", "Cahier2026", "confirmPassword", "Cahier2026",
                           "callback", "/userbook/mon-compte", NULL);
  done = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  assert_location (done, "/userbook/mon-compte");
  g_assert_null (soup_message_headers_get_one (done->headers, "Set-Cookie"));
  g_assert_true (carnet_test_ent_check_password (ent, "karim.benali", "Cahier2026"));

  /* The session is kept; the account's other sessions end. */
  kept = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  g_assert_cmpuint (kept->status, ==, 200);
  dropped = request ("GET", "/directory/myinfos", NULL, NULL, &other);
  g_assert_cmpuint (dropped->status, ==, 302);

  /* Back to a password used before: refused; the default callback. */
  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "oldPassword", "Cahier2026",
                           "password", "Cartable2026", "confirmPassword", "Cartable2026", NULL);
  reused = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  g_free (message);
  message = form_error (reused);
  g_assert_cmpstr (message, ==, FR_RESET_ERROR);
  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "oldPassword", "Cahier2026",
                           "password", "Gomme2026x", "confirmPassword", "Gomme2026x", NULL);
  default_callback = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  assert_location (default_callback, "/auth/login");

  /* A wrong old password counts toward the ban (2 failures above). */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *bad = soup_form_encode ("login", "karim.benali", "oldPassword", "Mauvais2026",
                                               "password", "Cahier2028", "confirmPassword", "Cahier2028", NULL);
      g_autoptr(Answer) answer = request ("POST", "/auth/changePassword", FORM, bad, &cookies);

      g_assert_cmpuint (answer->status, ==, 200);
    }
  {
    g_autoptr(Answer) banned = login ("karim.benali", "Gomme2026x", NULL);
    g_autofree char *error = login_page_error (banned);

    g_assert_cmpstr (error, ==, FR_BAN);
  }
  cookies_clear (&cookies);
  cookies_clear (&other);
}

/* Correction 3: the forced password change (L:…/AbstractActionFilter.java:46-80,
 * AC:1841-1849). */
static void
test_force_change (void)
{
  Cookies cookies = { 0 };
  Cookies again = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) infos = NULL;
  g_autoptr(Answer) requirements = NULL;
  g_autoptr(Answer) userinfo = NULL;
  g_autoptr(Answer) change = NULL;
  g_autoptr(Answer) cgu = NULL;
  g_autoptr(Answer) page = NULL;
  g_autoptr(Answer) wrong = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) gone = NULL;
  g_autoptr(Answer) relogged = NULL;
  g_autoptr(Answer) works = NULL;
  g_autoptr(JsonNode) n1 = NULL;
  g_autofree char *form = NULL;
  g_autofree char *message = NULL;
  g_autofree char *cookies_text = NULL;
  g_autofree char *old_id = NULL;

  setup ();
  logged = login ("paul.leroy", "Provisoire1", &cookies);
  g_assert_cmpuint (logged->status, ==, 302);

  infos = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  assert_location (infos, "/auth/reset/forceChangePassword?callback=%2Fdirectory%2Fmyinfos");
  requirements = request ("GET", "/auth/user/requirements", NULL, NULL, &cookies);
  g_assert_cmpuint (requirements->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (answer_object (requirements, &n1), "forceChangePassword"));
  userinfo = request ("GET", "/auth/oauth2/userinfo", NULL, NULL, &cookies);
  g_assert_cmpuint (userinfo->status, ==, 200);

  form = soup_form_encode ("login", "paul.leroy", "oldPassword", "Provisoire1",
                           "password", "Definitif2026", "confirmPassword", "Definitif2026", NULL);
  change = request ("POST", "/auth/changePassword", FORM, form, &cookies);
  assert_location (change, "/auth/reset/forceChangePassword?callback=%2Fauth%2FchangePassword");
  cgu = request ("PUT", "/auth/cgu/revalidate", NULL, NULL, &cookies);
  assert_location (cgu, "/auth/reset/forceChangePassword?callback=%2Fauth%2Fcgu%2Frevalidate");

  page = request ("GET", "/auth/reset/forceChangePassword?callback=%2F", NULL, NULL, &cookies);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "name=\"forceChange\" value=\"force\""));

  /* The way out: POST /auth/reset, public, no CSRF header. */
  g_free (form);
  form = soup_form_encode ("login", "paul.leroy", "oldPassword", "Mauvais2026", "password", "Definitif2026",
                           "confirmPassword", "Definitif2026", "forceChange", "force", "callback", "/", NULL);
  wrong = request_full ("POST", "/auth/reset", FORM, form, &cookies, FALSE, NULL, NULL);
  message = form_error (wrong);
  g_assert_cmpstr (message, ==, FR_RESET_ERROR);

  g_free (form);
  form = soup_form_encode ("login", "paul.leroy", "oldPassword", "Provisoire1", "password", "Definitif2026",
                           "confirmPassword", "Definitif2026", "forceChange", "force", "callback", "/", NULL);
  old_id = g_strdup (cookies.session_id);
  done = request_full ("POST", "/auth/reset", FORM, form, &cookies, FALSE, NULL, NULL);
  assert_location (done, "/auth/login");
  cookies_text = g_strdup (soup_message_headers_get_list (done->headers, "Set-Cookie"));
  g_assert_nonnull (strstr (cookies_text, "oneSessionId=;"));
  g_assert_nonnull (strstr (cookies_text, "authenticated=;"));
  g_assert_null (strstr (cookies_text, "XSRF-TOKEN"));

  /* Every session ended; log in again with the new password. */
  g_free (cookies.session_id);
  cookies.session_id = g_steal_pointer (&old_id);
  gone = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  g_assert_cmpuint (gone->status, ==, 302);
  relogged = login ("paul.leroy", "Definitif2026", &again);
  g_assert_cmpuint (relogged->status, ==, 302);
  works = request ("GET", "/directory/myinfos", NULL, NULL, &again);
  g_assert_cmpuint (works->status, ==, 200);
  cookies_clear (&cookies);
  cookies_clear (&again);
}

/* Contract 5 and correction 13: /auth/reset/match, /auth/reset's callback. */
static void
test_reset_match (void)
{
  g_autoptr(Answer) yes = NULL;
  g_autoptr(Answer) no = NULL;
  g_autoptr(Answer) bad = NULL;
  g_autoptr(Answer) invalid = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) expired = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autofree char *form = NULL;
  g_autofree char *message = NULL;

  setup ();
  code = reset_code_of ("claire.dubois", "claire.dubois@example.fr");
  body = g_strdup_printf ("{\"login\":\"claire.dubois\",\"password\":\"%s\"}", code);
  yes = request ("POST", "/auth/reset/match", JSON, body, NULL);
  g_assert_cmpstr (yes->body, ==, "{\"match\":true}");
  no = request ("POST", "/auth/reset/match", JSON, "{\"login\":\"claire.dubois\",\"password\":\"abcdefgh\"}", NULL);
  g_assert_cmpstr (no->body, ==, "{\"match\":false}");
  bad = request ("POST", "/auth/reset/match", JSON, "pas du JSON", NULL);
  g_assert_cmpuint (bad->status, ==, 400);

  form = soup_form_encode ("login", "claire.dubois", "resetCode", code, "password", "court",
                           "confirmPassword", "court", NULL);
  invalid = request ("POST", "/auth/reset", FORM, form, NULL);
  message = form_error (invalid);
  g_assert_cmpstr (message, ==, FR_RESET_ERROR);

  g_free (form);
  form = soup_form_encode ("login", "claire.dubois", "resetCode", code, "password", "Vacances2026",
                           "confirmPassword", "Vacances2026", "callback", "/welcome", NULL);
  done = request ("POST", "/auth/reset", FORM, form, NULL);
  assert_location (done, "/welcome");
  g_free (body);
  body = g_strdup_printf ("{\"login\":\"claire.dubois\",\"password\":\"%s\"}", code);
  expired = request ("POST", "/auth/reset/match", JSON, body, NULL);
  g_assert_cmpstr (expired->body, ==, "{\"match\":false}");
}

/* Correction 6: stale cookies and missing credentials. */
static void
test_stale_cookie (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) put = NULL;
  g_autoptr(Answer) post = NULL;
  g_autoptr(Answer) get = NULL;
  g_autoptr(Answer) anonymous_post = NULL;
  g_autoptr(Answer) bad_bearer = NULL;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);
  carnet_test_ent_expire_sessions (ent);

  put = request ("PUT", "/auth/cgu/revalidate", NULL, NULL, &cookies);
  g_assert_cmpuint (put->status, ==, 403);
  g_assert_cmpstr (put->body, ==, "{\"error\":\"invalid.xsrf.token\"}");
  post = request ("POST", "/directory/user/mailstate", JSON, "{\"key\":\"123456\"}", &cookies);
  g_assert_cmpuint (post->status, ==, 403);
  get = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  assert_login_redirect (get, "/directory/user/mailstate");

  anonymous_post = request ("POST", "/auth/changePassword", FORM, "login=a", NULL);
  g_assert_cmpuint (anonymous_post->status, ==, 403);
  bad_bearer = request_full ("GET", "/auth/oauth2/userinfo", NULL, NULL, NULL, FALSE,
                             "Authorization", "Bearer not-a-token");
  assert_login_redirect (bad_bearer, "/auth/oauth2/userinfo");
  cookies_clear (&cookies);
}

/* Corrections 9 and 11: the charter and email 302s
 * (L:…/MandatoryUserValidationFilter.java:44-60,179-208); userinfo's flags. */
static void
test_forced_steps (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) infos = NULL;
  g_autoptr(Answer) mailstate = NULL;
  g_autoptr(Answer) put = NULL;
  g_autoptr(Answer) children = NULL;
  g_autoptr(Answer) requirements = NULL;
  g_autoptr(Answer) userinfo = NULL;
  g_autoptr(Answer) cgu = NULL;
  g_autoptr(Answer) infos2 = NULL;
  g_autoptr(Answer) mailstate2 = NULL;
  g_autoptr(Answer) userinfo2 = NULL;
  g_autoptr(Answer) requirements2 = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *expected = NULL;
  JsonObject *object;

  setup ();
  logged = login ("nathalie.martin", "Soleil2026", &cookies);

  infos = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  assert_location (infos, "/auth/revalidate-terms");
  mailstate = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  assert_location (mailstate, "/auth/revalidate-terms");
  put = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"n@example.fr\"}", &cookies);
  assert_location (put, "/auth/revalidate-terms");
  children = request ("GET", "/directory/user/u-nathalie/children", NULL, NULL, &cookies);
  assert_location (children, "/auth/revalidate-terms");
  requirements = request ("GET", "/auth/user/requirements", NULL, NULL, &cookies);
  object = answer_object (requirements, &n1);
  g_assert_true (json_object_get_boolean_member (object, "needRevalidateTerms"));
  g_assert_true (json_object_get_boolean_member (object, "needRevalidateEmail"));
  userinfo = request ("GET", "/auth/oauth2/userinfo", NULL, NULL, &cookies);
  object = answer_object (userinfo, &n2);
  g_assert_true (json_object_get_null_member (object, "forceChangePassword"));
  g_assert_true (json_object_get_boolean_member (object, "needRevalidateTerms"));

  cgu = request ("PUT", "/auth/cgu/revalidate", NULL, NULL, &cookies);
  g_assert_cmpuint (cgu->status, ==, 204);

  /* Now the email step; mailstate itself is let through. */
  infos2 = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  redirect = url ("/directory/myinfos");
  {
    g_autofree char *encoded = g_uri_escape_string (redirect, NULL, FALSE);

    expected = g_strdup_printf ("/auth/validate-mail?force=true&type=email&redirect=%s", encoded);
  }
  assert_location (infos2, expected);
  mailstate2 = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  g_assert_cmpuint (mailstate2->status, ==, 200);

  /* userinfo keeps the charter flag of the login (stale); requirements
   * is the truth. */
  userinfo2 = request ("GET", "/auth/oauth2/userinfo", NULL, NULL, &cookies);
  g_assert_true (json_object_get_boolean_member (answer_object (userinfo2, &n3), "needRevalidateTerms"));
  requirements2 = request ("GET", "/auth/user/requirements", NULL, NULL, &cookies);
  g_assert_false (json_object_get_boolean_member (answer_object (requirements2, &n4), "needRevalidateTerms"));
  cookies_clear (&cookies);
}

/* Correction 13: minor points. */
static void
test_minor (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) no_service = NULL;
  g_autoptr(Answer) context = NULL;
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) logout = NULL;
  g_autoptr(Answer) with_callback = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *form = NULL;
  const char *set_cookie;

  setup ();
  no_service = request ("POST", "/auth/forgot-password", JSON, "{\"login\":\"karim.benali\"}", NULL);
  g_assert_cmpuint (no_service->status, ==, 400);
  g_assert_cmpstr (no_service->body, ==, "{\"error\":\"invalid.login\"}");

  context = request ("GET", "/auth/context", NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer_object (context, &node),
                                                                         "mfaConfig")), ==, 0);

  form = soup_form_encode ("email", "karim.benali", "password", "Cartable2026",
                           "callBack", "/directory/myinfos", NULL);
  with_callback = request ("POST", "/auth/login", FORM, form, NULL);
  assert_location (with_callback, "/directory/myinfos");

  logged = login ("karim.benali", "Cartable2026", &cookies);
  logout = request ("GET", "/auth/logout?callback=/", NULL, NULL, &cookies);
  g_assert_cmpuint (logout->status, ==, 302);
  set_cookie = soup_message_headers_get_list (logout->headers, "Set-Cookie");
  g_assert_nonnull (strstr (set_cookie, "oneSessionId=;"));
  g_assert_null (strstr (set_cookie, "XSRF-TOKEN"));
  cookies_clear (&cookies);
}

/* The harness additions: set_password and set_user_flag. */
static void
test_harness_flags (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) terms = NULL;
  g_autoptr(Answer) forced = NULL;
  g_autoptr(Answer) old = NULL;
  g_autoptr(Answer) dropped = NULL;
  g_autoptr(Answer) fresh = NULL;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);
  carnet_test_ent_set_user_flag (ent, "karim.benali", "needRevalidateTerms", TRUE);
  terms = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  assert_location (terms, "/auth/revalidate-terms");
  carnet_test_ent_set_user_flag (ent, "karim.benali", "needRevalidateTerms", FALSE);
  carnet_test_ent_set_user_flag (ent, "karim.benali", "forceChangePassword", TRUE);
  forced = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  assert_location (forced, "/auth/reset/forceChangePassword?callback=%2Fdirectory%2Fmyinfos");
  carnet_test_ent_set_user_flag (ent, "karim.benali", "forceChangePassword", FALSE);

  carnet_test_ent_set_password (ent, "karim.benali", "Nouveau2026");
  dropped = request ("GET", "/directory/myinfos", NULL, NULL, &cookies);
  g_assert_cmpuint (dropped->status, ==, 302);
  old = login ("karim.benali", "Cartable2026", NULL);
  assert_login_page_error (old, FR_AUTH_FAILED_HTML);
  fresh = login ("karim.benali", "Nouveau2026", NULL);
  g_assert_cmpuint (fresh->status, ==, 302);
  cookies_clear (&cookies);
}

/* --- the timeline (issue 16; CONTRACT.md "Timeline") ------------------------ */

#define V3 "application/json;version=3.0"

static Answer *
timeline_get (const char *path,
              Cookies    *cookies)
{
  return request_full ("GET", path, NULL, NULL, cookies, TRUE, "Accept", V3);
}

static JsonArray *
notifications (const char *path,
               Cookies    *cookies,
               JsonNode  **node,
               gint64     *number)
{
  g_autoptr(Answer) answer = timeline_get (path, cookies);
  JsonObject *object;

  g_assert_no_error (answer->error);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (answer->headers, NULL),
                                   "application/json"));
  /* The persistor's reply with its results replaced in place (TC:349). */
  g_assert_true (g_str_has_prefix (answer->body, "{\"results\":["));
  object = answer_object (answer, node);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  *number = json_object_get_int_member (object, "number");

  return json_object_get_array_member (object, "results");
}

static const char *
item_string (JsonArray  *items,
             guint       index,
             const char *member)
{
  return json_object_get_string_member_with_default (json_array_get_object_element (items, index), member, NULL);
}

static const char *
item_param (JsonArray  *items,
            guint       index,
            const char *member)
{
  JsonObject *params = json_object_get_object_member (json_array_get_object_element (items, index), "params");

  return json_object_get_string_member_with_default (params, member, NULL);
}

static void
test_timeline_seed (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  JsonObject *first;
  JsonArray *recipients;
  gint64 number = 0;
  gint64 previous = G_MAXINT64;
  g_autofree char *expected = NULL;
  const char *uri;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);
  items = notifications ("/timeline/lastNotifications?page=0", &cookies, &node, &number);

  g_assert_cmpint (number, ==, 3);
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_cmpstr (item_string (items, 0, "type"), ==, "MESSAGERIE");
  g_assert_cmpstr (item_string (items, 0, "event-type"), ==, "SEND-MESSAGE");
  g_assert_cmpstr (item_string (items, 1, "type"), ==, "WORKSPACE");
  g_assert_cmpstr (item_string (items, 2, "type"), ==, "NEWS");
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *date = json_object_get_object_member (json_array_get_object_element (items, i), "date");
      gint64 ms = json_object_get_int_member (date, "$date");

      /* Milliseconds, newest first. */
      g_assert_cmpint (ms, >, 1700000000000);
      g_assert_cmpint (ms, <, previous);
      previous = ms;
      g_assert_nonnull (item_string (items, i, "_id"));
    }

  /* The compiled messagerie.send-message template, escaped, on the ENT's host. */
  first = json_array_get_object_element (items, 0);
  g_assert_cmpstr (item_string (items, 0, "sender"), ==, "u-sophie-lefevre");
  g_assert_cmpstr (item_param (items, 0, "username"), ==, "Sophie Lefèvre");
  uri = item_param (items, 0, "messageUri");
  g_assert_true (g_str_has_prefix (uri, "/conversation/conversation#/read-mail/"));
  expected = g_strdup_printf ("<a href=\"%1$s/userbook/annuaire#u-sophie-lefevre#Teacher\">Sophie Lefèvre</a>\n"
                              "<br /><span>vous a envoyé un message </span>: "
                              "<a href=\"%1$s%2$s\">Réunion parents-professeurs de la 5ème C</a>.\n",
                              carnet_test_ent_get_url (ent), uri);
  g_assert_cmpstr (json_object_get_string_member (first, "message"), ==, expected);
  recipients = json_object_get_array_member (first, "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (recipients, 0), "userId"), ==, "u-karim");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (recipients, 0), "unread"), ==, 1);

  g_assert_nonnull (strstr (item_string (items, 1, "message"), "a partagé avec vous le document</span>"));
  g_assert_nonnull (strstr (item_string (items, 1, "message"), "&nbsp;dans le dossier&nbsp;"));

  /* The stored message, markup and entities as they are; no sender. */
  g_assert_false (json_object_has_member (json_array_get_object_element (items, 2), "sender"));
  g_assert_nonnull (strstr (item_string (items, 2, "message"), "Sortie au musée <b>jeudi</b> &amp; pique-nique"));
  g_assert_nonnull (strstr (item_string (items, 2, "message"), "<span foreground=\"red\""));
  g_assert_nonnull (strstr (item_string (items, 2, "message"), "<a href=\"/actualites#/view/thread/12/info/345\">"));

  /* Never marked read by reading. */
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 3);
  recipients = json_object_get_array_member (json_array_get_object_element (items, 0), "recipients");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (recipients, 0), "unread"), ==, 1);
  cookies_clear (&cookies);
}

static void
test_timeline_paging (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  gint64 number = 0;

  setup ();
  /* Oldest first, a second of the ENT's clock apart: "Message 1" is the
   * newest however slowly the requests go. */
  for (int i = 30; i >= 1; i--)
    {
      g_autofree char *subject = g_strdup_printf ("Message %d", i);
      g_autofree char *id = carnet_test_ent_publish_notification (ent, "karim.benali", "MESSAGERIE", "SEND-MESSAGE",
                                                                  "Sophie Lefèvre", subject, NULL, 0);

      g_assert_nonnull (id);
      carnet_test_ent_advance_clock (ent, 1);
    }
  logged = login ("karim.benali", "Cartable2026", &cookies);

  items = notifications ("/timeline/lastNotifications?page=0", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 25);
  g_assert_cmpuint (json_array_get_length (items), ==, 25);
  g_assert_cmpstr (item_param (items, 0, "subject"), ==, "Message 1");
  g_assert_cmpstr (item_param (items, 24, "subject"), ==, "Message 25");

  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications?page=1", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 8);
  g_assert_cmpstr (item_param (items, 0, "subject"), ==, "Message 26");
  g_assert_cmpstr (item_string (items, 7, "type"), ==, "NEWS");

  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications?page=2", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 0);
  g_assert_cmpuint (json_array_get_length (items), ==, 0);

  /* Not a number: page 0 (TC:331-333). */
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications?page=deux", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 25);
  g_assert_cmpstr (item_param (items, 0, "subject"), ==, "Message 1");

  /* type filters, repeated, exact. */
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications?type=NEWS", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 1);
  g_assert_cmpstr (item_string (items, 0, "type"), ==, "NEWS");
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications?page=0&type=NEWS&type=WORKSPACE", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 2);
  g_assert_cmpstr (item_string (items, 0, "type"), ==, "WORKSPACE");
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications?type=news", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 0);

  /* Someone else's notifications are not Karim's, and back to the seed. */
  carnet_test_ent_reset (ent);
  cookies_clear (&cookies);
  g_clear_pointer (&logged, answer_free);
  logged = login ("claire.dubois", "Rentree2026", &cookies);
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 0);
  cookies_clear (&cookies);
}

static void
test_timeline_clock (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) types = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *later = NULL;
  g_autofree char *hostile = NULL;
  g_autofree char *custom = NULL;
  JsonArray *items;
  gint64 number = 0;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);

  /* Dated in the future: hidden until the ENT's clock passes it (ES:104). */
  later = carnet_test_ent_publish_notification (ent, "karim.benali", "WORKSPACE", "SHARE", "Marc Petit",
                                                "Emploi du temps.pdf", NULL, 600);
  items = notifications ("/timeline/lastNotifications", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 3);
  carnet_test_ent_advance_clock (ent, 601);
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications", &cookies, &node, &number);
  g_assert_cmpint (number, ==, 4);
  g_assert_cmpstr (item_string (items, 0, "_id"), ==, later);

  /* A subject goes through {{subject}}: escaped as jmustache does. */
  hostile = carnet_test_ent_publish_notification (ent, "karim.benali", "MESSAGERIE", "SEND-MESSAGE",
                                                  "Sophie Lefèvre", "<b>Conseil</b> & \"classe\" = 5C", NULL, 0);
  carnet_test_ent_advance_clock (ent, 1);
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications", &cookies, &node, &number);
  g_assert_cmpstr (item_string (items, 0, "_id"), ==, hostile);
  g_assert_nonnull (strstr (item_string (items, 0, "message"),
                            ">&lt;b&gt;Conseil&lt;/b&gt; &amp; &quot;classe&quot; &#x3D; 5C</a>."));

  /* Any type with a stored message; /timeline/types sees it. */
  custom = carnet_test_ent_publish_notification (ent, "karim.benali", "SCHOOLBOOK", "WORD", NULL, NULL,
                                                 "<p>Mot du <i>cahier de liaison</i></p>", 0);
  carnet_test_ent_advance_clock (ent, 1);
  g_clear_pointer (&node, json_node_unref);
  items = notifications ("/timeline/lastNotifications", &cookies, &node, &number);
  g_assert_cmpstr (item_string (items, 0, "_id"), ==, custom);
  g_assert_cmpstr (item_string (items, 0, "message"), ==, "<p>Mot du <i>cahier de liaison</i></p>");
  types = request ("GET", "/timeline/types", NULL, NULL, &cookies);
  g_assert_cmpuint (types->status, ==, 200);
  g_assert_cmpstr (types->body, ==, "[\"NEWS\",\"WORKSPACE\",\"MESSAGERIE\",\"SCHOOLBOOK\"]");
  cookies_clear (&cookies);
}

static void
test_timeline_types_i18n (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) types = NULL;
  g_autoptr(Answer) i18n = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *bundle;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);
  types = request ("GET", "/timeline/types", NULL, NULL, &cookies);
  g_assert_cmpuint (types->status, ==, 200);
  g_assert_cmpstr (types->body, ==, "[\"NEWS\",\"WORKSPACE\",\"MESSAGERIE\"]");

  i18n = request ("GET", "/timeline/i18nNotifications", NULL, NULL, &cookies);
  g_assert_cmpuint (i18n->status, ==, 200);
  bundle = answer_object (i18n, &node);
  g_assert_cmpstr (json_object_get_string_member (bundle, "messagerie"), ==, "Messagerie");
  g_assert_cmpstr (json_object_get_string_member (bundle, "messagerie.send-message"), ==, "Réception d'un message");
  g_assert_cmpstr (json_object_get_string_member (bundle, "workspace.share"), ==, "Partage d'un fichier");
  g_assert_cmpstr (json_object_get_string_member (bundle, "workspace"), ==, "Espace documentaire");
  g_assert_cmpstr (json_object_get_string_member (bundle, "news"), ==, "Actualités");
  g_assert_cmpstr (json_object_get_string_member (bundle, "news.news-published"), ==, "Publication d'une actualité");
  g_assert_cmpstr (json_object_get_string_member (bundle, "timeline.conversation.sent.message"), ==,
                   "vous a envoyé un message ");
  cookies_clear (&cookies);
}

static void
test_timeline_flash (void)
{
  Cookies cookies = { 0 };
  Cookies claire = { 0 };
  Cookies other_school = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) logged_claire = NULL;
  g_autoptr(Answer) logged_other = NULL;
  g_autoptr(Answer) list = NULL;
  g_autoptr(Answer) no_token = NULL;
  g_autoptr(Answer) marked = NULL;
  g_autoptr(Answer) again = NULL;
  g_autoptr(Answer) after = NULL;
  g_autoptr(Answer) unknown = NULL;
  g_autoptr(Answer) not_number = NULL;
  g_autoptr(Answer) still = NULL;
  g_autoptr(Answer) elsewhere = NULL;
  g_autoptr(Answer) early = NULL;
  g_autoptr(Answer) started = NULL;
  g_autoptr(Answer) ended = NULL;
  gint64 id;

  setup ();
  logged = login ("karim.benali", "Cartable2026", &cookies);
  list = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &cookies);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpstr (list->body, ==,
                   "[{\"id\":1,\"contents\":{\"fr\":\"<p>En raison d'un mouvement de grève, la cantine du "
                   "<b>Collège Jean Jaurès</b> sera fermée le <span style=\\\"color: red\\\">12 décembre</span>. "
                   "Merci de prévoir un repas froid &amp; une bouteille d'eau.</p>\"},"
                   "\"title\":\"Grève du 12 décembre\",\"color\":\"orange\",\"customColor\":null,"
                   "\"signature\":\"La direction\",\"signatureColor\":null}]");

  no_token = request_full ("PUT", "/timeline/flashmsg/1/markasread", NULL, NULL, &cookies, FALSE, NULL, NULL);
  g_assert_cmpuint (no_token->status, ==, 403);
  g_assert_cmpstr (no_token->body, ==, "{\"error\":\"invalid.xsrf.token\"}");
  g_assert_false (carnet_test_ent_flash_message_is_read (ent, "karim.benali", 1));

  marked = request ("PUT", "/timeline/flashmsg/1/markasread", NULL, NULL, &cookies);
  g_assert_cmpuint (marked->status, ==, 200);
  g_assert_cmpstr (marked->body, ==, "{}");
  g_assert_true (carnet_test_ent_flash_message_is_read (ent, "karim.benali", 1));
  again = request ("PUT", "/timeline/flashmsg/1/markasread", NULL, NULL, &cookies);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (again->body, ==, "{}");
  after = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &cookies);
  g_assert_cmpstr (after->body, ==, "[]");

  unknown = request ("PUT", "/timeline/flashmsg/999/markasread", NULL, NULL, &cookies);
  g_assert_cmpuint (unknown->status, ==, 400);
  g_assert_nonnull (strstr (unknown->body, "\"error\""));
  not_number = request ("PUT", "/timeline/flashmsg/abc/markasread", NULL, NULL, &cookies);
  g_assert_cmpuint (not_number->status, ==, 400);

  /* Read per user; only the parents of the message's school see it. */
  logged_claire = login ("claire.dubois", "Rentree2026", &claire);
  still = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &claire);
  g_assert_nonnull (strstr (still->body, "\"id\":1,"));
  g_assert_false (carnet_test_ent_flash_message_is_read (ent, "claire.dubois", 1));
  logged_other = login ("claire.dubois1", "Rentree2026", &other_school);
  elsewhere = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &other_school);
  g_assert_cmpstr (elsewhere->body, ==, "[]");

  /* From its start to its end, on the ENT's clock; no colour: customColor. */
  id = carnet_test_ent_add_flash_message (ent, "Photo de classe", "<p>Lundi <i>9 h</i></p>", NULL, 60, 600);
  g_assert_cmpint (id, ==, 2);
  early = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &cookies);
  g_assert_cmpstr (early->body, ==, "[]");
  carnet_test_ent_advance_clock (ent, 61);
  started = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &cookies);
  g_assert_cmpstr (started->body, ==,
                   "[{\"id\":2,\"contents\":{\"fr\":\"<p>Lundi <i>9 h</i></p>\"},\"title\":\"Photo de classe\","
                   "\"color\":null,\"customColor\":\"#1E88E5\",\"signature\":null,\"signatureColor\":null}]");
  carnet_test_ent_advance_clock (ent, 600);
  ended = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &cookies);
  g_assert_cmpstr (ended->body, ==, "[]");

  cookies_clear (&cookies);
  cookies_clear (&claire);
  cookies_clear (&other_school);
}

static void
test_timeline_filters (void)
{
  static const char * const paths[] = {
    "/timeline/lastNotifications", "/timeline/types", "/timeline/i18nNotifications",
    "/timeline/flashmsg/listuser", NULL
  };
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) anonymous_put = NULL;
  g_autoptr(Answer) failed = NULL;
  g_autoptr(Answer) malformed = NULL;
  g_autoptr(Answer) expired_fault = NULL;
  g_autoptr(Answer) slow = NULL;
  g_autoptr(Answer) expired = NULL;
  g_autoptr(Answer) terms = NULL;
  gint64 start;

  setup ();
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(Answer) anonymous = timeline_get (paths[i], NULL);

      assert_login_redirect (anonymous, paths[i]);
    }
  anonymous_put = request ("PUT", "/timeline/flashmsg/1/markasread", NULL, NULL, NULL);
  g_assert_cmpuint (anonymous_put->status, ==, 403);

  logged = login ("karim.benali", "Cartable2026", &cookies);
  carnet_test_ent_set_fault (ent, "/timeline/lastNotifications", "500", 0, 1);
  failed = timeline_get ("/timeline/lastNotifications", &cookies);
  g_assert_cmpuint (failed->status, ==, 500);
  carnet_test_ent_set_fault (ent, "/timeline/lastNotifications", "malformed", 0, 1);
  malformed = timeline_get ("/timeline/lastNotifications", &cookies);
  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_null (json_from_string (malformed->body, NULL));
  /* The fault clears the cookies it was sent; the session itself lives on. */
  {
    Cookies copy = { g_strdup (cookies.session_id), g_strdup (cookies.xsrf) };

    carnet_test_ent_set_fault (ent, "/timeline/lastNotifications", "expire-session", 0, 1);
    expired_fault = timeline_get ("/timeline/lastNotifications", &copy);
    assert_login_redirect (expired_fault, "/timeline/lastNotifications");
    cookies_clear (&copy);
  }
  carnet_test_ent_set_fault (ent, "/timeline/flashmsg/listuser", "latency", 300, 1);
  start = g_get_monotonic_time ();
  slow = request ("GET", "/timeline/flashmsg/listuser", NULL, NULL, &cookies);
  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);

  /* The account's steps come first, as on every secured route. */
  carnet_test_ent_set_user_flag (ent, "karim.benali", "needRevalidateTerms", TRUE);
  terms = timeline_get ("/timeline/lastNotifications", &cookies);
  assert_location (terms, "/auth/revalidate-terms");
  carnet_test_ent_set_user_flag (ent, "karim.benali", "needRevalidateTerms", FALSE);

  carnet_test_ent_expire_sessions (ent);
  expired = timeline_get ("/timeline/lastNotifications?page=1", &cookies);
  assert_login_redirect (expired, "/timeline/lastNotifications?page=1");
  cookies_clear (&cookies);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ent = carnet_test_ent_start ();
  session = carnet_test_ent_new_soup_session (ent);

  g_test_add_func ("/ent-server/login/success", test_login_success);
  g_test_add_func ("/ent-server/login/failures", test_login_failures);
  g_test_add_func ("/ent-server/login/ban", test_login_ban);
  g_test_add_func ("/ent-server/csrf", test_csrf);
  g_test_add_func ("/ent-server/session/expired", test_session_expired);
  g_test_add_func ("/ent-server/activation", test_activation);
  g_test_add_func ("/ent-server/mail-code", test_mail_code);
  g_test_add_func ("/ent-server/forgot-id", test_forgot_id);
  g_test_add_func ("/ent-server/reset", test_reset);
  g_test_add_func ("/ent-server/oauth2", test_oauth2);
  g_test_add_func ("/ent-server/charter", test_charter);
  g_test_add_func ("/ent-server/faults", test_faults);
  g_test_add_func ("/ent-server/restart", test_restart);
  g_test_add_func ("/ent-server/i18n", test_i18n);
  g_test_add_func ("/ent-server/login/reset-code", test_login_reset_code);
  g_test_add_func ("/ent-server/change-password", test_change_password);
  g_test_add_func ("/ent-server/force-change", test_force_change);
  g_test_add_func ("/ent-server/reset-match", test_reset_match);
  g_test_add_func ("/ent-server/stale-cookie", test_stale_cookie);
  g_test_add_func ("/ent-server/forced-steps", test_forced_steps);
  g_test_add_func ("/ent-server/minor", test_minor);
  g_test_add_func ("/ent-server/harness-flags", test_harness_flags);
  g_test_add_func ("/ent-server/timeline/seed", test_timeline_seed);
  g_test_add_func ("/ent-server/timeline/paging", test_timeline_paging);
  g_test_add_func ("/ent-server/timeline/clock", test_timeline_clock);
  g_test_add_func ("/ent-server/timeline/types-i18n", test_timeline_types_i18n);
  g_test_add_func ("/ent-server/timeline/flash", test_timeline_flash);
  g_test_add_func ("/ent-server/timeline/filters", test_timeline_filters);

  status = g_test_run ();

  g_object_unref (session);
  carnet_test_ent_stop (ent);

  return status;
}
