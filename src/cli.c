/* cli: the option and command tables, a reentrant parser over them, and the --help text.
 * Not getopt_long: its state lives in globals (optind, optarg) and it prints its own errors,
 * and cli_parse must be callable again and again (tests) and speak in one voice (err).
 * Options may come before or after the command and its operands; "--" ends the options. */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "util.h"

enum cli_opt_id {
    OPT_DEMO, OPT_ONCE, OPT_JSON, OPT_TIMEOUT, OPT_CONFIG, OPT_DELAY, OPT_NO_COLOR,
    OPT_READONLY, OPT_IDENTITY, OPT_HELP, OPT_VERSION, OPT_KEYS, OPT_YES, OPT_IMPORT, OPT_WRITE,
    OPT_LINES, OPT_FOLLOW,
};

struct cli_option {
    const char *name;       /* long name, without "--" */
    char short_name;        /* 0: long only */
    const char *arg;        /* the value's placeholder; NULL for a flag */
    enum cli_opt_id id;
    const char *help;       /* one line for --help; NULL hides the option */
};

static const struct cli_option cli_options[] = {
    {"demo", 0, NULL, OPT_DEMO, "show a made-up fleet; no node needed"},
    {"once", 0, NULL, OPT_ONCE, "poll every source once, print the result, exit"},
    {"json", 0, NULL, OPT_JSON, "with --once: print JSON instead of text"},
    {"timeout", 0, "SECONDS", OPT_TIMEOUT, "with --once: give up after SECONDS (default 15)"},
    {"config", 'c', "FILE", OPT_CONFIG, "read FILE instead of the default config file"},
    {"delay", 'd', "SECONDS", OPT_DELAY, "screen refresh, 0.1 to 3600 seconds (default 2)"},
    {"no-color", 0, NULL, OPT_NO_COLOR, "draw without colours"},
    {"readonly", 0, NULL, OPT_READONLY, "no actions that change a node (restart, stop...)"},
    {"identity", 0, "FILE", OPT_IDENTITY, "your key (PEM; default ~/.ratio1/_naeural.pem)"},
    {"yes", 'y', NULL, OPT_YES, "with an action: do not ask (scripts); still logged"},
    {"lines", 'n', "LINES", OPT_LINES, "with logs: the last LINES lines (default 200)"},
    {"follow", 'f', NULL, OPT_FOLLOW, "with logs: keep printing new lines (Ctrl-C ends)"},
    {"import-r1setup", 0, NULL, OPT_IMPORT, "print the nodes: entries for r1setup's hosts"},
    {"write", 0, NULL, OPT_WRITE, "with --import-r1setup: add them to the config (asks)"},
    {"help", 'h', NULL, OPT_HELP, "show this help and exit"},
    {"version", 'V', NULL, OPT_VERSION, "show the version and exit"},
    {"keys", 0, NULL, OPT_KEYS, NULL}, /* the key table, for tests and the man page */
};

struct cli_command {
    const char *name;
    enum r1_mode mode;
    int action;             /* enum r1_action_id for R1_MODE_ACT, else -1 */
    int min_args, max_args;
    const char *args;       /* operands, as --help shows them */
    const char *help;
};

static const struct cli_command cli_commands[] = {
    {"verify", R1_MODE_VERIFY, -1, 1, INT_MAX, "FILE...",
     "check the signatures of saved oracle replies"},
    {"whoami", R1_MODE_WHOAMI, -1, 0, 0, "", "show the addresses of your key (--identity)"},
    {"keygen", R1_MODE_KEYGEN, -1, 1, 1, "FILE", "create a key in FILE (0600; never overwrites)"},
    {"restart", R1_MODE_ACT, R1_ACT_RESTART_CONTAINER, 1, 1, "NODE",
     "restart the node's container (asks first)"},
    {"stop", R1_MODE_ACT, R1_ACT_STOP_CONTAINER, 1, 1, "NODE",
     "stop the node's container (asks first)"},
    {"start", R1_MODE_ACT, R1_ACT_START_CONTAINER, 1, 1, "NODE",
     "start the node's stopped container (asks first)"},
    {"logs", R1_MODE_ACT, R1_ACT_LOGS, 1, 1, "NODE", "print the container's log (-n, -f)"},
    {"allowed", R1_MODE_ACT, R1_ACT_ALLOWED, 1, 1, "NODE",
     "print who may command the node"},
    {"allow", R1_MODE_ACT, R1_ACT_ALLOW, 2, 3, "NODE ADDRESS [ALIAS]",
     "add ADDRESS to the allowed list (asks first)"},
    {"alias", R1_MODE_ACT, R1_ACT_ALIAS, 2, 2, "NODE NEW",
     "give the node a new alias (asks first)"},
    {"apps", R1_MODE_ACT, R1_ACT_APPS, 1, 1, "NODE",
     "list the container apps inside the node"},
    {"net-stop", R1_MODE_ACT, R1_ACT_NET_STOP, 1, 1, "NODE",
     "signed STOP over the network (asks first)"},
    {"net-restart", R1_MODE_ACT, R1_ACT_NET_RESTART, 1, 1, "NODE",
     "signed RESTART: r1setup hosts reboot (asks)"},
};

#define DELAY_MIN_S 0.1
#define DELAY_MAX_S 3600.0
#define TIMEOUT_MIN_S 0.1
#define TIMEOUT_MAX_S 3600.0

/* "2", "0.5", ".5": what people type for seconds (top's -d). No exponents, hex, inf or nan. */
static int parse_seconds(const char *s, double min_s, double max_s, double *out)
{
    size_t digits = strspn(s, "0123456789"), frac = 0;
    const char *p = s + digits;
    if (*p == '.') {
        frac = strspn(p + 1, "0123456789");
        p += 1 + frac;
    }
    if (digits + frac == 0 || *p != '\0' || digits > 9)
        return -1;
    double v = strtod(s, NULL);
    if (v < min_s || v > max_s)
        return -1;
    *out = v;
    return 0;
}

static const struct cli_option *option_by_long(const char *name, size_t len)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(cli_options); i++)
        if (strlen(cli_options[i].name) == len && strncmp(cli_options[i].name, name, len) == 0)
            return &cli_options[i];
    return NULL;
}

static const struct cli_option *option_by_short(char c)
{
    for (size_t i = 0; i < R1_ARRAY_LEN(cli_options); i++)
        if (cli_options[i].short_name && cli_options[i].short_name == c)
            return &cli_options[i];
    return NULL;
}

/* Apply one option. shown is how the user spelled it ("-d", "--delay"), for messages.
 * Returns 0, 1 when parsing should stop here (--help, --version), or -1 with err. */
static int apply_option(const struct cli_option *o, const char *shown, const char *val,
                        struct r1_cli *cli, char *err)
{
    if (o->arg && !val)
        return r1_err(err, "option '%s' needs a value (%s)", shown, o->arg);
    switch (o->id) {
    case OPT_DEMO:
        cli->demo = true;
        return 0;
    case OPT_ONCE:
    case OPT_IMPORT: {
        enum r1_mode m = o->id == OPT_ONCE ? R1_MODE_ONCE : R1_MODE_IMPORT;
        if (cli->mode != R1_MODE_UI && cli->mode != m)
            return r1_err(err, "--once does not go with --import-r1setup; try 'r1top --help'");
        cli->mode = m;
        return 0;
    }
    case OPT_WRITE:
        cli->write = true;
        return 0;
    case OPT_JSON:
        cli->json = true;
        return 0;
    case OPT_NO_COLOR:
        cli->no_color = true;
        return 0;
    case OPT_READONLY:
        cli->readonly = true;
        return 0;
    case OPT_YES:
        cli->yes = true;
        return 0;
    case OPT_FOLLOW:
        cli->follow = true;
        return 0;
    case OPT_LINES: {
        char *end;
        long v = strtol(val, &end, 10);
        if (val[0] < '0' || val[0] > '9' || *end || v < 1 || v > 5000)
            return r1_err(err, "option '%s' needs a number of lines, 1 to 5000; got '%.40s'",
                          shown, val);
        cli->lines = v;
        return 0;
    }
    case OPT_HELP:
        cli->mode = R1_MODE_HELP;
        return 1;
    case OPT_VERSION:
        cli->mode = R1_MODE_VERSION;
        return 1;
    case OPT_KEYS:
        cli->mode = R1_MODE_KEYS;
        return 1;
    case OPT_DELAY:
        if (parse_seconds(val, DELAY_MIN_S, DELAY_MAX_S, &cli->delay_s) < 0)
            return r1_err(err, "invalid delay '%s' for %s; expected seconds from %g to %g",
                          val, shown, DELAY_MIN_S, DELAY_MAX_S);
        return 0;
    case OPT_TIMEOUT:
        if (parse_seconds(val, TIMEOUT_MIN_S, TIMEOUT_MAX_S, &cli->timeout_s) < 0)
            return r1_err(err, "invalid timeout '%s' for %s; expected seconds from %g to %g",
                          val, shown, TIMEOUT_MIN_S, TIMEOUT_MAX_S);
        return 0;
    case OPT_CONFIG:
    case OPT_IDENTITY:
        if (val[0] == '\0')
            return r1_err(err, "option '%s' needs a FILE, not an empty string", shown);
        if (o->id == OPT_CONFIG)
            cli->config_path = val;
        else
            cli->identity_path = val;
        return 0;
    }
    return r1_err(err, "internal: option '%s' has no handler", shown);
}

/* Combinations that cannot work, checked once everything is read. */
static int check_combinations(const struct r1_cli *cli, const struct cli_command *cmd,
                              bool once, char *err)
{
    if (cmd && once)
        return r1_err(err, "--once does not go with '%s'; try 'r1top --help'", cmd->name);
    if (cli->json && !once)
        return r1_err(err, "--json needs --once; try 'r1top --once --json'");
    if (cli->timeout_s > 0 && !once)
        return r1_err(err, "--timeout needs --once; try 'r1top --once --timeout %g'",
                      cli->timeout_s);
    if (!cmd)
        return 0;
    if (cli->yes && cmd->mode != R1_MODE_ACT)
        return r1_err(err, "--yes goes with an action (restart, stop, start); try 'r1top --help'");
    if ((cli->lines || cli->follow) && cmd->action != R1_ACT_LOGS)
        return r1_err(err, "-n and -f go with logs; try 'r1top logs NODE -n 100 -f'");
    if (cli->n_args < cmd->min_args)
        return r1_err(err, "%s needs %s; usage: r1top %s %s", cmd->name,
                      cmd->min_args == 1 && cmd->max_args == 1
                          ? (cmd->mode == R1_MODE_ACT ? "a NODE" : "a FILE")
                      : cmd->mode == R1_MODE_ACT ? cmd->args
                                                 : "at least one FILE",
                      cmd->name, cmd->args);
    if (cli->n_args > cmd->max_args) {
        if (cmd->max_args == 0)
            return r1_err(err, "%s takes no arguments; got '%s'", cmd->name, cli->args[0]);
        if (cmd->max_args > 1)
            return r1_err(err, "%s takes %s; got %d operands", cmd->name, cmd->args,
                          cli->n_args);
        return r1_err(err, "%s takes one %s; got %d (usage: r1top %s %s)", cmd->name,
                      cmd->args, cli->n_args, cmd->name, cmd->args);
    }
    return 0;
}

/* Move the operands to the end of argv, keeping their order, so args can point at them
 * (GNU getopt permutes argv the same way; the strings themselves are untouched). */
static void gather_operands(int argc, char **argv, const bool *is_operand, int n_ops)
{
    char **tmp = xmalloc((size_t)argc * sizeof(*tmp));
    int k = 1, o = argc - n_ops;
    for (int i = 1; i < argc; i++) {
        if (is_operand[i])
            tmp[o++] = argv[i];
        else
            tmp[k++] = argv[i];
    }
    memcpy(argv + 1, tmp + 1, (size_t)(argc - 1) * sizeof(*argv));
    free(tmp);
}

/* "unknown command 'x'; expected verify, whoami, ... or apps", from the table. */
static int unknown_command(const char *word, char *err)
{
    char list[R1_ERR_MAX] = "";
    size_t n = R1_ARRAY_LEN(cli_commands);
    for (size_t c = 0; c < n; c++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                 c == 0 ? "" : c + 1 == n ? " or " : ", ", cli_commands[c].name);
    return r1_err(err, "unknown command '%.40s'; expected %s (try 'r1top --help')", word, list);
}

/* Read every argument; marks operands in is_operand and counts them in *n_ops.
 * Returns 0 (also when --help or --version ended the reading early) or -1 with err. */
static int parse_args(int argc, char **argv, struct r1_cli *cli, bool *is_operand,
                      const struct cli_command **cmd_out, int *n_ops_out, char *err)
{
    const struct cli_command *cmd = NULL;
    bool options_done = false;
    int n_ops = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (!cmd && n_ops == 0) {
                for (size_t c = 0; c < R1_ARRAY_LEN(cli_commands); c++)
                    if (strcmp(a, cli_commands[c].name) == 0)
                        cmd = &cli_commands[c];
                if (!cmd)
                    return unknown_command(a, err);
                continue;
            }
            is_operand[i] = true;
            n_ops++;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        int rc;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const struct cli_option *o = option_by_long(name, len);
            if (!o)
                return r1_err(err, "unknown option '--%.*s'; try 'r1top --help'", (int)len, name);
            char shown[40];
            snprintf(shown, sizeof(shown), "--%s", o->name);
            const char *val = NULL;
            if (o->arg && eq) {
                val = eq + 1;
            } else if (o->arg) {
                if (i + 1 >= argc)
                    return r1_err(err, "option '%s' needs a value (%s); try 'r1top --help'",
                                  shown, o->arg);
                val = argv[++i];
            } else if (eq) {
                return r1_err(err, "option '%s' takes no value; try 'r1top --help'", shown);
            }
            rc = apply_option(o, shown, val, cli, err);
        } else {
            rc = 0;
            /* A cluster: -Vh, -d2, -d 2, -cFILE. A value ends the cluster. */
            for (const char *p = a + 1; *p && rc == 0; p++) {
                const struct cli_option *o = option_by_short(*p);
                char shown[3] = {'-', *p, '\0'};
                if (!o) {
                    if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                        shown[1] = '?';
                    return r1_err(err, "unknown option '%s'; try 'r1top --help'", shown);
                }
                const char *val = NULL;
                if (o->arg) {
                    if (p[1]) {
                        val = p + 1;
                    } else if (i + 1 < argc) {
                        val = argv[++i];
                    } else {
                        return r1_err(err, "option '%s' needs a value (%s); try 'r1top --help'",
                                      shown, o->arg);
                    }
                }
                rc = apply_option(o, shown, val, cli, err);
                if (val)
                    break;
            }
        }
        if (rc < 0)
            return -1;
        if (rc > 0) /* --help / --version: nothing after them matters */
            break;
    }
    *cmd_out = cmd;
    *n_ops_out = n_ops;
    return 0;
}

int cli_parse(int argc, char **argv, struct r1_cli *cli, char *err)
{
    memset(cli, 0, sizeof(*cli));
    cli->mode = R1_MODE_UI;
    if (argc <= 1 || !argv)
        return 0;
    bool *is_operand = xcalloc((size_t)argc, sizeof(*is_operand));
    const struct cli_command *cmd = NULL;
    int n_ops = 0;
    int rc = parse_args(argc, argv, cli, is_operand, &cmd, &n_ops, err);
    if (rc < 0 || cli->mode == R1_MODE_HELP || cli->mode == R1_MODE_VERSION ||
        cli->mode == R1_MODE_KEYS) {
        free(is_operand);
        return rc;
    }
    gather_operands(argc, argv, is_operand, n_ops);
    free(is_operand);
    cli->n_args = n_ops;
    cli->args = n_ops ? argv + (argc - n_ops) : NULL;
    bool once = cli->mode == R1_MODE_ONCE;
    bool import = cli->mode == R1_MODE_IMPORT;
    if (cmd) {
        cli->mode = cmd->mode;
        cli->action = cmd->action;
    }
    if (cli->write && !import)
        return r1_err(err, "--write goes with --import-r1setup; try 'r1top --import-r1setup "
                      "--write'");
    if (import && (cmd || cli->demo))
        return r1_err(err, "--import-r1setup does not go with %s; try 'r1top --help'",
                      cmd ? cmd->name : "--demo");
    if (!cmd && cli->yes && !cli->write)
        return r1_err(err, "--yes goes with an action (restart, stop, start) or --import-r1setup --write; "
                      "try 'r1top --help'");
    return check_combinations(cli, cmd, once, err);
}

void cli_usage(FILE *out)
{
    fputs("Usage: r1top [OPTIONS]              watch your Ratio1 nodes full-screen\n"
          "       r1top --once [--json] [...]  poll every source once, print, exit\n"
          "       r1top --import-r1setup [--write [--yes]]\n",
          out);
    for (size_t i = 0; i < R1_ARRAY_LEN(cli_commands); i++) {
        const struct cli_command *c = &cli_commands[i];
        fprintf(out, "       r1top %s%s%s\n", c->name, c->args[0] ? " " : "", c->args);
    }
    fputs("\nOptions:\n", out);
    for (size_t i = 0; i < R1_ARRAY_LEN(cli_options); i++) {
        const struct cli_option *o = &cli_options[i];
        if (!o->help)
            continue;
        char left[40];
        if (o->short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-23s %s\n", left, o->help);
    }
    fputs("\nCommands:\n", out);
    for (size_t i = 0; i < R1_ARRAY_LEN(cli_commands); i++) {
        const struct cli_command *c = &cli_commands[i];
        char left[40];
        snprintf(left, sizeof(left), "%s %s", c->name, c->args);
        fprintf(out, "  %-26s %s\n", left, c->help);
    }
    fputs("\nConfiguration:\n"
          "  -c FILE, else $XDG_CONFIG_HOME/r1top/config.yaml, else\n"
          "  ~/.config/r1top/config.yaml. Without a file r1top looks for the node on this\n"
          "  host. r1top never rewrites the file: it only appends the nodes you add (w,\n"
          "  --import-r1setup --write), after asking. r1top.yaml.example documents every\n"
          "  key.\n"
          "\nEnvironment:\n"
          "  NO_COLOR                set and not empty: draw without colours\n"
          "  XDG_CONFIG_HOME         where the config file is looked for\n"
          "\nExit status of --once:\n"
          "  0  every source answered\n"
          "  1  at least one source failed (a bad signature counts)\n"
          "  2  usage or configuration error\n"
          "\nExit status of an action (restart, stop, start, --import-r1setup --write):\n"
          "  0  done\n"
          "  1  failed, or refused (--readonly, not confirmed, no Docker socket)\n"
          "  2  usage or configuration error, no such node, or no r1setup inventory\n"
          "\nKeys: press ? or F1 inside r1top.\n",
          out);
}
