/* keys: (being written) */
#ifndef R1_UI_KEYS_H
#define R1_UI_KEYS_H
#endif
