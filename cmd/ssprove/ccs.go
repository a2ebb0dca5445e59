package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/ssprove/ssprove/fold/ccs"
)

func newCCS() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ccs",
		Short: "Load constraint systems and check assignments against them",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCCSCheck())
	return cmd
}

func newCCSCheck() *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE.json",
		Short: "Check an R1CS instance or an IVC chain in Nightstream's JSON form",
		Long: `check reads FILE.json, an R1CS with its witnesses (matrix_a/b/c, witness) or
an IVC chain of R1CS steps (ivc_params, steps) as Nightstream exports them, and
checks every assignment: each constraint of each step, then, for a chain, that
every step has the constant 1 where the spec says and starts from the state
the step before it produced (y0 for the first). It prints the sizes and the
CCS digest of each system, and names the first failing constraint or link.

Exit status 0 when everything is satisfied; 1 when an assignment fails (also
for a chain exported to fail, whose metadata is printed beside the result).`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(data, &keys); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			w := cmd.OutOrStdout()
			if _, ok := keys["steps"]; ok {
				return checkChain(w, args[0], bytes.NewReader(data))
			}
			return checkR1CS(w, args[0], bytes.NewReader(data))
		},
	}
}

func checkR1CS(w io.Writer, name string, r io.Reader) error {
	inst, err := ccs.ReadR1CS(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(w, "%s: R1CS, %s\n", name, describe(inst.CCS))
	failed := 0
	for i, z := range inst.Z {
		start := time.Now()
		err := inst.CCS.Check(z)
		fmt.Fprintf(w, "  witness %d: %s (%s)\n", i, verdict(err), time.Since(start).Round(time.Microsecond))
		if err != nil {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d of %d witnesses fail", name, failed, len(inst.Z))
	}
	return nil
}

func checkChain(w io.Writer, name string, r io.Reader) error {
	chain, err := ccs.ReadChain(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(w, "%s: IVC chain %q of %d steps, state of %d values\n", name, chain.Name, len(chain.Steps), chain.Spec.YLen)
	if chain.ShouldFail {
		fmt.Fprintf(w, "  exported to fail: %s\n", chain.FailureReason)
	}
	// Steps usually share one structure: describe it once when they do.
	shared := true
	for _, s := range chain.Steps {
		shared = shared && s.CCS.Digest() == chain.Steps[0].CCS.Digest()
	}
	if shared && len(chain.Steps) > 0 {
		fmt.Fprintf(w, "  every step: %s\n", describe(chain.Steps[0].CCS))
	}
	failed := 0
	for i, s := range chain.Steps {
		err := s.Check()
		if shared {
			fmt.Fprintf(w, "  step %d %s: %s\n", i, s.Instruction, verdict(err))
		} else {
			fmt.Fprintf(w, "  step %d %s: %s: %s\n", i, s.Instruction, describe(s.CCS), verdict(err))
		}
		if err != nil {
			failed++
		}
	}
	err = chain.CheckLinks()
	fmt.Fprintf(w, "  links: %s\n", verdict(err))
	if err != nil {
		failed++
	}
	if failed > 0 {
		return fmt.Errorf("%s: %d of %d checks fail", name, failed, len(chain.Steps)+1)
	}
	return nil
}

func describe(c *ccs.CCS) string {
	nonZeros := 0
	for _, m := range c.Matrices() {
		nonZeros += m.NonZeros()
	}
	return fmt.Sprintf("%d constraints × %d variables (%d public), degree %d, %d non-zeros, digest %.16s…",
		c.NumConstraints(), c.NumVariables(), c.NumPublic(), c.Degree(), nonZeros, c.Digest())
}

func verdict(err error) string {
	var u *ccs.UnsatisfiedError
	switch {
	case err == nil:
		return "satisfied"
	case errors.As(err, &u):
		return fmt.Sprintf("constraint %d fails (evaluates to %s)", u.Row, u.Value.String())
	default:
		return err.Error()
	}
}
