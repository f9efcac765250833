/* logbuf: the last lines of a node's log as r1top holds them for the log screen and
 * `r1top logs` — a bounded ring of sanitised lines (tabs expanded, control characters and
 * escape sequences replaced, so a log line can never move the cursor), with the time of the
 * newest Docker line read, so that the next read asks only for what came after it and a line is
 * never shown twice. Pure: no I/O. Filled by actions.c (the Docker logs reply, the node's log
 * file), read by ui/screen_logs.c and main.c. */
#ifndef R1_LOGBUF_H
#define R1_LOGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define R1_LOG_LINES_MAX 5000     /* what the screen keeps; older lines are dropped */
#define R1_LOG_LINE_MAX 1024      /* a longer line is cut (and marked with "…") */

struct r1_logbuf {
    char **ring;          /* R1_LOG_LINES_MAX slots, allocated on first use */
    size_t head, n;       /* oldest at ring[head], n lines */
    uint64_t total;       /* lines ever added (a reader's "new since" mark) */
    int64_t last_s;       /* Docker timestamp of the newest line added: seconds, nanoseconds */
    int32_t last_ns;
    bool have_last;
};

/* Add the lines of text (a Docker logs reply with timestamps=1: "RFC3339NANO text" per line).
 * with_ts: lines carry Docker's timestamp, and one not after the newest already held is
 * skipped (the logs API's `since` is inclusive). A last line without a newline is kept too. */
void logbuf_add_text(struct r1_logbuf *b, const char *text, size_t len, bool with_ts);
/* Line i (0 = oldest held), or NULL. */
const char *logbuf_line(const struct r1_logbuf *b, size_t i);
/* The `since` value for the next Docker read: "S.NNNNNNNNN", or "" when nothing was read. */
void logbuf_since(const struct r1_logbuf *b, char *dst, size_t n);
void logbuf_clear(struct r1_logbuf *b);

/* Parse an RFC 3339 UTC time with optional fraction ("2026-12-02T05:18:01.2458Z"), 1970 or
 * later: the length of the stamp, or 0 when text does not start with one. */
size_t logbuf_parse_ts(const char *text, size_t len, int64_t *s, int32_t *ns);

#endif
