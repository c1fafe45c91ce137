/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-charter-text.h"

#include <string.h>

/* @name matches the tag name at @tag (@length bytes up to its ">"), whole. */
static gboolean
tag_is (const char *tag,
        gsize       length,
        const char *name)
{
  gsize n = strlen (name);

  return length >= n && g_ascii_strncasecmp (tag, name, n) == 0 &&
         (length == n || !g_ascii_isalnum (tag[n]));
}

/* The "</@name" that ends a script or style block, or NULL. */
static const char *
find_end_tag (const char *from,
              const char *end,
              const char *name)
{
  gsize n = strlen (name);

  while (from < end)
    {
      const char *lt = memchr (from, '<', end - from);

      if (lt == NULL)
        return NULL;
      if ((gsize) (end - lt) >= n + 2 && lt[1] == '/' && g_ascii_strncasecmp (lt + 2, name, n) == 0)
        return lt;
      from = lt + 1;
    }

  return NULL;
}

static const char *
find_comment_end (const char *from,
                  const char *end)
{
  while (from < end)
    {
      const char *dash = memchr (from, '-', end - from);

      if (dash == NULL || end - dash < 3)
        return NULL;
      if (dash[1] == '-' && dash[2] == '>')
        return dash + 3;
      from = dash + 1;
    }

  return NULL;
}

static void
append_text (GString    *out,
             const char *from,
             const char *end)
{
#define ENTITY(e, c) { e, sizeof e - 1, c }
  static const struct { const char *entity; gsize length; char c; } entities[] = {
    ENTITY ("&nbsp;", ' '), ENTITY ("&lt;", '<'), ENTITY ("&gt;", '>'),
    ENTITY ("&quot;", '"'), ENTITY ("&#39;", '\''), ENTITY ("&amp;", '&'),
  };
#undef ENTITY

  while (from < end)
    {
      const char *amp = memchr (from, '&', end - from);
      gboolean decoded = FALSE;

      if (amp == NULL)
        {
          g_string_append_len (out, from, end - from);
          return;
        }
      g_string_append_len (out, from, amp - from);
      for (guint i = 0; i < G_N_ELEMENTS (entities) && !decoded; i++)
        {
          gsize n = entities[i].length;

          if ((gsize) (end - amp) >= n && memcmp (amp, entities[i].entity, n) == 0)
            {
              g_string_append_c (out, entities[i].c);
              from = amp + n;
              decoded = TRUE;
            }
        }
      if (!decoded)
        {
          g_string_append_c (out, '&');
          from = amp + 1;
        }
    }
}

/* Runs of blank lines become one empty line. */
static char *
collapse_blank_lines (GString *in)
{
  GString *out = g_string_sized_new (in->len);
  gsize i = 0;

  while (i < in->len)
    {
      char c = in->str[i];

      if (c == '\n')
        {
          gsize j = i + 1;
          gsize last_newline = 0;

          while (j < in->len && strchr (" \t\r\n", in->str[j]) != NULL && in->str[j] != '\0')
            {
              if (in->str[j] == '\n')
                last_newline = j;
              j++;
            }
          if (last_newline != 0)
            {
              g_string_append (out, "\n\n");
              i = last_newline + 1;
              continue;
            }
        }
      g_string_append_c (out, c);
      i++;
    }

  return g_string_free (out, FALSE);
}

/* A hand-written scanner: every byte is looked at a bounded number of
 * times, whatever the markup (unclosed scripts, thousands of "<"). The
 * regular expressions it replaces took 18.7 s on 128 KB. */
char *
carnet_charter_text_from_html (const char *html,
                               gsize       length)
{
  g_autoptr(GString) out = g_string_sized_new (length);
  const char *p = html;
  const char *end = html + length;
  /* Once no ">" follows, none follows any later "<" either. */
  gboolean no_more_gt = FALSE;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);
      const char *gt;
      const char *tag;
      gsize tag_length;
      gboolean closing;

      if (lt == NULL)
        {
          append_text (out, p, end);
          break;
        }
      append_text (out, p, lt);
      p = lt;

      if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          const char *close = find_comment_end (p + 4, end);

          p = close != NULL ? close : end;
          continue;
        }

      /* "a < b" is text, as in a browser. */
      if (end - p < 2 || !(g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?'))
        {
          g_string_append_c (out, '<');
          p++;
          continue;
        }

      gt = no_more_gt ? NULL : memchr (p + 1, '>', end - p - 1);
      if (gt == NULL)
        {
          no_more_gt = TRUE;
          g_string_append_c (out, '<');
          p++;
          continue;
        }

      closing = p[1] == '/';
      tag = p + (closing ? 2 : 1);
      tag_length = gt - tag;

      if (!closing && (tag_is (tag, tag_length, "script") || tag_is (tag, tag_length, "style")))
        {
          const char *name = tag_is (tag, tag_length, "script") ? "script" : "style";
          const char *close = find_end_tag (gt + 1, end, name);
          const char *close_gt = close != NULL ? memchr (close, '>', end - close) : NULL;

          /* An unclosed block runs to the end, as in a browser. */
          p = close_gt != NULL ? close_gt + 1 : end;
          continue;
        }

      if ((!closing && tag_is (tag, tag_length, "br")) ||
          (closing && (tag_is (tag, tag_length, "p") || tag_is (tag, tag_length, "div") ||
                       tag_is (tag, tag_length, "li") ||
                       (tag_length >= 2 && (tag[0] == 'h' || tag[0] == 'H') &&
                        tag[1] >= '1' && tag[1] <= '6' &&
                        (tag_length == 2 || !g_ascii_isalnum (tag[2]))))))
        g_string_append_c (out, '\n');

      p = gt + 1;
    }

  return g_strstrip (collapse_blank_lines (out));
}

/* Pango lays out a paragraph at once: one of a megabyte would hold the
 * main thread for seconds. A paragraph longer than this goes on a new line
 * at its next space (or, without any, where it reaches twice as long). */
#define MAX_PARAGRAPH_BYTES 2000

char *
carnet_charter_break_long_paragraphs (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 1);
  gsize since_break = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize n = g_utf8_next_char (p) - p;

      if (*p == '\n')
        since_break = 0;
      else if (since_break >= MAX_PARAGRAPH_BYTES && (*p == ' ' || since_break >= 2 * MAX_PARAGRAPH_BYTES))
        {
          g_string_append_c (out, '\n');
          since_break = 0;
          if (*p == ' ')
            continue;
        }
      g_string_append_len (out, p, n);
      since_break += n;
    }

  return g_string_free (out, FALSE);
}
