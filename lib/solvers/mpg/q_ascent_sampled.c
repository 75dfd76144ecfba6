/*
 * `mpg-q-ascent-sampled`: sample-based independent Q-ascent with linear
 * function approximation (seed 002; ALGORITHMS.md §1). Every iteration,
 * for every player i in turn, against the current product policy pi:
 *
 *   critic  w = w_0; for k = 1..K:
 *             s ~ d_mu^pi (normalised): s_0 ~ mu, then T steps under pi with
 *               P(T = t) = (1 - gamma) gamma^t (geometric stopping);
 *             Qhat: from s, a rollout under pi of L steps, P(L = l) =
 *               (1 - gamma) gamma^(l-1), l >= 1, summing player i's
 *               undiscounted rewards (E[Qhat] = Qbar_i^pi(s, a_i), where
 *               a ~ pi(s) is the rollout's first joint action);
 *             w <- Proj_{||w|| <= W}(w - sgd_step * 2 (phi_i(s,a_i)^T w -
 *               Qhat) phi_i(s,a_i))      (gradient of the squared error);
 *             wbar = (1/K) sum_k w_k      (the averaged iterate);
 *   actor   pi_i(.|s) <- P_{Delta^xi}(pi_i(.|s) + alpha phi_i(s,.)^T wbar)
 *           for every s: Euclidean projection onto the simplex, then
 *           (1 - xi) p + xi / |A_i|.
 * w_0 = 0 (option critic_init = zero, the default: a fresh critic every
 * iteration) or player i's last critic iterate w_K of the previous
 * iteration (critic_init = warm, ours: rarely visited (s, a_i) keep their
 * last estimate instead of being pulled to 0 by the averaging, which helps
 * when xi / (|S||A_i|) * K is small).
 * All players' critics are estimated against the same pi^t (independent,
 * simultaneous updates); each player draws its own K samples.
 *
 * Features: one-hot over (s, a_i) by default (d = |S||A_i|, ||phi|| = 1),
 * so phi_i(s,.)^T wbar is the block of wbar for state s; or user-supplied
 * per player through marl_mpg_sampled_set_features (stored in the solver's
 * extension slot, read by create). The SGD step only touches the non-zero
 * coordinates of phi(s,a) and keeps the running norm over those, so
 * one-hot features passed explicitly give the default run bit for bit.
 *
 * Randomness: every draw comes from the solver's sampler
 * (marl_solver_sampler): T and L by inversion of one uniform each from
 * marl_sampler_rng (T = floor(log(1-u)/log(gamma))), s_0 ~ mu by
 * marl_rng_categorical on the same generator, and the trajectories by
 * marl_sampler_rollout (FIXED mode, in chunks), so the same seed gives the
 * same history bit for bit. A failed step restores the generator's state.
 *
 * Options (defaults ours; the seed leaves them open): alpha (0.1, as
 * mpg-q-ascent), k (K, 1000; option names are lower case), xi (0.01),
 * sgd_step (0.05), w_max (0 = automatic: W_i = sqrt(|S||A_i|) max|r| /
 * (1 - gamma), the largest norm of a true Qbar_i, so the projection never
 * excludes it), critic_init (zero | warm), eval_every (1).
 * Metrics: nash_gap, potential, welfare, poa (exact, mpg_common), samples
 * (environment steps consumed by all iterations so far).
 * SPDX-License-Identifier: MIT
 */
#include "solvers/mpg/mpg_common.h"
#include "policy/simplex.h"

#include <stdint.h>
#include <string.h>

static const char NAME[] = "mpg-q-ascent-sampled";

#define QAS_CHUNK 256 /* steps per sampler call */

enum { QAS_M_SAMPLES = MARL_MPG_N_COMMON, QAS_N_METRICS };

static const char *const qas_metric_names[QAS_N_METRICS] = {
    MARL_MPG_COMMON_METRIC_NAMES, "samples"};

static const marl_option_def qas_options[] = {
    {"alpha", MARL_OPTION_REAL, "actor step size (>= 0)", 0, 0, 0, 0.1, 0.0,
     HUGE_VAL, NULL, NULL},
    {"k", MARL_OPTION_INT, "critic samples per player and iteration", 1000,
     1, 1LL << 32, 0.0, 0.0, 0.0, NULL, NULL},
    {"xi", MARL_OPTION_REAL,
     "exploration: policies stay in (1 - xi) Delta + xi uniform", 0, 0, 0,
     0.01, 0.0, 1.0, NULL, NULL},
    {"sgd_step", MARL_OPTION_REAL,
     "critic SGD step on the squared error (0 freezes the critic)", 0, 0, 0,
     0.05, 0.0, 0.5, NULL, NULL},
    {"w_max", MARL_OPTION_REAL,
     "radius of the critic's ball (0 = sqrt(|S||A_i|) max|r| / (1-gamma))",
     0, 0, 0, 0.0, 0.0, HUGE_VAL, NULL, NULL},
    {"critic_init", MARL_OPTION_ENUM,
     "critic start: zero every iteration, or warm (last iterate)", 0, 0, 0,
     0.0, 0.0, 0.0, "zero|warm", NULL},
    MARL_MPG_OPTION_EVAL_EVERY,
};

/* User features (the solver's extension slot): dim[i] = 0 means one-hot. */
typedef struct qas_features {
    size_t dim[MARL_MARKOV_MAX_AGENTS];
    double *phi[MARL_MARKOV_MAX_AGENTS]; /* [S * A_i * dim[i]] */
} qas_features;

static void features_release(void *data) {
    qas_features *f = data;
    if (!f) return;
    for (size_t i = 0; i < MARL_MARKOV_MAX_AGENTS; ++i) marl_free(f->phi[i]);
    marl_free(f);
}

/* Sampling buffers and parameters of the critic (shared by the solver and
 * the test hook below). */
typedef struct qas_critic {
    marl_game *game;
    marl_sampler *sm;   /* borrowed */
    size_t N, S;
    double gamma, log_gamma;
    double *mu;         /* [S] */
    size_t *states;     /* [QAS_CHUNK + 1] */
    size_t *actions;    /* [QAS_CHUNK * N] */
    double *rewards;    /* [QAS_CHUNK * N] */
    double *w;          /* [largest critic dimension] */
    size_t K;
    double sgd_step;
    uint64_t steps;     /* environment steps taken by this critic */
} qas_critic;

typedef struct qas_state {
    marl_mpg_common c;
    qas_critic cr;
    double alpha, xi;
    double *W;          /* [N] critic radius per player */
    double *probs, *probs_next;        /* flat tables */
    double *wbar, *wlast, *wlast_next; /* critics, agent i at woff[i] */
    size_t woff[MARL_MARKOV_MAX_AGENTS + 1]; /* prefix sums of dim */
    size_t dim[MARL_MARKOV_MAX_AGENTS];      /* critic dimension d_i */
    const double *phi[MARL_MARKOV_MAX_AGENTS]; /* NULL: one-hot; borrowed
                                                  from the solver's slot */
    int warm;
    double *v, *work;   /* [Amax] */
    marl_policy *pi, *next;
    uint64_t samples;   /* committed environment steps */
} qas_state;

static void critic_free(qas_critic *cr) {
    marl_free(cr->mu);
    marl_free(cr->states);
    marl_free(cr->actions);
    marl_free(cr->rewards);
    marl_free(cr->w);
    cr->mu = NULL;
    cr->states = NULL;
    cr->actions = NULL;
    cr->rewards = NULL;
    cr->w = NULL;
}

static int critic_init(qas_critic *cr, marl_game *g, marl_sampler *sm,
                       size_t wn, size_t K, double sgd_step) {
    memset(cr, 0, sizeof *cr);
    cr->game = g;
    cr->sm = sm;
    cr->N = marl_game_num_agents(g);
    cr->S = marl_game_num_states(g);
    cr->gamma = marl_game_discount(g);
    cr->log_gamma = cr->gamma > 0.0 ? log(cr->gamma) : -HUGE_VAL;
    cr->K = K;
    cr->sgd_step = sgd_step;
    cr->mu = marl_calloc(cr->S, sizeof *cr->mu);
    cr->states = cr->mu ? marl_calloc(QAS_CHUNK + 1, sizeof *cr->states) : NULL;
    cr->actions =
        cr->states ? marl_calloc(QAS_CHUNK * cr->N, sizeof *cr->actions) : NULL;
    cr->rewards =
        cr->actions ? marl_calloc(QAS_CHUNK * cr->N, sizeof *cr->rewards) : NULL;
    cr->w = cr->rewards ? marl_calloc(wn, sizeof *cr->w) : NULL;
    if (!cr->w) {
        critic_free(cr);
        return marl_error_nomem("the mpg-q-ascent-sampled critic buffers");
    }
    int rc = marl_markov_initial(g, cr->mu);
    if (rc) critic_free(cr);
    return rc;
}

/* Number of continuations T with P(T = t) = (1 - gamma) gamma^t. */
static uint64_t draw_geometric(qas_critic *cr, marl_rng *rng) {
    double u = marl_rng_uniform(rng);
    if (cr->gamma <= 0.0) return 0;
    double t = floor(log1p(-u) / cr->log_gamma);
    return t < 1.8e19 ? (uint64_t)t : UINT64_MAX;
}

/* Walk `steps` steps under pi from *state (updates *state); if agent is
 * not (size_t)-1, add agent's rewards to *sum and report the first joint
 * step's action of agent through *first_action. */
static int walk(qas_critic *cr, const marl_policy *pi, size_t *state,
                uint64_t steps, size_t agent, double *sum,
                size_t *first_action) {
    int first = 1;
    while (steps > 0) {
        size_t m = steps > QAS_CHUNK ? QAS_CHUNK : (size_t)steps, len = 0;
        int rc = marl_sampler_rollout(cr->sm, pi, *state, m,
                                      MARL_ROLLOUT_FIXED, cr->states,
                                      cr->actions, cr->rewards, &len);
        if (rc) return rc;
        if (agent != (size_t)-1) {
            if (first) *first_action = cr->actions[agent];
            for (size_t t = 0; t < len; ++t)
                *sum += cr->rewards[t * cr->N + agent];
        }
        first = 0;
        cr->steps += len;
        *state = cr->states[len];
        steps -= len;
    }
    return MARL_OK;
}

/* Projected SGD critic of `agent` (A actions) against pi with features phi
 * ([S*A*d], NULL: one-hot, then d = S*A), from w0[d] (NULL: 0); wbar[d]
 * receives the averaged iterate, wlast[d] (may be NULL) the last one. W:
 * radius of the ball. */
static int critic_run(qas_critic *cr, const marl_policy *pi, size_t agent,
                      size_t A, size_t d, const double *phi, double W,
                      const double *w0, double *wbar, double *wlast) {
    marl_rng *rng = marl_sampler_rng(cr->sm);
    double *w = cr->w, norm2 = 0.0;
    if (w0) {
        memcpy(w, w0, d * sizeof *w);
        for (size_t x = 0; x < d; ++x) norm2 += w[x] * w[x];
    } else {
        memset(w, 0, d * sizeof *w);
    }
    memset(wbar, 0, d * sizeof *wbar);
    for (size_t k = 0; k < cr->K; ++k) {
        size_t s = 0, a = 0;
        int rc = marl_rng_categorical(rng, cr->mu, cr->S, &s);
        if (rc) return rc;
        uint64_t T = draw_geometric(cr, rng);
        rc = walk(cr, pi, &s, T, (size_t)-1, NULL, NULL);
        if (rc) return rc;
        uint64_t L = draw_geometric(cr, rng);
        L = L == UINT64_MAX ? L : L + 1;
        double qhat = 0.0;
        size_t at = s;
        rc = walk(cr, pi, &at, L, agent, &qhat, &a);
        if (rc) return rc;
        if (!phi) { /* one-hot feature e_{(s,a)}: only that coordinate moves */
            size_t c = s * A + a;
            double old = w[c], upd = old - cr->sgd_step * 2.0 * (old - qhat);
            norm2 += upd * upd - old * old;
            w[c] = upd;
        } else { /* only the non-zero coordinates of phi(s,a) move */
            const double *f = phi + (s * A + a) * d;
            double pred = 0.0;
            for (size_t x = 0; x < d; ++x)
                if (f[x] != 0.0) pred += f[x] * w[x];
            double g = cr->sgd_step * 2.0 * (pred - qhat);
            for (size_t x = 0; x < d; ++x)
                if (f[x] != 0.0) {
                    double old = w[x], upd = old - g * f[x];
                    norm2 += upd * upd - old * old;
                    w[x] = upd;
                }
        }
        /* the running norm is recomputed exactly every 1024 samples and
         * before any projection, so rounding never accumulates */
        if (norm2 > W * W || (k & 1023u) == 1023u) {
            norm2 = 0.0;
            for (size_t x = 0; x < d; ++x) norm2 += w[x] * w[x];
        }
        if (norm2 > W * W) {
            double scale = W / sqrt(norm2);
            for (size_t x = 0; x < d; ++x) w[x] *= scale;
            norm2 = W * W;
        }
        for (size_t x = 0; x < d; ++x) wbar[x] += w[x];
    }
    for (size_t x = 0; x < d; ++x) wbar[x] /= (double)cr->K;
    if (wlast) memcpy(wlast, w, d * sizeof *w);
    return MARL_OK;
}

/* Test hooks (internal, not exported): the averaged critic of `agent`
 * under `policy` with a fresh sampler seeded `seed`; wbar[S*A_agent]
 * (one-hot), or wbar[dim] with features phi[S*A_agent*dim] (_phi; phi NULL
 * = one-hot, dim ignored; phi is not validated). W = 0 means automatic. */
int marl_mpg_sampled_critic(marl_game *game, const marl_policy *policy,
                            uint64_t seed, size_t agent, size_t K,
                            double sgd_step, double W, double *wbar);
int marl_mpg_sampled_critic_phi(marl_game *game, const marl_policy *policy,
                                uint64_t seed, size_t agent, size_t K,
                                double sgd_step, double W, size_t dim,
                                const double *phi, double *wbar);

static double auto_radius(const marl_mpg_common *c, size_t i, double rmax) {
    return sqrt((double)(c->S * c->A[i])) * rmax / (1.0 - c->gamma);
}

/* max |r_i(s, j)| over everything. */
static int max_abs_reward(marl_game *g, double *out) {
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g),
           J = marl_markov_num_joint(g);
    double m = 0.0, r;
    for (size_t i = 0; i < N; ++i)
        for (size_t s = 0; s < S; ++s)
            for (size_t j = 0; j < J; ++j) {
                int rc = marl_markov_reward(g, i, s, j, &r);
                if (rc) return rc;
                if (fabs(r) > m) m = fabs(r);
            }
    *out = m;
    return MARL_OK;
}

int marl_mpg_sampled_critic(marl_game *game, const marl_policy *policy,
                            uint64_t seed, size_t agent, size_t K,
                            double sgd_step, double W, double *wbar) {
    return marl_mpg_sampled_critic_phi(game, policy, seed, agent, K, sgd_step,
                                       W, 0, NULL, wbar);
}

int marl_mpg_sampled_critic_phi(marl_game *game, const marl_policy *policy,
                                uint64_t seed, size_t agent, size_t K,
                                double sgd_step, double W, size_t dim,
                                const double *phi, double *wbar) {
    if (!game || !policy || !wbar || K == 0 ||
        marl_game_kind(game) != MARL_GAME_MARKOV ||
        agent >= marl_game_num_agents(game) || (phi && dim == 0))
        return marl_error(MARL_EINVAL, "marl_mpg_sampled_critic: bad input");
    size_t A = marl_game_num_actions(game, agent),
           d = phi ? dim : marl_game_num_states(game) * A;
    marl_sampler *sm = NULL;
    qas_critic cr;
    int rc = marl_sampler_new(&sm, game, seed);
    if (rc) return rc;
    rc = critic_init(&cr, game, sm, d, K, sgd_step);
    if (rc) {
        marl_sampler_free(sm);
        return rc;
    }
    if (W <= 0.0) {
        double rmax = 0.0;
        rc = max_abs_reward(game, &rmax);
        W = sqrt((double)(cr.S * A)) * rmax / (1.0 - cr.gamma);
    }
    if (!rc) rc = critic_run(&cr, policy, agent, A, d, phi, W, NULL, wbar,
                             NULL);
    critic_free(&cr);
    marl_sampler_free(sm);
    return rc;
}

static void qas_destroy(void *state) {
    qas_state *st = state;
    if (!st) return;
    critic_free(&st->cr);
    marl_free(st->W);
    marl_free(st->probs);
    marl_free(st->probs_next);
    marl_free(st->wbar);
    marl_free(st->wlast);
    marl_free(st->wlast_next);
    marl_free(st->v);
    marl_free(st->work);
    marl_policy_free(st->pi);
    marl_policy_free(st->next);
    marl_free(st);
}

static int qas_read_options(qas_state *st, marl_solver *solver,
                            long long *K, double *sgd, double *wmax) {
    const marl_options *o = marl_solver_options(solver);
    long long warm = 0;
    int rc = marl_options_get_real(o, "alpha", &st->alpha);
    if (!rc) rc = marl_options_get_int(o, "critic_init", &warm);
    st->warm = warm == 1;
    if (!rc) rc = marl_options_get_real(o, "xi", &st->xi);
    if (!rc) rc = marl_options_get_int(o, "k", K);
    if (!rc) rc = marl_options_get_real(o, "sgd_step", sgd);
    if (!rc) rc = marl_options_get_real(o, "w_max", wmax);
    return rc;
}

/* Critic dimensions and features from the solver's extension slot (user
 * features) or one-hot; *dmax = the largest dimension. */
static int qas_read_features(qas_state *st, marl_solver *solver,
                             size_t *dmax) {
    const marl_mpg_common *c = &st->c;
    const marl_solver_ext *ext = marl_solver_extension(solver);
    const qas_features *f = ext && ext->release == features_release
                                ? ext->data : NULL;
    *dmax = 0;
    for (size_t i = 0; i < c->N; ++i) {
        st->phi[i] = f && f->phi[i] ? f->phi[i] : NULL;
        st->dim[i] = st->phi[i] ? f->dim[i] : c->S * c->A[i];
        if (!marl_add_size(st->woff[i], st->dim[i], &st->woff[i + 1]))
            return marl_error(MARL_ERANGE, "%s: the critics are too large",
                              NAME);
        if (st->dim[i] > *dmax) *dmax = st->dim[i];
    }
    return MARL_OK;
}

static double *critic_table_new(const qas_state *st) {
    double *x = marl_calloc(st->woff[st->c.N], sizeof *x);
    if (!x) marl_error_nomem("the mpg-q-ascent-sampled critic table");
    return x;
}

static int qas_create(marl_solver *solver, void **out) {
    qas_state *st = marl_calloc(1, sizeof *st);
    if (!st) return marl_error_nomem("the mpg-q-ascent-sampled state");
    long long K = 1;
    double sgd = 0.0, wmax = 0.0, rmax = 0.0;
    marl_mpg_common *c = &st->c;
    int rc = marl_mpg_common_init(c, solver, NAME);
    if (!rc) rc = qas_read_options(st, solver, &K, &sgd, &wmax);
    marl_sampler *sm = NULL;
    if (!rc) {
        sm = marl_solver_sampler(solver);
        if (!sm) rc = MARL_ENOMEM; /* error recorded by the framework */
    }
    size_t dmax = 0;
    if (!rc) rc = qas_read_features(st, solver, &dmax);
    if (!rc) rc = critic_init(&st->cr, c->game, sm, dmax, (size_t)K, sgd);
    if (!rc) {
        st->W = marl_calloc(c->N, sizeof *st->W);
        st->v = st->W ? marl_calloc(c->Amax, sizeof *st->v) : NULL;
        st->work = st->v ? marl_calloc(c->Amax, sizeof *st->work) : NULL;
        if (!st->work) rc = marl_error_nomem("the mpg-q-ascent-sampled rows");
    }
    if (!rc) {
        st->probs = marl_mpg_table_new(c, "the policy table");
        st->probs_next = st->probs ? marl_mpg_table_new(c, "the policy table")
                                   : NULL;
        st->wbar = st->probs_next ? critic_table_new(st) : NULL;
        if (!st->wbar) rc = MARL_ENOMEM;
    }
    if (!rc && st->warm) {
        st->wlast = critic_table_new(st);
        st->wlast_next = st->wlast ? critic_table_new(st) : NULL;
        if (!st->wlast_next) rc = MARL_ENOMEM;
    }
    if (!rc) rc = marl_mpg_policy_new(c, 0, &st->pi);
    if (!rc) rc = marl_mpg_policy_new(c, 0, &st->next);
    int given = 0;
    if (!rc) rc = marl_mpg_initial_probs(c, solver, st->probs, &given);
    if (!rc && wmax == 0.0) rc = max_abs_reward(c->game, &rmax);
    if (rc) {
        qas_destroy(st);
        return rc;
    }
    for (size_t i = 0; i < c->N; ++i)
        st->W[i] = wmax > 0.0 ? wmax : auto_radius(c, i, rmax);
    if (given) marl_mpg_store(c, st->pi, st->probs);
    else
        for (size_t i = 0; i < c->N; ++i)
            for (size_t k = 0; k < c->S * c->A[i]; ++k)
                st->probs[marl_mpg_block(c, i) + k] = 1.0 / (double)c->A[i];
    *out = st;
    return MARL_OK;
}

/* phi(s,a)^T wbar for row x = s * A + a (one-hot when phi is NULL). */
static double qas_value(const double *phi, const double *wbar, size_t d,
                        size_t x) {
    if (!phi) return wbar[x];
    const double *f = phi + x * d;
    double q = 0.0;
    for (size_t k = 0; k < d; ++k)
        if (f[k] != 0.0) q += f[k] * wbar[k];
    return q;
}

static int qas_step(marl_solver *solver, void *state, double *metrics) {
    (void)solver;
    qas_state *st = state;
    const marl_mpg_common *c = &st->c;
    marl_rng *rng = marl_sampler_rng(st->cr.sm);
    uint64_t saved[4];
    int rc = marl_rng_get_state(rng, saved);
    if (rc) return rc;
    st->cr.steps = 0;
    for (size_t i = 0; i < c->N && !rc; ++i) {
        size_t b = marl_mpg_block(c, i), A = c->A[i], wb = st->woff[i],
               d = st->dim[i];
        const double *phi = st->phi[i], *wbar = st->wbar + wb;
        rc = critic_run(&st->cr, st->pi, i, A, d, phi, st->W[i],
                        st->warm ? st->wlast + wb : NULL, st->wbar + wb,
                        st->warm ? st->wlast_next + wb : NULL);
        for (size_t s = 0; s < c->S && !rc; ++s) {
            const double *p = st->probs + b + s * A;
            double *out = st->probs_next + b + s * A;
            for (size_t a = 0; a < A; ++a)
                st->v[a] = p[a] + st->alpha * qas_value(phi, wbar, d,
                                                        s * A + a);
            marl_simplex_project(st->v, A, out, st->work);
            for (size_t a = 0; a < A; ++a)
                out[a] = (1.0 - st->xi) * out[a] + st->xi / (double)A;
        }
    }
    if (!rc) {
        marl_mpg_store(c, st->next, st->probs_next);
        rc = marl_mpg_metrics(&st->c, st->next, c->t + 1, metrics);
    }
    if (rc) {
        marl_rng_set_state(rng, saved);
        return rc;
    }
    marl_policy *tp = st->pi;
    st->pi = st->next;
    st->next = tp;
    double *tt = st->probs;
    st->probs = st->probs_next;
    st->probs_next = tt;
    if (st->warm) {
        tt = st->wlast;
        st->wlast = st->wlast_next;
        st->wlast_next = tt;
    }
    st->samples += st->cr.steps;
    st->c.t++;
    metrics[QAS_M_SAMPLES] = (double)st->samples;
    return MARL_OK;
}

static const marl_policy *qas_policy(const void *state) {
    return ((const qas_state *)state)->pi;
}

const marl_solver_type marl_solver_mpg_q_ascent_sampled = {
    .version = MARL_SOLVER_TYPE_VERSION,
    .name = NAME,
    .summary = "sample-based independent Q-ascent: projected-SGD linear "
               "critic (one-hot or user features), xi-greedy simplex actor "
               "(seed 002)",
    .game_kinds = MARL_KIND_BIT(MARL_GAME_MARKOV),
    .options = qas_options,
    .n_options = sizeof qas_options / sizeof qas_options[0],
    .metric_names = qas_metric_names,
    .n_metrics = QAS_N_METRICS,
    .primary_metric = MARL_MPG_M_NASH_GAP,
    .create = qas_create,
    .step = qas_step,
    .policy = qas_policy,
    .destroy = qas_destroy,
};

/* ---- user features (public: mpg.h) --------------------------------------- */

int marl_mpg_sampled_set_features(marl_solver *solver, size_t agent,
                                  size_t dim, const double *phi) {
    static const char fn[] = "marl_mpg_sampled_set_features";
    if (!solver) return marl_error(MARL_EINVAL, "%s: solver is NULL", fn);
    const marl_solver_type *type = marl_solver_get_type(solver);
    if (type != &marl_solver_mpg_q_ascent_sampled)
        return marl_error(MARL_EINVAL,
                          "%s: the solver is of type \"%s\", not \"%s\"", fn,
                          type->name, NAME);
    size_t iters = marl_solver_iterations(solver);
    if (iters > 0)
        return marl_error(MARL_EINVAL,
                          "%s: the solver has already run %zu iteration%s; "
                          "features are fixed until marl_solver_reset",
                          fn, iters, iters == 1 ? "" : "s");
    marl_game *g = marl_solver_game(solver);
    size_t N = marl_game_num_agents(g), S = marl_game_num_states(g);
    if (agent >= N)
        return marl_error(MARL_ERANGE, "%s: agent %zu is out of range (the "
                          "game has %zu agents)", fn, agent, N);
    size_t A = marl_game_num_actions(g, agent), rows = 0, n = 0;
    double *copy = NULL;
    if (phi) {
        if (dim == 0)
            return marl_error(MARL_EINVAL, "%s: dim is 0 (agent %zu)", fn,
                              agent);
        if (!marl_mul_size(S, A, &rows) || !marl_mul_size(rows, dim, &n) ||
            n > SIZE_MAX / sizeof(double))
            return marl_error(MARL_ERANGE, "%s: the feature table of agent "
                              "%zu (%zu states, %zu actions, dim %zu) is too "
                              "large", fn, agent, S, A, dim);
        for (size_t x = 0; x < rows; ++x) {
            const double *f = phi + x * dim;
            double norm2 = 0.0;
            for (size_t k = 0; k < dim; ++k) {
                if (!isfinite(f[k]))
                    return marl_error(MARL_EINVAL, "%s: feature %zu of agent "
                                      "%zu, state %zu, action %zu is not "
                                      "finite", fn, k, agent, x / A, x % A);
                norm2 += f[k] * f[k];
            }
            if (!(sqrt(norm2) <= 1.0 + 1e-12))
                return marl_error(MARL_EINVAL, "%s: the feature vector of "
                                  "agent %zu, state %zu, action %zu has norm "
                                  "%.17g, expected <= 1", fn, agent, x / A,
                                  x % A, sqrt(norm2));
        }
        copy = marl_calloc(n, sizeof *copy);
        if (!copy) return marl_error_nomem("the feature table");
        memcpy(copy, phi, n * sizeof *copy);
    }
    marl_solver_ext *ext = marl_solver_extension(solver);
    qas_features *f = ext->data;
    if (!f) {
        if (!copy) return MARL_OK; /* one-hot already */
        f = marl_calloc(1, sizeof *f);
        if (!f) {
            marl_free(copy);
            return marl_error_nomem("the feature set");
        }
        ext->data = f;
        ext->release = features_release;
    }
    /* a state built before (marl_solver_policy) borrows the old table: drop
     * it (no iteration has run, so reset only discards that state) */
    marl_solver_reset(solver);
    marl_free(f->phi[agent]);
    f->phi[agent] = copy;
    f->dim[agent] = copy ? dim : 0;
    return MARL_OK;
}
