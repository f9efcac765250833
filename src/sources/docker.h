/* docker: (being written) */
#ifndef R1_DOCKER_H
#define R1_DOCKER_H
#endif
