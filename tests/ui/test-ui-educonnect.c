/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-test-ui"
#define _GNU_SOURCE

/* The EduConnect login in the web view, against the test ENT's SAML side
 * and its stand-in EduConnect (another loopback port): the login page's
 * « Se connecter avec ÉduConnect », the ENT's wayf, the identity
 * provider's form filled in and sent inside the page as a parent does
 * (a wrong password first), the ENT's account picker, the account and
 * its children; logout; on a shared machine, nothing of it under $HOME.
 * From end to end (lille-shared-machine): « lille » in the welcome page's
 * search to all of it. The directory is the test's own file (--directory),
 * where the platform has the built-in list's keywords and the test ENT's
 * address and wayf. */

#include "config.h"

#include <ctype.h>
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <webkit/webkit.h>
#include <X11/keysym.h>

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
#define FR_FAILED          "La connexion ÉduConnect n’a pas abouti"
#define FR_RETRY           "Réessayer la connexion ÉduConnect"
/* The connection service's host is named (printf). */
#define FR_UNTRUSTED       "Le certificat du service de connexion (%s) n’est pas reconnu : Carnet ne s’y est donc pas connecté."
#define FR_PORTAL_5XX      "Le service de connexion a un problème en ce moment. Réessayez plus tard."
#define FR_PORTAL_DOWN     "La page de connexion n’a pas pu être chargée. Vérifiez votre connexion Internet et réessayez."
#define FR_EXPIRED         "Votre session a expiré. Reconnectez-vous avec ÉduConnect."
#define FR_NEW_EMAIL       "Nouvelle adresse mail"
#define FR_WEB_VIEW        "Page de connexion ÉduConnect"
#define FR_SEARCH          "Chercher votre ENT"
#define FR_HDF_ROW         "ENT Hauts-de-France, Hauts-de-France"
#define FR_SIGN_IN         "Avec ÉduConnect : votre mot de passe se gère sur ÉduConnect"
#define FR_SIGN_IN_ROW     "Connexion : " FR_SIGN_IN

static CarnetTestEnt *ent;
/* Shows a certificate of no known authority: the portal of the platform
 * at "localhost:PORT" (the test ENT under its other name) is there. */
static CarnetTestEnt *untrusted_ent;
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

static gboolean
web_view_shown_cb (gpointer user_data)
{
  return carnet_test_ui_find_by_type (user_data, WEBKIT_TYPE_WEB_VIEW) != NULL;
}

/* The page's web view, once it shows. */
static WebKitWebView *
get_web_view (GtkWidget *window)
{
  carnet_test_ui_wait_until (web_view_shown_cb, window, TIMEOUT_MS, "the web view");

  return WEBKIT_WEB_VIEW (carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW));
}

/* What the page shows, as WebKit draws it (the window's own rendering has
 * no web content, or an old one): beside the other screenshots. */
typedef struct
{
  GdkTexture *texture;
  gboolean    done;
} Snapshot;

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Snapshot *shot = user_data;
  g_autoptr(GError) error = NULL;

  shot->texture = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (object), result, &error);
  g_assert_no_error (error);
  shot->done = TRUE;
}

static gboolean
snapshot_done_cb (gpointer user_data)
{
  return ((Snapshot *) user_data)->done;
}

static void
save_page_snapshot (WebKitWebView *view,
                    const char    *name)
{
  Snapshot shot = { NULL, FALSE };
  g_autofree char *file = g_strconcat (name, "-page", NULL);

  webkit_web_view_get_snapshot (view, WEBKIT_SNAPSHOT_REGION_VISIBLE, WEBKIT_SNAPSHOT_OPTIONS_NONE,
                                NULL, snapshot_cb, &shot);
  carnet_test_ui_wait_until (snapshot_done_cb, &shot, TIMEOUT_MS, "the web view's snapshot");
  g_free (carnet_test_ui_save_texture (shot.texture, file));
  g_object_unref (shot.texture);
}

/* Keys of the X server's real keyboard (XTest, from libXtst), with the X
 * focus on @window: through GTK's event handling into the focused widget,
 * the web view included, as a parent's keys go. */
typedef int (*XTestFakeKeyEventFunc) (Display *, unsigned int, int, unsigned long);

static gboolean
window_active_cb (gpointer user_data)
{
  return gtk_window_is_active (user_data);
}

static void
press_real_keys (GtkWidget  *window,
                 const guint *keysyms,
                 gsize        n_keysyms)
{
  static XTestFakeKeyEventFunc fake_key = NULL;
  GdkDisplay *display = gtk_widget_get_display (window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *xdisplay;

  if (fake_key == NULL)
    {
      void *xtst = dlopen ("libXtst.so.6", RTLD_NOW);

      g_assert_nonnull (xtst);
      fake_key = (XTestFakeKeyEventFunc) dlsym (xtst, "XTestFakeKeyEvent");
      g_assert_nonnull (fake_key);
    }

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XFlush (xdisplay);
  carnet_test_ui_wait_until (window_active_cb, window, TIMEOUT_MS, "the X focus on the window");

  for (gsize i = 0; i < n_keysyms; i++)
    {
      guint keysym = keysyms[i];
      gboolean shift = keysym < 0x80 && isupper ((int) keysym);
      KeyCode keycode = XKeysymToKeycode (xdisplay, shift ? (guint) tolower ((int) keysym) : keysym);
      KeyCode shift_code = XKeysymToKeycode (xdisplay, XK_Shift_L);

      g_assert_cmpuint (keycode, !=, 0);
      if (shift)
        fake_key (xdisplay, shift_code, True, CurrentTime);
      fake_key (xdisplay, keycode, True, CurrentTime);
      fake_key (xdisplay, keycode, False, CurrentTime);
      if (shift)
        fake_key (xdisplay, shift_code, False, CurrentTime);
    }
  XFlush (xdisplay);
}

static void
press_real_key (GtkWidget *window,
                guint      keysym)
{
  press_real_keys (window, &keysym, 1);
}

/* @text (ASCII) typed on the real keyboard: Latin-1 keysyms are the characters. */
static void
type_real_text (GtkWidget  *window,
                const char *text)
{
  g_autofree guint *keysyms = g_new (guint, strlen (text));

  for (gsize i = 0; text[i] != '\0'; i++)
    keysyms[i] = (guchar) text[i];
  press_real_keys (window, keysyms, strlen (text));
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
  /* Names of places and platforms are the same in both languages. */
  const char * const allowed[] = {
    "Carnet", "ÉduConnect", "ENT Hauts-de-France", "Hauts-de-France", carnet_test_ent_get_host (ent), NULL
  };

  carnet_test_ui_assert_french (window, msgids, msgstrs, page, allowed);
  carnet_test_ui_assert_controls_named (window, page);
}

/* The welcome page has accepted an address: « Se connecter », and there
 * the EduConnect button. */
static void
go_to_login_page (GtkWidget *window)
{
  carnet_test_ui_wait_for_control (window, FR_LOG_IN_CHOICE, TIMEOUT_MS);
  carnet_test_ui_click (window, FR_LOG_IN_CHOICE);
  wait_for_page (window, "login");
  carnet_test_ui_wait_for_control_sensitive (window, FR_EDUCONNECT, TIMEOUT_MS);
}

/* The address typed, then as above. */
static void
open_login_page_at (GtkWidget  *window,
                    const char *address)
{
  carnet_test_ui_type_into (window, FR_ADDRESS, address);
  carnet_test_ui_press_enter (window, FR_ADDRESS);
  go_to_login_page (window);
}

static void
open_login_page (GtkWidget *window)
{
  open_login_page_at (window, carnet_test_ent_get_host (ent));
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
      save_page_snapshot (view, name);
    }
  check_french (window, "educonnect (wayf)");
  g_free (run_in_page (view, "document.querySelector('a.educonnect').click(); true"));

  /* EduConnect's own page, on its own port. */
  wait_in_page (view, "document.getElementById('username') !== null && document.readyState === 'complete'");
  g_assert_true (g_str_has_prefix (webkit_web_view_get_uri (view), carnet_test_ent_get_idp_url (ent)));

  return view;
}

/* Types into EduConnect's form, in the page. */
static void
fill_idp_form (WebKitWebView *view,
               const char    *login,
               const char    *password)
{
  g_autofree char *script = g_strdup_printf ("document.getElementById('username').value = '%s';"
                                             "document.getElementById('password').value = '%s'; true",
                                             login, password);

  g_free (run_in_page (view, script));
}

/* … and presses its button. */
static void
submit_idp_form (WebKitWebView *view,
                 const char    *login,
                 const char    *password)
{
  fill_idp_form (view, login, password);
  g_free (run_in_page (view, "document.getElementById('bouton_valider').click(); true"));
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
  /* The profile says why: the password is EduConnect's. */
  g_assert_nonnull (carnet_test_ui_find_label_text (window, FR_SIGN_IN));
  g_assert_nonnull (carnet_test_ui_find_by_label (window, FR_SIGN_IN_ROW));
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

/* A new window on the login page of the test ENT, reset, on a shared
 * machine or not. */
static GtkWidget *
new_login_window (gboolean shared)
{
  GtkWidget *window;

  carnet_test_ent_reset (ent);
  set_shared (shared);
  window = new_window ();
  open_login_page (window);

  return window;
}

/* From the login page, EduConnect's form filled for a.roux25, to her
 * account and Théo in her children. */
static void
log_in_with_educonnect (GtkWidget  *window,
                        const char *screenshot)
{
  WebKitWebView *view = open_idp_form (window, NULL);

  submit_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  wait_for_account (window, "Théo Roux", screenshot);
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

  window = new_login_window (FALSE);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-login-page"));
  check_french (window, "login (EduConnect)");

  view = open_idp_form (window, "educonnect-loading");
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-idp"));
  save_page_snapshot (view, "educonnect-idp");

  /* A wrong password: EduConnect says so, in its page. */
  submit_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, "pas-le-bon");
  wait_in_page (view, "document.getElementById('erreur') !== null && document.readyState === 'complete'");
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-idp-error"));
  save_page_snapshot (view, "educonnect-idp-error");
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

  window = new_login_window (FALSE);
  view = open_idp_form (window, NULL);
  submit_idp_form (view, CARNET_TEST_EDUCONNECT_TWO_LOGIN, CARNET_TEST_EDUCONNECT_TWO_PASSWORD);

  wait_in_page (view, "document.querySelectorAll('form[action=\"/auth/saml/selectUser\"]').length === 2"
                      " && document.readyState === 'complete'");
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-select-user"));
  save_page_snapshot (view, "educonnect-select-user");
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

  window = new_login_window (FALSE);
  open_idp_form (window, NULL);
  carnet_test_ui_click (window, FR_CANCEL);
  wait_for_page (window, "login");
  g_assert_null (carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW));
  carnet_test_ui_destroy (window);
}


/* Nothing of the attempt stays: no web view, nothing in the keyring. */
static void
assert_nothing_kept (GtkWidget *window)
{
  g_autoptr(GPtrArray) accounts = NULL;

  g_assert_null (carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW));
  accounts = carnet_test_ui_keyring_list ();
  g_assert_cmpuint (accounts->len, ==, 0);
}

/* The error page says @message in French, with « Réessayer » focused. */
static void
wait_for_error (GtkWidget  *window,
                const char *message,
                const char *screenshot)
{
  GtkWidget *retry;

  carnet_test_ui_wait_for_label (window, message, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, screenshot));
  g_assert_cmpstr (carnet_window_get_page_name (CARNET_WINDOW (window)), ==, "educonnect");
  g_assert_nonnull (carnet_test_ui_find_label_text (window, FR_FAILED));
  retry = carnet_test_ui_get_by_label (window, FR_RETRY);
  g_assert_true (gtk_widget_has_focus (retry));
  check_french (window, screenshot);
  assert_nothing_kept (window);
}

/* The portal shows a certificate that the CA file (the only one trusted
 * here) does not cover: Carnet's own French message, which names the
 * connection service's host (not the ENT's address the parent typed); the
 * certificate is not allowed, so not one request reaches that server,
 * then or on « Réessayer ». */
static void
test_untrusted_certificate (void)
{
  g_autofree char *address = g_strdup_printf ("localhost:%s", strrchr (carnet_test_ent_get_host (ent), ':') + 1);
  g_autofree char *portal_host = g_strndup (carnet_test_ent_get_host (untrusted_ent),
                                            strrchr (carnet_test_ent_get_host (untrusted_ent), ':') -
                                            carnet_test_ent_get_host (untrusted_ent));
  g_autofree char *untrusted = g_strdup_printf (FR_UNTRUSTED, portal_host);
  GtkWidget *window;

  carnet_test_ent_reset (ent);
  carnet_test_ent_reset (untrusted_ent);
  set_shared (FALSE);
  window = new_window ();
  open_login_page_at (window, address);
  carnet_test_ui_click (window, FR_EDUCONNECT);
  wait_for_page (window, "educonnect");
  wait_for_error (window, untrusted, "educonnect-untrusted");
  g_assert_cmpuint (carnet_test_ent_count_requests (untrusted_ent, "*"), ==, 0);

  carnet_test_ui_click (window, FR_RETRY);
  wait_for_error (window, untrusted, "educonnect-untrusted-again");
  g_assert_cmpuint (carnet_test_ent_count_requests (untrusted_ent, "*"), ==, 0);
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/saml/wayf"), ==, 0);

  carnet_test_ui_click (window, FR_CANCEL);
  wait_for_page (window, "login");
  carnet_test_ui_destroy (window);
}

static gboolean
wayf_asked_cb (gpointer user_data)
{
  return carnet_test_ent_count_requests (ent, "/auth/saml/wayf") >= GPOINTER_TO_UINT (user_data);
}

/* The portal fails (a 502), then cannot be reached (the connection
 * dropped): each time a French message and « Réessayer »; once it is
 * back, « Réessayer » opens it and the login goes through. */
static void
test_portal_failing (void)
{
  GtkWidget *window;
  WebKitWebView *view;

  window = new_login_window (FALSE);

  carnet_test_ent_set_fault (ent, "/auth/saml/wayf", "502", 0, -1);
  carnet_test_ui_click (window, FR_EDUCONNECT);
  wait_for_page (window, "educonnect");
  wait_for_error (window, FR_PORTAL_5XX, "educonnect-portal-5xx");
  g_assert_cmpuint (carnet_test_ent_count_requests (ent, "/auth/saml/wayf"), >=, 1);

  carnet_test_ent_clear_faults (ent);
  carnet_test_ent_set_fault (ent, "/auth/saml/wayf", "drop", 0, -1);
  carnet_test_ui_click (window, FR_RETRY);
  carnet_test_ui_wait_until (wayf_asked_cb, GUINT_TO_POINTER (2), TIMEOUT_MS, "the portal asked again");
  wait_for_error (window, FR_PORTAL_DOWN, "educonnect-portal-unreachable");

  /* Back: « Réessayer », and on to the account. */
  carnet_test_ent_clear_faults (ent);
  carnet_test_ui_click (window, FR_RETRY);
  view = get_web_view (window);
  wait_in_page (view, "document.querySelector('a.educonnect') !== null && document.readyState === 'complete'");
  g_free (run_in_page (view, "document.querySelector('a.educonnect').click(); true"));
  wait_in_page (view, "document.getElementById('username') !== null && document.readyState === 'complete'");
  submit_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  wait_for_account (window, "Théo Roux", "educonnect-portal-back-account");
  log_out (window, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  carnet_test_ui_destroy (window);
}

/* The ENT ends the session while the parent is on the account: back to
 * the login page with a line that says to use EduConnect again, not the
 * dialog that asks for an ENT password the parent does not have. */
static void
test_session_expired (void)
{
  GtkWidget *window;
  GtkWidget *button;

  window = new_login_window (FALSE);
  log_in_with_educonnect (window, "educonnect-expired-account");

  carnet_test_ent_expire_sessions (ent);
  /* The parent changes the notification email: the ENT answers that the
   * session is over. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (carnet_test_ui_find_by_type (window, ADW_TYPE_VIEW_STACK)),
                                         "profile");
  carnet_test_ui_type_into (window, FR_NEW_EMAIL, "amandine.roux@example.org");
  carnet_test_ui_press_enter (window, FR_NEW_EMAIL);

  wait_for_page (window, "login");
  carnet_test_ui_wait_for_label (window, FR_EXPIRED, TIMEOUT_MS);
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-session-expired"));
  check_french (window, "login (EduConnect session expired)");
  g_assert_null (carnet_test_ui_find_message_dialog ());
  /* The way back in is the one the parent took, ready for Enter. */
  button = carnet_test_ui_get_by_label (window, FR_EDUCONNECT);
  g_assert_true (gtk_widget_has_focus (button));
  assert_nothing_kept (window);
  g_assert_cmpuint (carnet_test_ent_session_count (ent, CARNET_TEST_EDUCONNECT_ENT_LOGIN), ==, 0);

  /* And EduConnect again reaches the account. */
  log_in_with_educonnect (window, "educonnect-expired-again-account");
  log_out (window, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  carnet_test_ui_destroy (window);
}

static gboolean
web_view_focused_cb (gpointer user_data)
{
  GtkWidget *window = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *view = carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW);

  return view != NULL && focus != NULL && (focus == view || gtk_widget_is_ancestor (focus, view));
}

/* The keyboard alone: Tab to « Se connecter avec ÉduConnect », Enter;
 * the web view has the focus, so the parent's keys go into the portal's
 * page (Tab to its link, Enter, Tab to EduConnect's fields, typed); Escape
 * goes back to the login page. Accessible names on the web view and the
 * page's buttons. */
static void
test_keyboard (void)
{
  GtkWidget *window;
  GtkWidget *button;
  WebKitWebView *view;
  guint tabs = 0;

  window = new_login_window (FALSE);

  button = carnet_test_ui_get_by_label (window, FR_EDUCONNECT);
  while (!gtk_widget_has_focus (button))
    {
      g_assert_cmpuint (++tabs, <, 30);
      press_real_key (window, XK_Tab);
      carnet_test_ui_wait_for_frame (window);
    }
  press_real_key (window, XK_Return);
  wait_for_page (window, "educonnect");

  view = get_web_view (window);
  {
    g_autofree char *name = carnet_test_ui_get_accessible_label (GTK_WIDGET (view));

    g_assert_cmpstr (name, ==, FR_WEB_VIEW);
  }
  wait_in_page (view, "document.querySelector('a.educonnect') !== null && document.readyState === 'complete'");
  carnet_test_ui_wait_until (web_view_focused_cb, window, TIMEOUT_MS, "the focus in the web view");
  check_french (window, "educonnect (keyboard)");

  /* In the portal's page: its first link is EduConnect's. */
  press_real_key (window, XK_Tab);
  wait_in_page (view, "document.activeElement !== null && document.activeElement.matches ('a.educonnect')");
  press_real_key (window, XK_Return);
  wait_in_page (view, "document.getElementById('username') !== null && document.readyState === 'complete'");
  carnet_test_ui_wait_until (web_view_focused_cb, window, TIMEOUT_MS, "the focus still in the web view");
  press_real_key (window, XK_Tab);
  wait_in_page (view, "document.activeElement === document.getElementById('username')");
  type_real_text (window, CARNET_TEST_EDUCONNECT_LOGIN);
  {
    g_autofree char *script = g_strdup_printf ("document.getElementById('username').value === '%s'",
                                               CARNET_TEST_EDUCONNECT_LOGIN);

    wait_in_page (view, script);
  }

  /* Escape: back to the login page, the web view gone, the EduConnect
   * button ready again. */
  press_real_key (window, XK_Escape);
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

/* The files under @dirs (a folder inside an earlier one listed once), but
 * not under @skip. */
static void
list_under (const char * const *dirs,
            const char         *skip,
            GPtrArray          *files)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      gboolean inside = FALSE;

      for (gsize j = 0; j < i; j++)
        inside |= g_str_has_prefix (dirs[i], dirs[j]) &&
                  (dirs[i][strlen (dirs[j])] == '/' || dirs[i][strlen (dirs[j])] == '\0');
      if (!inside)
        list_files (dirs[i], all);
    }
  for (guint i = 0; i < all->len; i++)
    {
      char *path = g_ptr_array_index (all, i);

      if (skip == NULL || !g_str_has_prefix (path, skip))
        g_ptr_array_add (files, g_strdup (path));
    }
}

/* Whether @path is a folder a session makes whatever it shows: the XDG
 * cache folder itself, and Mesa's compiled GL shaders in it (GTK's
 * renderer and WebKit's both draw with GL here; shaders, no web content:
 * its files are searched for the secrets as any other). */
static gboolean
is_graphics_cache (const char *path)
{
  g_autofree char *mesa = g_build_filename (g_get_user_cache_dir (), "mesa_shader_cache", NULL);

  return g_str_equal (path, g_get_user_cache_dir ()) ||
         (g_str_has_prefix (path, mesa) && (path[strlen (mesa)] == '/' || path[strlen (mesa)] == '\0'));
}

/* The contents of @path, a regular file (sockets and pipes in the runtime
 * folder are not read), or NULL. */
static char *
read_regular (const char *path,
              gsize      *length)
{
  char *contents = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK) ||
      !g_file_get_contents (path, &contents, length, NULL))
    return NULL;

  return contents;
}

/* Every file of the session's folders (see below) and its checksum (""
 * for what is not a regular file). */
static void
list_session_files (GPtrArray *kept,
                    GPtrArray *runtime)
{
  const char * const kept_dirs[] = {
    g_get_home_dir (), g_get_user_config_dir (), g_get_user_data_dir (), g_get_user_cache_dir (),
    g_get_user_state_dir (), NULL
  };
  const char * const runtime_dirs[] = { g_get_user_runtime_dir (), NULL };
  g_autofree char *doc = g_build_filename (g_get_user_runtime_dir (), "doc", NULL);

  list_under (kept_dirs, NULL, kept);
  list_under (runtime_dirs, doc, runtime);
}

static char *
checksum_of (const char *path)
{
  gsize length;
  g_autofree char *contents = read_regular (path, &length);

  return contents != NULL ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length)
                          : g_strdup ("");
}

/* The session's folders before a case: what the case changes is its own
 * (the earlier cases of this run share $HOME, and wrote there as an
 * unshared machine does). */
static GHashTable *
snapshot_session_files (void)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) runtime = g_ptr_array_new_with_free_func (g_free);
  GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  list_session_files (kept, runtime);
  g_ptr_array_extend_and_steal (kept, g_steal_pointer (&runtime));
  for (guint i = 0; i < kept->len; i++)
    {
      const char *path = g_ptr_array_index (kept, i);

      g_hash_table_insert (sums, g_strdup (path), checksum_of (path));
    }

  return sums;
}

static void
assert_holds_no_secret (const char         *path,
                        GHashTable         *before,
                        const char * const *secrets)
{
  g_autofree char *contents = NULL;
  gsize length;
  const char *sum = g_hash_table_lookup (before, path);

  contents = read_regular (path, &length);
  if (contents == NULL)
    return;
  /* Unchanged since before the case: not this session's. */
  if (sum != NULL)
    {
      g_autofree char *now = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);

      if (g_str_equal (now, sum))
        return;
    }
  for (const char * const *secret = secrets; *secret != NULL; secret++)
    if (memmem (contents, length, *secret, strlen (*secret)) != NULL)
      g_error ("%s holds something of the login (%zu bytes) on a shared machine", path, strlen (*secret));
}

/* After a logout on a shared machine, what stays for the next person:
 * $HOME and the XDG folders (under $HOME in build-aux/dev, but a run may
 * set them elsewhere) have no WebKit data (its storage, cookies, local
 * storage, IndexedDB, caches), and no file that the case wrote or changed
 * (@before: the folders before it) holds one of @secrets (the EduConnect
 * password, the ENT's session, the logins). The runtime folder (a tmpfs
 * that ends with the system session; WebKit's sandbox leaves its
 * bubblewrap info and D-Bus proxies' sockets there, not web data) holds
 * none of @secrets either; the document portal's mount is not read. */
static void
assert_nothing_on_disk (GHashTable         *before,
                        const char * const *secrets)
{
  const char * const names[] = { "webkit", "cookie", "localstorage", "local storage", "indexeddb",
                                 "cache", "websql", "databases", "serviceworker", "hsts", "mediakeys",
                                 "deviceidhashsalts", "resourceloadstatistics", NULL };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) runtime = g_ptr_array_new_with_free_func (g_free);

  list_session_files (files, runtime);
  g_test_message ("%u paths under %s and the XDG folders", files->len, g_get_home_dir ());
  for (guint i = 0; i < files->len; i++)
    g_test_message ("  %s", (const char *) g_ptr_array_index (files, i));
  /* Not a check that cannot fail: gnome-keyring's folder, at least. */
  g_assert_cmpuint (files->len, >, 0);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *lower = g_ascii_strdown (path, -1);

      for (const char * const *n = names; *n != NULL; n++)
        if (strstr (lower, *n) != NULL && !is_graphics_cache (path))
          g_error ("%s: the web view kept something on a shared machine", path);
      assert_holds_no_secret (path, before, secrets);
    }
  for (guint i = 0; i < runtime->len; i++)
    assert_holds_no_secret (g_ptr_array_index (runtime, i), before, secrets);
}

/* A shared machine: after the logout, nothing under $HOME holds WebKit's
 * data, a cookie or the EduConnect password. */
static void
test_shared_machine (void)
{
  const char * const secrets[] = { CARNET_TEST_EDUCONNECT_PASSWORD, "oneSessionId", NULL };
  g_autoptr(GHashTable) before = snapshot_session_files ();
  GtkWidget *window;

  window = new_login_window (TRUE);
  log_in_with_educonnect (window, "educonnect-shared-account");
  log_out (window, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-shared-logged-out"));
  carnet_test_ui_destroy (window);
  set_shared (FALSE);

  assert_nothing_on_disk (before, secrets);
}

/* The value of the ENT's oneSessionId cookie that @window's session holds. */
static char *
dup_one_session_id (GtkWidget *window)
{
  CarnetSession *session = carnet_window_get_session (CARNET_WINDOW (window));
  g_autofree char *header = carnet_ent_client_dup_session_cookies (carnet_session_get_client (session));
  g_auto(GStrv) cookies = NULL;

  g_assert_nonnull (header);
  cookies = g_strsplit (header, ";", -1);
  for (guint i = 0; cookies[i] != NULL; i++)
    {
      const char *cookie = g_strstrip (cookies[i]);

      if (g_str_has_prefix (cookie, "oneSessionId=") && cookie[strlen ("oneSessionId=")] != '\0')
        return g_strdup (cookie + strlen ("oneSessionId="));
    }
  g_error ("no oneSessionId in the session's cookies");
}

static gboolean
focus_is_cb (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_root_get_focus (gtk_widget_get_root (widget)) == widget;
}

static gboolean
focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Issue 15 from end to end, as its "done when" says: on a shared machine,
 * a parent finds « ENT Hauts-de-France » by typing « lille » on the
 * welcome page and picks it with the keyboard, logs in with EduConnect,
 * sees the children, logs out; then nothing is kept: no WebKit data, no
 * password, session or login in any file of the session's folders,
 * nothing in the keyring, and the ENT's session closed. */
static void
test_lille_shared_machine (void)
{
  g_autofree char *one_session_id = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) before = snapshot_session_files ();
  GtkWidget *window;
  GtkWidget *row;
  WebKitWebView *view;

  carnet_test_ent_reset (ent);
  set_shared (TRUE);
  /* A machine where Carnet knows no ENT yet (the earlier cases' address
   * is in this run's settings). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_reset (settings, "ent-url");
    g_settings_sync ();
  }
  window = new_window ();
  g_assert_cmpstr (carnet_test_ui_get_text (window, FR_ADDRESS), ==, "");

  /* « lille »: the region's ENT. */
  carnet_test_ui_type_into (window, FR_SEARCH, "lille");
  carnet_test_ui_wait_for_control (window, FR_HDF_ROW, TIMEOUT_MS);
  row = carnet_test_ui_get_by_label (window, FR_HDF_ROW);
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-lille-search"));
  check_french (window, "welcome (search « lille »)");

  /* The keyboard: Tab from the search to the result, Enter. */
  g_assert_true (focus_within (carnet_test_ui_get_by_label (window, FR_SEARCH)));
  press_real_key (window, XK_Tab);
  carnet_test_ui_wait_until (focus_is_cb, row, TIMEOUT_MS, "the focus on « ENT Hauts-de-France »");
  press_real_key (window, XK_Return);
  carnet_test_ui_wait_for_control (window, FR_LOG_IN_CHOICE, TIMEOUT_MS);
  g_assert_cmpstr (carnet_test_ui_get_text (window, FR_ADDRESS), ==, carnet_test_ent_get_host (ent));
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-lille-picked"));

  go_to_login_page (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-lille-login-page"));
  check_french (window, "login (ENT Hauts-de-France)");

  /* EduConnect's form, filled in as the parent does. */
  view = open_idp_form (window, "educonnect-lille");
  fill_idp_form (view, CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_PASSWORD);
  carnet_test_ui_wait_for_frame (window);
  save_page_snapshot (view, "educonnect-lille-idp");
  g_free (run_in_page (view, "document.getElementById('bouton_valider').click(); true"));

  /* The account, its children. */
  wait_for_account (window, "Théo Roux", "educonnect-lille-account");
  g_assert_nonnull (carnet_test_ui_find_label_text (window, "Chloé Roux"));
  check_french (window, "account (ENT Hauts-de-France, children)");
  one_session_id = dup_one_session_id (window);
  g_assert_true (carnet_test_ent_session_is_open (ent, one_session_id));

  /* « Se déconnecter »: the ENT's session is closed. */
  log_out (window, CARNET_TEST_EDUCONNECT_ENT_LOGIN);
  g_assert_false (carnet_test_ent_session_is_open (ent, one_session_id));
  carnet_test_ui_wait_for_frame (window);
  g_free (carnet_test_ui_save_screenshot (window, "educonnect-lille-logged-out"));
  check_french (window, "welcome (after the logout)");
  g_assert_null (carnet_test_ui_find_by_type (window, WEBKIT_TYPE_WEB_VIEW));
  carnet_test_ui_destroy (window);
  set_shared (FALSE);

  /* Nothing kept: the keyring, the files. */
  accounts = carnet_test_ui_keyring_list ();
  g_assert_cmpuint (accounts->len, ==, 0);
  {
    const char * const secrets[] = {
      CARNET_TEST_EDUCONNECT_PASSWORD, one_session_id, "oneSessionId",
      CARNET_TEST_EDUCONNECT_LOGIN, CARNET_TEST_EDUCONNECT_ENT_LOGIN, NULL
    };

    assert_nothing_on_disk (before, secrets);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *directory = NULL;
  g_autofree char *json = NULL;
  g_autofree char *callback = NULL;
  g_autofree char *keywords = NULL;
  g_autoptr(CarnetEntDirectory) builtin = NULL;
  g_autoptr(GError) error = NULL;
  int fd;
  int status;

  carnet_test_ui_init (&argc, &argv);
  carnet_test_ui_load_po (&msgids, &msgstrs);

  ent = carnet_test_ent_start ();
  untrusted_ent = carnet_test_ent_start_with_cert ("untrusted");

  /* The directory of this run: the region's platform on the test ENT,
   * found by the built-in list's keywords (src/ent/platforms.json). */
  callback = g_uri_escape_string (carnet_test_ent_get_url (ent), NULL, FALSE);
  builtin = carnet_ent_directory_new_builtin ();
  {
    const CarnetEntPlatform *hdf = carnet_ent_directory_lookup (builtin, "enthdf.fr");
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) node = NULL;

    g_assert_nonnull (hdf);
    json_builder_begin_array (builder);
    for (const char * const *k = carnet_ent_platform_get_keywords (hdf); *k != NULL; k++)
      json_builder_add_string_value (builder, *k);
    json_builder_end_array (builder);
    node = json_builder_get_root (builder);
    keywords = json_to_string (node, FALSE);
  }
  json = g_strdup_printf ("{\n"
                          "  \"platforms\": [\n"
                          "    {\n"
                          "      \"id\": \"hdf\",\n"
                          "      \"name\": \"ENT Hauts-de-France\",\n"
                          "      \"region\": \"Hauts-de-France\",\n"
                          "      \"url\": \"%s\",\n"
                          "      \"wayf\": \"%s/auth/saml/wayf?callBack=%s%%2F\",\n"
                          "      \"keywords\": %s\n"
                          "    },\n"
                          "    {\n"
                          "      \"id\": \"untrusted\",\n"
                          "      \"name\": \"ENT du certificat inconnu\",\n"
                          "      \"region\": \"Bretagne\",\n"
                          "      \"url\": \"https://localhost:%s\",\n"
                          "      \"wayf\": \"%s/auth/saml/wayf?callBack=%s%%2F\",\n"
                          "      \"keywords\": [\"Rennes\"]\n"
                          "    }\n"
                          "  ]\n"
                          "}\n",
                          carnet_test_ent_get_url (ent), carnet_test_ent_get_url (ent), callback, keywords,
                          strrchr (carnet_test_ent_get_host (ent), ':') + 1,
                          carnet_test_ent_get_url (untrusted_ent), callback);
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
  g_test_add_func ("/ui/educonnect/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/ui/educonnect/portal-failing", test_portal_failing);
  g_test_add_func ("/ui/educonnect/session-expired", test_session_expired);
  g_test_add_func ("/ui/educonnect/keyboard", test_keyboard);
  g_test_add_func ("/ui/educonnect/lille-shared-machine", test_lille_shared_machine);

  status = g_test_run ();

  carnet_test_ent_stop (untrusted_ent);
  carnet_test_ent_stop (ent);
  g_unlink (directory);
  g_ptr_array_unref (msgids);
  g_ptr_array_unref (msgstrs);

  return status;
}
