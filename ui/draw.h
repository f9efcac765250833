/* draw: (being written) */
#ifndef R1_UI_DRAW_H
#define R1_UI_DRAW_H
#endif
