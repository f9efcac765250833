/* mqtt_cmd: the command message, the confirmation check and the libmosquitto session
 * (mqtt_cmd.h). The session subscribes to naeural/notif before it publishes, because the node
 * confirms once, right before it exits (docs/protocol.md §8.7): a subscription made after the
 * publish could miss it. It uses libmosquitto's external-loop calls (connect_async, socket,
 * loop_read/write/misc, want_write) so that r1top's one wait covers the broker too. */
#define _GNU_SOURCE /* memmem */
#include "mqtt_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mosquitto.h>

#include "dauth.h"
#include "trust/canon_json.h"
#include "trust/eth.h"
#include "trust/sig.h"

#define MQTT_CMD_KEEPALIVE_S 30
#define MQTT_CMD_QOS 2 /* commands (§8.5) */

/* ---- the message and the confirmation (pure) ------------------------------------------- */

char *mqtt_cmd_build(const unsigned char seckey[32], const char *node_addr, const char *action,
                     const char *session_id, const char *time_text, char *err)
{
    struct cj_value *m = canon_new(CJ_OBJECT);
    canon_object_set(m, "ACTION", canon_new_string(action));
    canon_object_set(m, "PAYLOAD", canon_new(CJ_NULL));
    /* unencrypted but signed: nodes accept it (ACCEPT_UNENCRYPTED_COMMANDS, §8.6) */
    canon_object_set(m, "EE_IS_ENCRYPTED", canon_new(CJ_FALSE));
    canon_object_set(m, "EE_DEST", canon_new_string(node_addr));
    canon_object_set(m, "EE_ID", canon_new_string(node_addr));
    canon_object_set(m, "SESSION_ID", canon_new_string(session_id));
    canon_object_set(m, "INITIATOR_ID", canon_new_string(session_id));
    canon_object_set(m, "TIME", canon_new_string(time_text));
    char serr[R1_ERR_MAX];
    char *text = NULL;
    if (sig_sign(m, seckey, serr) < 0)
        r1_err(err, "command: %s", serr);
    else
        text = canon_serialize(m, CANON_FLOAT_REPR, NULL, NULL);
    canon_free(m);
    return text;
}

static bool str_is(const struct cj_value *msg, const char *key, const char *want)
{
    const char *v = canon_get_string(msg, key);
    return v && strcmp(v, want) == 0;
}

bool mqtt_cmd_is_confirmation(const char *payload, size_t len, const char *node_addr,
                              const char *session_id, const char *action, char *note,
                              size_t note_size)
{
    char perr[R1_ERR_MAX], want[64];
    struct cj_value *msg = canon_parse(payload, len, perr);
    if (!msg)
        return false;
    struct sig_result sr;
    snprintf(want, sizeof(want), "Running '%s' command", action);
    /* cheap tests first: naeural/notif carries every node's notifications */
    const char *text = canon_get_string(msg, "NOTIFICATION");
    bool ours = text && strstr(text, want) && str_is(msg, "INITIATOR_ID", session_id) &&
                str_is(msg, "SESSION_ID", session_id);
    bool ok = ours && sig_verify(msg, &sr) == 0 && eth_node_addr_equal(sr.sender, node_addr);
    if (ok) {
        while (*text == ' ')
            text++;
        r1_sanitize(note, note_size, text);
    }
    canon_free(msg);
    return ok;
}

/* ---- the session --------------------------------------------------------------------- */

struct mqtt_cmd {
    struct mosquitto *mosq;
    char broker[300]; /* "host:port", for every message about the broker */
    char topic[320];  /* naeural/<node>/config */
    char *message;    /* owned */
    char node_addr[R1_ADDR_MAX];
    char action[16];
    char session_id[64];
    char cert_path[R1_URL_MAX];          /* the broker's certificate, 0600; removed at free */
    double started, deadline, timeout_s; /* monotonic */
    int sub_mid, pub_mid;
    bool connected, subscribed, published;
    enum mqtt_cmd_state state;
    char last_log[160]; /* libmosquitto's last error line (OpenSSL's reason is there) */
    char result[R1_REASON_MAX];
};

static void finish(struct mqtt_cmd *c, enum mqtt_cmd_state st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void finish(struct mqtt_cmd *c, enum mqtt_cmd_state st, const char *fmt, ...)
{
    if (c->state != MQTT_CMD_RUNNING)
        return;
    char text[R1_REASON_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    r1_sanitize(c->result, sizeof(c->result), text);
    c->state = st;
}

static void on_log(struct mosquitto *m, void *ctx, int level, const char *line)
{
    struct mqtt_cmd *c = ctx;
    if (!(level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)))
        return;
    /* "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed": the reason
     * is what follows the last ':' */
    const char *why = strrchr(line, ':');
    r1_sanitize(c->last_log, sizeof(c->last_log),
                strncmp(line, "OpenSSL Error", 13) == 0 && why && why[1] ? why + 1 : line);
}

static void on_connect(struct mosquitto *m, void *ctx, int rc)
{
    struct mqtt_cmd *c = ctx;
    if (rc != 0) {
        finish(c, MQTT_CMD_FAILED, "broker %s refused the dAuth login: %s", c->broker,
               mosquitto_connack_string(rc));
        return;
    }
    c->connected = true;
    if (mosquitto_subscribe(m, &c->sub_mid, MQTT_CMD_NOTIF_TOPIC, 1) != MOSQ_ERR_SUCCESS)
        finish(c, MQTT_CMD_FAILED, "broker %s: could not subscribe to %s", c->broker,
               MQTT_CMD_NOTIF_TOPIC);
}

static void on_subscribe(struct mosquitto *m, void *ctx, int mid, int n, const int *qos)
{
    struct mqtt_cmd *c = ctx;
    if (mid != c->sub_mid || c->subscribed)
        return;
    c->subscribed = true;
    if (n < 1 || qos[0] > 2) /* 0x80: the broker refused the subscription */
        finish(c, MQTT_CMD_FAILED, "broker %s refused the subscription to %s", c->broker,
               MQTT_CMD_NOTIF_TOPIC);
    else if (mosquitto_publish(m, &c->pub_mid, c->topic, (int)strlen(c->message), c->message,
                               MQTT_CMD_QOS, false) != MOSQ_ERR_SUCCESS)
        finish(c, MQTT_CMD_FAILED, "broker %s: could not publish to %s", c->broker, c->topic);
}

static void on_publish(struct mosquitto *m, void *ctx, int mid)
{
    struct mqtt_cmd *c = ctx;
    if (mid == c->pub_mid)
        c->published = true;
}

static void on_message(struct mosquitto *m, void *ctx, const struct mosquitto_message *msg)
{
    struct mqtt_cmd *c = ctx;
    char note[R1_REASON_MAX - 40];
    /* naeural/notif carries every node's notifications: parse and verify only those that
     * name our session (its id is plain hex, which Python's json.dumps never escapes) */
    if (msg->payloadlen > 0 && strcmp(msg->topic, MQTT_CMD_NOTIF_TOPIC) == 0 &&
        memmem(msg->payload, (size_t)msg->payloadlen, c->session_id, strlen(c->session_id)) &&
        mqtt_cmd_is_confirmation(msg->payload, (size_t)msg->payloadlen, c->node_addr, c->session_id,
                                 c->action, note, sizeof(note)))
        finish(c, MQTT_CMD_CONFIRMED, "confirmed by the node: %s", note);
}

/* The certificate dAuth gave, in a private file: libmosquitto reads its CA from a path. */
static int write_cert(struct mqtt_cmd *c, const char *pem, char *err)
{
    const char *dir = getenv("TMPDIR");
    snprintf(c->cert_path, sizeof(c->cert_path), "%s/r1top-broker-XXXXXX",
             dir && dir[0] == '/' ? dir : "/tmp");
    int fd = mkstemp(c->cert_path); /* 0600, O_EXCL */
    if (fd < 0) {
        c->cert_path[0] = '\0';
        return r1_err(err, "cannot write the broker's certificate: %s", strerror(errno));
    }
    size_t len = strlen(pem);
    ssize_t w = write(fd, pem, len);
    close(fd);
    if (w != (ssize_t)len)
        return r1_err(err, "cannot write the broker's certificate to %s", c->cert_path);
    return 0;
}

/* A libmosquitto error in words, naming the broker; TLS failures carry OpenSSL's reason,
 * which libmosquitto only logs. */
static void broker_error(const struct mqtt_cmd *c, int rc, char *dst, size_t n)
{
    if (rc == MOSQ_ERR_TLS || (c->last_log[0] && strstr(c->last_log, "SSL")))
        snprintf(dst, n, "broker %.70s: TLS failed (%.70s)", c->broker,
                 c->last_log[0] ? c->last_log : mosquitto_strerror(rc));
    else
        snprintf(dst, n, "broker %.70s: %.60s%s%.60s", c->broker,
                 rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc),
                 c->last_log[0] ? ": " : "", c->last_log);
}

static void io_failed(struct mqtt_cmd *c, int rc)
{
    char text[R1_ERR_MAX];
    broker_error(c, rc, text, sizeof(text));
    finish(c, MQTT_CMD_FAILED, "%s", text);
}

static int set_up(struct mqtt_cmd *c, const struct dauth_creds *cr, char *err)
{
    c->mosq = mosquitto_new(c->session_id, true, c);
    if (!c->mosq)
        return r1_err(err, "libmosquitto could not make a client");
    mosquitto_log_callback_set(c->mosq, on_log);
    mosquitto_connect_callback_set(c->mosq, on_connect);
    mosquitto_subscribe_callback_set(c->mosq, on_subscribe);
    mosquitto_publish_callback_set(c->mosq, on_publish);
    mosquitto_message_callback_set(c->mosq, on_message);
    if (mosquitto_username_pw_set(c->mosq, cr->user, cr->password) != MOSQ_ERR_SUCCESS)
        return r1_err(err, "libmosquitto refused the broker login");
    /* Exactly dAuth's certificate as the only CA (no system CAs: the brokers' certificates
     * are self-signed, §8.4), peer verification on, and the host name (an IP SAN) checked. */
    int rc = mosquitto_tls_set(c->mosq, c->cert_path, NULL, NULL, NULL, NULL);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_tls_opts_set(c->mosq, 1, NULL, NULL);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_tls_insecure_set(c->mosq, false);
    if (rc != MOSQ_ERR_SUCCESS)
        return r1_err(err, "broker %s: TLS set-up failed: %s", c->broker, mosquitto_strerror(rc));
    /* Non-blocking from the TCP connect on; a host name (three of the SDK's brokers have
     * one, §8.4) is still resolved here with the system's blocking resolver. On a near broker
     * the TLS handshake can fail inside this call already. */
    rc = mosquitto_connect_async(c->mosq, cr->host, cr->port, MQTT_CMD_KEEPALIVE_S);
    if (rc != MOSQ_ERR_SUCCESS) {
        char text[R1_ERR_MAX];
        broker_error(c, rc, text, sizeof(text));
        return r1_err(err, "%s", text);
    }
    return 0;
}

struct mqtt_cmd *mqtt_cmd_start(const struct mqtt_cmd_params *p, double now_mono, char *err)
{
    struct mqtt_cmd *c = xcalloc(1, sizeof(*c));
    mosquitto_lib_init(); /* reference-counted; mqtt_cmd_free releases it */
    snprintf(c->broker, sizeof(c->broker), "%s:%d", p->creds->host, p->creds->port);
    snprintf(c->topic, sizeof(c->topic), MQTT_CMD_ROOT "/%s/config", p->topic_node);
    c->message = xstrdup(p->message);
    r1_strlcpy(c->node_addr, p->node_addr, sizeof(c->node_addr));
    r1_strlcpy(c->action, p->action, sizeof(c->action));
    r1_strlcpy(c->session_id, p->session_id, sizeof(c->session_id));
    c->started = now_mono;
    c->timeout_s = p->timeout_s;
    c->deadline = now_mono + p->timeout_s;
    c->sub_mid = c->pub_mid = -1;
    if (write_cert(c, p->creds->cert_pem, err) < 0 || set_up(c, p->creds, err) < 0) {
        mqtt_cmd_free(c);
        return NULL;
    }
    return c;
}

int mqtt_cmd_fd(struct mqtt_cmd *c, bool *want_write)
{
    *want_write = false;
    if (!c || c->state != MQTT_CMD_RUNNING)
        return -1;
    *want_write = mosquitto_want_write(c->mosq);
    return mosquitto_socket(c->mosq);
}

int mqtt_cmd_wait_ms(const struct mqtt_cmd *c, double now_mono)
{
    if (!c || c->state != MQTT_CMD_RUNNING)
        return 0;
    double left = c->deadline - now_mono;
    /* loop_misc sends the keep-alive ping; once a second is plenty for a 30 s keep-alive */
    if (left > 1.0)
        left = 1.0;
    return left <= 0 ? 0 : (int)ceil(left * 1000.0);
}

enum mqtt_cmd_state mqtt_cmd_service(struct mqtt_cmd *c, bool readable, bool writable,
                                     double now_mono)
{
    if (c->state != MQTT_CMD_RUNNING)
        return c->state;
    int rc = MOSQ_ERR_SUCCESS;
    if (readable)
        rc = mosquitto_loop_read(c->mosq, 1);
    if (rc == MOSQ_ERR_SUCCESS && writable && c->state == MQTT_CMD_RUNNING)
        rc = mosquitto_loop_write(c->mosq, 1);
    if (rc == MOSQ_ERR_SUCCESS && c->state == MQTT_CMD_RUNNING)
        rc = mosquitto_loop_misc(c->mosq);
    if (rc != MOSQ_ERR_SUCCESS && c->state == MQTT_CMD_RUNNING)
        io_failed(c, rc);
    if (c->state == MQTT_CMD_RUNNING && now_mono >= c->deadline) {
        if (c->published)
            finish(c, MQTT_CMD_FAILED,
                   "no confirmation in %.0f s: the broker took the command; is r1top's key in "
                   "the node's allowed list (add_allowed)?",
                   c->timeout_s);
        else
            finish(c, MQTT_CMD_FAILED, "no confirmation in %.0f s: broker %s %s", c->timeout_s,
                   c->broker, c->connected ? "did not take the command" : "did not answer");
    }
    return c->state;
}

const char *mqtt_cmd_result(const struct mqtt_cmd *c)
{
    return c->result;
}

void mqtt_cmd_free(struct mqtt_cmd *c)
{
    if (!c)
        return;
    if (c->mosq) {
        if (c->connected)
            mosquitto_disconnect(c->mosq);
        mosquitto_destroy(c->mosq);
    }
    mosquitto_lib_cleanup();
    if (c->cert_path[0])
        unlink(c->cert_path);
    free(c->message);
    free(c);
}
