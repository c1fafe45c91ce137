/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-client.h"
#include "carnet-ent-client-private.h"
#include "carnet-ent-exchange-private.h"
#include "carnet-ent-error-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

/* The client object: its settings, its SoupSession and cookie jar, the
 * session it holds. What an exchange with the ENT does is in
 * carnet-ent-exchange.c; the operations, by theme, in carnet-ent-auth.c
 * and carnet-ent-account.c; addresses in carnet-ent-address.c. */

#define DEFAULT_TIMEOUT_SECONDS 30

G_DEFINE_FINAL_TYPE (CarnetEntClient, carnet_ent_client, G_TYPE_OBJECT)

enum {
  SESSION_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* --- debugging ----------------------------------------------------------- */

/* CARNET_DEBUG_HTTP=1 logs every exchange's request line, status and
 * headers as debug messages of the "carnet-ent-http" domain (shown with
 * G_MESSAGES_DEBUG=carnet-ent-http or all). Never a body: forms carry
 * passwords and codes, answers carry tokens. Headers that carry the
 * session or a credential are replaced by a placeholder. */
static const char * const redacted_headers[] = {
  "Cookie:", "Set-Cookie:", "Authorization:", "Proxy-Authorization:", "X-XSRF-TOKEN:",
  NULL
};

static SoupLoggerLogLevel
http_log_filter (SoupLogger  *logger,
                 SoupMessage *msg,
                 gpointer     user_data)
{
  return SOUP_LOGGER_LOG_HEADERS;
}

static void
http_log_printer (SoupLogger         *logger,
                  SoupLoggerLogLevel  level,
                  char                direction,
                  const char         *data,
                  gpointer            user_data)
{
  for (guint i = 0; redacted_headers[i] != NULL; i++)
    if (g_ascii_strncasecmp (data, redacted_headers[i], strlen (redacted_headers[i])) == 0)
      {
        g_log ("carnet-ent-http", G_LOG_LEVEL_DEBUG, "%c %s [hidden]", direction, redacted_headers[i]);
        return;
      }

  g_log ("carnet-ent-http", G_LOG_LEVEL_DEBUG, "%c %s", direction, data);
}

static void
attach_http_logger (SoupSession *session)
{
  g_autoptr(SoupLogger) logger = NULL;

  if (g_strcmp0 (g_getenv ("CARNET_DEBUG_HTTP"), "1") != 0)
    return;

  logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
  soup_logger_set_request_filter (logger, http_log_filter, NULL, NULL);
  soup_logger_set_response_filter (logger, http_log_filter, NULL, NULL);
  soup_logger_set_printer (logger, http_log_printer, NULL, NULL);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}

/* --- the object ---------------------------------------------------------- */

static void
carnet_ent_client_finalize (GObject *object)
{
  CarnetEntClient *self = (CarnetEntClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->accept_language, g_free);
  g_clear_pointer (&self->i18n_reverse, g_hash_table_unref);

  G_OBJECT_CLASS (carnet_ent_client_parent_class)->finalize (object);
}

static void
carnet_ent_client_dispose (GObject *object)
{
  CarnetEntClient *self = (CarnetEntClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);

  g_clear_object (&self->session);
  g_clear_object (&self->cookie_jar);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (carnet_ent_client_parent_class)->dispose (object);
}

static void
carnet_ent_client_class_init (CarnetEntClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = carnet_ent_client_dispose;
  object_class->finalize = carnet_ent_client_finalize;

  /* A session was opened (a login, an activation that logs in) or closed
   * (a logout, a session the ENT no longer knows): for Carnet's logout
   * guard (carnet_ent_client_dup_session_cookies()). */
  signals [SESSION_CHANGED] =
    g_signal_new ("session-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

/* "fr-FR, fr;q=0.9" from the user's locale ("fr_FR.UTF-8"); French when
 * the locale says nothing (C, POSIX): the ENTs Carnet knows are French. */
static char *
accept_language_from_locale (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *tag = NULL;
      g_autofree char *primary = NULL;
      char *cut;

      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX") ||
          g_str_has_prefix (names[i], "C."))
        continue;

      tag = g_strdup (names[i]);
      if ((cut = strpbrk (tag, ".@")) != NULL)
        *cut = '\0';
      for (char *p = tag; *p != '\0'; p++)
        {
          if (*p == '_')
            *p = '-';
          else if (!g_ascii_isalnum (*p) && *p != '-')
            {
              *p = '\0';
              break;
            }
        }
      if (strlen (tag) < 2)
        continue;

      primary = g_strdup (tag);
      if ((cut = strchr (primary, '-')) != NULL)
        {
          *cut = '\0';
          return g_strdup_printf ("%s, %s;q=0.9", tag, primary);
        }
      return g_steal_pointer (&tag);
    }

  return g_strdup ("fr");
}

void
carnet_ent_client_set_accept_language (CarnetEntClient *self,
                                       const char      *accept_language)
{
  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  g_free (self->accept_language);
  self->accept_language = accept_language != NULL ? g_strdup (accept_language)
                                                  : accept_language_from_locale ();
  soup_session_set_accept_language (self->session, self->accept_language);
  /* The dictionary was the other language's. */
  g_clear_pointer (&self->i18n_reverse, g_hash_table_unref);
}

const char *
carnet_ent_client_get_accept_language (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->accept_language;
}

static void
carnet_ent_client_init (CarnetEntClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->remember_me = TRUE;

  self->session = soup_session_new ();
  soup_session_set_timeout (self->session, self->timeout);
  soup_session_set_user_agent (self->session, "Carnet/" PACKAGE_VERSION);
  /* The ENT translates its error messages into this language, and
   * GET /auth/i18n answers in it too: both must be the same. */
  self->accept_language = accept_language_from_locale ();
  soup_session_set_accept_language (self->session, self->accept_language);

  /* Memory only: a shared family computer must not keep the session. */
  self->cookie_jar = soup_cookie_jar_new ();
  soup_cookie_jar_set_accept_policy (self->cookie_jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (self->cookie_jar));

  attach_http_logger (self->session);
}

CarnetEntClient *
carnet_ent_client_new (const char  *address,
                       GError     **error)
{
  g_autoptr(CarnetEntClient) self = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *with_slash = NULL;

  base_url = carnet_ent_normalize_address (address, error);
  if (base_url == NULL)
    return NULL;

  self = g_object_new (CARNET_TYPE_ENT_CLIENT, NULL);
  self->base_url = g_steal_pointer (&base_url);
  /* With the path "/" spelled out: libsoup's cookie jar matches a cookie's
   * Path=/ against the URI's path, and an empty path matches nothing. */
  with_slash = g_strconcat (self->base_url, "/", NULL);
  self->base_uri = g_uri_parse (with_slash, G_URI_FLAGS_NONE, NULL);
  g_assert (self->base_uri != NULL);
  self->host = g_strdup (self->base_url + strlen ("https://"));

  return g_steal_pointer (&self);
}

const char *
carnet_ent_client_get_base_url (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->base_url;
}

const char *
carnet_ent_client_get_host (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->host;
}

gboolean
carnet_ent_client_set_ca_file (CarnetEntClient  *self,
                               const char       *path,
                               GError          **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  database = g_tls_file_database_new (path, &local_error);
  if (database == NULL)
    {
      g_debug ("Cannot load CA file %s: %s", path, local_error->message);
      g_propagate_error (error,
                         carnet_ent_error_new_full (CARNET_ENT_ERROR_TLS, CARNET_ENT_FIELD_NONE,
                                                    NULL, 0,
                                                    _("The certificate authority file could not be read.")));
      return FALSE;
    }

  soup_session_set_tls_database (self->session, database);

  return TRUE;
}

void
carnet_ent_client_set_timeout (CarnetEntClient *self,
                               guint            seconds)
{
  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

guint
carnet_ent_client_get_timeout (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), 0);

  return self->timeout;
}

void
carnet_ent_client_set_remember_me (CarnetEntClient *self,
                                   gboolean         remember_me)
{
  g_return_if_fail (CARNET_IS_ENT_CLIENT (self));

  self->remember_me = !!remember_me;
}

gboolean
carnet_ent_client_get_remember_me (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), TRUE);

  return self->remember_me;
}

gboolean
carnet_ent_client_has_session (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), FALSE);

  return self->has_cookie_session;
}

char *
carnet_ent_client_dup_session_cookies (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  if (!self->has_cookie_session)
    return NULL;

  /* HTTP-only cookies included: this is for an HTTP request. */
  return soup_cookie_jar_get_cookies (self->cookie_jar, self->base_uri, TRUE);
}

CarnetEntContext *
carnet_ent_client_get_cached_context (CarnetEntClient *self)
{
  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), NULL);

  return self->context;
}

char *
carnet_ent_client_get_cookie (CarnetEntClient *self,
                              const char      *name)
{
  GSList *cookies = soup_cookie_jar_get_cookie_list (self->cookie_jar, self->base_uri, TRUE);
  char *value = NULL;

  for (GSList *l = cookies; l != NULL; l = l->next)
    {
      SoupCookie *cookie = l->data;

      if (g_str_equal (soup_cookie_get_name (cookie), name))
        {
          value = g_strdup (soup_cookie_get_value (cookie));
          break;
        }
    }

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  return value;
}

gboolean
carnet_ent_client_has_cookie (CarnetEntClient *self,
                              const char      *name)
{
  GSList *cookies = soup_cookie_jar_get_cookie_list (self->cookie_jar, self->base_uri, TRUE);
  gboolean found = FALSE;

  for (GSList *l = cookies; l != NULL; l = l->next)
    if (g_str_equal (soup_cookie_get_name (l->data), name))
      found = TRUE;

  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  return found;
}

void
carnet_ent_client_forget_session (CarnetEntClient *self)
{
  GSList *cookies = soup_cookie_jar_all_cookies (self->cookie_jar);

  for (GSList *l = cookies; l != NULL; l = l->next)
    soup_cookie_jar_delete_cookie (self->cookie_jar, l->data);
  g_slist_free_full (cookies, (GDestroyNotify) soup_cookie_free);

  self->has_cookie_session = FALSE;
  g_signal_emit (self, signals [SESSION_CHANGED], 0);
}

void
carnet_ent_client_session_opened (CarnetEntClient *self)
{
  self->has_cookie_session = TRUE;
  g_signal_emit (self, signals [SESSION_CHANGED], 0);
}

/* --- a session opened elsewhere ------------------------------------------ */

/* The cookies entcore sets at a login, federated or not (6.15.4
 * AbstractFederateController.java:100-106, AuthController's login): the
 * signed session id, the flag its pages read, the XSRF token. */
static const char * const session_cookie_names[] = {
  "oneSessionId", "authenticated", "XSRF-TOKEN", NULL
};

/* Whether the ENT's own requests would carry @cookie. */
static gboolean
cookie_is_ent_session (CarnetEntClient *self,
                       SoupCookie      *cookie,
                       GDateTime       *now)
{
  GDateTime *expires = soup_cookie_get_expires (cookie);

  if (!g_strv_contains (session_cookie_names, soup_cookie_get_name (cookie)))
    return FALSE;
  /* Cookies have no port: another service on the same host (the stand-in
   * EduConnect of the tests) sets cookies for it too, but not these names. */
  if (!soup_cookie_domain_matches (cookie, g_uri_get_host (self->base_uri)))
    {
      g_debug ("Cookie %s of another host not adopted", soup_cookie_get_name (cookie));
      return FALSE;
    }
  /* The client speaks HTTPS only; a cookie that could have come over
   * plain HTTP is not the ENT's session. */
  if (!soup_cookie_get_secure (cookie) || !soup_cookie_applies_to_uri (cookie, self->base_uri))
    {
      g_debug ("Cookie %s not for https://%s/ not adopted", soup_cookie_get_name (cookie), self->host);
      return FALSE;
    }
  if (expires != NULL && g_date_time_compare (expires, now) <= 0)
    {
      g_debug ("Expired cookie %s not adopted", soup_cookie_get_name (cookie));
      return FALSE;
    }

  return TRUE;
}

gboolean
carnet_ent_client_adopt_cookies (CarnetEntClient  *self,
                                 GList            *soup_cookies,
                                 GError          **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean has_session_id = FALSE;

  g_return_val_if_fail (CARNET_IS_ENT_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Whoever was logged in before is not any more, whatever follows. */
  carnet_ent_client_forget_session (self);

  for (GList *l = soup_cookies; l != NULL; l = l->next)
    if (cookie_is_ent_session (self, l->data, now) &&
        g_str_equal (soup_cookie_get_name (l->data), "oneSessionId") &&
        *soup_cookie_get_value (l->data) != '\0')
      has_session_id = TRUE;

  if (!has_session_id)
    {
      g_debug ("No session cookie for %s to adopt", self->host);
      g_propagate_error (error,
                         carnet_ent_error_new_full (CARNET_ENT_ERROR_SESSION_EXPIRED, CARNET_ENT_FIELD_NONE,
                                                    NULL, 0,
                                                    _("The ENT did not open a session at the end of this login. Log in again.")));
      return FALSE;
    }

  for (GList *l = soup_cookies; l != NULL; l = l->next)
    if (cookie_is_ent_session (self, l->data, now))
      /* Taken by the jar. */
      soup_cookie_jar_add_cookie (self->cookie_jar, soup_cookie_copy (l->data));

  g_debug ("Session opened elsewhere adopted for %s", self->host);
  carnet_ent_client_session_opened (self);

  return TRUE;
}
