/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CarnetNewsWatch against the real test ENT: the first page read notifies
 * nothing, what is published after it is notified once, what was seen is
 * remembered per account on disk (and only in memory without a state
 * folder: a shared machine), failures back off up to the cap, an expired
 * session or a logout stops the polling. No GTK: this runs under the
 * sanitizers with leaks checked.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "carnet-news-watch.h"
#include "carnet-test-client.h"
#include "carnet-test-ent.h"

#define POLL_PATH "/timeline/lastNotifications"

typedef struct {
  CarnetTestEnt   *ent;
  CarnetEntClient *client;
  CarnetSession   *session;
  char            *state_dir;
  CarnetNewsWatch *watch;
  /* Every item new-items gave, in order (CarnetEntNotification). */
  GPtrArray       *notified;
  guint            emissions;
  /* When each failed poll ended (monotonic µs). */
  GArray          *failures;
  /* polled(): until the ENT has had this many polls. */
  guint            polls_until;
} Fixture;

typedef gboolean (*Condition) (Fixture *f);

typedef struct {
  Condition  condition;
  Fixture   *f;
} Await;

static gboolean
await_cb (gpointer user_data)
{
  Await *await = user_data;

  return await->condition (await->f);
}

/* Iterates until @condition holds; fails after 30 s, naming @what. */
static void
await (Fixture     *f,
       Condition    condition,
       const char  *what)
{
  Await data = { condition, f };

  carnet_test_wait_until (await_cb, &data, what);
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates for @ms: for what must NOT happen (a poll after the watch
 * stopped), there is no condition to wait for. */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
new_items_cb (CarnetNewsWatch *watch,
              GPtrArray       *items,
              Fixture         *f)
{
  g_assert_cmpuint (items->len, >, 0);
  /* Emitted after "items" took the page. */
  g_assert_nonnull (carnet_news_watch_get_items (watch));
  f->emissions++;
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (f->notified, g_object_ref (g_ptr_array_index (items, i)));
}

static void
last_error_cb (CarnetNewsWatch *watch,
               GParamSpec      *pspec,
               Fixture         *f)
{
  gint64 now = g_get_monotonic_time ();

  if (carnet_news_watch_get_last_error (watch) != NULL)
    g_array_append_val (f->failures, now);
}

static void
login (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  carnet_session_login_async (f->session, "karim.benali", "Cartable2026", NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_session_login_finish (f->session, res, &error));
  g_assert_no_error (error);
}

static void
log_out (Fixture *f)
{
  g_autoptr(GAsyncResult) res = NULL;

  carnet_session_log_out_async (f->session, CARNET_SESSION_LOGOUT_USER, NULL, carnet_test_done_cb, NULL);
  res = carnet_test_await_result ();
  g_assert_true (carnet_session_log_out_finish (f->session, res, NULL));
}

static gboolean
watch_gone (Fixture *f)
{
  return f->watch == NULL;
}

/* The watch stopped and gone: a poll cancelled under way holds it until
 * its callback has run. */
static void
watch_free (Fixture *f)
{
  if (f->watch == NULL)
    return;
  carnet_news_watch_stop (f->watch);
  g_object_add_weak_pointer (G_OBJECT (f->watch), (gpointer *) &f->watch);
  g_object_unref (f->watch);
  await (f, watch_gone, "the watch's end");
}

/* A new watch on the session, polling every 100 ms. */
static void
watch_new (Fixture    *f,
           const char *state_dir)
{
  watch_free (f);
  f->watch = carnet_news_watch_new (f->session, state_dir);
  carnet_news_watch_set_interval (f->watch, 100);
  g_signal_connect (f->watch, "new-items", G_CALLBACK (new_items_cb), f);
  g_signal_connect (f->watch, "notify::last-error", G_CALLBACK (last_error_cb), f);
}

static gboolean
has_items (Fixture *f)
{
  return carnet_news_watch_get_items (f->watch) != NULL;
}

static gboolean
has_notified (Fixture *f)
{
  return f->notified->len > 0;
}

static gboolean
polled (Fixture *f)
{
  /* The poll's answer handled, not only asked. */
  return carnet_test_ent_count_requests (f->ent, POLL_PATH) >= f->polls_until &&
         carnet_news_watch_get_last_error (f->watch) == NULL;
}

static gboolean
stopped (Fixture *f)
{
  return !carnet_news_watch_get_running (f->watch);
}

/* A notification for karim.benali published on the test ENT now. */
static char *
publish (Fixture    *f,
         const char *text)
{
  return carnet_test_ent_publish_notification (f->ent, "karim.benali", "NEWS", "NEWS-PUBLISHED",
                                               NULL, NULL, text, 0);
}

static char *
seen_file (Fixture *f)
{
  return g_build_filename (f->state_dir, "news-seen.ini", NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ent = carnet_test_ent_start ();
  f->client = carnet_test_ent_new_client (f->ent, NULL);
  f->session = carnet_session_new (f->client);
  f->state_dir = g_dir_make_tmp ("carnet-news-XXXXXX", &error);
  g_assert_no_error (error);
  f->notified = g_ptr_array_new_with_free_func (g_object_unref);
  f->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
  login (f);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  watch_free (f);
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->client);
  g_ptr_array_unref (f->notified);
  g_array_unref (f->failures);
  remove_tree (f->state_dir);
  g_free (f->state_dir);
  carnet_test_ent_stop (f->ent);
}

/* The first page read notifies nothing (the first login ever: what the ENT
 * already had is not news); what is published after it is notified once,
 * with its text; the account's line is on disk. */
static void
test_first_quiet_then_new (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = seen_file (f);
  g_autofree char *contents = NULL;
  CarnetEntNotification *item;

  watch_new (f, f->state_dir);
  carnet_news_watch_start (f->watch);
  g_assert_true (carnet_news_watch_get_running (f->watch));
  await (f, has_items, "the first page");
  /* The seed has notifications for karim.benali: none is news. */
  g_assert_cmpuint (carnet_news_watch_get_items (f->watch)->len, >, 0);
  g_assert_cmpuint (f->emissions, ==, 0);

  id = publish (f, "La sortie au musée est <b>reportée</b> à jeudi &amp; vendredi.");
  await (f, has_notified, "the new item");
  g_assert_cmpuint (f->notified->len, ==, 1);
  item = g_ptr_array_index (f->notified, 0);
  g_assert_cmpstr (carnet_ent_notification_get_id (item), ==, id);
  g_assert_cmpstr (carnet_ent_notification_get_text (item), ==,
                   "La sortie au musée est reportée à jeudi & vendredi.");

  /* Polled again (several times): notified once only. */
  f->polls_until = carnet_test_ent_count_requests (f->ent, POLL_PATH) + 3;
  await (f, polled, "three more polls");
  g_assert_cmpuint (f->emissions, ==, 1);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "karim.benali"));
  g_assert_nonnull (strstr (contents, id));
}

/* What was seen outlives the watch (a new login, another start of Carnet):
 * nothing seen is notified again, and what was published in between is. */
static void
test_remembered (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *away = NULL;

  watch_new (f, f->state_dir);
  carnet_news_watch_start (f->watch);
  await (f, has_items, "the first page");
  first = publish (f, "Réunion parents-professeurs mardi.");
  await (f, has_notified, "the new item");
  carnet_news_watch_stop (f->watch);

  /* Published while nobody watched. */
  away = publish (f, "Le conseil de classe aura lieu le 12.");
  g_ptr_array_set_size (f->notified, 0);
  watch_new (f, f->state_dir);
  carnet_news_watch_start (f->watch);
  /* (The test ENT shows an item once its clock is past its date.) */
  await (f, has_notified, "the item published while away");
  f->polls_until = carnet_test_ent_count_requests (f->ent, POLL_PATH) + 3;
  await (f, polled, "three more polls");
  g_assert_cmpuint (f->notified->len, ==, 1);
  g_assert_cmpstr (carnet_ent_notification_get_id (g_ptr_array_index (f->notified, 0)), ==, away);
}

/* Without a state folder (a shared machine): nothing written, and the next
 * watch knows nothing: its first page is quiet again. */
static void
test_memory_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = seen_file (f);
  g_autofree char *id = NULL;
  g_autofree char *away = NULL;

  watch_new (f, NULL);
  carnet_news_watch_start (f->watch);
  await (f, has_items, "the first page");
  id = publish (f, "Cantine : menu de la semaine.");
  await (f, has_notified, "the new item");
  g_assert_cmpstr (carnet_ent_notification_get_id (g_ptr_array_index (f->notified, 0)), ==, id);

  away = publish (f, "Photo de classe vendredi.");
  /* In the past on the ENT's clock: on the next watch's first page. */
  carnet_test_ent_advance_clock (f->ent, 2);
  g_ptr_array_set_size (f->notified, 0);
  watch_new (f, NULL);
  carnet_news_watch_start (f->watch);
  await (f, has_items, "the first page again");
  g_assert_cmpstr (carnet_ent_notification_get_id (g_ptr_array_index (carnet_news_watch_get_items (f->watch), 0)),
                   ==, away);
  g_assert_cmpuint (f->notified->len, ==, 0);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static gboolean
six_failures (Fixture *f)
{
  return f->failures->len >= 6;
}

static gboolean
recovered (Fixture *f)
{
  return carnet_news_watch_get_last_error (f->watch) == NULL && has_items (f);
}

/* Failures: each wait twice the last, up to the cap; the watch keeps
 * running; a success goes back to the interval. */
static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  gint64 *at;
  gint64 total;

  carnet_test_ent_set_fault (f->ent, POLL_PATH, "500", 0, -1);
  watch_new (f, f->state_dir);
  carnet_news_watch_set_interval (f->watch, 50);
  carnet_news_watch_set_max_interval (f->watch, 200);
  carnet_news_watch_start (f->watch);
  await (f, six_failures, "six failed polls");
  g_assert_true (carnet_news_watch_get_running (f->watch));
  g_assert_error ((GError *) carnet_news_watch_get_last_error (f->watch),
                  CARNET_ENT_ERROR, CARNET_ENT_ERROR_SERVER);

  /* Timers never fire early: 50, 100, 200 and the cap (200), at least. */
  at = (gint64 *) f->failures->data;
  g_assert_cmpint (at[1] - at[0], >=, 50 * 1000);
  g_assert_cmpint (at[2] - at[1], >=, 100 * 1000);
  g_assert_cmpint (at[3] - at[2], >=, 200 * 1000);
  g_assert_cmpint (at[4] - at[3], >=, 200 * 1000);
  /* Capped: uncapped, the last two waits alone would take 400 + 800 ms. */
  total = at[5] - at[3];
  g_assert_cmpint (total, <, 1200 * 1000);
  g_assert_null (carnet_news_watch_get_items (f->watch));

  carnet_test_ent_clear_faults (f->ent);
  await (f, recovered, "a poll that works again");
  g_assert_cmpuint (f->emissions, ==, 0);
}

/* The session expiring while polling: the watch stops with the error and
 * polls no more; nothing is notified. */
static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = NULL;
  guint polls;

  watch_new (f, f->state_dir);
  carnet_news_watch_start (f->watch);
  await (f, has_items, "the first page");

  carnet_test_ent_expire_sessions (f->ent);
  id = publish (f, "Sortie scolaire annulée.");
  await (f, stopped, "the watch to stop");
  g_assert_error ((GError *) carnet_news_watch_get_last_error (f->watch),
                  CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED);

  polls = carnet_test_ent_count_requests (f->ent, POLL_PATH);
  run_for (500);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, POLL_PATH), ==, polls);
  g_assert_cmpuint (f->emissions, ==, 0);
}

/* Logging out stops the watch; a logged-out session does not start it. */
static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  guint polls;

  watch_new (f, f->state_dir);
  carnet_news_watch_start (f->watch);
  await (f, has_items, "the first page");

  log_out (f);
  g_assert_false (carnet_news_watch_get_running (f->watch));
  polls = carnet_test_ent_count_requests (f->ent, POLL_PATH);
  carnet_news_watch_start (f->watch);
  g_assert_false (carnet_news_watch_get_running (f->watch));
  run_for (500);
  g_assert_cmpuint (carnet_test_ent_count_requests (f->ent, POLL_PATH), ==, polls);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/news-watch/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("first-quiet-then-new", test_first_quiet_then_new);
  ADD ("remembered", test_remembered);
  ADD ("memory-only", test_memory_only);
  ADD ("backoff", test_backoff);
  ADD ("expired", test_expired);
  ADD ("logout", test_logout);
#undef ADD

  return g_test_run ();
}
