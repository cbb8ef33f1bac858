package server

import "time"

// SetClock replaces the server's clock (turn times, deadlines, the
// sweeper's "now"), for the browser tests of package server_test.
func SetClock(s *Server, now func() time.Time) { s.now = now }
