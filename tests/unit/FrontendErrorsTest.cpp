//===- FrontendErrorsTest.cpp - malformed models, exact messages ----------===//
//
// Each case is a model file a careless user or an attacker could write and
// the one-line message the frontend must give for it. FILE stands for the
// path of the model file.
//
//===----------------------------------------------------------------------===//

#include "codegen/Compiler.h"
#include "frontend/Model.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <gtest/gtest.h>

#include <fstream>

namespace {

struct Case {
  const char *name;
  std::string json;
  std::string message;
};

const std::string kDense =
    R"("input": {"shape": [4]}, "layers": [{"type": "dense", "units": 3}])";

std::vector<Case> cases() {
  return {
      {"empty_file", "",
       "FILE: line 1, column 1: malformed JSON: syntax error "
       "while parsing value - unexpected end of input; "
       "expected '[', '{', or a literal"},
      {"trailing_comma", "{\"layers\": [1,]}",
       "FILE: line 1, column 15: malformed JSON: syntax error while parsing "
       "value - unexpected ']'; expected '[', '{', or a literal"},
      {"second_line", "{\n  \"name\": \"x\"\n  \"layers\": []\n}",
       "FILE: line 3, column 10: malformed JSON: syntax error while parsing "
       "object - unexpected string literal; expected '}'"},
      {"not_object", "[1, 2]",
       "FILE: /: expected an object, found a list of length 2"},
      {"deep_nesting", std::string(100, '[') + std::string(100, ']'),
       "FILE: line 1, column 65: nesting deeper than 64 levels"},
      {"no_form", "{\"name\": \"m\"}",
       "FILE: /: missing \"layers\" or \"graph\""},
      {"both_forms", "{\"layers\": [], \"graph\": {}}",
       "FILE: /: give either \"layers\" or \"graph\", not both"},
      {"unknown_top_key", "{\"layerz\": []}",
       "FILE: /layerz: unknown key 'layerz'; did you mean 'layers'?"},
      {"bad_name", "{\"name\": \"my model\", " + kDense + "}",
       "FILE: /name: expected a C identifier of at most 64 characters, not "
       "starting with \"hebb\" (libhebbrt's prefix), found \"my model\""},
      {"batch_zero", "{\"batch_size\": 0, " + kDense + "}",
       "FILE: /batch_size: expected an integer in [1, 2147483647], found 0"},
      {"batch_string", "{\"batch_size\": \"8\", " + kDense + "}",
       "FILE: /batch_size: expected an integer in [1, 2147483647], found "
       "\"8\""},
      {"missing_input", "{\"layers\": [{\"type\": \"dense\", \"units\": 3}]}",
       "FILE: /: missing \"input\" or \"inputs\""},
      {"input_shape_negative",
       R"({"input": {"shape": [-4]}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /input/shape/0: expected an integer in [1, 2147483647], found "
       "-4"},
      {"input_shape_huge",
       R"({"input": {"shape": [1099511627776]}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /input/shape/0: expected an integer in [1, 2147483647], found "
       "1099511627776"},
      {"input_shape_product",
       R"({"input": {"shape": [65536, 65536]}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /input/shape: shape has more than 2147483647 elements"},
      {"input_shape_float",
       R"({"input": {"shape": [4.5]}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /input/shape/0: expected an integer in [1, 2147483647], found "
       "4.5"},
      {"input_shape_float_huge",
       R"({"input": {"shape": [6.6e114]}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /input/shape/0: expected an integer in [1, 2147483647], found "
       "6.6e+114"},
      {"batch_float_two_to_63",
       "{\"batch_size\": 9223372036854775808.0, " + kDense + "}",
       "FILE: /batch_size: expected an integer in [1, 2147483647], found "
       "9.223372036854776e+18"},
      {"input_dtype",
       R"({"input": {"shape": [4], "dtype": "f16"}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /input/dtype: expected \"f32\" or \"i32\", found \"f16\""},
      {"no_layers", R"({"input": {"shape": [4]}, "layers": []})",
       "FILE: /layers: expected at least one layer"},
      {"layer_not_object", R"({"input": {"shape": [4]}, "layers": [7]})",
       "FILE: /layers/0: expected a layer object, found 7"},
      {"unknown_layer",
       R"({"input": {"shape": [4]}, "layers": [{"type": "dence", "units": 3}]})",
       "FILE: /layers/0/type: unknown layer type 'dence'; did you mean "
       "'dense'?"},
      {"unknown_layer_key",
       R"({"input": {"shape": [4]}, "layers": [{"type": "dense", "unit": 3}]})",
       "FILE: /layers/0/unit: unknown key 'unit'; did you mean 'units'?"},
      {"units_missing",
       R"({"input": {"shape": [4]}, "layers": [{"type": "dense"}]})",
       "FILE: /layers/0: missing required key 'units'"},
      {"units_huge",
       R"({"input": {"shape": [4]}, "layers": [{"type": "dense", "units": 1099511627776}]})",
       "FILE: /layers/0/units: expected an integer in [1, 2147483647], found "
       "1099511627776"},
      {"weight_too_big",
       R"({"input": {"shape": [65536]}, "layers": [{"type": "dense", "units": 65536}]})",
       "FILE: /layers/0: shape has more than 2147483647 elements"},
      {"unknown_activation",
       R"({"input": {"shape": [4]}, "layers": [{"type": "dense", "units": 3, "activation": "rellu"}]})",
       "FILE: /layers/0/activation: unknown activation 'rellu'; did you mean "
       "'relu'?"},
      {"dense_ids",
       R"({"input": {"shape": [2, 4], "dtype": "i32"}, "layers": [{"type": "dense", "units": 3}]})",
       "FILE: /layers/0: dense expects f32 [batch, ..., features], got "
       "tensor<1x2x4xi32>"},
      {"conv2d_rank2",
       R"({"input": {"shape": [4]}, "layers": [{"type": "conv2d", "filters": 2, "kernel_size": 3}]})",
       "FILE: /layers/0: conv2d expects [batch, channels, height, width], got "
       "tensor<1x4xf32>; give input.shape as [channels, height, width] or add "
       "a reshape layer"},
      {"pool_rank2",
       R"({"input": {"shape": [4]}, "layers": [{"type": "avg_pool2d", "kernel_size": 2}]})",
       "FILE: /layers/0: avg_pool2d expects [batch, channels, height, width], "
       "got tensor<1x4xf32>; give input.shape as [channels, height, width] or "
       "add a reshape layer"},
      {"embedding_float_input",
       R"({"input": {"shape": [4]}, "layers": [{"type": "embedding", "num_embeddings": 9, "embedding_dim": 2}]})",
       "FILE: /layers/0: embedding expects token ids (an input with \"dtype\": "
       "\"i32\"), got tensor<1x4xf32>"},
      {"embedding_no_dim",
       R"({"input": {"shape": [4], "dtype": "i32"}, "layers": [{"type": "embedding", "num_embeddings": 9}]})",
       "FILE: /layers/0: missing required key 'embedding_dim'"},
      {"embedding_too_big",
       R"({"input": {"shape": [65536], "dtype": "i32"}, "layers": [{"type": "embedding", "num_embeddings": 9, "embedding_dim": 65536}]})",
       "FILE: /layers/0: shape has more than 2147483647 elements"},
      {"lstm_rank2",
       R"({"input": {"shape": [4]}, "layers": [{"type": "lstm", "hidden_size": 3}]})",
       "FILE: /layers/0: lstm expects a sequence [batch, steps, features] of "
       "f32, got tensor<1x4xf32>"},
      {"rnn_nonlinearity",
       R"({"input": {"shape": [2, 4]}, "layers": [{"type": "rnn", "hidden_size": 3, "nonlinearity": "sigmoid"}]})",
       "FILE: /layers/0/nonlinearity: expected \"tanh\" or \"relu\", found "
       "\"sigmoid\""},
      {"gru_no_nonlinearity",
       R"({"input": {"shape": [2, 4]}, "layers": [{"type": "gru", "hidden_size": 3, "nonlinearity": "tanh"}]})",
       "FILE: /layers/0/nonlinearity: unknown key 'nonlinearity'"},
      {"layer_norm_epsilon",
       R"({"input": {"shape": [4]}, "layers": [{"type": "layer_norm", "epsilon": 0}]})",
       "FILE: /layers/0/epsilon: expected an epsilon in (0, 1), found 0"},
      {"layer_norm_tokens",
       R"({"input": {"shape": [4], "dtype": "i32"}, "layers": [{"type": "layer_norm"}]})",
       "FILE: /layers/0: layer_norm expects [batch, ..., features] of f32, "
       "got tensor<1x4xi32>"},
      {"attention_heads",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "multi_head_attention", "num_heads": 4}]})",
       "FILE: /layers/0/num_heads: num_heads 4 does not divide the 6 "
       "features"},
      {"attention_embed_dim",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "multi_head_attention", "embed_dim": 8, "num_heads": 2}]})",
       "FILE: /layers/0/embed_dim: embed_dim 8 differs from the input's 6 "
       "features"},
      {"attention_flat",
       R"({"input": {"shape": [6]}, "layers": [{"type": "multi_head_attention", "num_heads": 2}]})",
       "FILE: /layers/0: multi_head_attention expects a sequence [batch, "
       "steps, features] of f32, got tensor<1x6xf32>"},
      {"encoder_activation",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "transformer_encoder_layer", "nhead": 2, "activation": "tanh"}]})",
       "FILE: /layers/0/activation: expected \"relu\" or \"gelu\", found "
       "\"tanh\""},
      {"encoder_dropout",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "transformer_encoder_layer", "nhead": 2, "dropout": 1}]})",
       "FILE: /layers/0/dropout: expected a rate in [0, 1), found 1"},
      {"encoder_no_heads",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "transformer_encoder_layer", "d_model": 6}]})",
       "FILE: /layers/0: missing required key 'nhead'"},
      {"positions_kind",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "positional_encoding", "kind": "rotary"}]})",
       "FILE: /layers/0/kind: expected \"learned\" or \"sinusoidal\", found "
       "\"rotary\""},
      {"positions_sinusoidal_init",
       R"({"input": {"shape": [5, 6]}, "layers": [{"type": "positional_encoding", "kind": "sinusoidal", "weight_init": "zeros"}]})",
       "FILE: /layers/0/weight_init: a sinusoidal encoding has no weights"},
      {"input_and_inputs",
       R"({"input": {"shape": [4]}, "inputs": [{"name": "a", "shape": [4]}], "layers": [{"type": "flatten"}]})",
       "FILE: /: give either \"input\" or \"inputs\", not both"},
      {"inputs_unnamed",
       R"({"inputs": [{"shape": [4]}], "layers": [{"type": "flatten"}]})",
       "FILE: /inputs/0: missing required key 'name'"},
      {"mask_unknown",
       R"({"inputs": [{"name": "x", "shape": [5, 3]}, {"name": "mask", "shape": [5]}], "layers": [{"type": "lstm", "hidden_size": 2, "mask": "mask_"}]})",
       "FILE: /layers/0/mask: unknown input 'mask_'; did you mean 'mask'?"},
      {"mask_shape",
       R"({"inputs": [{"name": "x", "shape": [5, 3]}, {"name": "mask", "shape": [4]}], "layers": [{"type": "sequence_pool", "mode": "mean", "mask": "mask"}]})",
       "FILE: /layers/0/mask: a mask is f32 [batch, steps] = [1, 5], got "
       "tensor<1x4xf32>"},
      {"pool_mode",
       R"({"input": {"shape": [5, 3]}, "layers": [{"type": "sequence_pool", "mode": "sum"}]})",
       "FILE: /layers/0/mode: expected \"mean\", \"max\" or \"last\", found "
       "\"sum\""},
      {"padding_idx_range",
       R"({"input": {"shape": [4], "dtype": "i32"}, "layers": [{"type": "embedding", "num_embeddings": 9, "embedding_dim": 2, "padding_idx": 9}]})",
       "FILE: /layers/0/padding_idx: expected an integer in [-9, 8], found 9"},
      {"conv2d_kernel_string",
       R"({"input": {"shape": [1, 8, 8]}, "layers": [{"type": "conv2d", "filters": 2, "kernel_size": "3"}]})",
       "FILE: /layers/0/kernel_size: expected an integer in [1, 1048576], "
       "found \"3\""},
      {"conv2d_unknown_padding",
       R"({"input": {"shape": [1, 8, 8]}, "layers": [{"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": "full"}]})",
       "FILE: /layers/0/padding: expected \"valid\", \"same\", an integer or "
       "a list of 2 or 4, found \"full\""},
      {"conv2d_groups",
       R"({"input": {"shape": [4, 8, 8]}, "layers": [{"type": "conv2d", "filters": 6, "kernel_size": 3, "groups": 4}]})",
       "FILE: /layers/0/groups: groups (4) must divide the input channels (4) "
       "and the filters (6)"},
      {"pool_window_too_big",
       R"({"input": {"shape": [1, 4, 4]}, "layers": [{"type": "max_pool2d", "kernel_size": 5}]})",
       "FILE: /layers/0: node 'max_pool2d0' (max_pool2d): the window spans "
       "5x5, more than the padded image [1, 1, 4, 4] (padding [0, 0, 0, 0])"},
      {"avg_pool_ceil_mode",
       R"({"input": {"shape": [1, 5, 5]}, "layers": [{"type": "avg_pool2d", "kernel_size": 2, "ceil_mode": true}]})",
       "FILE: /layers/0/ceil_mode: ceil_mode is supported by max_pool2d only"},
      {"reshape_cannot_hold",
       R"({"input": {"shape": [784]}, "layers": [{"type": "reshape", "shape": [1, 28, 27]}]})",
       "FILE: /layers/0/shape: a sample of tensor<1x784xf32> has 784 "
       "elements, which shape [1,28,27] cannot hold"},
      {"reshape_two_unknown",
       R"({"input": {"shape": [784]}, "layers": [{"type": "reshape", "shape": [-1, 28, -1]}]})",
       "FILE: /layers/0/shape: expected positive sizes and at most one -1, "
       "found a list of length 3"},
      {"duplicate_layer_names",
       R"({"input": {"shape": [4]}, "layers": [{"type": "dense", "name": "fc", "units": 3}, {"type": "dense", "name": "fc", "units": 3}]})",
       "FILE: /layers/1: name 'fc.weight' is already defined"},
      {"values_wrong_shape",
       R"({"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1, "weight_init": {"values": [3, -2]}}]})",
       "FILE: /layers/0/weight_init/values: expected a list of length 1, "
       "found a list of length 2"},
      {"values_not_number",
       R"({"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1, "weight_init": {"values": [[3, "x"]]}}]})",
       "FILE: /layers/0/weight_init/values/0/1: expected a number, found "
       "\"x\""},
      {"unknown_init",
       R"({"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1, "weight_init": "glorot_unifrom"}]})",
       "FILE: /layers/0/weight_init: unknown initialiser 'glorot_unifrom'; did "
       "you mean 'glorot_uniform'?"},
      {"init_needs_args",
       R"({"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1, "weight_init": "uniform"}]})",
       "FILE: /layers/0/weight_init: initialiser 'uniform' needs 2 "
       "argument(s): write {\"uniform\": ...}"},
      {"init_bad_bounds",
       R"({"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1, "weight_init": {"uniform": [1, -1]}}]})",
       "FILE: /layers/0/weight_init/uniform: uniform bounds must satisfy low "
       "<= high"},
      {"graph_unknown_op",
       R"({"graph": {"inputs": [{"name": "x", "shape": [2]}], "nodes": [{"name": "y", "op": "sigmod", "inputs": ["x"]}], "outputs": ["y"]}})",
       "FILE: /graph/nodes/0/op: unknown op 'sigmod'; did you mean "
       "'sigmoid'?"},
      {"graph_unknown_input",
       R"({"graph": {"inputs": [{"name": "x", "shape": [2]}], "nodes": [{"name": "y", "op": "exp", "inputs": ["xx"]}], "outputs": ["y"]}})",
       "FILE: /graph/nodes/0/inputs/0: unknown value 'xx'; did you mean 'x'?"},
      {"graph_shape_mismatch",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}, {"name": "b", "shape": [3, 2]}], "nodes": [{"name": "c", "op": "add", "inputs": ["a", "b"]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (add): operands must have the same "
       "shape and element type, got 'tensor<2x3xf32>' and 'tensor<3x2xf32>' "
       "(broadcast explicitly with broadcast_in_dim)"},
      {"graph_matmul_mismatch",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}, {"name": "b", "shape": [4, 5]}], "nodes": [{"name": "c", "op": "matmul", "inputs": ["a", "b"]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (matmul): contracting dimensions "
       "differ: 'tensor<2x3xf32>' has 3, 'tensor<4x5xf32>' has 4"},
      {"graph_wrong_arity",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2]}], "nodes": [{"name": "c", "op": "add", "inputs": ["a"]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (add): expects 2 operands, got 1"},
      {"graph_unknown_attr",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}], "nodes": [{"name": "c", "op": "softmax", "inputs": ["a"], "attributes": {"axes": 1}}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0/attributes/axes: op 'softmax' has no attribute "
       "'axes'; did you mean 'axis'?"},
      {"graph_missing_attr",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}], "nodes": [{"name": "c", "op": "softmax", "inputs": ["a"]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (softmax): requires attribute 'axis' "
       "(integer)"},
      {"graph_axis_range",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}], "nodes": [{"name": "c", "op": "softmax", "inputs": ["a"], "attributes": {"axis": 2}}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0/attributes/axis: expected an integer in [-2, 1], "
       "found 2"},
      {"graph_bad_predicate",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2]}], "nodes": [{"name": "c", "op": "compare", "inputs": ["a", "a"], "attributes": {"predicate": "gte"}}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0/attributes/predicate: expected one of \"eq\", "
       "\"ne\", \"lt\", \"le\", \"gt\", \"ge\", found \"gte\""},
      {"graph_float_type_for_exp", R"({"graph": {"inputs": [{"name": "a", "shape": [2], "dtype": "i32"}], "nodes": [{"name": "c", "op": "exp", "inputs": ["a"]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (exp): 'hebb.exp' op operand #0 must "
       "be statically shaped tensor of f32, but got 'tensor<2xi32>'"},
      {"graph_reshape_count",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}], "nodes": [{"name": "c", "op": "reshape", "inputs": ["a"], "shape": [7]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (reshape): 'hebb.reshape' op element "
       "count differs: 'tensor<2x3xf32>' has 6, 'tensor<7xf32>' has 7"},
      {"graph_reshape_no_shape",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2, 3]}], "nodes": [{"name": "c", "op": "reshape", "inputs": ["a"]}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0: node 'c' (reshape): needs a result \"shape\""},
      {"graph_duplicate_node",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2]}], "nodes": [{"name": "a", "op": "exp", "inputs": ["a"]}], "outputs": ["a"]}})",
       "FILE: /graph/nodes/0/name: name 'a' is already defined"},
      {"graph_unknown_output",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2]}], "nodes": [{"name": "b", "op": "exp", "inputs": ["a"]}], "outputs": ["c"]}})",
       "FILE: /graph/outputs/0: unknown value 'c'; did you mean 'a'?"},
      {"graph_no_outputs",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2]}], "nodes": [], "outputs": []}})",
       "FILE: /graph/outputs: expected at least one output"},
      {"graph_node_key",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2]}], "nodes": [{"name": "b", "op": "exp", "input": ["a"]}], "outputs": ["b"]}})",
       "FILE: /graph/nodes/0/input: unknown key 'input'; did you mean "
       "'inputs'?"},
      {"graph_constant_i32_fraction",
       R"({"graph": {"inputs": [], "nodes": [{"name": "c", "op": "constant", "value": [1.5], "shape": [1], "dtype": "i32"}], "outputs": ["c"]}})",
       "FILE: /graph/nodes/0/value: i32 constant holds a value that is not a "
       "32-bit integer"},
      {"graph_input_in_layers_form",
       R"({"input": {"shape": [2]}, "graph": {}})",
       "FILE: /input: \"input\" belongs to the \"layers\" form; the graph form "
       "lists \"inputs\" inside \"graph\""},
      {"graph_huge_rank",
       R"({"graph": {"inputs": [{"name": "a", "shape": [1,1,1,1,1,1,1,1,1]}], "nodes": [], "outputs": ["a"]}})",
       "FILE: /graph/inputs/0/shape: rank 9 is above the limit of 8"},
      {"graph_one_hot_depth",
       R"({"graph": {"inputs": [{"name": "a", "shape": [2], "dtype": "i32"}], "nodes": [{"name": "b", "op": "one_hot", "inputs": ["a"], "attributes": {"depth": 0}}], "outputs": ["b"]}})",
       "FILE: /graph/nodes/0/attributes/depth: expected an integer in [1, "
       "2147483647], found 0"},
      {"training_unknown_loss",
       "{" + kDense + R"(, "training": {"loss": "crossentropy"}})",
       "FILE: /training/loss: unknown loss 'crossentropy'; did you mean "
       "'categorical_crossentropy'?"},
      {"training_unknown_optimizer",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "optimizer": {"kind": "adamw"}}})",
       "FILE: /training/optimizer/kind: unknown optimizer 'adamw'; did you "
       "mean 'adam'?"},
      {"training_wrong_setting",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "optimizer": {"kind": "adam", "momentum": 0.9}}})",
       "FILE: /training/optimizer/momentum: optimizer 'adam' has no setting "
       "'momentum'"},
      {"training_negative_lr",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "optimizer": {"kind": "sgd", "lr": -1}}})",
       "FILE: /training/optimizer/lr: expected a number in [0.000000, "
       "1000000.000000], found -1"},
      {"training_class_loss_shape",
       R"({"graph": {"inputs": [{"name": "x", "shape": [2]}], "nodes": [], "outputs": ["x"]}, "training": {"loss": "nll"}})",
       "FILE: /training/loss: loss 'nll' needs a [batch, ..., classes] "
       "output, "
       "got tensor<2xf32>"},
      {"training_data_unknown",
       "{" + kDense + R"(, "training": {"loss": "mse", "data": "mnist"}})",
       "FILE: /training/data: expected \"fashion-mnist\", or {\"x\": ..., "
       "\"y\": ...} with files or values, found \"mnist\""},
      {"training_data_mixed",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "data": {"x": "x.csv", "y": [[1, 2, 3]]}}})",
       "FILE: /training/data: give \"x\" and \"y\" both as files or both as "
       "values"},
      {"training_data_sample_size",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "data": {"x": [[1, 2, 3]], "y": [[1, 2, 3]]}}})",
       "FILE: /training/data/x: each sample has 3 values, the model expects 4"},
      {"training_data_counts",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "data": {"x": [[1, 2, 3, 4], [5, 6, 7, 8]], "y": [[1, 2, 3]]}}})",
       "FILE: /training/data/y: 1 labels for 2 samples"},
      {"training_data_ragged",
       "{" + kDense +
           R"(, "training": {"loss": "mse", "data": {"x": [[1, 2, 3, 4], [5, 6, 7]], "y": [[1, 2, 3], [1, 2, 3]]}}})",
       "FILE: /training/data/x/1: expected a list of length 4, found a list of "
       "length 3"},
  };
}

class FrontendErrors : public ::testing::Test {
protected:
  FrontendErrors() { ctx = hebb::createCompilerContext(); }
  std::unique_ptr<mlir::MLIRContext> ctx;
};

TEST_F(FrontendErrors, EachMalformedModelGetsItsExactMessage) {
  std::vector<Case> all = cases();
  ASSERT_GE(all.size(), 30u);
  for (const Case &c : all) {
    std::string path = ::testing::TempDir() + "hebb_bad_" + c.name + ".json";
    std::ofstream(path) << c.json;
    auto model = hebb::frontend::loadModel(path, *ctx);
    ASSERT_FALSE((bool)model) << c.name << ": loaded without error";
    std::string message = llvm::toString(model.takeError());
    std::string expected = c.message;
    expected.replace(expected.find("FILE"), 4, path);
    EXPECT_EQ(message, expected) << c.name;
    EXPECT_EQ(message.find('\n'), std::string::npos) << c.name;
  }
}

TEST_F(FrontendErrors, MissingFileIsReported) {
  auto model = hebb::frontend::loadModel("/nonexistent/model.json", *ctx);
  ASSERT_FALSE((bool)model);
  EXPECT_EQ(llvm::toString(model.takeError()),
            "/nonexistent/model.json: cannot open: No such file or directory "
            "(model file)");
}

TEST_F(FrontendErrors, SamplesLoadAndVerify) {
  for (const char *sample : {"perceptron", "xor", "mnist_mlp"}) {
    std::string path =
        std::string(HEBB_SOURCE_DIR) + "/samples/" + sample + ".json";
    auto model = hebb::frontend::loadModel(path, *ctx);
    ASSERT_TRUE((bool)model) << llvm::toString(model.takeError());
    EXPECT_EQ(model->name, sample);
  }
}

} // namespace
