/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The charter a parent must accept: a real PDF, so the client's viewer and
 * download path are tested with the kind of file a real ENT serves. */
#define G_LOG_DOMAIN "carnet-test-ent"

#include "config.h"

#include "ent-server.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define PAGE_WIDTH  595.0  /* A4 in points */
#define PAGE_HEIGHT 842.0
#define MARGIN      64.0

static const char * const pages[] = {
  "<span size='x-large' weight='bold'>Charte d'utilisation de l'ENT</span>\n"
  "<span style='italic'>Espace numérique de travail des collèges et écoles — version de test</span>\n\n"
  "<b>Article 1 — Objet</b>\n"
  "La présente charte définit les conditions d'accès et d'utilisation de l'espace numérique "
  "de travail (ENT) mis à disposition des élèves, de leurs responsables légaux et des "
  "personnels des établissements. Elle s'applique à toute personne disposant d'un compte.\n\n"
  "<b>Article 2 — Accès au service</b>\n"
  "L'accès à l'ENT se fait au moyen d'un identifiant et d'un mot de passe personnels. "
  "Lors de la première connexion, l'utilisateur active son compte avec le code provisoire "
  "remis par l'établissement, choisit un mot de passe et accepte la présente charte.\n\n"
  "L'identifiant et le mot de passe sont strictement personnels et confidentiels. "
  "L'utilisateur est responsable de leur conservation et s'engage à ne pas les communiquer "
  "à un tiers. Toute utilisation de l'ENT avec ses identifiants est réputée faite par lui.\n\n"
  "<b>Article 3 — Adresse électronique</b>\n"
  "Le responsable légal renseigne une adresse électronique valide. Elle permet de recevoir "
  "les notifications de l'établissement et de récupérer un identifiant ou un mot de passe "
  "oublié. Elle est vérifiée au moyen d'un code envoyé par courriel.",

  "<b>Article 4 — Règles d'usage</b>\n"
  "L'utilisateur s'engage à utiliser l'ENT dans le respect des lois en vigueur, notamment :\n"
  "• le respect de la vie privée et du droit à l'image ;\n"
  "• le respect de la propriété intellectuelle ;\n"
  "• l'interdiction de tout propos injurieux, diffamatoire, raciste ou discriminatoire ;\n"
  "• l'interdiction de diffuser des contenus à caractère violent ou pornographique.\n\n"
  "Les services de messagerie, de blog et de partage de documents sont réservés à un usage "
  "pédagogique et éducatif, en lien avec la scolarité des élèves.\n\n"
  "<b>Article 5 — Sécurité</b>\n"
  "L'utilisateur ne doit pas tenter d'accéder à des données ou à des comptes qui ne lui "
  "appartiennent pas, ni perturber le fonctionnement du service. Après plusieurs tentatives "
  "de connexion infructueuses, l'accès au compte est suspendu pendant quinze minutes.\n\n"
  "Sur un ordinateur partagé, l'utilisateur se déconnecte à la fin de chaque session et ne "
  "laisse pas le navigateur enregistrer son mot de passe.\n\n"
  "<b>Article 6 — Disponibilité</b>\n"
  "L'éditeur s'efforce d'assurer l'accès au service 24 heures sur 24, 7 jours sur 7, "
  "sous réserve des opérations de maintenance et des incidents techniques.",

  "<b>Article 7 — Données personnelles</b>\n"
  "Les données personnelles sont traitées conformément au règlement général sur la protection "
  "des données (RGPD) et à la loi « Informatique et libertés ». Elles sont utilisées "
  "uniquement pour le fonctionnement de l'ENT et ne sont jamais cédées à des tiers.\n\n"
  "Chaque utilisateur dispose d'un droit d'accès, de rectification et d'effacement des données "
  "qui le concernent, qu'il exerce auprès du chef d'établissement ou du délégué à la "
  "protection des données de l'académie.\n\n"
  "<b>Article 8 — Sanctions</b>\n"
  "Le non-respect de la présente charte peut entraîner la suspension du compte, sans préjudice "
  "des poursuites disciplinaires ou pénales prévues par les textes en vigueur.\n\n"
  "<b>Article 9 — Évolution de la charte</b>\n"
  "La charte peut être modifiée. Chaque utilisateur est alors invité à accepter la nouvelle "
  "version lors de sa connexion suivante.\n\n"
  "<span style='italic'>En acceptant la charte, je reconnais en avoir pris connaissance et je "
  "m'engage à la respecter.</span>",
};

static void
draw_page (cairo_t    *cr,
           const char *markup,
           int         number)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoLayout) footer = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Serif 11");
  g_autofree char *footer_text = g_strdup_printf ("Charte d'utilisation de l'ENT — page %d / %d",
                                                  number, (int) G_N_ELEMENTS (pages));

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_justify (layout, TRUE);
  pango_layout_set_markup (layout, markup, -1);
  cairo_move_to (cr, MARGIN, MARGIN);
  pango_cairo_show_layout (cr, layout);

  pango_layout_set_font_description (footer, font);
  pango_layout_set_text (footer, footer_text, -1);
  cairo_move_to (cr, MARGIN, PAGE_HEIGHT - MARGIN / 2 - 12);
  pango_cairo_show_layout (cr, footer);

  pango_font_description_free (font);
}

gboolean
ent_charter_write (const char  *path,
                   GError     **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  "Charte d'utilisation de l'ENT");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "carnet-test-ent");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      draw_page (cr, pages[i], (int) i + 1);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}
