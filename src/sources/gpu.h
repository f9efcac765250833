/* gpu: the GPU source and its backends, a table of function pointers (nvtop's gpu_vendor):
 * NVML for GPUs on this host, the node's own history file (first GPU only, every 5 min)
 * when the node is remote or NVML is absent, and the demo generator. Fills node->gpus. */
#ifndef R1_GPU_H
#define R1_GPU_H

#include <stdbool.h>

#include "model.h"

struct gpu_backend {
    const char *name;                          /* "nvml", "node-history", "demo" */
    bool (*usable)(const struct r1_node *n);   /* can it describe this node's GPUs? */
    int (*sample)(struct r1_node *n, double now, char *err);   /* 0, 1 = no GPUs, -1 */
};

/* The backend used for n (first usable in table order). */
const struct gpu_backend *gpu_backend_for(const struct r1_node *n);

#endif
