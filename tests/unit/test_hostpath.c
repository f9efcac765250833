/* test_hostpath: which path a container action takes on a node (the Docker API here, the
 * docker CLI on an ssh:// host, r1setup's unit here or over ssh), the request each path makes,
 * and the outcome a command's exit status and stderr become. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <string.h>

#include "actions.h"
#include "hostpath.h"
#include "manage.h"
#include "model.h"
#include "sources/source.h"
#include "transport_ssh.h"

static void node(struct r1_node *n, const char *status, const char *socket, const char *ctr,
                 const char *svc)
{
    memset(n, 0, sizeof(*n));
    r1_strlcpy(n->name, "n1", sizeof(n->name));
    r1_strlcpy(n->status_dir_url, status, sizeof(n->status_dir_url));
    r1_strlcpy(n->docker_socket, socket, sizeof(n->docker_socket));
    r1_strlcpy(n->container, ctr, sizeof(n->container));
    r1_strlcpy(n->service, svc, sizeof(n->service));
}

static void test_hostpath_unit_first_then_docker_by_host(void **state)
{
    (void)state;
    struct r1_node n;
    char name[64];
    node(&n, "file:///var/cache/edge_node/_local_cache/_data/", "/var/run/docker.sock", "edge_node",
         "edge_node");
    assert_int_equal(hostpath_of(&n), R1_HP_UNIT_LOCAL);
    hostpath_name(&n, name, sizeof(name));
    assert_string_equal(name, "systemd unit edge_node");
    node(&n, "ssh://ops@h/var/cache/edge_node/_local_cache/_data/", "/var/run/docker.sock",
         "edge_node", "edge_node");
    assert_int_equal(hostpath_of(&n), R1_HP_UNIT_SSH);
    hostpath_name(&n, name, sizeof(name));
    assert_string_equal(name, "systemd unit edge_node over ssh");
    node(&n, "ssh://ops@h/d/_data/", "/var/run/docker.sock", "r1node", "");
    assert_int_equal(hostpath_of(&n), R1_HP_DOCKER_SSH);
    hostpath_name(&n, name, sizeof(name));
    assert_string_equal(name, "docker CLI over ssh");
    node(&n, "file:///d/_data/", "/var/run/docker.sock", "r1node", "");
    assert_int_equal(hostpath_of(&n), R1_HP_DOCKER_API);
    node(&n, "file:///d/_data/", "", "", "");
    assert_int_equal(hostpath_of(&n), R1_HP_NONE);
}

static void test_hostpath_requests_name_the_host_the_verb_and_the_socket(void **state)
{
    (void)state;
    struct r1_node n;
    struct r1_request req;
    char err[R1_ERR_MAX];
    node(&n, "ssh://ops@h:2222/d/_data/", "/run/other.sock", "r1node", "");
    memset(&req, 0, sizeof(req));
    assert_int_equal(hostpath_prepare(&n, "stop", &req, err), 0);
    assert_string_equal(req.url, "ssh://ops@h:2222?docker-stop=r1node&socket=/run/other.sock");
    /* the daemon's usual socket needs no -H */
    node(&n, "ssh://ops@h:2222/d/_data/", "/var/run/docker.sock", "r1node", "");
    assert_int_equal(hostpath_prepare(&n, "start", &req, err), 0);
    assert_string_equal(req.url, "ssh://ops@h:2222?docker-start=r1node");
    node(&n, "file:///d/_data/", "/var/run/docker.sock", "edge_node", "edge_node_2");
    assert_int_equal(hostpath_prepare(&n, "restart", &req, err), 0);
    assert_string_equal(req.url, "local://?systemctl-restart=edge_node_2");
    node(&n, "ssh://h/d/_data/", "", "edge_node", "edge_node;reboot");
    assert_int_equal(hostpath_prepare(&n, "restart", &req, err), -1);
    assert_non_null(strstr(err, "not a valid systemd name"));
}

static void test_hostpath_outcome_from_the_exit_status(void **state)
{
    (void)state;
    struct r1_node n;
    char out[R1_REASON_MAX];
    node(&n, "ssh://h/d/_data/", "", "edge_node", "edge_node");
    struct r1_act_reply r = {.command = true, .exit_status = 0, .errs = ""};
    assert_true(hostpath_outcome(&n, "restart", &r, out, sizeof(out)));
    assert_string_equal(out, "restart: done (systemd unit edge_node over ssh)");
    r.exit_status = TRANSPORT_SSH_EXIT_SUDO;
    assert_false(hostpath_outcome(&n, "restart", &r, out, sizeof(out)));
    assert_non_null(strstr(out, "sudo needs a password"));
    assert_non_null(strstr(out, "NOPASSWD"));
    /* the last line systemctl wrote says why */
    r.exit_status = 5;
    r.errs = "\nFailed to stop edge_node.service: Unit edge_node.service not loaded.\n\n";
    assert_false(hostpath_outcome(&n, "stop", &r, out, sizeof(out)));
    assert_string_equal(out, "stop failed (systemd unit edge_node over ssh): systemctl stop "
                             "exited 5: Failed to stop edge_node.service: Unit edge_node.service "
                             "not loaded.");
    /* 77 from docker is docker's own status, not sudo's */
    node(&n, "ssh://h/d/_data/", "", "edge_node", "");
    r.exit_status = TRANSPORT_SSH_EXIT_SUDO;
    r.errs = "";
    assert_false(hostpath_outcome(&n, "stop", &r, out, sizeof(out)));
    assert_string_equal(out, "stop failed (docker CLI over ssh): docker stop exited 77");
}

static void test_hostpath_question_says_the_unit_pulls_again(void **state)
{
    (void)state;
    struct r1_node n;
    char q[512];
    node(&n, "ssh://h/d/_data/", "", "edge_node", "edge_node");
    actions_question_node(actions_get(R1_ACT_RESTART_CONTAINER), &n, NULL, q, sizeof(q));
    assert_non_null(strstr(q, "Restart the container of n1?"));
    assert_non_null(strstr(q, "systemctl restart edge_node on its host, over ssh"));
    assert_non_null(strstr(q, "pulls the image again"));
    node(&n, "ssh://h/d/_data/", "", "edge_node", "");
    actions_question_node(actions_get(R1_ACT_STOP_CONTAINER), &n, NULL, q, sizeof(q));
    assert_non_null(strstr(q, "docker stop edge_node on its host, over ssh"));
}

/* The node's own commands and log: through the docker CLI over ssh for an ssh:// node with a
 * container (the unit's too), in one request each; through the Engine API here otherwise; not
 * at all for an ssh:// node without a container. */
static void test_exec_and_logs_over_ssh_take_the_cli(void **state)
{
    (void)state;
    struct r1_node n;
    struct r1_request req;
    char err[R1_ERR_MAX], path[64], q[512];
    const struct r1_action *allow = actions_get(R1_ACT_ALLOW), *logs = actions_get(R1_ACT_LOGS);
    const char *addr = "0xai_A3nxutHmhbVdI4j78iX2sCKGCfUspm3N7sbqTpDV9rGp";
    char arg[128];
    snprintf(arg, sizeof(arg), "%s ops", addr);
    node(&n, "ssh://ops@h:2222/d/_data/", "/run/other.sock", "r1node", "");
    assert_true(hostpath_cli_ssh(&n));
    assert_int_equal(actions_check(allow, &n, false, true), R1_ACT_OK);
    assert_int_equal(actions_check(logs, &n, false, true), R1_ACT_OK);
    actions_begin(&n, allow, arg, 100.0);
    assert_string_equal(n.act.path, "docker CLI over ssh");
    memset(&req, 0, sizeof(req));
    assert_int_equal(actions_prepare(allow, &n, &req, err), 0);
    char want[512];
    snprintf(want, sizeof(want),
             "ssh://ops@h:2222?docker-exec=r1node&socket=/run/other.sock&cmd=add_allowed&arg=%s"
             "&arg=ops",
             addr);
    assert_string_equal(req.url, want);
    actions_question_node(allow, &n, arg, q, sizeof(q));
    assert_non_null(strstr(q, "Path: docker exec r1node add_allowed 0xai_A3nx"));
    /* one reply ends it: the output and the exit status of the command */
    struct r1_act_reply r = {.command = true,
                             .exit_status = 1,
                             .errs = "",
                             .body = "Error: address is already in the list\n"};
    r.len = strlen(r.body);
    assert_false(actions_reply(&n, allow, &r, NULL, 101.0));
    assert_int_equal(n.act.state, R1_ACTST_FAILED);
    assert_string_equal(n.act.result,
                        "allow failed (exit 1): Error: address is already in the list");

    /* the logs: the lines asked for, then only those since the newest held */
    actions_begin(&n, logs, "5", 102.0);
    assert_int_equal(actions_prepare(logs, &n, &req, err), 0);
    assert_string_equal(req.url,
                        "ssh://ops@h:2222?docker-logs=r1node&socket=/run/other.sock&tail=5");
    r.exit_status = 0;
    r.body = "2026-12-02T05:00:20.123456789Z one\n2026-12-02T05:00:21.123456789Z two\n";
    r.len = strlen(r.body);
    assert_false(actions_reply(&n, logs, &r, NULL, 103.0));
    assert_int_equal(n.act.state, R1_ACTST_OK);
    assert_int_equal(n.mng->logs.n, 2);
    actions_begin(&n, logs, "5", 104.0);
    assert_int_equal(actions_prepare(logs, &n, &req, err), 0);
    assert_non_null(strstr(req.url, "&tail=5000&since=1796187621.123456789"));
    assert_false(actions_reply(&n, logs, &r, NULL, 105.0));
    assert_int_equal(n.mng->logs.n, 2); /* nothing twice */
    manage_free(n.mng);

    /* a unit over ssh: the container is on the same host */
    node(&n, "ssh://h/d/_data/", "", "edge_node", "edge_node");
    hostpath_exec_name(&n, path, sizeof(path));
    assert_string_equal(path, "docker CLI over ssh");
    /* no container: nothing to exec in */
    node(&n, "ssh://h/d/_data/", "/var/run/docker.sock", "", "");
    assert_false(hostpath_cli_ssh(&n));
    assert_int_equal(actions_check(logs, &n, false, true), R1_ACT_NO_BACKEND);
    assert_int_equal(actions_check(actions_get(R1_ACT_ALLOWED), &n, false, true),
                     R1_ACT_NO_BACKEND);
    /* this host: the Engine API, its create step first */
    node(&n, "file:///d/_data/", "/var/run/docker.sock", "edge_node", "");
    hostpath_exec_name(&n, path, sizeof(path));
    assert_string_equal(path, "docker API");
    actions_begin(&n, allow, arg, 106.0);
    assert_int_equal(actions_prepare(allow, &n, &req, err), 0);
    assert_string_equal(req.url, "http://localhost/containers/edge_node/exec");
    assert_non_null(strstr(req.body, "\"Cmd\":[\"add_allowed\",\"0xai_A3nx"));
    manage_free(n.mng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostpath_unit_first_then_docker_by_host),
        cmocka_unit_test(test_hostpath_requests_name_the_host_the_verb_and_the_socket),
        cmocka_unit_test(test_hostpath_outcome_from_the_exit_status),
        cmocka_unit_test(test_hostpath_question_says_the_unit_pulls_again),
        cmocka_unit_test(test_exec_and_logs_over_ssh_take_the_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
