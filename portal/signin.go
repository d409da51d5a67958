package portal

import (
	"crypto/subtle"
	"encoding/hex"
	"net/http"
)

// signInCookie carries the sign-in form's CSRF token. Before a session
// exists there is nothing on the server to tie a form to, so the form
// is protected by a double-submit token: the page sets a random value
// in this cookie and in the form, and a sign-in is accepted only when
// both arrive and match. Another site can make a browser post the form
// but can neither read nor set the cookie (HttpOnly, SameSite=Strict),
// so it cannot sign a browser in to an account of its choosing. The
// check needs no server state, so it works on every server behind one
// database.
const signInCookie = "rdpcheck_signin"

// signInForm is what the sign-in page template gets.
type signInForm struct {
	Problem string
	CSRF    string
}

// showSignIn shows the sign-in page with a problem (or none), reusing
// the browser's sign-in token when it has one and setting one when not.
func (s *Server) showSignIn(w http.ResponseWriter, r *http.Request, code int, problem string) {
	token := ""
	if c, err := r.Cookie(signInCookie); err == nil && wellFormedToken(c.Value) {
		token = c.Value
	} else {
		token = randomHex(32)
		http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(r)})
	}
	s.show(w, r, nil, code, "signin.tmpl", "Sign in", signInForm{Problem: problem, CSRF: token})
}

// signInFormValid reports whether a sign-in POST carries the same
// well-formed token in its form and its cookie.
func signInFormValid(r *http.Request) bool {
	c, err := r.Cookie(signInCookie)
	if err != nil || !wellFormedToken(c.Value) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(c.Value)) == 1
}

// wellFormedToken reports whether v is a token randomHex(32) makes.
func wellFormedToken(v string) bool {
	if len(v) != 64 {
		return false
	}
	_, err := hex.DecodeString(v)
	return err == nil
}
