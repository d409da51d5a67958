package checker

import (
	"context"
	"testing"
)

// BenchmarkNationalPicture works out the national picture of the seven
// valid plans alone, apart from the rules.
func BenchmarkNationalPicture(b *testing.B) {
	ctx := context.Background()
	c, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	results, docs, _ := c.checkAll(ctx, []string{"../fixtures/plans/valid"}, nil, true)
	input, _, err := rollupInput(results, docs)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		n, err := c.engine.national(ctx, input)
		if err != nil || n == nil || len(n.METIP) != 4 {
			b.Fatalf("national picture: %v", err)
		}
	}
}

// TestPercent: shares are rounded half up to one decimal place, and a
// share of nothing is 0.
func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		part, whole int64
		want        float64
	}{{1, 3, 33.3}, {2, 3, 66.7}, {1, 8, 12.5}, {0, 0, 0}, {5, 5, 100}} {
		if got := percent(tc.part, tc.whole); got != tc.want {
			t.Errorf("percent(%d, %d) = %v, want %v", tc.part, tc.whole, got, tc.want)
		}
	}
}
