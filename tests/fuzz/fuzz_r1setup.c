/* libFuzzer target for the parsers of issue 7's outside input: r1setup's inventory (Ansible
 * YAML, holding passwords), its active_config.json, and config_append's reading of the user's
 * config file to find where new nodes go.
 *
 * The first byte picks the parser (byte % 3; the corpus uses the digits):
 *   '0' r1setup_parse_inventory, then r1setup_node_cfg on every host
 *   '1' r1setup_parse_active
 *   '2' config_append_plan: the rest is a config file, one fixed node is to be added
 * The rest is the document.
 *
 * Properties checked beyond "no crash, no leak, no UB" (abort() on a violation):
 *   - an inventory gives at most R1SETUP_HOSTS_MAX hosts, each once, with a clean non-empty
 *     name, a host of host-name or IPv6 characters, a user of login characters, a port of -1
 *     or 1..65535, and a volume that is empty or absolute (which variables are kept, and that
 *     no password is, test_r1setup checks on the fixtures);
 *   - a host's node entry is "ssh://" ... "/_data/" with no space, quote or control byte;
 *   - active_config's name is a plain file name; every failure fills a clean err;
 *   - a plan either fails with a clean err and no edit, or cuts only spaces and an empty
 *     token ("~", "null", "[]") and inserts text that starts a line, with the result holding
 *     the old bytes around it (config_append_apply) and loading with the node last.
 * Build and run: see tests/fuzz/README.md (make fuzz FUZZ_TARGET=r1setup). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_append.h"
#include "r1setup.h"
#include "util.h"

#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool only(const char *s, const char *set)
{
    return strspn(s, set) == strlen(s);
}

static void check_host(const struct r1setup_host *h)
{
    check_clean(h->name, sizeof(h->name));
    if (!h->name[0])
        abort();
    check_clean(h->host, sizeof(h->host));
    check_clean(h->user, sizeof(h->user));
    check_clean(h->volume, sizeof(h->volume));
    check_clean(h->container, sizeof(h->container));
    check_clean(h->node_status, sizeof(h->node_status));
    if (!only(h->host, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-:") ||
        !only(h->user, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"))
        abort();
    if (h->port != -1 && (h->port < 1 || h->port > 65535))
        abort();
    if (h->volume[0] && h->volume[0] != '/')
        abort();
    if (h->problem[0])
        check_err(h->problem);
    struct r1_node_cfg nc;
    char err[R1_ERR_MAX];
    if (r1setup_node_cfg(h, &nc, err) < 0) {
        check_err(err);
        return;
    }
    size_t n = strlen(nc.status_url);
    if (strncmp(nc.status_url, "ssh://", 6) != 0 || n < 13 ||
        strcmp(nc.status_url + n - 7, "/_data/") != 0 || strpbrk(nc.status_url, " \"'\\#"))
        abort();
    check_clean(nc.status_url, sizeof(nc.status_url));
}

static void fuzz_inventory(const char *buf, size_t len)
{
    struct r1setup_host *hosts = NULL;
    size_t n = 0;
    char err[R1_ERR_MAX];
    memset(err, 0xA5, sizeof(err));
    if (r1setup_parse_inventory(buf, len, "fuzz.yml", &hosts, &n, err) != 0) {
        check_err(err);
        if (hosts || n)
            abort();
        return;
    }
    if (n > R1SETUP_HOSTS_MAX || (n > 0 && !hosts))
        abort();
    for (size_t i = 0; i < n; i++) {
        check_host(&hosts[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(hosts[i].name, hosts[j].name) == 0)
                abort();
    }
    free(hosts);
}

static void fuzz_active(const char *buf, size_t len)
{
    char name[R1_NAME_MAX], env[16], err[R1_ERR_MAX];
    memset(err, 0xA5, sizeof(err));
    if (r1setup_parse_active(buf, len, name, sizeof(name), env, sizeof(env), err) != 0) {
        check_err(err);
        return;
    }
    if (!name[0] || name[0] == '.' ||
        !only(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"))
        abort();
    check_clean(env, sizeof(env));
}

/* What a plan may cut: spaces, then one empty value. */
static bool empty_token(const char *s, size_t n)
{
    size_t sp = 0;
    while (sp < n && s[sp] == ' ')
        sp++;
    s += sp;
    n -= sp;
    if ((n == 1 && s[0] == '~') ||
        (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4))))
        return true;
    if (n < 2 || s[0] != '[' || s[n - 1] != ']')
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            return false;
    return true;
}

static void fuzz_append(const char *buf, size_t len)
{
    struct r1_node_cfg nc;
    memset(&nc, 0, sizeof(nc));
    strcpy(nc.name, "fuzz-added");
    strcpy(nc.address, "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m");
    struct config_append_edit e;
    char err[R1_ERR_MAX];
    memset(err, 0xA5, sizeof(err));
    if (config_append_plan(buf, len, &nc, 1, "fuzz.yaml", &e, err) != 0) {
        check_err(err);
        if (e.text)
            abort();
        return;
    }
    if (!(e.cut_from <= e.cut_to && e.cut_to <= e.at && e.at <= len) || !e.text ||
        e.text_len == 0 || strlen(e.text) != e.text_len)
        abort();
    if (e.cut_from != e.cut_to && !empty_token(buf + e.cut_from, e.cut_to - e.cut_from))
        abort();
    /* the new lines start a line: at the start of the file, after a line break, or with one */
    if (e.at > 0 && buf[e.at - 1] != '\n' && e.text[0] != '\n' && e.text[0] != '\r')
        abort();
    size_t new_len;
    char *res = config_append_apply(buf, len, &e, &new_len);
    struct r1_config cfg;
    config_defaults(&cfg);
    if (config_load_buffer(&cfg, res, new_len, "fuzz.yaml", err) != 0 || cfg.n_nodes == 0 ||
        strcmp(cfg.nodes[cfg.n_nodes - 1].name, "fuzz-added") != 0)
        abort();
    config_free(&cfg);
    free(res);
    config_append_edit_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    switch (data[0] % 3) {
    case 0:
        fuzz_inventory(buf, len);
        break;
    case 1:
        fuzz_active(buf, len);
        break;
    default:
        fuzz_append(buf, len);
        break;
    }
    return 0;
}
