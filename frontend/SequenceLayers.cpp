//===- SequenceLayers.cpp - layers of the layers form for sequences -------===//
//
// Token ids in, vectors out: `embedding` (PyTorch's nn.Embedding, its table
// `NAME.weight` [num_embeddings, embedding_dim]).
//
//===----------------------------------------------------------------------===//

#include "frontend/Layers.h"

using namespace mlir;

namespace hebb::frontend {

/// Row ids[...] of the table for every token id: [batch, ...] i32 ->
/// [batch, ..., embedding_dim]. An id outside [0, num_embeddings) gives a
/// zero vector. The table starts N(0, 1), as PyTorch's.
Value buildEmbedding(LayerContext &c) {
  c.node.expectObject(
      {"type", "name", "num_embeddings", "embedding_dim", "weight_init"});
  auto in = typeOf(c.x);
  if (!in.getElementType().isInteger(32))
    c.node.fail("embedding expects token ids (an input with \"dtype\": "
                "\"i32\"), got " +
                typeString(in));
  int64_t rows = c.node.at("num_embeddings").integer(1, kMaxElements);
  int64_t dim = c.node.at("embedding_dim").integer(1, kMaxElements);
  Value table = addParam(c, "weight", {rows, dim}, "weight_init",
                         HEBB_INIT_NORMAL, rows, dim);
  if (!c.node.has("weight_init"))
    c.model.params.back().init.b = 1.0; // N(0, 1)
  SmallVector<int64_t> shape(in.getShape());
  shape.push_back(dim);
  checkElementCount(std::vector<int64_t>(shape.begin(), shape.end()), c.node);
  return c.g.create("gather", ValueRange{table, c.x}, {}, std::nullopt, c.node,
                    c.name);
}

} // namespace hebb::frontend
