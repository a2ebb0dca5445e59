package ccs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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
	// MaxFileSize is the most bytes a reader consumes. Reading holds the
	// file, a copy of each list it decodes and what the lists decode to: at
	// peak (measured) about 4 times the file's size for the Poseidon2
	// instances, 6 for an assignment of zeros, 13 for a file of nothing but
	// the shortest matrix entries, whose 7 bytes become 96 while the matrix
	// is sorted. So the largest file may need some 3.5 GiB; 256 MiB holds a
	// Poseidon2 batch of 600 permutations.
	MaxFileSize = 256 << 20
	// dimBytes is how many bytes of input a file spends per row or column it
	// claims. Entries and values take at least two bytes each, so the input
	// bounds their number; a dimension is one number however large, yet
	// mle.NewSparse spends 24 bytes per row of each matrix. The dimensions
	// of all the structures a file holds are therefore charged against one
	// budget of len(file)/dimBytes: building them allocates at most 3·24/2 =
	// 36 bytes per input byte. Two bytes is what a file that writes out its
	// assignment spends per variable at the least ("0,"); the Nightstream
	// files spend 50 to 500 bytes per row or column.
	dimBytes = 2
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

// r1csFile is the JSON of an Instance. The lists that make up nearly all of
// a file stay raw until parsed by scanList, straight into their final form:
// decoded by encoding/json, each item would cost a string of its own.
type r1csFile struct {
	NumConstraints *decimal          `json:"num_constraints"`
	NumVariables   *decimal          `json:"num_variables"`
	MatrixA        *matrixFile       `json:"matrix_a"`
	MatrixB        *matrixFile       `json:"matrix_b"`
	MatrixC        *matrixFile       `json:"matrix_c"`
	Witness        []json.RawMessage `json:"witness"`
}

type matrixFile struct {
	Rows    *decimal        `json:"rows"`
	Cols    *decimal        `json:"cols"`
	Entries json.RawMessage `json:"entries"`
}

// decimal is a JSON scalar kept as text, so that it is parsed where its
// position is known (json reports neither field nor index for a bad number)
// and exactly (these files write values up to 2^64 as bare numbers, which
// float64 would round): a number literal as written, a string unquoted,
// anything else verbatim, to be rejected by the parser.
type decimal string

func (d *decimal) UnmarshalJSON(b []byte) error {
	*d = decimal(scalar(b))
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
// zeros; here every assignment must have num_variables entries, and
// num_constraints + num_variables may be at most half the file's size in
// bytes, so that what is allocated stays proportional to the input.
func ReadR1CS(r io.Reader) (*Instance, error) {
	data, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	var f r1csFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("ccs: ReadR1CS: %w: %w", ErrFormat, err)
	}
	inst, err := parseR1CS(&f, newBudget(len(data)))
	if err != nil {
		return nil, fmt.Errorf("ccs: ReadR1CS: %w", err)
	}
	return inst, nil
}

func parseR1CS(f *r1csFile, budget *dimBudget) (*Instance, error) {
	m, err := parseCount(f.NumConstraints, "num_constraints", MaxDim)
	if err != nil {
		return nil, err
	}
	n, err := parseCount(f.NumVariables, "num_variables", MaxDim)
	if err != nil {
		return nil, err
	}
	if err := budget.charge(m, n, ""); err != nil {
		return nil, err
	}
	var abc [3]*mle.Sparse
	for k, mf := range []*matrixFile{f.MatrixA, f.MatrixB, f.MatrixC} {
		name := "matrix_" + string(rune('a'+k))
		if mf == nil {
			return nil, fmt.Errorf("%s missing: %w", name, ErrFormat)
		}
		for _, d := range []struct {
			field string
			v     *decimal
			want  int
		}{{name + ".rows", mf.Rows, m}, {name + ".cols", mf.Cols, n}} {
			got, err := parseCount(d.v, d.field, MaxDim)
			if err != nil {
				return nil, err
			}
			if got != d.want {
				return nil, fmt.Errorf("%s = %d, want %d: %w", d.field, got, d.want, ErrFormat)
			}
		}
		if abc[k], err = parseMatrix(mf.Entries, name+".entries", m, n); err != nil {
			return nil, err
		}
	}
	s, err := FromR1CS(abc[0], abc[1], abc[2], 1)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	inst := &Instance{CCS: s, Z: make([][]goldilocks.Element, len(f.Witness))}
	for i, w := range f.Witness {
		if inst.Z[i], err = parseValues(w, fmt.Sprintf("witness[%d]", i), n); err != nil {
			return nil, err
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

// dimBudget is how many more rows and columns a file may claim (see
// dimBytes).
type dimBudget struct{ left int }

func newBudget(size int) *dimBudget { return &dimBudget{left: size / dimBytes} }

// charge takes a structure's m rows and n columns, each at most MaxDim, from
// the budget; prefix places the counts in the file.
func (b *dimBudget) charge(m, n int, prefix string) error {
	if m+n > b.left {
		return fmt.Errorf("%snum_constraints = %d and %snum_variables = %d: the input's size leaves %d rows and columns, one per %d bytes: %w",
			prefix, m, prefix, n, b.left, dimBytes, ErrFormat)
	}
	b.left -= m + n
	return nil
}

// parseCount parses a required non-negative count of at most limit.
func parseCount(v *decimal, field string, limit int) (int, error) {
	if v == nil {
		return 0, fmt.Errorf("%s missing: %w", field, ErrFormat)
	}
	x, ok := parseIndex(*v, limit)
	if !ok {
		return 0, indexError(*v, field, limit)
	}
	return x, nil
}

// parseUint parses a decimal integer below 2^64: digits only, as
// strconv.ParseUint in base 10, without allocating for a []byte.
func parseUint[T ~string | ~[]byte](s T) (uint64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	var x uint64
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if x > (math.MaxUint64-d)/10 {
			return 0, false
		}
		x = 10*x + d
	}
	return x, true
}

// parseIndex parses a decimal integer in [0, limit]; none is when limit < 0.
func parseIndex[T ~string | ~[]byte](v T, limit int) (int, bool) {
	x, ok := parseUint(v)
	if !ok || limit < 0 || x > uint64(limit) {
		return 0, false
	}
	return int(x), true
}

func indexError[T ~string | ~[]byte](v T, field string, limit int) error {
	return fmt.Errorf("%s = %s, want an integer in [0, %d]: %w", field, decimal(v), limit, ErrFormat)
}

// parseElement parses a decimal field element, which must be below q.
func parseElement[T ~string | ~[]byte](v T) (goldilocks.Element, bool) {
	var e goldilocks.Element
	x, ok := parseUint(v)
	if !ok || x >= q {
		return e, false
	}
	e.SetUint64(x)
	return e, true
}

func elementError[T ~string | ~[]byte](v T, field string) error {
	return fmt.Errorf("%s = %s, want a decimal integer below q = %d: %w", field, decimal(v), uint64(q), ErrFormat)
}

// parseValues parses the JSON list raw of field elements. When want ≥ 0 the
// list must have that many, which are allocated up front: callers pass a
// length charged to the budget or backed by the input.
func parseValues(raw []byte, field string, want int) ([]goldilocks.Element, error) {
	es := make([]goldilocks.Element, 0, max(want, 0))
	err := scanList(raw, func(k int, item []byte) error {
		if want >= 0 && k == want {
			return fmt.Errorf("%s has more than %d entries: %w", field, want, ErrFormat)
		}
		v := scalar(item)
		e, ok := parseElement(v)
		if !ok {
			return elementError(v, fmt.Sprintf("%s[%d]", field, k))
		}
		es = append(es, e)
		return nil
	})
	if err != nil {
		return nil, listError(err, raw, field)
	}
	if want >= 0 && len(es) != want {
		return nil, fmt.Errorf("%s has %d entries, want %d: %w", field, len(es), want, ErrFormat)
	}
	return es, nil
}

// parseMatrix reads the JSON list raw of [row, col, value] triples into an
// m×n matrix.
func parseMatrix(raw []byte, field string, m, n int) (*mle.Sparse, error) {
	var es []mle.Entry
	err := scanList(raw, func(k int, item []byte) error {
		if k == MaxDim {
			return fmt.Errorf("%s has more than %d entries: %w", field, MaxDim, ErrFormat)
		}
		var t [3][]byte
		items := 0
		err := scanList(item, func(j int, v []byte) error {
			if j < len(t) {
				t[j] = scalar(v)
			}
			items = j + 1
			return nil
		})
		if err != nil || items != len(t) {
			return fmt.Errorf("%s[%d] = %s, want [row, col, value]: %w", field, k, decimal(item), ErrFormat)
		}
		// An index must lie below its dimension; the limit of an empty
		// dimension is −1, which no index meets.
		row, ok := parseIndex(t[0], m-1)
		if !ok {
			return indexError(t[0], fmt.Sprintf("%s[%d] row", field, k), m-1)
		}
		col, ok := parseIndex(t[1], n-1)
		if !ok {
			return indexError(t[1], fmt.Sprintf("%s[%d] col", field, k), n-1)
		}
		val, ok := parseElement(t[2])
		if !ok {
			return elementError(t[2], fmt.Sprintf("%s[%d] value", field, k))
		}
		es = append(es, mle.Entry{Row: row, Col: col, Val: val})
		return nil
	})
	if err != nil {
		return nil, listError(err, raw, field)
	}
	s, err := mle.NewSparse(m, n, es)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", field, ErrFormat, err)
	}
	return s, nil
}

// errNotList is scanList's error for a value that is not a list.
var errNotList = errors.New("not a list")

// listError names field in scanList's errNotList; other errors, from the
// caller's yield, already name their place.
func listError(err error, raw []byte, field string) error {
	if errors.Is(err, errNotList) {
		return fmt.Errorf("%s = %s, want a list: %w", field, decimal(raw), ErrFormat)
	}
	return err
}

// isNull reports whether a raw JSON field is absent or null.
func isNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// scanList calls yield with the index and raw text of each item of the JSON
// list raw, stopping at the first error; absent or null is the empty list,
// anything else not a list is errNotList. raw comes from json.Unmarshal,
// which has checked its syntax, so the scan only finds where items end: it
// reads the lists that make up nearly all of a file without a string or an
// interface value per item, as a json.Decoder would allocate.
func scanList(raw []byte, yield func(k int, item []byte) error) error {
	b := bytes.TrimSpace(raw)
	if isNull(b) {
		return nil
	}
	if b[0] != '[' {
		return errNotList
	}
	for k, i := 0, 1; ; k++ {
		i = skipSpace(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		if i >= len(b) || b[i] == ']' {
			return nil
		}
		j := valueEnd(b, i)
		if j == i {
			// Only text json.Unmarshal rejects gets here; stop rather
			// than loop.
			return errNotList
		}
		if err := yield(k, b[i:j]); err != nil {
			return err
		}
		i = j
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			// Skip to the closing quote, over escaped characters.
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			continue
		case ']', '}':
			if depth == 0 {
				return i
			}
			depth--
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
			continue
		default:
			continue
		}
		if depth == 0 {
			return min(i+1, len(b))
		}
	}
	return i
}

// scalar returns the text of a JSON scalar: a string's contents, anything
// else as written.
func scalar(item []byte) []byte {
	if len(item) < 2 || item[0] != '"' {
		return item
	}
	if s := item[1 : len(item)-1]; bytes.IndexByte(s, '\\') < 0 {
		return s
	}
	var s string
	if err := json.Unmarshal(item, &s); err != nil {
		return item
	}
	return []byte(s)
}
