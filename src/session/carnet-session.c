/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-session"

#include "config.h"

#include "carnet-session.h"

struct _CarnetSession
{
  GObject                parent_instance;

  CarnetEntClient       *client;
  CarnetEntUser         *user;
  CarnetEntRequirements *requirements;
  /* The user's login, or, while the user is not known (an activation that
   * logged in), whose session it is: the steps' pages log in again with it. */
  char                  *login;
  CarnetSessionStep      step;
  GError                *error;

  /* The continue under way: the requirements, then maybe the profile. */
  GCancellable          *steps_cancellable;
};

G_DEFINE_FINAL_TYPE (CarnetSession, carnet_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CarnetSessionStep, carnet_session_step,
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_NONE, "none"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_PASSWORD, "password"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_CHARTER, "charter"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_MAIL, "mail"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_STEP_ACCOUNT, "account"))

G_DEFINE_ENUM_TYPE (CarnetSessionLogoutReason, carnet_session_logout_reason,
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_LOGOUT_USER, "user"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_LOGOUT_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (CARNET_SESSION_LOGOUT_CLOSING, "closing"))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_USER,
  PROP_REQUIREMENTS,
  PROP_LOGIN,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  LOGIN_ACCEPTED,
  LOGGED_OUT,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* "account" for CARNET_SESSION_STEP_ACCOUNT, for the debug log. */
static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : "?";
}

/* --- State ------------------------------------------------------------------- */

/* Notified even when the step is the same: the window shows its page
 * again (a step's page after an error it asked the ENT about). */
static void
set_step (CarnetSession *self,
          CarnetSessionStep step,
          const GError  *error)
{
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  self->step = step;
  g_debug ("Step %s", enum_nick (CARNET_TYPE_SESSION_STEP, step));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STEP]);
}

static void
set_login (CarnetSession *self,
           const char    *login)
{
  if (g_strcmp0 (self->login, login) == 0)
    return;

  g_free (self->login);
  self->login = g_strdup (login);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOGIN]);
}

static void
set_user (CarnetSession *self,
          CarnetEntUser *user)
{
  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_USER]);
  if (user != NULL)
    set_login (self, carnet_ent_user_get_login (user));
}

static void
set_requirements (CarnetSession         *self,
                  CarnetEntRequirements *requirements)
{
  if (g_set_object (&self->requirements, requirements))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REQUIREMENTS]);
}

static void
stop_steps (CarnetSession *self)
{
  if (self->steps_cancellable != NULL)
    g_cancellable_cancel (self->steps_cancellable);
  g_clear_object (&self->steps_cancellable);
}

/* Nothing of the session stays here for the next user. */
static void
forget (CarnetSession *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  stop_steps (self);
  set_user (self, NULL);
  set_requirements (self, NULL);
  set_login (self, NULL);
  set_step (self, CARNET_SESSION_STEP_NONE, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- What must happen after every login ---------------------------------------
 * The letter's "Consultez et acceptez la charte ENT" and "Saisissez votre
 * mail…": the ENT's requirements, in its order (password, charter, email),
 * asked again after each step, then the account. */

/* The step of the ENT's first requirement, or NONE when none is left. */
static CarnetSessionStep
next_step (CarnetSession         *self,
           CarnetEntRequirements *requirements)
{
  /* A forced change needs the login the password page changes it for. */
  if (carnet_ent_requirements_get_force_change_password (requirements) && self->user != NULL)
    return CARNET_SESSION_STEP_PASSWORD;
  if (carnet_ent_requirements_get_need_revalidate_terms (requirements))
    return CARNET_SESSION_STEP_CHARTER;
  if (carnet_ent_requirements_get_need_revalidate_email (requirements))
    return CARNET_SESSION_STEP_MAIL;

  return CARNET_SESSION_STEP_NONE;
}

static void
refresh_user_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetSession) self = user_data;
  g_autoptr(CarnetEntUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = carnet_ent_client_get_user_info_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->steps_cancellable == NULL)
    return;
  g_clear_object (&self->steps_cancellable);

  /* The steps may have changed the email: show what the ENT now knows. */
  if (user != NULL)
    set_user (self, user);
  else
    g_debug ("The profile could not be read again: %s", error->message);

  if (self->user == NULL)
    {
      set_step (self, CARNET_SESSION_STEP_ERROR, error);
      return;
    }

  set_step (self, CARNET_SESSION_STEP_ACCOUNT, NULL);
}

static void
requirements_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CarnetSession) self = user_data;
  g_autoptr(CarnetEntRequirements) requirements = NULL;
  g_autoptr(GError) error = NULL;
  CarnetSessionStep step;

  requirements = carnet_ent_client_get_requirements_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->steps_cancellable == NULL)
    return;

  if (requirements == NULL)
    {
      g_clear_object (&self->steps_cancellable);
      g_debug ("No requirements from the ENT: %s", error->message);
      set_step (self, CARNET_SESSION_STEP_ERROR, error);
      return;
    }

  set_requirements (self, requirements);
  step = next_step (self, requirements);
  if (step != CARNET_SESSION_STEP_NONE)
    {
      g_clear_object (&self->steps_cancellable);
      set_step (self, step, NULL);
      return;
    }

  carnet_ent_client_get_user_info_async (self->client,
                                         self->steps_cancellable,
                                         refresh_user_cb,
                                         g_object_ref (self));
}

void
carnet_session_continue (CarnetSession *self)
{
  g_return_if_fail (CARNET_IS_SESSION (self));

  stop_steps (self);
  self->steps_cancellable = g_cancellable_new ();

  set_step (self, CARNET_SESSION_STEP_BUSY, NULL);
  carnet_ent_client_get_requirements_async (self->client,
                                            self->steps_cancellable,
                                            requirements_cb,
                                            g_object_ref (self));
}

void
carnet_session_cancel (CarnetSession *self)
{
  g_return_if_fail (CARNET_IS_SESSION (self));

  stop_steps (self);
}

/* --- Logging in --------------------------------------------------------------- */

typedef struct
{
  char                  *login;
  /* Cancelled with the caller's, and when the profile fails (the
   * requirements' answer no longer matters then). */
  GCancellable          *cancellable;
  gulong                 cancelled_id;
  GCancellable          *caller_cancellable;
  CarnetEntUser         *user;
  CarnetEntRequirements *requirements;
  guint                  pending;
} LoginData;

static void
login_data_free (LoginData *data)
{
  if (data->caller_cancellable != NULL)
    g_cancellable_disconnect (data->caller_cancellable, data->cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->user);
  g_clear_object (&data->requirements);
  g_free (data->login);
  g_free (data);
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Once both the profile and the requirements have answered. */
static void
login_maybe_finish (GTask *task)
{
  CarnetSession *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(CarnetEntRequirements) requirements = NULL;
  CarnetSessionStep step = CARNET_SESSION_STEP_NONE;

  g_return_if_fail (data->pending > 0);
  if (--data->pending > 0)
    return;

  stop_steps (self);
  set_user (self, data->user);
  requirements = g_steal_pointer (&data->requirements);
  if (requirements != NULL)
    {
      set_requirements (self, requirements);
      step = next_step (self, requirements);
      if (step == CARNET_SESSION_STEP_NONE)
        step = CARNET_SESSION_STEP_ACCOUNT;
    }

  /* The caller learns first (the login page forgets the password), then
   * the step shows. */
  g_task_return_boolean (task, TRUE);

  /* The login has just read both the profile and the requirements: asking
   * the ENT again would only add two round trips. Without the
   * requirements, asked again. */
  if (step != CARNET_SESSION_STEP_NONE)
    set_step (self, step, NULL);
  else
    carnet_session_continue (self);
}

static void
login_requirements_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->requirements = carnet_ent_client_get_requirements_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_task_had_error (task) || g_task_get_completed (task))
    return;
  if (g_task_return_error_if_cancelled (task))
    return;

  /* The account page can do without: the ENT will be asked again. */
  if (data->requirements == NULL)
    g_debug ("No requirements from the ENT: %s", error->message);

  login_maybe_finish (task);
}

static void
login_user_info_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->user = carnet_ent_client_get_user_info_finish (CARNET_ENT_CLIENT (object), result, &error);
  if (g_task_had_error (task) || g_task_get_completed (task))
    return;
  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->user == NULL)
    {
      g_cancellable_cancel (data->cancellable);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  login_maybe_finish (task);
}

/* Once the session is open (a login, cookies adopted): who, and what the
 * ENT requires. */
static void
read_user_and_requirements (GTask *task)
{
  CarnetSession *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);

  /* Independent questions: one round trip for both. */
  data->pending = 2;
  carnet_ent_client_get_user_info_async (self->client,
                                         data->cancellable,
                                         login_user_info_cb,
                                         g_object_ref (task));
  carnet_ent_client_get_requirements_async (self->client,
                                            data->cancellable,
                                            login_requirements_cb,
                                            g_object_ref (task));
}

static LoginData *
login_data_new (GCancellable *cancellable)
{
  LoginData *data = g_new0 (LoginData, 1);

  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  data->cancellable, NULL);
    }

  return data;
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CarnetSession *self = g_task_get_source_object (task);
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_login_finish (CARNET_ENT_CLIENT (object), result, &error))
    {
      g_debug ("Login refused: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  g_signal_emit (self, signals [LOGIN_ACCEPTED], 0, data->login);

  read_user_and_requirements (task);
}

void
carnet_session_login_async (CarnetSession       *self,
                            const char          *login,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoginData *data;

  g_return_if_fail (CARNET_IS_SESSION (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_session_login_async);
  g_task_set_check_cancellable (task, TRUE);

  data = login_data_new (cancellable);
  data->login = g_strdup (login);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  carnet_ent_client_login_async (self->client, login, password, data->cancellable,
                                 login_cb, g_steal_pointer (&task));
}

gboolean
carnet_session_login_finish (CarnetSession  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == carnet_session_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- A session opened elsewhere -------------------------------------------------- */

void
carnet_session_adopt_async (CarnetSession       *self,
                            GList               *soup_cookies,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (CARNET_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_session_adopt_async);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, login_data_new (cancellable), (GDestroyNotify) login_data_free);

  /* Whoever was here before is forgotten with the client's session: the
   * pages must not show their profile while the new one is read. */
  if (self->user != NULL || self->login != NULL || self->step != CARNET_SESSION_STEP_NONE)
    forget (self);

  if (!carnet_ent_client_adopt_cookies (self->client, soup_cookies, &error))
    {
      g_debug ("No session to adopt: %s", error->message);
      g_task_return_error (task, error);
      return;
    }

  /* No login-accepted: no password was accepted (see the header). */
  read_user_and_requirements (task);
}

gboolean
carnet_session_adopt_finish (CarnetSession  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == carnet_session_adopt_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
carnet_session_get_federated (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), FALSE);

  return self->user != NULL && carnet_ent_user_get_federated (self->user);
}

void
carnet_session_set_login (CarnetSession *self,
                          const char    *login)
{
  g_return_if_fail (CARNET_IS_SESSION (self));

  set_login (self, login);
}

void
carnet_session_set_user (CarnetSession *self,
                         CarnetEntUser *user)
{
  g_return_if_fail (CARNET_IS_SESSION (self));
  g_return_if_fail (user == NULL || CARNET_IS_ENT_USER (user));

  set_user (self, user);
}

/* --- Checking the password ------------------------------------------------------ */

static void
check_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!carnet_ent_client_login_finish (CARNET_ENT_CLIENT (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
carnet_session_check_password_async (CarnetSession       *self,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CARNET_IS_SESSION (self));
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Only while someone is logged in. */
  g_return_if_fail (self->login != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_session_check_password_async);

  /* Logging in again with it is how the ENT checks it (a wrong one is
   * BAD_CREDENTIALS), and it also renews the session. */
  carnet_ent_client_login_async (self->client, self->login, password, cancellable,
                                 check_password_cb, g_steal_pointer (&task));
}

gboolean
carnet_session_check_password_finish (CarnetSession  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == carnet_session_check_password_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Logging out ------------------------------------------------------------------ */

static void
logged_out (CarnetSession             *self,
            CarnetSessionLogoutReason  reason)
{
  forget (self);
  g_signal_emit (self, signals [LOGGED_OUT], 0, reason);
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CarnetSession *self = g_task_get_source_object (task);
  CarnetSessionLogoutReason reason = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;

  /* The client forgets the session even when the ENT cannot be told. */
  if (g_task_get_source_tag (G_TASK (result)) == carnet_ent_client_federated_logout_async
      ? !carnet_ent_client_federated_logout_finish (CARNET_ENT_CLIENT (object), result, &error)
      : !carnet_ent_client_logout_finish (CARNET_ENT_CLIENT (object), result, &error))
    g_debug ("The ENT was not told about the logout: %s", error->message);
  else
    g_debug ("The ENT was told about the logout");

  if (reason != CARNET_SESSION_LOGOUT_IDLE)
    logged_out (self, reason);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
carnet_session_log_out_async (CarnetSession             *self,
                              CarnetSessionLogoutReason  reason,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  /* Read before the session is forgotten (at once when idle). */
  gboolean federated;

  g_return_if_fail (CARNET_IS_SESSION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  federated = carnet_session_get_federated (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, carnet_session_log_out_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (reason), NULL);

  g_debug ("Logging out (%s)", enum_nick (CARNET_TYPE_SESSION_LOGOUT_REASON, reason));
  stop_steps (self);

  /* Idle: the pages go first, at once; the ENT is told afterwards, if
   * there is still a session to tell it about. */
  if (reason == CARNET_SESSION_LOGOUT_IDLE)
    {
      logged_out (self, reason);
      if (!carnet_ent_client_has_session (self->client))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }

  /* A federated session is closed by the ENT's SAML logout only: its
   * /auth/logout just redirects there. */
  if (federated)
    carnet_ent_client_federated_logout_async (self->client, cancellable, logout_cb, g_steal_pointer (&task));
  else
    carnet_ent_client_logout_async (self->client, cancellable, logout_cb, g_steal_pointer (&task));
}

gboolean
carnet_session_log_out_finish (CarnetSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == carnet_session_log_out_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Accessors ------------------------------------------------------------------- */

CarnetSession *
carnet_session_new (CarnetEntClient *client)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (client), NULL);

  return g_object_new (CARNET_TYPE_SESSION, "client", client, NULL);
}

CarnetEntClient *
carnet_session_get_client (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), NULL);

  return self->client;
}

CarnetEntUser *
carnet_session_get_user (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), NULL);

  return self->user;
}

CarnetEntRequirements *
carnet_session_get_requirements (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), NULL);

  return self->requirements;
}

const char *
carnet_session_get_login (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), NULL);

  return self->login;
}

CarnetSessionStep
carnet_session_get_step (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), CARNET_SESSION_STEP_NONE);

  return self->step;
}

const GError *
carnet_session_get_error (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), NULL);

  return self->error;
}

gboolean
carnet_session_get_logged_in (CarnetSession *self)
{
  g_return_val_if_fail (CARNET_IS_SESSION (self), FALSE);

  return carnet_ent_client_has_session (self->client);
}

static void
carnet_session_dispose (GObject *object)
{
  CarnetSession *self = CARNET_SESSION (object);

  stop_steps (self);
  g_clear_object (&self->user);
  g_clear_object (&self->requirements);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (carnet_session_parent_class)->dispose (object);
}

static void
carnet_session_finalize (GObject *object)
{
  CarnetSession *self = CARNET_SESSION (object);

  g_clear_pointer (&self->login, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (carnet_session_parent_class)->finalize (object);
}

static void
carnet_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CarnetSession *self = CARNET_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_USER:
      g_value_set_object (value, self->user);
      break;

    case PROP_REQUIREMENTS:
      g_value_set_object (value, self->requirements);
      break;

    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;

    case PROP_STEP:
      g_value_set_enum (value, self->step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CarnetSession *self = CARNET_SESSION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
carnet_session_class_init (CarnetSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_session_dispose;
  object_class->finalize = carnet_session_finalize;
  object_class->get_property = carnet_session_get_property;
  object_class->set_property = carnet_session_set_property;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         CARNET_TYPE_ENT_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_USER] =
    g_param_spec_object ("user", NULL, NULL,
                         CARNET_TYPE_ENT_USER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_REQUIREMENTS] =
    g_param_spec_object ("requirements", NULL, NULL,
                         CARNET_TYPE_ENT_REQUIREMENTS,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LOGIN] =
    g_param_spec_string ("login", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_STEP] =
    g_param_spec_enum ("step", NULL, NULL,
                       CARNET_TYPE_SESSION_STEP,
                       CARNET_SESSION_STEP_NONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The ENT took the password; the profile and the requirements are being
   * read (the login page says so, and remembers the password if asked). */
  signals [LOGIN_ACCEPTED] =
    g_signal_new ("login-accepted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  signals [LOGGED_OUT] =
    g_signal_new ("logged-out",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CARNET_TYPE_SESSION_LOGOUT_REASON);
}

static void
carnet_session_init (CarnetSession *self)
{
}
