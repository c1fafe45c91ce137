/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-secret-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-types-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define DEFAULT_TIMEOUT_SECONDS 30
#define MAX_ANSWER_SIZE         (2 * 1024 * 1024)
#define MAX_DOCUMENT_SIZE       (32 * 1024 * 1024)
#define READ_CHUNK_SIZE         (64 * 1024)

struct _CarnetEntClient
{
  GObject           parent_instance;

  char             *base_url;
  char             *host;
  GUri             *base_uri;

  SoupSession      *session;
  SoupCookieJar    *cookie_jar;
  guint             timeout;

  CarnetEntContext *context;

  /* GET /auth/i18n inverted (text → keys), fetched once, when an error
   * text first needs it, in the language of accept_language. */
  GHashTable       *i18n_reverse;
  char             *accept_language;

  guint             has_cookie_session : 1;
  guint             remember_me : 1;
};

/* Where POST /auth/changePassword sends the browser when it worked: the
 * ENT's account page. Any other 302 is a filter's (session, forced step). */
#define CHANGE_PASSWORD_CALLBACK "/userbook/mon-compte"

G_DEFINE_FINAL_TYPE (CarnetEntClient, carnet_ent_client, G_TYPE_OBJECT)

enum {
  SESSION_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* --- secrets ------------------------------------------------------------- */

static void
wipe_string (char *str)
{
  carnet_ent_secret_wipe_string (str);
}

static void
clear_secret (char **str)
{
  wipe_string (*str);
  g_clear_pointer (str, g_free);
}

/* --- debugging ----------------------------------------------------------- */

/* CARNET_DEBUG_HTTP=1 logs every exchange's request line, status and
 * headers as debug messages of the "carnet-ent-http" domain (shown with
 * G_MESSAGES_DEBUG=carnet-ent-http or all). Never a body: forms carry
 * passwords and codes, answers carry tokens. Headers that carry the
 * session or a credential are replaced by a placeholder. */
static const char * const redacted_headers[] = {
  "Cookie:", "Set-Cookie:", "Authorization:", "Proxy-Authorization:", "X-XSRF-TOKEN:",
  NULL
};

static SoupLoggerLogLevel
http_log_filter (SoupLogger  *logger,
                 SoupMessage *msg,
                 gpointer     user_data)
{
  return SOUP_LOGGER_LOG_HEADERS;
}

static void
http_log_printer (SoupLogger         *logger,
                  SoupLoggerLogLevel  level,
                  char                direction,
                  const char         *data,
                  gpointer            user_data)
{
  for (guint i = 0; redacted_headers[i] != NULL; i++)
    if (g_ascii_strncasecmp (data, redacted_headers[i], strlen (redacted_headers[i])) == 0)
      {
        g_log ("carnet-ent-http", G_LOG_LEVEL_DEBUG, "%c %s [hidden]", direction, redacted_headers[i]);
        return;
      }

  g_log ("carnet-ent-http", G_LOG_LEVEL_DEBUG, "%c %s", direction, data);
}

static void
attach_http_logger (SoupSession *session)
{
  g_autoptr(SoupLogger) logger = NULL;

  if (g_strcmp0 (g_getenv ("CARNET_DEBUG_HTTP"), "1") != 0)
    return;

  logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
  soup_logger_set_request_filter (logger, http_log_filter, NULL, NULL);
  soup_logger_set_response_filter (logger, http_log_filter, NULL, NULL);
  soup_logger_set_printer (logger, http_log_printer, NULL, NULL);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}

/* --- addresses ----------------------------------------------------------- */

static gboolean
host_is_plausible (const char *host)
{
  if (host == NULL || *host == '\0' || strlen (host) > 253)
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;

  return host[0] != '.' && host[0] != '-';
}

/* "host" or "host:port" ("[v6]:port"), lower case, port omitted when 443. */
static char *
host_port_from_uri (GUri *uri)
{
  g_autofree char *host = NULL;
  int port = g_uri_get_port (uri);
  const char *scheme = g_uri_get_scheme (uri);

  if (g_uri_get_host (uri) == NULL)
    return NULL;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (strchr (host, ':') != NULL)
    {
      char *bracketed = g_strdup_printf ("[%s]", host);

      g_free (host);
      host = bracketed;
    }

  if (port == 443 || port == -1 ||
      (port == 80 && scheme != NULL && g_ascii_strcasecmp (scheme, "http") == 0))
    return g_steal_pointer (&host);

  return g_strdup_printf ("%s:%d", host, port);
}

static GError *
invalid_address_error (void)
{
  return carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NONE,
                                    NULL, 0,
                                    _("This is not an ENT address. Type it as printed on the letter, for example “enthdf.fr”."));
}

static GError *
address_error (const char *message)
{
  return carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NONE,
                                    NULL, 0, message);
}

/* What comes before the host ("user:password@", "enthdf.fr:443@" in
 * "enthdf.fr:443@evil.com") is never part of an ENT address: refused, not
 * dropped, or the letter's host would hide another. The port, when written,
 * is 1 to 65535 ("x.fr:" and "x.fr:0" are refused). Without "://", what
 * follows a ":" must be a port: "javascript:alert(1)", "data:text/html,…",
 * "file:/etc/passwd" or "javascript:" are not a host named like a scheme.
 * @text has no space; @rest is what follows "scheme://", or all of it. */
static gboolean
authority_is_acceptable (const char  *rest,
                         GError     **error)
{
  gsize length = strcspn (rest, "/?#\\");
  g_autofree char *authority = g_strndup (rest, length);
  const char *port = NULL;
  guint64 value = 0;

  if (strchr (authority, '@') != NULL)
    {
      g_propagate_error (error, address_error (_("An ENT address has no “@”. Type it as printed on the letter, for example “enthdf.fr”.")));
      return FALSE;
    }

  if (authority[0] == '[')
    {
      const char *end = strchr (authority, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        {
          g_propagate_error (error, invalid_address_error ());
          return FALSE;
        }
      if (end[1] == ':')
        port = end + 2;
    }
  else
    {
      const char *colon = strchr (authority, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          g_propagate_error (error, invalid_address_error ());
          return FALSE;
        }
      if (colon != NULL)
        port = colon + 1;
    }

  if (port == NULL)
    return TRUE;

  if (*port == '\0' || strspn (port, "0123456789") != strlen (port))
    {
      g_propagate_error (error, invalid_address_error ());
      return FALSE;
    }

  if (strlen (port) > 5 ||
      !g_ascii_string_to_unsigned (port, 10, 0, G_MAXUINT64, &value, NULL) ||
      value == 0 || value > 65535)
    {
      g_propagate_error (error, address_error (_("The port number after “:” must be between 1 and 65535.")));
      return FALSE;
    }

  return TRUE;
}

/* A homograph: « enthdf.fr » with a Cyrillic « е » is another host that
 * reads the same. The rule is Unicode's "Highly Restrictive" level (UTS #39,
 * 5.2), label by label: the letters of a label are of one script, or Latin
 * with Han and Japanese kana, Han with Bopomofo, or Han with Hangul (digits,
 * "-" and combining marks count for none). A host written in one other
 * script only (all Cyrillic) is not refused by this: the UI shows it in
 * both forms (carnet_ent_host_for_display()). */
static gboolean
label_scripts_are_safe (const char *label,
                        gsize       length)
{
  gboolean latin = FALSE, han = FALSE, kana = FALSE, hangul = FALSE, bopomofo = FALSE;
  GUnicodeScript other = G_UNICODE_SCRIPT_COMMON;

  for (const char *p = label; p < label + length; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

      switch (script)
        {
        case G_UNICODE_SCRIPT_COMMON:
        case G_UNICODE_SCRIPT_INHERITED:
          break;
        case G_UNICODE_SCRIPT_LATIN:
          latin = TRUE;
          break;
        case G_UNICODE_SCRIPT_HAN:
          han = TRUE;
          break;
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
          kana = TRUE;
          break;
        case G_UNICODE_SCRIPT_HANGUL:
          hangul = TRUE;
          break;
        case G_UNICODE_SCRIPT_BOPOMOFO:
          bopomofo = TRUE;
          break;
        default:
          if (other != G_UNICODE_SCRIPT_COMMON && other != script)
            return FALSE;
          other = script;
          break;
        }
    }

  if (other != G_UNICODE_SCRIPT_COMMON)
    return !latin && !han && !kana && !hangul && !bopomofo;
  /* Latin + Han + kana; Latin + Han + Bopomofo; Latin + Han + Hangul. */
  return (kana ? 1 : 0) + (hangul ? 1 : 0) + (bopomofo ? 1 : 0) <= 1;
}

static gboolean
host_scripts_are_safe (const char *ascii_host)
{
  g_autofree char *unicode = g_hostname_to_unicode (ascii_host);
  const char *label;

  if (unicode == NULL)
    return FALSE;

  label = unicode;
  while (TRUE)
    {
      const char *dot = strchr (label, '.');
      gsize length = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (!label_scripts_are_safe (label, length))
        return FALSE;
      if (dot == NULL)
        return TRUE;
      label = dot + 1;
    }
}

char *
carnet_ent_host_for_display (const char *host)
{
  g_autofree char *name = NULL;
  g_autofree char *unicode = NULL;
  const char *port = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  if (g_str_has_prefix (host, "https://"))
    host += strlen ("https://");

  if (host[0] == '[' || g_hostname_is_ip_address (host))
    return g_strdup (host);

  port = strrchr (host, ':');
  name = port != NULL ? g_strndup (host, (gsize) (port - host)) : g_strdup (host);

  if (!g_hostname_is_ascii_encoded (name))
    return g_strdup (host);

  unicode = g_hostname_to_unicode (name);
  if (unicode == NULL || g_strcmp0 (unicode, name) == 0)
    return g_strdup (host);

  /* "monlycée.net (xn--monlyce-gya.net)", "…:8443 (…:8443)". */
  return g_strdup_printf ("%s%s (%s)", unicode, port != NULL ? port : "", host);
}

char *
carnet_ent_normalize_address (const char  *address,
                              GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *host_port = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (address == NULL)
    {
      g_propagate_error (error, invalid_address_error ());
      return NULL;
    }

  text = g_strstrip (g_strdup (address));
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL))
    {
      g_propagate_error (error, invalid_address_error ());
      return NULL;
    }

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      {
        g_propagate_error (error, invalid_address_error ());
        return NULL;
      }

  {
    const char *separator = strstr (text, "://");

    if (!authority_is_acceptable (separator != NULL ? separator + 3 : text, error))
      return NULL;
  }

  if (strstr (text, "://") == NULL)
    with_scheme = g_strconcat ("https://", text, NULL);
  else
    with_scheme = g_strdup (text);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error, invalid_address_error ());
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_propagate_error (error, invalid_address_error ());
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL)
    {
      g_propagate_error (error, invalid_address_error ());
      return NULL;
    }

  /* A letter may print an internationalised domain name. */
  {
    g_autofree char *ascii = g_hostname_to_ascii (g_uri_get_host (uri));

    if (!host_is_plausible (ascii))
      {
        g_propagate_error (error, invalid_address_error ());
        return NULL;
      }

    if (!host_scripts_are_safe (ascii))
      {
        g_propagate_error (error, address_error (_("This address mixes letters of different alphabets, as fake sites do. Type it as printed on the letter.")));
        return NULL;
      }

    if (g_strcmp0 (ascii, g_uri_get_host (uri)) != 0)
      {
        g_autoptr(GUri) ascii_uri = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, ascii,
                                                 g_uri_get_port (uri), "", NULL, NULL);

        g_clear_pointer (&uri, g_uri_unref);
        uri = g_steal_pointer (&ascii_uri);
      }
  }

  host_port = host_port_from_uri (uri);
  if (host_port == NULL)
    {
      g_propagate_error (error, invalid_address_error ());
      return NULL;
    }

  return g_strconcat ("https://", host_port, NULL);
}

static GError *
invalid_code_error (void)
{
  return carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CODE,
                                    NULL, 0,
                                    _("This is neither the link from the mail nor its 8-character code. Copy the whole link from the mail."));
}

static gboolean
code_is_plausible (const char *code,
                   gsize       min_length,
                   gsize       max_length,
                   gboolean    allow_dash)
{
  gsize length = strlen (code);

  if (length < min_length || length > max_length)
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && !(allow_dash && (*p == '-' || *p == '_')))
      return FALSE;

  return TRUE;
}

char *
carnet_ent_parse_reset_code (const char  *link_or_code,
                             const char  *expected_host,
                             GError     **error)
{
  static const char trim_chars[] = "<>\"'()[]{}.,;:!?«» \t\r\n";
  g_autoptr(CarnetEntSecretString) text = NULL;
  GString *compact;
  char *start;
  char *end;

  if (link_or_code == NULL || !g_utf8_validate (link_or_code, -1, NULL))
    {
      g_propagate_error (error, invalid_code_error ());
      return NULL;
    }

  text = g_strdup (link_or_code);

  /* Surrounding brackets, quotes and punctuation from the mail or the
   * sentence the link was pasted from. « and » are two bytes in UTF-8:
   * trimming their bytes one by one is fine since they only ever appear
   * whole. */
  start = text;
  while (*start != '\0' && strchr (trim_chars, *start) != NULL)
    start++;
  end = start + strlen (start);
  while (end > start && strchr (trim_chars, end[-1]) != NULL)
    end--;
  *end = '\0';

  /* A link a mail client broke over several lines. The code is a secret:
   * a buffer that never grows (no copy left behind), wiped. */
  compact = g_string_sized_new (strlen (start) + 1);
  for (const char *p = start; *p != '\0'; p++)
    if (!g_ascii_isspace (*p) && *p != '<' && *p != '>')
      g_string_append_c (compact, *p);

  if (strstr (compact->str, "/auth/reset/") == NULL)
    {
      carnet_ent_secret_free (g_string_free (compact, FALSE));

      /* A bare code: ENT codes are case-sensitive, keep them as typed. */
      if (!code_is_plausible (start, 8, 8, FALSE))
        {
          g_propagate_error (error, invalid_code_error ());
          return NULL;
        }
      return g_strdup (start);
    }

  {
    g_autoptr(CarnetEntSecretString) link = g_string_free (compact, FALSE);
    g_autoptr(CarnetEntSecretString) with_scheme = NULL;
    g_autofree char *host_port = NULL;
    g_autoptr(GUri) uri = NULL;
    const char *path;
    const char *code;

    if (strstr (link, "://") == NULL)
      with_scheme = g_strconcat ("https://", link, NULL);
    else
      with_scheme = g_strdup (link);

    uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
    if (uri == NULL ||
        (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
         g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0) ||
        (host_port = host_port_from_uri (uri)) == NULL)
      {
        g_propagate_error (error, invalid_code_error ());
        return NULL;
      }

    if (expected_host != NULL && g_ascii_strcasecmp (host_port, expected_host) != 0)
      {
        g_propagate_error (error,
                           carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT,
                                                      CARNET_ENT_FIELD_CODE, NULL, 0,
                                                      _("This link is for another ENT than the one you chose. Check the address, or use the link from the mail of this ENT.")));
        return NULL;
      }

    path = g_uri_get_path (uri);
    if (!g_str_has_prefix (path, "/auth/reset/"))
      {
        g_propagate_error (error, invalid_code_error ());
        return NULL;
      }

    code = path + strlen ("/auth/reset/");
    if (!code_is_plausible (code, 4, 64, TRUE))
      {
        g_propagate_error (error, invalid_code_error ());
        return NULL;
      }

    return g_strdup (code);
  }
}

/* --- the object ---------------------------------------------------------- */

static void
carnet_ent_client_finalize (GObject *object)
{
  CarnetEntClient *self = (CarnetEntClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->accept_language, g_free);
  g_clear_pointer (&self->i18n_reverse, g_hash_table_unref);

  G_OBJECT_CLASS (carnet_ent_client_parent_class)->finalize (object);
}

static void
carnet_ent_client_dispose (GObject *object)
{
  CarnetEntClient *self = (CarnetEntClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);

  g_clear_object (&self->session);
  g_clear_object (&self->cookie_jar);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (carnet_ent_client_parent_class)->dispose (object);
}

static void
carnet_ent_client_class_init (CarnetEntClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_ent_client_dispose;
  object_class->finalize = carnet_ent_client_finalize;

  /* A session was opened (a login, an activation that logs in) or closed
   * (a logout, a session the ENT no longer knows): for Carnet's logout
   * guard (carnet_ent_client_dup_session_cookies()). */
  signals [SESSION_CHANGED] =
    g_signal_new ("session-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

/* "fr-FR, fr;q=0.9" from the user's locale ("fr_FR.UTF-8"); French when
 * the locale says nothing (C, POSIX): the ENTs Carnet knows are French. */
static char *
accept_language_from_locale (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *tag = NULL;
      g_autofree char *primary = NULL;
      char *cut;

      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX") ||
          g_str_has_prefix (names[i], "C."))
        continue;

      tag = g_strdup (names[i]);
      if ((cut = strpbrk (tag, ".@")) != NULL)
        *cut = '\0';
      for (char *p = tag; *p != '\0'; p++)
        {
          if (*p == '_')
            *p = '-';
          else if (!g_ascii_isalnum (*p) && *p != '-')
            {
              *p = '\0';
              break;
            }
        }
      if (strlen (tag) < 2)
        continue;

      primary = g_strdup (tag);
      if ((cut = strchr (primary, '-')) != NULL)
        {
          *cut = '\0';
          return g_strdup_printf ("%s, %s;q=0.9", tag, primary);
        }
      return g_steal_pointer (&tag);
    }

  return g_strdup ("fr");
}

void
carnet_ent_client_set_accept_language (CarnetEntClient *self,
                                       const char      *accept_language)
{
  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  g_free (self->accept_language);
  self->accept_language = accept_language != NULL ? g_strdup (accept_language)
                                                  : accept_language_from_locale ();
  soup_session_set_accept_language (self->session, self->accept_language);
  /* The dictionary was the other language's. */
  g_clear_pointer (&self->i18n_reverse, g_hash_table_unref);
}

const char *
carnet_ent_client_get_accept_language (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->accept_language;
}

static void
carnet_ent_client_init (CarnetEntClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->remember_me = TRUE;

  self->session = soup_session_new ();
  soup_session_set_timeout (self->session, self->timeout);
  soup_session_set_user_agent (self->session, "Carnet/" PACKAGE_VERSION);
  /* The ENT translates its error messages into this language, and
   * GET /auth/i18n answers in it too: both must be the same. */
  self->accept_language = accept_language_from_locale ();
  soup_session_set_accept_language (self->session, self->accept_language);

  /* Memory only: a shared family computer must not keep the session. */
  self->cookie_jar = soup_cookie_jar_new ();
  soup_cookie_jar_set_accept_policy (self->cookie_jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->cookie_jar));

  attach_http_logger (self->session);
}

CarnetEntClient *
carnet_ent_client_new (const char  *address,
                       GError     **error)
{
  g_autoptr(CarnetEntClient) self = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *with_slash = NULL;

  base_url = carnet_ent_normalize_address (address, error);
  if (base_url == NULL)
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_CLIENT, NULL);
  self->base_url = g_steal_pointer (&base_url);
  /* With the path "/" spelled out: libsoup's cookie jar matches a cookie's
   * Path=/ against the URI's path, and an empty path matches nothing. */
  with_slash = g_strconcat (self->base_url, "/", NULL);
  self->base_uri = g_uri_parse (with_slash, G_URI_FLAGS_NONE, NULL);
  g_assert (self->base_uri != NULL);
  self->host = g_strdup (self->base_url + strlen ("https://"));

  return g_steal_pointer (&self);
}

const char *
carnet_ent_client_get_base_url (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->base_url;
}

const char *
carnet_ent_client_get_host (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->host;
}

gboolean
carnet_ent_client_set_ca_file (CarnetEntClient  *self,
                               const char       *path,
                               GError          **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  database = g_tls_file_database_new (path, &local_error);
  if (database == NULL)
    {
      g_debug ("Cannot load CA file %s: %s", path, local_error->message);
      g_propagate_error (error,
                         carnet_ent_error_new_full (CARNET_ENT_ERROR_TLS, CARNET_ENT_FIELD_NONE,
                                                    NULL, 0,
                                                    _("The certificate authority file could not be read.")));
      return FALSE;
    }

  soup_session_set_tls_database (self->session, database);

  return TRUE;
}

void
carnet_ent_client_set_timeout (CarnetEntClient *self,
                               guint            seconds)
{
  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

guint
carnet_ent_client_get_timeout (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), 0);

  return self->timeout;
}

void
carnet_ent_client_set_remember_me (CarnetEntClient *self,
                                   gboolean         remember_me)
{
  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  self->remember_me = !!remember_me;
}

gboolean
carnet_ent_client_get_remember_me (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), TRUE);

  return self->remember_me;
}

gboolean
carnet_ent_client_has_session (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), FALSE);

  return self->has_cookie_session;
}

char *
carnet_ent_client_dup_session_cookies (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  if (!self->has_cookie_session)
    return NULL;

  /* HTTP-only cookies included: this is for an HTTP request. */
  return soup_cookie_jar_get_cookies (self->cookie_jar, self->base_uri, TRUE);
}

CarnetEntContext *
carnet_ent_client_get_cached_context (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->context;
}

static char *
get_cookie (CarnetEntClient *self,
            const char      *name)
{
  GSList *cookies = soup_cookie_jar_get_cookie_list (self->cookie_jar, self->base_uri, TRUE);
  char *value = NULL;

  for (GSList *l = cookies; l != NULL; l = l->next)
    {
      SoupCookie *cookie = l->data;

      if (g_str_equal (soup_cookie_get_name (cookie), name))
        {
          value = g_strdup (soup_cookie_get_value (cookie));
          break;
        }
    }

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  return value;
}

static gboolean
has_cookie (CarnetEntClient *self,
            const char      *name)
{
  GSList *cookies = soup_cookie_jar_get_cookie_list (self->cookie_jar, self->base_uri, TRUE);
  gboolean found = FALSE;

  for (GSList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      found = TRUE;

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  return found;
}

static void
forget_session (CarnetEntClient *self)
{
  GSList *cookies = soup_cookie_jar_all_cookies (self->cookie_jar);

  for (GSList *l = cookies; l != NULL; l = l->next)
    soup_cookie_jar_delete_cookie (self->cookie_jar, l->data);
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  self->has_cookie_session = FALSE;
  g_signal_emit (self, signals [SESSION_CHANGED], 0);
}

/* --- transport ----------------------------------------------------------- */

typedef enum {
  CALL_PUBLIC         = 0,
  /* Needs the session: a 302 to /auth/login means it expired. */
  CALL_AUTHENTICATED  = 1 << 0,
  /* Keep the session's end for the caller (logout). */
  CALL_FORGET_SESSION = 1 << 1,
} CallFlags;

typedef struct _Call Call;
typedef void (*CallDone) (CarnetEntClient *self,
                          GTask           *task,
                          Call            *call);

struct _Call
{
  SoupMessage          *msg;
  CallFlags             flags;
  gsize                 max_size;
  CallDone              done;
  GTlsCertificateFlags  tls_errors;
  GInputStream         *stream;
  GByteArray           *body;
  GUri                 *location;

  /* The answer's deadline: libsoup's time-out only counts silence on the
   * socket (and was seen not to fire at all, once in a CI run), so an ENT
   * sending a byte now and then would hold a parent forever. The whole
   * answer, status, headers and body, must arrive within `timeout`
   * seconds of the request; the deadline runs until the body's end. */
  GCancellable         *exchange_cancellable;
  GCancellable         *cancelled_by;
  gulong                cancelled_id;
  GSource              *deadline;
  gboolean              timed_out;

  /* Per operation. */
  CarnetEntForm         form;
  /* A 302 to this path is the operation's success, not a filter's. */
  const char           *success_path;
  /* An error text waiting for GET /auth/i18n, and what reads it then. */
  char                 *pending_text;
  CallDone              after_i18n;
  gboolean              i18n_tried;
  /* Set for a side request: called instead of failing the operation when
   * the exchange fails, and any status goes to `done` as it is. */
  CallDone              on_failure;
  /* For the next step (reset/match, the login after a forced change). */
  char                 *login;
  char                 *secret;
  CarnetEntField        field;
  CarnetEntUser        *user;
  char                 *content_type;
  char                 *url;
  gboolean              flag;
};

static void
call_stop_deadline (Call *call)
{
  if (call->deadline != NULL)
    {
      g_source_destroy (call->deadline);
      g_clear_pointer (&call->deadline, g_source_unref);
    }
}

static void
call_clear_exchange (Call *call)
{
  call_stop_deadline (call);
  if (call->cancelled_id != 0)
    {
      /* Blocks until a handler running in another thread is done. */
      g_cancellable_disconnect (call->cancelled_by, call->cancelled_id);
      call->cancelled_id = 0;
    }
  g_clear_object (&call->cancelled_by);
  g_clear_object (&call->exchange_cancellable);
  call->timed_out = FALSE;

  g_clear_object (&call->msg);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->location, g_uri_unref);

  /* Answers can hold tokens. An empty array's data is NULL, which
   * memset() must not be given, even with a length of 0. */
  if (call->body != NULL)
    {
      if (call->body->len > 0)
        carnet_ent_secret_wipe (call->body->data, call->body->len);
      g_clear_pointer (&call->body, g_byte_array_unref);
    }

  call->tls_errors = 0;
}

static void
call_free (gpointer data)
{
  Call *call = data;

  call_clear_exchange (call);
  g_clear_object (&call->user);
  g_clear_pointer (&call->content_type, g_free);
  g_clear_pointer (&call->url, g_free);
  g_clear_pointer (&call->pending_text, g_free);
  g_clear_pointer (&call->login, g_free);
  clear_secret (&call->secret);
  g_free (call);
}

static Call *
call_new (CallFlags flags,
          CallDone  done)
{
  Call *call = g_new0 (Call, 1);

  call->flags = flags;
  call->done = done;
  call->max_size = MAX_ANSWER_SIZE;

  return call;
}

static void i18n_done (CarnetEntClient *self,
                       GTask           *task,
                       Call            *call);

static void
return_error (GTask  *task,
              GError *error)
{
  CarnetEntClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  /* The dictionary could not be fetched: the error text waiting for it is
   * read without it (by its words), and that is the operation's answer. */
  if (call != NULL && call->on_failure != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      CallDone then = call->on_failure;

      g_debug ("Side request failed: %s", error->message);
      g_error_free (error);
      call->on_failure = NULL;
      call->after_i18n = NULL;
      call->done = NULL;
      then (self, task, call);
      return;
    }
  if (call != NULL)
    call->on_failure = NULL;

  if (call != NULL && (call->flags & CALL_FORGET_SESSION))
    forget_session (self);

  /* Once logged in, the address is certainly right: the advice to check
   * it against the letter would send the parent the wrong way. */
  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL) &&
      carnet_ent_client_has_session (self) &&
      g_strcmp0 (error->message, carnet_ent_error_default_message (CARNET_ENT_ERROR_PROTOCOL)) == 0)
    {
      g_free (error->message);
      error->message = g_strdup (_("The ENT gave an answer Carnet does not understand. "
                                   "Try again later; if it goes on, tell your child’s school."));
    }

  g_task_return_error (task, error);
}

static SoupMessage *
new_message (CarnetEntClient *self,
             const char      *method,
             const char      *path_and_query)
{
  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL)
    return NULL;

  return soup_message_new_from_uri (method, uri);
}

static SoupMessage *
new_message_for_uri (const char *method,
                     GUri       *uri)
{
  return soup_message_new_from_uri (method, uri);
}

/* Form and JSON bodies carry passwords and codes: each is written once, in
 * a buffer of its final size, with no escaped copy of a value on the way,
 * and wiped when libsoup lets go of it (carnet-ent-secret.c). */
static void
set_form_body (SoupMessage         *msg,
               const CarnetEntPair *pairs,
               gsize                n_pairs)
{
  gsize length;
  char *form = carnet_ent_secret_form (pairs, n_pairs, &length);
  g_autoptr(GBytes) bytes = carnet_ent_secret_bytes_new_take (form, length);

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
}

static void
set_json_body (SoupMessage         *msg,
               const CarnetEntPair *pairs,
               gsize                n_pairs)
{
  gsize length;
  char *json = carnet_ent_secret_json (pairs, n_pairs, &length);
  g_autoptr(GBytes) bytes = carnet_ent_secret_bytes_new_take (json, length);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

/* POST /auth/login. entcore's loginSubmit gives the session cookie a
 * year's Max-Age when rememberMe is "true", and the configured
 * cookie_timeout (a cookie for the browser's session, by default) when it
 * is anything else or absent: on a shared machine it is left out. */
static SoupMessage *
new_login_message (CarnetEntClient *self,
                   const char      *login,
                   const char      *password)
{
  CarnetEntPair form[4] = {
    { "email", login },
    { "password", password },
  };
  gsize n_pairs = 2;
  SoupMessage *msg;

  if (self->remember_me)
    form[n_pairs++] = (CarnetEntPair) { "rememberMe", "true" };
  form[n_pairs++] = (CarnetEntPair) { "secureLocation", "true" };

  msg = new_message (self, SOUP_METHOD_POST, "/auth/login");
  if (msg != NULL)
    set_form_body (msg, form, n_pairs);

  return msg;
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Call *call = user_data;

  /* Never accept a certificate the trust store refused; only remember why
   * to tell the user. */
  call->tls_errors = errors;

  return FALSE;
}

static void call_read_next (GTask *task);
static void call_finish_response (GTask *task);

static void
call_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Call *call = g_task_get_task_data (task);
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      call_stop_deadline (call);
      if (call->timed_out)
        {
          g_debug ("Answer of %s not whole in time (%u bytes read)",
                   g_uri_get_path (soup_message_get_uri (call->msg)), call->body->len);
          return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_TIMEOUT));
          return;
        }
      return_error (task, carnet_ent_error_from_transport (error, call->tls_errors));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      call_stop_deadline (call);
      g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      call_finish_response (g_steal_pointer (&task));
      return;
    }

  if (call->body->len + size > call->max_size)
    {
      call_stop_deadline (call);
      g_debug ("Answer of %s larger than %" G_GSIZE_FORMAT " bytes",
               g_uri_get_path (soup_message_get_uri (call->msg)), call->max_size);
      g_input_stream_close_async (call->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return_error (task,
                    carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE,
                                               NULL, 0,
                                               _("The ENT’s answer is too large. It may not be an ENT.")));
      return;
    }

  g_byte_array_append (call->body, g_bytes_get_data (bytes, NULL), size);
  /* Answers can hold tokens: the chunk is ours alone, wiped like the body. */
  carnet_ent_secret_wipe ((gpointer) g_bytes_get_data (bytes, NULL), size);
  call_read_next (g_steal_pointer (&task));
}

static void
call_read_next (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  /* The exchange's cancellable: the caller's, and the deadline's. */
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   call->exchange_cancellable,
                                   call_read_cb, task);
}

static void
call_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    call_stop_deadline (call);
  if (call->stream == NULL && call->timed_out)
    {
      g_debug ("No answer from %s in time", g_uri_get_path (soup_message_get_uri (call->msg)));
      return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_TIMEOUT));
      return;
    }
  if (call->stream == NULL)
    {
      GTlsCertificateFlags tls_errors = call->tls_errors;

      if (tls_errors == 0 && call->msg != NULL)
        tls_errors = soup_message_get_tls_peer_certificate_errors (call->msg);
      return_error (task, carnet_ent_error_from_transport (error, tls_errors));
      return;
    }

  headers = soup_message_get_response_headers (call->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) call->max_size)
    {
      call_stop_deadline (call);
      return_error (task,
                    carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE,
                                               NULL, 0,
                                               _("The ENT’s answer is too large. It may not be an ENT.")));
      return;
    }

  /* Sized for the answer when the ENT says its length, so that the body
   * is not reallocated as it arrives (each move leaves a copy behind). */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    call->body = g_byte_array_sized_new ((guint) soup_message_headers_get_content_length (headers));
  else
    call->body = g_byte_array_new ();
  call_read_next (g_steal_pointer (&task));
}

static void
call_cancelled_cb (GCancellable *cancellable,
                   GCancellable *exchange_cancellable)
{
  g_cancellable_cancel (exchange_cancellable);
}

static gboolean
call_deadline_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_clear_pointer (&call->deadline, g_source_unref);
  g_cancellable_cancel (call->exchange_cancellable);

  return G_SOURCE_REMOVE;
}

static void
call_start (CarnetEntClient *self,
            GTask           *task,
            SoupMessage     *msg)
{
  Call *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  const char *method;
  GUri *uri;

  call_clear_exchange (call);

  if (msg == NULL)
    {
      return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
      g_object_unref (task);
      return;
    }

  call->msg = msg;
  uri = soup_message_get_uri (msg);

  /* The last line of defence: whatever built this message, nothing leaves
   * over plain HTTP, and nothing leaves for another host. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    {
      return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_INSECURE));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  method = soup_message_get_method (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  if (soup_message_headers_get_one (headers, "Accept") == NULL)
    soup_message_headers_replace (headers, "Accept", "application/json, text/html;q=0.5, */*;q=0.1");

  if (!g_str_equal (method, SOUP_METHOD_GET) && !g_str_equal (method, SOUP_METHOD_HEAD))
    {
      g_autofree char *xsrf = get_cookie (self, "XSRF-TOKEN");

      if (xsrf != NULL)
        soup_message_headers_replace (headers, "X-XSRF-TOKEN", xsrf);
    }

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), call);

  g_debug ("%s %s", method, g_uri_get_path (uri));

  /* The exchange is cancelled by the caller or by the deadline. */
  call->exchange_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    {
      call->cancelled_by = g_object_ref (g_task_get_cancellable (task));
      call->cancelled_id = g_cancellable_connect (call->cancelled_by,
                                                  G_CALLBACK (call_cancelled_cb),
                                                  g_object_ref (call->exchange_cancellable),
                                                  g_object_unref);
    }
  if (self->timeout > 0)
    {
      call->deadline = g_timeout_source_new (self->timeout * 1000);
      g_source_set_static_name (call->deadline, "[carnet] ENT answer deadline");
      g_source_set_callback (call->deadline, call_deadline_cb, call, NULL);
      g_source_attach (call->deadline, g_main_context_get_thread_default ());
    }

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT,
                           call->exchange_cancellable,
                           call_send_cb, task);
}

static JsonNode *
call_get_json (Call    *call,
               GError **error)
{
  if (call->body == NULL)
    {
      g_propagate_error (error, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
      return NULL;
    }

  return carnet_ent_json_parse ((const char *) call->body->data, call->body->len, error);
}

static gboolean
same_origin (CarnetEntClient *self,
             GUri            *uri)
{
  g_autofree char *host_port = NULL;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;

  host_port = host_port_from_uri (uri);

  return host_port != NULL && g_ascii_strcasecmp (host_port, self->host) == 0;
}

static guint
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    return (guint) seconds;

  return 0;
}

GError *
carnet_ent_error_from_redirect_path (const char *path,
                                     gboolean   *session_expired)
{
  *session_expired = FALSE;

  if (g_strcmp0 (path, "/auth/login") == 0)
    {
      *session_expired = TRUE;
      return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SESSION_EXPIRED);
    }

  if (g_strcmp0 (path, "/auth/reset/forceChangePassword") == 0)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_ACTION_REQUIRED, CARNET_ENT_FIELD_NEW_PASSWORD,
                                      NULL, 0, _("The ENT asks you to choose a new password first."));

  if (g_strcmp0 (path, "/auth/revalidate-terms") == 0)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_ACTION_REQUIRED, CARNET_ENT_FIELD_CHARTER,
                                      NULL, 0, _("The ENT asks you to accept its charter first."));

  if (g_strcmp0 (path, "/auth/validate-mail") == 0)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_ACTION_REQUIRED, CARNET_ENT_FIELD_MAIL,
                                      NULL, 0, _("The ENT asks you to confirm your email address first."));

  return NULL;
}

GError *
carnet_ent_error_from_status (guint           status,
                              JsonNode       *json,
                              CarnetEntField  field,
                              gboolean       *session_expired)
{
  const char *key = NULL;
  const char *description = NULL;
  GError *error;

  *session_expired = FALSE;
  carnet_ent_error_keys_from_json (json, &key, &description);

  if (status == 429 || status == 509)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_RATE_LIMITED);

  if (status >= 500)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SERVER);

  /* A missing or stale XSRF token means the cookies this client holds are
   * not the session's any more (the ENT replaced or dropped it): logging
   * in again is the fix, so it is an expired session, not a bug to report. */
  if (status == 403 && g_strcmp0 (key, "invalid.xsrf.token") == 0)
    {
      *session_expired = TRUE;
      return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SESSION_EXPIRED);
    }

  if ((error = carnet_ent_error_from_auth_key (description)) != NULL ||
      (error = carnet_ent_error_from_auth_key (key)) != NULL)
    return error;

  if (status == 401)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
                                      NULL, 0,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BAD_CREDENTIALS));

  if (status == 400)
    {
      CarnetEntField f = field;

      if (g_strcmp0 (key, "invalid.login") == 0)
        f = CARNET_ENT_FIELD_LOGIN;
      else if (key != NULL && (strstr (key, "mail") != NULL))
        f = CARNET_ENT_FIELD_MAIL;

      return carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, f, key, 0,
                                        carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT));
    }

  return carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);
}

/* Answers every operation treats alike; then the operation's own handler. */
static void
call_finish_response (GTask *task)
{
  CarnetEntClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  guint status = soup_message_get_status (call->msg);

  /* Side requests (/auth/i18n, /auth/reset/match) make do with any answer. */
  if (call->on_failure != NULL)
    {
      call->on_failure = NULL;
      call->done (self, task, call);
      g_object_unref (task);
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (call->msg),
                                                           "Location");

      if (location != NULL)
        call->location = g_uri_parse_relative (soup_message_get_uri (call->msg), location,
                                               G_URI_FLAGS_ENCODED, NULL);

      if (call->location == NULL || !same_origin (self, call->location))
        {
          g_debug ("Redirect away from the ENT refused");
          return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
          g_object_unref (task);
          return;
        }

      if ((call->flags & CALL_AUTHENTICATED) &&
          !(call->success_path != NULL &&
            g_strcmp0 (g_uri_get_path (call->location), call->success_path) == 0))
        {
          gboolean expired;
          GError *error = carnet_ent_error_from_redirect_path (g_uri_get_path (call->location),
                                                               &expired);

          if (error != NULL)
            {
              if (expired)
                forget_session (self);
              return_error (task, error);
              g_object_unref (task);
              return;
            }
        }
    }
  else if (status == 429 || status == 509 || status >= 500 || status == 403)
    {
      g_autoptr(JsonNode) json = call_get_json (call, NULL);
      gboolean expired;
      GError *error = carnet_ent_error_from_status (status, json, call->field, &expired);

      /* Other 403s are the operation's to interpret. */
      if (status != 403 || expired)
        {
          if (error->code == CARNET_ENT_ERROR_RATE_LIMITED)
            {
              guint retry_after = parse_retry_after (call->msg);

              g_clear_error (&error);
              error = carnet_ent_error_new_full (CARNET_ENT_ERROR_RATE_LIMITED, CARNET_ENT_FIELD_NONE,
                                                 NULL, retry_after,
                                                 carnet_ent_error_default_message (CARNET_ENT_ERROR_RATE_LIMITED));
            }
          if (expired)
            {
              /* Before any login there is no session to lose: "you were
               * logged out" would be wrong. The stale cookies go all the
               * same, so trying again works. */
              if (!carnet_ent_client_has_session (self) &&
                  error->code == CARNET_ENT_ERROR_SESSION_EXPIRED)
                {
                  g_clear_error (&error);
                  error = carnet_ent_error_new_full (CARNET_ENT_ERROR_SERVER, CARNET_ENT_FIELD_NONE, NULL, 0,
                                                     _("The ENT refused the request for safety reasons. Try again."));
                }
              forget_session (self);
            }
          return_error (task, error);
          g_object_unref (task);
          return;
        }

      g_clear_error (&error);
    }

  call->done (self, task, call);
  g_object_unref (task);
}

/* For the handlers: any answer they do not expect. */
static void
return_status_error (GTask *task,
                     Call  *call)
{
  CarnetEntClient *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) json = call_get_json (call, NULL);
  guint status = soup_message_get_status (call->msg);
  gboolean expired;
  GError *error;

  if (SOUP_STATUS_IS_REDIRECTION (status) || SOUP_STATUS_IS_SUCCESSFUL (status))
    error = carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);
  else
    error = carnet_ent_error_from_status (status, json, call->field, &expired);

  if (error->code == CARNET_ENT_ERROR_SESSION_EXPIRED)
    forget_session (self);

  g_debug ("Unexpected status %u from %s", status, g_uri_get_path (soup_message_get_uri (call->msg)));
  return_error (task, error);
}

static GTask *
new_task (CarnetEntClient     *self,
          Call                *call,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call_free);
  /* What the exchange got decides: an answer that arrived stands even if
   * the caller cancelled since; a cancelled exchange answers
   * G_IO_ERROR_CANCELLED (carnet_ent_error_from_transport()). */
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

/* Validation errors found before sending anything. */
static void
return_local_error (GTask          *task,
                    CarnetEntError  code,
                    CarnetEntField  field,
                    const char     *message)
{
  g_task_return_error (task, carnet_ent_error_new_full (code, field, NULL, 0, message));
  g_object_unref (task);
}

/* --- error texts back to keys (GET /auth/i18n) ---------------------------- */

static void
i18n_done (CarnetEntClient *self,
           GTask           *task,
           Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;

  if (soup_message_get_status (call->msg) == SOUP_STATUS_OK &&
      (json = call_get_json (call, &error)) != NULL)
    {
      GHashTable *reverse = carnet_ent_i18n_reverse_new_from_json (json, &error);

      if (reverse != NULL)
        {
          g_clear_pointer (&self->i18n_reverse, g_hash_table_unref);
          self->i18n_reverse = reverse;
        }
    }

  /* Without the dictionary the text is read by its words. */
  if (self->i18n_reverse == NULL)
    g_debug ("No usable /auth/i18n (status %u)", soup_message_get_status (call->msg));

  {
    CallDone then = call->after_i18n;

    call->after_i18n = NULL;
    call->on_failure = NULL;
    call->done = NULL;
    then (self, task, call);
  }
}

/* Fetches the dictionary once per client when @text is a translated
 * message (not a raw key) and it is not there yet, then calls @then with
 * the text in call->pending_text. FALSE when nothing was started: read
 * the text now. */
static gboolean
call_fetch_i18n (CarnetEntClient *self,
                 GTask           *task,
                 Call            *call,
                 const char      *text,
                 CallDone         then)
{
  g_autofree char *normal = NULL;
  SoupMessage *msg;

  if (self->i18n_reverse != NULL || call->i18n_tried || text == NULL)
    return FALSE;

  normal = carnet_ent_i18n_normalize (text);
  if (normal == NULL || *normal == '\0' || carnet_ent_text_is_key (normal))
    return FALSE;

  msg = new_message (self, SOUP_METHOD_GET, "/auth/i18n");
  if (msg == NULL)
    return FALSE;

  call->i18n_tried = TRUE;
  if (text != call->pending_text)
    {
      g_free (call->pending_text);
      call->pending_text = g_strdup (text);
    }
  call->after_i18n = then;
  call->on_failure = then;
  call->done = i18n_done;
  /* Public and bounded like any answer; its failures only mean no
   * dictionary (handled in i18n_done through the status). */
  call->flags &= ~CALL_AUTHENTICATED;
  call->max_size = MAX_ANSWER_SIZE;

  call_start (self, g_object_ref (task), msg);
  return TRUE;
}

static gboolean
is_empty (const char *str)
{
  if (str == NULL)
    return TRUE;

  for (; *str != '\0'; str++)
    if (!g_ascii_isspace (*str))
      return FALSE;

  return TRUE;
}

/* Checks shared by activation, reset and password change. */
static gboolean
check_new_password (CarnetEntClient *self,
                    GTask           *task,
                    const char      *password,
                    const char      *confirm_password)
{
  if (password == NULL || *password == '\0')
    {
      return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NEW_PASSWORD,
                          _("Choose a new password."));
      return FALSE;
    }

  if (g_strcmp0 (password, confirm_password) != 0)
    {
      return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CONFIRM_PASSWORD,
                          _("The two passwords are not the same."));
      return FALSE;
    }

  if (self->context != NULL && !carnet_ent_context_check_password (self->context, password))
    {
      return_local_error (task, CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                          carnet_ent_error_default_message (CARNET_ENT_ERROR_PASSWORD_POLICY));
      return FALSE;
    }

  return TRUE;
}

/* --- GET /auth/context --------------------------------------------------- */

static GError *
not_an_ent_error (void)
{
  return carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE, NULL, 0,
                                    _("This address does not answer like an ENT. Check the address on the letter: the platform may have been renamed."));
}

static void
context_done (CarnetEntClient *self,
              GTask           *task,
              Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  CarnetEntContext *context;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK ||
      !(json = call_get_json (call, &error)) ||
      !(context = carnet_ent_context_new_from_json (json, &error)))
    {
      return_error (task, not_an_ent_error ());
      return;
    }

  g_set_object (&self->context, context);
  g_task_return_pointer (task, context, g_object_unref);
}

void
carnet_ent_client_get_context_async (CarnetEntClient     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = new_task (self, call_new (CALL_PUBLIC, context_done),
                   carnet_ent_client_get_context_async, cancellable, callback, user_data);
  call_start (self, task, new_message (self, SOUP_METHOD_GET, "/auth/context"));
}

CarnetEntContext *
carnet_ent_client_get_context_finish (CarnetEntClient  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- POST /auth/activation/match ----------------------------------------- */

static void
match_done (CarnetEntClient *self,
            GTask           *task,
            Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  gboolean matches = FALSE;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      return_status_error (task, call);
      return;
    }

  if (!(json = call_get_json (call, &error)) ||
      !carnet_ent_match_from_json (json, &matches, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  call->flag = matches;
  g_task_return_boolean (task, matches);
}

void
carnet_ent_client_activation_match_async (CarnetEntClient     *self,
                                          const char          *login,
                                          const char          *activation_code,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  SoupMessage *msg;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_PUBLIC, match_done);
  call->field = CARNET_ENT_FIELD_PASSWORD;
  task = new_task (self, call, carnet_ent_client_activation_match_async,
                   cancellable, callback, user_data);

  if (is_empty (login))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type the login printed on the letter."));
  if (is_empty (activation_code))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                               _("Type the provisional password printed on the letter."));

  msg = new_message (self, SOUP_METHOD_POST, "/auth/activation/match");
  if (msg != NULL)
    {
      const CarnetEntPair body[] = {
        { "login", login },
        { "password", activation_code },
      };

      set_json_body (msg, body, G_N_ELEMENTS (body));
    }
  call_start (self, task, msg);
}

gboolean
carnet_ent_client_activation_match_finish (CarnetEntClient  *self,
                                           GAsyncResult     *result,
                                           gboolean         *matches,
                                           GError          **error)
{
  gboolean ret;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ret = g_task_propagate_boolean (G_TASK (result), error);
  if (matches != NULL)
    *matches = ret;

  return ret;
}

/* --- forms answering 302 on success -------------------------------------- */

static void form_refused (CarnetEntClient *self,
                          GTask           *task,
                          Call            *call,
                          const char      *message);

static void
form_refused_mapped (CarnetEntClient *self,
                     GTask           *task,
                     Call            *call)
{
  g_autofree char *message = g_steal_pointer (&call->pending_text);

  form_refused (self, task, call, message);
}

static void
reset_match_done (CarnetEntClient *self,
                  GTask           *task,
                  Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  gboolean matches = FALSE;

  /* Unanswered, the code is the likelier culprit (reset codes last 24 h). */
  if (call->msg == NULL || soup_message_get_status (call->msg) != SOUP_STATUS_OK ||
      (json = call_get_json (call, NULL)) == NULL ||
      !carnet_ent_match_from_json (json, &matches, NULL))
    matches = FALSE;

  return_error (task, carnet_ent_error_reset_refused (matches, call->pending_text));
}

/* reset.error says "wrong or expired code, or a password used before";
 * POST /auth/reset/match tells the two apart. */
static void
reset_ask_match (CarnetEntClient *self,
                 GTask           *task,
                 Call            *call,
                 const char      *message)
{
  const CarnetEntPair body[] = {
    { "login", call->login },
    { "password", call->secret },
  };
  SoupMessage *msg;

  msg = new_message (self, SOUP_METHOD_POST, "/auth/reset/match");
  if (msg == NULL)
    {
      return_error (task, carnet_ent_error_reset_refused (FALSE, message));
      return;
    }
  set_json_body (msg, body, G_N_ELEMENTS (body));

  if (message != call->pending_text)
    {
      g_free (call->pending_text);
      call->pending_text = g_strdup (message);
    }
  call->done = reset_match_done;
  call->on_failure = reset_match_done;  /* a failed exchange is answered too */
  call_start (self, g_object_ref (task), msg);
}

static void
form_refused (CarnetEntClient *self,
              GTask           *task,
              Call            *call,
              const char      *message)
{
  GError *error;

  if (call_fetch_i18n (self, task, call, message, form_refused_mapped))
    return;

  error = carnet_ent_error_from_form_message_full (call->form, message, self->i18n_reverse);

  if (call->form == CARNET_ENT_FORM_RESET && call->login != NULL && call->secret != NULL &&
      (error->code == CARNET_ENT_ERROR_CODE_EXPIRED || error->code == CARNET_ENT_ERROR_PASSWORD_POLICY))
    {
      g_error_free (error);
      reset_ask_match (self, task, call, message);
      return;
    }

  return_error (task, error);
}

static void
form_done (CarnetEntClient *self,
           GTask           *task,
           Call            *call)
{
  guint status = soup_message_get_status (call->msg);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* Sent back to the form itself: nothing was done (a loop, or a
       * proxy in the way). Saying "done" would lie to the parent. */
      if (call->location == NULL ||
          g_strcmp0 (g_uri_get_path (call->location),
                     g_uri_get_path (soup_message_get_uri (call->msg))) == 0)
        {
          g_debug ("Form sent back to itself");
          return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
          return;
        }

      /* Activation with auto-login opens a session; without it the ENT
       * sends the user to its login page. */
      call->flag = has_cookie (self, "oneSessionId") &&
                   g_strcmp0 (g_uri_get_path (call->location), "/auth/login") != 0;
      if (call->flag)
        {
          self->has_cookie_session = TRUE;
          g_signal_emit (self, signals [SESSION_CHANGED], 0);
        }

      g_task_return_boolean (task, TRUE);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(JsonNode) json = call_get_json (call, NULL);
      g_autofree char *message = NULL;
      GError *error = NULL;

      if (!carnet_ent_form_error_from_json (json, &message, &error))
        {
          return_error (task, error);
          return;
        }
      if (message != NULL)
        {
          form_refused (self, task, call, message);
          return;
        }
    }

  return_status_error (task, call);
}

static gboolean
form_finish (CarnetEntClient  *self,
             GAsyncResult     *result,
             gpointer          source_tag,
             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
carnet_ent_client_activate_async (CarnetEntClient     *self,
                                  const char          *login,
                                  const char          *activation_code,
                                  const char          *password,
                                  const char          *confirm_password,
                                  const char          *mail,
                                  const char          *phone,
                                  gboolean             accept_charter,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SoupMessage *msg;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_PUBLIC, form_done);
  call->form = CARNET_ENT_FORM_ACTIVATION;
  task = new_task (self, call, carnet_ent_client_activate_async, cancellable, callback, user_data);

  if (is_empty (login))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type the login printed on the letter."));
  if (is_empty (activation_code))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                               _("Type the provisional password printed on the letter."));
  if (!check_new_password (self, task, password, confirm_password))
    return;
  if (self->context != NULL && carnet_ent_context_get_mail_mandatory (self->context) && is_empty (mail))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
                               _("The ENT needs an email address."));
  if (self->context != NULL && carnet_ent_context_get_phone_mandatory (self->context) && is_empty (phone))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
                               _("The ENT needs a mobile phone number."));
  if (!accept_charter)
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CHARTER,
                               _("The charter must be accepted."));

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "activationCode", activation_code },
      { "password", password },
      { "confirmPassword", confirm_password },
      { "acceptCGU", "true" },
      { "mail", mail },
      { "phone", phone },
    };

    msg = new_message (self, SOUP_METHOD_POST, "/auth/activation");
    if (msg != NULL)
      set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  call_start (self, task, msg);
}

gboolean
carnet_ent_client_activate_finish (CarnetEntClient  *self,
                                   GAsyncResult     *result,
                                   gboolean         *logged_in,
                                   GError          **error)
{
  gboolean ret = form_finish (self, result, carnet_ent_client_activate_async, error);
  Call *call = g_task_get_task_data (G_TASK (result));

  if (logged_in != NULL)
    *logged_in = ret && call->flag;

  return ret;
}

/* --- POST /auth/login ---------------------------------------------------- */

static void
login_page_mapped (CarnetEntClient *self,
                   GTask           *task,
                   Call            *call)
{
  const char *page = call->pending_text != NULL ? call->pending_text : "";

  return_error (task, carnet_ent_error_from_login_page_full (page, strlen (page), self->i18n_reverse));
}

/* The password typed was the code of a reset mail: the ENT sends the
 * browser to /auth/reset/<code>?login=<login>, without a session. */
static char *
reset_code_from_location (GUri *location)
{
  const char *path = location != NULL ? g_uri_get_path (location) : NULL;
  g_autofree char *code = NULL;

  if (path == NULL || !g_str_has_prefix (path, "/auth/reset/"))
    return NULL;

  code = g_uri_unescape_string (path + strlen ("/auth/reset/"), NULL);
  if (code == NULL || *code == '\0' || strchr (code, '/') != NULL ||
      g_str_equal (code, "forceChangePassword") || strlen (code) > 64)
    return NULL;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return NULL;

  return g_steal_pointer (&code);
}

static void
login_done (CarnetEntClient *self,
            GTask           *task,
            Call            *call)
{
  guint status = soup_message_get_status (call->msg);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      if (!has_cookie (self, "oneSessionId"))
        {
          g_autofree char *code = reset_code_from_location (call->location);

          if (code != NULL)
            {
              return_error (task, carnet_ent_error_reset_code_as_password (code));
              wipe_string (code);
              return;
            }

          g_debug ("Login redirected without a session cookie");
          return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
          return;
        }

      self->has_cookie_session = TRUE;
      g_signal_emit (self, signals [SESSION_CHANGED], 0);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      const char *page = (const char *) call->body->data;
      gsize length = call->body->len;

      /* The failed login page carries the message translated for the
       * Accept-Language sent: map it back to its key. */
      if (length > 0 && carnet_ent_login_page_needs_i18n (page, length) &&
          self->i18n_reverse == NULL)
        {
          g_autofree char *text = g_strndup (page, length);

          if (call_fetch_i18n (self, task, call, text, login_page_mapped))
            return;
        }

      return_error (task, carnet_ent_error_from_login_page_full (page, length, self->i18n_reverse));
      return;
    }

  return_status_error (task, call);
}

void
carnet_ent_client_login_async (CarnetEntClient     *self,
                               const char          *login,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SoupMessage *msg;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_PUBLIC, login_done);
  call->field = CARNET_ENT_FIELD_PASSWORD;
  task = new_task (self, call, carnet_ent_client_login_async, cancellable, callback, user_data);

  if (is_empty (login))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type your login."));
  if (password == NULL || *password == '\0')
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                               _("Type your password."));

  /* Start from a clean jar: an old session's cookies would otherwise mix
   * with the new one's. */
  forget_session (self);

  msg = new_login_message (self, login, password);
  call_start (self, task, msg);
}

gboolean
carnet_ent_client_login_finish (CarnetEntClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  return form_finish (self, result, carnet_ent_client_login_async, error);
}

/* --- authenticated JSON GETs --------------------------------------------- */

typedef gpointer (*JsonConstructor) (JsonNode *node, GError **error);

static void
json_object_done (CarnetEntClient *self,
                  GTask           *task,
                  Call            *call,
                  JsonConstructor  constructor)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  gpointer object;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      return_status_error (task, call);
      return;
    }

  if (!(json = call_get_json (call, &error)) ||
      !(object = constructor (json, &error)))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, object, g_object_unref);
}

static void
user_info_done (CarnetEntClient *self,
                GTask           *task,
                Call            *call)
{
  json_object_done (self, task, call, (JsonConstructor) carnet_ent_user_new_from_json);
}

void
carnet_ent_client_get_user_info_async (CarnetEntClient     *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SoupMessage *msg;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = new_task (self, call_new (CALL_AUTHENTICATED, user_info_done),
                   carnet_ent_client_get_user_info_async, cancellable, callback, user_data);
  msg = new_message (self, SOUP_METHOD_GET, "/auth/oauth2/userinfo");
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept", "application/json;version=2.0");
  call_start (self, task, msg);
}

CarnetEntUser *
carnet_ent_client_get_user_info_finish (CarnetEntClient  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
requirements_done (CarnetEntClient *self,
                   GTask           *task,
                   Call            *call)
{
  json_object_done (self, task, call, (JsonConstructor) carnet_ent_requirements_new_from_json);
}

void
carnet_ent_client_get_requirements_async (CarnetEntClient     *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = new_task (self, call_new (CALL_AUTHENTICATED, requirements_done),
                   carnet_ent_client_get_requirements_async, cancellable, callback, user_data);
  call_start (self, task, new_message (self, SOUP_METHOD_GET, "/auth/user/requirements"));
}

CarnetEntRequirements *
carnet_ent_client_get_requirements_finish (CarnetEntClient  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- the charter --------------------------------------------------------- */

static void
charter_document_done (CarnetEntClient *self,
                       GTask           *task,
                       Call            *call)
{
  const char *content_type;
  GBytes *bytes;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK || call->body->len == 0)
    {
      return_status_error (task, call);
      return;
    }

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (call->msg),
                                                        NULL);
  g_free (call->content_type);
  call->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&call->body));
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
charter_i18n_done (CarnetEntClient *self,
                   GTask           *task,
                   Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      return_status_error (task, call);
      return;
    }

  if (!(json = call_get_json (call, &error)) ||
      !(path = carnet_ent_charter_path_from_json (json, &error)))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The same dictionary the error texts are read with. */
  if (self->i18n_reverse == NULL)
    self->i18n_reverse = carnet_ent_i18n_reverse_new_from_json (json, NULL);

  /* The key may hold a path or a whole URL; either must stay on the ENT. */
  uri = g_uri_parse_relative (self->base_uri, path, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || !same_origin (self, uri))
    {
      g_debug ("Charter outside of the ENT refused");
      return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL));
      return;
    }

  g_free (call->url);
  call->url = g_uri_to_string (uri);
  call->max_size = MAX_DOCUMENT_SIZE;
  call->done = charter_document_done;

  /* call_start takes a reference of its own; ours goes with the caller's. */
  call_start (self, g_object_ref (task), new_message_for_uri (SOUP_METHOD_GET, uri));
}

void
carnet_ent_client_get_charter_async (CarnetEntClient     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = new_task (self, call_new (CALL_PUBLIC, charter_i18n_done),
                   carnet_ent_client_get_charter_async, cancellable, callback, user_data);
  call_start (self, task, new_message (self, SOUP_METHOD_GET, "/auth/i18n"));
}

GBytes *
carnet_ent_client_get_charter_finish (CarnetEntClient  *self,
                                      GAsyncResult     *result,
                                      char            **content_type,
                                      char            **url,
                                      GError          **error)
{
  Call *call;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  call = g_task_get_task_data (G_TASK (result));

  if (content_type != NULL)
    *content_type = bytes != NULL ? g_strdup (call->content_type) : NULL;
  if (url != NULL)
    *url = bytes != NULL ? g_strdup (call->url) : NULL;

  return bytes;
}

/* A success with nothing to read (204, or 200 with an empty body): what
 * the ENT sends must not be relied upon, but a body that is there must not
 * contradict the status (not JSON, or an "error"). */
static void
no_content_done (CarnetEntClient *self,
                 GTask           *task,
                 Call            *call)
{
  guint status = soup_message_get_status (call->msg);

  if (status == SOUP_STATUS_OK || status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_CREATED)
    {
      GError *error = NULL;

      if (call->body != NULL &&
          !carnet_ent_empty_answer_check ((const char *) call->body->data, call->body->len, &error))
        {
          return_error (task, error);
          return;
        }

      g_task_return_boolean (task, TRUE);
      return;
    }

  return_status_error (task, call);
}

static void
accept_charter_check_done (CarnetEntClient *self,
                           GTask           *task,
                           Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(CarnetEntRequirements) requirements = NULL;

  if (soup_message_get_status (call->msg) == SOUP_STATUS_OK &&
      (json = call_get_json (call, NULL)) != NULL &&
      (requirements = carnet_ent_requirements_new_from_json (json, NULL)) != NULL &&
      !carnet_ent_requirements_get_need_revalidate_terms (requirements))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* cgu.accept.failed and still pending: the ENT could not record it;
   * nothing the user did is wrong. */
  return_error (task, carnet_ent_error_new_simple (CARNET_ENT_ERROR_SERVER));
}

static void
accept_charter_done (CarnetEntClient *self,
                     GTask           *task,
                     Call            *call)
{
  if (soup_message_get_status (call->msg) == SOUP_STATUS_BAD_REQUEST)
    {
      /* entcore answers 400 cgu.accept.failed when a later step failed,
       * after the acceptance was recorded: /auth/user/requirements
       * (the only one to trust) says whether it was. */
      call->done = accept_charter_check_done;
      call_start (self, g_object_ref (task),
                  new_message (self, SOUP_METHOD_GET, "/auth/user/requirements"));
      return;
    }

  no_content_done (self, task, call);
}

void
carnet_ent_client_accept_charter_async (CarnetEntClient     *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = new_task (self, call_new (CALL_AUTHENTICATED, accept_charter_done),
                   carnet_ent_client_accept_charter_async, cancellable, callback, user_data);
  call_start (self, task, new_message (self, SOUP_METHOD_PUT, "/auth/cgu/revalidate"));
}

gboolean
carnet_ent_client_accept_charter_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return form_finish (self, result, carnet_ent_client_accept_charter_async, error);
}

/* --- notification email -------------------------------------------------- */

static void
mail_state_done (CarnetEntClient *self,
                 GTask           *task,
                 Call            *call)
{
  json_object_done (self, task, call, (JsonConstructor) carnet_ent_mail_state_new_from_json);
}

void
carnet_ent_client_get_mail_state_async (CarnetEntClient     *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = new_task (self, call_new (CALL_AUTHENTICATED, mail_state_done),
                   carnet_ent_client_get_mail_state_async, cancellable, callback, user_data);
  call_start (self, task, new_message (self, SOUP_METHOD_GET, "/directory/user/mailstate"));
}

CarnetEntMailState *
carnet_ent_client_get_mail_state_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static SoupMessage *
new_json_message (CarnetEntClient *self,
                  const char      *method,
                  const char      *path,
                  const char      *first_name,
                  ...) G_GNUC_NULL_TERMINATED;

/* name, value, …, NULL (at most MAX_JSON_MEMBERS pairs); NULL values are
 * left out. */
#define MAX_JSON_MEMBERS 8

static SoupMessage *
new_json_message (CarnetEntClient *self,
                  const char      *method,
                  const char      *path,
                  const char      *first_name,
                  ...)
{
  CarnetEntPair body[MAX_JSON_MEMBERS];
  gsize n_pairs = 0;
  SoupMessage *msg;
  const char *name;
  va_list args;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      if (n_pairs == G_N_ELEMENTS (body))
        g_error ("More than %d JSON members for %s", MAX_JSON_MEMBERS, path);
      body[n_pairs].name = name;
      body[n_pairs].value = va_arg (args, const char *);
      n_pairs++;
    }
  va_end (args);

  msg = new_message (self, method, path);
  if (msg != NULL)
    set_json_body (msg, body, n_pairs);

  return msg;
}

void
carnet_ent_client_send_mail_code_async (CarnetEntClient     *self,
                                        const char          *email,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Call *call;
  GTask *task;
  g_autofree char *trimmed = NULL;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_AUTHENTICATED, no_content_done);
  call->field = CARNET_ENT_FIELD_MAIL;
  task = new_task (self, call, carnet_ent_client_send_mail_code_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (email != NULL ? email : ""));
  if (*trimmed == '\0' || strchr (trimmed, '@') == NULL)
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
                               _("Type a whole email address, like name@example.fr."));

  call_start (self, task,
              new_json_message (self, SOUP_METHOD_PUT, "/directory/user/mailstate",
                                "email", trimmed, NULL));
}

gboolean
carnet_ent_client_send_mail_code_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return form_finish (self, result, carnet_ent_client_send_mail_code_async, error);
}

void
carnet_ent_client_check_mail_code_async (CarnetEntClient     *self,
                                         const char          *code,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(CarnetEntSecretString) trimmed = NULL;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_AUTHENTICATED, mail_state_done);
  call->field = CARNET_ENT_FIELD_CODE;
  task = new_task (self, call, carnet_ent_client_check_mail_code_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (code != NULL ? code : ""));
  if (*trimmed == '\0')
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CODE,
                               _("Type the 6-digit code from the mail."));

  call_start (self, task,
              new_json_message (self, SOUP_METHOD_POST, "/directory/user/mailstate",
                                "key", trimmed, NULL));
}

CarnetEntMailState *
carnet_ent_client_check_mail_code_finish (CarnetEntClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- forgotten login and password ---------------------------------------- */

static void
forgot_login_done (CarnetEntClient *self,
                   GTask           *task,
                   Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GPtrArray *schools;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      return_status_error (task, call);
      return;
    }

  if (!(json = call_get_json (call, &error)) ||
      !carnet_ent_form_error_from_json (json, &message, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (message != NULL)
    {
      g_autofree char *clean = carnet_ent_error_clean_server_message (message);

      return_error (task, carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, call->field,
                                                     clean, 0,
                                                     carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT)));
      return;
    }

  if (!(schools = carnet_ent_schools_new_from_json (json, &error)))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, schools, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_forgot_login_async (CarnetEntClient     *self,
                                      const char          *mail,
                                      const char          *first_name,
                                      const char          *school_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *trimmed = NULL;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_PUBLIC, forgot_login_done);
  call->field = CARNET_ENT_FIELD_MAIL;
  task = new_task (self, call, carnet_ent_client_forgot_login_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (mail != NULL ? mail : ""));
  if (*trimmed == '\0' || strchr (trimmed, '@') == NULL)
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
                               _("Type a whole email address, like name@example.fr."));
  if (school_id != NULL && is_empty (first_name))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_FIRST_NAME,
                               _("Type your first name."));
  if (first_name != NULL && school_id == NULL)
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_SCHOOL,
                               _("Choose the school."));

  call_start (self, task,
              new_json_message (self, SOUP_METHOD_POST, "/auth/forgot-id",
                                "mail", trimmed,
                                "service", "mail",
                                "firstName", first_name,
                                "structureId", school_id,
                                NULL));
}

GPtrArray *
carnet_ent_client_forgot_login_finish (CarnetEntClient  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
forgot_password_done (CarnetEntClient *self,
                      GTask           *task,
                      Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      return_status_error (task, call);
      return;
    }

  /* The answer never tells whether the login exists; only an explicit
   * error is one. It is always a JSON object ({} or {"status":"ok"}): a
   * body that is not one, or an "error" that cannot be read, means the
   * link may not have been sent, and the parent would wait for nothing. */
  if (!(json = call_get_json (call, &error)) ||
      !carnet_ent_form_error_from_json (json, &message, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  if (message != NULL)
    {
      g_autofree char *clean = carnet_ent_error_clean_server_message (message);

      return_error (task, carnet_ent_error_new_full (CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                                                     clean, 0,
                                                     carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT)));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
carnet_ent_client_forgot_password_async (CarnetEntClient     *self,
                                         const char          *login,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *trimmed = NULL;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_PUBLIC, forgot_password_done);
  call->field = CARNET_ENT_FIELD_LOGIN;
  task = new_task (self, call, carnet_ent_client_forgot_password_async, cancellable, callback, user_data);

  trimmed = g_strstrip (g_strdup (login != NULL ? login : ""));
  if (*trimmed == '\0')
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type your login."));

  call_start (self, task,
              new_json_message (self, SOUP_METHOD_POST, "/auth/forgot-password",
                                "login", trimmed, "service", "mail", NULL));
}

gboolean
carnet_ent_client_forgot_password_finish (CarnetEntClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return form_finish (self, result, carnet_ent_client_forgot_password_async, error);
}

void
carnet_ent_client_reset_password_async (CarnetEntClient     *self,
                                        const char          *login,
                                        const char          *link_or_code,
                                        const char          *password,
                                        const char          *confirm_password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CarnetEntSecretString) code = NULL;
  SoupMessage *msg;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_PUBLIC, form_done);
  call->form = CARNET_ENT_FORM_RESET;
  task = new_task (self, call, carnet_ent_client_reset_password_async, cancellable, callback, user_data);

  if (is_empty (login))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type your login."));

  code = carnet_ent_parse_reset_code (link_or_code, self->host, &error);
  if (code == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (!check_new_password (self, task, password, confirm_password))
    return;

  call->login = g_strdup (login);
  call->secret = g_strdup (code);

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "resetCode", code },
      { "password", password },
      { "confirmPassword", confirm_password },
    };

    msg = new_message (self, SOUP_METHOD_POST, "/auth/reset");
    if (msg != NULL)
      set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  call_start (self, task, msg);
}

gboolean
carnet_ent_client_reset_password_finish (CarnetEntClient  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return form_finish (self, result, carnet_ent_client_reset_password_async, error);
}

void
carnet_ent_client_change_password_async (CarnetEntClient     *self,
                                         const char          *login,
                                         const char          *old_password,
                                         const char          *password,
                                         const char          *confirm_password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  SoupMessage *msg;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  call = call_new (CALL_AUTHENTICATED, form_done);
  call->form = CARNET_ENT_FORM_CHANGE_PASSWORD;
  /* Success is a 302 to the callback, the session kept; the filters'
   * 302s go to /auth/login?callback=… or /auth/reset/forceChangePassword. */
  call->success_path = CHANGE_PASSWORD_CALLBACK;
  task = new_task (self, call, carnet_ent_client_change_password_async, cancellable, callback, user_data);

  if (is_empty (login))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type your login."));
  if (old_password == NULL || *old_password == '\0')
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                               _("Type your current password."));
  if (!check_new_password (self, task, password, confirm_password))
    return;
  if (g_str_equal (old_password, password))
    return return_local_error (task, CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                               _("The new password must be different from the current one."));

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "oldPassword", old_password },
      { "password", password },
      { "confirmPassword", confirm_password },
      { "callback", CHANGE_PASSWORD_CALLBACK },
    };

    msg = new_message (self, SOUP_METHOD_POST, "/auth/changePassword");
    if (msg != NULL)
      set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  call_start (self, task, msg);
}

gboolean
carnet_ent_client_change_password_finish (CarnetEntClient  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return form_finish (self, result, carnet_ent_client_change_password_async, error);
}

/* --- forced password change --------------------------------------------- */

static void
force_change_done (CarnetEntClient *self,
                   GTask           *task,
                   Call            *call)
{
  guint status = soup_message_get_status (call->msg);
  SoupMessage *msg;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || call->location == NULL ||
      g_strcmp0 (g_uri_get_path (call->location), "/auth/reset") == 0)
    {
      form_done (self, task, call);
      return;
    }

  /* Changed: the ENT dropped every session of the user and cleared the
   * cookies. Log in again with the new password. */
  forget_session (self);

  msg = new_login_message (self, call->login, call->secret);
  clear_secret (&call->secret);

  call->done = login_done;
  call->field = CARNET_ENT_FIELD_PASSWORD;
  call->i18n_tried = FALSE;
  call_start (self, g_object_ref (task), msg);
}

void
carnet_ent_client_force_change_password_async (CarnetEntClient     *self,
                                               const char          *login,
                                               const char          *old_password,
                                               const char          *password,
                                               const char          *confirm_password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  SoupMessage *msg;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  /* POST /auth/reset is public (no filter, no CSRF): the forced state
   * redirects every secured route, /auth/changePassword included. */
  call = call_new (CALL_PUBLIC, force_change_done);
  call->form = CARNET_ENT_FORM_CHANGE_PASSWORD;
  task = new_task (self, call, carnet_ent_client_force_change_password_async,
                   cancellable, callback, user_data);

  if (is_empty (login))
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
                               _("Type your login."));
  if (old_password == NULL || *old_password == '\0')
    return return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
                               _("Type your current password."));
  if (!check_new_password (self, task, password, confirm_password))
    return;
  if (g_str_equal (old_password, password))
    return return_local_error (task, CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                               _("The new password must be different from the current one."));

  call->login = g_strdup (login);
  call->secret = g_strdup (password);

  {
    const CarnetEntPair form[] = {
      { "login", login },
      { "oldPassword", old_password },
      { "password", password },
      { "confirmPassword", confirm_password },
      { "forceChange", "force" },
    };

    msg = new_message (self, SOUP_METHOD_POST, "/auth/reset");
    if (msg != NULL)
      set_form_body (msg, form, G_N_ELEMENTS (form));
  }
  call_start (self, task, msg);
}

gboolean
carnet_ent_client_force_change_password_finish (CarnetEntClient  *self,
                                                GAsyncResult     *result,
                                                GError          **error)
{
  return form_finish (self, result, carnet_ent_client_force_change_password_async, error);
}

/* --- children ------------------------------------------------------------ */

static void
children_done (CarnetEntClient *self,
               GTask           *task,
               Call            *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *children;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      return_status_error (task, call);
      return;
    }

  if (!(json = call_get_json (call, &error)) ||
      !(children = carnet_ent_children_new_from_json (json, call->user, &error)))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, children, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_get_children_async (CarnetEntClient     *self,
                                      CarnetEntUser       *user,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Call *call;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));
  g_return_if_fail (CARNET_IS_ENT_USER (user));

  call = call_new (CALL_AUTHENTICATED, children_done);
  call->user = g_object_ref (user);
  task = new_task (self, call, carnet_ent_client_get_children_async, cancellable, callback, user_data);

  escaped = g_uri_escape_string (carnet_ent_user_get_id (user), NULL, FALSE);
  path = g_strdup_printf ("/directory/user/%s/children", escaped);
  call_start (self, task, new_message (self, SOUP_METHOD_GET, path));
}

GPtrArray *
carnet_ent_client_get_children_finish (CarnetEntClient  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- logout -------------------------------------------------------------- */

static void
logout_done (CarnetEntClient *self,
             GTask           *task,
             Call            *call)
{
  forget_session (self);
  g_task_return_boolean (task, TRUE);
}

void
carnet_ent_client_logout_async (CarnetEntClient     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  /* Whatever the ENT answers, this client is logged out afterwards. */
  task = new_task (self, call_new (CALL_FORGET_SESSION, logout_done),
                   carnet_ent_client_logout_async, cancellable, callback, user_data);
  call_start (self, task, new_message (self, SOUP_METHOD_GET, "/auth/logout?callback=/"));
}

gboolean
carnet_ent_client_logout_finish (CarnetEntClient  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  return form_finish (self, result, carnet_ent_client_logout_async, error);
}
