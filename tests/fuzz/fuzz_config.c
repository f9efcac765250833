/* libFuzzer target for the YAML config loader: config_load_buffer (libyaml event stream
 * against the settings table) and config_free.
 *
 * The first byte picks what the file is loaded over (byte % 2; the corpus uses the digits):
 *   '0' the built-in defaults (config_defaults), as r1top starts
 *   '1' the defaults plus a base file with two nodes and two trusted oracles, so replacing,
 *       keeping and freeing an existing node list are all exercised
 * The rest is the YAML file.
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - a failed load returns -1, writes a non-empty NUL-terminated error without control
 *     characters that starts "NAME:" (file:line:col), and leaves cfg byte-for-byte as it was:
 *     over the defaults that is config_defaults' struct (a few fields are also compared by
 *     name: network, refresh, timeout, no nodes, no path);
 *   - a successful load gives values inside the table's limits: a network, refresh 1..86400
 *     s, ui 0.1..3600 s, timeout 1..300 s, body 1 KiB..1 GiB, at most 32 trusted oracles
 *     that are 0xai_ + 44 base64url, an oracle URL that is empty or http(s):// with no
 *     trailing '/', at most 1024 nodes with unique, non-empty, NUL-terminated, control-free
 *     names, each watching something, status URLs file:// or sftp:// ending in '/', and the
 *     file's name as cfg->path;
 *   - loading is idempotent: the same file loaded again over its own result changes nothing.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=config). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "network.h"
#include "util.h"

#include "fuzz_checks.h"

#define NAME "fuzz.yaml"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_yaml[] =
    "network: testnet\n"
    "oracle:\n"
    "  trusted:\n"
    "    - 0xai_AhIQz47-2dpbncDTODXcP7_cByr0_CI9VEB1dCXnbbG7\n"
    "    - aixp_AgnygSlY8BwnmaCj6mItg36JHlG_Lh3UqqFaTPbuNzy0\n"
    "nodes:\n"
    "  - name: alpha\n"
    "    status: /srv/alpha/_data\n"
    "    docker: {}\n"
    "  - name: beta\n"
    "    address: 0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m\n";

/* The shared checks, plus: config errors start with the file's name ("NAME:LINE:COL: ...",
 * or "NAME: ..." for an oversized file). */
static void check_config_err(const char *err)
{
    check_err(err);
    if (strncmp(err, NAME ":", strlen(NAME ":")) != 0)
        abort();
}

static void check_str(const char *s, size_t size)
{
    const char *end = memchr(s, '\0', size);
    if (end == NULL)
        abort();
    for (const char *p = s; p < end; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            abort();
}
#define CHECK_STR(field) check_str((field), sizeof(field))

static bool is_b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

static void check_address(const char *a, bool may_be_empty)
{
    if (memchr(a, '\0', R1_ADDR_MAX) == NULL)
        abort();
    if (a[0] == '\0' && may_be_empty)
        return;
    if (strncmp(a, "0xai_", 5) != 0 || strlen(a) != 49)
        abort();
    for (const char *p = a + 5; *p; p++)
        if (!is_b64url(*p))
            abort();
}

static void check_loaded(const struct r1_config *c)
{
    if (c->net == NULL)
        abort();
    for (int s = 0; s < SRC_COUNT; s++)
        if (!(c->interval_s[s] >= 1.0 && c->interval_s[s] <= 86400.0))
            abort();
    if (!(c->ui_delay_s >= 0.1 && c->ui_delay_s <= 3600.0))
        abort();
    if (c->http_timeout_ms < 1000 || c->http_timeout_ms > 300000)
        abort();
    if (c->max_body_bytes < 1024 || c->max_body_bytes > (size_t)1024 * 1048576)
        abort();
    CHECK_STR(c->oracle_url);
    size_t ulen = strlen(c->oracle_url);
    if (ulen > 0 && ((strncasecmp(c->oracle_url, "http://", 7) != 0 &&
                      strncasecmp(c->oracle_url, "https://", 8) != 0) ||
                     c->oracle_url[ulen - 1] == '/'))
        abort();
    if (c->n_trusted_oracles < 0 || c->n_trusted_oracles > R1_CONFIG_MAX_ORACLES)
        abort();
    for (int i = 0; i < c->n_trusted_oracles; i++)
        check_address(c->trusted_oracles[i], false);
    if (c->n_nodes > R1_CONFIG_MAX_NODES || (c->n_nodes > 0 && c->nodes == NULL))
        abort();
    for (size_t i = 0; i < c->n_nodes; i++) {
        const struct r1_node_cfg *n = &c->nodes[i];
        CHECK_STR(n->name);
        CHECK_STR(n->address);
        CHECK_STR(n->eth_address);
        CHECK_STR(n->status_url);
        CHECK_STR(n->docker_socket);
        CHECK_STR(n->container);
        if (n->name[0] == '\0')
            abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->nodes[j].name, n->name) == 0)
                abort();
        if (!n->status_url[0] && !n->address[0] && !n->eth_address[0] && !n->docker_socket[0])
            abort(); /* a node with nothing to watch */
        check_address(n->address, true);
        if (n->eth_address[0] && (strncmp(n->eth_address, "0x", 2) != 0 ||
                                  strlen(n->eth_address) != 42))
            abort();
        size_t slen = strlen(n->status_url);
        if (slen > 0 && ((strncmp(n->status_url, "file:///", 8) != 0 &&
                          strncmp(n->status_url, "sftp://", 7) != 0) ||
                         n->status_url[slen - 1] != '/'))
            abort();
        if (n->docker_socket[0] && n->docker_socket[0] != '/')
            abort();
    }
    if (strcmp(c->path, NAME) != 0)
        abort();
}

/* Two loaded configs hold the same settings (node arrays compared by content). */
static bool same_settings(const struct r1_config *a, const struct r1_config *b)
{
    return a->net == b->net && strcmp(a->oracle_url, b->oracle_url) == 0 &&
           a->oracle_enabled == b->oracle_enabled &&
           memcmp(a->interval_s, b->interval_s, sizeof(a->interval_s)) == 0 &&
           a->ui_delay_s == b->ui_delay_s && a->http_timeout_ms == b->http_timeout_ms &&
           a->max_body_bytes == b->max_body_bytes &&
           a->n_trusted_oracles == b->n_trusted_oracles &&
           memcmp(a->trusted_oracles, b->trusted_oracles, sizeof(a->trusted_oracles)) == 0 &&
           a->n_nodes == b->n_nodes &&
           (a->n_nodes == 0 ||
            memcmp(a->nodes, b->nodes, a->n_nodes * sizeof(*a->nodes)) == 0) &&
           strcmp(a->path, b->path) == 0;
}

static struct r1_config copy_config(const struct r1_config *c)
{
    struct r1_config d;
    memcpy(&d, c, sizeof(d));
    if (c->n_nodes > 0) {
        d.nodes = xmalloc(c->n_nodes * sizeof(*c->nodes));
        memcpy(d.nodes, c->nodes, c->n_nodes * sizeof(*c->nodes));
    }
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    bool over_base = data[0] % 2 == 1;
    char err[R1_ERR_MAX];

    struct r1_config cfg, defaults, before;
    config_defaults(&cfg);
    config_defaults(&defaults);
    if (memcmp(&cfg, &defaults, sizeof(cfg)) != 0)
        abort(); /* the defaults are deterministic, padding included */
    if (over_base && config_load_buffer(&cfg, base_yaml, strlen(base_yaml), NAME, err) != 0)
        abort(); /* the harness's own base file must load */
    memcpy(&before, &cfg, sizeof(cfg));

    memset(err, 0xA5, sizeof(err));
    if (config_load_buffer(&cfg, buf, len, NAME, err) != 0) {
        check_config_err(err);
        if (memcmp(&cfg, &before, sizeof(cfg)) != 0)
            abort(); /* cfg is left as it was: the defaults (or the base file's settings) */
        if (!over_base) {
            if (cfg.net != network_get(R1_NET_MAINNET) || cfg.ui_delay_s != 2.0 ||
                cfg.interval_s[SRC_NODE_INFO] != 10.0 || cfg.http_timeout_ms != 10000 ||
                !cfg.oracle_enabled || cfg.n_nodes != 0 || cfg.nodes != NULL ||
                cfg.n_trusted_oracles != 0 || cfg.path[0] != '\0')
                abort();
        }
        config_free(&cfg);
        return 0;
    }
    check_loaded(&cfg);

    /* Loading the same file over its own result is a fixed point. */
    struct r1_config first = copy_config(&cfg);
    memset(err, 0xA5, sizeof(err));
    if (config_load_buffer(&cfg, buf, len, NAME, err) != 0)
        abort();
    if (!same_settings(&cfg, &first))
        abort();
    config_free(&first);
    config_free(&cfg);
    if (cfg.nodes != NULL || cfg.n_nodes != 0)
        abort();
    return 0;
}
