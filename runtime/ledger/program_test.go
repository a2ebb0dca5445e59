package ledger

import (
	"bytes"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
)

func TestDeploy(t *testing.T) {
	l, _ := newLedger(t)
	a, b := []byte("module a"), []byte("module b")
	// Steps run in order on one ledger.
	steps := []struct {
		name   string
		module []byte
		want   error
	}{
		{"", a, nil},
		{"", a, nil},      // the same bytes again: a no-op
		{"alpha", a, nil}, // names an unnamed program
		{"alpha", a, nil}, // no-op
		{"", a, nil},      // no-op, keeps the name
		{"beta", a, ErrAlreadyNamed},
		{"alpha", b, ErrNameTaken},
		{"beta", b, nil},
		{"gamma", nil, ErrModuleSize},
		{"gamma", make([]byte, MaxModuleSize+1), ErrModuleSize},
		{"two words", b, ErrBadName},
		{"tab\t", b, ErrBadName},
		{"\xff", b, ErrBadName},
		{strings.Repeat("x", MaxNameLen+1), b, ErrBadName},
	}
	for i, s := range steps {
		before := dump(t, l)
		h, err := l.Deploy(s.name, s.module)
		if !errors.Is(err, s.want) {
			t.Fatalf("step %d: Deploy(%q): %v, want %v", i, s.name, err, s.want)
		}
		if err != nil {
			if !maps.Equal(before, dump(t, l)) {
				t.Errorf("step %d: a failed Deploy changed the ledger", i)
			}
			continue
		}
		if h != program.Of(s.module) {
			t.Errorf("step %d: hash %s, want program.Of", i, h.Short())
		}
	}

	pa, err := l.Program(program.Of(a))
	if err != nil {
		t.Fatal(err)
	}
	if pa.Name != "alpha" || !bytes.Equal(pa.Module, a) || pa.Deployed != 1 {
		t.Errorf("Program(a) = %+v", pa)
	}
	pb, err := l.ProgramByName("beta")
	if err != nil {
		t.Fatal(err)
	}
	if pb.Hash != program.Of(b) || pb.Deployed != 2 {
		t.Errorf("ProgramByName(beta) = %+v", pb)
	}
	if _, err := l.Program(program.Of([]byte("nope"))); !errors.Is(err, ErrUnknownProgram) {
		t.Errorf("Program(unknown): %v", err)
	}
	if _, err := l.ProgramByName("nope"); !errors.Is(err, ErrUnknownProgram) {
		t.Errorf("ProgramByName(unknown): %v", err)
	}
}

func TestPrograms(t *testing.T) {
	l, _ := newLedger(t)
	for _, m := range []string{"u1", "u2", "u3"} {
		deploy(t, l, "", []byte(m))
	}
	zed := deploy(t, l, "zed", []byte("zed module"))
	abc := deploy(t, l, "abc", []byte("abc"))
	list, err := l.Programs()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 {
		t.Fatalf("%d programs, want 5", len(list))
	}
	for i := 1; i < 3; i++ {
		x, y := list[i-1].Hash.Bytes(), list[i].Hash.Bytes()
		if list[i].Name != "" || bytes.Compare(x[:], y[:]) >= 0 {
			t.Errorf("unnamed programs out of order: %+v", list[:3])
		}
	}
	if list[3].Hash != abc || list[3].Name != "abc" || list[3].Size != 3 {
		t.Errorf("list[3] = %+v, want abc", list[3])
	}
	if list[4].Hash != zed || list[4].Size != len("zed module") || list[4].Deployed != 4 {
		t.Errorf("list[4] = %+v, want zed", list[4])
	}
}
