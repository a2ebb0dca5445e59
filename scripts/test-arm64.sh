#!/usr/bin/env bash
# Runs the test suite as arm64 binaries under qemu user-mode emulation, so the
# NEON kernels are checked on an amd64 machine. Extra arguments go to go test
# (for example -run or -v); the default package list is ./... .
#
# Without qemu-aarch64-static (and no way to install it) the arm64 tests are
# skipped with a one-line reason and the script succeeds: the emulator is an
# optional tool, not a requirement of the build.
set -euo pipefail

cd "$(dirname "$0")/.."

qemu=qemu-aarch64-static
if ! command -v "$qemu" >/dev/null 2>&1; then
	why=""
	if [[ $EUID -ne 0 ]]; then
		why="not root, so qemu-user-static cannot be installed here"
	elif ! command -v apt-get >/dev/null 2>&1; then
		why="no apt-get to install qemu-user-static with"
	elif ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static; } >/dev/null 2>&1; then
		why="apt-get install qemu-user-static failed"
	fi
	if ! command -v "$qemu" >/dev/null 2>&1; then
		echo "test-arm64: skipping arm64 tests: $qemu not found (${why:-qemu-user-static did not provide it})"
		exit 0
	fi
fi

# kernels/cuda loads its library with purego, which links every binary
# dynamically even with CGO_ENABLED=0, so the emulated binaries need an arm64
# C library: Debian's libc6-arm64-cross, found through QEMU_LD_PREFIX.
sysroot=/usr/aarch64-linux-gnu
if [[ ! -e $sysroot/lib/ld-linux-aarch64.so.1 ]]; then
	why=""
	if [[ $EUID -ne 0 ]]; then
		why="not root, so libc6-arm64-cross cannot be installed here"
	elif ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libc6-arm64-cross; } >/dev/null 2>&1; then
		why="apt-get install libc6-arm64-cross failed"
	fi
	if [[ ! -e $sysroot/lib/ld-linux-aarch64.so.1 ]]; then
		echo "test-arm64: skipping arm64 tests: no arm64 C library in $sysroot (${why:-libc6-arm64-cross did not provide it})"
		exit 0
	fi
fi
export QEMU_LD_PREFIX=$sysroot

pkgs=(./...)
for arg in "$@"; do
	# Package patterns among the arguments replace the default list.
	if [[ $arg == ./* ]]; then
		pkgs=()
		break
	fi
done

# -short keeps the emulated run to a few minutes; the native run does the long sizes.
GOARCH=arm64 CGO_ENABLED=0 "${GO:-go}" test -exec "$qemu" -short "$@" "${pkgs[@]}"
