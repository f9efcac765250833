/* eth: (being written) */
#ifndef R1_ETH_H
#define R1_ETH_H
#endif
