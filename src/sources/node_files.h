/* node_files: (being written) */
#ifndef R1_NODE_FILES_H
#define R1_NODE_FILES_H
#endif
