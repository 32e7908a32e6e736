#include "core/org_unit.h"
