package tx

import (
	"errors"
	"slices"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
)

// Scripts used by many tests.

func yielder(h *native) error {
	_, err := h.call("yield", 0)
	return err
}

func returner(h *native) error {
	_, err := h.call("return")
	return err
}

// inputPID reads the pid of the i-th input from the root coordinator's init ref.
func inputPID(h *native, i uint64) (uint64, error) {
	r, err := h.call("init", 0)
	if err != nil {
		return 0, err
	}
	if _, err := h.call("ref_get", r, 1+i, 600); err != nil {
		return 0, err
	}
	return h.word(600), nil
}

// createAndResume is a coordinator step creating a process of kind from hash and
// resuming it with val; it keeps the new pid at address 700.
func createAndResume(kind program.Kind, hash program.Hash, amount uint64, val uint64) script {
	return func(h *native) error {
		var pid uint64
		var err error
		switch kind {
		case program.Token:
			pid, err = h.call("new_token", h.hashAt(hash), 0, amount)
		case program.Coord:
			pid, err = h.call("new_coord", h.hashAt(hash), 0)
		default:
			pid, err = h.call("new_utxo", h.hashAt(hash), 0)
		}
		if err != nil {
			return err
		}
		h.words(700, pid)
		_, err = h.call("resume", pid, val)
		return err
	}
}

func resumeInput(i uint64, val uint64) script {
	return func(h *native) error {
		pid, err := inputPID(h, i)
		if err != nil {
			return err
		}
		_, err = h.call("resume", pid, val)
		return err
	}
}

func TestLifecycle(t *testing.T) {
	w := newWorld(t)
	counter := w.deploy("counter", func(h *native) error {
		// Datum slot 0 counts resumes across transactions; the yield carries it.
		n, err := h.call("get_datum", 0)
		if err != nil {
			return err
		}
		if _, err := h.call("set_datum", 0, n+1); err != nil {
			return err
		}
		r, err := h.newRef([4]uint64{n + 1})
		if err != nil {
			return err
		}
		_, err = h.call("yield", r)
		return err
	})
	var seen []uint64
	check := func(h *native) error {
		ref, caller, kind, err := h.act()
		if err != nil {
			return err
		}
		if kind != KindYield || caller == 0 {
			return errors.New("want a yield")
		}
		if _, err := h.call("ref_get", ref, 0, 640); err != nil {
			return err
		}
		seen = append(seen, h.word(640))
		return returner(h)
	}
	w.deploy("create", seq(createAndResume(program.UTXO, counter, 0, 0), check))
	again := w.deploy("again", seq(resumeInput(0, 0), check))

	r := w.mustRun(&Transaction{Coordinator: "create"})
	if len(r.Commit.Put) != 1 || r.Commit.Put[0].ID != 2 || r.Commit.Put[0].Version != 0 {
		t.Fatalf("commit puts %+v, want utxo 2 at version 0", r.Commit.Put)
	}
	for range 2 {
		w.mustRun(&Transaction{Coordinator: again.String(), Inputs: []Input{{ID: 2}}})
	}
	if want := []uint64{1, 2, 3}; !slices.Equal(seen, want) {
		t.Fatalf("counter yielded %v, want %v", seen, want)
	}
	u, err := w.l.UTXO(2)
	if err != nil || u.Version != 2 {
		t.Fatalf("utxo 2 = %+v, %v; want version 2", u, err)
	}
	// Spending version 0 again is a double spend across transactions.
	v0 := uint64(0)
	w.fails(&Transaction{Coordinator: "again", Inputs: []Input{{ID: 2, Version: &v0}}}, ErrSpent)
}

// TestRules breaks each rule of the model once and checks its error, with the ledger
// unchanged.
func TestRules(t *testing.T) {
	type setup struct {
		w      *world
		utxo   program.Hash // yields on every step
		token  program.Hash // binds to the owner its resume ref names, then yields
		burner program.Hash // burns
		inputs []Input      // a utxo 2 owning token 3 exists when the case needs it
	}
	bindTo := func(h *native) error {
		ref, _, _, err := h.act()
		if err != nil {
			return err
		}
		if ref != 0 {
			if _, err := h.call("ref_get", ref, 0, 640); err != nil {
				return err
			}
			if _, err := h.call("bind", h.word(640)); err != nil {
				return err
			}
		}
		return yielder(h)
	}
	cases := []struct {
		name string
		want error
		mint uint64
		// coord deploys what the case needs (running transactions to set it up if it
		// must) and returns the coordination script that breaks the rule.
		coord func(s *setup) script
	}{
		{"utxo creates", ErrOnlyCoordinator, 0, func(s *setup) script {
			s.w.deploy("creating-utxo", func(h *native) error {
				_, err := h.call("new_utxo", h.hashAt(s.utxo), 0)
				return err
			})
			return createAndResume(program.UTXO, hashOf(s.w, "creating-utxo"), 0, 0)
		}},
		{"utxo installs a handler", ErrOnlyCoordinator, 0, func(s *setup) script {
			s.w.deploy("installing-utxo", func(h *native) error {
				_, err := h.call("install_handler", h.words(300, 1, 2, 3, 4))
				return err
			})
			return createAndResume(program.UTXO, hashOf(s.w, "installing-utxo"), 0, 0)
		}},
		{"utxo returns", ErrOnlyCoordinator, 0, func(s *setup) script {
			s.w.deploy("returning-utxo", returner)
			return createAndResume(program.UTXO, hashOf(s.w, "returning-utxo"), 0, 0)
		}},
		{"utxo resumes a utxo", ErrUTXOCallsUTXO, 0, func(s *setup) script {
			s.w.deploy("calling-utxo", func(h *native) error {
				ref, _, _, err := h.act()
				if err != nil {
					return err
				}
				if _, err := h.call("ref_get", ref, 0, 640); err != nil {
					return err
				}
				_, err = h.call("resume", h.word(640), 0)
				return err
			})
			return func(h *native) error {
				other, err := h.call("new_utxo", h.hashAt(s.utxo), 0)
				if err != nil {
					return err
				}
				caller, err := h.call("new_utxo", h.hashAt(hashOf(s.w, "calling-utxo")), 0)
				if err != nil {
					return err
				}
				r, err := h.newRef([4]uint64{other})
				if err != nil {
					return err
				}
				_, err = h.call("resume", caller, r)
				return err
			}
		}},
		{"coordinator yields", ErrOnlyUTXO, 0, func(s *setup) script { return yielder }},
		{"call after control", ErrAfterControl, 0, func(s *setup) script {
			return func(h *native) error {
				pid, err := h.call("new_utxo", h.hashAt(s.utxo), 0)
				if err != nil {
					return err
				}
				if _, err := h.call("resume", pid, 0); err != nil {
					return err
				}
				_, err = h.call("get_datum", 0)
				return err
			}
		}},
		{"step without control", ErrNoControl, 0, func(s *setup) script {
			return func(h *native) error { return nil }
		}},
		{"created utxo never run", ErrNotFinished, 0, func(s *setup) script {
			return func(h *native) error {
				if _, err := h.call("new_utxo", h.hashAt(s.utxo), 0); err != nil {
					return err
				}
				return returner(h)
			}
		}},
		{"minted without declaring", ErrUnbalanced, 0, func(s *setup) script {
			return seq(func(h *native) error {
				owner, err := h.call("new_utxo", h.hashAt(s.utxo), 0)
				if err != nil {
					return err
				}
				h.words(720, owner)
				tok, err := h.call("new_token", h.hashAt(s.token), 0, 5)
				if err != nil {
					return err
				}
				h.words(728, tok)
				_, err = h.call("resume", owner, 0)
				return err
			}, func(h *native) error {
				r, err := h.newRef([4]uint64{h.word(720)})
				if err != nil {
					return err
				}
				_, err = h.call("resume", h.word(728), r)
				return err
			}, returner)
		}},
		{"token left unbound", ErrUnboundToken, 5, func(s *setup) script {
			return seq(createAndResume(program.Token, s.token, 5, 0), returner)
		}},
		{"token binds to a token", ErrTokenOwnsToken, 10, func(s *setup) script {
			return seq(func(h *native) error {
				a, err := h.call("new_token", h.hashAt(s.token), 0, 5)
				if err != nil {
					return err
				}
				b, err := h.call("new_token", h.hashAt(s.token), 0, 5)
				if err != nil {
					return err
				}
				r, err := h.newRef([4]uint64{b})
				if err != nil {
					return err
				}
				_, err = h.call("resume", a, r)
				return err
			})
		}},
		{"token binds twice", ErrTokenBound, 0, func(s *setup) script {
			return seq(func(h *native) error {
				tok, err := inputPID(h, 1)
				if err != nil {
					return err
				}
				owner, err := inputPID(h, 0)
				if err != nil {
					return err
				}
				r, err := h.newRef([4]uint64{owner})
				if err != nil {
					return err
				}
				_, err = h.call("resume", tok, r)
				return err
			})
		}},
		{"unbind by a non-owner", ErrNotOwner, 0, func(s *setup) script {
			s.w.deploy("thief", func(h *native) error {
				_, err := h.call("unbind", 3)
				return err
			})
			return seq(createAndResume(program.UTXO, hashOf(s.w, "thief"), 0, 0))
		}},
		{"owner burns with a token", ErrBurnOwnsTokens, 0, func(s *setup) script {
			return seq(resumeInput(0, 1))
		}},
		{"out of range ref", ErrRef, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("ref_get", 99, 0, 600)
				return err
			}
		}},
		{"oversized ref", ErrRefTooLarge, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("new_ref", MaxRefRows+1)
				return err
			}
		}},
		{"ref written by another", ErrRefNotOwner, 0, func(s *setup) script {
			s.w.deploy("scribbler", func(h *native) error {
				ref, _, _, err := h.act()
				if err != nil {
					return err
				}
				_, err = h.call("ref_write", ref, 0, 1, 2, 3, 4)
				return err
			})
			return func(h *native) error {
				pid, err := h.call("new_utxo", h.hashAt(hashOf(s.w, "scribbler")), 0)
				if err != nil {
					return err
				}
				r, err := h.newRef([4]uint64{7})
				if err != nil {
					return err
				}
				_, err = h.call("resume", pid, r)
				return err
			}
		}},
		{"pointer outside memory", ErrMemory, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("new_utxo", pageSize-8, 0)
				return err
			}
		}},
		{"undeployed program", ErrUnknownProgram, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("new_utxo", h.hashAt(program.Of([]byte("nobody deployed this"))), 0)
				return err
			}
		}},
		{"unknown process", ErrUnknownProcess, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("resume", 12345, 0)
				return err
			}
		}},
		{"no handler", ErrNoHandler, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("call_effect_handler", h.words(300, 9, 9, 9, 9), 0)
				return err
			}
		}},
		{"own effect", ErrSelfEffect, 0, func(s *setup) script {
			return func(h *native) error {
				iface := h.words(300, 9, 9, 9, 9)
				if _, err := h.call("install_handler", iface); err != nil {
					return err
				}
				_, err := h.call("call_effect_handler", iface, 0)
				return err
			}
		}},
		{"uninstall another's handler", ErrHandlerNotTop, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("uninstall_handler", h.words(300, 9, 9, 9, 9))
				return err
			}
		}},
		{"datum slot out of range", ErrDatumSlot, 0, func(s *setup) script {
			return func(h *native) error {
				_, err := h.call("set_datum", DatumSlots, 1)
				return err
			}
		}},
		{"init in a later transaction", ErrNoInit, 0, func(s *setup) script {
			// Its first run ever marks datum 0 and yields; any later run calls init.
			initless := s.w.deploy("initless", func(h *native) error {
				if done, err := h.call("get_datum", 0); err != nil || done != 0 {
					if err == nil {
						_, err = h.call("init", 0)
					}
					return err
				}
				if _, err := h.call("set_datum", 0, 1); err != nil {
					return err
				}
				return yielder(h)
			})
			s.w.deploy("mk", seq(createAndResume(program.UTXO, initless, 0, 0), returner))
			s.w.mustRun(&Transaction{Coordinator: "mk"})
			s.inputs = []Input{{ID: 5}}
			return seq(resumeInput(0, 0))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			s := &setup{w: w}
			s.utxo = w.deploy("utxo", func(h *native) error {
				ref, _, _, err := h.act()
				if err != nil {
					return err
				}
				if ref != 0 { // any value asks it to burn
					_, err := h.call("burn")
					return err
				}
				return yielder(h)
			})
			s.token = w.deploy("token", bindTo)
			// utxo 2 (program utxo) owns token 3, both at rest.
			w.deploy("setup", ownedToken(s.utxo, s.token, 7))
			w.mustRun(&Transaction{Coordinator: "setup", Mint: map[string]uint64{"token": 7}})
			coord := c.coord(s)
			w.deploy("case", coord)
			tx := &Transaction{Coordinator: "case", Inputs: []Input{{ID: 2}, {ID: 3}}}
			if s.inputs != nil {
				tx.Inputs = s.inputs
			}
			if c.mint != 0 {
				tx.Mint = map[string]uint64{"token": c.mint}
			}
			w.fails(tx, c.want)
		})
	}
}

// ownedToken is a coordination script that creates a UTXO of owner and a token of
// token holding amount, runs the UTXO, has the token bind to it (its resume ref names
// the owner) and returns. On a fresh ledger: coordinator 1, UTXO 2, token 3.
func ownedToken(owner, token program.Hash, amount uint64) script {
	return seq(func(h *native) error {
		o, err := h.call("new_utxo", h.hashAt(owner), 0)
		if err != nil {
			return err
		}
		tok, err := h.call("new_token", h.hashAt(token), 0, amount)
		if err != nil {
			return err
		}
		h.words(720, o, tok)
		_, err = h.call("resume", o, 0)
		return err
	}, func(h *native) error {
		r, err := h.newRef([4]uint64{h.word(720)})
		if err != nil {
			return err
		}
		_, err = h.call("resume", h.word(728), r)
		return err
	}, returner)
}

func hashOf(w *world, name string) program.Hash {
	p, err := w.l.ProgramByName(name)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Hash
}
