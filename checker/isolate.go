package checker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hee-rdp/rdpcheck/checker/document"
)

// A Go builtin such as sprintf or bits.lsh does not stop when its context
// is cancelled, and a goroutine cannot be killed, so a hostile or careless
// user policy could run for hours or exhaust the machine however the
// evaluation is timed. With an Isolation, every file checked with user
// policies (Options.PolicyDirs) is evaluated in a worker process of its
// own, which is killed when it runs past the time limit or holds more
// memory than the ceiling; the file is then reported as not checked and
// the others are unaffected. Without user policies the built-in rulebook,
// which is linear in the plan, runs in-process.

// DefaultMaxMemory is the memory a worker may hold when
// Isolation.MaxMemory is 0. Checking a real plan takes tens of MiB.
const DefaultMaxMemory int64 = 1 << 30

// workerGrace is how long past its time limit a worker may take to
// answer before it is killed: the limit itself is enforced inside the
// worker, for policies that do poll their context.
const workerGrace = 2 * time.Second

// Isolation runs the evaluation of files checked with user policies in
// worker processes.
type Isolation struct {
	// Command starts a worker: a program (with its arguments) that calls
	// ServeWorker on its standard input and output, such as rdpcheck's
	// hidden "__worker" command.
	Command []string
	// MaxMemory is the resident memory, in bytes, a worker may hold
	// before it is stopped; 0 means DefaultMaxMemory.
	MaxMemory int64
}

// isolated reports whether files are checked in worker processes.
func (c *Checker) isolated() bool {
	return c.opt.Isolation != nil && len(c.opt.Isolation.Command) > 0 && len(c.opt.PolicyDirs) > 0
}

// workerRequest is what a worker is asked to do: compile the policies of
// Options and check one plan.
type workerRequest struct {
	Options workerOptions `json:"options"`
	Name    string        `json:"name"`
	Source  []byte        `json:"source"`
}

// workerOptions are the Options a worker needs to build the same Checker.
type workerOptions struct {
	PolicyDirs []string        `json:"policy_dirs"`
	DataFiles  []string        `json:"data_files"`
	Rules      []string        `json:"rules"`
	Limits     document.Limits `json:"limits"`
	Timeout    time.Duration   `json:"timeout"`
	MaxMemory  int64           `json:"max_memory"`
}

// workerReply is one line a worker writes: first {"ready": true} once the
// policies are compiled, then the findings or the error.
type workerReply struct {
	Ready    bool      `json:"ready,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// ServeWorker is the worker side of Isolation: it reads one request from
// r, compiles the policies, checks the plan and writes its replies to w.
// The caller (a hidden command of the rdpcheck binary) then exits.
func ServeWorker(ctx context.Context, r io.Reader, w io.Writer) error {
	var req workerRequest
	if err := json.NewDecoder(r).Decode(&req); err != nil {
		return fmt.Errorf("reading the worker request: %w", err)
	}
	if req.Options.MaxMemory > 0 {
		debug.SetMemoryLimit(req.Options.MaxMemory * 3 / 4) // collect garbage hard before the ceiling
	}
	enc := json.NewEncoder(w)
	o := req.Options
	c, err := New(ctx, Options{PolicyDirs: o.PolicyDirs, DataFiles: o.DataFiles, Rules: o.Rules, Limits: o.Limits, Timeout: o.Timeout})
	if err != nil {
		return enc.Encode(workerReply{Error: err.Error()})
	}
	if err := enc.Encode(workerReply{Ready: true}); err != nil {
		return err
	}
	doc, err := document.Parse(req.Name, req.Source, o.Limits)
	if err != nil {
		return enc.Encode(workerReply{Error: err.Error()})
	}
	findings, err := c.CheckDocument(ctx, doc)
	if err != nil {
		return enc.Encode(workerReply{Error: err.Error()})
	}
	return enc.Encode(workerReply{Findings: findings})
}

// checkIsolated checks a loaded plan in a worker process, stopping the
// worker when it runs past Options.Timeout (plus workerGrace) or holds
// more than the memory ceiling.
func (c *Checker) checkIsolated(ctx context.Context, doc *document.Document) ([]Finding, error) {
	iso := c.opt.Isolation
	ceiling := iso.MaxMemory
	if ceiling <= 0 {
		ceiling = DefaultMaxMemory
	}
	req, err := json.Marshal(workerRequest{
		Options: workerOptions{PolicyDirs: c.opt.PolicyDirs, DataFiles: c.opt.DataFiles, Rules: c.opt.Rules,
			Limits: c.opt.Limits, Timeout: c.opt.Timeout, MaxMemory: ceiling},
		Name: doc.Name, Source: doc.Source(),
	})
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(iso.Command[0], iso.Command[1:]...)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4 << 10}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting a worker to evaluate the policies: %w", err)
	}
	w := &watchdog{proc: cmd.Process, ceiling: ceiling, done: make(chan struct{})}
	go w.watch(ctx, c.opt.Timeout)
	replies := json.NewDecoder(bufio.NewReader(io.LimitReader(out, 64<<20)))
	var reply workerReply
	answered := false
	for !answered {
		reply = workerReply{}
		if err := replies.Decode(&reply); err != nil {
			break
		}
		if answered = !reply.Ready; !answered {
			w.ready() // compiled: the time limit for the plan starts now
		}
	}
	io.Copy(io.Discard, out)
	waitErr := cmd.Wait()
	close(w.done)
	switch why := w.reason(); {
	case why == stopTime:
		return nil, fmt.Errorf("the policies took longer than %s on this plan and were stopped, so it was not checked; a rule in the --policy directories may do work without bound (raise --timeout only if a real plan needs it)", c.opt.Timeout)
	case why == stopMemory:
		return nil, fmt.Errorf("the policies used more than %s of memory on this plan and were stopped, so it was not checked; a rule in the --policy directories may build values without bound (raise --max-memory only if a real plan needs it)", document.FormatSize(ceiling))
	case why == stopCancelled:
		return nil, fmt.Errorf("the check was cancelled: %w", ctx.Err())
	case reply.Error != "":
		return nil, errors.New(reply.Error)
	case waitErr != nil || !answered:
		return nil, fmt.Errorf("the worker evaluating the policies failed (%v): %s", waitErr, strings.TrimSpace(stderr.String()))
	}
	if reply.Findings == nil {
		reply.Findings = []Finding{}
	}
	return reply.Findings, nil
}

// Reasons a watchdog stopped a worker.
const (
	stopNone = iota
	stopTime
	stopMemory
	stopCancelled
)

// watchdog kills a worker that runs too long or holds too much memory.
type watchdog struct {
	proc    *os.Process
	ceiling int64
	done    chan struct{}

	mu      sync.Mutex
	started bool // the worker has compiled the policies
	why     int
}

// ready marks the worker as having compiled its policies.
func (w *watchdog) ready() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.started = true
}

// reason is why the watchdog stopped the worker, or stopNone.
func (w *watchdog) reason() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.why
}

// watch polls the worker until done is closed. The compiling and the
// checking are each allowed the time limit plus workerGrace.
func (w *watchdog) watch(ctx context.Context, limit time.Duration) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(limit + workerGrace)
	started := false
	for {
		select {
		case <-w.done:
			return
		case <-ctx.Done():
			w.kill(stopCancelled)
			return
		case now := <-tick.C:
			w.mu.Lock()
			if w.started && !started {
				started, deadline = true, now.Add(limit+workerGrace)
			}
			w.mu.Unlock()
			if now.After(deadline) {
				w.kill(stopTime)
				return
			}
			if rss, ok := residentBytes(w.proc.Pid); ok && rss > w.ceiling {
				w.kill(stopMemory)
				return
			}
		}
	}
}

// kill stops the worker and records why.
func (w *watchdog) kill(why int) {
	w.mu.Lock()
	w.why = why
	w.mu.Unlock()
	w.proc.Kill()
}

// residentBytes reads a process's resident memory from /proc (Linux); it
// reports false where that cannot be read, and the ceiling is then not
// enforced.
func residentBytes(pid int) (int64, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
