// The system's zlib (Debian: zlib1g-dev), for gzip responses at a level of our choosing.
#include <zlib.h>

// deflateInit2 is a macro in zlib.h, which Swift cannot call.
static inline int GotongZlib_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
