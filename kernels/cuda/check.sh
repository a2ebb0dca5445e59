#!/usr/bin/env bash
# check.sh: build libssprove_cuda.so, check it against the Go kernels and time
# it, in one call on a machine with an NVIDIA GPU and nvcc (which may have no
# Go): the method of the lent GPU machines, one script for build, check and
# timing that ends with a short table.
#
#   kernels/cuda/check.sh build   only build build/cuda/libssprove_cuda.so
#                                 (what `make cuda` runs)
#   kernels/cuda/check.sh         build, run the tests, run the benchmarks
#
# The tests and benchmarks are Go test binaries built beforehand on a machine
# with Go, from the repository root, and carried with the working tree:
#
#   go test -c -o build/cuda/cuda.test  ./kernels/cuda    # required
#   go test -c -o build/cuda/ntt.test   ./kernels/ntt     # optional: each
#   go test -c -o build/cuda/field.test ./kernels/field   # build/cuda/NAME.test
#   go test -c -o build/cuda/ajtai.test ./kernels/ajtai   # runs in kernels/NAME
#
# (CGO_ENABLED=0 binaries need only the C library's dynamic loader, which
# purego uses: any glibc Linux of the same architecture runs them.) Then, on
# the GPU machine, from the repository root:
#
#   kernels/cuda/check.sh
#
# Environment: NVCC (default nvcc); BENCHTIME (default 20x) and BENCH (default
# '.', a -test.bench pattern) for the benchmarks; OUT, when set, receives the
# logs (build, ptxas resource report, tests, benchmarks). Exit status: 0 when
# everything built and passed, 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=build/cuda
lib=$out/libssprove_cuda.so
logs=${OUT:-$out/logs}
mkdir -p "$out" "$logs"
NVCC=${NVCC:-nvcc}

build() {
	if ! command -v "$NVCC" >/dev/null 2>&1; then
		echo "check.sh: nvcc not found: building libssprove_cuda.so needs the CUDA toolkit (12.0 or newer," >&2
		echo "  https://developer.nvidia.com/cuda-downloads, or the distribution's nvidia-cuda-toolkit);" >&2
		echo "  set NVCC=/path/to/nvcc when it is installed off PATH" >&2
		return 1
	fi
	# sm_90 machine code for Hopper, and compute_90 PTX that the driver
	# compiles for newer GPUs. cudart is linked statically (nvcc's default), so
	# the library needs only the driver's libcuda.so at run time. -Xptxas -v
	# writes registers, shared memory and spills per kernel to the log.
	echo "building $lib with $("$NVCC" --version | tail -n 1)"
	if ! "$NVCC" -O3 -std=c++17 -Xcompiler -fPIC -shared -Xptxas -v \
		-gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90 \
		-o "$lib" kernels/cuda/*.cu >"$logs/build.log" 2>&1; then
		cat "$logs/build.log" >&2
		echo "check.sh: nvcc failed" >&2
		return 1
	fi
	grep -E "spill|Used [0-9]+ registers" "$logs/build.log" | sed 's/^ptxas info *: *//' >"$logs/ptxas.txt" || true
	if grep -qE "[1-9][0-9]* bytes spill" "$logs/ptxas.txt"; then
		echo "note: some kernels spill registers ($logs/ptxas.txt)"
	fi
	echo "built $lib"
}

if [[ ${1:-} == build ]]; then
	build
	exit
fi
if [[ $# -gt 0 ]]; then
	echo "usage: kernels/cuda/check.sh [build]" >&2
	exit 2
fi

build
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv,noheader || true
export SSPROVE_CUDA_LIB=$root/$lib

if [[ ! -x $out/cuda.test ]]; then
	echo "check.sh: $out/cuda.test is missing: build it where Go is, with" >&2
	echo "  go test -c -o $out/cuda.test ./kernels/cuda" >&2
	exit 1
fi

# The ceiling the NTT and commitment are measured against: a large
# device-to-device copy, bytes read plus written, through PyTorch when the
# machine has it (the CUDA image does).
copy_rate=$(python3 - 2>/dev/null <<'EOF' || true
import torch
n = 1 << 30
a = torch.empty(n, dtype=torch.uint8, device="cuda").random_(0, 255)
b = torch.empty_like(a)
for _ in range(3):
    b.copy_(a)
s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
times = []
for _ in range(20):
    s.record(); b.copy_(a); e.record(); e.synchronize()
    times.append(s.elapsed_time(e) / 1e3)
times.sort()
print("%.0f" % (2 * n / times[len(times) // 2] / 1e9))
EOF
)

status=0
results=()
for bin in "$out"/*.test; do
	name=$(basename "$bin" .test)
	dir=kernels/$name
	[[ -d $dir ]] || dir=.
	echo "== tests: $name (in $dir)"
	if (cd "$dir" && "$root/$bin" -test.count=1 -test.v) >"$logs/test-$name.log" 2>&1; then
		results+=("$name: PASS ($(grep -c '^--- PASS' "$logs/test-$name.log" || true) passed, $(grep -c '^--- SKIP' "$logs/test-$name.log" || true) skipped)")
	else
		status=1
		results+=("$name: FAIL")
		grep -E '^(--- FAIL|FAIL|panic)|_test.go:[0-9]+' "$logs/test-$name.log" | head -n 40
	fi
	grep -E '^--- SKIP' -A1 "$logs/test-$name.log" | head -n 20 || true
done

echo "== benchmarks: cuda (-test.bench '${BENCH:-.}' -test.benchtime ${BENCHTIME:-20x})"
if ! (cd kernels/cuda && "$root/$out/cuda.test" -test.run '^$' -test.bench "${BENCH:-.}" \
	-test.benchtime "${BENCHTIME:-20x}" -test.benchmem=false) >"$logs/bench.log" 2>&1; then
	status=1
	tail -n 40 "$logs/bench.log"
fi

echo
echo "== summary"
for r in "${results[@]}"; do echo "$r"; done
if [[ -n $copy_rate ]]; then
	echo "device-to-device copy: $copy_rate GB/s (read + written); NTT floor 2^n: 16 * 2^n bytes over it"
fi
echo
# One row per benchmark: time per operation and the benchmark's own rate.
awk -v rate="${copy_rate:-0}" '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
	ns = ""; metric = ""
	for (i = 3; i < NF; i++) {
		if ($(i + 1) == "ns/op") ns = $i
		else if ($(i + 1) ~ /\/s$/) metric = sprintf("%.3g %s", $i, $(i + 1))
	}
	t = ns + 0
	if (t >= 1e6) tm = sprintf("%.3f ms", t / 1e6); else tm = sprintf("%.1f us", t / 1e3)
	floor = ""
	if (rate > 0 && name ~ /^NTT\/2\^[0-9]+\/gpu$/) {
		split(name, p, /[\^\/]/); n = 2 ^ p[3]
		f = 16 * n / (rate * 1e9) * 1e9
		floor = sprintf("%.1fx floor", t / f)
	}
	printf "%-44s %14s  %-24s %s\n", name, tm, metric, floor
}' "$logs/bench.log"
grep -E '^(FAIL|panic)' "$logs/bench.log" && status=1
exit $status
