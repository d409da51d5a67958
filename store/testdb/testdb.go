// Package testdb gives tests real databases to run the store on: a
// fresh SQLite file, and a PostgreSQL server started from Debian's
// postgresql binaries in a temporary directory, with a fresh database
// per test. There are no mock databases.
//
// A test binary calls Main from TestMain; each test then calls Each to
// run its body on both databases.
package testdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create databases
)

// server is the PostgreSQL server of this test binary, when it runs.
var server struct {
	dir     string // holds the data directory and the unix socket
	port    int
	asUser  []string // the command prefix that runs as the postgres user
	url     string   // the admin connection
	missing string   // why there is no server
	count   atomic.Int64
}

// binDir finds the newest Debian PostgreSQL binaries.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
		return "", errors.New("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install it with: apt-get install postgresql")
	}
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[i]))))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[j]))))
		return a > b
	})
	return filepath.Dir(dirs[0]), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start initialises and starts a PostgreSQL cluster in a temporary
// directory. PostgreSQL refuses to run as root, so as root it runs as the
// postgres user (which must be able to reach the directory: it is made
// under the world-accessible temporary directory and handed over).
func start() error {
	bin, err := binDir()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "rdpcheck-pg-")
	if err != nil {
		return err
	}
	server.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running PostgreSQL as root is refused and there is no postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
		server.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	server.port = port
	data := filepath.Join(dir, "data")
	run := func(args ...string) error {
		cmd := exec.Command(args[0], args[1:]...)
		if len(server.asUser) > 0 {
			cmd = exec.Command(server.asUser[0], append(server.asUser[1:], args...)...)
		}
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", filepath.Base(args[0]), err, out)
		}
		return nil
	}
	if err := run(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C"); err != nil {
		return err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses= -c fsync=off -c max_connections=200", port, dir)
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		return err
	}
	server.url = fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d&sslmode=disable", dir, port)
	return nil
}

func stop() {
	if server.dir == "" {
		return
	}
	bin, err := binDir()
	if err == nil && server.url != "" {
		args := []string{filepath.Join(bin, "pg_ctl"), "-D", filepath.Join(server.dir, "data"), "-m", "immediate", "-w", "stop"}
		cmd := exec.Command(args[0], args[1:]...)
		if len(server.asUser) > 0 {
			cmd = exec.Command(server.asUser[0], append(server.asUser[1:], args...)...)
		}
		cmd.Run()
	}
	os.RemoveAll(server.dir)
}

// Main starts PostgreSQL, runs the tests and stops it. When PostgreSQL
// cannot be started the PostgreSQL half of every test fails under CI=true
// and is skipped, loudly, otherwise.
func Main(m *testing.M) {
	if err := start(); err != nil {
		server.missing = err.Error()
		fmt.Fprintf(os.Stderr, "\n*** PostgreSQL could not be started, so the PostgreSQL tests cannot run: %v ***\n\n", err)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

// Postgres returns the URL of a new, empty PostgreSQL database on the
// test server.
func Postgres(t testing.TB) string {
	t.Helper()
	if server.url == "" {
		msg := "PostgreSQL is not available: " + server.missing
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPING (set CI=true to make this fail): " + msg)
	}
	db, err := sql.Open("pgx", server.url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), server.count.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable", name, server.dir, server.port)
}

// Each runs body as two subtests, "sqlite" and "postgres", each with the
// database URL and data directory to give store.Open: an empty URL and a
// fresh directory for SQLite, a fresh database for PostgreSQL.
func Each(t *testing.T, body func(t *testing.T, url, dataDir string)) {
	t.Run("sqlite", func(t *testing.T) { body(t, "", t.TempDir()) })
	t.Run("postgres", func(t *testing.T) { body(t, Postgres(t), t.TempDir()) })
}
