package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/checker/document"
	"github.com/hee-rdp/rdpcheck/planfile"
	"github.com/hee-rdp/rdpcheck/store"
	"github.com/hee-rdp/rdpcheck/store/testdb"
	"github.com/hee-rdp/rdpcheck/workbook"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var (
	chkOnce sync.Once
	chk     *checker.Checker
	chkErr  error
)

// sharedChecker is compiled once for the whole test binary, as the
// server compiles it once for all requests.
func sharedChecker(t *testing.T) *checker.Checker {
	chkOnce.Do(func() { chk, chkErr = checker.New(context.Background(), checker.Options{Workers: 1}) })
	if chkErr != nil {
		t.Fatal(chkErr)
	}
	return chk
}

// Tokens of the test access list.
const (
	londonToken   = "rdp_london-test-token"
	midlandsToken = "rdp_midlands-test-token"
	reviewerToken = "rdp_reviewer-test-token"
)

func testAccess() *Access {
	return &Access{People: []Person{
		{SHA256: HashToken(londonToken), Role: RoleRegion, Region: "London", Name: "London planning"},
		{SHA256: HashToken(midlandsToken), Role: RoleRegion, Region: "Midlands", Name: "Midlands planning"},
		{SHA256: HashToken(reviewerToken), Role: RoleReviewer, Name: "QA reviewer"},
	}}
}

// fixture is a plan file of the repository.
func fixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile("../fixtures/plans/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// portalOn starts a portal on a real database and returns its test server.
func portalOn(t *testing.T, dbURL, dir string, tweak func(*Config)) (*httptest.Server, *Server) {
	t.Helper()
	st, err := store.Open(context.Background(), dbURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := Config{Checker: sharedChecker(t), Store: st, Access: testAccess(), MaxFileSize: 1 << 20, Today: "2022-06-01"}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, s
}

// browser is a signed-in client that follows the forms like a browser.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func signIn(t *testing.T, ts *httptest.Server, token string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: ts.URL, c: &http.Client{Jar: jar}}
	resp := postSignIn(t, b.c, ts.URL, token)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("signing in: %d\n%s", resp.StatusCode, body)
	}
	b.csrf = string(m[1])
	return b
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// upload posts a plan through the check form.
func (b *browser) upload(name string, data []byte, csrf string) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile("plan", name)
	fw.Write(data)
	mw.Close()
	resp, err := b.c.Post(b.base+"/check", mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func apiCall(t *testing.T, method, u, token string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// A region uploads an invalid plan, sees its findings by objective,
// submits it, then a fixed one; its page shows both versions and the diff.
// A reviewer sees the region in the matrix.
func TestCheckSubmitAndReview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		ts, _ := portalOn(t, dbURL, dir, nil)
		mid := signIn(t, ts, midlandsToken)
		code, page := mid.upload("budget-over-allocation.yaml", fixture(t, "invalid/budget-over-allocation.yaml"), mid.csrf)
		if code != http.StatusOK || !strings.Contains(page, "RDP-BUD-002") || !strings.Contains(page, `id="plan"`) || !strings.Contains(page, "over the allocation of £975.0m by £5.423m") {
			t.Fatalf("check page: %d\n%s", code, page)
		}
		for _, f := range downloadFormats {
			code, body := mid.get("/check/report/" + f)
			if code != http.StatusOK || !strings.Contains(body, "RDP-BUD-002") {
				t.Errorf("download %s: %d", f, code)
			}
			// The html report quotes the plan around the finding, read
			// from the upload (report.Options.ReadSource), not a file.
			if f == "html" && !strings.Contains(body, "declared_total: 980.423") {
				t.Errorf("the html download has no excerpt of the plan")
			}
		}
		if code, _ := mid.post("/submit", url.Values{"csrf": {"forged"}}); code != http.StatusForbidden {
			t.Fatalf("submit with a forged CSRF token: %d", code)
		}
		if code, page := mid.post("/submit", url.Values{"csrf": {mid.csrf}}); code != http.StatusOK || !strings.Contains(page, "Midlands version 1") {
			t.Fatalf("submit: %d\n%s", code, page)
		}
		// The fixed plan is version 2: the budget finding is resolved.
		mid.upload("midlands.yaml", fixture(t, "valid/midlands.yaml"), mid.csrf)
		if code, _ := mid.post("/submit", url.Values{"csrf": {mid.csrf}}); code != http.StatusOK {
			t.Fatalf("second submit: %d", code)
		}
		code, page = mid.get("/region/Midlands")
		if code != http.StatusOK || !strings.Contains(page, "0 new, 1 resolved, 0 unchanged") || !strings.Contains(page, "Midlands planning") ||
			!strings.Contains(page, `id="audit"`) || !strings.Contains(page, "version 2, midlands.yaml: pass") {
			t.Fatalf("region page: %d\n%s", code, page)
		}
		if code, body := mid.get("/region/Midlands/1/report/json"); code != http.StatusOK || !json.Valid([]byte(body)) || !strings.Contains(body, "RDP-BUD-002") {
			t.Fatalf("stored json report: %d", code)
		}
		rev := signIn(t, ts, reviewerToken)
		code, page = rev.get("/review")
		if code != http.StatusOK || !strings.Contains(page, `data-region="Midlands" data-objective="plan"`) || !strings.Contains(page, `/region/Midlands/2#plan`) {
			t.Fatalf("review page: %d\n%s", code, page)
		}
		// The national roll-up has the html report's charts, styled by the
		// report's rules, served as a stylesheet the CSP allows.
		for _, chart := range []string{`<svg class="chart" id="chart-commitments"`, `<svg class="chart" id="chart-budget"`, `<svg class="chart" id="chart-metip-0"`} {
			if !strings.Contains(page, chart) {
				t.Errorf("the dashboard lacks the chart %s", chart)
			}
		}
		if !strings.Contains(page, `<link rel="stylesheet" href="/static/national.css">`) {
			t.Error("the dashboard does not link the national stylesheet")
		}
		resp, css := apiCall(t, "GET", ts.URL+"/static/national.css", "", nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(string(css), "svg.chart .bar-region {") {
			t.Errorf("national stylesheet: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), css)
		}
	})
}

// A region's token reads and submits only its own region; the others
// answer 404 or 403, on the pages and the API.
func TestAccessRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		ts, _ := portalOn(t, dbURL, dir, nil)
		london := fixture(t, "valid/london.yaml")
		resp, body := apiCall(t, "POST", ts.URL+"/api/v1/submit?name=london.yaml", londonToken, london)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("London submits London: %d %s", resp.StatusCode, body)
		}
		// Midlands may not submit, read or list London.
		if resp, body := apiCall(t, "POST", ts.URL+"/api/v1/submit?name=london.yaml", midlandsToken, london); resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "signed in for Midlands") {
			t.Errorf("Midlands submits London's plan: %d %s", resp.StatusCode, body)
		}
		for _, p := range []string{"/api/v1/regions/London/versions", "/api/v1/regions/London/versions/1", "/api/v1/regions/London/versions/1/plan"} {
			if resp, _ := apiCall(t, "GET", ts.URL+p, midlandsToken, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("Midlands GET %s: %d", p, resp.StatusCode)
			}
			if resp, _ := apiCall(t, "GET", ts.URL+p, reviewerToken, nil); resp.StatusCode != http.StatusOK {
				t.Errorf("reviewer GET %s: %d", p, resp.StatusCode)
			}
			if resp, _ := apiCall(t, "GET", ts.URL+p, "", nil); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("no token GET %s: %d", p, resp.StatusCode)
			}
		}
		if resp, body := apiCall(t, "GET", ts.URL+"/api/v1/regions/London/versions/1/plan", londonToken, nil); resp.StatusCode != http.StatusOK || !bytes.Equal(body, london) {
			t.Errorf("London reads back its plan: %d, intact %v", resp.StatusCode, bytes.Equal(body, london))
		}
		if resp, _ := apiCall(t, "GET", ts.URL+"/api/v1/rollup", midlandsToken, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("Midlands reads the roll-up: %d", resp.StatusCode)
		}
		if resp, _ := apiCall(t, "POST", ts.URL+"/api/v1/submit?name=london.yaml", reviewerToken, london); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a reviewer submits: %d", resp.StatusCode)
		}
		if resp, _ := apiCall(t, "GET", ts.URL+"/api/v1/rules", "rdp_not-a-token", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("unknown token: %d", resp.StatusCode)
		}
		mid := signIn(t, ts, midlandsToken)
		for p, want := range map[string]int{"/region/London": 404, "/region/London/1": 404, "/region/London/1/report/html": 404, "/review": 403, "/region/Midlands": 200} {
			if code, _ := mid.get(p); code != want {
				t.Errorf("Midlands page %s: %d, want %d", p, code, want)
			}
		}
		if code, _ := mid.post("/waivers", url.Values{"csrf": {mid.csrf}, "rule": {"RDP-BUD-002"}, "justification": {"x"}, "approved_by": {"y"}, "expires": {"2030-01-01"}}); code != http.StatusForbidden {
			t.Errorf("a region adds a waiver: %d", code)
		}
		// Signed out, pages send the browser to sign in.
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Get(ts.URL + "/region/London")
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %v %v", resp.StatusCode, err)
		}
	})
}

// Waivers need a justification, an approver and an expiry; a waiver in
// force marks later checks' findings waived, and an ended one does not.
func TestWaiversForm(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		ts, s := portalOn(t, dbURL, dir, nil)
		rev := signIn(t, ts, reviewerToken)
		form := url.Values{"csrf": {rev.csrf}, "rule": {"RDP-BUD-002"}, "region": {"Midlands"}, "approved_by": {"Head of QA"}, "expires": {"2023-03-31"}}
		if code, page := rev.post("/waivers", form); code != http.StatusUnprocessableEntity || !strings.Contains(page, "justification") {
			t.Fatalf("waiver without justification: %d", code)
		}
		form.Set("justification", "In-year top-up agreed with national finance.")
		if code, page := rev.post("/waivers", form); code != http.StatusOK || !strings.Contains(page, "In-year top-up agreed") {
			t.Fatalf("waiver: %d\n%s", code, page)
		}
		plan := fixture(t, "invalid/budget-over-allocation.yaml")
		resp, body := apiCall(t, "POST", ts.URL+"/api/v1/check?name=m.yaml", midlandsToken, plan)
		var r checker.Report
		if err := json.Unmarshal(body, &r); err != nil || resp.StatusCode != 200 {
			t.Fatalf("check: %d %v", resp.StatusCode, err)
		}
		if r.Summary.Waived != 1 || r.Summary.Errors != 0 {
			t.Fatalf("with the waiver: %+v", r.Summary)
		}
		if code, _ := rev.post("/waivers/1/end", url.Values{"csrf": {rev.csrf}}); code != http.StatusOK {
			t.Fatalf("ending the waiver: %d", code)
		}
		_, body = apiCall(t, "POST", ts.URL+"/api/v1/check?name=m.yaml", midlandsToken, plan)
		json.Unmarshal(body, &r)
		if r.Summary.Waived != 0 || r.Summary.Errors != 1 {
			t.Fatalf("after ending the waiver: %+v", r.Summary)
		}
		ev, _ := s.cfg.Store.Audit(context.Background(), "Midlands")
		if len(ev) != 2 || ev[0].Actor != "QA reviewer" || ev[1].Action != "waiver ended" {
			t.Fatalf("audit: %+v", ev)
		}
	})
}

// Limits and hostile input: the size cap, a busy checker, plan text
// shown escaped, a bad upload explained, and the security headers.
func TestLimitsAndHostileInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		ts, s := portalOn(t, dbURL, dir, func(c *Config) { c.MaxFileSize = 64 << 10; c.MaxChecks = 1; c.QueueWait = 50e6 })
		big := bytes.Repeat([]byte("#"), 70<<10)
		if resp, _ := apiCall(t, "POST", ts.URL+"/api/v1/check?name=big.yaml", londonToken, big); resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("over the cap: %d", resp.StatusCode)
		}
		b := signIn(t, ts, londonToken)
		if code, page := b.upload("big.yaml", big, b.csrf); code != http.StatusRequestEntityTooLarge || !strings.Contains(page, "64 KiB") {
			t.Errorf("page over the cap: %d", code)
		}
		if code, page := b.upload("plan.docx", []byte("x"), b.csrf); code != http.StatusUnprocessableEntity || !strings.Contains(page, ".xlsx") {
			t.Errorf("a .docx upload: %d\n%s", code, page)
		}
		hostile := bytes.Replace(fixture(t, "valid/london.yaml"), []byte("region: London"), []byte(`region: "<script>alert(1)</script>"`), 1)
		code, page := b.upload("x.yaml", hostile, b.csrf)
		if code != http.StatusOK || strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;") {
			t.Errorf("plan text not escaped: %d\n%s", code, page)
		}
		// A zip bomb posing as a workbook gets a clear message, not a crash.
		if code, page := b.upload("bomb.xlsx", []byte("PK\x03\x04 not really a workbook"), b.csrf); code != http.StatusOK || !strings.Contains(page, "could not be checked") {
			t.Errorf("bad workbook: %d\n%s", code, page)
		}
		// Every check slot taken: 503 with Retry-After.
		s.checks <- struct{}{}
		resp, _ := apiCall(t, "POST", ts.URL+"/api/v1/check?name=l.yaml", londonToken, fixture(t, "valid/london.yaml"))
		<-s.checks
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("busy: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		resp, _ = apiCall(t, "GET", ts.URL+"/", "", nil)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("security headers: %v", resp.Header)
		}
		resp, body := apiCall(t, "GET", ts.URL+"/api/v1/openapi.json", "", nil)
		if resp.StatusCode != 200 || !json.Valid(body) {
			t.Errorf("openapi: %d", resp.StatusCode)
		}
		if resp, _ := apiCall(t, "GET", ts.URL+"/healthz", "", nil); resp.StatusCode != 200 {
			t.Errorf("healthz: %d", resp.StatusCode)
		}
	})
}

func TestSessionCookie(t *testing.T) {
	ts, _ := portalOn(t, "", t.TempDir(), nil)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp := postSignIn(t, c, ts.URL, londonToken)
	resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("Secure cookie over plain HTTP: %q", cookie)
	}
	resp = postSignIn(t, c, ts.URL, "wrong")
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("wrong token: %d %q", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
}

// A plan uploaded as an Excel workbook is checked and submitted like
// YAML, and its findings name sheet and cell.
func TestWorkbookUpload(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dbURL, dir string) {
		ts, _ := portalOn(t, dbURL, dir, nil)
		plan, err := planfile.Read("../fixtures/plans/invalid/budget-over-allocation.yaml", document.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		var xlsx bytes.Buffer
		if err := workbook.Write(&xlsx, plan); err != nil {
			t.Fatal(err)
		}
		b := signIn(t, ts, midlandsToken)
		code, page := b.upload("midlands.xlsx", xlsx.Bytes(), b.csrf)
		if code != http.StatusOK || !strings.Contains(page, "RDP-BUD-002") || !regexp.MustCompile(`Budget totals!B\d+`).MatchString(page) {
			t.Fatalf("workbook check: %d\n%s", code, page)
		}
		if code, page := b.post("/submit", url.Values{"csrf": {b.csrf}}); code != http.StatusOK || !strings.Contains(page, "midlands.xlsx") {
			t.Fatalf("workbook submit: %d", code)
		}
		resp, body := apiCall(t, "GET", ts.URL+"/api/v1/regions/Midlands/versions/1/plan", midlandsToken, nil)
		if resp.StatusCode != 200 || !bytes.Equal(body, xlsx.Bytes()) {
			t.Fatalf("the stored workbook is not the one uploaded")
		}
	})
}

// Over TLS the session cookie is marked Secure.
func TestSessionCookieSecureOverTLS(t *testing.T) {
	_, s := portalOn(t, "", t.TempDir(), nil)
	ts := httptest.NewTLSServer(s)
	defer ts.Close()
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp := postSignIn(t, c, ts.URL, reviewerToken)
	resp.Body.Close()
	if cookie := resp.Header.Get("Set-Cookie"); !strings.Contains(cookie, "Secure") || !strings.Contains(cookie, "HttpOnly") {
		t.Fatalf("session cookie over TLS: %q", cookie)
	}
}
