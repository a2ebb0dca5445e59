//go:build (!amd64 && !arm64) || purego

package accel

const assemblyBuilt = false
