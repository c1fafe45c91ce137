/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "carnet-ui"

#include "config.h"

#include "carnet-ui-private.h"

#include <string.h>

#include "carnet-resources.h"

void
carnet_ui_label_editable_row (AdwPreferencesRow *row,
                              const char        *label)
{
  GtkEditable *delegate;
  const char *title;

  g_return_if_fail (ADW_IS_PREFERENCES_ROW (row));
  g_return_if_fail (GTK_IS_EDITABLE (row));

  title = label != NULL ? label : adw_preferences_row_get_title (row);
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  if (delegate != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                    -1);
}

void
carnet_ui_ensure_resources (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      carnet_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
carnet_ui_dispose_children (GtkWidget *widget,
                            GType      widget_type)
{
  GtkWidget *child;

  gtk_widget_dispose_template (widget, widget_type);

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

void
carnet_ui_secret_free (CarnetUiSecret *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
