/* unit: the systemd unit source (unit.h). The reply is one framed stream from
 * transport_ssh's snippet: "r1top-unit NOW", systemctl show's KEY=VALUE lines, "r1top-show-rc
 * N", "r1top-exit-file TEXT|-", "r1top-starts N|-". Every value is checked: states are
 * systemd's lower-case words, numbers are in range, the start time is "@<unix s>"
 * (--timestamp=unix, systemd 248 and later); anything else fails the read and names what. */
#include "unit.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sources/source.h"
#include "transport_ssh.h"
#include "util.h"

/* The line at *p (without its newline) into line; false at the end of the buffer. */
static bool next_line(const char **p, const char *end, char *line, size_t n)
{
    if (*p >= end)
        return false;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t l = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
    /* a NUL is not systemd's text: the line reads as what it is, and fails where a KEY=VALUE
     * or a tag is wanted */
    if (memchr(*p, '\0', l))
        snprintf(line, n, "(a NUL byte)");
    else
        snprintf(line, n, "%.*s", (int)(l < n ? l : n - 1), *p);
    *p = nl ? nl + 1 : end;
    return true;
}

/* Decimal 0..max, nothing else. */
static bool read_int(const char *s, long long max, long long *v)
{
    long long x = 0;
    if (!isdigit((unsigned char)s[0]))
        return false;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s) || x > max / 10)
            return false;
        x = x * 10 + (*s - '0');
    }
    if (x > max)
        return false;
    *v = x;
    return true;
}

static bool word_ok(const char *s, size_t size)
{
    return s[0] && strlen(s) < size && strspn(s, "abcdefghijklmnopqrstuvwxyz-") == strlen(s);
}

struct show_word {
    const char *key;
    enum r1_unit_field field;
    size_t offset, size;
};
#define WORD(k, f, m)                                                                              \
    {                                                                                              \
        k, f, offsetof(struct r1_unit, m), sizeof(((struct r1_unit *)0)->m)                        \
    }
static const struct show_word show_words[] = {
    WORD("LoadState", UNIT_LOAD, load_state),
    WORD("ActiveState", UNIT_ACTIVE, active_state),
    WORD("SubState", UNIT_SUB, sub_state),
    WORD("Result", UNIT_RESULT, result),
};

/* One KEY=VALUE line of systemctl show into u; unknown keys are skipped (systemd adds
 * properties), a known one with a bad value fails. */
static int show_line(const char *key, const char *val, double shift, struct r1_unit *u, char *err)
{
    long long v;
    for (size_t i = 0; i < R1_ARRAY_LEN(show_words); i++) {
        const struct show_word *w = &show_words[i];
        if (strcmp(key, w->key) != 0)
            continue;
        if (!word_ok(val, w->size))
            return r1_err(err, "systemctl show: %s '%.24s' is not a systemd state", key, val);
        r1_strlcpy((char *)u + w->offset, val, w->size);
        u->meta.valid |= UINT64_C(1) << w->field;
        return 0;
    }
    if (strcmp(key, "NRestarts") == 0) {
        if (!read_int(val, INT_MAX, &v))
            return r1_err(err, "systemctl show: NRestarts '%.24s' is not a count", val);
        u->n_restarts = (int)v;
        R1_MARK(u, UNIT_NRESTARTS);
    } else if (strcmp(key, "ExecMainStatus") == 0) {
        if (!read_int(val, 255, &v))
            return r1_err(err, "systemctl show: ExecMainStatus '%.24s' is not 0 to 255", val);
        u->main_status = (int)v;
        R1_MARK(u, UNIT_MAIN_STATUS);
    } else if (strcmp(key, "ExecMainStartTimestamp") == 0 && val[0]) {
        /* empty: never started; "@0" likewise */
        if (val[0] != '@' || !read_int(val + 1, (long long)1e12, &v))
            return r1_err(err,
                          "systemctl show: ExecMainStartTimestamp '%.40s' is not @<unix "
                          "seconds> (a systemd older than 248?)",
                          val);
        if (v > 0) {
            u->main_started_at = (double)v + shift;
            R1_MARK(u, UNIT_STARTED);
        }
    }
    return 0;
}

/* The show section, up to its "r1top-show-rc N" line. */
static int show_section(const char **p, const char *end, double shift, struct r1_unit *u, char *err)
{
    char line[512], first[200] = "";
    long long rc;
    while (next_line(p, end, line, sizeof(line))) {
        if (strncmp(line, "r1top-show-rc ", 14) == 0) {
            if (!read_int(line + 14, 255, &rc))
                return r1_err(err, "the unit reply's systemctl status is malformed");
            if (rc != 0)
                return r1_err(err, "systemctl show failed (exit %lld)%s%s", rc,
                              first[0] ? ": " : "", first);
            return 0;
        }
        if (!first[0])
            snprintf(first, sizeof(first), "%.150s", line);
        char *eq = strchr(line, '=');
        if (!eq) /* systemctl's own lines are all KEY=VALUE */
            return r1_err(err, "systemctl show printed '%.60s', not KEY=VALUE", line);
        *eq = '\0';
        if (show_line(line, eq + 1, shift, u, err) < 0)
            return -1;
    }
    return r1_err(err, "the unit reply was cut short in systemctl show's output");
}

/* "r1top-exit-file TEXT|-" and "r1top-starts N|-" */
static int tail_section(const char **p, const char *end, struct r1_unit *u, char *err)
{
    char line[128];
    long long v;
    if (!next_line(p, end, line, sizeof(line)) || strncmp(line, "r1top-exit-file ", 16) != 0)
        return r1_err(err, "the unit reply was cut short before the exit file");
    /* the unit writes `echo $?` (§7.4): a code 0..255; "-" is no file (never exited yet) */
    if (read_int(line + 16, 255, &v)) {
        u->exit_file_code = (int)v;
        R1_MARK(u, UNIT_EXIT_FILE);
    }
    if (!next_line(p, end, line, sizeof(line)) || strncmp(line, "r1top-starts ", 13) != 0)
        return r1_err(err, "the unit reply was cut short before the journal's starts");
    if (read_int(line + 13, INT_MAX, &v)) {
        u->starts_30min = (int)v;
        R1_MARK(u, UNIT_STARTS);
    } else if (strcmp(line + 13, "-") != 0) {
        return r1_err(err, "the unit reply's start count is malformed");
    }
    return 0;
}

int unit_parse(const char *buf, size_t len, double local_now, struct r1_unit *out, char *err)
{
    const char *p = transport_ssh_find_tag(buf, len, "r1top-unit "), *end = buf + len;
    char line[64];
    long long now;
    if (!p)
        return r1_err(err, "unit: the reply is not what r1top asked for (does the login shell "
                           "print text?)");
    if (!next_line(&p, end, line, sizeof(line)) || !read_int(line + 11, (long long)1e12, &now))
        return r1_err(err, "unit: the reply's header is malformed");
    /* Fill a copy: only a whole reply replaces what is shown. */
    struct r1_unit t;
    memset(&t, 0, sizeof(t));
    t.meta = out->meta;
    t.meta.valid = 0;
    t.main_status = t.exit_file_code = t.starts_30min = t.n_restarts = -1;
    char why[R1_ERR_MAX];
    if (show_section(&p, end, local_now - (double)now, &t, why) < 0 ||
        tail_section(&p, end, &t, why) < 0) {
        char clean[R1_ERR_MAX];
        r1_sanitize(clean, sizeof(clean), why); /* it quotes the host's text */
        return r1_err(err, "unit: %s", clean);
    }
    if (R1_VALID(&t, UNIT_LOAD) && strcmp(t.load_state, "loaded") != 0)
        return r1_err(err,
                      "unit: systemd has no such unit on the host (LoadState=%s); check "
                      "docker.service",
                      t.load_state);
    if (!R1_VALID(&t, UNIT_ACTIVE))
        return r1_err(err, "unit: systemctl show printed no ActiveState");
    *out = t;
    return 0;
}

int unit_exit_file(const char *service, const char *container, char *dst, size_t n)
{
    const char *name = strcmp(service, "edge_node") == 0 ? "edge_node"
                       : container && container[0]       ? container
                                                         : service;
    if (!r1_service_name_ok(name))
        return -1;
    int w = snprintf(dst, n, "/tmp/%s.exit", name);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int unit_prepare(const struct r1_source_ctx *ctx, struct r1_node *node,
                        struct r1_request *req, char *err)
{
    char file[R1_NAME_MAX + 16], q[2 * R1_NAME_MAX + 40];
    if (!node->service[0] || node->demo)
        return 1;
    if (!r1_service_name_ok(node->service) ||
        unit_exit_file(node->service, node->container, file, sizeof(file)) < 0)
        return r1_err(err, "unit: '%s' is not a systemd service name", node->service);
    snprintf(q, sizeof(q), "unit=%s&exit-file=%s", node->service, file);
    if (transport_ssh_host_url(node->status_dir_url, q, req->url, sizeof(req->url)) < 0)
        return r1_err(err, "unit: the status URL is too long for the unit request");
    return 0;
}

static int unit_apply(const struct r1_source_ctx *ctx, struct r1_node *node,
                      const struct r1_reply *reply, char *err)
{
    return unit_parse(reply->body, reply->len, ctx->now, &node->unit, err);
}

static struct r1_meta *unit_meta(struct r1_fleet *f, struct r1_node *node)
{
    return &node->unit.meta;
}

const struct r1_source_ops source_unit = {
    .id = SRC_UNIT,
    .name = "unit",
    .label = "systemd unit",
    .config_help = "r1setup's systemd unit (nodes with docker.service): its state, the exit "
                   "file and its starts in the last 30 minutes.",
    .scope = R1_SCOPE_NODE,
    .default_interval_s = 30,
    .prepare = unit_prepare,
    .apply = unit_apply,
    .meta = unit_meta,
    .max_reply_kib = 16,
};
