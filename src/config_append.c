/* config_append: the plan and the write (config_append.h). The plan reads the file with
 * libyaml only to find places: where the `nodes:` value starts and ends, the column of its
 * dashes and of its items' keys. libyaml's marks count characters, not bytes, so every mark is
 * turned into a byte offset by walking the UTF-8 text. The new text is then spliced in, and
 * the result is loaded back with config_load_buffer: a plan whose result does not hold exactly
 * the old nodes followed by the new ones is refused, whatever the reason. */
#include "config_append.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "trust/eth.h"
#include "util.h"

/* ---- a growing string ------------------------------------------------------------------ */

static void sb_spaces(struct r1_sbuf *b, int n)
{
    for (int i = 0; i < n; i++)
        r1_sb_add(b, " ", 1);
}

/* ---- writing entries ------------------------------------------------------------------- */

/* Plain YAML would read some strings as something else: a number (an ETH address is a valid
 * YAML 1.1 hex integer), a boolean, null, or a key (": "). Those are double-quoted. */
static bool plain_ok(const char *v)
{
    static const char *const words[] = {"true", "false", "yes", "no",  "on",
                                        "off",  "y",     "n",   "null"};
    size_t len = strlen(v);
    if (len == 0 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789_./@:+-") != len)
        return false;
    if (strchr("+-.:@", v[0]) || v[len - 1] == ':')
        return false;
    for (size_t i = 0; i < R1_ARRAY_LEN(words); i++)
        if (strcasecmp(v, words[i]) == 0)
            return false;
    bool numberish = strspn(v, "0123456789abcdefABCDEFxXoO_.") == len;
    return !(numberish && v[0] >= '0' && v[0] <= '9');
}

static void sb_value(struct r1_sbuf *b, const char *v)
{
    if (plain_ok(v)) {
        r1_sb_str(b, v);
        return;
    }
    r1_sb_add(b, "\"", 1);
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            r1_sb_add(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\x%02x", c);
            r1_sb_str(b, esc);
        } else {
            r1_sb_add(b, p, 1);
        }
    }
    r1_sb_add(b, "\"", 1);
}

static void sb_key(struct r1_sbuf *b, int col, const char *key, const char *val, const char *eol)
{
    sb_spaces(b, col);
    r1_sb_str(b, key);
    r1_sb_str(b, ": ");
    sb_value(b, val);
    r1_sb_str(b, eol);
}

char *config_append_entries(const struct r1_node_cfg *nodes, size_t n, int dash_col, int key_col,
                            const char *eol)
{
    struct r1_sbuf b = {0};
    r1_sb_str(&b, "");
    if (key_col <= dash_col)
        key_col = dash_col + 2;
    for (size_t i = 0; i < n; i++) {
        const struct r1_node_cfg *nc = &nodes[i];
        /* name first, on the dash's line */
        sb_spaces(&b, dash_col);
        r1_sb_str(&b, "-");
        sb_key(&b, key_col - dash_col - 1, "name", nc->name, eol);
        if (nc->address[0])
            sb_key(&b, key_col, "address", nc->address, eol);
        if (nc->eth_address[0])
            sb_key(&b, key_col, "eth_address", nc->eth_address, eol);
        if (nc->status_url[0])
            sb_key(&b, key_col, "status", nc->status_url, eol);
        if (nc->container[0]) {
            sb_spaces(&b, key_col);
            r1_sb_str(&b, "docker:");
            r1_sb_str(&b, eol);
            if (nc->docker_socket[0] && strcmp(nc->docker_socket, CONFIG_APPEND_DOCKER_SOCKET))
                sb_key(&b, key_col + 2, "socket", nc->docker_socket, eol);
            sb_key(&b, key_col + 2, "container", nc->container, eol);
            if (nc->service[0])
                sb_key(&b, key_col + 2, "service", nc->service, eol);
        }
    }
    return b.data;
}

/* ---- where the nodes: list is ---------------------------------------------------------- */

enum nodes_value {
    NV_ABSENT, /* no nodes: key at all */
    NV_EMPTY,  /* "nodes:" with nothing after it */
    NV_TOKEN,  /* "nodes: ~", "nodes: null", "nodes: []": a token to cut */
    NV_FLOW,   /* "nodes: [ {...} ]": refused */
    NV_BLOCK,  /* a block list of "- name: ..." entries */
};

struct scan {
    bool root_flow; /* the whole document is one {...} */
    int root_col;   /* the column of the top-level keys */
    enum nodes_value kind;
    size_t key_line; /* the nodes: key (line, and its end as a character index) */
    int key_col;
    size_t key_end;
    size_t tok_start, tok_end;  /* NV_TOKEN, character indexes */
    int dash_col, item_key_col; /* NV_BLOCK */
    size_t last_end;            /* NV_BLOCK: the end of the last value in the list */
};

/* A character index from libyaml to a byte offset (past a UTF-8 BOM, which libyaml does not
 * count). len when the index is past the end. */
static size_t byte_at(const char *buf, size_t len, size_t index)
{
    size_t b = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    for (size_t c = 0; c < index && b < len; c++) {
        b++;
        while (b < len && ((unsigned char)buf[b] & 0xc0) == 0x80)
            b++;
    }
    return b;
}

static int next(yaml_parser_t *yp, yaml_event_t *ev, const char *name, char *err)
{
    if (yaml_parser_parse(yp, ev))
        return 0;
    return r1_err(err, "%s:%zu:%zu: YAML syntax error: %s", name, yp->problem_mark.line + 1,
                  yp->problem_mark.column + 1, yp->problem ? yp->problem : "unreadable");
}

/* Skip the rest of a value whose start event was just read (scalars end at once). */
static int skip_value(yaml_parser_t *yp, const yaml_event_t *start, const char *name, char *err)
{
    if (start->type != YAML_SEQUENCE_START_EVENT && start->type != YAML_MAPPING_START_EVENT)
        return 0;
    int depth = 1;
    while (depth > 0) {
        yaml_event_t ev;
        if (next(yp, &ev, name, err) < 0)
            return -1;
        if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        else if (ev.type == YAML_STREAM_END_EVENT)
            depth = 0;
        yaml_event_delete(&ev);
    }
    return 0;
}

static bool is_null_token(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL"));
}

/* The block list under nodes: from its SEQUENCE_START to its SEQUENCE_END. The end of its
 * last value is the end of the last scalar or flow collection in it: a block collection's end
 * event is marked where the next token starts, which can be lines further down. */
static int scan_block(yaml_parser_t *yp, const yaml_event_t *start, struct scan *sc,
                      const char *name, char *err)
{
    sc->kind = NV_BLOCK;
    sc->dash_col = (int)start->start_mark.column;
    sc->item_key_col = sc->dash_col + 2;
    sc->last_end = start->end_mark.index;
    int depth = 1, flow = 0;
    while (depth > 0) {
        yaml_event_t ev;
        if (next(yp, &ev, name, err) < 0)
            return -1;
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (depth == 1 && ev.type == YAML_MAPPING_START_EVENT)
                sc->item_key_col = (int)ev.start_mark.column;
            depth++;
            if (flow || (ev.type == YAML_MAPPING_START_EVENT
                             ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                             : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE))
                flow++;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            if (flow > 0) {
                flow--;
                sc->last_end = ev.end_mark.index;
            }
            break;
        case YAML_SCALAR_EVENT:
            if (ev.end_mark.index > sc->last_end)
                sc->last_end = ev.end_mark.index;
            break;
        case YAML_STREAM_END_EVENT:
            depth = 0;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    return 0;
}

/* The value of nodes: whose first event is ev. */
static int scan_nodes_value(yaml_parser_t *yp, const yaml_event_t *ev, struct scan *sc,
                            const char *name, char *err)
{
    if (ev->type == YAML_SCALAR_EVENT) {
        sc->kind = ev->data.scalar.length == 0 ? NV_EMPTY : is_null_token(ev) ? NV_TOKEN : NV_FLOW;
        sc->tok_start = ev->start_mark.index;
        sc->tok_end = ev->end_mark.index;
        return 0;
    }
    if (ev->type == YAML_SEQUENCE_START_EVENT &&
        ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE) {
        yaml_event_t e2;
        if (next(yp, &e2, name, err) < 0)
            return -1;
        bool empty = e2.type == YAML_SEQUENCE_END_EVENT;
        sc->kind = empty ? NV_TOKEN : NV_FLOW;
        sc->tok_start = ev->start_mark.index;
        sc->tok_end = e2.end_mark.index;
        int rc = empty ? 0 : skip_value(yp, ev, name, err);
        if (!empty && e2.type != YAML_SCALAR_EVENT && rc == 0)
            rc = skip_value(yp, &e2, name, err);
        yaml_event_delete(&e2);
        return rc;
    }
    if (ev->type == YAML_SEQUENCE_START_EVENT)
        return scan_block(yp, ev, sc, name, err);
    sc->kind = NV_FLOW; /* a mapping: the loader refuses it before we get here */
    return skip_value(yp, ev, name, err);
}

/* The top-level keys, looking for nodes:. */
static int scan_root(yaml_parser_t *yp, struct scan *sc, const char *name, char *err)
{
    for (;;) {
        yaml_event_t key;
        if (next(yp, &key, name, err) < 0)
            return -1;
        if (key.type != YAML_SCALAR_EVENT) {
            yaml_event_delete(&key);
            return 0; /* MAPPING_END */
        }
        bool is_nodes = strcmp((const char *)key.data.scalar.value, "nodes") == 0;
        if (is_nodes) {
            sc->key_line = key.start_mark.line;
            sc->key_col = (int)key.start_mark.column;
            sc->key_end = key.end_mark.index;
        }
        yaml_event_delete(&key);
        yaml_event_t val;
        if (next(yp, &val, name, err) < 0)
            return -1;
        int rc =
            is_nodes ? scan_nodes_value(yp, &val, sc, name, err) : skip_value(yp, &val, name, err);
        yaml_event_delete(&val);
        if (rc < 0)
            return -1;
    }
}

static int scan_file(const char *buf, size_t len, const char *name, struct scan *sc, char *err)
{
    memset(sc, 0, sizeof(*sc));
    sc->kind = NV_ABSENT;
    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp))
        return r1_err(err, "%s: cannot start the YAML parser (out of memory)", name);
    yaml_parser_set_input_string(&yp, (const unsigned char *)buf, len);
    int rc = 0;
    for (bool done = false; !done && rc == 0;) {
        yaml_event_t ev;
        if ((rc = next(&yp, &ev, name, err)) < 0)
            break;
        if (ev.type == YAML_MAPPING_START_EVENT) {
            sc->root_flow = ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
            sc->root_col = (int)ev.start_mark.column;
            rc = scan_root(&yp, sc, name, err);
            done = true;
        } else if (ev.type == YAML_STREAM_END_EVENT || ev.type == YAML_SCALAR_EVENT) {
            done = true; /* empty, or only comments */
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&yp);
    return rc;
}

/* ---- the plan -------------------------------------------------------------------------- */

/* The offset just past the line that holds byte b (past its '\n'), or len. */
static size_t line_end(const char *buf, size_t len, size_t b)
{
    while (b < len && buf[b] != '\n')
        b++;
    return b < len ? b + 1 : len;
}

/* Comment lines right after the list and indented under nodes: belong to it (a commented-out
 * key of the last entry, an entry kept for later): the new entries go after them. A blank line
 * or anything less indented ends the list. */
static size_t past_list_comments(const char *buf, size_t len, size_t at, int key_col)
{
    while (at < len) {
        size_t s = at;
        while (s < len && buf[s] == ' ')
            s++;
        if (s >= len || buf[s] != '#' || (int)(s - at) <= key_col)
            break;
        at = line_end(buf, len, s);
    }
    return at;
}

static bool uses_crlf(const char *buf, size_t len)
{
    const char *nl = memchr(buf, '\n', len);
    return nl && nl > buf && nl[-1] == '\r';
}

/* A bare CR is a line break to libyaml and not to the line arithmetic here; UTF-16 would get
 * UTF-8 bytes spliced in. Both are refused rather than guessed at. */
static int check_encoding(const char *buf, size_t len, const char *name, char *err)
{
    if (len >= 2 && ((unsigned char)buf[0] == 0xfe || (unsigned char)buf[0] == 0xff))
        return r1_err(err,
                      "%s is not UTF-8 (it starts with a UTF-16 mark); r1top adds nodes "
                      "only to UTF-8 files",
                      name);
    size_t line = 1;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))
            return r1_err(err,
                          "%s has a line ending r1top does not handle (a lone carriage "
                          "return on line %zu); save it with \\n or \\r\\n line endings",
                          name, line);
        line += buf[i] == '\n';
    }
    return 0;
}

/* Load buf over defaults, for the checks; cfg must be freed. */
static int load(struct r1_config *cfg, const char *buf, size_t len, const char *name, char *err)
{
    config_defaults(cfg);
    return config_load_buffer(cfg, buf, len, name, err);
}

/* The names and addresses the file already has, and repeats among the new nodes. */
static int check_new(const struct r1_config *old, const struct r1_node_cfg *nodes, size_t n,
                     const char *name, char *err)
{
    for (size_t i = 0; i < n; i++) {
        const struct r1_node_cfg *a = &nodes[i];
        for (size_t j = 0; j < old->n_nodes + i; j++) {
            const struct r1_node_cfg *b =
                j < old->n_nodes ? &old->nodes[j] : &nodes[j - old->n_nodes];
            const char *where = j < old->n_nodes ? name : "the nodes to add";
            if (strcmp(a->name, b->name) == 0)
                return r1_err(err, "%s already has a node named '%s'; choose another name", where,
                              a->name);
            if (a->address[0] && strcasecmp(a->address, b->address) == 0)
                return r1_err(err, "%s already has the node %s (as '%s')", where, a->address,
                              b->name);
            if (a->eth_address[0] && strcasecmp(a->eth_address, b->eth_address) == 0)
                return r1_err(err, "%s already has the node %s (as '%s')", where, a->eth_address,
                              b->name);
            if (a->status_url[0] && strcmp(a->status_url, b->status_url) == 0)
                return r1_err(err, "%s already has a node reading %s (as '%s')", where,
                              a->status_url, b->name);
        }
    }
    return 0;
}

/* b as loaded back; a as given (a docker block written without a socket gets the default). */
static bool same_node(const struct r1_node_cfg *a, const struct r1_node_cfg *b)
{
    const char *sock =
        a->container[0] && !a->docker_socket[0] ? CONFIG_APPEND_DOCKER_SOCKET : a->docker_socket;
    return strcmp(a->name, b->name) == 0 && strcmp(a->address, b->address) == 0 &&
           strcmp(a->eth_address, b->eth_address) == 0 &&
           strcmp(a->status_url, b->status_url) == 0 && strcmp(a->container, b->container) == 0 &&
           strcmp(sock, b->docker_socket) == 0;
}

/* The result must load and hold the old nodes, then exactly the new ones. */
static int check_result(const struct r1_config *old, const char *buf, size_t len,
                        const struct r1_node_cfg *nodes, size_t n, const char *name, char *err)
{
    struct r1_config cfg;
    char why[R1_ERR_MAX];
    if (load(&cfg, buf, len, name, why) < 0) {
        config_free(&cfg);
        return r1_err(err,
                      "adding the nodes to %s would leave a file that does not load (%s); "
                      "nothing was written",
                      name, why);
    }
    bool ok = cfg.n_nodes == old->n_nodes + n;
    for (size_t i = 0; ok && i < old->n_nodes; i++)
        ok = same_node(&old->nodes[i], &cfg.nodes[i]);
    for (size_t i = 0; ok && i < n; i++)
        ok = same_node(&nodes[i], &cfg.nodes[old->n_nodes + i]);
    config_free(&cfg);
    if (!ok)
        return r1_err(err,
                      "adding the nodes to %s would not give the list expected; nothing "
                      "was written (please report this with the file)",
                      name);
    return 0;
}

/* Where the text goes and what it is, from the scan. */
static int place(const char *buf, size_t len, const struct scan *sc,
                 const struct r1_node_cfg *nodes, size_t n, const char *name,
                 struct config_append_edit *e, char *err)
{
    const char *eol = uses_crlf(buf, len) ? "\r\n" : "\n";
    struct r1_sbuf t = {0};
    r1_sb_str(&t, "");
    char *entries = NULL;
    size_t at = len;
    e->cut_from = e->cut_to = 0;
    switch (sc->kind) {
    case NV_FLOW:
        free(t.data);
        return r1_err(err,
                      "%s: nodes: is written in flow style ([...]) on line %zu, which "
                      "r1top cannot extend without rewriting it; write it as a block list "
                      "('- name: ...' lines) or add the nodes by hand",
                      name, sc->key_line + 1);
    case NV_BLOCK: {
        size_t b = byte_at(buf, len, sc->last_end);
        at = b > 0 && buf[b - 1] == '\n' ? b : line_end(buf, len, b);
        at = past_list_comments(buf, len, at, sc->key_col);
        entries = config_append_entries(nodes, n, sc->dash_col, sc->item_key_col, eol);
        break;
    }
    case NV_EMPTY:
    case NV_TOKEN: {
        size_t key_end = byte_at(buf, len, sc->key_end);
        if (sc->kind == NV_TOKEN) {
            e->cut_to = byte_at(buf, len, sc->tok_end);
            e->cut_from = byte_at(buf, len, sc->tok_start);
            while (e->cut_from > key_end && buf[e->cut_from - 1] == ' ')
                e->cut_from--;
        }
        at = line_end(buf, len, sc->kind == NV_TOKEN ? e->cut_to : key_end);
        entries = config_append_entries(nodes, n, sc->key_col + 2, sc->key_col + 4, eol);
        break;
    }
    case NV_ABSENT:
        if (sc->root_flow) {
            free(t.data);
            return r1_err(err,
                          "%s is one flow mapping ({...}), which r1top cannot extend "
                          "without rewriting it; add a nodes: list by hand",
                          name);
        }
        if (len > 0 && buf[len - 1] != '\n')
            r1_sb_str(&t, eol);
        if (len > 0 &&
            !(len >= 2 && buf[len - 1] == '\n' &&
              (buf[len - 2] == '\n' || (len >= 3 && buf[len - 2] == '\r' && buf[len - 3] == '\n'))))
            r1_sb_str(&t, eol); /* a blank line before the new block, as between sections */
        sb_spaces(&t, sc->root_col);
        r1_sb_str(&t, "nodes:");
        r1_sb_str(&t, eol);
        entries = config_append_entries(nodes, n, sc->root_col + 2, sc->root_col + 4, eol);
        break;
    }
    if (e->cut_from == e->cut_to)
        e->cut_from = e->cut_to = at;
    if (at == len && len > 0 && buf[len - 1] != '\n' && sc->kind != NV_ABSENT)
        r1_sb_str(&t, eol); /* the list's last line had no line break */
    r1_sb_str(&t, entries);
    free(entries);
    e->at = at;
    e->text = t.data;
    e->text_len = t.len;
    return 0;
}

int config_append_plan(const char *buf, size_t len, const struct r1_node_cfg *nodes, size_t n,
                       const char *name, struct config_append_edit *edit, char *err)
{
    memset(edit, 0, sizeof(*edit));
    if (n == 0)
        return r1_err(err, "no nodes to add to %s", name);
    if (check_encoding(buf, len, name, err) < 0)
        return -1;
    struct r1_config old;
    char why[R1_ERR_MAX];
    if (load(&old, buf, len, name, why) < 0) {
        config_free(&old);
        return r1_err(err, "%s does not load, so r1top will not add to it: %s", name, why);
    }
    struct scan sc;
    int rc = check_new(&old, nodes, n, name, err);
    if (rc == 0)
        rc = scan_file(buf, len, name, &sc, err);
    if (rc == 0)
        rc = place(buf, len, &sc, nodes, n, name, edit, err);
    if (rc == 0) {
        size_t new_len;
        char *result = config_append_apply(buf, len, edit, &new_len);
        rc = check_result(&old, result, new_len, nodes, n, name, err);
        free(result);
    }
    config_free(&old);
    if (rc < 0)
        config_append_edit_free(edit);
    return rc;
}

char *config_append_apply(const char *buf, size_t len, const struct config_append_edit *e,
                          size_t *out_len)
{
    struct r1_sbuf b = {0};
    r1_sb_str(&b, "");
    r1_sb_add(&b, buf, e->cut_from);
    r1_sb_add(&b, buf + e->cut_to, e->at - e->cut_to);
    r1_sb_add(&b, e->text ? e->text : "", e->text_len);
    r1_sb_add(&b, buf + e->at, len - e->at);
    *out_len = b.len;
    return b.data;
}

void config_append_edit_free(struct config_append_edit *e)
{
    free(e->text);
    memset(e, 0, sizeof(*e));
}

/* ---- words ----------------------------------------------------------------------------- */

void config_append_describe(const struct r1_node_cfg *nodes, size_t n, const char *path, char *dst,
                            size_t dst_size)
{
    struct r1_sbuf b = {0};
    char head[48];
    snprintf(head, sizeof(head), "%zu node%s (", n, n == 1 ? "" : "s");
    r1_sb_str(&b, head);
    for (size_t i = 0; i < n && i < 4; i++) {
        if (i)
            r1_sb_str(&b, ", ");
        r1_sb_str(&b, nodes[i].name);
    }
    if (n > 4) {
        char more[32];
        snprintf(more, sizeof(more), " and %zu more", n - 4);
        r1_sb_str(&b, more);
    }
    r1_sb_str(&b, ") to ");
    r1_sb_str(&b, path);
    r1_strlcpy(dst, b.data, dst_size);
    free(b.data);
}

int config_append_parse_node(const char *text, struct r1_node_cfg *out, char *err)
{
    memset(out, 0, sizeof(*out));
    while (*text == ' ')
        text++;
    size_t alen = strcspn(text, " ");
    char addr[R1_ADDR_MAX], name[R1_NAME_MAX + 8];
    if (alen == 0)
        return r1_err(err, "type the node's address: 0xai_ and 44 characters, or an ETH "
                           "address, 0x and 40 hex digits (a name may follow)");
    if (alen >= sizeof(addr))
        return r1_err(err, "that is too long for an address; expected 0xai_ and 44 "
                           "characters, or 0x and 40 hex digits");
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    const char *rest = text + alen;
    while (*rest == ' ')
        rest++;
    r1_strlcpy(name, rest, sizeof(name));
    for (size_t k = strlen(name); k > 0 && name[k - 1] == ' '; k--)
        name[k - 1] = '\0';
    if (strncmp(addr, "0xai_", 5) == 0 || strncmp(addr, "aixp_", 5) == 0) {
        unsigned char pub[ETH_PUBKEY_LEN];
        if (alen != 49 || eth_node_addr_parse(addr, pub) < 0)
            return r1_err(err,
                          "'%.60s' is not a node address; expected 0xai_ and 44 base64url "
                          "characters of a node's public key",
                          addr);
        snprintf(out->address, sizeof(out->address), "0xai_%s", addr + 5);
        snprintf(out->name, sizeof(out->name), "%.11s..%s", out->address, out->address + 45);
    } else if (strncmp(addr, "0x", 2) == 0 || strncmp(addr, "0X", 2) == 0) {
        unsigned char raw[ETH_ADDR_LEN];
        char eth[ETH_ADDR_BUF];
        if (eth_address_parse(addr, raw) < 0)
            return r1_err(err,
                          "'%.60s' is not an ETH address; expected 0x and 40 hex digits "
                          "(mixed case must match its EIP-55 checksum)",
                          addr);
        eth_address_format(raw, eth);
        r1_strlcpy(out->eth_address, eth, sizeof(out->eth_address));
        snprintf(out->name, sizeof(out->name), "%.8s..%s", eth, eth + 38);
    } else {
        return r1_err(err,
                      "'%.60s' is not an address; expected a node address (0xai_ and 44 "
                      "characters) or an ETH address (0x and 40 hex digits)",
                      addr);
    }
    if (name[0]) {
        if (!r1_text_ok(name, R1_NAME_MAX))
            return r1_err(err, "'%.60s' is not a usable name: 1 to %d printable characters", name,
                          R1_NAME_MAX - 1);
        r1_strlcpy(out->name, name, sizeof(out->name));
    }
    return 0;
}

/* ---- the write ------------------------------------------------------------------------- */

/* Every byte of buf to fd. 0 or -1 (errno set). */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

static void split_path(const char *path, char *dir, size_t dir_size, const char **base)
{
    r1_strlcpy(dir, path, dir_size);
    char *slash = strrchr(dir, '/');
    if (!slash) {
        r1_strlcpy(dir, ".", dir_size);
        *base = path;
    } else {
        *base = path + (slash - dir) + 1;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
}

/* A rename is durable once the folder is synced. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* The file is still what was read: same inode, size, mtime and bytes. Someone saving the file
 * in an editor meanwhile must not lose their change to ours, nor we ours to theirs. */
static int unchanged(const char *path, const struct stat *st0, const char *buf, size_t len,
                     char *err)
{
    struct stat st;
    char *now = NULL;
    size_t now_len = 0;
    char why[R1_ERR_MAX];
    bool same = stat(path, &st) == 0 && st.st_ino == st0->st_ino && st.st_dev == st0->st_dev &&
                st.st_size == st0->st_size && st.st_mtim.tv_sec == st0->st_mtim.tv_sec &&
                st.st_mtim.tv_nsec == st0->st_mtim.tv_nsec &&
                r1_read_file(path, R1_CONFIG_MAX_BYTES, &now, &now_len, NULL, why) == 0 &&
                now_len == len && memcmp(now, buf, len) == 0;
    free(now);
    if (!same)
        return r1_err(err,
                      "%s changed while r1top was adding nodes to it; nothing was "
                      "written; try again",
                      path);
    return 0;
}

/* The end of the file is where the text goes: append in place (the old bytes are never
 * rewritten, not even for a moment). */
static int append_in_place(const char *path, const struct stat *st0, const char *buf, size_t len,
                           const struct config_append_edit *e, char *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return r1_err(err, "cannot open %s to add nodes: %s", path, strerror(errno));
    if (unchanged(path, st0, buf, len, err) < 0) {
        close(fd);
        return -1;
    }
    int rc = write_all(fd, e->text, e->text_len);
    int saved = errno;
    if (rc == 0 && fsync(fd) < 0) {
        rc = -1;
        saved = errno;
    }
    close(fd);
    if (rc < 0)
        return r1_err(err,
                      "cannot write to %s: %s (it may now end with part of a node entry; "
                      "check its end)",
                      path, strerror(saved));
    return 0;
}

/* Elsewhere in the file: the whole new file goes to a temporary file beside it (same mode,
 * same owner), synced, then renamed over it once the file is known not to have changed. */
static int replace_by_rename(const char *path, const struct stat *st0, const char *buf, size_t len,
                             const struct config_append_edit *e, char *err)
{
    char dir[PATH_MAX], tmp[PATH_MAX + 32];
    const char *base;
    split_path(path, dir, sizeof(dir), &base);
    snprintf(tmp, sizeof(tmp), "%s/.%s.r1top-XXXXXX", dir, base);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return r1_err(err, "cannot create a temporary file beside %s: %s", path, strerror(errno));
    size_t new_len;
    char *result = config_append_apply(buf, len, e, &new_len);
    int rc = fchmod(fd, st0->st_mode & 07777);
    if (rc == 0 && (st0->st_uid != geteuid() || st0->st_gid != getegid()))
        rc = fchown(fd, st0->st_uid, st0->st_gid);
    const char *what = rc < 0 ? "give it the file's owner and mode" : "write it";
    if (rc == 0 && (write_all(fd, result, new_len) < 0 || fsync(fd) < 0))
        rc = -1;
    int saved = errno;
    free(result);
    close(fd);
    if (rc < 0) {
        unlink(tmp);
        return r1_err(err, "cannot add nodes to %s: the temporary file %s: cannot %s: %s", path,
                      tmp, what, strerror(saved));
    }
    if (unchanged(path, st0, buf, len, err) < 0) {
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) < 0) {
        saved = errno;
        unlink(tmp);
        return r1_err(err, "cannot replace %s: %s", path, strerror(saved));
    }
    sync_dir(dir);
    return 0;
}

/* mkdir -p for the default path's folders (private: the file names whom r1top trusts). */
static int make_dirs(const char *dir, char *err)
{
    char d[PATH_MAX];
    r1_strlcpy(d, dir, sizeof(d));
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(d, 0700);
        *p = '/';
    }
    if (mkdir(d, 0700) < 0 && errno != EEXIST)
        return r1_err(err, "cannot create the folder %s: %s", d, strerror(errno));
    return 0;
}

#define NEW_FILE_HEAD "# r1top configuration (r1top.yaml.example describes every key).\n"

static int create_file(const char *path, const struct r1_node_cfg *nodes, size_t n, char *err)
{
    char dir[PATH_MAX];
    const char *base;
    split_path(path, dir, sizeof(dir), &base);
    if (make_dirs(dir, err) < 0)
        return -1;
    struct config_append_edit e;
    const char *head = NEW_FILE_HEAD;
    if (config_append_plan(head, strlen(head), nodes, n, path, &e, err) < 0)
        return -1;
    size_t len;
    char *text = config_append_apply(head, strlen(head), &e, &len);
    config_append_edit_free(&e);
    /* O_EXCL: a file that appeared meanwhile is someone's, never replaced */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int saved = errno;
        free(text);
        return r1_err(err, "cannot create %s: %s", path, strerror(saved));
    }
    int rc = write_all(fd, text, len) == 0 && fsync(fd) == 0 ? 0 : -1;
    int saved = errno;
    close(fd);
    free(text);
    if (rc < 0) {
        unlink(path);
        return r1_err(err, "cannot write %s: %s", path, strerror(saved));
    }
    sync_dir(dir);
    return 0;
}

int config_append_file(const char *path, const struct r1_node_cfg *nodes, size_t n, char *err)
{
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        if (errno == ENOENT && access(path, F_OK) != 0) {
            struct stat lst;
            if (lstat(path, &lst) == 0) /* a dangling symlink: where would it go? */
                return r1_err(err,
                              "%s is a symbolic link to a file that does not exist; "
                              "create the file first",
                              path);
            return create_file(path, nodes, n, err);
        }
        return r1_err(err, "cannot find %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (stat(real, &st) < 0)
        return r1_err(err, "cannot stat %s: %s", real, strerror(errno));
    char *buf = NULL;
    size_t len = 0;
    if (r1_read_file(real, R1_CONFIG_MAX_BYTES, &buf, &len, NULL, err) < 0)
        return -1;
    struct config_append_edit e;
    int rc = config_append_plan(buf, len, nodes, n, path, &e, err);
    if (rc == 0) {
        bool at_end = e.cut_from == e.cut_to && e.at == len;
        rc = at_end ? append_in_place(real, &st, buf, len, &e, err)
                    : replace_by_rename(real, &st, buf, len, &e, err);
        config_append_edit_free(&e);
    }
    free(buf);
    return rc;
}
