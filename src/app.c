/* app: builds the fleet (from the config, the demo, or by finding the local node), and runs
 * the single loop: start due polls, wait in curl_multi_poll() on transfers + input, apply
 * replies, redraw. Signals only set flags (and wake the wait), so the loop does the work. */
#include "app.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "config_append.h"
#include "derive.h"
#include "net/remote.h"
#include "poller.h"
#include "sources/demo.h"
#include "sources/nvml.h"
#include "sources/source.h"
#include "trust/eth.h"
#include "util.h"

static volatile sig_atomic_t got_winch, got_term;
static struct r1_poller *signal_poller;

static void on_signal(int sig)
{
    if (sig == SIGWINCH)
        got_winch = 1;
    else
        got_term = 1;
    if (signal_poller)
        poller_wakeup(signal_poller);   /* curl_multi_wakeup is documented signal-safe */
}

/* Where r1setup and the docker-volume set-ups keep the node's files (docs/protocol.md §4.1, §7.7).
 * R1TOP_DISCOVERY_ROOT prefixes them so tests can stage a fake host. */
struct candidate {
    const char *data_dir;
    const char *container;
    const char *how;
    const char *service; /* the systemd unit that runs the container (§7.4), or "" */
};
static const struct candidate candidates[] = {
    {"/var/cache/edge_node/_local_cache/_data/", "edge_node", "r1setup install", "edge_node"},
    {"/var/lib/docker/volumes/r1vol/_data/_data/", "r1node", "docker volume r1vol", ""},
    {"/var/lib/docker/volumes/r1vol1/_data/_data/", "r1node1", "docker volume r1vol1", ""},
};

static void discover_local_node(struct r1_fleet *f)
{
    const char *root = getenv("R1TOP_DISCOVERY_ROOT");
    if (!root)
        root = "";
    char tried[R1_ERR_MAX * 2] = "";
    for (size_t i = 0; i < R1_ARRAY_LEN(candidates); i++) {
        char path[R1_URL_MAX];
        struct stat st;
        snprintf(path, sizeof(path), "%s%slocal_info.json", root, candidates[i].data_dir);
        if (stat(path, &st) != 0) {
            size_t l = strlen(tried);
            snprintf(tried + l, sizeof(tried) - l, "%s%s%s", l ? ", " : "", root,
                     candidates[i].data_dir);
            continue;
        }
        struct r1_node *n = model_fleet_add(f, "local");
        snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file://%s%s", root,
                 candidates[i].data_dir);
        char sock[108];
        snprintf(sock, sizeof(sock), "%s/var/run/docker.sock", root);
        if (stat(sock, &st) == 0) {
            r1_strlcpy(n->docker_socket, sock, sizeof(n->docker_socket));
            r1_strlcpy(n->container, candidates[i].container, sizeof(n->container));
        }
        /* the unit r1setup installs (§7.6: it finds installs by these files too); a staged
         * host (R1TOP_DISCOVERY_ROOT) without one has no service of this host's systemd */
        char unit[R1_URL_MAX];
        snprintf(unit, sizeof(unit), "%s/etc/systemd/system/%s.service", root,
                 candidates[i].service);
        if (candidates[i].service[0] && stat(unit, &st) == 0)
            r1_strlcpy(n->service, candidates[i].service, sizeof(n->service));
        snprintf(f->discovery_note, sizeof(f->discovery_note),
                 "No config file: found a local node (%s) at %s%s.", candidates[i].how, root,
                 candidates[i].data_dir);
        return;
    }
    snprintf(f->discovery_note, sizeof(f->discovery_note),
             "No config file and no local node found (looked for local_info.json in %s). "
             "Point r1top at a node with --config FILE (see r1top.yaml.example), "
             "or try the demo: r1top --demo",
             tried);
}

int app_init(struct r1_app *app, struct r1_config *cfg, bool demo, char *err)
{
    memset(app, 0, sizeof(*app));
    app->cfg = cfg;
    app->follow_node = R1_NODE_ALL;
    model_fleet_init(&app->fleet, cfg->net);
    if (cfg->oracle_url[0])
        r1_strlcpy(app->fleet.oracle_url, cfg->oracle_url, sizeof(app->fleet.oracle_url));
    if (demo) {
        app->fleet.demo = true;
        demo_fleet_build(&app->fleet);
        /* The demo oracle signs with a public key: trust it here, and only here. */
        if (cfg->n_trusted_oracles < R1_CONFIG_MAX_ORACLES)
            demo_oracle_address(cfg->trusted_oracles[cfg->n_trusted_oracles++]);
    } else if (cfg->n_nodes > 0) {
        for (size_t i = 0; i < cfg->n_nodes; i++) {
            const struct r1_node_cfg *nc = &cfg->nodes[i];
            struct r1_node *n = model_fleet_add(&app->fleet, nc->name);
            r1_strlcpy(n->status_dir_url, nc->status_url, sizeof(n->status_dir_url));
            r1_strlcpy(n->addr_cfg, nc->address, sizeof(n->addr_cfg));
            r1_strlcpy(n->eth_cfg, nc->eth_address, sizeof(n->eth_cfg));
            r1_strlcpy(n->docker_socket, nc->docker_socket, sizeof(n->docker_socket));
            r1_strlcpy(n->container, nc->container, sizeof(n->container));
            r1_strlcpy(n->service, nc->service, sizeof(n->service));
        }
    } else if (cfg->n_wallets == 0) {
        discover_local_node(&app->fleet);
    }
    /* the wallets' nodes come later, when the chain has listed them (adopt_wallet_nodes) */
    for (int i = 0; i < cfg->n_wallets && !demo; i++)
        model_fleet_add_wallet(&app->fleet, cfg->wallets[i]);
    app->poller = poller_new(cfg, &app->fleet);
    /* where w appends added nodes: the file read, else the one r1top would read next time */
    if (cfg->path[0])
        r1_strlcpy(app->fleet.config_path, cfg->path, sizeof(app->fleet.config_path));
    else
        config_default_path(app->fleet.config_path, sizeof(app->fleet.config_path));
    (void)err;
    return 0;
}

void app_free(struct r1_app *app)
{
    if (signal_poller == app->poller)
        signal_poller = NULL;
    poller_free(app->poller);
    app->poller = NULL;
    model_fleet_free(&app->fleet);
    nvml_close();   /* nvmlShutdown, if NVML was ever loaded */
}

static void install_signals(struct r1_poller *p)
{
    signal_poller = p;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static struct r1_node *node_by_id(struct r1_app *app, uint32_t id);

/* The log screen is open: its node's new lines, every APP_FOLLOW_S, while no other Docker
 * action runs there (the logs action is then refused as busy, and tried at the next turn). */
static void follow_logs(struct r1_app *app, double mono)
{
    if (app->follow_node == R1_NODE_ALL || mono < app->follow_next)
        return;
    app->follow_next = mono + APP_FOLLOW_S;
    struct r1_node *n = node_by_id(app, app->follow_node);
    if (!n || n->act.state == R1_ACTST_RUNNING)
        return;
    struct r1_intent in = {.kind = R1_INTENT_ACT, .node_id = n->id,
                           .action = app->follow_action, .confirmed = true};
    if (app->follow_action == R1_ACT_NODE_LOG)
        r1_strlcpy(in.arg, "1000", sizeof(in.arg));   /* the file is read whole each time */
    app_apply_intent(app, &in);
}

int app_run(struct r1_app *app, const struct r1_frontend *fe, char *err)
{
    install_signals(app->poller);
    double delay = app->cfg->ui_delay_s > 0 ? app->cfg->ui_delay_s : 2.0;
    double next_draw = 0;
    bool dirty = true;
    (void)err;
    while (!got_term) {
        double t = r1_mono();
        poller_start_due(app->poller, t);
        if (got_winch) {
            got_winch = 0;
            if (fe->on_resize)
                fe->on_resize(fe->ctx);
            dirty = true;
        }
        if (dirty || t >= next_draw) {
            double now = r1_now();
            derive_fleet(&app->fleet, now);   /* readers read derived fields only */
            fe->draw(fe->ctx, &app->fleet, now);
            dirty = false;
            /* Align ticks to whole seconds of the delay so the clock doesn't drift visibly. */
            next_draw = t + delay;
        }
        follow_logs(app, t);
        double wait_s = poller_next_due(app->poller, r1_mono());
        double until_draw = next_draw - r1_mono();
        if (until_draw < wait_s)
            wait_s = until_draw;
        if (app->follow_node != R1_NODE_ALL && app->follow_next - r1_mono() < wait_s)
            wait_s = app->follow_next - r1_mono();
        if (wait_s < 0)
            wait_s = 0;
        bool input = false;
        int timeout_ms = (int)ceil(wait_s * 1000.0);
        if (poller_wait(app->poller, fe->input_fd, timeout_ms, &input) < 0 && errno != EINTR)
            break;
        if (poller_perform(app->poller) > 0) {
            app_adopt_wallet_nodes(app);
            dirty = true;
        }
        if (input && fe->on_input) {
            struct r1_intents in = {.n = 0};
            bool quit = false;
            fe->on_input(fe->ctx, &app->fleet, &in);
            for (size_t i = 0; i < in.n && !quit; i++) {
                switch (in.v[i].kind) {
                case R1_INTENT_QUIT:
                    quit = true;
                    break;
                case R1_INTENT_POLL_NOW:
                    poller_due_all(app->poller);
                    break;
                case R1_INTENT_ACT:
                    app_apply_intent(app, &in.v[i]);
                    break;
                case R1_INTENT_ADD_NODE:
                    app_add_node(app, in.v[i].arg);
                    break;
                case R1_INTENT_FOLLOW_LOGS:
                    /* "on": the container's log; "file": the node's own log file */
                    app->follow_node = strcmp(in.v[i].arg, "off") != 0 ? in.v[i].node_id
                                                                        : R1_NODE_ALL;
                    app->follow_action = strcmp(in.v[i].arg, "file") == 0 ? R1_ACT_NODE_LOG
                                                                           : R1_ACT_LOGS;
                    app->follow_next = r1_mono() + APP_FOLLOW_S;
                    break;
                case R1_INTENT_REDRAW:
                    break;
                }
                dirty = true;
            }
            if (quit)
                break;
        }
    }
    return 0;
}

int app_once(struct r1_app *app, double timeout_s)
{
    install_signals(app->poller);
    double deadline = r1_mono() + timeout_s;
    poller_due_all(app->poller);
    poller_set_once(app->poller, true);
    /* One pass per source: jobs finished once are not restarted even if their interval is
     * short, so the snapshot is one consistent read. */
    int total = poller_jobs_total(app->poller);
    while (!got_term) {
        double t = r1_mono();
        if (poller_jobs_done(app->poller) >= total)
            break;
        if (t >= deadline) {
            char why[64];
            snprintf(why, sizeof(why), "no answer within %.0f s", timeout_s);
            poller_abandon(app->poller, why);
            break;
        }
        poller_start_due(app->poller, t);
        if (poller_jobs_done(app->poller) >= total)
            break;
        bool input = false;
        double left = deadline - r1_mono();
        int ms = left > 0.2 ? 200 : (int)(left * 1000) + 1;
        poller_wait(app->poller, -1, ms, &input);
        if (poller_perform(app->poller) > 0 && app_adopt_wallet_nodes(app) > 0)
            total = poller_jobs_total(app->poller);   /* --once waits for their reads too */
    }
    if (got_term) {
        /* D13: a --once stopped by a signal says so: every source not answered yet is
         * "interrupted", ok is false and the exit status non-zero. */
        app->interrupted = true;
        poller_abandon(app->poller, "interrupted by a signal before it answered");
    }
    derive_fleet(&app->fleet, r1_now());
    return poller_jobs_failed(app->poller);
}

static struct r1_node *node_by_id(struct r1_app *app, uint32_t id)
{
    return id < app->fleet.n_nodes ? &app->fleet.nodes[id] : NULL;
}

static void log_action(const struct r1_node *n, const struct r1_action *a, const char *event)
{
    char err[R1_ERR_MAX];
    /* The audit line is part of a changing action: if it cannot be written, say so on the
     * node rather than lose it silently. */
    if (a->changes_node && actions_log(n, a, event, r1_now(), err) < 0)
        fprintf(stderr, "r1top: %s\n", err);
}

static void action_done(void *ctx, uint32_t node_id, int action, const struct r1_act_reply *r);

/* Submit the action's current step; on failure its outcome is recorded and logged. */
static void submit_step(struct r1_app *app, struct r1_node *n, const struct r1_action *a)
{
    struct r1_request req;
    char err[R1_ERR_MAX];
    memset(&req, 0, sizeof(req));
    req.timeout_ms = app->cfg->action_timeout_ms > 0 ? app->cfg->action_timeout_ms : 60000;
    if (actions_prepare(a, n, &req, err) < 0 ||
        poller_submit(app->poller, n->id, a->id, &req, action_done, app, err) < 0) {
        struct r1_act_reply r = {.error = err};
        actions_reply(n, a, &r, NULL, r1_now());
        log_action(n, a, "end");
    }
}

static void action_done(void *ctx, uint32_t node_id, int action, const struct r1_act_reply *r)
{
    struct r1_app *app = ctx;
    struct r1_node *n = node_by_id(app, node_id);
    const struct r1_action *a = actions_get(action);
    if (!n || !a)
        return;
    struct r1_act_env env = {.net = app->fleet.net,
                             .oracles = (const char (*)[64])app->cfg->trusted_oracles,
                             .n_oracles = app->cfg->n_trusted_oracles,
                             .me = app->fleet.me_addr};
    if (actions_reply(n, a, r, &env, r1_now())) {
        submit_step(app, n, a);   /* an exec's next request */
        return;
    }
    log_action(n, a, "end");
    if (a->changes_node) {
        /* Show the container's new state at once rather than at the next inspect. */
        poller_due_node(app->poller, node_id);
        if (a->id == R1_ACT_ALLOW && n->act.state == R1_ACTST_OK && !app->scripted) {
            /* the allowed screen shows the list as the node now has it (a script asked for
             * the add alone, and its outcome is the add's) */
            struct r1_intent in = {.kind = R1_INTENT_ACT, .node_id = n->id,
                                   .action = R1_ACT_ALLOWED, .confirmed = true};
            app_apply_intent(app, &in);
        }
    }
}

/* ---- nodes added in this session ------------------------------------------------------ */

static void fleet_outcome(struct r1_fleet *f, int action, enum r1_act_state st, const char *path,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The outcome of a fleet-wide action, where the key bar shows it (as a node's act). */
static void fleet_outcome(struct r1_fleet *f, int action, enum r1_act_state st, const char *path,
                          const char *fmt, ...)
{
    char text[R1_REASON_MAX * 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    memset(&f->act, 0, sizeof(f->act));
    f->act.action = action;
    f->act.state = st;
    f->act.started_at = f->act.finished_at = r1_now();
    r1_strlcpy(f->act.path, path, sizeof(f->act.path));
    r1_sanitize(f->act.result, sizeof(f->act.result), text);
}

/* Another node already watched as this one: same name, address or ETH address. */
static const struct r1_node *watched(const struct r1_fleet *f, const struct r1_node_cfg *nc)
{
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        const char *addr = model_node_address(n), *eth = model_node_eth(n);
        if (strcmp(n->name, nc->name) == 0 ||
            (nc->address[0] && strcasecmp(addr, nc->address) == 0) ||
            (nc->eth_address[0] && strcasecmp(eth, nc->eth_address) == 0))
            return n;
    }
    return NULL;
}

/* What add_node_cfg says; all but ADD_OK come with err. */
enum { ADD_OK = 0, ADD_TWIN = -1, ADD_FULL = -2, ADD_UNPOLLED = -3 };

/* Add nc to the fleet and give it its poller jobs: the add-node prompt's path, and the one a
 * wallet's node takes (wallet: its address; such a node is not unsaved, since the wallet brings
 * it back every run). ADD_TWIN: watched already; ADD_FULL: the fleet is full; ADD_UNPOLLED:
 * added, but it cannot be polled. */
static int add_node_cfg(struct r1_app *app, const struct r1_node_cfg *nc, const char *wallet,
                        char *err)
{
    struct r1_fleet *f = &app->fleet;
    const struct r1_node *twin = watched(f, nc);
    if (twin) {
        r1_err(err, "%s is watched already (as '%s')",
               strcmp(twin->name, nc->name) == 0 ? nc->name
               : nc->address[0]                  ? nc->address
                                                 : nc->eth_address,
               twin->name);
        return ADD_TWIN;
    }
    if (f->n_nodes >= R1_CONFIG_MAX_NODES) {
        r1_err(err, "r1top watches at most %d nodes", R1_CONFIG_MAX_NODES);
        return ADD_FULL;
    }
    /* nodes[] may move here: nothing above keeps a node pointer past this line */
    struct r1_node *n = model_fleet_add(f, nc->name);
    r1_strlcpy(n->addr_cfg, nc->address, sizeof(n->addr_cfg));
    r1_strlcpy(n->eth_cfg, nc->eth_address, sizeof(n->eth_cfg));
    r1_strlcpy(n->from_wallet, wallet ? wallet : "", sizeof(n->from_wallet));
    n->unsaved = wallet == NULL;
    if (poller_add_node(app->poller, f->n_nodes - 1) < 0) {
        /* cannot happen below R1_CONFIG_MAX_NODES; the node stays listed, never polled */
        r1_err(err, "%s cannot be polled", nc->name);
        return ADD_UNPOLLED;
    }
    return ADD_OK;
}

int app_add_node(struct r1_app *app, const char *text)
{
    struct r1_fleet *f = &app->fleet;
    struct r1_node_cfg nc;
    char err[R1_ERR_MAX];
    if (f->demo) {
        fleet_outcome(f, -1, R1_ACTST_REFUSED, "session", "add: %s",
                      "the demo's nodes are made up; start r1top without --demo to add a node");
        return -1;
    }
    if (config_append_parse_node(text, &nc, err) < 0) {
        fleet_outcome(f, -1, R1_ACTST_REFUSED, "session", "add: %s", err);
        return -1;
    }
    int rc = add_node_cfg(app, &nc, NULL, err);
    if (rc != ADD_OK) {
        fleet_outcome(f, -1, rc == ADD_UNPOLLED ? R1_ACTST_FAILED : R1_ACTST_REFUSED, "session",
                      "add: %s", err);
        return -1;
    }
    fleet_outcome(f, -1, R1_ACTST_OK, "session",
                  "added %s for this session; w writes it to the config file", nc.name);
    return 0;
}

/* A node whose ETH address is not known yet, but will be once its status file is read: a
 * wallet's node might be that one, so nodes are adopted after every such first read. */
static bool identity_pending(const struct r1_fleet *f)
{
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *n = &f->nodes[i];
        char eth[ETH_ADDR_BUF];
        source_node_eth(n, eth);
        if (!eth[0] && n->status_dir_url[0] && n->src[SRC_NODE_INFO].attempt_at == 0)
            return true;
    }
    return false;
}

/* A fleet that is only its wallets' nodes, and they list none: say so, not just "no nodes". */
static void wallets_note(struct r1_fleet *f)
{
    bool read = true;
    for (size_t w = 0; w < f->n_wallets; w++)
        read &= R1_VALID(&f->wallets[w], WALLET_NODES);
    if (f->n_nodes > 0 || !read)
        return;
    snprintf(f->discovery_note, sizeof(f->discovery_note),
             "No node to watch: the licences of the %zu wallet%s in the config link no node "
             "(Reader.getWalletNodes), and no node is listed under nodes:.",
             f->n_wallets, f->n_wallets == 1 ? "" : "s");
}

/* The nodes the wallets list that the fleet does not watch yet (by ETH address, any case) join
 * it as the add-node prompt adds one (app.h). */
/* The ETH addresses the fleet watches, in lower case and sorted, so that a wallet of 1,000
 * nodes meets a fleet of 1,000 in a binary search each, not a million comparisons (and each
 * node's address is derived once, not once per wallet node). */
typedef char eth_key[ETH_ADDR_BUF];

static int eth_key_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void eth_lower(const char *eth, eth_key out)
{
    size_t k = 0;
    for (; eth[k] && k + 1 < sizeof(eth_key); k++)
        out[k] = (char)(eth[k] >= 'A' && eth[k] <= 'F' ? eth[k] + ('a' - 'A') : eth[k]);
    out[k] = '\0';
}

int app_adopt_wallet_nodes(struct r1_app *app)
{
    struct r1_fleet *f = &app->fleet;
    if (f->n_wallets == 0 || f->wallets_gen == app->wallets_adopted || identity_pending(f))
        return 0;
    app->wallets_adopted = f->wallets_gen;
    size_t n_known = f->n_nodes;
    eth_key *known = xcalloc(n_known + 1, sizeof(*known));
    for (size_t i = 0; i < n_known; i++) {
        char eth[ETH_ADDR_BUF];
        source_node_eth(&f->nodes[i], eth);
        eth_lower(eth, known[i]);
    }
    qsort(known, n_known, sizeof(*known), eth_key_cmp);
    int added = 0, rc = ADD_OK;
    char err[R1_ERR_MAX] = "";
    const char *wallet = NULL;
    for (size_t w = 0; w < f->n_wallets && rc != ADD_FULL && rc != ADD_UNPOLLED; w++) {
        wallet = f->wallets[w].address;
        for (size_t k = 0; k < f->wallets[w].n_nodes; k++) {
            struct r1_node_cfg nc;
            eth_key eth;
            eth_lower(f->wallets[w].nodes[k], eth);
            if (bsearch(eth, known, n_known, sizeof(*known), eth_key_cmp))
                continue; /* watched before this round */
            /* the parse cannot fail for what the decoder wrote; if it did, stop and say so */
            rc = config_append_parse_node(eth, &nc, err) < 0 ? ADD_UNPOLLED
                                                             : add_node_cfg(app, &nc, wallet, err);
            added += rc == ADD_OK;
            if (rc == ADD_FULL || rc == ADD_UNPOLLED)
                break;
            /* ADD_TWIN: an earlier wallet (or this one) listed it this round */
        }
    }
    free(known);
    if (rc == ADD_FULL || rc == ADD_UNPOLLED)
        fleet_outcome(f, -1, R1_ACTST_FAILED, "wallet", "wallet %s: %s", wallet, err);
    else if (added)
        fleet_outcome(f, -1, R1_ACTST_OK, "wallet", "%d node%s from the wallets' licences", added,
                      added == 1 ? "" : "s");
    wallets_note(f);
    return added;
}

static void log_fleet(const struct r1_fleet *f, const struct r1_action *a, const char *event)
{
    char err[R1_ERR_MAX];
    if (actions_log_status("-", a, &f->act, event, r1_now(), err) < 0)
        fprintf(stderr, "r1top: %s\n", err);
}

/* save-nodes: the nodes added in this session, appended to the config file (config_append.c
 * checks and writes; r1top never rewrites the file). Asked, refused under --readonly and
 * logged like any changing action. */
static void save_nodes(struct r1_app *app, const struct r1_action *a, bool confirmed)
{
    struct r1_fleet *f = &app->fleet;
    enum r1_act_refusal why = actions_check(a, NULL, app->readonly, confirmed);
    if (why != R1_ACT_OK) {
        fleet_outcome(f, a->id, R1_ACTST_REFUSED, "config file", "%s: %s", a->name,
                      actions_refusal_text(why));
        log_fleet(f, a, "refused");
        return;
    }
    struct r1_node_cfg *nodes = xcalloc(f->n_nodes ? f->n_nodes : 1, sizeof(*nodes));
    size_t n = 0;
    for (size_t i = 0; i < f->n_nodes; i++) {
        const struct r1_node *node = &f->nodes[i];
        if (!node->unsaved)
            continue;
        r1_strlcpy(nodes[n].name, node->name, sizeof(nodes[n].name));
        r1_strlcpy(nodes[n].address, node->addr_cfg, sizeof(nodes[n].address));
        r1_strlcpy(nodes[n].eth_address, node->eth_cfg, sizeof(nodes[n].eth_address));
        n++;
    }
    char err[R1_ERR_MAX], what[R1_ERR_MAX];
    if (n == 0 || !f->config_path[0]) {
        fleet_outcome(f, a->id, R1_ACTST_FAILED, "config file", "%s: %s", a->name,
                      n == 0 ? "no node was added in this session (a adds one)"
                             : "no config file to write to (HOME is not set)");
        free(nodes);
        return;
    }
    config_append_describe(nodes, n, f->config_path, what, sizeof(what));
    fleet_outcome(f, a->id, R1_ACTST_RUNNING, "config file", "%s: adding %s", a->name, what);
    log_fleet(f, a, "start");
    if (config_append_file(f->config_path, nodes, n, err) == 0) {
        for (size_t i = 0; i < f->n_nodes; i++)
            f->nodes[i].unsaved = false;
        fleet_outcome(f, a->id, R1_ACTST_OK, "config file", "%s: added %s", a->name, what);
    } else {
        fleet_outcome(f, a->id, R1_ACTST_FAILED, "config file", "%s failed: %s", a->name, err);
    }
    log_fleet(f, a, "end");
    free(nodes);
}

void app_apply_intent(struct r1_app *app, const struct r1_intent *in)
{
    if (in->kind != R1_INTENT_ACT)
        return;
    struct r1_node *n = node_by_id(app, in->node_id);
    const struct r1_action *a = actions_get(in->action);
    if (a && a->backend == R1_BACKEND_CONFIG) {
        save_nodes(app, a, in->confirmed);
        return;
    }
    if (!a || !n)
        return;
    double now = r1_now();
    enum r1_act_refusal why = actions_check(a, n, app->readonly, in->confirmed);
    char err[R1_ERR_MAX];
    if (why == R1_ACT_OK && a->exec && actions_check_arg(a, in->arg, err) < 0) {
        actions_refuse(n, a, R1_ACT_BAD_ARG, now);
        snprintf(n->act.result, sizeof(n->act.result), "%s: not sent: %.120s", a->name, err);
        why = R1_ACT_BAD_ARG;
    } else if (why != R1_ACT_OK) {
        actions_refuse(n, a, why, now);
    }
    if (why != R1_ACT_OK) {
        log_action(n, a, "refused");
        return;
    }
    actions_begin(n, a, in->arg, now);
    if (a->backend == R1_BACKEND_FILE) {
        actions_run_file(n, a, now);
        return;
    }
    if (a->backend == R1_BACKEND_POLLER) {
        poller_due_node(app->poller, n->id);
        struct r1_act_reply ok = {.http_code = 200};
        actions_reply(n, a, &ok, NULL, now);
        return;
    }
    log_action(n, a, "start");
    if (a->backend == R1_BACKEND_NETWORK) {
        /* dAuth, then MQTT (net/remote.h); the outcome comes to action_done like Docker's */
        if (remote_start(app->poller, app->cfg, app->fleet.net, n, a->id, action_done, app,
                         err) < 0) {
            struct r1_act_reply r = {.error = err};
            actions_reply(n, a, &r, NULL, now);
            log_action(n, a, "end");
        }
        return;
    }
    submit_step(app, n, a);
}

int app_act_once(struct r1_app *app, uint32_t node_id, int action, bool confirmed,
                 const char *arg, double timeout_s)
{
    install_signals(app->poller);
    app->scripted = true;
    struct r1_intent in = {.kind = R1_INTENT_ACT, .node_id = node_id, .action = action,
                           .confirmed = confirmed};
    r1_strlcpy(in.arg, arg ? arg : "", sizeof(in.arg));
    app_apply_intent(app, &in);
    struct r1_node *n = node_by_id(app, node_id);
    if (!n)
        return 1;
    double deadline = r1_mono() + timeout_s;
    while (n->act.state == R1_ACTST_RUNNING && poller_oneshots_running(app->poller) > 0) {
        if (got_term || r1_mono() >= deadline) {
            app->interrupted = got_term != 0;
            poller_abandon(app->poller, got_term ? "interrupted by a signal" : "timed out");
            break;
        }
        bool input = false;
        poller_wait(app->poller, -1, 200, &input);
        poller_perform(app->poller);
    }
    return n->act.state == R1_ACTST_OK ? 0 : 1;
}

bool app_sleep(struct r1_app *app, double seconds)
{
    double until = r1_mono() + seconds;
    while (!got_term && r1_mono() < until) {
        bool input = false;
        poller_wait(app->poller, -1, (int)ceil((until - r1_mono()) * 1000.0), &input);
        poller_perform(app->poller);
    }
    app->interrupted |= got_term != 0;
    return !got_term;
}

static bool addr_match(const char *a, const char *b)
{
    return a[0] && b[0] && strcasecmp(a, b) == 0;
}

struct r1_node *app_find_node(struct r1_app *app, const char *what)
{
    struct r1_node *found = NULL;
    for (size_t i = 0; i < app->fleet.n_nodes; i++) {
        struct r1_node *n = &app->fleet.nodes[i];
        bool hit = strcmp(n->name, what) == 0 || addr_match(n->addr_cfg, what) ||
                   addr_match(n->eth_cfg, what) ||
                   (R1_VALID(&n->info, INFO_ALIAS) && strcmp(n->info.alias, what) == 0);
        if (hit && found)
            return NULL;   /* ambiguous: never act on a guess */
        if (hit)
            found = n;
    }
    return found;
}
