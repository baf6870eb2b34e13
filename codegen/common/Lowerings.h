//===- Lowerings.h - hebb-to-linalg patterns kept in their own files -*- C++
//-*-===//

#ifndef HEBB_CODEGEN_COMMON_LOWERINGS_H
#define HEBB_CODEGEN_COMMON_LOWERINGS_H

#include "mlir/Transforms/DialectConversion.h"

namespace hebb {

/// hebb.random_uniform (Philox per element) and hebb.dropout (identity).
void populateRandomLowerings(mlir::RewritePatternSet &patterns);

} // namespace hebb

#endif // HEBB_CODEGEN_COMMON_LOWERINGS_H
