/*
 * Test helper: run an aggregative solver to completion with options
 * "k=v,k=v" and read its pure policy and last metrics row.
 * SPDX-License-Identifier: MIT
 */
#ifndef AMG_RUN_H
#define AMG_RUN_H

#include <marlgame/marlgame.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

/* Run `steps` steps (0: until converged); actions may be NULL; returns the
 * value of metric `metric` in the last row (NaN if absent). */
static inline double amg_run(const marl_solver_type *type, marl_game *g,
                             const char *opts, uint64_t seed, size_t steps,
                             size_t *actions, const char *metric) {
    marl_solver *s = NULL;
    ck_assert_int_eq(marl_solver_new(&s, type, g), MARL_OK);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", opts ? opts : "");
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        ck_assert_ptr_nonnull(eq);
        *eq = '\0';
        ck_assert_msg(marl_solver_set(s, tok, eq + 1) == MARL_OK, "%s",
                      marl_last_error());
    }
    ck_assert_int_eq(marl_solver_set_seed(s, seed), MARL_OK);
    int rc = marl_solver_run(s, steps ? steps : 1, 0, 0, NULL);
    ck_assert_msg(rc == MARL_OK || rc == MARL_CONVERGED, "run: %d %s", rc,
                  marl_last_error());
    if (actions)
        ck_assert_int_eq(marl_aggregative_solver_actions(s, actions), MARL_OK);
    double v = NAN;
    size_t col;
    if (metric && marl_solver_metric_index(s, metric, &col) == MARL_OK) {
        double row[64];
        ck_assert_int_eq(marl_solver_history_row(
                             s, marl_solver_history_length(s) - 1, row),
                         MARL_OK);
        v = row[col];
    }
    marl_solver_free(s);
    return v;
}

#endif /* AMG_RUN_H */
