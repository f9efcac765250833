/* mqtt_cmd: one signed command (STOP or RESTART) to one node over the network's MQTT broker,
 * and the wait for the node's confirmation (docs/protocol.md §8.4-§8.7). The message and the
 * confirmation check are pure; the session is a libmosquitto client driven from r1top's one
 * loop (fd, service), never by a thread or a blocking call of its own. It trusts exactly the
 * broker certificate dAuth gave, with host-name checking on. Called by remote.c and tests. */
#ifndef R1_MQTT_CMD_H
#define R1_MQTT_CMD_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct dauth_creds;

#define MQTT_CMD_ROOT "naeural" /* EE_ROOT_TOPIC's default (§8.5) */
#define MQTT_CMD_NOTIF_TOPIC MQTT_CMD_ROOT "/notif"

/* The command message of §8.6, signed v2 with seckey: ACTION, PAYLOAD null, EE_IS_ENCRYPTED
 * false, EE_DEST and EE_ID node_addr, SESSION_ID and INITIATOR_ID session_id, TIME time_text
 * ("2026-08-05 10:00:00.123456": the caller reads the clock). Returns the xmalloc'd JSON
 * text, or NULL with err. */
char *mqtt_cmd_build(const unsigned char seckey[32], const char *node_addr, const char *action,
                     const char *session_id, const char *time_text, char *err);

/* Is this message on naeural/notif the node's confirmation of our command (§8.7)? True only
 * when its signature verifies, its signer is node_addr (compared by key), INITIATOR_ID and
 * SESSION_ID are session_id and NOTIFICATION holds "Running '<action>' command"; note then
 * gets that text (sanitised, leading spaces cut). */
bool mqtt_cmd_is_confirmation(const char *payload, size_t len, const char *node_addr,
                              const char *session_id, const char *action, char *note,
                              size_t note_size);

struct mqtt_cmd_params {
    const struct dauth_creds *creds; /* broker, login and certificate (copied) */
    const char *topic_node;          /* <node> in naeural/<node>/config: the 0xai_ address, or the
                                      * alias when dAuth says EE_MQTT_SUBTOPIC=alias */
    const char *node_addr;           /* the node's 0xai_ address: who must confirm */
    const char *action;              /* "STOP" or "RESTART" */
    const char *session_id; /* the command's SESSION_ID and INITIATOR_ID; the client id too */
    const char *message;    /* the signed command (mqtt_cmd_build), copied */
    double timeout_s;       /* for the broker and the confirmation together */
};

enum mqtt_cmd_state { MQTT_CMD_RUNNING, MQTT_CMD_CONFIRMED, MQTT_CMD_FAILED };

struct mqtt_cmd;
/* Start connecting (non-blocking): writes the certificate to a private 0600 file under
 * $TMPDIR (else /tmp), removed by mqtt_cmd_free. NULL with err when it cannot start. */
struct mqtt_cmd *mqtt_cmd_start(const struct mqtt_cmd_params *p, double now_mono, char *err);
/* The socket to wait on (-1 = none now) and whether to wait for it to be writable. */
int mqtt_cmd_fd(struct mqtt_cmd *c, bool *want_write);
/* Milliseconds until the session needs a service call without I/O (keep-alive, deadline). */
int mqtt_cmd_wait_ms(const struct mqtt_cmd *c, double now_mono);
/* Read, write and keep-alive as the socket allows; subscribe, publish, and watch for the
 * confirmation. Returns the state; once not RUNNING, it stays so. */
enum mqtt_cmd_state mqtt_cmd_service(struct mqtt_cmd *c, bool readable, bool writable,
                                     double now_mono);
/* The outcome in words: the node's confirmation, or what failed ("broker 1.2.3.4:8883: ...",
 * "no confirmation in 30 s ..."). "" while running. */
const char *mqtt_cmd_result(const struct mqtt_cmd *c);
/* Disconnect, remove the certificate file, free. NULL is fine. */
void mqtt_cmd_free(struct mqtt_cmd *c);

#endif
