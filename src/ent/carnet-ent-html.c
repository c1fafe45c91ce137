/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-html-private.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-timeline.h"

#include <string.h>

/* The ENT's HTML (the timeline's messages, flash messages, names) made plain
 * text in one pass, and the links found in it kept only when they lead to
 * the ENT itself. No markup from the ENT leaves this file. */

/* How many <a href> of a message are looked at for its link. */
#define MAX_HREFS 16

typedef struct {
  const char *name;
  const char *text;
} NamedEntity;

/* Case matters, as in HTML. */
static const NamedEntity named_entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", "\xc2\xa0" }, { "shy", "" },
  { "eacute", "é" }, { "Eacute", "É" }, { "egrave", "è" }, { "Egrave", "È" },
  { "ecirc", "ê" }, { "Ecirc", "Ê" }, { "euml", "ë" }, { "Euml", "Ë" },
  { "agrave", "à" }, { "Agrave", "À" }, { "acirc", "â" }, { "Acirc", "Â" },
  { "auml", "ä" }, { "ccedil", "ç" }, { "Ccedil", "Ç" },
  { "icirc", "î" }, { "Icirc", "Î" }, { "iuml", "ï" }, { "Iuml", "Ï" },
  { "ocirc", "ô" }, { "Ocirc", "Ô" }, { "ouml", "ö" },
  { "ugrave", "ù" }, { "Ugrave", "Ù" }, { "ucirc", "û" }, { "Ucirc", "Û" }, { "uuml", "ü" },
  { "oelig", "œ" }, { "OElig", "Œ" }, { "aelig", "æ" }, { "AElig", "Æ" },
  { "laquo", "«" }, { "raquo", "»" }, { "lsquo", "‘" }, { "rsquo", "’" },
  { "ldquo", "“" }, { "rdquo", "”" }, { "hellip", "…" }, { "ndash", "–" },
  { "mdash", "—" }, { "euro", "€" }, { "copy", "©" }, { "reg", "®" },
  { "deg", "°" }, { "middot", "·" }, { "bull", "•" }, { "times", "×" },
  { "thinsp", "\xe2\x80\x89" }, { "ensp", "\xe2\x80\x82" }, { "emsp", "\xe2\x80\x83" },
};

/* Tags after which the text goes on as another line or cell: a space. */
static const char * const breaking_tags[] = {
  "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2",
  "h3", "h4", "h5", "h6", "blockquote", "hr", "section", "article", "header",
  "footer", "dd", "dt", "pre",
};

static gboolean
tag_is (const char *name,
        gsize       name_len,
        const char *tag)
{
  return strlen (tag) == name_len && g_ascii_strncasecmp (name, tag, name_len) == 0;
}

static gboolean
tag_breaks (const char *name,
            gsize       name_len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (breaking_tags); i++)
    if (tag_is (name, name_len, breaking_tags[i]))
      return TRUE;
  return FALSE;
}

/* A character reference at @s (on "&"); appends what it stands for, or
 * "&" when it is none, and returns how many bytes it took. */
static gsize
decode_entity (const char *s,
               gsize       length,
               GString    *out)
{
  gsize i = 1;

  if (i < length && s[i] == '#')
    {
      gboolean hex = FALSE;
      guint32 value = 0;
      gsize digits = 0;

      i++;
      if (i < length && (s[i] == 'x' || s[i] == 'X'))
        {
          hex = TRUE;
          i++;
        }
      while (i < length && (hex ? g_ascii_isxdigit (s[i]) : g_ascii_isdigit (s[i])))
        {
          /* Past U+10FFFF it is no character: stop growing, keep reading. */
          if (value <= 0x10FFFF)
            value = value * (hex ? 16 : 10) + (guint32) (hex ? g_ascii_xdigit_value (s[i]) : g_ascii_digit_value (s[i]));
          digits++;
          i++;
        }
      if (digits == 0)
        {
          g_string_append_c (out, '&');
          return 1;
        }
      if (i < length && s[i] == ';')
        i++;

      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        value = 0xFFFD;
      g_string_append_unichar (out, value);
      return i;
    }

  while (i < length && i <= 10 && g_ascii_isalnum (s[i]))
    i++;
  if (i > 1 && i < length && s[i] == ';')
    {
      for (gsize e = 0; e < G_N_ELEMENTS (named_entities); e++)
        if (strlen (named_entities[e].name) == i - 1 &&
            strncmp (named_entities[e].name, s + 1, i - 1) == 0)
          {
            g_string_append (out, named_entities[e].text);
            return i + 1;
          }
    }

  g_string_append_c (out, '&');
  return 1;
}

static char *
decode_entities (const char *s,
                 gsize       length)
{
  GString *out = g_string_sized_new (length);
  gsize i = 0;

  while (i < length)
    {
      if (s[i] == '&')
        i += decode_entity (s + i, length - i, out);
      else
        g_string_append_c (out, s[i++]);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_invisible_control (gunichar c)
{
  /* Controls, the byte order mark, and the bidirectional overrides and
   * isolates, which could turn the text around. */
  return g_unichar_iscntrl (c) ||
         c == 0xFEFF || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

char *
carnet_ent_html_fold_text (const char *raw,
                           gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (raw, (gssize) length);
  GString *out = g_string_sized_new (length);
  gboolean pending_space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        {
          pending_space = out->len > 0;
          continue;
        }
      if (is_invisible_control (c))
        continue;
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gsize
skip_spaces (const char *s,
             gsize       length,
             gsize       i)
{
  while (i < length && g_ascii_isspace (s[i]))
    i++;
  return i;
}

/* The tag at @s (on "<" followed by a letter, "/" and a letter, "!" or
 * "?"): its attributes read (the hrefs of an <a> kept in @hrefs), returns
 * where it ends, after its ">" (or at the end). */
static gsize
scan_tag (const char *s,
          gsize       length,
          gsize       i,
          const char *name,
          gsize       name_len,
          gboolean    closing,
          GPtrArray  *hrefs)
{
  gboolean keep_href = !closing && hrefs != NULL && tag_is (name, name_len, "a");

  while (i < length)
    {
      gsize attr_start, attr_len;

      i = skip_spaces (s, length, i);
      if (i >= length)
        break;
      if (s[i] == '>')
        return i + 1;
      if (s[i] == '/')
        {
          i++;
          continue;
        }

      attr_start = i;
      while (i < length && !g_ascii_isspace (s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/')
        i++;
      attr_len = i - attr_start;
      if (attr_len == 0)
        {
          /* A stray "=": step over it. */
          i++;
          continue;
        }

      i = skip_spaces (s, length, i);
      if (i < length && s[i] == '=')
        {
          gsize value_start, value_end;

          i = skip_spaces (s, length, i + 1);
          if (i < length && (s[i] == '"' || s[i] == '\''))
            {
              char quote = s[i];

              value_start = ++i;
              while (i < length && s[i] != quote)
                i++;
              value_end = i;
              if (i < length)
                i++;
            }
          else
            {
              value_start = i;
              while (i < length && !g_ascii_isspace (s[i]) && s[i] != '>')
                i++;
              value_end = i;
            }

          if (keep_href && hrefs->len < MAX_HREFS && tag_is (s + attr_start, attr_len, "href"))
            g_ptr_array_add (hrefs, decode_entities (s + value_start, value_end - value_start));
        }
    }

  return length;
}

/* From @i (after an opening <script> or <style>): past its closing tag. */
static gsize
skip_raw_text (const char *s,
               gsize       length,
               gsize       i,
               const char *name,
               gsize       name_len)
{
  for (; i < length; i++)
    {
      if (s[i] == '<' && i + 2 + name_len <= length && s[i + 1] == '/' &&
          g_ascii_strncasecmp (s + i + 2, name, name_len) == 0)
        {
          const char *end = memchr (s + i, '>', length - i);

          return end != NULL ? (gsize) (end - s) + 1 : length;
        }
    }

  return length;
}

char *
carnet_ent_html_scan (const char *html,
                      gsize       length,
                      GPtrArray  *hrefs)
{
  g_autoptr(GString) raw = g_string_sized_new (length);
  gsize i = 0;

  while (i < length)
    {
      char c = html[i];

      if (c == '<')
        {
          gsize j = i + 1;
          gboolean closing = FALSE;

          if (length - j >= 3 && strncmp (html + j, "!--", 3) == 0)
            {
              gsize k;

              for (k = j + 3; k + 3 <= length; k++)
                if (strncmp (html + k, "-->", 3) == 0)
                  break;
              i = k + 3 <= length ? k + 3 : length;
              continue;
            }

          if (j < length && html[j] == '/')
            {
              closing = TRUE;
              j++;
            }
          if (j < length && (g_ascii_isalpha (html[j]) || (!closing && (html[j] == '!' || html[j] == '?'))))
            {
              gsize name_start = j;
              gsize name_len;

              j++;
              while (j < length && (g_ascii_isalnum (html[j]) || html[j] == '-' || html[j] == ':'))
                j++;
              name_len = j - name_start;

              i = scan_tag (html, length, j, html + name_start, name_len, closing, hrefs);
              if (tag_breaks (html + name_start, name_len))
                g_string_append_c (raw, ' ');
              if (!closing && (tag_is (html + name_start, name_len, "script") ||
                               tag_is (html + name_start, name_len, "style")))
                i = skip_raw_text (html, length, i, html + name_start, name_len);
              continue;
            }

          g_string_append_c (raw, '<');
          i++;
          continue;
        }

      if (c == '&')
        {
          i += decode_entity (html + i, length - i, raw);
          continue;
        }

      if (c != '\0')
        g_string_append_c (raw, c);
      i++;
    }

  return carnet_ent_html_fold_text (raw->str, raw->len);
}

char *
carnet_ent_html_to_text (const char *html,
                         gssize      length)
{
  if (html == NULL)
    return g_strdup ("");
  if (length < 0)
    length = (gssize) strlen (html);

  return carnet_ent_html_scan (html, (gsize) length, NULL);
}

/* A link of the ENT's, or none (carnet-ent-html-private.h). */
char *
carnet_ent_html_link_on_ent (GUri       *base,
                             const char *href)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *uri_host = NULL;
  g_autofree char *base_host = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (base == NULL || href == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (href));
  if (*trimmed == '\0' || !g_utf8_validate (trimmed, -1, NULL))
    return NULL;

  uri = g_uri_parse_relative (base, trimmed, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL ||
      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 ||
      g_uri_get_userinfo (uri) != NULL)
    return NULL;

  uri_host = carnet_ent_host_port_from_uri (uri);
  base_host = carnet_ent_host_port_from_uri (base);
  if (uri_host == NULL || base_host == NULL || g_ascii_strcasecmp (uri_host, base_host) != 0)
    return NULL;

  /* Written the base's way (host case, port), with a path (the fuzzer's
   * href="#…" gave "https://host#…"): one link for one place. GUri keeps
   * what it does not need to understand as it was ("\"", spaces, UTF-8):
   * escaped here, so that the link is a URI whatever the ENT wrote. */
  path = g_uri_get_path (uri);
  joined = g_uri_join (G_URI_FLAGS_ENCODED, "https", NULL, g_uri_get_host (base), g_uri_get_port (base),
                       *path != '\0' ? path : "/", g_uri_get_query (uri), g_uri_get_fragment (uri));

  return g_uri_escape_string (joined, "!#$&'()*+,/:;=?@[]%", FALSE);
}
