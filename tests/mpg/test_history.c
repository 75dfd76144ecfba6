/* Regression of the exact mpg solvers across the evaluation-context
 * change (lib/metrics/markov_ctx.c): 50-iteration histories recorded with
 * the code BEFORE it (each step then called marl_markov_averaged_q and
 * marl_markov_visitation separately, with their own factorisations) must be
 * reproduced to 1e-12 (relative to 1 + |x|): nash_gap, potential and
 * welfare at iterations 10, 20, ..., 50 (eval_every=10) and the final
 * probability of action 0 in the last state for every agent. Games:
 * `coordination` N=3 (factored) and `random-mpg` (dense, 3 players, 4
 * states, 3 actions, action-dependent transitions, seed 5). Solver seed 11;
 * every solver but softmax PG (init=normal) starts from a LOGITS policy
 * randomised by marl_rng_new(3).
 * SPDX-License-Identifier: MIT */
#include <marlgame/marlgame.h>

#include <check.h>
#include "check_main.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const games[2][2] = {
    {"coordination", "n=3"},
    {"random-mpg", "n=3,states=4,actions=3,transitions=dependent,seed=5"}};
static const char *const solvers[5][2] = {
    {"mpg-softmax-pg", "eta=0.5,init=normal,log_barrier=0.1,eval_every=10"},
    {"mpg-npg", "eta=0.3,eval_every=10"},
    {"mpg-npg-br", "k=3,epsilon=0,eval_every=10"},
    {"mpg-projected-pg", "eta=0.05,eval_every=10"},
    {"mpg-q-ascent", "alpha=0.05,eval_every=10"}};

typedef struct ref {
    int game, solver;
    double hist[15]; /* (nash_gap, potential, welfare) at rows 9,19,..,49 */
    double p0[3];    /* final pi_i(0 | last state) */
} ref;

/* Recorded with the pre-change code (rows past the end of a history that
 * stopped early repeat its last evaluated row). */
static const ref refs[] = {
    {0, 0, {0.90038251686293336, 39.018760254532999, 117.05628076359901, 0.43783790611043827, 40.268535261423814, 120.80560578427145, 0.29528763988335527, 40.643246569678013, 121.92973970903404, 0.22622879239251859, 40.825281361310893, 122.47584408393269, 0.18554816716574862, 40.933263061212045, 122.79978918363614, }, {0.99478858122623393, 0.99371974113722128, 0.99507822169821192, }},
    {0, 1, {5.1540970028105875, 31.047360073633698, 93.142080220901093, 0.72784051768861957, 37.411348483937886, 112.23404545181366, 0.049615748050626962, 38.182393946192256, 114.54718183857676, 0.003171581608562235, 38.235984972501413, 114.70795491750424, 0.00020274310669776696, 38.239699854769995, 114.71909956430999, }, {0.99999999852934374, 0.9999999996311828, 0.9999999999804674, }},
    {0, 2, {0.004014576762514821, 38.230121604237866, 114.6903648127136, 1.0372974585948214e-06, 38.239997475198265, 114.7199924255948, 2.6728486091087689e-10, 38.239999999343084, 114.71999999802925, 6.3948846218409017e-14, 38.239999999999959, 114.71999999999989, 6.3948846218409017e-14, 38.239999999999959, 114.71999999999989, }, {1, 1, 1, }},
    {0, 3, {1.9108395377979548, 34.769676120011695, 104.30902836003509, 0.38432490738901492, 37.68809293166035, 113.06427879498105, 0.1028815653854096, 38.137118434614678, 114.41135530384403, 0, 38.240000000000087, 114.72000000000025, 0, 38.240000000000087, 114.72000000000025, }, {1, 1, 1, }},
    {0, 4, {5.5498926407809179, 24.582071669197312, 73.746215007591928, 4.4757494017006678, 32.050867581927641, 96.152602745782929, 2.3319684439569528, 35.421223591697675, 106.26367077509303, 0.50697879388479095, 37.733021206115296, 113.19906361834589, 0, 38.240000000000087, 114.72000000000025, }, {1, 1, 1, }},
    {1, 0, {0.85520245027035102, 5.7782605528215738, 18.607995077278446, 0.68842142070080659, 6.6208839675743647, 21.135865321536823, 0.49695674966983194, 7.3471824959380063, 23.314760906627743, 0.39133532212457744, 7.7882927340899322, 24.638091621083518, 0.32390074564965232, 8.0518873477272273, 25.428875461995407, }, {0.052988580268397097, 0.95946697966408345, 0.06605745171829043, }},
    {1, 1, {0.86312260711878963, 6.0931031281711565, 19.552522803327189, 0.68464169319273616, 7.3369834289185114, 23.284163705569256, 0.45863843696230688, 8.3259914136130373, 26.251187659652835, 0.29546651809176971, 8.8935352232444025, 27.953819088546936, 0.18948207047941423, 9.1098459195782766, 28.602751177548555, }, {0.84944551037846028, 0.99914046107543386, 0.98750533678114627, }},
    {1, 2, {0.60984420096353098, 8.5350858345657254, 26.87847092251091, 0.10124192513768371, 9.2550590502255687, 29.038390569490431, 0.18217835206786503, 9.4733919843251542, 29.693389371789195, 0.014483156066756209, 9.8825984184601161, 30.92100867419407, 0.00030100806588606588, 9.9106507258160796, 31.005165596261964, }, {0.99999774380402984, 0.99999999998149014, 0.99999989465098271, }},
    {1, 3, {0.87195820903614951, 6.2936300839136061, 20.154103670554544, 0.42132326747388404, 8.3489699583161379, 26.320123293762141, 0.32956321775013286, 8.9924189465928333, 28.250470258592227, 0.31990385976541624, 9.0623904963935988, 28.460384907994516, 0.27588221024681836, 9.1180420840947107, 28.627339671097857, }, {0.69690669001103855, 1, 1, }},
    {1, 4, {1.2224572412094288, 5.6105520144470393, 18.104869462154838, 0.87602815045333315, 6.06832879232197, 19.478199795779638, 0.74300712469642427, 6.6817944458550595, 21.318596756378895, 0.62203453576345424, 7.4394541117908455, 23.591575754186259, 0.45910354450230528, 8.2794413273267509, 26.111537400793974, }, {0.54520685692091264, 1, 0.9157816522496115, }}
};

static void set_options(marl_solver *s, const char *text) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *t = buf; t && *t;) {
        char *comma = strchr(t, ','), *e = strchr(t, '=');
        if (comma) *comma = '\0';
        *e = '\0';
        ck_assert_int_eq(marl_solver_set(s, t, e + 1), MARL_OK);
        t = comma ? comma + 1 : NULL;
    }
}

static void close_to(double x, double r, const char *what, size_t k) {
    ck_assert_msg(fabs(x - r) <= 1e-12 * (1.0 + fabs(r)),
                  "%s %zu: %.17g, recorded %.17g", what, k, x, r);
}

START_TEST(test_history_unchanged) {
    const ref *rf = &refs[_i];
    marl_game *g = NULL;
    ck_assert_int_eq(
        marl_games_new(&g, games[rf->game][0], games[rf->game][1]), MARL_OK);
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new_by_name(&s, solvers[rf->solver][0], g),
                     MARL_OK);
    ck_assert_int_eq(marl_solver_set_seed(s, 11), MARL_OK);
    marl_policy *ip = NULL;
    marl_rng *rng = NULL;
    if (rf->solver > 0) {
        ck_assert_int_eq(marl_policy_new(&ip, g, MARL_POLICY_LOGITS), MARL_OK);
        ck_assert_int_eq(marl_rng_new(&rng, 3), MARL_OK);
        ck_assert_int_eq(marl_policy_randomize(ip, rng), MARL_OK);
        ck_assert_int_eq(marl_solver_set_initial_policy(s, ip), MARL_OK);
    }
    set_options(s, solvers[rf->solver][1]);
    int rc = marl_solver_run(s, 50, 0.0, 0.0, NULL);
    int stops = rf->game == 0 && rf->solver == 2; /* NPG-BR converges */
    ck_assert_int_eq(rc, stops ? MARL_CONVERGED : MARL_OK);
    size_t len = marl_solver_history_length(s);
    ck_assert_uint_eq(len, stops ? 41 : 50);
    size_t nm = marl_solver_metric_count(s), col[3];
    const char *names[3] = {"nash_gap", "potential", "welfare"};
    for (int q = 0; q < 3; ++q)
        ck_assert_int_eq(marl_solver_metric_index(s, names[q], &col[q]),
                         MARL_OK);
    double row[16];
    ck_assert(nm <= 16);
    for (size_t r = 0; r < 5; ++r) {
        size_t at = 10 * r + 9;
        if (at >= len) at = 10 * (len / 10) - 1; /* last evaluated row */
        ck_assert_int_eq(marl_solver_history_row(s, at, row), MARL_OK);
        for (int q = 0; q < 3; ++q)
            close_to(row[col[q]], rf->hist[3 * r + (size_t)q], names[q], at);
    }
    const marl_policy *p = marl_solver_policy(s);
    double pr[8];
    size_t S = marl_game_num_states(g);
    for (size_t i = 0; i < 3; ++i) {
        ck_assert_int_eq(marl_policy_get_row(p, i, 0, S - 1, pr), MARL_OK);
        close_to(pr[0], rf->p0[i], "final probability of agent", i);
    }
    marl_solver_free(s);
    marl_policy_free(ip);
    marl_rng_free(rng);
    marl_game_free(g);
}
END_TEST

static Suite *history_suite(void) {
    Suite *s = suite_create("mpg_history");
    TCase *tc = tcase_create("history");
    tcase_add_loop_test(tc, test_history_unchanged, 0,
                        (int)(sizeof refs / sizeof refs[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    return marl_test_run(history_suite());
}
