package cli

import (
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
)

func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Errorf("%s is a character device but not a terminal", os.DevNull)
	}
	if isTerminal(&strings.Builder{}) {
		t.Error("a buffer is not a terminal")
	}
	if ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0); err == nil {
		defer ptmx.Close()
		if !isTerminal(ptmx) {
			t.Error("a pseudo-terminal is a terminal")
		}
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestWriteFile writes reports to a new file, over a regular file,
// through a symbolic link (live and dangling) and to a FIFO: a special file stays what it is and a link stays a link.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "report.json")
	if err := writeFile(regular, writeString("one")); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(regular, writeString("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(regular); string(b) != "two" {
		t.Errorf("regular file holds %q", b)
	}

	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink("report.json", link); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(link, writeString("three")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", info.Mode(), err)
	}
	if b, _ := os.ReadFile(regular); string(b) != "three" {
		t.Errorf("the link's target holds %q, want the report written through the link", b)
	}

	dangling := filepath.Join(dir, "next.json")
	if err := os.Symlink("made-later.json", dangling); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(dangling, writeString("four")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "made-later.json")); string(b) != "four" {
		t.Errorf("a dangling link's target holds %q", b)
	}

	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := writeFile(fifo, writeString("six")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "six" {
		t.Errorf("the FIFO carried %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", info.Mode(), err)
	}
}

// TestWriteFileDevices: /dev/null and /dev/zero take a report and stay
// devices.
func TestWriteFileDevices(t *testing.T) {
	for _, dev := range []string{os.DevNull, "/dev/zero"} {
		if info, err := os.Stat(dev); err != nil || info.Mode()&os.ModeDevice == 0 {
			t.Logf("this machine's %s is not a device (%v); not tried", dev, err)
			continue
		}
		if err := writeFile(dev, writeString("five")); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(dev); err != nil || info.Mode()&os.ModeDevice == 0 {
			t.Errorf("%s is no longer a device: %v %v", dev, info.Mode(), err)
		}
	}
}

// TestWriteFileFull reports a device that refuses the write.
func TestWriteFileFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	if err := writeFile("/dev/full", writeString("x")); err == nil {
		t.Error("writing to /dev/full succeeded")
	}
	if info, err := os.Stat("/dev/full"); err != nil || info.Mode()&os.ModeDevice == 0 {
		t.Errorf("/dev/full is no longer a device")
	}
}

func TestVersionLine(t *testing.T) {
	bi := func(settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Settings: settings}
	}
	tests := []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, "rdpcheck dev"},
		{bi(), "rdpcheck dev (no revision recorded; go1.26.8)"},
		{bi(debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123"}, debug.BuildSetting{Key: "vcs.modified", Value: "true"}, debug.BuildSetting{Key: "vcs.time", Value: "2026-12-01T21:00:00Z"}),
			"rdpcheck dev (revision 0123456789ab, modified, 2026-12-01T21:00:00Z; go1.26.8)"},
		{bi(debug.BuildSetting{Key: "vcs.revision", Value: "abc"}, debug.BuildSetting{Key: "vcs.modified", Value: "false"}), "rdpcheck dev (revision abc; go1.26.8)"},
	}
	for _, tt := range tests {
		if got := versionLine("dev", tt.bi); got != tt.want {
			t.Errorf("versionLine = %q, want %q", got, tt.want)
		}
	}
}
