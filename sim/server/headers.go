package server

import (
	"errors"
	"io/fs"
	"net/http"
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

// route registers h for method and path, and answers any other method on
// path with 405 and the Allow header.
func route(mux *http.ServeMux, method, path string, h http.HandlerFunc) {
	mux.HandleFunc(method+" "+path, h)
	allow := method
	if method == http.MethodGet {
		allow = "GET, HEAD"
	}
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" is not allowed here; use "+allow)
	})
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
