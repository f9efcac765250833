#include "poller.h"
