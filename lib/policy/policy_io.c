/*
 * Binary serialisation of policies (format documented in policy.h):
 *   magic "MARLPOL1", version u32 = 1, flags u32, agents u64, steps u64,
 *   states u64, action count of each stored table u64, every stored value as
 *   IEEE-754 binary64 in row order, CRC-32 u32 of all preceding bytes.
 * Every integer is written and read byte by byte, little-endian, whatever
 * the host's byte order.
 * SPDX-License-Identifier: MIT
 */
#include "policy/policy_impl.h"
#include "policy/policy_io.h"
#include "game/game_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BLOB_VERSION 1u
#define BLOB_HEAD 40u /* magic 8 + version 4 + flags 4 + 3 x u64 */
#define ALL_FLAGS (MARL_POLICY_SHARED | MARL_POLICY_PER_STEP | MARL_POLICY_LOGITS)

static const unsigned char blob_magic[8] = {'M', 'A', 'R', 'L',
                                            'P', 'O', 'L', '1'};

/* ---- CRC-32 (IEEE 802.3), nibble table ------------------------------------ */

static const uint32_t crc_nibble[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu,
    0x76DC4190u, 0x6B6B51F4u, 0x4DB26158u, 0x5005713Cu,
    0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu};

uint32_t marl_crc32(const void *data, size_t n) {
    const unsigned char *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t k = 0; k < n; ++k) {
        crc ^= p[k];
        crc = (crc >> 4) ^ crc_nibble[crc & 0xFu];
        crc = (crc >> 4) ^ crc_nibble[crc & 0xFu];
    }
    return crc ^ 0xFFFFFFFFu;
}

/* ---- little-endian helpers ------------------------------------------------ */

static void put_u32(unsigned char *p, uint32_t v) {
    for (int k = 0; k < 4; ++k) p[k] = (unsigned char)(v >> (8 * k));
}
static void put_u64(unsigned char *p, uint64_t v) {
    for (int k = 0; k < 8; ++k) p[k] = (unsigned char)(v >> (8 * k));
}
static void put_f64(unsigned char *p, double x) {
    uint64_t v;
    memcpy(&v, &x, sizeof v);
    put_u64(p, v);
}
static uint32_t get_u32(const unsigned char *p) {
    uint32_t v = 0;
    for (int k = 3; k >= 0; --k) v = (v << 8) | p[k];
    return v;
}
static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int k = 7; k >= 0; --k) v = (v << 8) | p[k];
    return v;
}
static double get_f64(const unsigned char *p) {
    uint64_t v = get_u64(p);
    double x;
    memcpy(&x, &v, sizeof x);
    return x;
}

/* ---- save ------------------------------------------------------------------ */

int marl_policy_save(const marl_policy *policy, void *buf, size_t cap,
                     size_t *size) {
    if (!policy) return marl_error(MARL_EINVAL, "marl_policy_save: policy is NULL");
    if (!size) return marl_error(MARL_EINVAL, "marl_policy_save: size is NULL");
    size_t need, t1, t2;
    if (!marl_mul_size(policy->n_tables, 8, &t1) ||
        !marl_mul_size(policy->n_values, 8, &t2) ||
        !marl_add_size(BLOB_HEAD + 4u, t1, &need) ||
        !marl_add_size(need, t2, &need))
        return marl_error(MARL_ERANGE, "marl_policy_save: policy too large");
    if (!buf) {
        *size = need;
        return MARL_OK;
    }
    if (cap < need) {
        *size = need;
        return marl_error(MARL_ERANGE,
                          "marl_policy_save: buffer of %zu bytes is too small, "
                          "the blob needs %zu", cap, need);
    }
    unsigned char *p = buf;
    memcpy(p, blob_magic, 8);
    put_u32(p + 8, BLOB_VERSION);
    put_u32(p + 12, policy->flags);
    put_u64(p + 16, policy->n_agents);
    put_u64(p + 24, policy->n_steps);
    put_u64(p + 32, policy->n_states);
    unsigned char *q = p + BLOB_HEAD;
    for (size_t t = 0; t < policy->n_tables; ++t, q += 8)
        put_u64(q, policy->n_actions[t]);
    for (size_t k = 0; k < policy->n_values; ++k, q += 8)
        put_f64(q, policy->values[k]);
    put_u32(q, marl_crc32(p, (size_t)(q - p)));
    *size = need;
    return MARL_OK;
}

/* ---- load ------------------------------------------------------------------ */

typedef struct blob_info {
    unsigned flags;
    size_t agents, steps, states, tables, n_values;
    const unsigned char *actions; /* tables x u64 */
    const unsigned char *values;  /* n_values x f64 */
} blob_info;

static size_t blob_actions(const blob_info *b, size_t t) {
    return (size_t)get_u64(b->actions + 8 * t);
}

/* Parse and check the framing (magic, version, flags, sizes, CRC) and the
 * values (finite; distributions for direct policies). No allocation. */
static int parse_blob(const void *buf, size_t size, blob_info *out,
                      const char *fn) {
    const unsigned char *p = buf;
    if (size < 8)
        return marl_error(MARL_EFORMAT,
                          "%s: truncated blob (%zu bytes, the header alone is "
                          "%u)", fn, size, BLOB_HEAD);
    if (memcmp(p, blob_magic, 8) != 0)
        return marl_error(MARL_EFORMAT,
                          "%s: bad magic, not a policy blob (expected "
                          "\"MARLPOL1\")", fn);
    if (size < BLOB_HEAD + 4u)
        return marl_error(MARL_EFORMAT,
                          "%s: truncated blob (%zu bytes, the header alone is "
                          "%u)", fn, size, BLOB_HEAD);
    uint32_t version = get_u32(p + 8);
    if (version != BLOB_VERSION)
        return marl_error(MARL_EFORMAT,
                          "%s: unknown format version %u (this library reads "
                          "version %u)", fn, (unsigned)version, BLOB_VERSION);
    uint32_t flags = get_u32(p + 12);
    if (flags & ~(uint32_t)ALL_FLAGS)
        return marl_error(MARL_EFORMAT, "%s: unknown flag bits 0x%x", fn,
                          (unsigned)(flags & ~(uint32_t)ALL_FLAGS));
    uint64_t agents = get_u64(p + 16), steps = get_u64(p + 24),
             states = get_u64(p + 32);
    if (agents == 0 || steps == 0 || states == 0 || agents > SIZE_MAX ||
        steps > SIZE_MAX || states > SIZE_MAX)
        return marl_error(MARL_EFORMAT,
                          "%s: invalid dimensions (agents %llu, steps %llu, "
                          "states %llu)", fn, (unsigned long long)agents,
                          (unsigned long long)steps,
                          (unsigned long long)states);
    if (steps > 1 && !(flags & MARL_POLICY_PER_STEP))
        return marl_error(MARL_EFORMAT,
                          "%s: %llu steps in a blob without the PER_STEP flag",
                          fn, (unsigned long long)steps);
    size_t tables = (flags & MARL_POLICY_SHARED) ? 1 : (size_t)agents;
    size_t head, rows;
    if (!marl_mul_size(tables, 8, &head) ||
        !marl_add_size(head, BLOB_HEAD, &head) ||
        !marl_mul_size((size_t)steps, (size_t)states, &rows))
        return marl_error(MARL_EFORMAT, "%s: dimensions overflow", fn);
    if (size < head + 4u)
        return marl_error(MARL_EFORMAT,
                          "%s: truncated blob (%zu bytes, the header declares "
                          "at least %zu)", fn, size, head + 4u);
    size_t n_values = 0;
    for (size_t t = 0; t < tables; ++t) {
        uint64_t A = get_u64(p + BLOB_HEAD + 8 * t);
        size_t len;
        if (A == 0)
            return marl_error(MARL_EFORMAT, "%s: table %zu has 0 actions", fn,
                              t);
        if (A > SIZE_MAX || !marl_mul_size(rows, (size_t)A, &len) ||
            !marl_add_size(n_values, len, &n_values))
            return marl_error(MARL_EFORMAT, "%s: dimensions overflow", fn);
    }
    size_t expect, vbytes;
    if (!marl_mul_size(n_values, 8, &vbytes) ||
        !marl_add_size(head, vbytes, &expect) ||
        !marl_add_size(expect, 4, &expect))
        return marl_error(MARL_EFORMAT, "%s: dimensions overflow", fn);
    if (size < expect)
        return marl_error(MARL_EFORMAT,
                          "%s: truncated blob (%zu bytes, expected %zu)", fn,
                          size, expect);
    if (size > expect)
        return marl_error(MARL_EFORMAT,
                          "%s: %zu trailing bytes after the blob (%zu bytes, "
                          "expected %zu)", fn, size - expect, size, expect);
    uint32_t stored = get_u32(p + expect - 4);
    uint32_t crc = marl_crc32(p, expect - 4);
    if (stored != crc)
        return marl_error(MARL_EFORMAT,
                          "%s: CRC mismatch (stored 0x%08x, computed 0x%08x): "
                          "the blob is corrupted", fn, (unsigned)stored,
                          (unsigned)crc);

    out->flags = (unsigned)flags;
    out->agents = (size_t)agents;
    out->steps = (size_t)steps;
    out->states = (size_t)states;
    out->tables = tables;
    out->n_values = n_values;
    out->actions = p + BLOB_HEAD;
    out->values = p + head;

    /* Values. */
    int logits = (flags & MARL_POLICY_LOGITS) != 0;
    const unsigned char *v = out->values;
    for (size_t t = 0; t < tables; ++t) {
        size_t A = blob_actions(out, t);
        for (size_t r = 0; r < rows; ++r) {
            double sum = 0.0;
            for (size_t k = 0; k < A; ++k, v += 8) {
                double x = get_f64(v);
                if (!isfinite(x) || (!logits && x < 0.0))
                    return marl_error(MARL_EFORMAT,
                                      "%s: %s %zu of table %zu, step %zu, "
                                      "state %zu is %s (%g)", fn,
                                      logits ? "logit" : "probability", k, t,
                                      r / out->states, r % out->states,
                                      isfinite(x) ? "negative" : "not finite",
                                      x);
                sum += x;
            }
            if (!logits && fabs(sum - 1.0) > MARL_PROB_TOL)
                return marl_error(MARL_EFORMAT,
                                  "%s: row of table %zu, step %zu, state %zu "
                                  "sums to %.17g, expected 1", fn, t,
                                  r / out->states, r % out->states, sum);
        }
    }
    return MARL_OK;
}

static void decode_values(const blob_info *b, double *values) {
    for (size_t k = 0; k < b->n_values; ++k)
        values[k] = get_f64(b->values + 8 * k);
}

int marl_policy_load(marl_policy **out, marl_game *game, const void *buf,
                     size_t size) {
    const char *fn = "marl_policy_load";
    if (!out) return marl_error(MARL_EINVAL, "%s: out is NULL", fn);
    if (!game) return marl_error(MARL_EINVAL, "%s: game is NULL", fn);
    if (!buf) return marl_error(MARL_EINVAL, "%s: buf is NULL", fn);
    blob_info b;
    int rc = parse_blob(buf, size, &b, fn);
    if (rc) return rc;
    if (b.agents != game->n_agents)
        return marl_error(MARL_EFORMAT,
                          "%s: the blob has %zu agents, game '%s' has %zu", fn,
                          b.agents, game->name, game->n_agents);
    if (b.states != game->n_states)
        return marl_error(MARL_EFORMAT,
                          "%s: the blob has %zu states, game '%s' has %zu", fn,
                          b.states, game->name, game->n_states);
    for (size_t i = 0; i < game->n_agents; ++i) {
        size_t A = blob_actions(&b, b.tables == 1 ? 0 : i);
        if (A != game->n_actions[i])
            return marl_error(MARL_EFORMAT,
                              "%s: agent %zu has %zu actions in the blob, "
                              "game '%s' has %zu", fn, i, A, game->name,
                              game->n_actions[i]);
    }
    marl_policy *p = NULL;
    rc = marl_policy_new_steps(&p, game, b.flags, b.steps);
    if (rc) return rc;
    if (p->n_values != b.n_values) { /* cannot happen: same dimensions */
        marl_policy_free(p);
        return marl_error(MARL_EINTERNAL, "%s: layout mismatch", fn);
    }
    decode_values(&b, p->values);
    *out = p;
    return MARL_OK;
}

int marl_policy_load_into(marl_policy *policy, const void *buf, size_t size) {
    const char *fn = "marl_policy_load_into";
    if (!policy) return marl_error(MARL_EINVAL, "%s: policy is NULL", fn);
    if (!buf) return marl_error(MARL_EINVAL, "%s: buf is NULL", fn);
    blob_info b;
    int rc = parse_blob(buf, size, &b, fn);
    if (rc) return rc;
    if (b.flags != policy->flags)
        return marl_error(MARL_EFORMAT,
                          "%s: the blob has flags 0x%x, the policy 0x%x", fn,
                          b.flags, policy->flags);
    if (b.agents != policy->n_agents || b.steps != policy->n_steps ||
        b.states != policy->n_states)
        return marl_error(MARL_EFORMAT,
                          "%s: the blob has (agents %zu, steps %zu, states "
                          "%zu), the policy (%zu, %zu, %zu)", fn, b.agents,
                          b.steps, b.states, policy->n_agents,
                          policy->n_steps, policy->n_states);
    for (size_t t = 0; t < b.tables; ++t)
        if (blob_actions(&b, t) != policy->n_actions[t])
            return marl_error(MARL_EFORMAT,
                              "%s: table %zu has %zu actions in the blob, %zu "
                              "in the policy", fn, t, blob_actions(&b, t),
                              policy->n_actions[t]);
    decode_values(&b, policy->values);
    return MARL_OK;
}
