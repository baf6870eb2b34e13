//===- Commands.cpp - train, eval and run: their flags and help -----------===//

#include "driver/Commands.h"

namespace hebb::driver {

namespace {
using flags::Flag;

const Flag kData{"data", "NAME",
                 "a named dataset: fashion-mnist (train and test splits;\n"
                 "default: the model's \"data\")"};
const Flag kDataX{"data-x", "[NAME=]FILE",
                  "inputs [samples, ...]: .npy, IDX (.gz or raw; bytes\n"
                  "scaled to [0, 1]) or .csv; a model with several inputs\n"
                  "takes one NAME=FILE per input",
                  "", true};
const Flag kDataY{"data-y", "FILE",
                  "labels: class indices [samples] or targets [samples, ...]"};
const Flag kSeed{"seed", "N",
                 "seed for initialisation, shuffling, dropout and sampling\n"
                 "(default 0)"};
const Flag kInit{"init", "FILE",
                 "start from these parameters (safetensors, PyTorch names\n"
                 "and layouts); default: the model's initialisers"};

std::vector<Command> build() {
  std::vector<Command> c;
  c.push_back(
      {"train",
       "[data] [options]",
       "train the model, then evaluate it",
       "Trains the model (forward, loss, backward and update: one compiled\n"
       "step) over mini-batches for some epochs, then evaluates it.",
       {kData,
        kDataX,
        kDataY,
        {"test-x", "[NAME=]FILE",
         "test inputs, evaluated after training (NAME=FILE per\n"
         "input, as --data-x)",
         "", true},
        {"test-y", "FILE", "test labels"},
        {"epochs", "N", "passes over the data (default: the model's, else 1)"},
        {"steps", "N", "run exactly N steps on consecutive batches, then stop"},
        {"no-shuffle", "",
         "keep the data order (default: shuffle every epoch)"},
        kSeed,
        {"lr", "X", "override the optimizer's learning rate"},
        {"validation-split", "F",
         "hold out the last fraction F of the training data"},
        {"patience", "N",
         "stop after N epochs without a better validation loss\n"
         "(and keep the best parameters)"},
        kInit,
        {"resume", "FILE",
         "continue from a checkpoint (parameters, optimizer state\n"
         "and step count)"},
        {"checkpoint", "FILE",
         "write parameters + optimizer state after every epoch"},
        {"save", "FILE",
         "write the parameters (safetensors: loads into a PyTorch\n"
         "state_dict)"},
        {"metrics", "FILE.csv",
         "per-epoch loss, validation loss/accuracy, lr, time"},
        {"plot", "FILE.svg", "loss and accuracy curves"},
        {"quiet", "", "print only the final line"}},
       "Every file is written through a temporary file and a rename: an\n"
       "interrupted run never leaves a torn file. The last partial batch of "
       "an\n"
       "epoch is not trained on (with shuffling it differs every epoch);\n"
       "evaluation counts every sample.\n"});
  c.push_back({"eval",
               "[data] [options]",
               "loss and accuracy of parameters over a dataset",
               "Loss and (for classifiers) accuracy of the parameters over\n"
               "every sample (default data: the test split of the model's).",
               {kData, kDataX, kDataY, kInit, kSeed},
               ""});
  c.push_back(
      {"run",
       "--input X.npy [options]",
       "run the forward pass on inputs",
       "Runs the forward pass on inputs and prints the outputs or\n"
       "writes them to .npy files.",
       {{"input", "[NAME=]FILE",
         "an input tensor (.npy); repeat for "
         "several inputs",
         "", true},
        {"init", "FILE", kInit.help, "weights"},
        {"output", "[NAME=]FILE",
         "write an output to FILE.npy instead of printing it", "", true},
        {"generate", "N",
         "instead of --input: write N bytes of text from a byte-level\n"
         "language model (input: i32 ids [T]; output: logits [T, V]\n"
         "or [V] over bytes), each sampled from the last position"},
        {"prompt", "TEXT", "the text --generate continues (default: none)"},
        {"temperature", "X",
         "--generate samples softmax(logits / X) (default 1; 0: the\n"
         "likeliest byte)"},
        kSeed},
       ""});
  return c;
}
} // namespace

const std::vector<Command> &commands() {
  static const std::vector<Command> all = build();
  return all;
}

const Command *findCommand(const std::string &name) {
  for (const Command &c : commands())
    if (c.name == name)
      return &c;
  return nullptr;
}

std::string helpText(const std::string &program, const Command &command,
                     const std::vector<flags::Flag> &extra,
                     const std::string &examples, const std::string &operand) {
  std::vector<flags::Flag> all = command.flags;
  all.insert(all.end(), extra.begin(), extra.end());
  std::string text = "usage: " + program + " " + command.name + " " +
                     (operand.empty() ? "" : operand + " ") + command.args +
                     "\n\n" + command.summary + "\n\noptions:\n" +
                     flags::describe(all);
  if (!command.notes.empty())
    text += "\n" + command.notes;
  if (!examples.empty())
    text += "\nexamples:\n" + examples;
  return text;
}

} // namespace hebb::driver
