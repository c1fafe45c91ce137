/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-educonnect-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "carnet-ent-directory.h"
#include "carnet-ent-error-private.h"
#include "carnet-ui-private.h"

/* The end of the flow, as the official mobile app finds it
 * (edificeio/edifice-mobile-framework,
 * src/framework/modules/auth/templates/wayf/screen.tsx,
 * onShouldStartLoadWithRequest): the first navigation back to the
 * platform's address once the portal has done its pages is stopped and
 * the login taken from there. The app reads the SAMLResponse from the
 * page and trades it for an OAuth token; Carnet speaks the ENT's web
 * session, so it lets the ENT's /auth/saml/acs set it (entcore's
 * SamlController) and stops the redirect that follows, to the ENT's
 * pages: every step of the ENT's login (wayf, authn, acs, selectUser) is
 * under /auth/, its pages are not. */
#define AUTH_PATH "/auth/"

struct _CarnetEduconnectPage
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkOverlay           *web_overlay;
  GtkProgressBar       *progress_bar;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  GtkLabel             *error_label;
  GtkButton            *retry_button;
  GtkButton            *cancel_button;

  CarnetSession        *session;
  char                 *wayf;
  GTlsDatabase         *ca_database;

  /* One attempt: its network session (ephemeral), its view, and what it
   * has under way (a chain check, the cookies, the adoption). */
  WebKitNetworkSession *network_session;
  WebKitWebView        *web_view;
  GCancellable         *cancellable;
  /* Host → its certificate that the CA file verified in this attempt. */
  GHashTable           *allowed_hosts;
  /* Loads again after an allowed certificate (see load_failed_with_tls_errors_cb). */
  guint                 tls_reloads;
  gboolean              finishing;
};

G_DEFINE_FINAL_TYPE (CarnetEduconnectPage, carnet_educonnect_page, GTK_TYPE_WIDGET)

enum {
  CANCELLED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* --- The attempt ---------------------------------------------------------------- */

static gboolean
drop_later_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static void
stop_attempt (CarnetEduconnectPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->finishing = FALSE;
  self->tls_reloads = 0;
  g_hash_table_remove_all (self->allowed_hosts);

  if (self->web_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->web_view, self);
      webkit_web_view_stop_loading (self->web_view);
      /* Off the page now; the view and its network session (whose cookies,
       * the ENT's and EduConnect's, lived only in memory) go once the main
       * loop is back: this may run inside one of the view's signals. */
      g_idle_add_full (G_PRIORITY_DEFAULT, drop_later_cb,
                       g_object_ref (self->web_view), g_object_unref);
      g_idle_add_full (G_PRIORITY_DEFAULT, drop_later_cb,
                       g_steal_pointer (&self->network_session), g_object_unref);
      gtk_overlay_set_child (self->web_overlay, NULL);
      self->web_view = NULL;
    }
  g_clear_object (&self->network_session);

  gtk_spinner_set_spinning (self->spinner, FALSE);
}

static void
show_error (CarnetEduconnectPage *self,
            const char           *message)
{
  stop_attempt (self);
  gtk_label_set_text (self->error_label, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

/* Whether @target is on the ENT's address (scheme, host and port). */
static gboolean
is_on_ent (CarnetEduconnectPage *self,
           GUri                 *target)
{
  const char *base = carnet_ent_client_get_base_url (carnet_session_get_client (self->session));
  g_autoptr(GUri) ent = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);

  if (ent == NULL || target == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (g_uri_get_scheme (target), g_uri_get_scheme (ent)) != 0 ||
      g_uri_get_host (target) == NULL ||
      g_ascii_strcasecmp (g_uri_get_host (target), g_uri_get_host (ent)) != 0)
    return FALSE;
  /* -1 is the scheme's default port, written or not. */
  return (g_uri_get_port (target) == -1 ? 443 : g_uri_get_port (target)) ==
         (g_uri_get_port (ent) == -1 ? 443 : g_uri_get_port (ent));
}

/* Whether @uri is on the ENT's address outside its login's pages. */
static gboolean
is_ent_page (CarnetEduconnectPage *self,
             const char           *uri)
{
  g_autoptr(GUri) target = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;

  if (!is_on_ent (self, target))
    return FALSE;

  return !g_str_has_prefix (g_uri_get_path (target), AUTH_PATH);
}

/* A certificate refused at @uri. On the ENT's own address, the ENT's
 * messages (its certificate, as everywhere in Carnet); elsewhere it is the
 * connection service's (EduConnect's, the identity provider's), which a
 * parent must not take for their ENT's: its host is named. */
static void
show_tls_error (CarnetEduconnectPage *self,
                const char           *uri,
                GTlsCertificateFlags  flags)
{
  g_autoptr(GUri) target = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *host = NULL;
  g_autofree char *message = NULL;

  if (target == NULL || g_uri_get_host (target) == NULL || is_on_ent (self, target))
    {
      g_autoptr(GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "");
      g_autoptr(GError) error = carnet_ent_error_from_transport (tls, flags);

      show_error (self, error->message);
      return;
    }

  host = carnet_ent_host_for_display (g_uri_get_host (target));
  if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    {
      /* Translators: the connection service is EduConnect (or whichever
       * identity provider the ENT sends to), not the ENT; %s is its host
       * name, e.g. educonnect.education.gouv.fr. */
      message = g_strdup_printf (_("The certificate of the connection service (%s) is not valid at this date. "
                                   "Check the computer’s date and time, or try again later."),
                                 host);
    }
  else
    {
      /* Translators: the connection service is EduConnect (or whichever
       * identity provider the ENT sends to), not the ENT; %s is its host
       * name, e.g. educonnect.education.gouv.fr. */
      message = g_strdup_printf (_("The certificate of the connection service (%s) is not trusted, "
                                   "so Carnet did not connect to it."),
                                 host);
    }
  show_error (self, message);
}

static void
adopt_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CarnetEduconnectPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_session_adopt_finish (CARNET_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("The EduConnect login did not open an ENT session: %s", error->message);
      show_error (self, error->message);
      return;
    }

  /* The session shows its next step; nothing of the login stays. */
  stop_attempt (self);
}

static void
cookies_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CarnetEduconnectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *cookies;

  cookies = webkit_cookie_manager_get_cookies_finish (WEBKIT_COOKIE_MANAGER (object), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("The web view's cookies could not be read: %s", error->message);
      show_error (self, _("Carnet could not open your account after the EduConnect login. Try again."));
      return;
    }

  carnet_session_adopt_async (self->session, cookies, self->cancellable,
                              adopt_cb, g_object_ref (self));
  g_list_free_full (cookies, (GDestroyNotify) soup_cookie_free);
}

/* The ENT has logged the parent in: its cookies become the session's. */
static void
finish_flow (CarnetEduconnectPage *self)
{
  WebKitCookieManager *manager;
  g_autofree char *ent_uri = NULL;

  if (self->finishing)
    return;
  self->finishing = TRUE;

  g_debug ("The EduConnect login reached the ENT");
  gtk_stack_set_visible_child_name (self->stack, "busy");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  ent_uri = g_strconcat (carnet_ent_client_get_base_url (carnet_session_get_client (self->session)), "/", NULL);
  manager = webkit_network_session_get_cookie_manager (self->network_session);
  webkit_cookie_manager_get_cookies (manager, ent_uri, self->cancellable,
                                     cookies_cb, g_object_ref (self));
}

/* --- The web view's signals ----------------------------------------------------- */

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  CarnetEduconnectPage     *self)
{
  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
      {
        WebKitNavigationAction *action =
          webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
        const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

        if (self->finishing || is_ent_page (self, uri))
          {
            webkit_policy_decision_ignore (decision);
            finish_flow (self);
            return TRUE;
          }
        return FALSE;
      }

    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      /* No other window: the login happens here or not at all. */
      webkit_policy_decision_ignore (decision);
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      {
        WebKitResponsePolicyDecision *response_decision = WEBKIT_RESPONSE_POLICY_DECISION (decision);
        WebKitURIResponse *response = webkit_response_policy_decision_get_response (response_decision);

        /* A portal that fails (5xx) says so in Carnet's words, with a way to try again. */
        if (webkit_response_policy_decision_is_main_frame_main_resource (response_decision) &&
            webkit_uri_response_get_status_code (response) >= 500)
          {
            webkit_policy_decision_ignore (decision);
            show_error (self, _("The login service has a problem right now. Try again later."));
            return TRUE;
          }
        return FALSE;
      }

    default:
      return FALSE;
    }
}

static void
load_changed_cb (WebKitWebView        *web_view,
                 WebKitLoadEvent       event,
                 CarnetEduconnectPage *self)
{
  gboolean loading = event != WEBKIT_LOAD_FINISHED;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), loading);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, loading, -1);
  if (event == WEBKIT_LOAD_FINISHED)
    g_debug ("EduConnect page loaded");
}

static void
progress_cb (WebKitWebView        *web_view,
             GParamSpec           *pspec,
             CarnetEduconnectPage *self)
{
  /* Never empty while loading: something shows at once. */
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 MAX (0.05, webkit_web_view_get_estimated_load_progress (web_view)));
}

static gboolean
load_failed_cb (WebKitWebView        *web_view,
                WebKitLoadEvent       event,
                const char           *uri,
                GError               *error,
                CarnetEduconnectPage *self)
{
  /* Stopped on purpose: the end of the flow, a new load, a 5xx. */
  if (self->finishing ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return TRUE;

  g_debug ("The EduConnect page did not load: %s", error->message);
  show_error (self, _("The login page could not be loaded. Check your Internet connection and try again."));

  return TRUE;
}

typedef struct
{
  CarnetEduconnectPage *self;
  WebKitWebView        *web_view;   /* the attempt's, unowned: compared only */
  GTlsCertificate      *certificate;
  GTlsCertificateFlags  errors;
  char                 *host;
  char                 *uri;
} TlsCheck;

static void
tls_check_free (TlsCheck *check)
{
  g_object_unref (check->self);
  g_object_unref (check->certificate);
  g_free (check->host);
  g_free (check->uri);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlsCheck, tls_check_free)

static void
verify_chain_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TlsCheck) check = user_data;
  CarnetEduconnectPage *self = check->self;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  flags = g_tls_database_verify_chain_finish (G_TLS_DATABASE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->web_view != check->web_view)
    return;

  if (error != NULL || flags != 0)
    {
      g_debug ("The certificate of %s is not the CA file's (%s, flags 0x%x)", check->host,
               error != NULL ? error->message : "verified", flags);
      show_tls_error (self, check->uri, flags != 0 ? flags : check->errors);
      return;
    }

  g_debug ("The certificate of %s is verified by the CA file", check->host);
  g_hash_table_insert (self->allowed_hosts, g_strdup (check->host), g_object_ref (check->certificate));
  webkit_network_session_allow_tls_certificate_for_host (self->network_session, check->certificate, check->host);
  webkit_web_view_load_uri (self->web_view, check->uri);
}

static gboolean
load_failed_with_tls_errors_cb (WebKitWebView        *web_view,
                                const char           *uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                CarnetEduconnectPage *self)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificate *allowed;
  TlsCheck *check;
  int port;

  g_debug ("TLS errors 0x%x on the EduConnect login", errors);

  /* Only the explicit CA file can make a certificate trusted. */
  if (self->ca_database == NULL || parsed == NULL || g_uri_get_host (parsed) == NULL)
    {
      show_tls_error (self, uri, errors);
      return TRUE;
    }

  /* Verified and allowed already: WebKit sends the exception to its
   * network process apart from the load, which may overtake it and fail
   * again with the same certificate; then it is loaded again, a few times
   * at most. Another certificate for the host is checked afresh. */
  allowed = g_hash_table_lookup (self->allowed_hosts, g_uri_get_host (parsed));
  if (allowed != NULL && g_tls_certificate_is_same (allowed, certificate))
    {
      if (++self->tls_reloads > 3)
        show_tls_error (self, uri, errors);
      else
        webkit_web_view_load_uri (web_view, uri);
      return TRUE;
    }

  port = g_uri_get_port (parsed) == -1 ? 443 : g_uri_get_port (parsed);
  identity = g_network_address_new (g_uri_get_host (parsed), port);

  check = g_new0 (TlsCheck, 1);
  check->self = g_object_ref (self);
  check->web_view = web_view;
  check->certificate = g_object_ref (certificate);
  check->errors = errors;
  check->host = g_strdup (g_uri_get_host (parsed));
  check->uri = g_strdup (uri);
  g_tls_database_verify_chain_async (self->ca_database, certificate,
                                     G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                     identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                     self->cancellable, verify_chain_cb, check);

  return TRUE;
}

static void
begin_attempt (CarnetEduconnectPage *self)
{
  WebKitSettings *settings;

  stop_attempt (self);

  self->cancellable = g_cancellable_new ();
  /* Always ephemeral: no cookie, cache or storage of EduConnect on disk,
   * and a new one for each attempt (nothing of the last parent's). */
  self->network_session = webkit_network_session_new_ephemeral ();
  webkit_network_session_set_tls_errors_policy (self->network_session, WEBKIT_TLS_ERRORS_POLICY_FAIL);

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "network-session", self->network_session,
                                 "hexpand", TRUE,
                                 "vexpand", TRUE,
                                 NULL);
  settings = webkit_web_view_get_settings (self->web_view);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->web_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("EduConnect login page"),
                                  -1);

  g_signal_connect (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self);
  g_signal_connect (self->web_view, "load-changed", G_CALLBACK (load_changed_cb), self);
  g_signal_connect (self->web_view, "load-failed", G_CALLBACK (load_failed_cb), self);
  g_signal_connect (self->web_view, "load-failed-with-tls-errors",
                    G_CALLBACK (load_failed_with_tls_errors_cb), self);
  g_signal_connect (self->web_view, "notify::estimated-load-progress", G_CALLBACK (progress_cb), self);

  gtk_overlay_set_child (self->web_overlay, GTK_WIDGET (self->web_view));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.05);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "web");

  g_debug ("Opening the EduConnect portal");
  webkit_web_view_load_uri (self->web_view, self->wayf);
  gtk_widget_grab_focus (GTK_WIDGET (self->web_view));
}

/* --- Controls --------------------------------------------------------------------- */

static void
retry_clicked_cb (CarnetEduconnectPage *self)
{
  if (self->session != NULL && self->wayf != NULL)
    begin_attempt (self);
}

static void
cancel_clicked_cb (CarnetEduconnectPage *self)
{
  carnet_educonnect_page_stop (self);
  g_signal_emit (self, signals [CANCELLED], 0);
}

/* Escape, from anywhere in the page (the web view lets the keys its page
 * does not use go on): as « Annuler ». */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  cancel_clicked_cb (CARNET_EDUCONNECT_PAGE (widget));

  return TRUE;
}

/* --- API -------------------------------------------------------------------------- */

const char *
carnet_educonnect_page_lookup_wayf (CarnetSession *session)
{
  const CarnetEntPlatform *platform;

  if (session == NULL)
    return NULL;

  platform = carnet_ent_directory_lookup (carnet_ent_directory_get_default (),
                                          carnet_ent_client_get_base_url (carnet_session_get_client (session)));

  return platform != NULL ? carnet_ent_platform_get_wayf (platform) : NULL;
}

gboolean
carnet_educonnect_page_start (CarnetEduconnectPage *self,
                              CarnetSession        *session,
                              const char           *ca_file)
{
  const char *wayf;

  g_return_val_if_fail (CARNET_IS_EDUCONNECT_PAGE (self), FALSE);
  g_return_val_if_fail (CARNET_IS_SESSION (session), FALSE);

  carnet_educonnect_page_stop (self);

  wayf = carnet_educonnect_page_lookup_wayf (session);
  if (wayf == NULL)
    return FALSE;

  g_set_object (&self->session, session);
  g_free (self->wayf);
  self->wayf = g_strdup (wayf);

  g_clear_object (&self->ca_database);
  if (ca_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* A few kilobytes read once, as the ENT client does with the same file. */
      self->ca_database = g_tls_file_database_new (ca_file, &error);
      if (self->ca_database == NULL)
        g_warning ("The CA file cannot be read: %s", error->message);
    }

  begin_attempt (self);

  return TRUE;
}

void
carnet_educonnect_page_stop (CarnetEduconnectPage *self)
{
  g_return_if_fail (CARNET_IS_EDUCONNECT_PAGE (self));

  stop_attempt (self);
  gtk_label_set_text (self->error_label, "");
  gtk_stack_set_visible_child_name (self->stack, "web");
}

/* --- The widget --------------------------------------------------------------------- */

static gboolean
carnet_educonnect_page_grab_focus (GtkWidget *widget)
{
  CarnetEduconnectPage *self = CARNET_EDUCONNECT_PAGE (widget);
  const char *shown = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (shown, "error") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
  if (g_strcmp0 (shown, "web") == 0 && self->web_view != NULL)
    return gtk_widget_grab_focus (GTK_WIDGET (self->web_view));

  return gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

static void
carnet_educonnect_page_dispose (GObject *object)
{
  CarnetEduconnectPage *self = CARNET_EDUCONNECT_PAGE (object);

  stop_attempt (self);
  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_EDUCONNECT_PAGE);
  g_clear_object (&self->session);
  g_clear_object (&self->ca_database);

  G_OBJECT_CLASS (carnet_educonnect_page_parent_class)->dispose (object);
}

static void
carnet_educonnect_page_finalize (GObject *object)
{
  CarnetEduconnectPage *self = CARNET_EDUCONNECT_PAGE (object);

  g_clear_pointer (&self->wayf, g_free);
  g_clear_pointer (&self->allowed_hosts, g_hash_table_unref);

  G_OBJECT_CLASS (carnet_educonnect_page_parent_class)->finalize (object);
}

static void
carnet_educonnect_page_class_init (CarnetEduconnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_educonnect_page_dispose;
  object_class->finalize = carnet_educonnect_page_finalize;
  widget_class->grab_focus = carnet_educonnect_page_grab_focus;

  signals [CANCELLED] =
    g_signal_new ("cancelled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-educonnect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, web_overlay);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetEduconnectPage, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
}

static void
carnet_educonnect_page_init (CarnetEduconnectPage *self)
{
  self->allowed_hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}
