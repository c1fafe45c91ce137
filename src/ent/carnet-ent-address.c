/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-secret-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

/* What the parent types, read strictly: the ENT's address from the
 * letter, and the reset link or code from the mail. */

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
char *
carnet_ent_host_port_from_uri (GUri *uri)
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

  host_port = carnet_ent_host_port_from_uri (uri);
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
        (host_port = carnet_ent_host_port_from_uri (uri)) == NULL)
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
