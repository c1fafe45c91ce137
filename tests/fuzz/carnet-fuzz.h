/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One fuzz target per parser of what an ENT (or a mail) gives Carnet. The
 * same functions run under libFuzzer (fuzz-libfuzzer.c, clang builds with
 * -Dfuzzing=true) and, in every build, over the committed seed corpus and
 * past crashes (fuzz-replay.c). A target aborts on any broken invariant;
 * warnings and criticals are made fatal by carnet_fuzz_init(). */

typedef void (*CarnetFuzzFunc) (const guint8 *data,
                                gsize         size);

typedef struct
{
  const char     *name;
  CarnetFuzzFunc  func;
} CarnetFuzzTarget;

void                    carnet_fuzz_init        (void);
const CarnetFuzzTarget *carnet_fuzz_find_target (const char *name);
const CarnetFuzzTarget *carnet_fuzz_get_targets (guint      *n_targets);

G_END_DECLS
