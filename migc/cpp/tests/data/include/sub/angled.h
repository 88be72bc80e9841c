type angled_t = FROM_HEADER;
#include "sibling.h"
