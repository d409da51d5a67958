package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// migration is one versioned step of the schema. Its SQL is written
// once for both databases; {{blob}} stands for the binary column type
// (BLOB on SQLite, BYTEA on PostgreSQL).
type migration struct {
	version int
	name    string
	sql     []string
}

// migrations are applied in order, each once, in its own transaction.
// Never edit a released step: add a new one.
var migrations = []migration{{
	version: 1,
	name:    "submissions, waivers, waiver ends and the audit trail",
	sql: []string{
		`CREATE TABLE submissions (
			region       TEXT    NOT NULL,
			version      INTEGER NOT NULL,
			submitted_by TEXT    NOT NULL,
			submitted_at TEXT    NOT NULL,
			file_name    TEXT    NOT NULL,
			format       TEXT    NOT NULL,
			status       TEXT    NOT NULL,
			errors       INTEGER NOT NULL,
			warnings     INTEGER NOT NULL,
			infos        INTEGER NOT NULL,
			plan         {{blob}} NOT NULL,
			report       {{blob}} NOT NULL,
			PRIMARY KEY (region, version)
		)`,
		`CREATE TABLE waivers (
			id            INTEGER NOT NULL PRIMARY KEY,
			rule          TEXT    NOT NULL,
			region        TEXT    NOT NULL,
			objective     TEXT    NOT NULL,
			path          TEXT    NOT NULL,
			justification TEXT    NOT NULL,
			approved_by   TEXT    NOT NULL,
			expires       TEXT    NOT NULL,
			created_by    TEXT    NOT NULL,
			created_at    TEXT    NOT NULL
		)`,
		`CREATE TABLE waiver_ends (
			waiver_id INTEGER NOT NULL PRIMARY KEY REFERENCES waivers (id),
			ended_by  TEXT    NOT NULL,
			ended_at  TEXT    NOT NULL
		)`,
		`CREATE TABLE audit (
			seq    INTEGER NOT NULL PRIMARY KEY,
			at     TEXT    NOT NULL,
			actor  TEXT    NOT NULL,
			action TEXT    NOT NULL,
			region TEXT    NOT NULL,
			detail TEXT    NOT NULL
		)`,
	},
}, {
	version: 2,
	name:    "sign-in sessions shared by every server",
	sql: []string{
		`CREATE TABLE sessions (
			id_hash      TEXT    NOT NULL PRIMARY KEY,
			token_hash   TEXT    NOT NULL,
			csrf         TEXT    NOT NULL,
			created_at   TEXT    NOT NULL,
			expires      TEXT    NOT NULL,
			pending_name TEXT    NOT NULL,
			pending_plan {{blob}} NOT NULL
		)`,
	},
}}

// migrate creates the migrations table when missing and applies every
// migration newer than the database's version.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER NOT NULL PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL
	)`); err != nil {
		return fmt.Errorf("creating the migrations table: %w", err)
	}
	blob := "BLOB"
	if s.postgres {
		blob = "BYTEA"
	}
	for _, m := range migrations {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.query(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, q := range m.sql {
				if _, err := tx.ExecContext(ctx, strings.ReplaceAll(q, "{{blob}}", blob)); err != nil {
					return err
				}
			}
			// Another server starting at the same moment may apply the
			// same step: its insert then fails on the key, and inTx retries
			// and finds the step applied.
			_, err := tx.ExecContext(ctx, s.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.version, m.name, stamp(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("applying database migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// SchemaVersion is the newest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
