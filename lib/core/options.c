/* Typed, validated, introspectable option sets (options.h).
 *
 * Text is read and written in the C locale's notation whatever the process
 * locale ("0.1", never "0,1"); reals are formatted with the shortest of
 * %.15g/%.16g/%.17g that reads back exactly.
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "options_internal.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct opt_value {
    long long i; /* INT value, ENUM index */
    double r;    /* REAL value */
    char *s;     /* STRING value (owned, never NULL) */
} opt_value;

struct marl_options {
    const marl_option_def *defs;
    size_t n;
    opt_value *vals; /* [n] */
    char **names;    /* [n] ENUM: choices with '|' -> '\0'; else NULL */
};

/* ---- construction -------------------------------------------------------- */

void marl_options_free(marl_options *o) {
    if (!o) return;
    for (size_t i = 0; i < o->n; ++i) {
        if (o->vals) marl_free(o->vals[i].s);
        if (o->names) marl_free(o->names[i]);
    }
    marl_free(o->vals);
    marl_free(o->names);
    marl_free(o);
}

static char *dup_slice(const char *s, size_t len) {
    size_t bytes;
    if (!marl_add_size(len, 1, &bytes)) return NULL;
    char *d = marl_malloc(bytes);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* New set over validated defs, values from src (NULL: the defaults). */
static int build(marl_options **out, const marl_option_def *defs, size_t n,
                 const opt_value *src) {
    marl_options *o = marl_calloc(1, sizeof *o);
    if (!o) return marl_error_nomem("an option set");
    o->defs = defs;
    o->n = n;
    if (n > 0) {
        o->vals = marl_calloc(n, sizeof *o->vals);
        o->names = marl_calloc(n, sizeof *o->names);
        if (!o->vals || !o->names) goto nomem;
    }
    for (size_t i = 0; i < n; ++i) {
        const marl_option_def *d = &defs[i];
        opt_value *v = &o->vals[i];
        if (src) {
            v->i = src[i].i;
            v->r = src[i].r;
        } else {
            v->i = d->int_default;
            v->r = d->real_default;
        }
        if (d->type == MARL_OPTION_STRING) {
            const char *s = src ? src[i].s : d->str_default;
            if (!s) s = "";
            v->s = marl_strdup(s);
            if (!v->s) goto nomem;
        } else if (d->type == MARL_OPTION_ENUM) {
            o->names[i] = marl_strdup(d->choices);
            if (!o->names[i]) goto nomem;
            for (char *p = o->names[i]; *p; ++p)
                if (*p == '|') *p = '\0';
        }
    }
    *out = o;
    return MARL_OK;
nomem:
    marl_options_free(o);
    return marl_error_nomem("an option set");
}

int marl_options_new(marl_options **out, const marl_option_def *defs,
                     size_t n_defs) {
    if (!out) return marl_error(MARL_EINVAL, "marl_options_new: out is NULL");
    int rc = marl_option_defs_validate(defs, n_defs, "marl_options_new");
    if (rc) return rc;
    return build(out, defs, n_defs, NULL);
}

int marl_options_copy(marl_options **out, const marl_options *opts) {
    if (!out) return marl_error(MARL_EINVAL, "marl_options_copy: out is NULL");
    if (!opts)
        return marl_error(MARL_EINVAL, "marl_options_copy: opts is NULL");
    return build(out, opts->defs, opts->n, opts->vals);
}

size_t marl_options_count(const marl_options *opts) {
    return opts ? opts->n : 0;
}

const marl_option_def *marl_options_def(const marl_options *opts, size_t i) {
    return (opts && i < opts->n) ? &opts->defs[i] : NULL;
}

/* ---- lookup -------------------------------------------------------------- */

static int lookup(const marl_options *o, const char *name, size_t len,
                  const char *fn, size_t *idx) {
    for (size_t i = 0; i < o->n; ++i) {
        const char *dn = o->defs[i].name;
        if (strlen(dn) == len && memcmp(dn, name, len) == 0) {
            *idx = i;
            return MARL_OK;
        }
    }
    char known[256];
    size_t used = 0;
    known[0] = '\0';
    for (size_t i = 0; i < o->n && used < sizeof known; ++i) {
        int w = snprintf(known + used, sizeof known - used, "%s%s",
                         i ? ", " : "", o->defs[i].name);
        if (w < 0) break;
        used += (size_t)w;
    }
    return marl_error(MARL_EINVAL, "%s: unknown option '%.*s' (known: %s)",
                      fn, (int)(len > 100 ? 100 : len), name,
                      o->n ? known : "none");
}

int marl_options_index(const marl_options *opts, const char *name,
                       size_t *index) {
    if (!opts)
        return marl_error(MARL_EINVAL, "marl_options_index: opts is NULL");
    if (!name)
        return marl_error(MARL_EINVAL, "marl_options_index: name is NULL");
    if (!index)
        return marl_error(MARL_EINVAL, "marl_options_index: index is NULL");
    return lookup(opts, name, strlen(name), "marl_options_index", index);
}

/* Common entry checks of the name-based functions. */
static int enter(const marl_options *o, const char *name, const void *arg,
                 const char *fn, size_t *idx) {
    if (!o) return marl_error(MARL_EINVAL, "%s: opts is NULL", fn);
    if (!name) return marl_error(MARL_EINVAL, "%s: name is NULL", fn);
    if (!arg) return marl_error(MARL_EINVAL, "%s: value is NULL", fn);
    return lookup(o, name, strlen(name), fn, idx);
}

static int wrong_type(const marl_option_def *d, const char *fn) {
    return marl_error(MARL_EINVAL, "%s: option '%s' is of type %s", fn,
                      d->name, marl_option_type_name(d->type));
}

/* ---- computing a new value (no side effect but nv->s) ---------------------
 * Each returns MARL_OK with *nv set (for STRING, nv->s is a new block the
 * caller owns), or an error with nothing allocated. */

static int value_from_int(const marl_option_def *d, long long v,
                          opt_value *nv, const char *fn) {
    if (d->type == MARL_OPTION_INT) {
        if (v < d->int_min || v > d->int_max)
            return marl_error(MARL_ERANGE,
                              "%s: option '%s': %lld outside [%lld, %lld]", fn,
                              d->name, v, d->int_min, d->int_max);
    } else if (d->type == MARL_OPTION_ENUM) {
        size_t nc = marl_option_choice_count(d->choices);
        if (v < 0 || (unsigned long long)v >= nc)
            return marl_error(MARL_ERANGE,
                              "%s: option '%s': choice index %lld outside "
                              "[0, %zu)",
                              fn, d->name, v, nc);
    } else {
        return wrong_type(d, fn);
    }
    nv->i = v;
    return MARL_OK;
}

static int value_from_real(const marl_option_def *d, double v, opt_value *nv,
                           const char *fn) {
    if (d->type != MARL_OPTION_REAL && d->type != MARL_OPTION_INT)
        return wrong_type(d, fn);
    if (!isfinite(v))
        return marl_error(MARL_EINVAL, "%s: option '%s': %g is not finite",
                          fn, d->name, v);
    if (d->type == MARL_OPTION_INT) {
        if (v != floor(v) || v < -0x1p63 || v >= 0x1p63)
            return marl_error(MARL_EINVAL,
                              "%s: option '%s' is an integer; %.17g is not "
                              "an integral 64-bit value",
                              fn, d->name, v);
        return value_from_int(d, (long long)v, nv, fn);
    }
    if (v < d->real_min || v > d->real_max)
        return marl_error(MARL_ERANGE, "%s: option '%s': %.17g outside [%g, %g]",
                          fn, d->name, v, d->real_min, d->real_max);
    nv->r = v;
    return MARL_OK;
}

/* set_string semantics on the slice [s, s+len). */
static int value_from_string(const marl_option_def *d, const char *s,
                             size_t len, opt_value *nv, const char *fn) {
    if (d->type == MARL_OPTION_ENUM) {
        long long k = marl_option_choice_find(d->choices, s, len);
        if (k < 0)
            return marl_error(MARL_EINVAL,
                              "%s: option '%s': '%.*s' is not one of %s", fn,
                              d->name, (int)(len > 100 ? 100 : len), s,
                              d->choices);
        nv->i = k;
        return MARL_OK;
    }
    if (d->type != MARL_OPTION_STRING) return wrong_type(d, fn);
    nv->s = dup_slice(s, len);
    if (!nv->s) return marl_error_nomem("an option string");
    return MARL_OK;
}

static const char *trim(const char *s, size_t *len) {
    static const char ws[] = " \t\n\r\f\v";
    while (*len > 0 && strchr(ws, s[0])) ++s, --*len;
    while (*len > 0 && strchr(ws, s[*len - 1])) --*len;
    return s;
}

/* marl_options_set semantics on the slice [text, text+len). */
static int value_from_text(const marl_option_def *d, const char *text,
                           size_t len, opt_value *nv, const char *fn) {
    if (d->type == MARL_OPTION_STRING)
        return value_from_string(d, text, len, nv, fn);
    const char *t = trim(text, &len);
    const int shown = (int)(len > 100 ? 100 : len);
    if (d->type == MARL_OPTION_ENUM) return value_from_string(d, t, len, nv, fn);
    if (d->type == MARL_OPTION_INT) {
        char buf[128], *end;
        if (marl_option_number_text(t, len, buf, sizeof buf)) {
            errno = 0;
            long long v = strtoll(buf, &end, 10);
            if (end == buf + len && len > 0) {
                if (errno == ERANGE)
                    return marl_error(MARL_ERANGE,
                                      "%s: option '%s': '%.*s' does not fit a "
                                      "64-bit integer",
                                      fn, d->name, shown, t);
                return value_from_int(d, v, nv, fn);
            }
        }
        double r;
        if (marl_option_parse_real(t, len, &r) && isfinite(r) && r == floor(r))
            return value_from_real(d, r, nv, fn);
        return marl_error(MARL_EINVAL, "%s: option '%s': '%.*s' is not an "
                          "integer", fn, d->name, shown, t);
    }
    if (d->type == MARL_OPTION_REAL) {
        double r;
        if (!marl_option_parse_real(t, len, &r))
            return marl_error(MARL_EINVAL,
                              "%s: option '%s': '%.*s' is not a number", fn,
                              d->name, shown, t);
        return value_from_real(d, r, nv, fn);
    }
    return wrong_type(d, fn);
}

/* Store nv into slot (types as in d); frees a replaced string. */
static void commit(const marl_option_def *d, opt_value *slot,
                   const opt_value *nv) {
    switch (d->type) {
    case MARL_OPTION_REAL: slot->r = nv->r; break;
    case MARL_OPTION_STRING:
        marl_free(slot->s);
        slot->s = nv->s;
        break;
    default: slot->i = nv->i; break;
    }
}

/* ---- public setters ------------------------------------------------------ */

/* Commit a value computed by a setter (rc from the computation). */
static int finish_set(marl_options *o, size_t i, int rc, const opt_value *nv) {
    if (!rc) commit(&o->defs[i], &o->vals[i], nv);
    return rc;
}

int marl_options_set_int(marl_options *opts, const char *name,
                         long long value) {
    static const char fn[] = "marl_options_set_int";
    size_t i;
    opt_value nv = {0, 0.0, NULL};
    int rc = enter(opts, name, fn, fn, &i);
    if (rc) return rc;
    return finish_set(opts, i, value_from_int(&opts->defs[i], value, &nv, fn),
                      &nv);
}

int marl_options_set_real(marl_options *opts, const char *name,
                          double value) {
    static const char fn[] = "marl_options_set_real";
    size_t i;
    opt_value nv = {0, 0.0, NULL};
    int rc = enter(opts, name, fn, fn, &i);
    if (rc) return rc;
    return finish_set(opts, i, value_from_real(&opts->defs[i], value, &nv, fn),
                      &nv);
}

int marl_options_set_string(marl_options *opts, const char *name,
                            const char *value) {
    static const char fn[] = "marl_options_set_string";
    size_t i;
    opt_value nv = {0, 0.0, NULL};
    int rc = enter(opts, name, value, fn, &i);
    if (rc) return rc;
    rc = value_from_string(&opts->defs[i], value, strlen(value), &nv, fn);
    return finish_set(opts, i, rc, &nv);
}

int marl_options_set(marl_options *opts, const char *name, const char *text) {
    static const char fn[] = "marl_options_set";
    size_t i;
    opt_value nv = {0, 0.0, NULL};
    int rc = enter(opts, name, text, fn, &i);
    if (rc) return rc;
    rc = value_from_text(&opts->defs[i], text, strlen(text), &nv, fn);
    return finish_set(opts, i, rc, &nv);
}

/* Drop the strings of staged that are not shared with keep. */
static void release_unshared(const marl_options *o, opt_value *staged,
                             const opt_value *keep) {
    for (size_t i = 0; i < o->n; ++i)
        if (staged[i].s != keep[i].s) marl_free(staged[i].s);
}

int marl_options_parse(marl_options *opts, const char *list) {
    static const char fn[] = "marl_options_parse";
    if (!opts) return marl_error(MARL_EINVAL, "%s: opts is NULL", fn);
    if (!list) return MARL_OK;
    size_t total = strlen(list);
    if (trim(list, &total), total == 0) return MARL_OK;

    /* Stage on a shallow copy; strings created here are the ones that
     * differ from opts->vals. Commit only if every item is valid. */
    opt_value *staged = NULL;
    if (opts->n > 0) {
        staged = marl_calloc(opts->n, sizeof *staged);
        if (!staged) return marl_error_nomem("staged option values");
        memcpy(staged, opts->vals, opts->n * sizeof *staged);
    }
    int rc = MARL_OK;
    const char *p = list;
    for (size_t item = 0; rc == MARL_OK; ++item) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *tok = trim(p, &len);
        const char *eq = memchr(tok, '=', len);
        if (len == 0) {
            rc = marl_error(MARL_EFORMAT, "%s: item %zu is empty", fn, item);
            break;
        }
        if (!eq) {
            rc = marl_error(MARL_EFORMAT, "%s: item %zu ('%.*s') has no '='",
                            fn, item, (int)(len > 100 ? 100 : len), tok);
            break;
        }
        size_t klen = (size_t)(eq - tok), vlen = len - klen - 1;
        const char *key = trim(tok, &klen);
        const char *val = trim(eq + 1, &vlen);
        if (klen == 0) {
            rc = marl_error(MARL_EFORMAT, "%s: item %zu has an empty name", fn,
                            item);
            break;
        }
        size_t i;
        rc = lookup(opts, key, klen, fn, &i);
        opt_value nv = {0, 0.0, NULL};
        if (!rc) rc = value_from_text(&opts->defs[i], val, vlen, &nv, fn);
        if (!rc) {
            const marl_option_def *d = &opts->defs[i];
            if (d->type == MARL_OPTION_STRING &&
                staged[i].s != opts->vals[i].s)
                marl_free(staged[i].s); /* an earlier item of this list */
            if (d->type == MARL_OPTION_STRING)
                staged[i].s = nv.s;
            else
                commit(d, &staged[i], &nv);
        }
        if (!comma) break;
        p = comma + 1;
    }
    if (rc) {
        if (staged) release_unshared(opts, staged, opts->vals);
    } else if (staged) {
        release_unshared(opts, opts->vals, staged);
        memcpy(opts->vals, staged, opts->n * sizeof *staged);
    }
    marl_free(staged);
    return rc;
}

/* ---- getters ------------------------------------------------------------- */

static const char *enum_name(const marl_options *o, size_t i) {
    const char *p = o->names[i];
    for (long long k = 0; k < o->vals[i].i; ++k) p += strlen(p) + 1;
    return p;
}

/* Lookup for a getter accepting types t1 and t2. */
static int get_common(const marl_options *o, const char *name,
                      const void *value, const char *fn, int t1, int t2,
                      size_t *i) {
    int rc = enter(o, name, value, fn, i);
    if (rc) return rc;
    const int t = o->defs[*i].type;
    return (t == t1 || t == t2) ? MARL_OK : wrong_type(&o->defs[*i], fn);
}

int marl_options_get_int(const marl_options *opts, const char *name,
                         long long *value) {
    size_t i;
    int rc = get_common(opts, name, value, "marl_options_get_int",
                        MARL_OPTION_INT, MARL_OPTION_ENUM, &i);
    if (!rc) *value = opts->vals[i].i;
    return rc;
}

int marl_options_get_real(const marl_options *opts, const char *name,
                          double *value) {
    size_t i;
    int rc = get_common(opts, name, value, "marl_options_get_real",
                        MARL_OPTION_REAL, MARL_OPTION_INT, &i);
    if (!rc) *value = marl_options_real_at(opts, i);
    return rc;
}

int marl_options_get_string(const marl_options *opts, const char *name,
                            const char **value) {
    size_t i;
    int rc = get_common(opts, name, value, "marl_options_get_string",
                        MARL_OPTION_STRING, MARL_OPTION_ENUM, &i);
    if (!rc) *value = marl_options_string_at(opts, i);
    return rc;
}

long long marl_options_int_at(const marl_options *opts, size_t i) {
    switch (opts->defs[i].type) {
    case MARL_OPTION_INT:
    case MARL_OPTION_ENUM: return opts->vals[i].i;
    case MARL_OPTION_REAL: return (long long)opts->vals[i].r;
    default: return 0;
    }
}

double marl_options_real_at(const marl_options *opts, size_t i) {
    switch (opts->defs[i].type) {
    case MARL_OPTION_REAL: return opts->vals[i].r;
    case MARL_OPTION_INT:
    case MARL_OPTION_ENUM: return (double)opts->vals[i].i;
    default: return 0.0;
    }
}

const char *marl_options_string_at(const marl_options *opts, size_t i) {
    switch (opts->defs[i].type) {
    case MARL_OPTION_STRING: return opts->vals[i].s;
    case MARL_OPTION_ENUM: return enum_name(opts, i);
    default: return "";
    }
}

int marl_options_format(const marl_options *opts, size_t i, char *buf,
                        size_t cap) {
    static const char fn[] = "marl_options_format";
    if (!opts) return marl_error(MARL_EINVAL, "%s: opts is NULL", fn);
    if (i >= opts->n)
        return marl_error(MARL_ERANGE, "%s: option index %zu >= count %zu", fn,
                          i, opts->n);
    if (!buf && cap > 0)
        return marl_error(MARL_EINVAL, "%s: buf is NULL but cap is %zu", fn,
                          cap);
    const opt_value *v = &opts->vals[i];
    return marl_option_format_typed(&opts->defs[i], v->i, v->r, v->s, buf, cap, fn);
}
