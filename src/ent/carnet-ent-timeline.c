/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-timeline-private.h"

#include <math.h> /* isfinite: a macro, no libm */
#include <string.h>

#include <libsoup/soup.h>

/* The ENT's news: entcore 6.15.4's timeline module (timeline/src/main/java/
 * org/entcore/timeline/). What it answers:
 *
 * GET /timeline/lastNotifications (TimelineController.java:305-400): 25 a
 * page (PAGELIMIT, :644), page=n skips 25·n, type=… repeated filters
 * (:328-335); the store's fields (DefaultTimelineEventStore.java:87-97,
 * 167-170): _id, type, event-type, params, date ({"$date": …}, Mongo's),
 * sender, message, resource, sub-resource, recipients, preview… Notifications
 * without a "message" get it from their template, in the order the
 * templates finish (TimelineController.java:340-392), not the store's
 * "created" order (:86): the client sorts them again, newest first.
 * GET /timeline/types (:402-416): Mongo's distinct "type", an array.
 * GET /timeline/i18nNotifications (:267-284): one object, key → text; the
 * modules' i18n/timeline/<lang>.json give a type's label under its name in
 * lower case ("messagerie": "Messagerie") and an event's under
 * "type.event-type" (conversation/…/i18n/timeline/fr.json).
 * GET /timeline/flashmsg/listuser (FlashMsgController.java:94-110,
 * FlashMsgServiceSqlImpl.java:143-194): an array of {id (BIGSERIAL), title,
 * contents (JSONB: language → HTML), color, customColor, signature,
 * signatureColor}; PUT /timeline/flashmsg/:id/markasread (:112-124,
 * FlashMsgServiceSqlImpl.java:261-266) answers an object. */

#define NOTIFICATIONS_PAGE_SIZE 25
/* How many <a href> of a message are looked at for its link. */
#define MAX_HREFS 16

/* --- HTML → text ------------------------------------------------------------ */

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

/* Valid UTF-8, controls gone, runs of white space one space, trimmed. */
static char *
fold_text (const char *raw,
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

static char *
html_scan (const char *html,
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

  return fold_text (raw->str, raw->len);
}

char *
carnet_ent_html_to_text (const char *html,
                         gssize      length)
{
  if (html == NULL)
    return g_strdup ("");
  if (length < 0)
    length = (gssize) strlen (html);

  return html_scan (html, (gsize) length, NULL);
}

/* An absolute https URL on @base's host and port, from @href (relative or
 * not), or NULL. */
static char *
link_on_ent (GUri       *base,
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

/* --- CarnetEntNotification ------------------------------------------------- */

struct _CarnetEntNotification
{
  GObject    parent_instance;

  char      *id;
  char      *kind;
  char      *event_type;
  char      *sender_name;
  char      *sender_id;
  GDateTime *date;
  char      *message_html;
  char      *text;
  char      *link;
};

G_DEFINE_FINAL_TYPE (CarnetEntNotification, carnet_ent_notification, G_TYPE_OBJECT)

static void
carnet_ent_notification_finalize (GObject *object)
{
  CarnetEntNotification *self = (CarnetEntNotification *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->event_type);
  g_free (self->sender_name);
  g_free (self->sender_id);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->message_html);
  g_free (self->text);
  g_free (self->link);

  G_OBJECT_CLASS (carnet_ent_notification_parent_class)->finalize (object);
}

static void
carnet_ent_notification_class_init (CarnetEntNotificationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_notification_finalize;
}

static void
carnet_ent_notification_init (CarnetEntNotification *self)
{
}

const char *
carnet_ent_notification_get_id (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->id;
}

const char *
carnet_ent_notification_get_kind (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->kind;
}

const char *
carnet_ent_notification_get_event_type (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->event_type;
}

const char *
carnet_ent_notification_get_sender_name (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->sender_name;
}

const char *
carnet_ent_notification_get_sender_id (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->sender_id;
}

GDateTime *
carnet_ent_notification_get_date (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->date;
}

const char *
carnet_ent_notification_get_message_html (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->message_html;
}

const char *
carnet_ent_notification_get_text (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->text;
}

const char *
carnet_ent_notification_get_link (CarnetEntNotification *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_NOTIFICATION (self), NULL);
  return self->link;
}

/* Mongo's date as entcore renders it: {"$date": milliseconds since 1970}
 * or {"$date": "2026-12-07T23:40:00.000Z"}. Years 1 to 9999 only. */
#define MIN_DATE_MS G_GINT64_CONSTANT (-62135596800000)
#define MAX_DATE_MS G_GINT64_CONSTANT (253402300799999)

static GDateTime *
date_from_ms (gint64 ms)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 secs, rest;

  if (ms < MIN_DATE_MS || ms > MAX_DATE_MS)
    return NULL;

  secs = ms / 1000;
  rest = ms % 1000;
  if (rest < 0)
    {
      secs--;
      rest += 1000;
    }

  seconds = g_date_time_new_from_unix_utc (secs);
  if (seconds == NULL)
    return NULL;

  return g_date_time_add (seconds, rest * G_TIME_SPAN_MILLISECOND);
}

static GDateTime *
date_from_json (JsonObject  *object,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, "date");
  JsonNode *value;
  GDateTime *date = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (value = json_object_get_member (json_node_get_object (node), "$date")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (value))
    {
      carnet_ent_json_protocol_error (error, "date");
      return NULL;
    }

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_INT64:
      date = date_from_ms (json_node_get_int (value));
      break;

    case G_TYPE_DOUBLE:
      {
        double ms = json_node_get_double (value);

        if (isfinite (ms) && ms >= (double) MIN_DATE_MS && ms <= (double) MAX_DATE_MS)
          date = date_from_ms ((gint64) ms);
      }
      break;

    case G_TYPE_STRING:
      {
        g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
        g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (json_node_get_string (value), utc);

        if (parsed != NULL)
          date = g_date_time_to_utc (parsed);
      }
      break;

    default:
      break;
    }

  if (date == NULL)
    carnet_ent_json_protocol_error (error, "date");
  return date;
}

static CarnetEntNotification *
notification_new_from_json (JsonNode    *node,
                            GUri        *base,
                            GError     **error)
{
  g_autoptr(CarnetEntNotification) self = NULL;
  g_autoptr(GPtrArray) hrefs = NULL;
  JsonObject *object;
  JsonNode *params;

  if (!(object = carnet_ent_json_get_object (node, "results[]", error)))
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_NOTIFICATION, NULL);
  if (!carnet_ent_json_get_string (object, "_id", TRUE, &self->id, error) ||
      !carnet_ent_json_get_string (object, "type", TRUE, &self->kind, error) ||
      !carnet_ent_json_get_string (object, "event-type", FALSE, &self->event_type, error) ||
      !carnet_ent_json_get_string (object, "sender", FALSE, &self->sender_id, error) ||
      !carnet_ent_json_get_string (object, "message", TRUE, &self->message_html, error) ||
      !(self->date = date_from_json (object, error)))
    return NULL;

  if (*self->id == '\0' || *self->kind == '\0')
    {
      carnet_ent_json_protocol_error (error, "_id or type empty");
      return NULL;
    }

  hrefs = g_ptr_array_new_with_free_func (g_free);
  self->text = html_scan (self->message_html, strlen (self->message_html), hrefs);

  /* params is each module's own: read what is there, as text, and
   * ignore the rest (a username that is no string is no name). */
  params = json_object_get_member (object, "params");
  if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
    {
      JsonObject *p = json_node_get_object (params);
      JsonNode *username = json_object_get_member (p, "username");
      JsonNode *resource_uri = json_object_get_member (p, "resourceUri");

      if (carnet_ent_json_is_string (username))
        self->sender_name = carnet_ent_html_to_text (json_node_get_string (username), -1);
      if (carnet_ent_json_is_string (resource_uri))
        self->link = link_on_ent (base, json_node_get_string (resource_uri));
    }
  else if (params != NULL && !JSON_NODE_HOLDS_NULL (params))
    {
      carnet_ent_json_protocol_error (error, "params");
      return NULL;
    }
  if (self->sender_name == NULL)
    self->sender_name = g_strdup ("");

  for (guint i = 0; self->link == NULL && i < hrefs->len; i++)
    self->link = link_on_ent (base, g_ptr_array_index (hrefs, i));

  return g_steal_pointer (&self);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  CarnetEntNotification *na = *(CarnetEntNotification **) a;
  CarnetEntNotification *nb = *(CarnetEntNotification **) b;

  return g_date_time_compare (nb->date, na->date);
}

GPtrArray *
carnet_ent_notifications_new_from_json (JsonNode    *node,
                                        const char  *base_url,
                                        GError     **error)
{
  g_autoptr(GPtrArray) notifications = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GUri) base = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *results;
  JsonArray *array;
  guint n;

  if (!(object = carnet_ent_json_get_object (node, "lastNotifications", error)) ||
      !carnet_ent_json_get_string (object, "status", FALSE, &status, error))
    return NULL;

  /* renderJson of the store's reply: "ok", or renderError's (TimelineController.java:395). */
  if (*status != '\0' && g_strcmp0 (status, "ok") != 0)
    {
      carnet_ent_json_protocol_error (error, "status");
      return NULL;
    }

  results = json_object_get_member (object, "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      carnet_ent_json_protocol_error (error, "results");
      return NULL;
    }

  if (base_url != NULL)
    base = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);

  array = json_node_get_array (results);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      CarnetEntNotification *notification = notification_new_from_json (json_array_get_element (array, i),
                                                                         base, error);

      if (notification == NULL)
        return NULL;
      g_ptr_array_add (notifications, notification);
    }

  /* Stable: notifications of the same instant keep the ENT's order. */
  g_ptr_array_sort (notifications, compare_newest_first);

  return g_steal_pointer (&notifications);
}

/* --- types and labels -------------------------------------------------------- */

char **
carnet_ent_timeline_types_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      carnet_ent_json_protocol_error (error, "types");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (element))
        continue;
      if (!carnet_ent_json_is_string (element))
        {
          carnet_ent_json_protocol_error (error, "types[]");
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

GHashTable *
carnet_ent_timeline_i18n_new_from_json (JsonNode  *node,
                                        GError   **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  JsonObject *object;

  if (!(object = carnet_ent_json_get_object (node, "i18nNotifications", error)))
    return NULL;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!carnet_ent_json_is_string (value))
        continue;
      g_hash_table_replace (table, g_strdup (key), fold_text (json_node_get_string (value),
                                                              strlen (json_node_get_string (value))));
    }

  return g_steal_pointer (&table);
}

const char *
carnet_ent_timeline_i18n_lookup_type (GHashTable *i18n,
                                      const char *kind)
{
  g_autofree char *key = NULL;
  const char *label;

  if (i18n == NULL || kind == NULL || *kind == '\0')
    return NULL;

  key = g_utf8_strdown (kind, -1);
  label = g_hash_table_lookup (i18n, key);

  return label != NULL && *label != '\0' ? label : NULL;
}

const char *
carnet_ent_timeline_i18n_lookup_event (GHashTable *i18n,
                                       const char *kind,
                                       const char *event_type)
{
  g_autofree char *joined = NULL;
  g_autofree char *key = NULL;
  const char *label;

  if (i18n == NULL || kind == NULL || *kind == '\0' || event_type == NULL || *event_type == '\0')
    return NULL;

  joined = g_strconcat (kind, ".", event_type, NULL);
  key = g_utf8_strdown (joined, -1);
  label = g_hash_table_lookup (i18n, key);

  return label != NULL && *label != '\0' ? label : NULL;
}

/* --- CarnetEntFlashMessage ---------------------------------------------------- */

struct _CarnetEntFlashMessage
{
  GObject  parent_instance;

  char    *id;
  char    *title;
  char    *text;
};

G_DEFINE_FINAL_TYPE (CarnetEntFlashMessage, carnet_ent_flash_message, G_TYPE_OBJECT)

static void
carnet_ent_flash_message_finalize (GObject *object)
{
  CarnetEntFlashMessage *self = (CarnetEntFlashMessage *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->text);

  G_OBJECT_CLASS (carnet_ent_flash_message_parent_class)->finalize (object);
}

static void
carnet_ent_flash_message_class_init (CarnetEntFlashMessageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = carnet_ent_flash_message_finalize;
}

static void
carnet_ent_flash_message_init (CarnetEntFlashMessage *self)
{
}

const char *
carnet_ent_flash_message_get_id (CarnetEntFlashMessage *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_FLASH_MESSAGE (self), NULL);
  return self->id;
}

const char *
carnet_ent_flash_message_get_title (CarnetEntFlashMessage *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_FLASH_MESSAGE (self), NULL);
  return self->title;
}

const char *
carnet_ent_flash_message_get_text (CarnetEntFlashMessage *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_FLASH_MESSAGE (self), NULL);
  return self->text;
}

/* The language's contents, else French, else the first language in
 * alphabetical order (the same whatever the table's order). */
static const char *
choose_contents (GHashTable *contents,
                 const char *language)
{
  const char *found;
  const char *first_key = NULL;
  const char *key;
  GHashTableIter iter;

  if (language != NULL && (found = g_hash_table_lookup (contents, language)) != NULL)
    return found;
  if ((found = g_hash_table_lookup (contents, "fr")) != NULL)
    return found;

  g_hash_table_iter_init (&iter, contents);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (first_key == NULL || strcmp (key, first_key) < 0)
      first_key = key;

  return first_key != NULL ? g_hash_table_lookup (contents, first_key) : NULL;
}

static CarnetEntFlashMessage *
flash_message_new_from_json (JsonNode    *node,
                             const char  *language,
                             GError     **error)
{
  g_autoptr(CarnetEntFlashMessage) self = NULL;
  g_autoptr(GHashTable) contents = NULL;
  g_autofree char *title = NULL;
  const char *html;
  JsonObject *object;
  JsonNode *id;

  if (!(object = carnet_ent_json_get_object (node, "flashmsg[]", error)))
    return NULL;

  id = json_object_get_member (object, "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) ||
      json_node_get_value_type (id) != G_TYPE_INT64 || json_node_get_int (id) < 0)
    {
      carnet_ent_json_protocol_error (error, "id");
      return NULL;
    }

  if (!carnet_ent_json_get_string (object, "title", TRUE, &title, error))
    return NULL;
  if (json_object_get_member (object, "contents") == NULL ||
      !carnet_ent_json_get_string_map (object, "contents", &contents, error))
    {
      if (error != NULL && *error == NULL)
        carnet_ent_json_protocol_error (error, "contents");
      return NULL;
    }

  self = g_object_new (CARNET_TYPE_ENT_FLASH_MESSAGE, NULL);
  self->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
  /* A title is text, not HTML: only folded. */
  self->title = fold_text (title, strlen (title));
  html = choose_contents (contents, language);
  self->text = carnet_ent_html_to_text (html, -1);

  return g_steal_pointer (&self);
}

GPtrArray *
carnet_ent_flash_messages_new_from_json (JsonNode    *node,
                                         const char  *language,
                                         GError     **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      carnet_ent_json_protocol_error (error, "flashmsg");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      CarnetEntFlashMessage *message = flash_message_new_from_json (json_array_get_element (array, i),
                                                                    language, error);

      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }

  return g_steal_pointer (&messages);
}

/* --- the client's calls -------------------------------------------------------- */

/* "fr-FR,fr;q=0.9" → "fr". */
static char *
client_language (CarnetEntClient *self)
{
  const char *accept = carnet_ent_client_get_accept_language (self);
  gsize n = 0;

  if (accept == NULL)
    return NULL;
  while (g_ascii_isalpha (accept[n]))
    n++;

  return n > 0 ? g_ascii_strdown (accept, (gssize) n) : NULL;
}

static JsonNode *
json_answer (GTask         *task,
             CarnetEntCall *call)
{
  g_autoptr(GError) error = NULL;
  JsonNode *json;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK)
    {
      carnet_ent_task_return_status_error (task, call);
      return NULL;
    }

  if (!(json = carnet_ent_call_get_json (call, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  return json;
}

static void
notifications_done (CarnetEntClient *self,
                    GTask           *task,
                    CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *notifications;

  if (!(json = json_answer (task, call)))
    return;

  if (!(notifications = carnet_ent_notifications_new_from_json (json, self->base_url, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, notifications, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_get_notifications_async (CarnetEntClient     *self,
                                           guint                page,
                                           const char * const  *types,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GString) path = NULL;
  SoupMessage *msg;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, notifications_done),
                              carnet_ent_client_get_notifications_async, cancellable, callback, user_data);

  path = g_string_new ("/timeline/lastNotifications");
  g_string_append_printf (path, "?page=%u", page);
  for (gsize i = 0; types != NULL && types[i] != NULL; i++)
    {
      g_autofree char *escaped = NULL;

      if (*types[i] == '\0')
        continue;
      escaped = g_uri_escape_string (types[i], NULL, FALSE);
      g_string_append_printf (path, "&type=%s", escaped);
    }

  msg = carnet_ent_client_new_message (self, SOUP_METHOD_GET, path->str);
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Accept", "application/json;version=3.0");
  carnet_ent_call_start (self, task, msg);
}

GPtrArray *
carnet_ent_client_get_notifications_finish (CarnetEntClient  *self,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
types_done (CarnetEntClient *self,
            GTask           *task,
            CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  char **types;

  if (!(json = json_answer (task, call)))
    return;

  if (!(types = carnet_ent_timeline_types_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, types, (GDestroyNotify) g_strfreev);
}

void
carnet_ent_client_get_timeline_types_async (CarnetEntClient     *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, types_done),
                              carnet_ent_client_get_timeline_types_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET, "/timeline/types"));
}

char **
carnet_ent_client_get_timeline_types_finish (CarnetEntClient  *self,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
i18n_done (CarnetEntClient *self,
           GTask           *task,
           CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *table;

  if (!(json = json_answer (task, call)))
    return;

  if (!(table = carnet_ent_timeline_i18n_new_from_json (json, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, table, (GDestroyNotify) g_hash_table_unref);
}

void
carnet_ent_client_get_timeline_i18n_async (CarnetEntClient     *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  /* The language is the session's Accept-Language (TimelineController.java:270). */
  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, i18n_done),
                              carnet_ent_client_get_timeline_i18n_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET,
                                                                    "/timeline/i18nNotifications"));
}

GHashTable *
carnet_ent_client_get_timeline_i18n_finish (CarnetEntClient  *self,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
flash_messages_done (CarnetEntClient *self,
                     GTask           *task,
                     CarnetEntCall   *call)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  GPtrArray *messages;

  if (!(json = json_answer (task, call)))
    return;

  language = client_language (self);
  if (!(messages = carnet_ent_flash_messages_new_from_json (json, language, &error)))
    {
      carnet_ent_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

void
carnet_ent_client_get_flash_messages_async (CarnetEntClient     *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, flash_messages_done),
                              carnet_ent_client_get_flash_messages_async, cancellable, callback, user_data);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_GET,
                                                                    "/timeline/flashmsg/listuser"));
}

GPtrArray *
carnet_ent_client_get_flash_messages_finish (CarnetEntClient  *self,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mark_read_done (CarnetEntClient *self,
                GTask           *task,
                CarnetEntCall   *call)
{
  GError *error = NULL;

  if (soup_message_get_status (call->msg) != SOUP_STATUS_OK &&
      soup_message_get_status (call->msg) != SOUP_STATUS_NO_CONTENT)
    {
      carnet_ent_task_return_status_error (task, call);
      return;
    }

  if (call->body != NULL &&
      !carnet_ent_empty_answer_check ((const char *) call->body->data, call->body->len, &error))
    {
      carnet_ent_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
carnet_ent_client_mark_flash_message_read_async (CarnetEntClient     *self,
                                                 const char          *id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  task = carnet_ent_task_new (self, carnet_ent_call_new (CARNET_ENT_CALL_AUTHENTICATED, mark_read_done),
                              carnet_ent_client_mark_flash_message_read_async, cancellable, callback, user_data);

  /* The ENT's ids are numbers (BIGSERIAL): anything else is not one of its messages. */
  if (id == NULL || *id == '\0' || strspn (id, "0123456789") != strlen (id) || strlen (id) > 19)
    return carnet_ent_task_return_local_error (task, CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NONE,
                                               carnet_ent_error_default_message (CARNET_ENT_ERROR_INVALID_INPUT));

  path = g_strdup_printf ("/timeline/flashmsg/%s/markasread", id);
  carnet_ent_call_start (self, task, carnet_ent_client_new_message (self, SOUP_METHOD_PUT, path));
}

gboolean
carnet_ent_client_mark_flash_message_read_finish (CarnetEntClient  *self,
                                                  GAsyncResult     *result,
                                                  GError          **error)
{
  return carnet_ent_client_finish_boolean (self, result, carnet_ent_client_mark_flash_message_read_async, error);
}
