package tx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Limits on a transaction file, so that decoding a hostile one stays cheap.
const (
	MaxFileSize = 1 << 20
	MaxInputs   = 1024
	MaxArgRows  = 3000 // with MaxInputs and the header, the init ref fits MaxRefRows
	MaxAssets   = 256
)

// DefaultFuel is the budget of a transaction that names none; MaxFuel the largest one,
// which wazero's signed fuel counter can hold.
const (
	DefaultFuel = 1_000_000_000
	MaxFuel     = 1<<63 - 1
)

// Transaction is a transaction as a user writes it (see README.md for the file format).
// Programs are named by deployed name or hex hash; Execute resolves them against the
// ledger.
type Transaction struct {
	Coordinator string            `json:"coordinator"`
	Inputs      []Input           `json:"inputs,omitempty"`
	Args        []Arg             `json:"args,omitempty"`
	Mint        map[string]uint64 `json:"mint,omitempty"`
	Burn        map[string]uint64 `json:"burn,omitempty"`
	Fuel        uint64            `json:"fuel,omitempty"`
}

// Input names a UTXO or token the transaction may touch. Version, when set, pins the
// version the transaction was written against: a UTXO consumed since is ErrSpent.
type Input struct {
	ID      uint64  `json:"id"`
	Version *uint64 `json:"version,omitempty"`
}

// UnmarshalJSON accepts an id alone (5) or an object ({"id": 5, "version": 2}).
func (in *Input) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' {
		id, err := parseWord(b)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		*in = Input{ID: id}
		return nil
	}
	type plain Input
	var p plain
	if err := strictUnmarshal(b, &p); err != nil {
		return fmt.Errorf("input: %w", err)
	}
	*in = Input(p)
	return nil
}

// MarshalJSON writes an input without a version as its id alone.
func (in Input) MarshalJSON() ([]byte, error) {
	if in.Version == nil {
		return []byte(strconv.FormatUint(in.ID, 10)), nil
	}
	type plain Input
	return json.Marshal(plain(in))
}

// Arg is one argument row: four words, or the hash of a deployed program (its four
// words), written "program:NAME" or "program:HEX".
type Arg struct {
	Words   [4]uint64
	Program string
}

const programPrefix = "program:"

// UnmarshalJSON accepts an array of up to four integers (a negative one is its two's
// complement; missing words are zero) or a "program:…" string.
func (a *Arg) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("argument: %w", err)
		}
		name, ok := strings.CutPrefix(s, programPrefix)
		if !ok || name == "" {
			return fmt.Errorf("argument %q: a string argument must be %q followed by a program name or hash", s, programPrefix)
		}
		*a = Arg{Program: name}
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("argument: want an array of up to 4 integers or %q: %w", programPrefix+"NAME", err)
	}
	if len(raw) > 4 {
		return fmt.Errorf("argument: %d words, a row has at most 4", len(raw))
	}
	var out Arg
	for i, r := range raw {
		w, err := parseWord(r)
		if err != nil {
			return fmt.Errorf("argument word %d: %w", i, err)
		}
		out.Words[i] = w
	}
	*a = out
	return nil
}

// MarshalJSON writes a row back in the form UnmarshalJSON reads.
func (a Arg) MarshalJSON() ([]byte, error) {
	if a.Program != "" {
		return json.Marshal(programPrefix + a.Program)
	}
	return json.Marshal(a.Words)
}

// parseWord reads a JSON integer in [-2^63, 2^64): negative values are two's complement.
func parseWord(b []byte) (uint64, error) {
	s := string(bytes.TrimSpace(b))
	if strings.HasPrefix(s, "-") {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s is not a 64-bit integer", s)
		}
		return uint64(v), nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a 64-bit integer", s)
	}
	return v, nil
}

// ErrFormat is the error of a transaction file that does not decode.
var ErrFormat = errors.New("tx: bad transaction file")

// Decode reads a transaction file. Unknown fields, trailing data, a file over
// MaxFileSize or lists over their limits are errors wrapping ErrFormat.
func Decode(data []byte) (*Transaction, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: %d bytes, over the limit of %d", ErrFormat, len(data), MaxFileSize)
	}
	var t Transaction
	if err := strictUnmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return &t, nil
}

func (t *Transaction) check() error {
	switch {
	case t.Coordinator == "":
		return errors.New("no coordinator")
	case len(t.Inputs) > MaxInputs:
		return fmt.Errorf("%d inputs, over the limit of %d", len(t.Inputs), MaxInputs)
	case len(t.Args) > MaxArgRows:
		return fmt.Errorf("%d argument rows, over the limit of %d", len(t.Args), MaxArgRows)
	case t.Fuel > MaxFuel:
		return fmt.Errorf("fuel %d over the limit of %d", t.Fuel, uint64(MaxFuel))
	case len(t.Mint) > MaxAssets || len(t.Burn) > MaxAssets:
		return fmt.Errorf("more than %d assets in mint or burn", MaxAssets)
	}
	seen := make(map[uint64]bool, len(t.Inputs))
	for _, in := range t.Inputs {
		if in.ID == 0 {
			return errors.New("input id 0: ids start at 1")
		}
		if seen[in.ID] {
			return fmt.Errorf("input %d: %w", in.ID, ErrDuplicateInput)
		}
		seen[in.ID] = true
	}
	return nil
}

// Encode writes t as Decode reads it, indented.
func (t *Transaction) Encode() ([]byte, error) { return json.MarshalIndent(t, "", "  ") }

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the transaction")
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("data after the transaction")
	}
	return nil
}
