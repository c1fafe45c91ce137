/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "carnet-test-client.h"

CarnetEntClient *
carnet_test_ent_new_client (CarnetTestEnt *ent,
                            const char    *url)
{
  g_autoptr(GError) error = NULL;
  CarnetEntClient *client;

  client = carnet_ent_client_new (url != NULL ? url : carnet_test_ent_get_url (ent), &error);
  g_assert_no_error (error);
  g_assert_true (carnet_ent_client_set_ca_file (client, carnet_test_ent_get_ca_file (ent), &error));
  g_assert_no_error (error);

  return client;
}
