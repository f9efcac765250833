/* fake_nvml: a stand-in libnvidia-ml.so.1 for testing r1top's dlopen'd NVML path on machines
 * without an NVIDIA GPU. It exports the few NVML entry points r1top resolves, with NVML's
 * public ABI written out from its documentation (no nvml.h: that needs the CUDA toolkit):
 *   nvmlReturn_t      an int-sized enum, 0 = NVML_SUCCESS
 *   nvmlDevice_t      an opaque pointer (struct nvmlDevice_st *)
 *   nvmlUtilization_t {unsigned int gpu, memory}            percent over the last sample period
 *   nvmlMemory_t      {unsigned long long total, free, used} bytes
 *   temperature       sensor enum, 0 = NVML_TEMPERATURE_GPU, degrees C
 *   power             milliwatts
 * The figures are fixed so a test can assert them exactly, and chosen to catch unit slips:
 * memory beyond 2^32 bytes (a 32-bit or KiB/MiB mix-up shows), power in mW that is not a
 * whole number of watts.
 *
 * Environment:
 *   FAKE_NVML_GPUS=0..8       how many GPUs (default 2)
 *   FAKE_NVML_FAIL_INIT=1     nvmlInit fails with 3 (NVML_ERROR_NOT_SUPPORTED)
 *   FAKE_NVML_NAME=...        GPU 0's name, byte for byte (hostile-string tests)
 *   FAKE_NVML_TRACE=FILE      append one line per call ("nvmlInit_v2", ...) to FILE
 *
 * Build: cc -shared -fPIC -o DIR/libnvidia-ml.so.1 fake_nvml.c; run with LD_LIBRARY_PATH=DIR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_EXPORT __attribute__((visibility("default")))

/* nvmlReturn_t values from the NVML reference ("Error reporting"). */
enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_UNKNOWN = 999,
};
typedef int nvmlReturn_t;

typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct {
    unsigned int gpu, memory;
} nvmlUtilization_t;
typedef struct {
    unsigned long long total, free, used;
} nvmlMemory_t;
typedef int nvmlTemperatureSensors_t; /* enum; 0 = NVML_TEMPERATURE_GPU */

#define FAKE_MAX_GPUS 8

struct nvmlDevice_st {
    int index;
};
static struct nvmlDevice_st devices[FAKE_MAX_GPUS] = {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}};
static int init_count; /* NVML counts nvmlInit calls; each needs its nvmlShutdown */

/* The two GPUs the tests assert on; further ones (FAKE_NVML_GPUS > 2) get derived figures. */
static const struct {
    const char *name;
    unsigned int util;
    unsigned long long total, used;
    unsigned int temp_c, power_mw;
} fixed[2] = {
    /* 80 GiB card, 12345678901 bytes used, 212.345 W */
    {"NVIDIA A100-SXM4-80GB", 37, 85899345920ULL, 12345678901ULL, 64, 212345},
    /* 24 GiB card, 3000 MiB used, 349.5 W */
    {"NVIDIA GeForce RTX 4090", 88, 25757220864ULL, 3145728000ULL, 71, 349500},
};

static void trace(const char *call)
{
    const char *path = getenv("FAKE_NVML_TRACE");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%s\n", call);
        fclose(f);
    }
}

static int gpu_count(void)
{
    const char *s = getenv("FAKE_NVML_GPUS");
    if (!s || !*s)
        return 2;
    int n = atoi(s);
    return n < 0 ? 0 : n > FAKE_MAX_GPUS ? FAKE_MAX_GPUS : n;
}

/* A handle is only good if it points at one of our devices and that GPU exists. */
static int dev_index(nvmlDevice_t d)
{
    for (int i = 0; i < gpu_count(); i++)
        if (d == &devices[i])
            return i;
    return -1;
}

FAKE_EXPORT nvmlReturn_t nvmlInit_v2(void);
FAKE_EXPORT nvmlReturn_t nvmlInit(void);
FAKE_EXPORT nvmlReturn_t nvmlShutdown(void);
FAKE_EXPORT const char *nvmlErrorString(nvmlReturn_t result);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device,
                                                       nvmlUtilization_t *utilization);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device,
                                                  nvmlTemperatureSensors_t sensorType,
                                                  unsigned int *temp);
FAKE_EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power);

nvmlReturn_t nvmlInit_v2(void)
{
    trace("nvmlInit_v2");
    const char *fail = getenv("FAKE_NVML_FAIL_INIT");
    if (fail && strcmp(fail, "1") == 0)
        return NVML_ERROR_NOT_SUPPORTED;
    init_count++;
    return NVML_SUCCESS;
}

/* The unversioned name, for callers that fall back to it. */
nvmlReturn_t nvmlInit(void)
{
    return nvmlInit_v2();
}

nvmlReturn_t nvmlShutdown(void)
{
    trace("nvmlShutdown");
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    init_count--;
    return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result)
{
    switch (result) {
    case NVML_SUCCESS:
        return "Success";
    case NVML_ERROR_UNINITIALIZED:
        return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT:
        return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED:
        return "Not Supported";
    case NVML_ERROR_INSUFFICIENT_SIZE:
        return "Insufficient Size";
    default:
        return "Unknown Error";
    }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount)
{
    trace("nvmlDeviceGetCount_v2");
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    if (!deviceCount)
        return NVML_ERROR_INVALID_ARGUMENT;
    *deviceCount = (unsigned int)gpu_count();
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    if (!device || index >= (unsigned int)gpu_count())
        return NVML_ERROR_INVALID_ARGUMENT;
    *device = &devices[index];
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    int i = dev_index(device);
    if (i < 0 || !name)
        return NVML_ERROR_INVALID_ARGUMENT;
    char buf[128];
    const char *over = getenv("FAKE_NVML_NAME");
    if (i == 0 && over)
        snprintf(buf, sizeof(buf), "%s", over);
    else if (i < 2)
        snprintf(buf, sizeof(buf), "%s", fixed[i].name);
    else
        snprintf(buf, sizeof(buf), "Fake GPU %d", i);
    /* like NVML: a buffer too small for the name and its NUL is an error, not a truncation */
    if (strlen(buf) + 1 > length)
        return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(name, buf, strlen(buf) + 1);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization)
{
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    int i = dev_index(device);
    if (i < 0 || !utilization)
        return NVML_ERROR_INVALID_ARGUMENT;
    utilization->gpu = i < 2 ? fixed[i].util : (unsigned int)(10 * i);
    utilization->memory = utilization->gpu / 2;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory)
{
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    int i = dev_index(device);
    if (i < 0 || !memory)
        return NVML_ERROR_INVALID_ARGUMENT;
    memory->total = i < 2 ? fixed[i].total : 17179869184ULL; /* 16 GiB */
    memory->used = i < 2 ? fixed[i].used : 1073741824ULL * (unsigned long long)i;
    memory->free = memory->total - memory->used;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, nvmlTemperatureSensors_t sensorType,
                                      unsigned int *temp)
{
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    int i = dev_index(device);
    if (i < 0 || !temp)
        return NVML_ERROR_INVALID_ARGUMENT;
    if (sensorType != 0) /* NVML_TEMPERATURE_GPU is the only sensor NVML defines */
        return NVML_ERROR_INVALID_ARGUMENT;
    *temp = i < 2 ? fixed[i].temp_c : (unsigned int)(40 + i);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power)
{
    if (init_count == 0)
        return NVML_ERROR_UNINITIALIZED;
    int i = dev_index(device);
    if (i < 0 || !power)
        return NVML_ERROR_INVALID_ARGUMENT;
    *power = i < 2 ? fixed[i].power_mw : (unsigned int)(100000 + 1000 * i);
    return NVML_SUCCESS;
}
