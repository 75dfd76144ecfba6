/*
 * Internal access to option sets for solver and game implementations. Not
 * installed.
 *
 * The *_at getters read option i (index into the definition table given to
 * marl_options_new, as found by marl_options_index) without lookup or
 * checks beyond the ones stated: the caller guarantees opts != NULL and
 * i < marl_options_count(opts).
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_CORE_OPTIONS_INTERNAL_H
#define MARL_CORE_OPTIONS_INTERNAL_H

#include "marlgame/options.h"

#include <stddef.h>

/* INT: the value; ENUM: the choice index; REAL: the value truncated toward
 * zero; STRING: 0. */
long long marl_options_int_at(const marl_options *opts, size_t i);
/* REAL: the value; INT and ENUM: the value as a double; STRING: 0. */
double marl_options_real_at(const marl_options *opts, size_t i);
/* STRING: the value (never NULL, "" for an empty/NULL default); ENUM: the
 * choice name; INT and REAL: "". Valid until the option changes or the set
 * is freed. */
const char *marl_options_string_at(const marl_options *opts, size_t i);

/* Validate a definition table as marl_options_new does (names [a-z0-9_]+ and
 * unique, known types, defaults in range, enum choices non-empty, distinct,
 * made of [A-Za-z0-9_.+-], default index valid). `owner` prefixes the error
 * message (e.g. "solver type 'mpg-npg'"). MARL_OK or MARL_EINVAL. n == 0
 * with defs == NULL is a valid empty table. */
int marl_option_defs_validate(const marl_option_def *defs, size_t n,
                              const char *owner);

#endif /* MARL_CORE_OPTIONS_INTERNAL_H */
