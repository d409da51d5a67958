package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/portal"
	"github.com/hee-rdp/rdpcheck/store"
)

// runServe runs `rdpcheck serve`: the portal, until SIGTERM or SIGINT,
// after which it finishes the requests in flight. `rdpcheck serve token`
// makes a new access token.
func runServe(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "token" {
		return runServeToken(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "demo-tokens" {
		return runDemoTokens(args[1:], stdout, stderr)
	}
	fs := newFlagSet("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "the address to listen on")
	db := fs.String("db", "", "the database: empty for the embedded SQLite file in --data-dir, or postgres://user@host/db")
	dataDir := fs.String("data-dir", "rdpcheck-data", "where the embedded database lives (created on first start)")
	access := fs.String("access", "access.yaml", "the access file listing the tokens (see rdpcheck serve token)")
	maxSize := fs.String("max-file-size", "8MiB", "the largest plan file accepted")
	timeout := fs.Duration("timeout", time.Minute, "the longest one request may take")
	maxChecks := fs.Int("max-checks", 4, "how many plans are checked at once; further requests wait their turn")
	queueWait := fs.Duration("queue-wait", 30*time.Second, "how long a request waits for its turn before it gets 503 with Retry-After")
	seed := fs.String("seed", "", "a directory of plans to submit as the admin token's first versions when the database is empty (demo)")
	today := fs.String("today", "", "the date waivers expire against, YYYY-MM-DD (default: today)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: rdpcheck serve [flags]\n       rdpcheck serve token --role region|reviewer|admin [--region R] --name NAME\n\nThe submission portal for regional teams and reviewers.\n\nFlags:\n%s", fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	size, err := parseSize(*maxSize)
	if err != nil {
		return fail(stderr, fmt.Errorf("--max-file-size: %w", err))
	}
	acc, err := portal.LoadAccess(*access)
	if err != nil {
		return fail(stderr, fmt.Errorf("%w (make tokens with: rdpcheck serve token --role reviewer --name NAME)", err))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	chk, err := checker.New(ctx, checker.Options{Limits: document.Limits{MaxBytes: size}, ToolVersion: version(), Today: *today, Workers: 1})
	if err != nil {
		return fail(stderr, err)
	}
	st, err := store.Open(ctx, *db, *dataDir)
	if err != nil {
		return fail(stderr, err)
	}
	defer st.Close()
	srv, err := portal.New(portal.Config{Checker: chk, Store: st, Access: acc, MaxFileSize: size, RequestTimeout: *timeout, MaxChecks: *maxChecks, QueueWait: *queueWait, Version: version(), Today: *today})
	if err != nil {
		return fail(stderr, err)
	}
	if *seed != "" {
		n, err := srv.Seed(ctx, *seed)
		if err != nil {
			return fail(stderr, err)
		}
		if n > 0 {
			fmt.Fprintf(stderr, "rdpcheck serve: submitted the %d plans in %s as first versions\n", n, *seed)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(stderr, err)
	}
	where := *db
	if where == "" {
		where = filepath.Join(*dataDir, store.DatabaseFile)
	}
	fmt.Fprintf(stderr, "rdpcheck serve: listening on http://%s (database: %s, %s)\n", ln.Addr(), st.Dialect(), redactURL(where))
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: *timeout, WriteTimeout: *timeout + 10*time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fail(stderr, err)
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "rdpcheck serve: stopping; finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), *timeout+5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fail(stderr, err)
	}
	return ExitOK
}

// redactURL hides the password of a database URL.
func redactURL(u string) string {
	for i := 0; i+3 < len(u); i++ {
		if u[i:i+3] == "://" {
			for j := len(u) - 1; j > i; j-- {
				if u[j] == '@' {
					return u[:i+3] + "…" + u[j:]
				}
			}
		}
	}
	return u
}

// runServeToken makes a token and prints it once with its access-file entry.
func runServeToken(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve token", stderr)
	role := fs.String("role", "", "region, reviewer or admin")
	region := fs.String("region", "", "the region a region token belongs to")
	name := fs.String("name", "", "who holds the token, shown in the audit trail")
	if err := fs.Parse(args); err != nil {
		return parseError(stderr, err)
	}
	token, entry, err := portal.NewToken(*role, *region, *name)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "token (give it to %s; it is shown only this once): %s\n\nadd this entry under tokens: in the access file:\n%s\n", *name, token, portal.EntryYAML(entry))
	return ExitOK
}

// demoPeople are the tokens make serve creates for trying the portal.
var demoPeople = [][3]string{
	{portal.RoleRegion, "London", "London planning (demo)"},
	{portal.RoleRegion, "Midlands", "Midlands planning (demo)"},
	{portal.RoleReviewer, "", "QA reviewer (demo)"},
	{portal.RoleAdmin, "", "admin (demo)"},
}

// runDemoTokens writes DIR/access.yaml and DIR/demo-tokens.txt (the
// tokens in clear, for make serve only) when they do not exist yet, and
// prints the tokens.
func runDemoTokens(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		return fail(stderr, errors.New("usage: rdpcheck serve demo-tokens DIR"))
	}
	dir := args[0]
	clear := filepath.Join(dir, "demo-tokens.txt")
	if _, err := os.Stat(clear); err != nil {
		var access, tokens strings.Builder
		access.WriteString("# Demo tokens made by make serve; never use them for real plans.\ntokens:\n")
		for _, p := range demoPeople {
			token, entry, err := portal.NewToken(p[0], p[1], p[2])
			if err != nil {
				return fail(stderr, err)
			}
			for _, line := range strings.Split(portal.EntryYAML(entry), "\n") {
				access.WriteString("  " + line + "\n")
			}
			fmt.Fprintf(&tokens, "%-28s %s\n", p[2]+":", token)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fail(stderr, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "access.yaml"), []byte(access.String()), 0o600); err != nil {
			return fail(stderr, err)
		}
		if err := os.WriteFile(clear, []byte(tokens.String()), 0o600); err != nil {
			return fail(stderr, err)
		}
	}
	b, err := os.ReadFile(clear)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "Sign in at the address below with one of these demo tokens:\n%s", b)
	return ExitOK
}
