package portal

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hee-rdp/rdpcheck/store/testdb"
)

// Two servers on one database share sign-ins: a browser signed in on
// one uses its cookie and CSRF token on the other, checks a plan on
// one and submits it on the other; signing out on one ends the session
// on both.
func TestSessionsSharedByServers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		one, _ := portalOn(t, dbURL, dir, nil)
		two, _ := portalOn(t, dbURL, dir, nil)
		mid := signIn(t, one, midlandsToken)
		code, page := mid.upload("budget-over-allocation.yaml", fixture(t, "invalid/budget-over-allocation.yaml"), mid.csrf)
		if code != http.StatusOK || !strings.Contains(page, "RDP-BUD-002") {
			t.Fatalf("check on the first server: %d", code)
		}
		mid.base = two.URL // the cookie jar sends the cookie to the second server's host, the same 127.0.0.1
		if code, page := mid.get("/check"); code != http.StatusOK || !strings.Contains(page, "Midlands planning") {
			t.Fatalf("the second server does not know the sign-in: %d\n%s", code, page)
		}
		if code, body := mid.get("/check/report/json"); code != http.StatusOK || !strings.Contains(body, "RDP-BUD-002") {
			t.Fatalf("the second server does not have the plan checked on the first: %d", code)
		}
		if code, page := mid.post("/submit", url.Values{"csrf": {mid.csrf}}); code != http.StatusOK || !strings.Contains(page, "Midlands version 1") {
			t.Fatalf("submitting on the second server: %d\n%s", code, page)
		}
		u, _ := url.Parse(one.URL)
		kept := mid.c.Jar.Cookies(u)
		if code, _ := mid.post("/signout", url.Values{"csrf": {mid.csrf}}); code != http.StatusOK {
			t.Fatalf("signing out on the second server: %d", code)
		}
		// The browser forgot the cookie; one who kept a copy finds it dead
		// on the first server too.
		if len(kept) == 0 {
			t.Fatal("no session cookie")
		}
		mid.c.Jar.SetCookies(u, kept)
		mid.base = one.URL
		if code, _ := mid.post("/submit", url.Values{"csrf": {mid.csrf}}); code != http.StatusUnauthorized {
			t.Fatalf("after signing out, the first server still takes the session: %d", code)
		}
	})
}
