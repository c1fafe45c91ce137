/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-window.h"

#include <glib/gi18n.h>

#include "carnet-ui-private.h"

#include "carnet-account-page.h"
#include "carnet-login-page.h"
#include "carnet-welcome-page.h"

struct _CarnetWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkButton            *back_button;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  CarnetWelcomePage    *welcome_page;
  CarnetLoginPage      *login_page;
  CarnetAccountPage    *account_page;
  AdwStatusPage        *soon_page;

  GSettings            *settings;
  CarnetEntClient      *client;
  char                 *ent_url;
  char                 *ca_file;
};

G_DEFINE_FINAL_TYPE (CarnetWindow, carnet_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ENT_URL,
  PROP_CA_FILE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
show_page (CarnetWindow *self,
           const char   *name,
           const char   *title)
{
  GtkWidget *page;
  gboolean can_go_back;
  const char *subtitle = NULL;

  /* The pages have their own headings; the header bar only adds which ENT. */
  if (title != NULL && self->client != NULL)
    subtitle = carnet_ent_client_get_host (self->client);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  can_go_back = g_str_equal (name, "login") || g_str_equal (name, "soon");
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);

  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_visible_child (self->stack);
  gtk_widget_grab_focus (page);
}

static void
show_soon (CarnetWindow *self,
           const char   *title)
{
  adw_status_page_set_title (self->soon_page, title);
  show_page (self, "soon", NULL);
}

static gboolean
address_is_ready (CarnetWindow *self)
{
  return self->client != NULL && carnet_welcome_page_get_accepted (self->welcome_page);
}

static void
back_activated_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);
  const char *page = carnet_window_get_page_name (self);

  if (g_str_equal (page, "welcome"))
    {
      carnet_welcome_page_cancel (self->welcome_page);
    }
  else if (g_str_equal (page, "login"))
    {
      carnet_login_page_cancel (self->login_page);
      show_page (self, "welcome", NULL);
    }
  else if (g_str_equal (page, "soon"))
    {
      show_page (self, "welcome", NULL);
    }
  /* On the account page the way out is "Log out". */
}

static void
login_activated_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (!address_is_ready (self))
    return;

  show_page (self, "login", NULL);
}

static void
first_connection_activated_cb (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (address_is_ready (self))
    show_soon (self, _("First Connection"));
}

static void
forgot_login_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (address_is_ready (self))
    show_soon (self, _("Forgotten Login"));
}

static void
forgot_password_activated_cb (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  CarnetWindow *self = CARNET_WINDOW (widget);

  if (address_is_ready (self))
    show_soon (self, _("Forgotten Password"));
}

static void
address_accepted_cb (CarnetWindow      *self,
                     CarnetEntClient   *client,
                     CarnetEntContext  *context,
                     CarnetWelcomePage *page)
{
  const char *host = carnet_ent_client_get_host (client);

  g_set_object (&self->client, client);
  carnet_login_page_set_client (self->login_page, client);

  /* Next time, the letter is not needed to find the ENT again. */
  if (self->settings != NULL &&
      g_settings_is_writable (self->settings, "ent-url"))
    {
      g_autofree char *saved = g_settings_get_string (self->settings, "ent-url");

      if (g_strcmp0 (saved, host) != 0)
        g_settings_set_string (self->settings, "ent-url", host);
    }
}

static void
logged_in_cb (CarnetWindow          *self,
              CarnetEntUser         *user,
              CarnetEntRequirements *requirements,
              CarnetLoginPage       *page)
{
  carnet_account_page_set_account (self->account_page, self->client, user, requirements);
  /* The password has done its work: it must not stay in a widget. */
  carnet_login_page_reset (self->login_page, TRUE);
  show_page (self, "account", _("Your Account"));
}

static void
logged_out_cb (CarnetWindow      *self,
               CarnetAccountPage *page)
{
  gboolean shared = FALSE;

  if (self->settings != NULL)
    shared = g_settings_get_boolean (self->settings, "shared-machine");

  carnet_login_page_reset (self->login_page, !shared);
  show_page (self, "welcome", NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("You are logged out.")));
}

const char *
carnet_window_get_page_name (CarnetWindow *self)
{
  const char *name;

  g_return_val_if_fail (CARNET_IS_WINDOW (self), NULL);

  name = gtk_stack_get_visible_child_name (self->stack);

  return name ? name : "welcome";
}

CarnetEntClient *
carnet_window_get_client (CarnetWindow *self)
{
  g_return_val_if_fail (CARNET_IS_WINDOW (self), NULL);

  return self->client;
}

CarnetWindow *
carnet_window_new (GtkApplication *application,
                   const char     *ent_url,
                   const char     *ca_file)
{
  return g_object_new (CARNET_TYPE_WINDOW,
                       "application", application,
                       "ent-url", ent_url,
                       "ca-file", ca_file,
                       NULL);
}

static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Running uninstalled without the compiled schema: no settings, no crash. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; settings are not used", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
carnet_window_constructed (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);
  g_autofree char *address = NULL;
  gboolean writable = TRUE;

  G_OBJECT_CLASS (carnet_window_parent_class)->constructed (object);

  carnet_welcome_page_set_ca_file (self->welcome_page, self->ca_file);

  if (self->settings != NULL)
    {
      writable = g_settings_is_writable (self->settings, "ent-url");
      address = g_settings_get_string (self->settings, "ent-url");
    }

  /* The command line wins over the last address, not over a locked one. */
  if (writable && self->ent_url != NULL && *self->ent_url != '\0')
    {
      g_free (address);
      address = g_strdup (self->ent_url);
    }

  carnet_welcome_page_set_address_editable (self->welcome_page, writable);
  show_page (self, "welcome", NULL);

  if (address != NULL && *address != '\0')
    {
      carnet_welcome_page_set_address (self->welcome_page, address);
      carnet_welcome_page_check_address (self->welcome_page);
    }
}

static void
carnet_window_dispose (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CARNET_TYPE_WINDOW);

  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (carnet_window_parent_class)->dispose (object);
}

static void
carnet_window_finalize (GObject *object)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  g_clear_pointer (&self->ent_url, g_free);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (carnet_window_parent_class)->finalize (object);
}

static void
carnet_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENT_URL:
      g_value_set_string (value, self->ent_url);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CarnetWindow *self = CARNET_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ENT_URL:
      self->ent_url = g_value_dup_string (value);
      break;

    case PROP_CA_FILE:
      self->ca_file = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_window_class_init (CarnetWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = carnet_window_constructed;
  object_class->dispose = carnet_window_dispose;
  object_class->finalize = carnet_window_finalize;
  object_class->get_property = carnet_window_get_property;
  object_class->set_property = carnet_window_set_property;

  properties [PROP_ENT_URL] =
    g_param_spec_string ("ent-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.login", NULL, login_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.first-connection", NULL, first_connection_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.forgot-login", NULL, forgot_login_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.forgot-password", NULL, forgot_password_activated_cb);

  g_type_ensure (CARNET_TYPE_WELCOME_PAGE);
  g_type_ensure (CARNET_TYPE_LOGIN_PAGE);
  g_type_ensure (CARNET_TYPE_ACCOUNT_PAGE);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, account_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWindow, soon_page);
  gtk_widget_class_bind_template_callback (widget_class, address_accepted_cb);
  gtk_widget_class_bind_template_callback (widget_class, logged_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, logged_out_cb);
}

static void
carnet_window_init (CarnetWindow *self)
{
  static gboolean icons_added;
  GdkDisplay *display = gdk_display_get_default ();

  /* The application adds its icons itself; a window made by a test does not. */
  if (!icons_added && display != NULL)
    {
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                        RESOURCE_PREFIX "/icons");
      icons_added = TRUE;
    }

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = settings_new ();
}
