package ccs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/consensys/gnark-crypto/field/goldilocks"
)

// ErrLink is wrapped by the errors about an IVC chain whose steps do not
// pass their state on: a step's previous state is not the state the step
// before it produced (or y0), or its constant slot is not 1.
var ErrLink = errors.New("ccs: IVC chain steps are not linked")

// Chain is an IVC run exported by Nightstream (the
// test_starstream_tx_export_*.json form): a sequence of R1CS steps, each
// reading a state y_prev from its assignment and producing y_step, starting
// from Y0.
type Chain struct {
	Name          string // metadata.test_name
	ShouldFail    bool   // metadata.should_fail: the exporter built the chain to be rejected
	FailureReason string // metadata.failure_reason, empty when none
	Y0            []goldilocks.Element
	Spec          StepSpec
	Steps         []Step
	// FinalPublicInput is final_snark.public_input as exported; the files
	// do not say how it derives from the steps, so nothing here checks it.
	FinalPublicInput []goldilocks.Element
}

// StepSpec says where a step's assignment z holds the constant and the states.
type StepSpec struct {
	YLen   int   // the length of a state
	Const1 int   // the index of the constant 1 in z
	YStep  []int // the indices in z of the state a step produces
	YPrev  []int // the indices in z of the state a step starts from
}

// indices returns every index into z the spec names.
func (sp *StepSpec) indices() []int {
	return append(append([]int{sp.Const1}, sp.YStep...), sp.YPrev...)
}

// Step is one step of a chain.
type Step struct {
	Index       int    // step_idx, equal to the step's position
	Instruction string // what the step executes, as the exporter describes it
	// CCS is the step's R1CS; its public input is the file's instance,
	// z[:num_public_inputs].
	CCS *CCS
	// Z is the full assignment, instance followed by witness (z_full).
	Z []goldilocks.Element
}

// LinkError reports the first place a chain's steps do not link: z[Const1]
// of a step is not 1 (Index −1), or y_prev[Index] of a step is not the
// value Want that y0 (step 0) or the previous step's y_step holds.
type LinkError struct {
	Step, Index int
	Got, Want   goldilocks.Element
}

func (e *LinkError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("ccs: chain step %d: constant slot holds %s, not 1", e.Step, e.Got.String())
	}
	from := "y0"
	if e.Step > 0 {
		from = fmt.Sprintf("y_step of step %d", e.Step-1)
	}
	return fmt.Sprintf("ccs: chain step %d: y_prev[%d] = %s, but %s holds %s", e.Step, e.Index, e.Got.String(), from, e.Want.String())
}

func (e *LinkError) Unwrap() error { return ErrLink }

// Check checks every step's assignment against its CCS, then the links
// between steps (CheckLinks). An unsatisfied step gives an error naming
// the step that wraps its *UnsatisfiedError.
func (c *Chain) Check() error {
	for i, s := range c.Steps {
		if s.CCS == nil {
			return fmt.Errorf("ccs: chain step %d has no CCS: %w", i, ErrStructure)
		}
		if err := s.CCS.Check(s.Z); err != nil {
			return fmt.Errorf("ccs: chain step %d (%s): %w", i, s.Instruction, err)
		}
	}
	return c.CheckLinks()
}

// CheckLinks checks that every step has the constant 1 in z[Const1], that
// step 0 starts from Y0, and that each later step starts from the state the
// step before it produced. The error is a *LinkError naming the first step
// and state index where this fails; a spec that does not fit the steps (an
// index outside some z, state lengths that differ) is an error wrapping
// ErrStructure.
func (c *Chain) CheckLinks() error {
	sp := &c.Spec
	if len(c.Y0) != sp.YLen || len(sp.YStep) != sp.YLen || len(sp.YPrev) != sp.YLen {
		return fmt.Errorf("ccs: chain state length %d, but y0, YStep and YPrev have %d, %d and %d entries: %w",
			sp.YLen, len(c.Y0), len(sp.YStep), len(sp.YPrev), ErrStructure)
	}
	for i, s := range c.Steps {
		for _, idx := range sp.indices() {
			if idx < 0 || idx >= len(s.Z) {
				return fmt.Errorf("ccs: chain step %d: spec index %d outside z of %d entries: %w", i, idx, len(s.Z), ErrStructure)
			}
		}
	}
	var one goldilocks.Element
	one.SetOne()
	want := c.Y0
	for i, s := range c.Steps {
		if z := s.Z[c.Spec.Const1]; z != one {
			return &LinkError{Step: i, Index: -1, Got: z, Want: one}
		}
		for k, idx := range c.Spec.YPrev {
			if s.Z[idx] != want[k] {
				return &LinkError{Step: i, Index: k, Got: s.Z[idx], Want: want[k]}
			}
		}
		want = make([]goldilocks.Element, c.Spec.YLen)
		for k, idx := range c.Spec.YStep {
			want[k] = s.Z[idx]
		}
	}
	return nil
}

// chainFile is the JSON of a Chain.
type chainFile struct {
	Metadata *struct {
		TestName      string   `json:"test_name"`
		Field         string   `json:"field"`
		Modulus       decimal  `json:"modulus"`
		NumSteps      *decimal `json:"num_steps"`
		ShouldFail    bool     `json:"should_fail"`
		FailureReason *string  `json:"failure_reason"`
	} `json:"metadata"`
	IVCParams *struct {
		Y0       []decimal `json:"y0"`
		StepSpec *struct {
			YLen         *decimal  `json:"y_len"`
			Const1Index  *decimal  `json:"const1_index"`
			YStepIndices []decimal `json:"y_step_indices"`
			YPrevIndices []decimal `json:"y_prev_indices"`
		} `json:"step_spec"`
	} `json:"ivc_params"`
	Steps []struct {
		StepIdx     *decimal `json:"step_idx"`
		Instruction string   `json:"instruction"`
		Witness     *struct {
			Instance []decimal `json:"instance"`
			Witness  []decimal `json:"witness"`
			ZFull    []decimal `json:"z_full"`
		} `json:"witness"`
		R1CS *struct {
			NumConstraints  *decimal    `json:"num_constraints"`
			NumVariables    *decimal    `json:"num_variables"`
			NumPublicInputs *decimal    `json:"num_public_inputs"`
			A               [][]decimal `json:"a_sparse"`
			B               [][]decimal `json:"b_sparse"`
			C               [][]decimal `json:"c_sparse"`
		} `json:"r1cs"`
	} `json:"steps"`
	FinalSNARK *struct {
		PublicInput []decimal `json:"public_input"`
	} `json:"final_snark"`
}

// ReadChain reads an IVC chain in Nightstream's JSON export form: metadata
// (test_name, field "Goldilocks", modulus, num_steps, should_fail,
// failure_reason), ivc_params (y0 and step_spec: y_len, const1_index,
// y_step_indices, y_prev_indices), steps (step_idx, instruction, witness
// {instance, witness, z_full}, r1cs {num_constraints, num_variables,
// num_public_inputs, a/b/c_sparse as [row, col, value] triples}) and
// optionally final_snark.public_input. Values are decimal, as strings or
// numbers, below q. Every step is checked for consistency (z_full is
// instance followed by witness, of num_variables entries; the state indices
// lie inside z), not for satisfaction: Check does that.
func ReadChain(r io.Reader) (*Chain, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	var f chainFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("ccs: ReadChain: %w: %w", ErrFormat, err)
	}
	c, err := parseChain(&f, dimLimit(len(data)))
	if err != nil {
		return nil, fmt.Errorf("ccs: ReadChain: %w", err)
	}
	return c, nil
}

func parseChain(f *chainFile, lim int) (*Chain, error) {
	md := f.Metadata
	if md == nil {
		return nil, fmt.Errorf("metadata missing: %w", ErrFormat)
	}
	if md.Field != "Goldilocks" || md.Modulus != "18446744069414584321" {
		return nil, fmt.Errorf("metadata: field %q with modulus %s, want Goldilocks, 18446744069414584321: %w", md.Field, md.Modulus, ErrFormat)
	}
	numSteps, err := parseCount(md.NumSteps, "metadata.num_steps", lim)
	if err != nil {
		return nil, err
	}
	if numSteps != len(f.Steps) {
		return nil, fmt.Errorf("metadata.num_steps = %d, but there are %d steps: %w", numSteps, len(f.Steps), ErrFormat)
	}
	c := &Chain{Name: md.TestName, ShouldFail: md.ShouldFail}
	if md.FailureReason != nil {
		c.FailureReason = *md.FailureReason
	}

	ivc := f.IVCParams
	if ivc == nil || ivc.StepSpec == nil {
		return nil, fmt.Errorf("ivc_params.step_spec missing: %w", ErrFormat)
	}
	if c.Y0, err = parseElements(ivc.Y0, "ivc_params.y0"); err != nil {
		return nil, err
	}
	spec := ivc.StepSpec
	if c.Spec.YLen, err = parseCount(spec.YLen, "step_spec.y_len", len(c.Y0)); err != nil {
		return nil, err
	}
	if c.Spec.YLen != len(c.Y0) || len(spec.YStepIndices) != c.Spec.YLen || len(spec.YPrevIndices) != c.Spec.YLen {
		return nil, fmt.Errorf("step_spec.y_len = %d, but y0, y_step_indices and y_prev_indices have %d, %d and %d entries: %w",
			c.Spec.YLen, len(c.Y0), len(spec.YStepIndices), len(spec.YPrevIndices), ErrFormat)
	}
	// Indices are checked against each step's assignment below.
	if c.Spec.Const1, err = parseCount(spec.Const1Index, "step_spec.const1_index", lim); err != nil {
		return nil, err
	}
	c.Spec.YStep = make([]int, c.Spec.YLen)
	c.Spec.YPrev = make([]int, c.Spec.YLen)
	for k := range c.Spec.YLen {
		if c.Spec.YStep[k], err = parseIndex(spec.YStepIndices[k], fmt.Sprintf("step_spec.y_step_indices[%d]", k), lim); err != nil {
			return nil, err
		}
		if c.Spec.YPrev[k], err = parseIndex(spec.YPrevIndices[k], fmt.Sprintf("step_spec.y_prev_indices[%d]", k), lim); err != nil {
			return nil, err
		}
	}

	c.Steps = make([]Step, len(f.Steps))
	for i := range f.Steps {
		if c.Steps[i], err = parseStep(f, i, lim, &c.Spec); err != nil {
			return nil, err
		}
	}

	if f.FinalSNARK != nil {
		if c.FinalPublicInput, err = parseElements(f.FinalSNARK.PublicInput, "final_snark.public_input"); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseStep(f *chainFile, i, lim int, spec *StepSpec) (Step, error) {
	fs := &f.Steps[i]
	at := fmt.Sprintf("steps[%d]", i)
	idx, err := parseCount(fs.StepIdx, at+".step_idx", lim)
	if err != nil {
		return Step{}, err
	}
	if idx != i {
		return Step{}, fmt.Errorf("%s.step_idx = %d, want its position %d: %w", at, idx, i, ErrFormat)
	}
	rf, wf := fs.R1CS, fs.Witness
	if rf == nil || wf == nil {
		return Step{}, fmt.Errorf("%s: r1cs or witness missing: %w", at, ErrFormat)
	}
	m, err := parseCount(rf.NumConstraints, at+".r1cs.num_constraints", lim)
	if err != nil {
		return Step{}, err
	}
	n, err := parseCount(rf.NumVariables, at+".r1cs.num_variables", lim)
	if err != nil {
		return Step{}, err
	}
	numPublic, err := parseCount(rf.NumPublicInputs, at+".r1cs.num_public_inputs", n)
	if err != nil {
		return Step{}, err
	}
	a, err := parseMatrix(rf.A, at+".r1cs.a_sparse", m, n)
	if err != nil {
		return Step{}, err
	}
	b, err := parseMatrix(rf.B, at+".r1cs.b_sparse", m, n)
	if err != nil {
		return Step{}, err
	}
	cm, err := parseMatrix(rf.C, at+".r1cs.c_sparse", m, n)
	if err != nil {
		return Step{}, err
	}
	s := Step{Index: idx, Instruction: fs.Instruction}
	if s.CCS, err = FromR1CS(a, b, cm, numPublic); err != nil {
		return Step{}, fmt.Errorf("%s: %w: %w", at, ErrFormat, err)
	}

	if len(wf.Instance) != numPublic || len(wf.ZFull) != n || len(wf.Witness) != n-numPublic {
		return Step{}, fmt.Errorf("%s.witness: instance, witness and z_full have %d, %d and %d entries, want %d, %d and %d: %w",
			at, len(wf.Instance), len(wf.Witness), len(wf.ZFull), numPublic, n-numPublic, n, ErrFormat)
	}
	if s.Z, err = parseElements(wf.ZFull, at+".witness.z_full"); err != nil {
		return Step{}, err
	}
	for k, v := range append(wf.Instance[:numPublic:numPublic], wf.Witness...) {
		e, err := parseElement(v, fmt.Sprintf("%s.witness.instance‖witness[%d]", at, k))
		if err != nil {
			return Step{}, err
		}
		if e != s.Z[k] {
			return Step{}, fmt.Errorf("%s.witness: z_full[%d] = %s, but instance‖witness holds %s there: %w", at, k, s.Z[k].String(), e.String(), ErrFormat)
		}
	}
	for _, idx := range spec.indices() {
		if idx >= n {
			return Step{}, fmt.Errorf("%s: step_spec index %d outside its %d variables: %w", at, idx, n, ErrFormat)
		}
	}
	return s, nil
}
