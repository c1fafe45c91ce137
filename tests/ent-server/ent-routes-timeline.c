/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /timeline/…: the news (notifications) and the flash messages, as entcore
 * 6.15.4's timeline module serves them. See CONTRACT.md "Timeline" and
 * /work/plan/TIMELINE-SHAPES.md. Paths in comments: TC = timeline's
 * TimelineController.java, ES = DefaultTimelineEventStore.java, FC =
 * FlashMsgController.java, FS = FlashMsgServiceSqlImpl.java. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <stdlib.h>
#include <string.h>

/* TC:644 */
#define PAGE_LIMIT 25

/* The merged i18n/timeline/fr.json of conversation, directory, infra,
 * timeline and workspace at 6.15.4, then the test ENT's own type labels
 * ("workspace", "news", "news.news-published": the Actualités app is not in
 * entcore's repository, and entcore has no "workspace" label). */
static const char i18n_fr[] =
  "{"
  "\"messagerie\":\"Messagerie\","
  "\"messagerie.send-message\":\"Réception d'un message\","
  "\"messagerie.send-message-external\":\"Réception d'un message\","
  "\"messagerie.storage\":\"Espace de stockage bientôt plein\","
  "\"push.notif.new.message\":\"Nouveau message\","
  "\"timeline.conversation.sent.message\":\"vous a envoyé un message \","
  "\"timeline.conversation.storage.size.alert\":\"Votre espace de stockage est bientôt plein.\","
  "\"timeline.no.subject\":\"aucun objet\","
  "\"timeline.userbook.updated.mood\":\"a mis à jour son humeur\","
  "\"timeline.userbook.updated.motto\":\"a mis à jour sa devise\","
  "\"userbook.updated.mood\":\"a mis à jour son humeur\","
  "\"userbook.updated.motto\":\"a mis à jour sa devise\","
  "\"userbook.userbook_mood\":\"Changement d'humeur\","
  "\"userbook.userbook_motto\":\"Changement de devise\","
  "\"system\":\"Système\","
  "\"timeline.delete.invalid.email\":\"Votre email était invalide. Il a été supprimé.\","
  "\"timeline.delete.virus\":\"Suppression d'un virus contenu dans votre fichier\","
  "\"timeline.predelete.delay\":\"Votre compte n'est plus présent dans l'annuaire académique.\","
  "\"timeline.predelete.remaining\":\"Il sera mis en pré-suppression dans\","
  "\"timeline.remaining.days\":\"jours.\","
  "\"userbook.delete-email\":\"Suppression d'un email invalide (hard-bounce)\","
  "\"push.notif.new.flash.message\":\"Nouveau message flash\","
  "\"push.notif.file.share\":\"Un fichier a été partagé avec vous\","
  "\"push.notif.folder.contrib\":\"Un utilisateur a contribué dans vos dossiers\","
  "\"push.notif.folder.share\":\"Un dossier a été partagé avec vous\","
  "\"timeline.workspace.comment.document\":\"a commenté le document\","
  "\"timeline.workspace.comment.folder\":\"a commenté le dossier\","
  "\"timeline.workspace.contrib.folder\":\"a contribué dans le dossier\","
  "\"timeline.workspace.contrib.version\":\"a ajouté une version au document \","
  "\"timeline.workspace.shared.document\":\"a partagé avec vous le document\","
  "\"timeline.workspace.shared.folder\":\"a partagé avec vous le dossier\","
  "\"timeline.workspace.shared.infolder\":\"dans le dossier\","
  "\"timeline.workspace.shared.scrapbook\":\"a partagé avec vous le cahier multimédia\","
  "\"timeline.workspace.storage.size.alert\":\"Votre espace de stockage est bientôt plein.\","
  "\"workspace.comment\":\"Commentaire sur un fichier (seulement pour l’auteur de la ressource et les gestionnaires du dossier)\","
  "\"workspace.comment-folder\":\"Commentaire sur un dossier (seulement pour les gestionnaires du dossier)\","
  "\"workspace.contrib-folder\":\"Contribution dans un dossier (seulement pour les gestionnaires du dossier)\","
  "\"workspace.contrib-version\":\"Ajout d'une version à un document\","
  "\"workspace.share\":\"Partage d'un fichier\","
  "\"workspace.share-folder\":\"Partage d'un dossier\","
  "\"workspace.storage\":\"Espace de stockage bientôt plein\","
  "\"workspace\":\"Espace documentaire\","
  "\"news\":\"Actualités\","
  "\"news.news-published\":\"Publication d'une actualité\""
  "}";

/* The registered notifications' templates, byte for byte:
 * conversation/backend/src/main/resources/view/notify/messagerie/send-message.html
 * and workspace/src/main/resources/view-src/notify/workspace/share.html. */
typedef struct
{
  const char *key;        /* type.toLowerCase() + "." + event-type.toLowerCase() */
  const char *template;
} Registered;

static const Registered registered[] = {
  { "messagerie.send-message",
    "<a href=\"{{#host}}{{uri}}{{/host}}\">{{username}}</a>\n"
    "<br /><span>{{#i18n}}timeline.conversation.sent.message{{/i18n}}</span>: "
    "<a href=\"{{#host}}{{messageUri}}{{/host}}\">{{subject}}</a>.\n" },
  { "workspace.share",
    "<!--\n\n -->\n\n<span>\n"
    "    <a href=\"{{#host}}{{uri}}{{/host}}\">{{username}}</a>\n"
    "\t<br /><span>{{#i18n}}timeline.workspace.shared.document{{/i18n}}</span>\n"
    "\t<a href=\"{{#host}}{{resourceUri}}{{/host}}\">{{resourceName}}</a>\n"
    "\t&nbsp;{{#i18n}}timeline.workspace.shared.infolder{{/i18n}}&nbsp;\n"
    "\t<a href=\"{{#host}}{{resourceFolderUri}}{{/host}}\">{{resourceFolderName}}</a>.\n"
    "</span>\n" },
};

/* --- state ------------------------------------------------------------------ */

static JsonArray *
state_array (EntServer  *server,
             const char *member)
{
  JsonObject *root = json_node_get_object (server->state);

  /* A state.json from before issue 16 has none. */
  if (!json_object_has_member (root, member))
    json_object_set_array_member (root, member, json_array_new ());

  return json_object_get_array_member (root, member);
}

static const char *
i18n_lookup (JsonObject *bundle,
             const char *key)
{
  return json_object_get_string_member_with_default (bundle, key, NULL);
}


/* "Sophie Lefèvre" → "u-sophie-lefevre": a sender id of the test ENT's own
 * (senders need not be accounts of the seed; their name is in params). */
static char *
sender_id_for (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *id = g_string_new ("u-");

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (id, g_ascii_tolower (*p));
    else if (id->len > 2 && id->str[id->len - 1] != '-')
      g_string_append_c (id, '-');

  return g_string_free (id, FALSE);
}

char *
ent_timeline_publish (EntServer  *server,
                      const char *recipient_id,
                      const char *type,
                      const char *event_type,
                      const char *sender_name,
                      const char *subject,
                      const char *message,
                      gint64      date_seconds)
{
  JsonObject *doc = json_object_new ();
  JsonObject *params = json_object_new ();
  JsonArray *recipients = json_array_new ();
  JsonObject *recipient = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *sender = sender_name != NULL ? sender_id_for (sender_name) : NULL;
  g_autofree char *resource = g_uuid_string_random ();

  json_object_set_string_member (doc, "_id", id);
  json_object_set_string_member (doc, "type", type);
  json_object_set_string_member (doc, "event-type", event_type);

  /* The params each app gives (TH notifyTimeline; conversation
   * ConversationController.java:579-584, workspace WorkspaceController.java:1534-1546). */
  if (sender != NULL)
    {
      g_autofree char *uri = g_strdup_printf ("/userbook/annuaire#%s#Teacher", sender);

      json_object_set_string_member (params, "uri", uri);
      json_object_set_string_member (params, "username", sender_name);
    }
  if (g_str_equal (type, "MESSAGERIE"))
    {
      g_autofree char *uri = g_strdup_printf ("/conversation/conversation#/read-mail/%s", resource);

      json_object_set_string_member (params, "subject", subject != NULL ? subject : "aucun objet");
      json_object_set_string_member (params, "messageUri", uri);
      json_object_set_string_member (params, "resourceUri", uri);
    }
  else if (g_str_equal (type, "WORKSPACE"))
    {
      g_autofree char *uri = g_strdup_printf ("/workspace/document/%s", resource);

      json_object_set_string_member (params, "resourceUri", uri);
      json_object_set_string_member (params, "resourceName", subject != NULL ? subject : "");
      json_object_set_string_member (params, "resourceFolderUri", "/workspace/workspace#shared");
      json_object_set_string_member (params, "resourceFolderName", "Partagés avec moi");
    }
  else if (subject != NULL)
    json_object_set_string_member (params, "title", subject);
  json_object_set_object_member (doc, "params", params);

  if (sender != NULL)
    json_object_set_string_member (doc, "sender", sender);
  json_object_set_string_member (doc, "resource", resource);
  if (message != NULL)
    json_object_set_string_member (doc, "message", message);
  /* Stored as ms; "created" is the date (ES:59-62). */
  json_object_set_int_member (doc, "date", date_seconds * 1000);

  json_object_set_string_member (recipient, "userId", recipient_id);
  json_object_set_int_member (recipient, "unread", 1);
  json_array_add_object_element (recipients, recipient);
  json_object_set_array_member (doc, "recipients", recipients);

  json_array_add_object_element (state_array (server, "timeline"), doc);

  return g_steal_pointer (&id);
}

gint64
ent_flash_add (EntServer  *server,
               const char *title,
               const char *contents_fr,
               const char *color,
               const char *custom_color,
               const char *signature,
               const char *structure_id,
               const char *domain,
               gint64      start,
               gint64      end)
{
  JsonObject *root = json_node_get_object (server->state);
  gint64 id = json_object_get_int_member_with_default (root, "flashCounter", 0) + 1;
  JsonObject *message = json_object_new ();
  JsonObject *contents = json_object_new ();
  JsonArray *profiles = json_array_new ();

  json_object_set_int_member (root, "flashCounter", id);
  json_object_set_int_member (message, "id", id);
  json_object_set_string_member (message, "title", title);
  json_object_set_string_member (contents, "fr", contents_fr);
  json_object_set_object_member (message, "contents", contents);
#define SET_OR_NULL(member, value) \
  G_STMT_START { \
    if ((value) != NULL) \
      json_object_set_string_member (message, member, value); \
    else \
      json_object_set_null_member (message, member); \
  } G_STMT_END
  SET_OR_NULL ("color", color);
  SET_OR_NULL ("customColor", custom_color);
  SET_OR_NULL ("signature", signature);
  json_object_set_null_member (message, "signatureColor");
  SET_OR_NULL ("structureId", structure_id);
  SET_OR_NULL ("domain", domain);
#undef SET_OR_NULL
  json_array_add_string_element (profiles, "Relative");
  json_object_set_array_member (message, "profiles", profiles);
  json_object_set_int_member (message, "startDate", start);
  json_object_set_int_member (message, "endDate", end);
  json_object_set_int_member (message, "modified", start);
  json_object_set_array_member (message, "readBy", json_array_new ());

  json_array_add_object_element (state_array (server, "flashMessages"), message);

  return id;
}

JsonObject *
ent_flash_find (EntServer *server,
                gint64     id)
{
  JsonArray *messages = state_array (server, "flashMessages");

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);

      if (json_object_get_int_member_with_default (message, "id", -1) == id)
        return message;
    }

  return NULL;
}

/* SEED.md's timeline part: dates relative to the (reset) clock. */
void
ent_timeline_seed (EntServer *server)
{
  gint64 now = ent_now (server);
  JsonObject *root = json_node_get_object (server->state);

  json_object_set_array_member (root, "timeline", json_array_new ());
  json_object_set_array_member (root, "flashMessages", json_array_new ());
  json_object_set_int_member (root, "flashCounter", 0);

  g_free (ent_timeline_publish (server, "u-karim", "NEWS", "NEWS-PUBLISHED", NULL,
                                "Sortie au musée jeudi",
                                "<a href=\"/actualites#/view/thread/12/info/345\">Sortie au musée <b>jeudi</b> "
                                "&amp; pique-nique</a> : le Collège Jean Jaurès emmène les 5ème au musée "
                                "des Beaux-Arts de Calais. <span foreground=\"red\" size=\"x-large\">Prévoir "
                                "un gilet &amp; un repas froid.</span>",
                                now - 3 * 24 * 3600));
  g_free (ent_timeline_publish (server, "u-karim", "WORKSPACE", "SHARE", "Marc Petit",
                                "Liste des fournitures 2026-2027.pdf", NULL, now - 26 * 3600));
  g_free (ent_timeline_publish (server, "u-karim", "MESSAGERIE", "SEND-MESSAGE", "Sophie Lefèvre",
                                "Réunion parents-professeurs de la 5ème C", NULL, now - 2 * 3600));
  g_free (ent_timeline_publish (server, "u-nathalie", "MESSAGERIE", "SEND-MESSAGE", "Julien Moreau",
                                "Sortie pédagogique de la 4ème B", NULL, now - 5 * 3600));
  g_free (ent_timeline_publish (server, "u-frederic", "MESSAGERIE", "SEND-MESSAGE", "Julien Moreau",
                                "Sortie pédagogique de la 4ème B", NULL, now - 5 * 3600));

  ent_flash_add (server, "Grève du 12 décembre",
                 "<p>En raison d'un mouvement de grève, la cantine du <b>Collège Jean Jaurès</b> "
                 "sera fermée le <span style=\"color: red\">12 décembre</span>. Merci de prévoir "
                 "un repas froid &amp; une bouteille d'eau.</p>",
                 "orange", NULL, "La direction", "jean-jaures-calais", NULL,
                 now - 24 * 3600, now + 30 * 24 * 3600);
}

/* --- templates ----------------------------------------------------------------- */

/* The subset of jmustache the registered templates use: {{name}} (a
 * string of params, HTML-escaped: TC processTemplate renders with
 * escapeHTML), {{#host}}…{{/host}} (the ENT's URL, then the inside) and
 * {{#i18n}}key{{/i18n}} (the timeline bundle's text) (TC:379; TimelineLambda). */
static void
render (GString    *out,
        const char *template,
        gsize       length,
        JsonObject *params,
        JsonObject *bundle,
        const char *host)
{
  const char *p = template;
  const char *end = template + length;

  while (p < end)
    {
      const char *open = g_strstr_len (p, end - p, "{{");
      const char *close;
      g_autofree char *tag = NULL;

      if (open == NULL)
        {
          g_string_append_len (out, p, end - p);
          return;
        }
      g_string_append_len (out, p, open - p);
      close = g_strstr_len (open, end - open, "}}");
      if (close == NULL)
        {
          g_string_append_len (out, open, end - open);
          return;
        }
      tag = g_strndup (open + 2, close - open - 2);
      p = close + 2;

      if (tag[0] == '#')
        {
          g_autofree char *closing = g_strdup_printf ("{{/%s}}", tag + 1);
          const char *section_end = g_strstr_len (p, end - p, closing);
          GString *inner = g_string_new (NULL);

          if (section_end == NULL)
            section_end = end;
          render (inner, p, section_end - p, params, bundle, host);
          if (g_str_equal (tag + 1, "host"))
            {
              g_string_append_printf (out, "https://%s", host);
              g_string_append (out, inner->str);
            }
          else if (g_str_equal (tag + 1, "i18n"))
            {
              const char *text = i18n_lookup (bundle, inner->str);

              g_string_append (out, text != NULL ? text : inner->str);
            }
          g_string_free (inner, TRUE);
          p = MIN (end, section_end + strlen (closing));
        }
      else
        {
          const char *value = json_object_get_string_member_with_default (params, tag, "");
          g_autofree char *escaped = ent_html_escape (value);

          g_string_append (out, escaped);
        }
    }
}

/* The message of a stored notification: its own, else compiled from the
 * registered template; NULL when neither (TC:360-375: dropped). */
static char *
notification_message (JsonObject *doc,
                      JsonObject *bundle,
                      const char *host)
{
  const char *stored = json_object_get_string_member_with_default (doc, "message", NULL);
  g_autofree char *type = NULL;
  g_autofree char *event_type = NULL;
  g_autofree char *key = NULL;
  JsonObject *params;

  if (stored != NULL && *stored != '\0')
    return g_strdup (stored);

  type = g_utf8_strdown (json_object_get_string_member_with_default (doc, "type", ""), -1);
  event_type = g_utf8_strdown (json_object_get_string_member_with_default (doc, "event-type", ""), -1);
  key = g_strconcat (type, ".", event_type, NULL);
  params = json_object_get_object_member (doc, "params");

  for (guint i = 0; i < G_N_ELEMENTS (registered); i++)
    if (g_str_equal (registered[i].key, key))
      {
        GString *out = g_string_new (NULL);

        render (out, registered[i].template, strlen (registered[i].template), params, bundle, host);
        return g_string_free (out, FALSE);
      }

  return NULL;
}

/* --- routes ------------------------------------------------------------------ */

static gboolean
is_recipient (JsonObject *doc,
              const char *user_id)
{
  JsonArray *recipients = json_object_get_array_member (doc, "recipients");

  for (guint i = 0; recipients != NULL && i < json_array_get_length (recipients); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (recipients, i),
                                                               "userId", NULL), user_id) == 0)
      return TRUE;

  return FALSE;
}

static gint
newest_first (gconstpointer a,
              gconstpointer b)
{
  gint64 da = json_object_get_int_member (*(JsonObject **) a, "date");
  gint64 db = json_object_get_int_member (*(JsonObject **) b, "date");

  return da < db ? 1 : da > db ? -1 : 0;
}

/* The repeated "type" parameters: SoupServer's query table keeps one value
 * per name, so they are read again from the raw query. */
static GPtrArray *
query_types (EntRequest *req)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (req->msg));
  GPtrArray *types = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) pairs = query != NULL ? g_strsplit (query, "&", -1) : NULL;

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    if (g_str_has_prefix (pairs[i], "type="))
      {
        g_autofree char *plus = g_strdelimit (g_strdup (pairs[i] + 5), "+", ' ');
        char *value = g_uri_unescape_string (plus, NULL);

        if (value != NULL)
          g_ptr_array_add (types, value);
      }

  return types;
}

/* Integer.parseInt: an optional sign then digits only, within an int. */
static gboolean
java_parse_int (const char *text,
                gint64     *out)
{
  const char *p = text;
  gint64 value = 0;
  gboolean negative = FALSE;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
      if (value > G_MAXINT32 + (gint64) negative)
        return FALSE;
    }
  *out = negative ? -value : value;

  return TRUE;
}

static void
add_member_copy (JsonBuilder *b,
                 JsonObject  *doc,
                 const char  *member)
{
  if (!json_object_has_member (doc, member))
    return;
  json_builder_set_member_name (b, member);
  json_builder_add_value (b, json_node_copy (json_object_get_member (doc, member)));
}

/* TC:305-400 with ES:81-189 for version 3.0. */
static void
handle_last_notifications (EntRequest *req)
{
  const char *user_id = ent_user_get_string (req->user, "id");
  const char *page_text = req->query != NULL ? g_hash_table_lookup (req->query, "page") : NULL;
  g_autoptr(GPtrArray) types = query_types (req);
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *all = state_array (req->server, "timeline");
  gint64 now_ms = ent_now (req->server) * 1000;
  g_autoptr(JsonNode) bundle = json_from_string (i18n_fr, NULL);
  gint64 page = 0;
  guint offset;
  guint number = 0;

  /* A page that is not a number is page 0 (TC:331-333). Test ENT: a
   * negative one too (entcore gives MongoDB a negative skip). */
  if (!java_parse_int (page_text, &page) || page < 0)
    page = 0;
  offset = (guint) MIN (page * PAGE_LIMIT, G_MAXUINT);

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *doc = json_array_get_object_element (all, i);

      if (json_object_get_int_member_with_default (doc, "date", 0) >= now_ms ||
          !is_recipient (doc, user_id))
        continue;
      if (types->len > 0 &&
          !g_ptr_array_find_with_equal_func (types, json_object_get_string_member_with_default (doc, "type", ""),
                                             g_str_equal, NULL))
        continue;
      g_ptr_array_add (matching, doc);
    }
  g_ptr_array_sort (matching, newest_first);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = offset; i < matching->len && i < offset + PAGE_LIMIT; i++)
    {
      JsonObject *doc = g_ptr_array_index (matching, i);
      g_autofree char *message = notification_message (doc, json_node_get_object (bundle), req->host);

      number++;
      if (message == NULL)
        continue;

      json_builder_begin_object (b);
      add_member_copy (b, doc, "_id");
      add_member_copy (b, doc, "type");
      add_member_copy (b, doc, "event-type");
      add_member_copy (b, doc, "params");
      json_builder_set_member_name (b, "date");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "$date");
      json_builder_add_int_value (b, json_object_get_int_member (doc, "date"));
      json_builder_end_object (b);
      add_member_copy (b, doc, "sender");
      add_member_copy (b, doc, "resource");
      add_member_copy (b, doc, "sub-resource");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      /* recipients: {$elemMatch: {userId}}: only the caller's entry. */
      json_builder_set_member_name (b, "recipients");
      json_builder_begin_array (b);
      {
        JsonArray *recipients = json_object_get_array_member (doc, "recipients");

        for (guint r = 0; r < json_array_get_length (recipients); r++)
          {
            JsonObject *recipient = json_array_get_object_element (recipients, r);

            if (g_strcmp0 (json_object_get_string_member_with_default (recipient, "userId", NULL), user_id) == 0)
              {
                json_builder_add_value (b, json_node_copy (json_array_get_element (recipients, r)));
                break;
              }
          }
      }
      json_builder_end_array (b);
      add_member_copy (b, doc, "preview");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "number");
  json_builder_add_int_value (b, number);
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* TC:402-417, ES:203-214: the distinct types of the whole collection. */
static void
handle_types (EntRequest *req)
{
  JsonArray *all = state_array (req->server, "timeline");
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      const char *type = json_object_get_string_member_with_default (json_array_get_object_element (all, i),
                                                                     "type", NULL);

      if (type == NULL || g_ptr_array_find_with_equal_func (seen, type, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) type);
      json_builder_add_string_value (b, type);
    }
  json_builder_end_array (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static gboolean
user_in_structure (EntServer  *server,
                   JsonObject *user,
                   const char *structure_id)
{
  JsonArray *children = json_object_get_array_member (user, "children");

  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    {
      JsonObject *child = ent_state_find_child (server, json_array_get_string_element (children, i));

      if (child != NULL && g_strcmp0 (ent_user_get_string (child, "structureId"), structure_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
string_array_contains (JsonArray  *array,
                       const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;

  return FALSE;
}

static gint
modified_first (gconstpointer a,
                gconstpointer b)
{
  gint64 ma = json_object_get_int_member (*(JsonObject **) a, "modified");
  gint64 mb = json_object_get_int_member (*(JsonObject **) b, "modified");

  return ma < mb ? 1 : ma > mb ? -1 : 0;
}

/* FC:94-110, FS:143-199: the user's profile, live now, of the user's
 * structures (or of no structure and this host), not read by the user. */
static void
handle_flash_list (EntRequest *req)
{
  JsonArray *messages = state_array (req->server, "flashMessages");
  const char *user_id = ent_user_get_string (req->user, "id");
  const char *profile = ent_user_get_string (req->user, "type");
  gint64 now = ent_now (req->server);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const char * const fields[] = {
    "title", "color", "customColor", "signature", "signatureColor", NULL
  };

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *structure = json_object_get_string_member_with_default (message, "structureId", NULL);
      const char *domain = json_object_get_string_member_with_default (message, "domain", NULL);

      if (!string_array_contains (json_object_get_array_member (message, "profiles"), profile) ||
          json_object_get_int_member (message, "startDate") > now ||
          json_object_get_int_member (message, "endDate") <= now ||
          (structure == NULL && g_strcmp0 (domain, req->host) != 0) ||
          (structure != NULL && !user_in_structure (req->server, req->user, structure)) ||
          string_array_contains (json_object_get_array_member (message, "readBy"), user_id))
        continue;
      g_ptr_array_add (shown, message);
    }
  g_ptr_array_sort (shown, modified_first);

  json_builder_begin_array (b);
  for (guint i = 0; i < shown->len; i++)
    {
      JsonObject *message = g_ptr_array_index (shown, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, json_object_get_int_member (message, "id"));
      add_member_copy (b, message, "contents");
      for (guint f = 0; fields[f] != NULL; f++)
        add_member_copy (b, message, fields[f]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* FS:261-266: INSERT … ON CONFLICT DO NOTHING → {}; the foreign key or a
 * non-numeric id fail → 400 {"error": …} (entcore: PostgreSQL's text). */
static void
handle_flash_mark_read (EntRequest *req,
                        const char *id_text)
{
  gint64 id = 0;
  JsonObject *message;
  JsonArray *read_by;
  const char *user_id = ent_user_get_string (req->user, "id");

  if (!java_parse_int (id_text, &id))
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "flashmsg.invalid.id");
      return;
    }
  message = ent_flash_find (req->server, id);
  if (message == NULL)
    {
      ent_reply_error (req, SOUP_STATUS_BAD_REQUEST, "flashmsg.unknown");
      return;
    }

  read_by = json_object_get_array_member (message, "readBy");
  if (!string_array_contains (read_by, user_id))
    {
      json_array_add_string_element (read_by, user_id);
      ent_state_save (req->server);
    }
  ent_reply_json_text (req, SOUP_STATUS_OK, "{}");
}

gboolean
ent_routes_timeline (EntRequest *req)
{
  const char *method = req->method;
  const char *path = req->path;

  if (!g_str_has_prefix (path, "/timeline/"))
    return FALSE;

  if (g_str_equal (method, "GET") && g_str_equal (path, "/timeline/lastNotifications"))
    {
      if (ent_require_user (req))
        handle_last_notifications (req);
      return TRUE;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, "/timeline/types"))
    {
      if (ent_require_user (req))
        handle_types (req);
      return TRUE;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, "/timeline/i18nNotifications"))
    {
      if (ent_require_user (req))
        ent_reply_json_text (req, SOUP_STATUS_OK, i18n_fr);
      return TRUE;
    }

  if (g_str_equal (method, "GET") && g_str_equal (path, "/timeline/flashmsg/listuser"))
    {
      if (ent_require_user (req))
        handle_flash_list (req);
      return TRUE;
    }

  if (g_str_equal (method, "PUT") && g_str_has_prefix (path, "/timeline/flashmsg/") &&
      g_str_has_suffix (path, "/markasread"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/timeline/flashmsg/"),
                                       strlen (path) - strlen ("/timeline/flashmsg/") - strlen ("/markasread"));

      if (*id == '\0' || strchr (id, '/') != NULL)
        return FALSE;
      if (ent_require_user (req))
        handle_flash_mark_read (req, id);
      return TRUE;
    }

  return FALSE;
}
