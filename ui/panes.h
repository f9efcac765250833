/* panes: (being written) */
#ifndef R1_UI_PANES_H
#define R1_UI_PANES_H
#endif
