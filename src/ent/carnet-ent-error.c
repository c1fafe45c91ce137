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
    case CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD:
      return _("This is the code from the password reset mail, not a password. Use it to choose a new password.");
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

  /* The one error outside CARNET_ENT_ERROR: GLib's own, which callers
   * test for everywhere, with our message. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("Cancelled."));

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

static GError *banned_error (const char *server_message);

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

static GError *login_error_from_key (const char *key,
                                     const char *server_message);

GError *
carnet_ent_error_from_auth_key (const char *key)
{
  GError *error;

  if (key == NULL)
    return NULL;

  if ((error = login_error_from_key (key, NULL)) != NULL)
    return error;
  if (g_str_has_prefix (key, "auth.error.blocked"))
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_BLOCKED);
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
    return banned_error (message);

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

/* --- translated texts back to keys ---------------------------------------- */

char *
carnet_ent_html_unescape (const char *text)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&#39;", '\'' }, { "&quot;", '"' }, { "&amp;", '&' }, { "&lt;", '<' },
    { "&gt;", '>' }, { "&#x60;", '`' }, { "&#x3D;", '=' }, { "&#x27;", '\'' },
    { "&#34;", '"' }, { "&apos;", '\'' }, { "&#x2F;", '/' },
  };
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean replaced = FALSE;

      if (*p == '&')
        for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
          {
            gsize n = strlen (entities[i].entity);

            /* Entities are matched as Mustache writes them; the hexadecimal
             * digits in either case. */
            if (g_ascii_strncasecmp (p, entities[i].entity, n) == 0)
              {
                g_string_append_c (out, entities[i].c);
                p += n - 1;
                replaced = TRUE;
                break;
              }
          }

      if (!replaced)
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

gboolean
carnet_ent_text_is_key (const char *text)
{
  gboolean dot = FALSE;

  if (text == NULL || !g_ascii_isalpha (*text))
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '.')
        dot = TRUE;
      else if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
        return FALSE;
    }

  return dot && text[strlen (text) - 1] != '.';
}

char *
carnet_ent_i18n_normalize (const char *text)
{
  g_autofree char *clean = NULL;
  g_autofree char *nfc = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;

  clean = carnet_ent_error_clean_server_message (text);
  if (clean == NULL)
    return NULL;
  nfc = g_utf8_normalize (clean, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return NULL;

  /* Spaces, line breaks and typographic apostrophes vary between an
   * ENT's answers and its dictionary; the words do not. */
  out = g_string_new (NULL);
  for (const char *p = nfc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      if (c == 0x2019 || c == 0x2018)
        g_string_append_c (out, '\'');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

char **
carnet_ent_i18n_lookup (GHashTable *reverse,
                        const char *text)
{
  g_autofree char *normal = NULL;
  const char *keys;

  if (text == NULL)
    return NULL;

  normal = carnet_ent_i18n_normalize (text);
  if (normal == NULL || *normal == '\0')
    return NULL;

  /* A raw key: the ENT had no translation for it. */
  if (carnet_ent_text_is_key (normal))
    {
      char **one = g_new0 (char *, 2);

      one[0] = g_steal_pointer (&normal);
      return one;
    }

  if (reverse == NULL || (keys = g_hash_table_lookup (reverse, normal)) == NULL)
    return NULL;

  return g_strsplit (keys, "\n", -1);
}

static gboolean
keys_have (char       **keys,
           const char  *key)
{
  return keys != NULL && g_strv_contains ((const char * const *) keys, key);
}

static gboolean
keys_have_prefix (char       **keys,
                  const char  *prefix)
{
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (g_str_has_prefix (keys[i], prefix))
      return TRUE;

  return FALSE;
}

char *
carnet_ent_error_banned_message (guint retry_after)
{
  guint minutes = (retry_after + 59) / 60;

  if (minutes == 0)
    return g_strdup (_("Too many failed attempts: the ENT refuses this login for a while, even with the right password. Try again later."));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Too many failed attempts: the ENT refuses this login for a while, even with the right password. Try again in %u minute at most.",
                                       "Too many failed attempts: the ENT refuses this login for a while, even with the right password. Try again in %u minutes at most.",
                                       minutes),
                          minutes);
}

static GError *
banned_error (const char *server_message)
{
  g_autofree char *message = carnet_ent_error_banned_message (CARNET_ENT_BAN_SECONDS);

  return carnet_ent_error_new_full (CARNET_ENT_ERROR_BANNED, CARNET_ENT_FIELD_NONE,
                                    server_message, CARNET_ENT_BAN_SECONDS, message);
}

/* The auth.error.* keys of a failed login. */
static GError *
login_error_from_key (const char *key,
                      const char *server_message)
{
  if (key == NULL)
    return NULL;

  if (g_str_equal (key, "auth.error.ban") || g_str_has_prefix (key, "auth.error.ban."))
    return banned_error (server_message);
  if (g_str_equal (key, "auth.error.blockedUser"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BLOCKED, CARNET_ENT_FIELD_NONE, server_message, 0,
                                      _("The school’s ENT administrator blocked this account. Contact the school."));
  if (g_str_equal (key, "auth.error.blockedProfileType"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BLOCKED, CARNET_ENT_FIELD_NONE, server_message, 0,
                                      _("The ENT blocks parents’ accounts for the time being. Try again later, or contact the school."));
  if (g_str_equal (key, "auth.error.otpDisabled"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BLOCKED, CARNET_ENT_FIELD_NONE, server_message, 0,
                                      _("The ENT does not let this account log in this way. Contact the school."));
  if (g_str_equal (key, "auth.error.authenticationFailed"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
                                      server_message, 0,
                                      carnet_ent_error_default_message (CARNET_ENT_ERROR_BAD_CREDENTIALS));
  if (g_str_equal (key, "auth.error.global"))
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_SERVER, CARNET_ENT_FIELD_NONE, server_message, 0,
                                      _("The ENT is unavailable for the moment. Try again later."));

  return NULL;
}

/* In one ng-init attribute's value: `error = "…"` as a statement of its
 * own (after the start, a ';' or a space), its text up to the next quote. */
static char *
ng_init_error (const char *attribute)
{
  for (const char *p = strstr (attribute, "error"); p != NULL; p = strstr (p + 1, "error"))
    {
      const char *q = p + strlen ("error");
      const char *end;

      if (p != attribute && p[-1] != ';' && !g_ascii_isspace (p[-1]))
        continue;
      while (*q == ' ' || *q == '\t')
        q++;
      if (*q != '=')
        continue;
      q++;
      while (*q == ' ' || *q == '\t')
        q++;
      if (*q != '"' || (end = strchr (q + 1, '"')) == NULL)
        continue;

      return g_strndup (q + 1, end - (q + 1));
    }

  return NULL;
}

char *
carnet_ent_login_page_error_text (const char *html,
                                  gsize       length)
{
  g_autofree char *text = NULL;

  if (html == NULL || length == 0)
    return NULL;

  text = g_strndup (html, length);

  /* login.html: ng-init='error = "{{error.message}}"; callBack = …'. The
   * message is HTML-escaped by Mustache, so it holds no raw quote. Other
   * pages (activation.html) have an ng-init without an error. */
  for (const char *init = strstr (text, "ng-init="); init != NULL; init = strstr (init + 1, "ng-init="))
    {
      const char *value = init + strlen ("ng-init=");
      g_autofree char *attribute = NULL;
      g_autofree char *raw = NULL;
      const char *end;
      char *decoded;

      if ((*value != '\'' && *value != '"') || (end = strchr (value + 1, *value)) == NULL)
        continue;
      attribute = g_strndup (value + 1, end - (value + 1));
      if ((raw = ng_init_error (attribute)) == NULL)
        continue;

      decoded = carnet_ent_html_unescape (raw);
      g_strstrip (decoded);
      if (*decoded == '\0' || !g_utf8_validate (decoded, -1, NULL))
        {
          g_free (decoded);
          return NULL;
        }
      return decoded;
    }

  return NULL;
}

gboolean
carnet_ent_login_page_needs_i18n (const char *html,
                                  gsize       length)
{
  g_autofree char *message = carnet_ent_login_page_error_text (html, length);
  g_autofree char *normal = carnet_ent_i18n_normalize (message);

  return normal != NULL && *normal != '\0' && !carnet_ent_text_is_key (normal);
}

/* When the dictionary cannot be had: the words of entcore's own texts. */
static GError *
login_error_from_words (const char *message)
{
  static const char * const ban[] = {
    "temporairement suite", "trop grand nombre", "tentatives", "too many", "attempts", NULL
  };
  static const char * const profile[] = { "profil d", "profile type", "your profile", NULL };
  static const char * const blocked[] = { "bloqué", "bloque", "blocked", NULL };
  static const char * const failed[] = {
    "incorrect", "invalid login", "invalid password", "wrong", NULL
  };
  static const char * const global[] = { "indisponible", "unavailable", NULL };

  if (message == NULL)
    return NULL;

  if (contains_any_ci (message, ban))
    return banned_error (message);
  if (contains_any_ci (message, profile))
    return login_error_from_key ("auth.error.blockedProfileType", message);
  if (contains_any_ci (message, blocked))
    return login_error_from_key ("auth.error.blockedUser", message);
  if (contains_any_ci (message, failed))
    return login_error_from_key ("auth.error.authenticationFailed", message);
  if (contains_any_ci (message, global))
    return login_error_from_key ("auth.error.global", message);

  return NULL;
}

GError *
carnet_ent_error_from_login_page_full (const char *html,
                                       gsize       length,
                                       GHashTable *reverse)
{
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  GError *error;

  if (html == NULL)
    return carnet_ent_error_new_simple (CARNET_ENT_ERROR_PROTOCOL);

  message = carnet_ent_login_page_error_text (html, length);
  if (message != NULL)
    {
      g_auto(GStrv) keys = carnet_ent_i18n_lookup (reverse, message);
      g_autofree char *clean = carnet_ent_error_clean_server_message (message);

      /* Ban first: the ENT also refuses a right password while banned. */
      if (keys_have (keys, "auth.error.ban"))
        return banned_error (clean);
      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        if ((error = login_error_from_key (keys[i], clean)) != NULL)
          return error;

      if ((error = login_error_from_words (clean)) != NULL)
        return error;

      g_debug ("Login page with an unknown error: %s", clean);
      return carnet_ent_error_new_full (CARNET_ENT_ERROR_PROTOCOL, CARNET_ENT_FIELD_NONE, clean, 0,
                                        carnet_ent_error_default_message (CARNET_ENT_ERROR_PROTOCOL));
    }

  /* Older pages: the key itself somewhere in the page. */
  text = g_strndup (html, length);

  if (strstr (text, "auth.error.ban") != NULL)
    return banned_error (NULL);
  if (strstr (text, "auth.error.blockedUser") != NULL)
    return login_error_from_key ("auth.error.blockedUser", NULL);
  if (strstr (text, "auth.error.blockedProfileType") != NULL)
    return login_error_from_key ("auth.error.blockedProfileType", NULL);
  if (strstr (text, "auth.error.otpDisabled") != NULL)
    return login_error_from_key ("auth.error.otpDisabled", NULL);
  if (strstr (text, "auth.error.authenticationFailed") != NULL)
    return login_error_from_key ("auth.error.authenticationFailed", NULL);
  if (strstr (text, "auth.error.global") != NULL)
    return login_error_from_key ("auth.error.global", NULL);

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
carnet_ent_error_from_login_page (const char *html,
                                  gsize       length)
{
  return carnet_ent_error_from_login_page_full (html, length, NULL);
}

GError *
carnet_ent_error_reset_code_as_password (const char *code)
{
  return carnet_ent_error_new_full (CARNET_ENT_ERROR_RESET_CODE_AS_PASSWORD, CARNET_ENT_FIELD_PASSWORD,
                                    code, 0,
                                    _("This is the code from the password reset mail, not a password. Use it to choose a new password."));
}

/* --- form answers, by key ------------------------------------------------- */

typedef struct
{
  const char     *key;
  CarnetEntError  code;
  CarnetEntField  field;
  const char     *message;
} FormKey;

/* The checks of POST /auth/activation (AuthController), in the form's order. */
static const FormKey activation_keys[] = {
  { "auth.activation.error.login.missing", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_LOGIN,
    N_("Type the login printed on the letter.") },
  { "auth.activation.error.code.missing", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PASSWORD,
    N_("Type the provisional password printed on the letter.") },
  { "activation.error", CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
    N_("The login or the provisional password from the letter is wrong, or the account is already activated.") },
  { "activation.error.duplicated", CARNET_ENT_ERROR_BLOCKED, CARNET_ENT_FIELD_NONE,
    N_("The ENT found this account twice and cannot activate it. Contact the school.") },
  { "auth.activation.error.password.missing", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_NEW_PASSWORD,
    N_("Choose a new password.") },
  { "auth.activation.error.password.format", CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
    N_("The new password does not follow the ENT’s rule.") },
  { "auth.activation.error.password.mismatch", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CONFIRM_PASSWORD,
    N_("The two passwords are not the same.") },
  { "auth.activation.error.email.mandatory", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
    N_("The ENT needs an email address.") },
  { "auth.activation.error.email.format", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
    N_("The ENT says this is not a valid email address. Check it, for example name@example.fr.") },
  { "auth.activation.error.email.blocked", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_MAIL,
    N_("The ENT does not accept this email address. Use another one.") },
  { "auth.activation.error.phone.mandatory", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
    N_("The ENT needs a mobile phone number.") },
  { "phone.validation.error.empty", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
    N_("The ENT needs a mobile phone number.") },
  { "phone.validation.error.invalid.format", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
    N_("The ENT says this is not a valid phone number.") },
  { "phone.validation.error.invalid.number", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
    N_("The ENT says this is not a valid phone number.") },
  { "phone.validation.error.not.mobile", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
    N_("The ENT needs a mobile phone number, not a landline.") },
  { "phone.validation.error.premium.blocked", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_PHONE,
    N_("The ENT does not accept premium-rate numbers.") },
  { "invalid.cgu", CARNET_ENT_ERROR_INVALID_INPUT, CARNET_ENT_FIELD_CHARTER,
    N_("The charter must be accepted.") },
};

static int
field_rank (CarnetEntField field)
{
  switch (field)
    {
    case CARNET_ENT_FIELD_LOGIN:            return 0;
    case CARNET_ENT_FIELD_PASSWORD:         return 1;
    case CARNET_ENT_FIELD_NEW_PASSWORD:     return 2;
    case CARNET_ENT_FIELD_CONFIRM_PASSWORD: return 3;
    case CARNET_ENT_FIELD_MAIL:             return 4;
    case CARNET_ENT_FIELD_PHONE:            return 5;
    case CARNET_ENT_FIELD_CHARTER:          return 6;
    case CARNET_ENT_FIELD_NONE:
    case CARNET_ENT_FIELD_CODE:
    case CARNET_ENT_FIELD_FIRST_NAME:
    case CARNET_ENT_FIELD_SCHOOL:
    default:                                return 7;
    }
}

static const FormKey *
activation_key_find (char **keys)
{
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    for (guint i = 0; i < G_N_ELEMENTS (activation_keys); i++)
      if (g_str_equal (keys[k], activation_keys[i].key))
        return &activation_keys[i];

  return NULL;
}

/* Each "<br />"-joined failed check of an activation, by key: the first
 * field in the form's order, and a message naming every problem. NULL when
 * no part is known. */
static GError *
activation_error_from_parts (const char *raw_message,
                             const char *clean,
                             GHashTable *reverse)
{
  g_autoptr(GRegex) br = g_regex_new ("<br\\s*/?>", G_REGEX_CASELESS, 0, NULL);
  /* GRegex warns on invalid UTF-8; the ENT's JSON never has any. */
  g_auto(GStrv) parts = g_utf8_validate (raw_message, -1, NULL) ? g_regex_split (br, raw_message, 0) : NULL;
  const FormKey *found[G_N_ELEMENTS (activation_keys)] = { NULL, };
  guint n_found = 0;
  const FormKey *first = NULL;
  GString *message;

  if (parts == NULL)
    return NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) keys = carnet_ent_i18n_lookup (reverse, parts[i]);
      const FormKey *key = activation_key_find (keys);
      gboolean seen = FALSE;

      if (key == NULL)
        continue;
      for (guint j = 0; j < n_found; j++)
        if (found[j] == key || g_str_equal (_(found[j]->message), _(key->message)))
          seen = TRUE;
      if (seen || n_found == G_N_ELEMENTS (found))
        continue;
      found[n_found++] = key;
      if (first == NULL || field_rank (key->field) < field_rank (first->field))
        first = key;
    }

  if (first == NULL)
    return NULL;

  /* The messages in the form's order, the first field's first. */
  message = g_string_new (_(first->message));
  for (int rank = 0; rank <= 7; rank++)
    for (guint j = 0; j < n_found; j++)
      if (found[j] != first && field_rank (found[j]->field) == rank)
        {
          g_string_append_c (message, '\n');
          g_string_append (message, _(found[j]->message));
        }

  {
    GError *error = carnet_ent_error_new_full (first->code, first->field, clean, 0, message->str);

    g_string_free (message, TRUE);
    return error;
  }
}

gboolean
carnet_ent_form_message_is_reset_refusal (const char *raw_message,
                                          GHashTable *reverse)
{
  g_auto(GStrv) keys = carnet_ent_i18n_lookup (reverse, raw_message);

  return keys_have (keys, "reset.error") || keys_have (keys, "auth.reset.invalid.argument");
}

GError *
carnet_ent_error_reset_refused (gboolean    code_matches,
                                const char *server_message)
{
  g_autofree char *clean = carnet_ent_error_clean_server_message (server_message);

  if (!code_matches)
    return carnet_ent_error_new_full (CARNET_ENT_ERROR_CODE_EXPIRED, CARNET_ENT_FIELD_CODE,
                                      clean, 0,
                                      _("This link or code has expired or was already used. Ask for a new one with “Forgotten password”."));

  return carnet_ent_error_new_full (CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                                    clean, 0,
                                    _("The ENT refused this new password. Choose one you have not used before, that follows the ENT’s rule."));
}

GError *
carnet_ent_error_from_form_message_full (CarnetEntForm  form,
                                         const char    *raw_message,
                                         GHashTable    *reverse)
{
  g_autofree char *clean = carnet_ent_error_clean_server_message (raw_message);
  g_auto(GStrv) keys = carnet_ent_i18n_lookup (reverse, raw_message);
  GError *error;

  if (raw_message == NULL)
    return carnet_ent_error_from_form_message (form, raw_message);

  if (keys_have_prefix (keys, "auth.error.ban"))
    return banned_error (clean);

  switch (form)
    {
    case CARNET_ENT_FORM_ACTIVATION:
      if ((error = activation_error_from_parts (raw_message, clean, reverse)) != NULL)
        return error;
      break;

    case CARNET_ENT_FORM_RESET:
      /* The client asks /auth/reset/match first; without it, the code
       * is the likelier culprit. */
      if (keys_have (keys, "reset.error") || keys_have (keys, "auth.reset.invalid.argument"))
        return carnet_ent_error_reset_refused (FALSE, raw_message);
      break;

    case CARNET_ENT_FORM_CHANGE_PASSWORD:
      /* The form was checked before sending (both fields the same, the
       * rule, different from the current one): what is left is a wrong
       * current password or a new one used before. In French both keys
       * have the same text, so they cannot be told apart. */
      if (keys_have (keys, "reset.error"))
        return carnet_ent_error_new_full (CARNET_ENT_ERROR_BAD_CREDENTIALS, CARNET_ENT_FIELD_PASSWORD,
                                          clean, 0,
                                          _("The current password is wrong, or the new password was already used before. Check the current password, or choose another new one."));
      if (keys_have (keys, "auth.reset.invalid.argument"))
        return carnet_ent_error_new_full (CARNET_ENT_ERROR_PASSWORD_POLICY, CARNET_ENT_FIELD_NEW_PASSWORD,
                                          clean, 0,
                                          carnet_ent_error_default_message (CARNET_ENT_ERROR_PASSWORD_POLICY));
      break;

    default:
      break;
    }

  return carnet_ent_error_from_form_message (form, raw_message);
}
