/* docker_stream: the Engine API's multiplexed stream (docker_stream.h). */
#include "docker_stream.h"

#include <stdint.h>

/* A frame header: stream 0..2 then three zero bytes. Raw text cannot start that way (a NUL,
 * SOH or STX byte followed by three NULs is not text). */
static int is_header(const unsigned char *h)
{
    return h[0] <= 2 && h[1] == 0 && h[2] == 0 && h[3] == 0;
}

size_t docker_stream_demux(const char *buf, size_t len, bool final, struct r1_sbuf *out)
{
    const unsigned char *b = (const unsigned char *)buf;
    if (len == 0)
        return 0;
    if ((len >= 4 && !is_header(b)) || (len < 4 && final && b[0] > 2)) {
        r1_sb_add(out, buf, len);   /* a TTY container: no framing */
        return len;
    }
    size_t at = 0;
    while (len - at >= 8) {
        const unsigned char *h = b + at;
        if (!is_header(h)) {
            /* framing lost in the middle (cannot happen with a well-behaved daemon): keep the
             * rest as text rather than drop it */
            r1_sb_add(out, buf + at, len - at);
            return len;
        }
        uint32_t n = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
        if (n > len - at - 8)
            return final ? len : at;   /* a partial frame: wait for the rest, or drop it */
        if (h[0] != 0 && n)
            r1_sb_add(out, buf + at + 8, n);
        at += 8 + (size_t)n;
    }
    return final ? len : at;
}
