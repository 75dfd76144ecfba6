/*
 * libmarlgame — core: status codes, error messages, version, allocation
 * hooks and the log callback.
 *
 * Conventions used by every header of the library:
 *  - every fallible function returns an int status: MARL_OK (0) on success,
 *    a negative MARL_E* class on failure; results come back through
 *    out-parameters, which are left untouched on failure;
 *  - on failure, marl_last_error() returns a thread-local message naming the
 *    offending item (for example "transition row of state 7, joint action 3
 *    sums to 0.98, expected 1");
 *  - constructors are marl_X_new, destructors marl_X_free (NULL-safe).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MARLGAME_CORE_H
#define MARLGAME_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && !defined(__GNUC__)
#  define MARL_API
#elif defined(__GNUC__) || defined(__clang__)
#  define MARL_API __attribute__((visibility("default")))
#else
#  define MARL_API
#endif

#define MARL_VERSION_MAJOR 0
#define MARL_VERSION_MINOR 1
#define MARL_VERSION_PATCH 0
/** MAJOR*10000 + MINOR*100 + PATCH, for compile-time comparisons. */
#define MARL_VERSION_NUMBER \
    (MARL_VERSION_MAJOR * 10000 + MARL_VERSION_MINOR * 100 + MARL_VERSION_PATCH)

/** Status codes. MARL_OK and MARL_CONVERGED are successes; the negative
 *  values are error classes. */
enum marl_status {
    MARL_OK = 0,
    /** Non-error: an iterative method met its stopping criterion. */
    MARL_CONVERGED = 1,
    MARL_EINVAL = -1,      /**< invalid argument (NULL, NaN, bad size, ...) */
    MARL_ENOMEM = -2,      /**< out of memory (allocator returned NULL)     */
    MARL_EKIND = -3,       /**< operation unsupported for this game kind    */
    MARL_ERANGE = -4,      /**< index or size out of the documented range   */
    MARL_EFORMAT = -5,     /**< malformed, truncated or mismatched data     */
    MARL_ECANCELLED = -6,  /**< cancelled by a progress callback            */
    MARL_ENOTCONV = -7,    /**< an iteration limit was reached before the
                                required accuracy                          */
    MARL_EINTERNAL = -8    /**< internal failure (a dependency failed)      */
};

/** Static English description of a status code (never NULL). */
MARL_API const char *marl_strerror(int status);

/** Detailed message for the last error raised on the calling thread, or ""
 *  if none. The pointer stays valid until the next failing call on this
 *  thread. */
MARL_API const char *marl_last_error(void);

/** Status class of the last error raised on the calling thread (MARL_OK if
 *  none). */
MARL_API int marl_last_error_code(void);

/** Forget the calling thread's last error. */
MARL_API void marl_clear_error(void);

/** Version string of the library actually linked, e.g. "0.1.0". */
MARL_API const char *marl_version(void);

/** MARL_VERSION_NUMBER of the library actually linked. */
MARL_API int marl_version_number(void);

/* ---- allocation ---------------------------------------------------------- */

typedef void *(*marl_malloc_fn)(size_t size, void *user);
typedef void *(*marl_realloc_fn)(void *ptr, size_t size, void *user);
typedef void (*marl_free_fn)(void *ptr, void *user);

/** Route every allocation of the library through user functions. Pass all
 *  three NULL to restore the C library's malloc/realloc/free. Either all
 *  three are given or none (MARL_EINVAL otherwise). Not thread-safe: call it
 *  before creating any object, and do not free objects created under one
 *  allocator after switching to another. */
MARL_API int marl_set_allocator(marl_malloc_fn m, marl_realloc_fn r,
                                marl_free_fn f, void *user);

/** The library's allocator (for buffers the library returns to you, such as
 *  serialised policies: release them with marl_free). marl_malloc(0)
 *  returns NULL. */
MARL_API void *marl_malloc(size_t size);
MARL_API void *marl_realloc(void *ptr, size_t size);
MARL_API void marl_free(void *ptr);

/* ---- logging ------------------------------------------------------------- */

enum marl_log_level {
    MARL_LOG_DEBUG = 0,
    MARL_LOG_INFO = 1,
    MARL_LOG_WARN = 2,
    MARL_LOG_ERROR = 3
};

typedef void (*marl_log_fn)(int level, const char *message, void *user);

/** Install a log callback receiving messages of at least min_level (NULL
 *  disables logging, the default). The library never prints by itself. */
MARL_API void marl_set_log(marl_log_fn fn, void *user, int min_level);

#ifdef __cplusplus
}
#endif
#endif /* MARLGAME_CORE_H */
