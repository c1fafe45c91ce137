/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The auth module's messages, as entcore 6.15.4 ships them
 * (auth/src/main/resources/i18n/fr.json and en.json), for the keys Carnet
 * meets, and web-utils' I18n.translate(): the language is the first tag of
 * Accept-Language cut at '-' (default "fr"); a language without a bundle
 * falls back to the French one; a key missing from the chosen bundle comes
 * back as the key itself (no fallback to French for a missing English key). */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <string.h>

typedef struct
{
  const char *key;
  const char *fr;   /* fr.json, NULL: not in the file */
  const char *en;   /* en.json, NULL: not in the file */
} EntText;

static const EntText texts[] = {
  { "activation.error",
    "Erreur lors de l'activation, veuillez vérifier votre identifiant et votre code d'activation.",
    "Activation error" },
  { "activation.error.duplicated",
    "Votre compte a été identifié comme doublon d'un autre compte ce qui empêche son activation. "
    "Veuillez contacter l'administrateur de votre espace.",
    NULL },
  { "auth.activation.error.code.missing", "Le code d'activation est requis.", "Activation code is required." },
  { "auth.activation.error.email.blocked", "Cette adresse email n'est pas autorisée.", "This email address is not allowed." },
  { "auth.activation.error.email.format", "Le format de l'adresse email est invalide.", "Email address format is invalid." },
  { "auth.activation.error.email.mandatory", "L'adresse email est obligatoire.", "Email address is required." },
  { "auth.activation.error.login.missing", "L'identifiant est requis.", "Login is required." },
  { "auth.activation.error.password.format", "Le mot de passe ne respecte pas les contraintes de sécurité.",
    "Password does not meet security requirements." },
  { "auth.activation.error.password.mismatch", "Les deux mots de passe ne concordent pas.", "Passwords do not match." },
  { "auth.activation.error.password.missing", "Le mot de passe est requis.", "Password is required." },
  { "auth.activation.error.phone.mandatory", "Le numéro de téléphone mobile est obligatoire.",
    "Mobile phone number is required." },
  /* auth.charter: the test ENT's own charter, in both languages. */
  { "auth.charter", ENT_CHARTER_PATH, ENT_CHARTER_PATH },
  { "auth.error.authenticationFailed", "L'identifiant ou le mot de passe est incorrect.", "Invalid login or password" },
  { "auth.error.ban",
    "Pour des raisons de sécurité, votre compte est bloqué temporairement suite à un trop grand nombre de "
    "tentatives de connexion. Veuillez réessayer ultérieurement.",
    NULL },
  { "auth.error.blockedProfileType",
    "L'accès à votre réseau éducatif est temporairement bloqué pour votre profil d'utilisateur.", NULL },
  { "auth.error.blockedUser",
    "L'administrateur de votre établissement a bloqué votre accès à votre réseau éducatif. Veuillez le contacter.",
    NULL },
  { "auth.error.global",
    "Votre réseau éducatif est momentanément indisponible, notre équipe fait le maximum pour résoudre ces "
    "perturbations le plus rapidement possible.",
    NULL },
  { "auth.error.otpDisabled", "Mode d'authentification non autorisé", NULL },
  { "auth.meta.description",
    "Connexion à votre ENT : un accès sécurisé et rapide à tous vos services numériques éducatifs.", NULL },
  { "auth.reset.invalid.argument",
    "Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe n’a pas déjà été "
    "utilisé et que les deux saisies sont identiques.",
    "Form errors" },
  { "auth.title", "Authentification", "Authentication" },
  { "invalid.cgu", "Vous devez accepter les conditions générales d'utilisation",
    "You must accept the terms and conditions" },
  { "password.rules.activation", "Votre mot de passe doit contenir au moins 6 caractères.",
    "Your password must contain at least 6 characters." },
  { "password.rules.reset",
    "Votre mot de passe doit contenir au moins 6 caractères. Il doit aussi être différent des précédents "
    "mots de passe déjà utilisés.",
    "Your password must contain at least 6 characters. It must also be different from the previous passwords used." },
  { "phone.validation.error.empty", "Le numéro de téléphone est requis.", "Phone number is required." },
  { "phone.validation.error.invalid.format", "Le format du numéro de téléphone est invalide.",
    "Invalid phone number format." },
  { "phone.validation.error.invalid.number", "Ce numéro de téléphone n'est pas valide.",
    "This phone number is not valid." },
  { "phone.validation.error.not.mobile", "Ce numéro n'est pas un numéro de mobile.",
    "This number is not a mobile phone number." },
  { "phone.validation.error.premium.blocked", "Les numéros surtaxés ne sont pas autorisés.",
    "Premium-rate numbers are not allowed." },
  { "reset.error",
    "Le formulaire contient des erreurs. Veuillez vérifier que le nouveau mot de passe n’a pas déjà été "
    "utilisé et que les deux saisies sont identiques.",
    "Reset error" },
};

/* I18n.getLocale(): "en-GB,fr;q=0.8" → "en". Only fr and en have bundles;
 * anything else gets French, the default locale. */
gboolean
ent_i18n_is_english (EntRequest *req)
{
  const char *header = ent_request_header (req, "Accept-Language");
  gsize n;

  if (header == NULL)
    return FALSE;
  while (*header == ' ')
    header++;
  n = strcspn (header, ",-;");

  return n == 2 && g_ascii_strncasecmp (header, "en", 2) == 0;
}

const char *
ent_translate (EntRequest *req,
               const char *key)
{
  gboolean english = ent_i18n_is_english (req);

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (texts[i].key, key))
      {
        const char *text = english ? texts[i].en : texts[i].fr;

        return text != NULL ? text : key;
      }

  return key;
}

void
ent_handle_i18n (EntRequest *req)
{
  gboolean english = ent_i18n_is_english (req);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *text = english ? texts[i].en : texts[i].fr;

      if (text == NULL)
        continue;
      json_builder_set_member_name (b, texts[i].key);
      json_builder_add_string_value (b, text);
    }
  json_builder_end_object (b);

  ent_reply_json (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* jmustache's HTML escaper (Escapers.HTML), which web-utils' templates use
 * for {{…}}. */
char *
ent_html_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '`': g_string_append (out, "&#x60;"); break;
      case '=': g_string_append (out, "&#x3D;"); break;
      default: g_string_append_c (out, *p); break;
      }

  return g_string_free (out, FALSE);
}
