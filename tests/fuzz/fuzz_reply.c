/* libFuzzer target for the poller's reply path, with the node the reply was asked about.
 * The probe that found D1, D2, D4 and D8 named two gaps in the other harnesses: none drove the
 * poller's reply path (size cap, parse, release, status), and none paired a parsed reply with
 * the node it was requested for. This one hands the input to a real poller as the reply of one
 * node's job (poller_feed_reply) and checks what the model then says about that node.
 *
 * Input: byte 0 picks the source (% 4: oracle_last, oracle_range, oracle_epoch, docker),
 * byte 1 how the node is configured (% 3: by the fixtures' ETH address, by their 0xai address,
 * by another key's ETH address), byte 2 the HTTP status (% 4: 200, 200, 302, 503); the rest is
 * the body. The clock is the fixtures' server_time plus 30 s, so their replies are current.
 *
 * Properties (abort() on a violation), beyond "no crash, no leak, no UB":
 *   - binding (D2): whatever the reply says, figures stored in the node's oracle groups are
 *     about the configured node: a stored ETH address is the node's (any case); nothing is
 *     stored for a node configured as another key;
 *   - D4: a licence stored from this reply carries this reply's verdict;
 *   - D3: the epoch every reader uses is within one of the clock's;
 *   - status: the job's source recorded this attempt; an error has a kind and a clean reason;
 *     a 3xx or 5xx never stores anything;
 *   - nothing outside the fed source's groups changed (the status file group stays empty).
 * Build and run: make fuzz FUZZ_TARGET=reply (tests/fuzz/README.md). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "derive.h"
#include "epoch.h"
#include "model.h"
#include "poller.h"
#include "sources/source.h"
#include "util.h"

/* 2026-08-05 10:00:30 UTC: 30 s after the server_time of the tests/data/oracle replies */
static double fake_wall(void)
{
    return 1785924030.0;
}

static double fake_mono(void)
{
    return 1000.0;
}

#define NODE_ETH "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"
#define NODE_ADDR "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
#define OTHER_ETH "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5"

static const int sources[] = {SRC_ORACLE_LAST, SRC_ORACLE_RANGE, SRC_ORACLE_EPOCH, SRC_DOCKER};
static const long codes[] = {200, 200, 302, 503};

static void check_status(const struct r1_src_status *st)
{
    if (st->attempt_at <= 0)
        abort();
    if (st->err.kind == R1_EK_NONE)
        return;
    if (!memchr(st->err.reason, '\0', sizeof(st->err.reason)))
        abort();
    for (const unsigned char *c = (const unsigned char *)st->err.reason; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            abort();
}

static void check_bound(const struct r1_oracle_node *o, bool other)
{
    if (o->meta.valid == 0)
        return;
    if (other)
        abort();   /* nothing may be stored for a node the reply is not about */
    if (R1_VALID(o, ORC_ETH) && strcasecmp(o->node_eth, NODE_ETH) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    int src = sources[data[0] % 4];
    int how = data[1] % 3;
    long http = codes[data[2] % 4];
    const char *body = (const char *)data + 3;
    size_t len = size - 3;

    struct r1_config cfg;
    config_defaults(&cfg);
    r1_strlcpy(cfg.oracle_url, "http://127.0.0.1:1", sizeof(cfg.oracle_url));
    struct r1_fleet f;
    model_fleet_init(&f, cfg.net);
    struct r1_node *n = model_fleet_add(&f, "fuzzed");
    if (how == 0)
        r1_strlcpy(n->eth_cfg, NODE_ETH, sizeof(n->eth_cfg));
    else if (how == 1)
        r1_strlcpy(n->addr_cfg, NODE_ADDR, sizeof(n->addr_cfg));
    else
        r1_strlcpy(n->eth_cfg, OTHER_ETH, sizeof(n->eth_cfg));
    r1_strlcpy(n->docker_socket, "/nonexistent/docker.sock", sizeof(n->docker_socket));
    r1_strlcpy(n->container, "edge_node", sizeof(n->container));

    struct r1_poller *p = poller_new(&cfg, &f);
    poller_set_clock(p, fake_wall, fake_mono);
    uint32_t id = src == SRC_ORACLE_EPOCH ? R1_NODE_ALL : n->id;
    if (poller_feed_reply(p, id, src, body, len, http) == 0) {
        derive_fleet(&f, fake_wall());
        const struct r1_src_status *st = src == SRC_ORACLE_EPOCH ? &f.src[src] : &n->src[src];
        check_status(st);
        bool stored = n->orc.meta.valid || n->range.meta.valid || n->lic.meta.valid ||
                      n->dock.meta.valid || R1_VALID(&f.epoch, FLEET_EPOCH);
        if (http != 200 && stored)
            abort();
        check_bound(&n->orc, how == 2);
        check_bound(&n->range, how == 2);
        if (n->lic.meta.updated_at > 0) {
            if (how == 2)
                abort();
            const struct r1_oracle_node *from =
                n->lic.meta.fed_by == SRC_ORACLE_RANGE + 1 ? &n->range : &n->orc;
            if (n->lic.trust != from->trust)
                abort();
        }
        int64_t clock = epoch_at(f.net, fake_wall());
        if (f.epoch_now < clock - DERIVE_EPOCH_SKEW || f.epoch_now > clock + DERIVE_EPOCH_SKEW)
            abort();
        if (n->info.meta.valid || n->info.meta.updated_at > 0)
            abort();
    }
    poller_free(p);
    model_fleet_free(&f);
    config_free(&cfg);
    return 0;
}
