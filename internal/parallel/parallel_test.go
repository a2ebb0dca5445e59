package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
)

func TestSplitCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 1000, 1 << 16} {
		for _, w := range []int{1, 2, 3, 7, 64} {
			seen := make([]atomic.Int32, n)
			var chunks atomic.Int32
			Split(n, w, func(c, lo, hi int) {
				if c < 0 || c >= w || lo > hi {
					t.Errorf("n=%d w=%d: chunk %d is [%d, %d)", n, w, c, lo, hi)
				}
				chunks.Add(1)
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			if int(chunks.Load()) != w {
				t.Errorf("n=%d w=%d: %d chunks", n, w, chunks.Load())
			}
			for i := range seen {
				if seen[i].Load() != 1 {
					t.Fatalf("n=%d w=%d: index %d visited %d times", n, w, i, seen[i].Load())
				}
			}
		}
	}
}

func TestWorkers(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	for _, tt := range []struct{ n, grain, want int }{
		{0, 1 << 10, 1},
		{1<<10 - 1, 1 << 10, 1},
		{1 << 10, 1 << 10, min(procs, 2)},
		{1 << 30, 1 << 10, procs},
		{5, 1, min(procs, 5)},
	} {
		if got := Workers(tt.n, tt.grain); got != tt.want {
			t.Errorf("Workers(%d, %d) = %d, want %d", tt.n, tt.grain, got, tt.want)
		}
	}
	var sum atomic.Int64
	For(1<<12, 1<<10, func(lo, hi int) { sum.Add(int64(hi - lo)) })
	if sum.Load() != 1<<12 {
		t.Errorf("For covered %d of %d indices", sum.Load(), 1<<12)
	}
}
