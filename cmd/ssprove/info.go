package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/consensys/gnark-crypto/field/goldilocks"
	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/accel"
	"github.com/ssprove/ssprove/fold/mle"
	"github.com/ssprove/ssprove/kernels/cuda"
	"github.com/ssprove/ssprove/kernels/icicle"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/challenge"
	"github.com/ssprove/ssprove/lattice/ring"
)

func newInfo() *cobra.Command {
	var params bool
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show the CPU, its features, the backends this build can run and the one in use",
		Long: `info shows the CPU, its features, the backends this build can run and the one in use.
With --params it shows instead the folding parameter presets and the security each gives.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if params {
				return printParams(cmd.OutOrStdout())
			}
			f := accel.Detect()
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(w, "ssprove\t%s\n", cmd.Root().Version)
			fmt.Fprintf(w, "CPU\t%s (%s, %d logical cores)\n", f.CPU, f.Arch, f.Cores)
			fmt.Fprintf(w, "features\t%s\n", featureList(f))
			if f.Assembly {
				fmt.Fprintf(w, "build\tassembly kernels compiled in\n")
			} else {
				fmt.Fprintf(w, "build\tportable Go only (purego tag or an architecture without assembly)\n")
			}
			fmt.Fprintln(w, "backends\t")
			for _, b := range accel.All() {
				status := "available"
				var ue *accel.UnavailableError
				if err := accel.Available(b); errors.As(err, &ue) {
					status = "unavailable: " + ue.Reason
				} else if err != nil {
					status = "unavailable: " + err.Error()
				}
				fmt.Fprintf(w, "  %s\t%s\n", b, status)
			}
			printCUDA(w)
			printICICLE(w)
			fmt.Fprintf(w, "auto\t%s\n", accel.Explain())
			sel, err := accel.Selected()
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "selected\t%s\n", sel)
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&params, "params", false,
		"show the folding parameter presets, their norm guards and security estimates")
	return cmd
}

// printCUDA says where ssprove's CUDA library was loaded from, the driver
// and the devices it sees, or why it cannot run. Its labels are no wider
// than the others, so the table keeps its columns.
func printCUDA(w io.Writer) {
	r := cuda.Probe()
	if r.Err != nil {
		reason := r.Err.Error()
		if ue := (*cuda.UnavailableError)(nil); errors.As(r.Err, &ue) {
			reason = ue.Reason()
		}
		fmt.Fprintf(w, "CUDA\tssprove's library unavailable: %s\n", reason)
		return
	}
	fmt.Fprintf(w, "CUDA\tssprove's library %s (ABI %d), driver CUDA %s\n", r.Library, r.ABI, r.DriverVersion())
	for _, d := range r.Devices {
		fmt.Fprintf(w, "  dev %d\t%v\n", d.Index, d)
	}
}

// printICICLE lists the ICICLE devices this process can use and why each
// other one is missing, or how to get a build with ICICLE.
func printICICLE(w io.Writer) {
	ds, err := icicle.Devices()
	if err != nil {
		fmt.Fprintf(w, "ICICLE\t%v\n", err)
		return
	}
	fmt.Fprintln(w, "ICICLE\t")
	for _, d := range ds {
		status := fmt.Sprintf("available (%d)", d.Count)
		if d.Err != nil {
			status = "unavailable: " + d.Err.Error()
		}
		fmt.Fprintf(w, "  %s\t%s\n", d.Type, status)
	}
}

func featureList(f accel.Features) string {
	var s []string
	for _, x := range []struct {
		on   bool
		name string
	}{
		{f.AVX2, "avx2"}, {f.AVX512F, "avx512f"}, {f.AVX512DQ, "avx512dq"},
		{f.AVX512IFMA, "avx512ifma"}, {f.BMI2, "bmi2"}, {f.NEON, "neon"},
	} {
		if x.on {
			s = append(s, x.name)
		}
	}
	if len(s) == 0 {
		return "none of those the kernels use"
	}
	return strings.Join(s, " ")
}

// paramPresets are the commitment presets folding chooses from
// (fold/NEO.md §3.3), in the order info --params prints them.
var paramPresets = []struct {
	name   string
	params func(m int) ajtai.Params
}{
	{"Goldilocks", ajtai.Goldilocks},
	{"GoldilocksMerge", ajtai.GoldilocksMerge},
	{"GoldilocksTernary", ajtai.GoldilocksTernary},
	{"GoldilocksTernaryMerge", ajtai.GoldilocksTernaryMerge},
}

// paramsLogM is log2 of the witness width the table is computed at: the
// 2^16-constraint steps of the benchmarks. The Module-SIS figures are the
// same for every m ≥ 71 (ajtai.Params), and ℓ_n = 16 is where fold/NEO.md
// §2.3 quotes the sum-check error.
const paramsLogM = 16

// r1csDegree is u, the degree of an R1CS's CCS polynomial. The sum-check
// error is quoted for R1CS steps, which is what the Nightstream chains are;
// a CCS of degree u > 2b−1 raises the row rounds' degree to u+1.
const r1csDegree = 2

// printParams writes, for every preset, its values, the norm guard's verdict
// for an IVC fold and a PCD merge, and the three figures its soundness rests
// on: the Module-SIS estimate behind binding, the size of the challenge set
// and the sum-check error over K.
func printParams(out io.Writer) error {
	m := 1 << paramsLogM
	logK := 2 * math.Log2(float64(goldilocks.Modulus().Uint64())) // |K| = q²
	ellD, ellN := mle.NumVars(ring.D), mle.NumVars(m)
	// Every coefficient of a challenge is one of 5 values (package challenge).
	logC := float64(ring.D) * math.Log2(5)

	var labels []string
	var columns [][]string
	for i, pr := range paramPresets {
		p := pr.params(m)
		est, err := p.Security()
		if err != nil {
			return fmt.Errorf("info: %s: %w", pr.name, err)
		}
		ivc, err := guardVerdict(p, p.K+1)
		if err != nil {
			return fmt.Errorf("info: %s: %w", pr.name, err)
		}
		pcd, err := guardVerdict(p, 2*p.K+1)
		if err != nil {
			return fmt.Errorf("info: %s: %w", pr.name, err)
		}
		// Π_CCS's sum-check: ℓ_d rounds over the digit variables of degree
		// d_1 = 2b, then ℓ_n rounds over the rows of degree d_2 (NEO.md §2.3).
		d1 := 2 * int(p.Base)
		d2 := max(d1, r1csDegree+1, 2)
		errNum := ellD*d1 + ellN*d2
		cells := []struct{ label, value string }{
			{"preset", pr.name},
			{"b (digit base)", fmt.Sprint(p.Base)},
			{"k (digits per fold)", fmt.Sprint(p.K)},
			{"B = b^k (norm bound)", fmt.Sprint(p.Bound)},
			{"κ (commitment rows)", fmt.Sprint(p.Kappa)},
			{"d (ring degree)", fmt.Sprint(p.D)},
			{"T (challenge norm)", fmt.Sprint(p.T)},
			{"IVC fold: k+1 claims", ivc},
			{"PCD merge: 2k+1 claims", pcd},
			{"MSIS ℓ∞ bound 8TB−1", fmt.Sprintf("%.0f", p.BindingBound())},
			{"MSIS BKZ block", fmt.Sprint(est.Block)},
			{"MSIS classical bits", fmt.Sprintf("%.1f", est.Classical)},
			{"MSIS quantum bits", fmt.Sprintf("%.1f", est.Quantum)},
			{"log2 |C|", fmt.Sprintf("%.1f", logC)},
			{"sum-check rounds×degree", fmt.Sprintf("%d×%d + %d×%d", ellD, d1, ellN, d2)},
			{"sum-check error over K", fmt.Sprintf("%d/q² ≈ 2^%.1f", errNum, math.Log2(float64(errNum))-logK)},
		}
		col := make([]string, len(cells))
		for j, c := range cells {
			if i == 0 {
				labels = append(labels, c.label)
			}
			col[j] = c.value
		}
		columns = append(columns, col)
	}

	fmt.Fprintf(out, "Folding parameter presets at m = 2^%d witness columns, ℓ_n = %d (the MSIS figures hold for every m ≥ 71).\n",
		paramsLogM, ellN)
	fmt.Fprintf(out, "q = 2^64 − 2^32 + 1, |K| = q², C = ring elements with coefficients in {−2, …, 2} (|C| = 5^%d), T = %d.\n\n",
		ring.D, challenge.T)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for j, label := range labels {
		fmt.Fprint(w, label)
		for _, col := range columns {
			fmt.Fprintf(w, "\t%s", col[j])
		}
		fmt.Fprintln(w)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, `
guard:     Neo's norm guard claims·T·(b−1) < B for one Π_RLC (ajtai.Params.Guard); an IVC fold
           combines 1 step and k carried claims, a PCD merge 2 accumulators and a step.
MSIS:      binding at the ℓ∞ bound 8TB − 1 ((d,m,2B,C)-relaxed binding), lattice/msis's
           core-SVP estimate (ajtai.Params.Security).
sum-check: Π_CCS's error over K is (ℓ_d·d_1 + ℓ_n·d_2)/|K| (fold/NEO.md §2.3): ℓ_d = %d rounds
           over the digit variables of degree d_1 = 2b, ℓ_n rounds over the rows of degree
           d_2 = max(2b, u+1, 2), here for R1CS (u = %d).
default:   %s for IVC chains (DESIGN.md, fold/NEO.md §3.3); PCD merges need a Merge preset,
           witnesses with entries anywhere in the field a Ternary one (b = 3).
`, ellD, r1csDegree, paramPresets[0].name)
	return err
}

// guardVerdict formats the norm guard's verdict for one Π_RLC of the given
// number of claims: the norm the combination may reach against B.
func guardVerdict(p ajtai.Params, claims int) (string, error) {
	norm := uint64(claims) * p.T * (p.Base - 1)
	switch err := p.Guard(claims); {
	case err == nil:
		return fmt.Sprintf("%d: %d < %d ok", claims, norm, p.Bound), nil
	case errors.Is(err, ajtai.ErrGuard):
		return fmt.Sprintf("%d: %d ≥ %d fails", claims, norm, p.Bound), nil
	default:
		return "", err
	}
}
