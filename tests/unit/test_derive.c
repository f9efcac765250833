/* Unit tests for derive.c: the one pass that turns what the sources stored into what readers
 * show — a node's online state and what decided it, the fleet's one current epoch (D3), the
 * rewards estimate's trust (the weakest behind it), the container state, and whether the
 * oracle's node address may stand in for an unknown one (section 5 of the reshape issue).
 * Each test builds the model by hand as the sources leave it and checks the derived fields;
 * thresholds are tested on both sides of their edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"
#include "model.h"
#include "network.h"
#include "rewards.h"
#include "sources/source.h"

/* 2025-11-25 03:06:40 UTC: mainnet epoch 185, 40000 s into it (genesis 1748016000). */
#define NOW 1764040000.0
#define CLOCK_EPOCH 185

/* A real identity pair (tests/data/oracle), and another key's (tests/data/trust test key). */
#define A_ADDR "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty"
#define A_ETH "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69"
#define OTHER_ADDR "0xai_A8GIwv9qUBSawjfosRllzI7WaqqFGsHZ1BbZMeLsiYfB"
#define OTHER_ETH "0x4882001412da8fbB3A18A971c7a33eb4e71Ea106"

static int setup(void **state)
{
    struct r1_fleet *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    model_fleet_init(f, network_get(R1_NET_MAINNET));
    model_fleet_add(f, "box");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct r1_fleet *f = *state;
    model_fleet_free(f);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* The node has a status folder and its local_info.json was written age_s ago. */
static void status_file(struct r1_node *n, double age_s)
{
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file:///srv/_data/");
    n->info.file_mtime = NOW - age_s;
    R1_MARK(&n->info, INFO_MTIME);
    model_meta_ok(&n->info.meta, NOW - age_s);
}

/* The oracle's node_last_epoch reply, received reply_age_s ago: online or not, and the node
 * last seen seen_s before the reply (seen_s < 0: not given). */
static void oracle_says(struct r1_oracle_node *o, bool online, double seen_s, double reply_age_s)
{
    model_meta_ok(&o->meta, NOW - reply_age_s);
    o->is_online = online;
    R1_MARK(o, ORC_ONLINE);
    if (seen_s >= 0) {
        o->last_seen_s = seen_s;
        R1_MARK(o, ORC_LAST_SEEN);
    }
}

static void check_online(const struct r1_node *n, enum r1_online want, enum r1_online_basis basis,
                         const char *words)
{
    char got[160];
    derive_online_text(&n->status, got, sizeof(got));
    if (n->status.online != want || n->status.basis != basis || strcmp(got, words) != 0)
        fail_msg("online %d basis %d \"%s\"; expected %d, %d, \"%s\"", n->status.online,
                 n->status.basis, got, want, basis, words);
}

/* ---- online: the status file decides ------------------------------------------------------- */

static void test_derive_fresh_status_file_is_online(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, 7);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_FILE, "status file 7 s old");
    assert_true(n->status.file_age_s == 7);
    assert_true(n->status.file_configured);
    assert_false(n->status.oracle_known);
    assert_true(isnan(n->status.oracle_seen_s));
}

/* Fresh below 30 s, stale up to and including 300 s, offline beyond. */
static void test_derive_status_file_age_edges(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    static const struct {
        double age;
        enum r1_online want;
        const char *words;
    } cases[] = {
        {0, R1_ONLINE_YES, "status file 0 s old"},
        {29.5, R1_ONLINE_YES, "status file 29 s old"},
        {30, R1_ONLINE_STALE, "status file 30 s old"},
        {120, R1_ONLINE_STALE, "status file 2 min old"},
        {300, R1_ONLINE_STALE, "status file 5 min old"},
        {301, R1_ONLINE_NO, "status file 5 min old"},
        {3 * 86400, R1_ONLINE_NO, "status file 3 d old"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        status_file(n, cases[c].age);
        derive_fleet(f, NOW);
        check_online(n, cases[c].want, R1_BASIS_FILE, cases[c].words);
        assert_true(n->status.file_age_s == cases[c].age);
    }
}

/* A host clock a little behind the node's gives a negative age: "just written", not unknown. */
static void test_derive_status_file_from_the_future_is_just_written(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, -4);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_FILE, "status file 0 s old");
    assert_true(n->status.file_age_s == 0);
}

/* Alive locally but invisible to the network loses rewards: the basis says so. */
static void test_derive_fresh_file_but_oracle_offline(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, 5);
    oracle_says(&n->orc, false, 900, 10);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_FILE_ORACLE_OFFLINE,
                 "status file 5 s old; oracle says offline");
    assert_true(n->status.oracle_known);
    assert_false(n->status.oracle_online);
    /* 900 s before a reply 10 s old */
    assert_true(n->status.oracle_seen_s == 910);
}

/* The file stopped changing but the network still hears the node: stale, not down. */
static void test_derive_old_file_but_oracle_saw_it_lately(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, 400);
    oracle_says(&n->orc, true, 10, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_STALE, R1_BASIS_FILE_ORACLE_SEES,
                 "status file 6 min old, but the oracle saw it 15 s ago");
    assert_true(n->status.oracle_seen_s == 15);

    /* seen 119 s ago counts; 120 s does not (the reply's own age included) */
    oracle_says(&n->orc, true, 109, 10);
    derive_fleet(f, NOW);
    assert_int_equal(n->status.basis, R1_BASIS_FILE_ORACLE_SEES);
    oracle_says(&n->orc, true, 110, 10);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_NO, R1_BASIS_FILE, "status file 6 min old");

    /* an oracle that says offline does not lift a dead file */
    oracle_says(&n->orc, false, 5, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_NO, R1_BASIS_FILE, "status file 6 min old");
}

/* A fresh file is online whatever the oracle's last-seen says. */
static void test_derive_fresh_file_with_oracle_online_stays_file_based(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, 3);
    oracle_says(&n->orc, true, 500, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_FILE, "status file 3 s old");
}

/* ---- online: no status file, the oracle decides -------------------------------------------- */

static void test_derive_oracle_only(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    oracle_says(&n->orc, true, 20, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_ORACLE, "oracle: last seen 25 s ago");
    assert_false(n->status.file_configured);
    assert_true(isnan(n->status.file_age_s));

    oracle_says(&n->orc, true, 200, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_STALE, R1_BASIS_ORACLE, "oracle: last seen 3 min ago");

    oracle_says(&n->orc, false, 4000, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_NO, R1_BASIS_ORACLE, "oracle: offline, last seen 1 h ago");

    /* online by its flag, but no last-seen: not enough to say */
    memset(&n->orc.meta, 0, sizeof(n->orc.meta));
    oracle_says(&n->orc, true, -1, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_UNKNOWN, R1_BASIS_ORACLE, "oracle: online, last seen unknown");
}

/* node_epochs_range carries the same flags: used when node_last_epoch has none. */
static void test_derive_oracle_view_from_the_range_reply(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    oracle_says(&n->range, false, 100, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_NO, R1_BASIS_ORACLE, "oracle: offline, last seen 1 min ago");
    /* node_last_epoch, when it has them, wins */
    oracle_says(&n->orc, true, 5, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_ORACLE, "oracle: last seen 10 s ago");
}

/* A status folder that has not given a file yet: the oracle stands in, and the reason says the
 * file is missing; with no oracle either, nothing is known. */
static void test_derive_status_file_not_read(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file:///srv/_data/");
    n->info.file_mtime = NOW - 2; /* a leftover without its valid bit */
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_UNKNOWN, R1_BASIS_FILE_NOT_READ, "status file not read yet");
    assert_true(isnan(n->status.file_age_s));

    oracle_says(&n->orc, true, 20, 5);
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_YES, R1_BASIS_ORACLE,
                 "status file unreadable; oracle: last seen 25 s ago");
}

static void test_derive_nothing_known(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    derive_fleet(f, NOW);
    check_online(n, R1_ONLINE_UNKNOWN, R1_BASIS_NONE, "no status file and no oracle data");
    assert_false(n->status.oracle_known);
    assert_true(isnan(n->status.file_age_s));
    assert_true(isnan(n->status.oracle_seen_s));
}

/* ---- the epoch (D3) ------------------------------------------------------------------------- */

static void oracle_epoch(struct r1_fleet *f, int64_t epoch, int trust)
{
    f->epoch.current_epoch = epoch;
    f->epoch.trust = trust;
    R1_MARK(&f->epoch, FLEET_EPOCH);
}

static void check_epoch(struct r1_fleet *f, int64_t want, bool from_oracle)
{
    derive_fleet(f, NOW);
    if (f->epoch_now != want || f->epoch_from_oracle != from_oracle)
        fail_msg("epoch %lld (%s); expected %lld (%s)", (long long)f->epoch_now,
                 f->epoch_from_oracle ? "oracle" : "clock", (long long)want,
                 from_oracle ? "oracle" : "clock");
}

static void test_derive_epoch_from_the_clock_without_an_oracle_epoch(void **state)
{
    struct r1_fleet *f = *state;
    check_epoch(f, CLOCK_EPOCH, false);
    /* 40000 s into a 86400 s epoch */
    assert_true(f->epoch_left_s == 46400);
    assert_true(fabs(f->epoch_frac - 40000.0 / 86400.0) < 1e-12);
    /* a figure left behind without its valid bit is not an oracle epoch */
    f->epoch.current_epoch = CLOCK_EPOCH + 1;
    f->epoch.trust = R1_TRUST_VERIFIED;
    check_epoch(f, CLOCK_EPOCH, false);
}

static void test_derive_verified_epoch_within_one_of_the_clock_is_used(void **state)
{
    struct r1_fleet *f = *state;
    for (int64_t d = -1; d <= 1; d++) {
        oracle_epoch(f, CLOCK_EPOCH + d, R1_TRUST_VERIFIED);
        check_epoch(f, CLOCK_EPOCH + d, true);
    }
}

static void test_derive_verified_epoch_further_off_falls_back_to_clock(void **state)
{
    struct r1_fleet *f = *state;
    static const int64_t off[] = {2, -2, 5, -5, 100};
    for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
        oracle_epoch(f, CLOCK_EPOCH + off[i], R1_TRUST_VERIFIED);
        check_epoch(f, CLOCK_EPOCH, false);
    }
}

static void test_derive_unverified_epoch_falls_back_to_clock(void **state)
{
    struct r1_fleet *f = *state;
    static const int not_verified[] = {R1_TRUST_UNCHECKED, R1_TRUST_UNSIGNED,
                                       R1_TRUST_UNKNOWN_SIGNER, R1_TRUST_BAD};
    for (size_t i = 0; i < sizeof(not_verified) / sizeof(not_verified[0]); i++) {
        oracle_epoch(f, CLOCK_EPOCH + 1, not_verified[i]);
        check_epoch(f, CLOCK_EPOCH, false);
    }
}

/* ---- rewards and their trust ----------------------------------------------------------------- */

/* An ND licence last claimed at 180 and epochs 180..185 all at 255 (to estimate up to the
 * epoch before the current one, whichever it is). */
static void rewardable(struct r1_node *n)
{
    n->lic.type = R1_LIC_ND;
    n->lic.total_assigned_wei = R1_ND_MAX_RELEASE_PER_EPOCH_WEI * 1000;
    n->lic.total_claimed_wei = 0;
    n->lic.last_claim_epoch = 180;
    R1_MARK(&n->lic, LIC_TYPE);
    R1_MARK(&n->lic, LIC_ASSIGNED);
    R1_MARK(&n->lic, LIC_CLAIMED);
    R1_MARK(&n->lic, LIC_LAST_CLAIM);
    n->range.from_epoch = 180;
    n->range.to_epoch = 185;
    n->range.n_epochs = 6;
    n->range.epochs_u8 = malloc(6);
    assert_non_null(n->range.epochs_u8);
    memset(n->range.epochs_u8, 255, 6);
    R1_MARK(&n->range, ORC_EPOCHS);
}

/* The estimate runs to the epoch before the derived current epoch. */
static void test_derive_rewards_use_the_derived_epoch(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    rewardable(n);
    derive_fleet(f, NOW);
    assert_int_equal(n->rew.poa_status, R1_REW_OK);
    assert_int_equal(n->rew.poa_from_epoch, 180);
    assert_int_equal(n->rew.poa_to_epoch, CLOCK_EPOCH - 1);
    assert_true(n->rew.poa_claimable_wei == R1_ND_MAX_RELEASE_PER_EPOCH_WEI * 5);

    oracle_epoch(f, CLOCK_EPOCH + 1, R1_TRUST_VERIFIED);
    derive_fleet(f, NOW);
    assert_int_equal(n->rew.poa_to_epoch, CLOCK_EPOCH);
    assert_true(n->rew.poa_claimable_wei == R1_ND_MAX_RELEASE_PER_EPOCH_WEI * 6);

    oracle_epoch(f, CLOCK_EPOCH + 1, R1_TRUST_UNSIGNED);
    derive_fleet(f, NOW);
    assert_int_equal(n->rew.poa_to_epoch, CLOCK_EPOCH - 1);
}

/* poa_trust is the weaker of the licence's and the range's verdicts: BAD is worst, then an
 * unknown signer, unsigned, not checked; verified only when both are. */
static void test_derive_rewards_trust_is_the_weakest(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    rewardable(n);
    enum { V = R1_TRUST_VERIFIED, C = R1_TRUST_UNCHECKED, U = R1_TRUST_UNSIGNED,
           K = R1_TRUST_UNKNOWN_SIGNER, B = R1_TRUST_BAD };
    static const int cases[][3] = {
        /* licence, range, weakest */
        {V, V, V}, {V, U, U}, {U, V, U}, {C, V, C}, {V, C, C}, {C, U, U}, {U, K, K},
        {K, U, K}, {K, B, B}, {B, V, B}, {V, B, B}, {B, C, B},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        n->lic.trust = cases[c][0];
        n->range.trust = cases[c][1];
        derive_fleet(f, NOW);
        if (n->rew.poa_trust != cases[c][2])
            fail_msg("licence %s, range %s: poa_trust %s, expected %s",
                     model_trust_name(cases[c][0]), model_trust_name(cases[c][1]),
                     model_trust_name(n->rew.poa_trust), model_trust_name(cases[c][2]));
    }
    /* a verdict outside the enum is never taken for verified */
    n->lic.trust = 42;
    n->range.trust = V;
    derive_fleet(f, NOW);
    assert_int_not_equal(n->rew.poa_trust, V);
    /* the node_last_epoch reply's verdict is not one of them (D4) */
    n->lic.trust = V;
    n->orc.trust = B;
    derive_fleet(f, NOW);
    assert_int_equal(n->rew.poa_trust, V);
}

/* ---- container state ------------------------------------------------------------------------- */

static void test_derive_container_state_mapping(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    static const struct {
        const char *docker;
        enum r1_container_state st;
        const char *name;
    } cases[] = {
        {"running", R1_CT_RUNNING, "running"},       {"restarting", R1_CT_RESTARTING, "restarting"},
        {"paused", R1_CT_PAUSED, "paused"},          {"created", R1_CT_CREATED, "created"},
        {"exited", R1_CT_EXITED, "exited"},          {"dead", R1_CT_DEAD, "dead"},
        {"removing", R1_CT_REMOVING, "removing"},    {"Running", R1_CT_OTHER, "other"},
        {"hibernating", R1_CT_OTHER, "other"},       {"", R1_CT_UNKNOWN, "unknown"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        assert_int_equal(derive_container_state(cases[c].docker), cases[c].st);
        assert_string_equal(derive_container_name(cases[c].st), cases[c].name);
        snprintf(n->dock.state, sizeof(n->dock.state), "%s", cases[c].docker);
        R1_MARK(&n->dock, DOCK_STATE);
        derive_fleet(f, NOW);
        assert_int_equal(n->status.container, cases[c].st);
    }
    assert_int_equal(derive_container_state(NULL), R1_CT_UNKNOWN);
    /* a state left behind without its valid bit is not a state */
    snprintf(n->dock.state, sizeof(n->dock.state), "running");
    n->dock.meta.valid = 0;
    derive_fleet(f, NOW);
    assert_int_equal(n->status.container, R1_CT_UNKNOWN);
}

/* ---- the oracle's node address for an ETH-only node (section 5) ---------------------------- */

/* oracle.c keeps the reply's 0xai address only when it is one and the reply's ETH address is
 * the same key (test_binding); derive lends it to a node configured by that ETH address. */
static void test_derive_oracle_addr_derives_only_from_the_configured_eth(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    snprintf(n->eth_cfg, sizeof(n->eth_cfg), A_ETH);
    snprintf(n->orc.node_addr, sizeof(n->orc.node_addr), A_ADDR);
    snprintf(n->orc.node_eth, sizeof(n->orc.node_eth), A_ETH);
    R1_MARK(&n->orc, ORC_ETH);
    derive_fleet(f, NOW);
    assert_true(n->status.oracle_addr_derives);
    assert_string_equal(model_node_address(n), A_ADDR);

    /* the ETH address in any case: EIP-55 is a checksum, not a different address */
    snprintf(n->eth_cfg, sizeof(n->eth_cfg), "0x13dc6ee23d45d1e4bf0bdbdf58bfdf24bb077e69");
    derive_fleet(f, NOW);
    assert_true(n->status.oracle_addr_derives);

    /* a reply about another key lends nothing to this one */
    snprintf(n->eth_cfg, sizeof(n->eth_cfg), A_ETH);
    snprintf(n->orc.node_addr, sizeof(n->orc.node_addr), OTHER_ADDR);
    snprintf(n->orc.node_eth, sizeof(n->orc.node_eth), OTHER_ETH);
    derive_fleet(f, NOW);
    assert_false(n->status.oracle_addr_derives);
    assert_string_equal(model_node_address(n), "");
    /* ... though it is that key's own */
    snprintf(n->eth_cfg, sizeof(n->eth_cfg), OTHER_ETH);
    derive_fleet(f, NOW);
    assert_true(n->status.oracle_addr_derives);

    /* no address kept (the oracle's "unknown:<eth>", or none), none lent */
    n->orc.node_addr[0] = '\0';
    derive_fleet(f, NOW);
    assert_false(n->status.oracle_addr_derives);
}

/* ---- the most urgent problem (the fleet screen's PROBLEM column) ---------------------------- */

static void check_problem(const struct r1_node *n, enum r1_problem want, const char *words)
{
    char got[160];
    derive_problem_text(&n->status.problem, got, sizeof(got));
    if (n->status.problem.kind != want || strcmp(got, words) != 0)
        fail_msg("problem %d \"%s\"; expected %d \"%s\"", n->status.problem.kind, got, want, words);
}

/* A node with every problem at once, mended one at a time from the most urgent: each step
 * shows the next one down the ranking (model.h enum r1_problem, derive_problem's comment). */
static void test_derive_problem_ranking_most_urgent_first(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, 3 * 3600 + 5);       /* down for 3 h */
    oracle_says(&n->orc, false, -1, 2); /* ... and the oracle says offline */
    n->orc.unknown_node = true;         /* about an address it never saw */
    n->range.trust = R1_TRUST_BAD;
    n->lic.type = R1_LIC_ND;
    n->lic.is_banned = true;
    n->lic.is_valid = false;
    R1_MARK(&n->lic, LIC_TYPE);
    R1_MARK(&n->lic, LIC_BANNED);
    R1_MARK(&n->lic, LIC_VALID);
    n->info.current_epoch = CLOCK_EPOCH;
    n->info.current_epoch_avail = 0.4;
    R1_MARK(&n->info, INFO_CUR_EPOCH);
    R1_MARK(&n->info, INFO_CUR_AVAIL);
    n->orc.server_current_epoch = CLOCK_EPOCH;
    n->orc.server_last_synced_epoch = CLOCK_EPOCH - 2;
    R1_MARK(&n->orc, ORC_SERVER);
    n->src[SRC_NODE_HISTORY].configured = true;
    n->src[SRC_NODE_HISTORY].err.kind = R1_EK_HTTP;
    n->unit.starts_30min = 22;          /* r1setup's unit close to rebooting the host */
    R1_MARK(&n->unit, UNIT_STARTS);

    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_OFFLINE, "offline 3 h");
    assert_int_equal(n->status.problem.src, SRC_NODE_INFO);
    status_file(n, 5);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_RESTART_LOOP, "restart loop: 22 of 30 starts");
    assert_int_equal(n->status.problem.src, SRC_UNIT);
    n->unit.starts_30min = R1_UNIT_START_WARN - 1;   /* 19: worth a colour, not a problem */
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_BAD_SIGNATURE, "bad signature");
    assert_int_equal(n->status.problem.src, SRC_ORACLE_RANGE);
    n->range.trust = R1_TRUST_VERIFIED;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_UNKNOWN_NODE, "unknown to the oracle");
    n->orc.unknown_node = false;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_ORACLE_OFFLINE, "oracle says offline");
    oracle_says(&n->orc, true, 3, 2);
    status_file(n, 90); /* stale, the oracle still sees it */
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_STALE, "stale files 1 min");
    status_file(n, 5);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_LIC_BANNED, "licence banned");
    n->lic.is_banned = false;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_LIC_INVALID, "licence not valid");
    n->lic.is_valid = true;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_LOW_AVAIL, "availability 40 %");
    assert_int_equal(n->status.problem.pct, 40);
    n->info.current_epoch_avail = 0.95;
    n->lic.type = R1_LIC_NONE;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_NO_LICENCE, "no licence");
    n->lic.type = R1_LIC_ND;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_SYNCING, "oracle syncing");
    n->orc.server_last_synced_epoch = CLOCK_EPOCH - 1; /* the epoch before: synced */
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_SOURCE_ERROR, "history file error");
    assert_int_equal(n->status.problem.src, SRC_NODE_HISTORY);
    n->src[SRC_NODE_HISTORY].err.kind = R1_EK_NONE;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_NONE, "");
    assert_int_equal(n->status.problem.src, -1);
    assert_int_equal(n->status.problem.pct, -1);
}

/* The oracle's answer for an address it never saw says offline, with zero availabilities
 * (docs/protocol.md §2.5): that is "unknown to the oracle", never "offline" or "0 %". */
static void test_derive_problem_unknown_node_is_not_offline(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    oracle_says(&n->orc, false, -1, 2);
    n->orc.unknown_node = true;   /* oracle.c: "unknown:<eth>" or "No internal node address" */
    n->orc.last_epoch_id = CLOCK_EPOCH - 1;
    n->orc.last_epoch_u8 = 0;
    R1_MARK(&n->orc, ORC_LAST_EPOCH);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_UNKNOWN_NODE, "unknown to the oracle");
    /* ... and its state is unknown, not offline: the oracle's flag is a placeholder */
    assert_int_equal(n->status.online, R1_ONLINE_UNKNOWN);
    /* a known node the oracle calls offline, last seen 2 h before its reply */
    n->orc.unknown_node = false;
    oracle_says(&n->orc, false, 7200, 30);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_OFFLINE, "offline 2 h");
    assert_int_equal(n->status.problem.src, SRC_ORACLE_LAST);
    /* ... unless that reply's signature fails: then its word is not taken */
    n->orc.trust = R1_TRUST_BAD;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_BAD_SIGNATURE, "bad signature");
    assert_int_equal(n->status.problem.src, SRC_ORACLE_LAST);
}

/* Availability: this epoch so far from a fresh status file, else the oracle's last epoch; 90 %
 * is fine, 89 % is not; a status file from an earlier epoch does not speak for this one. */
static void test_derive_problem_availability_sources_and_edge(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    status_file(n, 5);
    n->info.current_epoch = CLOCK_EPOCH;
    n->info.current_epoch_avail = 0.90;
    R1_MARK(&n->info, INFO_CUR_EPOCH);
    R1_MARK(&n->info, INFO_CUR_AVAIL);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_NONE, "");
    n->info.current_epoch_avail = 0.89;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_LOW_AVAIL, "availability 89 %");
    /* last epoch's figure from the oracle when the file speaks of another epoch:
     * 102/255 = 40 % */
    n->info.current_epoch = CLOCK_EPOCH - 3;
    oracle_says(&n->orc, true, 3, 2);
    n->orc.last_epoch_id = CLOCK_EPOCH - 1;
    n->orc.last_epoch_u8 = 102;
    R1_MARK(&n->orc, ORC_LAST_EPOCH);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_LOW_AVAIL, "last epoch 40 %");
    assert_int_equal(n->status.problem.src, SRC_ORACLE_LAST);
    /* 230/255 = 90 %: fine */
    n->orc.last_epoch_u8 = 230;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_NONE, "");
    /* an old last epoch says nothing about now */
    n->orc.last_epoch_u8 = 102;
    n->orc.last_epoch_id = CLOCK_EPOCH - 5;
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_NONE, "");
}

/* A node not seen by its file for a while but still heard by the oracle is stale; a node seen
 * only by the oracle, long ago, is "not seen for". */
static void test_derive_problem_stale_words_say_what_is_old(void **state)
{
    struct r1_fleet *f = *state;
    struct r1_node *n = &f->nodes[0];
    oracle_says(&n->orc, true, 600, 0);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_STALE, "not seen for 10 min");
    assert_true(n->status.problem.age_s == 600);
    status_file(n, 200);
    oracle_says(&n->orc, true, 3, 0);
    derive_fleet(f, NOW);
    check_problem(n, R1_PROB_STALE, "stale files 3 min");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* The node's exit codes (docs/protocol.md §7.3) and Docker's killed-by-signal ones. */
static void test_derive_exit_meaning(void **state)
{
    (void)state;
    assert_string_equal(derive_exit_meaning(0), "stopped by a STOP command or for an update");
    assert_string_equal(derive_exit_meaning(1), "graceful shutdown");
    assert_non_null(strstr(derive_exit_meaning(10), "reboots"));
    assert_string_equal(derive_exit_meaning(51), "exception, lost comms or low memory");
    assert_string_equal(derive_exit_meaning(52), "configuration error");
    assert_non_null(strstr(derive_exit_meaning(137), "SIGKILL"));
    assert_null(derive_exit_meaning(2));
    assert_null(derive_exit_meaning(-1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_derive_fresh_status_file_is_online),
        T(test_derive_status_file_age_edges),
        T(test_derive_status_file_from_the_future_is_just_written),
        T(test_derive_fresh_file_but_oracle_offline),
        T(test_derive_old_file_but_oracle_saw_it_lately),
        T(test_derive_fresh_file_with_oracle_online_stays_file_based),
        T(test_derive_oracle_only),
        T(test_derive_oracle_view_from_the_range_reply),
        T(test_derive_status_file_not_read),
        T(test_derive_nothing_known),
        T(test_derive_epoch_from_the_clock_without_an_oracle_epoch),
        T(test_derive_verified_epoch_within_one_of_the_clock_is_used),
        T(test_derive_verified_epoch_further_off_falls_back_to_clock),
        T(test_derive_unverified_epoch_falls_back_to_clock),
        T(test_derive_rewards_use_the_derived_epoch),
        T(test_derive_rewards_trust_is_the_weakest),
        T(test_derive_container_state_mapping),
        T(test_derive_oracle_addr_derives_only_from_the_configured_eth),
        T(test_derive_problem_ranking_most_urgent_first),
        T(test_derive_problem_unknown_node_is_not_offline),
        T(test_derive_problem_availability_sources_and_edge),
        T(test_derive_problem_stale_words_say_what_is_old),
        T(test_derive_exit_meaning),
    };
    return cmocka_run_group_tests_name("derive", tests, NULL, NULL);
}
