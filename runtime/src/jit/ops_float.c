/* ops_float.c: the compiler's f32/f64 instructions (not compiled yet: a function with
 * any of them runs in the interpreter). */
#include "jit/jitc.h"

int jc_float_unary(jc *j, uint32_t op)
{
    (void)op;
    return jc_fail(j, "float instruction");
}

int jc_float_binary(jc *j, uint32_t op)
{
    (void)op;
    return jc_fail(j, "float instruction");
}
