/* Walker alias tables built by Vose's method ("A linear algorithm for
 * generating random numbers with a given distribution", IEEE TSE 1991):
 * O(n) construction, O(1) draws.
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "rng_impl.h"

struct marl_alias {
    size_t n;
    double *prob;  /* [n] probability of keeping column i */
    size_t *alias; /* [n] the other outcome of column i   */
};

void marl_alias_free(marl_alias *a) {
    if (!a) return;
    marl_free(a->prob);
    marl_free(a->alias);
    marl_free(a);
}

int marl_alias_new(marl_alias **out, const double *p, size_t n) {
    if (!out) return marl_error(MARL_EINVAL, "marl_alias_new: out is NULL");
    if (!p) return marl_error(MARL_EINVAL, "marl_alias_new: p is NULL");
    if (n == 0) return marl_error(MARL_EINVAL, "marl_alias_new: n is 0");
    size_t bytes_d, bytes_z;
    if (!marl_mul_size(n, sizeof(double), &bytes_d) ||
        !marl_mul_size(n, sizeof(size_t), &bytes_z))
        return marl_error(MARL_ERANGE, "marl_alias_new: n = %zu is too large",
                          n);
    int rc = marl_check_distribution(p, n, "marl_alias_new: p");
    if (rc) return rc;

    marl_alias *a = marl_calloc(1, sizeof *a);
    size_t *work = NULL;
    if (!a) return marl_error_nomem("an alias table");
    a->n = n;
    a->prob = marl_malloc(bytes_d);
    a->alias = marl_malloc(bytes_z);
    work = marl_malloc(bytes_z);
    if (!a->prob || !a->alias || !work) {
        marl_free(work);
        marl_alias_free(a);
        return marl_error_nomem("an alias table");
    }

    double total = 0.0;
    size_t last_pos = 0;
    for (size_t i = 0; i < n; ++i) {
        total += p[i];
        if (p[i] > 0.0) last_pos = i;
    }
    /* Scaled weights n p_i / total; "small" (< 1) indices are stacked from
     * the front of work, "large" ones from the back. */
    const double scale = (double)n / total;
    size_t ns = 0, nl = 0;
    for (size_t i = 0; i < n; ++i) {
        a->prob[i] = p[i] * scale;
        a->alias[i] = i;
        if (a->prob[i] < 1.0)
            work[ns++] = i;
        else
            work[n - 1 - nl++] = i;
    }
    while (ns > 0 && nl > 0) {
        const size_t s = work[--ns];
        const size_t l = work[n - nl]; /* top of the large stack */
        --nl;
        a->alias[s] = l; /* l has p > 0, so zero entries never come back */
        a->prob[l] = (a->prob[l] + a->prob[s]) - 1.0;
        if (a->prob[l] < 1.0)
            work[ns++] = l;
        else
            work[n - 1 - nl++] = l;
    }
    /* Leftovers differ from 1 only by rounding. */
    while (nl > 0) {
        const size_t l = work[n - nl--];
        a->prob[l] = 1.0;
        a->alias[l] = l;
    }
    while (ns > 0) {
        const size_t s = work[--ns];
        if (p[s] > 0.0) {
            a->prob[s] = 1.0;
            a->alias[s] = s;
        } else {
            a->prob[s] = 0.0;
            a->alias[s] = last_pos;
        }
    }
    marl_free(work);
    *out = a;
    return MARL_OK;
}

int marl_alias_sample(const marl_alias *alias, marl_rng *rng, size_t *out) {
    if (!alias)
        return marl_error(MARL_EINVAL, "marl_alias_sample: alias is NULL");
    if (!rng) return marl_error(MARL_EINVAL, "marl_alias_sample: rng is NULL");
    if (!out) return marl_error(MARL_EINVAL, "marl_alias_sample: out is NULL");
    const size_t col = (size_t)marl_rng_next_below(rng, (uint64_t)alias->n);
    const double u = marl_rng_next_double(rng);
    *out = (u < alias->prob[col]) ? col : alias->alias[col];
    return MARL_OK;
}

size_t marl_alias_size(const marl_alias *alias) {
    return alias ? alias->n : 0;
}
