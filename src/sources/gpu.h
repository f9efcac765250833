/* gpu: (being written) */
#ifndef R1_GPU_H
#define R1_GPU_H
#endif
