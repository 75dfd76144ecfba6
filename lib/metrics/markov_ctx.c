/* Reusable exact evaluation context for iterative solvers (see
 * markov_metrics.h): one workspace per game, one LU of I - gamma P_pi per
 * evaluation shared by V, the averaged Q/advantages and the visitation.
 * SPDX-License-Identifier: MIT */
#include "markov_metrics.h"

#include "core/linalg.h"

#include <string.h>

int marl_markov_ctx_new(marl_markov_ctx **out, const marl_game *game,
                        const char *fn) {
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    marl_markov_ctx *ctx = marl_calloc(1, sizeof *ctx);
    if (!ctx) return marl_error_nomem("the evaluation context");
    int rc = marl_mk_init(&ctx->mk, game, NULL, fn);
    if (!rc) rc = marl_mk_alloc(&ctx->mk, MARL_MK_EVAL | MARL_MK_QS, fn);
    if (rc) {
        marl_free(ctx);
        return rc;
    }
    *out = ctx;
    return MARL_OK;
}

void marl_markov_ctx_free(marl_markov_ctx *ctx) {
    if (!ctx) return;
    marl_mk_release(&ctx->mk);
    marl_free(ctx);
}

int marl_markov_ctx_eval(marl_markov_ctx *ctx, const marl_policy *policy,
                         double *Qbar, double *Abar, double *V, double *d) {
    const char *fn = "marl_markov_ctx_eval";
    if (!ctx) return marl_error(MARL_EINVAL, "%s: ctx is NULL", fn);
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    marl_mk *mk = &ctx->mk;
    int rc = marl_mk_check_policy(mk, policy, fn);
    if (rc) return rc;
    marl_mk_load_policy(mk, policy);
    rc = marl_mk_evaluate(mk, 0, 0, fn);
    if (rc) return rc;
    if (Qbar || Abar) rc = marl_mk_averaged_from(mk, mk->V, Qbar, Abar);
    if (rc) return rc; /* cannot happen: the sizes were validated */
    if (d) { /* (I - gamma P_pi)^T d = mu with the same LU factors */
        memcpy(d, mk->md->mu, mk->S * sizeof(double));
        rc = marl_linalg_lu_solve(mk->S, 1, mk->M, mk->ipiv, 1, d);
        if (rc) return rc; /* idem */
    }
    if (V) memcpy(V, mk->V, mk->N * mk->S * sizeof(double));
    return MARL_OK;
}

int marl_markov_ctx_averaged_from(marl_markov_ctx *ctx,
                                  const marl_policy *policy, const double *W,
                                  double *Qbar) {
    const char *fn = "marl_markov_ctx_averaged_from";
    if (!ctx) return marl_error(MARL_EINVAL, "%s: ctx is NULL", fn);
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!W || !Qbar)
        return marl_error(MARL_EINVAL, "%s: W or Qbar is NULL", fn);
    marl_mk *mk = &ctx->mk;
    int rc = marl_mk_check_policy(mk, policy, fn);
    if (!rc) rc = marl_mk_check_continuation(mk, W, fn);
    if (rc) return rc;
    return marl_mk_averaged_from_policy(mk, policy, W, Qbar);
}
