package ledger

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ssprove/ssprove/runtime/program"
)

// The crash test: a child process applies commits in a loop while the parent kills it at
// random moments with SIGKILL; after each kill the ledger must open, pass Check and keep the
// invariants the commits keep:
//
//   - utxo 1 (the wallet) owns every token, and the token amounts add up to crashTotal;
//   - every stored state starts with its own id and version, so a state written without its
//     record (or the reverse) shows;
//   - the wallet is consumed by every commit after the first, so its version is the number of
//     transactions less one.
const (
	crashDirEnv  = "SSPROVE_LEDGER_CRASH_DIR"
	crashSeedEnv = "SSPROVE_LEDGER_CRASH_SEED"
	crashTotal   = 1_000_000
	crashTokens  = 8
	wallet       = 1
)

func TestCrash(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "plan9", "js", "wasip1", "ios", "android":
		t.Skipf("no SIGKILL of a child test process on %s", runtime.GOOS)
	}
	dir := t.TempDir()
	if err := Init(dir); err != nil {
		t.Fatal(err)
	}
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := deploy(t, l, "token", testModule)
	genesis := &Commit{Tx: txHash(0), NextID: 2 + crashTokens, Put: []*UTXO{
		{ID: wallet, Program: h, Kind: program.UTXO, State: crashState(wallet, 0, 100)},
	}}
	for i := range uint64(crashTokens) {
		genesis.Put = append(genesis.Put, &UTXO{ID: 2 + i, Program: h, Kind: program.Token,
			Amount: crashTotal / crashTokens, Owner: wallet, State: crashState(2+i, 0, 10)})
	}
	if err := l.Apply(context.Background(), genesis); err != nil {
		t.Fatal(err)
	}
	l.Close()

	rounds := 20
	if testing.Short() {
		rounds = 4
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	txs := 1
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashSeedEnv+"="+strconv.Itoa(round))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			if errors.Is(err, syscall.ENOEXEC) {
				// Under qemu-user (make test-arm64) the test binary is a foreign
				// executable the kernel cannot start without binfmt_misc.
				t.Skipf("cannot re-execute the test binary here: %v", err)
			}
			t.Fatal(err)
		}
		// Wait until the child has the ledger open, then let it commit for a while.
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		if line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q; stderr:\n%s", round, line, stderr.String())
		}
		time.Sleep(time.Duration(20+rng.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Exited() {
			t.Fatalf("round %d: child ended on its own (%v); stderr:\n%s", round, err, stderr.String())
		}
		n := checkCrashLedger(t, dir)
		if n < txs {
			t.Fatalf("round %d: %d transactions, fewer than the %d before", round, n, txs)
		}
		t.Logf("round %d: %d commits survived", round, n-txs)
		txs = n
	}
	if txs == 1 {
		t.Error("no commit survived any round: the child never got to commit")
	}
}

// checkCrashLedger opens the ledger after a kill, checks it and returns its number of
// transactions.
func checkCrashLedger(t *testing.T, dir string) int {
	t.Helper()
	ctx := context.Background()
	l, err := Open(dir, ReadOnly(), Timeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Check(ctx); err != nil {
		t.Fatal(err)
	}
	stats, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := l.UTXOs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sum uint64
	var tokens []uint64
	for _, u := range all {
		id, version, ok := parseCrashState(u.State)
		if !ok || id != u.ID || version != u.Version {
			t.Fatalf("utxo %d at version %d holds the state of %d at %d", u.ID, u.Version, id, version)
		}
		switch {
		case u.ID == wallet:
			if u.Version != uint64(stats.Txs-1) {
				t.Fatalf("wallet at version %d after %d transactions", u.Version, stats.Txs)
			}
		case u.Kind == program.Token && u.Owner == wallet:
			sum += u.Amount
			tokens = append(tokens, u.ID)
		default:
			t.Fatalf("unexpected %v %d owned by %d", u.Kind, u.ID, u.Owner)
		}
	}
	if sum != crashTotal {
		t.Fatalf("tokens hold %d in all, want %d", sum, crashTotal)
	}
	owned, err := l.OwnedBy(wallet)
	if err != nil || !slices.Equal(owned, tokens) {
		t.Fatalf("OwnedBy(wallet) = %v, %v; the tokens are %v", owned, err, tokens)
	}
	return stats.Txs
}

// TestHelperProcess is the child of TestCrash; on its own it does nothing.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("the child process of TestCrash")
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	if err := crashChild(dir, seed); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	os.Exit(4) // crashChild returns only on error
}

// crashChild applies commits until it is killed. Each burns two tokens of the wallet and
// mints two whose amounts add up to the same, continues a third token and the wallet with
// new states of up to 64 KiB (so that a commit spans many pages and a kill often lands in
// the middle of one), and creates and burns one more id.
func crashChild(dir string, seed uint64) error {
	ctx := context.Background()
	l, err := Open(dir, Timeout(5*time.Second))
	if err != nil {
		return err
	}
	fmt.Println("ready")
	rng := rand.New(rand.NewPCG(seed, 1))
	h := program.Of(testModule)
	for i := 0; ; i++ {
		w, err := l.UTXO(wallet)
		if err != nil {
			return err
		}
		ids, err := l.OwnedBy(wallet)
		if err != nil {
			return err
		}
		if len(ids) < 3 {
			return fmt.Errorf("the wallet owns %d tokens", len(ids))
		}
		rng.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		var toks [3]*UTXO
		for k := range toks {
			if toks[k], err = l.UTXO(ids[k]); err != nil {
				return err
			}
		}
		next, err := l.NextID()
		if err != nil {
			return err
		}
		sum := toks[0].Amount + toks[1].Amount
		a := 1 + rng.Uint64N(sum-1)
		tx := txHash(int(seed)<<32 | i + 1)
		c := &Commit{
			Tx:     tx,
			Record: fmt.Appendf(nil, `{"child":%d,"i":%d}`, seed, i),
			NextID: next + 3,
			Inputs: []Input{{wallet, w.Version}, {toks[0].ID, toks[0].Version}, {toks[1].ID, toks[1].Version}, {toks[2].ID, toks[2].Version}},
			Burned: []uint64{toks[0].ID, toks[1].ID, next + 2},
			Put: []*UTXO{
				{ID: wallet, Version: w.Version + 1, Program: h, Kind: program.UTXO, State: crashState(wallet, w.Version+1, rng.IntN(64<<10))},
				{ID: toks[2].ID, Version: toks[2].Version + 1, Program: h, Kind: program.Token, Amount: toks[2].Amount, Owner: wallet,
					State: crashState(toks[2].ID, toks[2].Version+1, rng.IntN(16<<10))},
				{ID: next, Program: h, Kind: program.Token, Amount: a, Owner: wallet, State: crashState(next, 0, rng.IntN(1024))},
				{ID: next + 1, Program: h, Kind: program.Token, Amount: sum - a, Owner: wallet, State: crashState(next+1, 0, rng.IntN(1024))},
			},
		}
		if err := l.Apply(ctx, c); err != nil {
			return err
		}
	}
}

// crashState is a state naming its UTXO and version, padded with pad bytes.
func crashState(id, version uint64, pad int) []byte {
	b := binary.LittleEndian.AppendUint64(nil, id)
	b = binary.LittleEndian.AppendUint64(b, version)
	return append(b, bytes.Repeat([]byte{byte(id ^ version)}, pad)...)
}

func parseCrashState(b []byte) (id, version uint64, ok bool) {
	if len(b) < 16 {
		return 0, 0, false
	}
	return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), true
}
