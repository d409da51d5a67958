package main_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// hostilePolicies are two user policies that no in-process time limit can
// stop: a builtin that computes for minutes without looking at its
// context (on the London plan), and strings that double in size (on the
// Midlands plan).
func hostilePolicies() string {
	var b strings.Builder
	b.WriteString("package local.bombs\n\n")
	b.WriteString("deny contains msg if {\n\tinput.region == \"London\"\n\ts := sprintf(\"%d\", [bits.lsh(1, 200000000)])\n\tmsg := \"x\"\n}\n\n")
	b.WriteString("s0 := \"" + strings.Repeat("x", 64) + "\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "s%d := concat(\"\", [s%d, s%d])\n", i, i-1, i-1)
	}
	b.WriteString("\ndeny contains msg if {\n\tinput.region == \"Midlands\"\n\tmsg := sprintf(\"%d\", [count(s40)])\n}\n")
	return b.String()
}

// TestHostilePoliciesAreStopped runs the real binary with both hostile
// policies over three plans: the two plans they attack are reported as
// not checked (exit 2), each for its own limit, and the third plan's
// findings are still reported. The outer deadline only guards against a
// hang; it is not a measure of speed.
func TestHostilePoliciesAreStopped(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bombs.rego"), []byte(hostilePolicies()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "check", "--policy", dir, "--timeout", "10s", "--max-memory", "160MiB", "-f", "json",
		"fixtures/plans/valid/london.yaml", "fixtures/plans/valid/midlands.yaml", "fixtures/plans/invalid/kpi-duplicate-id.yaml")
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("rdpcheck did not end: the hostile policies were not stopped")
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s%s", err, out.String(), errb.String())
	}
	r := decodeReport(t, out.String())
	if r.Summary.Files != 3 || r.Summary.Unchecked != 2 {
		t.Fatalf("summary %+v, want 3 files, 2 not checked", r.Summary)
	}
	// The huge shift computes for minutes, but turning it into text also
	// takes memory: on a lightly loaded machine it can reach the memory
	// ceiling before the time limit, so either limit may stop it.
	timeLimit, memoryLimit := "took longer than 10s on this plan and were stopped", "used more than 160 MiB of memory on this plan and were stopped"
	want := map[string][]string{
		"fixtures/plans/valid/london.yaml":   {timeLimit, memoryLimit},
		"fixtures/plans/valid/midlands.yaml": {memoryLimit},
	}
	for _, f := range r.Files {
		if w, hostile := want[f.Path]; hostile {
			if f.Error == nil || !slices.ContainsFunc(w, func(m string) bool { return strings.Contains(f.Error.Message, m) }) {
				t.Errorf("%s: error %+v, want one of %q", f.Path, f.Error, w)
			}
			continue
		}
		if f.Error != nil || len(f.Findings) != 1 || f.Findings[0].Rule != "RDP-KPI-009" {
			t.Errorf("%s: error %+v, findings %+v; want its one RDP-KPI-009 finding", f.Path, f.Error, f.Findings)
		}
	}
}

// TestLimitSettings checks the new limits are read from flags, the
// environment and the config file, and that bad values are refused.
func TestLimitSettings(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--timeout", "soon"}, nil, `timeout "soon": write a duration such as 30s`},
		{[]string{"--max-memory", "lots"}, nil, `max memory: "lots" is not a size`},
		{nil, []string{"RDPCHECK_TIMEOUT=-1s"}, `timeout "-1s"`},
		{nil, []string{"RDPCHECK_MAX_MEMORY=0"}, `max memory: "0" is not a size`},
	} {
		r := runEnv(t, tt.env, append(append([]string{"check"}, tt.args...), "fixtures/plans/valid/london.yaml")...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 and %q", tt.args, tt.env, r.code, r.stderr, tt.want)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".rdpcheck.yaml"), []byte("timeout: 2m\nmax_memory: 512MiB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, dir, "", nil, "check", filepath.Join(root, "fixtures/plans/valid/london.yaml")); r.code != 0 {
		t.Errorf("config with timeout and max_memory: exit %d\n%s", r.code, r.stderr)
	}
}

// TestHostilePolicyStoppedByTime gives the long computation room in
// memory, so that only the time limit can stop it: the plan is reported
// as not checked for taking too long, well before the computation ends.
func TestHostilePolicyStoppedByTime(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bombs.rego"), []byte(hostilePolicies()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "check", "--policy", dir, "--timeout", "5s", "--max-memory", "4GiB", "-f", "json",
		"fixtures/plans/valid/london.yaml")
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("rdpcheck did not end: the hostile policy was not stopped")
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s%s", err, out.String(), errb.String())
	}
	r := decodeReport(t, out.String())
	if len(r.Files) != 1 || r.Files[0].Error == nil || !strings.Contains(r.Files[0].Error.Message, "took longer than 5s on this plan and were stopped") {
		t.Fatalf("want the plan not checked for time, got %+v", r.Files)
	}
}
