/* derive: see derive.h. Every rule that turns raw figures into a verdict a person reads lives
 * here once: the online state (status file age first, the oracle's view second), the epoch
 * (a verified oracle epoch near the clock's, else the clock's), the rewards estimate and the
 * weakest trust behind it. */
#include "derive.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "epoch.h"
#include "trust/eth.h"
#include "rewards.h"
#include "util.h"

void derive_epoch(struct r1_fleet *f, double now)
{
    int64_t clock = epoch_at(f->net, now);
    int64_t e = clock;
    f->epoch_from_oracle = false;
    /* D3: an unsigned, forged or replayed epoch never drives an estimate; a verified one that
     * disagrees with the clock by more than the skew means one of the two is wrong, and the
     * clock is the one r1top can stand behind. */
    if (R1_VALID(&f->epoch, FLEET_EPOCH) && f->epoch.trust == R1_TRUST_VERIFIED &&
        f->epoch.current_epoch >= clock - DERIVE_EPOCH_SKEW &&
        f->epoch.current_epoch <= clock + DERIVE_EPOCH_SKEW) {
        e = f->epoch.current_epoch;
        f->epoch_from_oracle = true;
    }
    f->epoch_now = e;
    f->epoch_left_s = epoch_remaining_s(f->net, now);
    f->epoch_frac = epoch_elapsed_frac(f->net, now);
}

/* The oracle's view, from node_last_epoch or else node_epochs_range; NULL if neither has it. */
static const struct r1_oracle_node *oracle_view(const struct r1_node *n)
{
    if (R1_VALID(&n->orc, ORC_ONLINE))
        return &n->orc;
    if (R1_VALID(&n->range, ORC_ONLINE))
        return &n->range;
    return NULL;
}

static void derive_online(struct r1_node *n, double now)
{
    struct r1_node_status *st = &n->status;
    const struct r1_oracle_node *o = oracle_view(n);
    st->online = R1_ONLINE_UNKNOWN;
    st->basis = R1_BASIS_NONE;
    st->file_age_s = NAN;
    st->oracle_seen_s = NAN;
    st->file_configured = n->status_dir_url[0] != '\0';
    st->oracle_known = o != NULL;
    st->oracle_online = o && o->is_online;
    if (o && R1_VALID(o, ORC_LAST_SEEN) && o->last_seen_s >= 0) {
        /* node_last_seen_sec was measured when the oracle replied; add the reply's age. */
        double reply_age = model_meta_age(&o->meta, now);
        st->oracle_seen_s = o->last_seen_s + (reply_age > 0 ? reply_age : 0);
    }
    bool have_file = st->file_configured && R1_VALID(&n->info, INFO_MTIME) &&
                     n->info.file_mtime > 0;
    if (have_file) {
        /* The status file is the node's own heartbeat and the freshest signal; it decides. A
         * host clock a little behind the node's gives a negative age: "just written". */
        double age = now - n->info.file_mtime;
        st->file_age_s = age < 0 ? 0 : age;
        st->basis = R1_BASIS_FILE;
        st->online = st->file_age_s < DERIVE_FILE_FRESH_S    ? R1_ONLINE_YES
                     : st->file_age_s <= DERIVE_FILE_DEAD_S ? R1_ONLINE_STALE
                                                             : R1_ONLINE_NO;
        if (st->online == R1_ONLINE_YES && o && !o->is_online) {
            /* Alive locally but invisible to the network loses rewards: say so. */
            st->basis = R1_BASIS_FILE_ORACLE_OFFLINE;
        } else if (st->online != R1_ONLINE_YES && o && o->is_online &&
                   !isnan(st->oracle_seen_s) && st->oracle_seen_s < DERIVE_ORACLE_SEEN_S) {
            /* The network still hears the node: its file stopped changing (a wrong path, a
             * stuck writer), worth a look, but it is not down. */
            st->online = R1_ONLINE_STALE;
            st->basis = R1_BASIS_FILE_ORACLE_SEES;
        }
        return;
    }
    if (o) {
        st->basis = R1_BASIS_ORACLE;
        if (!o->is_online)
            st->online = R1_ONLINE_NO;
        else if (isnan(st->oracle_seen_s))
            st->online = R1_ONLINE_UNKNOWN;
        else
            st->online = st->oracle_seen_s < DERIVE_ORACLE_SEEN_S ? R1_ONLINE_YES : R1_ONLINE_STALE;
        return;
    }
    st->basis = st->file_configured ? R1_BASIS_FILE_NOT_READ : R1_BASIS_NONE;
}

static const struct {
    const char *docker;
    enum r1_container_state st;
} container_states[] = {
    {"running", R1_CT_RUNNING}, {"restarting", R1_CT_RESTARTING}, {"paused", R1_CT_PAUSED},
    {"created", R1_CT_CREATED}, {"exited", R1_CT_EXITED},         {"dead", R1_CT_DEAD},
    {"removing", R1_CT_REMOVING},
};

enum r1_container_state derive_container_state(const char *docker_state)
{
    if (!docker_state || !docker_state[0])
        return R1_CT_UNKNOWN;
    for (size_t i = 0; i < R1_ARRAY_LEN(container_states); i++)
        if (strcmp(docker_state, container_states[i].docker) == 0)
            return container_states[i].st;
    return R1_CT_OTHER;
}

const char *derive_container_name(enum r1_container_state s)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(container_states); i++)
        if (container_states[i].st == s)
            return container_states[i].docker;
    return s == R1_CT_OTHER ? "other" : "unknown";
}

/* The weaker of two verdicts: BAD beats everything, then unknown signer, unsigned, unchecked. */
static int trust_weakest(int a, int b)
{
    static const int rank[] = {[R1_TRUST_VERIFIED] = 0, [R1_TRUST_UNCHECKED] = 1,
                               [R1_TRUST_UNSIGNED] = 2, [R1_TRUST_UNKNOWN_SIGNER] = 3,
                               [R1_TRUST_BAD] = 4};
    int ra = a >= 0 && a <= R1_TRUST_BAD ? rank[a] : 4;
    int rb = b >= 0 && b <= R1_TRUST_BAD ? rank[b] : 4;
    return ra >= rb ? a : b;
}

/* Section 5 of the reshape issue: a node configured by ETH address alone shows the 0xai
 * address a node-bound oracle reply carries, once it is checked to derive that ETH address. */
static bool oracle_addr_derives(const struct r1_node *n)
{
    char eth[ETH_ADDR_BUF];
    return n->eth_cfg[0] && n->orc.node_addr[0] && R1_VALID(&n->orc, ORC_ETH) &&
           eth_node_addr_to_eth(n->orc.node_addr, eth) == 0 && strcasecmp(eth, n->eth_cfg) == 0;
}

void derive_node(const struct r1_fleet *f, struct r1_node *n, double now)
{
    n->status.oracle_addr_derives = oracle_addr_derives(n);
    derive_online(n, now);
    n->status.container = R1_VALID(&n->dock, DOCK_STATE) ? derive_container_state(n->dock.state)
                                                         : R1_CT_UNKNOWN;
    rewards_update(n, f->epoch_now);
    n->rew.poa_trust = trust_weakest(n->lic.trust, n->range.trust);
}

void derive_fleet(struct r1_fleet *f, double now)
{
    derive_epoch(f, now);
    for (size_t i = 0; i < f->n_nodes; i++)
        derive_node(f, &f->nodes[i], now);
}

void derive_online_text(const struct r1_node_status *st, char *dst, size_t dst_size)
{
    char file[24] = "", seen[24] = "";
    if (!isnan(st->file_age_s))
        r1_fmt_age(file, sizeof(file), st->file_age_s);
    if (!isnan(st->oracle_seen_s))
        r1_fmt_age(seen, sizeof(seen), st->oracle_seen_s);
    const char *pre = st->file_configured ? "status file unreadable; " : "";
    switch (st->basis) {
    case R1_BASIS_NONE:
        snprintf(dst, dst_size, "no status file and no oracle data");
        break;
    case R1_BASIS_FILE_NOT_READ:
        snprintf(dst, dst_size, "status file not read yet");
        break;
    case R1_BASIS_FILE:
        snprintf(dst, dst_size, "status file %s old", file);
        break;
    case R1_BASIS_FILE_ORACLE_OFFLINE:
        snprintf(dst, dst_size, "status file %s old; oracle says offline", file);
        break;
    case R1_BASIS_FILE_ORACLE_SEES:
        snprintf(dst, dst_size, "status file %s old, but the oracle saw it %s ago", file, seen);
        break;
    case R1_BASIS_ORACLE:
        if (!st->oracle_online)
            snprintf(dst, dst_size, seen[0] ? "%soracle: offline, last seen %s ago"
                                            : "%soracle: offline%s",
                     pre, seen);
        else if (seen[0])
            snprintf(dst, dst_size, "%soracle: last seen %s ago", pre, seen);
        else
            snprintf(dst, dst_size, "%soracle: online, last seen unknown", pre);
        break;
    }
}
