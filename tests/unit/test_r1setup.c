/* test_r1setup: reading r1setup's inventory (tests/data/r1setup/, fake passwords that all
 * contain "FAKE"): the hosts and the few variables kept, the SSH URLs they become, what an
 * import leaves out and why, the report, and the command line that asks for it. No password
 * may appear in anything r1top keeps or prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "config_append.h"
#include "r1setup.h"

#define HOME R1_TEST_DATA "/r1setup/home"
#define R1SETUP R1_TEST_DATA "/r1setup/home/.ratio1/r1_setup/"

static bool holds(const void *mem, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp((const char *)mem + i, needle, n) == 0)
            return true;
    return false;
}

static struct r1setup_host *parse_fixture(const char *dir, const char *file, size_t *n)
{
    size_t len;
    char err[R1_ERR_MAX] = "";
    char *buf = test_fixture(dir, file, &len);
    struct r1setup_host *hosts = NULL;
    int rc = r1setup_parse_inventory(buf, len, file, &hosts, n, err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    free(buf);
    return hosts;
}

static const struct r1setup_host *find(const struct r1setup_host *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(h[i].name, name) == 0)
            return &h[i];
    fail_msg("no host %s", name);
    return NULL;
}

static void test_r1setup_active_config_names_the_inventory(void **state)
{
    size_t len;
    char name[R1_NAME_MAX], env[16], err[R1_ERR_MAX];
    char *buf = test_fixture(R1SETUP, "active_config.json", &len);
    assert_int_equal(r1setup_parse_active(buf, len, name, sizeof(name), env, sizeof(env), err), 0);
    assert_string_equal(name, "rack-a");
    assert_string_equal(env, "mainnet");
    free(buf);
    /* a config_name that would leave configs/ is refused */
    const char *bad = "{\"config_name\": \"../../.ssh/id_ed25519\"}";
    assert_int_equal(
        r1setup_parse_active(bad, strlen(bad), name, sizeof(name), env, sizeof(env), err), -1);
    assert_non_null(strstr(err, "no usable config_name"));
}

static void test_r1setup_inventory_keeps_only_host_user_port_volume_status(void **state)
{
    size_t n;
    struct r1setup_host *h = parse_fixture(R1SETUP "configs/", "rack-a.yml", &n);
    assert_int_equal(n, 6);
    const struct r1setup_host *a = find(h, n, "gpu-alpha");
    assert_string_equal(a->host, "203.0.113.10");
    assert_string_equal(a->user, "ubuntu");
    assert_int_equal(a->port, 22);
    assert_string_equal(a->volume, "/var/cache/edge_node/_local_cache");
    assert_string_equal(a->node_status, "running");
    const struct r1setup_host *b = find(h, n, "cpu-beta");
    assert_string_equal(b->user, "root");
    assert_int_equal(b->port, 2222);
    const struct r1setup_host *e = find(h, n, "edge-one");
    assert_string_equal(e->host, "2001:db8::20");
    assert_string_equal(e->volume, "/var/cache/edge_node_edge_one/_local_cache");
    /* a password typed into ansible_host: a problem in words, the value not quoted */
    const struct r1setup_host *t = find(h, n, "typo-delta");
    assert_string_equal(t->host, "");
    assert_non_null(strstr(t->problem, "ansible_host is not a host name"));
    /* not one byte of any password is kept */
    assert_false(holds(h, n * sizeof(*h), "FAKE"));
    assert_false(holds(h, n * sizeof(*h), "pass-"));
    free(h);
}

/* Hosts under all.hosts and nested children; a host in two groups is one host. */
static void test_r1setup_inventory_groups_and_repeated_hosts(void **state)
{
    size_t n;
    struct r1setup_host *h = parse_fixture(R1_TEST_DATA "/r1setup/", "inventory_groups.yml", &n);
    assert_int_equal(n, 3);
    const struct r1setup_host *a1 = find(h, n, "a1");
    assert_int_equal(a1->port, 2201);                /* written as a string */
    assert_string_equal(a1->node_status, "running"); /* from the second group */
    assert_string_equal(find(h, n, "solo")->host, "solo.example.net");
    assert_string_equal(find(h, n, "bare")->host, "");
    assert_false(holds(h, n * sizeof(*h), "FAKE"));
    free(h);
}

static void test_r1setup_inventory_that_is_not_yaml_is_an_error(void **state)
{
    struct r1setup_host *h;
    size_t n;
    char err[R1_ERR_MAX];
    const char *bad = "all:\n  hosts: [\n";
    assert_int_equal(r1setup_parse_inventory(bad, strlen(bad), "x.yml", &h, &n, err), -1);
    assert_non_null(strstr(err, "x.yml:"));
    const char *list = "- a\n- b\n";
    assert_int_equal(r1setup_parse_inventory(list, strlen(list), "x.yml", &h, &n, err), -1);
    assert_non_null(strstr(err, "not an Ansible inventory"));
}

static void test_r1setup_hosts_become_ssh_status_urls(void **state)
{
    size_t n;
    char err[R1_ERR_MAX];
    struct r1_node_cfg nc;
    struct r1setup_host *h = parse_fixture(R1SETUP "configs/", "rack-a.yml", &n);
    assert_int_equal(r1setup_node_cfg(find(h, n, "gpu-alpha"), &nc, err), 0);
    assert_string_equal(nc.name, "gpu-alpha");
    assert_string_equal(nc.status_url,
                        "ssh://ubuntu@203.0.113.10:22/var/cache/edge_node/_local_cache/_data/");
    assert_int_equal(r1setup_node_cfg(find(h, n, "edge-one"), &nc, err), 0);
    assert_string_equal(nc.status_url,
                        "ssh://ops@[2001:db8::20]:22/var/cache/edge_node_edge_one/_local_cache/"
                        "_data/");
    assert_string_equal(nc.container, "edge_node_edge_one"); /* docker inspect on its host */
    assert_int_equal(r1setup_node_cfg(find(h, n, "typo-delta"), &nc, err), -1);
    free(h);
    h = parse_fixture(R1_TEST_DATA "/r1setup/", "inventory_groups.yml", &n);
    /* no user, no port, no volume: ssh's defaults and the standard install's folder */
    assert_int_equal(r1setup_node_cfg(find(h, n, "solo"), &nc, err), 0);
    assert_string_equal(nc.status_url,
                        "ssh://solo.example.net/var/cache/edge_node/_local_cache/_data/");
    assert_int_equal(r1setup_node_cfg(find(h, n, "a1"), &nc, err), 0);
    assert_string_equal(nc.status_url, "ssh://r1@a1.example.net:2201/srv/ratio1/a1/_local_cache/"
                                       "_data/");
    assert_int_equal(r1setup_node_cfg(find(h, n, "bare"), &nc, err), -1);
    assert_string_equal(err, "no ansible_host");
    free(h);
}

static void test_r1setup_load_reads_the_active_inventory(void **state)
{
    struct r1setup_inventory inv;
    char err[R1_ERR_MAX] = "";
    int rc = r1setup_load(HOME, &inv, err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(inv.config_name, "rack-a");
    assert_non_null(strstr(inv.path, "/.ratio1/r1_setup/configs/rack-a.yml"));
    assert_int_equal(inv.n_hosts, 6);
    r1setup_free(&inv);
    assert_int_equal(r1setup_load(R1_TEST_DATA "/nowhere", &inv, err), -1);
    assert_non_null(strstr(err, "no r1setup inventory here"));
}

/* Without active_config.json, the link r1setup keeps to the active inventory is read. */
static void test_r1setup_load_falls_back_to_the_hosts_link(void **state)
{
    char home[] = "/tmp/r1top-r1setup-XXXXXX", dir[PATH_MAX], link[PATH_MAX + 16],
         cmd[PATH_MAX * 2];
    assert_non_null(mkdtemp(home));
    snprintf(dir, sizeof(dir),
             "%s/.ratio1/ansible_config/collections/ansible_collections/ratio1/multi_node_launcher",
             home);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(link, sizeof(link), "%s/hosts.yml", dir);
    assert_int_equal(symlink(R1SETUP "configs/rack-a.yml", link), 0);
    struct r1setup_inventory inv;
    char err[R1_ERR_MAX] = "";
    assert_int_equal(r1setup_load(home, &inv, err), 0);
    assert_int_equal(inv.n_hosts, 6);
    assert_string_equal(inv.config_name, "");
    r1setup_free(&inv);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
    assert_int_equal(system(cmd), 0);
}

static void load_cfg(struct r1_config *cfg, const char *yaml)
{
    char err[R1_ERR_MAX];
    config_defaults(cfg);
    assert_int_equal(config_load_buffer(cfg, yaml, strlen(yaml), "c.yaml", err), 0);
}

static void test_r1setup_plan_leaves_out_deleted_broken_and_known_nodes(void **state)
{
    struct r1setup_inventory inv;
    char err[R1_ERR_MAX];
    assert_int_equal(r1setup_load(HOME, &inv, err), 0);
    struct r1_config cfg;
    load_cfg(&cfg, "nodes:\n  - name: my-alpha\n    status: "
                   "ssh://ubuntu@203.0.113.10:22/var/cache/edge_node/_local_cache/_data/\n");
    struct r1setup_plan plan;
    r1setup_plan(&inv, &cfg, &plan);
    assert_int_equal(plan.n_nodes, 3);
    assert_string_equal(plan.nodes[0].name, "cpu-beta");
    assert_string_equal(plan.nodes[1].name, "edge-one");
    assert_string_equal(plan.nodes[2].name, "edge-two");
    assert_int_equal(plan.n_notes, 3);
    assert_string_equal(plan.notes[0], "gpu-alpha: already in the config (as 'my-alpha')");
    assert_string_equal(plan.notes[1], "old-gamma: deleted in r1setup");
    assert_string_equal(plan.notes[2], "typo-delta: ansible_host is not a host name or IP address");
    r1setup_plan_free(&plan);
    config_free(&cfg);
    r1setup_free(&inv);
}

/* The report is YAML a person can paste, it loads as a config, and holds no password. */
static void test_r1setup_report_loads_as_config_and_holds_no_password(void **state)
{
    struct r1setup_inventory inv;
    char err[R1_ERR_MAX];
    assert_int_equal(r1setup_load(HOME, &inv, err), 0);
    struct r1_config cfg;
    load_cfg(&cfg, "network: testnet\n");
    struct r1setup_plan plan;
    r1setup_plan(&inv, &cfg, &plan);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    r1setup_print(out, &inv, &cfg, &plan);
    fclose(out);
    assert_false(holds(text, len, "FAKE"));
    assert_false(holds(text, len, "pass-"));
    assert_non_null(strstr(text, "# left out: old-gamma: deleted in r1setup\n"));
    assert_non_null(strstr(text, "r1setup deploys to mainnet but r1top watches testnet"));
    assert_non_null(strstr(text, "nodes:\n  - name: gpu-alpha\n    status: ssh://ubuntu@"
                                 "203.0.113.10:22/var/cache/edge_node/_local_cache/_data/\n"
                                 "    docker:\n      container: edge_node\n"));
    struct r1_config back;
    config_defaults(&back);
    int rc = config_load_buffer(&back, text, len, "report", err);
    if (rc)
        print_error("%s\n%s\n", err, text);
    assert_int_equal(rc, 0);
    assert_int_equal(back.n_nodes, 4);
    assert_string_equal(back.nodes[3].status_url, plan.nodes[3].status_url);
    assert_string_equal(back.nodes[3].container, "edge_node_edge_two");
    /* and the same entries append to a config through config_append */
    struct config_append_edit e;
    const char *mine = "network: mainnet\nnodes:\n  - name: home\n    status: /srv/n/_data/\n";
    assert_int_equal(
        config_append_plan(mine, strlen(mine), plan.nodes, plan.n_nodes, "c.yaml", &e, err), 0);
    config_append_edit_free(&e);
    config_free(&back);
    free(text);
    r1setup_plan_free(&plan);
    config_free(&cfg);
    r1setup_free(&inv);
}

/* ---- the command line ----------------------------------------------------------------- */

static int parse(struct r1_cli *cli, char *err, int argc, ...)
{
    static char *argv[16];
    va_list ap;
    va_start(ap, argc);
    argv[0] = "r1top";
    for (int i = 1; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    err[0] = '\0';
    return cli_parse(argc, argv, cli, err);
}

static void test_r1setup_cli_import_prints_and_writes_only_when_asked(void **state)
{
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(parse(&cli, err, 2, "--import-r1setup"), 0);
    assert_int_equal(cli.mode, R1_MODE_IMPORT);
    assert_false(cli.write);
    assert_int_equal(parse(&cli, err, 6, "--import-r1setup", "--write", "--yes", "-c", "x.yaml"),
                     0);
    assert_int_equal(cli.mode, R1_MODE_IMPORT);
    assert_true(cli.write);
    assert_true(cli.yes);
    assert_string_equal(cli.config_path, "x.yaml");
}

static void test_r1setup_cli_import_combinations_that_cannot_work(void **state)
{
    struct r1_cli cli;
    char err[R1_ERR_MAX];
    assert_int_equal(parse(&cli, err, 2, "--write"), -1);
    assert_non_null(strstr(err, "--write goes with --import-r1setup"));
    assert_int_equal(parse(&cli, err, 3, "--import-r1setup", "--yes"), -1);
    assert_non_null(strstr(err, "--yes"));
    assert_int_equal(parse(&cli, err, 3, "--import-r1setup", "--once"), -1);
    assert_int_equal(parse(&cli, err, 3, "--import-r1setup", "--demo"), -1);
    assert_int_equal(parse(&cli, err, 3, "--import-r1setup", "whoami"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r1setup_active_config_names_the_inventory),
        cmocka_unit_test(test_r1setup_inventory_keeps_only_host_user_port_volume_status),
        cmocka_unit_test(test_r1setup_inventory_groups_and_repeated_hosts),
        cmocka_unit_test(test_r1setup_inventory_that_is_not_yaml_is_an_error),
        cmocka_unit_test(test_r1setup_hosts_become_ssh_status_urls),
        cmocka_unit_test(test_r1setup_load_reads_the_active_inventory),
        cmocka_unit_test(test_r1setup_load_falls_back_to_the_hosts_link),
        cmocka_unit_test(test_r1setup_plan_leaves_out_deleted_broken_and_known_nodes),
        cmocka_unit_test(test_r1setup_report_loads_as_config_and_holds_no_password),
        cmocka_unit_test(test_r1setup_cli_import_prints_and_writes_only_when_asked),
        cmocka_unit_test(test_r1setup_cli_import_combinations_that_cannot_work),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
