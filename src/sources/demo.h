/* demo: (being written) */
#ifndef R1_DEMO_H
#define R1_DEMO_H
#endif
