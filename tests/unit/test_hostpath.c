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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostpath_unit_first_then_docker_by_host),
        cmocka_unit_test(test_hostpath_requests_name_the_host_the_verb_and_the_socket),
        cmocka_unit_test(test_hostpath_outcome_from_the_exit_status),
        cmocka_unit_test(test_hostpath_question_says_the_unit_pulls_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
