package load

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText writes the result as a table for people.
func (r *Result) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{k}, args...)...) }
	row("url", "%s", r.URL)
	row("loop", "%s", r.loopText())
	row("sessions", "%d active, %d idle; %d connected, at most %d open", r.Sessions, r.Idle, r.Connected, r.PeakOpen)
	row("window", "%.1f s after a %.1f s ramp-up", r.WindowS, r.RampS)
	row("turns", "%s in the window: %s turns/s", thousands(r.Turns), thousands(int64(r.TurnsPerS+0.5)))
	sent := fmt.Sprintf("%s sent, %s replies", thousands(r.Sent), thousands(r.Replies))
	if r.Loop == Open {
		sent += fmt.Sprintf(", %s scheduled", thousands(r.Scheduled))
	}
	if r.Resent > 0 {
		sent += fmt.Sprintf(", %s sent again after rate_limited", thousands(r.Resent))
	}
	row("all turns", "%s", sent)
	row("calls", "%s started, %s reports, %s hung up by the script", thousands(r.Calls), thousands(r.Reports), thousands(r.Hangups))
	row("reply latency", "%s", r.Reply.text())
	if r.Service != nil {
		row("  from the send", "%s", r.Service.text())
	}
	row("start latency", "%s", r.Start.text())
	row("errors", "%s", counts(r.Errors))
	row("rate_limited", "%s", thousands(r.RateLimited))
	row("timeouts", "%s (%s unanswered when the run stopped)", thousands(r.Timeouts), thousands(r.Unanswered))
	row("disconnects", "%s", counts(r.Disconnects))
	row("connect failures", "%s", counts(r.ConnectFailures))
	if r.RSS != nil {
		row("server memory", "%s", r.RSS.text())
	}
	if r.CPU != nil {
		row("server CPU", "%s", r.CPU.text())
	}
	row("open-file limit", "%d", r.FileLimit)
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeWarnings(w, "", r.Warnings)
}

// WriteText writes both results side by side, and the ratio.
func (c *Comparison) WriteText(w io.Writer) error {
	e, t := c.Echo, c.Target
	fmt.Fprintf(w, "target %s, %s\n", t.URL, t.loopText())
	fmt.Fprintf(w, "%d sessions, %d idle; %.1f s measured after a %.1f s ramp-up\n\n", t.Sessions, t.Idle, t.WindowS, t.RampS)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\techo\ttarget\ttarget/echo\t")
	row := func(k string, ev, tv float64, ratio bool, format string) {
		rs := ""
		if ratio && ev > 0 {
			rs = fmt.Sprintf("%.3f", tv/ev)
		}
		fmt.Fprintf(tw, "%s\t"+format+"\t"+format+"\t%s\t\n", k, ev, tv, rs)
	}
	row("turns/s", e.TurnsPerS, t.TurnsPerS, true, "%.0f")
	row("reply p50 ms", e.Reply.P50MS, t.Reply.P50MS, true, "%.3f")
	row("reply p90 ms", e.Reply.P90MS, t.Reply.P90MS, true, "%.3f")
	row("reply p99 ms", e.Reply.P99MS, t.Reply.P99MS, true, "%.3f")
	row("reply p99.9 ms", e.Reply.P999MS, t.Reply.P999MS, true, "%.3f")
	row("reply max ms", e.Reply.MaxMS, t.Reply.MaxMS, true, "%.3f")
	row("start p99 ms", e.Start.P99MS, t.Start.P99MS, true, "%.3f")
	row("calls", float64(e.Calls), float64(t.Calls), false, "%.0f")
	row("errors", float64(total(e.Errors)), float64(total(t.Errors)), false, "%.0f")
	row("rate_limited", float64(e.RateLimited), float64(t.RateLimited), false, "%.0f")
	row("timeouts", float64(e.Timeouts), float64(t.Timeouts), false, "%.0f")
	row("disconnects", float64(total(e.Disconnects)), float64(total(t.Disconnects)), false, "%.0f")
	row("connect failures", float64(total(e.ConnectFailures)), float64(total(t.ConnectFailures)), false, "%.0f")
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nratio (target turns/s ÷ echo turns/s): %.3f\n", c.Ratio)
	if len(t.Errors) > 0 {
		fmt.Fprintf(w, "target errors: %s\n", counts(t.Errors))
	}
	if len(t.Disconnects) > 0 {
		fmt.Fprintf(w, "target disconnects: %s\n", counts(t.Disconnects))
	}
	if t.RSS != nil {
		fmt.Fprintf(w, "target memory: %s\n", t.RSS.text())
	}
	if t.CPU != nil {
		fmt.Fprintf(w, "target CPU: %s\n", t.CPU.text())
	}
	if err := writeWarnings(w, "echo: ", e.Warnings); err != nil {
		return err
	}
	return writeWarnings(w, "target: ", t.Warnings)
}

func writeWarnings(w io.Writer, prefix string, warnings []string) error {
	for _, s := range warnings {
		if _, err := fmt.Fprintf(w, "warning: %s%s\n", prefix, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *Result) loopText() string {
	if r.Loop == Open {
		return fmt.Sprintf("open, %s turns/s offered, %s arrivals", thousands(int64(r.Offered+0.5)), r.Arrival)
	}
	return fmt.Sprintf("closed, think %g ms", r.ThinkMS)
}

func (l Latency) text() string {
	if l.Count == 0 {
		return "none measured"
	}
	return fmt.Sprintf("p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f ms (%s)",
		l.P50MS, l.P90MS, l.P99MS, l.P999MS, l.MaxMS, l.MeanMS, thousands(l.Count))
}

func (r *RSS) text() string {
	if r.Err != "" {
		return r.Err
	}
	return fmt.Sprintf("pid %d: %s KB at the start, %s KB with %d sessions connected (%.1f KB each), %s KB at the end",
		r.PID, thousands(r.StartKB), thousands(r.ConnectedKB), r.Sessions, r.PerSessionKB, thousands(r.EndKB))
}

// counts writes a count map as "a 3, b 1", largest first.
func counts(m map[string]int64) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %s", k, thousands(m[k]))
	}
	return strings.Join(parts, ", ")
}

func total(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// thousands writes n with commas between thousands: 12,345.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
