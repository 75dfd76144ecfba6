/*
 * marlgame eval on aggregative games.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cli_eval_aggregative(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_error("eval: aggregative games cannot be evaluated by this "
                     "release");
}
