/*===- hebb/driver.h - the command line of a compiled model --------*- C -*-===*
 *
 * `hebb compile --emit=exe` links a model with libhebbdriver: its main()
 * calls hebb_driver_main, which offers `train`, `eval` and `run` with the
 * flags of `hebb train`, `hebb eval` and `hebb run` (see --help).
 *
 *===----------------------------------------------------------------------===*/

#ifndef HEBB_DRIVER_H
#define HEBB_DRIVER_H

#include "hebb/model.h"

#ifdef __cplusplus
extern "C" {
#endif

HEBB_API int hebb_driver_main(const hebb_model_desc *model, int argc,
                              char **argv);

#ifdef __cplusplus
}
#endif

#endif /* HEBB_DRIVER_H */
