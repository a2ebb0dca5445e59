package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/accel"
)

func newInfo() *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "Show the CPU, its features, the backends this build can run and the one in use",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			fmt.Fprintf(w, "auto\t%s\n", accel.Explain())
			sel, err := accel.Selected()
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "selected\t%s\n", sel)
			return w.Flush()
		},
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
