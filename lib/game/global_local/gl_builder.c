/*
 * Builder of global-local games (global_local.h; ALGORITHMS.md §4).
 * Tables are validated and copied when set; nothing changes on error.
 * SPDX-License-Identifier: MIT
 */
#include "game/global_local/gl_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Largest n_local accepted (the game keeps n action counts). */
#define GL_MAX_LOCAL ((size_t)1 << 31)

struct marl_global_local_builder {
    size_t n, Sg, Ag, Sl, Al;
    double gamma;
    double *Pg, *rg, *Pl, *rl; /* NULL until set */
    double *rho_g;             /* [Sg], uniform by default */
    double *rho_l;             /* [Sl] or NULL (then conc is set) */
    double *conc;              /* [Sl] or NULL */
    char *name;
};

static const char BNULL[] = "builder is NULL";

static double *dup_doubles(const double *src, size_t n, const char *what) {
    double *d = marl_malloc(n * sizeof *d);
    if (!d) {
        marl_error_nomem(what);
        return NULL;
    }
    memcpy(d, src, n * sizeof *d);
    return d;
}

static double *uniform(size_t n, const char *what) {
    double *d = marl_malloc(n * sizeof *d);
    if (!d) {
        marl_error_nomem(what);
        return NULL;
    }
    for (size_t i = 0; i < n; ++i) d[i] = 1.0 / (double)n;
    return d;
}

/* size = a * b * c, within MARL_GL_MAX_ENTRIES. */
static int table_size(size_t a, size_t b, size_t c, size_t *out) {
    size_t t;
    if (!marl_mul_size(a, b, &t) || !marl_mul_size(t, c, &t) ||
        t > MARL_GL_MAX_ENTRIES)
        return 0;
    *out = t;
    return 1;
}

int marl_global_local_builder_new(marl_global_local_builder **out,
                                  size_t n_local, size_t n_global_states,
                                  size_t n_global_actions,
                                  size_t n_local_states,
                                  size_t n_local_actions) {
    static const char fn[] = "marl_global_local_builder_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (n_local == 0 || n_local > GL_MAX_LOCAL)
        return marl_error(MARL_EINVAL, "%s: n_local = %zu must be in [1, %zu]",
                          fn, n_local, GL_MAX_LOCAL);
    const size_t sz[4] = {n_global_states, n_global_actions, n_local_states,
                          n_local_actions};
    static const char *const nm[4] = {"n_global_states", "n_global_actions",
                                      "n_local_states", "n_local_actions"};
    for (int i = 0; i < 4; ++i)
        if (sz[i] == 0)
            return marl_error(MARL_EINVAL, "%s: %s must be >= 1", fn, nm[i]);
    size_t t1, t2, t3;
    if (!table_size(n_global_states, n_global_actions, n_global_states, &t1) ||
        !table_size(n_local_states, n_global_states, n_local_actions, &t2) ||
        !table_size(t2, n_local_states, 1, &t3))
        return marl_error(MARL_ERANGE,
                          "%s: the transition tables would exceed %zu entries",
                          fn, MARL_GL_MAX_ENTRIES);
    marl_global_local_builder *b = marl_calloc(1, sizeof *b);
    if (!b) return marl_error_nomem("a global-local builder");
    b->n = n_local;
    b->Sg = n_global_states;
    b->Ag = n_global_actions;
    b->Sl = n_local_states;
    b->Al = n_local_actions;
    b->gamma = 0.95;
    b->rho_g = uniform(b->Sg, "the global initial distribution");
    b->rho_l = b->rho_g ? uniform(b->Sl, "the local initial distribution")
                        : NULL;
    if (!b->rho_l) {
        marl_global_local_builder_free(b);
        return MARL_ENOMEM;
    }
    *out = b;
    return MARL_OK;
}

void marl_global_local_builder_free(marl_global_local_builder *b) {
    if (!b) return;
    marl_free(b->Pg);
    marl_free(b->rg);
    marl_free(b->Pl);
    marl_free(b->rl);
    marl_free(b->rho_g);
    marl_free(b->rho_l);
    marl_free(b->conc);
    marl_free(b->name);
    marl_free(b);
}

int marl_global_local_builder_set_discount(marl_global_local_builder *b,
                                           double gamma) {
    static const char fn[] = "marl_global_local_builder_set_discount";
    if (!b) return marl_error(MARL_EINVAL, "%s: %s", fn, BNULL);
    if (!(gamma >= 0.0 && gamma < 1.0))
        return marl_error(MARL_EINVAL, "%s: gamma = %g is not in [0, 1)", fn,
                          gamma);
    b->gamma = gamma;
    return MARL_OK;
}

static int check_global(const marl_global_local_builder *b, const double *P,
                        const double *r, const char *fn) {
    char what[160];
    for (size_t s = 0; s < b->Sg; ++s)
        for (size_t a = 0; a < b->Ag; ++a) {
            snprintf(what, sizeof what,
                     "%s: P_g row (s_g = %zu, a_g = %zu)", fn, s, a);
            int rc = marl_check_distribution(P + (s * b->Ag + a) * b->Sg,
                                             b->Sg, what);
            if (rc) return rc;
            if (!isfinite(r[s * b->Ag + a]))
                return marl_error(MARL_EINVAL,
                                  "%s: r_g(s_g = %zu, a_g = %zu) is not "
                                  "finite",
                                  fn, s, a);
        }
    return MARL_OK;
}

static int check_local(const marl_global_local_builder *b, const double *P,
                       const double *r, const char *fn) {
    char what[200];
    for (size_t sl = 0; sl < b->Sl; ++sl)
        for (size_t sg = 0; sg < b->Sg; ++sg)
            for (size_t a = 0; a < b->Al; ++a) {
                size_t row = (sl * b->Sg + sg) * b->Al + a;
                snprintf(what, sizeof what,
                         "%s: P_l row (s_l = %zu, s_g = %zu, a_l = %zu)", fn,
                         sl, sg, a);
                int rc = marl_check_distribution(P + row * b->Sl, b->Sl, what);
                if (rc) return rc;
                if (!isfinite(r[row]))
                    return marl_error(MARL_EINVAL,
                                      "%s: r_l(s_l = %zu, s_g = %zu, a_l = "
                                      "%zu) is not finite",
                                      fn, sl, sg, a);
            }
    return MARL_OK;
}

/* Replace the tables in slot_p and slot_r by copies of P (np entries) and r (nr). */
static int store_pair(double **slot_p, double **slot_r, const double *P,
                      size_t np, const double *r, size_t nr) {
    double *cp = dup_doubles(P, np, "a transition table");
    double *cr = cp ? dup_doubles(r, nr, "a reward table") : NULL;
    if (!cr) {
        marl_free(cp);
        return MARL_ENOMEM;
    }
    marl_free(*slot_p);
    marl_free(*slot_r);
    *slot_p = cp;
    *slot_r = cr;
    return MARL_OK;
}

int marl_global_local_builder_set_global(marl_global_local_builder *b,
                                         const double *P_g, const double *r_g) {
    static const char fn[] = "marl_global_local_builder_set_global";
    if (!b || !P_g || !r_g)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : !P_g ? "P_g" : "r_g");
    int rc = check_global(b, P_g, r_g, fn);
    if (rc) return rc;
    return store_pair(&b->Pg, &b->rg, P_g, b->Sg * b->Ag * b->Sg, r_g,
                      b->Sg * b->Ag);
}

int marl_global_local_builder_set_local(marl_global_local_builder *b,
                                        const double *P_l, const double *r_l) {
    static const char fn[] = "marl_global_local_builder_set_local";
    if (!b || !P_l || !r_l)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : !P_l ? "P_l" : "r_l");
    int rc = check_local(b, P_l, r_l, fn);
    if (rc) return rc;
    size_t nr = b->Sl * b->Sg * b->Al;
    return store_pair(&b->Pl, &b->rl, P_l, nr * b->Sl, r_l, nr);
}

int marl_global_local_builder_fill(marl_global_local_builder *b,
                                   const marl_global_local_ops *ops,
                                   void *user) {
    static const char fn[] = "marl_global_local_builder_fill";
    if (!b || !ops)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : "ops");
    if (ops->version < 1 || ops->version > MARL_GLOBAL_LOCAL_OPS_VERSION)
        return marl_error(MARL_EINVAL, "%s: ops version %d is not supported "
                          "(expected 1..%d)", fn, ops->version,
                          MARL_GLOBAL_LOCAL_OPS_VERSION);
    if (!ops->global_transition || !ops->global_reward ||
        !ops->local_transition || !ops->local_reward)
        return marl_error(MARL_EINVAL, "%s: ops->%s is NULL", fn,
                          !ops->global_transition ? "global_transition"
                          : !ops->global_reward   ? "global_reward"
                          : !ops->local_transition ? "local_transition"
                                                   : "local_reward");
    size_t nrl = b->Sl * b->Sg * b->Al;
    double *Pg = marl_calloc(b->Sg * b->Ag * b->Sg, sizeof *Pg);
    double *rg = Pg ? marl_calloc(b->Sg * b->Ag, sizeof *rg) : NULL;
    double *Pl = rg ? marl_calloc(nrl * b->Sl, sizeof *Pl) : NULL;
    double *rl = Pl ? marl_calloc(nrl, sizeof *rl) : NULL;
    int rc = rl ? MARL_OK : marl_error_nomem("the global-local tables");
    for (size_t s = 0; rc == MARL_OK && s < b->Sg; ++s)
        for (size_t a = 0; rc == MARL_OK && a < b->Ag; ++a) {
            if (ops->global_transition(user, s, a,
                                       Pg + (s * b->Ag + a) * b->Sg) != 0)
                rc = marl_error(MARL_EINVAL,
                                "%s: global_transition(s_g = %zu, a_g = %zu) "
                                "failed", fn, s, a);
            else if (ops->global_reward(user, s, a, rg + s * b->Ag + a) != 0)
                rc = marl_error(MARL_EINVAL,
                                "%s: global_reward(s_g = %zu, a_g = %zu) "
                                "failed", fn, s, a);
        }
    for (size_t sl = 0; rc == MARL_OK && sl < b->Sl; ++sl)
        for (size_t sg = 0; rc == MARL_OK && sg < b->Sg; ++sg)
            for (size_t a = 0; rc == MARL_OK && a < b->Al; ++a) {
                size_t row = (sl * b->Sg + sg) * b->Al + a;
                if (ops->local_transition(user, sl, sg, a,
                                          Pl + row * b->Sl) != 0)
                    rc = marl_error(MARL_EINVAL,
                                    "%s: local_transition(s_l = %zu, s_g = "
                                    "%zu, a_l = %zu) failed", fn, sl, sg, a);
                else if (ops->local_reward(user, sl, sg, a, rl + row) != 0)
                    rc = marl_error(MARL_EINVAL,
                                    "%s: local_reward(s_l = %zu, s_g = %zu, "
                                    "a_l = %zu) failed", fn, sl, sg, a);
            }
    if (rc == MARL_OK) rc = check_global(b, Pg, rg, fn);
    if (rc == MARL_OK) rc = check_local(b, Pl, rl, fn);
    if (rc != MARL_OK) {
        marl_free(Pg);
        marl_free(rg);
        marl_free(Pl);
        marl_free(rl);
        return rc;
    }
    marl_free(b->Pg);
    marl_free(b->rg);
    marl_free(b->Pl);
    marl_free(b->rl);
    b->Pg = Pg;
    b->rg = rg;
    b->Pl = Pl;
    b->rl = rl;
    return MARL_OK;
}

int marl_global_local_builder_set_initial_global(marl_global_local_builder *b,
                                                 const double *rho_g) {
    static const char fn[] = "marl_global_local_builder_set_initial_global";
    if (!b || !rho_g)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : "rho_g");
    char what[96];
    snprintf(what, sizeof what, "%s: rho_g", fn);
    int rc = marl_check_distribution(rho_g, b->Sg, what);
    if (rc) return rc;
    memcpy(b->rho_g, rho_g, b->Sg * sizeof *rho_g);
    return MARL_OK;
}

int marl_global_local_builder_set_initial_local(marl_global_local_builder *b,
                                                const double *rho_l) {
    static const char fn[] = "marl_global_local_builder_set_initial_local";
    if (!b || !rho_l)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : "rho_l");
    char what[96];
    snprintf(what, sizeof what, "%s: rho_l", fn);
    int rc = marl_check_distribution(rho_l, b->Sl, what);
    if (rc) return rc;
    double *c = dup_doubles(rho_l, b->Sl, "the local initial distribution");
    if (!c) return MARL_ENOMEM;
    marl_free(b->rho_l);
    marl_free(b->conc);
    b->rho_l = c;
    b->conc = NULL;
    return MARL_OK;
}

int marl_global_local_builder_set_initial_dirichlet(
    marl_global_local_builder *b, const double *conc) {
    static const char fn[] = "marl_global_local_builder_set_initial_dirichlet";
    if (!b || !conc)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : "conc");
    for (size_t j = 0; j < b->Sl; ++j)
        if (!(conc[j] > 0.0) || !isfinite(conc[j]))
            return marl_error(MARL_EINVAL,
                              "%s: conc[%zu] = %g must be positive and finite",
                              fn, j, conc[j]);
    double *c = dup_doubles(conc, b->Sl, "the Dirichlet concentrations");
    if (!c) return MARL_ENOMEM;
    marl_free(b->rho_l);
    marl_free(b->conc);
    b->rho_l = NULL;
    b->conc = c;
    return MARL_OK;
}

int marl_global_local_builder_set_name(marl_global_local_builder *b,
                                       const char *name) {
    static const char fn[] = "marl_global_local_builder_set_name";
    if (!b || !name)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : "name");
    char *c = marl_strdup(name);
    if (!c) return marl_error_nomem("the game's name");
    marl_free(b->name);
    b->name = c;
    return MARL_OK;
}

static void gl_data_free(void *p) {
    marl_gl_data *d = p;
    if (!d) return;
    marl_free(d->Pg);
    marl_free(d->rg);
    marl_free(d->Pl);
    marl_free(d->rl);
    marl_free(d->rho_g);
    marl_free(d->rho_l);
    marl_free(d->conc);
    marl_free(d);
}

int marl_global_local_builder_build(marl_global_local_builder *b,
                                    marl_game **out) {
    static const char fn[] = "marl_global_local_builder_build";
    if (!b || !out)
        return marl_error(MARL_EINVAL, "%s: %s is NULL", fn,
                          !b ? "builder" : "out");
    if (!b->Pg || !b->Pl)
        return marl_error(MARL_EINVAL,
                          "%s: the %s tables are missing (set_global/"
                          "set_local or fill)",
                          fn, !b->Pg ? "global" : "local");
    size_t nrl = b->Sl * b->Sg * b->Al;
    marl_gl_data *d = marl_calloc(1, sizeof *d);
    int rc = d ? MARL_OK : marl_error_nomem("the global-local game data");
    if (rc == MARL_OK) {
        d->n = b->n;
        d->Sg = b->Sg;
        d->Ag = b->Ag;
        d->Sl = b->Sl;
        d->Al = b->Al;
        const char *w = "the global-local game tables";
        if (!(d->Pg = dup_doubles(b->Pg, b->Sg * b->Ag * b->Sg, w)) ||
            !(d->rg = dup_doubles(b->rg, b->Sg * b->Ag, w)) ||
            !(d->Pl = dup_doubles(b->Pl, nrl * b->Sl, w)) ||
            !(d->rl = dup_doubles(b->rl, nrl, w)) ||
            !(d->rho_g = dup_doubles(b->rho_g, b->Sg, w)) ||
            (b->rho_l && !(d->rho_l = dup_doubles(b->rho_l, b->Sl, w))) ||
            (b->conc && !(d->conc = dup_doubles(b->conc, b->Sl, w))))
            rc = MARL_ENOMEM;
    }
    size_t *acts = NULL;
    if (rc == MARL_OK) {
        acts = marl_malloc(b->n * sizeof *acts);
        if (!acts) rc = marl_error_nomem("the local agents' action counts");
    }
    marl_game *g = NULL;
    if (rc == MARL_OK) {
        for (size_t i = 0; i < b->n; ++i) acts[i] = b->Al;
        rc = marl_game_alloc(&g, MARL_GAME_GLOBAL_LOCAL, b->n, b->Sl, acts,
                             b->name ? b->name : "");
    }
    marl_free(acts);
    if (rc != MARL_OK) {
        gl_data_free(d);
        return rc;
    }
    g->gamma = b->gamma;
    g->horizon = 0;
    g->impl = d;
    g->impl_free = gl_data_free;
    *out = g;
    return MARL_OK;
}
