#!/usr/bin/env bash
# Builds ICICLE's CPU libraries for Goldilocks from the C++ sources in the
# ICICLE Go module (the version go.mod requires, else v3.9.2), then
# bin/ssprove-icicle with -tags icicle linked against them. Called by
# `make icicle`; README.md, "ICICLE", documents the variables:
#
#   ICICLE_TASKFLOW_DIR  a directory holding Taskflow v3.8.0's sources, for
#                        machines that cannot reach github.com
#   ICICLE_FEATURES      ntt (default: NTT and vector ops) or all (every
#                        Goldilocks feature, which ICICLE's CUDA backend needs)
#   ICICLE_BUILD_DIR     where everything goes (default build/icicle)
#
# Running it again reuses the CMake build trees and the installed Taskflow, so
# only what changed is rebuilt and no network is needed the second time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

GO=${GO:-go}
module=github.com/ingonyama-zk/icicle/v3
default_version=v3.9.2
# ICICLE's CPU backend asks for exactly this Taskflow (find_package EXACT, or
# this commit from GitHub): icicle/backend/cpu/CMakeLists.txt.
taskflow_tag=v3.8.0
taskflow_version=300800
taskflow_commit=d8c49c64b4ee5015a3f1c0a42748fa7a2bf5529e
taskflow_url=https://github.com/taskflow/taskflow.git

out=${ICICLE_BUILD_DIR:-$root/build/icicle}
mkdir -p "$out"
out=$(cd "$out" && pwd)
lib=$out/lib
bin=$root/bin/ssprove-icicle

say() { echo "icicle: $*"; }
die() {
	for line in "$@"; do echo "icicle: $line" >&2; done
	exit 1
}

# cmake and a C++ compiler, from Debian when missing; git only when Taskflow
# has to be fetched.
install_tools() {
	local missing=() pkg
	for pkg in "$@"; do
		case $pkg in
		cmake) command -v cmake >/dev/null || missing+=(cmake) ;;
		g++) command -v c++ >/dev/null || missing+=(g++) ;;
		git) command -v git >/dev/null || missing+=(git) ;;
		esac
	done
	((${#missing[@]})) || return 0
	command -v apt-get >/dev/null || die "${missing[*]} missing and no apt-get to install them with; install them and run again"
	local sudo=()
	[[ $EUID -eq 0 ]] || sudo=(sudo)
	say "installing ${missing[*]} with apt-get"
	if ! { "${sudo[@]}" apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$out/apt.log" 2>&1; then
		tail -n 20 "$out/apt.log" >&2
		die "apt-get install ${missing[*]} failed (log: $out/apt.log); install them and run again"
	fi
}

# A Taskflow source tree is accepted only when it is v3.8.0: ICICLE's
# find_package asks for that version exactly.
check_taskflow_source() {
	local src=$1 hdr=$1/taskflow/taskflow.hpp
	[[ -f $src/CMakeLists.txt && -f $hdr ]] ||
		die "$src does not hold Taskflow's sources (no CMakeLists.txt or taskflow/taskflow.hpp)"
	grep -Eq "^#define TF_VERSION $taskflow_version\$" "$hdr" ||
		die "$src is not Taskflow $taskflow_tag ($hdr does not define TF_VERSION $taskflow_version)"
}

# Goldilocks with the CPU backend only; of ICICLE's features ssprove uses NTT
# and vector ops (always built), so by default every other one that has an
# option is off. ICICLE_FEATURES=all builds every Goldilocks feature, as
# ICICLE's release frontend does: its CUDA backend registers kernels for all of
# them when it is loaded, and a frontend without them cannot take it. The CPU
# backend is compiled into libicicle_device and the field library, so no
# backend directory is needed for it; GPU backends are loaded at run time from
# ICICLE_BACKEND_INSTALL_DIR.
case ${ICICLE_FEATURES:-ntt} in
ntt) extras=OFF ;;
all) extras=ON ;;
*) die "ICICLE_FEATURES=$ICICLE_FEATURES: want ntt (the default: NTT and vector ops) or all (every Goldilocks feature, for ICICLE's CUDA backend)" ;;
esac

start=$SECONDS

# The ICICLE sources: the module version go.mod requires, so the C++ libraries
# match the Go wrappers compiled into ssprove.
version=$("$GO" list -m -f '{{.Version}}' "$module" 2>/dev/null) || version=""
if [[ -z $version ]]; then
	version=$default_version
	say "go.mod does not require $module yet; building ICICLE $version"
fi
moddir=$("$GO" mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p') || true
[[ -n $moddir && -f $moddir/icicle/CMakeLists.txt ]] ||
	die "go mod download $module@$version did not give ICICLE's sources (is the Go module proxy reachable?)"
say "ICICLE $version sources: $moddir/icicle"

install_tools cmake g++

# Taskflow, installed once under $out/taskflow so that ICICLE's
# find_package(Taskflow 3.8.0 EXACT) finds it and its FetchContent fallback
# (a git clone at configure time) never runs.
tf_prefix=$out/taskflow
tf_config=$tf_prefix/lib/cmake/Taskflow/TaskflowConfigVersion.cmake
tf_src=""
if [[ -n ${ICICLE_TASKFLOW_DIR:-} ]]; then
	tf_src=$(cd "$ICICLE_TASKFLOW_DIR" 2>/dev/null && pwd) ||
		die "ICICLE_TASKFLOW_DIR=$ICICLE_TASKFLOW_DIR is not a directory"
	check_taskflow_source "$tf_src"
	say "Taskflow $taskflow_tag from ICICLE_TASKFLOW_DIR=$tf_src"
elif [[ -f $tf_config ]]; then
	say "Taskflow $taskflow_tag already installed in $tf_prefix"
else
	install_tools git
	tf_src=$out/taskflow-src
	rm -rf "$tf_src"
	say "fetching Taskflow $taskflow_tag from $taskflow_url"
	if ! GIT_TERMINAL_PROMPT=0 timeout 300 git clone -q --depth 1 --branch "$taskflow_tag" \
		"$taskflow_url" "$tf_src" 2>"$out/taskflow-fetch.log"; then
		sed 's/^/icicle:   git: /' "$out/taskflow-fetch.log" >&2
		rm -rf "$tf_src"
		die "Taskflow $taskflow_tag could not be fetched (no network) and no ICICLE_TASKFLOW_DIR was given." \
			"ICICLE's CPU backend needs Taskflow $taskflow_tag's sources (header-only). On a machine that reaches GitHub:" \
			"  git clone --depth 1 --branch $taskflow_tag $taskflow_url taskflow-3.8.0" \
			"(or unpack https://github.com/taskflow/taskflow/archive/refs/tags/$taskflow_tag.tar.gz), copy that" \
			"directory to this machine, and run:" \
			"  ICICLE_TASKFLOW_DIR=/path/to/taskflow-3.8.0 make icicle"
	fi
	got=$(git -C "$tf_src" rev-parse HEAD)
	[[ $got == "$taskflow_commit" ]] ||
		die "Taskflow tag $taskflow_tag is commit $got, not $taskflow_commit as ICICLE pins it; refusing it"
	check_taskflow_source "$tf_src"
fi
if [[ -n $tf_src ]]; then
	cmake -S "$tf_src" -B "$out/taskflow-build" --log-level=WARNING \
		-DCMAKE_INSTALL_PREFIX="$tf_prefix" -DCMAKE_INSTALL_LIBDIR=lib \
		-DTF_BUILD_TESTS=OFF -DTF_BUILD_EXAMPLES=OFF -DTF_BUILD_BENCHMARKS=OFF \
		-DTF_BUILD_PROFILER=OFF -DTF_BUILD_CUDA=OFF -DTF_BUILD_SYCL=OFF >"$out/taskflow-build.log" ||
		die "configuring Taskflow from $tf_src failed; see $out/taskflow-build.log"
	cmake --install "$out/taskflow-build" >>"$out/taskflow-build.log" ||
		die "installing Taskflow into $tf_prefix failed; see $out/taskflow-build.log"
	say "Taskflow $taskflow_tag installed in $tf_prefix"
fi

# A build tree configured from another ICICLE version's sources cannot be
# reconfigured in place (CMake refuses a different source directory).
cache=$out/cmake/CMakeCache.txt
if [[ -f $cache ]] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$moddir/icicle" "$cache"; then
	say "build tree $out/cmake was configured from other sources; starting it afresh"
	rm -rf "$out/cmake"
fi

say "configuring ICICLE in $out/cmake (features: ${ICICLE_FEATURES:-ntt})"
cmake -S "$moddir/icicle" -B "$out/cmake" --no-warn-unused-cli \
	-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$out" \
	-DFIELD=goldilocks -DCPU_BACKEND=ON -DCUDA_BACKEND=OFF -DMETAL_BACKEND=OFF -DVULKAN_BACKEND=OFF \
	-DNTT=ON -DMSM=OFF -DECNTT=OFF -DG2=OFF -DPOSEIDON=OFF -DBUILD_TESTS=OFF \
	-DEXT_FIELD=$extras -DHASH=$extras -DPOSEIDON2=$extras -DSUMCHECK=$extras -DFRI=$extras \
	-DTaskflow_DIR="$tf_prefix/lib/cmake/Taskflow" -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
	>"$out/configure.log" 2>&1 || {
	tail -n 30 "$out/configure.log" >&2
	die "configuring ICICLE failed; the full log is $out/configure.log"
}
grep -q "Found Taskflow v3.8.0" "$out/configure.log" ||
	die "ICICLE's CMake did not find the installed Taskflow in $tf_prefix; see $out/configure.log"

jobs=$(nproc 2>/dev/null || echo 2)
say "building ICICLE with $jobs jobs"
# Cleared so that make, run under `make icicle`, does not print every directory.
MAKEFLAGS='' MAKELEVEL='' cmake --build "$out/cmake" -j "$jobs" || die "building ICICLE failed (in $out/cmake)"
# Emptied first so that no library of an earlier feature set stays behind.
rm -f "$lib"/libicicle_*.so
cmake --install "$out/cmake" >"$out/install.log" || die "installing ICICLE into $out failed; see $out/install.log"
for so in libicicle_device.so libicicle_field_goldilocks.so; do
	[[ -f $lib/$so ]] || die "$lib/$so was not installed; see $out/install.log"
done
say "libraries in $lib ($((SECONDS - start)) s so far):"
for so in "$lib"/*.so; do
	say "  $so  $(stat -c %s "$so") bytes"
done

# The rpath lets bin/ssprove-icicle run without LD_LIBRARY_PATH.
ldflags="-L$lib -Wl,-rpath,$lib"
say "building $bin (-tags icicle)"
if ! CGO_ENABLED=1 CGO_LDFLAGS="$ldflags ${CGO_LDFLAGS:-}" "$GO" build -tags icicle -o "$bin" ./cmd/ssprove; then
	die "the ICICLE libraries are built in $lib, but ssprove did not build with -tags icicle (above)"
fi
if command -v ldd >/dev/null && ! ldd "$bin" | grep -q "$lib/libicicle_device.so"; then
	die "$bin does not load $lib/libicicle_device.so (ldd $bin); the icicle build links no ICICLE code"
fi

say "done in $((SECONDS - start)) s: $bin"
say "to test against these libraries:"
say "  CGO_ENABLED=1 CGO_LDFLAGS='$ldflags' $GO test -tags icicle ./..."
say "a GPU backend (ICICLE's CUDA) is loaded from ICICLE_BACKEND_INSTALL_DIR, else /opt/icicle/lib/backend"
