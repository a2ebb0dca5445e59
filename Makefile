# ssprove: `make run` shows what the project does today, `make test` checks all of it.
SHELL := /bin/bash

# CI and fresh machines have Go in /usr/local/go without it always being on PATH.
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BIN := bin/ssprove
PKGS := ./...

.PHONY: all build run test unit purego lint test-arm64 test-icicle test-cuda bench fuzz clean examples icicle cuda

all: build

build:
	$(GO) build -o $(BIN) ./cmd/ssprove

# The machine and its backends; the DEX scenario executed on a fresh ledger (both
# engines, compared), then again with every transaction proved before it is
# committed and its proof verified; the Nightstream constraint systems checked
# and their IVC chain folded, proven and verified (stage 1, Neo); then the
# kernels, the sum-check and logUp provers and Neo folding measured against
# their references at sizes that finish in seconds.
NIGHTSTREAM := ../shared/testdata/nightstream
run: build
	./$(BIN) info
	scripts/scenario.sh ./$(BIN) examples/dex
	scripts/scenario.sh ./$(BIN) examples/dex prove
	./$(BIN) ccs check $(NIGHTSTREAM)/poseidon2_ic_circuit_batch_10.json
	./$(BIN) ccs check $(NIGHTSTREAM)/test_starstream_tx_export_valid.json
	proof=$$(mktemp) && ./$(BIN) fold prove $(NIGHTSTREAM)/test_starstream_tx_export_valid.json -o $$proof \
	  && ./$(BIN) fold verify $(NIGHTSTREAM)/test_starstream_tx_export_valid.json $$proof; rc=$$?; rm -f $$proof; exit $$rc
	./$(BIN) bench ntt --log-size 16 --rounds 3
	./$(BIN) bench field --log-size 16 --rounds 3
	./$(BIN) bench commit --log-size 14 --rounds 3
	./$(BIN) bench sumcheck --log-size 16 --rounds 3
	./$(BIN) bench lookup --log-size 14 --rounds 3
	./$(BIN) bench fold --log-size 10 --rounds 1

test: unit purego lint test-arm64 test-icicle test-cuda

unit:
	$(GO) test -count=1 $(PKGS)

# The portable path alone, as a build without assembly runs it.
purego:
	$(GO) test -count=1 -short -tags purego $(PKGS)

lint:
	$(GO) vet $(PKGS)
	$(GO) vet -tags purego $(PKGS)
	CGO_ENABLED=1 $(GO) vet -tags icicle $(PKGS)
	GOARCH=arm64 $(GO) vet $(PKGS)
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt would change: $$bad"; exit 1; fi

# arm64 (NEON) under qemu-user; installs Debian's qemu-user-static when it can,
# and says why it skips when it cannot.
test-arm64:
	GO=$(GO) scripts/test-arm64.sh

# The icicle build's tests, against the libraries make icicle leaves in
# build/icicle/lib; without them (CI, a fresh clone) they are skipped, saying
# so: with the tag, a test binary cannot even link without the libraries.
ICICLE_LIB := $(CURDIR)/build/icicle/lib
test-icicle:
	@if [ -e $(ICICLE_LIB)/libicicle_device.so ]; then \
	  echo "icicle tests against $(ICICLE_LIB)"; \
	  CGO_ENABLED=1 CGO_LDFLAGS="-L$(ICICLE_LIB) -Wl,-rpath,$(ICICLE_LIB)" \
	    $(GO) test -count=1 -tags icicle ./accel/... ./kernels/... ./bench/... ./cmd/...; \
	else \
	  echo "icicle tests skipped: $(ICICLE_LIB) has no ICICLE libraries (make icicle builds them)"; \
	fi

# The GPU half of kernels/cuda's tests (equality with the CPU kernels) runs
# in `unit` and skips without a GPU; this says so, with the reason, instead
# of leaving it to a verbose log.
test-cuda: build
	@if reason=$$(./$(BIN) --accel cuda info 2>&1 >/dev/null); then \
	  echo "cuda: ssprove's CUDA library and a GPU are here; unit ran the GPU tests"; \
	else \
	  echo "cuda GPU tests skipped: $${reason#ssprove: }"; \
	fi

# Kernel benchmarks; compare runs with benchstat.
bench:
	mkdir -p bench/out
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./kernels/... ./fold/... | tee bench/out/bench.txt

# A short fuzzing pass over every fuzz target.
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# The example programs (examples/): every .wat with wat2wasm, the C token once per
# asset with clang and wasm-ld; examples_test.go checks the checked-in .wasm match.
# When a tool is missing this installs Debian's wabt, clang and lld with apt-get
# (with sudo when not root).
EXAMPLE_CFLAGS := --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--strip-all
examples:
	@missing=""; \
	command -v wat2wasm >/dev/null || missing="$$missing wabt"; \
	command -v clang >/dev/null || missing="$$missing clang"; \
	command -v wasm-ld >/dev/null || missing="$$missing lld"; \
	if [ -n "$$missing" ]; then \
	  echo "examples: installing$$missing with apt-get"; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update && $$sudo apt-get install -y $$missing || exit 1; \
	fi
	@for f in $$(find examples -name '*.wat' | sort); do \
	  echo "wat2wasm $$f"; wat2wasm $$f -o $${f%.wat}.wasm || exit 1; \
	done
	cd examples/c && for a in token_a:../common token_b:../common nft:../nft; do \
	  clang $(EXAMPLE_CFLAGS) -DASSET_NAME="\"$${a%%:*}\"" -o $${a#*:}/$${a%%:*}.wasm token.c || exit 1; \
	  chmod 644 $${a#*:}/$${a%%:*}.wasm; \
	done

# ICICLE's CPU libraries for Goldilocks, built with cmake from the ICICLE Go
# module's C++ sources into build/icicle/lib, and bin/ssprove-icicle (-tags
# icicle, cgo) linked against them. ICICLE_TASKFLOW_DIR names a local copy of
# Taskflow v3.8.0 for machines without network (README.md, "ICICLE").
icicle:
	GO=$(GO) scripts/icicle.sh

# libssprove_cuda.so, ssprove's own CUDA kernels (kernels/cuda), into
# build/cuda with nvcc: sm_90 (Hopper) machine code plus PTX for other GPUs.
# Without nvcc it stops and says where to get the CUDA toolkit.
cuda:
	kernels/cuda/check.sh build

clean:
	rm -rf bin bench/out
