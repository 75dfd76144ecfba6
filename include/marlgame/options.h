/*
 * libmarlgame — typed, validated, introspectable options.
 *
 * Solver types and built-in games describe their options with a static table
 * of marl_option_def. The layout of marl_option_def is frozen for the whole
 * 0.x/1.x ABI: extensions will use a new, separate table, never new fields.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_OPTIONS_H
#define MARLGAME_OPTIONS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum marl_option_type {
    MARL_OPTION_INT = 1,    /**< 64-bit integer in [int_min, int_max]           */
    MARL_OPTION_REAL = 2,   /**< finite double in [real_min, real_max]          */
    MARL_OPTION_ENUM = 3,   /**< one of the '|'-separated names in `choices`;
                                 its integer value is the choice's index       */
    MARL_OPTION_STRING = 4  /**< free text (copied); `choices` unused           */
} marl_option_type;

/** Description of one option. Frozen layout (see above). */
typedef struct marl_option_def {
    const char *name;        /**< [a-z0-9_]+, unique within its table        */
    int type;                /**< marl_option_type                           */
    const char *doc;         /**< one line                                   */
    long long int_default;   /**< INT; also ENUM: index of the default choice */
    long long int_min;
    long long int_max;
    double real_default;     /**< REAL                                       */
    double real_min;         /**< REAL: inclusive bounds (may be +-HUGE_VAL) */
    double real_max;
    const char *choices;     /**< ENUM: "a|b|c"                              */
    const char *str_default; /**< STRING default (NULL = "")                 */
} marl_option_def;

/** A set of option values conforming to a definition table. */
typedef struct marl_options marl_options;

/** New option set holding every default. The table is validated (names,
 *  types, defaults inside their ranges, unique names) and must outlive the
 *  option set. */
MARL_API int marl_options_new(marl_options **out, const marl_option_def *defs,
                              size_t n_defs);
MARL_API void marl_options_free(marl_options *opts);
MARL_API int marl_options_copy(marl_options **out, const marl_options *opts);

/** Number of options and their definitions (introspection). */
MARL_API size_t marl_options_count(const marl_options *opts);
MARL_API const marl_option_def *marl_options_def(const marl_options *opts,
                                                 size_t i);
/** Index of the option called name, or MARL_EINVAL if unknown. */
MARL_API int marl_options_index(const marl_options *opts, const char *name,
                                size_t *index);

/** Typed setters; validated (unknown name, wrong type, NaN, out of range
 *  are errors, and the value is left unchanged). set_int on an ENUM sets the
 *  choice index; set_string on an ENUM selects a choice by name; set_real
 *  on an INT accepts only integral values. */
MARL_API int marl_options_set_int(marl_options *opts, const char *name,
                                  long long value);
MARL_API int marl_options_set_real(marl_options *opts, const char *name,
                                   double value);
MARL_API int marl_options_set_string(marl_options *opts, const char *name,
                                     const char *value);
/** Parse a textual value by the option's type ("0.1", "42", "uniform"),
 *  for command lines and FFI. */
MARL_API int marl_options_set(marl_options *opts, const char *name,
                              const char *text);
/** Parse "k=v,k=v,..." (whitespace around tokens ignored); all or nothing:
 *  on any error no option is changed. NULL or "" is a no-op. */
MARL_API int marl_options_parse(marl_options *opts, const char *list);

/** Typed getters. get_int works on INT and ENUM; get_real on REAL and INT;
 *  get_string on ENUM (choice name) and STRING. The string stays valid until
 *  the option is changed or the set is freed. */
MARL_API int marl_options_get_int(const marl_options *opts, const char *name,
                                  long long *value);
MARL_API int marl_options_get_real(const marl_options *opts, const char *name,
                                   double *value);
MARL_API int marl_options_get_string(const marl_options *opts,
                                     const char *name, const char **value);

/** Format the current value of option i as text into buf (snprintf
 *  semantics: returns the length needed, or a negative status). */
MARL_API int marl_options_format(const marl_options *opts, size_t i, char *buf,
                                 size_t cap);
/** Format the default of a definition as text (same semantics). */
MARL_API int marl_option_def_format_default(const marl_option_def *def,
                                            char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_OPTIONS_H */
