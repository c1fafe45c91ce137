/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "carnet-test-ent.h"

G_BEGIN_DECLS

/* A browser going through the test ENT's EduConnect (SAML) flow with a
 * plain SoupSession, as Carnet's web view does (/work/plan/SAML-FLOW.md):
 * the shared plumbing of the tests that need a federated session. Every
 * step asserts what a browser would need (pages, forms, redirects): a
 * broken flow fails the test. */

/* The attribute escapes of the test ENT's (jmustache) and its stand-in
 * identity provider's pages, undone. */
char        *carnet_test_html_unescape      (const char    *text);
/* Group 1 of the first match of @pattern (G_REGEX_DOTALL) in @html,
 * unescaped; NULL when it does not match. */
char        *carnet_test_html_find          (const char    *html,
                                             const char    *pattern);

/* A browser for the test ENT and its identity provider: the test CA, a
 * time-out of @timeout_s seconds, a cookie jar. */
SoupSession *carnet_test_saml_browser_new   (CarnetTestEnt *ent,
                                             guint          timeout_s);

/* The whole EduConnect login of @login / @password in @browser: the ENT's
 * wayf (callBack: the ENT's root), its « ÉduConnect » link, the identity
 * provider's form typed in, its auto-POST to the ENT's /auth/saml/acs and,
 * when the identity has several ENT accounts, the ENT's account picker
 * (the form of @pick_account; NULL: one account, no picker expected).
 * Stops where the web view stops, at the ENT's own pages outside /auth/.
 * Returns all the browser's cookies then (EduConnect's too), in a new
 * list of new cookies, as the web view's cookie manager gives them. */
GList       *carnet_test_saml_login         (CarnetTestEnt *ent,
                                             SoupSession   *browser,
                                             const char    *login,
                                             const char    *password,
                                             const char    *pick_account);

/* The value of the cookie @name in @cookies (SoupCookie), or NULL. */
char        *carnet_test_cookie_value       (GList         *cookies,
                                             const char    *name);

G_END_DECLS
