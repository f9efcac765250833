/* oracle: (being written) */
#ifndef R1_ORACLE_H
#define R1_ORACLE_H
#endif
