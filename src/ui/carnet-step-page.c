/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-step-page.h"

typedef struct
{
  CarnetEntClient *client;
  char            *login;
  CarnetReauth    *reauth;
  GCancellable    *cancellable;
} CarnetStepPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CarnetStepPage, carnet_step_page, GTK_TYPE_WIDGET)

enum {
  DONE,
  ACTION_REQUIRED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
update_busy (CarnetStepPage *self)
{
  gboolean busy = carnet_step_page_get_busy (self);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_BUSY, busy,
                               -1);
  if (CARNET_STEP_PAGE_GET_CLASS (self)->update_busy != NULL)
    CARNET_STEP_PAGE_GET_CLASS (self)->update_busy (self, busy);
}

void
carnet_step_page_set_account (CarnetStepPage  *self,
                              CarnetEntClient *client,
                              const char      *login)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_if_fail (CARNET_IS_STEP_PAGE (self));
  g_return_if_fail (client == NULL || CARNET_IS_ENT_CLIENT (client));

  if (g_strcmp0 (priv->login, login) != 0)
    {
      g_free (priv->login);
      priv->login = g_strdup (login);
    }
  if (priv->client == client)
    return;

  carnet_step_page_cancel (self);
  carnet_reauth_reset (priv->reauth);
  g_set_object (&priv->client, client);
}

CarnetEntClient *
carnet_step_page_get_client (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), NULL);

  return priv->client;
}

const char *
carnet_step_page_get_login (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), NULL);

  return priv->login;
}

CarnetReauth *
carnet_step_page_get_reauth (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), NULL);

  return priv->reauth;
}

gboolean
carnet_step_page_can_call (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), FALSE);

  return priv->client != NULL && priv->cancellable == NULL &&
         !carnet_reauth_get_needed (priv->reauth);
}

gboolean
carnet_step_page_get_busy (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), FALSE);

  return priv->cancellable != NULL || carnet_reauth_get_busy (priv->reauth);
}

GCancellable *
carnet_step_page_begin_call (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), NULL);
  g_return_val_if_fail (priv->cancellable == NULL, NULL);

  priv->cancellable = g_cancellable_new ();
  update_busy (self);

  return priv->cancellable;
}

gboolean
carnet_step_page_end_call (CarnetStepPage *self,
                           const GError   *error)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), FALSE);

  /* Cancelled, or answering a call the page no longer waits for. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || priv->cancellable == NULL)
    return FALSE;

  g_clear_object (&priv->cancellable);
  update_busy (self);

  return TRUE;
}

gboolean
carnet_step_page_action_required (CarnetStepPage *self,
                                  const GError   *error,
                                  CarnetEntField  own_field)
{
  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), FALSE);

  if (!g_error_matches (error, CARNET_ENT_ERROR, CARNET_ENT_ERROR_ACTION_REQUIRED) ||
      carnet_ent_error_get_field (error) == own_field)
    return FALSE;

  g_signal_emit (self, signals [ACTION_REQUIRED], 0);
  return TRUE;
}

gboolean
carnet_step_page_prompt_reauth (CarnetStepPage *self,
                                const GError   *error)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_val_if_fail (CARNET_IS_STEP_PAGE (self), FALSE);

  if (!carnet_reauth_error_matches (error))
    return FALSE;

  carnet_reauth_prompt (priv->reauth, priv->client, priv->login);
  return TRUE;
}

void
carnet_step_page_cancel (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_if_fail (CARNET_IS_STEP_PAGE (self));

  /* Logging in again: stopped, "Log in again" offered instead. */
  carnet_reauth_cancel (priv->reauth);
  if (priv->cancellable == NULL)
    return;

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  update_busy (self);
}

void
carnet_step_page_clear (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_return_if_fail (CARNET_IS_STEP_PAGE (self));

  carnet_step_page_cancel (self);
  carnet_reauth_reset (priv->reauth);
  if (CARNET_STEP_PAGE_GET_CLASS (self)->clear != NULL)
    CARNET_STEP_PAGE_GET_CLASS (self)->clear (self);
}

void
carnet_step_page_emit_done (CarnetStepPage *self)
{
  g_return_if_fail (CARNET_IS_STEP_PAGE (self));

  g_signal_emit (self, signals [DONE], 0);
}

/* --- The session ended: the password again ------------------------------------ */

static void
reauth_notify_cb (CarnetStepPage *self)
{
  update_busy (self);
}

static void
reauth_logged_in_cb (CarnetStepPage *self,
                     const char     *password)
{
  if (CARNET_STEP_PAGE_GET_CLASS (self)->retry != NULL)
    CARNET_STEP_PAGE_GET_CLASS (self)->retry (self, password);
}

static void
reauth_failed_cb (CarnetStepPage *self,
                  const GError   *error)
{
  if (CARNET_STEP_PAGE_GET_CLASS (self)->show_failed != NULL)
    CARNET_STEP_PAGE_GET_CLASS (self)->show_failed (self, error);
}

static void
carnet_step_page_dispose (GObject *object)
{
  CarnetStepPage *self = CARNET_STEP_PAGE (object);
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->client);
  if (priv->reauth != NULL)
    carnet_reauth_reset (priv->reauth);

  G_OBJECT_CLASS (carnet_step_page_parent_class)->dispose (object);
}

static void
carnet_step_page_finalize (GObject *object)
{
  CarnetStepPage *self = CARNET_STEP_PAGE (object);
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  g_clear_pointer (&priv->login, g_free);
  g_clear_object (&priv->reauth);

  G_OBJECT_CLASS (carnet_step_page_parent_class)->finalize (object);
}

static void
carnet_step_page_class_init (CarnetStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_step_page_dispose;
  object_class->finalize = carnet_step_page_finalize;

  signals [DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (CarnetStepPageClass, done),
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals [ACTION_REQUIRED] =
    g_signal_new ("action-required",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
carnet_step_page_init (CarnetStepPage *self)
{
  CarnetStepPagePrivate *priv = carnet_step_page_get_instance_private (self);

  /* Before the subclass's template: its signals may ask whether it is needed. */
  priv->reauth = carnet_reauth_new (GTK_WIDGET (self));
  g_signal_connect_object (priv->reauth, "notify", G_CALLBACK (reauth_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->reauth, "logged-in", G_CALLBACK (reauth_logged_in_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->reauth, "failed", G_CALLBACK (reauth_failed_cb), self, G_CONNECT_SWAPPED);
}
