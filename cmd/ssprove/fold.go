package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ssprove/ssprove/fold/ccs"
	"github.com/ssprove/ssprove/fold/neo"
	"github.com/ssprove/ssprove/lattice/ajtai"
	"github.com/ssprove/ssprove/lattice/decomp"
)

// seedDomain prefixes the CCS digest the default commitment-key seed is
// hashed from.
const seedDomain = "ssprove/fold/seed/v1"

// progressSteps is the chain length from which prove and verify show a
// progress indicator: shorter chains finish before one would help.
const progressSteps = 8

func newFold() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fold",
		Short: "Prove and verify IVC chains by Neo folding",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	flags := &foldFlags{}
	cmd.PersistentFlags().StringVar(&flags.seed, "seed", "",
		"commitment-key seed, 64 hex digits (default: SHA-256 of \""+seedDomain+"\" and the CCS digest in hex)")
	cmd.PersistentFlags().StringVar(&flags.preset, "preset", paramPresets[0].name,
		"commitment preset, as info --params names them: "+presetNames())
	cmd.AddCommand(newFoldProve(flags), newFoldVerify(flags))
	return cmd
}

// foldFlags are the flags prove and verify share: both must be given the
// same, since they fix the commitment key and the parameters the proof is
// checked under.
type foldFlags struct {
	seed   string
	preset string
}

// params returns the preset --preset names, case aside, and its name as
// info --params prints it. An unknown name is a usage error.
func (f *foldFlags) params() (func(m int) ajtai.Params, string, error) {
	for _, pr := range paramPresets {
		if strings.EqualFold(pr.name, f.preset) {
			return pr.params, pr.name, nil
		}
	}
	return nil, "", usagef("unknown --preset %q (want one of %s)", f.preset, presetNames())
}

// presetNames lists the presets --preset accepts.
func presetNames() string {
	names := make([]string, len(paramPresets))
	for i, pr := range paramPresets {
		names[i] = pr.name
	}
	return strings.Join(names, ", ")
}

// presetWithK returns the name of the preset of k digits per fold, which
// tells the presets apart, or "" when none has k.
func presetWithK(k int) string {
	for _, pr := range paramPresets {
		if pr.params(1).K == k {
			return pr.name
		}
	}
	return ""
}

func newFoldProve(flags *foldFlags) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "prove CHAIN.json -o PROOF",
		Short: "Fold every step of an IVC chain and write the proof",
		Long: `prove reads CHAIN.json, an IVC chain of R1CS steps with their witnesses as
Nightstream exports it, checks every step and link, folds the steps one by one
(Π_CCS, Π_RLC, Π_DEC) and writes to PROOF the stage-1 proof: each step's
commitment and public input, the messages of every fold, and the opening of the
final accumulator, which the verifier decides. The proof is linear in the
number of steps, not succinct and not zero-knowledge.

--preset chooses the commitment parameters (ssprove info --params lists them):
Goldilocks (b = 2, k = 12, κ = 16) by default, whose digits reach values below
2^54 in magnitude; a chain with values anywhere in the field needs
GoldilocksTernary (b = 3, k = 8). The commitment key is expanded from --seed,
by default from a hash of the CCS digest. The proof does not name its preset or
seed: they are the verifier's to choose, so verify must be given the same.
Exit status 1 names the first unsatisfied step and constraint.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("prove needs -o PROOF")
			}
			preset, name, err := flags.params()
			if err != nil {
				return err
			}
			chain, err := readChainFile(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			pp, err := foldSetup(ctx, chain, flags.seed, preset)
			if err != nil {
				return err
			}
			prover, err := neo.NewProver(pp, chain.Steps[0].CCS)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			bar := progress(cmd.ErrOrStderr(), len(chain.Steps), "proving")
			start := time.Now()
			proof, _, accW, err := prover.ProveChain(ctx, chain, bar.option())
			elapsed := time.Since(start)
			bar.finish()
			if err != nil {
				// Only b = 2 leaves values out: 3^54 > q/2 embeds every one.
				var re *decomp.RangeError
				if errors.As(err, &re) {
					return fmt.Errorf("%s: %w (values beyond %d digits in base %d need a preset with b = 3, such as --preset GoldilocksTernary)",
						args[0], err, re.Digits, re.Base)
				}
				return fmt.Errorf("%s: %w", args[0], err)
			}
			b, err := (&neo.OpenedChainProof{ChainProof: *proof, Opening: accW}).MarshalBinary()
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d steps proved in %s with preset %s, proof %d bytes written to %s\n",
				args[0], len(chain.Steps), elapsed.Round(time.Millisecond), name, len(b), out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write the proof to")
	return cmd
}

func newFoldVerify(flags *foldFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "verify CHAIN.json PROOF",
		Short: "Verify a proof of an IVC chain",
		Long: `verify checks PROOF, written by prove, against CHAIN.json, of which it reads
only the structures, the spec, y0 and the steps' public inputs: any witnesses in
the file are dropped unread by the verifier. It checks the links, every fold in
order, and decides the final accumulator with the opening the proof carries.

--preset and --seed must be the ones the proof was made with; the verifier
chooses them rather than reading them from the proof, since the parameters are
part of what a valid proof vouches for. A proof of another preset is refused
before any fold is checked, naming the preset its shape shows.

Exit status 0 only when the proof verifies; 1 when it is rejected or malformed.`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			preset, name, err := flags.params()
			if err != nil {
				return err
			}
			chain, err := readChainFile(args[0])
			if err != nil {
				return err
			}
			for i := range chain.Steps {
				chain.Steps[i].Z = nil
			}
			data, err := readProofFile(args[1])
			if err != nil {
				return err
			}
			var proof neo.OpenedChainProof
			if err := proof.UnmarshalBinary(data); err != nil {
				return fmt.Errorf("%s: %w", args[1], err)
			}
			// The proof's parts per fold are its preset's k, which tells the
			// presets apart. The check only names the mistake: under the
			// wrong preset, verification would fail anyway, the transcript
			// binding the parameters.
			if k, want := len(proof.Folds[0].Parts), preset(1).K; k != want {
				made := "no preset"
				if p := presetWithK(k); p != "" {
					made = "preset " + p
				}
				return fmt.Errorf("%s: rejected: a proof of %d parts per fold (%s), but --preset %s has k = %d: verify with the preset it was proved with",
					args[1], k, made, name, want)
			}
			ctx := cmd.Context()
			pp, err := foldSetup(ctx, chain, flags.seed, preset)
			if err != nil {
				return err
			}
			bar := progress(cmd.ErrOrStderr(), len(chain.Steps), "verifying")
			start := time.Now()
			_, err = proof.Verify(ctx, pp, chain, bar.option())
			elapsed := time.Since(start)
			bar.finish()
			if err != nil {
				return fmt.Errorf("%s: rejected: %w", args[1], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d steps verified in %s, proof %d bytes: valid\n",
				args[1], len(chain.Steps), elapsed.Round(time.Millisecond), len(data))
			return nil
		},
	}
}

func readChainFile(name string) (*ccs.Chain, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	chain, err := ccs.ReadChain(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(chain.Steps) == 0 {
		return nil, fmt.Errorf("%s: a chain of no steps", name)
	}
	return chain, nil
}

// readProofFile reads a proof, refusing files over neo.MaxEncodedSize
// before reading them whole.
func readProofFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, neo.MaxEncodedSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > neo.MaxEncodedSize {
		return nil, fmt.Errorf("%s: over %d bytes, not a proof", name, neo.MaxEncodedSize)
	}
	return data, nil
}

// foldSetup returns the commitment key for the chain's witnesses: the
// preset at the first step's m, expanded from the seed given in hex, or by
// default from SHA-256(seedDomain ‖ the CCS digest in hex), so that prover
// and verifier agree without exchanging anything.
func foldSetup(ctx context.Context, chain *ccs.Chain, seedHex string, preset func(m int) ajtai.Params) (*ajtai.PublicParams, error) {
	s := chain.Steps[0].CCS
	var seed []byte
	if seedHex == "" {
		sum := sha256.Sum256([]byte(seedDomain + s.Digest().String()))
		seed = sum[:]
	} else {
		var err error
		if seed, err = hex.DecodeString(seedHex); err != nil || len(seed) != ajtai.SeedSize {
			return nil, usagef("--seed wants %d hex digits", 2*ajtai.SeedSize)
		}
	}
	return ajtai.Setup(ctx, preset(s.NumVariables()), seed)
}

// progressBar is the per-fold progress bar of a long chain on a terminal,
// or nothing: a nil *progressBar reports nowhere.
type progressBar struct {
	bar *progressbar.ProgressBar
}

// progress returns a bar on w advancing by one per fold of a chain of the
// given steps, when w is a terminal and the chain is long: a bar in a log
// file or a pipe is noise, and a short chain finishes before one would help.
// Otherwise it returns nil.
func progress(w io.Writer, steps int, verb string) *progressBar {
	f, ok := w.(*os.File)
	if !ok || steps < progressSteps || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progressBar{bar: progressbar.NewOptions(steps,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(verb),
		progressbar.OptionSetItsString("folds"),
		progressbar.OptionShowIts(),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionClearOnFinish(),
	)}
}

// option returns the neo.ChainOption that advances the bar after each fold.
func (p *progressBar) option() neo.ChainOption {
	if p == nil {
		return neo.WithProgress(nil)
	}
	return neo.WithProgress(func(done, _ int) { _ = p.bar.Set(done) })
}

// finish removes the bar. A bar that reached the chain's length cleared
// itself; one stopped short by an error is cleared here, so that the error
// message does not land on its line.
func (p *progressBar) finish() {
	if p == nil {
		return
	}
	if !p.bar.IsFinished() {
		_ = p.bar.Clear()
	}
	_ = p.bar.Exit()
}
