/* main: wires the command line, the config, the loop and the frontend together. The only
 * place that exits: every module returns errors as values and main turns them into a message
 * on stderr and an exit status (0 ok, 1 a source failed (--once) / verify failed, 2 usage or
 * config error). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "app.h"
#include "autoconf.h"
#include "cli.h"
#include "config.h"
#include "config_append.h"
#include "export/snapshot.h"
#include "manage.h"
#include "r1setup.h"
#include "trust/identity.h"
#include "trust/trust.h"
#include "ui.h"
#include "util.h"

enum { EXIT_OK = 0, EXIT_SOURCE_FAILED = 1, EXIT_USAGE = 2 };

/* An explicit --config must exist; the default path is optional (no file = defaults and
 * local discovery). The user's file is only ever read. */
static int load_config(const struct r1_cli *cli, struct r1_config *cfg, char *err)
{
    config_defaults(cfg);
    if (cli->config_path)
        return config_load(cfg, cli->config_path, err);
    return config_load_default(cfg, err);
}

/* D14: output a script cannot read is a failure: every write and the final close of stdout
 * are checked (a full disk, a closed pipe). */
static bool stdout_was_closed;

/* A closed stdout would be reused by the next open() (a socket, the config file) and the report
 * written into it: hold its place with /dev/null, and fail the report at the end (D14). */
static void guard_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        if (fd == STDOUT_FILENO)
            stdout_was_closed = true;
        int nul = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (nul >= 0 && nul != fd) {
            dup2(nul, fd);
            close(nul);
        }
    }
}

/* write_errno: the errno of a write that already failed (0 = none), so the message names the
 * first cause (a broken pipe, a full disk), not whatever the flush says after it. */
static int finish_stdout(int write_errno)
{
    if (stdout_was_closed) {
        fprintf(stderr, "r1top: cannot write the report: standard output is closed\n");
        return -1;
    }
    errno = 0;
    bool bad = fflush(stdout) != 0 || ferror(stdout);
    int e = write_errno ? write_errno : errno;
    if (fclose(stdout) != 0 && !e)
        e = errno;
    if (bad || e) {
        fprintf(stderr, "r1top: cannot write the report to standard output: %s\n",
                strerror(e ? e : EIO));
        return -1;
    }
    return 0;
}

static int run_once(struct r1_app *app, const struct r1_cli *cli)
{
    double timeout = cli->timeout_s > 0 ? cli->timeout_s : 15.0;
    int failed = app_once(app, timeout);
    double now = r1_now();
    int wrote = 0;
    errno = 0;
    if (cli->json) {
        char *doc = snapshot_json(&app->fleet, now);
        if (!doc || fputs(doc, stdout) == EOF || fputc('\n', stdout) == EOF)
            wrote = -1;
        free(doc);
    } else {
        wrote = snapshot_text(stdout, &app->fleet, now);
    }
    if (finish_stdout(wrote < 0 ? errno : 0) < 0 || wrote < 0)
        return EXIT_SOURCE_FAILED;
    if (app->interrupted) {
        fprintf(stderr, "r1top: interrupted before every source answered\n");
        return EXIT_SOURCE_FAILED;
    }
    if (app->fleet.n_nodes == 0)
        return EXIT_SOURCE_FAILED;
    return failed > 0 ? EXIT_SOURCE_FAILED : EXIT_OK;
}

/* r1top restart NODE [--yes]: the same table, checks and log as the keys. Without --yes it asks
 * on a terminal and refuses without one: a script never restarts a node by accident. */
/* What a reading action read, on stdout: the allowed list as a table, the apps as docker ps
 * printed them, the log lines not printed yet (*printed counts the log's lines so far). */
static void print_read(const struct r1_fleet *f, const struct r1_node *n,
                       const struct r1_action *a, uint64_t *printed)
{
    const struct r1_manage *m = n->mng;
    if (!m)
        return;
    if (a->id == R1_ACT_LOGS || a->id == R1_ACT_NODE_LOG) {
        const struct r1_logbuf *lb = a->id == R1_ACT_LOGS ? &m->logs : &m->file_log;
        uint64_t fresh = lb->total - *printed;
        size_t from = fresh < lb->n ? lb->n - (size_t)fresh : 0;
        for (size_t i = from; i < lb->n; i++)
            printf("%s\n", logbuf_line(lb, i));
        *printed = lb->total;
    } else if (a->id == R1_ACT_APPS) {
        fputs(m->apps ? m->apps : "", stdout);
    } else if (a->id == R1_ACT_ALLOWED) {
        printf("%-49s  %-15s  %-42s  %s\n", "ADDRESS", "ALIAS", "ETH", "NOTE");
        for (size_t i = 0; i < m->allowed.n; i++) {
            const struct r1_allowed_entry *e = &m->allowed.v[i];
            if (!e->valid) {
                printf("%-49s  %-15s  %-42s  INVALID: %s\n", "-", "-", "-", e->text);
                continue;
            }
            printf("%-49s  %-15s  %-42s  %s\n", e->addr, e->alias[0] ? e->alias : "-",
                   e->eth[0] ? e->eth : "-",
                   e->is_me ? "r1top (this key)" : e->oracle ? "oracle (managed by the network)" : "-");
        }
        if (f->me_addr[0])
            printf("# r1top's key %s is %sin this list%s\n", f->me_addr,
                   m->allowed.me_listed ? "" : "NOT ",
                   m->allowed.me_listed ? "" : ": r1top allow NODE ADDRESS adds it");
    }
}

/* r1top's own identity, when it has one, so the allowed list can say whether it is there.
 * Quiet: a missing key is the usual case and no error (r1top keygen makes one). */
static void load_me(struct r1_app *app, const char *identity_path)
{
    char path[R1_URL_MAX], err[R1_ERR_MAX], eth[ETH_ADDR_BUF];
    unsigned char sk[32];
    if (identity_path)
        r1_strlcpy(path, identity_path, sizeof(path));
    else if (identity_default_path(path, sizeof(path), err) < 0)
        return;
    if (access(path, R_OK) != 0 || identity_load(path, sk, err) < 0)
        return;
    if (identity_names(sk, app->fleet.me_addr, eth, err) < 0)
        app->fleet.me_addr[0] = '\0';
    explicit_bzero(sk, sizeof(sk));
}

static int run_act(struct r1_app *app, const struct r1_cli *cli)
{
    const struct r1_action *a = actions_get(cli->action);
    struct r1_node *n = app_find_node(app, cli->args[0]);
    if (!a)
        return EXIT_USAGE;
    if (!n) {
        fprintf(stderr, "r1top: no node '%s' in the config (or more than one matches); "
                        "give its name, alias or address\n", cli->args[0]);
        return EXIT_USAGE;
    }
    /* logs of a node with no container on this host: its own log file, when its files are */
    if (a->id == R1_ACT_LOGS &&
        actions_check(a, n, cli->readonly, true) == R1_ACT_NO_BACKEND &&
        actions_check(actions_get(R1_ACT_NODE_LOG), n, cli->readonly, true) == R1_ACT_OK)
        a = actions_get(R1_ACT_NODE_LOG);
    /* the operands after NODE, as the intent carries them; logs: the lines to read */
    char cli_arg[R1_ACT_ARG_MAX] = "", err[R1_ERR_MAX];
    for (int i = 1; i < cli->n_args; i++)
        snprintf(cli_arg + strlen(cli_arg), sizeof(cli_arg) - strlen(cli_arg), "%s%s",
                 i > 1 ? " " : "", cli->args[i]);
    if ((a->id == R1_ACT_LOGS || a->id == R1_ACT_NODE_LOG) && cli->lines > 0)
        snprintf(cli_arg, sizeof(cli_arg), "%ld", cli->lines);
    if (a->exec && actions_check_arg(a, cli_arg, err) < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        return EXIT_USAGE;
    }
    bool confirmed = cli->yes || !a->confirm;
    if (!confirmed && !cli->readonly) {
        if (!isatty(STDIN_FILENO)) {
            fprintf(stderr, "r1top: %s needs a yes: not asking without a terminal; add --yes\n",
                    a->name);
            return EXIT_SOURCE_FAILED;
        }
        char q[R1_ERR_MAX * 2], answer[16] = ""; /* the question and the path it takes */
        actions_question_node(a, n, cli_arg, q, sizeof(q));
        fprintf(stderr, "%s [y/N] ", q);
        confirmed = fgets(answer, sizeof(answer), stdin) && (answer[0] == 'y' || answer[0] == 'Y');
    }
    int rc = app_act_once(app, n->id, a->id, confirmed, cli_arg, 90.0);
    uint64_t printed = 0;
    if (rc == 0 && a->id == R1_ACT_NODE_LOG)
        fprintf(stderr, "r1top: %s: no container on this host; the node's log file %s\n",
                n->name, n->mng->file_pos.path);
    if (rc == 0 && !a->changes_node)
        print_read(&app->fleet, n, a, &printed);
    else
        printf("%s: %s\n", n->name, n->act.result);
    /* -f: the lines that came since, once a second, until a signal (or a failure) */
    while (rc == 0 && (a->id == R1_ACT_LOGS || a->id == R1_ACT_NODE_LOG) && cli->follow &&
           !app->interrupted) {
        fflush(stdout);
        if (!app_sleep(app, 1.0))
            break;
        rc = app_act_once(app, n->id, a->id, true, cli_arg, 90.0);
        if (rc != 0 && app->interrupted) {
            rc = 0;   /* a signal during a read ends -f as one between reads does */
            break;
        }
        if (rc == 0)
            print_read(&app->fleet, n, a, &printed);
        else
            fprintf(stderr, "r1top: %s: %s\n", n->name, n->act.result);
    }
    if (finish_stdout(0) < 0)
        return EXIT_SOURCE_FAILED;
    return rc == 0 ? EXIT_OK : EXIT_SOURCE_FAILED;
}

static void set_result(struct r1_action_status *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The result line, cut to its field (the log and the screen show it whole up to there). */
static void set_result(struct r1_action_status *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->result, sizeof(st->result), fmt, ap);
    va_end(ap);
}

/* --import-r1setup --write: the nodes appended by the same code and checks as the w key, after
 * a question on a terminal (or --yes), refused under --readonly, logged. The outcome goes to
 * stdout as a YAML comment (stdout stays a config fragment), failures to stderr. */
static int import_write(const struct r1_cli *cli, const char *path, const struct r1setup_plan *plan)
{
    const struct r1_action *a = actions_get(R1_ACT_SAVE_NODES);
    char err[R1_ERR_MAX], what[R1_ERR_MAX];
    if (plan->n_nodes == 0) {
        printf("# nothing to add to %s\n", path);
        return EXIT_OK;
    }
    config_append_describe(plan->nodes, plan->n_nodes, path, what, sizeof(what));
    bool confirmed = cli->yes;
    if (!confirmed && !cli->readonly) {
        if (!isatty(STDIN_FILENO)) {
            fprintf(stderr, "r1top: %s needs a yes: not asking without a terminal; add --yes\n",
                    a->name);
            return EXIT_SOURCE_FAILED;
        }
        char q[R1_ERR_MAX * 2], answer[16] = "";
        actions_question(a, what, NULL, q, sizeof(q));
        fflush(stdout);
        fprintf(stderr, "%s [y/N] ", q);
        confirmed = fgets(answer, sizeof(answer), stdin) && (answer[0] == 'y' || answer[0] == 'Y');
    }
    struct r1_action_status st = {
        .action = (int)a->id, .state = R1_ACTST_RUNNING, .started_at = r1_now()};
    r1_strlcpy(st.path, "config file", sizeof(st.path));
    enum r1_act_refusal why = actions_check(a, NULL, cli->readonly, confirmed);
    if (why != R1_ACT_OK) {
        st.state = R1_ACTST_REFUSED;
        set_result(&st, "%s: %s", a->name, actions_refusal_text(why));
        if (actions_log_status("-", a, &st, "refused", r1_now(), err) < 0)
            fprintf(stderr, "r1top: %s\n", err);
        fprintf(stderr, "r1top: %s\n", st.result);
        return EXIT_SOURCE_FAILED;
    }
    set_result(&st, "%s: adding %s", a->name, what);
    if (actions_log_status("-", a, &st, "start", r1_now(), err) < 0)
        fprintf(stderr, "r1top: %s\n", err);
    int rc = config_append_file(path, plan->nodes, plan->n_nodes, err);
    st.state = rc == 0 ? R1_ACTST_OK : R1_ACTST_FAILED;
    st.finished_at = r1_now();
    if (rc == 0)
        set_result(&st, "%s: added %s", a->name, what);
    else
        set_result(&st, "%s failed: %s", a->name, err);
    char lerr[R1_ERR_MAX];
    if (actions_log_status("-", a, &st, "end", r1_now(), lerr) < 0)
        fprintf(stderr, "r1top: %s\n", lerr);
    if (rc < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        return EXIT_SOURCE_FAILED;
    }
    printf("# added %s\n", what);
    return EXIT_OK;
}

/* r1top --import-r1setup [--write]: r1setup's hosts as nodes: entries on stdout; nothing is
 * written without --write. No inventory is a usage error (2). */
static int run_import(const struct r1_cli *cli, const struct r1_config *cfg)
{
    char err[R1_ERR_MAX], path[R1_URL_MAX] = "";
    struct r1setup_inventory inv;
    if (r1setup_load(getenv("HOME"), &inv, err) < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        r1setup_free(&inv);
        return EXIT_USAGE;
    }
    if (cfg->path[0])
        r1_strlcpy(path, cfg->path, sizeof(path));
    else
        config_default_path(path, sizeof(path));
    struct r1setup_plan plan;
    r1setup_plan(&inv, cfg, &plan);
    r1setup_print(stdout, &inv, cfg, &plan);
    int rc = EXIT_OK;
    if (cli->write && !path[0]) {
        fprintf(stderr, "r1top: no config file to write to (HOME is not set); use -c FILE\n");
        rc = EXIT_USAGE;
    } else if (cli->write) {
        rc = import_write(cli, path, &plan);
    } else if (plan.n_nodes > 0) {
        printf("# nothing was written; r1top --import-r1setup --write adds them to %s\n",
               path[0] ? path : "the config file");
    }
    r1setup_plan_free(&plan);
    r1setup_free(&inv);
    if (finish_stdout(0) < 0)
        return EXIT_SOURCE_FAILED;
    return rc;
}

static int run_ui(struct r1_app *app, const struct r1_cli *cli, const struct r1_config *cfg)
{
    char err[R1_ERR_MAX] = "";
    struct r1_ui *ui = NULL;
    struct r1_ui_opts opts = {
        .no_color = cli->no_color,
        .readonly = cli->readonly,
        .delay_s = cfg->ui_delay_s,
    };
    if (ui_start(&ui, &opts, err) < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        return EXIT_USAGE;
    }
    struct r1_frontend fe = {
        .ctx = ui,
        .input_fd = ui_input_fd(ui),
        .on_input = ui_on_input,
        .on_resize = ui_on_resize,
        .draw = ui_draw,
    };
    int rc = app_run(app, &fe, err);
    ui_stop(ui);
    if (rc < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        return EXIT_SOURCE_FAILED;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    struct r1_cli cli;
    char err[R1_ERR_MAX] = "";
    guard_std_fds();
    if (cli_parse(argc, argv, &cli, err) < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        return EXIT_USAGE;
    }
    if (getenv("NO_COLOR") && getenv("NO_COLOR")[0])
        cli.no_color = true;

    switch (cli.mode) {
    case R1_MODE_HELP:
        cli_usage(stdout);
        return EXIT_OK;
    case R1_MODE_VERSION:
        printf("r1top %s\n", PACKAGE_VERSION);
        return EXIT_OK;
    case R1_MODE_KEYS:
        ui_print_keys(stdout);
        return EXIT_OK;
    case R1_MODE_KEYGEN:
        if (trust_cmd_keygen(cli.args[0], stdout, err) < 0) {
            fprintf(stderr, "r1top: %s\n", err);
            return EXIT_SOURCE_FAILED;
        }
        return EXIT_OK;
    case R1_MODE_WHOAMI:
        if (trust_cmd_whoami(cli.identity_path, stdout, err) < 0) {
            fprintf(stderr, "r1top: %s\n", err);
            return EXIT_SOURCE_FAILED;
        }
        return EXIT_OK;
    default:
        break;
    }

    struct r1_config cfg;
    if (load_config(&cli, &cfg, err) < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        fprintf(stderr, "r1top: not starting with a broken config (it was not modified).\n");
        config_free(&cfg);
        return EXIT_USAGE;
    }
    if (cfg.warning[0])
        fprintf(stderr, "r1top: warning: %s\n", cfg.warning);
    if (cli.delay_s > 0)
        cfg.ui_delay_s = cli.delay_s;
    if (cli.identity_path) /* --identity wins over remote.identity */
        r1_strlcpy(cfg.identity_file, cli.identity_path, sizeof(cfg.identity_file));

    if (cli.mode == R1_MODE_IMPORT) {
        int rc = run_import(&cli, &cfg);
        config_free(&cfg);
        return rc;
    }
    if (cli.mode == R1_MODE_VERIFY) {
        int rc = trust_cmd_verify(cli.n_args, cli.args, cfg.net, cfg.trusted_oracles,
                                  cfg.n_trusted_oracles, stdout);
        config_free(&cfg);
        return rc == 0 ? EXIT_OK : EXIT_SOURCE_FAILED;
    }

    struct r1_app app;
    if (app_init(&app, &cfg, cli.demo, err) < 0) {
        fprintf(stderr, "r1top: %s\n", err);
        config_free(&cfg);
        return EXIT_USAGE;
    }
    app.readonly = cli.readonly;
    if (cli.mode != R1_MODE_ONCE)
        load_me(&app, cli.identity_path);
    int rc = cli.mode == R1_MODE_ONCE  ? run_once(&app, &cli)
             : cli.mode == R1_MODE_ACT ? run_act(&app, &cli)
                                       : run_ui(&app, &cli, &cfg);
    app_free(&app);
    config_free(&cfg);
    return rc;
}
