/* poller: jobs (node x source), their timers and back-off, and the transports that run
 * them — one libcurl multi handle for http(s)/sftp/unix-socket, direct reads for file://,
 * ssh children for ssh:// (transport_ssh.c) and the in-process demo generator. Replies go to
 * the source's apply(); failures go to the group's meta. Never blocks: the only wait is
 * app.c's curl_multi_poll(), which also watches the ssh children's pipes and the clients'
 * sockets (poller_add_client). */
#ifndef R1_POLLER_H
#define R1_POLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "model.h"
#include "frontend.h"
#include "sources/source.h"

struct r1_poller;

struct r1_poller *poller_new(const struct r1_config *cfg, struct r1_fleet *fleet);
void poller_free(struct r1_poller *p);
/* The jobs of fleet->nodes[node_idx], a node added after poller_new (model_fleet_add), due
 * now; the fleet-scope job too when it is the fleet's first node. 0, or -1 when the node
 * has jobs already, does not exist, or the fleet is at R1_CONFIG_MAX_NODES. */
int poller_add_node(struct r1_poller *p, size_t node_idx);
/* Start every job that is due at mono time `t`. Returns how many started. */
int poller_start_due(struct r1_poller *p, double t);
/* Make every job due now (the user pressed a refresh key, or --once). */
void poller_due_all(struct r1_poller *p);
/* Seconds until the next job is due (>= 0), or a large number if none. */
double poller_next_due(struct r1_poller *p, double t);
/* Wait up to timeout_ms for transfers or extra_fd (-1 = none); *fd_ready set if extra_fd is. */
int poller_wait(struct r1_poller *p, int extra_fd, int timeout_ms, bool *fd_ready);
/* Drive transfers and dispatch finished ones to their sources. Returns replies applied. */
int poller_perform(struct r1_poller *p);
int poller_in_flight(const struct r1_poller *p);
/* Jobs that finished at least once since creation / failed on their last attempt. */
int poller_jobs_total(const struct r1_poller *p);
int poller_jobs_done(const struct r1_poller *p);
int poller_jobs_failed(const struct r1_poller *p);
/* Wake a poller_wait() from a signal handler context. */
void poller_wakeup(struct r1_poller *p);
/* The clocks the poller stamps and schedules with (NULL: the real ones, r1_now and r1_mono).
 * Tests and fuzzing use it to replay replies at the time they were made. */
void poller_set_clock(struct r1_poller *p, double (*wall)(void), double (*mono)(void));
/* --once: run each job exactly one time. */
void poller_set_once(struct r1_poller *p, bool once);
/* Give up on every transfer still running, recording `why` as its failure (--once timeout). */
void poller_abandon(struct r1_poller *p, const char *why);

/* Make every job of one node due now (the "poll this node" action). */
void poller_due_node(struct r1_poller *p, uint32_t node_id);

/* One-shot requests (actions): req runs once on the same multi handle, never retried; done is
 * called exactly once when it ends (a transport error, or an HTTP answer with its body), from
 * poller_perform() or poller_abandon(). 0, or <0 with err when it cannot start. */
struct r1_act_reply;
typedef void (*poller_done_fn)(void *ctx, uint32_t node_id, int action,
                               const struct r1_act_reply *reply);
int poller_submit(struct r1_poller *p, uint32_t node_id, int action, const struct r1_request *req,
                  poller_done_fn done, void *ctx, char *err);
/* One-shot requests and clients (below) still running. */
int poller_oneshots_running(const struct r1_poller *p);

/* Clients: an outside protocol's socket that joins the one wait (remote.c's MQTT session), so
 * that nothing needs a loop or a thread of its own. poller_wait also waits on fd() (for
 * writing too when it says so) and no longer than wait_ms(); poller_perform calls service()
 * every round with what the socket became ready for. service returns true once the client
 * has finished and freed itself; abandon(ctx, why) must end it likewise (poller_abandon,
 * poller_free). 0, or -1 with err when too many run at once. */
struct poller_client {
    int (*fd)(void *ctx, bool *want_write);            /* -1: no socket now */
    int (*wait_ms)(void *ctx, double now_mono);
    bool (*service)(void *ctx, bool readable, bool writable, double now_mono);
    void (*abandon)(void *ctx, const char *why);
    void *ctx;
};
int poller_add_client(struct r1_poller *p, const struct poller_client *c, char *err);

/* Tests and fuzzing: hand one reply (body, HTTP status) to node node_id's job of `source`
 * (R1_NODE_ALL for a fleet-scope source) as if its transfer had just brought it; it goes
 * through the same size cap, parse, release and status path as a real one. 0, or -1 when
 * there is no such job or it has nothing to ask yet. */
int poller_feed_reply(struct r1_poller *p, uint32_t node_id, int source, const char *body,
                      size_t len, long http_code);

#endif
