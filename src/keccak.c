#include "keccak.h"
