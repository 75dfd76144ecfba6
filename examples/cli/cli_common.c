/*
 * marlgame CLI: error reporting, strict number parsing, parameters, files
 * and policies.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors -------------------------------------------------------------- */

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    fputs("marlgame: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'marlgame help' for usage.\n", stderr);
    return CLI_EUSAGE;
}

int cli_lib_error(int status, const char *fmt, ...) {
    va_list ap;
    fputs("marlgame: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    const char *detail = marl_last_error();
    fprintf(stderr, ": %s", marl_strerror(status));
    if (detail && *detail) fprintf(stderr, " (%s)", detail);
    fputc('\n', stderr);
    return CLI_ELIB;
}

int cli_error(const char *fmt, ...) {
    va_list ap;
    fputs("marlgame: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_ELIB;
}

/* ---- numbers ------------------------------------------------------------- */

int cli_parse_u64(const char *text, unsigned long long *out) {
    if (!text || !isdigit((unsigned char)text[0])) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

int cli_parse_size(const char *text, size_t *out) {
    unsigned long long v;
    if (cli_parse_u64(text, &v) || v > (unsigned long long)SIZE_MAX) return -1;
    *out = (size_t)v;
    return 0;
}

int cli_parse_double(const char *text, double *out) {
    if (!text || !*text || isspace((unsigned char)text[0])) return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

/* ---- parameters ---------------------------------------------------------- */

int cli_params_add(cli_params *p, const char *item) {
    size_t n = strlen(item);
    size_t need = p->len + (p->len ? 1 : 0) + n + 1;
    char *t = realloc(p->text, need);
    if (!t) return -1;
    if (p->len) t[p->len++] = ',';
    memcpy(t + p->len, item, n + 1);
    p->len += n;
    p->text = t;
    return 0;
}

void cli_params_free(cli_params *p) {
    free(p->text);
    p->text = NULL;
    p->len = 0;
}

int cli_eval_common_arg(int argc, char **argv, int *k, cli_eval_args *a,
                        int *rc) {
    const char *o = argv[*k];
    if (strcmp(o, "--game") && strcmp(o, "--param") && strcmp(o, "--policy"))
        return 0;
    if (*k + 1 >= argc) {
        *rc = cli_usage_error("eval: %s needs a value", o);
        return 1;
    }
    const char *v = argv[++*k];
    *rc = CLI_OK;
    if (strcmp(o, "--game") == 0)
        a->game = v;
    else if (strcmp(o, "--policy") == 0)
        a->policy = v;
    else if (!strchr(v, '='))
        *rc = cli_usage_error("eval: --param expects k=v, got \"%s\"", v);
    else if (cli_params_add(&a->params, v))
        *rc = cli_error("out of memory");
    return 1;
}

int cli_build_game(const char *name, const cli_params *params,
                   marl_game **out) {
    const char *text = params && params->text ? params->text : "";
    int rc = marl_games_new(out, name, text);
    if (rc != MARL_OK)
        return cli_lib_error(rc, "cannot build game \"%s\"%s%s", name,
                             *text ? " with parameters " : "", text);
    return CLI_OK;
}

/* ---- files --------------------------------------------------------------- */

int cli_read_file(const char *path, char **data, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return cli_error("cannot open %s: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len + 1 < cap) break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf) return cli_error("out of memory reading %s", path);
    if (bad) {
        free(buf);
        return cli_error("cannot read %s", path);
    }
    buf[len] = '\0';
    *data = buf;
    *size = len;
    return 0;
}

int cli_write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    if (!f) return cli_error("cannot create %s: %s", path, strerror(errno));
    size_t put = fwrite(data, 1, size, f);
    int bad = put != size || fflush(f) != 0;
    if (fclose(f) != 0) bad = 1;
    if (bad) return cli_error("cannot write %s", path);
    return 0;
}

int cli_is_csv(const char *path) {
    size_t n = strlen(path);
    if (n < 4) return 0;
    const char *e = path + n - 4;
    return e[0] == '.' && tolower((unsigned char)e[1]) == 'c' &&
           tolower((unsigned char)e[2]) == 's' &&
           tolower((unsigned char)e[3]) == 'v';
}

/* ---- policies ------------------------------------------------------------ */

/* CSV files do not record the layout: try the layouts a policy of this game
 * can have, per-agent before shared. */
static int policy_from_csv(marl_game *game, const char *path, const char *text,
                           size_t len, marl_policy **out) {
    unsigned layouts[4];
    size_t n_layouts = 0;
    if (marl_game_horizon(game) > 0) {
        layouts[n_layouts++] = MARL_POLICY_PER_STEP;
        layouts[n_layouts++] = MARL_POLICY_PER_STEP | MARL_POLICY_SHARED;
    }
    layouts[n_layouts++] = 0;
    layouts[n_layouts++] = MARL_POLICY_SHARED;
    char first_msg[512] = "";
    int first_rc = MARL_OK;
    for (size_t k = 0; k < n_layouts; ++k) {
        marl_policy *p = NULL;
        int rc = marl_policy_new(&p, game, layouts[k]);
        if (rc == MARL_OK) rc = marl_policy_from_csv(p, text, len);
        if (rc == MARL_OK) {
            *out = p;
            return CLI_OK;
        }
        marl_policy_free(p);
        if (rc == MARL_ENOMEM) return cli_lib_error(rc, "reading %s", path);
        if (first_rc == MARL_OK) {
            first_rc = rc;
            snprintf(first_msg, sizeof first_msg, "%s", marl_last_error());
        }
    }
    fprintf(stderr, "marlgame: error: cannot read policy %s: %s (%s)\n", path,
            marl_strerror(first_rc), first_msg);
    return CLI_ELIB;
}

int cli_load_policy(marl_game *game, const char *spec, marl_policy **out) {
    unsigned flags = marl_game_horizon(game) > 0 ? MARL_POLICY_PER_STEP : 0;
    int rc;
    if (strcmp(spec, "uniform") == 0) {
        rc = marl_policy_new(out, game, flags);
        return rc == MARL_OK ? CLI_OK
                             : cli_lib_error(rc, "cannot create a policy");
    }
    if (strncmp(spec, "random:", 7) == 0) {
        unsigned long long seed;
        if (cli_parse_u64(spec + 7, &seed))
            return cli_usage_error("bad seed in --policy %s (expected "
                                   "random:<non-negative integer>)",
                                   spec);
        marl_rng *rng = NULL;
        marl_policy *p = NULL;
        rc = marl_rng_new(&rng, (uint64_t)seed);
        if (rc == MARL_OK) rc = marl_policy_new(&p, game, flags);
        if (rc == MARL_OK) rc = marl_policy_randomize(p, rng);
        marl_rng_free(rng);
        if (rc != MARL_OK) {
            marl_policy_free(p);
            return cli_lib_error(rc, "cannot create a random policy");
        }
        *out = p;
        return CLI_OK;
    }
    char *data;
    size_t size;
    if (cli_read_file(spec, &data, &size)) return CLI_ELIB;
    if (cli_is_csv(spec)) {
        rc = policy_from_csv(game, spec, data, size, out);
        free(data);
        return rc;
    }
    rc = marl_policy_load(out, game, data, size);
    free(data);
    if (rc != MARL_OK)
        return cli_lib_error(rc, "cannot load policy %s", spec);
    return CLI_OK;
}

int cli_save_policy(const marl_policy *policy, const char *path) {
    int rc;
    if (cli_is_csv(path)) {
        char *text = NULL;
        size_t len = 0;
        rc = marl_policy_to_csv(policy, &text, &len);
        if (rc != MARL_OK)
            return cli_lib_error(rc, "cannot format the policy as CSV");
        int bad = cli_write_file(path, text, len);
        marl_free(text);
        return bad ? CLI_ELIB : CLI_OK;
    }
    size_t size = 0;
    rc = marl_policy_save(policy, NULL, 0, &size);
    if (rc != MARL_OK && rc != MARL_ERANGE)
        return cli_lib_error(rc, "cannot serialise the policy");
    void *buf = malloc(size ? size : 1);
    if (!buf) return cli_error("out of memory serialising the policy");
    rc = marl_policy_save(policy, buf, size, &size);
    if (rc != MARL_OK) {
        free(buf);
        return cli_lib_error(rc, "cannot serialise the policy");
    }
    int bad = cli_write_file(path, buf, size);
    free(buf);
    return bad ? CLI_ELIB : CLI_OK;
}
