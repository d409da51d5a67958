package checker

import (
	"context"
	"testing"
)

// BenchmarkColdCheck is one pre-commit run inside the process: compile
// the policies for check and check one plan.
func BenchmarkColdCheck(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		c, err := New(ctx, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Run(ctx, []string{stagePlan}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
