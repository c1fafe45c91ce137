/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"

#include "config.h"

#include "carnet-test-ui.h"
#include "carnet-credentials.h"
#include "carnet-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

/* No AT-SPI getter exists in GTK 4.8, but the test AT context reports the
 * actual value when it differs from the one asked for. */
#define IMPOSSIBLE_LABEL "\001carnet-test-impossible-label\001"

void
carnet_test_ui_init (int    *argc,
                     char ***argv)
{
  const char *localedir = g_getenv ("CARNET_LOCALEDIR");

  gtk_test_init (argc, argv, NULL);
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

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

static gboolean
match_label_prefix (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), data);
}

GtkWidget *
carnet_test_ui_find_label_prefix (GtkWidget  *root,
                                  const char *prefix)
{
  return find (root, match_label_prefix, prefix, TRUE);
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

gboolean
carnet_test_ui_poll_until (CarnetTestUiCondition  condition,
                           gpointer               user_data,
                           guint                  timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return TRUE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} WaitFor;

static gboolean
label_showing_cb (gpointer user_data)
{
  WaitFor *wait = user_data;

  return carnet_test_ui_find_label_text (wait->root, wait->text) != NULL;
}

static gboolean
control_showing_cb (gpointer user_data)
{
  WaitFor *wait = user_data;

  return carnet_test_ui_find_by_label (wait->root, wait->text) != NULL;
}

static gboolean
page_is_cb (gpointer user_data)
{
  WaitFor *wait = user_data;

  return g_str_equal (carnet_window_get_page_name (CARNET_WINDOW (wait->root)), wait->text);
}

void
carnet_test_ui_wait_for_label (GtkWidget  *root,
                               const char *text,
                               guint       timeout_ms)
{
  WaitFor wait = { root, text };
  g_autofree char *what = g_strdup_printf ("the text “%s”", text);

  carnet_test_ui_wait_until (label_showing_cb, &wait, timeout_ms, what);
}

void
carnet_test_ui_wait_for_control (GtkWidget  *root,
                                 const char *label,
                                 guint       timeout_ms)
{
  WaitFor wait = { root, label };
  g_autofree char *what = g_strdup_printf ("a control named “%s”", label);

  carnet_test_ui_wait_until (control_showing_cb, &wait, timeout_ms, what);
}

void
carnet_test_ui_wait_for_page (GtkWidget  *window,
                              const char *name,
                              guint       timeout_ms)
{
  WaitFor wait = { window, name };
  g_autofree char *what = g_strdup_printf ("the page “%s”", name);

  carnet_test_ui_wait_until (page_is_cb, &wait, timeout_ms, what);
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

guint
carnet_test_ui_timeout_ms (void)
{
  const char *value = g_getenv ("CARNET_TEST_UI_TIMEOUT_MS");
  guint64 ms;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &ms, NULL))
    return (guint) ms;

  return 30000;
}

static gboolean
label_prefix_showing_cb (gpointer user_data)
{
  WaitFor *wait = user_data;

  return carnet_test_ui_find_label_prefix (wait->root, wait->text) != NULL;
}

void
carnet_test_ui_wait_for_label_prefix (GtkWidget  *root,
                                      const char *prefix,
                                      guint       timeout_ms)
{
  WaitFor wait = { root, prefix };
  g_autofree char *what = g_strdup_printf ("a text starting with “%s”", prefix);

  carnet_test_ui_wait_until (label_prefix_showing_cb, &wait, timeout_ms, what);
}

static gboolean
control_sensitive_cb (gpointer user_data)
{
  WaitFor *wait = user_data;
  GtkWidget *control = carnet_test_ui_find_by_label (wait->root, wait->text);

  return control != NULL && gtk_widget_is_sensitive (control);
}

void
carnet_test_ui_wait_for_control_sensitive (GtkWidget  *root,
                                           const char *label,
                                           guint       timeout_ms)
{
  WaitFor wait = { root, label };
  g_autofree char *what = g_strdup_printf ("« %s » to be offered", label);

  carnet_test_ui_wait_until (control_sensitive_cb, &wait, timeout_ms, what);
}

static gboolean
control_gone_cb (gpointer user_data)
{
  return !control_showing_cb (user_data);
}

void
carnet_test_ui_wait_for_control_gone (GtkWidget  *root,
                                      const char *label,
                                      guint       timeout_ms)
{
  WaitFor wait = { root, label };
  g_autofree char *what = g_strdup_printf ("the control named “%s” to go", label);

  carnet_test_ui_wait_until (control_gone_cb, &wait, timeout_ms, what);
}

static gboolean
label_gone_cb (gpointer user_data)
{
  return !label_showing_cb (user_data);
}

void
carnet_test_ui_wait_for_label_gone (GtkWidget  *root,
                                    const char *text,
                                    guint       timeout_ms)
{
  WaitFor wait = { root, text };
  g_autofree char *what = g_strdup_printf ("the text “%s” to go", text);

  carnet_test_ui_wait_until (label_gone_cb, &wait, timeout_ms, what);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

void
carnet_test_ui_wait_for_frame (GtkWidget *widget)
{
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (native);
  g_assert_true (gtk_widget_get_mapped (native));
  clock = gtk_widget_get_frame_clock (native);
  g_assert_nonnull (clock);

  /* A frame asked for now lays out and paints everything changed so far. */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (native);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT | GDK_FRAME_CLOCK_PHASE_PAINT);
  carnet_test_ui_wait_until (is_true, &painted, carnet_test_ui_timeout_ms (), "a frame to be drawn");
  g_signal_handler_disconnect (clock, handler);
}

void
carnet_test_ui_drain (void)
{
  /* Bounded: a source that is always ready would loop forever. */
  for (guint i = 0; i < 10000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

void
carnet_test_ui_destroy (GtkWidget *window)
{
  g_assert_true (GTK_IS_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (window));
  carnet_test_ui_drain ();
}

GtkWidget *
carnet_test_ui_present (GtkWidget *window)
{
  gtk_window_present (GTK_WINDOW (window));
  carnet_test_ui_wait_until ((CarnetTestUiCondition) gtk_widget_get_mapped, window,
                             carnet_test_ui_timeout_ms (), "the window to show");

  return window;
}

void
carnet_test_ui_click (GtkWidget  *root,
                      const char *label)
{
  GtkWidget *control = carnet_test_ui_get_by_label (root, label);

  g_assert_true (gtk_widget_is_sensitive (control));
  gtk_widget_activate (control);
}

const char *
carnet_test_ui_get_text (GtkWidget  *root,
                         const char *label)
{
  GtkWidget *editable = carnet_test_ui_get_by_label (root, label);

  g_assert_true (GTK_IS_EDITABLE (editable));

  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

AdwMessageDialog *
carnet_test_ui_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
message_dialog_showing_cb (gpointer user_data)
{
  return carnet_test_ui_find_message_dialog () != NULL;
}

AdwMessageDialog *
carnet_test_ui_wait_for_message_dialog (void)
{
  AdwMessageDialog *dialog;

  carnet_test_ui_wait_until (message_dialog_showing_cb, NULL, carnet_test_ui_timeout_ms (), "a dialog");
  dialog = carnet_test_ui_find_message_dialog ();
  carnet_test_ui_wait_for_frame (GTK_WIDGET (dialog));

  return dialog;
}

/* --- The fixture ------------------------------------------------------------ */

void
carnet_test_ui_fixture_setup (CarnetTestUiFixture *f,
                              gboolean             with_ent,
                              int                  width)
{
  g_autofree char *ca_file = NULL;

  carnet_test_ui_load_po (&f->msgids, &f->msgstrs);

  if (with_ent)
    {
      f->ent = carnet_test_ent_start ();
      ca_file = g_strdup (carnet_test_ent_get_ca_file (f->ent));
    }
  else
    ca_file = g_build_filename (g_getenv ("CARNET_TEST_DATA"), "ca.pem", NULL);

  f->window = GTK_WIDGET (carnet_window_new (NULL, NULL, ca_file));
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 760);
  carnet_test_ui_present (f->window);
}

void
carnet_test_ui_fixture_teardown (CarnetTestUiFixture *f)
{
  carnet_test_ui_destroy (f->window);
  f->window = NULL;
  g_clear_pointer (&f->ent, carnet_test_ent_stop);
  g_clear_pointer (&f->msgids, g_ptr_array_unref);
  g_clear_pointer (&f->msgstrs, g_ptr_array_unref);
}

/* --- The keyring ------------------------------------------------------------ */

typedef struct
{
  gboolean   done;
  gboolean   ok;
  GPtrArray *accounts;
  char      *password;
} Pending;

static gboolean
pending_done_cb (gpointer user_data)
{
  return ((Pending *) user_data)->done;
}

static void
keyring_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (tag == carnet_credentials_store_async)
    pending->ok = carnet_credentials_store_finish (result, &error);
  else if (tag == carnet_credentials_forget_async)
    pending->ok = carnet_credentials_forget_finish (result, &error);
  else if (tag == carnet_credentials_list_async)
    pending->ok = (pending->accounts = carnet_credentials_list_finish (result, &error)) != NULL;
  else
    {
      pending->password = carnet_credentials_lookup_finish (result, &error);
      pending->ok = TRUE;
    }
  g_assert_no_error (error);
  pending->done = TRUE;
}

void
carnet_test_ui_keyring_store (const char *host,
                              const char *login,
                              const char *password)
{
  Pending pending = { 0, };

  carnet_credentials_store_async (host, login, password, NULL, keyring_cb, &pending);
  carnet_test_ui_wait_until (pending_done_cb, &pending, carnet_test_ui_timeout_ms (), "the keyring to store");
  g_assert_true (pending.ok);
}

void
carnet_test_ui_keyring_forget (const char *host,
                               const char *login)
{
  Pending pending = { 0, };

  carnet_credentials_forget_async (host, login, NULL, keyring_cb, &pending);
  carnet_test_ui_wait_until (pending_done_cb, &pending, carnet_test_ui_timeout_ms (), "the keyring to forget");
}

GPtrArray *
carnet_test_ui_keyring_list (void)
{
  Pending pending = { 0, };

  carnet_credentials_list_async (NULL, keyring_cb, &pending);
  carnet_test_ui_wait_until (pending_done_cb, &pending, carnet_test_ui_timeout_ms (), "the keyring’s list");
  g_assert_nonnull (pending.accounts);

  return pending.accounts;
}

void
carnet_test_ui_keyring_round_trip (const char *host,
                                   const char *login)
{
  for (guint i = 0; i < 2; i++)
    {
      Pending pending = { 0, };

      g_ptr_array_unref (carnet_test_ui_keyring_list ());
      carnet_credentials_lookup_async (host, login, NULL, keyring_cb, &pending);
      carnet_test_ui_wait_until (pending_done_cb, &pending, carnet_test_ui_timeout_ms (),
                                 "the keyring’s lookup");
      carnet_credentials_free_password (pending.password);
    }
  /* The callbacks of the calls answered meanwhile, and what they queued. */
  carnet_test_ui_drain ();
}

/* A window just shown (a dialog) gets its size with its first layout. */
static gboolean
has_size_cb (gpointer user_data)
{
  return gtk_widget_get_width (user_data) > 0;
}

static void
wait_for_size (GtkWidget *widget)
{
  carnet_test_ui_wait_until (has_size_cb, widget, carnet_test_ui_timeout_ms (), "a size");
}

/* @native's last frame, drawn into @snapshot at its size. */
static void
snapshot_native (GtkNative   *native,
                 GtkSnapshot *snapshot)
{
  g_autoptr(GskRenderNode) node = NULL;
  int width, height;

  wait_for_size (GTK_WIDGET (native));
  width = gtk_widget_get_width (GTK_WIDGET (native));
  height = gtk_widget_get_height (GTK_WIDGET (native));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* The paintable is the window's last frame: none while a redraw is
   * pending (a page just shown, a cursor blinking), so wait for the next. */
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      g_autoptr(GdkPaintable) paintable = NULL;
      GtkSnapshot *frame;

      carnet_test_ui_wait_for_frame (GTK_WIDGET (native));
      paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
      frame = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (frame), width, height);
      node = gtk_snapshot_free_to_node (frame);
    }
  g_assert_nonnull (node);
  gtk_snapshot_append_node (snapshot, node);
}

static char *
save_texture (GdkTexture *texture,
              const char *name)
{
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  const char *dir;

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

char *
carnet_test_ui_save_texture (GdkTexture *texture,
                             const char *name)
{
  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  return save_texture (texture, name);
}

char *
carnet_test_ui_save_screenshot (GtkWidget  *widget,
                                const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GtkNative *native = gtk_widget_get_native (widget);

  g_assert_nonnull (native);
  snapshot_native (native, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0,
                                                              gtk_widget_get_width (GTK_WIDGET (native)),
                                                              gtk_widget_get_height (GTK_WIDGET (native))));
  g_assert_nonnull (texture);

  return save_texture (texture, name);
}

char *
carnet_test_ui_save_dialog_screenshot (GtkWidget  *window,
                                       GtkWidget  *dialog,
                                       const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  int width, height, dialog_width, dialog_height;

  g_assert_true (GTK_IS_NATIVE (window));
  g_assert_true (GTK_IS_NATIVE (dialog));
  wait_for_size (window);
  wait_for_size (dialog);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  dialog_width = gtk_widget_get_width (dialog);
  dialog_height = gtk_widget_get_height (dialog);

  snapshot = gtk_snapshot_new ();
  snapshot_native (GTK_NATIVE (window), snapshot);
  /* The window under a modal dialog, dimmed as the shell shows it. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.3 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - dialog_width) / 2,
                                                          (height - dialog_height) / 2));
  snapshot_native (GTK_NATIVE (dialog), snapshot);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  return save_texture (texture, name);
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

/* --- fr.po ----------------------------------------------------------------- */

static char *
po_unquote (const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');
  g_autofree char *inner = NULL;

  if (start == NULL || end == NULL || end <= start)
    return g_strdup ("");

  inner = g_strndup (start + 1, end - start - 1);

  return g_strcompress (inner);
}

void
carnet_test_ui_load_po (GPtrArray **msgids,
                        GPtrArray **msgstrs)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) msgid = NULL;
  g_autoptr(GString) msgstr = NULL;
  GString *current = NULL;
  gboolean fuzzy = FALSE;
  gboolean obsolete = FALSE;

  path = g_build_filename (g_getenv ("CARNET_PO_SOURCE_DIR"), "fr.po", NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  *msgids = g_ptr_array_new_with_free_func (g_free);
  *msgstrs = g_ptr_array_new_with_free_func (g_free);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gboolean last = lines[i + 1] == NULL;

      if (g_str_has_prefix (line, "msgid ") || *line == '\0' || last)
        {
          /* End of the previous entry. */
          if (msgid != NULL && msgstr != NULL && msgid->len > 0 && !obsolete)
            {
              g_ptr_array_add (*msgids, g_strdup (msgid->str));
              g_ptr_array_add (*msgstrs, g_strdup (fuzzy ? "" : msgstr->str));
            }
          if (*line == '\0' || last)
            {
              if (msgid != NULL)
                g_string_free (g_steal_pointer (&msgid), TRUE);
              if (msgstr != NULL)
                g_string_free (g_steal_pointer (&msgstr), TRUE);
              current = NULL;
              fuzzy = FALSE;
              obsolete = FALSE;
              continue;
            }
        }

      if (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL)
        fuzzy = TRUE;
      else if (g_str_has_prefix (line, "#~"))
        obsolete = TRUE;
      else if (g_str_has_prefix (line, "msgid "))
        {
          g_autofree char *text = po_unquote (line);

          if (msgid != NULL)
            g_string_free (msgid, TRUE);
          msgid = g_string_new (text);
          if (msgstr != NULL)
            g_string_free (msgstr, TRUE);
          msgstr = NULL;
          current = msgid;
        }
      else if (g_str_has_prefix (line, "msgstr "))
        {
          g_autofree char *text = po_unquote (line);

          msgstr = g_string_new (text);
          current = msgstr;
        }
      else if (*line == '"' && current != NULL)
        {
          g_autofree char *text = po_unquote (line);

          g_string_append (current, text);
        }
    }

  g_assert_cmpuint ((*msgids)->len, >, 0);
}

/* --- "Nothing English on a French page" -------------------------------------- */

static gboolean
contains_english_word (const char *text)
{
  static const char * const words[] = {
    "the", "your", "you", "is", "are", "this", "with", "and", "to", "of", "in",
    "log", "account", "password", "login", "cancel", "back", "address", "email",
    "checking", "forgotten", "first", "connection", "show", "hide", "close", "apply",
    "profile", "what", "do", "want", "use", "not", "yet", "coming", "soon", NULL
  };
  g_auto(GStrv) tokens = NULL;
  g_autofree char *lower = g_utf8_strdown (text, -1);

  g_strdelimit (lower, " \t\n.,;:!?()«»“”\"’'…/-", ' ');
  tokens = g_strsplit (lower, " ", -1);

  for (guint i = 0; tokens[i] != NULL; i++)
    if (g_strv_contains (words, tokens[i]))
      return TRUE;

  return FALSE;
}

/* A msgid with %s or %d as a glob. */
static gboolean
matches_format (const char *format,
                const char *text)
{
  g_autoptr(GString) glob = NULL;

  if (strchr (format, '%') == NULL)
    return g_str_equal (format, text);

  glob = g_string_new (format);
  g_string_replace (glob, "%s", "*", 0);
  g_string_replace (glob, "%d", "*", 0);
  g_string_replace (glob, "%u", "*", 0);

  return g_pattern_match_simple (glob->str, text);
}

void
carnet_test_ui_assert_french (GtkWidget          *root,
                              GPtrArray          *msgids,
                              GPtrArray          *msgstrs,
                              const char         *page,
                              const char * const *allowed)
{
  g_autoptr(GPtrArray) strings = carnet_test_ui_collect_strings (root);
  guint english = 0;

  for (guint i = 0; i < strings->len; i++)
    {
      const char *text = g_ptr_array_index (strings, i);
      gboolean is_english = FALSE;
      gboolean is_french = FALSE;

      if (allowed != NULL && g_strv_contains (allowed, text))
        continue;

      for (guint j = 0; j < msgids->len; j++)
        {
          const char *msgid = g_ptr_array_index (msgids, j);
          const char *msgstr = g_ptr_array_index (msgstrs, j);

          if (*msgstr != '\0' && matches_format (msgstr, text))
            is_french = TRUE;
          else if (matches_format (msgid, text))
            is_english = TRUE;
        }

      if (is_english || (!is_french && contains_english_word (text)))
        {
          g_test_message ("%s page: English string shown: “%s”", page, text);
          english++;
        }
    }

  g_assert_cmpuint (english, ==, 0);
}

/* --- Every control has a name ------------------------------------------------- */

static gboolean
is_control (GtkWidget *widget)
{
  if (!gtk_widget_get_focusable (widget) && !GTK_IS_BUTTON (widget))
    return FALSE;

  return GTK_IS_BUTTON (widget) ||
         GTK_IS_TEXT (widget) ||
         GTK_IS_SWITCH (widget) ||
         GTK_IS_CHECK_BUTTON (widget) ||
         (GTK_IS_LIST_BOX_ROW (widget) &&
          gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)));
}

static guint
count_unnamed_controls (GtkWidget  *widget,
                        const char *page)
{
  GtkWidget *child;
  guint unnamed = 0;

  if (!carnet_test_ui_is_showing (widget))
    return 0;

  if (is_control (widget) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    {
      g_test_message ("%s page: %s without an accessible name (%s)", page,
                      G_OBJECT_TYPE_NAME (widget),
                      gtk_widget_get_tooltip_text (widget) ?: gtk_widget_get_name (widget));
      unnamed++;
    }

  for (child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    unnamed += count_unnamed_controls (child, page);

  return unnamed;
}

void
carnet_test_ui_assert_controls_named (GtkWidget  *root,
                                      const char *page)
{
  g_assert_cmpuint (count_unnamed_controls (root, page), ==, 0);
}

void
carnet_test_ui_type_into (GtkWidget  *root,
                          const char *label,
                          const char *text)
{
  GtkWidget *row = carnet_test_ui_get_by_label (root, label);

  g_test_message ("typing into %s “%s”", G_OBJECT_TYPE_NAME (row), label);
  g_assert_true (GTK_IS_EDITABLE (row));
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

void
carnet_test_ui_press_enter (GtkWidget  *root,
                            const char *label)
{
  GtkWidget *row = carnet_test_ui_get_by_label (root, label);
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

  /* GtkText's "activate" is what its Enter key binding emits. */
  g_assert_true (GTK_IS_TEXT (text));
  g_signal_emit_by_name (text, "activate");
}
