#ifndef GAS_GLIBC_COMPAT_H
#define GAS_GLIBC_COMPAT_H
/* Definitions that keep Lambda binaries within the glibc symbol versions of provided.al2023. */
float hypotf(float x, float y);
/* Referenced from Swift so the object is always linked. */
int gas_glibc_compat_linked(void);
#endif
