package ccs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/consensys/gnark-crypto/field/goldilocks"

	"github.com/ssprove/ssprove/fold/mle"
)

// The bounds on what a file may claim, checked before anything of that size
// is allocated.
const (
	// MaxDim is the most constraints, variables or entries of one matrix a
	// file may hold.
	MaxDim = 1 << 24
	// MaxFileSize is the most bytes a reader consumes.
	MaxFileSize = 1 << 30
)

// q is the Goldilocks modulus, which every value in a file must be below.
const q = 0xFFFF_FFFF_0000_0001

// ErrFormat is wrapped by every error about a file that is not a valid
// Nightstream export: JSON syntax, missing fields, values ≥ q, indices out of
// range, inconsistent or oversized dimensions.
var ErrFormat = errors.New("ccs: malformed Nightstream file")

// Instance is an R1CS exported by Nightstream (the
// poseidon2_ic_circuit_batch_*.json form) with its assignments.
type Instance struct {
	// CCS is the R1CS as a CCS. Its one public variable is z[0], the
	// constant 1, as Nightstream runs these files (x = [z[0]]).
	CCS *CCS
	// Z holds the full assignments z, one per folding step, each of
	// CCS.NumVariables() entries.
	Z [][]goldilocks.Element
}

// r1csFile is the JSON of an Instance.
type r1csFile struct {
	NumConstraints *decimal    `json:"num_constraints"`
	NumVariables   *decimal    `json:"num_variables"`
	MatrixA        *matrixFile `json:"matrix_a"`
	MatrixB        *matrixFile `json:"matrix_b"`
	MatrixC        *matrixFile `json:"matrix_c"`
	Witness        [][]decimal `json:"witness"`
}

type matrixFile struct {
	Rows    *decimal    `json:"rows"`
	Cols    *decimal    `json:"cols"`
	Entries [][]decimal `json:"entries"`
}

// decimal is a JSON scalar kept as text, so that it is parsed where its
// position is known (json reports neither field nor index for a bad number)
// and exactly (these files write values up to 2^64 as bare numbers, which
// float64 would round): a number literal as written, a string unquoted,
// anything else verbatim, to be rejected by the parser.
type decimal string

func (d *decimal) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = decimal(s)
		return nil
	}
	*d = decimal(b)
	return nil
}

// String returns d for messages, shortened: it may be a whole JSON object.
func (d decimal) String() string {
	const shown = 32
	if len(d) > shown {
		return strconv.Quote(string(d[:shown])) + "…"
	}
	return strconv.Quote(string(d))
}

// ReadR1CS reads an R1CS instance in Nightstream's JSON export form:
// num_constraints, num_variables, matrix_a/b/c each {rows, cols, entries:
// [[row, col, value], …]}, and witness, a list of full assignments z. Values
// are decimal, as JSON numbers or strings, and must be below q; entries at
// the same position are summed. Nightstream pads a short assignment with
// zeros; here every assignment must have num_variables entries, so that what
// is allocated stays proportional to the input.
func ReadR1CS(r io.Reader) (*Instance, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	var f r1csFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("ccs: ReadR1CS: %w: %w", ErrFormat, err)
	}
	lim := dimLimit(len(data))
	m, err := parseCount(f.NumConstraints, "num_constraints", lim)
	if err != nil {
		return nil, fmt.Errorf("ccs: ReadR1CS: %w", err)
	}
	n, err := parseCount(f.NumVariables, "num_variables", lim)
	if err != nil {
		return nil, fmt.Errorf("ccs: ReadR1CS: %w", err)
	}
	var abc [3]*mle.Sparse
	for k, mf := range []*matrixFile{f.MatrixA, f.MatrixB, f.MatrixC} {
		name := "matrix_" + string(rune('a'+k))
		if mf == nil {
			return nil, fmt.Errorf("ccs: ReadR1CS: %s missing: %w", name, ErrFormat)
		}
		for _, d := range []struct {
			field string
			v     *decimal
			want  int
		}{{name + ".rows", mf.Rows, m}, {name + ".cols", mf.Cols, n}} {
			got, err := parseCount(d.v, d.field, lim)
			if err != nil {
				return nil, fmt.Errorf("ccs: ReadR1CS: %w", err)
			}
			if got != d.want {
				return nil, fmt.Errorf("ccs: ReadR1CS: %s = %d, want %d: %w", d.field, got, d.want, ErrFormat)
			}
		}
		if abc[k], err = parseMatrix(mf.Entries, name+".entries", m, n); err != nil {
			return nil, fmt.Errorf("ccs: ReadR1CS: %w", err)
		}
	}
	s, err := FromR1CS(abc[0], abc[1], abc[2], 1)
	if err != nil {
		return nil, fmt.Errorf("ccs: ReadR1CS: %w: %w", ErrFormat, err)
	}
	inst := &Instance{CCS: s, Z: make([][]goldilocks.Element, len(f.Witness))}
	for i, w := range f.Witness {
		field := fmt.Sprintf("witness[%d]", i)
		if len(w) != n {
			return nil, fmt.Errorf("ccs: ReadR1CS: %s has %d entries, want num_variables = %d: %w", field, len(w), n, ErrFormat)
		}
		if inst.Z[i], err = parseElements(w, field); err != nil {
			return nil, fmt.Errorf("ccs: ReadR1CS: %w", err)
		}
	}
	return inst, nil
}

// readLimited reads all of r, at most MaxFileSize bytes.
func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("ccs: reading: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("ccs: input longer than %d bytes: %w", MaxFileSize, ErrFormat)
	}
	return data, nil
}

// dimLimit bounds the dimensions a file of size bytes may claim: MaxDim, and
// no more than one row or column per input byte, so that a short file
// claiming huge empty matrices cannot make the reader allocate much more
// than it read.
func dimLimit(size int) int { return min(MaxDim, size) }

// parseCount parses a required non-negative count of at most limit.
func parseCount(v *decimal, field string, limit int) (int, error) {
	if v == nil {
		return 0, fmt.Errorf("%s missing: %w", field, ErrFormat)
	}
	return parseIndex(*v, field, limit)
}

// parseIndex parses a decimal integer in [0, limit]; none is when limit < 0.
func parseIndex(v decimal, field string, limit int) (int, error) {
	x, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil || limit < 0 || x > uint64(limit) {
		return 0, fmt.Errorf("%s = %s, want an integer in [0, %d]: %w", field, v, limit, ErrFormat)
	}
	return int(x), nil
}

// parseElement parses a decimal field element, which must be below q.
func parseElement(v decimal, field string) (goldilocks.Element, error) {
	var e goldilocks.Element
	x, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil || x >= q {
		return e, fmt.Errorf("%s = %s, want a decimal integer below q = %d: %w", field, v, uint64(q), ErrFormat)
	}
	e.SetUint64(x)
	return e, nil
}

func parseElements(vs []decimal, field string) ([]goldilocks.Element, error) {
	es := make([]goldilocks.Element, len(vs))
	for i, v := range vs {
		var err error
		if es[i], err = parseElement(v, fmt.Sprintf("%s[%d]", field, i)); err != nil {
			return nil, err
		}
	}
	return es, nil
}

// parseMatrix reads [row, col, value] triples into an m×n matrix.
func parseMatrix(triples [][]decimal, field string, m, n int) (*mle.Sparse, error) {
	if len(triples) > MaxDim {
		return nil, fmt.Errorf("%s has %d entries, the limit is %d: %w", field, len(triples), MaxDim, ErrFormat)
	}
	es := make([]mle.Entry, len(triples))
	for k, t := range triples {
		at := fmt.Sprintf("%s[%d]", field, k)
		if len(t) != 3 {
			return nil, fmt.Errorf("%s has %d items, want [row, col, value]: %w", at, len(t), ErrFormat)
		}
		// An index must lie below its dimension; the limit of an empty
		// dimension is −1, which no index meets.
		var err error
		if es[k].Row, err = parseIndex(t[0], at+" row", m-1); err != nil {
			return nil, err
		}
		if es[k].Col, err = parseIndex(t[1], at+" col", n-1); err != nil {
			return nil, err
		}
		if es[k].Val, err = parseElement(t[2], at+" value"); err != nil {
			return nil, err
		}
	}
	s, err := mle.NewSparse(m, n, es)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", field, ErrFormat, err)
	}
	return s, nil
}
