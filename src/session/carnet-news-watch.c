/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-session"

#include "config.h"

#include "carnet-news-watch.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "carnet-ent-client.h"
#include "carnet-ent-error.h"

#define DEFAULT_INTERVAL_MS      (5 * 60 * 1000)
#define DEFAULT_MAX_INTERVAL_MS  (60 * 60 * 1000)
#define MIN_INTERVAL_MS          10
#define SEEN_FILE                "news-seen.ini"

struct _CarnetNewsWatch
{
  GObject parent_instance;

  CarnetSession *session;
  char          *state_dir;
  guint          interval_ms;
  guint          max_interval_ms;

  /* The account (host and login) watched: fixed at the first poll. */
  char          *account;
  /* What was seen: whether anything is known of the account (a page was
   * read, now or before), the newest date (unix seconds) and the ids of the
   * last page read. */
  gboolean       seen_loaded;
  gboolean       seen_known;
  gint64         seen_newest;
  GHashTable    *seen_ids;

  GPtrArray     *items;
  GError        *last_error;
  guint          failures;
  guint          timeout_id;
  GCancellable  *cancellable;   /* the poll under way, or NULL */
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (CarnetNewsWatch, carnet_news_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STATE_DIR,
  PROP_INTERVAL,
  PROP_MAX_INTERVAL,
  PROP_RUNNING,
  PROP_ITEMS,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NEW_ITEMS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void poll_start (CarnetNewsWatch *self);

/* --- What was seen --------------------------------------------------------------------- */

static char *
seen_path (CarnetNewsWatch *self)
{
  return g_build_filename (self->state_dir, SEEN_FILE, NULL);
}

static void
seen_load (CarnetNewsWatch *self)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;

  if (self->seen_loaded)
    return;
  self->seen_loaded = TRUE;
  self->seen_known = FALSE;
  self->seen_newest = 0;
  g_hash_table_remove_all (self->seen_ids);

  /* A shared machine: memory only, every login starts from nothing. */
  if (self->state_dir == NULL)
    return;

  path = seen_path (self);
  file = g_key_file_new ();
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("The news seen could not be read: %s", error->message);
      return;
    }

  if (!g_key_file_has_group (file, self->account))
    return;
  self->seen_known = TRUE;
  self->seen_newest = g_key_file_get_int64 (file, self->account, "newest", NULL);
  ids = g_key_file_get_string_list (file, self->account, "ids", NULL, NULL);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_hash_table_add (self->seen_ids, g_strdup (ids[i]));
}

static void
seen_save (CarnetNewsWatch *self)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer id;

  if (self->state_dir == NULL)
    return;

  path = seen_path (self);
  file = g_key_file_new ();
  /* The other accounts' lines stay. */
  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);

  ids = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->seen_ids);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, id);
  g_key_file_set_int64 (file, self->account, "newest", self->seen_newest);
  g_key_file_set_string_list (file, self->account, "ids",
                              (const char * const *) ids->pdata, ids->len);

  if (g_mkdir_with_parents (self->state_dir, 0700) != 0)
    {
      g_debug ("The news seen could not be kept: %s", g_strerror (errno));
      return;
    }
  if (!g_key_file_save_to_file (file, path, &error))
    g_debug ("The news seen could not be kept: %s", error->message);
}

/* The items of @page not seen before, newest first (the page's order), and
 * @page remembered as seen. */
static GPtrArray *
seen_update (CarnetNewsWatch *self,
             GPtrArray       *page)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean first = !self->seen_known;
  gint64 newest = self->seen_newest;

  for (guint i = 0; i < page->len; i++)
    {
      CarnetEntNotification *item = g_ptr_array_index (page, i);
      const char *id = carnet_ent_notification_get_id (item);
      GDateTime *date = carnet_ent_notification_get_date (item);
      gint64 when = date != NULL ? g_date_time_to_unix (date) : 0;

      /* Older than what was seen: an item deleted on the ENT let an older
       * one slide into the first page; it is not news. */
      if (!first && id != NULL && !g_hash_table_contains (self->seen_ids, id) &&
          when >= self->seen_newest)
        g_ptr_array_add (fresh, g_object_ref (item));
      newest = MAX (newest, when);
    }

  /* The last page is what is remembered: an id seen is an id of it, and
   * an item older than its newest is not news anyway. */
  g_hash_table_remove_all (self->seen_ids);
  for (guint i = 0; i < page->len; i++)
    {
      const char *id = carnet_ent_notification_get_id (g_ptr_array_index (page, i));

      if (id != NULL)
        g_hash_table_add (self->seen_ids, g_strdup (id));
    }
  self->seen_newest = newest;
  self->seen_known = TRUE;
  seen_save (self);

  return g_steal_pointer (&fresh);
}

/* --- Polling ------------------------------------------------------------------------------- */

static guint
next_delay (CarnetNewsWatch *self)
{
  guint64 delay = self->interval_ms;

  for (guint i = 0; i < self->failures && delay < self->max_interval_ms; i++)
    delay *= 2;

  return (guint) MIN (delay, (guint64) MAX (self->max_interval_ms, self->interval_ms));
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  CarnetNewsWatch *self = CARNET_NEWS_WATCH (user_data);

  self->timeout_id = 0;
  poll_start (self);

  return G_SOURCE_REMOVE;
}

static void
schedule (CarnetNewsWatch *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->running)
    self->timeout_id = g_timeout_add (next_delay (self), poll_timeout_cb, self);
}

static void
set_running (CarnetNewsWatch *self,
             gboolean         running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_last_error (CarnetNewsWatch *self,
                const GError    *error)
{
  if (self->last_error == NULL && error == NULL)
    return;
  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CarnetNewsWatch) self = CARNET_NEWS_WATCH (user_data);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;

  page = carnet_ent_client_get_notifications_finish (CARNET_ENT_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (page == NULL)
    {
      g_debug ("Polling the news failed: %s", error->message);
      set_last_error (self, error);
      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_SESSION_EXPIRED))
        {
          carnet_news_watch_stop (self);
          return;
        }
      self->failures++;
      schedule (self);
      return;
    }

  self->failures = 0;
  set_last_error (self, NULL);
  fresh = seen_update (self, page);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_ptr_array_ref (page);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);

  schedule (self);

  if (fresh->len > 0)
    g_signal_emit (self, signals[NEW_ITEMS], 0, fresh);
}

static void
poll_start (CarnetNewsWatch *self)
{
  const char *login = carnet_session_get_login (self->session);
  CarnetEntClient *client = carnet_session_get_client (self->session);
  g_autofree char *account = NULL;

  if (self->cancellable != NULL || login == NULL)
    return;

  /* One account per watch: the seen items of this one. */
  account = g_strdup_printf ("%s %s", carnet_ent_client_get_host (client), login);
  if (g_strcmp0 (account, self->account) != 0)
    {
      g_free (self->account);
      self->account = g_steal_pointer (&account);
      self->seen_loaded = FALSE;
    }
  seen_load (self);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->cancellable = g_cancellable_new ();
  carnet_ent_client_get_notifications_async (client, 0, NULL, self->cancellable,
                                             poll_cb, g_object_ref (self));
}

static void
logged_out_cb (CarnetNewsWatch           *self,
               CarnetSessionLogoutReason  reason,
               CarnetSession             *session)
{
  carnet_news_watch_stop (self);
}

/* --- Public ---------------------------------------------------------------------------------- */

CarnetNewsWatch *
carnet_news_watch_new (CarnetSession *session,
                       const char    *state_dir)
{
  g_return_val_if_fail (CARNET_IS_SESSION (session), NULL);

  return g_object_new (CARNET_TYPE_NEWS_WATCH,
                       "session", session,
                       "state-dir", state_dir,
                       NULL);
}

void
carnet_news_watch_start (CarnetNewsWatch *self)
{
  g_return_if_fail (CARNET_IS_NEWS_WATCH (self));

  if (self->running || !carnet_session_get_logged_in (self->session) ||
      carnet_session_get_login (self->session) == NULL)
    return;

  self->failures = 0;
  set_running (self, TRUE);
  poll_start (self);
}

void
carnet_news_watch_stop (CarnetNewsWatch *self)
{
  g_return_if_fail (CARNET_IS_NEWS_WATCH (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
}

gboolean
carnet_news_watch_get_running (CarnetNewsWatch *self)
{
  g_return_val_if_fail (CARNET_IS_NEWS_WATCH (self), FALSE);

  return self->running;
}

guint
carnet_news_watch_get_interval (CarnetNewsWatch *self)
{
  g_return_val_if_fail (CARNET_IS_NEWS_WATCH (self), 0);

  return self->interval_ms;
}

void
carnet_news_watch_set_interval (CarnetNewsWatch *self,
                                guint            interval_ms)
{
  g_return_if_fail (CARNET_IS_NEWS_WATCH (self));

  interval_ms = MAX (interval_ms, MIN_INTERVAL_MS);
  if (self->interval_ms == interval_ms)
    return;
  self->interval_ms = interval_ms;
  /* The next poll follows the new pace. */
  if (self->timeout_id != 0)
    schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
carnet_news_watch_get_max_interval (CarnetNewsWatch *self)
{
  g_return_val_if_fail (CARNET_IS_NEWS_WATCH (self), 0);

  return self->max_interval_ms;
}

void
carnet_news_watch_set_max_interval (CarnetNewsWatch *self,
                                    guint            max_interval_ms)
{
  g_return_if_fail (CARNET_IS_NEWS_WATCH (self));

  max_interval_ms = MAX (max_interval_ms, MIN_INTERVAL_MS);
  if (self->max_interval_ms == max_interval_ms)
    return;
  self->max_interval_ms = max_interval_ms;
  if (self->timeout_id != 0)
    schedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INTERVAL]);
}

GPtrArray *
carnet_news_watch_get_items (CarnetNewsWatch *self)
{
  g_return_val_if_fail (CARNET_IS_NEWS_WATCH (self), NULL);

  return self->items;
}

const GError *
carnet_news_watch_get_last_error (CarnetNewsWatch *self)
{
  g_return_val_if_fail (CARNET_IS_NEWS_WATCH (self), NULL);

  return self->last_error;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
carnet_news_watch_constructed (GObject *object)
{
  CarnetNewsWatch *self = CARNET_NEWS_WATCH (object);

  G_OBJECT_CLASS (carnet_news_watch_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "logged-out", G_CALLBACK (logged_out_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
carnet_news_watch_dispose (GObject *object)
{
  CarnetNewsWatch *self = CARNET_NEWS_WATCH (object);

  carnet_news_watch_stop (self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (carnet_news_watch_parent_class)->dispose (object);
}

static void
carnet_news_watch_finalize (GObject *object)
{
  CarnetNewsWatch *self = CARNET_NEWS_WATCH (object);

  g_clear_pointer (&self->state_dir, g_free);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->seen_ids, g_hash_table_unref);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (carnet_news_watch_parent_class)->finalize (object);
}

static void
carnet_news_watch_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CarnetNewsWatch *self = CARNET_NEWS_WATCH (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_STATE_DIR:
      g_value_set_string (value, self->state_dir);
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;

    case PROP_MAX_INTERVAL:
      g_value_set_uint (value, self->max_interval_ms);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_ITEMS:
      g_value_set_boxed (value, self->items);
      break;

    case PROP_LAST_ERROR:
      g_value_set_boxed (value, self->last_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_news_watch_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CarnetNewsWatch *self = CARNET_NEWS_WATCH (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_STATE_DIR:
      self->state_dir = g_value_dup_string (value);
      break;

    case PROP_INTERVAL:
      carnet_news_watch_set_interval (self, g_value_get_uint (value));
      break;

    case PROP_MAX_INTERVAL:
      carnet_news_watch_set_max_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_news_watch_class_init (CarnetNewsWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = carnet_news_watch_constructed;
  object_class->dispose = carnet_news_watch_dispose;
  object_class->finalize = carnet_news_watch_finalize;
  object_class->get_property = carnet_news_watch_get_property;
  object_class->set_property = carnet_news_watch_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         CARNET_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_DIR] =
    g_param_spec_string ("state-dir", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       MIN_INTERVAL_MS, G_MAXUINT, DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_INTERVAL] =
    g_param_spec_uint ("max-interval", NULL, NULL,
                       MIN_INTERVAL_MS, G_MAXUINT, DEFAULT_MAX_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEMS] =
    g_param_spec_boxed ("items", NULL, NULL,
                        G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_boxed ("last-error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NEW_ITEMS] =
    g_signal_new ("new-items",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
carnet_news_watch_init (CarnetNewsWatch *self)
{
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->max_interval_ms = DEFAULT_MAX_INTERVAL_MS;
  self->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
