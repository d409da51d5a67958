// Package portal is rdpcheck serve: the web portal where regional teams
// check and submit their plans and reviewers see every region's latest
// submission, the national roll-up and the waivers.
//
// One compiled checker serves every request. Submissions, waivers and
// the audit trail live in the store (package store). Pages are plain
// HTML forms (html/template, no script); the same operations are a JSON
// API under /api/v1/ for Bearer tokens.
package portal

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hee-rdp/rdpcheck/checker"
	"github.com/hee-rdp/rdpcheck/store"
)

// Config configures a portal Server.
type Config struct {
	// Checker checks every plan; it is built once and shared.
	Checker *checker.Checker
	Store   *store.Store
	Access  *Access
	// MaxFileSize caps an upload (the checker's --max-file-size).
	MaxFileSize int64
	// RequestTimeout bounds one request; 0 means a minute.
	RequestTimeout time.Duration
	// MaxChecks is how many checks run at once; 0 means 4. A request
	// that waits longer than QueueWait (0 means 30 s) for a turn gets 503
	// with Retry-After.
	MaxChecks int
	QueueWait time.Duration
	// Version is the rdpcheck version, for the reports.
	Version string
	// Today fixes the date waivers expire against (tests); "" is today.
	Today string
}

// Server is the portal's HTTP handler.
type Server struct {
	cfg    Config
	mux    *http.ServeMux
	checks chan struct{}
}

// session is a signed-in browser, as the store keeps it (see
// store.Session). The last plan checked in it is kept there too, for
// its downloads and its submission.
type session struct {
	id     string // the hash of the session id
	person *Person
	csrf   string
}

// upload is a plan file as received.
type upload struct {
	name string
	data []byte
}

const (
	sessionCookie = "rdpcheck_session"
	sessionLife   = 12 * time.Hour
)

// New makes a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Checker == nil || cfg.Store == nil || cfg.Access == nil {
		return nil, errors.New("portal: a checker, a store and an access list are required")
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 8 << 20
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = time.Minute
	}
	if cfg.MaxChecks <= 0 {
		cfg.MaxChecks = 4
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = 30 * time.Second
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), checks: make(chan struct{}, cfg.MaxChecks)}
	s.routes()
	return s, nil
}

// ServeHTTP adds the security headers and the time limit, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
	defer cancel()
	s.mux.ServeHTTP(w, r.WithContext(ctx))
}

// acquire waits for a check slot; false means the server is busy and
// the caller has been answered 503.
func (s *Server) acquire(w http.ResponseWriter, r *http.Request) bool {
	t := time.NewTimer(s.cfg.QueueWait)
	defer t.Stop()
	select {
	case s.checks <- struct{}{}:
		return true
	case <-t.C:
	case <-r.Context().Done():
	}
	w.Header().Set("Retry-After", "2")
	s.fail(w, r, http.StatusServiceUnavailable, "The checker is busy with other plans. Please try again in a few seconds.")
	return false
}

func (s *Server) release() { <-s.checks }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failed
	}
	return hex.EncodeToString(b)
}

// signIn starts a session for p, in the store so that every server
// behind the database knows it, and sets its cookie. The cookie holds
// the session id; the store holds only its hash.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, p *Person) error {
	id := randomHex(32)
	err := s.cfg.Store.StartSession(r.Context(), store.Session{IDHash: HashToken(id), TokenHash: strings.ToLower(p.SHA256),
		CSRF: randomHex(32), Expires: time.Now().Add(sessionLife)})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: secure(r), MaxAge: int(sessionLife.Seconds())})
	return nil
}

// secure reports whether the browser reached the portal over TLS
// (directly or through a reverse proxy), when cookies are marked Secure.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// session returns the request's live session, or nil. A session whose
// token has since been taken out of the access file is not live.
func (s *Server) session(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	id := HashToken(c.Value)
	st, err := s.cfg.Store.Session(r.Context(), id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			log.Printf("rdpcheck serve: %v", err)
		}
		return nil
	}
	p := s.cfg.Access.byHash(st.TokenHash)
	if p == nil {
		return nil
	}
	return &session{id: id, person: p, csrf: st.CSRF}
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.cfg.Store.EndSession(r.Context(), HashToken(c.Value)); err != nil {
			log.Printf("rdpcheck serve: %v", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// page wraps a handler for signed-in browsers: it finds the session (or
// sends the browser to sign in) and, for POST, checks the CSRF token.
func (s *Server) page(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ss := s.session(r)
		if ss == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
			s.fail(w, r, http.StatusUnauthorized, "Your session has ended. Please sign in again.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxFileSize+64<<10)
			if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				s.uploadError(w, r, err)
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.FormValue("csrf")), []byte(ss.csrf)) != 1 {
				s.fail(w, r, http.StatusForbidden, "This form has expired or did not come from this site. Go back, reload the page and try again.")
				return
			}
		}
		h(w, r, ss)
	}
}

// api wraps a handler for API clients, who give their token as
// "Authorization: Bearer TOKEN".
func (s *Server) api(h func(http.ResponseWriter, *http.Request, *Person)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		p := s.cfg.Access.Find(strings.TrimSpace(token))
		if !ok || p == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rdpcheck"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "give a valid token as Authorization: Bearer TOKEN"})
			return
		}
		if r.Method == http.MethodPost { // the body is the plan itself
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxFileSize)
		}
		h(w, r, p)
	}
}

// uploadError answers an upload that could not be read: too large, or
// not a form.
func (s *Server) uploadError(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.fail(w, r, http.StatusRequestEntityTooLarge, "The file is larger than the "+sizeText(s.cfg.MaxFileSize)+" a plan may be. Check that you chose the plan itself (a workbook with pictures or other sheets pasted in can grow large).")
		return
	}
	s.fail(w, r, http.StatusBadRequest, "The upload could not be read: "+err.Error())
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// Seed submits every plan in dir, as "demo", when the store holds no
// submission yet; it returns how many it submitted.
func (s *Server) Seed(ctx context.Context, dir string) (int, error) {
	latest, err := s.cfg.Store.Latest(ctx)
	if err != nil || len(latest) > 0 {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("seed plans: %w", err)
	}
	admin := &Person{Role: RoleAdmin, Name: "demo"}
	n := 0
	for _, e := range entries {
		if e.IsDir() || planFormat(e.Name()) == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return n, err
		}
		if _, _, err := s.submit(ctx, admin, upload{name: cleanName(e.Name()), data: data}); err != nil {
			return n, fmt.Errorf("seed plan %s: %w", e.Name(), err)
		}
		n++
	}
	return n, nil
}
