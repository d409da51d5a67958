package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a signed-in browser, kept in the database so that every
// server behind it knows the sign-in. Only the hash of the session id
// (the cookie's value) is stored, so reading the database does not
// give anyone a way in.
//
// Sessions are working state, not records: signing out sets the expiry
// to that moment, and sessions long expired are pruned. Who submitted
// or waived what stays in the append-only audit trail.
type Session struct {
	IDHash    string // hex SHA-256 of the session id
	TokenHash string // hex SHA-256 of the token signed in with (as the access file lists it)
	CSRF      string // the token every form of the session must carry
	Expires   time.Time
}

// sessionKeep is how long an expired session is kept before pruning.
const sessionKeep = 24 * time.Hour

// StartSession stores a new session and prunes those expired more than
// a day ago.
func (s *Store) StartSession(ctx context.Context, ss Session) error {
	if ss.IDHash == "" || ss.TokenHash == "" || ss.CSRF == "" {
		return errors.New("a session needs its id hash, token hash and CSRF token")
	}
	now := time.Now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.query(`DELETE FROM sessions WHERE expires < ?`), stamp(now.Add(-sessionKeep))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.query(`INSERT INTO sessions (id_hash, token_hash, csrf, created_at, expires, pending_name, pending_plan)
			VALUES (?, ?, ?, ?, ?, '', ?)`), ss.IDHash, ss.TokenHash, ss.CSRF, stamp(now), stamp(ss.Expires), []byte{})
		return err
	})
	if err != nil {
		return fmt.Errorf("starting a session: %w", err)
	}
	return nil
}

// Session returns the live session with the id hash; ErrNotFound when
// there is none or it has expired or been ended.
func (s *Store) Session(ctx context.Context, idHash string) (Session, error) {
	ss := Session{IDHash: idHash}
	var expires string
	err := s.db.QueryRowContext(ctx, s.query(`SELECT token_hash, csrf, expires FROM sessions WHERE id_hash = ? AND expires > ?`),
		idHash, stamp(time.Now())).Scan(&ss.TokenHash, &ss.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return ss, ErrNotFound
	} else if err != nil {
		return ss, fmt.Errorf("reading the session: %w", err)
	}
	ss.Expires = parseStamp(expires)
	return ss, nil
}

// EndSession ends a session now (signing out) by setting its expiry.
func (s *Store) EndSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, s.query(`UPDATE sessions SET expires = ? WHERE id_hash = ? AND expires > ?`),
		stamp(time.Now()), idHash, stamp(time.Now())); err != nil {
		return fmt.Errorf("ending the session: %w", err)
	}
	return nil
}

// SetPending keeps the plan last checked in a live session, for its
// downloads and its submission on whichever server they reach.
func (s *Store) SetPending(ctx context.Context, idHash, name string, plan []byte) error {
	if plan == nil {
		plan = []byte{}
	}
	res, err := s.db.ExecContext(ctx, s.query(`UPDATE sessions SET pending_name = ?, pending_plan = ? WHERE id_hash = ? AND expires > ?`),
		name, plan, idHash, stamp(time.Now()))
	if err != nil {
		return fmt.Errorf("keeping the checked plan: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}

// Pending returns the plan last checked in a live session; ErrNotFound
// when the session has none.
func (s *Store) Pending(ctx context.Context, idHash string) (name string, plan []byte, err error) {
	err = s.db.QueryRowContext(ctx, s.query(`SELECT pending_name, pending_plan FROM sessions WHERE id_hash = ? AND expires > ?`),
		idHash, stamp(time.Now())).Scan(&name, &plan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && name == "") {
		return "", nil, ErrNotFound
	} else if err != nil {
		return "", nil, fmt.Errorf("reading the checked plan: %w", err)
	}
	return name, plan, nil
}
