package checker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A policy directory that happens to be called policies holds the user's
// own modules, not built-in ones: its rules are compiled with every check
// and may go without METADATA, as any policy directory's.
func TestPolicyDirectoryNamedPolicies(t *testing.T) {
	cases := []struct {
		name, source, wantErr string
	}{
		{"a rule without METADATA is accepted", "package local.extra\n\nwarn contains \"look\" if input.region == \"London\"\n", ""},
		{"a type error is reported", "package local.extra\n\ndeny contains \"odd\" if count(5) > 0\n", "count"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if err := os.MkdirAll(filepath.Join("policies", "extra"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("policies", "extra", "local.rego"), []byte(tc.source), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := New(context.Background(), Options{PolicyDirs: []string{"policies/extra"}})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("New: got %v, want an error mentioning %q", err, tc.wantErr)
			}
		})
	}
	if builtIn("policies/extra/local.rego") || !builtIn("policies/metip/metip.rego") {
		t.Error("builtIn tells the embedded modules by their names")
	}
}
