#include "rewards.h"
