/*
 * marlgame eval on global-local games.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

int cli_eval_global_local(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cli_error("eval: global-local games cannot be evaluated by this "
                     "release");
}
