package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hee-rdp/rdpcheck/checker"
)

// workerCommand is the hidden command that evaluates one plan with user
// policies in a process of its own (checker.Isolation); rdpcheck starts
// it itself and it is not meant to be typed.
const workerCommand = "__worker"

// Defaults of the limits on checking one file.
const (
	defaultTimeout   = "1m"
	defaultMaxMemory = "1GiB"
)

func init() {
	settingsTable = append(settingsTable,
		setting{flag: "timeout", env: "RDPCHECK_TIMEOUT", key: "timeout",
			usage: "longest time the rules may take on one plan, e.g. 30s or 2m (default " + defaultTimeout + "); a plan that takes longer is reported as not checked",
			apply: func(s *settings, v []string) { s.Timeout = v[0] }},
		setting{flag: "max-memory", env: "RDPCHECK_MAX_MEMORY", key: "max_memory",
			usage: "most memory --policy rules may use on one plan (bytes, or with KiB/MiB/GiB; default " + defaultMaxMemory + "); a plan that needs more is reported as not checked",
			apply: func(s *settings, v []string) { s.MaxMemory = v[0] }},
	)
	reportFlags = append(reportFlags, "timeout", "max-memory")
}

// limitOptions sets the per-file time limit and, when there are user
// policies, the worker processes that bound them in time and memory.
func (s settings) limitOptions(opt *checker.Options) error {
	timeout, maxMemory := s.Timeout, s.MaxMemory
	if timeout == "" {
		timeout = defaultTimeout
	}
	if maxMemory == "" {
		maxMemory = defaultMaxMemory
	}
	d, err := time.ParseDuration(timeout)
	if err != nil || d <= 0 {
		return fmt.Errorf("timeout %q: write a duration such as 30s, 2m or 1m30s", timeout)
	}
	mem, err := parseSize(maxMemory)
	if err != nil {
		return fmt.Errorf("max memory: %w", err)
	}
	opt.Timeout = d
	if len(opt.PolicyDirs) > 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding the rdpcheck program to evaluate --policy rules in a separate process: %w", err)
		}
		opt.Isolation = &checker.Isolation{Command: []string{exe, workerCommand}, MaxMemory: mem}
	}
	return nil
}

// runWorker serves one checker.Isolation request on stdin and stdout.
func runWorker(stdin io.Reader, stdout, stderr io.Writer) int {
	if err := checker.ServeWorker(context.Background(), stdin, stdout); err != nil {
		return fail(stderr, err)
	}
	return ExitOK
}
