/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "carnet-ent-client.h"

G_BEGIN_DECLS

/* Small things the letter's wizards (activation, forgotten login and
 * password) share. */

/* Marks @row as refused (@message NULL: as fine again). */
static inline void
carnet_wizard_mark_row (GtkWidget  *row,
                        const char *message)
{
  if (message == NULL)
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
}

static inline void
carnet_wizard_focus_row (GtkWidget *row,
                         gboolean   select_all)
{
  gtk_widget_grab_focus (row);
  if (GTK_IS_EDITABLE (row))
    {
      if (select_all)
        gtk_editable_select_region (GTK_EDITABLE (row), 0, -1);
      else
        gtk_editable_set_position (GTK_EDITABLE (row), -1);
    }
}

/* Shows @text (NULL hides) in an error box made of an icon and @label. */
static inline void
carnet_wizard_set_error (GtkWidget  *box,
                         GtkLabel   *label,
                         const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (box, text != NULL);
}

static inline char *
carnet_wizard_get_stripped (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

G_END_DECLS
