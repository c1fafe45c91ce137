/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-account-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "carnet-children-group.h"
#include "carnet-credentials.h"
#include "carnet-news-group.h"
#include "carnet-profile-group.h"
#include "carnet-reauth.h"
#include "carnet-shared-machine.h"
#include "carnet-ui-private.h"

struct _CarnetAccountPage
{
  GtkWidget            parent_instance;

  AdwAvatar           *avatar;
  GtkLabel            *title_label;
  GtkLabel            *schools_label;
  AdwViewStack        *view_stack;
  CarnetProfileGroup  *profile_group;
  CarnetChildrenGroup *children_group;
  CarnetNewsGroup     *news_group;
  GtkStack            *action_stack;
  GtkButton           *logout_button;
  GtkSpinner          *spinner;

  CarnetSession       *session;
  CarnetEntUser       *user;
  CarnetNewsWatch     *news_watch;
  GCancellable        *cancellable;          /* logout */
};

G_DEFINE_FINAL_TYPE (CarnetAccountPage, carnet_account_page, GTK_TYPE_WIDGET)

enum {
  ACTION_REQUIRED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
add_toast (CarnetAccountPage *self,
           const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static CarnetEntClient *
get_client (CarnetAccountPage *self)
{
  return self->session != NULL ? carnet_session_get_client (self->session) : NULL;
}

static void
set_busy (CarnetAccountPage *self,
          gboolean           busy)
{
  gtk_stack_set_visible_child_name (self->action_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);
}

/* --- The panes ------------------------------------------------------------------ */

/* Saving: no logout in the middle. */
static void
profile_busy_cb (CarnetAccountPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->logout_button),
                            !carnet_profile_group_get_busy (self->profile_group));
}

static void
profile_action_required_cb (CarnetAccountPage *self)
{
  g_signal_emit (self, signals [ACTION_REQUIRED], 0);
}

/* Logged in again for the children or the news: load them again, and the
 * watch the expiry stopped polls again. */
static void
profile_logged_in_again_cb (CarnetAccountPage *self)
{
  if (self->session == NULL || self->user == NULL)
    return;

  carnet_children_group_load (self->children_group, get_client (self), self->user);
  carnet_news_group_load (self->news_group, get_client (self));
  if (self->news_watch != NULL)
    carnet_news_watch_start (self->news_watch);
}

/* The children's or the news' pane could not load. */
static void
children_failed_cb (CarnetAccountPage *self,
                    const GError      *error)
{
  /* A save under way deals with the ENT's answer itself. */
  if (carnet_profile_group_get_busy (self->profile_group))
    return;

  if (g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED))
    {
      g_signal_emit (self, signals [ACTION_REQUIRED], 0);
      return;
    }
  /* As for a change: the password again, then load them again. */
  if (carnet_reauth_error_matches (error))
    carnet_profile_group_log_in_again (self->profile_group);
}

/* --- The account -------------------------------------------------------------- */

void
carnet_account_page_set_session (CarnetAccountPage *self,
                                 CarnetSession     *session)
{
  g_autofree char *title = NULL;
  g_autofree char *schools = NULL;
  CarnetEntUser *user;
  const char *first_name;
  const char *display_name;
  const char * const *structures;

  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (!session || CARNET_IS_SESSION (session));

  user = session != NULL ? carnet_session_get_user (session) : NULL;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  carnet_children_group_clear (self->children_group);
  carnet_news_group_clear (self->news_group);
  g_clear_object (&self->news_watch);
  carnet_profile_group_set_session (self->profile_group, session);

  g_set_object (&self->session, session);
  g_set_object (&self->user, user);

  adw_view_stack_set_visible_child_name (self->view_stack, "profile");
  /* Another parent (or the same, later) starts at the top, not where the
   * last one left the page. */
  carnet_profile_group_scroll_to_top (self->profile_group);

  if (user == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      gtk_label_set_text (self->schools_label, "");
      adw_avatar_set_text (self->avatar, NULL);
      return;
    }

  first_name = carnet_ent_user_get_first_name (user);
  display_name = carnet_ent_user_get_display_name (user);
  if (first_name == NULL || *first_name == '\0')
    first_name = display_name;

  /* Translators: the page's title, as on the letter ("COMPTE DE FREDERIC");
   * %s is the parent's first name. */
  title = g_strdup_printf (_("Account of %s"), first_name);
  gtk_label_set_text (self->title_label, title);
  adw_avatar_set_text (self->avatar, display_name);

  structures = carnet_ent_user_get_structure_names (user);
  if (structures != NULL && structures[0] != NULL)
    schools = g_strjoinv (" · ", (char **) structures);
  gtk_label_set_text (self->schools_label, schools ? schools : "");
  gtk_widget_set_visible (GTK_WIDGET (self->schools_label), schools != NULL);

  carnet_children_group_load (self->children_group, get_client (self), user);
  carnet_news_group_load (self->news_group, get_client (self));
}

void
carnet_account_page_set_news_watch (CarnetAccountPage *self,
                                    CarnetNewsWatch   *watch)
{
  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (!watch || CARNET_IS_NEWS_WATCH (watch));

  g_set_object (&self->news_watch, watch);
  carnet_news_group_set_watch (self->news_group, watch);
}

void
carnet_account_page_show_news (CarnetAccountPage *self)
{
  g_return_if_fail (CARNET_IS_ACCOUNT_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "news");
}

/* --- Logging out ----------------------------------------------------------------- */

/* The session's logged-out takes the window to the start (and the window
 * clears this page). */
static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The session is forgotten here even when the ENT cannot be told. */
  if (!carnet_session_log_out_finish (CARNET_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_debug ("The ENT was not told about the logout: %s", error->message);
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

static void
do_log_out (CarnetAccountPage *self)
{
  if (self->cancellable != NULL || self->session == NULL)
    return;

  carnet_profile_group_reset (self->profile_group);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  carnet_session_log_out_async (self->session, CARNET_SESSION_LOGOUT_USER,
                                self->cancellable,
                                logout_cb,
                                g_object_ref (self));
}

static void
forget_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_credentials_forget_finish (result, &error))
    {
      g_debug ("The stored password was not forgotten: %s", error->message);
      add_toast (self, _("Carnet could not forget the stored password."));
    }

  do_log_out (self);
}

static void
logout_response_cb (CarnetAccountPage *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  if (g_str_equal (response, "forget") && self->session != NULL && self->user != NULL)
    {
      carnet_credentials_forget_async (carnet_ent_client_get_host (get_client (self)),
                                       carnet_ent_user_get_login (self->user),
                                       NULL, forget_cb, g_object_ref (self));
      return;
    }

  if (g_str_equal (response, "keep"))
    do_log_out (self);
}

static void
logout_list_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CarnetAccountPage) self = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stored = FALSE;
  GtkRoot *root;
  GtkWidget *dialog;

  accounts = carnet_credentials_list_finish (result, &error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->logout_button), TRUE);

  if (self->session == NULL || self->user == NULL)
    return;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      CarnetAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (account->host, carnet_ent_client_get_host (get_client (self))) &&
          g_str_equal (account->login, carnet_ent_user_get_login (self->user)))
        stored = TRUE;
    }

  if (!stored)
    {
      do_log_out (self);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Forget the Password?"),
                                   _("Your password is stored on this computer, so that Carnet logs you in by itself. Do you also want to forget it?"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "keep", _("_Keep It"),
                                    "forget", _("_Forget It"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "forget",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (logout_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
logout_clicked_cb (CarnetAccountPage *self)
{
  /* A shared machine never reads the keyring: nothing can be stored. */
  if (self->cancellable != NULL || self->session == NULL ||
      carnet_shared_machine_is_enabled () ||
      /* EduConnect: nothing was stored (nor is the keyring read). */
      carnet_session_get_federated (self->session))
    {
      do_log_out (self);
      return;
    }

  /* Only the list of accounts: the keyring is not unlocked for this. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->logout_button), FALSE);
  carnet_credentials_list_async (NULL, logout_list_cb, g_object_ref (self));
}

static gboolean
carnet_account_page_grab_focus (GtkWidget *widget)
{
  CarnetAccountPage *self = CARNET_ACCOUNT_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->profile_group));
}

static void
carnet_account_page_dispose (GObject *object)
{
  CarnetAccountPage *self = CARNET_ACCOUNT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->user);
  g_clear_object (&self->news_watch);

  carnet_ui_dispose_children (GTK_WIDGET (self), CARNET_TYPE_ACCOUNT_PAGE);

  G_OBJECT_CLASS (carnet_account_page_parent_class)->dispose (object);
}

static void
carnet_account_page_class_init (CarnetAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = carnet_account_page_dispose;

  widget_class->grab_focus = carnet_account_page_grab_focus;

  /* The ENT asks for a step first (ACTION_REQUIRED: charter, forced
   * password, email): the window asks for the requirements and shows it. */
  signals [ACTION_REQUIRED] =
    g_signal_new ("action-required",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (CARNET_TYPE_PROFILE_GROUP);
  g_type_ensure (CARNET_TYPE_CHILDREN_GROUP);
  g_type_ensure (CARNET_TYPE_NEWS_GROUP);

  carnet_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/carnet-account-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CarnetAccountPage, name)
  BIND (avatar);
  BIND (title_label);
  BIND (schools_label);
  BIND (view_stack);
  BIND (profile_group);
  BIND (children_group);
  BIND (news_group);
  BIND (action_stack);
  BIND (logout_button);
  BIND (spinner);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, logout_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_busy_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_action_required_cb);
  gtk_widget_class_bind_template_callback (widget_class, profile_logged_in_again_cb);
  gtk_widget_class_bind_template_callback (widget_class, children_failed_cb);
}

static void
carnet_account_page_init (CarnetAccountPage *self)
{
  g_autoptr(CarnetReauth) reauth = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  reauth = carnet_reauth_new (GTK_WIDGET (self));
  carnet_profile_group_set_reauth (self->profile_group, reauth);
}
