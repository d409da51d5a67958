// Package store keeps the portal's records in SQL: the submitted plans
// with their reports, the reviewers' waivers and an audit trail of who
// did what and when.
//
// The store is append-only: nothing is ever updated or deleted. A
// resubmission is a new version, a waiver is ended by recording an end,
// and every change adds an audit event in the same transaction.
//
// One schema and one set of queries run on two databases: an embedded
// SQLite file (modernc.org/sqlite, no cgo), the default, and PostgreSQL
// (github.com/jackc/pgx/v5) for several servers sharing one database.
// The schema is built by versioned migrations applied by Open.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// DatabaseFile is the SQLite file Open creates in the data directory
// when no database URL is given.
const DatabaseFile = "rdpcheck.db"

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db       *sql.DB
	postgres bool
}

// Open opens the database named by url and applies any migrations it
// lacks. An empty url means the SQLite file DatabaseFile in dataDir
// (created, with the directory, on first start); a url starting with
// postgres:// or postgresql:// means that PostgreSQL database.
func Open(ctx context.Context, url, dataDir string) (*Store, error) {
	var s *Store
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("opening the PostgreSQL database: %w", err)
		}
		s = &Store{db: db, postgres: true}
	case url == "" || strings.HasPrefix(url, "sqlite:") || strings.HasPrefix(url, "file:"):
		file := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
		if file == "" {
			if dataDir == "" {
				return nil, errors.New("no database: give --db or a data directory")
			}
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("creating the data directory: %w", err)
			}
			file = filepath.Join(dataDir, DatabaseFile)
		}
		// WAL with synchronous FULL: a transaction is on disk when Commit
		// returns, and a reader never waits for the writer.
		dsn := "file:" + file + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("opening the database file %s: %w", file, err)
		}
		db.SetMaxOpenConns(1) // SQLite has one writer; queue in Go rather than fail "database is locked"
		s = &Store{db: db}
	default:
		return nil, fmt.Errorf("database %q: give a postgres://… URL, or nothing for the embedded database", redact(url))
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// redact hides a password in a database URL for messages.
func redact(url string) string {
	if at := strings.LastIndex(url, "@"); at > 0 {
		if scheme := strings.Index(url, "://"); scheme >= 0 && scheme < at {
			return url[:scheme+3] + "…" + url[at:]
		}
	}
	return url
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Dialect names the database: "sqlite" or "postgres".
func (s *Store) Dialect() string {
	if s.postgres {
		return "postgres"
	}
	return "sqlite"
}

// query rewrites the ? placeholders of the one set of queries into
// PostgreSQL's $1, $2, … when needed.
func (s *Store) query(q string) string {
	if !s.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stamp is how times are stored: UTC, RFC 3339 with nanoseconds, so
// they sort as text on both databases.
// stamp is how times are stored: RFC 3339 in UTC with always nine digits
// of fraction, so that times compare correctly as text, within a second
// too (with trailing zeros trimmed, "…05Z" would sort after "…05.3Z").
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// duplicate reports whether err is a unique-key violation, which a
// concurrent writer taking the same next number causes.
func duplicate(err error) bool {
	if err == nil {
		return false
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") || strings.Contains(m, "duplicate key")
}

// inTx runs fn in a transaction and commits it; when fn or the commit
// fails on a unique key taken by a concurrent writer it tries again.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	var err error
	for range 20 {
		var tx *sql.Tx
		tx, err = s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("starting a transaction: %w", err)
		}
		err = fn(tx)
		if err == nil {
			err = tx.Commit()
			if err == nil {
				return nil
			}
		} else {
			tx.Rollback()
		}
		if !duplicate(err) {
			return err
		}
	}
	return err
}

// nextNumber is one more than the largest value of column in table
// (where the condition holds), inside tx.
func (s *Store) nextNumber(ctx context.Context, tx *sql.Tx, q string, args ...any) (int64, error) {
	var n int64
	if err := tx.QueryRowContext(ctx, s.query(q), args...).Scan(&n); err != nil {
		return 0, err
	}
	return n + 1, nil
}
