/*
 * marlgame eval on population games.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cli_eval_population(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_error("eval: population games cannot be evaluated by this "
                     "release");
}
