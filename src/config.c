/* config: the settings table, the YAML loader and the example writer.
 * cfg_fields is the one place a setting is defined: its YAML path, type, limits, default,
 * where it lands in struct r1_config (or struct r1_node_cfg) and its help text. The loader
 * walks libyaml's event stream against that table and stops at the first problem, so no input
 * can make it recurse deeper than the schema or expand aliases. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "transport_ssh.h"

/* Where r1setup hosts keep the node's files (docs/protocol.md §4.1). */
#define LOCAL_STATUS_URL "file:///var/cache/edge_node/_local_cache/_data/"

enum cfg_type {
    CT_MAP,        /* a mapping of further keys */
    CT_NODES,      /* a sequence of node mappings */
    CT_NETWORK,    /* const struct r1_network * */
    CT_BOOL,       /* bool */
    CT_AUTO_BOOL,  /* int: 1 true, 0 false, -1 auto (the caller decides what auto means) */
    CT_SECONDS,    /* double seconds */
    CT_MS,         /* seconds in YAML, long milliseconds in the struct */
    CT_KIB,        /* whole KiB in YAML, size_t bytes in the struct */
    CT_HTTP_URL,   /* char[]: http(s)://host..., stored without trailing '/' */
    CT_ADDRS,      /* sequence of 0xai_ addresses into trusted_oracles */
    CT_ETHS,       /* sequence of 0x ETH addresses into wallets */
    CT_NAME,       /* char[]: printable, non-empty */
    CT_ADDR,       /* char[]: 0xai_ + 44 base64url */
    CT_ETH,        /* char[]: 0x + 40 hex */
    CT_STATUS_URL, /* char[]: file:///.../, ssh://host/.../ or sftp://host/.../ */
    CT_SOCKET,     /* char[]: absolute path */
    CT_FILE,       /* char[]: absolute path of a file (ssh's configuration, known_hosts) */
    CT_CONTAINER,  /* char[]: Docker container name */
    CT_SERVICE,    /* char[]: systemd service name, "" = none */
};

enum cfg_base { IN_CONFIG, IN_NODE };

struct cfg_field {
    const char *path;        /* "refresh.node_info", "nodes[].docker.socket" */
    enum cfg_type type;
    enum cfg_base base;      /* offset is into struct r1_config or struct r1_node_cfg */
    size_t offset;
    size_t size;
    double min, max;         /* numbers: inclusive range; CT_ADDRS, CT_ETHS: max = how many */
    const char *def;         /* the default, as YAML text; NULL or "" = unset */
    const char *example;     /* shown commented out in the example file when def is unset */
    const char *help;
};

#define CFG(m) IN_CONFIG, offsetof(struct r1_config, m), sizeof(((struct r1_config *)0)->m)
#define NODE(m) IN_NODE, offsetof(struct r1_node_cfg, m), sizeof(((struct r1_node_cfg *)0)->m)
#define NOWHERE IN_CONFIG, 0, 0
#define NODE_MAP IN_NODE, 0, 0
/* Settings are defined here, in the order of the example file, except the refresh.<source>
 * rows: each source owns its name, default interval and help (sources/source.h), and
 * cfg_table() puts one row per source between cfg_head and cfg_tail. */
static const struct cfg_field cfg_head[] = {
    {"network", CT_NETWORK, CFG(net), 0, 0, "mainnet", NULL,
     "Which Ratio1 network the nodes are on: mainnet, testnet or devnet. It picks the oracle "
     "URL, the epoch length and the oracle signers r1top trusts."},
    {"oracle", CT_MAP, NOWHERE, 0, 0, NULL, NULL,
     "The oracle API: epoch availability, licences and rewards of every node."},
    {"oracle.url", CT_HTTP_URL, CFG(oracle_url), 0, 0, "", "http://127.0.0.1:8787",
     "Use this oracle instead of the network's own (a local simulator or a mirror); http:// or "
     "https:// only. Unset: the network's own, e.g. https://oracle.ratio1.ai on mainnet."},
    {"oracle.enabled", CT_BOOL, CFG(oracle_enabled), 0, 0, "true", NULL,
     "false: never contact the oracle; r1top shows only status files, Docker and GPUs."},
    {"oracle.batch", CT_BOOL, CFG(oracle_batch), 0, 0, "true", NULL,
     "true: a fleet of two or more nodes is asked in batches of 100 (multi_node_epochs_range, "
     "one request per batch); false: two requests per node (node_last_epoch, "
     "node_epochs_range)."},
    {"oracle.trusted", CT_ADDRS, CFG(trusted_oracles), 0, R1_CONFIG_MAX_ORACLES, "[]", NULL,
     "Oracle signer addresses (0xai_...) to trust besides the network's own, e.g. "
     "[0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if]; at most 32."},
    {"refresh", CT_MAP, NOWHERE, 0, 0, NULL, NULL,
     "Seconds between polls, per source. Shorter is fresher and costs more requests."},
    {"refresh.ui", CT_SECONDS, CFG(ui_delay_s), 0.1, 3600, "2", NULL,
     "Screen refresh, 0.1 to 3600 (-d on the command line wins)."},
};

/* Everything after the refresh.<source> rows. */
static const struct cfg_field cfg_tail[] = {
    {"chain", CT_MAP, NOWHERE, 0, 0, NULL, NULL,
     "The network's chain (Base; docs/protocol.md §6): eth_calls for each node's accrued PoAI "
     "rewards and its licence as the chain has it, 2 calls per node in batches of 100 calls."},
    {"chain.enabled", CT_AUTO_BOOL, CFG(chain_enabled), 0, 0, "auto", NULL,
     "true, false, or auto: the same as oracle.enabled (a config that keeps r1top off the "
     "network keeps it off the chain too), except that with oracle.url set (a simulator, a "
     "mirror) the chain is read only when chain.rpc_url is set too."},
    {"chain.rpc_url", CT_HTTP_URL, CFG(chain_rpc_url), 0, 0, "", "http://127.0.0.1:8545",
     "Use this JSON-RPC instead of the network's; http:// or https:// only. Unset: "
     "https://base-rpc.publicnode.com on mainnet, "
     "https://base-sepolia-testnet.api.pocket.network on testnet and devnet. Its chain id is "
     "checked first (Base 8453, Base Sepolia 84532)."},
    {"chain.contracts", CT_MAP, NOWHERE, 0, 0, NULL, NULL,
     "Contract addresses to use instead of the network's own (docs/protocol.md §6.2)."},
    {"chain.contracts.reader", CT_ETH, CFG(chain_contracts[R1_CONTRACT_READER]), 0, 0, "",
     "0xa2fDD4c7E93790Ff68a01f01AA789D619F12c6AC",
     "Reader (getNodeLicenseDetails). Unset: the network's."},
    {"chain.contracts.nd", CT_ETH, CFG(chain_contracts[R1_CONTRACT_ND]), 0, 0, "",
     "0xE658DF6dA3FB5d4FBa562F1D5934bd0F9c6bd423", "ND licence contract. Unset: the network's."},
    {"chain.contracts.mnd", CT_ETH, CFG(chain_contracts[R1_CONTRACT_MND]), 0, 0, "",
     "0x0C431e546371C87354714Fcc1a13365391A549E2", "MND licence contract. Unset: the network's."},
    {"chain.contracts.poai_manager", CT_ETH, CFG(chain_contracts[R1_CONTRACT_POAI_MANAGER]), 0, 0,
     "", "0xa8d7FFCE91a888872A9f5431B4Dd6c0c135055c1",
     "PoAI manager (getNodePoAIRewards). Unset: the network's; the mainnet address in the notes "
     "equals testnet's MND contract, which docs/protocol.md §6.2 flags as a possible slip."},
    {"chain.contracts.controller", CT_ETH, CFG(chain_contracts[R1_CONTRACT_CONTROLLER]), 0, 0, "",
     "0x90dA5FdaA92edDC80FB73114fb7FE7D97f2be017", "Controller. Unset: the network's."},
    {"http", CT_MAP, NOWHERE, 0, 0, NULL, NULL, "Limits for every request r1top makes."},
    {"http.timeout", CT_MS, CFG(http_timeout_ms), 1, 300, "10", NULL,
     "Seconds a request may take before it counts as failed, 1 to 300."},
    {"http.max_body_kib", CT_KIB, CFG(max_body_bytes), 1, 1048576, "4096", NULL,
     "Replies bigger than this many KiB are refused rather than parsed."},
    {"http.action_timeout", CT_MS, CFG(action_timeout_ms), 1, 600, "60", NULL,
     "Seconds an action (a container restart) may take before it counts as failed; Docker "
     "waits up to 10 s for the container to stop before it restarts it."},
    {"remote", CT_MAP, NOWHERE, 0, 0, NULL, NULL,
     "Signed commands over the Ratio1 network (net-stop, net-restart) for nodes with no SSH or "
     "Docker path: dAuth names the MQTT broker and its login, the command goes over TLS."},
    {"remote.dauth_url", CT_HTTP_URL, CFG(dauth_url), 0, 0, "", "http://127.0.0.1:8788/get_auth_data",
     "Use this dAuth URL instead of the network's own, e.g. "
     "https://dauth.ratio1.ai/get_auth_data on mainnet."},
    {"remote.identity", CT_FILE, CFG(identity_file), 0, 0, "", "/home/me/.ratio1/_naeural.pem",
     "The key r1top signs commands with (PEM, mode 0600); --identity wins. Unset: "
     "~/.ratio1/_naeural.pem. A node obeys only keys in its allowed list (add_allowed)."},
    {"remote.confirm_timeout", CT_SECONDS, CFG(confirm_timeout_s), 1, 600, "30", NULL,
     "Seconds to wait for the broker and the node's confirmation of a command, 1 to 600."},
    {"ssh", CT_MAP, NOWHERE, 0, 0, NULL, NULL,
     "How r1top reaches a node whose status is ssh://: it runs your own OpenSSH client, so your "
     "~/.ssh/config (Host aliases, ProxyJump), agent, keys and known_hosts apply, with strict "
     "host-key checking and one shared connection per host."},
    {"ssh.config", CT_FILE, CFG(ssh_config), 0, 0, "", "/home/me/.ssh/r1top_config",
     "An ssh_config file to use instead of ~/.ssh/config (ssh -F). Unset: ssh's own."},
    {"ssh.known_hosts", CT_FILE, CFG(ssh_known_hosts), 0, 0, "", "/home/me/.ssh/known_hosts",
     "The known_hosts file to check host keys against (UserKnownHostsFile). Unset: the one "
     "your ssh configuration names, ~/.ssh/known_hosts by default. An unknown or changed host "
     "key is always refused."},
    {"wallets", CT_ETHS, CFG(wallets), 0, R1_CONFIG_MAX_WALLETS, "[]", NULL,
     "Operator wallets (0x + 40 hex digits), e.g. [0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69]; "
     "at most 32. Every node linked to a licence of one of them (Reader.getWalletNodes on the "
     "chain, refreshed as refresh.wallets says) is watched like a listed node, without being "
     "listed; w never writes them to this file. Needs the chain (chain.enabled)."},
    {"nodes", CT_NODES, NOWHERE, 0, R1_CONFIG_MAX_NODES, NULL, NULL,
     "The nodes to watch, at most 1024. Without this list (or with nodes: []) r1top looks "
     "for a node on this host and watches that one. Each node needs a name and at least one "
     "of status, address, eth_address, docker."},
    {"nodes[].name", CT_NAME, NODE(name), 0, 0, NULL, "my-node",
     "Required and unique: the name r1top shows for the node."},
    {"nodes[].address", CT_ADDR, NODE(address), 0, 0, NULL,
     "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty",
     "The node's 0xai_ address, for the oracle. Optional when status is set: "
     "local_info.json says it."},
    {"nodes[].eth_address", CT_ETH, NODE(eth_address), 0, 0, NULL,
     "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69",
     "The node's ETH address (0x + 40 hex digits), the one its licence is bound to."},
    {"nodes[].status", CT_STATUS_URL, NODE(status_url), 0, 0, NULL, LOCAL_STATUS_URL,
     "The node's _data/ folder, where it writes local_info.json: an absolute path, a "
     "file:/// URL, or ssh://[user@]host[:port]/path from a workstation (your own ssh: "
     "~/.ssh/config aliases, agent, keys, known_hosts; see ssh). r1setup hosts: "
     "/var/cache/edge_node/_local_cache/_data/."},
    {"nodes[].docker", CT_MAP, NODE_MAP, 0, 0, NULL, NULL,
     "The node's container, through the Docker API on this host (state, restarts, actions), "
     "or for an ssh:// node with the docker CLI on its host. Leave it out for a node on "
     "another host reached otherwise."},
    {"nodes[].docker.socket", CT_SOCKET, NODE(docker_socket), 0, 0, "/var/run/docker.sock",
     NULL, "The Docker API's unix socket."},
    {"nodes[].docker.container", CT_CONTAINER, NODE(container), 0, 0, "edge_node", NULL,
     "The container's name (r1setup and the Ratio1 docs use edge_node)."},
    {"nodes[].docker.service", CT_SERVICE, NODE(service), 0, 0, NULL, "edge_node",
     "r1setup hosts: the systemd service that runs the container (edge_node, or "
     "edge_node_<suffix>). Restart, stop and start then go through systemctl (over ssh for an "
     "ssh:// node, with sudo -n when not root), and the unit source shows its state, the exit "
     "file and its starts in the last 30 minutes (30 reboot the host)."},
};

#define CFG_N_FIELDS (R1_ARRAY_LEN(cfg_head) + SRC_COUNT + R1_ARRAY_LEN(cfg_tail))
_Static_assert(CFG_N_FIELDS <= 64, "cfg_parser tracks seen keys in a uint64_t");

/* The whole table, built once from the two halves and the source table. Single-threaded
 * (app.c's one loop), and every caller reads it only after the first call fills it. */
static struct cfg_field cfg_fields[CFG_N_FIELDS];
static char cfg_refresh_path[SRC_COUNT][48], cfg_refresh_def[SRC_COUNT][16];

static void cfg_table(void)
{
    if (cfg_fields[0].path)
        return;
    size_t k = 0;
    for (size_t i = 0; i < R1_ARRAY_LEN(cfg_head); i++)
        cfg_fields[k++] = cfg_head[i];
    for (int s = 0; s < SRC_COUNT; s++) {
        const struct r1_source_ops *ops = source_get((enum r1_source_id)s);
        snprintf(cfg_refresh_path[s], sizeof(cfg_refresh_path[s]), "refresh.%s", ops->name);
        snprintf(cfg_refresh_def[s], sizeof(cfg_refresh_def[s]), "%g", ops->default_interval_s);
        struct cfg_field f = {cfg_refresh_path[s], CT_SECONDS, CFG(interval_s[s]), 1, 86400,
                              cfg_refresh_def[s], NULL, ops->config_help};
        cfg_fields[k++] = f;
    }
    for (size_t i = 0; i < R1_ARRAY_LEN(cfg_tail); i++)
        cfg_fields[k++] = cfg_tail[i];
}

/* ---- field lookup ---------------------------------------------------------------------- */

/* The field whose path is prefix + key, or NULL. */
static const struct cfg_field *field_find(const char *prefix, const char *key)
{
    cfg_table();
    size_t plen = strlen(prefix);
    if (strchr(key, '.'))
        return NULL; /* "oracle.url" is not a key, even though it is a path */
    for (size_t i = 0; i < CFG_N_FIELDS; i++) {
        const char *p = cfg_fields[i].path;
        if (strncmp(p, prefix, plen) == 0 && strcmp(p + plen, key) == 0)
            return &cfg_fields[i];
    }
    return NULL;
}

/* The last component of f's path if its parent is exactly prefix, else NULL. */
static const char *field_key_under(const struct cfg_field *f, const char *prefix)
{
    size_t plen = strlen(prefix);
    if (strncmp(f->path, prefix, plen) != 0)
        return NULL;
    const char *key = f->path + plen;
    return strchr(key, '.') ? NULL : key;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32)
        return SIZE_MAX;
    size_t row[33];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The key under prefix closest to key, if it is close enough to be a typo. */
static const char *nearest_key(const char *prefix, const char *key)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < CFG_N_FIELDS; i++) {
        const char *k = field_key_under(&cfg_fields[i], prefix);
        if (!k)
            continue;
        size_t d = edit_distance(key, k);
        size_t limit = strlen(k) <= 4 ? 1 : 2;
        if (d <= limit && d < best_d) {
            best = k;
            best_d = d;
        }
    }
    return best;
}

/* ---- values ---------------------------------------------------------------------------- */

/* A user's value quoted for a message: printable ASCII only, cut after 50 characters (an
 * address, 49, still shows whole). */
static void show_value(char *dst, size_t dst_size, const char *raw)
{
    size_t n = 0, i = 0;
    if (dst_size < 8) {
        if (dst_size)
            dst[0] = '\0';
        return;
    }
    /* A refused URL is quoted in the message: never with its password (D7). */
    char val[80];
    r1_url_redact(val, sizeof(val), raw);
    dst[n++] = '\'';
    for (; i < 50 && val[i] && n + 5 < dst_size; i++)
        dst[n++] = (val[i] >= 0x20 && val[i] < 0x7f) ? val[i] : '?';
    if (val[i]) {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n++] = '\'';
    dst[n] = '\0';
}

static void describe_expected(const struct cfg_field *f, char *dst, size_t dst_size)
{
    switch (f->type) {
    case CT_MAP:
        snprintf(dst, dst_size, "a mapping of keys (key: value) under '%s'", f->path);
        break;
    case CT_NODES:
        snprintf(dst, dst_size, "a list of nodes, each starting '- name: ...'");
        break;
    case CT_NETWORK:
        snprintf(dst, dst_size, "mainnet, testnet or devnet");
        break;
    case CT_BOOL:
        snprintf(dst, dst_size, "true or false");
        break;
    case CT_AUTO_BOOL:
        snprintf(dst, dst_size, "true, false or auto");
        break;
    case CT_SECONDS:
    case CT_MS:
        snprintf(dst, dst_size, "seconds from %.10g to %.10g", f->min, f->max);
        break;
    case CT_KIB:
        snprintf(dst, dst_size, "a whole number of KiB from %.10g to %.10g", f->min, f->max);
        break;
    case CT_HTTP_URL:
        snprintf(dst, dst_size, "an http:// or https:// URL");
        break;
    case CT_ADDRS:
        snprintf(dst, dst_size, "a list of at most %.10g addresses, each 0xai_ followed by 44 "
                                "base64url characters", f->max);
        break;
    case CT_ETHS:
        snprintf(dst, dst_size, "a list of at most %.10g addresses, each 0x followed by 40 hex "
                                "digits", f->max);
        break;
    case CT_NAME:
        snprintf(dst, dst_size, "a name of 1 to %zu printable characters", f->size - 1);
        break;
    case CT_ADDR:
        snprintf(dst, dst_size, "0xai_ followed by 44 base64url characters");
        break;
    case CT_ETH:
        snprintf(dst, dst_size, "0x followed by 40 hex digits");
        break;
    case CT_STATUS_URL:
        /* sftp:// is still read, but ssh:// is the way to name a remote host now */
        snprintf(dst, dst_size, "an absolute path, file:///path or ssh://[user@]host/path");
        break;
    case CT_FILE:
        snprintf(dst, dst_size, "an absolute path to a file, without quotes, under %zu bytes",
                 f->size);
        break;
    case CT_SOCKET:
        snprintf(dst, dst_size, "an absolute path to a unix socket, under %zu bytes", f->size);
        break;
    case CT_CONTAINER:
        snprintf(dst, dst_size, "a Docker container name (letters, digits, '_', '.', '-')");
        break;
    case CT_SERVICE:
        snprintf(dst, dst_size, "a systemd service name (letters, digits, '_', '.', '-', '@', ':')");
        break;
    }
}

/* C0, DEL, C1, the format and invisible characters (bidi marks, zero-width, BOM: D23) and
 * invalid UTF-8: none of them belongs in a name, a path or a URL, and each would reach the
 * screen and the JSON as it is. */
static bool has_control(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = 0;
        size_t n = r1_utf8_decode(p, &cp);
        if (n == 0 || r1_cp_unsafe(cp))
            return true;
        p += n;
    }
    return false;
}

/* A space in any Unicode form (general category Zs): a URL has none, and a non-breaking or
 * ideographic one would look like a plain space in a message. */
static bool is_space_cp(unsigned cp)
{
    return cp == 0x20 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
           cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* D23: what a URL setting may hold. why names the first offending character. */
static int check_url_text(const char *val, const char *q, char *why, size_t why_size)
{
    const unsigned char *p = (const unsigned char *)val;
    while (*p) {
        unsigned cp = 0;
        size_t n = r1_utf8_decode(p, &cp);
        if (n == 0) {
            snprintf(why, why_size, "%s is not valid UTF-8", q);
            return -1;
        }
        if (is_space_cp(cp)) {
            snprintf(why, why_size, "%s contains a space (U+%04X); write a space as %%20", q, cp);
            return -1;
        }
        if (r1_cp_unsafe(cp)) {
            snprintf(why, why_size, "%s contains the control or invisible character U+%04X", q,
                     cp);
            return -1;
        }
        p += n;
    }
    return 0;
}

/* D7: a password in a URL would be printed wherever the URL is shown (screen, --once text,
 * every JSON "source" and "error"), so the config refuses it and says where it belongs. */
static int check_url_password(const char *val, const char *q, const char *instead, char *why,
                              size_t why_size)
{
    if (!r1_url_has_password(val))
        return 0;
    snprintf(why, why_size, "%s holds a password, which r1top would show with the URL; remove "
             "it and use %s instead", q, instead);
    return -1;
}

/* Decimal number without exponent, hex, inf or nan: what people write for seconds. */
static int parse_decimal(const char *s, bool whole, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = strspn(p, "0123456789"), frac = 0;
    p += digits;
    if (*p == '.' && !whole) {
        frac = strspn(p + 1, "0123456789");
        if (frac == 0)
            return -1;
        p += 1 + frac;
    }
    if (digits + frac == 0 || *p != '\0' || digits > 15)
        return -1;
    *out = strtod(s, NULL);
    return isfinite(*out) ? 0 : -1;
}

static bool is_base64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 0xai_ + 44 base64url; the legacy aixp_ prefix is accepted and rewritten (docs/protocol.md §3.5).
 * */
static int check_address(const char *val, char *out, size_t out_size)
{
    if (strncmp(val, "0xai_", 5) != 0 && strncmp(val, "aixp_", 5) != 0)
        return -1;
    if (strlen(val) != 5 + 44)
        return -1;
    for (const char *p = val + 5; *p; p++)
        if (!is_base64url(*p))
            return -1;
    snprintf(out, out_size, "0xai_%s", val + 5);
    return 0;
}

static bool ci_prefix(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The node's _data/ folder as a URL ending in '/': the poller lists *.json under it. */
static int normalise_status_url(const char *val, char *dst, size_t dst_size, char *why,
                                size_t why_size)
{
    char q[72];
    show_value(q, sizeof(q), val);
    const char *path;
    char scheme[16];
    if (val[0] == '/') {
        r1_strlcpy(scheme, "file://", sizeof(scheme));
        path = val;
    } else if (ci_prefix(val, "file://")) {
        r1_strlcpy(scheme, "file://", sizeof(scheme));
        path = val + 7;
        /* file://localhost/x is the same place as file:///x; any other host is not ours. */
        if (ci_prefix(path, "localhost/"))
            path += 9;
        if (path[0] != '/') {
            snprintf(why, why_size, "%s names a host; file:// URLs are local", q);
            return -1;
        }
    } else if (ci_prefix(val, "ssh://")) {
        /* the transport's own parser: what it refuses (a host that ssh would read as an
         * option, a bad port, no path) is refused here, at load time */
        char tmp[R1_STATUS_URL_MAX + 8], perr[R1_ERR_MAX];
        struct ssh_target tg;
        snprintf(tmp, sizeof(tmp), "ssh://%s", val + 6);
        if (transport_ssh_parse_url(tmp, &tg, perr) < 0 ||
            (tg.op != SSH_OP_FILE && tg.op != SSH_OP_DIR)) {
            snprintf(why, why_size, "%s: %.120s", q,
                     tg.op != SSH_OP_FILE && tg.op != SSH_OP_DIR ? "no path after the host"
                                                                 : perr + 5);
            return -1;
        }
        r1_strlcpy(scheme, "ssh://", sizeof(scheme));
        path = val + 6;
    } else if (ci_prefix(val, "sftp://")) {
        r1_strlcpy(scheme, "sftp://", sizeof(scheme));
        path = val + 7;
        const char *slash = strchr(path, '/');
        if (!slash || slash == path || slash[1] == '\0' || slash[-1] == '@') {
            snprintf(why, why_size, "%s has no host or no path", q);
            return -1;
        }
    } else if (strstr(val, "://")) {
        snprintf(why, why_size, "%s: status files are read over file://, ssh:// or sftp:// only",
                 q);
        return -1;
    } else {
        snprintf(why, why_size, "%s is not an absolute path", q);
        return -1;
    }
    size_t plen = strlen(path);
    bool slash_end = plen > 0 && path[plen - 1] == '/';
    int n = snprintf(dst, dst_size, "%s%s%s", scheme, path, slash_end ? "" : "/");
    if (n < 0 || (size_t)n >= dst_size) {
        snprintf(why, why_size, "%s is too long", q);
        dst[0] = '\0';
        return -1;
    }
    return 0;
}

/* Parse val as f's type into base + f->offset. why gets the problem (the caller adds where and
 * what was expected). Used for defaults too, so a default that does not parse fails a test. */
static int field_set(const struct cfg_field *f, void *base, const char *val, char *why,
                     size_t why_size)
{
    char *at = (char *)base + f->offset;
    char q[72];
    show_value(q, sizeof(q), val);
    double num = 0;

    switch (f->type) {
    case CT_MAP:
    case CT_NODES:
    case CT_ADDRS:
    case CT_ETHS:
        snprintf(why, why_size, "%s is a single value", q);
        return -1;
    case CT_NETWORK: {
        const struct r1_network *net = network_by_name(val);
        if (!net) {
            snprintf(why, why_size, "%s is not a Ratio1 network", q);
            return -1;
        }
        memcpy(at, &net, sizeof(net));
        return 0;
    }
    case CT_BOOL:
    case CT_AUTO_BOOL: {
        static const char *const yes[] = {"true", "yes", "on"};
        static const char *const no[] = {"false", "no", "off"};
        int autov = -1;
        if (f->type == CT_AUTO_BOOL && strcasecmp(val, "auto") == 0) {
            memcpy(at, &autov, sizeof(autov));
            return 0;
        }
        for (size_t i = 0; i < R1_ARRAY_LEN(yes); i++) {
            bool v = strcasecmp(val, yes[i]) == 0;
            int iv = v;
            if (v || strcasecmp(val, no[i]) == 0) {
                if (f->type == CT_AUTO_BOOL)
                    memcpy(at, &iv, sizeof(iv));
                else
                    memcpy(at, &v, sizeof(v));
                return 0;
            }
        }
        snprintf(why, why_size, "%s is not a boolean", q);
        return -1;
    }
    case CT_SECONDS:
    case CT_MS:
    case CT_KIB:
        if (val[0] == '\0') {
            snprintf(why, why_size, "no value");
            return -1;
        }
        if (parse_decimal(val, f->type == CT_KIB, &num) < 0) {
            snprintf(why, why_size, "%s is not %s", q,
                     f->type == CT_KIB ? "a whole number" : "a number");
            return -1;
        }
        if (num < f->min || num > f->max) {
            snprintf(why, why_size, "%s is out of range", q);
            return -1;
        }
        if (f->type == CT_SECONDS) {
            memcpy(at, &num, sizeof(num));
        } else if (f->type == CT_MS) {
            long ms = lround(num * 1000.0);
            memcpy(at, &ms, sizeof(ms));
        } else {
            size_t bytes = (size_t)num * 1024u;
            memcpy(at, &bytes, sizeof(bytes));
        }
        return 0;
    case CT_HTTP_URL: {
        if (val[0] == '\0') {
            at[0] = '\0';
            return 0;
        }
        const char *host = ci_prefix(val, "https://") ? val + 8
                           : ci_prefix(val, "http://") ? val + 7
                                                       : NULL;
        if (!host) {
            snprintf(why, why_size, "%s is not an http(s) URL", q);
            return -1;
        }
        if (check_url_text(val, q, why, why_size) < 0 ||
            check_url_password(val, q, "~/.netrc", why, why_size) < 0)
            return -1;
        if (host[0] == '\0' || host[0] == '/' || host[0] == '?' || host[0] == '#' ||
            host[0] == '@') {
            snprintf(why, why_size, "%s has no host", q);
            return -1;
        }
        if (strlen(val) >= f->size) {
            snprintf(why, why_size, "%s is too long", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        /* Sources append "/current_epoch" etc., like they do to net->oracle_url. */
        for (size_t n = strlen(at); n > 0 && at[n - 1] == '/'; n--)
            at[n - 1] = '\0';
        return 0;
    }
    case CT_NAME:
        if (val[0] == '\0' || strlen(val) >= f->size || has_control(val)) {
            snprintf(why, why_size, "%s is not a usable name", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        return 0;
    case CT_ADDR:
        if (val[0] == '\0') {
            at[0] = '\0';
            return 0;
        }
        if (check_address(val, at, f->size) < 0) {
            snprintf(why, why_size, "%s is not a node address", q);
            return -1;
        }
        return 0;
    case CT_ETH: {
        bool ok = strncmp(val, "0x", 2) == 0 && strlen(val) == 42;
        for (size_t i = 2; ok && val[i]; i++)
            ok = is_hex(val[i]);
        if (val[0] != '\0' && !ok) {
            snprintf(why, why_size, "%s is not an ETH address", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        return 0;
    }
    case CT_STATUS_URL:
        if (val[0] == '\0') {
            at[0] = '\0';
            return 0;
        }
        if (check_url_text(val, q, why, why_size) < 0 ||
            check_url_password(val, q, "SSH keys (ssh-agent)", why, why_size) < 0)
            return -1;
        return normalise_status_url(val, at, f->size, why, why_size);
    case CT_SOCKET:
        if (val[0] == '\0') {
            at[0] = '\0';
            return 0;
        }
        if (val[0] != '/' || strlen(val) >= f->size || has_control(val)) {
            snprintf(why, why_size, "%s is not a usable socket path", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        return 0;
    case CT_FILE:
        if (val[0] == '\0') {
            at[0] = '\0';
            return 0;
        }
        /* ssh splits an option's value at spaces and reads quotes (UserKnownHostsFile) */
        if (val[0] != '/' || strlen(val) >= f->size || has_control(val) || strchr(val, '"')) {
            snprintf(why, why_size, "%s is not a usable file path", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        return 0;
    case CT_CONTAINER: {
        /* Docker's own rule; it also keeps the name safe inside /containers/<name>/json. */
        if (strlen(val) >= f->size || !r1_container_name_ok(val)) {
            snprintf(why, why_size, "%s is not a container name", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        return 0;
    }
    case CT_SERVICE:
        if (strlen(val) >= f->size || (val[0] && !r1_service_name_ok(val))) {
            snprintf(why, why_size, "%s is not a systemd service name", q);
            return -1;
        }
        r1_strlcpy(at, val, f->size);
        return 0;
    }
    snprintf(why, why_size, "internal: unhandled field type");
    return -1;
}

/* The sequences of addresses: their default is the empty list the zeroed config holds. */
static bool is_list(const struct cfg_field *f)
{
    return f->type == CT_ADDRS || f->type == CT_ETHS;
}

/* Apply the defaults of the scalar fields directly under prefix. */
static void defaults_under(const char *prefix, void *base)
{
    char why[R1_ERR_MAX];
    for (size_t i = 0; i < CFG_N_FIELDS; i++) {
        const struct cfg_field *f = &cfg_fields[i];
        if (field_key_under(f, prefix) && f->def && f->type != CT_MAP && !is_list(f) &&
            f->type != CT_NODES)
            (void)field_set(f, base, f->def, why, sizeof(why));
    }
}

/* ---- the parser ------------------------------------------------------------------------ */

#define DPATH_MAX 128 /* "nodes[12].docker.container", as messages name a setting */

struct cfg_parser {
    yaml_parser_t yp;
    yaml_event_t ev;
    bool have_ev;
    const char *buf;
    size_t len;
    const char *name;
    char *err;
    struct r1_config cfg;     /* a working copy: the caller's cfg only changes on success */
    bool nodes_replaced;      /* cfg.nodes is a new array owned by the parser */
    size_t nodes_cap;
};

static int fail_at(struct cfg_parser *p, yaml_mark_t mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct cfg_parser *p, yaml_mark_t mark, const char *fmt, ...)
{
    char msg[R1_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return r1_err(p->err, "%s:%zu:%zu: %s", p->name, mark.line + 1, mark.column + 1, msg);
}

static int fail_syntax(struct cfg_parser *p)
{
    const yaml_parser_t *y = &p->yp;
    yaml_mark_t mark = y->problem_mark;
    if (y->error == YAML_READER_ERROR) {
        /* Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark. */
        memset(&mark, 0, sizeof(mark));
        for (size_t i = 0; i < y->problem_offset && i < p->len; i++) {
            if (p->buf[i] == '\n') {
                mark.line++;
                mark.column = 0;
            } else {
                mark.column++;
            }
        }
    }
    if (y->error == YAML_MEMORY_ERROR)
        return fail_at(p, mark, "out of memory while reading YAML");
    return fail_at(p, mark, "YAML syntax error: %s%s%s%s; expected valid YAML (spaces for "
                   "indentation, 'key: value')",
                   y->problem ? y->problem : "unreadable input", y->context ? " (" : "",
                   y->context ? y->context : "", y->context ? ")" : "");
}

static int next_event(struct cfg_parser *p)
{
    if (p->have_ev) {
        yaml_event_delete(&p->ev);
        p->have_ev = false;
    }
    if (!yaml_parser_parse(&p->yp, &p->ev))
        return fail_syntax(p);
    p->have_ev = true;
    if (p->ev.type == YAML_ALIAS_EVENT) {
        char q[72];
        show_value(q, sizeof(q), (const char *)p->ev.data.alias.anchor);
        /* Aliases let a small file expand into a huge one; a config never needs them. */
        return fail_at(p, p->ev.start_mark, "alias *%s is not supported; expected the value "
                       "written out", q);
    }
    return 0;
}

static bool event_is_null(const yaml_event_t *ev)
{
    if (ev->type != YAML_SCALAR_EVENT || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)ev->data.scalar.value;
    return !strcmp(v, "") || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

static const char *event_kind(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_MAPPING_START_EVENT:
        return "a mapping";
    case YAML_SEQUENCE_START_EVENT:
        return "a list";
    case YAML_SCALAR_EVENT:
        return "a single value";
    default:
        return "something else";
    }
}

static int fail_type(struct cfg_parser *p, const struct cfg_field *f, const char *dpath)
{
    char want[160];
    describe_expected(f, want, sizeof(want));
    return fail_at(p, p->ev.start_mark, "%s: got %s; expected %s", dpath, event_kind(&p->ev),
                   want);
}

/* The current event is a scalar for f: check it and store it. */
static int set_from_event(struct cfg_parser *p, const struct cfg_field *f, void *base,
                          const char *dpath)
{
    const char *val = (const char *)p->ev.data.scalar.value;
    char want[160], why[R1_ERR_MAX];
    describe_expected(f, want, sizeof(want));
    if (strlen(val) != p->ev.data.scalar.length)
        return fail_at(p, p->ev.start_mark, "%s: the value contains a NUL byte; expected %s",
                       dpath, want);
    if (event_is_null(&p->ev))
        val = "";
    if (field_set(f, base, val, why, sizeof(why)) < 0)
        return fail_at(p, p->ev.start_mark, "%s: %s; expected %s", dpath, why, want);
    return 0;
}

static int parse_map(struct cfg_parser *p, const char *prefix, const char *dpath, void *node);

/* CT_ADDRS (oracle.trusted) and CT_ETHS (wallets): a list of scalars, each checked as one
 * CT_ADDR / CT_ETH value, stored in the field's array with its count beside it. A wallet
 * listed twice is a mistake worth naming (its nodes would not double); a repeated signer is
 * harmless and stays accepted. */
static int parse_addrs(struct cfg_parser *p, const struct cfg_field *f, const char *dpath)
{
    bool eth = f->type == CT_ETHS;
    int *count = eth ? &p->cfg.n_wallets : &p->cfg.n_trusted_oracles;
    char (*arr)[R1_ADDR_MAX] = (char (*)[R1_ADDR_MAX])((char *)&p->cfg + f->offset);
    *count = 0;
    if (event_is_null(&p->ev))
        return 0;
    if (p->ev.type != YAML_SEQUENCE_START_EVENT)
        return fail_type(p, f, dpath);
    struct cfg_field item = *f;
    item.type = eth ? CT_ETH : CT_ADDR;
    item.size = R1_ADDR_MAX;
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_SEQUENCE_END_EVENT)
            return 0;
        char ipath[DPATH_MAX];
        snprintf(ipath, sizeof(ipath), "%.100s[%d]", dpath, *count);
        if (p->ev.type != YAML_SCALAR_EVENT || event_is_null(&p->ev))
            return fail_type(p, f, ipath);
        if (*count >= (int)f->max)
            return fail_at(p, p->ev.start_mark, "%s: too many addresses; expected at most %.10g",
                           dpath, f->max);
        item.offset = f->offset + (size_t)*count * R1_ADDR_MAX;
        if (set_from_event(p, &item, &p->cfg, ipath) < 0)
            return -1;
        for (int k = 0; eth && k < *count; k++)
            if (strcasecmp(arr[k], arr[*count]) == 0)
                return fail_at(p, p->ev.start_mark, "%s: %s is already %s[%d]; expected each "
                               "address once", ipath, arr[*count], dpath, k);
        (*count)++;
    }
}

static bool node_watches_something(const struct r1_node_cfg *n)
{
    return n->status_url[0] || n->address[0] || n->eth_address[0] || n->docker_socket[0];
}

static int parse_nodes(struct cfg_parser *p, const struct cfg_field *f, const char *dpath)
{
    /* The file's list replaces the default one, even when it is empty. */
    p->cfg.nodes = NULL;
    p->cfg.n_nodes = 0;
    p->nodes_replaced = true;
    p->nodes_cap = 0;
    if (event_is_null(&p->ev))
        return 0;
    if (p->ev.type != YAML_SEQUENCE_START_EVENT)
        return fail_type(p, f, dpath);
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_SEQUENCE_END_EVENT)
            return 0;
        size_t i = p->cfg.n_nodes;
        char ipath[DPATH_MAX];
        snprintf(ipath, sizeof(ipath), "%.100s[%zu]", dpath, i);
        if (p->ev.type != YAML_MAPPING_START_EVENT)
            return fail_type(p, f, ipath);
        if (i >= R1_CONFIG_MAX_NODES)
            return fail_at(p, p->ev.start_mark, "%s: too many nodes; expected at most %d",
                           dpath, R1_CONFIG_MAX_NODES);
        if (i == p->nodes_cap) {
            p->nodes_cap = p->nodes_cap ? p->nodes_cap * 2 : 4;
            p->cfg.nodes = xrealloc(p->cfg.nodes, p->nodes_cap * sizeof(*p->cfg.nodes));
        }
        struct r1_node_cfg *node = &p->cfg.nodes[i];
        memset(node, 0, sizeof(*node));
        p->cfg.n_nodes++;
        yaml_mark_t start = p->ev.start_mark;
        if (parse_map(p, "nodes[].", ipath, node) < 0)
            return -1;
        if (node->name[0] == '\0')
            return fail_at(p, start, "%s: the node has no name; expected 'name: <unique name>'",
                           ipath);
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->cfg.nodes[j].name, node->name) == 0)
                return fail_at(p, start, "%s: the name '%s' is already used by %s[%zu]; "
                               "expected a unique name", ipath, node->name, dpath, j);
        if (!node_watches_something(node))
            return fail_at(p, start, "%s: node '%s' has nothing to watch; expected at least "
                           "one of status, address, eth_address, docker", ipath, node->name);
    }
}

/* The current event is the value of f: parse it (and everything under it). */
static int parse_value(struct cfg_parser *p, const struct cfg_field *f, const char *dpath,
                       void *node)
{
    void *base = f->base == IN_NODE ? node : (void *)&p->cfg;
    switch (f->type) {
    case CT_MAP: {
        char prefix[64];
        snprintf(prefix, sizeof(prefix), "%s.", f->path);
        /* A node's sub-block brings its own defaults: "docker: {}" means the usual socket. */
        if (f->base == IN_NODE)
            defaults_under(prefix, node);
        if (event_is_null(&p->ev))
            return 0;
        if (p->ev.type != YAML_MAPPING_START_EVENT)
            return fail_type(p, f, dpath);
        return parse_map(p, prefix, dpath, node);
    }
    case CT_NODES:
        return parse_nodes(p, f, dpath);
    case CT_ADDRS:
    case CT_ETHS:
        return parse_addrs(p, f, dpath);
    default:
        if (p->ev.type != YAML_SCALAR_EVENT)
            return fail_type(p, f, dpath);
        return set_from_event(p, f, base, dpath);
    }
}

static int fail_unknown_key(struct cfg_parser *p, const char *prefix, const char *dpath,
                            const char *key)
{
    char q[72];
    show_value(q, sizeof(q), key);
    const char *near = nearest_key(prefix, key);
    const char *sep = dpath[0] ? ": " : "";
    if (near)
        return fail_at(p, p->ev.start_mark, "%s%sunknown key %s; did you mean '%s'?", dpath, sep,
                       q, near);
    char keys[160] = "";
    for (size_t i = 0; i < CFG_N_FIELDS; i++) {
        const char *k = field_key_under(&cfg_fields[i], prefix);
        if (!k)
            continue;
        size_t n = strlen(keys);
        snprintf(keys + n, sizeof(keys) - n, "%s%s", n ? ", " : "", k);
    }
    return fail_at(p, p->ev.start_mark, "%s%sunknown key %s; expected one of: %s", dpath, sep, q,
                   keys);
}

/* The current event is MAPPING_START; read keys until MAPPING_END. */
static int parse_map(struct cfg_parser *p, const char *prefix, const char *dpath, void *node)
{
    uint64_t seen = 0;
    for (;;) {
        if (next_event(p) < 0)
            return -1;
        if (p->ev.type == YAML_MAPPING_END_EVENT)
            return 0;
        if (p->ev.type != YAML_SCALAR_EVENT)
            return fail_at(p, p->ev.start_mark, "%s%sgot %s as a key; expected a key name",
                           dpath, dpath[0] ? ": " : "", event_kind(&p->ev));
        const char *key = (const char *)p->ev.data.scalar.value;
        const struct cfg_field *f =
            strlen(key) == p->ev.data.scalar.length ? field_find(prefix, key) : NULL;
        if (!f)
            return fail_unknown_key(p, prefix, dpath, key);
        uint64_t bit = UINT64_C(1) << (f - cfg_fields);
        if (seen & bit)
            return fail_at(p, p->ev.start_mark, "%s%sduplicate key '%s'; expected each key once",
                           dpath, dpath[0] ? ": " : "", key);
        seen |= bit;
        char kpath[DPATH_MAX];
        snprintf(kpath, sizeof(kpath), "%.60s%s%.60s", dpath, dpath[0] ? "." : "", key);
        if (next_event(p) < 0)
            return -1;
        if (parse_value(p, f, kpath, node) < 0)
            return -1;
    }
}

static int parse_stream(struct cfg_parser *p)
{
    if (next_event(p) < 0)
        return -1;
    if (p->ev.type != YAML_STREAM_START_EVENT)
        return fail_at(p, p->ev.start_mark, "not a YAML stream; expected a YAML file");
    if (next_event(p) < 0)
        return -1;
    if (p->ev.type == YAML_STREAM_END_EVENT)
        return 0; /* empty, or only comments: all defaults */
    if (next_event(p) < 0) /* DOCUMENT_START -> the document's root */
        return -1;
    if (p->ev.type == YAML_MAPPING_START_EVENT) {
        if (parse_map(p, "", "", NULL) < 0)
            return -1;
    } else if (!event_is_null(&p->ev)) {
        return fail_at(p, p->ev.start_mark, "the file holds %s; expected a mapping of "
                       "settings such as 'network: mainnet'", event_kind(&p->ev));
    }
    if (next_event(p) < 0) /* DOCUMENT_END */
        return -1;
    if (next_event(p) < 0)
        return -1;
    if (p->ev.type != YAML_STREAM_END_EVENT)
        return fail_at(p, p->ev.start_mark, "a second YAML document; expected one document");
    return 0;
}

int config_load_buffer(struct r1_config *cfg, const char *buf, size_t len, const char *name,
                       char *err)
{
    if (len > R1_CONFIG_MAX_BYTES)
        return r1_err(err, "%s: the file is larger than %d KiB; expected a config file",
                      name, R1_CONFIG_MAX_BYTES / 1024);
    struct cfg_parser *p = xcalloc(1, sizeof(*p));
    p->buf = buf;
    p->len = len;
    p->name = name;
    p->err = err;
    p->cfg = *cfg;
    if (!yaml_parser_initialize(&p->yp)) {
        free(p);
        return r1_err(err, "%s: cannot start the YAML parser (out of memory)", name);
    }
    yaml_parser_set_input_string(&p->yp, (const unsigned char *)buf, len);
    int rc = parse_stream(p);
    if (p->have_ev)
        yaml_event_delete(&p->ev);
    yaml_parser_delete(&p->yp);
    if (rc == 0) {
        if (p->nodes_replaced)
            free(cfg->nodes);
        *cfg = p->cfg;
        r1_strlcpy(cfg->path, name, sizeof(cfg->path));
    } else if (p->nodes_replaced) {
        free(p->cfg.nodes);
    }
    free(p);
    return rc;
}

/* D24: the file names the oracle signers r1top trusts (oracle.trusted), so whoever can write it
 * can make forged figures show as verified. Other users able to write it, or to replace it in
 * its folder, is worth a warning; not an error, since shared admin setups do this on purpose. */
static void check_permissions(const char *path, char *warning, size_t warning_size)
{
    struct stat st, dst;
    warning[0] = '\0';
    if (stat(path, &st) != 0)
        return;
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(warning, warning_size,
                 "%.60s is writable by other users (mode %04o) and names the oracle signers "
                 "r1top trusts; run 'chmod go-w %.60s'", path,
                 (unsigned)(st.st_mode & 07777), path);
        return;
    }
    if (st.st_uid != geteuid() && st.st_uid != 0) {
        snprintf(warning, warning_size, "%.60s belongs to another user (uid %u), who can change "
                 "the oracle signers r1top trusts", path, (unsigned)st.st_uid);
        return;
    }
    char dir[R1_URL_MAX];
    r1_strlcpy(dir, path, sizeof(dir));
    char *slash = strrchr(dir, '/');
    if (!slash)
        r1_strlcpy(dir, ".", sizeof(dir));
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    /* a folder others may write to lets them swap the file, unless it is sticky (/tmp) */
    if (stat(dir, &dst) == 0 && (dst.st_mode & (S_IWGRP | S_IWOTH)) && !(dst.st_mode & S_ISVTX))
        snprintf(warning, warning_size, "%.60s: other users can replace it, as they can write "
                 "to its folder (mode %04o); run 'chmod go-w %.60s'", path,
                 (unsigned)(dst.st_mode & 07777), dir);
}

int config_load(struct r1_config *cfg, const char *path, char *err)
{
    cfg_table();
    char *buf = NULL;
    size_t len = 0;
    if (r1_read_file(path, R1_CONFIG_MAX_BYTES, &buf, &len, NULL, err) < 0)
        return -1;
    int rc = config_load_buffer(cfg, buf, len, path, err);
    free(buf);
    if (rc == 0)
        check_permissions(path, cfg->warning, sizeof(cfg->warning));
    return rc;
}

int config_default_path(char *dst, size_t dst_size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    /* The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored. */
    if (xdg && xdg[0] == '/')
        n = snprintf(dst, dst_size, "%s/r1top/config.yaml", xdg);
    else if (home && home[0])
        n = snprintf(dst, dst_size, "%s/.config/r1top/config.yaml", home);
    else
        n = -1;
    if (n < 0 || (size_t)n >= dst_size) {
        if (dst_size)
            dst[0] = '\0';
        return -1;
    }
    return 0;
}

int config_load_default(struct r1_config *cfg, char *err)
{
    cfg_table();
    char path[R1_URL_MAX];
    struct stat st;
    if (config_default_path(path, sizeof(path)) < 0)
        return 0;
    if (stat(path, &st) < 0 && errno == ENOENT)
        return 0;
    return config_load(cfg, path, err);
}

void config_defaults(struct r1_config *cfg)
{
    cfg_table();
    memset(cfg, 0, sizeof(*cfg));
    char why[R1_ERR_MAX];
    for (size_t i = 0; i < CFG_N_FIELDS; i++) {
        const struct cfg_field *f = &cfg_fields[i];
        if (f->base == IN_CONFIG && f->def && f->type != CT_MAP && !is_list(f) &&
            f->type != CT_NODES)
            (void)field_set(f, cfg, f->def, why, sizeof(why));
    }
}

void config_free(struct r1_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->nodes);
    cfg->nodes = NULL;
    cfg->n_nodes = 0;
}

/* ---- the example file ------------------------------------------------------------------ */

/* Help text as "# " comment lines at indent, wrapped to fit 80 columns. */
static void write_help(FILE *out, int indent, const char *text)
{
    int width = 78 - indent - 2;
    const char *p = text;
    while (*p) {
        size_t n = strlen(p);
        if ((int)n > width) {
            n = (size_t)width;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = strcspn(p, " ");
        }
        fprintf(out, "%*s# %.*s\n", indent, "", (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static void write_level(FILE *out, const char *prefix, int indent, bool list_item)
{
    bool first = true;
    for (size_t i = 0; i < CFG_N_FIELDS; i++) {
        const struct cfg_field *f = &cfg_fields[i];
        const char *key = field_key_under(f, prefix);
        if (!key)
            continue;
        if (indent == 0 && i > 0)
            fputc('\n', out);
        /* The first key of a list item carries the "- ", two columns left of its siblings. */
        int pad = list_item && first ? indent - 2 : indent;
        write_help(out, pad, f->help);
        const char *dash = list_item && first ? "- " : "";
        first = false;
        char sub[64];
        switch (f->type) {
        case CT_MAP:
            fprintf(out, "%*s%s%s:\n", pad, "", dash, key);
            snprintf(sub, sizeof(sub), "%s.", f->path);
            write_level(out, sub, indent + 2, false);
            break;
        case CT_NODES:
            fprintf(out, "%*s%s%s:\n", pad, "", dash, key);
            snprintf(sub, sizeof(sub), "%s[].", f->path);
            write_level(out, sub, indent + 4, true);
            break;
        default:
            if (f->def && f->def[0])
                fprintf(out, "%*s%s%s: %s\n", pad, "", dash, key, f->def);
            else if (f->example && (f->type == CT_NAME || f->type == CT_STATUS_URL))
                fprintf(out, "%*s%s%s: %s\n", pad, "", dash, key, f->example);
            else
                fprintf(out, "%*s%s# %s: %s\n", pad, "", dash, key,
                        f->example ? f->example : "\"\"");
            break;
        }
    }
}

void config_write_example(FILE *out)
{
    cfg_table();
    fputs("# r1top configuration.\n"
          "# r1top reads the file given with -c FILE, else\n"
          "# $XDG_CONFIG_HOME/r1top/config.yaml, else ~/.config/r1top/config.yaml.\n"
          "# It never rewrites this file; it only appends the nodes you ask it to add.\n"
          "# Every key is optional; the values below are the built-in defaults, and\n"
          "# commented-out lines show the form of settings that have no default.\n"
          "# A mistake is reported as FILE:LINE:COLUMN with what was expected.\n"
          "\n",
          out);
    write_level(out, "", 0, false);
}

bool config_chain_enabled(const struct r1_config *cfg)
{
    if (cfg->chain_enabled >= 0)
        return cfg->chain_enabled != 0;
    /* auto: an oracle pointed elsewhere (a simulator, a mirror) means this set-up is not the
     * network's own, so the chain's public RPC is not asked unless chain.rpc_url names one */
    return cfg->oracle_enabled && (cfg->oracle_url[0] == '\0' || cfg->chain_rpc_url[0] != '\0');
}
