package ledger

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"reflect"
	"testing"

	"github.com/ssprove/ssprove/runtime/program"
)

func sampleUTXOs() []*UTXO {
	h := program.Of(testModule)
	us := []*UTXO{
		{ID: 1, Program: h, Kind: program.UTXO},
		{ID: 2, Version: 7, Program: h, Kind: program.Token, Amount: 1 << 60, Owner: 1, State: []byte("state"), Tx: txHash(1)},
		{ID: ^uint64(0), Version: ^uint64(0), Program: h, Kind: program.UTXO, State: bytes.Repeat([]byte{0xAB}, 5000)},
	}
	for _, u := range us {
		u.StateHash = sha256.Sum256(u.State)
	}
	return us
}

func TestUTXORoundTrip(t *testing.T) {
	for _, u := range sampleUTXOs() {
		b := appendUTXO(nil, u)
		got, err := decodeUTXO(b)
		if err != nil {
			t.Fatalf("utxo %d: %v", u.ID, err)
		}
		if u.State == nil {
			u.State = got.State // nil and empty are the same state
		}
		if !reflect.DeepEqual(got, u) {
			t.Errorf("decode(encode(%+v)) = %+v", u, got)
		}
	}
}

func TestDecodeUTXOErrors(t *testing.T) {
	good := appendUTXO(nil, sampleUTXOs()[1])
	edit := func(fn func(b []byte) []byte) []byte { return fn(bytes.Clone(good)) }
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"version", edit(func(b []byte) []byte { b[0] = 2; return b })},
		{"short header", good[:utxoHeader-1]},
		{"short state", good[:len(good)-1]},
		{"trailing byte", append(bytes.Clone(good), 0)},
		{"kind", edit(func(b []byte) []byte { b[kindOffset] = byte(program.Coord); return b })},
		{"program not canonical", edit(func(b []byte) []byte {
			copy(b[17:25], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			return b
		})},
		{"state hash", edit(func(b []byte) []byte { b[len(b)-1] ^= 1; return b })},
		{"huge length", edit(func(b []byte) []byte {
			copy(b[utxoHeader-4:], []byte{0xff, 0xff, 0xff, 0xff})
			return b
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if u, err := decodeUTXO(tt.b); !errors.Is(err, ErrCorrupt) {
				t.Errorf("decodeUTXO = %+v, %v; want ErrCorrupt", u, err)
			}
		})
	}
}

func TestRecordRoundTrips(t *testing.T) {
	p := &programRecord{Deployed: 3, Name: "name", Module: []byte("module")}
	if got, err := decodeProgram(appendProgram(nil, p)); err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("program: %+v, %v", got, err)
	}
	s := &spentRecord{Version: 9, Tx: txHash(4)}
	if got, err := decodeSpent(appendSpent(nil, s)); err != nil || *got != *s {
		t.Errorf("spent: %+v, %v", got, err)
	}
	x := &txRecord{Seq: 12, Record: []byte(`{"ok":true}`)}
	if got, err := decodeTx(appendTx(nil, x)); err != nil || !reflect.DeepEqual(got, x) {
		t.Errorf("tx: %+v, %v", got, err)
	}
}

// fuzzDecoder checks that decode never panics, fails only with ErrCorrupt, and accepts only
// bytes that encode gives back unchanged: a record has one encoding.
func fuzzDecoder[T any](f *testing.F, seeds [][]byte, decode func([]byte) (T, error), encode func(T) []byte) {
	for _, s := range seeds {
		f.Add(s)
		for _, n := range []int{0, 1, len(s) / 2, len(s) - 1} {
			if n >= 0 && n <= len(s) {
				f.Add(s[:n])
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decode(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
			return
		}
		if re := encode(v); !bytes.Equal(re, b) {
			t.Fatalf("decoded %x, which encodes as %x", b, re)
		}
	})
}

func FuzzDecodeUTXO(f *testing.F) {
	var seeds [][]byte
	for _, u := range sampleUTXOs() {
		seeds = append(seeds, appendUTXO(nil, u))
	}
	fuzzDecoder(f, seeds, decodeUTXO, func(u *UTXO) []byte { return appendUTXO(nil, u) })
}

func FuzzDecodeProgram(f *testing.F) {
	seeds := [][]byte{
		appendProgram(nil, &programRecord{Deployed: 1, Module: []byte("m")}),
		appendProgram(nil, &programRecord{Deployed: 2, Name: "name", Module: testModule}),
	}
	fuzzDecoder(f, seeds, decodeProgram, func(p *programRecord) []byte { return appendProgram(nil, p) })
}

func FuzzDecodeSpent(f *testing.F) {
	seeds := [][]byte{appendSpent(nil, &spentRecord{Version: 3, Tx: txHash(1)})}
	fuzzDecoder(f, seeds, decodeSpent, func(s *spentRecord) []byte { return appendSpent(nil, s) })
}

func FuzzDecodeTx(f *testing.F) {
	seeds := [][]byte{
		appendTx(nil, &txRecord{Seq: 1}),
		appendTx(nil, &txRecord{Seq: 2, Record: []byte(`{"tx":"record"}`)}),
	}
	fuzzDecoder(f, seeds, decodeTx, func(x *txRecord) []byte { return appendTx(nil, x) })
}
