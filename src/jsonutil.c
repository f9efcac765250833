#include "jsonutil.h"
