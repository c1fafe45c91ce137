/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ENT's news (issue 16): the real CarnetEntClient against the test
 * ENT's timeline (tests/ent-server/ent-routes-timeline.c, entcore 6.15.4's
 * shapes), over HTTPS, one fresh server (fresh seed) per test.
 */
#include "config.h"

#include <string.h>

#include "carnet-ent-client.h"
#include "carnet-test-client.h"
#include "carnet-test-ent.h"

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
} Fixture;

static void
login (Fixture    *f,
       const char *user,
       const char *password)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  carnet_ent_client_login_async (f->client, user, password, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_ent_client_login_finish (f->client, res, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ent = carnet_test_ent_start ();
  f->client = carnet_test_ent_new_client (f->ent, NULL);
  if (data == NULL)
    login (f, "karim.benali", "Cartable2026");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  carnet_test_ent_stop (f->ent);
}

static GPtrArray *
get_notifications (Fixture            *f,
                   guint               page,
                   const char * const *types,
                   GError            **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_get_notifications_async (f->client, page, types, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_get_notifications_finish (f->client, res, error);
}

static GPtrArray *
get_flash_messages (Fixture  *f,
                    GError  **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_get_flash_messages_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_get_flash_messages_finish (f->client, res, error);
}

static gboolean
mark_read (Fixture    *f,
           const char *id,
           GError    **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_ent_client_mark_flash_message_read_async (f->client, id, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  return carnet_ent_client_mark_flash_message_read_finish (f->client, res, error);
}

static CarnetEntNotification *
find (GPtrArray  *notifications,
      const char *kind)
{
  for (guint i = 0; i < notifications->len; i++)
    if (g_str_equal (carnet_ent_notification_get_kind (g_ptr_array_index (notifications, i)), kind))
      return g_ptr_array_index (notifications, i);
  return NULL;
}

static void
assert_newest_first (GPtrArray *notifications)
{
  for (guint i = 1; i < notifications->len; i++)
    g_assert_cmpint (g_date_time_compare (carnet_ent_notification_get_date (g_ptr_array_index (notifications, i - 1)),
                                          carnet_ent_notification_get_date (g_ptr_array_index (notifications, i))),
                     >=, 0);
}

/* What a label shows: no tag, no entity left, no control character. */
static void
assert_plain (const char *text)
{
  g_assert_nonnull (text);
  g_assert_null (strchr (text, '<'));
  g_assert_null (strchr (text, '>'));
  g_assert_null (strstr (text, "&amp;"));
  g_assert_null (strchr (text, '\n'));
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* --- the seed ------------------------------------------------------------------ */

static void
test_seed (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notifications = get_notifications (f, 0, NULL, &error);
  g_autofree char *prefix = g_strconcat (carnet_test_ent_get_url (f->ent), "/", NULL);
  g_autofree char *news_link = g_strconcat (prefix, "actualites#/view/thread/12/info/345", NULL);
  CarnetEntNotification *n;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_no_error (error);
  g_assert_nonnull (notifications);
  /* Karim's three, not Nathalie's nor Frédéric's. */
  g_assert_cmpuint (notifications->len, ==, 3);
  assert_newest_first (notifications);

  n = g_ptr_array_index (notifications, 0);
  g_assert_cmpstr (carnet_ent_notification_get_kind (n), ==, "MESSAGERIE");
  g_assert_cmpstr (carnet_ent_notification_get_event_type (n), ==, "SEND-MESSAGE");
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (n), ==, "Sophie Lefèvre");
  g_assert_cmpstr (carnet_ent_notification_get_sender_id (n), !=, "");
  g_assert_nonnull (strstr (carnet_ent_notification_get_text (n), "Sophie Lefèvre"));
  g_assert_nonnull (strstr (carnet_ent_notification_get_text (n), "Réunion parents-professeurs de la 5ème C"));
  assert_plain (carnet_ent_notification_get_text (n));
  g_assert_true (g_str_has_prefix (carnet_ent_notification_get_link (n), prefix));
  /* Two hours before the test ENT's clock, which starts at the real time. */
  g_assert_cmpint (g_date_time_difference (now, carnet_ent_notification_get_date (n)), >, G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_difference (now, carnet_ent_notification_get_date (n)), <, 3 * G_TIME_SPAN_HOUR);

  n = find (notifications, "WORKSPACE");
  g_assert_nonnull (n);
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (n), ==, "Marc Petit");
  g_assert_nonnull (strstr (carnet_ent_notification_get_text (n), "Liste des fournitures 2026-2027.pdf"));
  assert_plain (carnet_ent_notification_get_text (n));

  /* Stored HTML with markup: text only, its relative link made absolute. */
  n = g_ptr_array_index (notifications, 2);
  g_assert_cmpstr (carnet_ent_notification_get_kind (n), ==, "NEWS");
  g_assert_cmpstr (carnet_ent_notification_get_sender_name (n), ==, "");
  g_assert_cmpstr (carnet_ent_notification_get_text (n), ==,
                   "Sortie au musée jeudi & pique-nique : le Collège Jean Jaurès emmène les 5ème au musée "
                   "des Beaux-Arts de Calais. Prévoir un gilet & un repas froid.");
  g_assert_nonnull (strstr (carnet_ent_notification_get_message_html (n), "<span foreground="));
  g_assert_cmpstr (carnet_ent_notification_get_link (n), ==, news_link);
}

/* --- paging and filters ------------------------------------------------------------ */

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page0 = NULL;
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  /* 30 more, a minute apart, the newest a minute ago: 33 in all. */
  for (int i = 1; i <= 30; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %d", i);

      g_free (carnet_test_ent_publish_notification (f->ent, "karim.benali", "MESSAGERIE", "SEND-MESSAGE",
                                                    "Sophie Lefèvre", subject, NULL, -60 * i));
    }

  page0 = get_notifications (f, 0, NULL, &error);
  g_assert_no_error (error);
  page1 = get_notifications (f, 1, NULL, &error);
  g_assert_no_error (error);
  page2 = get_notifications (f, 2, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (page0->len, ==, 25);
  g_assert_cmpuint (page1->len, ==, 8);
  g_assert_cmpuint (page2->len, ==, 0);
  assert_newest_first (page0);
  assert_newest_first (page1);
  g_assert_nonnull (strstr (carnet_ent_notification_get_text (g_ptr_array_index (page0, 0)), "Message 1"));
  g_assert_cmpint (g_date_time_compare (carnet_ent_notification_get_date (g_ptr_array_index (page0, 24)),
                                        carnet_ent_notification_get_date (g_ptr_array_index (page1, 0))),
                   >=, 0);
  /* The last page ends with the oldest of the seed. */
  g_assert_cmpstr (carnet_ent_notification_get_kind (g_ptr_array_index (page1, 7)), ==, "NEWS");

  /* No notification twice. */
  for (guint i = 0; i < page0->len; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) carnet_ent_notification_get_id (g_ptr_array_index (page0, i))));
  for (guint i = 0; i < page1->len; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) carnet_ent_notification_get_id (g_ptr_array_index (page1, i))));
  g_assert_cmpuint (g_hash_table_size (ids), ==, 33);
}

static void
test_types_filter (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const news[] = { "NEWS", NULL };
  static const char * const two[] = { "MESSAGERIE", "", "WORKSPACE", NULL };
  static const char * const odd[] = { "A&type=NEWS", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) only_news = get_notifications (f, 0, news, &error);
  g_autoptr(GPtrArray) both = NULL;
  g_autoptr(GPtrArray) escaped = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_auto(GStrv) types = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (only_news->len, ==, 1);
  g_assert_cmpstr (carnet_ent_notification_get_kind (g_ptr_array_index (only_news, 0)), ==, "NEWS");

  both = get_notifications (f, 0, two, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (both->len, ==, 2);
  g_assert_null (find (both, "NEWS"));

  /* A type is one value of the query, whatever it holds. */
  escaped = get_notifications (f, 0, odd, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (escaped->len, ==, 0);

  all = get_notifications (f, 0, none, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);

  carnet_ent_client_get_timeline_types_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  types = carnet_ent_client_get_timeline_types_finish (f->client, res, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) types, "MESSAGERIE"));
  g_assert_true (g_strv_contains ((const char * const *) types, "WORKSPACE"));
  g_assert_true (g_strv_contains ((const char * const *) types, "NEWS"));
}

static void
test_i18n (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GHashTable) i18n = NULL;

  carnet_ent_client_get_timeline_i18n_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  i18n = carnet_ent_client_get_timeline_i18n_finish (f->client, res, &error);
  g_assert_no_error (error);
  g_assert_nonnull (i18n);
  g_assert_cmpstr (carnet_ent_timeline_i18n_lookup_type (i18n, "MESSAGERIE"), ==, "Messagerie");
  g_assert_cmpstr (carnet_ent_timeline_i18n_lookup_type (i18n, "NEWS"), ==, "Actualités");
  g_assert_cmpstr (carnet_ent_timeline_i18n_lookup_event (i18n, "MESSAGERIE", "SEND-MESSAGE"), ==,
                   "Réception d'un message");
}

/* --- a new item ------------------------------------------------------------------ */

static void
test_new_item (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autofree char *id = NULL;
  g_autofree char *future_id = NULL;
  CarnetEntNotification *n;

  id = carnet_test_ent_publish_notification (f->ent, "karim.benali", "NEWS", "NEWS-PUBLISHED", NULL, NULL,
                                             "<b>Attention</b>&nbsp;: <a href=\"https://evil.example.com/\">ici</a>"
                                             "<span foreground=\"red\">&lt;i&gt;rouge&lt;/i&gt;</span>"
                                             "<script>alert(1)</script>\u202Efin",
                                             -1);
  future_id = carnet_test_ent_publish_notification (f->ent, "karim.benali", "MESSAGERIE", "SEND-MESSAGE",
                                                    "Sophie Lefèvre", "Plus tard", NULL, 60);

  after = get_notifications (f, 0, NULL, &error);
  g_assert_no_error (error);
  /* The future one is not there yet. */
  g_assert_cmpuint (after->len, ==, 4);
  n = g_ptr_array_index (after, 0);
  g_assert_cmpstr (carnet_ent_notification_get_id (n), ==, id);
  g_assert_cmpstr (carnet_ent_notification_get_text (n), ==, "Attention : ici<i>rouge</i>fin");
  /* A link to another site is no link. */
  g_assert_null (carnet_ent_notification_get_link (n));

  carnet_test_ent_advance_clock (f->ent, 61);
  later = get_notifications (f, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 5);
  g_assert_cmpstr (carnet_ent_notification_get_id (g_ptr_array_index (later, 0)), ==, future_id);
}

/* --- flash messages ------------------------------------------------------------- */

static void
test_flash_messages (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = get_flash_messages (f, &error);
  g_autoptr(GPtrArray) after = NULL;
  CarnetEntFlashMessage *m;
  gint64 added;
  g_autofree char *added_id = NULL;
  gint64 seed_id;

  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  m = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (carnet_ent_flash_message_get_title (m), ==, "Grève du 12 décembre");
  g_assert_cmpstr (carnet_ent_flash_message_get_text (m), ==,
                   "En raison d'un mouvement de grève, la cantine du Collège Jean Jaurès sera fermée le "
                   "12 décembre. Merci de prévoir un repas froid & une bouteille d'eau.");
  seed_id = g_ascii_strtoll (carnet_ent_flash_message_get_id (m), NULL, 10);

  added = carnet_test_ent_add_flash_message (f->ent, "Photo de classe", "<p>Jeudi <b>9 h</b></p>", NULL, 0, 3600);
  added_id = g_strdup_printf ("%" G_GINT64_FORMAT, added);

  g_assert_false (carnet_test_ent_flash_message_is_read (f->ent, "karim.benali", seed_id));
  g_assert_true (mark_read (f, carnet_ent_flash_message_get_id (m), &error));
  g_assert_no_error (error);
  g_assert_true (carnet_test_ent_flash_message_is_read (f->ent, "karim.benali", seed_id));
  /* Again: the ENT answers the same. */
  g_assert_true (mark_read (f, carnet_ent_flash_message_get_id (m), &error));
  g_assert_no_error (error);

  after = get_flash_messages (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (carnet_ent_flash_message_get_id (g_ptr_array_index (after, 0)), ==, added_id);
  g_assert_cmpstr (carnet_ent_flash_message_get_text (g_ptr_array_index (after, 0)), ==, "Jeudi 9 h");
}

static void
test_flash_mark_read_errors (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const bad[] = { "", "1/../../auth/logout", "12a", "-1", "99999999999999999999" };
  g_autoptr(GError) error = NULL;
  guint requests = carnet_test_ent_count_requests (f->ent, "*");

  /* Not an id of the ENT's: refused before sending anything. */
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (mark_read (f, bad[i], &error));
      g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
  g_assert_false (mark_read (f, NULL, &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, "*"), ==, requests);

  /* An id the ENT does not know: its 400. */
  g_assert_false (mark_read (f, "424242", &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CARNET_ENT_ERROR);
  g_clear_error (&error);

  /* The CSRF token refused: the session is not what the client thought. */
  carnet_test_ent_set_fault (f->ent, "/timeline/flashmsg/1/markasread", "csrf", 0, 1);
  g_assert_false (mark_read (f, "1", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
}

/* --- the session and the ENT failing ----------------------------------------------- */

static void
test_session_expired (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notifications = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GHashTable) i18n = NULL;
  g_auto(GStrv) types = NULL;

  /* The PUT: its CSRF token is the lost session's (403 invalid.xsrf.token). */
  carnet_test_ent_expire_sessions (f->ent);
  g_assert_false (mark_read (f, "1", &error));
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  g_assert_false (carnet_ent_client_has_session (f->client));

  /* The GETs: the ENT's 302 to its login page. */
  login (f, "karim.benali", "Cartable2026");
  carnet_test_ent_expire_sessions (f->ent);
  notifications = get_notifications (f, 0, NULL, &error);
  g_assert_null (notifications);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  g_assert_false (carnet_ent_client_has_session (f->client));

  messages = get_flash_messages (f, &error);
  g_assert_null (messages);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  carnet_ent_client_get_timeline_types_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  types = carnet_ent_client_get_timeline_types_finish (f->client, res, &error);
  g_assert_null (types);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);
  g_clear_object (&res);

  carnet_ent_client_get_timeline_i18n_async (f->client, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  i18n = carnet_ent_client_get_timeline_i18n_finish (f->client, res, &error);
  g_assert_null (i18n);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
  g_clear_error (&error);

  /* Logged in again, the news is there. */
  login (f, "karim.benali", "Cartable2026");
  notifications = get_notifications (f, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notifications->len, ==, 3);
}

static void
test_never_logged_in (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notifications = get_notifications (f, 0, NULL, &error);

  g_assert_null (notifications);
  g_assert_error (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  static const struct {
    const char *path;
    const char *kind;
    CarnetEntError code;
  } rows[] = {
    { "/timeline/lastNotifications", "malformed", CARNET_ENT_ERROR_PROTOCOL },
    { "/timeline/lastNotifications", "mistyped", CARNET_ENT_ERROR_PROTOCOL },
    { "/timeline/lastNotifications", "500", CARNET_ENT_ERROR_SERVER },
    { "/timeline/lastNotifications", "redirect-other-host", CARNET_ENT_ERROR_PROTOCOL },
    { "/timeline/lastNotifications", "expire-session", CARNET_ENT_ERROR_SESSION_EXPIRED },
    { "/timeline/flashmsg/listuser", "malformed", CARNET_ENT_ERROR_PROTOCOL },
    { "/timeline/flashmsg/listuser", "mistyped", CARNET_ENT_ERROR_PROTOCOL },
    { "/timeline/flashmsg/listuser", "502", CARNET_ENT_ERROR_SERVER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) result = NULL;

      g_test_message ("%s %s", rows[i].path, rows[i].kind);
      carnet_test_ent_set_fault (f->ent, rows[i].path, rows[i].kind, 0, -1);
      if (g_str_equal (rows[i].path, "/timeline/lastNotifications"))
        result = get_notifications (f, 0, NULL, &error);
      else
        result = get_flash_messages (f, &error);
      g_assert_null (result);
      g_assert_error (error, CARNET_ENT_ERROR, (gint) rows[i].code);
      carnet_test_ent_clear_faults (f->ent);

      if (rows[i].code == CARNET_ENT_ERROR_SESSION_EXPIRED)
        login (f, "karim.benali", "Cartable2026");
    }

  /* The ENT is fine again: nothing was left broken in the client. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) notifications = get_notifications (f, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (notifications->len, ==, 3);
  }
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notifications = NULL;

  carnet_test_ent_set_fault (f->ent, "/timeline/lastNotifications", "latency", 5000, 1);
  carnet_ent_client_get_notifications_async (f->client, 0, NULL, cancellable, carnet_test_done_cb, NULL);
  g_cancellable_cancel (cancellable);
  res = carnet_test_await_result ();
  notifications = carnet_ent_client_get_notifications_finish (f->client, res, &error);
  g_assert_null (notifications);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, logged_out) \
  g_test_add ("/ent/timeline/" path, Fixture, (logged_out) ? "logged out" : NULL, \
              fixture_set_up, func, fixture_tear_down)

  ADD ("seed", test_seed, FALSE);
  ADD ("paging", test_paging, FALSE);
  ADD ("types-filter", test_types_filter, FALSE);
  ADD ("i18n", test_i18n, FALSE);
  ADD ("new-item", test_new_item, FALSE);
  ADD ("flash-messages", test_flash_messages, FALSE);
  ADD ("flash-mark-read-errors", test_flash_mark_read_errors, FALSE);
  ADD ("session-expired", test_session_expired, FALSE);
  ADD ("never-logged-in", test_never_logged_in, TRUE);
  ADD ("faults", test_faults, FALSE);
  ADD ("cancelled", test_cancelled, FALSE);

  return g_test_run ();
}
