#include "epoch.h"
