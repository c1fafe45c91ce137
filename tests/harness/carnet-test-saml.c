/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The test ENT's EduConnect (SAML) flow played by a plain SoupSession, as
 * Carnet's web view goes through it: see carnet-test-saml.h. */
#include "config.h"

#include "carnet-test-saml.h"

#include <string.h>

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
char *
carnet_test_html_unescape (const char *text)
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

  return carnet_test_html_unescape (raw);
}

static gboolean
on_ent (CarnetTestEnt *ent,
        GUri          *uri)
{
  g_autoptr(GUri) root = g_uri_parse (carnet_test_ent_get_url (ent), G_URI_FLAGS_NONE, NULL);

  return g_str_equal (g_uri_get_scheme (uri), "https") &&
         g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (root)) == 0 &&
         g_uri_get_port (uri) == g_uri_get_port (root);
}

/* Loads @uri (a POST of @form when not NULL) and follows the redirects as
 * a browser would, until a page, or until the ENT's own pages outside
 * /auth/: there the web view stops and hands the cookies over (*landed). */
static Page *
navigate (CarnetTestEnt *ent,
          SoupSession   *browser,
          const char    *uri,
          const char    *form,
          gboolean      *landed)
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

      if (on_ent (ent, next) && !g_str_has_prefix (g_uri_get_path (next), "/auth/"))
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
      body = soup_session_send_and_read (browser, msg, NULL, &error);
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
 * auto-POST to the ENT, the ENT's account picker (@pick_account's form) when
 * the identity has several accounts. Returns the browser's cookies (all
 * of them, EduConnect's too, as the cookie manager gives them). */
GList *
carnet_test_saml_login (CarnetTestEnt *ent,
                        SoupSession   *browser,
                        const char    *username,
                        const char    *password,
                        const char    *pick_account)
{
  g_autofree char *callback = g_strconcat (carnet_test_ent_get_url (ent), "/", NULL);
  g_autofree char *callback_enc = g_uri_escape_string (callback, NULL, FALSE);
  g_autofree char *wayf_uri = g_strconcat (carnet_test_ent_get_url (ent), "/auth/saml/wayf?callBack=",
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

  wayf = navigate (ent, browser, wayf_uri, NULL, &landed);
  g_assert_nonnull (wayf);
  g_assert_cmpuint (wayf->status, ==, 200);
  g_assert_true (g_regex_match (link_re, wayf->body, 0, &match));
  raw_link = g_match_info_fetch (match, 1);
  link = carnet_test_html_unescape (raw_link);

  /* « Parent ou élève (ÉduConnect) »: on to the identity provider. */
  idp = navigate (ent, browser, link, NULL, &landed);
  g_assert_nonnull (idp);
  g_assert_cmpuint (idp->status, ==, 200);
  {
    g_autofree char *idp_page = g_uri_to_string (idp->uri);

    g_assert_true (g_str_has_prefix (idp_page, carnet_test_ent_get_idp_url (ent)));
  }
  g_assert_false (on_ent (ent, idp->uri));
  g_assert_nonnull (strstr (idp->body, "id=\"bouton_valider\""));

  g_hash_table_insert (fill, "username", (gpointer) username);
  g_hash_table_insert (fill, "password", (gpointer) password);
  idp_forms = forms (idp, fill);
  g_assert_cmpuint (idp_forms->len, ==, 2);
  auto_post = navigate (ent, browser, g_ptr_array_index (idp_forms, 0), g_ptr_array_index (idp_forms, 1), &landed);

  /* The page that posts itself on load, to the ENT. */
  g_assert_nonnull (auto_post);
  g_assert_cmpuint (auto_post->status, ==, 200);
  g_assert_nonnull (strstr (auto_post->body, "onload=\"document.forms[0].submit()\""));
  post_forms = forms (auto_post, NULL);
  g_assert_cmpuint (post_forms->len, ==, 2);
  after = navigate (ent, browser, g_ptr_array_index (post_forms, 0), g_ptr_array_index (post_forms, 1), &landed);

  if (after != NULL)
    {
      /* The account picker: the form of @pick_account. */
      g_autoptr(GPtrArray) picker = forms (after, NULL);
      g_autofree char *wanted = g_strdup_printf ("login=%s&", pick_account);
      g_autoptr(Page) chosen = NULL;
      guint i;

      g_assert_nonnull (pick_account);
      g_assert_cmpuint (after->status, ==, 200);
      g_assert_cmpuint (picker->len, >=, 4);
      for (i = 0; i < picker->len; i += 2)
        if (strstr (g_ptr_array_index (picker, i + 1), wanted) != NULL)
          break;
      g_assert_cmpuint (i, <, picker->len);
      chosen = navigate (ent, browser, g_ptr_array_index (picker, i), g_ptr_array_index (picker, i + 1), &landed);
      g_assert_null (chosen);
    }
  /* At the ENT's home: where the web view stops. */
  g_assert_true (landed);

  jar = SOUP_COOKIE_JAR (soup_session_get_feature (browser, SOUP_TYPE_COOKIE_JAR));
  all = soup_cookie_jar_all_cookies (jar);
  for (GSList *l = all; l != NULL; l = l->next)
    cookies = g_list_prepend (cookies, l->data);
  g_slist_free (all);

  return g_list_reverse (cookies);
}

/* Group 1 of @pattern in @html, unescaped; NULL if none. */
char *
carnet_test_html_find (const char *html,
                       const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;

  g_assert_nonnull (regex);
  if (!g_regex_match (regex, html, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);

  return carnet_test_html_unescape (raw);
}

SoupSession *
carnet_test_saml_browser_new (CarnetTestEnt *ent,
                              guint          timeout_s)
{
  SoupSession *browser = soup_session_new ();
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (carnet_test_ent_get_ca_file (ent), &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (browser, database);
  soup_session_set_timeout (browser, timeout_s);
  soup_session_add_feature_by_type (browser, SOUP_TYPE_COOKIE_JAR);

  return browser;
}

char *
carnet_test_cookie_value (GList      *cookies,
                          const char *name)
{
  for (GList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      return g_strdup (soup_cookie_get_value (l->data));

  return NULL;
}
