package ledger

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/ssprove/ssprove/runtime/program"
	bolt "go.etcd.io/bbolt"
)

// Program is a deployed program.
type Program struct {
	Hash     program.Hash
	Name     string // "" when deployed without one
	Module   []byte
	Deployed uint64 // the ledger's change counter (Stats.Seq) when it was deployed
}

// ProgramInfo is a deployed program without its module.
type ProgramInfo struct {
	Hash     program.Hash
	Name     string
	Size     int // bytes of the module
	Deployed uint64
}

// Deploy stores module under its program hash and, when name is not "", binds name to it,
// and returns the hash. Deploying a module that is already there is a no-op, except that it
// names a program deployed without a name. A name bound to another program is ErrNameTaken,
// and a program keeps its first name (ErrAlreadyNamed).
//
// Deploy does not check the module: the caller runs program.Check first. It only refuses an
// empty module or one over MaxModuleSize (ErrModuleSize).
func (l *Ledger) Deploy(name string, module []byte) (program.Hash, error) {
	if len(module) == 0 || len(module) > MaxModuleSize {
		return program.Hash{}, fmt.Errorf("%w: %d bytes (the limit is %d)", ErrModuleSize, len(module), MaxModuleSize)
	}
	if name != "" {
		if err := checkName(name); err != nil {
			return program.Hash{}, err
		}
	}
	h := program.Of(module) // outside the write transaction: hashing 16 MiB takes a while
	hb := h.Bytes()
	err := l.update(func(tx *bolt.Tx) error {
		programs, names := tx.Bucket(bucketPrograms), tx.Bucket(bucketNames)
		if name != "" {
			if bound := names.Get([]byte(name)); bound != nil && !bytes.Equal(bound, hb[:]) {
				other, err := program.FromBytes(bound)
				if err != nil {
					return fmt.Errorf("%w: name %q: %v", ErrCorrupt, name, err)
				}
				return fmt.Errorf("%w: %q is program %s", ErrNameTaken, name, other.Short())
			}
		}
		var rec *programRecord
		if v := programs.Get(hb[:]); v != nil {
			old, err := decodeProgram(v)
			if err != nil {
				return fmt.Errorf("program %s: %w", h.Short(), err)
			}
			if name == "" || name == old.Name {
				return nil
			}
			if old.Name != "" {
				return fmt.Errorf("%w: program %s is %q", ErrAlreadyNamed, h.Short(), old.Name)
			}
			rec = &programRecord{Deployed: old.Deployed, Name: name, Module: module}
		} else {
			seq, err := bumpSeq(tx)
			if err != nil {
				return err
			}
			rec = &programRecord{Deployed: seq, Name: name, Module: module}
		}
		if name != "" {
			if err := names.Put([]byte(name), hb[:]); err != nil {
				return err
			}
		}
		return programs.Put(hb[:], appendProgram(nil, rec))
	})
	if err != nil {
		return program.Hash{}, fmt.Errorf("ledger: deploy: %w", err)
	}
	return h, nil
}

// checkName says whether name may name a program: at most MaxNameLen bytes of UTF-8 with
// no spaces or control characters, so that it can be typed on a command line and printed.
func checkName(name string) error {
	if name == "" || len(name) > MaxNameLen {
		return fmt.Errorf("%w: %d bytes (1 to %d)", ErrBadName, len(name), MaxNameLen)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("%w: %q is not UTF-8", ErrBadName, name)
	}
	for _, r := range name {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return fmt.Errorf("%w: %q contains %q", ErrBadName, name, r)
		}
	}
	return nil
}

// Program returns the program h; one that is not deployed is ErrUnknownProgram.
func (l *Ledger) Program(h program.Hash) (*Program, error) {
	var p *Program
	err := l.view(func(tx *bolt.Tx) error {
		var err error
		p, err = getProgram(tx, h)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return p, nil
}

// ProgramByName returns the program bound to name; an unbound name is ErrUnknownProgram.
func (l *Ledger) ProgramByName(name string) (*Program, error) {
	var p *Program
	err := l.view(func(tx *bolt.Tx) error {
		hb := tx.Bucket(bucketNames).Get([]byte(name))
		if hb == nil {
			return fmt.Errorf("%w: no program is named %q", ErrUnknownProgram, name)
		}
		h, err := program.FromBytes(hb)
		if err != nil {
			return fmt.Errorf("%w: name %q: %v", ErrCorrupt, name, err)
		}
		p, err = getProgram(tx, h)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	return p, nil
}

func getProgram(tx *bolt.Tx, h program.Hash) (*Program, error) {
	hb := h.Bytes()
	v := tx.Bucket(bucketPrograms).Get(hb[:])
	if v == nil {
		return nil, fmt.Errorf("%w %s", ErrUnknownProgram, h.Short())
	}
	rec, err := decodeProgram(v)
	if err != nil {
		return nil, fmt.Errorf("program %s: %w", h.Short(), err)
	}
	return &Program{Hash: h, Name: rec.Name, Module: bytes.Clone(rec.Module), Deployed: rec.Deployed}, nil
}

// Programs lists the deployed programs, sorted by name (unnamed first) and then by hash.
func (l *Ledger) Programs() ([]ProgramInfo, error) {
	var list []ProgramInfo
	err := l.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPrograms).ForEach(func(k, v []byte) error {
			h, err := program.FromBytes(k)
			if err != nil {
				return fmt.Errorf("%w: program key: %v", ErrCorrupt, err)
			}
			rec, err := decodeProgram(v)
			if err != nil {
				return fmt.Errorf("program %s: %w", h.Short(), err)
			}
			list = append(list, ProgramInfo{Hash: h, Name: rec.Name, Size: len(rec.Module), Deployed: rec.Deployed})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: programs: %w", err)
	}
	slices.SortFunc(list, func(a, b ProgramInfo) int {
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		ab, bb := a.Hash.Bytes(), b.Hash.Bytes()
		return bytes.Compare(ab[:], bb[:])
	})
	return list, nil
}
