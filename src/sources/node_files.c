#include "node_files.h"
