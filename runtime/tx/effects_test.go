package tx

import (
	"errors"
	"testing"

	"github.com/ssprove/ssprove/runtime/ledger"
	"github.com/ssprove/ssprove/runtime/program"
)

// TestEffectRequireBurn is the seed document's example: a UTXO may run only if the
// transaction burns a given token. It raises an effect; the coordination script handles
// it by checking that it burned such a token, and resumes the UTXO where it was.
func TestEffectRequireBurn(t *testing.T) {
	requireBurn := [4]uint64{0x5e1f, 1, 2, 3} // the interface id
	for _, burnFirst := range []bool{true, false} {
		w := newWorld(t)
		token := w.deploy("ticket", func(h *native) error {
			ref, _, _, err := h.act()
			if err != nil {
				return err
			}
			if _, err := h.call("ref_get", ref, 0, 640); err != nil {
				return err
			}
			if h.word(640) == 0 {
				_, err = h.call("burn")
				return err
			}
			if _, err := h.call("bind", h.word(640)); err != nil {
				return err
			}
			return yielder(h)
		})
		// The gate raises RequireBurn(ticket) and yields only when the answer is 1.
		gate := w.deploy("gate", seq(func(h *native) error {
			r, err := h.newRef([4]uint64(token))
			if err != nil {
				return err
			}
			_, err = h.call("call_effect_handler", h.words(300, requireBurn[:]...), r)
			return err
		}, func(h *native) error {
			ref, _, kind, err := h.act()
			if err != nil {
				return err
			}
			if kind != KindResume {
				return errors.New("gate: want the handler's answer")
			}
			if _, err := h.call("ref_get", ref, 0, 640); err != nil {
				return err
			}
			if h.word(640) != 1 {
				return errors.New("gate: no burn, no run")
			}
			return yielder(h)
		}))
		// A wallet at rest owns the ticket (ids: wallet 2, ticket 3).
		w.deploy("wallet", func(h *native) error {
			ref, _, _, err := h.act()
			if err != nil {
				return err
			}
			if ref != 0 {
				if _, err := h.call("unbind", 3); err != nil {
					return err
				}
			}
			return yielder(h)
		})
		w.deploy("setup", ownedToken(hashOf(w, "wallet"), token, 1))
		w.mustRun(&Transaction{Coordinator: "setup", Mint: map[string]uint64{"ticket": 1}})

		// The coordinator: install the handler; (burn the ticket: the wallet unbinds it,
		// then the ticket burns); create and resume the gate; answer its effect; return.
		burned := false
		steps := []script{}
		if burnFirst {
			steps = append(steps, func(h *native) error {
				r, err := h.newRef([4]uint64{1})
				if err != nil {
					return err
				}
				_, err = h.call("resume", 2, r)
				return err
			}, func(h *native) error {
				r, err := h.newRef([4]uint64{0})
				if err != nil {
					return err
				}
				_, err = h.call("resume", 3, r)
				return err
			})
		}
		steps = append(steps, func(h *native) error {
			if _, _, kind, err := h.act(); err != nil {
				return err
			} else if kind == KindBurn {
				burned = true
			}
			if _, err := h.call("install_handler", h.words(300, requireBurn[:]...)); err != nil {
				return err
			}
			return createAndResume(program.UTXO, gate, 0, 0)(h)
		}, func(h *native) error {
			ref, caller, kind, err := h.act()
			if err != nil {
				return err
			}
			if kind != KindEffect || h.word(528) != requireBurn[0] {
				return errors.New("coordinator: want the RequireBurn effect")
			}
			if _, err := h.call("ref_get", ref, 0, 640); err != nil {
				return err
			}
			asset := [4]uint64{h.word(640), h.word(648), h.word(656), h.word(664)}
			answer := uint64(0)
			if burned && program.Hash(asset) == token {
				answer = 1
			}
			r, err := h.newRef([4]uint64{answer})
			if err != nil {
				return err
			}
			_, err = h.call("resume", caller, r)
			return err
		}, func(h *native) error {
			if _, _, kind, err := h.act(); err != nil || kind != KindYield {
				return errors.New("coordinator: want the gate's yield")
			}
			if _, err := h.call("uninstall_handler", h.words(300, requireBurn[:]...)); err != nil {
				return err
			}
			return returner(h)
		})
		w.deploy("coord", seq(steps...))
		tx := &Transaction{Coordinator: "coord", Inputs: []Input{{ID: 2}, {ID: 3}}}
		if burnFirst {
			tx.Burn = map[string]uint64{"ticket": 1}
			r := w.mustRun(tx)
			counts := r.Trace.Counts()
			if counts["call_effect_handler"] != 1 || counts["burn"] != 1 {
				t.Fatalf("trace counts %v", counts)
			}
			if _, err := w.l.UTXO(3); !errors.Is(err, ledger.ErrSpent) {
				t.Fatalf("ticket still live after the burn")
			}
		} else {
			w.fails(tx, ErrTrap)
		}
	}
}
