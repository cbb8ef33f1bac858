package load

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// CPU is the CPU time a server spent over the window (user and system,
// from /proc/PID/stat), and that time a turn. On a machine shared with
// other work it is a steadier measure than turns a second: a server
// slowed by its neighbours takes longer, not more CPU.
type CPU struct {
	PID     int     `json:"pid"`
	WindowS float64 `json:"window_cpu_s"`
	// PerTurnUS is WindowS shared out among the window's turns.
	PerTurnUS float64 `json:"per_turn_us"`
	Err       string  `json:"error,omitempty"`
}

// clockTick is the unit of /proc/PID/stat's times: USER_HZ, which Linux
// fixes at 100 whatever the kernel's own tick.
const clockTick = 10 * time.Millisecond

// readCPU reads a process's user plus system CPU time; the error is a
// message for the result, "" when there is none.
func readCPU(pid int) (time.Duration, string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Sprintf("server CPU: %v", err)
	}
	d, err := parseStatCPU(string(b))
	if err != nil {
		return 0, fmt.Sprintf("server CPU of pid %d: %v", pid, err)
	}
	return d, ""
}

// parseStatCPU takes utime and stime, the 14th and 15th fields, from a
// /proc/PID/stat line. The second field, the command in parentheses, may
// hold spaces and parentheses itself, so fields are counted from the last
// ')'.
func parseStatCPU(line string) (time.Duration, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command in %q", line)
	}
	f := strings.Fields(line[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, fmt.Errorf("%d fields after the command, want at least 13", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("utime or stime %q: %v", s, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, nil
}

func (c *CPU) text() string {
	if c.Err != "" {
		return c.Err
	}
	return fmt.Sprintf("pid %d: %.2f s over the window, %.1f µs a turn", c.PID, c.WindowS, c.PerTurnUS)
}
