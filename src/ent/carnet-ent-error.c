/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ent"

#include "config.h"

#include "carnet-ent-error.h"
#include "carnet-ent-error-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

typedef struct
{
  CarnetEntField  field;
  char           *server_message;
  guint           retry_after;
} CarnetEntErrorPrivate;

static void
carnet_ent_error_private_init (CarnetEntErrorPrivate *priv)
{
  /* The generated getter can answer NULL; the compiler wants it checked. */
  if (priv == NULL)
    return;

  priv->field = CARNET_ENT_FIELD_NONE;
  priv->server_message = NULL;
  priv->retry_after = 0;
}

static void
carnet_ent_error_private_copy (const CarnetEntErrorPrivate *src,
                               CarnetEntErrorPrivate       *dest)
{
  if (src == NULL || dest == NULL)
    return;

  dest->field = src->field;
  dest->server_message = g_strdup (src->server_message);
  dest->retry_after = src->retry_after;
}

static void
carnet_ent_error_private_clear (CarnetEntErrorPrivate *priv)
{
  if (priv == NULL)
    return;

  g_clear_pointer (&priv->server_message, g_free);
}

G_DEFINE_EXTENDED_ERROR (CarnetEntError, carnet_ent_error)

/* The generated getter refuses errors of other domains with a critical;
 * ours are documented to answer defaults instead. */
static CarnetEntErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != CARNET_ENT_ERROR)
    return NULL;

  return carnet_ent_error_get_private (error);
}

CarnetEntField
carnet_ent_error_get_field (const GError *error)
{
  CarnetEntErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field : CARNET_ENT_FIELD_NONE;
}

const char *
carnet_ent_error_get_server_message (const GError *error)
{
  CarnetEntErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->server_message : NULL;
}

guint
carnet_ent_error_get_retry_after (const GError *error)
{
  CarnetEntErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : 0;
}

GError *
carnet_ent_error_new_full (CarnetEntError  code,
                           CarnetEntField  field,
                           const char     *server_message,
                           guint           retry_after,
                           const char     *message)
{
  CarnetEntErrorPrivate *priv;
  GError *error;

  g_return_val_if_fail (message != NULL, NULL);

  error = g_error_new_literal (CARNET_ENT_ERROR, code, message);
  priv = carnet_ent_error_get_private (error);
  if (priv == NULL)
    return error;
  priv->field = field;
  priv->server_message = (server_message != NULL && *server_message != '\0')
                         ? g_strdup (server_message) : NULL;
  priv->retry_after = retry_after;

  return error;
}

const char *
carnet_ent_error_default_message (CarnetEntError code)
{
  switch (code)
    {
    case CARNET_ENT_ERROR_NETWORK:
      return _("The ENT could not be reached. Check your Internet connection and try again.");
    case CARNET_ENT_ERROR_TLS:
      return _("The ENT’s identity could not be verified, so Carnet did not connect to it.");
    case CARNET_ENT_ERROR_TIMEOUT:
      return _("The ENT took too long to answer. Try again in a moment.");
    case CARNET_ENT_ERROR_CANCELLED:
      return _("Cancelled.");
    case CARNET_ENT_ERROR_BAD_CREDENTIALS:
      return _("The login or the password is wrong.");
    case CARNET_ENT_ERROR_BANNED:
      return _("Too many wrong attempts. Wait 15 minutes, then try again.");
    case CARNET_ENT_ERROR_BLOCKED:
      return _("This account is blocked. Contact your child’s school.");
    case CARNET_ENT_ERROR_NOT_ACTIVATED:
      return _("This account is not activated yet. Use “First connection” with the letter from the school.");
    case CARNET_ENT_ERROR_INVALID_INPUT:
      return _("The ENT refused what was typed. Check it and try again.");
    case CARNET_ENT_ERROR_PASSWORD_POLICY:
      return _("The new password does not follow the ENT’s rule.");
    case CARNET_ENT_ERROR_SESSION_EXPIRED:
      return _("You were logged out. Log in again.");
    case CARNET_ENT_ERROR_RATE_LIMITED:
      return _("The ENT asks you to wait a little before trying again.");
    case CARNET_ENT_ERROR_SERVER:
      return _("The ENT has a problem right now. Try again later.");
    case CARNET_ENT_ERROR_PROTOCOL:
      return _("The ENT gave an answer Carnet does not understand. Check the address on the letter.");
    case CARNET_ENT_ERROR_INSECURE:
      return _("Carnet refuses to send your details over an unprotected connection.");
    case CARNET_ENT_ERROR_CODE_EXPIRED:
      return _("This code has expired or was already used. Ask for a new one.");
    case CARNET_ENT_ERROR_ACTION_REQUIRED:
      return _("The ENT asks you to finish a step of your account first.");
    default:
      return _("Something went wrong with the ENT.");
    }
}

GError *
carnet_ent_error_new_simple (CarnetEntError code)
{
  return carnet_ent_error_new_full (code, CARNET_ENT_FIELD_NONE, NULL, 0,
                                    carnet_ent_error_default_message (code));
}

GError *
carnet_ent_error_from_transport (const GError         *error,
                                 GTlsCertificateFlags  tls_errors)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == CARNET_ENT_ERROR)
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_CANCELLED);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_TIMEOUT);

  if (error->domain == G_TLS_ERROR || tls_errors != 0)
    {
      const char *message;

      /* The most actionable cause first: a wrong host means the letter's
       * address is not this server's; an expired certificate is the
       * server's (or the computer clock's) fault. */
      if (tls_errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
        message = _("The ENT’s certificate was made for another address. Check the address on the letter.");
      else if (tls_errors & G_TLS_CERTIFICATE_EXPIRED)
        message = _("The ENT’s certificate has expired. Check the computer’s date, or try again later.");
      else if (tls_errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
        message = _("The ENT’s certificate is not valid yet. Check the computer’s date and time.");
      else if (tls_errors & (G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_INSECURE))
        message = _("The ENT’s certificate is not trusted, so Carnet did not connect to it.");
      else if (tls_errors & G_TLS_CERTIFICATE_REVOKED)
        message = _("The ENT’s certificate was revoked, so Carnet did not connect to it.");
      else
        message = carnet_ent_error_default_message (CARNET_ENT_ERROR_TLS);

      return carnet_ent_error_new_full (CARNET_ENT_ERROR_TLS, CARNET_ENT_FIELD_NONE,
                                        NULL, 0, message);
    }

  /* DNS, refused, reset, unreachable, closed too early: all the same to a
   * parent — the ENT cannot be reached. The GIO message is only debug. */
  g_debug ("Transport error: %s", error->message);

  return carnet_ent_error_new_simple (CARNET_ENT_ERROR_NETWORK);
}

char *
carnet_ent_error_clean_server_message (const char *message)
{
  GString *out;
  const char *p;

  if (message == NULL)
    return NULL;

  out = g_string_new (NULL);

  for (p = message; *p != '\0'; p++)
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');

          if (end == NULL)
            {
              g_string_append (out, p);
              break;
            }

          /* The ENT joins several messages with <br />: keep them apart. */
          if (g_ascii_strncasecmp (p, "<br", 3) == 0)
            g_string_append_c (out, '\n');

          p = end;
          continue;
        }

      g_string_append_c (out, *p);
    }

  /* Tidy up blank lines left by consecutive breaks. */
  {
    g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);
    GString *tidy = g_string_new (NULL);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_strstrip (lines[i]);
        if (lines[i][0] == '\0')
          continue;
        if (tidy->len > 0)
          g_string_append_c (tidy, '\n');
        g_string_append (tidy, lines[i]);
      }

    g_string_free (out, TRUE);

    if (!g_utf8_validate (tidy->str, tidy->len, NULL))
      {
        g_string_free (tidy, TRUE);
        return NULL;
      }

    return g_string_free (tidy, FALSE);
  }
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

static gboolean
contains_any_ci (const char         *haystack,
                 const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    if (contains_ci (haystack, needles[i]))
      return TRUE;

  return FALSE;
}

GError *
carnet_ent_error_from_login_page (const char *html,
                                  gsize       length)
{
  g_autofree char *text = NULL;

  if (html == NULL)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);

  /* The page is searched as text; it may be big but it is bounded. */
  text = g_strndup (html, length);

  /* Ban first: the ENT also refuses a right password while banned. */
  if (strstr (text, "auth.error.ban") != NULL)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BANNED, CARNET_ENT_FIELD_NONE,
                                      NULL, CARNET_ENT_BAN_SECONDS,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BANNED));

  if (strstr (text, "auth.error.blockedUser") != NULL ||
      strstr (text, "auth.error.blockedProfileType") != NULL)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_BLOCKED);

  if (strstr (text, "auth.error.authenticationFailed") != NULL)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
                                      NULL, 0,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BAD_CREDENTIALS));

  if (strstr (text, "auth.error.global") != NULL)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SERVER);

  /* The provisional code typed as a password: the ENT shows its
   * activation form instead of logging in. Checked after the error keys
   * because a login page may link to the activation page. */
  if (strstr (text, "activationCode") != NULL ||
      strstr (text, "action=\"/auth/activation") != NULL)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_NOT_ACTIVATED, CARNET_ENT_FIELD_PASSWORD,
                                      NULL, 0,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_NOT_ACTIVATED));

  return carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);
}

GError *
carnet_ent_error_from_auth_key (const char *key)
{
  if (key == NULL)
    return NULL;

  if (g_str_has_prefix (key, "auth.error.ban"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BANNED, CARNET_ENT_FIELD_NONE,
                                      NULL, CARNET_ENT_BAN_SECONDS,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BANNED));
  if (g_str_has_prefix (key, "auth.error.blocked"))
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_BLOCKED);
  if (g_str_equal (key, "auth.error.authenticationFailed"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
                                      NULL, 0,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BAD_CREDENTIALS));
  if (g_str_equal (key, "auth.error.global"))
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_SERVER);
  if (g_str_has_prefix (key, "auth.error.activation"))
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_NOT_ACTIVATED);

  return NULL;
}

GError *
carnet_ent_error_from_form_message (CarnetEntForm  form,
                                    const char    *raw_message)
{
  static const char * const expired[] = {
    "expir", "périm", "perim", "reset.error", "code.invalid", "invalid.reset", NULL
  };
  static const char * const policy[] = {
    "regex", "complexit", "password.policy", "ne respecte pas", "does not follow",
    "doit contenir", "must contain", "déjà été utilisé", "deja ete utilise", "already been used",
    "already used", "derniers mots de passe", "last 10", NULL
  };
  static const char * const charter[] = { "cgu", "charte", "charter", NULL };
  static const char * const mail[] = { "mail", "courriel", NULL };
  static const char * const phone[] = { "phone", "téléphone", "telephone", "mobile", NULL };
  static const char * const confirm[] = {
    "confirm", "identiques", "ne correspondent pas", "do not match", "don't match", NULL
  };
  static const char * const old_password[] = {
    "oldpassword", "old password", "ancien mot de passe", "current password",
    "mot de passe actuel", "authenticationfailed", "incorrect", NULL
  };
  static const char * const login[] = { "login", "identifiant", NULL };
  g_autofree char *message = carnet_ent_error_clean_server_message (raw_message);
  const char *m = message != NULL ? message : "";
  CarnetEntError code = CARNET_ENT_ERROR_INVALID_INPUT;
  CarnetEntField field = CARNET_ENT_FIELD_NONE;

  if (strstr (m, "auth.error.ban") != NULL)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BANNED, CARNET_ENT_FIELD_NONE,
                                      message, CARNET_ENT_BAN_SECONDS,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BANNED));

  /* Unknown code, or an account that is already active. */
  if (strstr (m, "activation.error") != NULL)
    {
      code = CARNET_ENT_ERROR_BAD_CREDENTIALS;
      field = CARNET_ENT_FIELD_PASSWORD;
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The login or the provisional password from the letter is wrong, or the account is already activated."));
    }

  if (form == CARNET_ENT_FORM_RESET && contains_any_ci (m, expired))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE,
                                      message, 0,
                                      _("This link or code has expired or was already used. Ask for a new one with “Forgotten password”."));

  if (contains_any_ci (m, policy))
    {
      code = CARNET_ENT_ERROR_PASSWORD_POLICY;
      field = CARNET_ENT_FIELD_NEW_PASSWORD;
    }
  else if (contains_any_ci (m, charter))
    field = CARNET_ENT_FIELD_CHARTER;
  else if (contains_any_ci (m, confirm))
    field = CARNET_ENT_FIELD_CONFIRM_PASSWORD;
  else if (form == CARNET_ENT_FORM_CHANGE_PASSWORD && contains_any_ci (m, old_password))
    {
      code = CARNET_ENT_ERROR_BAD_CREDENTIALS;
      field = CARNET_ENT_FIELD_PASSWORD;
    }
  else if (contains_any_ci (m, mail))
    field = CARNET_ENT_FIELD_MAIL;
  else if (contains_any_ci (m, phone))
    field = CARNET_ENT_FIELD_PHONE;
  else if (contains_any_ci (m, login))
    field = CARNET_ENT_FIELD_LOGIN;
  else if (form == CARNET_ENT_FORM_RESET)
    {
      /* A reset refused for no reason we recognise is almost always a bad
       * or stale code: the ENT does not say more to avoid leaking accounts. */
      return carnet_ent_error_new_full (CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE,
                                        message, 0,
                                        _("This link or code has expired or was already used. Ask for a new one with “Forgotten password”."));
    }

  switch (field)
    {
    case CARNET_ENT_FIELD_NEW_PASSWORD:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        carnet_ent_error_default_message (code));
    case CARNET_ENT_FIELD_CHARTER:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The charter must be accepted."));
    case CARNET_ENT_FIELD_CONFIRM_PASSWORD:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The two passwords are not the same."));
    case CARNET_ENT_FIELD_PASSWORD:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The current password is wrong."));
    case CARNET_ENT_FIELD_MAIL:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The ENT refused this email address."));
    case CARNET_ENT_FIELD_PHONE:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The ENT refused this phone number."));
    case CARNET_ENT_FIELD_LOGIN:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        _("The ENT does not know this login."));
    case CARNET_ENT_FIELD_NONE:
    case CARNET_ENT_FIELD_CODE:
    case CARNET_ENT_FIELD_FIRST_NAME:
    case CARNET_ENT_FIELD_SCHOOL:
    default:
      return carnet_ent_error_new_full (code, field, message, 0,
                                        carnet_ent_error_default_message (code));
    }
}
