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
  expected = g_strdup_printf ("%s/", carnet_test_ent_get_url (ent));
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

static void
test_login_failures (void)
{
  g_autoptr(Answer) wrong = NULL;
  g_autoptr(Answer) blocked = NULL;
  g_autoptr(Answer) provisional = NULL;
  g_autoptr(Answer) unknown = NULL;

  setup ();
  wrong = login ("karim.benali", "Mauvais2026", NULL);
  g_assert_cmpuint (wrong->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (wrong->headers, NULL), "text/html"));
  g_assert_nonnull (strstr (wrong->body, "auth.error.authenticationFailed"));
  g_assert_null (soup_message_headers_get_one (wrong->headers, "Set-Cookie"));

  unknown = login ("personne", "Mauvais2026", NULL);
  g_assert_nonnull (strstr (unknown->body, "auth.error.authenticationFailed"));

  blocked = login ("bloque.parent", "Bloque2026", NULL);
  g_assert_cmpuint (blocked->status, ==, 200);
  g_assert_nonnull (strstr (blocked->body, "auth.error.blockedUser"));

  provisional = login ("frederic", "7KQ4M2PX", NULL);
  g_assert_cmpuint (provisional->status, ==, 200);
  g_assert_nonnull (strstr (provisional->body, "action=\"/auth/activation\""));
  g_assert_null (strstr (provisional->body, "auth.error"));
}

static void
test_login_ban (void)
{
  setup ();
  for (int i = 1; i <= 5; i++)
    {
      g_autoptr(Answer) answer = login ("claire.dubois", "Mauvais2026", NULL);

      g_assert_cmpuint (answer->status, ==, 200);
      g_assert_nonnull (strstr (answer->body, "auth.error.authenticationFailed"));
    }

  {
    g_autoptr(Answer) right = login ("claire.dubois", "Rentree2026", NULL);

    g_assert_cmpuint (right->status, ==, 200);
    g_assert_nonnull (strstr (right->body, "auth.error.ban"));
  }

  /* Other accounts are not affected. */
  {
    g_autoptr(Answer) other = login ("claire.dubois1", "Rentree2026", NULL);

    g_assert_cmpuint (other->status, ==, 302);
  }

  carnet_test_ent_advance_clock (ent, 15 * 60);
  {
    g_autoptr(Answer) after = login ("claire.dubois", "Rentree2026", NULL);

    g_assert_cmpuint (after->status, ==, 302);
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

static void
test_activation (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) match = NULL;
  g_autoptr(Answer) no_match = NULL;
  g_autoptr(Answer) invalid = NULL;
  g_autoptr(Answer) wrong_code = NULL;
  g_autoptr(Answer) done = NULL;
  g_autoptr(Answer) again = NULL;
  g_autoptr(Answer) requirements = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) node3 = NULL;
  g_autoptr(JsonNode) node4 = NULL;
  g_autoptr(JsonNode) node5 = NULL;
  g_autofree char *bad_form = NULL;
  g_autofree char *wrong_form = NULL;
  g_autofree char *good_form = NULL;
  g_autofree char *host_url = NULL;
  JsonObject *object;
  const char *message;

  setup ();
  match = request ("POST", "/auth/activation/match", JSON,
                   "{\"login\":\"frederic\",\"password\":\"7KQ4M2PX\"}", NULL);
  g_assert_cmpstr (match->body, ==, "{\"match\":true}");
  no_match = request ("POST", "/auth/activation/match", JSON,
                      "{\"login\":\"frederic\",\"password\":\"XXXXXXXX\"}", NULL);
  g_assert_cmpstr (no_match->body, ==, "{\"match\":false}");

  bad_form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                               "password", "Jardin2026", "confirmPassword", "Jardin2027",
                               "mail", "pas-une-adresse", NULL);
  invalid = request ("POST", "/auth/activation", FORM, bad_form, NULL);
  g_assert_cmpuint (invalid->status, ==, 200);
  object = answer_object (invalid, &node);
  message = json_object_get_string_member (json_object_get_object_member (object, "error"), "message");
  g_assert_nonnull (strstr (message, "invalid.cgu"));
  g_assert_nonnull (strstr (message, "<br />"));
  g_assert_nonnull (strstr (message, "ne correspondent pas"));
  g_assert_cmpstr (json_object_get_string_member (object, "activationCode"), ==, "7KQ4M2PX");
  g_assert_cmpstr (json_object_get_string_member (object, "login"), ==, "frederic");

  wrong_form = soup_form_encode ("login", "frederic", "activationCode", "AAAAAAAA",
                                 "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                 "mail", "frederic.martin@example.fr", "acceptCGU", "true", NULL);
  wrong_code = request ("POST", "/auth/activation", FORM, wrong_form, NULL);
  g_assert_cmpuint (wrong_code->status, ==, 200);
  object = answer_object (wrong_code, &node2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"),
                   ==, "activation.error");

  good_form = soup_form_encode ("login", "frederic", "activationCode", "7KQ4M2PX",
                                "password", "Jardin2026", "confirmPassword", "Jardin2026",
                                "mail", "frederic.martin@example.fr", "acceptCGU", "true",
                                "theme", "", "callBack", "", NULL);
  done = request ("POST", "/auth/activation", FORM, good_form, &cookies);
  g_assert_cmpuint (done->status, ==, 302);
  host_url = g_strdup (carnet_test_ent_get_url (ent));
  g_assert_cmpstr (soup_message_headers_get_one (done->headers, "Location"), ==, host_url);
  g_assert_nonnull (cookies.session_id);
  g_assert_true (carnet_test_ent_check_password (ent, "frederic", "Jardin2026"));
  object = user_record ("frederic", &node3);
  g_assert_true (json_object_get_boolean_member (object, "activated"));
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "frederic.martin@example.fr");
  g_assert_false (json_object_get_boolean_member (object, "emailValidated"));

  requirements = request ("GET", "/auth/user/requirements", NULL, NULL, &cookies);
  object = answer_object (requirements, &node4);
  g_assert_true (json_object_get_boolean_member (object, "needRevalidateEmail"));
  g_assert_false (json_object_get_boolean_member (object, "needRevalidateTerms"));

  /* Already active: the same form fails. */
  again = request ("POST", "/auth/activation", FORM, good_form, NULL);
  object = answer_object (again, &node5);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"),
                   ==, "activation.error");
  cookies_clear (&cookies);
}

static void
test_mail_code (void)
{
  Cookies cookies = { 0 };
  g_autoptr(Answer) logged = NULL;
  g_autoptr(Answer) state = NULL;
  g_autoptr(Answer) put = NULL;
  g_autoptr(Answer) early = NULL;
  g_autoptr(Answer) wrong = NULL;
  g_autoptr(Answer) right = NULL;
  g_autoptr(Answer) put2 = NULL;
  g_autoptr(Answer) late = NULL;
  g_autoptr(JsonNode) n1 = NULL, n2 = NULL, n3 = NULL, n4 = NULL, n5 = NULL;
  g_autofree char *code = NULL;
  g_autofree char *body = NULL;
  g_autofree char *mail = NULL;
  JsonObject *object;

  setup ();
  logged = login ("nathalie.martin", "Soleil2026", &cookies);
  state = request ("GET", "/directory/user/mailstate", NULL, NULL, &cookies);
  object = answer_object (state, &n1);
  g_assert_cmpint (json_object_get_int_member (object, "waitInSeconds"), ==, 10);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "emailState"), "state"),
                   ==, "unchecked");

  put = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"nathalie.m@example.fr\"}", &cookies);
  g_assert_cmpuint (put->status, ==, 200);
  g_assert_cmpuint (put->length, ==, 0);
  mail = carnet_test_ent_last_mail (ent, "nathalie.m@example.fr");
  g_assert_nonnull (strstr (mail, "Content-Type: text/plain; charset=utf-8"));
  g_assert_nonnull (strstr (mail, "To: nathalie.m@example.fr"));
  code = carnet_test_ent_last_mail_code (ent, "nathalie.m@example.fr");
  g_assert_cmpuint (strlen (code), ==, 6);

  early = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"nathalie.m@example.fr\"}", &cookies);
  g_assert_cmpuint (early->status, ==, 429);

  wrong = request ("POST", "/directory/user/mailstate", JSON,
                   g_str_equal (code, "000000") ? "{\"key\":\"111111\"}" : "{\"key\":\"000000\"}", &cookies);
  object = answer_object (wrong, &n2);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (object, "tries"), ==, 4);

  body = g_strdup_printf ("{\"key\":\"%s\"}", code);
  right = request ("POST", "/directory/user/mailstate", JSON, body, &cookies);
  object = answer_object (right, &n3);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "valid");
  object = user_record ("nathalie.martin", &n4);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "nathalie.m@example.fr");
  g_assert_true (json_object_get_boolean_member (object, "emailValidated"));

  /* A code lives 600 s. */
  carnet_test_ent_advance_clock (ent, 11);
  put2 = request ("PUT", "/directory/user/mailstate", JSON, "{\"email\":\"autre@example.fr\"}", &cookies);
  g_assert_cmpuint (put2->status, ==, 200);
  g_free (code);
  code = carnet_test_ent_last_mail_code (ent, "autre@example.fr");
  carnet_test_ent_advance_clock (ent, 601);
  g_free (body);
  body = g_strdup_printf ("{\"key\":\"%s\"}", code);
  late = request ("POST", "/directory/user/mailstate", JSON, body, &cookies);
  object = answer_object (late, &n5);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "outdated");
  cookies_clear (&cookies);
}

static void
test_forgot_id (void)
{
  g_autoptr(Answer) several = NULL;
  g_autoptr(Answer) chosen = NULL;
  g_autoptr(Answer) one = NULL;
  g_autoptr(Answer) unknown = NULL;
  g_autoptr(Answer) missing = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *mail = NULL;
  JsonArray *structures;

  setup ();
  several = request ("POST", "/auth/forgot-id", JSON,
                     "{\"mail\":\"claire.dubois@example.fr\",\"service\":\"mail\"}", NULL);
  g_assert_cmpuint (several->status, ==, 200);
  structures = json_object_get_array_member (answer_object (several, &node), "structures");
  g_assert_cmpuint (json_array_get_length (structures), ==, 2);
  g_assert_null (carnet_test_ent_last_mail (ent, "claire.dubois@example.fr"));

  chosen = request ("POST", "/auth/forgot-id", JSON,
                    "{\"mail\":\"claire.dubois@example.fr\",\"service\":\"mail\","
                    "\"firstName\":\"Claire\",\"structureId\":\"jules-ferry-calais\"}", NULL);
  g_assert_cmpstr (chosen->body, ==, "{}");
  mail = carnet_test_ent_last_mail (ent, "claire.dubois@example.fr");
  g_assert_nonnull (strstr (mail, "claire.dubois1"));

  one = request ("POST", "/auth/forgot-id", JSON, "{\"mail\":\"karim.benali@example.fr\",\"service\":\"mail\"}", NULL);
  g_assert_cmpstr (one->body, ==, "{}");
  g_free (mail);
  mail = carnet_test_ent_last_mail (ent, "karim.benali@example.fr");
  g_assert_nonnull (strstr (mail, "karim.benali"));

  unknown = request ("POST", "/auth/forgot-id", JSON, "{\"mail\":\"x@example.fr\",\"service\":\"mail\"}", NULL);
  g_assert_cmpstr (unknown->body, ==, "{}");
  missing = request ("POST", "/auth/forgot-id", JSON, "{\"service\":\"mail\"}", NULL);
  g_assert_cmpuint (missing->status, ==, 400);
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

  form = soup_form_encode ("login", "karim.benali", "resetCode", code,
                           "password", "Cartable2026", "confirmPassword", "Cartable2026", NULL);
  reused = request ("POST", "/auth/reset", FORM, form, NULL);
  g_assert_cmpuint (reused->status, ==, 200);
  object = answer_object (reused, &n1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"),
                            "déjà été utilisé"));
  g_assert_cmpstr (json_object_get_string_member (object, "resetCode"), ==, code);

  g_free (form);
  form = soup_form_encode ("login", "karim.benali", "resetCode", code,
                           "password", "Cahier2026", "confirmPassword", "Cahier2026", NULL);
  done = request ("POST", "/auth/reset", FORM, form, NULL);
  g_assert_cmpuint (done->status, ==, 302);
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
  g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (object, "error"), "message"),
                            "expiré"));
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

  status = g_test_run ();

  g_object_unref (session);
  carnet_test_ent_stop (ent);

  return status;
}
