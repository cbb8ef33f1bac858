package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
)

// Accounts over HTTP: sign in with a password, a session cookie, sign out,
// accept an invite (or the first admin's setup link), and the rules every
// trainer endpoint checks before it runs.

const (
	// sessionCookie holds a signed-in browser's session token.
	sessionCookie = "roleplay_session"
	// sessionLife is how long a session lasts from sign-in.
	sessionLife = 7 * 24 * time.Hour
	// inviteLife is how long an invite link may be used.
	inviteLife = 7 * 24 * time.Hour
	// setupLife is how long the first admin's setup link may be used; a
	// server restarted with still no users prints a new one.
	setupLife = 24 * time.Hour
	// maxBody bounds a JSON request body.
	maxBody = 64 << 10
)

// Login rate limits, token buckets: an account gets loginBurst tries and
// one more every loginEvery; an address (which several people may share
// behind one NAT) gets four times as many.
const (
	loginBurst   = 5
	loginEvery   = 30 * time.Second
	ipLoginBurst = 4 * loginBurst
	ipLoginEvery = loginEvery / 4
	// limiterCap bounds the remembered buckets; beyond it the idle ones go.
	limiterCap = 10_000
)

// A limiter is a token bucket per key (an account, an address).
type limiter struct {
	mu      sync.Mutex
	burst   float64
	rate    float64 // tokens a second
	buckets map[string]*bucket
}

func newLimiter(burst int, every time.Duration) *limiter {
	return &limiter{burst: float64(burst), rate: 1 / every.Seconds(), buckets: map[string]*bucket{}}
}

// allow spends a try of key at now and reports whether there was one.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= limiterCap {
			l.prune(now)
		}
		b = newBucket(l.rate, l.burst, now)
		l.buckets[key] = b
	}
	return b.allow(now)
}

// prune forgets the buckets that have refilled: they are as new ones.
func (l *limiter) prune(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
}

// accounts is the server's state for accounts.
type accounts struct {
	once    sync.Once
	byName  *limiter
	byAddr  *limiter
	secure  bool // cookies are Secure even on plain HTTP (TLS ends at a proxy)
	setupMu sync.Mutex
}

func (s *Server) acct() *accounts {
	s.accounts.once.Do(func() {
		s.accounts.byName = newLimiter(loginBurst, loginEvery)
		s.accounts.byAddr = newLimiter(ipLoginBurst, ipLoginEvery)
	})
	return &s.accounts
}

// viewer returns the signed-in user of r, or nil. A store failure is an error.
func (s *Server) viewer(r *http.Request) (*sim.User, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" || len(ck.Value) > 100 {
		return nil, nil
	}
	t, err := s.store.Token(r.Context(), auth.HashToken(ck.Value))
	switch {
	case sim.ErrorCodeOf(err) == sim.ENotFound:
		return nil, nil
	case err != nil:
		return nil, err
	case t.Kind != sim.SessionToken || !t.Valid(s.now()):
		return nil, nil
	}
	u, err := s.store.User(r.Context(), t.User)
	switch {
	case sim.ErrorCodeOf(err) == sim.ENotFound:
		return nil, nil
	case err != nil:
		return nil, err
	case u.Disabled:
		return nil, nil
	}
	return u, nil
}

// A userHandler serves a request of a signed-in user.
type userHandler func(w http.ResponseWriter, r *http.Request, u *sim.User)

// need serves h to signed-in users of the given roles (any role when none
// are given): 401 for a visitor who is not signed in, 403 for a role that
// may not.
func (s *Server) need(h userHandler, roles ...sim.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.viewer(r)
		if err != nil {
			s.apiError(w, "", err)
			return
		}
		if u == nil {
			writeError(w, http.StatusUnauthorized, "sign in first")
			return
		}
		if len(roles) > 0 && !slices.Contains(roles, u.Role) {
			writeError(w, http.StatusForbidden, "your role may not do this")
			return
		}
		h(w, r, u)
	}
}

// me is a user as the API shows them.
type me struct {
	Name     string   `json:"name"`
	Role     sim.Role `json:"role"`
	Teams    []string `json:"teams"`
	Disabled bool     `json:"disabled,omitempty"`
	// Invited is set while the user has no password yet.
	Invited bool `json:"invited,omitempty"`
}

func meOf(u *sim.User) me {
	teams := u.Teams
	if teams == nil {
		teams = []string{}
	}
	return me{Name: u.Name, Role: u.Role, Teams: teams, Disabled: u.Disabled, Invited: u.PasswordHash == ""}
}

// whoAmI answers GET /api/me: the signed-in user (null for a visitor),
// whether visitors may practise, and whether the first admin is still to
// be made.
func (s *Server) whoAmI(w http.ResponseWriter, r *http.Request) {
	u, err := s.viewer(r)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	set, err := s.store.Settings(r.Context())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	n, err := s.store.CountUsers(r.Context())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	out := struct {
		User              *me  `json:"user"`
		AnonymousPractice bool `json:"anonymous_practice"`
		Setup             bool `json:"setup"`
	}{AnonymousPractice: set.AnonymousPractice, Setup: n == 0}
	if u != nil {
		m := meOf(u)
		out.User = &m
	}
	writeJSON(w, http.StatusOK, out)
}

// login answers POST /api/login {"name","password"}.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	ok, err := s.loginTry(r.Context(), clientAddr(r), in.Name)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(loginEvery.Seconds())))
		writeError(w, http.StatusTooManyRequests, "too many sign-in attempts; wait a minute and try again")
		return
	}
	u, err := s.store.User(r.Context(), in.Name)
	switch {
	case sim.ErrorCodeOf(err) == sim.ENotFound:
		auth.CheckNoPassword(in.Password)
		u = nil
	case err != nil:
		s.apiError(w, "", err)
		return
	}
	if u == nil || u.Disabled || !auth.CheckPassword(u.PasswordHash, in.Password) {
		s.log.Info("sign-in refused", "name", in.Name, "remote", r.RemoteAddr)
		writeError(w, http.StatusUnauthorized, "the name or the password is wrong")
		return
	}
	if !s.signIn(w, r, u) {
		return
	}
	writeJSON(w, http.StatusOK, meOf(u))
}

// loginTry spends a sign-in try of the address and one of the account,
// and reports whether both had one. Both buckets are spent, so a guesser
// on many accounts is held back by the address and one on many addresses
// by the account. A store that keeps tries for every server on it
// (sim.LoginThrottle: PostgreSQL) holds them; otherwise this server does.
func (s *Server) loginTry(ctx context.Context, addr, name string) (bool, error) {
	now := s.now()
	if t, ok := s.store.(sim.LoginThrottle); ok {
		okAddr, err := t.TakeLoginTry(ctx, "addr:"+addr, now, ipLoginBurst, ipLoginEvery)
		if err != nil {
			return false, err
		}
		okName, err := t.TakeLoginTry(ctx, nameKey(name), now, loginBurst, loginEvery)
		return okAddr && okName, err
	}
	a := s.acct()
	okAddr := a.byAddr.allow(addr, now)
	okName := a.byName.allow(name, now)
	return okAddr && okName, nil
}

// nameKey is the key of a sign-in name's tries in a store: a hash, since
// the name is whatever was typed (any length, any bytes) and the store
// should keep no names of failed sign-ins.
func nameKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return "name:" + hex.EncodeToString(sum[:16])
}

// signIn starts a session for u and sets its cookie.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, u *sim.User) bool {
	value, hash, err := auth.NewToken()
	if err != nil {
		s.apiError(w, "", err)
		return false
	}
	now := s.now()
	if err := s.store.CreateToken(r.Context(), sim.Token{Hash: hash, Kind: sim.SessionToken, User: u.Name, Created: now, Expires: now.Add(sessionLife)}); err != nil {
		s.apiError(w, "", err)
		return false
	}
	s.log.Info("signed in", "name", u.Name, "role", u.Role)
	http.SetCookie(w, s.cookie(r, value, int(sessionLife.Seconds())))
	return true
}

// cookie is the session cookie: HttpOnly (no script reads it), SameSite
// Lax (not sent on cross-site subrequests or posts; a link from elsewhere
// still opens the app signed in), Secure when the request came over TLS.
func (s *Server) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || s.acct().secure,
	}
}

// logout answers POST /api/logout: the session ends on the server too.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" && len(ck.Value) <= 100 {
		if _, err := s.store.TakeToken(r.Context(), auth.HashToken(ck.Value)); err != nil && sim.ErrorCodeOf(err) != sim.ENotFound {
			s.apiError(w, "", err)
			return
		}
	}
	http.SetCookie(w, s.cookie(r, "", -1))
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// accept answers POST /api/accept {"token","password"} for an invite, and
// {"token","name","password"} for the first admin's setup link. The token
// is spent either way; the user is signed in.
func (s *Server) accept(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token    string `json:"token"`
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if err := auth.CheckPasswordRules(in.Password); err != nil {
		s.apiError(w, "", err)
		return
	}
	if in.Token == "" || len(in.Token) > 100 {
		writeError(w, http.StatusNotFound, "this link is not valid (any more); ask an admin for a new one")
		return
	}
	hash := auth.HashToken(in.Token)
	t, err := s.store.Token(r.Context(), hash)
	if sim.ErrorCodeOf(err) == sim.ENotFound || err == nil && !t.Valid(s.now()) || err == nil && t.Kind == sim.SessionToken {
		writeError(w, http.StatusNotFound, "this link is not valid (any more); ask an admin for a new one")
		return
	} else if err != nil {
		s.apiError(w, "", err)
		return
	}
	pw, err := auth.HashPassword(in.Password)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	var u *sim.User
	switch t.Kind {
	case sim.SetupToken:
		u, err = s.setupAdmin(r.Context(), hash, in.Name, pw)
	default:
		u, err = s.acceptInvite(r.Context(), hash, pw)
	}
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	if !s.signIn(w, r, u) {
		return
	}
	writeJSON(w, http.StatusOK, meOf(u))
}

// setupAdmin makes the first admin, once: with the setup token spent and
// while no user exists.
func (s *Server) setupAdmin(ctx context.Context, hash []byte, name, pw string) (*sim.User, error) {
	a := s.acct()
	a.setupMu.Lock()
	defer a.setupMu.Unlock()
	u := &sim.User{Name: name, Role: sim.Admin, PasswordHash: pw, Created: s.now()}
	if err := u.Check(); err != nil {
		return nil, err
	}
	if n, err := s.store.CountUsers(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, sim.Errorf(sim.EConflict, "the first admin exists already; sign in")
	}
	if _, err := s.store.TakeToken(ctx, hash); err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	s.log.Info("first admin created", "name", u.Name)
	return u, nil
}

// acceptInvite sets the password of the invited user, spending the invite.
func (s *Server) acceptInvite(ctx context.Context, hash []byte, pw string) (*sim.User, error) {
	t, err := s.store.TakeToken(ctx, hash)
	if err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, t.User)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, sim.Errorf(sim.EUnauthorized, "this account is disabled")
	}
	u.PasswordHash = pw
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	// A new password ends the sessions signed in with the old one.
	if err := s.store.DeleteTokens(ctx, u.Name, sim.SessionToken); err != nil {
		return nil, err
	}
	return u, nil
}

// Invite makes a one-time link for user to set their password, valid for a
// week: base is the server's address as people reach it.
func Invite(ctx context.Context, store sim.Store, user, base string, now time.Time) (string, error) {
	value, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	if err := store.CreateToken(ctx, sim.Token{Hash: hash, Kind: sim.InviteToken, User: user, Created: now, Expires: now.Add(inviteLife)}); err != nil {
		return "", fmt.Errorf("invite %s: %w", user, err)
	}
	return base + "/#/accept/" + value, nil
}

// SetupLink returns a one-time link for making the first admin when the
// store has no user yet, and "" when it has some: base is the server's
// address as people reach it.
func (s *Server) SetupLink(ctx context.Context, base string) (string, error) {
	n, err := s.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	value, hash, err := auth.NewToken()
	if err != nil {
		return "", err
	}
	now := s.now()
	if err := s.store.CreateToken(ctx, sim.Token{Hash: hash, Kind: sim.SetupToken, Created: now, Expires: now.Add(setupLife)}); err != nil {
		return "", fmt.Errorf("setup link: %w", err)
	}
	return base + "/#/accept/" + value, nil
}

// readJSON decodes the request's JSON body into v, or answers 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	return readJSONUpTo(w, r, v, maxBody)
}

// readJSONUpTo is readJSON for a body of at most limit bytes.
func readJSONUpTo(w http.ResponseWriter, r *http.Request, v any, limit int64) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := "the body is not the JSON this endpoint takes"
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &te):
			msg = fmt.Sprintf("field %q has the wrong type", te.Field)
		case errors.As(err, &mbe):
			msg = "the body is too large"
		case errors.Is(err, io.EOF):
			msg = "the body is empty; send JSON"
		}
		writeError(w, http.StatusBadRequest, msg)
		return false
	}
	return true
}

// clientAddr is the address a request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// protect refuses cross-site state-changing requests (POST, PUT, PATCH,
// DELETE from another origin, as the browser's Sec-Fetch-Site or Origin
// tells) with 403, using net/http's CrossOriginProtection; the origins in
// Config.AllowedOrigins are trusted. GET, HEAD and OPTIONS change nothing
// and pass; the websocket has its own origin check.
func (s *Server) protect(h http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	for o := range s.origins {
		if err := p.AddTrustedOrigin(o); err != nil {
			s.log.Warn("allowed origin not trusted for requests", "origin", o, "err", err)
		}
	}
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross-site request refused")
	}))
	return p.Handler(h)
}

// anonymousPractice reports whether the admin lets visitors who are not
// signed in play calls. A store failure says no: it is logged.
func (s *Server) anonymousPractice() bool {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	set, err := s.store.Settings(ctx)
	if err != nil {
		s.log.Error("read settings", "err", err)
		return false
	}
	return set.AnonymousPractice
}
