package portal

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var signInField = regexp.MustCompile(`<form method="post" action="/signin"><input type="hidden" name="csrf" value="([0-9a-f]{64})">`)

// signInPage opens the sign-in page as a browser does and returns the
// form's CSRF token and the cookie that goes with it.
func signInPage(t *testing.T, c *http.Client, base string) (string, *http.Cookie) {
	t.Helper()
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := signInField.FindSubmatch(body)
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == signInCookie {
			cookie = ck
		}
	}
	if m == nil || cookie == nil {
		t.Fatalf("sign-in page without its CSRF token (form %v, cookie %v):\n%s", m != nil, cookie, body)
	}
	return string(m[1]), cookie
}

// postSignIn signs in with a token through the form, as a browser does:
// it opens the sign-in page, then posts the form with its CSRF token
// and cookie.
func postSignIn(t *testing.T, c *http.Client, base, token string) *http.Response {
	t.Helper()
	csrf, cookie := signInPage(t, c, base)
	req, _ := http.NewRequest(http.MethodPost, base+"/signin", strings.NewReader(url.Values{"token": {token}, "csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.Jar == nil {
		req.AddCookie(cookie)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// A sign-in POST without the form's CSRF token, with a token that does
// not match the cookie, or without the cookie is refused, however good
// the access token; the refusal shows a fresh form that works.
func TestSignInNeedsCSRFToken(t *testing.T) {
	ts, _ := portalOn(t, "", t.TempDir(), nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &http.Client{CheckRedirect: noRedirect}
	csrf, cookie := signInPage(t, c, ts.URL)
	other := strings.Repeat("ab", 32)
	for name, tc := range map[string]struct {
		csrf   string
		cookie *http.Cookie
	}{
		"no form token":        {"", cookie},
		"form token mismatch":  {other, cookie},
		"no cookie":            {csrf, nil},
		"cookie mismatch":      {csrf, &http.Cookie{Name: signInCookie, Value: other}},
		"malformed both alike": {"x", &http.Cookie{Name: signInCookie, Value: "x"}},
	} {
		form := url.Values{"token": {londonToken}}
		if tc.csrf != "" {
			form.Set("csrf", tc.csrf)
		}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tc.cookie != nil {
			req.AddCookie(tc.cookie)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, ck := range resp.Cookies() {
			if ck.Name == sessionCookie {
				t.Errorf("%s: a session cookie was set", name)
			}
		}
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "did not come from this site") || !signInField.Match(body) {
			t.Errorf("%s: %d\n%s", name, resp.StatusCode, body)
		}
	}
	// With both, the same client is signed in.
	resp := postSignIn(t, c, ts.URL, londonToken)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Set-Cookie"), sessionCookie+"=") {
		t.Fatalf("sign-in with the CSRF token: %d %q", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
}
