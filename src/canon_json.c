#include "canon_json.h"
