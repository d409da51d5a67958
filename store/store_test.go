package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hee-rdp/rdpcheck/store"
	"github.com/hee-rdp/rdpcheck/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func open(t *testing.T, url, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsAppliedOnceAndReopen(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		s := open(t, url, dir)
		if v, err := s.SchemaVersion(ctx); err != nil || v != 2 {
			t.Fatalf("schema version %d, %v; want 2", v, err)
		}
		if _, err := s.Submit(ctx, store.Submission{Region: "London", By: "london", FileName: "l.yaml", Format: "yaml", Status: "pass", Plan: []byte("a"), Report: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		// Reopening applies nothing twice and keeps the data.
		s2 := open(t, url, dir)
		vs, err := s2.Versions(ctx, "London")
		if err != nil || len(vs) != 1 {
			t.Fatalf("after reopening: %v, %v", vs, err)
		}
		if v, _ := s2.SchemaVersion(ctx); v != 2 {
			t.Fatalf("schema version %d after reopening", v)
		}
	})
}

func TestSubmissionsAreVersionedAndKept(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		s := open(t, url, dir)
		plan := []byte("region: London\n\x00binary\xff")
		for i := 1; i <= 3; i++ {
			sub, err := s.Submit(ctx, store.Submission{Region: "London", By: "London planning", FileName: "london.yaml", Format: "yaml",
				Status: "error", Errors: i, Warnings: 2, Plan: append(plan, byte(i)), Report: []byte(fmt.Sprintf(`{"n":%d}`, i))})
			if err != nil {
				t.Fatal(err)
			}
			if sub.Version != i || sub.At.IsZero() {
				t.Fatalf("submission %d got version %d at %v", i, sub.Version, sub.At)
			}
		}
		if _, err := s.Submit(ctx, store.Submission{Region: "Midlands", By: "m", FileName: "m.xlsx", Format: "xlsx", Status: "pass"}); err != nil {
			t.Fatal(err)
		}
		vs, err := s.Versions(ctx, "London")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 || vs[0].Version != 1 || vs[2].Version != 3 || vs[2].Errors != 3 || vs[1].Plan != nil {
			t.Fatalf("versions: %+v", vs)
		}
		got, err := s.Submission(ctx, "London", 2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Plan, append(plan, 2)) || string(got.Report) != `{"n":2}` || got.By != "London planning" {
			t.Fatalf("submission 2 not intact: %+v", got)
		}
		if _, err := s.Submission(ctx, "London", 9); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing version: %v", err)
		}
		latest, err := s.Latest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(latest) != 2 || latest[0].Region != "London" || latest[0].Version != 3 || latest[1].Region != "Midlands" {
			t.Fatalf("latest: %+v", latest)
		}
		ev, err := s.Audit(ctx, "London")
		if err != nil || len(ev) != 3 || ev[0].Action != "submit" || ev[0].Actor != "London planning" {
			t.Fatalf("audit: %+v %v", ev, err)
		}
	})
}

// Concurrent submissions for one region each get their own version:
// none is lost and no number is given twice.
func TestConcurrentSubmissionsGetDistinctVersions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		s := open(t, url, dir)
		const n = 24
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Submit(ctx, store.Submission{Region: "North West", By: fmt.Sprint("client ", i), FileName: "nw.json", Format: "json", Status: "pass"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		vs, err := s.Versions(ctx, "North West")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != n {
			t.Fatalf("%d versions stored, want %d", len(vs), n)
		}
		for i, v := range vs {
			if v.Version != i+1 {
				t.Fatalf("version %d at position %d", v.Version, i)
			}
		}
		if ev, _ := s.Audit(ctx, ""); len(ev) != n {
			t.Fatalf("%d audit events, want %d", len(ev), n)
		}
	})
}

func TestWaiversAreAddedAndEndedNeverDeleted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		s := open(t, url, dir)
		for _, bad := range []store.Waiver{
			{Rule: "RDP-BUD-002", ApprovedBy: "Head of QA", Expires: "2023-03-31", CreatedBy: "r"},                       // no justification
			{Rule: "RDP-BUD-002", Justification: "agreed", Expires: "2023-03-31", CreatedBy: "r"},                        // no approver
			{Rule: "RDP-BUD-002", Justification: "agreed", ApprovedBy: "Head of QA", CreatedBy: "r"},                     // no expiry
			{Rule: "RDP-BUD-002", Justification: "agreed", ApprovedBy: "Head of QA", Expires: "31/3/23", CreatedBy: "r"}, // bad date
		} {
			if _, err := s.AddWaiver(ctx, bad); err == nil {
				t.Errorf("waiver %+v accepted", bad)
			}
		}
		w, err := s.AddWaiver(ctx, store.Waiver{Rule: "RDP-BUD-002", Region: "Midlands", Justification: "top-up agreed", ApprovedBy: "Head of QA", Expires: "2023-03-31", CreatedBy: "reviewer"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EndWaiver(ctx, w.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		if err := s.EndWaiver(ctx, w.ID, "admin"); err == nil {
			t.Fatal("a waiver was ended twice")
		}
		if err := s.EndWaiver(ctx, 99, "admin"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ending a missing waiver: %v", err)
		}
		ws, err := s.Waivers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 1 || ws[0].EndedBy != "admin" || ws[0].EndedAt.IsZero() || ws[0].Justification != "top-up agreed" {
			t.Fatalf("waivers: %+v", ws)
		}
		ev, _ := s.Audit(ctx, "Midlands")
		if len(ev) != 2 || ev[0].Action != "waiver added" || ev[1].Action != "waiver ended" {
			t.Fatalf("audit: %+v", ev)
		}
	})
}

func TestOpenRefusesUnknownDatabase(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://user:secret@host/db", t.TempDir())
	if err == nil || bytes.Contains([]byte(err.Error()), []byte("secret")) {
		t.Fatalf("got %v; want a refusal that hides the password", err)
	}
}
