/* test_simd_x64.c: the SSE code simd_x64_lower writes for a lane operation, on the
 * registers a compiler picks: a few encodings pinned byte for byte (one instruction,
 * REX for high registers and byte registers, a sequence with a scratch register),
 * the CPU features an operation needs, the encodings simd_x64_single hands to an AVX
 * writer, and the scratch registers simd_x64_scratch reports. Whether the code
 * computes Wasm's lanes is the spec suite's job (simd_*.wast in the compiling tier). */
#include "test_util.h"

#include "simd.h"
#include "simd_x64.h"

#define ALL_FEATURES (SIMD_X64_SSSE3 | SIMD_X64_SSE41 | SIMD_X64_SSE42)

static const uint8_t no_imm[16];

/* d xmm0, b xmm1, c xmm2, scratch xmm3-5; r rsi, rt rdi */
static const simd_x64_regs low_regs = {0, 1, 2, {3, 4, 5}, 6, 7};

static void assert_code(uint32_t sub, const uint8_t *imm, const simd_x64_regs *regs,
                        const uint8_t *want, size_t want_len)
{
    uint8_t code[SIMD_X64_MAX];
    size_t len = simd_x64_lower(code, sub, imm, regs, ALL_FEATURES);
    assert_int_equal(len, want_len);
    assert_memory_equal(code, want, want_len);
}

static void test_i32x4_add_is_one_paddd(void **state)
{
    (void)state;
    static const uint8_t paddd[] = {0x66, 0x0f, 0xfe, 0xc1}; /* paddd xmm0, xmm1 */
    assert_code(SIMD_i32x4_add, no_imm, &low_regs, paddd, sizeof paddd);
}

static void test_high_registers_get_a_rex_prefix(void **state)
{
    (void)state;
    static const simd_x64_regs high = {8, 9, 10, {11, 12, 13}, 14, 15};
    static const uint8_t paddd[] = {0x66, 0x45, 0x0f, 0xfe, 0xc1}; /* paddd xmm8, xmm9 */
    assert_code(SIMD_i32x4_add, no_imm, &high, paddd, sizeof paddd);
}

static void test_signed_byte_extract_sign_extends_through_sil(void **state)
{
    (void)state;
    static const uint8_t lane[16] = {3};
    static const uint8_t want[] = {
        0x66, 0x0f, 0x3a, 0x14, 0xc6, 0x03, /* pextrb esi, xmm0, 3 */
        0x40, 0x0f, 0xbe, 0xf6,             /* movsx esi, sil: a REX, or it would be dh */
    };
    assert_code(SIMD_i8x16_extract_lane_s, lane, &low_regs, want, sizeof want);
}

static void test_f64x2_gt_compares_b_lt_a_in_a_scratch_register(void **state)
{
    (void)state;
    static const uint8_t want[] = {
        0x66, 0x0f, 0x28, 0xd9,       /* movapd xmm3, xmm1 */
        0x66, 0x0f, 0xc2, 0xd8, 0x01, /* cmpltpd xmm3, xmm0 */
        0x66, 0x0f, 0x28, 0xc3,       /* movapd xmm0, xmm3 */
    };
    assert_code(SIMD_f64x2_gt, no_imm, &low_regs, want, sizeof want);
}

static void test_without_sse41_no_operation_has_code(void **state)
{
    (void)state;
    uint8_t code[SIMD_X64_MAX];
    assert_int_equal(simd_x64_lower(code, SIMD_i32x4_add, no_imm, &low_regs, SIMD_X64_SSSE3), 0);
    assert_int_equal(simd_x64_lower(code, SIMD_v128_load, no_imm, &low_regs, ALL_FEATURES), 0);
}

static void test_i64x2_orderings_need_sse42(void **state)
{
    (void)state;
    uint8_t code[SIMD_X64_MAX];
    unsigned sse41 = SIMD_X64_SSSE3 | SIMD_X64_SSE41;
    assert_int_equal(simd_x64_lower(code, SIMD_i64x2_gt_s, no_imm, &low_regs, sse41), 0);
    assert_true(simd_x64_lower(code, SIMD_i64x2_gt_s, no_imm, &low_regs, ALL_FEATURES) > 0);
    assert_true(simd_x64_lower(code, SIMD_i64x2_eq, no_imm, &low_regs, sse41) > 0);
}

static void test_single_instructions_for_avx(void **state)
{
    (void)state;
    int p66 = -1, map38 = -1;
    uint8_t opcode = 0;
    assert_true(simd_x64_single(SIMD_f32x4_add, &p66, &map38, &opcode));
    assert_int_equal(p66, 0), assert_int_equal(map38, 0), assert_int_equal(opcode, 0x58);
    assert_true(simd_x64_single(SIMD_i32x4_mul, &p66, &map38, &opcode)); /* pmulld */
    assert_int_equal(p66, 1), assert_int_equal(map38, 1), assert_int_equal(opcode, 0x40);
    assert_false(simd_x64_single(SIMD_i64x2_mul, &p66, &map38, &opcode));  /* a sequence */
    assert_false(simd_x64_single(SIMD_f32x4_sqrt, &p66, &map38, &opcode)); /* d = op d */
}

static void test_scratch_names_the_registers_a_sequence_uses(void **state)
{
    (void)state;
    assert_int_equal(simd_x64_scratch(SIMD_i32x4_add, no_imm, ALL_FEATURES), 0);
    assert_int_equal(simd_x64_scratch(SIMD_f64x2_gt, no_imm, ALL_FEATURES), 1u);
    assert_int_equal(simd_x64_scratch(SIMD_i8x16_popcnt, no_imm, ALL_FEATURES),
                     1u | 2u | 4u | SIMD_X64_USES_RT);
}

/* the longest code (the shuffle from both operands, popcnt) within SIMD_X64_MAX */
static void test_every_operation_fits_simd_x64_max(void **state)
{
    (void)state;
    static const simd_x64_regs high = {8, 9, 10, {11, 12, 13}, 14, 15};
    uint8_t mixed[16];
    for (int i = 0; i < 16; i++)
        mixed[i] = (uint8_t)(i & 1 ? 31 - i : i);
    for (uint32_t sub = 0; sub < 256; sub++) {
        uint8_t code[2 * SIMD_X64_MAX];
        size_t len = simd_x64_lower(code, sub, mixed, &high, ALL_FEATURES);
        assert_in_range(len, 0, SIMD_X64_MAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i32x4_add_is_one_paddd),
        cmocka_unit_test(test_high_registers_get_a_rex_prefix),
        cmocka_unit_test(test_signed_byte_extract_sign_extends_through_sil),
        cmocka_unit_test(test_f64x2_gt_compares_b_lt_a_in_a_scratch_register),
        cmocka_unit_test(test_without_sse41_no_operation_has_code),
        cmocka_unit_test(test_i64x2_orderings_need_sse42),
        cmocka_unit_test(test_single_instructions_for_avx),
        cmocka_unit_test(test_scratch_names_the_registers_a_sequence_uses),
        cmocka_unit_test(test_every_operation_fits_simd_x64_max),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
