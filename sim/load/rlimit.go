//go:build unix

package load

import "syscall"

// RaiseFileLimit raises this process's open-file limit to its hard limit,
// so that as many connections fit as the system allows, and returns the
// limit in force. Every connection is a file descriptor; the usual soft
// limit of 1,024 would stop a run of 10,000 sessions at the first thousand.
func RaiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	return uint64(l.Cur), nil
}
