/* nvml: (being written) */
#ifndef R1_NVML_H
#define R1_NVML_H
#endif
