// An intake file that calls libharu itself, which only pdf/ may: the module check must refuse it.
#include <hpdf.h>
