//===- TrainCommand.cpp - hebb train --------------------------------------===//
//
// Compiles the model's whole training step (forward, loss, backward,
// optimiser update: one function, @train_step) next to @eval and @forward,
// and runs the training driver that compiled programs use
// (runtime/driver): mini-batches, epochs, seeded shuffling, learning-rate
// schedules, validation and early stopping, metrics, checkpoints, and a
// final evaluation that counts every sample.
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Commands.h"
#include "tools/hebb/JitProgram.h"
#include "tools/hebb/Session.h"

#include <iostream>

namespace hebb::tool {

static const char *kTrainHelp = R"(usage: hebb train MODEL.json [data] [options]

Trains MODEL (which needs a "training" section: loss and optimizer). The
whole step is one compiled function; evaluation uses the compiled @eval.

data (default: the model's "data", e.g. "fashion-mnist"):
  --data NAME           a named dataset: fashion-mnist (train and test splits)
  --data-x FILE         inputs [samples, ...]: .npy, IDX (.gz or raw) or .csv
  --data-y FILE         labels: class indices [samples] or targets [samples, ...]
  --test-x/--test-y F   a test set, evaluated after training
  IDX unsigned-byte images are scaled to [0, 1].

options:
  --epochs N            passes over the data (default: the model's, else 1)
  --batch N             mini-batch size (default: the model's batch_size)
  --steps N             run exactly N steps on consecutive batches, then stop
  --no-shuffle          keep the data order (default: shuffle every epoch)
  --seed N              seed for initialisation, shuffling, dropout (default 0)
  --lr X                override the optimizer's learning rate
  --validation-split F  hold out the last fraction F of the training data
  --patience N          stop after N epochs without a better validation loss
                        (and keep the best parameters)
  --init FILE           start from these parameters (safetensors, PyTorch names)
  --resume FILE         continue from a checkpoint (parameters, optimizer
                        state and step count)
  --checkpoint FILE     write parameters + optimizer state after every epoch
  --save FILE           write the parameters (safetensors, PyTorch names: loads
                        into a PyTorch state_dict)
  --metrics FILE.csv    per-epoch loss, validation loss/accuracy, lr, time
  --plot FILE.svg       loss and accuracy curves
  --quiet               print only the final line
  --cpu NAME            native (default), x86-64-v3, x86-64-v4

Every file is written through a temporary file and a rename: an interrupted
run never leaves a torn file. The last partial batch of an epoch is not
trained on (with shuffling it differs every epoch); evaluation counts every
sample. Programs from `hebb compile --emit=exe` run this same driver.

examples:
  hebb train samples/keras_mnist_mlp.json --epochs 20 --metrics m.csv --plot m.svg
  hebb train model.json --init w0.safetensors --data-x X.npy --data-y Y.npy \
      --steps 10 --no-shuffle --save w10.safetensors
)";

int trainCommand(int argc, char **argv) {
  ToolArgs args = splitToolArgs(argc, argv);
  if (args.help) {
    std::cout << kTrainHelp;
    return 0;
  }
  if (args.model.empty())
    throw UsageError("hebb train needs exactly one model file (see --help)");
  Session session;
  frontend::Model model = session.load(args.model, args.batch);
  if (!model.training.present)
    throw UsageError(model.path + ": the model has no \"training\" section "
                                  "(loss and optimizer)");
  if (model.inputs.size() != 1)
    throw UsageError(model.path + ": hebb train supports models with one input");
  buildTrainingProgram(model);
  JitProgram program = compileProgram(model, args.cpu);
  return runDriver(program, "train", args);
}

} // namespace hebb::tool
