/* being written */
#include "panes.h"
