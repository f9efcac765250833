#include "trust.h"
