//go:build !unix

package load

// RaiseFileLimit does nothing where there is no RLIMIT_NOFILE; the limit is
// reported as 0, unknown.
func RaiseFileLimit() (uint64, error) { return 0, nil }
