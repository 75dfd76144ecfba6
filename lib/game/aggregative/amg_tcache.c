/*
 * Cache of transition rows of an aggregative game (see amg_impl.h).
 * SPDX-License-Identifier: MIT
 */
#include "game/aggregative/amg_impl.h"

#include <string.h>

int marl_amg_tcache_init(marl_amg_tcache *c, const marl_amg_data *a,
                         size_t cap) {
    memset(c, 0, sizeof *c);
    if (cap == 0) cap = 1;
    c->key = marl_calloc(2 * cap, sizeof *c->key);
    c->x = marl_calloc(cap * a->d, sizeof *c->x);
    c->rows = marl_calloc(cap * a->S, sizeof *c->rows);
    if (!c->key || !c->x || !c->rows) {
        marl_amg_tcache_free(c);
        return marl_error_nomem("a transition-row cache");
    }
    c->S = a->S;
    c->d = a->d;
    c->cap = cap;
    return MARL_OK;
}

void marl_amg_tcache_free(marl_amg_tcache *c) {
    marl_free(c->key);
    marl_free(c->x);
    marl_free(c->rows);
    memset(c, 0, sizeof *c);
}

void marl_amg_tcache_clear(marl_amg_tcache *c) {
    c->used = 0;
    c->next = 0;
}

int marl_amg_tcache_get(marl_amg_tcache *c, const marl_amg_data *a, size_t h,
                        size_t s, const double *x, const double **row) {
    for (size_t e = 0; e < c->used; ++e)
        if (c->key[2 * e] == h && c->key[2 * e + 1] == s &&
            memcmp(c->x + e * c->d, x, c->d * sizeof *x) == 0) {
            *row = c->rows + e * c->S;
            return MARL_OK;
        }
    size_t e = c->next;
    int rc = marl_amg_transition(a, h, s, x, c->rows + e * c->S);
    if (rc) {
        marl_amg_tcache_clear(c); /* entry e may be half overwritten */
        return rc;
    }
    c->key[2 * e] = h;
    c->key[2 * e + 1] = s;
    memcpy(c->x + e * c->d, x, c->d * sizeof *x);
    c->next = (e + 1) % c->cap;
    if (c->used < c->cap) ++c->used;
    *row = c->rows + e * c->S;
    return MARL_OK;
}
