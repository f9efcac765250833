/* trust: (being written) */
#ifndef R1_TRUST_H
#define R1_TRUST_H
#endif
