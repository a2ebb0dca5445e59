package ccs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
)

// ErrLink is wrapped by the errors about an IVC chain whose steps do not
// pass their state on: a step's previous state is not the state the step
// before it produced (or y0), or its constant slot is not 1.
var ErrLink = errors.New("ccs: IVC chain steps are not linked")

// Chain is an IVC run exported by Nightstream (the
// test_starstream_tx_export_*.json form): a sequence of R1CS steps, each
// reading a state y_prev from its public input and producing y_step, starting
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

// StepSpec says where a step's public input x = z[:NumPublic] holds the
// constant and the states.
type StepSpec struct {
	YLen   int   // the length of a state
	Const1 int   // the index of the constant 1 in x
	YStep  []int // the indices in x of the state a step produces
	YPrev  []int // the indices in x of the state a step starts from
}

// indices returns every index into x the spec names.
func (sp *StepSpec) indices() []int {
	return append(append([]int{sp.Const1}, sp.YStep...), sp.YPrev...)
}

// Step is one step of a chain.
type Step struct {
	Index       int    // step_idx, equal to the step's position
	Instruction string // what the step executes, as the exporter describes it
	// CCS is the step's R1CS. Steps with one structure share it: ReadChain
	// builds it once, so whatever is derived from it can be too.
	CCS *CCS
	// Public is the step's public input x = z[:CCS.NumPublic()], the file's
	// witness.instance: all that a verifier of the chain holds, and all
	// that CheckLinks reads.
	Public []goldilocks.Element
	// Z is the full assignment, instance followed by witness (z_full), or
	// nil when the file carries no witness.
	Z []goldilocks.Element
}

// ErrNoWitness is Step.Check's error for a step without its full
// assignment, as in a chain prepared for a verifier.
var ErrNoWitness = errors.New("ccs: chain step has no witness")

// Check checks that the step's full assignment Z starts with its public
// input and satisfies its CCS. The error is ErrNoWitness when Z is nil, an
// *UnsatisfiedError for an unsatisfied step, and wraps ErrStructure when Z
// does not fit the step.
func (s *Step) Check() error {
	switch {
	case s.CCS == nil:
		return fmt.Errorf("ccs: step has no CCS: %w", ErrStructure)
	case s.Z == nil:
		return ErrNoWitness
	case len(s.Public) != s.CCS.NumPublic() || len(s.Z) < len(s.Public) || !slices.Equal(s.Z[:len(s.Public)], s.Public):
		return fmt.Errorf("ccs: step's assignment does not start with its public input of %d entries: %w", s.CCS.NumPublic(), ErrStructure)
	}
	return s.CCS.Check(s.Z)
}

// LinkError reports the first place a chain's steps do not link: x[Const1]
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

// Check checks every step (Step.Check), then the links between steps
// (CheckLinks). An error about a step names it and wraps Step.Check's.
func (c *Chain) Check() error {
	for i := range c.Steps {
		s := &c.Steps[i]
		if err := s.Check(); err != nil {
			return fmt.Errorf("ccs: chain step %d (%s): %w", i, s.Instruction, err)
		}
	}
	return c.CheckLinks()
}

// CheckLinks checks that every step has the constant 1 in x[Const1], that
// step 0 starts from Y0, and that each later step starts from the state the
// step before it produced. It reads only the steps' public inputs, so it
// checks a chain loaded without witnesses too. The error is a *LinkError
// naming the first step and state index where this fails; a spec that does
// not fit the steps (an index outside some public input, state lengths that
// differ) is an error wrapping ErrStructure.
func (c *Chain) CheckLinks() error {
	sp := &c.Spec
	if len(c.Y0) != sp.YLen || len(sp.YStep) != sp.YLen || len(sp.YPrev) != sp.YLen {
		return fmt.Errorf("ccs: chain state length %d, but y0, YStep and YPrev have %d, %d and %d entries: %w",
			sp.YLen, len(c.Y0), len(sp.YStep), len(sp.YPrev), ErrStructure)
	}
	for i, s := range c.Steps {
		for _, idx := range sp.indices() {
			if idx < 0 || idx >= len(s.Public) {
				return fmt.Errorf("ccs: chain step %d: spec index %d outside the public input of %d entries: %w", i, idx, len(s.Public), ErrStructure)
			}
		}
	}
	var one goldilocks.Element
	one.SetOne()
	want := c.Y0
	for i, s := range c.Steps {
		x := s.Public
		if x[sp.Const1] != one {
			return &LinkError{Step: i, Index: -1, Got: x[sp.Const1], Want: one}
		}
		for k, idx := range sp.YPrev {
			if x[idx] != want[k] {
				return &LinkError{Step: i, Index: k, Got: x[idx], Want: want[k]}
			}
		}
		want = make([]goldilocks.Element, sp.YLen)
		for k, idx := range sp.YStep {
			want[k] = x[idx]
		}
	}
	return nil
}

// chainFile is the JSON of a Chain. Steps stay raw until parsed one by one,
// so that the Steps built never outnumber the valid steps read; the big
// lists stay raw as in r1csFile.
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
		Y0       json.RawMessage `json:"y0"`
		StepSpec *struct {
			YLen         *decimal  `json:"y_len"`
			Const1Index  *decimal  `json:"const1_index"`
			YStepIndices []decimal `json:"y_step_indices"`
			YPrevIndices []decimal `json:"y_prev_indices"`
		} `json:"step_spec"`
	} `json:"ivc_params"`
	Steps      []json.RawMessage `json:"steps"`
	FinalSNARK *struct {
		PublicInput json.RawMessage `json:"public_input"`
	} `json:"final_snark"`
}

type stepFile struct {
	StepIdx     *decimal `json:"step_idx"`
	Instruction string   `json:"instruction"`
	Witness     *struct {
		Instance json.RawMessage `json:"instance"`
		Witness  json.RawMessage `json:"witness"`
		ZFull    json.RawMessage `json:"z_full"`
	} `json:"witness"`
	// R1CS stays raw: steps that write it identically share one CCS,
	// found by these bytes before they are parsed.
	R1CS json.RawMessage `json:"r1cs"`
}

type stepR1CSFile struct {
	NumConstraints  *decimal        `json:"num_constraints"`
	NumVariables    *decimal        `json:"num_variables"`
	NumPublicInputs *decimal        `json:"num_public_inputs"`
	A               json.RawMessage `json:"a_sparse"`
	B               json.RawMessage `json:"b_sparse"`
	C               json.RawMessage `json:"c_sparse"`
}

// ReadChain reads an IVC chain in Nightstream's JSON export form: metadata
// (test_name, field "Goldilocks", modulus, num_steps, should_fail,
// failure_reason), ivc_params (y0 and step_spec: y_len, const1_index,
// y_step_indices, y_prev_indices), steps (step_idx, instruction, witness
// {instance, witness, z_full}, r1cs {num_constraints, num_variables,
// num_public_inputs, a/b/c_sparse as [row, col, value] triples}) and
// optionally final_snark.public_input. Values are decimal, as strings or
// numbers, below q.
//
// A step's witness.witness and z_full may be left out together, as in a
// chain prepared for a verifier: the step's Z is then nil. Steps whose r1cs
// is written identically share one *CCS; the constraints and variables of
// the distinct ones may add up to at most half the file's size in bytes, so
// that what is allocated stays proportional to the input. Every step is
// checked for consistency (z_full is instance followed by witness, of
// num_variables entries; the spec's indices name public inputs), not for
// satisfaction: Check does that.
func ReadChain(r io.Reader) (*Chain, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	var f chainFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("ccs: ReadChain: %w: %w", ErrFormat, err)
	}
	c, err := parseChain(&f, newBudget(len(data)))
	if err != nil {
		return nil, fmt.Errorf("ccs: ReadChain: %w", err)
	}
	return c, nil
}

func parseChain(f *chainFile, budget *dimBudget) (*Chain, error) {
	md := f.Metadata
	if md == nil {
		return nil, fmt.Errorf("metadata missing: %w", ErrFormat)
	}
	if md.Field != "Goldilocks" || md.Modulus != "18446744069414584321" {
		return nil, fmt.Errorf("metadata: field %q with modulus %s, want Goldilocks, 18446744069414584321: %w", md.Field, md.Modulus, ErrFormat)
	}
	numSteps, err := parseCount(md.NumSteps, "metadata.num_steps", MaxDim)
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
	if c.Y0, err = parseValues(ivc.Y0, "ivc_params.y0", -1); err != nil {
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
	// Indices are checked against each step's public input below.
	if c.Spec.Const1, err = parseCount(spec.Const1Index, "step_spec.const1_index", MaxDim); err != nil {
		return nil, err
	}
	c.Spec.YStep = make([]int, c.Spec.YLen)
	c.Spec.YPrev = make([]int, c.Spec.YLen)
	for k := range c.Spec.YLen {
		var ok bool
		if c.Spec.YStep[k], ok = parseIndex(spec.YStepIndices[k], MaxDim); !ok {
			return nil, indexError(spec.YStepIndices[k], fmt.Sprintf("step_spec.y_step_indices[%d]", k), MaxDim)
		}
		if c.Spec.YPrev[k], ok = parseIndex(spec.YPrevIndices[k], MaxDim); !ok {
			return nil, indexError(spec.YPrevIndices[k], fmt.Sprintf("step_spec.y_prev_indices[%d]", k), MaxDim)
		}
	}

	// Steps are appended as they pass, so that a file of empty steps
	// allocates no more Steps than it has valid ones.
	structures := map[string]*CCS{}
	for i, raw := range f.Steps {
		s, err := parseStep(raw, i, &c.Spec, budget, structures)
		if err != nil {
			return nil, err
		}
		c.Steps = append(c.Steps, s)
	}

	if f.FinalSNARK != nil {
		if c.FinalPublicInput, err = parseValues(f.FinalSNARK.PublicInput, "final_snark.public_input", -1); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parseStep parses step i, looking its structure up in structures (by the
// r1cs object's bytes) before building it.
func parseStep(raw []byte, i int, spec *StepSpec, budget *dimBudget, structures map[string]*CCS) (Step, error) {
	at := fmt.Sprintf("steps[%d]", i)
	var fs stepFile
	if err := json.Unmarshal(raw, &fs); err != nil {
		return Step{}, fmt.Errorf("%s: %w: %w", at, ErrFormat, err)
	}
	idx, err := parseCount(fs.StepIdx, at+".step_idx", MaxDim)
	if err != nil {
		return Step{}, err
	}
	if idx != i {
		return Step{}, fmt.Errorf("%s.step_idx = %d, want its position %d: %w", at, idx, i, ErrFormat)
	}
	if isNull(fs.R1CS) {
		return Step{}, fmt.Errorf("%s: r1cs missing: %w", at, ErrFormat)
	}
	s := Step{Index: idx, Instruction: fs.Instruction, CCS: structures[string(fs.R1CS)]}
	if s.CCS == nil {
		if s.CCS, err = parseStepR1CS(fs.R1CS, at+".r1cs", budget); err != nil {
			return Step{}, err
		}
		structures[string(fs.R1CS)] = s.CCS
	}
	n, numPublic := s.CCS.NumVariables(), s.CCS.NumPublic()
	// The folding verifier sees only public inputs, so the links between
	// steps must lie among them.
	if spec.Const1 >= numPublic {
		return Step{}, notPublic(at, "const1_index", spec.Const1, numPublic)
	}
	for k := range spec.YStep {
		if spec.YStep[k] >= numPublic {
			return Step{}, notPublic(at, fmt.Sprintf("y_step_indices[%d]", k), spec.YStep[k], numPublic)
		}
		if spec.YPrev[k] >= numPublic {
			return Step{}, notPublic(at, fmt.Sprintf("y_prev_indices[%d]", k), spec.YPrev[k], numPublic)
		}
	}

	wf := fs.Witness
	if wf == nil || isNull(wf.Instance) {
		return Step{}, fmt.Errorf("%s: witness.instance missing: %w", at, ErrFormat)
	}
	if s.Public, err = parseValues(wf.Instance, at+".witness.instance", numPublic); err != nil {
		return Step{}, err
	}
	switch {
	case isNull(wf.Witness) && isNull(wf.ZFull):
		return s, nil
	case isNull(wf.Witness) || isNull(wf.ZFull):
		return Step{}, fmt.Errorf("%s.witness: witness and z_full come together or not at all: %w", at, ErrFormat)
	}
	if s.Z, err = parseValues(wf.ZFull, at+".witness.z_full", n); err != nil {
		return Step{}, err
	}
	for k, e := range s.Public {
		if e != s.Z[k] {
			return Step{}, fmt.Errorf("%s.witness: z_full[%d] = %s, but instance‖witness holds %s there: %w", at, k, s.Z[k].String(), e.String(), ErrFormat)
		}
	}
	// The witness is compared as it is scanned: it is z_full's tail.
	w := s.Z[numPublic:]
	count := 0
	err = scanList(wf.Witness, func(k int, item []byte) error {
		count = k + 1
		if k >= len(w) {
			return nil
		}
		v := scalar(item)
		e, ok := parseElement(v)
		if !ok {
			return elementError(v, fmt.Sprintf("%s.witness.witness[%d]", at, k))
		}
		if e != w[k] {
			return fmt.Errorf("%s.witness: z_full[%d] = %s, but instance‖witness holds %s there: %w", at, numPublic+k, w[k].String(), e.String(), ErrFormat)
		}
		return nil
	})
	if err != nil {
		return Step{}, listError(err, wf.Witness, at+".witness.witness")
	}
	if count != len(w) {
		return Step{}, fmt.Errorf("%s.witness.witness has %d entries, want num_variables − num_public_inputs = %d: %w", at, count, len(w), ErrFormat)
	}
	return s, nil
}

func notPublic(at, field string, idx, numPublic int) error {
	return fmt.Errorf("%s: step_spec.%s = %d is not a public input, the step has num_public_inputs = %d: %w", at, field, idx, numPublic, ErrFormat)
}

// parseStepR1CS builds a step's structure, charging its dimensions to the
// file's budget.
func parseStepR1CS(raw []byte, at string, budget *dimBudget) (*CCS, error) {
	var rf stepR1CSFile
	if err := json.Unmarshal(raw, &rf); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", at, ErrFormat, err)
	}
	m, err := parseCount(rf.NumConstraints, at+".num_constraints", MaxDim)
	if err != nil {
		return nil, err
	}
	n, err := parseCount(rf.NumVariables, at+".num_variables", MaxDim)
	if err != nil {
		return nil, err
	}
	if err := budget.charge(m, n, at+"."); err != nil {
		return nil, err
	}
	numPublic, err := parseCount(rf.NumPublicInputs, at+".num_public_inputs", n)
	if err != nil {
		return nil, err
	}
	var abc [3]*mle.Sparse
	for k, mf := range []json.RawMessage{rf.A, rf.B, rf.C} {
		if abc[k], err = parseMatrix(mf, fmt.Sprintf("%s.%c_sparse", at, 'a'+k), m, n); err != nil {
			return nil, err
		}
	}
	s, err := FromR1CS(abc[0], abc[1], abc[2], numPublic)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", at, ErrFormat, err)
	}
	return s, nil
}
