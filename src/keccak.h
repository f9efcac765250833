/* keccak: (being written) */
#ifndef R1_KECCAK_H
#define R1_KECCAK_H
#endif
