#include "nvml.h"
