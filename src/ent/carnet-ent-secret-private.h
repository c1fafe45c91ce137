/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Passwords and codes in the request bodies Carnet builds: each body is
 * written once, into one allocation of its final size (no buffer grows,
 * so no reallocation leaves a copy behind in freed memory), with no
 * escaped copy of a value on the way, and is wiped before it is freed. */

typedef struct
{
  const char *name;
  const char *value;
} CarnetEntPair;

/* Zeroes @size bytes the compiler may not optimise away (explicit_bzero). */
void    carnet_ent_secret_wipe        (gpointer             data,
                                       gsize                size);
/* Zeroes a NUL-terminated string up to its NUL; NULL is allowed. */
void    carnet_ent_secret_wipe_string (char                *str);
/* Wipes, then frees, a NUL-terminated string; NULL is allowed. */
void    carnet_ent_secret_free        (gpointer             str);

/* g_autoptr(CarnetEntSecretString): a string wiped, then freed. */
typedef char CarnetEntSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CarnetEntSecretString, carnet_ent_secret_free)

/* application/x-www-form-urlencoded, "name=value&…", every byte but
 * A-Z a-z 0-9 - . _ ~ percent-encoded (as g_uri_escape_string (value,
 * NULL, FALSE) does); a NULL value is sent empty. *length: the body's
 * length; the allocation is length + 1 bytes (a NUL ends it). */
char   *carnet_ent_secret_form        (const CarnetEntPair *pairs,
                                       gsize                n_pairs,
                                       gsize               *length);
/* A JSON object of strings, {"name":"value",…}; a NULL value is left
 * out. Values are UTF-8; '"', '\\' and control characters are escaped.
 * Same allocation rule as carnet_ent_secret_form(). */
char   *carnet_ent_secret_json        (const CarnetEntPair *pairs,
                                       gsize                n_pairs,
                                       gsize               *length);
/* A request body: takes @data, @length bytes and its NUL (as returned
 * above), and wipes all length + 1 bytes when the last reference goes. */
GBytes *carnet_ent_secret_bytes_new_take (char             *data,
                                          gsize             length);

/* For the tests: called with every secret body (its whole allocation,
 * @size bytes) once it is wiped, just before it is freed. NULL: none. */
typedef void (*CarnetEntSecretFreeHook) (const char *data,
                                         gsize       size);
void    carnet_ent_secret_set_free_hook (CarnetEntSecretFreeHook hook);

G_END_DECLS
