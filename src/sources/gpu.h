/* gpu: the GPU source and its backends, a table of function pointers (nvtop's gpu_vendor):
 * NVML for GPUs on this host, nvidia-smi over SSH for every GPU of a node host reached by
 * ssh://, the node's own history file (first GPU only, every 5 min) when the node is remote
 * otherwise or NVML is absent, and the demo generator. Fills node->gpus. */
#ifndef R1_GPU_H
#define R1_GPU_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct gpu_backend {
    const char *name;                          /* "nvml", "ssh-nvidia-smi", "node-history" */
    bool (*usable)(const struct r1_node *n);   /* can it describe this node's GPUs? */
    int (*sample)(struct r1_node *n, double now, char *err);   /* 0, 1 = no GPUs, -1 */
    /* A backend that must fetch (a remote command) fills url instead of sampling: 0 to fetch
     * it (the reply goes to gpu_parse_nvidia_smi), 1 = nothing to ask now, -1. */
    int (*fetch_url)(const struct r1_node *n, double now, char *url, size_t url_size, char *err);
};

/* The backend used for n (first usable in table order). */
const struct gpu_backend *gpu_backend_for(const struct r1_node *n);

/* `nvidia-smi --query-gpu=` TRANSPORT_SSH_GPU_FIELDS ` --format=csv,noheader,nounits`: one
 * line per GPU (index, name, load %, memory used and total MiB, temperature C, power W) into
 * gpus[0..max), keeping each GPU's history series. "[N/A]", "[Not Supported]" and anything
 * else that is not a number in range is that figure unknown. A reply saying the host has no
 * nvidia-smi is no GPUs. Only a fully parsed reply changes gpus. 0 with *n set, or -1 with
 * err. No I/O, no clock (now stamps the GPUs). */
int gpu_parse_nvidia_smi(const char *buf, size_t len, struct r1_gpu *gpus, int max, int *n,
                         double now, char *err);

#endif
