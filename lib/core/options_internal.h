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

/* Shared between options.c and option_def.c. */
const char *marl_option_type_name(int type);
/* The k-th choice of "a|b|c" as a slice; 0 if there are fewer choices. */
int marl_option_choice_at(const char *choices, size_t k, const char **start,
                          size_t *len);
size_t marl_option_choice_count(const char *choices);
/* Index of the choice equal to [s, s+len), or -1. */
long long marl_option_choice_find(const char *choices, const char *s,
                                  size_t len);
/* Validate one definition (index i of a table owned by `owner`). */
int marl_option_def_validate(const marl_option_def *d, size_t i,
                             const char *owner);
/* Copy a number's text [s, s+len) into buf (cap bytes) in the current
 * locale's notation; 0 if it does not fit or uses a non-'.' separator. */
int marl_option_number_text(const char *s, size_t len, char *buf, size_t cap);
/* Parse [s, s+len) as a real in C-locale notation; 1 on success. */
int marl_option_parse_real(const char *s, size_t len, double *out);
/* Format a typed value (snprintf semantics; `fn` names the caller). */
int marl_option_format_typed(const marl_option_def *d, long long iv,
                             double rv, const char *sv, char *buf, size_t cap,
                             const char *fn);

#endif /* MARL_CORE_OPTIONS_INTERNAL_H */
