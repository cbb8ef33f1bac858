package server

import (
	"errors"
	"io/fs"
	"net/http"
	"strings"
)

// The headers every response carries. The page has no inline script or
// style (widths are set through the CSSOM, which CSP allows), so the policy
// allows only the server's own files; the websocket is 'self' too.
const (
	contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	permissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), " +
		"bluetooth=(), hid=(), midi=(), display-capture=(), browsing-topics=()"
	// hsts is sent only on TLS connections: a browser would otherwise pin
	// https on a host that serves only http. Behind a TLS proxy the proxy
	// sends it.
	hsts = "max-age=31536000"
)

// secure sets the security headers on every response, then serves it.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", permissionsPolicy)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", hsts)
		}
		next.ServeHTTP(w, r)
	})
}

// A router registers the server's routes on a ServeMux and answers a
// method no route of a path takes with 405 and an Allow header that names
// every method the path does take (GET brings HEAD). Patterns are the
// ServeMux's ("POST /api/calls/{id}/comments"); a pattern without a method
// is registered as it is.
type router struct {
	mux     *http.ServeMux
	methods map[string][]string // path → its methods, in registration order
	paths   []string
}

func newRouter() *router {
	return &router{mux: http.NewServeMux(), methods: map[string][]string{}}
}

// HandleFunc registers h for pattern.
func (rt *router) HandleFunc(pattern string, h http.HandlerFunc) { rt.Handle(pattern, h) }

// Handle registers h for pattern.
func (rt *router) Handle(pattern string, h http.Handler) {
	rt.mux.Handle(pattern, h)
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || strings.HasPrefix(method, "/") {
		return
	}
	if _, seen := rt.methods[path]; !seen {
		rt.paths = append(rt.paths, path)
	}
	rt.methods[path] = append(rt.methods[path], method)
}

// handler registers the 405 answers and returns the mux; call it once,
// after every route.
func (rt *router) handler() *http.ServeMux {
	for _, path := range rt.paths {
		var allow []string
		for _, m := range rt.methods[path] {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
		list := strings.Join(allow, ", ")
		rt.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", list)
			writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed here; use "+list)
		})
	}
	return rt.mux
}

// files serves the UI from fsys to GET and HEAD, without listing folders:
// a folder is not found, except the root, whose index.html is the page.
// (Registered as "/" without a method, as "GET /" would clash with "/api/".)
func files(fsys fs.FS) http.Handler {
	fh := http.FileServerFS(noListing{fsys})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
			return
		}
		fh.ServeHTTP(w, r)
	})
}

type noListing struct{ fs.FS }

func (n noListing) Open(name string) (fs.File, error) {
	f, err := n.FS.Open(name)
	if err != nil || name == "." {
		return f, err
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.Join(fs.ErrNotExist, errIsFolder)}
	}
	return f, nil
}

var errIsFolder = errors.New("a folder")
