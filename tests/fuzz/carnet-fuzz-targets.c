/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-fuzz"

#include "config.h"

#include <string.h>

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-secret-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-types-private.h"
#include "carnet-ent-timeline-private.h"
#include "carnet-fuzz.h"

/* The invariants every parser keeps on any input, whatever the ENT sends:
 * a result or an error, never both, never neither; errors are ours and
 * carry a message a page can show; every string a page may show is valid
 * UTF-8 (GTK warns on anything else). A broken one aborts: libFuzzer and
 * the replay test both report it as a crash. */

static void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    g_error ("invalid UTF-8 in a parsed string");
}

static void
check_strv (const char * const *strv)
{
  g_assert_nonnull (strv);
  /* g_assert_nonnull() may return (non-fatal assertions): without this,
   * an optimised build warns of the NULL dereference below. */
  if (strv == NULL)
    return;
  for (guint i = 0; strv[i] != NULL; i++)
    check_text (strv[i]);
}

static void
check_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == CARNET_ENT_ERROR);
  g_assert_nonnull (error->message);
  g_assert_true (error->message[0] != '\0');
  check_text (error->message);
  check_text (carnet_ent_error_get_server_message (error));
}

/* Exactly one of @result and @error. */
static void
check_outcome (gconstpointer  result,
               const GError  *error)
{
  if (result != NULL)
    g_assert_null (error);
  else
    check_error (error);
}

/* A small dictionary of GET /auth/i18n (entcore's French texts, two keys
 * sharing one), for the readers that map texts back to keys. */
static GHashTable *
sample_i18n (void)
{
  static const char json[] =
    "{\"auth.error.authenticationFailed\":\"L'identifiant ou le mot de passe est incorrect.\","
    "\"auth.error.ban\":\"Pour des raisons de sécurité, votre compte est bloqué temporairement.\","
    "\"auth.activation.error.email.format\":\"Le format de l'adresse email est invalide.\","
    "\"phone.validation.error.not.mobile\":\"Ce numéro n'est pas un numéro de mobile.\","
    "\"activation.error\":\"Erreur lors de l'activation.\","
    "\"reset.error\":\"Le formulaire contient des erreurs.\","
    "\"auth.reset.invalid.argument\":\"Le formulaire contient des erreurs.\"}";
  g_autoptr(JsonNode) node = carnet_ent_json_parse (json, strlen (json), NULL);
  GHashTable *reverse = carnet_ent_i18n_reverse_new_from_json (node, NULL);

  g_assert_nonnull (reverse);
  return reverse;
}

/* Parses @data as an ENT answer body. A refused body is a PROTOCOL error. */
static JsonNode *
parse_json (const guint8 *data,
            gsize         size)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = carnet_ent_json_parse ((const char *) data, size, &error);

  check_outcome (node, error);
  if (node == NULL)
    g_assert_true (error->code == CARNET_ENT_ERROR_PROTOCOL);

  return node;
}

/* A copy of @data with a terminating NUL, for the parsers of text. */
static char *
to_string (const guint8 *data,
           gsize         size)
{
  return g_strndup ((const char *) data, size);
}

/* --- GET /auth/context ---------------------------------------------------- */

static void
fuzz_context (const guint8 *data,
              gsize         size)
{
  static const char * const passwords[] = {
    "", "a", "Soleil2026", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "Élève-2026 «ok»",
  };
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntContext) context = NULL;

  if (node == NULL)
    return;

  context = carnet_ent_context_new_from_json (node, &error);
  check_outcome (context, error);
  if (context == NULL)
    return;

  check_text (carnet_ent_context_get_password_regex (context));
  check_text (carnet_ent_context_get_password_rule (context, TRUE));
  check_text (carnet_ent_context_get_password_rule (context, FALSE));
  (void) carnet_ent_context_get_cgu (context);
  (void) carnet_ent_context_get_mail_mandatory (context);
  (void) carnet_ent_context_get_phone_mandatory (context);
  /* The ENT's regex runs on what the user types. */
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    (void) carnet_ent_context_check_password (context, passwords[i]);
}

/* --- GET /auth/oauth2/userinfo -------------------------------------------- */

static void
check_user (CarnetEntUser *user)
{
  const char * const *ids;

  check_text (carnet_ent_user_get_id (user));
  check_text (carnet_ent_user_get_login (user));
  check_text (carnet_ent_user_get_display_name (user));
  check_text (carnet_ent_user_get_first_name (user));
  check_text (carnet_ent_user_get_last_name (user));
  check_text (carnet_ent_user_get_email (user));
  check_text (carnet_ent_user_get_mobile (user));
  check_text (carnet_ent_user_get_profile_type (user));
  (void) carnet_ent_user_is_parent (user);
  (void) carnet_ent_user_get_force_change_password (user);
  (void) carnet_ent_user_get_need_revalidate_terms (user);
  check_strv (carnet_ent_user_get_structure_names (user));
  ids = carnet_ent_user_get_children_ids (user);
  check_strv (ids);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *first = NULL;
      const char *last = NULL;

      if (carnet_ent_user_lookup_child (user, ids[i], &first, &last))
        {
          check_text (first);
          check_text (last);
        }
    }
  (void) carnet_ent_user_lookup_child (user, "no-such-child", NULL, NULL);
}

static void
fuzz_userinfo (const guint8 *data,
               gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  if (node == NULL)
    return;

  user = carnet_ent_user_new_from_json (node, &error);
  check_outcome (user, error);
  if (user != NULL)
    check_user (user);
}

/* --- GET /auth/user/requirements ------------------------------------------ */

static void
fuzz_requirements (const guint8 *data,
                   gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntRequirements) requirements = NULL;

  if (node == NULL)
    return;

  requirements = carnet_ent_requirements_new_from_json (node, &error);
  check_outcome (requirements, error);
  if (requirements == NULL)
    return;

  (void) carnet_ent_requirements_get_force_change_password (requirements);
  (void) carnet_ent_requirements_get_need_revalidate_terms (requirements);
  (void) carnet_ent_requirements_get_need_revalidate_email (requirements);
  (void) carnet_ent_requirements_get_need_revalidate_mobile (requirements);
  (void) carnet_ent_requirements_get_need_mfa (requirements);
}

/* --- /directory/user/mailstate -------------------------------------------- */

static void
fuzz_mailstate (const guint8 *data,
                gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntMailState) state = NULL;
  CarnetEntMailStateKind kind;

  /* PUT's answer, which has nothing to read. */
  if (carnet_ent_empty_answer_check ((const char *) data, size, &error))
    g_assert_null (error);
  else
    check_error (error);
  g_clear_error (&error);

  if (node == NULL)
    return;

  state = carnet_ent_mail_state_new_from_json (node, &error);
  check_outcome (state, error);
  if (state == NULL)
    return;

  check_text (carnet_ent_mail_state_get_email (state));
  check_text (carnet_ent_mail_state_get_display_name (state));
  check_text (carnet_ent_mail_state_get_valid (state));
  check_text (carnet_ent_mail_state_get_pending (state));
  kind = carnet_ent_mail_state_get_kind (state);
  g_assert_true (kind >= CARNET_ENT_MAIL_STATE_NONE && kind <= CARNET_ENT_MAIL_STATE_VALID);
  (void) carnet_ent_mail_state_get_wait_in_seconds (state);
  (void) carnet_ent_mail_state_get_tries (state);
  (void) carnet_ent_mail_state_get_ttl (state);
}

/* --- GET /directory/user/<id>/children ------------------------------------ */

/* Karim Benali's userinfo from the test ENT, the names of the children. */
static const char user_json[] =
  "{\"userId\":\"u-karim\",\"login\":\"karim.benali\",\"username\":\"Karim Benali\","
  "\"firstName\":\"Karim\",\"lastName\":\"Benali\",\"type\":\"Relative\",\"email\":\"\","
  "\"mobile\":\"\",\"structureNames\":[\"Collège Jean Jaurès\"],"
  "\"childrenIds\":[\"c-yanis\",\"c-ines\"],"
  "\"children\":{\"c-yanis\":{\"firstName\":\"Yanis\",\"lastName\":\"Benali\"},"
  "\"c-ines\":{\"firstName\":\"Inès\",\"lastName\":\"Benali\"}},"
  "\"forceChangePassword\":false,\"needRevalidateTerms\":false}";

static void
check_children (GPtrArray    *children,
                const GError *error)
{
  check_outcome (children, error);
  if (children == NULL)
    return;

  for (guint i = 0; i < children->len; i++)
    {
      CarnetEntChild *child = g_ptr_array_index (children, i);

      check_text (carnet_ent_child_get_id (child));
      check_text (carnet_ent_child_get_display_name (child));
      check_text (carnet_ent_child_get_first_name (child));
      check_text (carnet_ent_child_get_last_name (child));
      check_text (carnet_ent_child_get_school_name (child));
      check_strv (carnet_ent_child_get_classes (child));
    }
}

static void
fuzz_children (const guint8 *data,
               gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(JsonNode) user_node = NULL;
  g_autoptr(CarnetEntUser) user = NULL;

  if (node == NULL)
    return;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) children = carnet_ent_children_new_from_json (node, NULL, &error);

    check_children (children, error);
  }

  user_node = carnet_ent_json_parse (user_json, strlen (user_json), NULL);
  user = carnet_ent_user_new_from_json (user_node, NULL);
  g_assert_nonnull (user);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) children = carnet_ent_children_new_from_json (node, user, &error);

    check_children (children, error);
  }
}

/* --- POST /auth/forgot-id ------------------------------------------------- */

static void
fuzz_forgot_id (const guint8 *data,
                gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schools = NULL;
  g_autofree char *message = NULL;

  if (node == NULL)
    return;

  /* The client reads a form error first, then the schools. */
  if (!carnet_ent_form_error_from_json (node, &message, &error))
    {
      g_assert_null (message);
      check_error (error);
      g_clear_error (&error);
    }
  if (message != NULL)
    {
      g_autofree char *clean = carnet_ent_error_clean_server_message (message);

      check_text (clean);
    }

  schools = carnet_ent_schools_new_from_json (node, &error);
  check_outcome (schools, error);
  if (schools == NULL)
    return;

  for (guint i = 0; i < schools->len; i++)
    {
      CarnetEntSchool *school = g_ptr_array_index (schools, i);

      check_text (carnet_ent_school_get_id (school));
      check_text (carnet_ent_school_get_name (school));
    }
}

/* --- POST /auth/activation/match ------------------------------------------ */

static void
fuzz_activation_match (const guint8 *data,
                       gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  gboolean matches = 2;
  gboolean ok;

  if (node == NULL)
    return;

  ok = carnet_ent_match_from_json (node, &matches, &error);
  if (ok)
    {
      g_assert_null (error);
      g_assert_true (matches == TRUE || matches == FALSE);
    }
  else
    check_error (error);
}

/* --- GET /auth/i18n: the charter's path ----------------------------------- */

static void
fuzz_i18n_charter (const guint8 *data,
                   gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (node == NULL)
    return;

  path = carnet_ent_charter_path_from_json (node, &error);
  check_outcome (path, error);
  check_text (path);
}

/* --- 200 {"error":{"message":…}} of the public forms ---------------------- */

static void
fuzz_form_error (const guint8 *data,
                 gsize         size)
{
  static const CarnetEntForm forms[] = {
    CARNET_ENT_FORM_ACTIVATION, CARNET_ENT_FORM_RESET, CARNET_ENT_FORM_CHANGE_PASSWORD,
  };
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GError) unreadable = NULL;
  g_autofree char *message = NULL;

  if (node == NULL)
    return;

  if (!carnet_ent_form_error_from_json (node, &message, &unreadable))
    {
      g_assert_null (message);
      check_error (unreadable);
      return;
    }
  g_assert_null (unreadable);
  if (message == NULL)
    return;

  check_text (message);
  {
    g_autoptr(GHashTable) reverse = sample_i18n ();

    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      {
        g_autoptr(GError) error = carnet_ent_error_from_form_message (forms[i], message);
        g_autoptr(GError) mapped = carnet_ent_error_from_form_message_full (forms[i], message, reverse);
        g_autoptr(GError) raw = carnet_ent_error_from_form_message_full (forms[i], message, NULL);

        check_error (error);
        check_error (mapped);
        check_error (raw);
      }
    (void) carnet_ent_form_message_is_reset_refusal (message, reverse);
  }
}

/* --- error bodies: {"error":"key","error_description":"…"} with a status -- */

static void
fuzz_error_body (const guint8 *data,
                 gsize         size)
{
  static const guint statuses[] = { 400, 401, 403, 404, 429, 500, 502, 509 };
  /* Also what the client does with a body it cannot read (NULL). */
  g_autoptr(JsonNode) node = parse_json (data, size);
  const char *key = NULL;
  const char *description = NULL;

  carnet_ent_error_keys_from_json (node, &key, &description);
  check_text (key);
  check_text (description);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean expired = 2;

      error = carnet_ent_error_from_status (statuses[i], node, CARNET_ENT_FIELD_PASSWORD, &expired);
      g_assert_true (expired == TRUE || expired == FALSE);
      if (error != NULL)
        check_error (error);
      /* Only 400, 403 and 404 may be left to the operation. */
      else
        g_assert_true (statuses[i] == 400 || statuses[i] == 403 || statuses[i] == 404);
      if (expired)
        g_assert_nonnull (error);
    }

  {
    g_autoptr(GError) error = carnet_ent_error_from_auth_key (key);

    if (error != NULL)
      check_error (error);
  }
}

/* --- the 200 HTML page of a failed POST /auth/login ----------------------- */

static void
fuzz_login_page (const guint8 *data,
                 gsize         size)
{
  g_autoptr(GError) error = carnet_ent_error_from_login_page ((const char *) data, size);
  g_autoptr(GHashTable) reverse = sample_i18n ();
  g_autoptr(GError) mapped = carnet_ent_error_from_login_page_full ((const char *) data, size, reverse);
  g_autofree char *message = carnet_ent_login_page_error_text ((const char *) data, size);
  g_autofree char *text = to_string (data, size);
  g_autofree char *unescaped = carnet_ent_html_unescape (text);

  check_error (error);
  check_error (mapped);
  check_text (message);
  if (message != NULL)
    g_assert_true (message[0] != '\0');
  /* Only a message that is not a raw key needs the dictionary. */
  if (carnet_ent_login_page_needs_i18n ((const char *) data, size))
    g_assert_nonnull (message);
  /* Decoding never makes a text longer. */
  g_assert_cmpuint (strlen (unescaped), <=, strlen (text));
}

/* --- GET /auth/i18n, inverted to read translated messages ------------------ */

static void
fuzz_i18n (const guint8 *data,
           gsize         size)
{
  g_autoptr(JsonNode) node = parse_json (data, size);
  g_autoptr(GHashTable) reverse = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer text, keys;

  if (node == NULL)
    return;

  reverse = carnet_ent_i18n_reverse_new_from_json (node, &error);
  check_outcome (reverse, error);
  if (reverse == NULL)
    return;

  /* Every text found again, under keys that are valid text. */
  g_hash_table_iter_init (&iter, reverse);
  while (g_hash_table_iter_next (&iter, &text, &keys))
    {
      g_auto(GStrv) found = carnet_ent_i18n_lookup (reverse, text);

      check_text (text);
      check_text (keys);
      g_assert_nonnull (found);
      check_strv ((const char * const *) found);
    }

  {
    g_autofree char *page = g_strdup_printf ("<body ng-init='error = \"%s\"'>", "L&#39;identifiant ou le mot de passe est incorrect.");
    g_autoptr(GError) login = carnet_ent_error_from_login_page_full (page, strlen (page), reverse);
    g_autoptr(GError) form = carnet_ent_error_from_form_message_full (CARNET_ENT_FORM_ACTIVATION,
                                                                       "a<br />b", reverse);

    check_error (login);
    check_error (form);
  }
}

/* --- a redirect's Location on an authenticated route ---------------------- */

static void
fuzz_redirect (const guint8 *data,
               gsize         size)
{
  g_autofree char *location = to_string (data, size);
  g_autoptr(GUri) base = g_uri_parse ("https://ent.example.fr/auth/oauth2/userinfo",
                                      G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  gboolean expired = 2;

  /* As the client reads a Location header. */
  uri = g_uri_parse_relative (base, location, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return;

  error = carnet_ent_error_from_redirect_path (g_uri_get_path (uri), &expired);
  g_assert_true (expired == TRUE || expired == FALSE);
  if (error != NULL)
    check_error (error);
  if (expired)
    g_assert_nonnull (error);
}

/* --- the reset link (or code) pasted from the mail ------------------------ */

static void
check_code (const char   *code,
            const GError *error)
{
  check_outcome (code, error);
  if (code == NULL)
    {
      g_assert_true (error->code == CARNET_ENT_ERROR_INVALID_INPUT);
      g_assert_true (carnet_ent_error_get_field (error) == CARNET_ENT_FIELD_CODE);
      return;
    }

  /* Whatever was pasted, what goes to the ENT is a short plain code. */
  g_assert_cmpuint (strlen (code), >=, 4);
  g_assert_cmpuint (strlen (code), <=, 64);
  for (const char *p = code; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
}

static void
fuzz_reset_link (const guint8 *data,
                 gsize         size)
{
  g_autofree char *text = to_string (data, size);

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *code = carnet_ent_parse_reset_code (text, NULL, &error);

    check_code (code, error);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *code = carnet_ent_parse_reset_code (text, "127.0.0.1:8443", &error);

    check_code (code, error);
  }
}

/* --- the ENT address typed from the letter -------------------------------- */

static void
fuzz_address (const guint8 *data,
              gsize         size)
{
  g_autofree char *text = to_string (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = carnet_ent_normalize_address (text, &error);

  check_outcome (address, error);
  if (address == NULL)
    {
      g_assert_true (error->code == CARNET_ENT_ERROR_INVALID_INPUT);
      return;
    }

  /* Never a path, a query, a user or a password; and stable. */
  g_assert_true (g_str_has_prefix (address, "https://"));
  g_assert_null (strchr (address + strlen ("https://"), '/'));
  g_assert_null (strchr (address, '?'));
  g_assert_null (strchr (address, '@'));
  g_assert_null (strchr (address, '#'));
  {
    g_autofree char *again = carnet_ent_normalize_address (address, NULL);

    g_assert_cmpstr (again, ==, address);
  }
}

/* --- the request bodies Carnet writes (passwords and codes) --------------- */

/* The input, cut at each NUL, gives up to 8 values, made valid UTF-8 as a
 * GTK entry gives them ("\x7f" alone stands for NULL). The form must be
 * byte for byte what g_uri_escape_string gives, the JSON must read back
 * as the same values, and both must be as long as they say. */
static void
fuzz_request_body (const guint8 *data,
                   gsize         size)
{
  static const char * const names[] = { "login", "password", "a\"b", "c\\d", "e&f", "g=h", "é", "k" };
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  CarnetEntPair pairs[G_N_ELEMENTS (names)];
  const char *p = size > 0 ? (const char *) data : "";   /* libFuzzer's empty input may be NULL */
  const char *end = p + size;
  guint n_pairs = 0, n_values = 0;
  JsonObject *object;
  char *form, *json;
  gsize length;

  while (n_pairs < G_N_ELEMENTS (names))
    {
      const char *nul = memchr (p, '\0', end - p);
      gsize len = (nul != NULL ? nul : end) - p;
      char *value = g_utf8_make_valid (p, len);

      g_ptr_array_add (values, value);
      pairs[n_pairs].name = names[n_pairs];
      pairs[n_pairs].value = g_str_equal (value, "\x7f") ? NULL : value;
      n_pairs++;
      if (nul == NULL)
        break;
      p = nul + 1;
    }

  form = carnet_ent_secret_form (pairs, n_pairs, &length);
  for (guint i = 0; i < n_pairs; i++)
    {
      g_autofree char *name = g_uri_escape_string (pairs[i].name, NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (pairs[i].value != NULL ? pairs[i].value : "", NULL, FALSE);

      g_string_append_printf (expected, "%s%s=%s", i > 0 ? "&" : "", name, value);
    }
  g_assert_cmpstr (form, ==, expected->str);
  g_assert_cmpuint (length, ==, strlen (form));
  carnet_ent_secret_free (form);

  json = carnet_ent_secret_json (pairs, n_pairs, &length);
  g_assert_cmpuint (length, ==, strlen (json));
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  for (guint i = 0; i < n_pairs; i++)
    {
      if (pairs[i].value == NULL)
        {
          g_assert_false (json_object_has_member (object, pairs[i].name));
          continue;
        }
      g_assert_cmpstr (json_object_get_string_member (object, pairs[i].name), ==, pairs[i].value);
      n_values++;
    }
  g_assert_cmpuint (json_object_get_size (object), ==, n_values);
  carnet_ent_secret_free (json);
}

/* --- the timeline (issue 16) ---------------------------------------------- */

#define TIMELINE_BASE "https://ent.example.fr"

/* What a label may show: valid UTF-8, no control character, no bidi
 * override, white space folded to single spaces, trimmed. */
static void
check_safe_text (const char *text)
{
  gboolean previous_space = TRUE;

  g_assert_nonnull (text);
  if (text == NULL)
    return;
  check_text (text);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean space = c == ' ';

      if (g_unichar_iscntrl (c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
          (g_unichar_isspace (c) && !space))
        g_error ("unsafe character U+%04X in a text", c);
      if (space && previous_space)
        g_error ("a leading or doubled space in a text");
      previous_space = space;
    }
  if (*text != '\0' && previous_space)
    g_error ("a trailing space in a text");
}

static void
check_notifications (GPtrArray    *notifications,
                     const GError *error)
{
  GDateTime *previous = NULL;

  check_outcome (notifications, error);
  if (notifications == NULL)
    return;

  for (guint i = 0; i < notifications->len; i++)
    {
      CarnetEntNotification *n = g_ptr_array_index (notifications, i);
      const char *link = carnet_ent_notification_get_link (n);
      GDateTime *date = carnet_ent_notification_get_date (n);

      check_text (carnet_ent_notification_get_id (n));
      g_assert_true (carnet_ent_notification_get_id (n)[0] != '\0');
      check_text (carnet_ent_notification_get_kind (n));
      check_text (carnet_ent_notification_get_event_type (n));
      check_text (carnet_ent_notification_get_sender_id (n));
      check_text (carnet_ent_notification_get_message_html (n));
      check_safe_text (carnet_ent_notification_get_sender_name (n));
      check_safe_text (carnet_ent_notification_get_text (n));
      /* Never another site, never a scheme that runs something. */
      if (link != NULL)
        {
          check_text (link);
          g_assert_true (g_str_has_prefix (link, TIMELINE_BASE "/"));
        }
      g_assert_nonnull (date);
      if (previous != NULL)
        g_assert_true (g_date_time_compare (previous, date) >= 0);
      previous = date;
    }
}

static void
fuzz_timeline (const guint8 *data,
               gsize         size)
{
  g_autoptr(JsonNode) node = NULL;

  /* The HTML of a message, as it comes. */
  {
    g_autofree char *text = carnet_ent_html_to_text ((const char *) data, (gssize) size);

    check_safe_text (text);
  }

  node = parse_json (data, size);
  if (node == NULL)
    return;

  /* The same body through each reader of the timeline's answers. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) notifications = carnet_ent_notifications_new_from_json (node, TIMELINE_BASE, &error);

    check_notifications (notifications, error);
  }
  {
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) types = carnet_ent_timeline_types_from_json (node, &error);

    check_outcome (types, error);
    if (types != NULL)
      check_strv ((const char * const *) types);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) i18n = carnet_ent_timeline_i18n_new_from_json (node, &error);

    check_outcome (i18n, error);
    if (i18n != NULL)
      {
        GHashTableIter iter;
        const char *key, *value;

        g_hash_table_iter_init (&iter, i18n);
        while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
          {
            check_text (key);
            check_safe_text (value);
          }
        (void) carnet_ent_timeline_i18n_lookup_type (i18n, "MESSAGERIE");
        (void) carnet_ent_timeline_i18n_lookup_event (i18n, "MESSAGERIE", "SEND-MESSAGE");
      }
  }
  for (guint l = 0; l < 3; l++)
    {
      static const char * const languages[] = { "fr", "en", NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = carnet_ent_flash_messages_new_from_json (node, languages[l], &error);

      check_outcome (messages, error);
      for (guint i = 0; messages != NULL && i < messages->len; i++)
        {
          CarnetEntFlashMessage *m = g_ptr_array_index (messages, i);
          const char *id = carnet_ent_flash_message_get_id (m);

          /* A decimal number: what mark-read puts in its path. */
          g_assert_true (id[0] != '\0' && strspn (id, "0123456789") == strlen (id));
          check_safe_text (carnet_ent_flash_message_get_title (m));
          check_safe_text (carnet_ent_flash_message_get_text (m));
        }
    }
}

/* ------------------------------------------------------------------------ */

static const CarnetFuzzTarget targets[] = {
  { "context", fuzz_context },
  { "userinfo", fuzz_userinfo },
  { "requirements", fuzz_requirements },
  { "mailstate", fuzz_mailstate },
  { "children", fuzz_children },
  { "forgot-id", fuzz_forgot_id },
  { "activation-match", fuzz_activation_match },
  { "i18n-charter", fuzz_i18n_charter },
  { "form-error", fuzz_form_error },
  { "error-body", fuzz_error_body },
  { "login-page", fuzz_login_page },
  { "i18n", fuzz_i18n },
  { "redirect", fuzz_redirect },
  { "reset-link", fuzz_reset_link },
  { "address", fuzz_address },
  { "request-body", fuzz_request_body },
  { "timeline", fuzz_timeline },
};

const CarnetFuzzTarget *
carnet_fuzz_get_targets (guint *n_targets)
{
  *n_targets = G_N_ELEMENTS (targets);
  return targets;
}

const CarnetFuzzTarget *
carnet_fuzz_find_target (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_strcmp0 (targets[i].name, name) == 0)
      return &targets[i];

  return NULL;
}

void
carnet_fuzz_init (void)
{
  /* The parsers promise never to warn: a warning is a finding. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* No debug output: millions of runs. */
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
}
