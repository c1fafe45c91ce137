/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-news-group.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-ui-private.h"

/* What the ENT gives a page of (lastNotifications' 25): a shorter page is
 * the last one. */
#define PAGE_SIZE 25

struct _CarnetNewsGroup
{
  GtkWidget          parent_instance;

  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  GtkScrolledWindow *scroll;
  GtkBox            *flash_box;
  AdwStatusPage     *empty_page;
  GtkListBox        *list_box;
  GtkStack          *more_stack;
  GtkSpinner        *more_spinner;
  GtkLabel          *more_error_label;

  CarnetEntClient   *client;
  CarnetNewsWatch   *watch;
  GCancellable      *cancellable;        /* the labels and a page */
  GCancellable      *flash_cancellable;  /* the flash messages, and marking them read */
  GHashTable        *labels;             /* the ENT's i18n: the types' names */
  GHashTable        *shown;              /* ids of the rows */
  guint              next_page;
};

G_DEFINE_FINAL_TYPE (CarnetNewsGroup, carnet_news_group, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void load_page (CarnetNewsGroup *self);

static void
add_toast (CarnetNewsGroup *self,
           const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* --- When ------------------------------------------------------------------------ */

char *
carnet_news_group_format_date (GDateTime *date,
                               GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) day = NULL;
  GTimeSpan ago;
  GTimeSpan days;

  g_return_val_if_fail (date != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local = g_date_time_to_local (date);
  local_now = g_date_time_to_local (now);
  ago = g_date_time_difference (local_now, local);

  /* A clock a little ahead of ours is « now » too. */
  if (ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  if (ago < G_TIME_SPAN_HOUR)
    {
      guint minutes = ago / G_TIME_SPAN_MINUTE;

      /* Translators: how long ago a news item was published. */
      return g_strdup_printf (ngettext ("%u minute ago", "%u minutes ago", minutes), minutes);
    }

  today = g_date_time_new_local (g_date_time_get_year (local_now),
                                 g_date_time_get_month (local_now),
                                 g_date_time_get_day_of_month (local_now), 0, 0, 0);
  day = g_date_time_new_local (g_date_time_get_year (local),
                               g_date_time_get_month (local),
                               g_date_time_get_day_of_month (local), 0, 0, 0);
  /* Whole days between the two midnights (a day of 23 or 25 hours rounds). */
  days = (g_date_time_difference (today, day) + G_TIME_SPAN_HOUR * 12) / G_TIME_SPAN_DAY;

  if (days <= 0)
    {
      guint hours = ago / G_TIME_SPAN_HOUR;

      return g_strdup_printf (ngettext ("%u hour ago", "%u hours ago", hours), hours);
    }
  if (days == 1)
    /* Translators: a g_date_time_format() format: « hier à 18:30 ». */
    return g_date_time_format (local, _("yesterday at %H:%M"));
  if (days < 7)
    /* Translators: a g_date_time_format() format, within the last week:
     * « mardi à 08:15 ». */
    return g_date_time_format (local, _("%A at %H:%M"));
  if (g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a g_date_time_format() format, this year: « 3 novembre ». */
    return g_date_time_format (local, _("%B %-d"));
  /* Translators: a g_date_time_format() format, another year:
   * « 3 novembre 2025 ». */
  return g_date_time_format (local, _("%B %-d, %Y"));
}

/* --- The rows -------------------------------------------------------------------- */

static void
open_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *link = g_object_get_data (G_OBJECT (button), "carnet-link");

  carnet_ui_show_uri (GTK_WIDGET (button), link);
}

static GtkWidget *
new_label (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* The ENT's text: never markup. */
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);

  return label;
}

static const char *
type_label (CarnetNewsGroup        *self,
            CarnetEntNotification  *item)
{
  const char *kind = carnet_ent_notification_get_kind (item);
  const char *label;

  if (self->labels == NULL)
    return NULL;

  /* Not every type has a name at the ENT (entcore has none for
   * WORKSPACE): then the event's (« Partage d'un fichier »), else none
   * rather than the ENT's code. */
  label = carnet_ent_timeline_i18n_lookup_type (self->labels, kind);
  if (label == NULL)
    label = carnet_ent_timeline_i18n_lookup_event (self->labels, kind,
                                                   carnet_ent_notification_get_event_type (item));

  return label;
}

static GtkWidget *
new_row (CarnetNewsGroup       *self,
         CarnetEntNotification *item,
         GDateTime             *now)
{
  const char *label = type_label (self, item);
  const char *sender = carnet_ent_notification_get_sender_name (item);
  const char *text = carnet_ent_notification_get_text (item);
  const char *link = carnet_ent_notification_get_link (item);
  GDateTime *date = carnet_ent_notification_get_date (item);
  g_autofree char *when = date != NULL ? carnet_news_group_format_date (date, now) : NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *widget;

  if (sender == NULL || *sender == '\0')
    sender = _("The ENT");
  if (text == NULL)
    text = "";

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  widget = new_label (sender, "heading");
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (top), widget);
  if (when != NULL)
    {
      widget = new_label (when, "dim-label");
      gtk_widget_add_css_class (widget, "caption");
      gtk_label_set_wrap (GTK_LABEL (widget), FALSE);
      gtk_widget_set_valign (widget, GTK_ALIGN_BASELINE);
      gtk_box_append (GTK_BOX (top), widget);
    }
  gtk_box_append (GTK_BOX (box), top);

  if (label != NULL && *label != '\0')
    {
      widget = new_label (label, "caption-heading");
      gtk_widget_add_css_class (widget, "accent");
      gtk_box_append (GTK_BOX (box), widget);
    }

  gtk_box_append (GTK_BOX (box), new_label (text, NULL));

  if (link != NULL)
    {
      g_autofree char *name = NULL;

      widget = gtk_button_new_with_mnemonic (_("_Open"));
      gtk_widget_set_halign (widget, GTK_ALIGN_END);
      g_object_set_data_full (G_OBJECT (widget), "carnet-link", g_strdup (link), g_free);
      g_signal_connect (widget, "clicked", G_CALLBACK (open_clicked_cb), NULL);
      /* Translators: the accessible name of « Ouvrir » on a news item;
       * %s is who published it. */
      name = g_strdup_printf (_("Open the news from %s in the browser"), sender);
      gtk_widget_set_tooltip_text (widget, _("Open in the browser"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      gtk_box_append (GTK_BOX (box), widget);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Translators: a news item's accessible name: "<sender>, <when>: <text>". */
  accessible = g_strdup_printf (_("%s, %s: %s"), sender, when ? when : "", text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  return row;
}

/* Adds the items not shown yet, from @position (-1: at the end), in their
 * order. Returns how many. */
static guint
add_items (CarnetNewsGroup *self,
           GPtrArray       *items,
           int              position)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint added = 0;

  for (guint i = 0; i < items->len; i++)
    {
      CarnetEntNotification *item = g_ptr_array_index (items, i);
      const char *id = carnet_ent_notification_get_id (item);

      if (id == NULL || g_hash_table_contains (self->shown, id))
        continue;

      g_hash_table_add (self->shown, g_strdup (id));
      gtk_list_box_insert (self->list_box, new_row (self, item, now),
                           position < 0 ? -1 : position + (int) added);
      added++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->list_box), g_hash_table_size (self->shown) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), g_hash_table_size (self->shown) == 0);

  return added;
}

static void
clear_rows (CarnetNewsGroup *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_hash_table_remove_all (self->shown);
  gtk_widget_set_visible (GTK_WIDGET (self->list_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->more_stack), FALSE);
}

/* --- Flash messages --------------------------------------------------------------- */

static void
clear_flash_messages (CarnetNewsGroup *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flash_box))) != NULL)
    gtk_box_remove (self->flash_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->flash_box), FALSE);
}

typedef struct
{
  CarnetNewsGroup *self;
  GtkWidget       *banner;
} MarkRead;

static void
mark_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MarkRead *data = user_data;
  g_autoptr(CarnetNewsGroup) self = data->self;
  g_autoptr(GtkWidget) banner = data->banner;
  g_autoptr(GError) error = NULL;

  g_free (data);

  if (!carnet_ent_client_mark_flash_message_read_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("The flash message was not marked read: %s", error->message);
      gtk_widget_set_sensitive (banner, TRUE);
      add_toast (self, error->message);
      g_signal_emit (self, signals [FAILED], 0, error);
      return;
    }

  if (gtk_widget_get_parent (banner) == GTK_WIDGET (self->flash_box))
    gtk_box_remove (self->flash_box, banner);
  gtk_widget_set_visible (GTK_WIDGET (self->flash_box),
                          gtk_widget_get_first_child (GTK_WIDGET (self->flash_box)) != NULL);
}

static void
flash_close_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  CarnetNewsGroup *self = CARNET_NEWS_GROUP (user_data);
  GtkWidget *banner = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_BOX);
  const char *id = g_object_get_data (G_OBJECT (banner), "carnet-flash-id");
  MarkRead *data;

  if (self->client == NULL || self->flash_cancellable == NULL)
    return;

  gtk_widget_set_sensitive (banner, FALSE);
  data = g_new0 (MarkRead, 1);
  data->self = g_object_ref (self);
  data->banner = g_object_ref (banner);
  carnet_ent_client_mark_flash_message_read_async (self->client, id, self->flash_cancellable,
                                                   mark_read_cb, data);
}

static GtkWidget *
new_banner (CarnetNewsGroup    *self,
            CarnetEntFlashMessage *message)
{
  const char *title = carnet_ent_flash_message_get_title (message);
  const char *contents = carnet_ent_flash_message_get_text (message);
  g_autofree char *name = NULL;
  GtkWidget *banner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
  GtkWidget *close;

  if (title == NULL || *title == '\0')
    title = _("Message from the ENT");

  gtk_widget_add_css_class (banner, "card");
  gtk_widget_add_css_class (banner, "carnet-flash-message");
  g_object_set_data_full (G_OBJECT (banner), "carnet-flash-id",
                          g_strdup (carnet_ent_flash_message_get_id (message)), g_free);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 14);
  gtk_widget_set_margin_start (icon, 12);
  gtk_widget_add_css_class (icon, "accent");
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (banner), icon);

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_margin_top (texts, 12);
  gtk_widget_set_margin_bottom (texts, 12);
  gtk_box_append (GTK_BOX (texts), new_label (title, "heading"));
  if (contents != NULL && *contents != '\0')
    gtk_box_append (GTK_BOX (texts), new_label (contents, NULL));
  gtk_box_append (GTK_BOX (banner), texts);

  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (close, GTK_ALIGN_START);
  gtk_widget_set_margin_top (close, 6);
  gtk_widget_set_margin_end (close, 6);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_set_tooltip_text (close, _("Mark as read"));
  /* Translators: the accessible name of a flash message's close button
   * (the ENT is told it was read); %s is the message's title. */
  name = g_strdup_printf (_("Mark the message “%s” as read"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (close),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_signal_connect_object (close, "clicked", G_CALLBACK (flash_close_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (banner), close);

  return banner;
}

static void
get_flash_messages_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CarnetNewsGroup) self = user_data;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  messages = carnet_ent_client_get_flash_messages_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The news say it when the session expired: a missing banner only waits
   * for the next load. */
  if (messages == NULL)
    {
      g_debug ("No flash messages from the ENT: %s", error->message);
      return;
    }

  clear_flash_messages (self);
  for (guint i = 0; i < messages->len; i++)
    gtk_box_append (self->flash_box, new_banner (self, g_ptr_array_index (messages, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->flash_box), messages->len > 0);
}

/* --- Loading --------------------------------------------------------------------- */

static void
show_failed (CarnetNewsGroup *self,
             const char      *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  gtk_spinner_set_spinning (self->spinner, FALSE);
  /* The description is always markup; the message may quote the ENT. */
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
get_page_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CarnetNewsGroup) self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  gboolean first = self->next_page == 0;

  items = carnet_ent_client_get_notifications_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_spinner_set_spinning (self->more_spinner, FALSE);

  if (items == NULL)
    {
      g_debug ("No news from the ENT (page %u): %s", self->next_page, error->message);
      if (first)
        show_failed (self, error->message);
      else
        {
          gtk_label_set_text (self->more_error_label, error->message);
          gtk_stack_set_visible_child_name (self->more_stack, "error");
        }
      /* A step first, or the password again: the page's to decide. */
      g_signal_emit (self, signals [FAILED], 0, error);
      return;
    }

  add_items (self, items, -1);
  self->next_page++;
  gtk_stack_set_visible_child_name (self->more_stack, "button");
  gtk_widget_set_visible (GTK_WIDGET (self->more_stack), items->len >= PAGE_SIZE);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
load_page (CarnetNewsGroup *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  self->cancellable = g_cancellable_new ();
  carnet_ent_client_get_notifications_async (self->client, self->next_page, NULL,
                                             self->cancellable,
                                             get_page_cb, g_object_ref (self));
}

static void
get_labels_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CarnetNewsGroup) self = user_data;
  g_autoptr(GHashTable) labels = NULL;
  g_autoptr(GError) error = NULL;

  labels = carnet_ent_client_get_timeline_i18n_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (labels == NULL)
    {
      g_clear_object (&self->cancellable);
      g_debug ("No names for the news' types: %s", error->message);
      show_failed (self, error->message);
      g_signal_emit (self, signals [FAILED], 0, error);
      return;
    }

  g_clear_pointer (&self->labels, g_hash_table_unref);
  self->labels = g_steal_pointer (&labels);
  load_page (self);
}

static void
load (CarnetNewsGroup *self)
{
  if (self->client == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->flash_cancellable != NULL)
    g_cancellable_cancel (self->flash_cancellable);
  g_clear_object (&self->flash_cancellable);

  clear_rows (self);
  self->next_page = 0;
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);

  self->flash_cancellable = g_cancellable_new ();
  carnet_ent_client_get_flash_messages_async (self->client, self->flash_cancellable,
                                              get_flash_messages_cb, g_object_ref (self));

  /* The types' names once per client: they do not change in a session. */
  if (self->labels != NULL)
    {
      load_page (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  carnet_ent_client_get_timeline_i18n_async (self->client, self->cancellable,
                                             get_labels_cb, g_object_ref (self));
}

static void
more_clicked_cb (CarnetNewsGroup *self)
{
  if (self->client == NULL || self->cancellable != NULL)
    return;

  gtk_stack_set_visible_child_name (self->more_stack, "loading");
  gtk_spinner_set_spinning (self->more_spinner, TRUE);
  load_page (self);
}

static void
cancel_clicked_cb (CarnetNewsGroup *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_failed (self, _("Loading was cancelled."));
}

static void
retry_clicked_cb (CarnetNewsGroup *self)
{
  load (self);
}

/* --- The watch ------------------------------------------------------------------- */

static void
new_items_cb (CarnetNewsGroup *self,
              GPtrArray       *items)
{
  /* Loading, or failed: the next page 0 brings them. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") != 0)
    return;

  add_items (self, items, 0);
}

void
carnet_news_group_set_watch (CarnetNewsGroup *self,
                             CarnetNewsWatch *watch)
{
  g_return_if_fail (CARNET_IS_NEWS_GROUP (self));
  g_return_if_fail (!watch || CARNET_IS_NEWS_WATCH (watch));

  if (self->watch == watch)
    return;

  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_set_object (&self->watch, watch);
  if (watch != NULL)
    g_signal_connect_swapped (watch, "new-items", G_CALLBACK (new_items_cb), self);
}

/* --- Public ---------------------------------------------------------------------- */

void
carnet_news_group_load (CarnetNewsGroup *self,
                        CarnetEntClient *client)
{
  g_return_if_fail (CARNET_IS_NEWS_GROUP (self));
  g_return_if_fail (CARNET_IS_ENT_CLIENT (client));

  if (self->client != client)
    g_clear_pointer (&self->labels, g_hash_table_unref);
  g_set_object (&self->client, client);
  load (self);
}

void
carnet_news_group_clear (CarnetNewsGroup *self)
{
  g_return_if_fail (CARNET_IS_NEWS_GROUP (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->flash_cancellable != NULL)
    g_cancellable_cancel (self->flash_cancellable);
  g_clear_object (&self->flash_cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_spinner_set_spinning (self->more_spinner, FALSE);
  carnet_news_group_set_watch (self, NULL);
  clear_rows (self);
  clear_flash_messages (self);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_object (&self->client);
  self->next_page = 0;
  /* Another parent (or the same, later) starts at the top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroll), 0);
}

static void
carnet_news_group_dispose (GObject *object)
{
  CarnetNewsGroup *self = CARNET_NEWS_GROUP (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->flash_cancellable != NULL)
    g_cancellable_cancel (self->flash_cancellable);
  g_clear_object (&self->flash_cancellable);
  if (self->watch != NULL)
    g_signal_handlers_disconnect_by_data (self->watch, self);
  g_clear_object (&self->watch);
  g_clear_object (&self->client);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_hash_table_unref);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_NEWS_GROUP);

  G_OBJECT_CLASS (carnet_news_group_parent_class)->dispose (object);
}

static void
carnet_news_group_class_init (CarnetNewsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_news_group_dispose;

  signals [FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-news-group.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetNewsGroup, name)
  BIND (stack);
  BIND (spinner);
  BIND (error_page);
  BIND (scroll);
  BIND (flash_box);
  BIND (empty_page);
  BIND (list_box);
  BIND (more_stack);
  BIND (more_spinner);
  BIND (more_error_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, more_clicked_cb);
}

static void
carnet_news_group_init (CarnetNewsGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
