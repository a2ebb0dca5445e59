package neo

import "time"

// Stats adds up where a prover's time goes, fold by fold: what an operator
// tuning a rig, or a benchmark reporting shares, needs to see. Pass one to
// ProveChain with WithStats; the durations are wall-clock times on the
// proving goroutine, so each part's share of a fold is its duration over
// their sum.
type Stats struct {
	Folds int // folds proved
	// Commit is the Ajtai commitments: each step's, and Π_DEC's k
	// commitments to the digit planes of the folded witness.
	Commit time.Duration
	// CCS is Π_CCS: the digit-round and row-round sum-checks and the
	// evaluations y' the outputs carry.
	CCS time.Duration
	// RLC is Π_RLC: the challenges and the combined witness.
	RLC time.Duration
	// Decompose is Π_DEC less its commitments: the digit split and the
	// parts' evaluations.
	Decompose time.Duration
}

// Total returns the time of all parts together.
func (s *Stats) Total() time.Duration {
	return s.Commit + s.CCS + s.RLC + s.Decompose
}

// timer adds the time since its last lap to one of a Stats' durations; a
// nil Stats makes every lap a no-op, so the proving code times
// unconditionally.
type timer struct {
	stats *Stats
	last  time.Time
}

func (s *Stats) timer() timer {
	if s == nil {
		return timer{}
	}
	return timer{stats: s, last: time.Now()}
}

// lap adds the time since the previous lap to the duration field selects.
func (t *timer) lap(field func(*Stats) *time.Duration) {
	if t.stats == nil {
		return
	}
	now := time.Now()
	*field(t.stats) += now.Sub(t.last)
	t.last = now
}

func commitTime(s *Stats) *time.Duration    { return &s.Commit }
func ccsTime(s *Stats) *time.Duration       { return &s.CCS }
func rlcTime(s *Stats) *time.Duration       { return &s.RLC }
func decomposeTime(s *Stats) *time.Duration { return &s.Decompose }
