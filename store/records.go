package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Submission is one version of a region's plan as submitted: the file
// as uploaded and the JSON report the checker made of it.
type Submission struct {
	Region   string
	Version  int
	By       string    // the name of the token that submitted it
	At       time.Time // when it was committed (UTC)
	FileName string
	Format   string // yaml, json or xlsx
	// Status is the plan's worst unwaived finding: pass, info, warning,
	// error, or unchecked when the plan could not be checked.
	Status                  string
	Errors, Warnings, Infos int
	Plan                    []byte // the uploaded file; nil in listings
	Report                  []byte // the JSON report; nil in listings
}

// ErrNotFound is returned for a submission or waiver that does not exist.
var ErrNotFound = errors.New("not found")

// Submit stores s as its region's next version and records it in the
// audit trail, in one transaction. It returns s with Version and At set
// once the transaction is committed.
func (s *Store) Submit(ctx context.Context, sub Submission) (Submission, error) {
	if sub.Region == "" || sub.By == "" {
		return sub, errors.New("a submission needs a region and who submitted it")
	}
	if sub.Plan == nil {
		sub.Plan = []byte{}
	}
	if sub.Report == nil {
		sub.Report = []byte{}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		v, err := s.nextNumber(ctx, tx, `SELECT COALESCE(MAX(version), 0) FROM submissions WHERE region = ?`, sub.Region)
		if err != nil {
			return err
		}
		sub.Version, sub.At = int(v), time.Now().UTC()
		if _, err := tx.ExecContext(ctx, s.query(`INSERT INTO submissions
			(region, version, submitted_by, submitted_at, file_name, format, status, errors, warnings, infos, plan, report)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			sub.Region, sub.Version, sub.By, stamp(sub.At), sub.FileName, sub.Format, sub.Status,
			sub.Errors, sub.Warnings, sub.Infos, sub.Plan, sub.Report); err != nil {
			return err
		}
		return s.audit(ctx, tx, sub.At, sub.By, "submit", sub.Region,
			fmt.Sprintf("version %d, %s: %s (%d errors, %d warnings)", sub.Version, sub.FileName, sub.Status, sub.Errors, sub.Warnings))
	})
	if err != nil {
		return sub, fmt.Errorf("storing the submission: %w", err)
	}
	return sub, nil
}

const submissionColumns = `region, version, submitted_by, submitted_at, file_name, format, status, errors, warnings, infos`

func scanSubmission(row interface{ Scan(...any) error }, full bool) (Submission, error) {
	var sub Submission
	var at string
	dest := []any{&sub.Region, &sub.Version, &sub.By, &at, &sub.FileName, &sub.Format, &sub.Status, &sub.Errors, &sub.Warnings, &sub.Infos}
	if full {
		dest = append(dest, &sub.Plan, &sub.Report)
	}
	if err := row.Scan(dest...); err != nil {
		return sub, err
	}
	sub.At = parseStamp(at)
	return sub, nil
}

// Versions lists a region's submissions, oldest first, without their
// plan and report bytes.
func (s *Store) Versions(ctx context.Context, region string) ([]Submission, error) {
	rows, err := s.db.QueryContext(ctx, s.query(`SELECT `+submissionColumns+` FROM submissions WHERE region = ? ORDER BY version`), region)
	if err != nil {
		return nil, fmt.Errorf("listing %s's submissions: %w", region, err)
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		sub, err := scanSubmission(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Submission returns one version of a region's plan with its plan and
// report bytes, or ErrNotFound.
func (s *Store) Submission(ctx context.Context, region string, version int) (Submission, error) {
	row := s.db.QueryRowContext(ctx, s.query(`SELECT `+submissionColumns+`, plan, report FROM submissions WHERE region = ? AND version = ?`), region, version)
	sub, err := scanSubmission(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, ErrNotFound
	}
	return sub, err
}

// Latest returns the latest version of every region that has submitted,
// with plan and report bytes, sorted by region.
func (s *Store) Latest(ctx context.Context) ([]Submission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+submissionColumns+`, plan, report FROM submissions s
		WHERE version = (SELECT MAX(version) FROM submissions t WHERE t.region = s.region) ORDER BY region`)
	if err != nil {
		return nil, fmt.Errorf("listing the latest submissions: %w", err)
	}
	defer rows.Close()
	var out []Submission
	for rows.Next() {
		sub, err := scanSubmission(rows, true)
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Waiver is a reviewer's acceptance of findings, as stored. Its fields
// mirror a waivers file entry (see checker.Waiver).
type Waiver struct {
	ID                                 int64
	Rule, Region, Objective, Path      string
	Justification, ApprovedBy, Expires string
	CreatedBy                          string
	CreatedAt                          time.Time
	// EndedBy and EndedAt are set once the waiver has been ended early.
	EndedBy string
	EndedAt time.Time
}

// AddWaiver stores a waiver and its audit event in one transaction and
// returns it with its id.
func (s *Store) AddWaiver(ctx context.Context, w Waiver) (Waiver, error) {
	if w.Rule == "" || w.Justification == "" || w.ApprovedBy == "" || w.Expires == "" || w.CreatedBy == "" {
		return w, errors.New("a waiver needs a rule, a justification, an approver and an expiry date")
	}
	if _, err := time.Parse(time.DateOnly, w.Expires); err != nil {
		return w, fmt.Errorf("expiry date %q: write it as YYYY-MM-DD", w.Expires)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := s.nextNumber(ctx, tx, `SELECT COALESCE(MAX(id), 0) FROM waivers`)
		if err != nil {
			return err
		}
		w.ID, w.CreatedAt = id, time.Now().UTC()
		if _, err := tx.ExecContext(ctx, s.query(`INSERT INTO waivers
			(id, rule, region, objective, path, justification, approved_by, expires, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			w.ID, w.Rule, w.Region, w.Objective, w.Path, w.Justification, w.ApprovedBy, w.Expires, w.CreatedBy, stamp(w.CreatedAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, w.CreatedAt, w.CreatedBy, "waiver added", w.Region,
			fmt.Sprintf("waiver %d: %s until %s, approved by %s", w.ID, w.Rule, w.Expires, w.ApprovedBy))
	})
	if err != nil {
		return w, fmt.Errorf("storing the waiver: %w", err)
	}
	return w, nil
}

// EndWaiver records that a waiver stops applying now; the waiver itself
// stays on record. Ending a waiver twice is an error.
func (s *Store) EndWaiver(ctx context.Context, id int64, by string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var region, rule string
		err := tx.QueryRowContext(ctx, s.query(`SELECT region, rule FROM waivers WHERE id = ?`), id).Scan(&region, &rule)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		now := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, s.query(`INSERT INTO waiver_ends (waiver_id, ended_by, ended_at) VALUES (?, ?, ?)`), id, by, stamp(now)); err != nil {
			if duplicate(err) {
				return fmt.Errorf("waiver %d has already been ended", id)
			}
			return err
		}
		return s.audit(ctx, tx, now, by, "waiver ended", region, fmt.Sprintf("waiver %d: %s", id, rule))
	})
}

// Waivers lists every waiver, oldest first, with its end when it has one.
func (s *Store) Waivers(ctx context.Context) ([]Waiver, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT w.id, w.rule, w.region, w.objective, w.path, w.justification, w.approved_by,
		w.expires, w.created_by, w.created_at, COALESCE(e.ended_by, ''), COALESCE(e.ended_at, '')
		FROM waivers w LEFT JOIN waiver_ends e ON e.waiver_id = w.id ORDER BY w.id`)
	if err != nil {
		return nil, fmt.Errorf("listing the waivers: %w", err)
	}
	defer rows.Close()
	var out []Waiver
	for rows.Next() {
		var w Waiver
		var created, ended string
		if err := rows.Scan(&w.ID, &w.Rule, &w.Region, &w.Objective, &w.Path, &w.Justification, &w.ApprovedBy,
			&w.Expires, &w.CreatedBy, &created, &w.EndedBy, &ended); err != nil {
			return nil, err
		}
		w.CreatedAt = parseStamp(created)
		if ended != "" {
			w.EndedAt = parseStamp(ended)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Event is one entry of the audit trail.
type Event struct {
	Seq    int64
	At     time.Time
	Actor  string // the name of the token
	Action string // submit, waiver added, waiver ended
	Region string
	Detail string
}

// audit appends an event inside tx.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, region, detail string) error {
	seq, err := s.nextNumber(ctx, tx, `SELECT COALESCE(MAX(seq), 0) FROM audit`)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.query(`INSERT INTO audit (seq, at, actor, action, region, detail) VALUES (?, ?, ?, ?, ?, ?)`),
		seq, stamp(at), actor, action, region, detail)
	return err
}

// Audit lists the audit trail, oldest first; a region other than ""
// keeps only that region's events.
func (s *Store) Audit(ctx context.Context, region string) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, s.query(`SELECT seq, at, actor, action, region, detail FROM audit
		WHERE ? = '' OR region = ? ORDER BY seq`), region, region)
	if err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Region, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseStamp(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
