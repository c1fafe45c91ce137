/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* AdwEntryRow (libadwaita 1.2) shows its title, but the text field inside,
 * which is what gets the focus, is not given an accessible name of its own:
 * a screen reader could announce an unnamed text field. This names the field @label, or after the row's
 * title when @label is NULL. */
void carnet_ui_label_editable_row (AdwPreferencesRow *row,
                                   const char        *label);

/* Registers the UI's GResource (templates, icons) once. Every template
 * class calls it before setting its template. */
void carnet_ui_ensure_resources   (void);

/* gtk_widget_dispose_template(), then unparents whatever children remain:
 * with GTK 4.8, a template child without an id was left in place and GTK
 * warned when finalizing the page. */
void carnet_ui_dispose_children   (GtkWidget *widget,
                                   GType      widget_type);

/* A copy of a password or code that the UI owns: wiped, then freed.
 * g_autoptr(CarnetUiSecret) code = …; declares a char * that is. */
typedef char CarnetUiSecret;
void carnet_ui_secret_free        (CarnetUiSecret *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CarnetUiSecret, carnet_ui_secret_free)

/* After a password change: when the keyring remembers @login on @host, it
 * now remembers @password (else the next automatic login is refused).
 * Nothing on a shared machine, nothing when it was not remembered. */
/* Opens @uri with the desktop's viewer (or, in tests, the launcher set). */
typedef void (*CarnetUiLauncher) (const char *uri,
                                  gpointer    user_data);
void carnet_ui_set_launcher_for_testing (CarnetUiLauncher launcher,
                                         gpointer         user_data);
void carnet_ui_show_uri                 (GtkWidget        *widget,
                                         const char       *uri);

/* Writes @bytes to a new file @basename, 0600, in a new 0700 folder under
 * the user's runtime folder (else the temporary folder): for an outside
 * viewer, never the ENT's address. Returns its path; remove it (and its
 * folder) with carnet_ui_remove_private_file(). */
char *carnet_ui_write_private_file  (GBytes      *bytes,
                                     const char  *basename,
                                     GError     **error);
void  carnet_ui_remove_private_file (const char  *path);

void carnet_ui_update_stored_password (const char *host,
                                       const char *login,
                                       const char *password);

G_END_DECLS
