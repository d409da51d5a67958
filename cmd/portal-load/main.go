// Command portal-load is make loadtest: it starts rdpcheck serve on
// 127.0.0.1 with a fresh embedded database, runs concurrent clients
// against it for a while (a mix of checks and submissions of the fixture
// plans) and prints requests per second, p50 and p99 latency, errors and
// the server's peak memory; then it measures the command line's own
// check throughput on the same plans, for comparison.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hee-rdp/rdpcheck/portal"
)

func main() {
	bin := flag.String("rdpcheck", "bin/rdpcheck", "the rdpcheck program")
	plansDir := flag.String("plans", "fixtures/plans/valid", "the plans to check and submit")
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "how long the clients run")
	submitEvery := flag.Int("submit-every", 4, "one request in this many is a submission, the others checks")
	flag.Parse()
	if err := run(*bin, *plansDir, *clients, *duration, *submitEvery); err != nil {
		fmt.Fprintln(os.Stderr, "portal-load:", err)
		os.Exit(1)
	}
}

type plan struct {
	name string
	data []byte
}

func run(bin, plansDir string, clients int, duration time.Duration, submitEvery int) error {
	var plans []plan
	entries, err := os.ReadDir(plansDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".yaml", ".json", ".xlsx":
			b, err := os.ReadFile(filepath.Join(plansDir, e.Name()))
			if err != nil {
				return err
			}
			plans = append(plans, plan{e.Name(), b})
		}
	}
	if len(plans) == 0 {
		return fmt.Errorf("no plans in %s", plansDir)
	}
	dir, err := os.MkdirTemp("", "rdpcheck-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	token := "rdp_load-test-token"
	access := filepath.Join(dir, "access.yaml")
	if err := os.WriteFile(access, []byte(fmt.Sprintf("tokens:\n  - {sha256: %s, role: admin, name: load test}\n", portal.HashToken(token))), 0o600); err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	var log bytes.Buffer
	srv := exec.Command(bin, "serve", "--addr", addr, "--access", access, "--data-dir", filepath.Join(dir, "data"))
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	base := "http://" + addr
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not start:\n%s", log.String())
		}
	}
	fmt.Printf("server %s (pid %d); %d clients for %s, one request in %d a submission, over %d plans\n", base, srv.Process.Pid, clients, duration, submitEvery, len(plans))

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 2 * time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	var checks, submits int
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				p := plans[(c+i)%len(plans)]
				path := "/api/v1/check"
				submit := (c+i)%submitEvery == 0
				if submit {
					path = "/api/v1/submit"
				}
				req, _ := http.NewRequest("POST", base+path+"?name="+p.name, bytes.NewReader(p.data))
				req.Header.Set("Authorization", "Bearer "+token)
				start := time.Now()
				resp, err := client.Do(req)
				d := time.Since(start)
				if ctx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				mu.Lock()
				switch {
				case err != nil:
					errs[err.Error()]++
				case resp.StatusCode != 200 && resp.StatusCode != 201:
					errs[resp.Status]++
				default:
					lat = append(lat, d)
					if submit {
						submits++
					} else {
						checks++
					}
				}
				mu.Unlock()
				if resp != nil {
					bufio.NewReader(resp.Body).WriteTo(discard{})
					resp.Body.Close()
				}
			}
		}()
	}
	start := time.Now()
	peak := int64(0)
	tick := time.NewTicker(200 * time.Millisecond)
	for ctx.Err() == nil {
		select {
		case <-tick.C:
			peak = max(peak, peakRSS(srv.Process.Pid))
		case <-ctx.Done():
		}
	}
	wg.Wait()
	tick.Stop()
	peak = max(peak, peakRSS(srv.Process.Pid))
	elapsed := time.Since(start)
	slices.Sort(lat)
	nerr := 0
	for _, n := range errs {
		nerr += n
	}
	rps := float64(len(lat)) / elapsed.Seconds()
	fmt.Printf("requests: %d ok (%d checks, %d submissions), %d errors in %.1fs\n", len(lat), checks, submits, nerr, elapsed.Seconds())
	for e, n := range errs {
		fmt.Printf("  error %q: %d\n", e, n)
	}
	fmt.Printf("throughput: %.1f requests/s\n", rps)
	if len(lat) > 0 {
		fmt.Printf("latency: p50 %s, p99 %s, max %s\n", lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)*99/100].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	}
	fmt.Printf("server peak memory (VmHWM): %.1f MiB\n", float64(peak)/(1<<20))

	// The command line on the same plans: whole runs of rdpcheck check
	// over the directory, for a tenth of the time.
	cliStart, runs := time.Now(), 0
	for time.Since(cliStart) < duration/10 || runs == 0 {
		cmd := exec.Command(bin, "check", "-f", "json", "-o", os.DevNull, plansDir)
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("rdpcheck check %s: %w", plansDir, err)
		}
		runs++
	}
	cliRate := float64(runs*len(plans)) / time.Since(cliStart).Seconds()
	fmt.Printf("command line: %.1f plans/s (rdpcheck check on the directory, %d runs); portal/command line: %.1f×\n", cliRate, runs, rps/cliRate)
	if nerr > 0 {
		return fmt.Errorf("%d errors", nerr)
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// peakRSS is a process's peak resident memory (VmHWM), in bytes; 0 when
// /proc does not say.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}
