/*
 * `alternating-glearn` (G-LEARN; ALGORITHMS.md §4, seed 004 Alg. 2): the
 * global agent's best response to the fixed local policy pi_l, by value
 * iteration on the MDP over (s_g, c), c the count vector of the k sampled
 * local agents (ranked as in counts.h):
 *   Q(s_g,c,a) <- r_g(s_g,a) + (1/k) sum_j c_j r~_l(j,s_g)
 *                 + gamma sum_{s_g'} P_g(s_g'|s_g,a) E_{c'|s_g,c} V(s_g',c'),
 *   V = max_a Q (Jacobi sweeps from Q = 0).
 * The law of c' (independent of a and of s_g') is fixed once in create, as
 * a sparse row per (s_g, c), by the option `estimator`:
 *   sampled  m draws of c' (the seed's empirical operator; c' is drawn once
 *            per (s_g, c) and reused for every a_g and every sweep; the
 *            expectation over s_g' uses P_g exactly),
 *   exact    the convolution of multinomials (small k),
 *   expected the expected next counts rounded by largest remainder (ties
 *            to the lower index): the public reference implementation.
 * Stops (MARL_CONVERGED) when the sweep's ||Delta Q||_inf <= tol (tol > 0)
 * or after max_sweeps sweeps (max_sweeps > 0). The global policy is greedy
 * in Q after every sweep (ties to the lowest action); the local policy is
 * the starting policy's (marl_alternating_set_policy), else uniform.
 * Off-policy Q-learning (method = offpolicy): glearn_offpolicy.c.
 * SPDX-License-Identifier: MIT
 */
#include "solvers/alternating/glearn/glearn.h"

#include "core/options_internal.h"
#include "core/rng_impl.h"

#include <math.h>
#include <string.h>
#ifdef MARL_HAVE_OPENMP
#include <omp.h>
#endif

static const char NAME[] = "alternating-glearn";

static const char *const gl_metric_names[GLEARN_N_METRICS] = {
    "residual", "states", "visits"};

static const marl_option_def gl_options[] = {
    {"k", MARL_OPTION_INT, "number k of sampled local agents (1..n)", 4, 1,
     1000000, 0, 0, 0, NULL, NULL},
    {"estimator", MARL_OPTION_ENUM,
     "law of the next count vector: sampled (m draws, the seed), exact "
     "(convolution, small k) or expected (rounded mean, the reference code)",
     0, 0, 0, 0, 0, 0, "sampled|exact|expected", NULL},
    {"m", MARL_OPTION_INT,
     "Monte-Carlo draws of c' per (s_g, c) for estimator=sampled (seed: 30)",
     30, 1, 1000000, 0, 0, 0, NULL, NULL},
    {"tol", MARL_OPTION_REAL,
     "stop when the sweep's ||Delta Q||_inf <= tol (0 = never)", 0, 0, 0,
     1e-6, 0.0, HUGE_VAL, NULL, NULL},
    {"max_sweeps", MARL_OPTION_INT,
     "stop after this many sweeps (0 = no limit; the reference runs 100)",
     1000, 0, 1000000000, 0, 0, 0, NULL, NULL},
    {"method", MARL_OPTION_ENUM,
     "vi (value iteration on the count-vector MDP) or offpolicy (Q-learning "
     "from one epsilon-greedy behaviour trajectory, seed App. E)",
     0, 0, 0, 0, 0, 0, "vi|offpolicy", NULL},
    {"steps", MARL_OPTION_INT,
     "offpolicy: behaviour transitions per step (iteration)", 10000, 1,
     1000000000, 0, 0, 0, NULL, NULL},
    {"epsilon", MARL_OPTION_REAL,
     "offpolicy: exploration probability of the epsilon-greedy behaviour", 0,
     0, 0, 0.1, 0.0, 1.0, NULL, NULL},
    {"threads", MARL_OPTION_INT,
     "OpenMP threads of the sweeps (0 = the OpenMP default; results do not "
     "depend on it)", 1, 0, 1024, 0, 0, 0, NULL, NULL},
    {"lr_power", MARL_OPTION_REAL,
     "offpolicy: learning rate eta = 1 / visits(s_g,c,a)^lr_power", 0, 0, 0,
     0.8, 0.5, 1.0, NULL, NULL},
};

enum { OPT_K, OPT_EST, OPT_M, OPT_TOL, OPT_MAXS, OPT_METHOD, OPT_STEPS,
       OPT_EPS, OPT_THREADS, OPT_LRP };

static void gl_destroy(void *state) {
    glearn_state *st = state;
    if (!st) return;
    marl_gl_policy_free(st->hdr.policy);
    marl_free(st->Q);
    marl_free(st->V);
    marl_free(st->Vn);
    marl_free(st->rc);
    marl_free(st->Pt);
    marl_free(st->off);
    marl_free(st->succ);
    marl_free(st->w);
    marl_free(st->Wb);
    marl_free(st->arg);
    marl_glearn_expected_free(st->ex);
    marl_free(st->visits);
    marl_free(st->agents);
    marl_free(st->tmp64);
    marl_free(st);
}

/* r~_l and P~_l of the fixed local policy. */
static void marginalise(glearn_state *st, const marl_gl_data *d) {
    const marl_gl_policy *p = st->hdr.policy;
    const size_t Sl = d->Sl, Sg = d->Sg, Al = d->Al;
    for (size_t s = 0; s < Sg; ++s)
        for (size_t j = 0; j < Sl; ++j) {
            const double *pi = p->pl + (j * Sg + s) * Al;
            double r = 0.0;
            double *row = st->Pt + (s * Sl + j) * Sl;
            for (size_t jp = 0; jp < Sl; ++jp) row[jp] = 0.0;
            for (size_t a = 0; a < Al; ++a) {
                size_t e = (j * Sg + s) * Al + a;
                r += pi[a] * d->rl[e];
                for (size_t jp = 0; jp < Sl; ++jp)
                    row[jp] += pi[a] * d->Pl[e * Sl + jp];
            }
            st->rt[s * Sl + j] = r;
        }
}

static int gl_create(marl_solver *solver, void **out) {
    static const char fn[] = "alternating-glearn";
    const marl_options *o = marl_solver_options(solver);
    const marl_gl_data *d = marl_gl_of(marl_solver_game(solver));
    if (!d) return marl_error(MARL_EKIND, "%s: not a global-local game", fn);
    size_t k = (size_t)marl_options_int_at(o, OPT_K);
    if (k > d->n)
        return marl_error(MARL_EINVAL, "%s: option k = %zu exceeds n = %zu",
                          fn, k, d->n);
    glearn_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the alternating-glearn state");
    int rc = marl_alt_initial_policy(solver, k, fn, &st->hdr.policy);
    if (rc) {
        gl_destroy(st);
        return rc;
    }
    st->d = d;
    st->k = k;
    st->C = st->hdr.policy->C;
    st->S = d->Sg * st->C;
    st->gamma = marl_game_discount(marl_solver_game(solver));
    st->estimator = (int)marl_options_int_at(o, OPT_EST);
    st->m = (size_t)marl_options_int_at(o, OPT_M);
    st->tol = marl_options_real_at(o, OPT_TOL);
    st->max_sweeps = (size_t)marl_options_int_at(o, OPT_MAXS);
    st->method = (int)marl_options_int_at(o, OPT_METHOD);
    st->steps = (size_t)marl_options_int_at(o, OPT_STEPS);
    st->epsilon = marl_options_real_at(o, OPT_EPS);
    st->lr_power = marl_options_real_at(o, OPT_LRP);
    st->threads = (int)marl_options_int_at(o, OPT_THREADS);
#ifdef MARL_HAVE_OPENMP
    if (st->threads == 0) st->threads = omp_get_max_threads();
#else
    st->threads = 1;
#endif
    if (st->threads < 1) st->threads = 1;
    st->seed = marl_solver_seed(solver);
    const size_t nq = st->S * d->Ag; /* <= MARL_GL_MAX_ENTRIES (policy) */
    /* estimator expected keeps its own tables over the successor count
     * vectors (glearn_expected.c) */
    const int expected = st->method == GLEARN_VI &&
                         st->estimator == GLEARN_EXPECTED;
    st->Pt = marl_calloc(d->Sg * d->Sl * d->Sl + d->Sg * d->Sl,
                         sizeof *st->Pt);
    int ok = st->Pt != NULL;
    if (!expected) {
        st->Q = marl_calloc(nq, sizeof *st->Q);
        st->rc = marl_calloc(st->S, sizeof *st->rc);
        ok = ok && st->Q && st->rc;
        if (st->method == GLEARN_VI) {
            st->V = marl_calloc(st->S, sizeof *st->V);
            st->Vn = marl_calloc(st->S, sizeof *st->Vn);
            st->Wb = marl_calloc((size_t)st->threads * d->Sg * GLEARN_B,
                                 sizeof *st->Wb);
            st->arg = marl_malloc(st->S * sizeof *st->arg);
            ok = ok && st->V && st->Vn && st->Wb && st->arg;
        }
    }
    if (!ok) {
        gl_destroy(st);
        return marl_error_nomem("the alternating-glearn tables");
    }
    if (st->arg)
        for (size_t i = 0; i < st->S; ++i) st->arg[i] = UINT32_MAX;
    st->rt = st->Pt + d->Sg * d->Sl * d->Sl;
    marginalise(st, d);
    rc = st->method == GLEARN_OFFPOLICY ? marl_glearn_offpolicy_init(st)
                                        : marl_glearn_build_successors(st);
    if (rc) {
        gl_destroy(st);
        return rc;
    }
    *out = st;
    return MARL_OK;
}

/* Running max and argmax over actions of a block: action a's values q
 * (a == 0 initialises; strict > keeps the lowest action on ties). */
GLEARN_INLINE void argmax_update(double *restrict best,
                                 uint32_t *restrict barg,
                                 const double *restrict q, size_t a,
                                 size_t nb) {
    if (a == 0) {
        for (size_t j = 0; j < nb; ++j) {
            best[j] = q[j];
            barg[j] = 0;
        }
        return;
    }
    for (size_t j = 0; j < nb; ++j) {
        const int better = q[j] > best[j];
        best[j] = better ? q[j] : best[j];
        barg[j] = better ? (uint32_t)a : barg[j];
    }
}

/* Sparse successor laws (sampled, exact): update the states
 * (s, c0 .. c0 + nb - 1) (nb <= GLEARN_B); returns the block's max
 * |Delta Q|. Written with inner loops over the block so that they
 * vectorise (nb is a constant in the main call). (Storing V as [c][s'],
 * one cache line per successor entry, measured 10-20 % slower: the sums
 * per s' then go through memory.) */
GLEARN_INLINE double sweep_block(glearn_state *st, double *scratch, size_t s,
                                 size_t c0, size_t nb) {
    const marl_gl_data *d = st->d;
    const size_t Sg = d->Sg, Ag = d->Ag, C = st->C, i0 = s * C + c0;
    const double *restrict V = st->V, *restrict rc = st->rc + i0;
    double *restrict Wb = scratch;
    /* local arrays: provably unaliased, so the loops over j vectorise */
    double q[GLEARN_B], best[GLEARN_B];
    uint32_t barg[GLEARN_B];
    /* expected next values, per next global state */
    for (size_t j = 0; j < nb; ++j) {
        const size_t e0 = st->off[i0 + j], e1 = st->off[i0 + j + 1];
        for (size_t sp = 0; sp < Sg; ++sp) {
            const double *v = V + sp * C;
            double acc = 0.0;
            for (size_t e = e0; e < e1; ++e)
                acc += st->w[e] * v[st->succ[e]];
            Wb[sp * GLEARN_B + j] = acc;
        }
    }
    double res = 0.0;
    for (size_t a = 0; a < Ag; ++a) {
        const double *Pg = d->Pg + (s * Ag + a) * Sg;
        const double r = d->rg[s * Ag + a];
        for (size_t j = 0; j < nb; ++j) q[j] = r + rc[j];
        for (size_t sp = 0; sp < Sg; ++sp) {
            const double p = st->gamma * Pg[sp];
            const double *restrict wb = Wb + sp * GLEARN_B;
            for (size_t j = 0; j < nb; ++j) q[j] += p * wb[j];
        }
        double *restrict Q = st->Q + (s * Ag + a) * C + c0;
        argmax_update(best, barg, q, a, nb);
        for (size_t j = 0; j < nb; ++j) {
            const double diff = fabs(q[j] - Q[j]);
            res = diff > res ? diff : res;
            Q[j] = q[j];
        }
    }
    double *restrict Vn = st->Vn + i0;
    for (size_t j = 0; j < nb; ++j) Vn[j] = best[j];
    uint32_t *restrict arg = st->arg + i0;
    double *pg = st->hdr.policy->pg + i0 * Ag;
    for (size_t j = 0; j < nb; ++j)
        if (arg[j] != barg[j]) {
            double *pr = pg + j * Ag;
            for (size_t a = 0; a < Ag; ++a) pr[a] = 0.0;
            pr[barg[j]] = 1.0;
            arg[j] = barg[j];
        }
    return res;
}

GLEARN_CLONES static double sparse_blocks(glearn_state *st, double *scr,
                                          size_t s, size_t c0, size_t nb) {
    return nb == GLEARN_B ? sweep_block(st, scr, s, c0, GLEARN_B)
                          : sweep_block(st, scr, s, c0, nb);
}

int marl_glearn_threads(const glearn_state *st, size_t work) {
    int t = st->threads;
    if ((size_t)t > work) t = (int)work;
    return t < 1 ? 1 : t;
}

int marl_glearn_thread_id(void) {
#ifdef MARL_HAVE_OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

static double sweep_sparse(glearn_state *st) {
    const size_t Sg = st->d->Sg, C = st->C;
    const size_t scr = Sg * GLEARN_B;
    const long nblk = (long)((C + GLEARN_B - 1) / GLEARN_B);
    const long nrow = (long)(Sg * (size_t)nblk);
    int nt = marl_glearn_threads(st, (size_t)nrow);
    (void)nt;
    double res = 0.0;
#ifdef MARL_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1) \
    reduction(max : res)
#endif
    for (long q = 0; q < nrow; ++q) {
        const size_t s = (size_t)q / (size_t)nblk;
        const size_t c0 = ((size_t)q % (size_t)nblk) * GLEARN_B;
        const size_t nb = C - c0 < GLEARN_B ? C - c0 : GLEARN_B;
        double r = sparse_blocks(
            st, st->Wb + (size_t)marl_glearn_thread_id() * scr, s, c0, nb);
        res = r > res ? r : res;
    }
    double *t = st->V;
    st->V = st->Vn;
    st->Vn = t;
    return res;
}
/* One Jacobi sweep of value iteration; returns ||Delta Q||_inf. The
 * greedy policy (ties to the lowest action) is kept in the state's
 * policy. Bit-identical for any thread count (disjoint writes, exact max
 * reduction). */
static double sweep(glearn_state *st) {
    return st->ex ? marl_glearn_expected_sweep(st) : sweep_sparse(st);
}

double marl_glearn_value(glearn_state *st, size_t s, size_t c) {
    if (st->ex) return marl_glearn_expected_value(st, s, c);
    return st->V ? st->V[s * st->C + c] : NAN;
}

static int gl_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    glearn_state *st = state;
    double res;
    if (st->method == GLEARN_OFFPOLICY) {
        int rc = marl_glearn_offpolicy_step(st, &res);
        if (rc) return rc;
        metrics[2] = (double)st->visited;
    } else {
        res = sweep(st);
    }
    st->sweeps++;
    metrics[0] = res;
    metrics[1] = (double)st->S;
    if ((st->tol > 0.0 && res <= st->tol) ||
        (st->max_sweeps > 0 && st->sweeps >= st->max_sweeps))
        return MARL_CONVERGED;
    return MARL_OK;
}

static const marl_policy *gl_policy(const void *state) {
    (void)state;
    return NULL; /* see marl_alternating_policy */
}

const marl_solver_type marl_solver_alternating_glearn = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "G-LEARN: global agent's best response on the count vectors of "
               "k sampled local agents (seed 004, Alg. 2 and App. E)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_GLOBAL_LOCAL),
    .options = gl_options,
    .n_options = sizeof gl_options / sizeof gl_options[0],
    .metric_names = gl_metric_names,
    .n_metrics = GLEARN_N_METRICS,
    .primary_metric = 0,
    .create = gl_create,
    .step = gl_step,
    .policy = gl_policy,
    .destroy = gl_destroy,
};
