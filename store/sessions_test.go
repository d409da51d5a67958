package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hee-rdp/rdpcheck/store"
	"github.com/hee-rdp/rdpcheck/store/testdb"
)

// A session started through one connection is seen through another
// (as a second server would), keeps its checked plan, ends when signed
// out and is not found once expired.
func TestSessionsAreSharedAndEnd(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		a, b := open(t, url, dir), open(t, url, dir)
		ss := store.Session{IDHash: "id1", TokenHash: "tok", CSRF: "c1", Expires: time.Now().Add(time.Hour)}
		if err := a.StartSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		got, err := b.Session(ctx, "id1")
		if err != nil || got.TokenHash != "tok" || got.CSRF != "c1" {
			t.Fatalf("session on the second connection: %+v, %v", got, err)
		}
		if _, _, err := b.Pending(ctx, "id1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a new session has a pending plan: %v", err)
		}
		if err := a.SetPending(ctx, "id1", "plan.yaml", []byte("plan text")); err != nil {
			t.Fatal(err)
		}
		if name, plan, err := b.Pending(ctx, "id1"); err != nil || name != "plan.yaml" || string(plan) != "plan text" {
			t.Fatalf("pending plan: %q %q %v", name, plan, err)
		}
		if err := b.EndSession(ctx, "id1"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Session(ctx, "id1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an ended session is still live: %v", err)
		}
		if err := a.SetPending(ctx, "id1", "x.yaml", []byte("x")); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an ended session took a plan: %v", err)
		}
		old := store.Session{IDHash: "id2", TokenHash: "tok", CSRF: "c2", Expires: time.Now().Add(-time.Second)}
		if err := a.StartSession(ctx, old); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Session(ctx, "id2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("an expired session is live: %v", err)
		}
	})
}

// A session that expires on a whole second is over a fraction of a
// second later: expiries compare as times, not as trimmed text.
func TestSessionExpiryWithinASecond(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		s := open(t, url, dir)
		// The last whole second, a fraction of a second ago: as trimmed
		// RFC 3339 text, "…SSZ" sorts after the "…SS.fffZ" of now.
		whole := time.Now().Truncate(time.Second)
		if err := s.StartSession(ctx, store.Session{IDHash: "w", TokenHash: "tok", CSRF: "c", Expires: whole}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "w"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a session that expired at %s is live: %v", whole.Format(time.RFC3339Nano), err)
		}
	})
}
