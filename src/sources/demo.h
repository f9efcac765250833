/* demo: the built-in fleet behind `r1top --demo`. It owns no transport and no parser: it
 * writes the same JSON documents the real sources would return (local_info.json, pipeline
 * files, oracle envelopes, Docker inspect replies), so the poller feeds them through the real
 * parsers. Everything is a pure function of (node, wall time): no random state, no files.
 * Called by the poller in place of a transport when fleet->demo is set, and by cli/app to
 * build the fleet. */
#ifndef R1_DEMO_H
#define R1_DEMO_H

#include <stddef.h>

#include "model.h"
#include "source.h"

/* Add the demo fleet's nodes to f (f->demo = true, node->demo = true). f comes from
 * model_fleet_init(); a NULL f->net is set to mainnet. */
void demo_fleet_build(struct r1_fleet *f);

struct demo_doc { /* what a real transport would have returned */
    char *body;
    size_t len;     /* NUL-terminated, malloc'd ("" for a directory fetch) */
    long http_code; /* 200 for oracle/docker, 0 for files */
    double mtime;   /* file mtime for status files; 0 otherwise */
    struct r1_file *files;
    size_t n_files; /* directory fetch (streams) */
};

/* Produce the document source `id` would read for demo node n at wall time now (n may be
 * NULL for the fleet-scope SRC_ORACLE_EPOCH). 0 = doc filled; 1 = nothing to fetch for this
 * node/source (e.g. no Docker on a remote host; SRC_GPU, which is sampled); -1 = the
 * simulated source fails, err (R1_ERR_MAX) says how, as a real failure would. On 1 and -1
 * *out is left empty, so demo_doc_free(out) is always safe. */
int demo_fetch(const struct r1_fleet *f, const struct r1_node *n, enum r1_source_id id, double now,
               struct demo_doc *out, char *err);
void demo_doc_free(struct demo_doc *d);

/* GPU sampling for demo nodes (NVML isn't JSON): fill n->gpus/n_gpus, gpu_backend "demo",
 * push one history point per GPU (the first sample back-fills the sparklines) and stamp each
 * GPU's r1_meta as a real sample would. 0 = sampled, 1 = node has no GPU to sample,
 * -1 = n is not a demo node (err set). */
int demo_gpu_sample(struct r1_node *n, double now, char *err);

/* The demo oracle's signing address: trusted by `r1top --demo` only (app.c adds it). */
void demo_oracle_address(char out[R1_ADDR_MAX]);

#endif
