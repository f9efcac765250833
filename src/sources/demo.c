#include "demo.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "amount.h"
#include "trust/canon_json.h"
#include "trust/crypto.h"
#include "epoch.h"
#include "trust/eth.h"
#include "trust/sig.h"
#include "model.h"
#include "util.h"

/* ---- determinism -------------------------------------------------------------------------
 * Every figure is hash(node, channel, step) smoothed over time, so the same (node, now) always
 * gives the same document and consecutive polls move a little, never jump. */

enum demo_channel {
    CH_CPU = 1,
    CH_CPU_FAST,
    CH_TEMP,
    CH_MEM,
    CH_GPU,
    CH_GPU_FAST,
    CH_GPU_MEM,
    CH_GPU_TEMP,
    CH_AVAIL,
    CH_AVAIL_JITTER,
    CH_NOW_AVAIL,
    CH_SEEN,
    CH_PHASE,
    CH_START,
    CH_ID,
    CH_SIG,
    CH_R1FS,
    CH_DISK,
    CH_COMM,
};

static uint64_t mix64(uint64_t x)
{
    /* splitmix64 finaliser: cheap, stateless, good avalanche */
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

static uint64_t demo_hash(unsigned node, unsigned channel, int64_t step)
{
    return mix64(mix64(mix64(node) ^ channel) ^ (uint64_t)step);
}

static double demo_unit(unsigned node, unsigned channel, int64_t step) /* [0, 1) */
{
    return (double)(demo_hash(node, channel, step) >> 11) / 9007199254740992.0;
}

/* Value noise in [0, 1): random points every period_s, smoothstep in between. */
static double demo_noise(unsigned node, unsigned channel, double t, double period_s)
{
    double k = floor(t / period_s);
    double x = t / period_s - k;
    double a = demo_unit(node, channel, (int64_t)k);
    double b = demo_unit(node, channel, (int64_t)k + 1);
    double s = x * x * (3.0 - 2.0 * x);
    return a + (b - a) * s;
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static double round_to(double v, double step)
{
    return floor(v / step + 0.5) * step;
}

/* ---- the fleet ---------------------------------------------------------------------------- */

enum demo_avail { AV_PERFECT, AV_HEALTHY, AV_DIP, AV_POOR, AV_OFFLINE };

enum demo_flag {
    DF_LOCAL = 1 << 0,         /* on "this host": Docker socket and GPUs readable */
    DF_OFFLINE = 1 << 1,       /* container exited ~3 h ago; files frozen since */
    DF_FILES_FAIL = 1 << 2,    /* status files unreachable (sftp login refused) */
    DF_DOCKER_DENIED = 1 << 3, /* socket exists but the user may not use it */
    DF_GPU_NULL = 1 << 4,      /* GPU-less node writes null (as app_monitor.py does) */
    DF_GPU_MINUS1 = 1 << 5,    /* GPU-less node writes -1 (the "unknown" marker, docs/protocol.md §4.3) */
    DF_NO_CPU_TEMP = 1 << 6,   /* cloud VM without temperature sensors: cpu_temp null */
    DF_BANNED = 1 << 7,
};

enum demo_app {
    APP_END = 0,
    APP_DRIVE,
    APP_SVCMON,
    APP_LLM,
    APP_EXPLORER,
    APP_HOME,
    APP_JUPYTER,
    APP_DRIVE_OLD,
};

struct demo_gpu_model {
    const char *name;
    double mem_mib;
    double power_max_w;
};

static const struct demo_gpu_model gpu_models[] = {
    {"NVIDIA GeForce RTX 4090", 24564, 450}, {"NVIDIA A100 80GB PCIe", 81920, 300},
    {"NVIDIA H100 80GB HBM3", 81559, 700},   {"NVIDIA GeForce RTX 3090", 24576, 350},
    {"NVIDIA GeForce RTX 3060", 12288, 170}, {"NVIDIA L40S", 46068, 350},
};
enum { G_NONE = -1, G_4090, G_A100, G_H100, G_3090, G_3060, G_L40S };

struct demo_owner {
    const char *eth;  /* wallet holding the licence */
    const char *addr; /* the owner's SDK key, whitelisted on its nodes */
};

static const struct demo_owner owners[] = {
    {"0x8B835361Fb78d0BdfC1CEC89d8f4E33c16e84eeE",
     "0xai_A_LSmDS-SsNs9Fjv3d1pvNYlsMez3QbcVkcjVMGbsKvh"},
    {"0xD34b4Aac2A147697cC7e60A1e083e15c1E9C27DD",
     "0xai_A8NL2gfpZhhGgoNt4QeoHjJQVn1HCgk_LVbXn3BWDOUZ"},
    {"0xB0618AA99d11CA9b759EF32FDeFBEf240D1375f7",
     "0xai_A1cwx2PC6mO6fDCizytwZag5HCoyFvyEhgnKDeXuB5Cs"},
};

/* Node keys are real secp256k1 points: each 0xai_ address decodes to a curve point and the
 * ETH address is its Keccak/EIP-55 address, so identity checks agree with the demo. The first
 * two pairs are the examples of docs/protocol.md §3.5; the rest were derived offline from
 * sha256("r1top-demo-key-<name>"). */
struct demo_spec {
    const char *name;
    const char *addr, *eth;
    int owner;
    enum r1_lic_type lic;
    uint64_t licence_id;
    enum demo_avail avail;
    unsigned flags;
    int gpu_model, n_gpus;
    int cpu_cores;
    double mem_total_gb, disk_total_gb;
    double cpu_base, gpu_base;         /* typical load, 0..1 */
    int claim_ago, assigned_ago;       /* epochs before the current one */
    double up_min_d, restart_period_d; /* uptime is up_min_d + (0..restart_period_d) days */
    int restart_count;
    const char *version; /* node app version; core/SDK are fleet-wide */
    const char *country, *region, *dc;
    enum demo_app apps[3];
};

/* One node per block reads better than one field per line. */
/* clang-format off */
static const struct demo_spec specs[] = {
    {.name = "r1-gpu-fra-01", .addr = "0xai_AjcIThkOqrPlp35-S8czHUOV-y4mnhksnLs8NGjTbmty",
     .eth = "0x13Dc6Ee23D45D1e4bF0BDBDf58BFdF24bB077e69",
     .owner = 0, .lic = R1_LIC_ND, .licence_id = 4821, .claim_ago = 6, .assigned_ago = 410,
     .avail = AV_PERFECT, .flags = DF_LOCAL,
     .gpu_model = G_4090, .n_gpus = 2, .cpu_cores = 32, .mem_total_gb = 125.7,
     .disk_total_gb = 1863, .cpu_base = 0.35, .gpu_base = 0.70,
     .up_min_d = 6, .restart_period_d = 30, .restart_count = 0, .version = "2.9.370",
     .country = "DE", .region = "EU", .dc = "Hetzner Online GmbH",
     .apps = {APP_DRIVE, APP_SVCMON}},
    {.name = "r1-gpu-nyc-02", .addr = "0xai_A2pPf0lxZSZkGONzLOmhzndncc1VvDBHfF-YLWlsrG9m",
     .eth = "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5",
     .owner = 0, .lic = R1_LIC_ND, .licence_id = 9310, .claim_ago = 12, .assigned_ago = 300,
     .avail = AV_DIP, .flags = DF_LOCAL,
     .gpu_model = G_A100, .n_gpus = 1, .cpu_cores = 24, .mem_total_gb = 251.5,
     .disk_total_gb = 3726, .cpu_base = 0.25, .gpu_base = 0.55,
     .up_min_d = 3, .restart_period_d = 21, .restart_count = 0, .version = "2.9.370",
     .country = "US", .region = "NA", .dc = "Equinix NY5",
     .apps = {APP_LLM}},
    {.name = "r1-cpu-sgp-03", .addr = "0xai_A9PGc4hQxdqtn06KBMyOxzh-j4BWV4UTGue2b3cMQ-t0",
     .eth = "0x98a1bC02F4BC61E1f087a31770A3f4B00422607e",
     .owner = 0, .lic = R1_LIC_ND, .licence_id = 15022, .claim_ago = 20, .assigned_ago = 250,
     .avail = AV_HEALTHY, .flags = DF_GPU_MINUS1 | DF_NO_CPU_TEMP,
     .gpu_model = G_NONE, .n_gpus = 0, .cpu_cores = 8, .mem_total_gb = 31.3,
     .disk_total_gb = 468, .cpu_base = 0.20, .gpu_base = 0,
     .up_min_d = 11, .restart_period_d = 40, .restart_count = 0, .version = "2.9.370",
     .country = "SG", .region = "AS", .dc = "DigitalOcean",
     .apps = {APP_END}},
    {.name = "r1-mnd-master", .addr = "0xai_AyFli5eIRQKDB9QdHqKo0aTRdiOhnEVF6-9h9Ddgy86O",
     .eth = "0xbA7bc4b6C2229D6cE9fF3760570cf0E3aE2aF48E",
     .owner = 1, .lic = R1_LIC_MND, .licence_id = 37, .claim_ago = 3, .assigned_ago = 480,
     .avail = AV_HEALTHY, .flags = DF_LOCAL,
     .gpu_model = G_H100, .n_gpus = 1, .cpu_cores = 64, .mem_total_gb = 503.6,
     .disk_total_gb = 7452, .cpu_base = 0.30, .gpu_base = 0.45,
     .up_min_d = 17, .restart_period_d = 45, .restart_count = 0, .version = "2.9.370",
     .country = "RO", .region = "EU", .dc = "M247 Bucharest",
     .apps = {APP_EXPLORER}},
    {.name = "r1-cpu-home-04", .addr = "0xai_A6604hay2RMLAUGWQPM3pXO2odNAjrmnLfQuni184_K8",
     .eth = "0x52F12Ed6aFDB519e4758141F4D51F2D0D451d958",
     .owner = 1, .lic = R1_LIC_ND, .licence_id = 27719, .claim_ago = 25, .assigned_ago = 190,
     .avail = AV_POOR, .flags = DF_LOCAL | DF_GPU_NULL,
     .gpu_model = G_NONE, .n_gpus = 0, .cpu_cores = 4, .mem_total_gb = 15.5,
     .disk_total_gb = 234, .cpu_base = 0.45, .gpu_base = 0,
     .up_min_d = 0.05, .restart_period_d = 1.7, .restart_count = 3, .version = "2.9.352",
     .country = "FR", .region = "EU", .dc = "Orange residential",
     .apps = {APP_HOME}},
    {.name = "r1-offline-05", .addr = "0xai_AhofAACQvNdwDBNNvEzCEnIP7O8BOJBX00RF8lNqccBB",
     .eth = "0xec98b129681AA29826bd6EA224db7033bba96084",
     .owner = 2, .lic = R1_LIC_ND, .licence_id = 30117, .claim_ago = 9, .assigned_ago = 220,
     .avail = AV_OFFLINE, .flags = DF_LOCAL | DF_OFFLINE,
     .gpu_model = G_3090, .n_gpus = 1, .cpu_cores = 16, .mem_total_gb = 62.7,
     .disk_total_gb = 931, .cpu_base = 0.20, .gpu_base = 0.40,
     .up_min_d = 2, .restart_period_d = 12, .restart_count = 1, .version = "2.9.361",
     .country = "NL", .region = "EU", .dc = "Leaseweb",
     .apps = {APP_DRIVE_OLD}},
    {.name = "r1-banned-06", .addr = "0xai_AihgiH3CX1PEVlH0iDKcdJ6pXBaES7jxs0aIBepJYsRb",
     .eth = "0x928d23c396e9a235e636502D606f0b16cBc39483",
     .owner = 2, .lic = R1_LIC_ND, .licence_id = 11408, .claim_ago = 40, .assigned_ago = 330,
     .avail = AV_HEALTHY, .flags = DF_LOCAL | DF_GPU_MINUS1 | DF_BANNED,
     .gpu_model = G_NONE, .n_gpus = 0, .cpu_cores = 8, .mem_total_gb = 31.3,
     .disk_total_gb = 468, .cpu_base = 0.15, .gpu_base = 0,
     .up_min_d = 8, .restart_period_d = 25, .restart_count = 0, .version = "2.9.370",
     .country = "PL", .region = "EU", .dc = "OVH Warsaw",
     .apps = {APP_END}},
    /* never claimed: lastClaimEpoch is still the epoch the licence was linked in */
    {.name = "r1-gpu-lab-07", .addr = "0xai_A_Spe9S6zUFxJ2rEz0cuqpeCjO9VB6gxFSkd6oGc5QfV",
     .eth = "0xf7B6F984D00787661297112eECD26E44b3f87e96",
     .owner = 2, .lic = R1_LIC_ND, .licence_id = 33560, .claim_ago = 95, .assigned_ago = 95,
     .avail = AV_HEALTHY, .flags = DF_LOCAL | DF_DOCKER_DENIED,
     .gpu_model = G_3060, .n_gpus = 1, .cpu_cores = 12, .mem_total_gb = 31.2,
     .disk_total_gb = 931, .cpu_base = 0.25, .gpu_base = 0.30,
     .up_min_d = 4, .restart_period_d = 15, .restart_count = 0, .version = "2.9.370",
     .country = "IT", .region = "EU", .dc = "University lab",
     .apps = {APP_JUPYTER}},
    {.name = "r1-gpu-ams-08", .addr = "0xai_Aop-eTFIC-FqP2QRPzKopxTgH_VKHh8jhYM7yM2p-_CS",
     .eth = "0x79898C5b7e30c03C180B875c7af019B4a0C3A98f",
     .owner = 0, .lic = R1_LIC_ND, .licence_id = 41007, .claim_ago = 5, .assigned_ago = 120,
     .avail = AV_HEALTHY, .flags = DF_FILES_FAIL,
     .gpu_model = G_L40S, .n_gpus = 1, .cpu_cores = 32, .mem_total_gb = 188.6,
     .disk_total_gb = 3726, .cpu_base = 0.30, .gpu_base = 0.50,
     .up_min_d = 9, .restart_period_d = 30, .restart_count = 0, .version = "2.9.370",
     .country = "NL", .region = "EU", .dc = "Equinix AM3",
     .apps = {APP_END}},
};
/* clang-format on */
#define N_SPECS R1_ARRAY_LEN(specs)

static const char *const core_version = "7.7.149";
static const char *const sdk_version = "3.4.61";
static const char *const hb_whitelisted = "0xai_AthDPWc_k3BKJLLYTQMw--Rjhe3B6_7w76jlRpT6nDeX";

/* ETH addresses of the seed oracles (derived from their 0xai_ keys, docs/protocol.md §1.3). */
static const struct {
    const char *addr, *eth, *alias;
} oracle_ids[] = {
    {"0xai_Aj1FpPQHISEBelp-tQ8cegwk434Dcl6xaHmuhZQT74if",
     "0x2539fDD57f93b267E58d5f2E6F77063C0230F6F4", "r1s-01"},
    {"0xai_Amfnbt3N-qg2-qGtywZIPQBTVlAnoADVRmSAsdDhlQ-6",
     "0x129a21A78EBBA79aE78B8f11d5B57102950c1Fc0", "tr1s-01"},
    {"0xai_AhIQz47-2dpbncDTODXcP7_cByr0_CI9VEB1dCXnbbG7",
     "0x49CD9D9528A4F6aEf94A0EB63E7745Eca4F9b57e", "dr1s-01"},
};

/* Which demo spec node n is: by its configured address (stable), else by name. */
static int spec_index(const struct r1_node *n)
{
    if (!n)
        return -1;
    for (size_t i = 0; i < N_SPECS; i++)
        if (strcmp(n->addr_cfg, specs[i].addr) == 0)
            return (int)i;
    for (size_t i = 0; i < N_SPECS; i++)
        if (strcmp(n->name, specs[i].name) == 0)
            return (int)i;
    return -1;
}

static const struct r1_network *fleet_net(const struct r1_fleet *f)
{
    return f && f->net ? f->net : network_get(R1_NET_MAINNET);
}

/* ---- time -------------------------------------------------------------------------------- */

/* The offline node stopped 3-4 h ago. Without state the only frozen moment is a quantised one:
 * it moves once an hour, which keeps the file "3 h old" for a demo left running all day. */
static double offline_at(double now)
{
    return floor((now - 3 * 3600.0) / 3600.0) * 3600.0;
}

/* The moment node i's own view is taken: now, or when the offline node stopped. */
static double node_clock(unsigned i, double now)
{
    return (specs[i].flags & DF_OFFLINE) ? offline_at(now) : now;
}

/* Container start: restarts every restart_period_d days (auto-updates), never younger than
 * up_min_d, so uptime is long and grows smoothly between restarts. */
static double node_started_at(unsigned i, double t)
{
    const struct demo_spec *s = &specs[i];
    double period = s->restart_period_d * 86400.0;
    double phase = demo_unit(i, CH_START, 0) * period;
    return floor((t - phase) / period) * period + phase - s->up_min_d * 86400.0;
}

/* Whole seconds of t as UTC: "2026-08-05 10:00:00", or with iso "2026-08-05T10:00:00". */
static void fmt_utc(char *dst, size_t size, double t, bool iso)
{
    time_t secs = (time_t)floor(t);
    struct tm tm;
    gmtime_r(&secs, &tm);
    if (iso)
        strftime(dst, size, "%Y-%m-%dT%H:%M:%S", &tm);
    else
        strftime(dst, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* "2026-08-05 10:00:00" (Python now_str short / oracle server_time) */
static void fmt_py(char *dst, size_t size, double t)
{
    fmt_utc(dst, size, t, false);
}

/* "2026-08-05 10:00:00.123456" (Python now_str nice_print, LAST_UPDATE_TIME) */
static void fmt_py_us(char *dst, size_t size, double t)
{
    char base[32];
    fmt_py(base, sizeof base, t);
    long us = (long)((t - floor(t)) * 1e6);
    snprintf(dst, size, "%s.%06ld", base, us);
}

/* "2026-11-20T08:00:00.123456789Z" (Docker, Go RFC 3339 with nanoseconds) */
static void fmt_docker(char *dst, size_t size, double t)
{
    char base[32];
    fmt_utc(base, sizeof base, t, true);
    long ns = (long)((t - floor(t)) * 1e9);
    snprintf(dst, size, "%s.%09ldZ", base, ns);
}

/* Python timedelta str: "5 days, 1:02:03", "1 day, 0:00:10", "3:04:05" */
static void fmt_timedelta(char *dst, size_t size, double secs)
{
    long s = (long)secs, days = s / 86400, rem = s % 86400;
    if (days > 0)
        snprintf(dst, size, "%ld day%s, %ld:%02ld:%02ld", days, days == 1 ? "" : "s", rem / 3600,
                 rem / 60 % 60, rem % 60);
    else
        snprintf(dst, size, "%ld:%02ld:%02ld", rem / 3600, rem / 60 % 60, rem % 60);
}

/* ---- availability -------------------------------------------------------------------------- */

static uint8_t healthy_u8(unsigned i, int64_t e)
{
    double u = demo_unit(i, CH_AVAIL, e);
    return u < 0.75 ? 255 : u < 0.90 ? 254 : 253;
}

/* Availability of node i in epoch e (0..255), fixed per (node, epoch) like the oracle's. */
static uint8_t avail_u8(const struct r1_network *net, unsigned i, int64_t e, double now)
{
    if (e < 0)
        return 0;
    switch (specs[i].avail) {
    case AV_PERFECT:
        return 255;
    case AV_DIP:
        /* one epoch in every five dipped to ~240 (a short network outage) */
        if (e % 5 == 2)
            return (uint8_t)(238 + demo_hash(i, CH_AVAIL_JITTER, e) % 6);
        return healthy_u8(i, e);
    case AV_POOR: {
        /* a home link: regular multi-hour outages */
        static const uint8_t base[] = {120, 80, 200, 150, 60, 230, 105, 175};
        return (uint8_t)(base[demo_hash(i, CH_AVAIL, e) % R1_ARRAY_LEN(base)] +
                         demo_hash(i, CH_AVAIL_JITTER, e) % 10);
    }
    case AV_OFFLINE: {
        double off = offline_at(now), t0 = epoch_start(net, e), t1 = epoch_end(net, e);
        if (t1 <= off)
            return healthy_u8(i, e);
        if (t0 >= off)
            return 0;
        return (uint8_t)floor(healthy_u8(i, e) * (off - t0) / (t1 - t0) + 0.5);
    }
    case AV_HEALTHY:
        break;
    }
    return healthy_u8(i, e);
}

/* current_epoch_avail at node time t: share of the epoch so far the node was seen. */
static double avail_now_frac(unsigned i, double t)
{
    double jitter = demo_noise(i, CH_NOW_AVAIL, t, 3600.0);
    if (specs[i].avail == AV_POOR)
        return round_to(0.54 + 0.02 * jitter, 0.0001);
    if (specs[i].avail == AV_PERFECT)
        return round_to(0.997 + 0.0029 * jitter, 0.0001);
    return round_to(0.985 + 0.0149 * jitter, 0.0001);
}

/* ---- machine load ------------------------------------------------------------------------ */

static bool node_is_down(unsigned i, double now, double t)
{
    return (specs[i].flags & DF_OFFLINE) && t >= offline_at(now);
}

static double cpu_load_pct(unsigned i, double t)
{
    double v = specs[i].cpu_base * 100.0 + 30.0 * (demo_noise(i, CH_CPU, t, 900.0) - 0.5) +
               8.0 * (demo_noise(i, CH_CPU_FAST, t, 60.0) - 0.5);
    return clampd(v, 1.0, 99.0);
}

static double cpu_temp_c(unsigned i, double t)
{
    return 36.0 + 0.32 * cpu_load_pct(i, t) + 4.0 * demo_noise(i, CH_TEMP, t, 1800.0);
}

static double mem_occupied_gb(unsigned i, double t)
{
    double share = 0.30 + 0.25 * specs[i].cpu_base + 0.10 * demo_noise(i, CH_MEM, t, 3600.0);
    return specs[i].mem_total_gb * share;
}

/* GPU g of node i at time t; zero load once the node is down (the card idles). */
static double gpu_load_pct(unsigned i, int g, double t, bool down)
{
    if (down)
        return 0;
    unsigned ch = CH_GPU + 16u * (unsigned)g;
    double base = specs[i].gpu_base * (g == 0 ? 1.0 : 0.5);
    double v = base * 100.0 + 40.0 * (demo_noise(i, ch, t, 600.0) - 0.5) +
               12.0 * (demo_noise(i, ch + 1, t, 20.0) - 0.5);
    return clampd(v, 0.0, 100.0);
}

static double gpu_mem_used_mib(unsigned i, int g, double t, bool down)
{
    const struct demo_gpu_model *m = &gpu_models[specs[i].gpu_model];
    if (down)
        return 312;
    double share = specs[i].gpu_base * (g == 0 ? 0.8 : 0.4) +
                   0.15 * demo_noise(i, CH_GPU_MEM + 16u * (unsigned)g, t, 1800.0);
    return clampd(share, 0.02, 0.97) * m->mem_mib;
}

static double gpu_temp_c(unsigned i, int g, double t, bool down)
{
    return 31.0 + 0.48 * gpu_load_pct(i, g, t, down) +
           3.0 * demo_noise(i, CH_GPU_TEMP + 16u * (unsigned)g, t, 300.0);
}

static double gpu_power_mw(unsigned i, int g, double t, bool down)
{
    const struct demo_gpu_model *m = &gpu_models[specs[i].gpu_model];
    double idle_w = 18.0 + m->power_max_w * 0.04;
    return (idle_w + (m->power_max_w - idle_w) * gpu_load_pct(i, g, t, down) / 100.0) * 1000.0;
}

/* ---- cJSON helpers ----------------------------------------------------------------------- */

static cJSON *obj_new(void)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        fprintf(stderr, "r1top: out of memory building a demo document\n");
        abort();
    }
    return o;
}

static void doc_take(cJSON *root, bool pretty, char **body, size_t *len)
{
    char *s = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s) {
        fprintf(stderr, "r1top: out of memory printing a demo document\n");
        abort();
    }
    *body = xstrdup(s);
    *len = strlen(*body);
    cJSON_free(s);
}

static void doc_signed(cJSON *result, const struct r1_network *net, bool tamper,
                       struct demo_doc *out);

static void add_u128(cJSON *o, const char *key, r1_u128 v)
{
    /* wei amounts do not fit a double or int64: write the digits as a raw JSON number, the
     * way Python's json writes big ints (docs/protocol.md §2.6) */
    char digits[48];
    amount_to_dec(digits, sizeof digits, v);
    cJSON_AddRawToObject(o, key, digits);
}


/* ---- local_info.json (docs/protocol.md §4.2) ----------------------------------------------------
 * */

/* The node rewrites local_info.json every 10 s; each node at its own phase. */
static double info_mtime(unsigned i, double now)
{
    double t = node_clock(i, now);
    double phase = demo_unit(i, CH_PHASE, 1) * 10.0;
    return floor((t - phase) / 10.0) * 10.0 + phase;
}

static void add_version_long(cJSON *o, const struct demo_spec *s)
{
    char v[96];
    snprintf(v, sizeof v, "v%s | core v%s | SDK %s", s->version, core_version, sdk_version);
    cJSON_AddStringToObject(o, "version_long", v);
    snprintf(v, sizeof v, "v%s", s->version);
    cJSON_AddStringToObject(o, "version_short", v);
}

static void build_info(const struct r1_network *net, unsigned i, double now, struct demo_doc *out)
{
    const struct demo_spec *s = &specs[i];
    double t = info_mtime(i, now);
    int64_t cur = epoch_at(net, t);
    cJSON *root = obj_new();
    cJSON_AddStringToObject(root, "address", s->addr);
    cJSON_AddStringToObject(root, "alias", s->name);
    cJSON_AddStringToObject(root, "eth_address", s->eth);
    add_version_long(root, s);

    cJSON *info = cJSON_AddObjectToObject(root, "info");
    cJSON *wl = cJSON_AddArrayToObject(info, "whitelist");
    cJSON_AddItemToArray(wl, cJSON_CreateString(hb_whitelisted));
    cJSON_AddItemToArray(wl, cJSON_CreateString(owners[s->owner].addr));
    cJSON_AddNumberToObject(info, "current_epoch", (double)cur);
    cJSON_AddNumberToObject(info, "current_epoch_avail", avail_now_frac(i, t));
    cJSON *last = cJSON_AddObjectToObject(info, "last_epochs");
    for (int64_t e = cur - 5; e < cur; e++) {
        if (e < 0)
            continue;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)e); /* Python dict: string keys */
        cJSON_AddNumberToObject(last, key, avail_u8(net, i, e, now));
    }
    cJSON_AddStringToObject(info, "evm_network", net->name);
    char r1fs[64] = "12D3KooW";
    static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    for (int k = 0; k < 44; k++)
        r1fs[8 + k] = b58[demo_hash(i, CH_R1FS, k) % 58];
    r1fs[52] = '\0';
    cJSON_AddStringToObject(info, "r1fs_id", r1fs);
    cJSON_AddBoolToObject(info, "r1fs_online", true);
    char comm[40];
    fmt_py_us(comm, sizeof comm, t - 1.0 - 8.0 * demo_unit(i, CH_COMM, (int64_t)t));
    cJSON_AddStringToObject(info, "comm_last_active", comm);

    doc_take(root, false, &out->body, &out->len);
    out->mtime = t;
}

/* ---- local_history.json (docs/protocol.md §4.3) --------------------------------- */

#define HIST_POINTS 60
#define HIST_STEP_S 300.0

static void add_series(cJSON *o, const char *key, const double *v, int n, bool null_all,
                       bool minus1_all)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (int k = 0; k < n; k++) {
        if (null_all)
            cJSON_AddItemToArray(a, cJSON_CreateNull());
        else if (minus1_all)
            cJSON_AddItemToArray(a, cJSON_CreateNumber(-1));
        else
            cJSON_AddItemToArray(a, cJSON_CreateNumber(round_to(v[k], 0.1)));
    }
}

static void build_history(const struct r1_network *net, unsigned i, double now,
                          struct demo_doc *out)
{
    const struct demo_spec *s = &specs[i];
    double phase = demo_unit(i, CH_PHASE, 2) * HIST_STEP_S;
    double save = floor((node_clock(i, now) - phase) / HIST_STEP_S) * HIST_STEP_S + phase;
    double started = node_started_at(i, save);
    double uptime = save - started;
    int n = (int)(uptime / HIST_STEP_S) + 1;
    if (n > HIST_POINTS)
        n = HIST_POINTS;
    if (n < 1)
        n = 1;
    int64_t cur = epoch_at(net, save);

    cJSON *root = obj_new();
    cJSON_AddStringToObject(root, "address", s->addr);
    cJSON_AddStringToObject(root, "eth_address", s->eth);
    cJSON_AddStringToObject(root, "alias", s->name);
    cJSON_AddNumberToObject(root, "current_epoch", (double)cur);
    cJSON_AddNumberToObject(root, "current_epoch_avail", avail_now_frac(i, save));
    long up = (long)uptime; /* app_monitor's elapsed_to_str: hours run past 24 */
    char buf[48];
    snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", up / 3600, up / 60 % 60, up % 60);
    cJSON_AddStringToObject(root, "uptime", buf);
    cJSON_AddStringToObject(root, "version", s->version); /* first word of the owner version */
    cJSON *le = cJSON_AddArrayToObject(root, "last_epochs");
    for (int64_t e = cur - 10; e < cur; e++)
        if (e >= 0)
            cJSON_AddItemToArray(le, cJSON_CreateNumber(avail_u8(net, i, e, now)));
    fmt_py(buf, sizeof buf, save);
    cJSON_AddStringToObject(root, "last_save_time", buf);

    double cpu[HIST_POINTS], temp[HIST_POINTS], mem_t[HIST_POINTS], mem_o[HIST_POINTS];
    double gl[HIST_POINTS], gt[HIST_POINTS], gmo[HIST_POINTS], gmt[HIST_POINTS];
    cJSON *ts = cJSON_CreateArray();
    for (int k = 0; k < n; k++) {
        double t = save - (n - 1 - k) * HIST_STEP_S;
        cpu[k] = cpu_load_pct(i, t);
        temp[k] = cpu_temp_c(i, t);
        mem_t[k] = s->mem_total_gb;
        mem_o[k] = mem_occupied_gb(i, t);
        if (s->gpu_model != G_NONE) {
            gl[k] = gpu_load_pct(i, 0, t, false);
            gt[k] = gpu_temp_c(i, 0, t, false);
            gmo[k] = gpu_mem_used_mib(i, 0, t, false) / 1024.0;
            gmt[k] = gpu_models[s->gpu_model].mem_mib / 1024.0;
        }
        fmt_py_us(buf, sizeof buf, t + 0.25 + 0.5 * demo_unit(i, CH_PHASE, (int64_t)t));
        cJSON_AddItemToArray(ts, cJSON_CreateString(buf));
    }
    bool no_gpu = s->gpu_model == G_NONE;
    bool gnull = no_gpu && (s->flags & DF_GPU_NULL);
    bool gminus = no_gpu && !gnull;
    add_series(root, "cpu_load", cpu, n, false, false);
    add_series(root, "cpu_temp", temp, n, (s->flags & DF_NO_CPU_TEMP) != 0, false);
    add_series(root, "total_memory", mem_t, n, false, false);
    add_series(root, "occupied_memory", mem_o, n, false, false);
    add_series(root, "gpu_load", gl, n, gnull, gminus);
    add_series(root, "gpu_temp", gt, n, gnull, gminus);
    add_series(root, "gpu_occupied_memory", gmo, n, gnull, gminus);
    add_series(root, "gpu_total_memory", gmt, n, gnull, gminus);
    cJSON_AddItemToObject(root, "timestamps", ts);

    doc_take(root, false, &out->body, &out->len);
    out->mtime = save + 0.3;
}

/* ---- pipeline files (docs/protocol.md §4.4) ------------------------------------- */

enum demo_secret { SEC_NONE, SEC_CF_ENV, SEC_VCS, SEC_ENV };

struct demo_app_spec {
    const char *name, *alias, *signature;
    const char *instances[2];
    const char *image;
    int port;
    int64_t job_id; /* -1: a local pipeline, not deeployed */
    enum demo_secret secrets;
    int deployed_ago; /* epochs */
};

/* Secret values all start with DEMO-SECRET- so tests can prove none leaks past the parser. */
static const struct demo_app_spec apps[] = {
    [APP_DRIVE] = {"r1drive_3e02d52",
                   "r1drive",
                   "CONTAINER_APP_RUNNER",
                   {"CONTAINER_APP_2f710e", NULL},
                   "tvitalii/ratio1-drive",
                   3333,
                   66,
                   SEC_CF_ENV,
                   9},
    [APP_SVCMON] = {"svcmon_a91c0f2",
                    "services-monitor",
                    "WORKER_APP_RUNNER",
                    {"WORKER_APP_77b1d4", NULL},
                    "node:22-bookworm",
                    3000,
                    81,
                    SEC_VCS,
                    4},
    [APP_LLM] = {"llmapi_7c41e09",
                 "llm-api",
                 "CONTAINER_APP_RUNNER",
                 {"CONTAINER_APP_c0a8e1", NULL},
                 "ollama/ollama:0.6.2",
                 11434,
                 94,
                 SEC_CF_ENV,
                 6},
    [APP_EXPLORER] = {"explorer_b5e2f40",
                      "explorer-mirror",
                      "CONTAINER_APP_RUNNER",
                      {"CONTAINER_APP_5d21aa", "CONTAINER_APP_5d21ab"},
                      "ratio1/explorer:1.8.0",
                      8080,
                      57,
                      SEC_CF_ENV,
                      21},
    [APP_HOME] = {"homeassistant",
                  "home-assistant",
                  "CONTAINER_APP_RUNNER",
                  {"CONTAINER_APP_ha01", NULL},
                  "ghcr.io/home-assistant/home-assistant:stable",
                  8123,
                  -1,
                  SEC_ENV,
                  30},
    [APP_JUPYTER] = {"jupyter_lab",
                     "jupyter",
                     "WORKER_APP_RUNNER",
                     {"WORKER_APP_jl01", NULL},
                     "jupyter/base-notebook:python-3.11",
                     8888,
                     -1,
                     SEC_ENV,
                     14},
    [APP_DRIVE_OLD] = {"r1drive_91bd0c3",
                       "r1drive-eu",
                       "CONTAINER_APP_RUNNER",
                       {"CONTAINER_APP_8e13f0", NULL},
                       "tvitalii/ratio1-drive",
                       3333,
                       71,
                       SEC_CF_ENV,
                       12},
};

static void secret(char *dst, size_t size, unsigned i, const char *what)
{
    snprintf(dst, size, "DEMO-SECRET-%s-%016llx", what,
             (unsigned long long)demo_hash(i, CH_SIG, (int64_t)strlen(what)));
}

static cJSON *build_instance(unsigned i, const struct demo_app_spec *a, const char *instance_id)
{
    char sec[64];
    cJSON *in = obj_new();
    bool worker = strcmp(a->signature, "WORKER_APP_RUNNER") == 0;
    /* keys in sorted order: the node writes json.dump(sort_keys=True) */
    if (worker) {
        cJSON *cmds = cJSON_AddArrayToObject(in, "BUILD_AND_RUN_COMMANDS");
        cJSON_AddItemToArray(cmds, cJSON_CreateString("npm ci"));
        cJSON_AddItemToArray(cmds, cJSON_CreateString("npm start"));
    } else {
        cJSON *peers = cJSON_AddArrayToObject(in, "CHAINSTORE_PEERS");
        cJSON_AddItemToArray(peers, cJSON_CreateString(specs[i].addr));
        cJSON_AddStringToObject(in, "CHAINSTORE_RESPONSE_KEY", "CONTAINER_APP_RESPONSE");
    }
    if (a->secrets == SEC_CF_ENV || a->secrets == SEC_VCS) {
        secret(sec, sizeof sec, i, "cloudflare");
        cJSON_AddStringToObject(in, "CLOUDFLARE_TOKEN", sec);
    }
    if (!worker) {
        cJSON *res = cJSON_AddObjectToObject(in, "CONTAINER_RESOURCES");
        cJSON_AddNumberToObject(res, "cpu", 1);
        cJSON_AddStringToObject(res, "memory", "512m");
        cJSON_AddStringToObject(in, "CR", "docker.io");
    }
    cJSON *env = cJSON_AddObjectToObject(in, "ENV");
    if (a->secrets != SEC_NONE) {
        secret(sec, sizeof sec, i, "env");
        cJSON_AddStringToObject(env, worker ? "API_KEY" : "DB_PASSWORD", sec);
    }
    cJSON_AddStringToObject(env, "NODE_ENV", "production");
    cJSON_AddStringToObject(in, "IMAGE", a->image);
    cJSON_AddStringToObject(in, "IMAGE_PULL_POLICY", "always");
    cJSON_AddStringToObject(in, "INSTANCE_ID", instance_id);
    cJSON_AddNumberToObject(in, "PORT", a->port);
    cJSON_AddStringToObject(in, "RESTART_POLICY", "always");
    cJSON_AddStringToObject(in, "TUNNEL_ENGINE", "cloudflare");
    cJSON_AddBoolToObject(in, "TUNNEL_ENGINE_ENABLED", a->job_id >= 0);
    if (a->secrets == SEC_VCS) {
        cJSON *vcs = cJSON_AddObjectToObject(in, "VCS_DATA");
        cJSON_AddStringToObject(vcs, "BRANCH", "main");
        cJSON_AddStringToObject(vcs, "PROVIDER", "github");
        cJSON_AddStringToObject(vcs, "REPO_NAME", "services-monitor");
        cJSON_AddStringToObject(vcs, "REPO_OWNER", "Ratio1");
        secret(sec, sizeof sec, i, "vcs");
        cJSON_AddStringToObject(vcs, "TOKEN", sec);
        cJSON_AddStringToObject(vcs, "USERNAME", "r1-demo-ops");
    }
    return in;
}

static void build_pipeline(const struct r1_network *net, unsigned i, const struct demo_app_spec *a,
                           double now, struct r1_file *file)
{
    const struct demo_spec *s = &specs[i];
    int64_t cur = epoch_at(net, node_clock(i, now));
    int64_t e = cur - a->deployed_ago < 0 ? 0 : cur - a->deployed_ago;
    int64_t app = a - apps;
    double created = epoch_start(net, e) + 3600.0 + demo_unit(i, CH_PHASE, 100 + app) * 20000.0;
    double updated = created + 120.0 + demo_unit(i, CH_PHASE, 200 + app) * 3000.0;
    bool deeployed = a->job_id >= 0;
    const char *oracle = net->oracles && net->oracles[0] ? net->oracles[0] : s->addr;
    char buf[48];

    cJSON *root = obj_new();
    cJSON_AddStringToObject(root, "APP_ALIAS", a->alias);
    if (deeployed) {
        cJSON *d = cJSON_AddObjectToObject(root, "DEEPLOY_SPECS");
        cJSON_AddBoolToObject(d, "allow_replication_in_the_wild", false);
        cJSON *tn = cJSON_AddArrayToObject(d, "current_target_nodes");
        cJSON_AddItemToArray(tn, cJSON_CreateString(s->addr));
        cJSON_AddNumberToObject(d, "date_created", round_to(created, 0.01));
        cJSON_AddNumberToObject(d, "date_updated", round_to(created, 0.01));
        cJSON_AddNumberToObject(d, "job_id", (double)a->job_id);
        cJSON_AddArrayToObject(d, "job_tags");
        cJSON_AddNumberToObject(d, "nr_target_nodes", 1);
        cJSON_AddNullToObject(d, "project_id");
        cJSON_AddNullToObject(d, "project_name");
        cJSON_AddArrayToObject(d, "spare_nodes");
    }
    cJSON_AddStringToObject(root, "INITIATOR_ADDR", deeployed ? oracle : owners[s->owner].addr);
    cJSON_AddStringToObject(root, "INITIATOR_ID", deeployed ? "r1s-01" : "ops-laptop");
    cJSON_AddBoolToObject(root, "IS_DEEPLOYED", deeployed);
    fmt_py_us(buf, sizeof buf, updated);
    cJSON_AddStringToObject(root, "LAST_UPDATE_TIME", buf);
    cJSON_AddBoolToObject(root, "LIVE_FEED", false);
    cJSON_AddStringToObject(root, "MODIFIED_BY_ADDR", deeployed ? oracle : owners[s->owner].addr);
    cJSON_AddStringToObject(root, "NAME", a->name);
    if (deeployed)
        cJSON_AddStringToObject(root, "OWNER", owners[s->owner].eth);
    cJSON *plugins = cJSON_AddArrayToObject(root, "PLUGINS");
    cJSON *plugin = obj_new();
    cJSON *insts = cJSON_AddArrayToObject(plugin, "INSTANCES");
    for (int k = 0; k < 2 && a->instances[k]; k++)
        cJSON_AddItemToArray(insts, build_instance(i, a, a->instances[k]));
    cJSON_AddStringToObject(plugin, "SIGNATURE", a->signature);
    cJSON_AddItemToArray(plugins, plugin);
    snprintf(buf, sizeof buf, "%s_%08llx", deeployed ? "deeploy_api" : "r1ctl",
             (unsigned long long)(demo_hash(i, CH_ID, a->job_id) & 0xffffffffu));
    cJSON_AddStringToObject(root, "SESSION_ID", buf);
    fmt_py_us(buf, sizeof buf, created);
    cJSON_AddStringToObject(root, "TIME", buf);
    cJSON_AddStringToObject(root, "TYPE", "void");

    snprintf(file->name, sizeof file->name, "%s.json", a->name);
    doc_take(root, true, &file->body, &file->len); /* the node writes indent=4 */
    file->mtime = updated;
}

static void build_admin_pipeline(unsigned i, double now, struct r1_file *file)
{
    static const struct {
        const char *sig;
        int port;
    } plugins[] = {
        {"CHAIN_DIST_MONITOR", 0}, {"CSTORE_MANAGER_API", 31234}, {"NET_CONFIG_MONITOR", 0},
        {"NET_MON_01", 0},         {"R1FS_MANAGER_API", 31235},   {"UPDATE_MONITOR_01", 0},
    };
    /* rewritten at every container start (maybe_setup_admin_pipeline) */
    double t = node_started_at(i, node_clock(i, now)) + 14.0 + demo_unit(i, CH_PHASE, 9) * 20.0;
    char buf[48];
    cJSON *root = obj_new();
    cJSON_AddStringToObject(root, "ADMIN_PIPELINE_VER", "2.1.1");
    fmt_py_us(buf, sizeof buf, t);
    cJSON_AddStringToObject(root, "LAST_UPDATE_TIME", buf);
    cJSON_AddObjectToObject(root, "MESSAGE_FILTER");
    cJSON_AddStringToObject(root, "NAME", "admin_pipeline");
    cJSON *pf = cJSON_AddArrayToObject(root, "PATH_FILTER");
    cJSON_AddItemToArray(pf, cJSON_CreateNull());
    cJSON_AddItemToArray(pf, cJSON_CreateNull());
    cJSON *sigs = cJSON_CreateArray();
    cJSON_AddItemToArray(sigs, cJSON_CreateString("UPDATE_MONITOR_01"));
    cJSON_AddItemToArray(sigs, cJSON_CreateString("NET_MON_01"));
    cJSON_AddItemToArray(pf, sigs);
    cJSON_AddItemToArray(pf, cJSON_CreateNull());
    cJSON *arr = cJSON_AddArrayToObject(root, "PLUGINS");
    for (size_t k = 0; k < R1_ARRAY_LEN(plugins); k++) {
        cJSON *p = obj_new();
        cJSON *insts = cJSON_AddArrayToObject(p, "INSTANCES");
        cJSON *in = obj_new();
        snprintf(buf, sizeof buf, "%s_INST", plugins[k].sig);
        cJSON_AddStringToObject(in, "INSTANCE_ID", buf);
        if (plugins[k].port)
            cJSON_AddNumberToObject(in, "PORT", plugins[k].port);
        cJSON_AddNumberToObject(in, "PROCESS_DELAY", plugins[k].port ? 0.2 : 5);
        cJSON_AddItemToArray(insts, in);
        cJSON_AddStringToObject(p, "SIGNATURE", plugins[k].sig);
        cJSON_AddItemToArray(arr, p);
    }
    cJSON_AddStringToObject(root, "TYPE", "NetworkListener");
    r1_strlcpy(file->name, "admin_pipeline.json", sizeof file->name);
    doc_take(root, true, &file->body, &file->len);
    file->mtime = t;
}

static void build_streams(const struct r1_network *net, unsigned i, double now,
                          struct demo_doc *out)
{
    const struct demo_spec *s = &specs[i];
    size_t n = 1;
    for (size_t k = 0; k < R1_ARRAY_LEN(s->apps) && s->apps[k] != APP_END; k++)
        n++;
    out->files = xcalloc(n, sizeof *out->files);
    out->n_files = n;
    build_admin_pipeline(i, now, &out->files[0]);
    for (size_t k = 1; k < n; k++)
        build_pipeline(net, i, &apps[s->apps[k - 1]], now, &out->files[k]);
    /* a directory listing comes back sorted by name */
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && strcmp(out->files[b - 1].name, out->files[b].name) > 0; b--) {
            struct r1_file tmp = out->files[b];
            out->files[b] = out->files[b - 1];
            out->files[b - 1] = tmp;
        }
    out->body = xstrdup("");
    out->len = 0;
}

/* ---- oracle (docs/protocol.md §2) -------------------------------------------------------- */

static int oracle_slot(const struct r1_network *net)
{
    const char *addr = net->oracles ? net->oracles[0] : NULL;
    for (size_t k = 0; addr && k < R1_ARRAY_LEN(oracle_ids); k++)
        if (strcmp(addr, oracle_ids[k].addr) == 0)
            return (int)k;
    return 0;
}

static void add_server_fields(cJSON *result, const struct r1_network *net, double now)
{
    int o = oracle_slot(net);
    int64_t cur = epoch_at(net, now);
    char buf[48];
    cJSON_AddStringToObject(result, "server_alias", oracle_ids[o].alias);
    cJSON_AddStringToObject(result, "server_version", "2.9.370");
    fmt_py(buf, sizeof buf, now);
    cJSON_AddStringToObject(result, "server_time", buf);
    cJSON_AddNumberToObject(result, "server_current_epoch", (double)cur);
    cJSON_AddNumberToObject(result, "server_last_synced_epoch", (double)(cur - 1));
    /* the oracle restarts about weekly */
    double period = 7.3 * 86400.0;
    double up = now - floor(now / period) * period + 0.6 * 86400.0;
    fmt_timedelta(buf, sizeof buf, up);
    cJSON_AddStringToObject(result, "server_uptime", buf);
}

static cJSON *envelope(cJSON *result, const struct r1_network *net)
{
    int o = oracle_slot(net);
    const char *addr = net->oracles && net->oracles[0] ? net->oracles[0] : oracle_ids[o].addr;
    char ver[96];
    cJSON *root = obj_new();
    cJSON_AddItemToObject(root, "result", result);
    cJSON_AddStringToObject(root, "server_node_addr", addr);
    cJSON_AddStringToObject(root, "evm_network", net->name);
    cJSON_AddStringToObject(root, "ee_node_alias", oracle_ids[o].alias);
    cJSON_AddStringToObject(root, "ee_node_address", addr);
    cJSON_AddStringToObject(root, "ee_node_eth_address", oracle_ids[o].eth);
    cJSON_AddStringToObject(root, "ee_node_network", net->name);
    snprintf(ver, sizeof ver, "2.9.370 | %s | %s", core_version, sdk_version);
    cJSON_AddStringToObject(root, "ee_node_ver", ver);
    return root;
}

static void build_oracle_epoch(const struct r1_network *net, double now, struct demo_doc *out)
{
    cJSON *result = obj_new();
    cJSON_AddNumberToObject(result, "current_epoch", (double)epoch_at(net, now));
    add_server_fields(result, net, now);
    doc_signed(result, net, false, out);
    out->http_code = 200;
}

/* Licence figures, all relative to the current epoch so the demo is always "today". */
static int64_t last_claim_epoch(unsigned i, int64_t cur)
{
    int64_t e = cur - specs[i].claim_ago;
    return e < 0 ? 0 : e;
}

static int64_t assign_epoch(unsigned i, int64_t cur)
{
    int64_t e = cur - specs[i].assigned_ago;
    return e < 0 ? 0 : e;
}

static cJSON *build_licence(const struct r1_network *net, unsigned i, int64_t cur)
{
    const struct demo_spec *s = &specs[i];
    /* ND: 1575.188843457943924600 R1 over 1080 epochs (docs/protocol.md §5.1); MND: 2% of supply */
    const r1_u128 wei = (r1_u128)1000000000000000000ull;
    r1_u128 nd_total = (r1_u128)1575188843ull * 1000000000000ull + 457943924600ull;
    r1_u128 mnd_total = (r1_u128)323606796ull * 10000000000000000ull;
    r1_u128 total = s->lic == R1_LIC_MND ? mnd_total : nd_total;
    int64_t claimed_epochs = last_claim_epoch(i, cur) - assign_epoch(i, cur);
    r1_u128 claimed = 0;
    if (s->lic == R1_LIC_MND) {
        int64_t mined = claimed_epochs - 223; /* MND cliff: no mining for 223 epochs */
        if (mined > 0)
            claimed = (r1_u128)mined * 1438 * wei + (r1_u128)mined * 271828182845904523ull;
    } else if (claimed_epochs > 0) {
        /* ND_MAX_RELEASE_PER_DAY at ~98% availability */
        claimed = (r1_u128)1458508188386985115ull * (r1_u128)claimed_epochs * 250 / 255;
    }
    if (claimed > total)
        claimed = total;

    cJSON *lic = obj_new();
    cJSON_AddStringToObject(lic, "network", net->name);
    cJSON_AddNumberToObject(lic, "licenseType", s->lic);
    cJSON_AddNumberToObject(lic, "licenseId", (double)s->licence_id);
    cJSON_AddStringToObject(lic, "owner", owners[s->owner].eth);
    cJSON_AddStringToObject(lic, "nodeAddress", s->eth);
    add_u128(lic, "totalAssignedAmount", total);
    add_u128(lic, "totalClaimedAmount", claimed);
    cJSON_AddNumberToObject(lic, "lastClaimEpoch", (double)last_claim_epoch(i, cur));
    double assigned_ts = epoch_start(net, assign_epoch(i, cur)) + 5000.0 +
                         floor(demo_unit(i, CH_PHASE, 11) * 40000.0);
    cJSON_AddNumberToObject(lic, "assignTimestamp", assigned_ts);
    cJSON_AddStringToObject(lic, "lastClaimOracle", oracle_ids[oracle_slot(net)].eth);
    cJSON_AddBoolToObject(lic, "isBanned", (s->flags & DF_BANNED) != 0);
    cJSON_AddBoolToObject(lic, "isValid", (s->flags & DF_BANNED) == 0);
    if (s->apps[0] != APP_END && apps[s->apps[0]].job_id >= 0 && s->lic == R1_LIC_ND) {
        /* PoAI job rewards: only newer SDKs unpack these (docs/protocol.md §5.6) */
        r1_u128 usdc_micro = 12450000 + 1000 * (r1_u128)(demo_hash(i, CH_ID, 3) % 9000);
        add_u128(lic, "usdcPoaiRewards", usdc_micro);
        add_u128(lic, "r1PoaiRewards", 3 * wei + demo_hash(i, CH_ID, 4) % wei);
    }
    return lic;
}

static cJSON *build_resources(unsigned i, double now)
{
    const struct demo_spec *s = &specs[i];
    double t = node_clock(i, now);
    cJSON *r = obj_new();
    cJSON_AddNumberToObject(r, "mem_total", s->mem_total_gb);
    cJSON_AddNumberToObject(r, "mem_avail",
                            round_to(s->mem_total_gb - mem_occupied_gb(i, t), 0.01));
    cJSON_AddNumberToObject(r, "cpu_cores", s->cpu_cores);
    cJSON_AddNumberToObject(r, "cpu_cores_avail",
                            round_to(s->cpu_cores * (1.0 - cpu_load_pct(i, t) / 100.0), 0.01));
    cJSON_AddNumberToObject(r, "disk_total", s->disk_total_gb);
    double disk_free = 0.35 + 0.4 * demo_unit(i, CH_DISK, 0);
    cJSON_AddNumberToObject(r, "disk_avail", round_to(s->disk_total_gb * disk_free, 0.01));
    if (s->gpu_model != G_NONE) {
        const struct demo_gpu_model *m = &gpu_models[s->gpu_model];
        cJSON_AddStringToObject(r, "default_cuda", "cuda:0");
        cJSON_AddStringToObject(r, "gpu_name", m->name);
        cJSON_AddNumberToObject(r, "gpu_mem_total", round_to(m->mem_mib / 1024.0, 0.01));
        double free_mib = m->mem_mib - gpu_mem_used_mib(i, 0, t, false);
        cJSON_AddNumberToObject(r, "gpu_mem_avail", round_to(free_mib / 1024.0, 0.01));
        cJSON_AddNumberToObject(r, "gpu_usage", round_to(gpu_load_pct(i, 0, t, false), 1));
    } else {
        cJSON_AddStringToObject(r, "default_cuda", "cpu");
        cJSON_AddNullToObject(r, "gpu_name");
        cJSON_AddNullToObject(r, "gpu_mem_total");
        cJSON_AddNullToObject(r, "gpu_mem_avail");
        cJSON_AddNullToObject(r, "gpu_usage");
    }
    return r;
}

/* The demo oracle signs its replies exactly as a real oracle does (EE_SIGN v2 and the EVM
 * availability signature), so the demo exercises the verifier. Its key is public (sha256 of a
 * fixed phrase): `r1top --demo` trusts it, and nothing else does. */
static void demo_oracle_key(unsigned char sk[32])
{
    static const char phrase[] = "r1top demo oracle key";
    crypto_sha256(phrase, sizeof(phrase) - 1, sk);
}

void demo_oracle_address(char out[R1_ADDR_MAX])
{
    unsigned char sk[32], pub[ETH_PUBKEY_LEN];
    char addr[ETH_NODE_ADDR_BUF];
    demo_oracle_key(sk);
    eth_pubkey_from_seckey(sk, pub);
    eth_node_addr_format(pub, addr);
    r1_strlcpy(out, addr, R1_ADDR_MAX);
}

static void demo_oracle_eth(char out[ETH_ADDR_BUF])
{
    char addr[R1_ADDR_MAX];
    demo_oracle_address(addr);
    if (eth_node_addr_to_eth(addr, out) != 0)
        out[0] = '\0';
}

static char *demo_avail_sig(const char *node_eth, int64_t from, int64_t to,
                            const struct r1_network *net, unsigned i, double now)
{
    static char hex[2 + 2 * ETH_SIG_LEN + 1];
    unsigned char node[ETH_ADDR_LEN], digest[32], sig[ETH_SIG_LEN], sk[32];
    size_t n = (size_t)(to - from + 1);
    unsigned char *packed = xmalloc(n);
    for (int64_t e = from; e <= to; e++)
        packed[e - from] = avail_u8(net, i, e, now);
    eth_address_parse(node_eth, node);
    eth_avail_digest(node, (uint64_t)from, (uint64_t)to, packed, n, digest);
    free(packed);
    demo_oracle_key(sk);
    eth_sign(digest, sk, sig);
    hex[0] = '0';
    hex[1] = 'x';
    crypto_hex_encode(sig, ETH_SIG_LEN, hex + 2);
    return hex;
}

/* The node whose oracle replies arrive altered after signing (a man in the middle raising an
 * epoch's availability): the demo's "BAD SIG" case. */
static bool demo_tampered(unsigned i)
{
    return strcmp(specs[i].name, "r1-gpu-ams-08") == 0;
}

/* Sign result (v2, as the SDK's bc.sign does) and wrap it in the oracle's envelope. */
static void doc_signed(cJSON *result, const struct r1_network *net, bool tamper,
                       struct demo_doc *out)
{
    char *text = cJSON_PrintUnformatted(result);
    cJSON_Delete(result);
    char err[R1_ERR_MAX];
    struct cj_value *v = text ? canon_parse(text, strlen(text), err) : NULL;
    cJSON_free(text);
    if (!v) {
        fprintf(stderr, "r1top: demo document does not parse: %s\n", err);
        abort();
    }
    unsigned char sk[32];
    demo_oracle_key(sk);
    sig_sign(v, sk, err);
    const struct cj_value *vals = canon_get(v, "epochs_vals");
    if (tamper && vals && vals->type == CJ_ARRAY && vals->n > 0) {
        /* raise the first imperfect epoch to 255 (or, if all are perfect, lower one) */
        size_t k = 0;
        int64_t x = 255;
        while (k + 1 < vals->n && canon_number_int64(vals->items[k], &x) == 0 && x == 255)
            k++;
        struct cj_value **item = &((struct cj_value *)vals)->items[k];
        bool perfect = canon_number_int64(*item, &x) == 0 && x == 255;
        canon_free(*item);
        *item = canon_new_number(perfect ? "254" : "255");
    }
    char *signed_text = canon_serialize(v, CANON_FLOAT_REPR, NULL, NULL);
    canon_free(v);
    cJSON *raw = cJSON_CreateRaw(signed_text);
    free(signed_text);
    doc_take(envelope(raw, net), false, &out->body, &out->len);
}

/* The node-epochs block (docs/protocol.md §2.4) for [from, to]; to < 0 gives the oracle's short
 * error form. */
static cJSON *build_node_epochs(const struct r1_network *net, unsigned i, double now, int64_t from,
                                int64_t to)
{
    const struct demo_spec *s = &specs[i];
    int64_t cur = epoch_at(net, now);
    bool online = !(s->flags & DF_OFFLINE);
    cJSON *r = obj_new();
    cJSON_AddStringToObject(r, "node", s->addr);
    cJSON_AddStringToObject(r, "node_eth_address", s->eth);
    cJSON_AddStringToObject(r, "node_alias", s->name);
    if (to < 0 || from > to) {
        cJSON_AddBoolToObject(r, "node_is_online", online);
        cJSON_AddStringToObject(r, "error", "No epochs found for the given node");
        return r;
    }
    cJSON *ep = cJSON_AddArrayToObject(r, "epochs");
    cJSON *vals = cJSON_AddArrayToObject(r, "epochs_vals");
    size_t n = (size_t)(to - from + 1);
    char *packed = xmalloc(3 + 2 * n);
    strcpy(packed, "0x");
    for (int64_t e = from; e <= to; e++) {
        uint8_t v = avail_u8(net, i, e, now);
        cJSON_AddItemToArray(ep, cJSON_CreateNumber((double)e));
        cJSON_AddItemToArray(vals, cJSON_CreateNumber(v));
        snprintf(packed + 2 + 2 * (size_t)(e - from), 3, "%02x", v);
    }
    cJSON_AddNumberToObject(r, "from_epoch", (double)from);
    cJSON_AddNumberToObject(r, "to_epoch", (double)to);
    cJSON_AddStringToObject(r, "packed_availabilities", packed);
    free(packed);
    cJSON *sd = cJSON_AddObjectToObject(r, "eth_signed_data");
    cJSON *inp = cJSON_AddArrayToObject(sd, "input");
    static const char *const types[] = {"address", "uint256", "uint256", "bytes"};
    for (size_t k = 0; k < R1_ARRAY_LEN(types); k++)
        cJSON_AddItemToArray(inp, cJSON_CreateString(types[k]));
    cJSON_AddStringToObject(sd, "signature_field", "eth_signature");
    /* signed like the oracle signs it (docs/protocol.md §3.6), with the demo oracle's key */
    cJSON *sigs = cJSON_AddArrayToObject(r, "eth_signatures");
    cJSON_AddItemToArray(sigs, cJSON_CreateString(demo_avail_sig(s->eth, from, to, net, i, now)));
    cJSON *ea = cJSON_AddArrayToObject(r, "eth_addresses");
    char oracle_eth[ETH_ADDR_BUF];
    demo_oracle_eth(oracle_eth);
    cJSON_AddItemToArray(ea, cJSON_CreateString(oracle_eth));
    double seen = online ? round_to(1.0 + 24.0 * demo_noise(i, CH_SEEN, now, 15.0), 0.01)
                         : round_to(now - offline_at(now), 0.01);
    cJSON_AddNumberToObject(r, "node_last_seen_sec", seen);
    cJSON_AddItemToObject(r, "resources", build_resources(i, now));
    cJSON *tags = cJSON_AddArrayToObject(r, "tags");
    char tag[80];
    snprintf(tag, sizeof tag, "CT:%s", s->country);
    cJSON_AddItemToArray(tags, cJSON_CreateString(tag));
    snprintf(tag, sizeof tag, "REG:%s", s->region);
    cJSON_AddItemToArray(tags, cJSON_CreateString(tag));
    snprintf(tag, sizeof tag, "DC:%s", s->dc);
    cJSON_AddItemToArray(tags, cJSON_CreateString(tag));
    if (s->owner != 1)
        cJSON_AddItemToArray(tags, cJSON_CreateString("IS_KYB"));
    cJSON_AddBoolToObject(r, "node_is_online", online);
    cJSON_AddStringToObject(r, "node_version", s->version);
    cJSON_AddBoolToObject(r, "node_is_oracle", false);
    /* include_bc_info=true: the same details under both spellings (docs/protocol.md §2.6) */
    cJSON *lic = build_licence(net, i, cur);
    cJSON_AddItemToObject(r, "node_license_info", cJSON_Duplicate(lic, true));
    cJSON_AddItemToObject(r, "node_licese_info", lic);

    cJSON *orc = cJSON_AddObjectToObject(r, "oracle");
    char buf[48];
    cJSON_AddNumberToObject(orc, "current_epoch", (double)cur);
    fmt_py(buf, sizeof buf, now);
    cJSON_AddStringToObject(orc, "current_date", buf);
    fmt_py(buf, sizeof buf, (double)net->genesis_unix);
    cJSON_AddStringToObject(orc, "genesis_date", buf);
    cJSON_AddNumberToObject(orc, "epoch_intervals", (double)(net->epoch_len_s / 3600));
    cJSON_AddNumberToObject(orc, "epoch_interval_seconds", 3600);
    cJSON_AddNumberToObject(orc, "epoch_length", (double)net->epoch_len_s);
    cJSON *mgr = cJSON_AddObjectToObject(orc, "manager");
    char ver[96];
    snprintf(ver, sizeof ver, "2.9.370/%s/%s", core_version, sdk_version);
    cJSON_AddStringToObject(mgr, "ver", ver);
    cJSON_AddBoolToObject(mgr, "valid", true);
    cJSON_AddNumberToObject(mgr, "supervisor_min_avail_prc", net->supervisor_min_avail);
    return r;
}

static void build_oracle_last(const struct r1_network *net, unsigned i, double now,
                              struct demo_doc *out)
{
    int64_t last = epoch_at(net, now) - 1; /* the last synced epoch */
    cJSON *r = build_node_epochs(net, i, now, last, last);
    if (last >= 0) {
        uint8_t v = avail_u8(net, i, last, now);
        /* the oracle puts these first; order does not matter to JSON readers */
        cJSON_AddNumberToObject(r, "last_epoch_id", (double)last);
        cJSON_AddNumberToObject(r, "last_epoch_val", v);
        cJSON_AddNumberToObject(r, "last_epoch_prc", round_to(v / 255.0, 0.0001));
    }
    add_server_fields(r, net, now);
    doc_signed(r, net, demo_tampered(i), out);
    out->http_code = 200;
}

/* The range the real request asks for (source.h): [min(lastClaimEpoch, end-29), cur-1]. */
static void build_oracle_range(const struct r1_network *net, unsigned i, double now,
                               struct demo_doc *out)
{
    int64_t cur = epoch_at(net, now);
    int64_t end = cur - 1;
    int64_t start = last_claim_epoch(i, cur);
    if (end - 29 < start)
        start = end - 29;
    if (start < 0)
        start = 0;
    cJSON *r = build_node_epochs(net, i, now, start, end);
    add_server_fields(r, net, now);
    doc_signed(r, net, demo_tampered(i), out);
    out->http_code = 200;
}

/* ---- Docker Engine API: GET /containers/edge_node/json --------------------------------- */

static void build_docker(const struct r1_network *net, unsigned i, double now, struct demo_doc *out)
{
    const struct demo_spec *s = &specs[i];
    bool exited = (s->flags & DF_OFFLINE) != 0;
    double t = node_clock(i, now);
    double started = node_started_at(i, t) + 0.123456789;
    char buf[160];
    cJSON *root = obj_new();
    /* a new container (new Id) on every start: r1setup runs it with --rm */
    char id[72];
    for (int k = 0; k < 4; k++)
        snprintf(id + 16 * k, 17, "%016llx",
                 (unsigned long long)demo_hash(i, CH_ID, (int64_t)started * 4 + k));
    cJSON_AddStringToObject(root, "Id", id);
    fmt_docker(buf, sizeof buf, started - 2.5);
    cJSON_AddStringToObject(root, "Created", buf);
    cJSON_AddStringToObject(root, "Path", "/bin/sh");
    cJSON *args = cJSON_AddArrayToObject(root, "Args");
    cJSON_AddItemToArray(args, cJSON_CreateString("-c"));
    cJSON_AddItemToArray(args, cJSON_CreateString("python3 device.py"));
    cJSON *st = cJSON_AddObjectToObject(root, "State");
    cJSON_AddStringToObject(st, "Status", exited ? "exited" : "running");
    cJSON_AddBoolToObject(st, "Running", !exited);
    cJSON_AddBoolToObject(st, "Paused", false);
    cJSON_AddBoolToObject(st, "Restarting", false);
    cJSON_AddBoolToObject(st, "OOMKilled", false);
    cJSON_AddBoolToObject(st, "Dead", false);
    double pid = exited ? 0 : 1000 + (double)(demo_hash(i, CH_ID, 9) % 60000);
    cJSON_AddNumberToObject(st, "Pid", pid);
    cJSON_AddNumberToObject(st, "ExitCode", exited ? 137 : 0);
    cJSON_AddStringToObject(st, "Error", "");
    fmt_docker(buf, sizeof buf, started);
    cJSON_AddStringToObject(st, "StartedAt", buf);
    if (exited)
        fmt_docker(buf, sizeof buf, t + 1.875);
    else
        r1_strlcpy(buf, "0001-01-01T00:00:00Z", sizeof buf);
    cJSON_AddStringToObject(st, "FinishedAt", buf);
    cJSON *h = cJSON_AddObjectToObject(st, "Health");
    bool starting = !exited && now - started < 120.0;
    cJSON_AddStringToObject(h, "Status", exited ? "unhealthy" : starting ? "starting" : "healthy");
    cJSON_AddNumberToObject(h, "FailingStreak", exited ? 3 : 0);
    cJSON_AddArrayToObject(h, "Log");
    unsigned img = s->gpu_model != G_NONE ? 1000u : 2000u; /* one image per flavour */
    r1_strlcpy(buf, "sha256:", sizeof buf);
    for (int k = 0; k < 4; k++)
        snprintf(buf + 7 + 16 * k, 17, "%016llx", (unsigned long long)demo_hash(img, CH_ID, k));
    cJSON_AddStringToObject(root, "Image", buf);
    cJSON_AddStringToObject(root, "Name", "/edge_node");
    cJSON_AddNumberToObject(root, "RestartCount", s->restart_count);
    cJSON *cfg = cJSON_AddObjectToObject(root, "Config");
    cJSON_AddStringToObject(cfg, "Hostname", s->name);
    const char *flavour = s->gpu_model != G_NONE ? "edge_node_gpu" : "edge_node";
    snprintf(buf, sizeof buf, "ratio1/%s:%s", flavour, net->name);
    cJSON_AddStringToObject(cfg, "Image", buf);
    cJSON_AddObjectToObject(cfg, "Labels");
    doc_take(root, false, &out->body, &out->len);
    out->http_code = 200;
}

/* ---- public API ---------------------------------------------------------------------------- */

void demo_fleet_build(struct r1_fleet *f)
{
    if (!f->net)
        f->net = network_get(R1_NET_MAINNET);
    f->demo = true;
    for (size_t i = 0; i < N_SPECS; i++) {
        const struct demo_spec *s = &specs[i];
        struct r1_node *n = model_fleet_add(f, s->name);
        n->demo = true;
        /* demo:// is no scheme a real transport reads, so a demo node can never touch disk */
        snprintf(n->status_dir_url, sizeof n->status_dir_url, "demo://%s/_local_cache/_data/",
                 s->name);
        r1_strlcpy(n->addr_cfg, s->addr, sizeof n->addr_cfg);
        r1_strlcpy(n->eth_cfg, s->eth, sizeof n->eth_cfg);
        if (s->flags & DF_LOCAL)
            r1_strlcpy(n->docker_socket, "/var/run/docker.sock", sizeof n->docker_socket);
        r1_strlcpy(n->container, "edge_node", sizeof n->container);
    }
}

int demo_fetch(const struct r1_fleet *f, const struct r1_node *n, enum r1_source_id id, double now,
               struct demo_doc *out, char *err)
{
    memset(out, 0, sizeof *out);
    const struct r1_network *net = fleet_net(f);
    if (id == SRC_ORACLE_EPOCH) {
        build_oracle_epoch(net, now, out);
        return 0;
    }
    int si = spec_index(n);
    if (si < 0)
        return r1_err(err, "demo: node '%s' is not part of the demo fleet", n ? n->name : "(none)");
    unsigned i = (unsigned)si;
    const struct demo_spec *s = &specs[i];
    bool files = id == SRC_NODE_INFO || id == SRC_NODE_HISTORY || id == SRC_STREAMS;
    if (files && (s->flags & DF_FILES_FAIL))
        return r1_err(err,
                      "sftp://ops@%s.example.net: SSH authentication failed (publickey); "
                      "add the key to ssh-agent or ~/.ssh/config",
                      s->name);

    switch (id) {
    case SRC_NODE_INFO:
        build_info(net, i, now, out);
        return 0;
    case SRC_NODE_HISTORY:
        build_history(net, i, now, out);
        return 0;
    case SRC_STREAMS:
        build_streams(net, i, now, out);
        return 0;
    case SRC_ORACLE_LAST:
        build_oracle_last(net, i, now, out);
        return 0;
    case SRC_ORACLE_RANGE:
        build_oracle_range(net, i, now, out);
        return 0;
    case SRC_DOCKER:
        if (!(s->flags & DF_LOCAL))
            return 1; /* a remote node: no Docker socket to ask */
        if (s->flags & DF_DOCKER_DENIED)
            return r1_err(err, "docker: permission denied on /var/run/docker.sock; add this user "
                               "to the 'docker' group (then log in again)");
        build_docker(net, i, now, out);
        return 0;
    case SRC_UNIT:         /* the demo's nodes have no systemd unit */
    case SRC_CHAIN:        /* the demo reaches no chain */
    case SRC_WALLETS:      /* ...and has no wallets */
    case SRC_GPU:          /* sampled: demo_gpu_sample */
    case SRC_ORACLE_EPOCH: /* handled above */
    case SRC_COUNT:
        break;
    }
    return 1;
}

void demo_doc_free(struct demo_doc *d)
{
    if (!d)
        return;
    free(d->body);
    for (size_t k = 0; k < d->n_files; k++)
        free(d->files[k].body);
    free(d->files);
    memset(d, 0, sizeof *d);
}

#define GPU_SAMPLE_STEP_S 2.0

static void gpu_fill(unsigned i, int g, double t, bool down, struct r1_gpu *gpu)
{
    const struct demo_gpu_model *m = &gpu_models[specs[i].gpu_model];
    r1_strlcpy(gpu->name, m->name, sizeof gpu->name);
    gpu->util_pct = round_to(gpu_load_pct(i, g, t, down), 1.0); /* NVML reports whole % */
    gpu->mem_total_bytes = m->mem_mib * 1048576.0;
    gpu->mem_used_bytes = floor(gpu_mem_used_mib(i, g, t, down)) * 1048576.0;
    gpu->temp_c = floor(gpu_temp_c(i, g, t, down));
    gpu->power_mw = floor(gpu_power_mw(i, g, t, down));
}

int demo_gpu_sample(struct r1_node *n, double now, char *err)
{
    int si = spec_index(n);
    if (si < 0)
        return r1_err(err, "demo: node '%s' is not part of the demo fleet", n ? n->name : "(none)");
    unsigned i = (unsigned)si;
    const struct demo_spec *s = &specs[i];
    r1_strlcpy(n->gpu_backend, "demo", sizeof n->gpu_backend);
    model_meta_ok(&n->gpu_meta, now);   /* "no GPU" is a reading too */
    n->gpu_meta.fed_by = SRC_GPU + 1;
    if (s->gpu_model == G_NONE || !(s->flags & DF_LOCAL)) {
        n->n_gpus = 0;
        return 1;
    }
    int count = s->n_gpus > R1_GPU_MAX ? R1_GPU_MAX : s->n_gpus;
    model_node_gpus(n);
    for (int g = 0; g < count; g++) {
        struct r1_gpu *gpu = &n->gpus[g];
        /* First sample: back-fill the sparklines so a fresh demo screen is not empty. */
        if (gpu->util_hist.n == 0) {
            for (int k = R1_HIST_MAX - 1; k >= 1; k--) {
                double t = now - k * GPU_SAMPLE_STEP_S;
                struct r1_gpu past;
                gpu_fill(i, g, t, node_is_down(i, now, t), &past);
                model_series_push(&gpu->util_hist, (float)past.util_pct);
                model_series_push(&gpu->mem_hist_pct,
                                  (float)(100.0 * past.mem_used_bytes / past.mem_total_bytes));
            }
        }
        gpu_fill(i, g, now, node_is_down(i, now, now), gpu);
        model_series_push(&gpu->util_hist, (float)gpu->util_pct);
        model_series_push(&gpu->mem_hist_pct,
                          (float)(100.0 * gpu->mem_used_bytes / gpu->mem_total_bytes));
        R1_MARK(gpu, GPU_NAME);
        R1_MARK(gpu, GPU_UTIL);
        R1_MARK(gpu, GPU_MEM);
        R1_MARK(gpu, GPU_TEMP);
        R1_MARK(gpu, GPU_POWER);
        model_meta_ok(&gpu->meta, now);
    }
    n->n_gpus = count;
    return 0;
}
