/* manage: what r1top learns by managing a node rather than watching it — the allowed list
 * (get_allowed), the container apps inside it (docker ps), the recent log lines — and the
 * state of a Docker exec in flight, whose steps (create, start, inspect) each are one request.
 * Allocated on a node's first such action only (model_node_manage), so a fleet of a thousand
 * watched nodes pays nothing for it. Written by actions.c, read by the screens, main.c and the
 * JSON export. */
#ifndef R1_MANAGE_H
#define R1_MANAGE_H

#include "allowed.h"
#include "logbuf.h"
#include "node_log.h"
#include "model.h"

#define R1_ACT_ARG_MAX 128   /* = R1_INTENT_ARG_MAX: an action's operands, space-separated */

struct r1_act_run {
    int step;                /* of a Docker exec: 0 create, 1 start, 2 inspect */
    char exec_id[80];
    char body[768];          /* the body of the request in flight: it must outlive the job */
    char arg[R1_ACT_ARG_MAX];
    struct r1_sbuf out;      /* the command's output, stdout and stderr as they came */
    int exit_code;
    size_t log_lines;        /* logs: the tail asked for */
};

struct r1_manage {
    struct r1_act_run run;
    struct r1_allowed allowed;
    bool allowed_read;       /* a get_allowed has answered */
    char *apps;              /* docker ps inside the node, sanitised; NULL until read */
    double apps_at;
    struct r1_logbuf logs;
    double logs_at;          /* wall clock of the last logs read */
    struct r1_logbuf file_log;   /* the node's own log file (node_log.h) */
    struct node_log_pos file_pos;   /* where its last read ended (its path is file_pos.path) */
};

/* The node's manage block, made on first use. */
struct r1_manage *model_node_manage(struct r1_node *n);
void manage_free(struct r1_manage *m);

#endif
