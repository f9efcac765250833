/* nvml: the local host's NVIDIA GPUs through NVML, loaded with dlopen("libnvidia-ml.so.1")
 * so r1top has no build or run dependency on CUDA: no driver, no GPUs, not an error.
 * Owns the library handle; gpu.c calls it as one of its backends. */
#ifndef R1_NVML_H
#define R1_NVML_H

#include "model.h"

/* 0 when NVML is loaded and initialised; -1 with err otherwise (cached after the first try). */
int nvml_open(char *err);
/* Fill gpus[0..*n) (at most max). 0, or -1 with err. Keeps each GPU's history series. */
int nvml_sample(struct r1_gpu *gpus, int max, int *n, double now, char *err);
void nvml_close(void);

#endif
