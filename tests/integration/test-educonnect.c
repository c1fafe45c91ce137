/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EduConnect login without GTK: a plain SoupSession plays the web view
 * (the ENT's wayf, the stand-in EduConnect's form, the auto-POST to the
 * ENT's acs, the account picker), stops where the web view stops (the
 * ENT's own pages, outside /auth/), and its cookies go to
 * carnet_session_adopt_async() as the web view's cookie manager gives them.
 * Then the account, the children, the logout through the ENT's SAML logout.
 * Runs under the sanitizers with leaks checked.
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "carnet-session.h"
#include "carnet-test-ent.h"

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
  CarnetSession   *session;
  SoupSession     *browser;
  /* The steps the session went through, as "account,none". */
  GString         *steps;
  GPtrArray       *logouts;
} Fixture;

static const char *
nick (GType type,
      int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);

  return g_enum_get_value (klass, value)->value_nick;
}

static void
step_cb (CarnetSession *session,
         GParamSpec    *pspec,
         Fixture       *f)
{
  if (f->steps->len > 0)
    g_string_append_c (f->steps, ',');
  g_string_append (f->steps, nick (CARNET_TYPE_SESSION_STEP, carnet_session_get_step (session)));
}

static void
logged_out_cb (CarnetSession             *session,
               CarnetSessionLogoutReason  reason,
               Fixture                   *f)
{
  g_assert_false (carnet_session_get_federated (session));
  g_ptr_array_add (f->logouts, g_strdup (nick (CARNET_TYPE_SESSION_LOGOUT_REASON, reason)));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  f->ent = carnet_test_ent_start ();
  f->client = carnet_ent_client_new (carnet_test_ent_get_url (f->ent), &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (f->client, carnet_test_ent_get_ca_file (f->ent), &error));
  g_assert_no_error (error);
  f->session = carnet_session_new (f->client);
  f->steps = g_string_new (NULL);
  f->logouts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->session, "notify::step", G_CALLBACK (step_cb), f);
  g_signal_connect (f->session, "logged-out", G_CALLBACK (logged_out_cb), f);

  /* The browser: its own cookies, the test CA, redirects followed by hand. */
  f->browser = soup_session_new ();
  database = g_tls_file_database_new (carnet_test_ent_get_ca_file (f->ent), &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (f->browser, database);
  soup_session_set_timeout (f->browser, 30);
  soup_session_add_feature_by_type (f->browser, SOUP_TYPE_COOKIE_JAR);
}

static gboolean
session_unused_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_atomic_int_get (&G_OBJECT (f->session)->ref_count) == 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* A request cancelled when the profile was refused lets go last. */
  carnet_test_wait_until (session_unused_cb, f, "the session's last request to end");
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->browser);
  g_string_free (f->steps, TRUE);
  g_ptr_array_unref (f->logouts);
  carnet_test_ent_stop (f->ent);
}

/* --- the browser ------------------------------------------------------------ */

typedef struct {
  GUri  *uri;
  guint  status;
  char  *body;
} Page;

static void
page_free (Page *page)
{
  g_uri_unref (page->uri);
  g_free (page->body);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* The attribute escapes of the pages (jmustache's, Thymeleaf's). */
static char *
html_unescape (const char *text)
{
  static const char * const pairs[][2] = {
    { "&amp;", "&" }, { "&#39;", "'" }, { "&#x27;", "'" }, { "&quot;", "\"" }, { "&lt;", "<" },
    { "&gt;", ">" }, { "&#x60;", "`" }, { "&#x3D;", "=" }, { "&#61;", "=" }, { "&#43;", "+" },
    { "&#x2B;", "+" }, { "&#x2F;", "/" }, { "&#47;", "/" },
  };
  GString *out = g_string_new (NULL);

  while (*text != '\0')
    {
      gboolean done = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (pairs) && !done; i++)
        if (g_str_has_prefix (text, pairs[i][0]))
          {
            g_string_append (out, pairs[i][1]);
            text += strlen (pairs[i][0]);
            done = TRUE;
          }
      if (!done)
        g_string_append_c (out, *text++);
    }

  return g_string_free (out, FALSE);
}

/* Attribute @name of the tag @tag ("<input …>"), unescaped; NULL if absent. */
static char *
attribute (const char *tag,
           const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\s%s\\s*=\\s*\"([^\"]*)\"", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;

  if (!g_regex_match (regex, tag, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);

  return html_unescape (raw);
}

static gboolean
on_ent (Fixture *f,
        GUri    *uri)
{
  g_autoptr(GUri) ent = g_uri_parse (carnet_test_ent_get_url (f->ent), G_URI_FLAGS_NONE, NULL);

  return g_str_equal (g_uri_get_scheme (uri), "https") &&
         g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (ent)) == 0 &&
         g_uri_get_port (uri) == g_uri_get_port (ent);
}

/* Loads @uri (a POST of @form when not NULL) and follows the redirects as
 * a browser would, until a page, or until the ENT's own pages outside
 * /auth/: there the web view stops and hands the cookies over (*landed). */
static Page *
navigate (Fixture    *f,
          const char *uri,
          const char *form,
          gboolean   *landed)
{
  g_autoptr(GUri) next = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *post = g_strdup (form);

  g_assert_nonnull (next);
  *landed = FALSE;

  for (guint hops = 0; hops < 10; hops++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      const char *location;
      Page *page;

      if (on_ent (f, next) && !g_str_has_prefix (g_uri_get_path (next), "/auth/"))
        {
          *landed = TRUE;
          return NULL;
        }

      if (post != NULL)
        {
          GBytes *bytes = g_bytes_new_take (g_steal_pointer (&post), strlen (form));

          msg = soup_message_new_from_uri ("POST", next);
          soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
          g_bytes_unref (bytes);
        }
      else
        msg = soup_message_new_from_uri ("GET", next);
      soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
      body = soup_session_send_and_read (f->browser, msg, NULL, &error);
      g_assert_no_error (error);

      location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
      if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (msg)) && location != NULL)
        {
          GUri *target = g_uri_parse_relative (next, location, G_URI_FLAGS_ENCODED, NULL);

          g_assert_nonnull (target);
          g_uri_unref (next);
          next = target;
          continue;
        }

      page = g_new0 (Page, 1);
      page->uri = g_steal_pointer (&next);
      page->status = soup_message_get_status (msg);
      page->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      return page;
    }

  g_assert_not_reached ();
}

/* The forms of @page, each "action URI" → its fields ready to post
 * (text and hidden inputs, as the page fills them; a script's submit()
 * sends no submit button). @fill: name → value typed in. */
static GPtrArray *
forms (Page       *page,
       GHashTable *fill)
{
  g_autoptr(GRegex) form_re = g_regex_new ("<form\\b([^>]*)>(.*?)</form>", G_REGEX_DOTALL | G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) input_re = g_regex_new ("<input\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);

  for (g_regex_match (form_re, page->body, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *open_tag = g_match_info_fetch (match, 1);
      g_autofree char *inner = g_match_info_fetch (match, 2);
      g_autofree char *padded = g_strconcat (" ", open_tag, NULL);
      g_autofree char *action = attribute (padded, "action");
      g_autofree char *base = g_uri_to_string (page->uri);
      g_autofree char *target = g_uri_resolve_relative (base, action != NULL ? action : "",
                                                        G_URI_FLAGS_ENCODED, NULL);
      g_autoptr(GMatchInfo) input = NULL;
      GString *fields = g_string_new (NULL);

      for (g_regex_match (input_re, inner, 0, &input); g_match_info_matches (input); g_match_info_next (input, NULL))
        {
          g_autofree char *tag = g_match_info_fetch (input, 0);
          g_autofree char *type = attribute (tag, "type");
          g_autofree char *name = attribute (tag, "name");
          g_autofree char *value = attribute (tag, "value");
          g_autofree char *name_enc = NULL;
          g_autofree char *value_enc = NULL;
          const char *typed;

          if (name == NULL || g_strcmp0 (type, "submit") == 0)
            continue;
          typed = fill != NULL ? g_hash_table_lookup (fill, name) : NULL;
          name_enc = g_uri_escape_string (name, NULL, FALSE);
          value_enc = g_uri_escape_string (typed != NULL ? typed : value != NULL ? value : "", NULL, FALSE);
          g_string_append_printf (fields, "%s%s=%s", fields->len > 0 ? "&" : "", name_enc, value_enc);
        }

      g_ptr_array_add (result, g_strdup (target));
      g_ptr_array_add (result, g_string_free (fields, FALSE));
    }

  return result;
}

/* The whole EduConnect login, as the web view goes through it: the ENT's
 * wayf, « ÉduConnect », the identity provider's form typed in, its
 * auto-POST to the ENT, the ENT's account picker (@ent_login's form) when
 * the identity has several accounts. Returns the browser's cookies (all
 * of them, EduConnect's too, as the cookie manager gives them). */
static GList *
educonnect_log_in (Fixture    *f,
                   const char *username,
                   const char *password,
                   const char *ent_login)
{
  g_autofree char *callback = g_strconcat (carnet_test_ent_get_url (f->ent), "/", NULL);
  g_autofree char *callback_enc = g_uri_escape_string (callback, NULL, FALSE);
  g_autofree char *wayf_uri = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/saml/wayf?callBack=",
                                           callback_enc, NULL);
  g_autoptr(GRegex) link_re = g_regex_new ("<a\\b[^>]*educonnect[^>]*\\shref=\"([^\"]*)\"", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(Page) wayf = NULL;
  g_autoptr(Page) idp = NULL;
  g_autoptr(Page) auto_post = NULL;
  g_autoptr(Page) after = NULL;
  g_autoptr(GPtrArray) idp_forms = NULL;
  g_autoptr(GPtrArray) post_forms = NULL;
  g_autoptr(GHashTable) fill = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *raw_link = NULL;
  g_autofree char *link = NULL;
  SoupCookieJar *jar;
  GSList *all;
  GList *cookies = NULL;
  gboolean landed;

  wayf = navigate (f, wayf_uri, NULL, &landed);
  g_assert_nonnull (wayf);
  g_assert_cmpuint (wayf->status, ==, 200);
  g_assert_true (g_regex_match (link_re, wayf->body, 0, &match));
  raw_link = g_match_info_fetch (match, 1);
  link = html_unescape (raw_link);

  /* « Parent ou élève (ÉduConnect) »: on to the identity provider. */
  idp = navigate (f, link, NULL, &landed);
  g_assert_nonnull (idp);
  g_assert_cmpuint (idp->status, ==, 200);
  {
    g_autofree char *idp_page = g_uri_to_string (idp->uri);

    g_assert_true (g_str_has_prefix (idp_page, carnet_test_ent_get_idp_url (f->ent)));
  }
  g_assert_false (on_ent (f, idp->uri));
  g_assert_nonnull (strstr (idp->body, "id=\"bouton_valider\""));

  g_hash_table_insert (fill, "username", (gpointer) username);
  g_hash_table_insert (fill, "password", (gpointer) password);
  idp_forms = forms (idp, fill);
  g_assert_cmpuint (idp_forms->len, ==, 2);
  auto_post = navigate (f, g_ptr_array_index (idp_forms, 0), g_ptr_array_index (idp_forms, 1), &landed);

  /* The page that posts itself on load, to the ENT. */
  g_assert_nonnull (auto_post);
  g_assert_cmpuint (auto_post->status, ==, 200);
  g_assert_nonnull (strstr (auto_post->body, "onload=\"document.forms[0].submit()\""));
  post_forms = forms (auto_post, NULL);
  g_assert_cmpuint (post_forms->len, ==, 2);
  after = navigate (f, g_ptr_array_index (post_forms, 0), g_ptr_array_index (post_forms, 1), &landed);

  if (after != NULL)
    {
      /* The account picker: the form of @ent_login. */
      g_autoptr(GPtrArray) picker = forms (after, NULL);
      g_autofree char *wanted = g_strdup_printf ("login=%s&", ent_login);
      g_autoptr(Page) chosen = NULL;
      guint i;

      g_assert_cmpuint (after->status, ==, 200);
      g_assert_cmpuint (picker->len, >=, 4);
      for (i = 0; i < picker->len; i += 2)
        if (strstr (g_ptr_array_index (picker, i + 1), wanted) != NULL)
          break;
      g_assert_cmpuint (i, <, picker->len);
      chosen = navigate (f, g_ptr_array_index (picker, i), g_ptr_array_index (picker, i + 1), &landed);
      g_assert_null (chosen);
    }
  /* At the ENT's home: where the web view stops. */
  g_assert_true (landed);

  jar = SOUP_COOKIE_JAR (soup_session_get_feature (f->browser, SOUP_TYPE_COOKIE_JAR));
  all = soup_cookie_jar_all_cookies (jar);
  for (GSList *l = all; l != NULL; l = l->next)
    cookies = g_list_prepend (cookies, l->data);
  g_slist_free (all);

  return g_list_reverse (cookies);
}

static char *
cookie_value (GList      *cookies,
              const char *name)
{
  for (GList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      return g_strdup (soup_cookie_get_value (l->data));

  return NULL;
}

/* What the browser gets from the ENT's userinfo with its cookies now. */
static guint
browser_userinfo_status (Fixture *f)
{
  g_autofree char *uri = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/oauth2/userinfo", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (f->browser, msg, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (msg);
}

/* --- the session ------------------------------------------------------------ */

static gboolean
adopt (Fixture        *f,
       CarnetSession  *session,
       GList          *cookies,
       GError        **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_adopt_async (session, cookies, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_session_adopt_finish (session, res, error);
}

static gboolean
log_out (Fixture                   *f,
         CarnetSessionLogoutReason  reason,
         GError                   **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_log_out_async (f->session, reason, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_session_log_out_finish (f->session, res, error);
}

/* The children's first names, as the account page lists them. */
static char *
children_names (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  carnet_ent_client_get_children_async (f->client, carnet_session_get_user (f->session), NULL,
                                        carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  children = carnet_ent_client_get_children_finish (f->client, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < children->len; i++)
    g_strv_builder_add (names, carnet_ent_child_get_first_name (g_ptr_array_index (children, i)));
  strv = g_strv_builder_end (names);

  return g_strjoinv (",", strv);
}

/* One EduConnect identity, one ENT account: the account, federated, her
 * children; logout through the ENT's SAML logout, which closes the ENT's
 * session (the browser's cookie is refused after), and Carnet does not
 * follow it to EduConnect. */
static void
test_one_account (Fixture       *f,
                  gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *children = NULL;
  g_autoptr(GError) error = NULL;

  cookies = educonnect_log_in (f, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  session_id = cookie_value (cookies, "oneSessionId");
  g_assert_nonnull (session_id);
  g_assert_true (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_cmpuint (carnet_test_ent_idp_session_count (f->ent), ==, 1);

  g_assert_true (adopt (f, f->session, cookies, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "account");
  g_assert_true (carnet_session_get_federated (f->session));
  g_assert_true (carnet_ent_user_get_federated (carnet_session_get_user (f->session)));
  g_assert_nonnull (carnet_ent_user_get_federated_idp (carnet_session_get_user (f->session)));
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  g_assert_true (carnet_session_get_logged_in (f->session));

  /* Théo and Chloé Roux, as on the account page. */
  children = children_names (f);
  g_assert_nonnull (strstr (children, "Théo"));
  g_assert_nonnull (strstr (children, "Chloé"));

  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_USER, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->logouts->len, ==, 1);
  g_assert_cmpstr (f->steps->str, ==, "account,none");
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_false (carnet_session_get_federated (f->session));
  g_assert_null (carnet_ent_client_dup_session_cookies (f->client));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/saml/slo"), ==, 1);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/logout"), ==, 0);
  /* The ENT's session is closed: its cookie is refused. */
  g_assert_false (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_cmpuint (carnet_test_ent_session_count (f->ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 0);
  g_assert_cmpuint (browser_userinfo_status (f), !=, 200);
  /* The redirect to EduConnect's logout was not followed by Carnet (the
   * web view's EduConnect session is dropped with the web view). */
  g_assert_cmpuint (carnet_test_ent_idp_session_count (f->ent), ==, 1);
}

/* Two ENT accounts for one identity: the one picked in the ENT's list. An
 * idle logout (the pages gone first) still goes through the SAML logout. */
static void
test_two_accounts (Fixture       *f,
                   gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *children = NULL;
  g_autoptr(GError) error = NULL;

  cookies = educonnect_log_in (f, CARNET_TEST_EDUCONNECT_TWO_LOGIN, CARNET_TEST_EDUCONNECT_TWO_PASSWORD,
                               CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2);
  session_id = cookie_value (cookies, "oneSessionId");

  g_assert_true (adopt (f, f->session, cookies, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->steps->str, ==, "account");
  g_assert_true (carnet_session_get_federated (f->session));
  g_assert_cmpstr (carnet_session_get_login (f->session), ==, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_2);
  children = children_names (f);
  g_assert_cmpstr (children, ==, "Nathan");
  g_assert_cmpuint (carnet_test_ent_session_count (f->ent, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_1), ==, 0);

  g_assert_true (log_out (f, CARNET_SESSION_LOGOUT_IDLE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/saml/slo"), ==, 1);
  g_assert_false (carnet_test_ent_session_is_open (f->ent, session_id));
  g_assert_cmpuint (browser_userinfo_status (f), !=, 200);
}

/* The cookies of one host are not another host's session: a client for
 * the same ENT under another name takes none of them, asks nothing. */
static void
test_other_host (Fixture       *f,
                 gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autoptr(GUri) ent_uri = g_uri_parse (carnet_test_ent_get_url (f->ent), G_URI_FLAGS_NONE, NULL);
  g_autofree char *other_url = g_strdup_printf ("https://localhost:%d", g_uri_get_port (ent_uri));
  g_autoptr(CarnetEntClient) other = NULL;
  g_autoptr(CarnetSession) other_session = NULL;
  g_autofree char *session_id = NULL;
  g_autoptr(GError) error = NULL;

  cookies = educonnect_log_in (f, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  session_id = cookie_value (cookies, "oneSessionId");
  other = carnet_ent_client_new (other_url, &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (other, carnet_test_ent_get_ca_file (f->ent), &error));
  other_session = carnet_session_new (other);

  g_assert_false (adopt (f, other_session, cookies, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_false (carnet_session_get_logged_in (other_session));
  g_assert_null (carnet_session_get_user (other_session));
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 0);
  /* Nothing was done to the session itself. */
  g_assert_true (carnet_test_ent_session_is_open (f->ent, session_id));
}

/* Expired cookies: in the browser's jar (past their date), or the ENT's
 * session ended since (the browser logged out of it): the logged-out
 * error, nothing held, no step. */
static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autolist(SoupCookie) cookies = NULL;
  g_autolist(SoupCookie) past = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GError) error = NULL;

  cookies = educonnect_log_in (f, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD, NULL);
  for (GList *l = cookies; l != NULL; l = l->next)
    {
      SoupCookie *copy = soup_cookie_copy (l->data);

      soup_cookie_set_expires (copy, yesterday);
      past = g_list_prepend (past, copy);
    }
  g_assert_false (adopt (f, f->session, past, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "/auth/oauth2/userinfo"), ==, 0);
  g_clear_error (&error);

  /* The browser leaves through the ENT's SAML logout itself. */
  {
    g_autofree char *slo = g_strconcat (carnet_test_ent_get_url (f->ent), "/auth/saml/slo", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", slo);
    g_autoptr(GBytes) body = NULL;

    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    body = soup_session_send_and_read (f->browser, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  }
  g_assert_false (adopt (f, f->session, cookies, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_false (carnet_session_get_logged_in (f->session));
  g_assert_null (carnet_session_get_user (f->session));
  g_assert_null (carnet_session_get_login (f->session));
  g_assert_cmpstr (f->steps->str, ==, "");
  g_assert_cmpuint (f->logouts->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/educonnect/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("one-account", test_one_account);
  ADD ("two-accounts", test_two_accounts);
  ADD ("other-host", test_other_host);
  ADD ("expired", test_expired);
#undef ADD

  return g_test_run ();
}
