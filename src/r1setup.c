/* r1setup: the inventory reader (r1setup.h). The Ansible YAML is walked as libyaml events, the
 * way config.c reads r1top's own file: groups (all, and children to any depth up to a limit),
 * their hosts, and in each host's variables only the keys kept. A value that is not kept is
 * zeroed in the event before the event is freed, and the parser's buffers and the file's bytes
 * are zeroed before they are freed: a password is read by libyaml, never by r1top, and not left
 * in freed memory. What is kept is checked for the characters an SSH URL can carry, so a value
 * from the inventory can neither change the URL's meaning nor reach the terminal raw. */
#include "r1setup.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <yaml.h>

#include "config_append.h"
#include "jsonutil.h"
#include "util.h"

#define R1SETUP_FILE_MAX (4 * 1024 * 1024)
#define GROUP_DEPTH_MAX 8

/* memset that the compiler may not drop because the memory is freed next. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (p && n--)
        *v++ = 0;
}

/* ---- checks on kept values --------------------------------------------------------------- */

static bool only(const char *s, const char *set)
{
    return s[0] && strspn(s, set) == strlen(s);
}

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static bool is_ipv6(const char *s)
{
    return strchr(s, ':') && only(s, "0123456789abcdefABCDEF:.");
}

static bool host_ok(const char *s)
{
    if (strlen(s) > 253)
        return false;
    if (is_ipv6(s))
        return true;
    return only(s, ALNUM ".-") && s[0] != '-' && s[0] != '.';
}

static bool user_ok(const char *s)
{
    return strlen(s) <= 32 && only(s, ALNUM "._-") && s[0] != '-';
}

static bool volume_ok(const char *s)
{
    size_t n = strlen(s);
    return s[0] == '/' && n < 400 && only(s, ALNUM "._/-") && !strstr(s, "/../") &&
           !strstr(s, "//") && !(n >= 3 && strcmp(s + n - 3, "/..") == 0);
}

/* ---- active_config.json ------------------------------------------------------------------ */

/* Every string in the tree zeroed: machines may carry the same secrets as the inventory. */
static void json_wipe(cJSON *item)
{
    for (; item; item = item->next) {
        if (item->valuestring)
            wipe(item->valuestring, strlen(item->valuestring));
        json_wipe(item->child);
    }
}

int r1setup_parse_active(const char *buf, size_t len, char *config_name, size_t name_size,
                         char *environment, size_t env_size, char *err)
{
    config_name[0] = environment[0] = '\0';
    char perr[R1_ERR_MAX];
    cJSON *doc = json_parse(buf, len, perr);
    if (!doc)
        return r1_err(err, "active_config.json: %s", perr);
    char name[R1_NAME_MAX] = "", env[16] = "";
    bool have = json_get_str(doc, "config_name", name, sizeof(name));
    json_get_str(doc, "environment", env, sizeof(env));
    json_wipe(doc);
    cJSON_Delete(doc);
    /* it becomes a file name under configs/: nothing that could leave that folder */
    if (!have || !only(name, ALNUM "._-") || name[0] == '.')
        return r1_err(err, "active_config.json: no usable config_name (a plain file name of "
                           "letters, digits, '.', '_' or '-'); is r1setup's configuration set?");
    r1_strlcpy(config_name, name, name_size);
    if (only(env, ALNUM))
        r1_strlcpy(environment, env, env_size);
    return 0;
}

/* ---- the inventory ----------------------------------------------------------------------- */

struct inv_parser {
    yaml_parser_t yp;
    yaml_event_t ev;
    bool have_ev;
    const char *name;
    char *err;
    struct r1setup_host *hosts;
    size_t n, cap;
};

static void drop_event(struct inv_parser *p)
{
    if (!p->have_ev)
        return;
    if (p->ev.type == YAML_SCALAR_EVENT)
        wipe(p->ev.data.scalar.value, p->ev.data.scalar.length);
    yaml_event_delete(&p->ev);
    p->have_ev = false;
}

static int next_event(struct inv_parser *p)
{
    drop_event(p);
    if (!yaml_parser_parse(&p->yp, &p->ev))
        return r1_err(p->err, "%s:%zu:%zu: YAML syntax error: %s", p->name,
                      p->yp.problem_mark.line + 1, p->yp.problem_mark.column + 1,
                      p->yp.problem ? p->yp.problem : "unreadable");
    p->have_ev = true;
    return 0;
}

/* The current event starts a value: read past its end, wiping every scalar on the way. */
static int skip_value(struct inv_parser *p)
{
    int depth = 0;
    do {
        if (p->ev.type == YAML_SEQUENCE_START_EVENT || p->ev.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (p->ev.type == YAML_SEQUENCE_END_EVENT || p->ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        else if (p->ev.type == YAML_STREAM_END_EVENT)
            return r1_err(p->err, "%s: the YAML ends inside a value", p->name);
        if (depth > 0 && next_event(p) < 0)
            return -1;
    } while (depth > 0);
    return 0;
}

static bool is_null(const yaml_event_t *ev)
{
    if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)ev->data.scalar.value;
    return !v[0] || !strcmp(v, "~") || !strcmp(v, "null");
}

static const char *scalar(const struct inv_parser *p)
{
    return (const char *)p->ev.data.scalar.value;
}

static void host_problem(struct r1setup_host *h, const char *what)
{
    if (!h->problem[0])
        snprintf(h->problem, sizeof(h->problem), "%s", what);
}

static bool status_ok(const char *s)
{
    return only(s, ALNUM "_");
}

/* The host variables r1top keeps, each with its check and where it goes. An unusable value is
 * the host's problem (its words never quote the value: a password typed in the wrong field
 * would be); an unusable node_status is only not kept. ansible_port, a number, has no field
 * text: host_var reads it. */
struct host_field {
    const char *key;
    size_t off, size;          /* the text field in struct r1setup_host; size 0: the port */
    bool (*ok)(const char *v);
    const char *problem;       /* NULL: an unusable value is quietly not kept */
};
#define HOST_TEXT(member) offsetof(struct r1setup_host, member), \
                          sizeof(((struct r1setup_host *)0)->member)
static const struct host_field host_fields[] = {
    {"ansible_host", HOST_TEXT(host), host_ok, "ansible_host is not a host name or IP address"},
    {"ansible_user", HOST_TEXT(user), user_ok,
     "ansible_user is not a user name r1top can put in an SSH URL"},
    {"ansible_port", 0, 0, NULL, "ansible_port is not a port number (1 to 65535)"},
    {"mnl_docker_volume_path", HOST_TEXT(volume), volume_ok,
     "mnl_docker_volume_path is not an absolute path r1top can use"},
    /* Docker's own rule for names */
    {"mnl_docker_container_name", HOST_TEXT(container), r1_container_name_ok,
     "mnl_docker_container_name is not a Docker container name"},
    /* the unit that runs the container: the actions go through it (§7.4) */
    {"edge_node_service_name", HOST_TEXT(service), r1_service_name_ok,
     "edge_node_service_name is not a systemd service name"},
    {"node_status", HOST_TEXT(node_status), status_ok, NULL},
};

static const struct host_field *host_field(const char *key)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(host_fields); i++)
        if (strcmp(key, host_fields[i].key) == 0)
            return &host_fields[i];
    return NULL;
}

/* One kept variable: the current event is its value. */
static void host_var(struct inv_parser *p, struct r1setup_host *h, const struct host_field *f)
{
    bool sc = p->ev.type == YAML_SCALAR_EVENT && strlen(scalar(p)) == p->ev.data.scalar.length;
    const char *v = sc ? scalar(p) : "";
    bool usable;
    if (f->size == 0) {
        long port = sc && only(v, "0123456789") && strlen(v) <= 5 ? strtol(v, NULL, 10) : 0;
        usable = port >= 1 && port <= 65535;
        if (usable)
            h->port = (int)port;
    } else {
        usable = sc && strlen(v) < f->size && f->ok(v);
        if (usable)
            r1_strlcpy((char *)h + f->off, v, f->size);
    }
    if (!usable && f->problem)
        host_problem(h, f->problem);
}

static struct r1setup_host *host_slot(struct inv_parser *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->hosts[i].name, name) == 0)
            return &p->hosts[i]; /* a host in two groups: one host, variables merged */
    if (p->n >= R1SETUP_HOSTS_MAX)
        return NULL;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->hosts = xrealloc(p->hosts, p->cap * sizeof(*p->hosts));
    }
    struct r1setup_host *h = &p->hosts[p->n++];
    memset(h, 0, sizeof(*h));
    h->port = -1;
    r1_strlcpy(h->name, name, sizeof(h->name));
    return h;
}

/* The current event is a host's value: a mapping of variables, or null. */
static int parse_host(struct inv_parser *p, struct r1setup_host *h)
{
    if (is_null(&p->ev))
        return 0;
    if (p->ev.type != YAML_MAPPING_START_EVENT) {
        if (h)
            host_problem(h, "its variables are not a mapping");
        return skip_value(p);
    }
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_MAPPING_END_EVENT)
            return 0;
        const struct host_field *f = p->ev.type == YAML_SCALAR_EVENT ? host_field(scalar(p)) : NULL;
        if (!f && skip_value(p) < 0)
            return -1;
        if (next_event(p) < 0)
            return -1;
        if (f && h)
            host_var(p, h, f);
        if (skip_value(p) < 0)
            return -1;
    }
}

/* The current event is the value of a group's "hosts". */
static int parse_hosts(struct inv_parser *p)
{
    if (is_null(&p->ev))
        return 0;
    if (p->ev.type != YAML_MAPPING_START_EVENT)
        return skip_value(p);
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_MAPPING_END_EVENT)
            return 0;
        struct r1setup_host *h = NULL;
        bool named = p->ev.type == YAML_SCALAR_EVENT && r1_text_ok(scalar(p), R1_NAME_MAX);
        if (named)
            h = host_slot(p, scalar(p));
        else if (skip_value(p) < 0)
            return -1;
        if (next_event(p) < 0)
            return -1;
        if (parse_host(p, named ? h : NULL) < 0)
            return -1;
    }
}

static int parse_group(struct inv_parser *p, int depth);

/* The current event is a mapping of group names to groups (the file's top level, or a group's
 * children). */
static int parse_groups(struct inv_parser *p, int depth)
{
    if (p->ev.type != YAML_MAPPING_START_EVENT || depth > GROUP_DEPTH_MAX)
        return skip_value(p);
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_MAPPING_END_EVENT)
            return 0;
        if (skip_value(p) < 0 || next_event(p) < 0 || parse_group(p, depth) < 0)
            return -1;
    }
}

/* The current event is a group's value: hosts, children (groups), vars (skipped). */
static int parse_group(struct inv_parser *p, int depth)
{
    if (p->ev.type != YAML_MAPPING_START_EVENT)
        return skip_value(p);
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_MAPPING_END_EVENT)
            return 0;
        int what = 0; /* 1 hosts, 2 children */
        if (p->ev.type == YAML_SCALAR_EVENT)
            what = !strcmp(scalar(p), "hosts") ? 1 : !strcmp(scalar(p), "children") ? 2 : 0;
        else if (skip_value(p) < 0)
            return -1;
        if (next_event(p) < 0)
            return -1;
        int rc = what == 1   ? parse_hosts(p)
                 : what == 2 ? parse_groups(p, depth + 1)
                             : skip_value(p);
        if (rc < 0)
            return -1;
    }
}

static int parse_stream(struct inv_parser *p)
{
    do {
        if (next_event(p) < 0)
            return -1;
    } while (p->ev.type == YAML_STREAM_START_EVENT || p->ev.type == YAML_DOCUMENT_START_EVENT);
    if (p->ev.type == YAML_STREAM_END_EVENT || is_null(&p->ev))
        return 0;
    if (p->ev.type != YAML_MAPPING_START_EVENT)
        return r1_err(p->err,
                      "%s: not an Ansible inventory (expected a mapping such as "
                      "'all: {children: ...}')",
                      p->name);
    /* every top-level key is a group; r1setup writes all: */
    return parse_groups(p, 0);
}

int r1setup_parse_inventory(const char *buf, size_t len, const char *name,
                            struct r1setup_host **hosts, size_t *n_hosts, char *err)
{
    *hosts = NULL;
    *n_hosts = 0;
    struct inv_parser *p = xcalloc(1, sizeof(*p));
    p->name = name;
    p->err = err;
    if (!yaml_parser_initialize(&p->yp)) {
        free(p);
        return r1_err(err, "%s: cannot start the YAML parser (out of memory)", name);
    }
    yaml_parser_set_input_string(&p->yp, (const unsigned char *)buf, len);
    int rc = parse_stream(p);
    drop_event(p);
    /* the decoded text and the raw input libyaml copied: passwords were in both */
    wipe(p->yp.buffer.start, (size_t)(p->yp.buffer.end - p->yp.buffer.start));
    wipe(p->yp.raw_buffer.start, (size_t)(p->yp.raw_buffer.end - p->yp.raw_buffer.start));
    yaml_parser_delete(&p->yp);
    if (rc == 0) {
        *hosts = p->hosts;
        *n_hosts = p->n;
    } else {
        free(p->hosts);
    }
    free(p);
    return rc;
}

/* ---- hosts into nodes -------------------------------------------------------------------- */

int r1setup_node_cfg(const struct r1setup_host *h, struct r1_node_cfg *out, char *err)
{
    memset(out, 0, sizeof(*out));
    if (h->problem[0])
        return r1_err(err, "%s", h->problem);
    if (!h->host[0])
        return r1_err(err, "no ansible_host");
    r1_strlcpy(out->name, h->name, sizeof(out->name));
    char volume[R1SETUP_PATH_MAX];
    r1_strlcpy(volume, h->volume[0] ? h->volume : R1SETUP_DEFAULT_VOLUME, sizeof(volume));
    for (size_t k = strlen(volume); k > 1 && volume[k - 1] == '/'; k--)
        volume[k - 1] = '\0';
    char port[16] = "";
    if (h->port > 0)
        snprintf(port, sizeof(port), ":%d", h->port);
    bool v6 = is_ipv6(h->host);
    int n =
        snprintf(out->status_url, sizeof(out->status_url), "ssh://%s%s%s%s%s%s%s/_data/", h->user,
                 h->user[0] ? "@" : "", v6 ? "[" : "", h->host, v6 ? "]" : "", port, volume);
    if (n < 0 || (size_t)n >= sizeof(out->status_url))
        return r1_err(err, "its SSH URL would be too long");
    r1_strlcpy(out->container, h->container, sizeof(out->container));
    r1_strlcpy(out->service, h->service, sizeof(out->service));
    return 0;
}

static int read_wiped(const char *path, char **buf, size_t *len, char *err)
{
    return r1_read_file(path, R1SETUP_FILE_MAX, buf, len, NULL, err);
}

int r1setup_load(const char *home, struct r1setup_inventory *inv, char *err)
{
    memset(inv, 0, sizeof(*inv));
    if (!home || home[0] != '/')
        return r1_err(err, "no HOME: cannot find r1setup's files (~/%s)", R1SETUP_DIR);
    char path[R1SETUP_PATH_MAX], why[R1_ERR_MAX];
    char *buf = NULL;
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/%s/active_config.json", home, R1SETUP_DIR);
    if (read_wiped(path, &buf, &len, why) == 0) {
        int rc = r1setup_parse_active(buf, len, inv->config_name, sizeof(inv->config_name),
                                      inv->environment, sizeof(inv->environment), err);
        wipe(buf, len);
        free(buf);
        if (rc < 0)
            return -1;
        size_t nl = strlen(inv->config_name);
        bool has_ext = nl > 4 && strcmp(inv->config_name + nl - 4, ".yml") == 0;
        snprintf(inv->path, sizeof(inv->path), "%s/%s/configs/%s%s", home, R1SETUP_DIR,
                 inv->config_name, has_ext ? "" : ".yml");
    } else {
        /* r1setup keeps this link to the active inventory (docs/protocol.md §7.6) */
        snprintf(inv->path, sizeof(inv->path),
                 "%s/.ratio1/ansible_config/collections/"
                 "ansible_collections/ratio1/multi_node_launcher/hosts.yml",
                 home);
        if (access(inv->path, R_OK) != 0)
            return r1_err(err,
                          "no r1setup inventory here: %s: %s (is r1setup set up on this "
                          "computer, for this user?)",
                          path, why);
    }
    if (read_wiped(inv->path, &buf, &len, err) < 0)
        return -1;
    int rc = r1setup_parse_inventory(buf, len, inv->path, &inv->hosts, &inv->n_hosts, err);
    wipe(buf, len);
    free(buf);
    return rc;
}

void r1setup_free(struct r1setup_inventory *inv)
{
    free(inv->hosts);
    inv->hosts = NULL;
    inv->n_hosts = 0;
}

/* ---- the plan and the report ------------------------------------------------------------- */

static void note(struct r1setup_plan *plan, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct r1setup_plan *plan, const char *fmt, ...)
{
    plan->notes = xrealloc(plan->notes, (plan->n_notes + 1) * sizeof(*plan->notes));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(plan->notes[plan->n_notes++], R1_ERR_MAX, fmt, ap);
    va_end(ap);
}

static const char *already(const struct r1_config *cfg, const struct r1_node_cfg *nc)
{
    for (size_t i = 0; cfg && i < cfg->n_nodes; i++)
        if (strcmp(cfg->nodes[i].name, nc->name) == 0 ||
            strcmp(cfg->nodes[i].status_url, nc->status_url) == 0)
            return cfg->nodes[i].name;
    return NULL;
}

void r1setup_plan(const struct r1setup_inventory *inv, const struct r1_config *cfg,
                  struct r1setup_plan *plan)
{
    memset(plan, 0, sizeof(*plan));
    plan->nodes = xcalloc(inv->n_hosts ? inv->n_hosts : 1, sizeof(*plan->nodes));
    for (size_t i = 0; i < inv->n_hosts; i++) {
        const struct r1setup_host *h = &inv->hosts[i];
        struct r1_node_cfg nc;
        char why[R1_ERR_MAX];
        const char *dup;
        if (strcmp(h->node_status, "deleted") == 0)
            note(plan, "%s: deleted in r1setup", h->name);
        else if (r1setup_node_cfg(h, &nc, why) < 0)
            note(plan, "%s: %s", h->name, why);
        else if ((dup = already(cfg, &nc)) != NULL)
            note(plan, "%s: already in the config (as '%s')", h->name, dup);
        else
            plan->nodes[plan->n_nodes++] = nc;
    }
}

void r1setup_plan_free(struct r1setup_plan *plan)
{
    free(plan->nodes);
    free(plan->notes);
    memset(plan, 0, sizeof(*plan));
}

void r1setup_print(FILE *out, const struct r1setup_inventory *inv, const struct r1_config *cfg,
                   const struct r1setup_plan *plan)
{
    fprintf(out, "# r1setup inventory: %s", inv->path);
    if (inv->config_name[0])
        fprintf(out, " (configuration %s%s%s)", inv->config_name, inv->environment[0] ? ", " : "",
                inv->environment);
    fprintf(out, "\n# %zu host%s, %zu node%s to add", inv->n_hosts, inv->n_hosts == 1 ? "" : "s",
            plan->n_nodes, plan->n_nodes == 1 ? "" : "s");
    fprintf(out, "; each is read with your own ssh (~/.ssh/config, agent, known_hosts).\n");
    if (inv->environment[0] && cfg && cfg->net && strcmp(inv->environment, cfg->net->name) != 0)
        fprintf(out, "# r1setup deploys to %s but r1top watches %s: set 'network: %s'.\n",
                inv->environment, cfg->net->name, inv->environment);
    for (size_t i = 0; i < plan->n_notes; i++)
        fprintf(out, "# left out: %s\n", plan->notes[i]);
    if (plan->n_nodes == 0)
        return;
    char *text = config_append_entries(plan->nodes, plan->n_nodes, 2, 4, "\n");
    fprintf(out, "nodes:\n%s", text);
    free(text);
}
