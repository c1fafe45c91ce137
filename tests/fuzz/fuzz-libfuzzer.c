/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "carnet-fuzz.h"

/* The libFuzzer entry points of one target, chosen at build time
 * (tests/fuzz/meson.build builds one fuzz-<target> per target). */

#ifndef CARNET_FUZZ_TARGET
#error "CARNET_FUZZ_TARGET must name a target"
#endif

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const CarnetFuzzTarget *target;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  carnet_fuzz_init ();
  target = carnet_fuzz_find_target (CARNET_FUZZ_TARGET);
  if (target == NULL)
    g_error ("No fuzz target named %s", CARNET_FUZZ_TARGET);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  target->func (data, size);
  return 0;
}
