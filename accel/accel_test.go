package accel

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Backend
		err  bool
	}{
		{"go", Go, false},
		{"AVX512", AVX512, false},
		{" avx2 ", AVX2, false},
		{"neon", NEON, false},
		{"icicle", ICICLE, false},
		{"cuda", CUDA, false},
		{"auto", Auto, false},
		{"", 0, true},
		{"avx-512", 0, true},
		{"gpu", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err {
			t.Fatalf("Parse(%q) error = %v, want error %v", tt.in, err, tt.err)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "avx512") || !strings.Contains(err.Error(), tt.in) {
				t.Errorf("Parse(%q) error %q should name the input and the valid names", tt.in, err)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if back, _ := Parse(got.String()); back != got {
			t.Errorf("String/Parse round trip of %v gave %v", got, back)
		}
	}
}

func TestFlagValue(t *testing.T) {
	var b Backend
	if err := b.Set("avx2"); err != nil || b != AVX2 {
		t.Fatalf("Set(avx2) = %v, %v", b, err)
	}
	if err := b.Set("bogus"); err == nil || b != AVX2 {
		t.Fatalf("Set(bogus) = %v, %v; want error and the old value kept", b, err)
	}
}

func TestAvailable(t *testing.T) {
	if err := Available(Go); err != nil {
		t.Fatalf("the portable backend must always run: %v", err)
	}
	f := Detect()
	t.Logf("CPU %q arch %s cores %d features %+v", f.CPU, f.Arch, f.Cores, f)
	for _, b := range All() {
		err := Available(b)
		t.Logf("%-7s %v", b, err)
		if err != nil && !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s: error %v does not wrap ErrUnavailable", b, err)
		}
	}
	// Exactly one SIMD family can exist per architecture.
	if Available(NEON) == nil && (Available(AVX2) == nil || Available(AVX512) == nil) {
		t.Error("NEON and x86 backends both report available")
	}
}

func TestResolveAutoPicksFirstAvailable(t *testing.T) {
	got, err := Resolve(Auto)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range All() {
		if Available(b) == nil && !OnlyOnRequest(b) {
			if got != b {
				t.Fatalf("auto resolved to %s, but %s is available and ranked faster", got, b)
			}
			break
		}
	}
	if !strings.Contains(Explain(), "auto picks "+got.String()) {
		t.Errorf("Explain() = %q does not name %s", Explain(), got)
	}
}

// TestAutoNeverPicksICICLE runs auto's choice against made-up availability:
// ICICLE's CPU device must be passed over whatever else is missing, and
// every other backend taken in All's order.
func TestAutoNeverPicksICICLE(t *testing.T) {
	only := func(set ...Backend) func(Backend) error {
		return func(b Backend) error {
			for _, s := range set {
				if b == s {
					return nil
				}
			}
			return ErrUnavailable
		}
	}
	tests := []struct {
		avail []Backend
		want  Backend
	}{
		{[]Backend{CUDA, ICICLE, AVX512, AVX2, Go}, CUDA},
		{[]Backend{ICICLE, AVX512, AVX2, Go}, AVX512},
		{[]Backend{ICICLE, AVX2, Go}, AVX2},
		{[]Backend{ICICLE, NEON, Go}, NEON},
		{[]Backend{ICICLE, Go}, Go},
		{[]Backend{ICICLE}, Go},
	}
	for _, tt := range tests {
		if got := pickAuto(only(tt.avail...)); got != tt.want {
			t.Errorf("available %v: auto picks %s, want %s", tt.avail, got, tt.want)
		}
	}
	if !strings.Contains(Explain(), "icicle only when named") {
		t.Errorf("Explain() = %q does not say icicle runs only when named", Explain())
	}
}

func TestHost(t *testing.T) {
	cpu, err := Resolve(Auto)
	if err != nil {
		t.Fatal(err)
	}
	if cpu == CUDA {
		t.Skip("CUDA is available here, so auto's choice is not a CPU backend to compare Host with")
	}
	for _, b := range []Backend{ICICLE, CUDA} {
		if got := Host(b); got != cpu {
			t.Errorf("Host(%s) = %s, want the fastest CPU backend %s", b, got, cpu)
		}
	}
	for _, b := range []Backend{Go, AVX2, AVX512, NEON} {
		if got := Host(b); got != b {
			t.Errorf("Host(%s) = %s, want itself", b, got)
		}
	}
}

func TestUseUnavailableKeepsChoice(t *testing.T) {
	t.Cleanup(func() { current.Store(nil) })
	if _, err := Use(Go); err != nil {
		t.Fatal(err)
	}
	if _, err := Use(CUDA); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Use(cuda) = %v, want ErrUnavailable", err)
	}
	if b, err := Selected(); b != Go || err != nil {
		t.Fatalf("after a failed Use the choice changed to %v, %v", b, err)
	}
}

func TestSelectedFromEnv(t *testing.T) {
	tests := []struct {
		env  string
		want Backend
		err  bool
	}{
		{"go", Go, false},
		{"", 0, false}, // auto
		{"nonsense", 0, true},
		{"cuda", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Cleanup(func() { current.Store(nil) })
			current.Store(nil)
			t.Setenv(EnvVar, tt.env)
			b, err := Selected()
			if (err != nil) != tt.err {
				t.Fatalf("Selected() with %s=%q: %v, %v", EnvVar, tt.env, b, err)
			}
			if err != nil {
				if !strings.Contains(err.Error(), EnvVar) {
					t.Errorf("error %q does not name %s", err, EnvVar)
				}
				if _, again := Selected(); again == nil {
					t.Error("a bad environment choice must keep failing, not fall back")
				}
				return
			}
			want := tt.want
			if tt.env == "" {
				want, _ = Resolve(Auto)
			}
			if b != want {
				t.Errorf("Selected() = %s, want %s", b, want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"auto", "AVX512", " neon ", "", "cuda\x00", "gö"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Parse(s)
		if err != nil {
			if !strings.Contains(err.Error(), "unknown backend") {
				t.Fatalf("Parse(%q): unexpected error %v", s, err)
			}
			return
		}
		if !strings.EqualFold(strings.TrimSpace(s), b.String()) {
			t.Fatalf("Parse(%q) = %s", s, b)
		}
		if err := Available(b); err != nil && !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Available(%s) = %v", b, err)
		}
	})
}
