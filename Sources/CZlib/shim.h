#ifndef GAS_CZLIB_SHIM_H
#define GAS_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro, which Swift cannot call: gzip or zlib headers detected (15 + 32). */
static inline int gas_inflate_init_gzip(z_streamp stream) { return inflateInit2(stream, 15 + 32); }

/* A raw deflate stream (a BGZF block's data, without its gzip header and trailer). */
static inline int gas_inflate_init_raw(z_streamp stream) { return inflateInit2(stream, -15); }

#endif
