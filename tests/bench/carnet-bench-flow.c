/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark's scripted flows, in process, with the real window and the
 * test ENT answering every request after 50 ms (or --latency-ms):
 *
 *  1. login as karim.benali (nothing left to do on the ENT) up to the
 *     account's two panes filled: requests, sequential round trips and
 *     wall time, from the test ENT's own request log; then both panes are
 *     shown and the process's peak resident memory (VmHWM) is read;
 *  2. the letter's activation as frederic (provisional password, new
 *     password, email confirmed with the mailed code) up to his account.
 *
 * The main loop's stalls are measured by carnet-perf.c over both flows,
 * leaving out the moments this driver blocks the loop itself (its
 * synchronous calls to the test ENT’s remote control, and its own searches
 * of the widget tree: a user does not search, they look).
 *
 * Prints "key value" lines on stdout for tests/bench/carnet-bench.py. */
#define G_LOG_DOMAIN "carnet-bench"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "carnet-perf.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS 60000

/* The French pages, as the UI tests read them. */
#define FR_ADDRESS          "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE    "Se connecter"
#define FR_FIRST_CONNECTION "Première connexion (activer mon compte)"
#define FR_LOGIN            "Identifiant"
#define FR_PASSWORD         "Mot de passe"
#define FR_REMEMBER         "Se souvenir de moi"
#define FR_PROVISIONAL      "Mot de passe provisoire"
#define FR_CONTINUE         "Continuer"
#define FR_NEW_PASSWORD     "Nouveau mot de passe"
#define FR_CONFIRM          "Confirmer le mot de passe"
#define FR_MAIL             "Adresse mail"
#define FR_CHARTER          "J’accepte la charte d’utilisation"
#define FR_ACTIVATE         "Activer mon compte"
#define FR_MY_MAIL          "Mon adresse mail"
#define FR_CODE             "Code reçu par mail"

static CarnetTestEnt *ent;
static guint latency_ms = 50;

/* --- Acting and waiting like a user -------------------------------------------
 * The driver's own work (searching the widget tree, checking conditions,
 * sleeping while nothing is pending) is left out of the stall meter; what
 * Carnet does in answer to an action is counted. */

typedef gboolean (*Condition) (gpointer user_data);

static void
wait_until (Condition   condition,
            gpointer    user_data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TIMEOUT_MS * 1000;

  for (;;)
    {
      gboolean done;

      carnet_perf_stalls_pause (TRUE);
      done = condition (user_data);
      if (!done && g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      carnet_perf_stalls_pause (FALSE);
      if (done)
        return;

      if (!g_main_context_iteration (NULL, FALSE))
        {
          carnet_perf_stalls_pause (TRUE);
          g_usleep (1000);
          carnet_perf_stalls_pause (FALSE);
        }
    }
}

static gboolean
settled_cb (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  wait_until (settled_cb, &until, "time to pass");
}

static GtkWidget *
get (GtkWidget  *window,
     const char *label)
{
  GtkWidget *widget;

  carnet_perf_stalls_pause (TRUE);
  widget = carnet_test_ui_get_by_label (window, label);
  carnet_perf_stalls_pause (FALSE);

  return widget;
}

static void
type_into (GtkWidget  *window,
           const char *label,
           const char *text)
{
  GtkWidget *row = get (window, label);

  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
press_enter (GtkWidget  *window,
             const char *label)
{
  GtkWidget *row = get (window, label);

  /* GtkText's "activate" is what its Enter key binding emits. */
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (row)), "activate");
}

static void
mark (const char *step)
{
  g_debug ("%" G_GINT64_FORMAT " %s", g_get_monotonic_time (), step);
}

static void
click (GtkWidget  *window,
       const char *label)
{
  GtkWidget *button = get (window, label);

  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Lookup;

/* A GtkLabel showing @text anywhere under @widget, mapped or not (the
 * other pane of a view stack is not mapped, but may be filled). */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
label_showing_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return carnet_test_ui_find_label_text (lookup->root, lookup->text) != NULL;
}

static gboolean
filled_field_cb (gpointer user_data)
{
  Lookup *lookup = user_data;
  GtkWidget *field = carnet_test_ui_find_by_label (lookup->root, lookup->text);

  return field != NULL && gtk_widget_is_sensitive (field) &&
         *gtk_editable_get_text (GTK_EDITABLE (field)) != '\0';
}

static gboolean
control_showing_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return carnet_test_ui_find_by_label (lookup->root, lookup->text) != NULL;
}

static gboolean
control_sensitive_cb (gpointer user_data)
{
  Lookup *lookup = user_data;
  GtkWidget *control = carnet_test_ui_find_by_label (lookup->root, lookup->text);

  return control != NULL && gtk_widget_is_sensitive (control);
}

static void
wait_for (Condition   condition,
          GtkWidget  *window,
          const char *text)
{
  Lookup lookup = { window, text };

  wait_until (condition, &lookup, text);
}

static gboolean
page_is_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  return g_str_equal (carnet_window_get_page_name (CARNET_WINDOW (lookup->root)), lookup->text);
}

static gboolean
mapped_cb (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static GtkWidget *
new_window (void)
{
  GtkWidget *window;

  /* Building and showing the window is the start, measured on its own
   * (carnet-bench.py): the stalls are those of a window in use. */
  carnet_perf_stalls_pause (TRUE);
  {
    gint64 t0 = g_get_monotonic_time (), t1, t2;

    window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));
    t1 = g_get_monotonic_time ();
    gtk_window_present (GTK_WINDOW (window));
    carnet_test_ui_wait_until (mapped_cb, window, TIMEOUT_MS, "the window to show");
    t2 = g_get_monotonic_time ();
    g_debug ("window built in %.1f ms, mapped %.1f ms later", (t1 - t0) / 1000.0, (t2 - t1) / 1000.0);
  }
  carnet_test_ui_settle (200);
  carnet_perf_stalls_pause (FALSE);

  return window;
}

static void
close_window (GtkWidget *window)
{
  carnet_perf_stalls_pause (TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  carnet_test_ui_settle (100);
  carnet_perf_stalls_pause (FALSE);
}

static void
open_choice (GtkWidget  *window,
             const char *choice,
             const char *page)
{
  type_into (window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  press_enter (window, FR_ADDRESS);
  wait_for (control_showing_cb, window, choice);
  mark (choice);
  gtk_widget_activate (get (window, choice));
  wait_for (page_is_cb, window, page);
}

/* The test ENT's remote control is synchronous: not Carnet's stall. */
static void
fresh_ent (void)
{
  carnet_perf_stalls_pause (TRUE);
  carnet_test_ent_reset (ent);
  if (latency_ms > 0)
    carnet_test_ent_set_fault (ent, "*", "latency", latency_ms, -1);
  carnet_perf_stalls_pause (FALSE);
}

/* --- Sequential round trips from the test ENT's log ---------------------------
 * A request is one round trip after every request that was answered before
 * it arrived; requests in flight together share a round trip. */

static void
count_round_trips (gint64  since,
                   guint  *n_requests,
                   guint  *n_round_trips)
{
  g_autoptr(SoupSession) session = carnet_test_ent_new_soup_session (ent);
  g_autofree char *url = g_strconcat (carnet_test_ent_get_url (ent), "/__test/request-log", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) arrived = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answered = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) depth = g_array_new (FALSE, TRUE, sizeof (guint));
  JsonArray *requests;
  guint max_depth = 0;

  carnet_perf_stalls_pause (TRUE);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  carnet_perf_stalls_pause (FALSE);

  requests = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "requests");
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      gint64 a = json_object_get_int_member (request, "arrived");
      gint64 b = json_object_get_int_member (request, "answered");

      if (a < since)
        continue;
      g_array_append_val (arrived, a);
      g_array_append_val (answered, b);
      g_printerr ("  %+6.0f ms → %+6.0f ms  %s %s\n", (a - since) / 1000.0, (b - since) / 1000.0,
                  json_object_get_string_member (request, "method"),
                  json_object_get_string_member (request, "path"));
    }

  /* In arrival order, so every request a request may depend on comes first. */
  g_array_set_size (depth, arrived->len);
  for (guint i = 0; i < arrived->len; i++)
    {
      guint d = 1;

      for (guint j = 0; j < i; j++)
        if (g_array_index (answered, gint64, j) != 0 &&
            g_array_index (answered, gint64, j) <= g_array_index (arrived, gint64, i))
          d = MAX (d, g_array_index (depth, guint, j) + 1);
      g_array_index (depth, guint, i) = d;
      max_depth = MAX (max_depth, d);
    }

  *n_requests = arrived->len;
  *n_round_trips = max_depth;
}

/* --- Memory --------------------------------------------------------------------- */

static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");

  return line != NULL ? g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) : 0;
}

/* --- The flows ------------------------------------------------------------------ */

static gboolean
account_filled_cb (gpointer user_data)
{
  GtkWidget *window = user_data;

  return g_str_equal (carnet_window_get_page_name (CARNET_WINDOW (window)), "account") &&
         carnet_test_ui_find_label_text (window, "Compte de Karim") != NULL &&
         has_label (window, "Yanis Benali") && has_label (window, "Inès Benali");
}

static void
show_pane (GtkWidget  *window,
           const char *name)
{
  GtkWidget *stack;

  carnet_perf_stalls_pause (TRUE);
  stack = carnet_test_ui_find_by_type (window, ADW_TYPE_VIEW_STACK);
  g_assert_nonnull (stack);
  carnet_perf_stalls_pause (FALSE);
  mark (name);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
  settle (300);
}

static void
login_flow (void)
{
  GtkWidget *window;
  gint64 start, end;
  guint n_requests, n_round_trips;

  fresh_ent ();
  window = new_window ();
  open_choice (window, FR_LOG_IN_CHOICE, "login");
  type_into (window, FR_LOGIN, "karim.benali");
  type_into (window, FR_PASSWORD, "Cartable2026");
  /* Not remembered: the keyring is not part of what is measured. */
  gtk_switch_set_active (GTK_SWITCH (get (window, FR_REMEMBER)), FALSE);
  settle (100);

  mark (FR_PASSWORD);
  start = g_get_monotonic_time ();
  press_enter (window, FR_PASSWORD);
  wait_until (account_filled_cb, window, "the account’s panes filled");
  end = g_get_monotonic_time ();

  g_printerr ("login → account panes filled, requests as the test ENT saw them:\n");
  count_round_trips (start, &n_requests, &n_round_trips);
  printf ("login-requests %u\n", n_requests);
  printf ("login-round-trips %u\n", n_round_trips);
  printf ("login-wall-ms %.1f\n", (end - start) / 1000.0);

  /* Both panes, as a parent would look at them. */
  show_pane (window, "children");
  g_assert_nonnull (carnet_test_ui_find_label_text (window, "Yanis Benali"));
  show_pane (window, "profile");
  printf ("peak-rss-kib %" G_GUINT64_FORMAT "\n", peak_rss_kib ());
  fflush (stdout);

  close_window (window);
}

static gboolean
left_activation_cb (gpointer user_data)
{
  const char *name = carnet_window_get_page_name (CARNET_WINDOW (user_data));

  return !g_str_equal (name, "activation") && !g_str_equal (name, "steps");
}

static void
activation_flow (void)
{
  GtkWidget *window;
  g_autofree char *code = NULL;

  fresh_ent ();
  window = new_window ();
  open_choice (window, FR_FIRST_CONNECTION, "activation");
  type_into (window, FR_LOGIN, "frederic");
  type_into (window, FR_PROVISIONAL, "7KQ4M2PX");
  mark (FR_CONTINUE);
  click (window, FR_CONTINUE);
  wait_for (control_showing_cb, window, FR_NEW_PASSWORD);
  type_into (window, FR_NEW_PASSWORD, "Cahier2026");
  type_into (window, FR_CONFIRM, "Cahier2026");
  type_into (window, FR_MAIL, "frederic@ac-lille.fr");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (get (window, FR_CHARTER)), TRUE);
  wait_for (control_sensitive_cb, window, FR_ACTIVATE);
  mark (FR_ACTIVATE);
  click (window, FR_ACTIVATE);
  wait_until (left_activation_cb, window, "the window to leave the activation");

  wait_for (page_is_cb, window, "mail");
  /* The page loads the address the ENT knows before it may be sent. */
  wait_for (filled_field_cb, window, FR_MY_MAIL);
  mark (FR_MY_MAIL);
  press_enter (window, FR_MY_MAIL);
  wait_for (control_sensitive_cb, window, FR_CODE);
  carnet_perf_stalls_pause (TRUE);
  code = carnet_test_ent_last_mail_code (ent, "frederic@ac-lille.fr");
  carnet_perf_stalls_pause (FALSE);
  type_into (window, FR_CODE, code);
  mark (FR_CODE);
  press_enter (window, FR_CODE);
  wait_for (page_is_cb, window, "account");
  wait_for (label_showing_cb, window, "Compte de Frédéric");
  settle (300);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("CARNET_LOCALEDIR");
  CarnetPerfStalls stalls;
  int latency = 50;
  GOptionEntry entries[] = {
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency, "Latency of every test ENT answer (default 50)", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Carnet's scripted benchmark flows");
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  latency_ms = (guint) MAX (latency, 0);

  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_init ();
  adw_init ();
  /* The figures are read by a script: decimal points, whatever the language
   * (gtk_init() set the locale again). */
  setlocale (LC_NUMERIC, "C");

  carnet_perf_stalls_start ();
  ent = carnet_test_ent_start ();

  carnet_perf_stalls_reset ();
  login_flow ();
  activation_flow ();
  carnet_perf_stalls_get (&stalls);

  printf ("stall-max-ms %.1f\n", stalls.max_us / 1000.0);
  printf ("stall-own-max-ms %.1f\n", stalls.max_own_us / 1000.0);
  printf ("stall-own-max-cpu-ms %.1f\n", stalls.max_own_cpu_us / 1000.0);
  printf ("stall-paint-max-ms %.1f\n", stalls.max_paint_us / 1000.0);
  printf ("stall-own-over-50ms %u\n", stalls.n_over_50ms);
  fflush (stdout);

  carnet_test_ent_stop (ent);

  return 0;
}
