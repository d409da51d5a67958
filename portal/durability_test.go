package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hee-rdp/rdpcheck/store/testdb"
)

// buildRdpcheck builds the rdpcheck program for tests that run the
// server as a real process.
func buildRdpcheck(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "rdpcheck")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/rdpcheck").CombinedOutput()
	if err != nil {
		t.Fatalf("building rdpcheck: %v\n%s", err, out)
	}
	return bin
}

// serverProcess is rdpcheck serve running as a subprocess.
type serverProcess struct {
	cmd  *exec.Cmd
	base string
	log  *bytes.Buffer
}

func startServer(t *testing.T, bin string, args ...string) *serverProcess {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := &serverProcess{base: "http://" + addr, log: &bytes.Buffer{}}
	p.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
	t.Fatalf("the server did not start:\n%s", p.log)
	return nil
}

// Kill the server with SIGKILL in the middle of a burst of submissions,
// restart it: every acknowledged submission is there, intact, and every
// stored one is whole (versions 1..n, plan a sent file, report valid JSON).
func TestSubmissionsSurviveSIGKILL(t *testing.T) {
	bin := buildRdpcheck(t)
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		const adminToken = "rdp_admin-durability-token"
		access := filepath.Join(dir, "access.yaml")
		os.WriteFile(access, []byte(fmt.Sprintf("tokens:\n  - {sha256: %s, role: admin, name: durability}\n", HashToken(adminToken))), 0o600)
		args := []string{"--access", access, "--data-dir", filepath.Join(dir, "data"), "--max-checks", "8"}
		if dbURL != "" {
			args = append(args, "--db", dbURL)
		}
		plans := map[string][]byte{}
		for _, name := range []string{"london.yaml", "midlands.yaml", "south-west.json", "north-west.yaml"} {
			plans[name] = fixture(t, "valid/"+name)
		}
		srv := startServer(t, bin, args...)
		type ack struct {
			Region  string `json:"region"`
			Version int    `json:"version"`
			File    string `json:"file_name"`
		}
		var mu sync.Mutex
		var acks []ack
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for name, data := range plans {
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						req, _ := http.NewRequest("POST", srv.base+"/api/v1/submit?name="+name, bytes.NewReader(data))
						req.Header.Set("Authorization", "Bearer "+adminToken)
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							return // the server is gone
						}
						var a ack
						err = json.NewDecoder(resp.Body).Decode(&a)
						resp.Body.Close()
						if resp.StatusCode == http.StatusCreated && err == nil {
							mu.Lock()
							acks = append(acks, a)
							mu.Unlock()
						}
					}
				}()
			}
		}
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			n := len(acks)
			mu.Unlock()
			if n >= 12 {
				break
			}
		}
		srv.cmd.Process.Signal(syscall.SIGKILL)
		srv.cmd.Wait()
		close(stop)
		wg.Wait()
		if len(acks) < 12 {
			t.Fatalf("only %d submissions acknowledged before the kill:\n%s", len(acks), srv.log)
		}

		srv = startServer(t, bin, args...)
		defer func() {
			srv.cmd.Process.Signal(syscall.SIGTERM)
			if err := srv.cmd.Wait(); err != nil {
				t.Errorf("graceful shutdown on SIGTERM: %v\n%s", err, srv.log)
			}
		}()
		get := func(path string) (int, []byte) {
			req, _ := http.NewRequest("GET", srv.base+path, nil)
			req.Header.Set("Authorization", "Bearer "+adminToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return resp.StatusCode, b.Bytes()
		}
		for _, a := range acks {
			code, plan := get(fmt.Sprintf("/api/v1/regions/%s/versions/%d/plan", pathEscape(a.Region), a.Version))
			if code != 200 || !bytes.Equal(plan, plans[a.File]) {
				t.Errorf("acknowledged %s version %d (%s) lost or changed after SIGKILL: %d", a.Region, a.Version, a.File, code)
			}
		}
		stored := 0
		for _, region := range []string{"London", "Midlands", "South West", "North West"} {
			_, body := get("/api/v1/regions/" + pathEscape(region) + "/versions")
			var vs []ack
			if err := json.Unmarshal(body, &vs); err != nil {
				t.Fatal(err)
			}
			for i, v := range vs {
				if v.Version != i+1 {
					t.Errorf("%s: version %d at position %d", region, v.Version, i)
				}
				code, rep := get(fmt.Sprintf("/api/v1/regions/%s/versions/%d", pathEscape(region), v.Version))
				_, plan := get(fmt.Sprintf("/api/v1/regions/%s/versions/%d/plan", pathEscape(region), v.Version))
				if code != 200 || !json.Valid(rep) || !bytes.Equal(plan, plans[v.File]) {
					t.Errorf("%s version %d is not whole", region, v.Version)
				}
			}
			stored += len(vs)
		}
		if stored < len(acks) {
			t.Errorf("%d stored, %d acknowledged", stored, len(acks))
		}
		t.Logf("%d acknowledged before SIGKILL, %d stored", len(acks), stored)
	})
}
