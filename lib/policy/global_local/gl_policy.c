/*
 * Policy pairs of global-local games (global_local.h): the global policy
 * pi_g(a_g | s_g, c) indexed by the rank of the count vector c of the k
 * sampled local agents (counts.h), and the shared local policy
 * pi_l(a_l | s_l, s_g).
 * SPDX-License-Identifier: MIT
 */
#include "policy/global_local/gl_policy_impl.h"
#include "marlgame/counts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t *marl_gl_binom_table(size_t rows, size_t Sl) {
    size_t n;
    if (!marl_mul_size(rows, Sl, &n)) {
        marl_error(MARL_ERANGE, "binomial table too large");
        return NULL;
    }
    size_t *t = marl_calloc(n, sizeof *t);
    if (!t) {
        marl_error_nomem("a binomial table");
        return NULL;
    }
    /* Pascal's rule; entries used by the rankers never exceed the number of
     * count vectors, which fits (checked by the caller); larger ones
     * saturate. */
    for (size_t b = 0; b < rows; ++b)
        for (size_t r = 0; r < Sl; ++r) {
            size_t v;
            if (r == 0)
                v = 1;
            else if (b == 0)
                v = 0;
            else {
                size_t x = t[(b - 1) * Sl + r - 1], y = t[(b - 1) * Sl + r];
                v = x > SIZE_MAX - y ? SIZE_MAX : x + y;
            }
            t[b * Sl + r] = v;
        }
    return t;
}

static int check_policy(const marl_gl_policy *p, const char *fn,
                        const char *what) {
    if (!p) return marl_error(MARL_EINVAL, "%s: %s is NULL", fn, what);
    return MARL_OK;
}

int marl_gl_policy_new(marl_gl_policy **out, marl_game *game, size_t k) {
    static const char fn[] = "marl_gl_policy_new";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    int rc = marl_gl_require(game, fn);
    if (rc) return rc;
    const marl_gl_data *d = marl_gl_of(game);
    if (k == 0 || k > d->n)
        return marl_error(MARL_EINVAL, "%s: k = %zu must be in [1, n = %zu]",
                          fn, k, d->n);
    size_t C, ng;
    rc = marl_counts_size(k, d->Sl, &C);
    if (rc == MARL_OK &&
        (!marl_mul_size(C, d->Sg, &ng) || !marl_mul_size(ng, d->Ag, &ng) ||
         ng > MARL_GL_MAX_ENTRIES))
        rc = MARL_ERANGE;
    if (rc != MARL_OK)
        return marl_error(MARL_ERANGE,
                          "%s: k = %zu: the global policy table (|S_g| * "
                          "C(k + |S_l| - 1, |S_l| - 1) * |A_g|) would exceed "
                          "%zu entries",
                          fn, k, MARL_GL_MAX_ENTRIES);
    size_t nl = d->Sl * d->Sg * d->Al;
    marl_gl_policy *p = marl_calloc(1, sizeof *p);
    if (!p) return marl_error_nomem("a global-local policy");
    p->k = k;
    p->C = C;
    p->Sg = d->Sg;
    p->Ag = d->Ag;
    p->Sl = d->Sl;
    p->Al = d->Al;
    p->pg = marl_malloc(ng * sizeof *p->pg);
    p->pl = p->pg ? marl_malloc(nl * sizeof *p->pl) : NULL;
    p->binom = p->pl ? marl_gl_binom_table(k + d->Sl, d->Sl) : NULL;
    if (!p->binom) {
        if (!p->pl) marl_error_nomem("the global-local policy tables");
        marl_free(p->pg);
        marl_free(p->pl);
        marl_free(p);
        return MARL_ENOMEM;
    }
    for (size_t i = 0; i < ng; ++i) p->pg[i] = 1.0 / (double)d->Ag;
    for (size_t i = 0; i < nl; ++i) p->pl[i] = 1.0 / (double)d->Al;
    p->game = marl_game_ref(game);
    *out = p;
    return MARL_OK;
}

void marl_gl_policy_free(marl_gl_policy *p) {
    if (!p) return;
    marl_free(p->pg);
    marl_free(p->pl);
    marl_free(p->binom);
    marl_game_unref(p->game);
    marl_free(p);
}

int marl_gl_policy_copy(marl_gl_policy **out, const marl_gl_policy *src) {
    static const char fn[] = "marl_gl_policy_copy";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    *out = NULL;
    int rc = check_policy(src, fn, "policy");
    if (rc) return rc;
    marl_gl_policy *p = NULL;
    rc = marl_gl_policy_new(&p, src->game, src->k);
    if (rc) return rc;
    marl_gl_policy_assign(p, src);
    *out = p;
    return MARL_OK;
}

static int check_same(const marl_gl_policy *a, const marl_gl_policy *b,
                      const char *fn) {
    if (!a || !b)
        return marl_error(MARL_EINVAL, "%s: a policy is NULL", fn);
    if (a->game != b->game)
        return marl_error(MARL_EINVAL,
                          "%s: the policies belong to different games", fn);
    if (a->k != b->k)
        return marl_error(MARL_EINVAL,
                          "%s: the policies have different k (%zu and %zu)",
                          fn, a->k, b->k);
    return MARL_OK;
}

int marl_gl_policy_assign(marl_gl_policy *dst, const marl_gl_policy *src) {
    int rc = check_same(dst, src, "marl_gl_policy_assign");
    if (rc) return rc;
    if (dst == src) return MARL_OK;
    memcpy(dst->pg, src->pg, src->Sg * src->C * src->Ag * sizeof *dst->pg);
    memcpy(dst->pl, src->pl, src->Sl * src->Sg * src->Al * sizeof *dst->pl);
    return MARL_OK;
}

size_t marl_gl_policy_k(const marl_gl_policy *p) { return p ? p->k : 0; }

marl_game *marl_gl_policy_game(const marl_gl_policy *p) {
    return p ? p->game : NULL;
}

size_t marl_gl_policy_num_counts(const marl_gl_policy *p) {
    return p ? p->C : 0;
}

static int check_global_index(const marl_gl_policy *p, size_t s_g,
                              size_t rank, const void *probs,
                              const char *fn) {
    int rc = check_policy(p, fn, "policy");
    if (rc) return rc;
    if (!probs) return marl_error(MARL_EINVAL, "%s: probs is NULL", fn);
    if (s_g >= p->Sg)
        return marl_error(MARL_ERANGE, "%s: s_g = %zu out of range (|S_g| = "
                          "%zu)", fn, s_g, p->Sg);
    if (rank >= p->C)
        return marl_error(MARL_ERANGE, "%s: rank = %zu out of range (%zu "
                          "count vectors)", fn, rank, p->C);
    return MARL_OK;
}

static int check_local_index(const marl_gl_policy *p, size_t s_l, size_t s_g,
                             const void *probs, const char *fn) {
    int rc = check_policy(p, fn, "policy");
    if (rc) return rc;
    if (!probs) return marl_error(MARL_EINVAL, "%s: probs is NULL", fn);
    if (s_l >= p->Sl)
        return marl_error(MARL_ERANGE, "%s: s_l = %zu out of range (|S_l| = "
                          "%zu)", fn, s_l, p->Sl);
    if (s_g >= p->Sg)
        return marl_error(MARL_ERANGE, "%s: s_g = %zu out of range (|S_g| = "
                          "%zu)", fn, s_g, p->Sg);
    return MARL_OK;
}

int marl_gl_policy_global_row(const marl_gl_policy *p, size_t s_g,
                              size_t rank, double *probs) {
    int rc = check_global_index(p, s_g, rank, probs,
                                "marl_gl_policy_global_row");
    if (rc) return rc;
    memcpy(probs, p->pg + (s_g * p->C + rank) * p->Ag, p->Ag * sizeof *probs);
    return MARL_OK;
}

int marl_gl_policy_set_global_row(marl_gl_policy *p, size_t s_g, size_t rank,
                                  const double *probs) {
    static const char fn[] = "marl_gl_policy_set_global_row";
    int rc = check_global_index(p, s_g, rank, probs, fn);
    if (rc) return rc;
    char what[128];
    snprintf(what, sizeof what, "%s: row (s_g = %zu, rank = %zu)", fn, s_g,
             rank);
    rc = marl_check_distribution(probs, p->Ag, what);
    if (rc) return rc;
    memcpy(p->pg + (s_g * p->C + rank) * p->Ag, probs, p->Ag * sizeof *probs);
    return MARL_OK;
}

int marl_gl_policy_local_row(const marl_gl_policy *p, size_t s_l, size_t s_g,
                             double *probs) {
    int rc = check_local_index(p, s_l, s_g, probs, "marl_gl_policy_local_row");
    if (rc) return rc;
    memcpy(probs, p->pl + (s_l * p->Sg + s_g) * p->Al, p->Al * sizeof *probs);
    return MARL_OK;
}

int marl_gl_policy_set_local_row(marl_gl_policy *p, size_t s_l, size_t s_g,
                                 const double *probs) {
    static const char fn[] = "marl_gl_policy_set_local_row";
    int rc = check_local_index(p, s_l, s_g, probs, fn);
    if (rc) return rc;
    char what[128];
    snprintf(what, sizeof what, "%s: row (s_l = %zu, s_g = %zu)", fn, s_l,
             s_g);
    rc = marl_check_distribution(probs, p->Al, what);
    if (rc) return rc;
    memcpy(p->pl + (s_l * p->Sg + s_g) * p->Al, probs, p->Al * sizeof *probs);
    return MARL_OK;
}

int marl_gl_policy_distance(const marl_gl_policy *a, const marl_gl_policy *b,
                            double *distance) {
    static const char fn[] = "marl_gl_policy_distance";
    int rc = check_same(a, b, fn);
    if (rc) return rc;
    if (!distance) return marl_error(MARL_EINVAL, "%s: distance is NULL", fn);
    double m = 0.0;
    size_t ng = a->Sg * a->C * a->Ag, nl = a->Sl * a->Sg * a->Al;
    for (size_t i = 0; i < ng; ++i) m = fmax(m, fabs(a->pg[i] - b->pg[i]));
    for (size_t i = 0; i < nl; ++i) m = fmax(m, fabs(a->pl[i] - b->pl[i]));
    *distance = m;
    return MARL_OK;
}
