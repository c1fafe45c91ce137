/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"
#define _GNU_SOURCE

/* The EduConnect login in the web view, against the test ENT's SAML side
 * and its stand-in EduConnect (another loopback port): the login page's
 * « Se connecter avec ÉduConnect », the ENT's wayf, the identity
 * provider's form filled in and sent inside the page as a parent does
 * (a wrong password first), the ENT's account picker, the account and
 * its children; logout; on a shared machine, nothing of it under $HOME.
 * The directory is the test's own file (--directory), where the platform
 * has the test ENT's address and wayf. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <webkit/webkit.h>

#include "carnet-ent-directory.h"
#include "carnet-test-ent.h"
#include "carnet-test-ui.h"
#include "carnet-window.h"

#define TIMEOUT_MS (carnet_test_ui_timeout_ms ())

#define FR_ADDRESS         "Adresse de l’ENT"
#define FR_LOG_IN_CHOICE   "Se connecter"
#define FR_EDUCONNECT      "Se connecter avec ÉduConnect"
#define FR_EDUCONNECT_LINE "Parents et élèves de collège et lycée : utilisez votre compte ÉduConnect"
#define FR_TITLE           "Connexion ÉduConnect"
#define FR_CANCEL          "Annuler la connexion ÉduConnect"
#define FR_LOG_OUT         "Se déconnecter"
#define FR_CHANGE_PASSWORD "Changer votre mot de passe"
#define FR_CURRENT_PASSWORD "Mot de passe actuel"

static CarnetTestEnt *ent;
static GPtrArray *msgids;
static GPtrArray *msgstrs;

/* --- The web view's page, through JavaScript ---------------------------------- */

typedef struct
{
  WebKitWebView *view;
  const char    *script;
  gboolean       pending;
  gboolean       holds;
  char          *result;
} Js;

static void
js_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  Js *js = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);

  js->pending = FALSE;
  /* A page that is being replaced answers nothing: asked again. */
  if (value == NULL)
    return;
  g_free (js->result);
  js->result = jsc_value_to_string (value);
  js->holds = jsc_value_is_boolean (value) && jsc_value_to_boolean (value);
}

static gboolean
js_holds_cb (gpointer user_data)
{
  Js *js = user_data;

  if (js->holds)
    return TRUE;
  if (!js->pending)
    {
      js->pending = TRUE;
      webkit_web_view_evaluate_javascript (js->view, js->script, -1, NULL, NULL, NULL, js_cb, js);
    }

  return FALSE;
}

static gboolean
js_answered_cb (gpointer user_data)
{
  return !((Js *) user_data)->pending;
}

/* Until @script (a boolean expression) is true in the page. */
static void
wait_in_page (WebKitWebView *view,
              const char    *script)
{
  Js js = { view, script };

  carnet_test_ui_wait_until (js_holds_cb, &js, TIMEOUT_MS, script);
  g_free (js.result);
}

/* Runs @script in the page; its value as a string. */
static char *
run_in_page (WebKitWebView *view,
             const char    *script)
{
  Js js = { view, script, TRUE };

  webkit_web_view_evaluate_javascript (view, script, -1, NULL, NULL, NULL, js_cb, &js);
  carnet_test_ui_wait_until (js_answered_cb, &js, TIMEOUT_MS, script);

  return js.result;
}

static WebKitWebView *
get_web_view (GtkWidget *window)
{
  GtkWidget *view = carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW);

  g_assert_nonnull (view);

  return WEBKIT_WEB_VIEW (view);
}

/* --- The window ------------------------------------------------------------------- */

static void
set_shared (gboolean shared)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_boolean (settings, "shared-machine", shared);
  g_settings_sync ();
}

static GtkWidget *
new_window (void)
{
  GtkWidget *window = GTK_WIDGET (carnet_window_new (NULL, NULL, carnet_test_ent_get_ca_file (ent)));

  gtk_window_set_default_size (GTK_WINDOW (window), 560, 760);
  carnet_test_ui_present (window);

  return window;
}

static void
wait_for_page (GtkWidget  *window,
               const char *name)
{
  carnet_test_ui_wait_for_page (window, name, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (window);
}

static void
check_french (GtkWidget  *window,
              const char *page)
{
  const char * const allowed[] = { "Carnet", "ÉduConnect", carnet_test_ent_get_host (ent), NULL };

  carnet_test_ui_assert_french (window, msgids, msgstrs, page, allowed);
  carnet_test_ui_assert_controls_named (window, page);
}

/* The address typed, « Se connecter », and there the EduConnect button. */
static void
open_login_page (GtkWidget *window)
{
  carnet_test_ui_type_into (window, FR_ADDRESS, carnet_test_ent_get_host (ent));
  carnet_test_ui_press_enter (window, FR_ADDRESS);
  carnet_test_ui_wait_for_control (window, FR_LOG_IN_CHOICE, TIMEOUT_MS);
  carnet_test_ui_click (window, FR_LOG_IN_CHOICE);
  wait_for_page (window, "login");
  carnet_test_ui_wait_for_control_sensitive (window, "Se connecter avec ÉduConnect", TIMEOUT_MS);
}

/* From the login page to the identity provider's form. */
static WebKitWebView *
open_idp_form (GtkWidget  *window,
               const char *screenshot)
{
  WebKitWebView *view;
  GtkWidget *progress;

  g_assert_nonnull (carnet_test_ui_find_label_text (window, FR_EDUCONNECT_LINE));
  carnet_test_ui_click (window, "Se connecter avec ÉduConnect");
  wait_for_page (window, "educonnect");
  g_assert_nonnull (carnet_test_ui_find_label_text (window, FR_TITLE));
  /* Something shows at once while the portal loads. */
  progress = carnet_test_ui_find_by_type (window, GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (progress);
  if (screenshot != NULL)
    g_free (carnet_test_ui_save_screenshot (window, screenshot));

  view = get_web_view (window);
  /* The ENT's wayf (entcore's wayf.html): the parent picks EduConnect. */
  wait_in_page (view, "document.querySelector('a.educonnect') !== null && document.readyState === 'complete'");
  carnet_test_ui_wait_for_frame (window);
  if (screenshot != NULL)
    {
      g_autofree char *name = g_strconcat (screenshot, "-wayf", NULL);

      g_free (carnet_test_ui_save_screenshot (window, name));
    }
  check_french (window, "educonnect (wayf)");
  g_free (run_in_page (view, "document.querySelector('a.educonnect').click(); true"));

  /* EduConnect's own page, on its own port. */
  wait_in_page (view, "document.getElementById('username') !== null && document.readyState === 'complete'");
  g_assert_true (g_str_has_prefix (webkit_web_view_get_uri (view), carnet_test_ent_get_idp_url (ent)));

  return view;
}

/* Types into EduConnect's form and presses its button, in the page. */
static void
submit_idp_form (WebKitWebView *view,
                 const char    *login,
                 const char    *password)
{
  g_autofree char *script = g_strdup_printf ("document.getElementById('username').value = '%s';"
                                             "document.getElementById('password').value = '%s';"
                                             "document.getElementById('bouton_valider').click(); true",
                                             login, password);

  g_free (run_in_page (view, script));
}

static void
wait_for_account (GtkWidget  *window,
                  const char *child,
                  const char *screenshot)
{
  GtkWidget *stack;

  wait_for_page (window, "account");
  /* No ENT password for an EduConnect account: nothing to type or change. */
  g_assert_null (carnet_test_ui_find_label_text (window, FR_CHANGE_PASSWORD));
  g_assert_null (carnet_test_ui_find_by_label (window, FR_CURRENT_PASSWORD));
  g_free (carnet_test_ui_save_screenshot (window, screenshot));

  stack = carnet_test_ui_find_by_type (window, ADW_TYPE_VIEW_STACK);
  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "children");
  carnet_test_ui_wait_for_label (window, child, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (window);
  {
    g_autofree char *name = g_strconcat (screenshot, "-children", NULL);

    g_free (carnet_test_ui_save_screenshot (window, name));
  }
}

static void
log_out (GtkWidget  *window,
         const char *ent_login)
{
  carnet_test_ui_click (window, FR_LOG_OUT);
  wait_for_page (window, "welcome");
  /* Through the ENT's SAML logout: its session is closed. */
  g_assert_cmpuint (carnet_test_ent_session_count (ent, ent_login), ==, 0);
}

/* --- Tests -------------------------------------------------------------------------- */

static void
test_login (void)
{
  GtkWidget *window;
  WebKitWebView *view;
  g_autoptr(GPtrArray) accounts = NULL;

  carnet_test_ent_reset (ent);
  set_shared (FALSE);
  window = new_window ();
  open_login_page (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-login-page"));
  check_french (window, "login (EduConnect)");

  view = open_idp_form (window, "educonnect-loading");
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-idp"));

  /* A wrong password: EduConnect says so, in its page. */
  submit_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, "pas-le-bon");
  wait_in_page (view, "document.getElementById('erreur') !== null && document.readyState === 'complete'");
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-idp-error"));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (window)), ==, "educonnect");
  {
    g_autofree char *text = run_in_page (view, "document.getElementById('erreur').textContent");

    g_assert_cmpstr (text, ==, "Identifiant ou mot de passe incorrect.");
  }

  submit_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  wait_for_account (window, "Théo Roux", "educonnect-account");
  g_assert_nonnull (carnet_test_ui_find_label_text (window, "Chloé Roux"));
  check_french (window, "account (EduConnect)");
  g_assert_true (carnet_session_get_federated (carnet_window_get_session (CARNET_WINDOW (window))));
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 1);
  /* The web view went with the login. */
  g_assert_null (carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW));

  /* Nothing of it in the keyring. */
  accounts = carnet_test_ui_keyring_list ();
  g_assert_cmpuint (accounts->len, ==, 0);

  log_out (window, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  carnet_test_ui_destroy (window);
}

/* One EduConnect identity, two ENT accounts: the ENT's picker, in the page. */
static void
test_select_user (void)
{
  GtkWidget *window;
  WebKitWebView *view;

  carnet_test_ent_reset (ent);
  set_shared (FALSE);
  window = new_window ();
  open_login_page (window);
  view = open_idp_form (window, NULL);
  submit_idp_form (view, CARNET_TEST_EDUCONNECT_TWO_LOGIN, CARNET_TEST_EDUCONNECT_TWO_PASSWORD);

  wait_in_page (view, "document.querySelectorAll('form[action=\"/auth/saml/selectUser\"]').length === 2"
                      " && document.readyState === 'complete'");
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-select-user"));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (window)), ==, "educonnect");

  /* The collège's account, by its school's name. */
  g_free (run_in_page (view,
                       "var chosen = Array.from (document.querySelectorAll('form[action=\"/auth/saml/selectUser\"]'))"
                       "  .find (f => f.textContent.includes ('Collège Jean Jaurès'));"
                       "chosen.querySelector ('button').click (); true"));
  wait_for_account (window, "Jade Garnier", "educonnect-select-user-account");
  g_assert_null (carnet_test_ui_find_label_text (window, "Nathan Garnier"));

  log_out (window, CARNET_TEST_EDUCONNECT_TWO_ENT_LOGIN_1);
  carnet_test_ui_destroy (window);
}

/* « Annuler »: back to the login page, the web view gone. */
static void
test_cancel (void)
{
  GtkWidget *window;

  carnet_test_ent_reset (ent);
  set_shared (FALSE);
  window = new_window ();
  open_login_page (window);
  open_idp_form (window, NULL);
  carnet_test_ui_click (window, FR_CANCEL);
  wait_for_page (window, "login");
  g_assert_null (carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW));
  carnet_test_ui_destroy (window);
}

static void
list_files (const char *dir,
            GPtrArray  *files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_ptr_array_add (files, g_strdup (path));
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        list_files (path, files);
    }
}

/* A shared machine: after the logout, nothing under $HOME holds WebKit's
 * data, a cookie or the EduConnect password. */
static void
test_shared_machine (void)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *window;
  WebKitWebView *view;

  carnet_test_ent_reset (ent);
  set_shared (TRUE);
  window = new_window ();
  open_login_page (window);
  view = open_idp_form (window, NULL);
  submit_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  wait_for_account (window, "Théo Roux", "educonnect-shared-account");
  log_out (window, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-shared-logged-out"));
  carnet_test_ui_destroy (window);
  set_shared (FALSE);

  list_files (g_get_home_dir (), files);
  g_test_message ("%u paths under %s", files->len, g_get_home_dir ());
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *lower = g_ascii_strdown (path + strlen (g_get_home_dir ()), -1);
      g_autofree char *contents = NULL;
      gsize length;

      g_test_message ("  %s", path);
      if (strstr (lower, "webkit") != NULL || strstr (lower, "cookie") != NULL ||
          strstr (lower, "localstorage") != NULL || strstr (lower, "indexeddb") != NULL)
        g_error ("%s: the web view kept something on a shared machine", path);
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (memmem (contents, length, CARNET_TEST_EDUCONNECT_PASSWORD, strlen (CARNET_TEST_EDUCONNECT_PASSWORD)) != NULL ||
          memmem (contents, length, "oneSessionId", strlen ("oneSessionId")) != NULL)
        g_error ("%s holds the EduConnect password or the ENT's session", path);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *directory = NULL;
  g_autofree char *json = NULL;
  g_autofree char *callback = NULL;
  g_autoptr(GError) error = NULL;
  int fd;
  int status;

  carnet_test_ui_init (&argc, &argv);
  carnet_test_ui_load_po (&msgids, &msgstrs);

  ent = carnet_test_ent_start ();

  /* The directory of this run: the region's platform on the test ENT. */
  callback = g_uri_escape_string (carnet_test_ent_get_url (ent), NULL, FALSE);
  json = g_strdup_printf ("{\n"
                          "  \"platforms\": [\n"
                          "    {\n"
                          "      \"id\": \"hdf\",\n"
                          "      \"name\": \"ENT Hauts-de-France\",\n"
                          "      \"region\": \"Hauts-de-France\",\n"
                          "      \"url\": \"%s\",\n"
                          "      \"wayf\": \"%s/auth/saml/wayf?callBack=%s%%2F\",\n"
                          "      \"keywords\": [\"Lille\", \"Nord\", \"Pas-de-Calais\", \"savoirs numériques\"]\n"
                          "    }\n"
                          "  ]\n"
                          "}\n",
                          carnet_test_ent_get_url (ent), carnet_test_ent_get_url (ent), callback);
  fd = g_file_open_tmp ("carnet-test-directory-XXXXXX.json", &directory, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (directory, json, -1, &error);
  g_assert_no_error (error);
  carnet_ent_directory_set_default_file (directory);

  g_test_add_func ("/ui/educonnect/login", test_login);
  g_test_add_func ("/ui/educonnect/select-user", test_select_user);
  g_test_add_func ("/ui/educonnect/cancel", test_cancel);
  g_test_add_func ("/ui/educonnect/shared-machine", test_shared_machine);

  status = g_test_run ();

  carnet_test_ent_stop (ent);
  g_unlink (directory);
  g_ptr_array_unref (msgids);
  g_ptr_array_unref (msgstrs);

  return status;
}
