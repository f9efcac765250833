/* nvml: dlopen'd NVML. The few types and constants used are declared here from NVML's
 * documented ABI, because including nvml.h would need the CUDA toolkit at build time. The _v2
 * symbols are preferred where NVML versioned them (nvtop does the same). */
#include "nvml.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

typedef int nvml_return;   /* nvmlReturn_t: 0 = NVML_SUCCESS */
typedef void *nvml_device;
struct nvml_util { unsigned int gpu, memory; };
struct nvml_mem { unsigned long long total, free, used; };
#define NVML_TEMPERATURE_GPU 0

static struct {
    void *lib;
    bool tried;
    char error[R1_ERR_MAX];
    nvml_return (*init)(void);
    nvml_return (*shutdown)(void);
    const char *(*error_string)(nvml_return);
    nvml_return (*count)(unsigned int *);
    nvml_return (*by_index)(unsigned int, nvml_device *);
    nvml_return (*name)(nvml_device, char *, unsigned int);
    nvml_return (*util)(nvml_device, struct nvml_util *);
    nvml_return (*mem)(nvml_device, struct nvml_mem *);
    nvml_return (*temp)(nvml_device, int, unsigned int *);
    nvml_return (*power)(nvml_device, unsigned int *);
} nv;

static void *sym(const char *a, const char *b)
{
    void *f = dlsym(nv.lib, a);
    if (!f && b)
        f = dlsym(nv.lib, b);
    return f;
}

int nvml_open(char *err)
{
    if (nv.tried) {
        if (nv.lib)
            return 0;
        r1_strlcpy(err, nv.error, R1_ERR_MAX);
        return -1;
    }
    nv.tried = true;
    nv.lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!nv.lib) {
        r1_err(nv.error, "nvml: no NVIDIA driver library (libnvidia-ml.so.1) on this host");
        r1_strlcpy(err, nv.error, R1_ERR_MAX);
        return -1;
    }
    *(void **)&nv.init = sym("nvmlInit_v2", "nvmlInit");
    *(void **)&nv.shutdown = sym("nvmlShutdown", NULL);
    *(void **)&nv.error_string = sym("nvmlErrorString", NULL);
    *(void **)&nv.count = sym("nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    *(void **)&nv.by_index = sym("nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    *(void **)&nv.name = sym("nvmlDeviceGetName", NULL);
    *(void **)&nv.util = sym("nvmlDeviceGetUtilizationRates", NULL);
    *(void **)&nv.mem = sym("nvmlDeviceGetMemoryInfo", NULL);
    *(void **)&nv.temp = sym("nvmlDeviceGetTemperature", NULL);
    *(void **)&nv.power = sym("nvmlDeviceGetPowerUsage", NULL);
    nvml_return rc = -1;
    if (!nv.init || !nv.count || !nv.by_index || (rc = nv.init()) != 0) {
        r1_err(nv.error, "nvml: cannot initialise NVML (%s)",
               rc != -1 && nv.error_string ? nv.error_string(rc) : "missing symbols");
        dlclose(nv.lib);
        nv.lib = NULL;
        r1_strlcpy(err, nv.error, R1_ERR_MAX);
        return -1;
    }
    return 0;
}

int nvml_sample(struct r1_gpu *gpus, int max, int *n, double now, char *err)
{
    if (nvml_open(err) < 0)
        return -1;
    unsigned int count = 0;
    nvml_return rc = nv.count(&count);
    if (rc != 0)
        return r1_err(err, "nvml: cannot count GPUs (%s)",
                      nv.error_string ? nv.error_string(rc) : "?");
    if ((int)count > max)
        count = (unsigned int)max;
    for (unsigned int i = 0; i < count; i++) {
        struct r1_gpu *g = &gpus[i];
        nvml_device dev;
        g->meta.valid = 0;
        if (nv.by_index(i, &dev) != 0) {
            /* that GPU's figures stay n/a; the others are still read */
            g->meta.valid = 0;
            continue;
        }
        char name[96];
        if (nv.name && nv.name(dev, name, sizeof(name)) == 0) {
            r1_sanitize(g->name, sizeof(g->name), name);
            R1_MARK(g, GPU_NAME);
        }
        struct nvml_util u;
        if (nv.util && nv.util(dev, &u) == 0) {
            g->util_pct = u.gpu;
            R1_MARK(g, GPU_UTIL);
        }
        struct nvml_mem m;
        if (nv.mem && nv.mem(dev, &m) == 0) {
            g->mem_used_bytes = (double)m.used;
            g->mem_total_bytes = (double)m.total;
            R1_MARK(g, GPU_MEM);
        }
        unsigned int t;
        if (nv.temp && nv.temp(dev, NVML_TEMPERATURE_GPU, &t) == 0) {
            g->temp_c = t;
            R1_MARK(g, GPU_TEMP);
        }
        unsigned int mw;
        if (nv.power && nv.power(dev, &mw) == 0) {
            g->power_mw = mw;
            R1_MARK(g, GPU_POWER);
        }
        if (R1_VALID(g, GPU_UTIL))
            model_series_push(&g->util_hist, (float)g->util_pct);
        if (R1_VALID(g, GPU_MEM) && g->mem_total_bytes > 0)
            model_series_push(&g->mem_hist_pct,
                              (float)(100.0 * g->mem_used_bytes / g->mem_total_bytes));
        model_meta_ok(&g->meta, now);
    }
    *n = (int)count;
    return 0;
}

void nvml_close(void)
{
    if (nv.lib) {
        if (nv.shutdown)
            nv.shutdown();
        dlclose(nv.lib);
    }
    memset(&nv, 0, sizeof(nv));
}
