#include "eth.h"
