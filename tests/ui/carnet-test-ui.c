/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include "carnet-test-ui.h"

#include <glib/gstdio.h>

/* No AT-SPI getter exists in GTK 4.8, but the test AT context reports the
 * actual value when it differs from the one asked for. */
#define IMPOSSIBLE_LABEL "\001carnet-test-impossible-label\001"

char *
carnet_test_ui_get_accessible_label (GtkWidget *widget)
{
  char *value;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return NULL;

  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              IMPOSSIBLE_LABEL);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);

  return value;
}

gboolean
carnet_test_ui_is_showing (GtkWidget *widget)
{
  GtkWidget *w;

  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  for (w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return FALSE;

  return TRUE;
}

typedef gboolean (*Matcher) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find (GtkWidget     *root,
      Matcher        matcher,
      gconstpointer  data,
      gboolean       showing_only)
{
  GtkWidget *child;

  if (showing_only && !carnet_test_ui_is_showing (root))
    return NULL;

  if (matcher (root, data))
    return root;

  for (child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, matcher, data, showing_only);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  g_autofree char *label = NULL;

  /* A GtkLabel's accessible name is its text: not a control to find. */
  if (GTK_IS_LABEL (widget))
    return FALSE;

  label = carnet_test_ui_get_accessible_label (widget);

  return g_strcmp0 (label, data) == 0;
}

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  data)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  return g_strcmp0 (gtk_widget_get_name (widget), data) == 0 ||
         g_strcmp0 (id, data) == 0;
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), GPOINTER_TO_SIZE (data));
}

static gboolean
match_label_text (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

GtkWidget *
carnet_test_ui_find_by_label (GtkWidget  *root,
                              const char *label)
{
  return find (root, match_label, label, TRUE);
}

GtkWidget *
carnet_test_ui_find_by_name (GtkWidget  *root,
                             const char *name)
{
  return find (root, match_name, name, FALSE);
}

GtkWidget *
carnet_test_ui_find_by_type (GtkWidget *root,
                             GType      type)
{
  return find (root, match_type, GSIZE_TO_POINTER (type), TRUE);
}

GtkWidget *
carnet_test_ui_find_label_text (GtkWidget  *root,
                                const char *text)
{
  return find (root, match_label_text, text, TRUE);
}

GtkWidget *
carnet_test_ui_get_by_label (GtkWidget  *root,
                             const char *label)
{
  GtkWidget *widget = carnet_test_ui_find_by_label (root, label);

  if (widget == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("no widget showing with the accessible name “%s”", label);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
    }

  return widget;
}

static void collect (GtkWidget *widget, GPtrArray *strings);

/* What was on screen when a wait failed, to tell why. */
static void
dump_toplevels (void)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *name = g_strdup_printf ("timeout-%u", i);

      if (!gtk_widget_get_mapped (window))
        continue;

      collect (window, strings);
      for (guint j = 0; j < strings->len; j++)
        g_test_message ("on screen: “%s”", (char *) g_ptr_array_index (strings, j));
      g_free (carnet_test_ui_save_screenshot (window, name));
    }
}

void
carnet_test_ui_wait_until (CarnetTestUiCondition  condition,
                           gpointer               user_data,
                           guint                  timeout_ms,
                           const char            *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *msg = g_strdup_printf ("timed out after %u ms waiting for: %s", timeout_ms, what);

          dump_toplevels ();
          g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
          return;
        }

      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static gboolean
settle_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

void
carnet_test_ui_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, settle_done_cb, &done);
  carnet_test_ui_wait_until (is_true, &done, ms + 10000, "the main loop to settle");
}

char *
carnet_test_ui_save_screenshot (GtkWidget  *widget,
                                const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  GtkNative *native;
  const char *dir;
  int width, height;

  native = gtk_widget_get_native (widget);
  g_assert_nonnull (native);
  renderer = gtk_native_get_renderer (native);
  g_assert_nonnull (renderer);

  width = gtk_widget_get_width (GTK_WIDGET (native));
  height = gtk_widget_get_height (GTK_WIDGET (native));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  dir = g_getenv ("CARNET_SCREENSHOT_DIR");
  if (dir == NULL || *dir == '\0')
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);

  return g_steal_pointer (&path);
}

static void
add_string (GPtrArray  *strings,
            const char *text)
{
  if (text == NULL || *text == '\0')
    return;

  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), text))
      return;

  g_ptr_array_add (strings, g_strdup (text));
}

static void
collect (GtkWidget *widget,
         GPtrArray *strings)
{
  GtkWidget *child;
  g_autofree char *label = NULL;

  if (!carnet_test_ui_is_showing (widget))
    return;

  if (GTK_IS_LABEL (widget))
    add_string (strings, gtk_label_get_text (GTK_LABEL (widget)));

  label = carnet_test_ui_get_accessible_label (widget);
  add_string (strings, label);

  add_string (strings, gtk_widget_get_tooltip_text (widget));

  for (child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, strings);
}

GPtrArray *
carnet_test_ui_collect_strings (GtkWidget *root)
{
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);

  collect (root, strings);

  return strings;
}
