/*
 * hypotf for binaries that must load on Amazon Linux 2023 (glibc 2.34).
 *
 * The Swift standard library references hypotf, and linking against this machine's glibc (2.36)
 * binds it to hypotf@GLIBC_2.35, a symbol version AL2023 does not have: the function would fail to
 * load. Defining hypotf in the executable resolves the reference here instead. Computing in double
 * precision cannot overflow or underflow for float inputs and rounds correctly to float.
 */
#include "GlibcCompat.h"

float hypotf(float x, float y) {
    if (__builtin_isinf(x) || __builtin_isinf(y)) return __builtin_inff();
    if (__builtin_isnan(x) || __builtin_isnan(y)) return __builtin_nanf("");
    double dx = (double)x, dy = (double)y;
    return (float)__builtin_sqrt(dx * dx + dy * dy);
}

int gas_glibc_compat_linked(void) { return 1; }
