/* test_transport_ssh: the pure parts of the ssh:// path — URL parsing (what would reach ssh's
 * command line), the framed replies of the remote snippets, and the two parsers of what the
 * node host's commands print: `docker inspect` (an array) and nvidia-smi's CSV. The transport
 * itself (children, pipes, one connection per host) runs against a real sshd in
 * tests/integration/ssh_remote.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <math.h>
#include <string.h>

#include "dirread.h"
#include "model.h"
#include "sources/docker.h"
#include "sources/gpu.h"
#include "transport_ssh.h"

/* ---- URLs ---------------------------------------------------------------------------------- */

/* Each URL of bad is refused, with a message. */
static void refuses_each(const char *const *bad, size_t n)
{
    struct ssh_target t;
    char err[R1_ERR_MAX];
    for (size_t i = 0; i < n; i++) {
        err[0] = '\0';
        if (transport_ssh_parse_url(bad[i], &t, err) != -1)
            fail_msg("accepted %s", bad[i]);
        assert_true(err[0] != '\0');
    }
}

static void test_ssh_url_alias_with_a_folder(void **state)
{
    (void)state;
    struct ssh_target t;
    char err[R1_ERR_MAX];
    assert_int_equal(transport_ssh_parse_url("ssh://gpu-box/var/cache/_data/", &t, err), 0);
    assert_string_equal(t.host, "gpu-box");
    assert_string_equal(t.user, "");
    assert_int_equal(t.port, 0);
    assert_int_equal(t.op, SSH_OP_DIR);
    assert_string_equal(t.path, "/var/cache/_data/");
}

static void test_ssh_url_user_host_port_and_a_file(void **state)
{
    (void)state;
    struct ssh_target t;
    char err[R1_ERR_MAX];
    assert_int_equal(
        transport_ssh_parse_url("ssh://ops@10.0.0.7:2222/d/_data/local_info.json", &t, err), 0);
    assert_string_equal(t.user, "ops");
    assert_string_equal(t.host, "10.0.0.7");
    assert_int_equal(t.port, 2222);
    assert_int_equal(t.op, SSH_OP_FILE);
    assert_string_equal(t.path, "/d/_data/local_info.json");
    assert_int_equal(transport_ssh_parse_url("ssh://[::1]:22/x", &t, err), 0);
    assert_string_equal(t.host, "::1");
    assert_int_equal(t.port, 22);
}

static void test_ssh_url_commands(void **state)
{
    (void)state;
    struct ssh_target t;
    char err[R1_ERR_MAX];
    assert_int_equal(transport_ssh_parse_url("ssh://h?nvidia-smi", &t, err), 0);
    assert_int_equal(t.op, SSH_OP_GPU);
    assert_int_equal(transport_ssh_parse_url("ssh://u@h:1?docker-inspect=edge_node", &t, err), 0);
    assert_int_equal(t.op, SSH_OP_DOCKER);
    assert_string_equal(t.path, "edge_node");
    assert_string_equal(t.socket, "");
    assert_int_equal(
        transport_ssh_parse_url("ssh://h?docker-inspect=r1node&socket=/run/d.sock", &t, err), 0);
    assert_string_equal(t.path, "r1node");
    assert_string_equal(t.socket, "/run/d.sock");
    char url[R1_URL_MAX];
    assert_int_equal(
        transport_ssh_command_url("ssh://u@h:1/data/_data/", "nvidia-smi", url, sizeof(url)), 0);
    assert_string_equal(url, "ssh://u@h:1?nvidia-smi");
    assert_int_equal(transport_ssh_command_url("file:///x/", "nvidia-smi", url, sizeof(url)), -1);
}

/* What ssh would take as an option (git's CVE-2017-1000117 shape) or a shell would expand is
 * never a host, a login or a container. */
static void test_ssh_url_action_and_unit_commands(void **state)
{
    (void)state;
    struct ssh_target t;
    char err[R1_ERR_MAX];
    assert_int_equal(transport_ssh_parse_url(
                         "ssh://ops@h:2222?docker-stop=edge_node&socket=/run/d.sock", &t, err),
                     0);
    assert_int_equal(t.op, SSH_OP_DOCKER_ACT);
    assert_string_equal(t.verb, "stop");
    assert_string_equal(t.path, "edge_node");
    assert_string_equal(t.socket, "/run/d.sock");
    assert_false(t.local);
    assert_int_equal(transport_ssh_parse_url("ssh://h?systemctl-restart=edge_node@2", &t, err), 0);
    assert_int_equal(t.op, SSH_OP_UNIT_ACT);
    assert_string_equal(t.verb, "restart");
    assert_string_equal(t.path, "edge_node@2");
    assert_int_equal(
        transport_ssh_parse_url("local://?unit=edge_node&exit-file=/tmp/edge_node.exit", &t, err),
        0);
    assert_int_equal(t.op, SSH_OP_UNIT);
    assert_true(t.local);
    assert_string_equal(t.path, "edge_node");
    assert_string_equal(t.exit_file, "/tmp/edge_node.exit");
}

/* A unit or container name is one word of the remote command: anything a shell or systemctl
 * would read as more is refused before a child starts. */
static void test_ssh_url_action_commands_refuse_odd_names(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "ssh://h?systemctl-restart=-H",           /* an option */
        "ssh://h?systemctl-stop=a;reboot",        /* a second command */
        "ssh://h?systemctl-start=a&socket=/x",    /* no options for systemctl */
        "ssh://h?docker-restart=a b",             /* two words */
        "ssh://h?unit=edge_node&exit-file=tmp/x", /* a relative exit file */
        "ssh://h?unit=edge_node&exit-file=/t/$(x)",
        "ssh://h?docker-kill=edge_node", /* not an action r1top has */
        "local://?nvidia-smi",           /* only commands run locally */
        "local:///var/cache/x.json",
    };
    refuses_each(bad, R1_ARRAY_LEN(bad));
}

/* The node's commands and log over ssh: the command is one of a fixed list, each operand a
 * plain word, the log's tail and since numbers; the options in any order. */
static void test_ssh_url_exec_and_logs(void **state)
{
    (void)state;
    struct ssh_target t;
    char err[R1_ERR_MAX];
    assert_int_equal(
        transport_ssh_parse_url("ssh://h?docker-exec=edge_node&cmd=get_allowed", &t, err), 0);
    assert_int_equal(t.op, SSH_OP_DOCKER_EXEC);
    assert_string_equal(t.path, "edge_node");
    assert_string_equal(t.verb, "get_allowed");
    assert_int_equal(t.n_args, 0);
    assert_string_equal(t.socket, "");
    assert_int_equal(
        transport_ssh_parse_url("ssh://ops@h:22?docker-exec=r1&socket=/run/d.sock&cmd=add_allowed"
                                "&arg=0xai_A3nxutHmhbVdI4j78iX2sCKGCfUspm3N7sbqTpDV9rGp&arg=ops-2",
                                &t, err),
        0);
    assert_string_equal(t.verb, "add_allowed");
    assert_int_equal(t.n_args, 2);
    assert_string_equal(t.args[0], "0xai_A3nxutHmhbVdI4j78iX2sCKGCfUspm3N7sbqTpDV9rGp");
    assert_string_equal(t.args[1], "ops-2");
    assert_string_equal(t.socket, "/run/d.sock");
    assert_int_equal(
        transport_ssh_parse_url("ssh://h?docker-exec=r1&cmd=change_alias&arg=a.b_c", &t, err), 0);
    assert_int_equal(transport_ssh_parse_url("ssh://h?docker-exec=r1&cmd=docker-ps", &t, err), 0);
    const struct ssh_node_command *ps = transport_ssh_node_command(t.verb);
    assert_non_null(ps);
    assert_string_equal(ps->words[0], "docker");
    assert_null(transport_ssh_node_command("rm"));

    assert_int_equal(transport_ssh_parse_url("ssh://h?docker-logs=edge_node&tail=200", &t, err), 0);
    assert_int_equal(t.op, SSH_OP_DOCKER_LOGS);
    assert_string_equal(t.tail, "200");
    assert_string_equal(t.since, "");
    assert_int_equal(transport_ssh_parse_url("ssh://h?docker-logs=edge_node&since=1796187621."
                                             "123456789&tail=5000&socket=/s",
                                             &t, err),
                     0);
    assert_string_equal(t.since, "1796187621.123456789");
    assert_string_equal(t.tail, "5000");
    assert_string_equal(t.socket, "/s");
    assert_int_equal(transport_ssh_parse_url("ssh://h?docker-logs=n&tail=1&since=17", &t, err), 0);
    assert_string_equal(t.since, "17");
}

/* Every value becomes a word of the remote command: what is not plainly one is refused. */
static void test_ssh_url_exec_and_logs_refuse_what_is_not_plain(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "ssh://h?docker-exec=r1",                                       /* no command */
        "ssh://h?docker-exec=r1&cmd=rm&arg=x",                          /* not a node command */
        "ssh://h?docker-exec=r1&cmd=sh",                                /* nor a shell */
        "ssh://h?docker-exec=r1&cmd=get_allowed&cmd=add_allowed&arg=a", /* twice */
        "ssh://h?docker-exec=r1&cmd=get_allowed&arg=x", /* an operand it does not take */
        "ssh://h?docker-exec=r1&cmd=add_allowed",       /* one it needs */
        "ssh://h?docker-exec=r1&cmd=add_allowed&arg=a&arg=b&arg=c",
        "ssh://h?docker-exec=r1&cmd=change_alias&arg=a;reboot",
        "ssh://h?docker-exec=r1&cmd=change_alias&arg=$(id)",
        "ssh://h?docker-exec=r1&cmd=change_alias&arg=a'b",
        "ssh://h?docker-exec=r1&cmd=change_alias&arg=a b",
        "ssh://h?docker-exec=r1&cmd=change_alias&arg=-rf", /* an option */
        "ssh://h?docker-exec=r1&cmd=change_alias&arg=",
        "ssh://h?docker-exec=r1&cmd=get_allowed&tail=5", /* an option of the logs */
        "ssh://h?docker-exec=r;x&cmd=get_allowed",       /* a container that is no name */
        "ssh://h?docker-logs=r1",                        /* no tail */
        "ssh://h?docker-logs=r1&tail=",
        "ssh://h?docker-logs=r1&tail=all",
        "ssh://h?docker-logs=r1&tail=-5",
        "ssh://h?docker-logs=r1&tail=12345678",
        "ssh://h?docker-logs=r1&tail=5&tail=6",
        "ssh://h?docker-logs=r1&tail=5&since=1.2.3", /* one dot */
        "ssh://h?docker-logs=r1&tail=5&since=.5",
        "ssh://h?docker-logs=r1&tail=5&since=5.",
        "ssh://h?docker-logs=r1&tail=5&since=10m",
        "ssh://h?docker-logs=r1&tail=5&since=1;id",
        "ssh://h?docker-logs=r1&tail=5&socket=/a&socket=/b",
        "ssh://h?docker-logs=r1&tail=5&socket=run/d.sock",
        "ssh://h?docker-logs=r1&tail=5&follow=1", /* no such option */
        "ssh://h?docker-logs=r1&tail=5&",
        "local://?docker-exec=r1&cmd=get_allowed", /* remote hosts only */
    };
    refuses_each(bad, R1_ARRAY_LEN(bad));
}

static void test_ssh_host_url_is_local_without_ssh(void **state)
{
    (void)state;
    char u[R1_URL_MAX];
    assert_int_equal(transport_ssh_host_url("ssh://ops@h:22/var/x/_data/", "unit=a", u, sizeof(u)),
                     0);
    assert_string_equal(u, "ssh://ops@h:22?unit=a");
    assert_int_equal(transport_ssh_host_url("file:///var/x/_data/", "unit=a", u, sizeof(u)), 0);
    assert_string_equal(u, "local://?unit=a");
    assert_true(transport_ssh_handles(u));
    assert_false(transport_ssh_handles("file:///x"));
}

static void test_ssh_url_refuses_options_and_odd_names(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "ssh://-oProxyCommand=touch%20x/p/",
        "ssh://-oProxyCommand=x@h/p/",
        "ssh://h;rm/p/",
        "ssh://h:0/p/",
        "ssh://h:65536/p/",
        "ssh://h:22x/p/",
        "ssh://h:/p/",
        "ssh://h",
        "ssh://h/",
        "ssh://u@/p/",
        "ssh://[::1/p/",
        "ssh://h?docker-inspect=-x",
        "ssh://h?docker-inspect=a'b",
        "ssh://h?docker-inspect=a&socket=relative",
        "ssh://h?ls",
        "sftp://h/p/",
    };
    refuses_each(bad, R1_ARRAY_LEN(bad));
}

/* ---- the framed replies -------------------------------------------------------------------- */

static void test_ssh_file_reply_mtime_on_this_hosts_clock(void **state)
{
    (void)state;
    static const char r[] = "r1top-file 1000 1010\n{\"a\":1}";
    const char *body;
    size_t len;
    double mtime;
    char err[R1_ERR_MAX];
    /* the host says now = 1010, here it is 2010: the file was written 10 s ago, at 2000 here */
    assert_int_equal(
        transport_ssh_parse_file(r, sizeof(r) - 1, 100, 2010.0, &body, &len, &mtime, err), 0);
    assert_int_equal(len, 7);
    assert_memory_equal(body, "{\"a\":1}", 7);
    assert_true(mtime == 2000.0);
}

/* A login shell's startup files may print before the snippet runs. */
static void test_ssh_file_reply_after_login_noise(void **state)
{
    (void)state;
    static const char r[] = "Welcome to node-7\nr1top-file 0 5\nx";
    const char *body;
    size_t len;
    double mtime = -1;
    char err[R1_ERR_MAX];
    assert_int_equal(
        transport_ssh_parse_file(r, sizeof(r) - 1, 100, 50.0, &body, &len, &mtime, err), 0);
    assert_int_equal(len, 1);
    assert_true(mtime == 0.0); /* an mtime of 0 is unknown, not moved */
}

static void test_ssh_file_reply_over_the_cap_or_malformed(void **state)
{
    (void)state;
    const char *body;
    size_t len;
    double mtime;
    char err[R1_ERR_MAX];
    static const char big[] = "r1top-file 1 1\n12345";
    assert_int_equal(
        transport_ssh_parse_file(big, sizeof(big) - 1, 4, 1.0, &body, &len, &mtime, err), 1);
    static const char *const bad[] = {"", "hello\n", "r1top-file 1\nx", "r1top-file x 1\n",
                                      "r1top-file 1 1"};
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++)
        assert_int_equal(
            transport_ssh_parse_file(bad[i], strlen(bad[i]), 100, 1.0, &body, &len, &mtime, err),
            -1);
}

static void test_ssh_dir_reply_files_errors_and_total(void **state)
{
    (void)state;
    static const char r[] = "r1top-dir 100\n"
                            "r1top-f 2 90 b.json\n{}"
                            "r1top-e big a.json\n"
                            "r1top-f 0 95 c d.json\n"
                            "r1top-e budget e.json\n"
                            "r1top-end 300\n";
    struct dirread_result d;
    char err[R1_ERR_MAX];
    assert_int_equal(transport_ssh_parse_dir(r, sizeof(r) - 1, 1100.0, &d, err), 0);
    assert_int_equal(d.n_files, 4);
    assert_int_equal(d.n_total, 300);
    assert_int_equal(d.n_read, 2);
    /* sorted by name as dirread_json sorts */
    assert_string_equal(d.files[0].name, "a.json");
    assert_null(d.files[0].body);
    assert_non_null(strstr(d.files[0].error, "larger than 262144 bytes"));
    assert_string_equal(d.files[1].name, "b.json");
    assert_string_equal(d.files[1].body, "{}");
    assert_true(d.files[1].mtime == 1090.0);
    assert_string_equal(d.files[2].name, "c d.json");
    assert_int_equal(d.files[2].len, 0);
    assert_non_null(d.files[2].body);
    assert_non_null(strstr(d.files[3].error, "not read this pass"));
    dirread_free(&d);
}

/* Cut short anywhere (a killed child, a dropped connection): an error, never a partial list
 * read as the whole folder. */
static void test_ssh_dir_reply_cut_short_is_an_error(void **state)
{
    (void)state;
    static const char r[] = "r1top-dir 100\nr1top-f 5 90 b.json\nabcder1top-end 1\n";
    for (size_t cut = 0; cut < sizeof(r) - 2; cut++) {
        struct dirread_result d;
        char err[R1_ERR_MAX];
        if (transport_ssh_parse_dir(r, cut, 1.0, &d, err) != -1)
            fail_msg("a reply cut at %zu bytes was accepted", cut);
        assert_null(d.files);
    }
    static const char *const bad[] = {
        "r1top-dir 1\nr1top-f 2 1 x.txt\n{}r1top-end 1\n",       /* not *.json */
        "r1top-dir 1\nr1top-f 2 1 .x.json\n{}r1top-end 1\n",     /* hidden */
        "r1top-dir 1\nr1top-f 999999 1 x.json\n{}r1top-end 1\n", /* over the file cap */
        "r1top-dir 1\nr1top-f 2 1 x.json\n{}r1top-end 0\n",      /* fewer in total than listed */
        "r1top-dir 1\nr1top-x\nr1top-end 0\n",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++) {
        struct dirread_result d;
        char err[R1_ERR_MAX];
        assert_int_equal(transport_ssh_parse_dir(bad[i], strlen(bad[i]), 1.0, &d, err), -1);
    }
}

/* ---- docker inspect on the host ---------------------------------------------------------- */

static void test_docker_inspect_array_of_one_is_the_container(void **state)
{
    (void)state;
    static const char r[] = "[{\"State\": {\"Status\": \"running\", \"StartedAt\": "
                            "\"2026-11-20T08:00:00.123456789Z\"}, \"RestartCount\": 3, "
                            "\"Config\": {\"Image\": \"ratio1/edge_node:mainnet\"}}]";
    struct r1_docker d;
    char err[R1_ERR_MAX];
    memset(&d, 0, sizeof(d));
    assert_int_equal(docker_parse_inspect(r, sizeof(r) - 1, &d, err), 0);
    assert_string_equal(d.state, "running");
    assert_int_equal(d.restart_count, 3);
    assert_string_equal(d.image, "ratio1/edge_node:mainnet");
    assert_true(R1_VALID(&d, DOCK_STARTED));
}

static void test_docker_inspect_empty_or_longer_array_is_an_error(void **state)
{
    (void)state;
    struct r1_docker d;
    char err[R1_ERR_MAX];
    memset(&d, 0, sizeof(d));
    strcpy(d.state, "running");
    assert_int_equal(docker_parse_inspect("[]", 2, &d, err), -1);
    assert_non_null(strstr(err, "no such container"));
    static const char two[] = "[{\"State\": {}}, {\"State\": {}}]";
    assert_int_equal(docker_parse_inspect(two, sizeof(two) - 1, &d, err), -1);
    assert_string_equal(d.state, "running"); /* untouched */
}

/* ---- nvidia-smi on the host -------------------------------------------------------------- */

static void test_nvidia_smi_every_gpu_and_unknown_figures(void **state)
{
    (void)state;
    static const char r[] =
        "0, NVIDIA GeForce RTX 4090, 37, 10240, 24564, 61, 212.34\n"
        "1, NVIDIA A100-SXM4-80GB, [N/A], 1024, 81920, [N/A], [Not Supported]\n";
    struct r1_gpu g[R1_GPU_MAX];
    int n = -1;
    char err[R1_ERR_MAX];
    memset(g, 0, sizeof(g));
    assert_int_equal(gpu_parse_nvidia_smi(r, sizeof(r) - 1, g, R1_GPU_MAX, &n, 50.0, err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(g[0].name, "NVIDIA GeForce RTX 4090");
    assert_true(g[0].util_pct == 37.0);
    assert_true(g[0].mem_used_bytes == 10240.0 * 1048576.0); /* MiB */
    assert_true(g[0].mem_total_bytes == 24564.0 * 1048576.0);
    assert_true(g[0].temp_c == 61.0);
    assert_true(fabs(g[0].power_mw - 212340.0) < 1e-6); /* W */
    assert_int_equal(g[0].util_hist.n, 1);
    assert_true(R1_VALID(&g[1], GPU_NAME) && R1_VALID(&g[1], GPU_MEM));
    assert_false(R1_VALID(&g[1], GPU_UTIL));
    assert_false(R1_VALID(&g[1], GPU_TEMP));
    assert_false(R1_VALID(&g[1], GPU_POWER));
    assert_true(g[1].meta.updated_at == 50.0);
}

/* A name with a comma (nvidia-smi does not quote) keeps the columns after it in place. */
static void test_nvidia_smi_name_with_a_comma(void **state)
{
    (void)state;
    static const char r[] = "0, Odd, Name, 5, 1, 2, 3, 4\r\n";
    struct r1_gpu g[R1_GPU_MAX];
    int n = 0;
    char err[R1_ERR_MAX];
    memset(g, 0, sizeof(g));
    assert_int_equal(gpu_parse_nvidia_smi(r, sizeof(r) - 1, g, R1_GPU_MAX, &n, 1.0, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(g[0].name, "Odd, Name");
    assert_true(g[0].util_pct == 5.0 && g[0].temp_c == 3.0);
}

static void test_nvidia_smi_bad_reply_keeps_previous_values(void **state)
{
    (void)state;
    struct r1_gpu g[R1_GPU_MAX];
    int n = 7;
    char err[R1_ERR_MAX];
    memset(g, 0, sizeof(g));
    strcpy(g[0].name, "kept");
    static const char *const bad[] = {
        "0, A, 1, 2, 3, 4, 5\nNVIDIA-SMI has failed because it couldn't communicate\n",
        "x, A, 1, 2, 3, 4, 5\n",
        "0, A, 1, 2\n",
    };
    for (size_t i = 0; i < R1_ARRAY_LEN(bad); i++) {
        assert_int_equal(gpu_parse_nvidia_smi(bad[i], strlen(bad[i]), g, R1_GPU_MAX, &n, 1, err),
                         -1);
        assert_string_equal(g[0].name, "kept");
        assert_int_equal(n, 7);
    }
    /* out of range is unknown, not clamped: 101 %, used over total, -5 C */
    static const char odd[] = "0, A, 101, 30, 20, -5, 99999\n";
    assert_int_equal(gpu_parse_nvidia_smi(odd, sizeof(odd) - 1, g, R1_GPU_MAX, &n, 1, err), 0);
    assert_int_equal(g[0].meta.valid, 1u << GPU_NAME);
}

static void test_nvidia_smi_missing_on_the_host_is_no_gpus(void **state)
{
    (void)state;
    struct r1_gpu g[R1_GPU_MAX];
    int n = 3;
    char err[R1_ERR_MAX];
    const char *r = TRANSPORT_SSH_NO_NVIDIA_SMI "\n";
    assert_int_equal(gpu_parse_nvidia_smi(r, strlen(r), g, R1_GPU_MAX, &n, 1.0, err), 0);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ssh_url_alias_with_a_folder),
        cmocka_unit_test(test_ssh_url_user_host_port_and_a_file),
        cmocka_unit_test(test_ssh_url_commands),
        cmocka_unit_test(test_ssh_url_action_and_unit_commands),
        cmocka_unit_test(test_ssh_url_action_commands_refuse_odd_names),
        cmocka_unit_test(test_ssh_url_exec_and_logs),
        cmocka_unit_test(test_ssh_url_exec_and_logs_refuse_what_is_not_plain),
        cmocka_unit_test(test_ssh_host_url_is_local_without_ssh),
        cmocka_unit_test(test_ssh_url_refuses_options_and_odd_names),
        cmocka_unit_test(test_ssh_file_reply_mtime_on_this_hosts_clock),
        cmocka_unit_test(test_ssh_file_reply_after_login_noise),
        cmocka_unit_test(test_ssh_file_reply_over_the_cap_or_malformed),
        cmocka_unit_test(test_ssh_dir_reply_files_errors_and_total),
        cmocka_unit_test(test_ssh_dir_reply_cut_short_is_an_error),
        cmocka_unit_test(test_docker_inspect_array_of_one_is_the_container),
        cmocka_unit_test(test_docker_inspect_empty_or_longer_array_is_an_error),
        cmocka_unit_test(test_nvidia_smi_every_gpu_and_unknown_figures),
        cmocka_unit_test(test_nvidia_smi_name_with_a_comma),
        cmocka_unit_test(test_nvidia_smi_bad_reply_keeps_previous_values),
        cmocka_unit_test(test_nvidia_smi_missing_on_the_host_is_no_gpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
