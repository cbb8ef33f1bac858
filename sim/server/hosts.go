package server

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// DNS rebinding: a page on an attacker's name that resolves to this server
// sends that name as Host, and its own origin as Origin, so comparing the
// two proves nothing. Every request's Host must be a name this server is
// known by, and a browser's Origin must be one of the server's own origins.

// hostAllowed reports whether a request's Host names this server: an IP
// address (a rebinding needs a name the attacker resolves), localhost or a
// name under .localhost (browsers resolve those to loopback themselves), the
// host of a public URL, or a listed host.
func (s *Server) hostAllowed(hostport string) bool {
	host := strings.ToLower(hostport)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), ".")
	switch {
	case host == "":
		return false
	case net.ParseIP(host) != nil:
		return true
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	}
	return s.hosts[host]
}

// checkHost refuses requests for a Host the server is not known by, with
// 421 Misdirected Request.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			s.log.Warn("host refused", "host", r.Host, "remote", r.RemoteAddr)
			writeError(w, http.StatusMisdirectedRequest, "this server does not answer for that host name; start it with --public-url or --allowed-hosts to add it")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkOrigin allows browsers on one of the server's origins: a public
// URL's origin or a listed one; with no public URL, the origin of the
// request's Host, which checkHost has vetted. Clients that send no Origin
// are not browsers and are allowed.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	o := normalOrigin(origin)
	if s.origins[o] {
		return true
	}
	if len(s.public) == 0 {
		u, err := url.Parse(o)
		if err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) && s.hostAllowed(u.Host) {
			return true
		}
	}
	s.log.Warn("websocket origin refused", "origin", origin, "host", r.Host)
	return false
}

// normalOrigin writes an origin as browsers send it: lower-case
// scheme://host[:port], no trailing slash, no default port.
func normalOrigin(o string) string {
	o = strings.TrimRight(strings.ToLower(strings.TrimSpace(o)), "/")
	switch {
	case strings.HasPrefix(o, "https://"):
		return strings.TrimSuffix(o, ":443")
	case strings.HasPrefix(o, "http://"):
		return strings.TrimSuffix(o, ":80")
	}
	return o
}

// publicOrigin is the origin and host name of a public URL
// ("https://roleplay.example.com/"), or ok false when it is not one.
func publicOrigin(raw string) (origin, host string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "", "", false
	}
	return normalOrigin(u.Scheme + "://" + u.Host), strings.ToLower(u.Hostname()), true
}
