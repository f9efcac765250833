/* canon_json: (being written) */
#ifndef R1_CANON_JSON_H
#define R1_CANON_JSON_H
#endif
