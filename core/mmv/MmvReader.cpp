// See MmvReader.h. Implementation in progress.
#include "core/mmv/MmvReader.h"
