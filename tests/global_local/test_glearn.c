/*
 * alternating-glearn (G-LEARN) numerics:
 *  - the exact law of c' sums to 1 and matches Monte-Carlo frequencies
 *    (chi-square, fixed seed);
 *  - estimator=exact equals a brute-force value iteration on the joint MDP
 *    of (s_g, s_1, ..., s_k), the k sampled agents as an explicit joint
 *    state (1e-9);
 *  - estimator=sampled converges to exact as m grows (stated tolerance);
 *  - estimator=expected equals an independent re-implementation of the
 *    reference's rule (largest remainder, ties to the lower index) and of
 *    its value iteration;
 *  (stopping rules, seeding, threads and method=offpolicy:
 *  test_glearn_more.c).
 * SPDX-License-Identifier: MIT
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "solvers/alternating/glearn/glearn.h"
#include "solvers/alternating/glearn/glearn_succ.h"
#include "glearntest.h"

/* ---- exact law vs Monte Carlo --------------------------------------------- */

START_TEST(test_exact_law_chi_square) {
    const size_t Sl = 3, k = 4;
    sm_rng r = {42};
    double Pt[9];
    for (size_t j = 0; j < Sl; ++j) gt_dist(&r, Pt + j * Sl, Sl, 0);
    marl_glearn_conv *cv = marl_glearn_conv_new(k, Sl);
    ck_assert_ptr_nonnull(cv);
    size_t C = 0;
    marl_counts_size(k, Sl, &C); /* 15 */
    const size_t cs[3][3] = {{4, 0, 0}, {1, 2, 1}, {0, 1, 3}};
    marl_rng *rng = NULL;
    ck_assert_int_eq(marl_rng_new(&rng, 7), MARL_OK);
    for (int t = 0; t < 3; ++t) {
        const double *law = marl_glearn_conv_law(cv, Pt, cs[t]);
        double sum = 0;
        for (size_t q = 0; q < C; ++q) {
            ck_assert(law[q] >= 0.0);
            sum += law[q];
        }
        ck_assert_double_eq_tol(sum, 1.0, 1e-12);
        /* independent: enumerate the 3^4 joint moves of the 4 agents */
        double brute[64] = {0};
        size_t src[4], u = 0;
        for (size_t j = 0; j < Sl; ++j)
            for (size_t x = 0; x < cs[t][j]; ++x) src[u++] = j;
        for (size_t code = 0; code < 81; ++code) {
            size_t c2[3] = {0, 0, 0}, cc = code;
            double p = 1;
            for (size_t i = 0; i < 4; ++i) {
                size_t to = cc % 3;
                cc /= 3;
                p *= Pt[src[i] * Sl + to];
                c2[to]++;
            }
            size_t rk;
            marl_counts_rank(c2, Sl, k, &rk);
            brute[rk] += p;
        }
        for (size_t q = 0; q < C; ++q)
            ck_assert_double_eq_tol(law[q], brute[q], 1e-14);
        /* chi-square of 40000 draws (bins with expectation >= 5 pooled) */
        const size_t N = 40000;
        double cnt[64] = {0};
        size_t out[3];
        uint64_t tmp[3];
        for (size_t i = 0; i < N; ++i) {
            ck_assert_int_eq(marl_glearn_sample_next(rng, Pt, cs[t], Sl, out,
                                                     tmp), MARL_OK);
            ck_assert_uint_eq(out[0] + out[1] + out[2], k);
            size_t rk;
            marl_counts_rank(out, Sl, k, &rk);
            cnt[rk] += 1;
        }
        double chi = 0, e_rest = 0, o_rest = 0;
        size_t df = 0;
        for (size_t q = 0; q < C; ++q) {
            double e = law[q] * (double)N;
            if (e >= 5) {
                chi += (cnt[q] - e) * (cnt[q] - e) / e;
                ++df;
            } else {
                e_rest += e;
                o_rest += cnt[q];
                if (e == 0) ck_assert(cnt[q] == 0);
            }
        }
        if (e_rest >= 5) {
            chi += (o_rest - e_rest) * (o_rest - e_rest) / e_rest;
            ++df;
        }
        df -= 1;
        /* Wilson-Hilferty 0.999 quantile */
        double h = 2.0 / (9.0 * (double)df);
        double crit = (double)df * pow(1 - h + 3.09 * sqrt(h), 3);
        ck_assert_msg(chi < crit, "chi-square %g >= %g (df %zu)", chi, crit,
                      df);
    }
    marl_rng_free(rng);
    marl_glearn_conv_free(cv);
}
END_TEST

/* ---- exact vs brute force on the joint MDP -------------------------------- */

/* Value iteration on (s_g, s_1..s_k) to convergence; Qb[(s*J + x)*Ag + a]
 * with x the mixed-radix code of (s_1..s_k), agent 1 most significant. */
static double *brute_force(const marg *m, size_t k, double gamma) {
    size_t J = 1;
    for (size_t i = 0; i < k; ++i) J *= m->Sl;
    const size_t NS = m->Sg * J;
    double *Q = calloc(NS * m->Ag, sizeof *Q), *V = calloc(NS, sizeof *V),
           *Vn = calloc(NS, sizeof *Vn), *T = malloc(J * J * m->Sg *
                                                     sizeof *T);
    size_t loc[8], loc2[8];
    /* joint transition of the k agents under s: T[(s*J + x)*J + y] */
    for (size_t s = 0; s < m->Sg; ++s)
        for (size_t x = 0; x < J; ++x) {
            size_t xx = x;
            for (size_t i = k; i-- > 0;) {
                loc[i] = xx % m->Sl;
                xx /= m->Sl;
            }
            for (size_t y = 0; y < J; ++y) {
                size_t yy = y;
                for (size_t i = k; i-- > 0;) {
                    loc2[i] = yy % m->Sl;
                    yy /= m->Sl;
                }
                double p = 1;
                for (size_t i = 0; i < k; ++i)
                    p *= m->Pt[(s * m->Sl + loc[i]) * m->Sl + loc2[i]];
                T[(s * J + x) * J + y] = p;
            }
        }
    for (int it = 0; it < 5000; ++it) {
        double diff = 0;
        for (size_t s = 0; s < m->Sg; ++s)
            for (size_t x = 0; x < J; ++x) {
                size_t xx = x;
                double rl = 0;
                for (size_t i = k; i-- > 0;) {
                    rl += m->rt[s * m->Sl + xx % m->Sl];
                    xx /= m->Sl;
                }
                rl /= (double)k;
                double best = -HUGE_VAL;
                for (size_t a = 0; a < m->Ag; ++a) {
                    double ev = 0;
                    for (size_t sp = 0; sp < m->Sg; ++sp) {
                        double pg = m->Pg[(s * m->Ag + a) * m->Sg + sp];
                        if (pg == 0) continue;
                        double e2 = 0;
                        for (size_t y = 0; y < J; ++y)
                            e2 += T[(s * J + x) * J + y] * V[sp * J + y];
                        ev += pg * e2;
                    }
                    double q = m->rg[s * m->Ag + a] + rl + gamma * ev;
                    Q[(s * J + x) * m->Ag + a] = q;
                    if (q > best) best = q;
                }
                Vn[s * J + x] = best;
                diff = fmax(diff, fabs(best - V[s * J + x]));
            }
        memcpy(V, Vn, NS * sizeof *V);
        if (diff < 1e-14) break;
    }
    free(V);
    free(Vn);
    free(T);
    return Q;
}

START_TEST(test_exact_equals_brute_force) {
    const size_t k = 3, Sg = 2, Ag = 3, Sl = 3, Al = 2;
    const double gamma = 0.8;
    marl_game *g = gt_random_game(101, 10, Sg, Ag, Sl, Al, gamma);
    marl_gl_policy *start = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&start, g, k), MARL_OK);
    gt_random_local(start, g, 5);
    marg m;
    marginalise(&m, g, start);
    double *Qb = brute_force(&m, k, gamma);
    marl_solver *s = glearn(g, start, k, "exact", 1, 0);
    ck_assert_int_eq(marl_solver_set_real(s, "tol", 1e-13), MARL_OK);
    ck_assert_int_eq(marl_solver_run(s, 10000, 0, 0, NULL), MARL_CONVERGED);
    const glearn_state *st = marl_solver_state(s);
    ck_assert_ptr_nonnull(st);
    const marl_gl_policy *pi = marl_alternating_policy(s);
    ck_assert_ptr_nonnull(pi);
    /* every joint state x of the k sampled agents: Q(s, x, a) equals
     * G-LEARN's Q(s, c(x), a) */
    size_t J = 27;
    for (size_t sg = 0; sg < Sg; ++sg)
        for (size_t x = 0; x < J; ++x) {
            size_t c[3] = {0, 0, 0}, xx = x, rank;
            for (size_t i = 0; i < k; ++i) {
                c[xx % Sl]++;
                xx /= Sl;
            }
            marl_counts_rank(c, Sl, k, &rank);
            size_t ab = 0;
            for (size_t a = 0; a < Ag; ++a) {
                double qb = Qb[(sg * J + x) * Ag + a];
                ck_assert_double_eq_tol(q_of(st, sg, rank, a), qb, 1e-9);
                if (qb > Qb[(sg * J + x) * Ag + ab]) ab = a;
            }
            double row[3];
            marl_gl_policy_global_row(pi, sg, rank, row);
            ck_assert(row[ab] == 1.0);
        }
    /* the local policy is the starting one */
    double dist = 1;
    marl_gl_policy *cmp = NULL;
    ck_assert_int_eq(marl_gl_policy_copy(&cmp, pi), MARL_OK);
    for (size_t sg = 0; sg < Sg; ++sg)
        for (size_t r = 0; r < marl_gl_policy_num_counts(cmp); ++r) {
            double row[3];
            marl_gl_policy_global_row(start, sg, r, row);
            marl_gl_policy_set_global_row(cmp, sg, r, row);
        }
    marl_gl_policy_distance(cmp, start, &dist);
    ck_assert(dist == 0.0);
    marl_gl_policy_free(cmp);
    free(Qb);
    marl_solver_free(s);
    marl_gl_policy_free(start);
    marl_game_free(g);
}
END_TEST

/* ---- sampled -> exact ------------------------------------------------------ */

static double q_gap(const glearn_state *a, const glearn_state *b) {
    double d = 0;
    for (size_t i = 0; i < a->S * a->d->Ag; ++i)
        d = fmax(d, fabs(a->Q[i] - b->Q[i]));
    return d;
}

START_TEST(test_sampled_converges_to_exact) {
    const size_t k = 4;
    marl_game *g = gt_random_game(202, 10, 2, 2, 3, 2, 0.7);
    marl_gl_policy *start = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&start, g, k), MARL_OK);
    gt_random_local(start, g, 9);
    marl_solver *ex = glearn(g, start, k, "exact", 1, 0);
    ck_assert_int_eq(marl_solver_set_real(ex, "tol", 1e-12), 0);
    ck_assert_int_eq(marl_solver_run(ex, 10000, 0, 0, NULL), MARL_CONVERGED);
    const long long ms[3] = {10, 300, 10000};
    double gap[3];
    for (int i = 0; i < 3; ++i) {
        marl_solver *sa = glearn(g, start, k, "sampled", ms[i], 1234);
        ck_assert_int_eq(marl_solver_set_real(sa, "tol", 1e-12), 0);
        ck_assert_int_eq(marl_solver_run(sa, 10000, 0, 0, NULL),
                         MARL_CONVERGED);
        gap[i] = q_gap(marl_solver_state(sa), marl_solver_state(ex));
        marl_solver_free(sa);
    }
    /* Q is about 10 here (rewards in [-1, 5], gamma 0.7): the m = 10^4
     * estimate is within 0.05, and the error shrinks with m */
    ck_assert_msg(gap[2] < 0.05, "gap %g", gap[2]);
    ck_assert(gap[2] < gap[1] && gap[1] < gap[0]);
    ck_assert(gap[0] > 1e-3); /* m = 10 is visibly noisy: the test can fail */
    marl_solver_free(ex);
    marl_gl_policy_free(start);
    marl_game_free(g);
}
END_TEST

/* ---- expected: independent re-implementation of the reference's rule ------ */

/* Largest remainder, ties to the lower index: sort indices by (-frac,
 * index) and give one more to the first k - sum(floor). */
static void ref_round(const double *e, size_t Sl, size_t k, size_t *out) {
    size_t idx[16], fl = 0;
    double fr[16];
    for (size_t j = 0; j < Sl; ++j) {
        out[j] = (size_t)floor(e[j]);
        fr[j] = e[j] - floor(e[j]);
        fl += out[j];
        idx[j] = j;
    }
    for (size_t i = 0; i < Sl; ++i) /* selection sort, stable by index */
        for (size_t j = i + 1; j < Sl; ++j)
            if (fr[idx[j]] > fr[idx[i]] ||
                (fr[idx[j]] == fr[idx[i]] && idx[j] < idx[i])) {
                size_t t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
    for (size_t i = 0; i < k - fl; ++i) out[idx[i]]++;
}

START_TEST(test_expected_rounding_rule) {
    sm_rng r = {77};
    double frac[8], Pt[64], e[8];
    size_t c[8], out[8], ref[8];
    for (int t = 0; t < 2000; ++t) {
        size_t Sl = 2 + (size_t)(sm_next(&r) % 6), k = 1 + sm_next(&r) % 40;
        for (size_t j = 0; j < Sl; ++j) gt_dist(&r, Pt + j * Sl, Sl, 1);
        if (t % 3 == 0) /* exact ties: halves and quarters */
            for (size_t j = 0; j < Sl; ++j)
                for (size_t jp = 0; jp < Sl; ++jp)
                    Pt[j * Sl + jp] = jp < 2 ? 0.5 : 0.0;
        size_t left = k;
        for (size_t j = 0; j + 1 < Sl; ++j) {
            c[j] = sm_next(&r) % (left + 1);
            left -= c[j];
        }
        c[Sl - 1] = left;
        for (size_t jp = 0; jp < Sl; ++jp) {
            e[jp] = 0;
            for (size_t j = 0; j < Sl; ++j)
                if (c[j]) e[jp] = fma((double)c[j], Pt[j * Sl + jp], e[jp]);
        }
        ref_round(e, Sl, k, ref);
        marl_glearn_expected_next(Pt, c, Sl, k, out, frac);
        size_t sum = 0;
        for (size_t j = 0; j < Sl; ++j) {
            ck_assert_uint_eq(out[j], ref[j]);
            sum += out[j];
        }
        ck_assert_uint_eq(sum, k);
    }
    /* a hand case: e = (1.5, 1.5, 0) -> (2, 1, 0) */
    const double P2[9] = {0.5, 0.5, 0, 0.5, 0.5, 0, 0.5, 0.5, 0};
    const size_t c2[3] = {1, 1, 1};
    marl_glearn_expected_next(P2, c2, 3, 3, out, frac);
    ck_assert(out[0] == 2 && out[1] == 1 && out[2] == 0);
    /* the accumulation is fused: c = (1, 7, 0) gives e = (4.6, 0.6, 2.8)
     * in exact arithmetic, a tie of the remainders 0.6; fma(7, 0.6, 0.4)
     * is the double nearest 4.6, remainder 0.59999999999999964 < 0.6:
     * (4, 1, 3); 0.4 + 7 * 0.6 with two roundings is 4.6000000000000005:
     * (5, 0, 3) */
    const double P3[9] = {0.4, 0.6, 0, 0.6, 0, 0.4, 0, 0.5, 0.5};
    const size_t c3[3] = {1, 7, 0};
    marl_glearn_expected_next(P3, c3, 3, 8, out, frac);
    ck_assert(out[0] == 4 && out[1] == 1 && out[2] == 3);
}
END_TEST

/* G-LEARN expected vs an independent VI on (s, c) with ref_round, `sweeps`
 * sweeps from V = 0: V to 1e-9, the residual of every sweep to 1e-9
 * (against a naive ||Delta Q||_inf), most greedy actions. */
static void check_expected_vi(marl_game *g, size_t k, uint64_t pol_seed,
                              size_t sweeps) {
    marl_gl_policy *start = NULL;
    ck_assert_int_eq(marl_gl_policy_new(&start, g, k), MARL_OK);
    if (pol_seed) gt_random_local(start, g, pol_seed);
    marg m;
    marginalise(&m, g, start);
    size_t C = marl_gl_policy_num_counts(start);
    const double gamma = marl_game_discount(g);
    size_t *succ = malloc(m.Sg * C * sizeof *succ);
    double *rc = malloc(m.Sg * C * sizeof *rc);
    size_t c[8], cn[8];
    for (size_t s = 0; s < m.Sg; ++s)
        for (size_t r = 0; r < C; ++r) {
            marl_counts_unrank(r, m.Sl, k, c);
            double e[8], rr = 0;
            for (size_t jp = 0; jp < m.Sl; ++jp) {
                e[jp] = 0;
                for (size_t j = 0; j < m.Sl; ++j)
                    if (c[j])
                        e[jp] = fma((double)c[j],
                                    m.Pt[(s * m.Sl + j) * m.Sl + jp], e[jp]);
            }
            for (size_t j = 0; j < m.Sl; ++j)
                rr += (double)c[j] * m.rt[s * m.Sl + j];
            rc[s * C + r] = rr / (double)k;
            ref_round(e, m.Sl, k, cn);
            marl_counts_rank(cn, m.Sl, k, &succ[s * C + r]);
        }
    double *V = calloc(m.Sg * C, sizeof *V), *Vn = calloc(m.Sg * C,
                                                          sizeof *Vn);
    size_t *arg = calloc(m.Sg * C, sizeof *arg);
    marl_solver *sv = glearn(g, start, k, "expected", 1, 0);
    ck_assert_int_eq(marl_solver_set_real(sv, "tol", 0), 0);
    ck_assert_int_eq(marl_solver_set_int(sv, "max_sweeps",
                                         (long long)sweeps), 0);
    size_t it = 0;
    ck_assert_int_eq(marl_solver_run(sv, 1000, 0, 0, &it), MARL_CONVERGED);
    ck_assert_uint_eq(it, sweeps);
    double last_res = 0, h[5];
    double *Qp = calloc(m.Sg * C * m.Ag, sizeof *Qp);
    for (size_t sweep = 0; sweep < sweeps; ++sweep) {
        last_res = 0;
        double dq = 0; /* ||Delta Q||_inf of this sweep, naively */
        for (size_t s = 0; s < m.Sg; ++s)
            for (size_t r = 0; r < C; ++r) {
                double best = -HUGE_VAL;
                for (size_t a = 0; a < m.Ag; ++a) {
                    double ev = 0;
                    for (size_t sp = 0; sp < m.Sg; ++sp)
                        ev += m.Pg[(s * m.Ag + a) * m.Sg + sp] *
                              V[sp * C + succ[s * C + r]];
                    double q = m.rg[s * m.Ag + a] + rc[s * C + r] + gamma * ev;
                    double *qp = &Qp[(s * C + r) * m.Ag + a];
                    dq = fmax(dq, fabs(q - *qp));
                    *qp = q;
                    if (q > best + 1e-12) {
                        best = q;
                        arg[s * C + r] = a;
                    }
                }
                Vn[s * C + r] = best;
            }
        for (size_t i = 0; i < m.Sg * C; ++i) {
            last_res = fmax(last_res, fabs(Vn[i] - V[i]));
            V[i] = Vn[i];
        }
        marl_solver_history_row(sv, sweep, h);
        ck_assert_msg(fabs(h[2] - dq) <= 1e-9 * (1 + dq),
                      "sweep %zu: residual %.17g, independent %.17g", sweep,
                      h[2], dq);
    }
    free(Qp);
    glearn_state *st = marl_solver_state(sv);
    for (size_t i = 0; i < m.Sg * C; ++i)
        ck_assert_double_eq_tol(marl_glearn_value(st, i / C, i % C), V[i],
                                1e-9 * (1 + fabs(V[i])));
    /* greedy actions agree where the independent VI saw no near tie */
    const marl_gl_policy *pi = marl_alternating_policy(sv);
    double row[8];
    size_t agree = 0;
    for (size_t s = 0; s < m.Sg; ++s)
        for (size_t r = 0; r < C; ++r) {
            marl_gl_policy_global_row(pi, s, r, row);
            agree += row[arg[s * C + r]] == 1.0;
        }
    ck_assert_uint_ge(agree, (m.Sg * C * 9) / 10);
    /* metrics: residual >= the V change of the last sweep; states */
    marl_solver_history_row(sv, sweeps - 1, h);
    ck_assert(h[2] >= last_res - 1e-12);
    ck_assert(h[3] == (double)(m.Sg * C));
    marl_solver_free(sv);
    free(V);
    free(Vn);
    free(arg);
    free(succ);
    free(rc);
    marl_gl_policy_free(start);
}

START_TEST(test_expected_vs_reimplementation) {
    marl_game *g = NULL;
    ck_assert_int_eq(marl_games_new(&g, "warehouse", "n=100"), 0);
    check_expected_vi(g, 5, 0, 40);
    check_expected_vi(g, 7, 33, 40);
    /* k = 30: |S_g| C |A_g| = 1.16e6 > GLEARN_U_STORE_MAX, so Delta U is
     * recomputed from V_t - V_{t-1} (the other path) */
    ck_assert_uint_gt(5 * 46376 * 5, GLEARN_U_STORE_MAX);
    check_expected_vi(g, 30, 0, 6);
    marl_game_free(g);
    g = gt_random_game(303, 12, 3, 4, 4, 3, 0.9);
    check_expected_vi(g, 6, 44, 40);
    check_expected_vi(g, 1, 0, 40);
    marl_game_free(g);
}
END_TEST

static Suite *suite(void) {
    Suite *s = suite_create("global_local_glearn");
    TCase *tc = tcase_create("glearn");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_exact_law_chi_square);
    tcase_add_test(tc, test_exact_equals_brute_force);
    tcase_add_test(tc, test_sampled_converges_to_exact);
    tcase_add_test(tc, test_expected_rounding_rule);
    tcase_add_test(tc, test_expected_vs_reimplementation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return marl_test_run(suite()); }
