/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

/* SEED.md, as data. Passwords are given in clear here only so that the seed
 * reads like the table; they are hashed before anything reaches disk. */
static const char seed_json[] =
  "{"
  " \"version\": 1, \"clockOffset\": 0, \"mailCounter\": 0, \"failures\": {},"
  " \"invalidEmails\": [\"interdit@example.fr\"],"
  " \"structures\": ["
  "  {\"id\": \"jean-jaures-calais\", \"name\": \"Collège Jean Jaurès\", \"city\": \"Calais\"},"
  "  {\"id\": \"jules-ferry-calais\", \"name\": \"École élémentaire Jules Ferry\", \"city\": \"Calais\"}"
  " ],"
  " \"children\": ["
  "  {\"id\": \"c-lea\", \"firstName\": \"Léa\", \"lastName\": \"Martin\", \"externalId\": \"EXT-C-LEA\", \"className\": \"4ème B\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-hugo\", \"firstName\": \"Hugo\", \"lastName\": \"Martin\", \"externalId\": \"EXT-C-HUGO\", \"className\": \"6ème A\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-yanis\", \"firstName\": \"Yanis\", \"lastName\": \"Benali\", \"externalId\": \"EXT-C-YANIS\", \"className\": \"5ème C\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-ines\", \"firstName\": \"Inès\", \"lastName\": \"Benali\", \"externalId\": \"EXT-C-INES\", \"className\": \"CM2\", \"structureId\": \"jules-ferry-calais\"},"
  "  {\"id\": \"c-emma\", \"firstName\": \"Emma\", \"lastName\": \"Leroy\", \"externalId\": \"EXT-C-EMMA\", \"className\": \"3ème A\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-lucas\", \"firstName\": \"Lucas\", \"lastName\": \"Dubois\", \"externalId\": \"EXT-C-LUCAS\", \"className\": \"5ème A\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-manon\", \"firstName\": \"Manon\", \"lastName\": \"Dubois\", \"externalId\": \"EXT-C-MANON\", \"className\": \"CE2\", \"structureId\": \"jules-ferry-calais\"},"
  "  {\"id\": \"c-theo\", \"firstName\": \"Théo\", \"lastName\": \"Roux\", \"externalId\": \"EXT-C-THEO\", \"className\": \"4ème B\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-chloe\", \"firstName\": \"Chloé\", \"lastName\": \"Roux\", \"externalId\": \"EXT-C-CHLOE\", \"className\": \"CM1\", \"structureId\": \"jules-ferry-calais\"},"
  "  {\"id\": \"c-jade\", \"firstName\": \"Jade\", \"lastName\": \"Garnier\", \"externalId\": \"EXT-C-JADE\", \"className\": \"6ème A\", \"structureId\": \"jean-jaures-calais\"},"
  "  {\"id\": \"c-nathan\", \"firstName\": \"Nathan\", \"lastName\": \"Garnier\", \"externalId\": \"EXT-C-NATHAN\", \"className\": \"CP\", \"structureId\": \"jules-ferry-calais\"}"
  " ],"
  " \"users\": ["
  "  {\"id\": \"u-frederic\", \"login\": \"frederic\", \"firstName\": \"Frédéric\", \"lastName\": \"Martin\","
  "   \"activated\": false, \"activationCode\": \"7KQ4M2PX\", \"password\": null, \"email\": \"\", \"emailValidated\": false,"
  "   \"emailState\": null, \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"children\": [\"c-lea\", \"c-hugo\"]},"
  "  {\"id\": \"u-nathalie\", \"login\": \"nathalie.martin\", \"firstName\": \"Nathalie\", \"lastName\": \"Martin\","
  "   \"activated\": true, \"activationCode\": null, \"password\": \"Soleil2026\", \"email\": \"nathalie.martin@example.fr\", \"emailValidated\": false,"
  "   \"emailState\": {\"state\": \"unchecked\", \"valid\": \"\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": true,"
  "   \"children\": [\"c-lea\", \"c-hugo\"]},"
  "  {\"id\": \"u-karim\", \"login\": \"karim.benali\", \"firstName\": \"Karim\", \"lastName\": \"Benali\","
  "   \"activated\": true, \"activationCode\": null, \"password\": \"Cartable2026\", \"email\": \"karim.benali@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"karim.benali@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"children\": [\"c-yanis\", \"c-ines\"]},"
  "  {\"id\": \"u-paul\", \"login\": \"paul.leroy\", \"firstName\": \"Paul\", \"lastName\": \"Leroy\","
  "   \"activated\": true, \"activationCode\": null, \"password\": \"Provisoire1\", \"email\": \"paul.leroy@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"paul.leroy@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": true, \"needRevalidateTerms\": false,"
  "   \"children\": [\"c-emma\"]},"
  "  {\"id\": \"u-claire\", \"login\": \"claire.dubois\", \"firstName\": \"Claire\", \"lastName\": \"Dubois\","
  "   \"activated\": true, \"activationCode\": null, \"password\": \"Rentree2026\", \"email\": \"claire.dubois@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"claire.dubois@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"children\": [\"c-lucas\"]},"
  "  {\"id\": \"u-claire1\", \"login\": \"claire.dubois1\", \"firstName\": \"Claire\", \"lastName\": \"Dubois\","
  "   \"activated\": true, \"activationCode\": null, \"password\": \"Rentree2026\", \"email\": \"claire.dubois@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"claire.dubois@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"children\": [\"c-manon\"]},"
  "  {\"id\": \"u-bernard\", \"login\": \"bloque.parent\", \"firstName\": \"Bernard\", \"lastName\": \"Bloqué\","
  "   \"activated\": true, \"activationCode\": null, \"password\": \"Bloque2026\", \"email\": \"bloque@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"bloque@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": true, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"children\": []},"
  /* EduConnect parents (issue 15): federated, no ENT password. */
  "  {\"id\": \"u-amandine\", \"login\": \"amandine.roux\", \"firstName\": \"Amandine\", \"lastName\": \"Roux\","
  "   \"activated\": true, \"activationCode\": null, \"password\": null, \"email\": \"amandine.roux@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"amandine.roux@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"federated\": true, \"federatedIDP\": null, \"children\": [\"c-theo\", \"c-chloe\"]},"
  "  {\"id\": \"u-olivier\", \"login\": \"olivier.garnier\", \"firstName\": \"Olivier\", \"lastName\": \"Garnier\","
  "   \"activated\": true, \"activationCode\": null, \"password\": null, \"email\": \"olivier.garnier@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"olivier.garnier@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"federated\": true, \"federatedIDP\": null, \"children\": [\"c-jade\"]},"
  "  {\"id\": \"u-olivier1\", \"login\": \"olivier.garnier1\", \"firstName\": \"Olivier\", \"lastName\": \"Garnier\","
  "   \"activated\": true, \"activationCode\": null, \"password\": null, \"email\": \"olivier.garnier@example.fr\", \"emailValidated\": true,"
  "   \"emailState\": {\"state\": \"valid\", \"valid\": \"olivier.garnier@example.fr\", \"pending\": \"\", \"tries\": 0, \"ttl\": 0},"
  "   \"blocked\": false, \"forceChangePassword\": false, \"needRevalidateTerms\": false,"
  "   \"federated\": true, \"federatedIDP\": null, \"children\": [\"c-nathan\"]}"
  " ],"
  /* The stand-in EduConnect's accounts: login, password, the ENT
   * accounts the assertion's identity maps to. */
  " \"educonnect\": ["
  "  {\"login\": \"a.roux25\", \"password\": \"Educ-Roux-2026\", \"firstName\": \"Amandine\", \"lastName\": \"Roux\","
  "   \"users\": [\"u-amandine\"]},"
  "  {\"login\": \"o.garnier31\", \"password\": \"Educ-Garnier-2026\", \"firstName\": \"Olivier\", \"lastName\": \"Garnier\","
  "   \"users\": [\"u-olivier\", \"u-olivier1\"]}"
  " ]"
  "}";

gint64
ent_now (EntServer *server)
{
  JsonObject *root = json_node_get_object (server->state);

  return g_get_real_time () / G_USEC_PER_SEC +
         json_object_get_int_member_with_default (root, "clockOffset", 0);
}

const char *
ent_user_get_string (JsonObject *user,
                     const char *member)
{
  const char *value = json_object_get_string_member_with_default (user, member, NULL);

  return value != NULL ? value : "";
}

gboolean
ent_user_get_bool (JsonObject *user,
                   const char *member)
{
  return json_object_get_boolean_member_with_default (user, member, FALSE);
}

char *
ent_random_code (const char *alphabet,
                 guint       length)
{
  GString *code = g_string_sized_new (length);
  gsize n = strlen (alphabet);

  for (guint i = 0; i < length; i++)
    g_string_append_c (code, alphabet[g_random_int_range (0, (int) n)]);

  return g_string_free (code, FALSE);
}

static char *
hash_with_salt (const char *salt,
                const char *password)
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *result;

  g_checksum_update (checksum, (const guchar *) salt, -1);
  g_checksum_update (checksum, (const guchar *) password, -1);
  result = g_strdup_printf ("sha256$%s$%s", salt, g_checksum_get_string (checksum));
  g_checksum_free (checksum);

  return result;
}

char *
ent_password_hash (const char *password)
{
  g_autofree char *salt = ent_random_code ("0123456789abcdef", 16);

  return hash_with_salt (salt, password);
}

static gboolean
hash_matches (const char *hash,
              const char *password)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *again = NULL;

  if (hash == NULL || password == NULL)
    return FALSE;

  parts = g_strsplit (hash, "$", 3);
  if (g_strv_length (parts) != 3)
    return FALSE;

  again = hash_with_salt (parts[1], password);

  return g_str_equal (again, hash);
}

gboolean
ent_password_check (JsonObject *user,
                    const char *password)
{
  return hash_matches (json_object_get_string_member_with_default (user, "passwordHash", NULL),
                       password);
}

gboolean
ent_password_was_used (JsonObject *user,
                       const char *password)
{
  JsonArray *history;

  if (ent_password_check (user, password))
    return TRUE;

  history = json_object_has_member (user, "passwordHistory")
            ? json_object_get_array_member (user, "passwordHistory") : NULL;
  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    if (hash_matches (json_array_get_string_element (history, i), password))
      return TRUE;

  return FALSE;
}

/* Keeps the previous hashes: "the new password must not be one of the last
 * 10" counts the current one. */
void
ent_password_set (JsonObject *user,
                  const char *password)
{
  const char *old = json_object_get_string_member_with_default (user, "passwordHash", NULL);
  JsonArray *history = json_object_has_member (user, "passwordHistory")
                       ? json_object_get_array_member (user, "passwordHistory") : NULL;

  if (history == NULL)
    {
      history = json_array_new ();
      json_object_set_array_member (user, "passwordHistory", history);
    }

  if (old != NULL)
    json_array_add_string_element (history, old);
  while (json_array_get_length (history) > ENT_PASSWORD_HISTORY - 1)
    json_array_remove_element (history, 0);

  {
    g_autofree char *hash = ent_password_hash (password);

    json_object_set_string_member (user, "passwordHash", hash);
  }
}

gboolean
ent_password_is_valid (const char *password)
{
  /* The whole password must match, like Java's String.matches(). */
  return g_regex_match_simple (ENT_PASSWORD_REGEX, password, G_REGEX_ANCHORED,
                               G_REGEX_MATCH_ANCHORED) &&
         g_utf8_validate (password, -1, NULL);
}

gboolean
ent_mail_is_valid (const char *mail)
{
  return mail != NULL &&
         g_regex_match_simple ("^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$",
                               mail, 0, 0);
}

/* --- users ---------------------------------------------------------------- */

JsonArray *
ent_state_users (EntServer *server)
{
  return json_object_get_array_member (json_node_get_object (server->state), "users");
}

static JsonObject *
find_in (EntServer  *server,
         const char *array,
         const char *member,
         const char *value)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (server->state), array);

  if (value == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, member, NULL), value) == 0)
        return item;
    }

  return NULL;
}

JsonObject *
ent_state_find_user (EntServer  *server,
                     const char *login)
{
  /* MATCH (n:User) WHERE n.login={login}: exact, case included (OD:183). */
  return find_in (server, "users", "login", login);
}

JsonObject *
ent_state_find_user_by_id (EntServer  *server,
                           const char *id)
{
  return find_in (server, "users", "id", id);
}

JsonObject *
ent_state_find_child (EntServer  *server,
                      const char *id)
{
  return find_in (server, "children", "id", id);
}

JsonObject *
ent_state_find_structure (EntServer  *server,
                          const char *id)
{
  return find_in (server, "structures", "id", id);
}

/* The record without what must never leave the server. A JSON round trip
 * because json_node_copy() shares the objects it copies. */
JsonNode *
ent_user_public_json (JsonObject *user)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  JsonNode *copy;
  JsonObject *object;
  JsonObject *mail_state;

  json_node_set_object (node, user);
  text = json_to_string (node, FALSE);
  copy = json_from_string (text, NULL);
  object = json_node_get_object (copy);
  json_object_remove_member (object, "passwordHash");
  json_object_remove_member (object, "passwordHistory");
  mail_state = json_object_get_object_member (object, "emailState");
  if (mail_state != NULL)
    json_object_remove_member (mail_state, "code");

  return copy;
}

/* --- ban ------------------------------------------------------------------ */

/* OAuthDataHandler (OD:157-176, 207-229): a Redis list "logban:<login as
 * typed>" of failure times, newest first; the login is refused while the
 * maxRetry-th newest failure is less than the ban delay old. Only failures
 * of a known account are recorded (wrong password, blocked account, no
 * password yet); a success does not clear the list. */
static JsonArray *
failures_of (EntServer  *server,
             const char *login,
             gboolean    create)
{
  JsonObject *failures = json_object_get_object_member (json_node_get_object (server->state),
                                                        "failures");
  const char *key = login != NULL ? login : "";
  JsonArray *times = json_object_has_member (failures, key)
                     ? json_object_get_array_member (failures, key) : NULL;

  if (times == NULL && create)
    {
      times = json_array_new ();
      json_object_set_array_member (failures, key, times);
    }

  return times;
}

gboolean
ent_is_banned (EntServer  *server,
               const char *login)
{
  JsonArray *times = failures_of (server, login, FALSE);
  guint n = times != NULL ? json_array_get_length (times) : 0;

  /* Oldest first here: the maxRetry-th newest is at n - maxRetry. */
  return n >= ENT_BAN_FAILURES &&
         ent_now (server) - json_array_get_int_element (times, n - ENT_BAN_FAILURES) < ENT_BAN_SECONDS;
}

void
ent_record_failure (EntServer  *server,
                    const char *login)
{
  JsonArray *times = failures_of (server, login, TRUE);

  json_array_add_int_element (times, ent_now (server));
  /* LTRIM 0 maxRetry: keep the newest maxRetry + 1. */
  while (json_array_get_length (times) > ENT_BAN_FAILURES + 1)
    json_array_remove_element (times, 0);
  ent_state_save (server);
}

gboolean
ent_user_needs_email_validation (JsonObject *user)
{
  return !ent_user_get_bool (user, "emailValidated");
}

/* The activation's invalidEmails (AC:1305): addresses the ENT refuses. */
gboolean
ent_mail_is_blocked (EntServer  *server,
                     const char *mail)
{
  JsonObject *root = json_node_get_object (server->state);
  JsonArray *blocked = json_object_has_member (root, "invalidEmails")
                       ? json_object_get_array_member (root, "invalidEmails") : NULL;

  for (guint i = 0; blocked != NULL && i < json_array_get_length (blocked); i++)
    if (g_strcmp0 (json_array_get_string_element (blocked, i), mail) == 0)
      return TRUE;

  return FALSE;
}

/* UserUtils.deleteCacheSession (user, keep): every session of the user but
 * @keep ends. */
void
ent_sessions_drop_user (EntServer  *server,
                        const char *user_id,
                        EntSession *keep)
{
  GHashTableIter iter;
  EntSession *session;

  g_hash_table_iter_init (&iter, server->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (session != keep && g_strcmp0 (session->user_id, user_id) == 0)
      g_hash_table_iter_remove (&iter);
}

/* --- mail ----------------------------------------------------------------- */

void
ent_send_mail (EntServer  *server,
               const char *to,
               const char *subject,
               const char *body)
{
  JsonObject *root = json_node_get_object (server->state);
  gint64 counter = json_object_get_int_member_with_default (root, "mailCounter", 0) + 1;
  g_autofree char *address = g_utf8_strdown (to, -1);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (ent_now (server));
  g_autofree char *date_text = g_date_time_format (date, "%a, %d %b %Y %H:%M:%S %z");
  g_autofree char *subject_b64 = g_base64_encode ((const guchar *) subject, strlen (subject));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_int_member (root, "mailCounter", counter);
  ent_state_save (server);

  /* A counter first so that the newest mail for an address sorts last. */
  name = g_strdup_printf ("%06" G_GINT64_FORMAT "-%s.eml", counter, address);
  path = g_build_filename (server->outbox, name, NULL);
  text = g_strdup_printf ("From: ENT Hauts-de-France (test) <ne-pas-repondre@ent.test>\r\n"
                          "To: %s\r\n"
                          "Subject: =?utf-8?B?%s?=\r\n"
                          "Date: %s\r\n"
                          "Message-ID: <%" G_GINT64_FORMAT ".carnet-test-ent@ent.test>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n"
                          "X-Carnet-Subject: %s\r\n"
                          "\r\n"
                          "%s",
                          address, subject_b64, date_text, counter, subject, body);

  if (!g_file_set_contents (path, text, -1, &error))
    g_critical ("Cannot write the mail %s: %s", path, error->message);
  else
    g_debug ("mail %s", name);
}

/* --- sessions and tokens ---------------------------------------------------- */

void
ent_session_free (gpointer data)
{
  EntSession *session = data;

  g_free (session->id);
  g_free (session->user_id);
  g_free (session->xsrf);
  g_free (session->name_id);
  g_free (session->session_index);
  g_free (session);
}

EntSession *
ent_session_new (EntServer  *server,
                 const char *user_id)
{
  EntSession *session = g_new0 (EntSession, 1);

  session->id = ent_random_code ("0123456789abcdef", 32);
  session->user_id = g_strdup (user_id);
  session->xsrf = g_uuid_string_random ();
  session->last_seen = ent_now (server);
  session->terms_at_login = ent_user_get_bool (ent_state_find_user_by_id (server, user_id), "needRevalidateTerms");
  g_hash_table_replace (server->sessions, session->id, session);

  return session;
}

EntSession *
ent_session_lookup (EntServer  *server,
                    const char *id)
{
  EntSession *session;

  if (id == NULL)
    return NULL;

  session = g_hash_table_lookup (server->sessions, id);
  if (session == NULL)
    return NULL;

  if (ent_now (server) - session->last_seen >= ENT_SESSION_IDLE_SECONDS)
    {
      g_hash_table_remove (server->sessions, id);
      return NULL;
    }

  session->last_seen = ent_now (server);

  return session;
}

void
ent_token_free (gpointer data)
{
  EntToken *token = data;

  g_free (token->token);
  g_free (token->user_id);
  g_free (token->scope);
  g_free (token);
}

EntToken *
ent_token_new (EntServer  *server,
               const char *user_id,
               gboolean    refresh,
               const char *scope)
{
  EntToken *token = g_new0 (EntToken, 1);

  token->token = g_uuid_string_random ();
  token->user_id = g_strdup (user_id);
  token->refresh = refresh;
  token->scope = g_strdup (scope != NULL ? scope : "userinfo");
  /* Refresh tokens live long; a month is plenty for tests. */
  token->expires = ent_now (server) + (refresh ? 30 * 24 * 3600 : ENT_TOKEN_SECONDS);
  g_hash_table_replace (server->tokens, token->token, token);

  return token;
}

EntToken *
ent_token_lookup (EntServer  *server,
                  const char *value,
                  gboolean    refresh)
{
  EntToken *token;

  if (value == NULL)
    return NULL;

  token = g_hash_table_lookup (server->tokens, value);
  if (token == NULL || token->refresh != refresh)
    return NULL;

  if (ent_now (server) >= token->expires)
    {
      g_hash_table_remove (server->tokens, value);
      return NULL;
    }

  return token;
}

JsonObject *
ent_state_find_identity (EntServer  *server,
                         const char *login)
{
  JsonObject *root = json_node_get_object (server->state);
  JsonArray *identities = json_object_has_member (root, "educonnect")
                          ? json_object_get_array_member (root, "educonnect") : NULL;

  for (guint i = 0; identities != NULL && login != NULL && i < json_array_get_length (identities); i++)
    {
      JsonObject *identity = json_array_get_object_element (identities, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (identity, "login", NULL), login) == 0)
        return identity;
    }

  return NULL;
}

/* --- persistence ------------------------------------------------------------ */

void
ent_state_reseed (EntServer *server)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *users;

  if (!json_parser_load_from_data (parser, seed_json, -1, &error))
    g_error ("The built-in seed does not parse: %s", error->message);

  g_clear_pointer (&server->state, json_node_unref);
  server->state = json_node_copy (json_parser_get_root (parser));

  users = ent_state_users (server);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      const char *password = json_object_get_string_member_with_default (user, "password", NULL);
      g_autofree char *display = g_strdup_printf ("%s %s",
                                                  ent_user_get_string (user, "firstName"),
                                                  ent_user_get_string (user, "lastName"));
      g_autofree char *external = g_strdup_printf ("EXT-%s", ent_user_get_string (user, "id"));

      json_object_set_string_member (user, "displayName", display);
      json_object_set_string_member (user, "externalId", external);
      json_object_set_string_member (user, "type", "Relative");
      json_object_set_string_member (user, "mobile", "");
      json_object_set_array_member (user, "passwordHistory", json_array_new ());
      if (password != NULL)
        {
          g_autofree char *hash = ent_password_hash (password);

          json_object_set_string_member (user, "passwordHash", hash);
        }
      else
        json_object_set_null_member (user, "passwordHash");
      json_object_remove_member (user, "password");
      json_object_set_null_member (user, "resetCode");
      json_object_set_int_member (user, "resetCodeDate", 0);
    }

  {
    JsonArray *identities = json_object_get_array_member (json_node_get_object (server->state), "educonnect");

    for (guint i = 0; i < json_array_get_length (identities); i++)
      {
        JsonObject *identity = json_array_get_object_element (identities, i);
        g_autofree char *hash = ent_password_hash (json_object_get_string_member (identity, "password"));

        json_object_set_string_member (identity, "passwordHash", hash);
        json_object_remove_member (identity, "password");
      }
  }

  ent_timeline_seed (server);

  g_hash_table_remove_all (server->sessions);
  if (server->idp_sessions != NULL)
    g_hash_table_remove_all (server->idp_sessions);
  if (server->idp_flows != NULL)
    g_hash_table_remove_all (server->idp_flows);
  g_hash_table_remove_all (server->tokens);

  ent_state_save (server);
}

void
ent_state_load (EntServer *server,
                gboolean   reset)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (reset || !g_file_test (server->state_file, G_FILE_TEST_EXISTS))
    {
      ent_state_reseed (server);
      return;
    }

  if (!json_parser_load_from_file (parser, server->state_file, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_error ("Cannot read %s: %s (use --reset)", server->state_file,
             error != NULL ? error->message : "not an object");

  g_clear_pointer (&server->state, json_node_unref);
  server->state = json_node_copy (json_parser_get_root (parser));

  /* A state from before issue 16 (a demo's folder): the seed's timeline. */
  if (!json_object_has_member (json_node_get_object (server->state), "timeline"))
    {
      ent_timeline_seed (server);
      ent_state_save (server);
    }
}

void
ent_state_save (EntServer *server)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  json_generator_set_root (generator, server->state);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  /* Atomic, so a test killing the server mid-write still finds a state. */
  if (!g_file_set_contents (server->state_file, text, -1, &error))
    g_critical ("Cannot save %s: %s", server->state_file, error->message);
}
