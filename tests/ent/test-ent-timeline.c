/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include <string.h>

#include "carnet-ent-client.h"
#include "carnet-ent-error-private.h"
#include "carnet-ent-json-private.h"
#include "carnet-ent-timeline-private.h"

/* The timeline's readers (carnet-ent-timeline.c) on the shapes of entcore
 * 6.15.4 (/work/plan/TIMELINE-SHAPES.md), and the HTML → text every
 * label showing the ENT's news relies on. No server. */

#define BASE "https://ent.example.fr"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = carnet_ent_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static GPtrArray *
notifications (const char *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  GPtrArray *array = carnet_ent_notifications_new_from_json (node, BASE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (array);

  return array;
}

static void
assert_notifications_refused (const char *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) array = carnet_ent_notifications_new_from_json (node, BASE, &error);

  if (array != NULL)
    g_error ("accepted: %s", json);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
}

/* One notification whose members are @members, in a page. */
static char *
page_of (const char *members)
{
  return g_strdup_printf ("{\"results\":[{%s}],\"status\":\"ok\",\"number\":1}", members);
}

static CarnetEntNotification *
single (const char *members)
{
  g_autofree char *json = page_of (members);
  g_autoptr(GPtrArray) array = notifications (json);

  g_assert_cmpuint (array->len, ==, 1);
  return g_object_ref (g_ptr_array_index (array, 0));
}

#define MINIMAL "\"_id\":\"n1\",\"type\":\"NEWS\",\"date\":{\"$date\":1796683200000},\"message\":\"x\""

/* --- HTML → text ------------------------------------------------------------ */

static void
test_html_to_text (void)
{
  static const struct {
    const char *html;
    const char *text;
  } cases[] = {
    { "", "" },
    { "plain", "plain" },
    { "<b>Karim</b>'s <i>note</i>", "Karim's note" },
    { "<span foreground=\"red\" size=\"xx-large\">rouge</span>", "rouge" },
    { "<a href=\"/x\">Sophie Lefèvre</a>\n<br /><span>vous a envoyé un message </span>: <a href=\"/y\">Réunion</a>.",
      "Sophie Lefèvre vous a envoyé un message : Réunion." },
    { "<p>Un</p><p>Deux</p><ul><li>trois</li><li>quatre</li></ul>", "Un Deux trois quatre" },
    { "Tom &amp; Jerry &lt;b&gt; &quot;q&quot; &apos;a&apos;", "Tom & Jerry <b> \"q\" 'a'" },
    { "&eacute;t&eacute; &agrave; l&rsquo;&eacute;cole &laquo;&nbsp;oui&nbsp;&raquo; &hellip;",
      "été à l’école « oui » …" },
    { "&#233;&#xE9;&#XE9; &#x1F600;", "ééé 😀" },
    { "&#0; &#xD800; &#99999999999;", "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd" },
    { "&unknown; & &; &#; &#x;", "&unknown; & &; &#; &#x;" },
    { "a < b > c", "a < b > c" },
    { "1<2 et 3 <= 4", "1<2 et 3 <= 4" },
    { "avant<!-- <b>caché</b> -->après", "avantaprès" },
    { "x<!-- jamais fermé", "x" },
    { "<script>alert('<b>x</b>')</script>texte<style>p{color:red}</style>", "texte" },
    { "<SCRIPT type=x>var a = '</b>';</SCRIPT>ok", "ok" },
    { "<img src=x onerror=\"alert('>')\">après", "après" },
    { "<a href='/a' title=\"un > deux\">lien</a>", "lien" },
    { "<b", "" },
    { "texte <b attr=\"jamais", "texte" },
    { "  \t\n espaces \r\n  multiples\t ", "espaces multiples" },
    { "bip\x07" "bop\x1b[31m", "bipbop[31m" },
    { "\xe2\x80\xae" "droite\xe2\x81\xa6" "gauche", "droitegauche" },
    { "&#x202E;tourné", "tourné" },
    { "mal\xff" "form\xc3", "mal\xef\xbf\xbd" "form\xef\xbf\xbd" },
    { "<!DOCTYPE html><?xml x?>doc", "doc" },
    { "</>fin", "</>fin" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = carnet_ent_html_to_text (cases[i].html, -1);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }

  {
    g_autofree char *text = carnet_ent_html_to_text (NULL, -1);
    g_assert_cmpstr (text, ==, "");
  }
  {
    /* An embedded NUL is no end: the length given is read. */
    g_autofree char *text = carnet_ent_html_to_text ("a\0b", 3);
    g_assert_cmpstr (text, ==, "ab");
  }
}

/* Inputs that make a naive scanner quadratic, 2 MiB of each: they
 * must end (the test's time-out bounds it) and keep the text. */
static void
test_html_to_text_linear (void)
{
  static const char * const units[] = { "<a ", "&#1", "<!--", "<script>", "<a href='", "&amp", "< " };

  for (gsize u = 0; u < G_N_ELEMENTS (units); u++)
    {
      gsize unit_len = strlen (units[u]);
      gsize n = (2 * 1024 * 1024) / unit_len;
      g_autoptr(GString) html = g_string_sized_new (n * unit_len);
      g_autofree char *text = NULL;
      gint64 start = g_get_monotonic_time ();

      for (gsize i = 0; i < n; i++)
        g_string_append_len (html, units[u], (gssize) unit_len);
      text = carnet_ent_html_to_text (html->str, (gssize) html->len);
      g_assert_nonnull (text);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      /* Linear: a few milliseconds a megabyte; quadratic would take hours. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    }
}

/* --- lastNotifications ---------------------------------------------------------- */

static void
test_notifications_entcore_page (void)
{
  const char *json =
    "{\"results\":[{"
      "\"_id\":\"3f1c9a4e-5b7d-4e8a-9c61-2a0b8d7e6f15\",\"type\":\"MESSAGERIE\",\"event-type\":\"SEND-MESSAGE\","
      "\"params\":{\"uri\":\"/userbook/annuaire#u-sophie-lefevre#Teacher\",\"username\":\"Sophie Lefèvre\","
        "\"subject\":\"Réunion parents-professeurs\",\"messageUri\":\"/conversation/conversation#/read-mail/m1\","
        "\"resourceUri\":\"/conversation/conversation#/read-mail/m1\"},"
      "\"date\":{\"$date\":1796683200000},\"sender\":\"u-sophie-lefevre\",\"resource\":\"m1\","
      "\"message\":\"<a href=\\\"https://ent.example.fr/userbook/annuaire#u-sophie-lefevre#Teacher\\\">Sophie Lefèvre</a>\\n<br /><span>vous a envoyé un message </span>: <a href=\\\"https://ent.example.fr/conversation/conversation#/read-mail/m1\\\">Réunion parents-professeurs</a>.\","
      "\"recipients\":[{\"userId\":\"u-karim\",\"unread\":1}],\"preview\":{\"text\":\"…\",\"images\":[]}"
    "},{"
      "\"_id\":\"n2\",\"type\":\"NEWS\",\"event-type\":\"NEWS-PUBLISHED\",\"params\":{},"
      "\"date\":{\"$date\":1796400000000},"
      "\"message\":\"<b>Sortie</b> au mus&eacute;e &amp; pique-nique : <a href=\\\"/actualites#/view/12\\\">lire</a> <span foreground=\\\"red\\\">urgent</span>\","
      "\"recipients\":[{\"userId\":\"u-karim\",\"unread\":1}]"
    "}],\"status\":\"ok\",\"number\":2}";
  g_autoptr(GPtrArray) array = notifications (json);
  CarnetEntNotification *n;
  g_autofree char *date = NULL;

  g_assert_cmpuint (array->len, ==, 2);

  n = g_ptr_array_index (array, 0);
  g_assert_cmpstr (carnet_ent_notification_get_id (n), ==, "3f1c9a4e-5b7d-4e8a-9c61-2a0b8d7e6f15");
  g_assert_cmpstr (carnet_ent_notification_get_kind (n), ==, "MESSAGERIE");
  g_assert_cmpstr (carnet_ent_notification_get_event_type (n), ==, "SEND-MESSAGE");
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (n), ==, "Sophie Lefèvre");
  g_assert_cmpstr (carnet_ent_notification_get_sender_id (n), ==, "u-sophie-lefevre");
  date = g_date_time_format_iso8601 (carnet_ent_notification_get_date (n));
  g_assert_cmpstr (date, ==, "2026-12-07T22:40:00Z");
  g_assert_cmpstr (carnet_ent_notification_get_text (n), ==,
                   "Sophie Lefèvre vous a envoyé un message : Réunion parents-professeurs.");
  g_assert_true (g_str_has_prefix (carnet_ent_notification_get_message_html (n), "<a href="));
  /* params.resourceUri, not the sender's profile (the message's first link). */
  g_assert_cmpstr (carnet_ent_notification_get_link (n), ==,
                   "https://ent.example.fr/conversation/conversation#/read-mail/m1");

  n = g_ptr_array_index (array, 1);
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (n), ==, "");
  g_assert_cmpstr (carnet_ent_notification_get_sender_id (n), ==, "");
  g_assert_cmpstr (carnet_ent_notification_get_text (n), ==, "Sortie au musée & pique-nique : lire urgent");
  /* The message's relative link, made absolute on the ENT. */
  g_assert_cmpstr (carnet_ent_notification_get_link (n), ==, "https://ent.example.fr/actualites#/view/12");
}

static void
test_notifications_links (void)
{
  static const struct {
    const char *members;
    const char *link;
  } cases[] = {
    { MINIMAL, NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='https://evil.example.com/x'>x</a>\"", NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='javascript:alert(1)'>x</a>\"", NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='http://ent.example.fr/x'>x</a>\"", NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='https://ent.example.fr:8443/x'>x</a>\"", NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='https://user@ent.example.fr/x'>x</a>\"", NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='//evil.example.com/x'>x</a>\"", NULL },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<img src='/img'><a name=x>x</a>\"", NULL },
    /* The first link on the ENT, whatever comes before it. */
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='https://evil.example.com/'>a</a><A HREF=\\\"/b?x=1&amp;y=2\\\">b</A>\"",
      "https://ent.example.fr/b?x=1&y=2" },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href=' https://ENT.example.fr:443/c '>c</a>\"",
      "https://ent.example.fr/c" },
    /* Found by the fuzzer: no path, and characters no URI holds. */
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href=#\\\"/a#l/v\\\">x</a>\"",
      "https://ent.example.fr/#%22/a#l/v%22" },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"<a href='/été?q=a b'>x</a>\"",
      "https://ent.example.fr/%C3%A9t%C3%A9?q=a%20b" },
    /* A resourceUri elsewhere is not taken; the message's link is. */
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"params\":{\"resourceUri\":\"https://evil.example.com/\"},\"message\":\"<a href=/d>d</a>\"",
      "https://ent.example.fr/d" },
    { "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"params\":{\"resourceUri\":42,\"username\":[\"x\"]},\"message\":\"\"", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CarnetEntNotification) n = single (cases[i].members);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (carnet_ent_notification_get_link (n), ==, cases[i].link);
    }

  /* Without a base, no link at all. */
  {
    g_autoptr(JsonNode) node = parse ("{\"results\":[{\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},"
                                      "\"message\":\"<a href='/e'>e</a>\"}]}");
    g_autoptr(GPtrArray) array = carnet_ent_notifications_new_from_json (node, NULL, NULL);

    g_assert_nonnull (array);
    g_assert_null (carnet_ent_notification_get_link (g_ptr_array_index (array, 0)));
  }
}

static void
test_notifications_optional (void)
{
  g_autoptr(CarnetEntNotification) n = single (MINIMAL);
  g_autoptr(CarnetEntNotification) with_nulls =
    single (MINIMAL ",\"event-type\":null,\"sender\":null,\"params\":null,\"extra\":{\"a\":[1,2]}");
  g_autoptr(CarnetEntNotification) html_name =
    single (MINIMAL ",\"params\":{\"username\":\"<b>Marc</b> &amp; Cie\"}");

  g_assert_cmpstr (carnet_ent_notification_get_event_type (n), ==, "");
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (n), ==, "");
  g_assert_cmpstr (carnet_ent_notification_get_sender_id (n), ==, "");
  g_assert_null (carnet_ent_notification_get_link (n));
  g_assert_cmpstr (carnet_ent_notification_get_event_type (with_nulls), ==, "");
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (html_name), ==, "Marc & Cie");

  {
    g_autoptr(GPtrArray) empty = notifications ("{\"results\":[],\"status\":\"ok\",\"number\":0}");
    g_autoptr(GPtrArray) no_status = notifications ("{\"results\":[]}");

    g_assert_cmpuint (empty->len, ==, 0);
    g_assert_cmpuint (no_status->len, ==, 0);
  }
}

static void
test_notifications_dates (void)
{
  static const struct {
    const char *date;
    const char *iso;
  } cases[] = {
    { "{\"$date\":0}", "1970-01-01T00:00:00Z" },
    { "{\"$date\":1796683200123}", "2026-12-07T22:40:00.123Z" },
    { "{\"$date\":-1}", "1969-12-31T23:59:59.999Z" },
    { "{\"$date\":1796683200000.0}", "2026-12-07T22:40:00Z" },
    { "{\"$date\":\"2026-12-07T23:40:00.000Z\"}", "2026-12-07T23:40:00Z" },
    { "{\"$date\":\"2026-12-08T00:40:00+01:00\"}", "2026-12-07T23:40:00Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *members = g_strdup_printf ("\"_id\":\"n\",\"type\":\"T\",\"message\":\"m\",\"date\":%s",
                                                  cases[i].date);
      g_autoptr(CarnetEntNotification) n = single (members);
      g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (cases[i].iso, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].date);
      g_assert_nonnull (expected);
      g_assert_true (g_date_time_equal (carnet_ent_notification_get_date (n), expected));
      g_assert_cmpint (g_date_time_get_utc_offset (carnet_ent_notification_get_date (n)), ==, 0);
    }
}

static void
test_notifications_refused (void)
{
  static const char * const members[] = {
    "\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\"",                     /* no _id */
    "\"_id\":1,\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\"",            /* _id a number */
    "\"_id\":\"\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\"",         /* _id empty */
    "\"_id\":\"n\",\"date\":{\"$date\":0},\"message\":\"m\"",                       /* no type */
    "\"_id\":\"n\",\"type\":\"\",\"date\":{\"$date\":0},\"message\":\"m\"",         /* type empty */
    "\"_id\":\"n\",\"type\":\"T\",\"message\":\"m\"",                               /* no date */
    "\"_id\":\"n\",\"type\":\"T\",\"date\":1796683200000,\"message\":\"m\"",        /* a bare date */
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":null},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":true},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":\"hier\"},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":9223372036854775807},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":-9223372036854775807},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":1e300},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":{\"$numberLong\":\"1\"}},\"message\":\"m\"",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0}",                          /* no message */
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":null",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":[\"m\"]",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\",\"sender\":7",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\",\"event-type\":{}",
    "\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\",\"params\":\"x\"",
  };
  static const char * const pages[] = {
    "[]",
    "\"ok\"",
    "{}",
    "{\"results\":null}",
    "{\"results\":{}}",
    "{\"status\":\"error\",\"message\":\"Invalid arguments.\",\"results\":[]}",
    "{\"status\":3,\"results\":[]}",
    "{\"results\":[1]}",
    "{\"results\":[null]}",
    "{\"results\":[{\"_id\":\"n\",\"type\":\"T\",\"date\":{\"$date\":0},\"message\":\"m\"},\"x\"]}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *json = page_of (members[i]);

      g_test_message ("members %" G_GSIZE_FORMAT, i);
      assert_notifications_refused (json);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    assert_notifications_refused (pages[i]);
}

/* entcore adds compiled notifications as their templates finish
 * (TimelineController.java:340-392): the client sorts them, newest first,
 * and keeps the ENT's order for one instant. */
static void
test_notifications_order (void)
{
  g_autoptr(GPtrArray) array = notifications (
    "{\"results\":["
      "{\"_id\":\"b\",\"type\":\"T\",\"date\":{\"$date\":2000},\"message\":\"\"},"
      "{\"_id\":\"d\",\"type\":\"T\",\"date\":{\"$date\":1000},\"message\":\"\"},"
      "{\"_id\":\"a\",\"type\":\"T\",\"date\":{\"$date\":\"1970-01-01T00:00:03Z\"},\"message\":\"\"},"
      "{\"_id\":\"c\",\"type\":\"T\",\"date\":{\"$date\":2000},\"message\":\"\"}"
    "]}");
  const char *expected[] = { "a", "b", "c", "d" };

  g_assert_cmpuint (array->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (carnet_ent_notification_get_id (g_ptr_array_index (array, i)), ==, expected[i]);
}

/* A page is 25; a bigger answer (an ENT configured otherwise) is read whole. */
static void
test_notifications_big_page (void)
{
  for (guint size = 25; size <= 2000; size *= 80)
    {
      g_autoptr(GString) json = g_string_new ("{\"results\":[");
      g_autoptr(GPtrArray) array = NULL;

      for (guint i = 0; i < size; i++)
        g_string_append_printf (json,
                                "%s{\"_id\":\"n%u\",\"type\":\"MESSAGERIE\",\"event-type\":\"SEND-MESSAGE\","
                                "\"params\":{\"username\":\"Parent %u\"},\"date\":{\"$date\":%u000},"
                                "\"message\":\"<p>Message <b>%u</b> &amp; suite</p>\"}",
                                i > 0 ? "," : "", i, i, 1000000 + i, i);
      g_string_append (json, "],\"status\":\"ok\",\"number\":0}");

      array = notifications (json->str);
      g_assert_cmpuint (array->len, ==, size);
      g_assert_cmpstr (carnet_ent_notification_get_id (g_ptr_array_index (array, 0)), ==,
                       (size == 25 ? "n24" : "n1999"));
      g_assert_cmpstr (carnet_ent_notification_get_text (g_ptr_array_index (array, size - 1)), ==,
                       "Message 0 & suite");
    }
}

/* --- types and labels -------------------------------------------------------- */

static void
test_types (void)
{
  g_autoptr(JsonNode) node = parse ("[\"MESSAGERIE\",null,\"WORKSPACE\",\"NEWS\"]");
  g_auto(GStrv) types = carnet_ent_timeline_types_from_json (node, NULL);
  static const char * const refused[] = { "{}", "\"MESSAGERIE\"", "[1]", "[[\"A\"]]", "[{\"type\":\"A\"}]" };

  g_assert_nonnull (types);
  g_assert_cmpuint (g_strv_length (types), ==, 3);
  g_assert_cmpstr (types[0], ==, "MESSAGERIE");
  g_assert_cmpstr (types[2], ==, "NEWS");

  {
    g_autoptr(JsonNode) empty = parse ("[]");
    g_auto(GStrv) none = carnet_ent_timeline_types_from_json (empty, NULL);

    g_assert_nonnull (none);
    g_assert_cmpuint (g_strv_length (none), ==, 0);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JsonNode) bad = parse (refused[i]);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) result = carnet_ent_timeline_types_from_json (bad, &error);

      g_assert_null (result);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    }
}

static void
test_i18n (void)
{
  g_autoptr(JsonNode) node = parse ("{\"messagerie\":\"Messagerie\","
                                    "\"messagerie.send-message\":\"Réception d'un message\","
                                    "\"news\":\"Actualités\\n \",\"workspace.share\":\"\","
                                    "\"odd\":3,\"odder\":{\"a\":\"b\"},\"nul\":null}");
  g_autoptr(GHashTable) i18n = carnet_ent_timeline_i18n_new_from_json (node, NULL);

  g_assert_nonnull (i18n);
  g_assert_cmpstr (carnet_ent_timeline_i18n_lookup_type (i18n, "MESSAGERIE"), ==, "Messagerie");
  g_assert_cmpstr (carnet_ent_timeline_i18n_lookup_type (i18n, "News"), ==, "Actualités");
  g_assert_null (carnet_ent_timeline_i18n_lookup_type (i18n, "WORKSPACE"));
  g_assert_null (carnet_ent_timeline_i18n_lookup_type (i18n, ""));
  g_assert_null (carnet_ent_timeline_i18n_lookup_type (NULL, "MESSAGERIE"));
  g_assert_null (carnet_ent_timeline_i18n_lookup_type (i18n, "odd"));
  g_assert_cmpstr (carnet_ent_timeline_i18n_lookup_event (i18n, "MESSAGERIE", "SEND-MESSAGE"), ==,
                   "Réception d'un message");
  /* An empty label is none. */
  g_assert_null (carnet_ent_timeline_i18n_lookup_event (i18n, "WORKSPACE", "SHARE"));
  g_assert_null (carnet_ent_timeline_i18n_lookup_event (i18n, "MESSAGERIE", ""));

  {
    g_autoptr(JsonNode) bad = parse ("[\"messagerie\"]");
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) none = carnet_ent_timeline_i18n_new_from_json (bad, &error);

    g_assert_null (none);
    g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
  }
}

/* --- flash messages ---------------------------------------------------------- */

static GPtrArray *
flash (const char *json,
       const char *language)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  GPtrArray *array = carnet_ent_flash_messages_new_from_json (node, language, &error);

  g_assert_no_error (error);
  g_assert_nonnull (array);
  return array;
}

static void
test_flash_messages (void)
{
  const char *json =
    "[{\"id\":12,\"contents\":{\"en\":\"<p>Strike</p>\",\"fr\":\"<p>Gr&egrave;ve le <b>12 d&eacute;cembre</b> :"
      " <span style=\\\"color:red\\\">pas de cantine</span></p><script>x()</script>\"},"
      "\"title\":\"Grève du 12 &amp; après\\n\",\"color\":\"orange\",\"customColor\":null,"
      "\"signature\":\"La direction\",\"signatureColor\":null},"
     "{\"id\":9007199254740993,\"contents\":{\"de\":\"Streik\",\"es\":\"Huelga\"},\"title\":\"T\",\"color\":null,"
      "\"customColor\":\"#1E88E5\"},"
     "{\"id\":0,\"contents\":{},\"title\":\"\"}]";
  g_autoptr(GPtrArray) fr = flash (json, "fr");
  g_autoptr(GPtrArray) en = flash (json, "en");
  g_autoptr(GPtrArray) none = flash (json, NULL);
  CarnetEntFlashMessage *m;

  g_assert_cmpuint (fr->len, ==, 3);
  m = g_ptr_array_index (fr, 0);
  g_assert_cmpstr (carnet_ent_flash_message_get_id (m), ==, "12");
  /* A title is text: what looks like an entity stays as written. */
  g_assert_cmpstr (carnet_ent_flash_message_get_title (m), ==, "Grève du 12 &amp; après");
  g_assert_cmpstr (carnet_ent_flash_message_get_text (m), ==, "Grève le 12 décembre : pas de cantine");
  g_assert_cmpstr (carnet_ent_flash_message_get_text (g_ptr_array_index (en, 0)), ==, "Strike");
  g_assert_cmpstr (carnet_ent_flash_message_get_text (g_ptr_array_index (none, 0)), ==,
                   "Grève le 12 décembre : pas de cantine");

  m = g_ptr_array_index (fr, 1);
  g_assert_cmpstr (carnet_ent_flash_message_get_id (m), ==, "9007199254740993");
  /* Neither the language nor French: the first language, alphabetically. */
  g_assert_cmpstr (carnet_ent_flash_message_get_text (m), ==, "Streik");

  m = g_ptr_array_index (fr, 2);
  g_assert_cmpstr (carnet_ent_flash_message_get_id (m), ==, "0");
  g_assert_cmpstr (carnet_ent_flash_message_get_text (m), ==, "");

  {
    g_autoptr(GPtrArray) empty = flash ("[]", "fr");
    g_assert_cmpuint (empty->len, ==, 0);
  }
}

static void
test_flash_messages_refused (void)
{
  static const char * const refused[] = {
    "{}",
    "null",
    "[1]",
    "[{\"contents\":{\"fr\":\"x\"},\"title\":\"t\"}]",
    "[{\"id\":\"12\",\"contents\":{\"fr\":\"x\"},\"title\":\"t\"}]",
    "[{\"id\":-1,\"contents\":{\"fr\":\"x\"},\"title\":\"t\"}]",
    "[{\"id\":1.5,\"contents\":{\"fr\":\"x\"},\"title\":\"t\"}]",
    "[{\"id\":1,\"title\":\"t\"}]",
    "[{\"id\":1,\"contents\":\"{\\\"fr\\\":\\\"x\\\"}\",\"title\":\"t\"}]",
    "[{\"id\":1,\"contents\":{\"fr\":3},\"title\":\"t\"}]",
    "[{\"id\":1,\"contents\":{\"fr\":\"x\"}}]",
    "[{\"id\":1,\"contents\":{\"fr\":\"x\"},\"title\":null}]",
    "[{\"id\":1,\"contents\":{\"fr\":\"x\"},\"title\":[]}]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JsonNode) node = parse (refused[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) array = carnet_ent_flash_messages_new_from_json (node, "fr", &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, refused[i]);
      g_assert_null (array);
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ent/timeline/html-to-text", test_html_to_text);
  g_test_add_func ("/ent/timeline/html-to-text-linear", test_html_to_text_linear);
  g_test_add_func ("/ent/timeline/notifications/entcore-page", test_notifications_entcore_page);
  g_test_add_func ("/ent/timeline/notifications/links", test_notifications_links);
  g_test_add_func ("/ent/timeline/notifications/optional", test_notifications_optional);
  g_test_add_func ("/ent/timeline/notifications/dates", test_notifications_dates);
  g_test_add_func ("/ent/timeline/notifications/refused", test_notifications_refused);
  g_test_add_func ("/ent/timeline/notifications/order", test_notifications_order);
  g_test_add_func ("/ent/timeline/notifications/big-page", test_notifications_big_page);
  g_test_add_func ("/ent/timeline/types", test_types);
  g_test_add_func ("/ent/timeline/i18n", test_i18n);
  g_test_add_func ("/ent/timeline/flash-messages", test_flash_messages);
  g_test_add_func ("/ent/timeline/flash-messages-refused", test_flash_messages_refused);

  return g_test_run ();
}
