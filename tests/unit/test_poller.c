/* Unit tests for poller.c through its file:// transport: real files in a temporary folder, the
 * real sources' prepare/apply, and the per-(node, source) status the poller alone writes.
 * Checked: a source runs only after the one it needs (`after`), the quiet re-read of a
 * half-written status file (reported only when the second read fails too), the failure
 * back-off doubling up to its cap, the status a success or a failure leaves, and clients
 * (poller_add_client): their socket joins the wait, they are serviced until they finish, and
 * poller_abandon ends them.
 * The poller has no clock of its own to fake: poller_start_due() takes the monotonic time to
 * schedule against, so a test moves time forward by passing a later one (never sleeping). The
 * wall-clock stamps in the statuses are real; only their differences are compared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "model.h"
#include "network.h"
#include "poller.h"
#include "sources/source.h"
#include "util.h"

/* What tests/data/node_files/local_info.json says about its node. */
#define INFO_ETH "0xc440cdD0BBdDb5a271de07d3378E31Cb8D9727A5"

struct env {
    char dir[64];                 /* the temporary folder */
    char data[96], oracle[96];    /* its _data/ and oracle/ folders */
    struct r1_config cfg;
    struct r1_fleet f;
    struct r1_poller *p;
};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
}

static void remove_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

static char *fixture_text(const char *name)
{
    char path[512], err[R1_ERR_MAX];
    char *buf = NULL;
    size_t len = 0;
    double mtime = 0;
    snprintf(path, sizeof(path), "%s/%s", R1_TEST_DATA, name);
    if (r1_read_file(path, 1u << 20, &buf, &len, &mtime, err) != 0)
        fail_msg("%s", err);
    return buf;
}

/* A valid local_info.json, from the protocol notes' sample. */
static void write_good_info(struct env *e)
{
    char *text = fixture_text("node_files/local_info.json");
    write_file(e->data, "local_info.json", text);
    free(text);
}

/* The file as a reader can catch it while the node rewrites it in place. */
static void write_half_info(struct env *e)
{
    write_file(e->data, "local_info.json", "{\n  \"address\": \"0xai_A2pPf0lxZSZkGONz");
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    if (!e)
        return -1;
    snprintf(e->dir, sizeof(e->dir), "/tmp/r1top-test-poller-XXXXXX");
    if (!mkdtemp(e->dir))
        return -1;
    snprintf(e->data, sizeof(e->data), "%s/data", e->dir);
    snprintf(e->oracle, sizeof(e->oracle), "%s/oracle", e->dir);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s'", e->data, e->oracle);
    if (system(cmd) != 0)
        return -1;
    config_defaults(&e->cfg);
    e->cfg.net = network_get(R1_NET_MAINNET);
    /* only the status files unless a test turns the (file://) oracle on */
    e->cfg.oracle_enabled = false;
    snprintf(e->cfg.oracle_url, sizeof(e->cfg.oracle_url), "file://%s", e->oracle);
    e->cfg.interval_s[SRC_NODE_INFO] = 10;
    model_fleet_init(&e->f, e->cfg.net);
    struct r1_node *n = model_fleet_add(&e->f, "box");
    snprintf(n->status_dir_url, sizeof(n->status_dir_url), "file://%s/", e->data);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    poller_free(e->p);
    model_fleet_free(&e->f);
    config_free(&e->cfg);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
    int rc = system(cmd);
    free(e);
    return rc == 0 ? 0 : -1;
}

static void start(struct env *e)
{
    e->p = poller_new(&e->cfg, &e->f);
    assert_non_null(e->p);
}

/* Run every job that is due `ahead_s` seconds from now (file jobs finish before it returns). */
static void run_due(struct env *e, double ahead_s)
{
    poller_start_due(e->p, r1_mono() + ahead_s);
}

#define EVERYTHING 1e7   /* far enough ahead that every job is due */

/* ---- status ------------------------------------------------------------------------------- */

static void test_poller_success_fills_the_source_status_and_group_meta(void **state)
{
    struct env *e = *state;
    write_good_info(e);
    start(e);
    double before = r1_now();
    run_due(e, 0);
    double after = r1_now();

    struct r1_node *n = &e->f.nodes[0];
    const struct r1_src_status *st = &n->src[SRC_NODE_INFO];
    char url[256];
    snprintf(url, sizeof(url), "file://%s/local_info.json", e->data);
    assert_true(st->configured);
    assert_non_null(st->url);
    assert_string_equal(st->url, url);
    assert_true(st->ok_at >= before && st->ok_at <= after);
    assert_true(st->attempt_at == st->ok_at);
    assert_int_equal(st->fails, 0);
    assert_int_equal(st->err.kind, R1_EK_NONE);
    assert_true(st->interval_s == 10);
    /* the next regular read, one interval on */
    assert_true(fabs(st->next_at - st->ok_at - 10) < 1e-3);
    /* the group: stamped at the same moment, fed by this source, values read */
    assert_true(n->info.meta.updated_at == st->ok_at);
    assert_int_equal(n->info.meta.fed_by, SRC_NODE_INFO + 1);
    assert_string_equal(n->info.eth_address, INFO_ETH);
    assert_true(R1_VALID(&n->info, INFO_MTIME));
    /* a source with nothing to read for this node (no Docker socket) is not listed as one */
    assert_false(n->src[SRC_DOCKER].configured);
    assert_null(n->src[SRC_DOCKER].url);
}

/* ---- the quiet re-read ------------------------------------------------------------------------ */

/* The node rewrites local_info.json in place: a read that catches it half-written is tried
 * again a second later without a word; only a second failure is reported. */
static void test_poller_half_written_file_is_reported_only_on_the_second_failure(void **state)
{
    struct env *e = *state;
    struct r1_node *n = &e->f.nodes[0];
    const struct r1_src_status *st = &n->src[SRC_NODE_INFO];
    write_half_info(e);
    start(e);
    run_due(e, 0);
    assert_true(st->attempt_at == 0);
    assert_int_equal(st->fails, 0);
    assert_int_equal(st->err.kind, R1_EK_NONE);
    assert_false(st->configured);

    /* the re-read comes a second later, not after the back-off */
    run_due(e, 1.2);
    assert_true(st->attempt_at > 0);
    assert_int_equal(st->fails, 1);
    assert_int_equal(st->err.kind, R1_EK_PARSE);
    assert_int_equal(st->err.src, SRC_NODE_INFO);
    assert_true(st->err.reason[0] != '\0');
    assert_true(st->configured);
    assert_true(st->ok_at == 0);
    assert_non_null(st->url);
}

static void test_poller_half_written_file_complete_on_the_reread_is_never_reported(void **state)
{
    struct env *e = *state;
    struct r1_node *n = &e->f.nodes[0];
    const struct r1_src_status *st = &n->src[SRC_NODE_INFO];
    write_half_info(e);
    start(e);
    run_due(e, 0);
    write_good_info(e);
    run_due(e, 1.2);
    assert_true(st->ok_at > 0);
    assert_int_equal(st->fails, 0);
    assert_int_equal(st->err.kind, R1_EK_NONE);
    assert_int_equal(n->info.meta.fed_by, SRC_NODE_INFO + 1);
    assert_string_equal(n->info.eth_address, INFO_ETH);
}

/* ---- back-off ------------------------------------------------------------------------------- */

/* A source that keeps failing is retried after its interval's first step (at most 15 s), then
 * twice as long each time, capped at the larger of its interval and 5 minutes. */
static void test_poller_failure_back_off_doubles_to_its_cap(void **state)
{
    struct env *e = *state;
    struct r1_node *n = &e->f.nodes[0];
    const struct r1_src_status *st = &n->src[SRC_NODE_INFO];
    write_half_info(e);
    start(e);
    run_due(e, EVERYTHING); /* the quiet re-read's failure */
    static const double delays[] = {10, 20, 40, 80, 160, 300, 300};
    for (size_t i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
        run_due(e, EVERYTHING);
        assert_int_equal(st->fails, (int)i + 1);
        if (fabs(st->next_at - st->attempt_at - delays[i]) > 1e-3)
            fail_msg("failure %zu: next attempt in %.3f s, expected %.0f s", i + 1,
                     st->next_at - st->attempt_at, delays[i]);
    }
    /* not due before its back-off is over */
    double last = st->attempt_at;
    run_due(e, 299);
    assert_true(st->attempt_at == last);

    /* a success clears it all: the next regular read is one interval on */
    write_good_info(e);
    run_due(e, EVERYTHING);
    assert_int_equal(st->fails, 0);
    assert_int_equal(st->err.kind, R1_EK_NONE);
    assert_true(fabs(st->next_at - st->ok_at - 10) < 1e-3);

    /* and the next failure gets its quiet re-read again before it is reported */
    write_half_info(e);
    run_due(e, EVERYTHING);
    assert_int_equal(st->fails, 0);
    assert_int_equal(st->err.kind, R1_EK_NONE);
    run_due(e, EVERYTHING);
    assert_int_equal(st->fails, 1);
    assert_true(fabs(st->next_at - st->attempt_at - 10) < 1e-3);
}

/* A failure keeps the last good values and their age: the status says when the source last
 * answered, and the group keeps its stamp. */
static void test_poller_failure_keeps_the_last_success(void **state)
{
    struct env *e = *state;
    struct r1_node *n = &e->f.nodes[0];
    const struct r1_src_status *st = &n->src[SRC_NODE_INFO];
    write_good_info(e);
    start(e);
    run_due(e, 0);
    double ok_at = st->ok_at;
    assert_true(ok_at > 0);
    remove_file(e->data, "local_info.json");
    run_due(e, EVERYTHING);
    run_due(e, EVERYTHING);
    assert_int_equal(st->err.kind, R1_EK_FILE);
    assert_true(st->ok_at == ok_at);
    assert_true(n->info.meta.updated_at == ok_at);
    assert_string_equal(n->info.eth_address, INFO_ETH);
    assert_true(st->attempt_at >= ok_at);
}

/* ---- order ---------------------------------------------------------------------------------- */

/* oracle_last runs after node_info (`after`): while the status file has not answered, the
 * oracle is not asked; once it has, the oracle is asked in the same round, about the address
 * the file revealed. */
static void test_poller_runs_a_source_after_the_one_it_needs(void **state)
{
    struct env *e = *state;
    struct r1_node *n = &e->f.nodes[0];
    e->cfg.oracle_enabled = true;
    /* the oracle's reply, at the path its request URL names */
    char name[256];
    snprintf(name, sizeof(name),
             "node_last_epoch?eth_node_addr=%s&include_bc_info=true", INFO_ETH);
    char reply[512];
    snprintf(reply, sizeof(reply),
             "{\"result\":{\"node_eth_address\":\"%s\",\"node_alias\":\"from-oracle\","
             "\"node_is_online\":true,\"node_last_seen_sec\":3}}",
             INFO_ETH);
    write_file(e->oracle, name, reply);
    /* no local_info.json yet: the first read fails (quietly) */
    start(e);
    run_due(e, 0);
    assert_true(n->src[SRC_ORACLE_LAST].attempt_at == 0);
    assert_null(n->src[SRC_ORACLE_LAST].url);

    write_good_info(e);
    run_due(e, 1.5);
    const struct r1_src_status *st = &n->src[SRC_ORACLE_LAST];
    assert_true(n->src[SRC_NODE_INFO].ok_at > 0);
    assert_true(st->attempt_at >= n->src[SRC_NODE_INFO].ok_at);
    assert_non_null(st->url);
    if (!strstr(st->url, "eth_node_addr=" INFO_ETH))
        fail_msg("oracle asked with %s", st->url);
    assert_true(st->ok_at > 0);
    assert_string_equal(n->orc.node_alias, "from-oracle");
    assert_int_equal(n->orc.meta.fed_by, SRC_ORACLE_LAST + 1);
}

/* ---- clients (poller_add_client) ------------------------------------------------------- */

/* A client whose "socket" is a pipe: the test makes it readable by writing to it. */
struct pipe_client {
    int fds[2];
    int serviced, reads;
    bool finish;               /* service reports it has finished */
    char abandoned[64];
};

static int pc_fd(void *ctx, bool *want_write)
{
    struct pipe_client *c = ctx;
    *want_write = false;
    return c->fds[0];
}

static int pc_wait_ms(void *ctx, double now_mono)
{
    return 60000;
}

static bool pc_service(void *ctx, bool readable, bool writable, double now_mono)
{
    struct pipe_client *c = ctx;
    char b;
    c->serviced++;
    if (readable && read(c->fds[0], &b, 1) == 1)
        c->reads++;
    return c->finish;
}

static void pc_abandon(void *ctx, const char *why)
{
    struct pipe_client *c = ctx;
    snprintf(c->abandoned, sizeof(c->abandoned), "%s", why);
}

static void pc_add(struct env *e, struct pipe_client *c)
{
    memset(c, 0, sizeof(*c));
    assert_int_equal(pipe(c->fds), 0);
    struct poller_client pc = {pc_fd, pc_wait_ms, pc_service, pc_abandon, c};
    char err[R1_ERR_MAX];
    assert_int_equal(poller_add_client(e->p, &pc, err), 0);
}

static void test_poller_client_socket_joins_the_wait_and_is_serviced(void **state)
{
    struct env *e = *state;
    struct pipe_client c;
    bool input = false;
    start(e);
    pc_add(e, &c);
    assert_int_equal(poller_oneshots_running(e->p), 1);
    assert_int_equal(poller_wait(e->p, -1, 0, &input), 0);
    poller_perform(e->p);
    assert_int_equal(c.serviced, 1);
    assert_int_equal(c.reads, 0);
    /* readable: the wait ends at once instead of after its 5 s */
    assert_int_equal(write(c.fds[1], "x", 1), 1);
    double t0 = r1_mono();
    assert_int_equal(poller_wait(e->p, -1, 5000, &input), 0);
    assert_true(r1_mono() - t0 < 2.0);
    poller_perform(e->p);
    assert_int_equal(c.reads, 1);
    /* finished: removed, and never serviced again */
    c.finish = true;
    poller_perform(e->p);
    assert_int_equal(poller_oneshots_running(e->p), 0);
    int n = c.serviced;
    poller_perform(e->p);
    assert_int_equal(c.serviced, n);
    assert_string_equal(c.abandoned, "");
    close(c.fds[0]);
    close(c.fds[1]);
}

static void test_poller_abandon_ends_a_client_with_the_reason(void **state)
{
    struct env *e = *state;
    struct pipe_client c;
    start(e);
    pc_add(e, &c);
    poller_abandon(e->p, "timed out");
    assert_string_equal(c.abandoned, "timed out");
    assert_int_equal(poller_oneshots_running(e->p), 0);
    close(c.fds[0]);
    close(c.fds[1]);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_poller_success_fills_the_source_status_and_group_meta),
        T(test_poller_half_written_file_is_reported_only_on_the_second_failure),
        T(test_poller_half_written_file_complete_on_the_reread_is_never_reported),
        T(test_poller_failure_back_off_doubles_to_its_cap),
        T(test_poller_failure_keeps_the_last_success),
        T(test_poller_runs_a_source_after_the_one_it_needs),
        T(test_poller_client_socket_joins_the_wait_and_is_serviced),
        T(test_poller_abandon_ends_a_client_with_the_reason),
    };
    return cmocka_run_group_tests_name("poller", tests, NULL, NULL);
}
