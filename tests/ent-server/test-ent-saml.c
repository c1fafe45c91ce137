/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The test ENT's EduConnect side seen from outside (issue 15): a plain
 * SoupSession with a cookie jar plays the browser, one top-level
 * navigation at a time, redirects and the identity provider's
 * auto-submitting form followed by hand, as /work/plan/SAML-FLOW.md
 * describes them. */
#include "config.h"

#include "carnet-test-ent.h"
#include "carnet-test-saml.h"

#include <json-glib/json-glib.h>
#include <string.h>

static CarnetTestEnt *ent;
static SoupSession *browser;

typedef struct
{
  guint               status;
  char               *body;
  SoupMessageHeaders *headers;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->body);
  g_clear_pointer (&answer->headers, soup_message_headers_unref);
  g_free (answer);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

#define FORM "application/x-www-form-urlencoded"

/* A top-level navigation of the browser to @uri (absolute): cookies from
 * and into the jar, no redirect followed. */
static Answer *
navigate (SoupSession *on,
          const char  *method,
          const char  *uri,
          const char  *form)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Answer *answer = g_new0 (Answer, 1);

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* 127.0.0.1's two ports are one site: SameSite cookies go. */
  soup_message_set_site_for_cookies (msg, soup_message_get_uri (msg));
  soup_message_set_is_top_level_navigation (msg, TRUE);
  if (form != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, FORM, body);
    }

  bytes = soup_session_send_and_read (on, msg, NULL, &error);
  g_assert_no_error (error);
  answer->status = soup_message_get_status (msg);
  answer->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  answer->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return answer;
}

static Answer *
get (const char *uri)
{
  return navigate (browser, "GET", uri, NULL);
}

static char *
ent_url (const char *path)
{
  return g_strconcat (carnet_test_ent_get_url (ent), path, NULL);
}

static const char *
location (Answer *answer)
{
  return soup_message_headers_get_one (answer->headers, "Location");
}

/* The Set-Cookie header of the answer for cookie @name, whole, or NULL. */
static const char *
set_cookie (Answer     *answer,
            const char *name)
{
  g_autofree char *prefix = g_strconcat (name, "=", NULL);
  SoupMessageHeadersIter iter;
  const char *header;
  const char *value;

  soup_message_headers_iter_init (&iter, answer->headers);
  while (soup_message_headers_iter_next (&iter, &header, &value))
    if (g_ascii_strcasecmp (header, "Set-Cookie") == 0 && g_str_has_prefix (value, prefix))
      return value;

  return NULL;
}

static char *
cookie_value (Answer     *answer,
              const char *name)
{
  const char *header = set_cookie (answer, name);

  g_assert_nonnull (header);
  header += strlen (name) + 1;

  return g_strndup (header, strcspn (header, ";"));
}

/* The jar's cookie @name for the ENT (as a browser would send it). */
static char *
jar_cookie (const char *name)
{
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (browser, SOUP_TYPE_COOKIE_JAR));
  g_autofree char *root = ent_url ("/");
  g_autoptr(GUri) uri = g_uri_parse (root, G_URI_FLAGS_NONE, NULL);
  GSList *cookies = soup_cookie_jar_get_cookie_list (jar, uri, TRUE);
  char *value = NULL;

  for (GSList *l = cookies; l != NULL; l = l->next)
    if (value == NULL && g_str_equal (soup_cookie_get_name (l->data), name))
      value = g_strdup (soup_cookie_get_value (l->data));
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  return value;
}

static guint
count (const char *html,
       const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;

  for (g_regex_match (regex, html, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    n++;

  return n;
}

static void
setup (void)
{
  SoupCookieJar *jar = SOUP_COOKIE_JAR (soup_session_get_feature (browser, SOUP_TYPE_COOKIE_JAR));
  GSList *cookies = soup_cookie_jar_all_cookies (jar);

  for (GSList *l = cookies; l != NULL; l = l->next)
    soup_cookie_jar_delete_cookie (jar, l->data);
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);
  carnet_test_ent_reset (ent);
}

/* The wayf with @callback, its EduConnect link, the authn redirection:
 * returns the identity provider's page (GET of the Location). */
static Answer *
start_login (const char *callback)
{
  g_autofree char *encoded = callback != NULL ? g_uri_escape_string (callback, NULL, FALSE) : NULL;
  g_autofree char *path = g_strconcat ("/auth/saml/wayf", callback != NULL ? "?callBack=" : "",
                                       callback != NULL ? encoded : "", NULL);
  g_autofree char *wayf_uri = ent_url (path);
  g_autoptr(Answer) wayf = get (wayf_uri);
  g_autoptr(Answer) authn = NULL;
  g_autofree char *link = NULL;
  g_autofree char *idp_prefix = g_strconcat (carnet_test_ent_get_idp_url (ent),
                                             "/idp/profile/SAML2/Redirect/SSO?SAMLRequest=", NULL);

  g_assert_cmpuint (wayf->status, ==, 200);
  g_assert_null (set_cookie (wayf, "relaystate"));
  link = carnet_test_html_find (wayf->body, "<a class=\"centered-text domino educonnect\" href=\"([^\"]*)\"");
  g_assert_nonnull (link);

  authn = get (link);
  g_assert_cmpuint (authn->status, ==, 302);
  g_assert_true (g_str_has_prefix (location (authn), idp_prefix));
  g_assert_nonnull (strstr (location (authn), "&RelayState="));
  g_assert_nonnull (strstr (set_cookie (authn, "relaystate"), "Max-Age=900"));
  g_assert_nonnull (strstr (set_cookie (authn, "relaystate"), "Secure"));
  if (callback != NULL)
    g_assert_nonnull (set_cookie (authn, "callback"));
  else
    g_assert_null (set_cookie (authn, "callback"));

  return get (location (authn));
}

/* Types into the identity provider's form and sends it. */
static Answer *
submit_idp_form (Answer     *page,
                 const char *username,
                 const char *password)
{
  g_autofree char *action = carnet_test_html_find (page->body,
                                                   "<form id=\"form\" method=\"post\" action=\"([^\"]*)\"");
  g_autofree char *uri = NULL;
  g_autofree char *form = soup_form_encode ("username", username, "password", password,
                                            "_eventId_proceed", "", NULL);

  g_assert_nonnull (action);
  g_assert_nonnull (strstr (page->body, "<input id=\"username\" name=\"username\""));
  g_assert_nonnull (strstr (page->body, "<input id=\"password\" name=\"password\" type=\"password\""));
  g_assert_nonnull (strstr (page->body, "<button id=\"bouton_valider\" type=\"submit\""));
  uri = g_strconcat (carnet_test_ent_get_idp_url (ent), action, NULL);

  return navigate (browser, "POST", uri, form);
}

/* What the page's onload does: POST its form (SAMLResponse, RelayState). */
static Answer *
auto_post (Answer *page)
{
  g_autofree char *action = carnet_test_html_find (page->body, "<form method=\"POST\" action=\"([^\"]*)\"");
  g_autofree char *response = carnet_test_html_find (page->body, "name=\"SAMLResponse\" value=\"([^\"]*)\"");
  g_autofree char *relay = carnet_test_html_find (page->body, "name=\"RelayState\" value=\"([^\"]*)\"");
  g_autofree char *acs = ent_url ("/auth/saml/acs");
  g_autofree char *form = NULL;

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "<body onload=\"document.forms[0].submit()\">"));
  g_assert_cmpstr (action, ==, acs);
  g_assert_nonnull (response);
  g_assert_nonnull (relay);
  form = soup_form_encode ("SAMLResponse", response, "RelayState", relay, NULL);

  return navigate (browser, "POST", action, form);
}

static JsonObject *
userinfo (JsonNode **node)
{
  g_autofree char *uri = ent_url ("/auth/oauth2/userinfo");
  g_autoptr(Answer) answer = get (uri);

  g_assert_cmpuint (answer->status, ==, 200);
  *node = json_from_string (answer->body, NULL);
  g_assert_nonnull (*node);

  return json_node_get_object (*node);
}

/* Wayf to an open ENT session as amandine.roux; returns her oneSessionId. */
static char *
log_in_amandine (const char *callback)
{
  g_autoptr(Answer) page = start_login (callback);
  g_autoptr(Answer) posted = submit_idp_form (page, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  g_autoptr(Answer) acs = auto_post (posted);

  g_assert_cmpuint (acs->status, ==, 302);

  return cookie_value (acs, "oneSessionId");
}

static void
test_login (void)
{
  g_autofree char *callback = ent_url ("/timeline/timeline");
  g_autoptr(Answer) page = NULL;
  g_autoptr(Answer) wrong = NULL;
  g_autoptr(Answer) right = NULL;
  g_autoptr(Answer) acs = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *idp_session = NULL;
  g_autofree char *expected_idp = g_strconcat (carnet_test_ent_get_idp_url (ent), "/idp", NULL);
  g_auto(GStrv) secrets = NULL;
  JsonObject *info;

  setup ();

  /* The wayf's link carries the callBack, URLEncoder-encoded. */
  {
    g_autofree char *encoded = g_uri_escape_string (callback, NULL, FALSE);
    g_autofree char *wayf_path = g_strconcat ("/auth/saml/wayf?callBack=", encoded, NULL);
    g_autofree char *wayf_uri = ent_url (wayf_path);
    g_autoptr(Answer) wayf = get (wayf_uri);
    g_autofree char *link = carnet_test_html_find (wayf->body,
                                                   "<a class=\"centered-text domino educonnect\" href=\"([^\"]*)\"");
    g_autofree char *expected = g_strconcat (carnet_test_ent_get_url (ent), "/auth/saml/authn/educonnect?callBack=",
                                             encoded, NULL);

    g_assert_nonnull (strstr (wayf->body, "Élève ou parent (ÉduConnect)"));
    g_assert_cmpstr (link, ==, expected);
  }

  page = start_login (callback);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "<html lang=\"fr\">"));
  g_assert_null (strstr (page->body, "id=\"erreur\""));

  /* A wrong password: the form again, in French, the login kept. */
  wrong = submit_idp_form (page, CARNET_TEST_EDUCONNECT_LOGIN, "mauvais-mot-de-passe");
  g_assert_cmpuint (wrong->status, ==, 200);
  g_assert_nonnull (strstr (wrong->body, "<p id=\"erreur\" role=\"alert\">Identifiant ou mot de passe incorrect.</p>"));
  g_assert_nonnull (strstr (wrong->body, "value=\"" CARNET_TEST_EDUCONNECT_LOGIN "\""));
  g_assert_null (set_cookie (wrong, "shib_idp_session"));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 0);

  /* The right one: the IdP's session, and the form that posts to the acs. */
  right = submit_idp_form (wrong, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  g_assert_nonnull (strstr (set_cookie (right, "shib_idp_session"), "Path=/idp"));
  g_assert_nonnull (strstr (set_cookie (right, "shib_idp_session"), "HttpOnly"));
  g_assert_null (strstr (right->body, CARNET_TEST_EDUCONNECT_PASSWORD));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 1);
  idp_session = cookie_value (right, "shib_idp_session");

  acs = auto_post (right);
  g_assert_cmpuint (acs->status, ==, 302);
  g_assert_cmpstr (location (acs), ==, callback);
  g_assert_nonnull (strstr (set_cookie (acs, "oneSessionId"), "HttpOnly"));
  g_assert_nonnull (strstr (set_cookie (acs, "oneSessionId"), "Secure"));
  g_assert_true (g_str_has_prefix (set_cookie (acs, "authenticated"), "authenticated=true"));
  g_assert_nonnull (set_cookie (acs, "XSRF-TOKEN"));
  g_assert_nonnull (strstr (set_cookie (acs, "callback"), "Max-Age=0"));
  session_id = cookie_value (acs, "oneSessionId");
  g_assert_true (carnet_test_ent_session_is_open (ent, session_id));
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 1);

  /* userinfo: the federated account, its children. */
  info = userinfo (&node);
  g_assert_cmpstr (json_object_get_string_member (info, "login"), ==, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  g_assert_true (json_object_get_boolean_member (info, "federated"));
  g_assert_cmpstr (json_object_get_string_member (info, "federatedIDP"), ==, expected_idp);
  g_assert_false (json_object_get_boolean_member (info, "hasPw"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "childrenIds")), ==, 2);

  /* The EduConnect password and the IdP's session are secrets to look for. */
  secrets = carnet_test_ent_get_live_secrets (ent);
  g_assert_true (g_strv_contains ((const char * const *) secrets, CARNET_TEST_EDUCONNECT_PASSWORD));
  g_assert_true (g_strv_contains ((const char * const *) secrets, idp_session));
  g_assert_true (g_strv_contains ((const char * const *) secrets, session_id));

  /* A second login is silent: the IdP answers the form to the acs at once. */
  {
    g_autoptr(Answer) again = start_login (NULL);
    g_autoptr(Answer) acs2 = NULL;
    g_autofree char *root = ent_url ("/");

    g_assert_null (strstr (again->body, "id=\"username\""));
    acs2 = auto_post (again);
    g_assert_cmpuint (acs2->status, ==, 302);
    g_assert_cmpstr (location (acs2), ==, root);
    g_assert_nonnull (set_cookie (acs2, "oneSessionId"));
    g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 1);
  }
}

static void
test_no_password (void)
{
  g_autofree char *uri = ent_url ("/auth/login");
  g_autofree char *form = soup_form_encode ("email", CARNET_TEST_EDUCONNECT_ENT_LOGIN,
                                            "password", CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  g_autoptr(Answer) answer = NULL;

  setup ();
  /* The federated account has no ENT password: the ENT's login refuses. */
  answer = navigate (browser, "POST", uri, form);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_null (set_cookie (answer, "oneSessionId"));
}

static void
test_acs_refusals (void)
{
  g_autoptr(Answer) page = NULL;
  g_autoptr(Answer) posted = NULL;
  g_autofree char *response = NULL;
  g_autofree char *relay = NULL;
  g_autofree char *acs = ent_url ("/auth/saml/acs");
  g_autofree char *login_page = ent_url ("/auth/login");
  g_autoptr(SoupSession) stranger = carnet_test_ent_new_soup_session (ent);

  setup ();
  page = start_login (NULL);
  posted = submit_idp_form (page, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  response = carnet_test_html_find (posted->body, "name=\"SAMLResponse\" value=\"([^\"]*)\"");
  relay = carnet_test_html_find (posted->body, "name=\"RelayState\" value=\"([^\"]*)\"");

  /* Without the relaystate cookie the authn set: 403 invalid_state. */
  {
    g_autofree char *form = soup_form_encode ("SAMLResponse", response, "RelayState", relay, NULL);
    g_autoptr(Answer) answer = navigate (stranger, "POST", acs, form);

    g_assert_cmpuint (answer->status, ==, 403);
    g_assert_cmpstr (answer->body, ==, "{\"error\":\"invalid_state\"}");
  }
  /* Another RelayState: the same. */
  {
    g_autofree char *form = soup_form_encode ("SAMLResponse", response, "RelayState", "autre", NULL);
    g_autoptr(Answer) answer = navigate (browser, "POST", acs, form);

    g_assert_cmpuint (answer->status, ==, 403);
  }
  /* A forged assertion: to the login page, no session. */
  {
    g_autofree char *forged = g_base64_encode ((const guchar *) "{\"type\":\"Assertion\"}\nabc", 24);
    g_autofree char *form = soup_form_encode ("SAMLResponse", forged, "RelayState", relay, NULL);
    g_autoptr(Answer) answer = navigate (browser, "POST", acs, form);

    g_assert_cmpuint (answer->status, ==, 302);
    g_assert_cmpstr (location (answer), ==, login_page);
    g_assert_null (set_cookie (answer, "oneSessionId"));
  }
  /* No SAMLResponse: 400. */
  {
    g_autofree char *form = soup_form_encode ("RelayState", relay, NULL);
    g_autoptr(Answer) answer = navigate (browser, "POST", acs, form);

    g_assert_cmpuint (answer->status, ==, 400);
  }
  /* Too late (the assertion lives 5 minutes): the login page. */
  carnet_test_ent_advance_clock (ent, 301);
  {
    g_autofree char *form = soup_form_encode ("SAMLResponse", response, "RelayState", relay, NULL);
    g_autoptr(Answer) answer = navigate (browser, "POST", acs, form);

    g_assert_cmpuint (answer->status, ==, 302);
    g_assert_cmpstr (location (answer), ==, login_page);
  }
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 0);

  /* An unknown provider. */
  {
    g_autofree char *uri = ent_url ("/auth/saml/authn/autre");
    g_autoptr(Answer) answer = get (uri);

    g_assert_cmpuint (answer->status, ==, 403);
    g_assert_cmpstr (answer->body, ==, "{\"error\":\"invalid.provider\"}");
  }
}

static void
test_select_user (void)
{
  g_autoptr(Answer) page = NULL;
  g_autoptr(Answer) posted = NULL;
  g_autoptr(Answer) picker = NULL;
  g_autoptr(Answer) chosen = NULL;
  g_autoptr(GRegex) forms = g_regex_new ("<form method=\"POST\" action=\"/auth/saml/selectUser\">(.*?)</form>",
                                         G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) second = g_string_new (NULL);
  g_autoptr(GRegex) inputs = g_regex_new ("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\" />", 0, 0, NULL);
  g_autoptr(GMatchInfo) input = NULL;
  g_autofree char *select_uri = ent_url ("/auth/saml/selectUser");
  g_autofree char *root = ent_url ("/");
  g_autofree char *login_page = ent_url ("/auth/login");
  g_autofree char *form_html = NULL;
  g_autofree char *tampered = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *info;

  setup ();
  page = start_login (NULL);
  posted = submit_idp_form (page, CARNET_TEST_EDUCONNECT_TWO_LOGIN, CARNET_TEST_EDUCONNECT_TWO_PASSWORD);
  picker = auto_post (posted);

  /* Two accounts: the picker, one form each, no session yet. */
  g_assert_cmpuint (picker->status, ==, 200);
  g_assert_null (set_cookie (picker, "oneSessionId"));
  g_assert_nonnull (strstr (picker->body, "Choisissez le compte pour vous connecter : "));
  g_assert_cmpuint (count (picker->body, "<form method=\"POST\" action=\"/auth/saml/selectUser\">"), ==, 2);
  g_assert_nonnull (strstr (picker->body, "<label class=\"three cell\">Collège Jean Jaurès</label>"));
  g_assert_nonnull (strstr (picker->body, "<label class=\"three cell\">École élémentaire Jules Ferry</label>"));
  g_assert_cmpuint (count (picker->body, ">Se connecter</button>"), ==, 2);

  /* The second form, as the browser posts it. */
  g_assert_true (g_regex_match (forms, picker->body, 0, &match));
  g_assert_true (g_match_info_next (match, NULL));
  form_html = g_match_info_fetch (match, 1);
  for (g_regex_match (inputs, form_html, 0, &input); g_match_info_matches (input); g_match_info_next (input, NULL))
    {
      g_autofree char *name = g_match_info_fetch (input, 1);
      g_autofree char *raw = g_match_info_fetch (input, 2);
      g_autofree char *value = carnet_test_html_unescape (raw);
      g_autofree char *name_enc = g_uri_escape_string (name, NULL, FALSE);
      g_autofree char *value_enc = g_uri_escape_string (value, NULL, FALSE);

      g_string_append_printf (second, "%s%s=%s", second->len > 0 ? "&" : "", name_enc, value_enc);
    }
  g_assert_nonnull (strstr (second->str, "login=" CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2 "&"));

  /* A key that does not match: the login page. */
  tampered = g_strconcat (second->str, "0", NULL);
  {
    g_autoptr(Answer) refused = navigate (browser, "POST", select_uri, tampered);

    g_assert_cmpuint (refused->status, ==, 302);
    g_assert_cmpstr (location (refused), ==, login_page);
    g_assert_null (set_cookie (refused, "oneSessionId"));
  }

  chosen = navigate (browser, "POST", select_uri, second->str);
  g_assert_cmpuint (chosen->status, ==, 302);
  g_assert_cmpstr (location (chosen), ==, root);
  g_assert_nonnull (set_cookie (chosen, "oneSessionId"));
  g_assert_nonnull (set_cookie (chosen, "XSRF-TOKEN"));
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2), ==, 1);
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_1), ==, 0);

  info = userinfo (&node);
  g_assert_cmpstr (json_object_get_string_member (info, "login"), ==, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2);
  g_assert_true (json_object_get_boolean_member (info, "federated"));
}

static void
test_logout (void)
{
  g_autofree char *session_id = NULL;
  g_autofree char *logout_uri = ent_url ("/auth/logout?callback=/");
  g_autofree char *slo_uri = ent_url ("/auth/saml/slo?callback=/");
  g_autofree char *idp_slo_prefix = g_strconcat (carnet_test_ent_get_idp_url (ent),
                                                 "/idp/profile/SAML2/Redirect/SLO?SAMLRequest=", NULL);
  g_autoptr(Answer) logout = NULL;
  g_autoptr(Answer) slo = NULL;
  g_autoptr(Answer) idp = NULL;
  g_autofree char *xsrf = NULL;

  setup ();
  session_id = log_in_amandine (NULL);
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 1);

  /* /auth/logout of a federated session goes to the slo, session still open. */
  logout = get (logout_uri);
  g_assert_cmpuint (logout->status, ==, 302);
  g_assert_cmpstr (location (logout), ==, slo_uri);
  g_assert_true (carnet_test_ent_session_is_open (ent, session_id));

  /* The slo ends it, clears the login cookies (XSRF-TOKEN stays), and sends
   * the browser to EduConnect's logout. */
  slo = get (location (logout));
  g_assert_cmpuint (slo->status, ==, 302);
  g_assert_true (g_str_has_prefix (location (slo), idp_slo_prefix));
  g_assert_nonnull (strstr (set_cookie (slo, "oneSessionId"), "Max-Age=0"));
  g_assert_nonnull (strstr (set_cookie (slo, "authenticated"), "Max-Age=0"));
  g_assert_null (set_cookie (slo, "XSRF-TOKEN"));
  g_assert_false (carnet_test_ent_session_is_open (ent, session_id));
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 0);
  g_assert_null (jar_cookie ("oneSessionId"));
  xsrf = jar_cookie ("XSRF-TOKEN");
  g_assert_nonnull (xsrf);
  /* The EduConnect session is still there until the browser gets there. */
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 1);

  idp = get (location (slo));
  g_assert_cmpuint (idp->status, ==, 200);
  g_assert_nonnull (strstr (idp->body, "Vous êtes déconnecté(e) d'ÉduConnect."));
  g_assert_nonnull (strstr (set_cookie (idp, "shib_idp_session"), "Max-Age=0"));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (ent), ==, 0);

  /* The next EduConnect login asks for the password again. */
  {
    g_autoptr(Answer) page = start_login (NULL);

    g_assert_nonnull (strstr (page->body, "id=\"username\""));
  }
}

static void
test_slo_without_federation (void)
{
  g_autofree char *login_uri = ent_url ("/auth/login");
  g_autofree char *form = soup_form_encode ("email", "karim.benali", "password", "Cartable2026", NULL);
  g_autofree char *slo_uri = ent_url ("/auth/saml/slo");
  g_autofree char *root = ent_url ("/");
  g_autoptr(Answer) login = NULL;
  g_autoptr(Answer) slo = NULL;
  g_autofree char *session_id = NULL;

  setup ();
  login = navigate (browser, "POST", login_uri, form);
  g_assert_cmpuint (login->status, ==, 302);
  session_id = cookie_value (login, "oneSessionId");

  /* A password session: the slo is a plain logout, nothing for the IdP. */
  slo = get (slo_uri);
  g_assert_cmpuint (slo->status, ==, 302);
  g_assert_cmpstr (location (slo), ==, root);
  g_assert_false (carnet_test_ent_session_is_open (ent, session_id));

  /* Its userinfo says federated false, hasPw true. */
  {
    g_autoptr(Answer) again = navigate (browser, "POST", login_uri, form);
    g_autoptr(JsonNode) node = NULL;
    JsonObject *info = userinfo (&node);

    g_assert_cmpuint (again->status, ==, 302);
    g_assert_false (json_object_get_boolean_member (info, "federated"));
    g_assert_false (json_object_has_member (info, "federatedIDP"));
    g_assert_true (json_object_get_boolean_member (info, "hasPw"));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  ent = carnet_test_ent_start ();
  browser = carnet_test_ent_new_soup_session (ent);
  soup_session_add_feature_by_type (browser, SOUP_TYPE_COOKIE_JAR);

  g_test_add_func ("/ent-server/saml/login", test_login);
  g_test_add_func ("/ent-server/saml/no-password", test_no_password);
  g_test_add_func ("/ent-server/saml/acs-refusals", test_acs_refusals);
  g_test_add_func ("/ent-server/saml/select-user", test_select_user);
  g_test_add_func ("/ent-server/saml/logout", test_logout);
  g_test_add_func ("/ent-server/saml/slo-without-federation", test_slo_without_federation);

  status = g_test_run ();

  g_object_unref (browser);
  carnet_test_ent_stop (ent);

  return status;
}
