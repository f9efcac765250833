/* util: small helpers every module uses — checked allocation, bounded string copies,
 * clocks, and the sanitiser that keeps remote strings from reaching the terminal raw.
 * Owns no state. Allocation failure aborts with a message (the one sanctioned abort). */
#ifndef R1_UTIL_H
#define R1_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define R1_ERR_MAX 256   /* size of every caller-supplied error buffer */
#define R1_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* A growing NUL-terminated text (a command line, a config edit): start from {0}, append,
 * take .data (NULL until something is added) and free it. */
struct r1_sbuf {
    char *data;
    size_t len, cap;
};
void r1_sb_add(struct r1_sbuf *b, const char *s, size_t n);
void r1_sb_str(struct r1_sbuf *b, const char *s);

/* Docker's rule for a container name, [a-zA-Z0-9][a-zA-Z0-9_.-]*: what the config, r1setup's
 * inventory and the actions accept, and what keeps it safe inside /containers/<name>/... */
bool r1_container_name_ok(const char *s);
/* A systemd service name as r1top accepts it (systemd.unit(5)'s characters, [a-zA-Z0-9] first
 * so it is never an option): "edge_node", "edge_node_2", "edge_node.service". */
bool r1_service_name_ok(const char *s);

/* Copy at most dst_size-1 bytes, always NUL-terminate; returns strlen(src). */
size_t r1_strlcpy(char *dst, const char *src, size_t dst_size);
/* printf into err (R1_ERR_MAX); returns -1 so callers can `return r1_err(err, ...)`. */
int r1_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

double r1_now(void);        /* wall clock, unix seconds (for ages shown to people) */
double r1_mono(void);       /* monotonic seconds (for timers and timeouts) */

/* Copy a remote string into dst, replacing control characters, escape sequences, DEL, invalid
 * UTF-8 and format/invisible characters (r1_cp_unsafe) with '?', so nothing a node or oracle
 * says can move the cursor, recolour the screen, reorder or hide text. Other valid UTF-8 text
 * (including non-ASCII) is kept. */
void r1_sanitize(char *dst, size_t dst_size, const char *src);
/* The same for a text of several lines (a command's output): each line sanitised, the line
 * breaks kept (a CR before one dropped). */
void r1_sanitize_lines(char *dst, size_t dst_size, const char *src);

/* True for code points that must never reach the terminal or a config value: C0, DEL, C1,
 * and the format/invisible ones (Unicode Cf, Zl, Zp: bidi marks and overrides, zero-width
 * characters, BOM, tags) and the invisible fillers. r1_sanitize replaces them with '?'. */
bool r1_cp_unsafe(unsigned cp);
/* A name a person typed or a file gave, as the config's name field takes it: not empty, shorter
 * than max bytes, valid UTF-8 with no code point r1_cp_unsafe refuses. */
bool r1_text_ok(const char *s, size_t max);

/* Copy url into dst (n bytes, always terminated) with the password of its userinfo replaced:
 * "sftp://user:secret@host/p" -> "sftp://user:***@host/p". A URL without a password is copied
 * unchanged (a user name alone is not a secret). For every place a configured URL is shown. */
void r1_url_redact(char *dst, size_t n, const char *url);
/* True when url's userinfo holds a password ("scheme://user:pass@host..."). */
bool r1_url_has_password(const char *url);
/* "host:port" of a URL, without scheme, credentials, path or query, into dst. */
void r1_url_host(const char *url, char *dst, size_t dst_size);

/* Decode one UTF-8 character at s (NUL-terminated). Returns its length (1..4) and sets *cp,
 * or 0 when the bytes are not valid UTF-8 (overlong, surrogate, > U+10FFFF, truncated, stray
 * continuation). The sanitiser and the screen's width arithmetic share it. */
size_t r1_utf8_decode(const unsigned char *s, unsigned *cp);

/* Value of one hex digit (0-9, a-f, A-F), or -1. */
int r1_hex_nibble(char c);

/* "12 s", "4 min", "3 h", "2 d": a compact age for a screen cell. */
void r1_fmt_age(char *dst, size_t dst_size, double age_s);
/* "1d 02:03:04" / "02:03:04": a duration. */
void r1_fmt_duration(char *dst, size_t dst_size, double secs);
/* "1.5 GiB", "512 MiB" */
void r1_fmt_bytes(char *dst, size_t dst_size, double bytes);

/* Parse "HH:MM:SS" with unbounded hours (node uptime) or "D days, H:MM:SS" (Python timedelta).
 * Returns 0 and sets *secs, or -1. */
int r1_parse_elapsed(const char *s, double *secs);
/* Dates outside these years are not dates r1top can have been given (see util.c). */
#define R1_YEAR_MIN 1971
#define R1_YEAR_MAX 2200
/* Parse "YYYY-mm-dd HH:MM:SS[.ffffff]" as UTC. Returns 0 and sets *t (unix s), or -1 (and *t
 * untouched) when the text has another shape or any field is out of range (month 13, Feb 30,
 * hour 24, a year outside R1_YEAR_MIN..R1_YEAR_MAX). */
int r1_parse_utc(const char *s, double *t);
/* RFC 3339 as Docker writes it: "YYYY-mm-ddTHH:MM:SS[.f](Z|+hh:mm|-hh:mm)", fraction up to 9
 * digits. Same range checks and contract as r1_parse_utc. */
int r1_parse_rfc3339(const char *s, double *t);

/* Read a whole file, at most max_bytes (more is an error). *out is NUL-terminated, caller frees. */
int r1_read_file(const char *path, size_t max_bytes, char **out, size_t *len, double *mtime,
                 char *err);

#endif
