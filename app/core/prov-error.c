/* prov-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "prov-error.h"

G_DEFINE_QUARK (prov-error-quark, prov_error)
