/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "carnet-ent-client.h"
#include "carnet-test-ent.h"

G_BEGIN_DECLS

/* A client for @url (the test ENT's own when NULL) that trusts the test
 * ENT's CA file, as Carnet's --ca-file makes it; asserts on failure. In
 * its own object file: executables that do not call it need not link the
 * ENT client. */
CarnetEntClient *carnet_test_ent_new_client (CarnetTestEnt *ent,
                                             const char    *url);

G_END_DECLS
