/* sig: (being written) */
#ifndef R1_SIG_H
#define R1_SIG_H
#endif
