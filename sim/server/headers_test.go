package server

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func do(t *testing.T, method, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// Every response, API, page, error or upgrade refusal, carries the
// security headers; they used to be missing everywhere.
func TestEveryResponseHasSecurityHeaders(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Server) {
		c.Static = fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}, "js/app.js": {Data: []byte("//")}}
	})
	for _, tc := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/js/app.js"}, {"GET", "/healthz"}, {"GET", "/api/scenarios"},
		{"GET", "/api/nope"}, {"GET", "/js/"}, {"DELETE", "/"}, {"GET", "/ws"},
		{"GET", "/api/calls/0123456789abcdef0123456789abcdef/report"},
	} {
		resp, _ := do(t, tc.method, e.ts.URL+tc.path, nil)
		h := resp.Header
		name := tc.method + " " + tc.path
		csp := h.Get("Content-Security-Policy")
		assert.Contains(t, csp, "frame-ancestors 'none'", name)
		assert.Contains(t, csp, "default-src 'none'", name)
		assert.NotContains(t, csp, "unsafe-inline", name)
		assert.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), name)
		assert.Equal(t, "DENY", h.Get("X-Frame-Options"), name)
		assert.Equal(t, "no-referrer", h.Get("Referrer-Policy"), name)
		assert.Contains(t, h.Get("Permissions-Policy"), "camera=()", name)
		assert.Empty(t, h.Get("Strict-Transport-Security"), "no HSTS without TLS: %s", name)
	}
}

// Methods are restricted, and folders are not listed: DELETE / was 200,
// POST /api/scenarios 404, and GET /js/ listed the scripts.
func TestMethodsAndFolders(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Server) {
		c.Static = fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}, "js/app.js": {Data: []byte("//")}}
	})
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"DELETE", "/", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/index.html", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"DELETE", "/api/scenarios", http.StatusMethodNotAllowed, "GET, HEAD, POST"}, // POST uploads a persona (scenarios_api.go)
		{"POST", "/api/calls", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"GET", "/api/login", http.StatusMethodNotAllowed, "POST"},
		{"DELETE", "/api/calls/0123456789abcdef0123456789abcdef/score", http.StatusMethodNotAllowed, "PUT"},
		{"GET", "/api/assess/abc/start", http.StatusMethodNotAllowed, "POST"},
		{"GET", "/api/no-such-thing", http.StatusNotFound, ""},
		{"PUT", "/healthz", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"DELETE", "/api/calls/0123456789abcdef0123456789abcdef/report", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"POST", "/ws", http.StatusMethodNotAllowed, "GET, HEAD"},
		{"GET", "/js/", http.StatusNotFound, ""},
		{"GET", "/js", http.StatusNotFound, ""},
		{"GET", "/js/app.js", http.StatusOK, ""},
		{"HEAD", "/api/scenarios", http.StatusOK, ""},
		{"GET", "/", http.StatusOK, ""},
	} {
		resp, body := do(t, tc.method, e.ts.URL+tc.path, nil)
		name := tc.method + " " + tc.path
		assert.Equal(t, tc.status, resp.StatusCode, name)
		assert.Equal(t, tc.allow, resp.Header.Get("Allow"), name)
		assert.NotContains(t, body, "app.js", "no listing: %s", name)
	}
}

// DNS rebinding: a Host the server is not known by is refused, and a
// matching Origin no longer opens a websocket.
func TestRebindingHostIsRefused(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Server) { c.AllowedHosts = []string{"roleplay.internal"} })
	port := e.ts.URL[strings.LastIndex(e.ts.URL, ":"):]
	for host, want := range map[string]int{
		"rebind.example" + port:    http.StatusMisdirectedRequest,
		"rebind.example":           http.StatusMisdirectedRequest,
		"127.0.0.1" + port:         http.StatusOK,
		"[::1]" + port:             http.StatusOK,
		"localhost" + port:         http.StatusOK,
		"app.localhost" + port:     http.StatusOK,
		"roleplay.internal" + port: http.StatusOK,
		"ROLEPLAY.internal.":       http.StatusOK,
	} {
		resp, _ := do(t, "GET", e.ts.URL+"/api/scenarios", http.Header{"Host": {host}})
		assert.Equal(t, want, resp.StatusCode, host)
	}

	h := http.Header{"Host": {"rebind.example" + port}, "Origin": {"http://rebind.example" + port}}
	_, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), h)
	require.Error(t, err)
	assert.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode)
}

// With a public URL, only its origin (and listed ones) may open a
// websocket, whatever Host the request names.
func TestOriginMustBeAPublicOrigin(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Server) {
		c.PublicURLs = []string{"https://roleplay.example.com/"}
		c.AllowedOrigins = []string{"https://trainer.example.com"}
	})
	for origin, ok := range map[string]bool{
		"https://roleplay.example.com":     true,
		"https://roleplay.example.com:443": true,
		"https://trainer.example.com":      true,
		"http://roleplay.example.com":      false,
		e.ts.URL:                           false, // the Host's own origin is not the public one
		"https://evil.example.com":         false,
	} {
		_, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), http.Header{"Origin": {origin}})
		if ok {
			assert.NoError(t, err, origin)
		} else if assert.Error(t, err, origin) {
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, origin)
		}
	}
	resp, _ := do(t, "GET", e.ts.URL+"/healthz", http.Header{"Host": {"roleplay.example.com"}})
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the public host is allowed")
}
