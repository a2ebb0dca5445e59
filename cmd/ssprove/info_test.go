package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/kernels/cuda"
	"github.com/ssprove/ssprove/kernels/icicle"
)

// TestInfoParams checks that info --params names every preset with the
// figures lattice/ajtai's tests pin (TestPresets, TestPresetSecurity,
// TestGuard) and those fold/NEO.md §2.3 and §3.3 derive from them.
func TestInfoParams(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"info", "--params"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	rows := map[string][]string{}
	for line := range strings.Lines(out.String()) {
		// Table rows: a label, then one column per preset, two spaces apart.
		f := strings.Split(strings.TrimSpace(line), "  ")
		var cells []string
		for _, c := range f {
			if c = strings.TrimSpace(c); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) == 5 {
			rows[cells[0]] = cells[1:]
		}
	}
	tests := []struct {
		row  string
		want []string // one cell per preset, in the order printed
	}{
		{"preset", []string{"Goldilocks", "GoldilocksMerge", "GoldilocksTernary", "GoldilocksTernaryMerge"}},
		{"B = b^k (norm bound)", []string{"4096", "8192", "6561", "19683"}},
		{"IVC fold: k+1 claims", []string{"13: 2808 < 4096 ok", "14: 3024 < 8192 ok", "9: 3888 < 6561 ok", "10: 4320 < 19683 ok"}},
		{"PCD merge: 2k+1 claims", []string{"25: 5400 ≥ 4096 fails", "27: 5832 < 8192 ok", "17: 7344 ≥ 6561 fails", "19: 8208 < 19683 ok"}},
		{"MSIS ℓ∞ bound 8TB−1", []string{"7077887", "14155775", "11337407", "34012223"}},
		{"MSIS BKZ block", []string{"730", "666", "686", "596"}},
		{"MSIS classical bits", []string{"213.2", "194.5", "200.3", "174.0"}},
		{"MSIS quantum bits", []string{"193.5", "176.5", "181.8", "157.9"}},
		{"log2 |C|", []string{"125.4", "125.4", "125.4", "125.4"}},
		{"sum-check error over K", []string{"88/q² ≈ 2^-121.5", "88/q² ≈ 2^-121.5", "132/q² ≈ 2^-121.0", "132/q² ≈ 2^-121.0"}},
	}
	for _, tc := range tests {
		got := rows[tc.row]
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("row %q: got %q, want %q", tc.row, got, tc.want)
		}
	}
	for _, want := range []string{"m = 2^16", "ℓ_n = 16", "fold/NEO.md §2.3", "default:   Goldilocks for IVC chains"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "selected") {
		t.Errorf("--params also printed the hardware report:\n%s", out.String())
	}
}

// TestInfoWithoutParams checks that plain info still reports the hardware
// and nothing about parameters.
func TestInfoWithoutParams(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"info"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for _, want := range []string{"CPU", "backends", "selected"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("info lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "Goldilocks") {
		t.Errorf("info without --params printed parameters:\n%s", out.String())
	}
}

// TestInfoICICLE checks that info lists ICICLE's devices with a reason for
// each missing one, or, in a build without the icicle tag, says how to get one.
func TestInfoICICLE(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"info"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	s := out.String()
	if !strings.Contains(s, "\nICICLE ") {
		t.Fatalf("info lists no ICICLE devices:\n%s", s)
	}
	if !icicle.Built {
		if !strings.Contains(s, "make icicle") {
			t.Errorf("info in a build without ICICLE does not say how to build it:\n%s", s)
		}
		return
	}
	for _, dev := range []string{"CPU", "CUDA"} {
		found := false
		for line := range strings.Lines(s) {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == dev && (strings.HasPrefix(f[1], "available") || strings.HasPrefix(f[1], "unavailable:") && len(f) > 2) {
				found = true
			}
		}
		if !found {
			t.Errorf("info has no line for ICICLE's %s device saying available or why not:\n%s", dev, s)
		}
	}
}

// TestInfoCUDA checks that info reports ssprove's CUDA library: where it
// was loaded from and its devices, or every reason it cannot run.
func TestInfoCUDA(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"info"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	s := out.String()
	r := cuda.Probe()
	if r.Err != nil {
		var ue *cuda.UnavailableError
		if !errors.As(r.Err, &ue) {
			t.Fatalf("probe error %v is not an *UnavailableError", r.Err)
		}
		if !strings.Contains(s, "\nCUDA      ssprove's library unavailable: "+ue.Reason()+"\n") {
			t.Errorf("info does not give the library's reasons %q:\n%s", ue.Reason(), s)
		}
		return
	}
	if !strings.Contains(s, "\nCUDA      ssprove's library "+r.Library+" (ABI 1)") {
		t.Errorf("info does not name the library %s:\n%s", r.Library, s)
	}
	for _, d := range r.Devices {
		if !strings.Contains(s, d.String()) {
			t.Errorf("info does not list device %v:\n%s", d, s)
		}
	}
}

// TestAccelCUDARefused checks that --accel=cuda, where nothing serves it,
// fails with exit 1 and one line saying what is missing for ssprove's
// library and for ICICLE.
func TestAccelCUDARefused(t *testing.T) {
	if err := accel.Available(accel.CUDA); err == nil {
		t.Skip("skipping: CUDA is available here, so --accel=cuda runs")
	}
	var ue *cuda.UnavailableError
	if err := cuda.Available(); !errors.As(err, &ue) {
		t.Fatalf("kernels/cuda's error %v is not an *UnavailableError", err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"--accel=cuda", "info"}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errb.String())
	}
	msg := errb.String()
	for _, want := range []string{"cuda: backend not available", "ssprove's CUDA library: " + ue.Reason() + "; ICICLE's CUDA device: "} {
		if !strings.Contains(msg, want) {
			t.Errorf("stderr %q lacks %q", msg, want)
		}
	}
	if strings.Count(strings.TrimSpace(msg), "\n") != 0 {
		t.Errorf("the error is not one line: %q", msg)
	}
}
