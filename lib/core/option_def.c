/* Option definitions: table validation, "a|b|c" choice lists, and the text
 * form of values (options.h; internal helpers in options_internal.h).
 *
 * Text is read and written in the C locale's notation whatever the process
 * locale ("0.1", never "0,1"); reals are formatted with the shortest of
 * %.15g/%.16g/%.17g that reads back exactly.
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "options_internal.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *marl_option_type_name(int type) {
    switch (type) {
    case MARL_OPTION_INT: return "integer";
    case MARL_OPTION_REAL: return "real";
    case MARL_OPTION_ENUM: return "enum";
    case MARL_OPTION_STRING: return "string";
    default: return "unknown";
    }
}

/* ---- choices "a|b|c" ----------------------------------------------------- */

static int choice_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+' ||
           c == '-';
}

/* The k-th choice as a slice; false if there are fewer choices. */
int marl_option_choice_at(const char *choices, size_t k, const char **start,
                     size_t *len) {
    const char *p = choices;
    for (size_t j = 0; j < k; ++j) {
        p = strchr(p, '|');
        if (!p) return 0;
        ++p;
    }
    const char *e = strchr(p, '|');
    *start = p;
    *len = e ? (size_t)(e - p) : strlen(p);
    return 1;
}

size_t marl_option_choice_count(const char *choices) {
    size_t c = 1;
    for (const char *p = choices; *p; ++p) c += (*p == '|');
    return c;
}

/* Index of the choice equal to the slice [s, s+len), or -1. */
long long marl_option_choice_find(const char *choices, const char *s, size_t len) {
    const char *c;
    size_t cl;
    for (size_t k = 0; marl_option_choice_at(choices, k, &c, &cl); ++k)
        if (cl == len && memcmp(c, s, len) == 0) return (long long)k;
    return -1;
}

/* ---- table validation ---------------------------------------------------- */

static int valid_name(const char *s) {
    if (!s || !*s) return 0;
    for (; *s; ++s)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

int marl_option_def_validate(const marl_option_def *d, size_t i,
                        const char *owner) {
#define BAD(...) marl_error(MARL_EINVAL, __VA_ARGS__)
    const char *nm = d->name ? d->name : "(null)";
    if (!valid_name(d->name))
        return BAD("%s: option %zu: name '%s' must match [a-z0-9_]+", owner,
                   i, nm);
    switch (d->type) {
    case MARL_OPTION_INT:
        if (d->int_min > d->int_max)
            return BAD("%s: option '%s': int_min %lld > int_max %lld", owner,
                       nm, d->int_min, d->int_max);
        if (d->int_default < d->int_min || d->int_default > d->int_max)
            return BAD("%s: option '%s': default %lld outside [%lld, %lld]",
                       owner, nm, d->int_default, d->int_min, d->int_max);
        break;
    case MARL_OPTION_REAL:
        if (isnan(d->real_min) || isnan(d->real_max) ||
            d->real_min > d->real_max)
            return BAD("%s: option '%s': invalid range [%g, %g]", owner, nm,
                       d->real_min, d->real_max);
        if (!isfinite(d->real_default) || d->real_default < d->real_min ||
            d->real_default > d->real_max)
            return BAD("%s: option '%s': default %g is not a finite value in "
                       "[%g, %g]",
                       owner, nm, d->real_default, d->real_min, d->real_max);
        break;
    case MARL_OPTION_ENUM: {
        if (!d->choices || !*d->choices)
            return BAD("%s: option '%s': enum without choices", owner, nm);
        const char *c;
        size_t cl;
        for (size_t k = 0; marl_option_choice_at(d->choices, k, &c, &cl); ++k) {
            if (cl == 0)
                return BAD("%s: option '%s': empty choice %zu in \"%s\"",
                           owner, nm, k, d->choices);
            for (size_t j = 0; j < cl; ++j)
                if (!choice_char(c[j]))
                    return BAD("%s: option '%s': choice %zu in \"%s\" must "
                               "match [A-Za-z0-9_.+-]+",
                               owner, nm, k, d->choices);
            if (marl_option_choice_find(d->choices, c, cl) != (long long)k)
                return BAD("%s: option '%s': duplicate choice '%.*s'", owner,
                           nm, (int)cl, c);
        }
        size_t nc = marl_option_choice_count(d->choices);
        if (d->int_default < 0 || (unsigned long long)d->int_default >= nc)
            return BAD("%s: option '%s': default choice index %lld outside "
                       "[0, %zu)",
                       owner, nm, d->int_default, nc);
        break;
    }
    case MARL_OPTION_STRING: break;
    default:
        return BAD("%s: option '%s': unknown type %d", owner, nm, d->type);
    }
    return MARL_OK;
#undef BAD
}

int marl_option_defs_validate(const marl_option_def *defs, size_t n,
                              const char *owner) {
    if (!owner) owner = "option table";
    if (n > 0 && !defs)
        return marl_error(MARL_EINVAL, "%s: %zu options but no table", owner,
                          n);
    for (size_t i = 0; i < n; ++i) {
        int rc = marl_option_def_validate(&defs[i], i, owner);
        if (rc) return rc;
        for (size_t j = 0; j < i; ++j)
            if (strcmp(defs[j].name, defs[i].name) == 0)
                return marl_error(MARL_EINVAL,
                                  "%s: options %zu and %zu are both called "
                                  "'%s'",
                                  owner, j, i, defs[i].name);
    }
    return MARL_OK;
}

/* Copy a number's text into buf in the current locale's notation. */
int marl_option_number_text(const char *s, size_t len, char *buf, size_t cap) {
    if (len == 0 || len >= cap) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    const char dp = localeconv()->decimal_point[0];
    if (dp != '.' && dp != '\0') {
        if (memchr(buf, dp, len)) return 0; /* only '.' is a decimal point */
        for (char *p = buf; *p; ++p)
            if (*p == '.') *p = dp;
    }
    return 1;
}

int marl_option_parse_real(const char *s, size_t len, double *out) {
    char buf[128], *end;
    if (!marl_option_number_text(s, len, buf, sizeof buf)) return 0;
    if (buf[0] == ' ' || buf[0] == '\t') return 0;
    double v = strtod(buf, &end);
    if (end != buf + len) return 0;
    *out = v;
    return 1;
}

/* ---- formatting ---------------------------------------------------------- */

/* snprintf-like copy of the slice [s, s+len). */
static int emit(const char *s, size_t len, char *buf, size_t cap,
                const char *fn) {
    if (len > INT_MAX)
        return marl_error(MARL_ERANGE, "%s: text too long", fn);
    if (cap > 0) {
        size_t c = len < cap - 1 ? len : cap - 1;
        memcpy(buf, s, c);
        buf[c] = '\0';
    }
    return (int)len;
}

/* Shortest of %.15g, %.16g, %.17g that reads back exactly, with '.' as the
 * decimal point. */
static size_t format_real(double v, char *out, size_t cap) {
    const char dp = localeconv()->decimal_point[0];
    int w = 0;
    for (int prec = 15; prec <= 17; ++prec) {
        w = snprintf(out, cap, "%.*g", prec, v);
        if (w < 0 || (size_t)w >= cap) {
            out[0] = '\0';
            return 0;
        }
        if (dp != '.' && dp != '\0')
            for (char *p = out; *p; ++p)
                if (*p == dp) *p = '.';
        double back;
        if (marl_option_parse_real(out, (size_t)w, &back) && back == v) break;
    }
    return (size_t)w;
}

int marl_option_format_typed(const marl_option_def *d, long long iv, double rv,
                        const char *sv, char *buf, size_t cap,
                        const char *fn) {
    char tmp[64];
    size_t len;
    switch (d->type) {
    case MARL_OPTION_INT: {
        int w = snprintf(tmp, sizeof tmp, "%lld", iv);
        len = w > 0 ? (size_t)w : 0;
        return emit(tmp, len, buf, cap, fn);
    }
    case MARL_OPTION_REAL:
        len = format_real(rv, tmp, sizeof tmp);
        return emit(tmp, len, buf, cap, fn);
    case MARL_OPTION_ENUM: {
        const char *c;
        if (iv < 0 || !marl_option_choice_at(d->choices, (size_t)iv, &c, &len))
            return marl_error(MARL_EINVAL, "%s: option '%s': bad choice", fn,
                              d->name);
        return emit(c, len, buf, cap, fn);
    }
    default:
        if (!sv) sv = "";
        return emit(sv, strlen(sv), buf, cap, fn);
    }
}

int marl_option_def_format_default(const marl_option_def *def, char *buf,
                                   size_t cap) {
    static const char fn[] = "marl_option_def_format_default";
    if (!def) return marl_error(MARL_EINVAL, "%s: def is NULL", fn);
    if (!buf && cap > 0)
        return marl_error(MARL_EINVAL, "%s: buf is NULL but cap is %zu", fn,
                          cap);
    int rc = marl_option_def_validate(def, 0, fn);
    if (rc) return rc;
    return marl_option_format_typed(def, def->int_default, def->real_default,
                        def->str_default, buf, cap, fn);
}
