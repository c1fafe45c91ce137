/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The directory of Open ENT NG platforms: which ENT a parent's school uses,
 * found by its name, a town or a region, and which address to reach it at.
 *
 * The list is data (data/platforms.json, compiled in as a GResource),
 * taken from the official mobile app's platform configuration
 * (edificeio/edifice-mobile-framework, src/platforms/; see the file's
 * "_source"). `carnet --directory=FILE` replaces it with a JSON file of the
 * same shape (tests and labs).
 *
 * Platforms are owned by their directory and immutable; the default
 * directory lives as long as the process. */

typedef struct _CarnetEntPlatform  CarnetEntPlatform;
typedef struct _CarnetEntDirectory CarnetEntDirectory;

/* "id": a stable short name ("hdf"). */
const char *carnet_ent_platform_get_id     (const CarnetEntPlatform *p);
/* "name", as parents know it: « ENT Hauts-de-France ». */
const char *carnet_ent_platform_get_name   (const CarnetEntPlatform *p);
/* "region": « Hauts-de-France », « Essonne »…; "" when none. */
const char *carnet_ent_platform_get_region (const CarnetEntPlatform *p);
/* "url": the platform's base URI, https, no path ("https://enthdf.fr"). */
const char *carnet_ent_platform_get_url    (const CarnetEntPlatform *p);
/* "wayf": the federation (EduConnect) portal's URL; NULL when the platform
 * has none (no EduConnect login). */
const char *carnet_ent_platform_get_wayf   (const CarnetEntPlatform *p);
/* "keywords": towns, départements, former names (NULL-terminated). */
const char * const *carnet_ent_platform_get_keywords (const CarnetEntPlatform *p);
/* "retired": former hosts that now lead to this platform (NULL-terminated). */
const char * const *carnet_ent_platform_get_retired  (const CarnetEntPlatform *p);

/* Reads a directory from JSON (the shape of data/platforms.json). Strict: a
 * platform without id, name or an https url, a field of the wrong type, or
 * a duplicate id or host is an error (G_IO_ERROR_INVALID_DATA, in French). */
CarnetEntDirectory *carnet_ent_directory_new_from_data (const char  *json,
                                                        gsize        length,
                                                        GError     **error);
CarnetEntDirectory *carnet_ent_directory_new_from_file (const char  *path,
                                                        GError     **error);
/* A new copy of the built-in list (what get_default() is without
 * --directory); never NULL. */
CarnetEntDirectory *carnet_ent_directory_new_builtin   (void);
void                carnet_ent_directory_free          (CarnetEntDirectory *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CarnetEntDirectory, carnet_ent_directory_free)

/* --directory=FILE: to be called before the first get_default(). NULL: the
 * built-in list. */
void                carnet_ent_directory_set_default_file (const char *path);
/* The built-in list, or the file given to set_default_file(). Never NULL:
 * when that file cannot be read, the directory is empty and
 * carnet_ent_directory_get_default_error() says why (the app reports it). */
CarnetEntDirectory *carnet_ent_directory_get_default       (void);
const GError       *carnet_ent_directory_get_default_error (void);

/* How many platforms; the i-th, in the file's order. */
guint                    carnet_ent_directory_get_n_platforms (CarnetEntDirectory *self);
const CarnetEntPlatform *carnet_ent_directory_get_platform    (CarnetEntDirectory *self,
                                                               guint               i);

#define CARNET_ENT_DIRECTORY_SEARCH_MAX 8

/* The platforms whose name, region or keywords match every word of TEXT as
 * the start of one of their words, case and accents folded (« ile de
 * france » finds « Île-de-France », « lille » finds « ENT Hauts-de-France »
 * by its keyword). Ranked: a match in the name first, then the region, then
 * the keywords; at most CARNET_ENT_DIRECTORY_SEARCH_MAX. A GPtrArray of
 * borrowed const CarnetEntPlatform * (free the array only); empty for
 * text with no word. */
GPtrArray *carnet_ent_directory_search (CarnetEntDirectory *self,
                                        const char         *text);

/* The platform at URI_OR_HOST ("enthdf.fr", "https://enthdf.fr/auth/login",
 * "www.enthdf.fr"), by its url's host or one of its retired hosts; NULL
 * when none. */
const CarnetEntPlatform *carnet_ent_directory_lookup (CarnetEntDirectory *self,
                                                      const char         *uri_or_host);
/* Whether URI_OR_HOST's host is one of P's retired hosts (then P's url is
 * where the parent should go). */
gboolean carnet_ent_platform_is_retired_host (const CarnetEntPlatform *p,
                                              const char              *uri_or_host);

G_END_DECLS
