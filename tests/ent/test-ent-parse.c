/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include <string.h>

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-types-private.h"

/* --- helpers ------------------------------------------------------------- */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = carnet_ent_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

typedef gpointer (*Constructor) (JsonNode *node, GError **error);

/* Asserts @json is refused with PROTOCOL, and without warning (the test
 * runs with fatal-warnings). */
static void
assert_protocol (Constructor  constructor,
                 const char  *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  gpointer object;

  object = constructor (node, &error);
  if (object != NULL)
    g_error ("accepted: %s", json);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
}

static gpointer
build (Constructor  constructor,
       const char  *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  gpointer object;

  object = constructor (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);

  return object;
}

static gpointer
children_without_user (JsonNode *node, GError **error)
{
  return carnet_ent_children_new_from_json (node, NULL, error);
}

static gpointer
schools (JsonNode *node, GError **error)
{
  return carnet_ent_schools_new_from_json (node, error);
}

/* --- addresses ----------------------------------------------------------- */

static void
test_normalize_good (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "enthdf.fr", "https://enthdf.fr" },
    { "  enthdf.fr \n", "https://enthdf.fr" },
    { "http://x.fr/", "https://x.fr" },
    { "HTTP://X.FR", "https://x.fr" },
    { "https://x.fr:8443/auth/login?callback=%2F", "https://x.fr:8443" },
    { "https://x.fr:443/", "https://x.fr" },
    { "http://x.fr:80/", "https://x.fr" },
    { "https://x.fr:65535", "https://x.fr:65535" },
    { "x.fr:1", "https://x.fr:1" },
    { "https://x.fr/a@b", "https://x.fr" },
    { "[::1]:8443", "https://[::1]:8443" },
    { "monlycée.net", "https://xn--monlyce-gya.net" },
    { "xn--monlyce-gya.net", "https://xn--monlyce-gya.net" },
    { "エデュ.jp", "https://xn--ick2c7d.jp" },
    { "ент.рф", "https://xn--e1aqp.xn--p1ai" },
    { "jean-jaures-calais.savoirsnumeriques5962.fr", "https://jean-jaures-calais.savoirsnumeriques5962.fr" },
    { "127.0.0.1:8443", "https://127.0.0.1:8443" },
    { "https://x.fr#frag", "https://x.fr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = carnet_ent_normalize_address (cases[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_normalize_bad (void)
{
  static const char *cases[] = {
    "", "   ", "ftp://x.fr", "not an address", "https://", "x y.fr", "https://x_y.fr",
    "file:///etc/passwd", "javascript:alert(1)", "https://.fr",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = carnet_ent_normalize_address (cases[i], &error);

      if (out != NULL)
        g_error ("accepted %s as %s", cases[i], out);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (carnet_ent_normalize_address (NULL, &error));
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  }
}

/* Issue 13: what came before an "@" was dropped, so the letter's host could
 * hide another ("enthdf.fr:443@evil.com" was https://evil.com; the old
 * test accepted "https://jean:secret@x.fr/" as https://x.fr, now refused);
 * "javascript:" was a host, port 0 and an empty port were accepted; a host
 * with a Cyrillic « е » among Latin letters read as « enthdf.fr ». */
static void
test_normalize_hostile (void)
{
  static const char *cases[] = {
    "enthdf.fr:443@evil.com", "https://enthdf.fr@evil.com", "https://jean:secret@x.fr/",
    "@x.fr", "x.fr@", "https://enthdf.fr%40evil.com@evil.com",
    "javascript:", "javascript:alert(1)", "JavaScript:alert(1)//x.fr", "data:text/html,x",
    "file:/etc/passwd", "file:", "data:,x",
    "x.fr:0", "https://x.fr:0/", "https://x.fr:00000", "x.fr:", "https://x.fr:/",
    "x.fr:65536", "https://x.fr:99999", "x.fr:123456", "x.fr:-1", "x.fr:+443",
    "x.fr:1:2", "[::1]x", "[::1]:0",
    "\xd0\xb5nthdf.fr",            /* Cyrillic « е » then Latin */
    "enthd\xd1\x81.fr",            /* Latin then Cyrillic « с » */
    "xn--nthdf-ywe.fr",            /* a homograph typed in punycode */
    "\xce\xb1pple.fr",             /* Greek « α » then Latin */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = carnet_ent_normalize_address (cases[i], &error);

      if (out != NULL)
        g_error ("accepted %s as %s", cases[i], out);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
      g_assert_nonnull (error->message);
    }

  /* The refusals say what is wrong. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (carnet_ent_normalize_address ("enthdf.fr:443@evil.com", &error));
    g_assert_nonnull (strstr (error->message, "@"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (carnet_ent_normalize_address ("x.fr:0", &error));
    g_assert_nonnull (strstr (error->message, "65535"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (carnet_ent_normalize_address ("\xd0\xb5nthdf.fr", &error));
    g_assert_nonnull (strstr (error->message, "alphabet"));
  }
}

/* An internationalised host is shown in both forms, so that a host in
 * another script that looks Latin can be seen for what it is. */
static void
test_host_for_display (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "enthdf.fr", "enthdf.fr" },
    { "127.0.0.1:8443", "127.0.0.1:8443" },
    { "[::1]:8443", "[::1]:8443" },
    { "xn--monlyce-gya.net", "monlycée.net (xn--monlyce-gya.net)" },
    { "xn--monlyce-gya.net:8443", "monlycée.net:8443 (xn--monlyce-gya.net:8443)" },
    { "https://xn--monlyce-gya.net", "monlycée.net (xn--monlyce-gya.net)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = carnet_ent_host_for_display (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }

  /* All Cyrillic: not refused, but no longer shown as if it were Latin. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *address = carnet_ent_normalize_address ("\xd0\xb5\xd0\xbd\xd1\x82.\xd1\x80\xd1\x84", &error);
    g_autofree char *shown = NULL;

    g_assert_no_error (error);
    shown = carnet_ent_host_for_display (address);
    g_assert_nonnull (strstr (shown, "\xd0\xb5\xd0\xbd\xd1\x82.\xd1\x80\xd1\x84 (xn--"));
  }

  /* What the client keeps is what it shows. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("monlycée.net", &error);
    g_autofree char *shown = NULL;

    g_assert_no_error (error);
    shown = carnet_ent_host_for_display (carnet_ent_client_get_host (client));
    g_assert_cmpstr (shown, ==, "monlycée.net (xn--monlyce-gya.net)");
  }
}

static void
test_client_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("http://Ent.Example.fr:8443/x", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (carnet_ent_client_get_base_url (client), ==, "https://ent.example.fr:8443");
  g_assert_cmpstr (carnet_ent_client_get_host (client), ==, "ent.example.fr:8443");
  g_assert_cmpuint (carnet_ent_client_get_timeout (client), ==, 30);
  carnet_ent_client_set_timeout (client, 5);
  g_assert_cmpuint (carnet_ent_client_get_timeout (client), ==, 5);
  g_assert_false (carnet_ent_client_has_session (client));
  g_assert_null (carnet_ent_client_get_cached_context (client));

  g_assert_null (carnet_ent_client_new ("garbage here", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
}

static void
test_client_ca_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("ent.example.fr", &error);
  const char *data_dir = g_getenv ("CARNET_TEST_DATA");

  g_assert_false (carnet_ent_client_set_ca_file (client, "/nonexistent/ca.pem", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_TLS);
  g_clear_error (&error);

  if (data_dir != NULL)
    {
      g_autofree char *path = g_build_filename (data_dir, "ca.pem", NULL);

      g_assert_true (carnet_ent_client_set_ca_file (client, path, &error));
      g_assert_no_error (error);
    }
}

/* --- reset codes --------------------------------------------------------- */

static void
test_reset_code_good (void)
{
  static const struct { const char *in; const char *host; const char *out; } cases[] = {
    { "AbC12345", "ent.fr", "AbC12345" },
    { "  AbC12345 \n", "ent.fr", "AbC12345" },
    { "https://ent.fr/auth/reset/AbC12345", "ent.fr", "AbC12345" },
    { "http://ent.fr/auth/reset/AbC12345", "ent.fr", "AbC12345" },
    { "<https://ent.fr/auth/reset/AbC12345>.", "ent.fr", "AbC12345" },
    { "(https://ent.fr/auth/reset/AbC12345),", "ent.fr", "AbC12345" },
    { "https://ent.fr/auth/re\r\nset/AbC12345", "ent.fr", "AbC12345" },
    { "https://ent.fr/auth/reset/AbC1\n2345", "ent.fr", "AbC12345" },
    { "https://ENT.fr/auth/reset/AbC12345", "ent.fr", "AbC12345" },
    { "ent.fr/auth/reset/AbC12345", "ent.fr", "AbC12345" },
    { "https://ent.fr:8443/auth/reset/AbC12345", "ent.fr:8443", "AbC12345" },
    { "https://ent.fr/auth/reset/AbC12345?x=1#y", "ent.fr", "AbC12345" },
    { "https://other.fr/auth/reset/AbC12345", NULL, "AbC12345" },
    { "https://ent.fr:443/auth/reset/AbC12345", "ent.fr", "AbC12345" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = carnet_ent_parse_reset_code (cases[i].in, cases[i].host, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_reset_code_bad (void)
{
  static const struct { const char *in; const char *host; } cases[] = {
    { "", "ent.fr" },
    { "   ", "ent.fr" },
    { "hello world", "ent.fr" },
    { "1234567", "ent.fr" },
    { "123456789", "ent.fr" },
    { "abc-1234", "ent.fr" },
    { "https://ent.fr/auth/login", "ent.fr" },
    { "https://ent.fr/auth/reset/", "ent.fr" },
    { "https://ent.fr/auth/reset/a/b", "ent.fr" },
    { "ftp://ent.fr/auth/reset/AbC12345", "ent.fr" },
    { "https://other.fr/auth/reset/AbC12345", "ent.fr" },
    { "https://ent.fr.evil.com/auth/reset/AbC12345", "ent.fr" },
    { "https://ent.fr:8443/auth/reset/AbC12345", "ent.fr" },
    { NULL, "ent.fr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = carnet_ent_parse_reset_code (cases[i].in, cases[i].host, &error);

      if (out != NULL)
        g_error ("accepted “%s” as %s", cases[i].in, out);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
      g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CODE);
    }
}

/* --- JSON ---------------------------------------------------------------- */

static void
test_json_parse_bad (void)
{
  static const char *cases[] = { "", "{", "not json", "{\"a\":}", "\xff\xfe{}" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = carnet_ent_json_parse (cases[i], strlen (cases[i]), &error);

      g_assert_null (node);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    }
}

/* A body nested deeper than any ENT answer is refused before json-glib,
 * whose recursion overflowed the stack on 100 000 "[" (a crash). */
static void
test_json_parse_deep (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) shallow = g_string_new (NULL);
  g_autoptr(GString) quoted = g_string_new ("{\"a\":\"");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 32; i++)
    g_string_append (shallow, "{\"a\":[");
  g_string_append (shallow, "1");
  for (guint i = 0; i < 32; i++)
    g_string_append (shallow, "]}");
  /* Brackets inside strings do not nest. */
  for (guint i = 0; i < 1000; i++)
    g_string_append (quoted, "[{\\\"");
  g_string_append (quoted, "\"}");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = carnet_ent_json_parse (deep->str, deep->len, &error);

    g_assert_null (node);
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = carnet_ent_json_parse (shallow->str, shallow->len, &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = carnet_ent_json_parse (quoted->str, quoted->len, &error);

    g_assert_no_error (error);
    g_assert_nonnull (node);
  }
}

/* json-glib 1.6 reads more than JSON (comments, 'strings', and "\u" then any
 * 4 bytes): each way of hiding 200 000 "[" from the depth check, found in
 * the security review of issue 13, crashed Carnet (stack overflow) before
 * the check refused them. Plain JSON with "/" or "'" inside strings, and
 * escapes JSON allows, are still read. */
static void
test_json_parse_deep_hidden (void)
{
  static const char *prefixes[] = {
    "/*\"*/",                     /* a C comment holding a quote */
    "/\"/",                       /* json-glib's "/ … /" single-line comment */
    "['\"',",                      /* a single-quoted string holding a quote */
    "[\"\\u1\"x\",",               /* \u takes 4 bytes, a quote among them */
    "[\"\\uD800\"x\",",            /* a high surrogate takes 2 more bytes */
    "[\"\\uDC00\"x\",",            /* so does a low one */
  };
  static const char *good[] = {
    "{\"a\":\"x/y 'z' /* not a comment */ // nor this\"}",
    "[\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
    "{\"url\":\"https:\\/\\/ent.example\\/auth\"}",
  };
  static const char *bad[] = {
    "[1 /* a comment */]", "['single']", "[\"\\u12\"]", "[\"\\uD800\"]",
    "[\"\\uD800\\u0041\"]", "[\"\\uDC00\\uD800\"]", "[\"\\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autoptr(GString) deep = g_string_new (prefixes[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      for (guint k = 0; k < 200000; k++)
        g_string_append_c (deep, '[');
      g_test_message ("hidden depth after %s", prefixes[i]);
      node = carnet_ent_json_parse (deep->str, deep->len, &error);
      g_assert_null (node);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = parse (good[i]);

      g_assert_nonnull (node);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = carnet_ent_json_parse (bad[i], strlen (bad[i]), &error);

      if (node != NULL)
        g_error ("accepted %s", bad[i]);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    }
}

static void
test_context (void)
{
  g_autoptr(CarnetEntContext) context = NULL;

  context = build ((Constructor) carnet_ent_context_new_from_json,
                   "{\"callBack\":\"\",\"cgu\":true,\"passwordRegex\":\".{8}.*\","
                   "\"mandatory\":{\"mail\":true,\"phone\":false},"
                   "\"passwordRegexI18n\":{\"fr\":\"8 caractères\",\"en\":\"8 characters\"},"
                   "\"passwordRegexI18nActivation\":{\"fr\":\"Activation : 8 caractères\"},"
                   "\"unknown\":[1,2,{\"x\":null}]}");

  g_assert_cmpstr (carnet_ent_context_get_password_regex (context), ==, ".{8}.*");
  g_assert_true (carnet_ent_context_get_cgu (context));
  g_assert_true (carnet_ent_context_get_mail_mandatory (context));
  g_assert_false (carnet_ent_context_get_phone_mandatory (context));
  g_assert_false (carnet_ent_context_check_password (context, "1234567"));
  g_assert_true (carnet_ent_context_check_password (context, "12345678"));
  g_assert_false (carnet_ent_context_check_password (context, NULL));

  g_setenv ("LANGUAGE", "fr", TRUE);
  g_assert_cmpstr (carnet_ent_context_get_password_rule (context, FALSE), ==, "8 caractères");
  g_assert_cmpstr (carnet_ent_context_get_password_rule (context, TRUE), ==, "Activation : 8 caractères");
  /* A language the ENT does not speak: its default, French. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_cmpstr (carnet_ent_context_get_password_rule (context, FALSE), ==, "8 caractères");
  g_unsetenv ("LANGUAGE");
}

static void
test_context_whole_match (void)
{
  g_autoptr(CarnetEntContext) letters = build ((Constructor) carnet_ent_context_new_from_json,
                                               "{\"passwordRegex\":\"[a-z]+\"}");
  g_autoptr(CarnetEntContext) alternation = build ((Constructor) carnet_ent_context_new_from_json,
                                                   "{\"passwordRegex\":\"a|bc\"}");
  g_autoptr(CarnetEntContext) seed = build ((Constructor) carnet_ent_context_new_from_json,
                                            "{\"passwordRegex\":\"^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9]).{8,}$\"}");

  /* A search would accept these; Java's matches() does not. */
  g_assert_false (carnet_ent_context_check_password (letters, "abc1"));
  g_assert_false (carnet_ent_context_check_password (letters, "1abc"));
  g_assert_true (carnet_ent_context_check_password (letters, "abc"));
  g_assert_false (carnet_ent_context_check_password (alternation, "abc"));
  g_assert_false (carnet_ent_context_check_password (alternation, "ab"));
  g_assert_true (carnet_ent_context_check_password (alternation, "a"));
  g_assert_true (carnet_ent_context_check_password (alternation, "bc"));

  g_assert_true (carnet_ent_context_check_password (seed, "Cartable2026"));
  g_assert_false (carnet_ent_context_check_password (seed, "cartable2026"));
  g_assert_false (carnet_ent_context_check_password (seed, "Carta1"));
  g_assert_false (carnet_ent_context_check_password (seed, "Cartable2026\n"));
}

static void
test_context_bad (void)
{
  Constructor c = (Constructor) carnet_ent_context_new_from_json;

  assert_protocol (c, "{}");
  assert_protocol (c, "[]");
  assert_protocol (c, "\"context\"");
  assert_protocol (c, "{\"passwordRegex\":null}");
  assert_protocol (c, "{\"passwordRegex\":5}");
  assert_protocol (c, "{\"passwordRegex\":\"(\"}");
  assert_protocol (c, "{\"passwordRegex\":\".*\",\"cgu\":\"yes\"}");
  assert_protocol (c, "{\"passwordRegex\":\".*\",\"mandatory\":true}");
  assert_protocol (c, "{\"passwordRegex\":\".*\",\"mandatory\":{\"mail\":1}}");
  assert_protocol (c, "{\"passwordRegex\":\".*\",\"passwordRegexI18n\":{\"fr\":3}}");
  assert_protocol (c, "{\"passwordRegex\":\".*\",\"passwordRegexI18n\":\"fr\"}");
}

static const char *user_json =
  "{\"userId\":\"u-1\",\"login\":\"karim.benali\",\"username\":\"Karim Benali\","
  "\"firstName\":\"Karim\",\"lastName\":\"Benali\",\"email\":\"k@example.fr\",\"mobile\":null,"
  "\"type\":\"Relative\",\"forceChangePassword\":false,\"needRevalidateTerms\":true,"
  "\"structureNames\":[\"Collège Jean Jaurès\"],\"childrenIds\":[\"c-1\",\"c-2\"],"
  "\"children\":{\"c-1\":{\"firstName\":\"Yanis\",\"lastName\":\"Benali\"},"
  "\"c-2\":{\"firstName\":\"Inès\",\"lastName\":\"Benali\",\"extra\":1}},"
  "\"apps\":[],\"groupsIds\":[\"g\"],\"hasPw\":true}";

static void
test_user (void)
{
  g_autoptr(CarnetEntUser) user = build ((Constructor) carnet_ent_user_new_from_json, user_json);
  const char *first = NULL;
  const char *last = NULL;

  g_assert_cmpstr (carnet_ent_user_get_id (user), ==, "u-1");
  g_assert_cmpstr (carnet_ent_user_get_login (user), ==, "karim.benali");
  g_assert_cmpstr (carnet_ent_user_get_display_name (user), ==, "Karim Benali");
  g_assert_cmpstr (carnet_ent_user_get_first_name (user), ==, "Karim");
  g_assert_cmpstr (carnet_ent_user_get_last_name (user), ==, "Benali");
  g_assert_cmpstr (carnet_ent_user_get_email (user), ==, "k@example.fr");
  g_assert_cmpstr (carnet_ent_user_get_mobile (user), ==, "");
  g_assert_cmpstr (carnet_ent_user_get_profile_type (user), ==, "Relative");
  g_assert_true (carnet_ent_user_is_parent (user));
  g_assert_false (carnet_ent_user_get_force_change_password (user));
  g_assert_true (carnet_ent_user_get_need_revalidate_terms (user));
  g_assert_cmpstrv (carnet_ent_user_get_structure_names (user),
                    ((const char *[]) { "Collège Jean Jaurès", NULL }));
  g_assert_cmpstrv (carnet_ent_user_get_children_ids (user),
                    ((const char *[]) { "c-1", "c-2", NULL }));
  g_assert_true (carnet_ent_user_lookup_child (user, "c-2", &first, &last));
  g_assert_cmpstr (first, ==, "Inès");
  g_assert_cmpstr (last, ==, "Benali");
  g_assert_false (carnet_ent_user_lookup_child (user, "nobody", &first, &last));
  g_assert_null (first);
}

static void
test_user_minimal (void)
{
  g_autoptr(CarnetEntUser) user = build ((Constructor) carnet_ent_user_new_from_json,
                                         "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"PERSRELELEVE\"}");

  g_assert_true (carnet_ent_user_is_parent (user));
  g_assert_cmpstr (carnet_ent_user_get_email (user), ==, "");
  g_assert_nonnull (carnet_ent_user_get_structure_names (user));
  g_assert_null (carnet_ent_user_get_structure_names (user)[0]);
}

/* An EduConnect parent's userinfo (the test ENT's, entcore's shape). A
 * password account says nothing, or false. */
static void
test_user_federated (void)
{
  Constructor c = (Constructor) carnet_ent_user_new_from_json;
  g_autoptr(CarnetEntUser) federated = build (c,
    "{\"userId\":\"u\",\"login\":\"amandine.roux\",\"type\":\"Relative\","
    "\"federated\":true,\"federatedIDP\":\"https://127.0.0.1:4443/idp\",\"hasPw\":false}");
  g_autoptr(CarnetEntUser) password = build (c,
    "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"federated\":false}");
  g_autoptr(CarnetEntUser) null_idp = build (c,
    "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"federated\":null,\"federatedIDP\":null}");
  g_autoptr(CarnetEntUser) absent = build (c, user_json);

  g_assert_true (carnet_ent_user_get_federated (federated));
  g_assert_cmpstr (carnet_ent_user_get_federated_idp (federated), ==, "https://127.0.0.1:4443/idp");
  g_assert_false (carnet_ent_user_get_federated (password));
  g_assert_null (carnet_ent_user_get_federated_idp (password));
  g_assert_false (carnet_ent_user_get_federated (null_idp));
  g_assert_null (carnet_ent_user_get_federated_idp (null_idp));
  g_assert_false (carnet_ent_user_get_federated (absent));
  g_assert_null (carnet_ent_user_get_federated_idp (absent));

  /* Mistyped: the ENT is not what Carnet knows. */
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"federated\":\"true\"}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"federated\":1}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"federatedIDP\":[]}");
}

static void
test_user_bad (void)
{
  Constructor c = (Constructor) carnet_ent_user_new_from_json;

  assert_protocol (c, "{\"login\":\"l\",\"type\":\"Relative\"}");
  assert_protocol (c, "{\"userId\":\"\",\"login\":\"l\",\"type\":\"Relative\"}");
  assert_protocol (c, "{\"userId\":\"u\",\"type\":\"Relative\"}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\"}");
  assert_protocol (c, "{\"userId\":7,\"login\":\"l\",\"type\":\"Relative\"}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"email\":[]}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"forceChangePassword\":\"false\"}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"structureNames\":[1]}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"structureNames\":\"x\"}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"children\":[]}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"children\":{\"c\":\"x\"}}");
  assert_protocol (c, "{\"userId\":\"u\",\"login\":\"l\",\"type\":\"Relative\",\"children\":{\"c\":{\"firstName\":1}}}");
  assert_protocol (c, "[]");
}

static void
test_requirements (void)
{
  Constructor c = (Constructor) carnet_ent_requirements_new_from_json;
  g_autoptr(CarnetEntRequirements) r = build (c,
    "{\"forceChangePassword\":false,\"needRevalidateTerms\":true,\"needRevalidateEmail\":true,"
    "\"needRevalidateMobile\":false,\"needMfa\":false,\"other\":\"x\"}");
  g_autoptr(CarnetEntRequirements) old = build (c,
    "{\"forceChangePassword\":true,\"needRevalidateTerms\":false,\"needRevalidateEmail\":false}");

  g_assert_false (carnet_ent_requirements_get_force_change_password (r));
  g_assert_true (carnet_ent_requirements_get_need_revalidate_terms (r));
  g_assert_true (carnet_ent_requirements_get_need_revalidate_email (r));
  g_assert_false (carnet_ent_requirements_get_need_revalidate_mobile (r));
  g_assert_false (carnet_ent_requirements_get_need_mfa (r));
  g_assert_true (carnet_ent_requirements_get_force_change_password (old));

  assert_protocol (c, "{}");
  assert_protocol (c, "{\"forceChangePassword\":false,\"needRevalidateTerms\":true}");
  assert_protocol (c, "{\"forceChangePassword\":0,\"needRevalidateTerms\":true,\"needRevalidateEmail\":true}");
  assert_protocol (c, "{\"forceChangePassword\":false,\"needRevalidateTerms\":true,\"needRevalidateEmail\":true,\"needMfa\":\"no\"}");
}

static void
test_mail_state (void)
{
  Constructor c = (Constructor) carnet_ent_mail_state_new_from_json;
  g_autoptr(CarnetEntMailState) none = build (c,
    "{\"email\":\"\",\"firstName\":\"N\",\"lastName\":\"M\",\"displayName\":\"N M\","
    "\"waitInSeconds\":10,\"emailState\":null}");
  g_autoptr(CarnetEntMailState) pending = build (c,
    "{\"email\":\"n@example.fr\",\"displayName\":\"N M\",\"waitInSeconds\":10,"
    "\"emailState\":{\"state\":\"pending\",\"valid\":\"\",\"pending\":\"new@example.fr\","
    "\"tries\":5,\"ttl\":600,\"x\":true}}");
  g_autoptr(CarnetEntMailState) alone = build (c,
    "{\"state\":\"outdated\",\"valid\":\"old@example.fr\",\"pending\":\"new@example.fr\",\"tries\":0}");
  g_autoptr(CarnetEntMailState) valid = build (c,
    "{\"emailState\":{\"state\":\"valid\",\"valid\":\"v@example.fr\"}}");

  g_assert_cmpint (carnet_ent_mail_state_get_kind (none), ==, CARNET_ENT_MAIL_STATE_NONE);
  g_assert_cmpuint (carnet_ent_mail_state_get_wait_in_seconds (none), ==, 10);
  g_assert_cmpstr (carnet_ent_mail_state_get_display_name (none), ==, "N M");
  g_assert_cmpstr (carnet_ent_mail_state_get_pending (none), ==, "");

  g_assert_cmpint (carnet_ent_mail_state_get_kind (pending), ==, CARNET_ENT_MAIL_STATE_PENDING);
  g_assert_cmpstr (carnet_ent_mail_state_get_email (pending), ==, "n@example.fr");
  g_assert_cmpstr (carnet_ent_mail_state_get_pending (pending), ==, "new@example.fr");
  g_assert_cmpuint (carnet_ent_mail_state_get_tries (pending), ==, 5);
  g_assert_cmpuint (carnet_ent_mail_state_get_ttl (pending), ==, 600);

  g_assert_cmpint (carnet_ent_mail_state_get_kind (alone), ==, CARNET_ENT_MAIL_STATE_OUTDATED);
  g_assert_cmpstr (carnet_ent_mail_state_get_valid (alone), ==, "old@example.fr");
  g_assert_cmpuint (carnet_ent_mail_state_get_tries (alone), ==, 0);

  g_assert_cmpint (carnet_ent_mail_state_get_kind (valid), ==, CARNET_ENT_MAIL_STATE_VALID);
  g_assert_cmpstr (carnet_ent_mail_state_get_valid (valid), ==, "v@example.fr");

  assert_protocol (c, "{}");
  assert_protocol (c, "{\"email\":\"x\"}");
  assert_protocol (c, "{\"emailState\":{\"state\":\"weird\"}}");
  assert_protocol (c, "{\"emailState\":{}}");
  assert_protocol (c, "{\"emailState\":\"valid\"}");
  assert_protocol (c, "{\"emailState\":{\"state\":\"pending\",\"tries\":\"5\"}}");
  assert_protocol (c, "{\"emailState\":{\"state\":\"pending\",\"tries\":-1}}");
  assert_protocol (c, "{\"emailState\":{\"state\":\"pending\",\"ttl\":1.5}}");
  assert_protocol (c, "{\"emailState\":null,\"waitInSeconds\":\"10\"}");
  assert_protocol (c, "{\"state\":3}");
}

static void
test_children (void)
{
  g_autoptr(CarnetEntUser) user = build ((Constructor) carnet_ent_user_new_from_json, user_json);
  g_autoptr(JsonNode) node = parse (
    "[{\"structureName\":\"Collège Jean Jaurès\",\"children\":["
    "{\"id\":\"c-1\",\"displayName\":\"Yanis Benali\",\"externalId\":\"x\",\"classesNames\":[\"5ème C\"]}]},"
    "{\"structureName\":\"École Jules Ferry\",\"children\":["
    "{\"id\":\"c-2\",\"displayName\":\"Inès Benali\",\"classesNames\":[\"CM2\"]},"
    "{\"id\":\"c-3\",\"displayName\":\"Unknown Child\"}]}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) children = carnet_ent_children_new_from_json (node, user, &error);
  CarnetEntChild *child;

  g_assert_no_error (error);
  g_assert_cmpuint (children->len, ==, 3);

  child = g_ptr_array_index (children, 0);
  g_assert_cmpstr (carnet_ent_child_get_id (child), ==, "c-1");
  g_assert_cmpstr (carnet_ent_child_get_first_name (child), ==, "Yanis");
  g_assert_cmpstr (carnet_ent_child_get_school_name (child), ==, "Collège Jean Jaurès");
  g_assert_cmpstrv (carnet_ent_child_get_classes (child), ((const char *[]) { "5ème C", NULL }));

  child = g_ptr_array_index (children, 1);
  g_assert_cmpstr (carnet_ent_child_get_first_name (child), ==, "Inès");
  g_assert_cmpstr (carnet_ent_child_get_school_name (child), ==, "École Jules Ferry");

  child = g_ptr_array_index (children, 2);
  g_assert_cmpstr (carnet_ent_child_get_display_name (child), ==, "Unknown Child");
  g_assert_cmpstr (carnet_ent_child_get_first_name (child), ==, "");
  g_assert_null (carnet_ent_child_get_classes (child)[0]);

  assert_protocol (children_without_user, "{}");
  assert_protocol (children_without_user, "[1]");
  assert_protocol (children_without_user, "[{\"structureName\":\"S\"}]");
  assert_protocol (children_without_user, "[{\"structureName\":\"S\",\"children\":[{\"displayName\":\"D\"}]}]");
  assert_protocol (children_without_user, "[{\"structureName\":\"S\",\"children\":[{\"id\":\"c\"}]}]");
  assert_protocol (children_without_user, "[{\"structureName\":\"S\",\"children\":[{\"id\":\"c\",\"displayName\":\"D\",\"classesNames\":[null]}]}]");
  assert_protocol (children_without_user, "[{\"structureName\":5,\"children\":[]}]");
}

static void
test_schools (void)
{
  g_autoptr(GPtrArray) none = build (schools, "{}");
  g_autoptr(GPtrArray) two = build (schools,
    "{\"structures\":[{\"structureName\":\"Collège Jean Jaurès\",\"structureId\":\"jean-jaures-calais\"},"
    "{\"structureName\":\"École Jules Ferry\",\"structureId\":\"jules-ferry-calais\",\"x\":1}]}");

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpstr (carnet_ent_school_get_id (g_ptr_array_index (two, 1)), ==, "jules-ferry-calais");
  g_assert_cmpstr (carnet_ent_school_get_name (g_ptr_array_index (two, 0)), ==, "Collège Jean Jaurès");

  /* entcore's forgot-id: one row per (account, structure), loginAlias and
   * activationCode included, any of them null (ENT-CORRECTIONS 8). */
  {
    g_autoptr(GPtrArray) rows = build (schools,
      "{\"structures\":["
      "{\"loginAlias\":null,\"activationCode\":null,\"structureName\":\"Collège Jean Jaurès\",\"structureId\":\"s1\"},"
      "{\"loginAlias\":\"a.b\",\"activationCode\":\"x\",\"structureName\":\"École Jules Ferry\",\"structureId\":\"s2\"},"
      "{\"loginAlias\":null,\"activationCode\":null,\"structureName\":\"Collège Jean Jaurès\",\"structureId\":\"s1\"},"
      "{\"loginAlias\":null,\"activationCode\":null,\"structureName\":null,\"structureId\":null},"
      "{\"structureName\":null,\"structureId\":\"s3\"}]}");

    g_assert_cmpuint (rows->len, ==, 3);
    g_assert_cmpstr (carnet_ent_school_get_id (g_ptr_array_index (rows, 0)), ==, "s1");
    g_assert_cmpstr (carnet_ent_school_get_id (g_ptr_array_index (rows, 1)), ==, "s2");
    g_assert_cmpstr (carnet_ent_school_get_name (g_ptr_array_index (rows, 2)), ==, "s3");
  }

  assert_protocol (schools, "[]");
  assert_protocol (schools, "{\"structures\":[{\"structureId\":null,\"structureName\":\"S\"}]}");
  assert_protocol (schools, "{\"structures\":{}}");
  assert_protocol (schools, "{\"structures\":[{\"structureName\":\"S\"}]}");
  assert_protocol (schools, "{\"structures\":[{\"structureId\":1,\"structureName\":\"S\"}]}");
}

static void
test_small_answers (void)
{
  g_autoptr(JsonNode) yes = parse ("{\"match\":true}");
  g_autoptr(JsonNode) no = parse ("{\"match\":false,\"x\":1}");
  g_autoptr(JsonNode) bad = parse ("{\"match\":\"true\"}");
  g_autoptr(JsonNode) i18n = parse ("{\"auth.charter\":\" /assets/cgu/Charte.pdf \",\"other\":\"x\"}");
  g_autoptr(JsonNode) no_charter = parse ("{\"other\":\"x\"}");
  g_autoptr(JsonNode) form_error = parse ("{\"error\":{\"message\":\"a<br />b\"},\"resetCode\":\"X\"}");
  g_autoptr(JsonNode) key_error = parse ("{\"error\":\"invalid.login\"}");
  g_autoptr(JsonNode) ok = parse ("{\"status\":\"ok\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  gboolean matches = FALSE;

  g_assert_true (carnet_ent_match_from_json (yes, &matches, &error));
  g_assert_no_error (error);
  g_assert_true (matches);
  g_assert_true (carnet_ent_match_from_json (no, &matches, &error));
  g_assert_false (matches);
  g_assert_false (carnet_ent_match_from_json (bad, &matches, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  g_clear_error (&error);

  path = carnet_ent_charter_path_from_json (i18n, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/assets/cgu/Charte.pdf");
  g_assert_null (carnet_ent_charter_path_from_json (no_charter, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_true (carnet_ent_form_error_from_json (form_error, &message, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (message, ==, "a<br />b");
  g_clear_pointer (&message, g_free);
  g_assert_true (carnet_ent_form_error_from_json (key_error, &message, &error));
  g_assert_cmpstr (message, ==, "invalid.login");
  g_clear_pointer (&message, g_free);
  g_assert_true (carnet_ent_form_error_from_json (ok, &message, &error));
  g_assert_no_error (error);
  g_assert_null (message);
}

/* A 200 answer whose "error" cannot be read is not a refusal ("the ENT
 * refused what you typed", "this link has expired") but an answer Carnet
 * does not understand. */
static void
test_form_error_mistyped (void)
{
  static const char * const refusals[] = {
    "{\"error\":{\"message\":\"Le code est invalide.\"},\"resetCode\":\"ABCD1234\"}",
    "{\"error\":\"invalid.login\"}",
    "{\"error\":\"\"}",
  };
  static const char * const no_refusal[] = {
    "{}",
    "{\"status\":\"ok\"}",
    "{\"error\":null,\"structures\":[]}",
  };
  static const char * const unreadable[] = {
    /* What the test ENT's "mistyped" fault answers. */
    "{\"userId\":42,\"login\":true,\"error\":12,\"structures\":\"jean-jaures-calais\"}",
    "{\"error\":true}",
    "{\"error\":[\"invalid.login\"]}",
    "{\"error\":{}}",
    "{\"error\":{\"message\":12}}",
    "{\"error\":{\"message\":null}}",
    "{\"error\":{\"message\":[\"a\"]}}",
    "[]",
    "\"error\"",
    "12",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr(JsonNode) node = parse (refusals[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      g_assert_true (carnet_ent_form_error_from_json (node, &message, &error));
      g_assert_no_error (error);
      g_assert_nonnull (message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (no_refusal); i++)
    {
      g_autoptr(JsonNode) node = parse (no_refusal[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      g_assert_true (carnet_ent_form_error_from_json (node, &message, &error));
      g_assert_no_error (error);
      g_assert_null (message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      g_autoptr(JsonNode) node = parse (unreadable[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;

      g_test_message ("%s", unreadable[i]);
      g_assert_false (carnet_ent_form_error_from_json (node, &message, &error));
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
      g_assert_null (message);
    }

  /* No body at all (not JSON): the same. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *message = NULL;

    g_assert_false (carnet_ent_form_error_from_json (NULL, &message, &error));
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  }
}

/* PUT /auth/cgu/revalidate (204) and PUT /directory/user/mailstate (200,
 * empty): nothing to read, but what is there must not contradict success. */
static void
test_empty_answer (void)
{
  static const char * const accepted[] = { "", " \r\n", "{}", "{\"status\":\"ok\"}", "{\"error\":null}" };
  static const char * const refused[] = {
    /* The test ENT's "malformed" and "mistyped" faults. */
    "{\"userId\":\"u-frederic\",\"login\":\"frederic\",\"children\":{\"c-lea\":{\"firstName\":\"L",
    "{\"userId\":42,\"login\":true,\"error\":12}",
    "{\"error\":\"cgu.accept.failed\"}",
    "{\"error\":{\"message\":\"Erreur\"}}",
    "<html><body>OK</body></html>",
    "OK",
    "[]",
    "true",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (carnet_ent_empty_answer_check (accepted[i], strlen (accepted[i]), &error));
      g_assert_no_error (error);
    }
  g_assert_true (carnet_ent_empty_answer_check (NULL, 0, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", refused[i]);
      g_assert_false (carnet_ent_empty_answer_check (refused[i], strlen (refused[i]), &error));
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    }
}

/* --- errors -------------------------------------------------------------- */

static void
test_error_extended (void)
{
  g_autoptr(GError) error = carnet_ent_error_new_full (CARNET_ENT_ERROR_BANNED, CARNET_ENT_FIELD_LOGIN,
                                                       "Trop d’essais", 900, "Wait");
  g_autoptr(GError) copy = g_error_copy (error);
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_cmpint (carnet_ent_error_get_field (copy), ==, CARNET_ENT_FIELD_LOGIN);
  g_assert_cmpstr (carnet_ent_error_get_server_message (copy), ==, "Trop d’essais");
  g_assert_cmpuint (carnet_ent_error_get_retry_after (copy), ==, 900);
  g_assert_cmpstr (copy->message, ==, "Wait");

  /* Other domains answer defaults, without a critical. */
  g_assert_cmpint (carnet_ent_error_get_field (other), ==, CARNET_ENT_FIELD_NONE);
  g_assert_null (carnet_ent_error_get_server_message (other));
  g_assert_cmpuint (carnet_ent_error_get_retry_after (other), ==, 0);
  g_assert_cmpint (carnet_ent_error_get_field (NULL), ==, CARNET_ENT_FIELD_NONE);
}

static void
test_error_transport (void)
{
  static const struct { GQuark domain; int code; GTlsCertificateFlags flags; CarnetEntError expected; } cases[] = {
    { 0, G_IO_ERROR_TIMED_OUT, 0, CARNET_ENT_ERROR_TIMEOUT },
    { 0, G_IO_ERROR_CONNECTION_REFUSED, 0, CARNET_ENT_ERROR_NETWORK },
    { 0, G_IO_ERROR_CONNECTION_CLOSED, 0, CARNET_ENT_ERROR_NETWORK },
    { 1, G_RESOLVER_ERROR_NOT_FOUND, 0, CARNET_ENT_ERROR_NETWORK },
    { 2, G_TLS_ERROR_BAD_CERTIFICATE, G_TLS_CERTIFICATE_UNKNOWN_CA, CARNET_ENT_ERROR_TLS },
    { 2, G_TLS_ERROR_BAD_CERTIFICATE, 0, CARNET_ENT_ERROR_TLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domain = cases[i].domain == 0 ? G_IO_ERROR :
                      cases[i].domain == 1 ? G_RESOLVER_ERROR : G_TLS_ERROR;
      g_autoptr(GError) in = g_error_new_literal (domain, cases[i].code, "low level");
      g_autoptr(GError) out = carnet_ent_error_from_transport (in, cases[i].flags);

      g_assert_error (out, CARNET_ENT_ERROR, (int) cases[i].expected);
      g_assert_cmpstr (out->message, !=, "low level");
    }

  /* A cancellation stays GIO's, as callers test it, with our message. */
  {
    g_autoptr(GError) in = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "low level");
    g_autoptr(GError) out = carnet_ent_error_from_transport (in, 0);

    g_assert_error (out, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpstr (out->message, ==, "Cancelled.");
  }

  {
    g_autoptr(GError) in = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "x");
    g_autoptr(GError) host = carnet_ent_error_from_transport (in, G_TLS_CERTIFICATE_BAD_IDENTITY);
    g_autoptr(GError) expired = carnet_ent_error_from_transport (in, G_TLS_CERTIFICATE_EXPIRED);
    g_autoptr(GError) untrusted = carnet_ent_error_from_transport (in, G_TLS_CERTIFICATE_UNKNOWN_CA);

    /* Each cause gets its own explanation. */
    g_assert_cmpstr (host->message, !=, expired->message);
    g_assert_cmpstr (host->message, !=, untrusted->message);
    g_assert_cmpstr (expired->message, !=, untrusted->message);
  }
}

static void
test_error_login_page (void)
{
  static const struct { const char *html; CarnetEntError code; } cases[] = {
    { "<html><p i18n>auth.error.authenticationFailed</p><a href=\"/auth/activation\">x</a></html>", CARNET_ENT_ERROR_BAD_CREDENTIALS },
    { "<div class=\"error\">auth.error.ban</div>", CARNET_ENT_ERROR_BANNED },
    { "auth.error.blockedUser", CARNET_ENT_ERROR_BLOCKED },
    { "auth.error.blockedProfileType", CARNET_ENT_ERROR_BLOCKED },
    { "auth.error.global", CARNET_ENT_ERROR_SERVER },
    { "<form action=\"/auth/activation\"><input name=\"activationCode\"></form>", CARNET_ENT_ERROR_NOT_ACTIVATED },
    { "<html>Welcome</html>", CARNET_ENT_ERROR_PROTOCOL },
    { "", CARNET_ENT_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = carnet_ent_error_from_login_page (cases[i].html, strlen (cases[i].html));

      g_assert_error (error, CARNET_ENT_ERROR, (int) cases[i].code);
      if (cases[i].code == CARNET_ENT_ERROR_BANNED)
        g_assert_cmpuint (carnet_ent_error_get_retry_after (error), ==, 900);
    }
}

static void
test_error_form_message (void)
{
  static const struct {
    CarnetEntForm form;
    const char *message;
    CarnetEntError code;
    CarnetEntField field;
  } cases[] = {
    { CARNET_ENT_FORM_ACTIVATION, "activation.error", CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD },
    { CARNET_ENT_FORM_ACTIVATION, "invalid.cgu", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CHARTER },
    { CARNET_ENT_FORM_ACTIVATION, "Le mot de passe ne respecte pas les règles de sécurité", CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD },
    { CARNET_ENT_FORM_ACTIVATION, "L'adresse mail est invalide", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL },
    { CARNET_ENT_FORM_ACTIVATION, "Le numéro de téléphone est invalide", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE },
    { CARNET_ENT_FORM_ACTIVATION, "Les mots de passe ne sont pas identiques", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CONFIRM_PASSWORD },
    { CARNET_ENT_FORM_RESET, "Le code de réinitialisation a expiré", CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE },
    { CARNET_ENT_FORM_RESET, "reset.error", CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE },
    { CARNET_ENT_FORM_RESET, "Something else", CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE },
    { CARNET_ENT_FORM_RESET, "This password has already been used", CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD },
    { CARNET_ENT_FORM_CHANGE_PASSWORD, "L'ancien mot de passe est incorrect", CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD },
    { CARNET_ENT_FORM_CHANGE_PASSWORD, "auth.error.ban", CARNET_ENT_ERROR_BANNED, CARNET_ENT_FIELD_NONE },
    { CARNET_ENT_FORM_CHANGE_PASSWORD, "Mystery", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = carnet_ent_error_from_form_message (cases[i].form, cases[i].message);

      if (!g_error_matches (error, CARNET_ENT_ERROR, cases[i].code) ||
          carnet_ent_error_get_field (error) != cases[i].field)
        g_error ("“%s” gave %d/%d", cases[i].message, error->code, carnet_ent_error_get_field (error));
      g_assert_nonnull (carnet_ent_error_get_server_message (error));
    }
}

static void
test_error_clean_message (void)
{
  g_autofree char *a = carnet_ent_error_clean_server_message ("Mot de passe invalide<br />Mail invalide<br/><b>x</b>");
  g_autofree char *b = carnet_ent_error_clean_server_message ("plain");
  g_autofree char *c = carnet_ent_error_clean_server_message ("<br /><br />");
  g_autoptr(GError) error = carnet_ent_error_from_form_message (CARNET_ENT_FORM_ACTIVATION,
                                                                "Mail invalide<br />Téléphone invalide");

  g_assert_cmpstr (a, ==, "Mot de passe invalide\nMail invalide\nx");
  g_assert_cmpstr (b, ==, "plain");
  g_assert_cmpstr (c, ==, "");
  g_assert_null (carnet_ent_error_clean_server_message (NULL));
  g_assert_cmpstr (carnet_ent_error_get_server_message (error), ==, "Mail invalide\nTéléphone invalide");
}

static void
test_error_status (void)
{
  static const struct {
    guint status;
    const char *json;
    CarnetEntError code;
    gboolean expired;
  } cases[] = {
    { 500, "{\"error\":\"x\"}", CARNET_ENT_ERROR_SERVER, FALSE },
    { 503, NULL, CARNET_ENT_ERROR_SERVER, FALSE },
    { 509, "{\"error\":\"quota_overflow\"}", CARNET_ENT_ERROR_RATE_LIMITED, FALSE },
    { 429, NULL, CARNET_ENT_ERROR_RATE_LIMITED, FALSE },
    { 403, "{\"error\":\"invalid.xsrf.token\"}", CARNET_ENT_ERROR_SESSION_EXPIRED, TRUE },
    { 401, NULL, CARNET_ENT_ERROR_BAD_CREDENTIALS, FALSE },
    { 401, "{\"error\":\"access_denied\"}", CARNET_ENT_ERROR_BAD_CREDENTIALS, FALSE },
    { 401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.ban\"}", CARNET_ENT_ERROR_BANNED, FALSE },
    { 401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.blockedUser\"}", CARNET_ENT_ERROR_BLOCKED, FALSE },
    { 401, "{\"error\":\"access_denied\",\"error_description\":\"auth.error.authenticationFailed\"}", CARNET_ENT_ERROR_BAD_CREDENTIALS, FALSE },
    { 403, "{\"error\":\"auth.error.activation.code\"}", CARNET_ENT_ERROR_NOT_ACTIVATED, FALSE },
    { 400, "{\"error\":\"invalid.login\"}", CARNET_ENT_ERROR_INVALID_INPUT, FALSE },
    { 404, NULL, CARNET_ENT_ERROR_PROTOCOL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) json = cases[i].json != NULL ? parse (cases[i].json) : NULL;
      gboolean expired = !cases[i].expired;
      g_autoptr(GError) error = carnet_ent_error_from_status (cases[i].status, json,
                                                              CARNET_ENT_FIELD_NONE, &expired);

      g_assert_error (error, CARNET_ENT_ERROR, (int) cases[i].code);
      g_assert_cmpint (expired, ==, cases[i].expired);
      if (cases[i].code == CARNET_ENT_ERROR_BANNED)
        g_assert_cmpuint (carnet_ent_error_get_retry_after (error), ==, 900);
      if (cases[i].status == 400)
        g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_LOGIN);
    }

  /* forgot-id without a usable mail: 400 and an empty body (ENT-CORRECTIONS 8). */
  {
    gboolean expired = TRUE;
    g_autoptr(GError) error = carnet_ent_error_from_status (400, NULL, CARNET_ENT_FIELD_MAIL, &expired);

    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
    g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_MAIL);
    g_assert_false (expired);
  }
}

static void
test_error_redirect (void)
{
  gboolean expired = FALSE;
  g_autoptr(GError) login = carnet_ent_error_from_redirect_path ("/auth/login", &expired);
  g_autoptr(GError) password = NULL;
  g_autoptr(GError) terms = NULL;
  g_autoptr(GError) mail = NULL;

  g_assert_error (login, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_assert_true (expired);

  password = carnet_ent_error_from_redirect_path ("/auth/reset/forceChangePassword", &expired);
  g_assert_error (password, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED);
  g_assert_cmpint (carnet_ent_error_get_field (password), ==, CARNET_ENT_FIELD_NEW_PASSWORD);
  g_assert_false (expired);

  terms = carnet_ent_error_from_redirect_path ("/auth/revalidate-terms", &expired);
  g_assert_cmpint (carnet_ent_error_get_field (terms), ==, CARNET_ENT_FIELD_CHARTER);
  mail = carnet_ent_error_from_redirect_path ("/auth/validate-mail", &expired);
  g_assert_cmpint (carnet_ent_error_get_field (mail), ==, CARNET_ENT_FIELD_MAIL);

  g_assert_null (carnet_ent_error_from_redirect_path ("/", &expired));
  g_assert_null (carnet_ent_error_from_redirect_path ("/auth/loginx", &expired));
}

/* --- translated messages (ENT-CORRECTIONS 1, 4, 5) ------------------------ */

/* entcore 6.15.4 auth/src/main/resources/i18n/fr.json and en.json, the keys
 * Carnet meets (en.json has no auth.error.ban etc.: the ENT then answers
 * the raw key). */
static const char i18n_fr[] =
  "{\"activation.error\":\"Erreur lors de l'activation, veuillez vérifier votre identifiant et votre code d'activation.\","
  "\"auth.activation.error.code.missing\":\"Le code d'activation est requis.\","
  "\"auth.activation.error.email.blocked\":\"Cette adresse email n'est pas autorisée.\","
  "\"auth.activation.error.email.format\":\"Le format de l'adresse email est invalide.\","
  "\"auth.activation.error.email.mandatory\":\"L'adresse email est obligatoire.\","
  "\"auth.activation.error.login.missing\":\"L'identifiant est requis.\","
  "\"auth.activation.error.password.format\":\"Le mot de passe ne respecte pas les contraintes de sécurité.\","
  "\"auth.activation.error.password.mismatch\":\"Les deux mots de passe ne concordent pas.\","
  "\"auth.activation.error.password.missing\":\"Le mot de passe est requis.\","
  "\"auth.activation.error.phone.mandatory\":\"Le numéro de téléphone mobile est obligatoire.\","
  "\"auth.charter\":\"/assets/cgu/Edifice_Charte_d_utilisation.pdf\","
  "\"auth.error.authenticationFailed\":\"L'identifiant ou le mot de passe est incorrect.\","
  "\"auth.error.ban\":\"Pour des raisons de sécurité, votre compte est bloqué temporairement suite à un trop grand nombre de tentatives de connexion. Veuillez réessayer ultérieurement.\","
  "\"auth.error.blockedProfileType\":\"L'accès à votre réseau éducatif est temporairement bloqué pour votre profil d'utilisateur.\","
  "\"auth.error.blockedUser\":\"L'administrateur de votre établissement a bloqué votre accès à votre réseau éducatif. Veuillez le contacter.\","
  "\"auth.error.global\":\"Votre réseau éducatif est momentanément indisponible, notre équipe fait le maximum pour résoudre ces perturbations le plus rapidement possible.\","
  "\"auth.error.otpDisabled\":\"Mode d'authentification non autorisé\","
  "\"auth.reset.invalid.argument\":\"Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe n’a pas déjà été utilisé et que les deux saisies sont identiques.\","
  "\"invalid.cgu\":\"Vous devez accepter les conditions générales d'utilisation\","
  "\"phone.validation.error.invalid.format\":\"Le format du numéro de téléphone est invalide.\","
  "\"phone.validation.error.not.mobile\":\"Ce numéro n'est pas un numéro de mobile.\","
  "\"reset.error\":\"Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe n’a pas déjà été utilisé et que les deux saisies sont identiques.\","
  "\"number\":3,\"object\":{\"a\":\"b\"}}";

static const char i18n_en[] =
  "{\"activation.error\":\"Activation error\","
  "\"auth.activation.error.email.format\":\"Email address format is invalid.\","
  "\"auth.activation.error.email.blocked\":\"This email address is not allowed.\","
  "\"auth.activation.error.password.mismatch\":\"Passwords do not match.\","
  "\"auth.error.authenticationFailed\":\"Invalid login or password\","
  "\"auth.reset.invalid.argument\":\"Form errors\","
  "\"invalid.cgu\":\"You must accept the terms and conditions\","
  "\"reset.error\":\"Reset error\"}";

static GHashTable *
reverse_of (const char *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  GHashTable *reverse = carnet_ent_i18n_reverse_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reverse);

  return reverse;
}

/* login.html as entcore renders it: Mustache escapes the message. */
static char *
login_page (const char *escaped_message)
{
  return g_strdup_printf ("<!doctype html>\n<html>\n\t<head>\n\t\t<title>Connexion</title>\n"
                          "\t\t<script type=\"text/javascript\" src=\"/assets/js/entcore/ng-app.js?v=6.15.4\" id=\"context\"></script>\n"
                          "        <script type=\"text/javascript\">var notLoggedIn = true;</script>\n"
                          "\t</head>\n"
                          "\t<body class=\"login\" ng-controller=\"LoginController\"\n"
                          "\t\t  ng-init='error = \"%s\"; callBack = \"\"; mainPage = \"\"'>\n"
                          "\t\t<default-styles><div class=\"absolute\"><div ng-include=\"template.containers.main\"></div></div></default-styles>\n"
                          "\t</body>\n</html>\n", escaped_message);
}

static void
test_html_unescape (void)
{
  g_autofree char *all = carnet_ent_html_unescape ("&#39;&quot;&amp;&lt;&gt;&#x60;&#x3D;&#X3d;");
  g_autofree char *plain = carnet_ent_html_unescape ("L'ENT & co");
  g_autofree char *unknown = carnet_ent_html_unescape ("&nbsp;&#39");
  g_autofree char *twice = carnet_ent_html_unescape ("&amp;#39;");

  g_assert_cmpstr (all, ==, "'\"&<>`==");
  g_assert_cmpstr (plain, ==, "L'ENT & co");
  g_assert_cmpstr (unknown, ==, "&nbsp;&#39");
  /* Decoded once, as a browser would. */
  g_assert_cmpstr (twice, ==, "&#39;");
  g_assert_null (carnet_ent_html_unescape (NULL));
}

static void
test_i18n_reverse (void)
{
  g_autoptr(GHashTable) fr = reverse_of (i18n_fr);
  g_auto(GStrv) shared = carnet_ent_i18n_lookup (fr, "Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe n'a pas déjà été utilisé et que les deux saisies sont identiques.");
  g_auto(GStrv) spaced = carnet_ent_i18n_lookup (fr, "  L'identifiant ou le mot de passe\n est  incorrect. ");
  g_auto(GStrv) raw = carnet_ent_i18n_lookup (fr, "auth.error.ban");
  g_auto(GStrv) raw_alone = carnet_ent_i18n_lookup (NULL, "auth.error.blockedUser");
  g_auto(GStrv) unknown = carnet_ent_i18n_lookup (fr, "Bonjour");
  g_auto(GStrv) not_a_key = carnet_ent_i18n_lookup (NULL, "Bonjour.");

  /* Two keys, one French text (FR:67,149): both are kept. */
  g_assert_nonnull (shared);
  g_assert_true (g_strv_contains ((const char * const *) shared, "reset.error"));
  g_assert_true (g_strv_contains ((const char * const *) shared, "auth.reset.invalid.argument"));
  g_assert_nonnull (spaced);
  g_assert_cmpstr (spaced[0], ==, "auth.error.authenticationFailed");
  g_assert_cmpstr (raw[0], ==, "auth.error.ban");
  g_assert_cmpstr (raw_alone[0], ==, "auth.error.blockedUser");
  g_assert_null (unknown);
  g_assert_null (not_a_key);
  g_assert_null (carnet_ent_i18n_lookup (fr, NULL));
  g_assert_null (carnet_ent_i18n_lookup (fr, ""));

  g_assert_true (carnet_ent_text_is_key ("phone.validation.error.not.mobile"));
  g_assert_false (carnet_ent_text_is_key ("Mot de passe."));
  g_assert_false (carnet_ent_text_is_key ("nokey"));
  g_assert_false (carnet_ent_text_is_key (".x"));

  {
    g_autoptr(JsonNode) array = parse ("[\"a\"]");
    g_autoptr(GError) error = NULL;

    g_assert_null (carnet_ent_i18n_reverse_new_from_json (array, &error));
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  }
}

static void
test_login_page_translated (void)
{
  g_autoptr(GHashTable) fr = reverse_of (i18n_fr);
  g_autoptr(GHashTable) en = reverse_of (i18n_en);
  static const struct {
    const char *escaped;     /* as in the page */
    gboolean english;
    CarnetEntError code;
    const char *server_message;
  } cases[] = {
    { "L&#39;identifiant ou le mot de passe est incorrect.", FALSE, CARNET_ENT_ERROR_BAD_CREDENTIALS,
      "L'identifiant ou le mot de passe est incorrect." },
    { "Pour des raisons de sécurité, votre compte est bloqué temporairement suite à un trop grand nombre de tentatives de connexion. Veuillez réessayer ultérieurement.",
      FALSE, CARNET_ENT_ERROR_BANNED, NULL },
    { "L&#39;administrateur de votre établissement a bloqué votre accès à votre réseau éducatif. Veuillez le contacter.",
      FALSE, CARNET_ENT_ERROR_BLOCKED, NULL },
    { "L&#39;accès à votre réseau éducatif est temporairement bloqué pour votre profil d&#39;utilisateur.",
      FALSE, CARNET_ENT_ERROR_BLOCKED, NULL },
    { "Votre réseau éducatif est momentanément indisponible, notre équipe fait le maximum pour résoudre ces perturbations le plus rapidement possible.",
      FALSE, CARNET_ENT_ERROR_SERVER, NULL },
    { "Mode d&#39;authentification non autorisé", FALSE, CARNET_ENT_ERROR_BLOCKED, NULL },
    { "Invalid login or password", TRUE, CARNET_ENT_ERROR_BAD_CREDENTIALS, "Invalid login or password" },
    /* en.json has no translation for these: the raw key. */
    { "auth.error.ban", TRUE, CARNET_ENT_ERROR_BANNED, NULL },
    { "auth.error.blockedUser", TRUE, CARNET_ENT_ERROR_BLOCKED, NULL },
    { "auth.error.blockedProfileType", TRUE, CARNET_ENT_ERROR_BLOCKED, NULL },
    { "auth.error.global", TRUE, CARNET_ENT_ERROR_SERVER, NULL },
    { "auth.error.otpDisabled", TRUE, CARNET_ENT_ERROR_BLOCKED, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *page = login_page (cases[i].escaped);
      g_autoptr(GError) error = carnet_ent_error_from_login_page_full (page, strlen (page),
                                                                        cases[i].english ? en : fr);

      if (!g_error_matches (error, CARNET_ENT_ERROR, cases[i].code))
        g_error ("“%s” gave %d", cases[i].escaped, error->code);
      if (cases[i].server_message != NULL)
        g_assert_cmpstr (carnet_ent_error_get_server_message (error), ==, cases[i].server_message);
      if (cases[i].code == CARNET_ENT_ERROR_BANNED)
        {
          g_assert_cmpuint (carnet_ent_error_get_retry_after (error), ==, 900);
          /* Says when to try again. */
          g_assert_nonnull (strstr (error->message, "15"));
        }
      if (cases[i].code == CARNET_ENT_ERROR_BAD_CREDENTIALS)
        g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_PASSWORD);
      /* A translated text needs the dictionary; a raw key does not. */
      g_assert_cmpint (carnet_ent_login_page_needs_i18n (page, strlen (page)), ==,
                       strchr (cases[i].escaped, ' ') != NULL);

      /* Without the dictionary, the French texts are read by their words. */
      if (!cases[i].english)
        {
          g_autoptr(GError) fallback = carnet_ent_error_from_login_page_full (page, strlen (page), NULL);

          if (!g_error_matches (fallback, CARNET_ENT_ERROR, cases[i].code) &&
              !(i == 5 && g_error_matches (fallback, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL)))
            g_error ("without the dictionary “%s” gave %d", cases[i].escaped, fallback->code);
        }
    }

  /* Every escape Mustache writes, decoded before the lookup. */
  {
    g_autofree char *text = NULL;
    g_autofree char *page = login_page ("&lt;b&gt; &quot;x&quot; &amp; &#x60;y&#x60; &#x3D; &#39;z&#39;");

    text = carnet_ent_login_page_error_text (page, strlen (page));
    g_assert_cmpstr (text, ==, "<b> \"x\" & `y` = 'z'");
  }

  /* No error: an empty message, or no ng-init at all. */
  {
    g_autofree char *empty = login_page ("");
    g_autoptr(GError) error = carnet_ent_error_from_login_page_full (empty, strlen (empty), fr);

    g_assert_null (carnet_ent_login_page_error_text (empty, strlen (empty)));
    g_assert_false (carnet_ent_login_page_needs_i18n (empty, strlen (empty)));
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    g_assert_null (carnet_ent_login_page_error_text ("<html ng-init='x'>", 18));
    g_assert_null (carnet_ent_login_page_error_text ("ng-init='error = \"unterminated", 30));
  }

  /* activation.html (the provisional code typed as a password): its
   * ng-init has no error, and an "error" elsewhere in the page is not one. */
  {
    static const char activation[] =
      "<body ng-controller=\"ActivationController\"\n"
      "\t\t  ng-init='user.login=\"frederic\";user.activationCode=\"7KQ4M2PX\";user.email=\"\";user.phone=\"\"'>\n"
      "<script>var error = \"x\";</script><form action=\"/auth/activation\"><input name=\"activationCode\"></form></body>";
    static const char two[] = "<p ng-init='x = 1'></p><b ng-init='callBack = \"\"; error = \"auth.error.ban\"'></b>";
    static const char not_a_statement[] = "<b ng-init='myerror = \"x\"; error=\"auth.error.global\"'></b>";
    g_autoptr(GError) error = carnet_ent_error_from_login_page_full (activation, strlen (activation), NULL);
    g_autofree char *ban = carnet_ent_login_page_error_text (two, strlen (two));
    g_autofree char *global = carnet_ent_login_page_error_text (not_a_statement, strlen (not_a_statement));

    g_assert_null (carnet_ent_login_page_error_text (activation, strlen (activation)));
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NOT_ACTIVATED);
    g_assert_cmpstr (ban, ==, "auth.error.ban");
    g_assert_cmpstr (global, ==, "auth.error.global");
  }

  /* An unknown message is not a wrong password: PROTOCOL, its text kept. */
  {
    g_autofree char *page = login_page ("Maintenance en cours");
    g_autoptr(GError) error = carnet_ent_error_from_login_page_full (page, strlen (page), fr);

    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    g_assert_cmpstr (carnet_ent_error_get_server_message (error), ==, "Maintenance en cours");
  }
}

static void
test_error_banned_message (void)
{
  g_autofree char *fifteen = carnet_ent_error_banned_message (900);
  g_autofree char *one = carnet_ent_error_banned_message (30);
  g_autofree char *unknown = carnet_ent_error_banned_message (0);

  g_assert_nonnull (strstr (fifteen, "15 minutes"));
  g_assert_nonnull (strstr (one, "1 minute"));
  g_assert_null (strstr (unknown, "minute"));
}

static void
test_form_message_keys (void)
{
  g_autoptr(GHashTable) fr = reverse_of (i18n_fr);
  g_autoptr(GHashTable) en = reverse_of (i18n_en);
  static const char shared_fr[] = "Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe n’a pas déjà été utilisé et que les deux saisies sont identiques.";
  static const struct {
    CarnetEntForm form;
    gboolean english;
    const char *message;
    CarnetEntError code;
    CarnetEntField field;
    const char *in_message;   /* a word of Carnet's message */
  } cases[] = {
    /* Activation: each check maps to its field; the first in the form's order. */
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Le format de l'adresse email est invalide.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL, "valid email" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Cette adresse email n'est pas autorisée.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL, "does not accept" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "L'adresse email est obligatoire.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL, "needs an email" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE,
      "Ce numéro n'est pas un numéro de mobile.<br />Le format de l'adresse email est invalide.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL, "landline" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE,
      "Les deux mots de passe ne concordent pas.<br />Le mot de passe ne respecte pas les contraintes de sécurité.",
      CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD, "not the same" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Le code d'activation est requis.<br />L'identifiant est requis.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN, "provisional" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Le numéro de téléphone mobile est obligatoire.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE, "mobile" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Le format du numéro de téléphone est invalide.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE, "valid phone" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Erreur lors de l'activation, veuillez vérifier votre identifiant et votre code d'activation.",
      CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD, "provisional" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "invalid.cgu", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CHARTER, "charter" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "Vous devez accepter les conditions générales d'utilisation",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CHARTER, "charter" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "auth.activation.error.email.blocked",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL, "does not accept" },
    { CARNET_ENT_FORM_ACTIVATION, FALSE, "phone.validation.error.premium.blocked",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE, "premium" },
    { CARNET_ENT_FORM_ACTIVATION, TRUE, "Email address format is invalid.<br />Passwords do not match.",
      CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CONFIRM_PASSWORD, "not the same" },
    { CARNET_ENT_FORM_ACTIVATION, TRUE, "Activation error", CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD, "provisional" },
    /* Change password: one French text for both keys. */
    { CARNET_ENT_FORM_CHANGE_PASSWORD, FALSE, shared_fr, CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD, "used before" },
    { CARNET_ENT_FORM_CHANGE_PASSWORD, TRUE, "Reset error", CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD, "current password" },
    { CARNET_ENT_FORM_CHANGE_PASSWORD, TRUE, "Form errors", CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD, "rule" },
    { CARNET_ENT_FORM_CHANGE_PASSWORD, FALSE, "reset.error", CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD, "used before" },
    /* Reset, before /auth/reset/match is asked: the code. */
    { CARNET_ENT_FORM_RESET, FALSE, shared_fr, CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE, "expired" },
    { CARNET_ENT_FORM_RESET, TRUE, "Reset error", CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE, "expired" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = carnet_ent_error_from_form_message_full (cases[i].form, cases[i].message,
                                                                          cases[i].english ? en : fr);

      if (!g_error_matches (error, CARNET_ENT_ERROR, cases[i].code) ||
          carnet_ent_error_get_field (error) != cases[i].field ||
          strstr (error->message, cases[i].in_message) == NULL)
        g_error ("“%s” gave %d/%d “%s”", cases[i].message, error->code,
                 carnet_ent_error_get_field (error), error->message);
      g_assert_nonnull (carnet_ent_error_get_server_message (error));
    }

  /* Several failed checks: every one is named. */
  {
    g_autoptr(GError) error = carnet_ent_error_from_form_message_full (CARNET_ENT_FORM_ACTIVATION,
      "Ce numéro n'est pas un numéro de mobile.<br />Le format de l'adresse email est invalide.", fr);

    g_assert_nonnull (strstr (error->message, "valid email"));
    g_assert_nonnull (strstr (error->message, "landline"));
    g_assert_true (strstr (error->message, "valid email") < strstr (error->message, "landline"));
  }

  g_assert_true (carnet_ent_form_message_is_reset_refusal (shared_fr, fr));
  g_assert_true (carnet_ent_form_message_is_reset_refusal ("Reset error", en));
  g_assert_false (carnet_ent_form_message_is_reset_refusal ("Activation error", en));

  {
    g_autoptr(GError) expired = carnet_ent_error_reset_refused (FALSE, shared_fr);
    g_autoptr(GError) used = carnet_ent_error_reset_refused (TRUE, shared_fr);

    g_assert_error (expired, CARNET_ENT_ERROR, CARNET_ENT_ERROR_CODE_EXPIRED);
    g_assert_cmpint (carnet_ent_error_get_field (expired), ==, CARNET_ENT_FIELD_CODE);
    g_assert_error (used, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY);
    g_assert_cmpint (carnet_ent_error_get_field (used), ==, CARNET_ENT_FIELD_NEW_PASSWORD);
    g_assert_nonnull (strstr (used->message, "not used before"));
  }

  {
    g_autoptr(GError) code = carnet_ent_error_reset_code_as_password ("abcd2345");

    g_assert_error (code, CARNET_ENT_ERROR, CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD);
    g_assert_cmpstr (carnet_ent_error_get_server_message (code), ==, "abcd2345");
    g_assert_cmpint (CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD, ==, CARNET_ENT_ERROR_ACTION_REQUIRED + 1);
  }
}

static void
test_accept_language (void)
{
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("ent.example.fr", NULL);
  const char *language = carnet_ent_client_get_accept_language (client);

  /* The user's language, French when the locale names none. */
  g_assert_nonnull (language);
  g_assert_cmpuint (strlen (language), >=, 2);
  g_assert_false (g_str_has_prefix (language, "C"));
  if (g_strcmp0 (g_get_language_names ()[0], "C") == 0)
    g_assert_cmpstr (language, ==, "fr");

  carnet_ent_client_set_accept_language (client, "en");
  g_assert_cmpstr (carnet_ent_client_get_accept_language (client), ==, "en");

  /* From the locale: the region kept, the language alone after it. */
  {
    g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

    g_setenv ("LANGUAGE", "fr_FR.UTF-8", TRUE);
    carnet_ent_client_set_accept_language (client, NULL);
    g_assert_cmpstr (carnet_ent_client_get_accept_language (client), ==, "fr-FR, fr;q=0.9");

    g_setenv ("LANGUAGE", "en@quot:fr", TRUE);
    carnet_ent_client_set_accept_language (client, NULL);
    g_assert_cmpstr (carnet_ent_client_get_accept_language (client), ==, "en");

    g_setenv ("LANGUAGE", "C", TRUE);
    carnet_ent_client_set_accept_language (client, NULL);
    if (g_strcmp0 (g_get_language_names ()[0], "C") == 0)
      g_assert_cmpstr (carnet_ent_client_get_accept_language (client), ==, "fr");

    if (saved != NULL)
      g_setenv ("LANGUAGE", saved, TRUE);
    else
      g_unsetenv ("LANGUAGE");
  }
}

/* --- the client without a server ----------------------------------------- */

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
test_client_local_validation (void)
{
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("ent.invalid", NULL);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  carnet_ent_client_login_async (client, "  ", "x", NULL, wait_cb, &result);
  g_assert_false (carnet_ent_client_login_finish (client, wait_for (&result), &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_LOGIN);
  g_clear_error (&error);
  g_clear_object (&result);

  carnet_ent_client_activate_async (client, "frederic", "7KQ4M2PX", "Bonjour2026", "Bonjour2025",
                                    "f@example.fr", NULL, TRUE, NULL, wait_cb, &result);
  g_assert_false (carnet_ent_client_activate_finish (client, wait_for (&result), NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CONFIRM_PASSWORD);
  /* No password in the message. */
  g_assert_null (strstr (error->message, "Bonjour"));
  g_clear_error (&error);
  g_clear_object (&result);

  carnet_ent_client_activate_async (client, "frederic", "7KQ4M2PX", "Bonjour2026", "Bonjour2026",
                                    "f@example.fr", NULL, FALSE, NULL, wait_cb, &result);
  g_assert_false (carnet_ent_client_activate_finish (client, wait_for (&result), NULL, &error));
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CHARTER);
  g_clear_error (&error);
  g_clear_object (&result);

  carnet_ent_client_reset_password_async (client, "karim", "https://other.fr/auth/reset/AbC12345",
                                          "Bonjour2026", "Bonjour2026", NULL, wait_cb, &result);
  g_assert_false (carnet_ent_client_reset_password_finish (client, wait_for (&result), &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_CODE);
  g_clear_error (&error);
  g_clear_object (&result);

  carnet_ent_client_change_password_async (client, "karim", "Same2026x", "Same2026x", "Same2026x",
                                           NULL, wait_cb, &result);
  g_assert_false (carnet_ent_client_change_password_finish (client, wait_for (&result), &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PASSWORD_POLICY);
  g_clear_error (&error);
  g_clear_object (&result);

  carnet_ent_client_send_mail_code_async (client, "not-a-mail", NULL, wait_cb, &result);
  g_assert_false (carnet_ent_client_send_mail_code_finish (client, wait_for (&result), &error));
  g_assert_cmpint (carnet_ent_error_get_field (error), ==, CARNET_ENT_FIELD_MAIL);
  g_clear_error (&error);
  g_clear_object (&result);
}

static void
test_client_cancelled (void)
{
  g_autoptr(CarnetEntClient) client = carnet_ent_client_new ("127.0.0.1:9", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  g_cancellable_cancel (cancellable);
  carnet_ent_client_get_context_async (client, cancellable, wait_cb, &result);
  g_assert_null (carnet_ent_client_get_context_finish (client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
}

static void
test_client_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(CarnetEntClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  GAsyncResult *result = NULL;
  guint16 port;

  /* Find a free port, then close it: connecting is refused at once. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  address = g_strdup_printf ("127.0.0.1:%u", port);
  client = carnet_ent_client_new (address, NULL);
  carnet_ent_client_get_context_async (client, NULL, wait_cb, &result);
  g_assert_null (carnet_ent_client_get_context_finish (client, wait_for (&result), &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NETWORK);
  g_clear_object (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ent/address/normalize", test_normalize_good);
  g_test_add_func ("/ent/address/garbage", test_normalize_bad);
  g_test_add_func ("/ent/address/hostile", test_normalize_hostile);
  g_test_add_func ("/ent/address/display", test_host_for_display);
  g_test_add_func ("/ent/client/new", test_client_new);
  g_test_add_func ("/ent/client/ca-file", test_client_ca_file);
  g_test_add_func ("/ent/reset-code/good", test_reset_code_good);
  g_test_add_func ("/ent/reset-code/bad", test_reset_code_bad);
  g_test_add_func ("/ent/json/garbage", test_json_parse_bad);
  g_test_add_func ("/ent/json/deep", test_json_parse_deep);
  g_test_add_func ("/ent/json/deep-hidden", test_json_parse_deep_hidden);
  g_test_add_func ("/ent/json/context", test_context);
  g_test_add_func ("/ent/json/context/whole-match", test_context_whole_match);
  g_test_add_func ("/ent/json/context/bad", test_context_bad);
  g_test_add_func ("/ent/json/user", test_user);
  g_test_add_func ("/ent/json/user/minimal", test_user_minimal);
  g_test_add_func ("/ent/json/user/federated", test_user_federated);
  g_test_add_func ("/ent/json/user/bad", test_user_bad);
  g_test_add_func ("/ent/json/requirements", test_requirements);
  g_test_add_func ("/ent/json/mail-state", test_mail_state);
  g_test_add_func ("/ent/json/children", test_children);
  g_test_add_func ("/ent/json/schools", test_schools);
  g_test_add_func ("/ent/json/small-answers", test_small_answers);
  g_test_add_func ("/ent/json/form-error/mistyped", test_form_error_mistyped);
  g_test_add_func ("/ent/json/empty-answer", test_empty_answer);
  g_test_add_func ("/ent/error/extended", test_error_extended);
  g_test_add_func ("/ent/error/transport", test_error_transport);
  g_test_add_func ("/ent/error/login-page", test_error_login_page);
  g_test_add_func ("/ent/error/form-message", test_error_form_message);
  g_test_add_func ("/ent/error/clean-message", test_error_clean_message);
  g_test_add_func ("/ent/error/status", test_error_status);
  g_test_add_func ("/ent/error/redirect", test_error_redirect);
  g_test_add_func ("/ent/error/html-unescape", test_html_unescape);
  g_test_add_func ("/ent/error/i18n-reverse", test_i18n_reverse);
  g_test_add_func ("/ent/error/login-page/translated", test_login_page_translated);
  g_test_add_func ("/ent/error/banned-message", test_error_banned_message);
  g_test_add_func ("/ent/error/form-message/keys", test_form_message_keys);
  g_test_add_func ("/ent/client/accept-language", test_accept_language);
  g_test_add_func ("/ent/client/local-validation", test_client_local_validation);
  g_test_add_func ("/ent/client/cancelled", test_client_cancelled);
  g_test_add_func ("/ent/client/refused", test_client_refused);

  return g_test_run ();
}
