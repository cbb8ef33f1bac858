package load

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// RSS is a server's resident memory, read from /proc/PID/status (VmRSS) at
// the start of a run, once its sessions are connected, and at the end.
type RSS struct {
	PID         int   `json:"pid"`
	StartKB     int64 `json:"start_kb"`
	ConnectedKB int64 `json:"connected_kb"`
	EndKB       int64 `json:"end_kb"`
	// Sessions is how many sessions were connected at the second reading;
	// PerSessionKB is the growth from the first reading shared out
	// among them: the cost of an idle session when they are all idle.
	Sessions     int64   `json:"sessions"`
	PerSessionKB float64 `json:"per_session_kb"`
	// Err says why a reading failed; the readings after it are not taken.
	Err string `json:"error,omitempty"`
}

func (r *RSS) finish() {
	if r.Err == "" && r.Sessions > 0 {
		r.PerSessionKB = float64(r.ConnectedKB-r.StartKB) / float64(r.Sessions)
	}
}

// readRSS reads a process's VmRSS in KB; the error is a message for the
// result, "" when there is none.
func readRSS(pid int) (int64, string) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Sprintf("server memory: %v", err)
	}
	defer f.Close()
	kb, err := parseVmRSS(bufio.NewScanner(f))
	if err != nil {
		return 0, fmt.Sprintf("server memory of pid %d: %v", pid, err)
	}
	return kb, ""
}

// parseVmRSS finds the line "VmRSS:   12345 kB".
func parseVmRSS(sc *bufio.Scanner) (int64, error) {
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("VmRSS line %q: want a number of kB", sc.Text())
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmRSS line (a kernel thread, or not Linux)")
}
