/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-secret-private.h"

#include <string.h>

static CarnetEntSecretFreeHook free_hook;

void
carnet_ent_secret_set_free_hook (CarnetEntSecretFreeHook hook)
{
  g_atomic_pointer_set (&free_hook, hook);
}

void
carnet_ent_secret_wipe (gpointer data,
                        gsize    size)
{
  /* memset() before free() is a dead store the compiler may remove. */
  if (data != NULL && size > 0)
    explicit_bzero (data, size);
}

void
carnet_ent_secret_wipe_string (char *str)
{
  if (str != NULL)
    carnet_ent_secret_wipe (str, strlen (str));
}

void
carnet_ent_secret_free (gpointer str)
{
  carnet_ent_secret_wipe_string (str);
  g_free (str);
}

/* --- forms --------------------------------------------------------------- */

/* RFC 3986's unreserved characters: what g_uri_escape_string() leaves. */
static inline gboolean
form_keeps (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static gsize
form_escaped_length (const char *str)
{
  gsize length = 0;

  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    length += form_keeps (*p) ? 1 : 3;

  return length;
}

static char *
form_escape_into (char       *out,
                  const char *str)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      if (form_keeps (*p))
        *out++ = (char) *p;
      else
        {
          *out++ = '%';
          *out++ = hex[*p >> 4];
          *out++ = hex[*p & 0xf];
        }
    }

  return out;
}

char *
carnet_ent_secret_form (const CarnetEntPair *pairs,
                        gsize                n_pairs,
                        gsize               *length)
{
  gsize total = 0;
  char *form, *out;

  g_return_val_if_fail (n_pairs == 0 || pairs != NULL, NULL);

  /* The length first, so the body is written once, in place. */
  for (gsize i = 0; i < n_pairs; i++)
    {
      total += (i > 0 ? 1 : 0) + form_escaped_length (pairs[i].name) + 1;
      if (pairs[i].value != NULL)
        total += form_escaped_length (pairs[i].value);
    }

  form = out = g_malloc (total + 1);
  for (gsize i = 0; i < n_pairs; i++)
    {
      if (i > 0)
        *out++ = '&';
      out = form_escape_into (out, pairs[i].name);
      *out++ = '=';
      if (pairs[i].value != NULL)
        out = form_escape_into (out, pairs[i].value);
    }
  *out = '\0';
  g_assert ((gsize) (out - form) == total);

  if (length != NULL)
    *length = total;

  return form;
}

/* --- JSON ---------------------------------------------------------------- */

static gsize
json_escaped_length (const char *str)
{
  gsize length = 0;

  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == '\b' || *p == '\f' ||
          *p == '\n' || *p == '\r' || *p == '\t')
        length += 2;
      else if (*p < 0x20)
        length += 6;
      else
        length += 1;
    }

  return length;
}

static char *
json_escape_into (char       *out,
                  const char *str)
{
  static const char hex[] = "0123456789abcdef";

  for (const guchar *p = (const guchar *) str; *p != '\0'; p++)
    {
      char short_form = 0;

      switch (*p)
        {
        case '"': short_form = '"'; break;
        case '\\': short_form = '\\'; break;
        case '\b': short_form = 'b'; break;
        case '\f': short_form = 'f'; break;
        case '\n': short_form = 'n'; break;
        case '\r': short_form = 'r'; break;
        case '\t': short_form = 't'; break;
        default: break;
        }

      if (short_form != 0)
        {
          *out++ = '\\';
          *out++ = short_form;
        }
      else if (*p < 0x20)
        {
          memcpy (out, "\\u00", 4);
          out += 4;
          *out++ = hex[*p >> 4];
          *out++ = hex[*p & 0xf];
        }
      else
        *out++ = (char) *p;
    }

  return out;
}

char *
carnet_ent_secret_json (const CarnetEntPair *pairs,
                        gsize                n_pairs,
                        gsize               *length)
{
  gsize total = 2;   /* { } */
  gboolean first = TRUE;
  char *json, *out;

  g_return_val_if_fail (n_pairs == 0 || pairs != NULL, NULL);

  for (gsize i = 0; i < n_pairs; i++)
    {
      if (pairs[i].value == NULL)
        continue;
      /* ,"name":"value" */
      total += (first ? 0 : 1) + 2 + json_escaped_length (pairs[i].name) + 1 +
               2 + json_escaped_length (pairs[i].value);
      first = FALSE;
    }

  json = out = g_malloc (total + 1);
  *out++ = '{';
  first = TRUE;
  for (gsize i = 0; i < n_pairs; i++)
    {
      if (pairs[i].value == NULL)
        continue;
      if (!first)
        *out++ = ',';
      *out++ = '"';
      out = json_escape_into (out, pairs[i].name);
      *out++ = '"';
      *out++ = ':';
      *out++ = '"';
      out = json_escape_into (out, pairs[i].value);
      *out++ = '"';
      first = FALSE;
    }
  *out++ = '}';
  *out = '\0';
  g_assert ((gsize) (out - json) == total);

  if (length != NULL)
    *length = total;

  return json;
}

/* --- request bodies ------------------------------------------------------ */

typedef struct
{
  char  *data;
  gsize  size;   /* the whole allocation: the body and its NUL */
} SecretBody;

static void
secret_body_free (gpointer user_data)
{
  SecretBody *body = user_data;
  CarnetEntSecretFreeHook hook = g_atomic_pointer_get (&free_hook);

  carnet_ent_secret_wipe (body->data, body->size);
  if (hook != NULL)
    hook (body->data, body->size);
  g_free (body->data);
  g_free (body);
}

GBytes *
carnet_ent_secret_bytes_new_take (char  *data,
                                  gsize  length)
{
  SecretBody *body;

  g_return_val_if_fail (data != NULL, NULL);

  body = g_new (SecretBody, 1);
  body->data = data;
  body->size = length + 1;

  return g_bytes_new_with_free_func (data, length, secret_body_free, body);
}
