/*
 * Helper of check_cli_save.py: runs an alternating-* solver on a catalogue
 * game exactly as `marlgame solve` does (options, seed, iterations) and
 * evaluates its policy pair directly with marl_gl_evaluate_ex, without
 * going through a file.
 *
 * usage: gl_solve_eval GAME PARAMS SOLVER K ITERS SOLVE_SEED ROLLOUTS
 *                      HORIZON EVAL_SEED
 * prints "mean_return = %.17g" and "half_width_95 = %.17g".
 * SPDX-License-Identifier: MIT
 */
#include <marlgame/marlgame.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 10) {
        fprintf(stderr, "usage: %s GAME PARAMS SOLVER K ITERS SOLVE_SEED "
                        "ROLLOUTS HORIZON EVAL_SEED\n", argv[0]);
        return 2;
    }
    marl_game *g = NULL;
    marl_solver *s = NULL;
    size_t done = 0;
    double mean = 0, hw = 0;
    int rc = marl_games_new(&g, argv[1], argv[2]);
    if (!rc) rc = marl_solver_new_by_name(&s, argv[3], g);
    if (!rc) rc = marl_solver_set(s, "k", argv[4]);
    if (!rc) rc = marl_solver_set(s, "estimator", "expected");
    if (!rc) rc = marl_solver_set_seed(s, strtoull(argv[6], NULL, 10));
    if (!rc) {
        rc = marl_solver_run(s, (size_t)strtoull(argv[5], NULL, 10), 0.0, 0.0,
                             &done);
        if (rc > 0) rc = MARL_OK;
    }
    const marl_gl_policy *pi = rc ? NULL : marl_alternating_policy(s);
    if (!rc && !pi) rc = marl_last_error_code();
    if (!rc)
        rc = marl_gl_evaluate_ex(g, pi, (size_t)strtoull(argv[7], NULL, 10),
                                 (size_t)strtoull(argv[8], NULL, 10),
                                 strtoull(argv[9], NULL, 10), 0u, &mean, &hw);
    if (rc) {
        fprintf(stderr, "gl_solve_eval: %s\n", marl_last_error());
    } else {
        printf("mean_return = %.17g\nhalf_width_95 = %.17g\n", mean, hw);
    }
    marl_solver_free(s);
    marl_game_free(g);
    return rc ? 1 : 0;
}
