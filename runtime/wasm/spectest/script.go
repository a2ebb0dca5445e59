package spectest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
)

// Script is one wast2json command file: the commands of one .wast script, in order.
type Script struct {
	SourceFilename string    `json:"source_filename"`
	Commands       []Command `json:"commands"`
}

// Command is one wast command. Which fields are set depends on Type: the module
// commands (module, assert_malformed, assert_invalid, assert_unlinkable,
// assert_uninstantiable) name a module file in Filename; register uses Name and
// As; the action commands (assert_return, assert_trap, assert_exhaustion, action)
// use Action and Expected.
type Command struct {
	Type       string  `json:"type"`
	Line       int     `json:"line"`
	Filename   string  `json:"filename,omitempty"`
	Name       string  `json:"name,omitempty"`
	As         string  `json:"as,omitempty"`
	ModuleType string  `json:"module_type,omitempty"` // "binary", "text", or empty (binary) for module
	Text       string  `json:"text,omitempty"`        // the expected error or trap message
	Action     Action  `json:"action"`
	Expected   []Value `json:"expected,omitempty"`
}

// Action is an invocation of an exported function ("invoke") or a read of an
// exported global ("get"). An empty Module means the most recently defined module.
type Action struct {
	Type   string  `json:"type"`
	Module string  `json:"module,omitempty"`
	Field  string  `json:"field"`
	Args   []Value `json:"args,omitempty"`
}

// Value is a typed constant as wast2json writes it: numbers are decimal unsigned
// bit patterns (so f32 and f64 are their IEEE bits, never decimal fractions),
// floats may also be "nan:canonical" or "nan:arithmetic", references are "null"
// or a number. A v128 has LaneType and one string per lane in Lanes instead of
// Value. Value is empty only in the expected results of assert_trap and
// assert_exhaustion, where wast2json gives the types alone.
type Value struct {
	Type     string
	Value    string
	LaneType string
	Lanes    []string
}

// UnmarshalJSON accepts the value as a string, or as an array of lanes for v128.
func (v *Value) UnmarshalJSON(data []byte) error {
	var raw struct {
		Type     string          `json:"type"`
		Value    json.RawMessage `json:"value"`
		LaneType string          `json:"lane_type"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	*v = Value{Type: raw.Type, LaneType: raw.LaneType}
	switch {
	case len(raw.Value) == 0:
		return nil
	case raw.Value[0] == '[':
		return json.Unmarshal(raw.Value, &v.Lanes)
	default:
		return json.Unmarshal(raw.Value, &v.Value)
	}
}

// String formats the value as "(type value)" for failure reports.
func (v Value) String() string {
	if v.Lanes != nil {
		return fmt.Sprintf("(v128 %s %v)", v.LaneType, v.Lanes)
	}
	return fmt.Sprintf("(%s %s)", v.Type, v.Value)
}

// commandKind groups command types by the fields they need.
type commandKind int

const (
	kindModule commandKind = iota
	kindRegister
	kindAction
)

var commandKinds = map[string]commandKind{
	"module":                kindModule,
	"assert_malformed":      kindModule,
	"assert_invalid":        kindModule,
	"assert_unlinkable":     kindModule,
	"assert_uninstantiable": kindModule,
	"register":              kindRegister,
	"assert_return":         kindAction,
	"assert_trap":           kindAction,
	"assert_exhaustion":     kindAction,
	"action":                kindAction,
}

// ParseScript reads a wast2json command file. It rejects what the runner could
// only misread: unknown fields and command types, missing fields, module paths
// that leave the script's directory, and values that do not parse for their type.
func ParseScript(r io.Reader) (*Script, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Script
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("spectest: parse script: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("spectest: parse script: data after the command list")
	}
	for i := range s.Commands {
		if err := s.Commands[i].check(); err != nil {
			return nil, fmt.Errorf("spectest: parse script %s: line %d: %w", s.SourceFilename, s.Commands[i].Line, err)
		}
	}
	return &s, nil
}

func (c *Command) check() error {
	kind, ok := commandKinds[c.Type]
	if !ok {
		return fmt.Errorf("unknown command type %q", c.Type)
	}
	if c.Line <= 0 {
		return fmt.Errorf("%s: line number %d", c.Type, c.Line)
	}
	switch kind {
	case kindModule:
		if !filepath.IsLocal(c.Filename) {
			return fmt.Errorf("%s: module file %q is not a path inside the script's directory", c.Type, c.Filename)
		}
		if c.ModuleType != "" && c.ModuleType != "binary" && c.ModuleType != "text" {
			return fmt.Errorf("%s: unknown module_type %q", c.Type, c.ModuleType)
		}
	case kindRegister:
		if c.As == "" {
			return errors.New("register: no \"as\" name")
		}
	case kindAction:
		return c.checkAction()
	}
	return nil
}

func (c *Command) checkAction() error {
	a := &c.Action
	switch a.Type {
	case "invoke":
	case "get":
		if len(a.Args) > 0 {
			return fmt.Errorf("%s: get %q has arguments", c.Type, a.Field)
		}
	default:
		return fmt.Errorf("%s: unknown action type %q", c.Type, a.Type)
	}
	for _, v := range a.Args {
		if err := v.check(false); err != nil {
			return fmt.Errorf("%s: argument of %q: %w", c.Type, a.Field, err)
		}
	}
	typeOnly := c.Type == "assert_trap" || c.Type == "assert_exhaustion"
	for _, v := range c.Expected {
		if err := v.check(typeOnly); err != nil {
			return fmt.Errorf("%s: result of %q: %w", c.Type, a.Field, err)
		}
	}
	return nil
}

// valueFeatures names the feature each non-integer value type needs; ssprove
// executes only i32 and i64, so a command with any of these is skipped.
var valueFeatures = map[string]string{
	"f32":       "floats",
	"f64":       "floats",
	"v128":      "simd",
	"funcref":   "reference types",
	"externref": "reference types",
}

// lanes is the lane count of a v128 for each lane type.
var lanes = map[string]int{"i8": 16, "i16": 8, "i32": 4, "i64": 2, "f32": 4, "f64": 2}

func (v Value) check(typeOnly bool) error {
	if v.Type == "v128" {
		n, ok := lanes[v.LaneType]
		if !ok {
			return fmt.Errorf("v128 with lane type %q", v.LaneType)
		}
		if typeOnly && v.Lanes == nil {
			return nil
		}
		if len(v.Lanes) != n {
			return fmt.Errorf("v128 %s with %d lanes, want %d", v.LaneType, len(v.Lanes), n)
		}
		for _, l := range v.Lanes {
			if err := checkScalar(v.LaneType, l); err != nil {
				return fmt.Errorf("v128 lane: %w", err)
			}
		}
		return nil
	}
	if v.Lanes != nil {
		return fmt.Errorf("%s value given as lanes", v.Type)
	}
	if typeOnly && v.Value == "" {
		if _, ok := valueFeatures[v.Type]; !ok && v.Type != "i32" && v.Type != "i64" {
			return fmt.Errorf("unknown value type %q", v.Type)
		}
		return nil
	}
	return checkScalar(v.Type, v.Value)
}

func checkScalar(typ, s string) error {
	var err error
	switch typ {
	case "i8":
		_, err = strconv.ParseUint(s, 10, 8)
	case "i16":
		_, err = strconv.ParseUint(s, 10, 16)
	case "i32":
		_, err = strconv.ParseUint(s, 10, 32)
	case "i64":
		_, err = strconv.ParseUint(s, 10, 64)
	case "f32", "f64":
		if s == "nan:canonical" || s == "nan:arithmetic" {
			return nil
		}
		bits := 32
		if typ == "f64" {
			bits = 64
		}
		_, err = strconv.ParseUint(s, 10, bits)
	case "funcref", "externref":
		if s == "null" {
			return nil
		}
		_, err = strconv.ParseUint(s, 10, 64)
	default:
		return fmt.Errorf("unknown value type %q", typ)
	}
	if err != nil {
		return fmt.Errorf("%s value %q does not parse: %w", typ, s, errors.Unwrap(err))
	}
	return nil
}
