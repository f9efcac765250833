/* identity: (being written) */
#ifndef R1_IDENTITY_H
#define R1_IDENTITY_H
#endif
