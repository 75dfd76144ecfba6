/*
 * Test helper: run a Check suite and turn its result into an exit status.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_TEST_CHECK_MAIN_H
#define MARL_TEST_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int marl_test_run(Suite *suite) {
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* MARL_TEST_CHECK_MAIN_H */
