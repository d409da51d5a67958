package checker

import (
	"context"
	"path/filepath"
	"testing"
)

func BenchmarkZZCorpus(b *testing.B) {
	ctx := context.Background()
	files, _ := filepath.Glob("../.bench/corpus/*")
	files = files[:300]
	c, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Run(ctx, files, nil); err != nil {
			b.Fatal(err)
		}
	}
}
