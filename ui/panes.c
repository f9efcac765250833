#include "panes.h"
