# hebb: `make test` and `make demo` do all the set-up themselves.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16

.PHONY: all deps configure build test demo demo-text bench clean sanitize fuzz

# The sanitizer build: hebb's code with ASan, UBSan and libFuzzer coverage.
SAN_BUILD ?= build-san
SAN_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 -DHEBB_FUZZ=ON
FUZZ_SECONDS ?= 60

all: build

deps:
	@bash scripts/setup-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -G Ninja -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(BUILD)

# The sequence samples on Debian's fortunes: a char-LSTM and a causal
# transformer language model (held-out loss, sampled text) and a topic
# classifier. DEMO_STEPS=N sets the language models' steps (default 1000).
demo-text: build
	@bash scripts/text-demo.sh $(BUILD)

# hebb against PyTorch 2.x, jax.jit, ONNX Runtime and OpenBLAS in one run:
# one table with the CPU and its measured FMA peak (bench/run.py). The peers
# come from ../shared/bench/setup-peers.sh (PEER_PYTHON: its python).
PEER_PYTHON ?= $(HOME)/.cache/hebb-peers/bin/python
bench: build
	python3 bench/run.py --build $(BUILD) --python $(PEER_PYTHON) --json $(BUILD)/bench.json

# Unit tests, the CLI and e2e tests and every fuzz corpus under ASan+UBSan.
sanitize: deps
	cmake -G Ninja -S . -B $(SAN_BUILD) $(SAN_FLAGS) >/dev/null
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) -E 'embed-out-of-tree|torch-crosscheck|format|docs-ops'

# Each fuzz target for FUZZ_SECONDS from its seed corpus.
fuzz: deps
	cmake -G Ninja -S . -B $(SAN_BUILD) $(SAN_FLAGS) -DHEBB_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build $(SAN_BUILD) -j $(JOBS) --target fuzz

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
