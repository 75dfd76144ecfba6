/*
 * Internal helpers of policy serialisation. Not installed.
 * SPDX-License-Identifier: MIT
 */
#ifndef MARL_POLICY_IO_H
#define MARL_POLICY_IO_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320, initial value and
 * final xor 0xFFFFFFFF) of data[0..n-1]. crc32("123456789") = 0xCBF43926. */
uint32_t marl_crc32(const void *data, size_t n);

#endif /* MARL_POLICY_IO_H */
