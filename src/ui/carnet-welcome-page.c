/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-welcome-page.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-credentials.h"
#include "carnet-ent-client.h"
#include "carnet-ent-directory.h"
#include "carnet-ui-private.h"

/* The platform the letters printed in 2020–2023 name; it became enthdf.fr. */
#define RETIRED_PLATFORM "savoirsnumeriques5962.fr"
#define CURRENT_PLATFORM "enthdf.fr"

struct _CarnetWelcomePage
{
  GtkWidget             parent_instance;

  AdwStatusPage        *status_page;
  AdwPreferencesGroup  *accounts_group;
  AdwPreferencesGroup  *search_group;
  GtkSearchEntry       *search_entry;
  GtkListBox           *results_list;
  GtkLabel             *no_result_label;
  GtkLabel             *moved_label;
  AdwPreferencesGroup  *address_group;
  AdwEntryRow          *address_row;
  GtkImage             *accepted_image;
  GtkBox               *checking_box;
  GtkSpinner           *checking_spinner;
  GtkButton            *cancel_button;
  GtkBox               *error_box;
  GtkLabel             *error_label;
  GtkButton            *moved_button;
  AdwPreferencesGroup  *choices_group;
  AdwActionRow         *login_row;

  char                 *ca_file;
  /* Seconds each request may take; 0: the client's default. */
  guint                 timeout;
  /* The client whose address is being checked; handed over once accepted. */
  CarnetEntClient      *checking_client;
  GCancellable         *cancellable;
  /* The remembered accounts: their rows, the listing under way, the login
   * chosen in the list for the address being checked. */
  GSettings            *settings;
  GPtrArray            *account_rows;
  GCancellable         *accounts_cancellable;
  char                 *chosen_login;
  guint                 accepted : 1;
  guint                 setting_address : 1;
};

G_DEFINE_FINAL_TYPE (CarnetWelcomePage, carnet_welcome_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CA_FILE,
  N_PROPS
};

enum {
  ADDRESS_ACCEPTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void
show_error (CarnetWelcomePage *self,
            const char        *message,
            gboolean           offer_current_platform)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), message != NULL);
  /* A locked address is the administrators' to change, not the user's. */
  gtk_widget_set_visible (GTK_WIDGET (self->moved_button),
                          offer_current_platform &&
                          gtk_widget_get_sensitive (GTK_WIDGET (self->address_row)));

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
      /* Screen readers hear the explanation with the field it is about. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->address_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->address_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      adw_preferences_group_get_description (self->address_group),
                                      -1);
    }
}

static void
set_checking (CarnetWelcomePage *self,
              gboolean           checking)
{
  gtk_widget_set_visible (GTK_WIDGET (self->checking_box), checking);
  gtk_spinner_set_spinning (self->checking_spinner, checking);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->address_row),
                               GTK_ACCESSIBLE_STATE_BUSY, checking,
                               -1);
}

static void
set_accepted (CarnetWelcomePage *self,
              gboolean           accepted)
{
  self->accepted = !!accepted;
  gtk_widget_set_visible (GTK_WIDGET (self->accepted_image), accepted);
  gtk_widget_set_visible (GTK_WIDGET (self->choices_group), accepted);
}

/* The address field shows an address as a letter prints it: "enthdf.fr". */
static const char *
address_of_url (const char *url)
{
  return g_str_has_prefix (url, "https://") ? url + strlen ("https://") : url;
}

static gboolean
names_retired_platform (CarnetEntClient *client)
{
  const char *host = carnet_ent_client_get_host (client);
  g_autofree char *host_only = g_strdup (host);
  char *colon = strrchr (host_only, ':');

  if (colon != NULL)
    *colon = '\0';

  return g_str_has_suffix (host_only, "." RETIRED_PLATFORM) ||
         g_str_equal (host_only, RETIRED_PLATFORM);
}

static void
get_context_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CarnetEntClient *client = CARNET_ENT_CLIENT (object);
  g_autoptr(CarnetWelcomePage) self = user_data;
  g_autoptr(CarnetEntContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean retired;

  context = carnet_ent_client_get_context_finish (client, result, &error);

  /* A newer check replaced this one. */
  if (client != self->checking_client)
    return;

  set_checking (self, FALSE);
  g_clear_object (&self->cancellable);

  if (context == NULL)
    {
      g_clear_object (&self->checking_client);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("The ENT address was refused: %s", error->message);

      retired = names_retired_platform (client);

      if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_PROTOCOL))
        show_error (self,
                    _("This address does not answer like an ENT. Check the address printed on the letter: "
                      "letters sometimes name a platform that has since moved. For example, the ENTs of "
                      "savoirsnumeriques5962.fr are now at enthdf.fr."),
                    retired);
      else if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_NETWORK))
        show_error (self,
                    _("Nothing answers at this address. Check the address printed on the letter and the "
                      "Internet connection. Letters sometimes name a platform that has since moved: for "
                      "example, the ENTs of savoirsnumeriques5962.fr are now at enthdf.fr."),
                    retired);
      else
        show_error (self, error->message, retired);

      return;
    }

  self->checking_client = NULL;
  show_error (self, NULL, FALSE);
  set_accepted (self, TRUE);

  /* The keyboard goes on to the letter's next step, « Se connecter »
   * (Enter, then Enter). Before, where the focus was depended on whether
   * the check ended before the window was shown, and on a lab's locked
   * address (not focusable) it was the header bar's menu button. */
  gtk_widget_grab_focus (GTK_WIDGET (self->login_row));

  g_signal_emit (self, signals [ADDRESS_ACCEPTED], 0, client, context);

  g_object_unref (client);
}

void
carnet_welcome_page_cancel (CarnetWelcomePage *self)
{
  g_return_if_fail (CARNET_IS_WELCOME_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
carnet_welcome_page_check_address (CarnetWelcomePage *self)
{
  g_autoptr(CarnetEntClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  g_return_if_fail (CARNET_IS_WELCOME_PAGE (self));

  carnet_welcome_page_cancel (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checking_client);
  set_checking (self, FALSE);
  set_accepted (self, FALSE);

  address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  if (*address == '\0')
    {
      show_error (self, _("Type the ENT address printed on the letter from the school."), FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }

  /* A letter's old address: the platform that replaced it, said in a line.
   * A lab's locked address is its administrators' to change. */
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->address_row)))
    {
      const CarnetEntPlatform *platform;

      platform = carnet_ent_directory_lookup (carnet_ent_directory_get_default (), address);
      if (platform != NULL && carnet_ent_platform_is_retired_host (platform, address))
        {
          const char *successor = address_of_url (carnet_ent_platform_get_url (platform));
          g_autofree char *old_host = NULL;
          g_autofree char *line = NULL;

          {
            g_autofree char *base = carnet_ent_normalize_address (address, NULL);

            old_host = g_strdup (base != NULL ? address_of_url (base) : address);
          }
          carnet_welcome_page_set_address (self, successor);
          g_free (address);
          address = g_strdup (successor);
          /* Translators: "savoirsnumeriques5962.fr is a former address of
           * ENT Hauts-de-France: Carnet uses its address now, enthdf.fr." */
          line = g_strdup_printf (_("%s is a former address of %s: Carnet uses its address now, %s."),
                                  old_host, carnet_ent_platform_get_name (platform), successor);
          gtk_label_set_text (self->moved_label, line);
          gtk_widget_set_visible (GTK_WIDGET (self->moved_label), TRUE);
        }
    }

  client = carnet_ent_client_new (address, &error);
  if (client != NULL && self->ca_file != NULL &&
      !carnet_ent_client_set_ca_file (client, self->ca_file, &error))
    g_clear_object (&client);
  if (client != NULL && self->timeout > 0)
    carnet_ent_client_set_timeout (client, self->timeout);

  if (client == NULL)
    {
      show_error (self, error->message, FALSE);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }

  show_error (self, NULL, FALSE);
  set_checking (self, TRUE);

  self->checking_client = g_object_ref (client);
  self->cancellable = g_cancellable_new ();
  carnet_ent_client_get_context_async (client,
                                       self->cancellable,
                                       get_context_cb,
                                       g_object_ref (self));
}

/* --- The directory's search --------------------------------------------------- */

static void
clear_results (CarnetWelcomePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->no_result_label), FALSE);
}

static void
pick_platform (CarnetWelcomePage       *self,
               const CarnetEntPlatform *platform)
{
  clear_results (self);
  carnet_welcome_page_set_address (self, address_of_url (carnet_ent_platform_get_url (platform)));
  carnet_welcome_page_check_address (self);
}

static void
search_changed_cb (CarnetWelcomePage *self)
{
  g_autoptr(GPtrArray) results = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  clear_results (self);
  results = carnet_ent_directory_search (carnet_ent_directory_get_default (), text);

  for (guint i = 0; i < results->len; i++)
    {
      const CarnetEntPlatform *platform = g_ptr_array_index (results, i);
      const char *region = carnet_ent_platform_get_region (platform);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                       "icon-name", "go-next-symbolic",
                                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                       NULL);
      g_autofree char *label = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), carnet_ent_platform_get_name (platform));
      if (*region != '\0')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), region);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_can_target (image, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), image);

      /* Translators: a search result, "ENT Hauts-de-France, Hauts-de-France". */
      label = *region != '\0'
        ? g_strdup_printf (_("%s, %s"), carnet_ent_platform_get_name (platform), region)
        : g_strdup (carnet_ent_platform_get_name (platform));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      /* The platform lives as long as the directory, the process. */
      g_object_set_data (G_OBJECT (row), "carnet-platform", (gpointer) platform);
      gtk_list_box_append (self->results_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->results_list), results->len > 0);
  /* Nothing found for a word or more: the address is the other way. */
  gtk_widget_set_visible (GTK_WIDGET (self->no_result_label),
                          results->len == 0 && g_utf8_strlen (trimmed, -1) >= 3);
}

static void
search_activate_cb (CarnetWelcomePage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results_list, 0);

  /* Enter in the search: the first result, as it is the best. */
  if (first != NULL)
    pick_platform (self, g_object_get_data (G_OBJECT (first), "carnet-platform"));
}

static void
result_activated_cb (CarnetWelcomePage *self,
                     GtkListBoxRow     *row)
{
  pick_platform (self, g_object_get_data (G_OBJECT (row), "carnet-platform"));
}

static gboolean
search_key_pressed_cb (CarnetWelcomePage     *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;

  /* Down from the search goes to the results. */
  first = gtk_list_box_get_row_at_index (self->results_list, 0);
  if (first == NULL)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (GTK_WIDGET (first));
  return GDK_EVENT_STOP;
}

static void
address_apply_cb (CarnetWelcomePage *self)
{
  carnet_welcome_page_check_address (self);
}

static void
address_changed_cb (CarnetWelcomePage *self)
{
  if (self->setting_address)
    return;

  /* The choices belong to the address that was checked, not to a new one. */
  g_clear_pointer (&self->chosen_login, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->moved_label), FALSE);
  carnet_welcome_page_cancel (self);
  set_accepted (self, FALSE);
  show_error (self, NULL, FALSE);
}

static void
cancel_clicked_cb (CarnetWelcomePage *self)
{
  carnet_welcome_page_cancel (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

static void
moved_clicked_cb (CarnetWelcomePage *self)
{
  carnet_welcome_page_set_address (self, CURRENT_PLATFORM);
  carnet_welcome_page_check_address (self);
}

const char *
carnet_welcome_page_get_address (CarnetWelcomePage *self)
{
  g_return_val_if_fail (CARNET_IS_WELCOME_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->address_row));
}

void
carnet_welcome_page_set_address (CarnetWelcomePage *self,
                                 const char        *address)
{
  g_return_if_fail (CARNET_IS_WELCOME_PAGE (self));

  carnet_welcome_page_cancel (self);
  set_accepted (self, FALSE);
  show_error (self, NULL, FALSE);
  g_clear_pointer (&self->chosen_login, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->moved_label), FALSE);

  self->setting_address = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address ? address : "");
  self->setting_address = FALSE;
}

void
carnet_welcome_page_set_address_editable (CarnetWelcomePage *self,
                                          gboolean           editable)
{
  g_return_if_fail (CARNET_IS_WELCOME_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), editable);
  /* A lab's locked address: nothing to search for. */
  gtk_widget_set_visible (GTK_WIDGET (self->search_group), editable);
  if (!editable)
    clear_results (self);
  if (editable)
    adw_preferences_group_set_description (self->address_group,
                                           _("As printed on the letter from your child’s school, for example enthdf.fr."));
  else
    adw_preferences_group_set_description (self->address_group,
                                           _("Set by the administrators of this computer."));
}

/* --- Remembered accounts ------------------------------------------------------ */

static gboolean
accounts_allowed (CarnetWelcomePage *self)
{
  /* Shared machines never show whose accounts were used on them. */
  return self->settings != NULL &&
         !g_settings_get_boolean (self->settings, "shared-machine") &&
         g_settings_get_boolean (self->settings, "remember-credentials");
}

static void
clear_accounts (CarnetWelcomePage *self)
{
  for (guint i = 0; i < self->account_rows->len; i++)
    adw_preferences_group_remove (self->accounts_group,
                                  g_ptr_array_index (self->account_rows, i));
  g_ptr_array_set_size (self->account_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_group), FALSE);
}

static void
account_activated_cb (AdwActionRow      *row,
                      CarnetWelcomePage *self)
{
  const char *host = g_object_get_data (G_OBJECT (row), "carnet-host");
  const char *login = g_object_get_data (G_OBJECT (row), "carnet-login");

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->address_row)))
    {
      /* The school's IT locked the address: only its accounts can be used. */
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->address_row)), host) != 0)
        return;
    }

  carnet_welcome_page_set_address (self, host);
  self->chosen_login = g_strdup (login);
  carnet_welcome_page_check_address (self);
}

static void
add_account_row (CarnetWelcomePage   *self,
                 const CarnetAccount *account)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", "go-next-symbolic",
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);
  g_autofree char *label = NULL;
  /* An IDN host in both forms: a homograph of the school's ENT shows. */
  g_autofree char *host = carnet_ent_host_for_display (account->host);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account->login);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), host);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_can_target (image, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), image);

  /* Translators: "Log in as karim.benali on enthdf.fr". */
  label = g_strdup_printf (_("Log in as %s on %s"), account->login, host);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

  g_object_set_data_full (G_OBJECT (row), "carnet-host", g_strdup (account->host), g_free);
  g_object_set_data_full (G_OBJECT (row), "carnet-login", g_strdup (account->login), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (account_activated_cb), self, 0);

  adw_preferences_group_add (self->accounts_group, row);
  g_ptr_array_add (self->account_rows, row);
}

static void
accounts_list_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CarnetWelcomePage) self = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = carnet_credentials_list_finish (result, &error);

  /* Cancelled, or a newer listing replaced this one. */
  if (g_error_matches (error, CARNET_CREDENTIALS_ERROR, CARNET_CREDENTIALS_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->accounts_cancellable);

  clear_accounts (self);

  /* A keyring that does not answer only hides the list. */
  if (accounts == NULL)
    {
      g_debug ("No remembered accounts: %s", error->message);
      return;
    }

  if (!accounts_allowed (self))
    return;

  for (guint i = 0; i < accounts->len; i++)
    add_account_row (self, g_ptr_array_index (accounts, i));

  gtk_widget_set_visible (GTK_WIDGET (self->accounts_group), accounts->len > 0);
}

void
carnet_welcome_page_refresh_accounts (CarnetWelcomePage *self)
{
  g_return_if_fail (CARNET_IS_WELCOME_PAGE (self));

  if (self->accounts_cancellable != NULL)
    g_cancellable_cancel (self->accounts_cancellable);
  g_clear_object (&self->accounts_cancellable);

  if (!accounts_allowed (self))
    {
      clear_accounts (self);
      return;
    }

  /* The list shows when it is there; nothing waits for it. */
  self->accounts_cancellable = g_cancellable_new ();
  carnet_credentials_list_async (self->accounts_cancellable, accounts_list_cb, g_object_ref (self));
}

const char *
carnet_welcome_page_get_chosen_login (CarnetWelcomePage *self)
{
  g_return_val_if_fail (CARNET_IS_WELCOME_PAGE (self), NULL);

  return self->chosen_login;
}

static void
carnet_welcome_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (carnet_welcome_page_parent_class)->map (widget);

  /* Back from a logout that forgot a password: the list follows. */
  carnet_welcome_page_refresh_accounts (CARNET_WELCOME_PAGE (widget));
}

gboolean
carnet_welcome_page_get_accepted (CarnetWelcomePage *self)
{
  g_return_val_if_fail (CARNET_IS_WELCOME_PAGE (self), FALSE);

  return self->accepted;
}

const char *
carnet_welcome_page_get_ca_file (CarnetWelcomePage *self)
{
  g_return_val_if_fail (CARNET_IS_WELCOME_PAGE (self), NULL);

  return self->ca_file;
}

void
carnet_welcome_page_set_ca_file (CarnetWelcomePage *self,
                                 const char        *ca_file)
{
  g_return_if_fail (CARNET_IS_WELCOME_PAGE (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CA_FILE]);
}

static gboolean
carnet_welcome_page_grab_focus (GtkWidget *widget)
{
  CarnetWelcomePage *self = CARNET_WELCOME_PAGE (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->address_row)) && !self->accepted)
    return gtk_widget_grab_focus (GTK_WIDGET (self->address_row));

  if (self->accepted)
    return gtk_widget_grab_focus (GTK_WIDGET (self->login_row));

  return GTK_WIDGET_CLASS (carnet_welcome_page_parent_class)->grab_focus (widget);
}

static void
carnet_welcome_page_dispose (GObject *object)
{
  CarnetWelcomePage *self = CARNET_WELCOME_PAGE (object);

  carnet_welcome_page_cancel (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checking_client);
  if (self->accounts_cancellable != NULL)
    g_cancellable_cancel (self->accounts_cancellable);
  g_clear_object (&self->accounts_cancellable);
  g_clear_object (&self->settings);
  if (self->account_rows != NULL)
    g_ptr_array_set_size (self->account_rows, 0);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (carnet_welcome_page_parent_class)->dispose (object);
}

static void
carnet_welcome_page_finalize (GObject *object)
{
  CarnetWelcomePage *self = CARNET_WELCOME_PAGE (object);

  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->chosen_login, g_free);
  g_clear_pointer (&self->account_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (carnet_welcome_page_parent_class)->finalize (object);
}

static void
carnet_welcome_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CarnetWelcomePage *self = CARNET_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_welcome_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CarnetWelcomePage *self = CARNET_WELCOME_PAGE (object);

  switch (prop_id)
    {
    case PROP_CA_FILE:
      carnet_welcome_page_set_ca_file (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_welcome_page_class_init (CarnetWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_welcome_page_dispose;
  object_class->finalize = carnet_welcome_page_finalize;
  object_class->get_property = carnet_welcome_page_get_property;
  object_class->set_property = carnet_welcome_page_set_property;

  widget_class->grab_focus = carnet_welcome_page_grab_focus;
  widget_class->map = carnet_welcome_page_map;

  properties [PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [ADDRESS_ACCEPTED] =
    g_signal_new ("address-accepted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CARNET_TYPE_ENT_CLIENT, CARNET_TYPE_ENT_CONTEXT);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, search_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, results_list);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, no_result_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, moved_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, address_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, address_row);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, accepted_image);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, checking_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, error_box);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, moved_button);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, choices_group);
  gtk_widget_class_bind_template_child (widget_class, CarnetWelcomePage, login_row);
  gtk_widget_class_bind_template_callback (widget_class, address_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, moved_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
}

static void
carnet_welcome_page_init (CarnetWelcomePage *self)
{
  g_autofree char *moved_label = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The application's icon, from the 256-pixel PNG (sharp at scale 2 too),
   * not by name: the theme would pick the scalable SVG, and rendering it
   * loads librsvg, milliseconds and megabytes before the first frame that
   * nothing else on the page needs. */
  {
    g_autoptr(GdkTexture) icon = NULL;

    icon = gdk_texture_new_from_resource ("/io/github/carnet/Carnet/icons/128x128@2/apps/io.github.carnet.Carnet.png");
    adw_status_page_set_paintable (self->status_page, GDK_PAINTABLE (icon));
  }

  /* Test only: the fault tests make the ENT slower than this to see the
   * time-out's message without waiting the real 30 seconds. Read once, when
   * the window is made; not a setting a parent could ever need. */
  {
    const char *timeout = g_getenv ("CARNET_TEST_ENT_TIMEOUT");
    guint64 seconds = 0;

    if (timeout != NULL &&
        g_ascii_string_to_unsigned (timeout, 10, 1, 600, &seconds, NULL))
      self->timeout = (guint) seconds;
  }

  self->account_rows = g_ptr_array_new ();
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = NULL;

    /* Without the schema (uninstalled), no remembered account is shown. */
    if (source != NULL)
      schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
    if (schema != NULL)
      self->settings = g_settings_new_full (schema, NULL, NULL);
  }
  /* A lab's IT may turn the machine into a shared one while Carnet runs. */
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::shared-machine",
                               G_CALLBACK (carnet_welcome_page_refresh_accounts), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::remember-credentials",
                               G_CALLBACK (carnet_welcome_page_refresh_accounts), self,
                               G_CONNECT_SWAPPED);
    }

  carnet_ui_label_editable_row (ADW_PREFERENCES_ROW (self->address_row), _("ENT address"));

  /* Screen readers land on the search's text itself: it is named too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search for your ENT"),
                                  -1);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    /* Before the entry's text, which would take Down for itself. */
    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);

    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  }

  /* Translators: %s is an ENT address, "enthdf.fr". */
  moved_label = g_strdup_printf (_("Use %s"), CURRENT_PLATFORM);
  gtk_button_set_label (self->moved_button, moved_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->moved_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, moved_label,
                                  -1);
}
