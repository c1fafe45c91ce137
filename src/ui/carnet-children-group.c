/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-children-group.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-ui-private.h"

struct _CarnetChildrenGroup
{
  GtkWidget          parent_instance;

  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  GtkScrolledWindow *scroll;
  GtkBox            *box;

  CarnetEntClient   *client;
  CarnetEntUser     *user;
  GCancellable      *cancellable;
  GPtrArray         *school_groups;
};

G_DEFINE_FINAL_TYPE (CarnetChildrenGroup, carnet_children_group, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
clear_rows (CarnetChildrenGroup *self)
{
  for (guint i = 0; i < self->school_groups->len; i++)
    gtk_box_remove (self->box, g_ptr_array_index (self->school_groups, i));
  g_ptr_array_set_size (self->school_groups, 0);
}

static void
show_children (CarnetChildrenGroup *self,
               GPtrArray           *children)
{
  /* By the school's name as the ENT gives it (the titles are escaped). */
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  clear_rows (self);

  if (children->len == 0)
    {
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("The ENT links no child to this account."));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      gtk_box_append (self->box, group);
      g_ptr_array_add (self->school_groups, group);
    }

  for (guint i = 0; i < children->len; i++)
    {
      CarnetEntChild *child = g_ptr_array_index (children, i);
      const char *school = carnet_ent_child_get_school_name (child);
      const char * const *classes = carnet_ent_child_get_classes (child);
      const char *first = carnet_ent_child_get_first_name (child);
      const char *last = carnet_ent_child_get_last_name (child);
      g_autofree char *name = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *label = NULL;
      GtkWidget *group;
      GtkWidget *row;

      if (school == NULL || *school == '\0')
        school = _("Other school");

      group = g_hash_table_lookup (groups, school);
      if (group == NULL)
        {
          /* A group's title is always Pango markup (libadwaita 1.2): a
           * school « Saint-Joseph & Sainte-Marie » would show no title. */
          g_autofree char *escaped = g_markup_escape_text (school, -1);

          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped);
          gtk_box_append (self->box, group);
          g_ptr_array_add (self->school_groups, group);
          g_hash_table_insert (groups, g_strdup (school), group);
        }

      if (first != NULL && *first != '\0')
        name = g_strdup_printf ("%s %s", first, last ? last : "");
      else
        name = g_strdup (carnet_ent_child_get_display_name (child));
      g_strstrip (name);

      if (classes != NULL && classes[0] != NULL)
        subtitle = g_strjoinv (", ", (char **) classes);

      row = adw_action_row_new ();
      /* Names and classes are the ENT's text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "avatar-default-symbolic");
      if (subtitle != NULL)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          /* Translators: an accessible name, "<child>, <classes>, <school>". */
          label = g_strdup_printf (_("%s, %s, %s"), name, subtitle, school);
        }
      else
        label = g_strdup_printf (_("%s, %s"), name, school);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
show_failed (CarnetChildrenGroup *self,
             const char          *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  gtk_spinner_set_spinning (self->spinner, FALSE);
  /* The description is always markup; the message may quote the ENT. */
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
get_children_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetChildrenGroup) self = user_data;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GError) error = NULL;

  children = carnet_ent_client_get_children_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (children == NULL)
    {
      g_debug ("No children from the ENT: %s", error->message);
      show_failed (self, error->message);
      /* A step first, or the password again: the page's to decide. */
      g_signal_emit (self, signals [FAILED], 0, error);
      return;
    }

  show_children (self, children);
}

static void
load (CarnetChildrenGroup *self)
{
  if (self->client == NULL || self->user == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  carnet_ent_client_get_children_async (self->client, self->user,
                                        self->cancellable,
                                        get_children_cb, g_object_ref (self));
}

static void
cancel_clicked_cb (CarnetChildrenGroup *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_failed (self, _("Loading was cancelled."));
}

static void
retry_clicked_cb (CarnetChildrenGroup *self)
{
  load (self);
}

void
carnet_children_group_load (CarnetChildrenGroup *self,
                            CarnetEntClient     *client,
                            CarnetEntUser       *user)
{
  g_return_if_fail (CARNET_IS_CHILDREN_GROUP (self));
  g_return_if_fail (CARNET_IS_ENT_CLIENT (client));
  g_return_if_fail (CARNET_IS_ENT_USER (user));

  g_set_object (&self->client, client);
  g_set_object (&self->user, user);
  load (self);
}

void
carnet_children_group_clear (CarnetChildrenGroup *self)
{
  g_return_if_fail (CARNET_IS_CHILDREN_GROUP (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  clear_rows (self);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  /* Another parent (or the same, later) starts at the top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroll), 0);
}

static void
carnet_children_group_dispose (GObject *object)
{
  CarnetChildrenGroup *self = CARNET_CHILDREN_GROUP (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_pointer (&self->school_groups, g_ptr_array_unref);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_CHILDREN_GROUP);

  G_OBJECT_CLASS (carnet_children_group_parent_class)->dispose (object);
}

static void
carnet_children_group_class_init (CarnetChildrenGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_children_group_dispose;

  signals [FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-children-group.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetChildrenGroup, stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetChildrenGroup, spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetChildrenGroup, error_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetChildrenGroup, scroll);
  gtk_widget_class_bind_template_child (widget_class, CarnetChildrenGroup, box);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
carnet_children_group_init (CarnetChildrenGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->school_groups = g_ptr_array_new ();
}
