#include "docker.h"
