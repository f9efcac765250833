/* cli: the command line, a contract that scripts rely on (README "Command line", the man
 * page and --help say the same). Parsing is pure: no I/O but the usage text writer. */
#ifndef R1_CLI_H
#define R1_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum r1_mode {
    R1_MODE_UI,        /* interactive (default) */
    R1_MODE_ONCE,      /* --once [--json] */
    R1_MODE_HELP,
    R1_MODE_VERSION,
    R1_MODE_VERIFY,    /* r1top verify FILE... */
    R1_MODE_WHOAMI,    /* r1top whoami */
    R1_MODE_KEYGEN,    /* r1top keygen FILE */
    R1_MODE_KEYS,      /* --keys: print the key table (hidden; tests and docs use it) */
    R1_MODE_ACT,       /* r1top restart NODE [--yes]: one action (actions.h), then exit */
    R1_MODE_IMPORT,    /* --import-r1setup [--write [--yes]]: r1setup's nodes (r1setup.h) */
};

struct r1_cli {
    enum r1_mode mode;
    bool demo;
    bool json;
    bool no_color;         /* --no-color, or NO_COLOR set in the environment (main.c) */
    bool readonly;
    bool yes;              /* --yes: a changing action's question is answered yes */
    bool write;            /* --write: --import-r1setup appends to the config file */
    int action;            /* enum r1_action_id, for R1_MODE_ACT */
    long lines;            /* logs -n LINES; 0 = not given */
    bool follow;           /* logs -f */
    double delay_s;        /* -d/--delay in seconds; <= 0 = not given */
    double timeout_s;      /* --timeout for --once; <= 0 = not given */
    const char *config_path;
    const char *identity_path;   /* --identity PEM (trust) */
    char **args;           /* positional arguments after the subcommand */
    int n_args;
};

/* 0 on success; -1 with err ("unknown option '--x'; see r1top --help"). */
int cli_parse(int argc, char **argv, struct r1_cli *cli, char *err);
void cli_usage(FILE *out);

#endif
