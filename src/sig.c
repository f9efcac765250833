#include "sig.h"
