//===- WindowRules.h - reference rules of the window ops --------*- C++ -*-===//
//
/// \file
/// conv2d, im2col, col2im, max_pool2d and avg_pool2d computed straight from
/// their definitions (direct loops over windows, no im2col), for the
/// reference evaluator.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_REFERENCE_WINDOWRULES_H
#define HEBB_CODEGEN_REFERENCE_WINDOWRULES_H

#include "codegen/reference/Evaluator.h"
#include "ir/HebbDialect.h"

namespace hebb::reference {

Tensor conv2d(Conv2dOp op, const Tensor &x, const Tensor &w);
Tensor im2col(Im2colOp op, const Tensor &x);
Tensor col2im(Col2imOp op, const Tensor &cols);
Tensor maxPool2d(MaxPool2dOp op, const Tensor &x);
Tensor avgPool2d(AvgPool2dOp op, const Tensor &x);

} // namespace hebb::reference

#endif // HEBB_CODEGEN_REFERENCE_WINDOWRULES_H
