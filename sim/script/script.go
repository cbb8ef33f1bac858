// Package script runs calls from text: golden transcripts (trainee lines,
// expectations, the expected rendering) through RunGolden, the one golden
// harness for go test and `roleplay test`; the calibration bots that check
// a scenario grades styles apart; and Tags, a reader for engine tests.
package script

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
)

// A Script is a golden conversation test: trainee lines, what the call must
// come to, and the full expected rendering of the call. It reads like this:
//
//	# A disciplined SPIN call ends in a commitment.
//	expect: outcome=won profile=balanced
//	> hi dana, thanks for making the time
//	> what's the hardest part of keeping deliveries on time?
//	----
//	turn 1: hi dana, thanks for making the time
//	  ...
//
// Expectations are checked on their own, so regenerating the rendering
// (rewrite) can never quietly turn a good call into a bad one.
type Script struct {
	Name   string
	Lines  []string          // trainee turns
	HangUp bool              // the trainee ends the call after the lines
	Expect map[string]string // outcome, profile, passed, state, coaching, not_coaching, revealed, not_revealed
	Want   string            // the expected rendering, after ----

	header     string // everything before ----, kept verbatim on rewrite
	expectKeys []string
}

// Separator divides a script's input from its expected output.
const Separator = "----"

var expectable = []string{"outcome", "profile", "passed", "state", "coaching", "not_coaching", "revealed", "not_revealed"}

// Parse reads a script; name is used in messages.
func Parse(name, src string) (*Script, error) {
	sc := &Script{Name: name, Expect: map[string]string{}}
	head, want, found := strings.Cut(src, "\n"+Separator+"\n")
	if !found {
		head = strings.TrimSuffix(src, Separator+"\n")
	}
	sc.header, sc.Want = head, want
	for i, line := range strings.Split(head, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case strings.HasPrefix(trimmed, ">"):
			if sc.HangUp {
				return nil, fmt.Errorf("%s:%d: a line after hangup is never said; move hangup to the end", name, n)
			}
			said := strings.TrimSpace(strings.TrimPrefix(trimmed, ">"))
			if said == "" {
				return nil, fmt.Errorf("%s:%d: empty trainee line; write what the trainee says after >", name, n)
			}
			sc.Lines = append(sc.Lines, said)
		case trimmed == "hangup":
			sc.HangUp = true
		case strings.HasPrefix(trimmed, "expect:"):
			for _, kv := range strings.Fields(strings.TrimPrefix(trimmed, "expect:")) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || !containsStr(expectable, k) {
					return nil, fmt.Errorf("%s:%d: expect %q: write key=value with a key among %s", name, n, kv, strings.Join(expectable, ", "))
				}
				if _, dup := sc.Expect[k]; dup && k != "coaching" && k != "not_coaching" && k != "revealed" && k != "not_revealed" {
					return nil, fmt.Errorf("%s:%d: %s is expected twice", name, n, k)
				}
				if prev, ok := sc.Expect[k]; ok {
					v = prev + "," + v
				} else {
					sc.expectKeys = append(sc.expectKeys, k)
				}
				sc.Expect[k] = v
			}
		default:
			return nil, fmt.Errorf("%s:%d: %q: start trainee lines with >, expectations with expect:, comments with #", name, n, trimmed)
		}
	}
	if len(sc.Lines) == 0 {
		return nil, fmt.Errorf("%s: no trainee lines; add lines starting with >", name)
	}
	return sc, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A Result is a script run on a scenario.
type Result struct {
	Got      string   // the rendering of the call
	Failures []string // expectations not met, lines that could not be said
	Report   *sim.Report
}

// Matches reports whether the call rendered as the script expects.
func (r Result) Matches(sc *Script) bool { return r.Got == sc.Want }

// Difference says where the rendering first parts from the expected one,
// or "" when they match.
func (r Result) Difference(sc *Script) string {
	if r.Matches(sc) {
		return ""
	}
	w, g := strings.Split(sc.Want, "\n"), strings.Split(r.Got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("rendering differs at line %d after %s:\n want: %s\n  got: %s", i+1, Separator, wl, gl)
		}
	}
	return "rendering differs"
}

// Run plays the script on s, the trainee's lines read by r.
func (sc *Script) Run(s *sim.Scenario, rd sim.Reader) Result {
	c := sim.NewConversation(s, rd)
	var res Result
	for i, line := range sc.Lines {
		if c.Ended() {
			res.Failures = append(res.Failures, fmt.Sprintf("the call ended at turn %d; lines from %d on are never said (remove them)", i, i+1))
			break
		}
		if _, err := c.Say(line); err != nil {
			res.Failures = append(res.Failures, fmt.Sprintf("turn %d: %v", i+1, err))
			break
		}
	}
	if sc.HangUp {
		c.Hangup()
	}
	r := grade.Grade(c)
	res.Report = r
	res.Got = Render(r)
	res.Failures = append(res.Failures, sc.check(c, r)...)
	return res
}

func (sc *Script) check(c *sim.Conversation, r *sim.Report) []string {
	var fails []string
	revealed := map[string]bool{}
	for _, t := range r.Transcript {
		for _, id := range t.Revealed {
			revealed[id] = true
		}
	}
	rules := map[string]bool{}
	for _, co := range r.Coaching {
		rules[co.Rule] = true
	}
	for _, k := range sc.expectKeys {
		want := sc.Expect[k]
		var got string
		switch k {
		case "outcome":
			got = string(r.Outcome)
		case "profile":
			got = string(r.Profile)
		case "passed":
			got = strconv.FormatBool(r.Passed)
		case "state":
			got = c.State()
		case "coaching", "not_coaching", "revealed", "not_revealed":
			for _, w := range strings.Split(want, ",") {
				switch {
				case k == "coaching" && !rules[w]:
					fails = append(fails, fmt.Sprintf("expected coaching point %q; got %s", w, keys(rules)))
				case k == "not_coaching" && rules[w]:
					fails = append(fails, fmt.Sprintf("expected no coaching point %q, but the report gives it", w))
				case k == "revealed" && !revealed[w]:
					fails = append(fails, fmt.Sprintf("expected fact %q to be revealed; revealed: %s", w, keys(revealed)))
				case k == "not_revealed" && revealed[w]:
					fails = append(fails, fmt.Sprintf("expected fact %q to stay hidden, but it was revealed", w))
				}
			}
			continue
		}
		if got != want {
			fails = append(fails, fmt.Sprintf("expected %s=%s, got %s=%s", k, want, k, got))
		}
	}
	return fails
}

func keys(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return "[" + strings.Join(ks, " ") + "]"
}

// Rewrite returns the script with its expected rendering replaced by got.
func (sc *Script) Rewrite(got string) string {
	return strings.TrimRight(sc.header, "\n") + "\n" + Separator + "\n" + got
}

// Render writes a graded call as golden transcripts and calibrate -v show
// it: the opening, each turn, how the call ended and the grade.
func Render(r *sim.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "customer: %s\n", r.Opening)
	for _, t := range r.Transcript {
		writeTurn(&b, t)
	}
	fmt.Fprintf(&b, "end: %s", r.Outcome)
	if r.Reason != "" {
		fmt.Fprintf(&b, " (%s)", r.Reason)
	}
	fmt.Fprintf(&b, "\ngrade: %s, customer focus %d, self-focus %d, quality %d, score %d", r.Profile, r.CustomerFocus, r.SelfFocus, r.Quality, r.Score)
	if r.GaveIn > 0 {
		fmt.Fprintf(&b, ", gave in %d", r.GaveIn)
	}
	if r.Passed {
		b.WriteString(" (passed)\n")
	} else {
		b.WriteString(" (not passed)\n")
	}
	fmt.Fprintf(&b, "verdict: %s\n", r.Verdict)
	for _, co := range r.Coaching {
		fmt.Fprintf(&b, "coaching: %s", co.Rule)
		if len(co.Turns) > 0 {
			fmt.Fprintf(&b, " (%s)", sim.TurnsText(co.Turns))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// writeTurn renders one turn: what was said, how it was read, what it did.
func writeTurn(b *strings.Builder, t sim.Turn) {
	fmt.Fprintf(b, "turn %d: %s\n", t.N, t.Said)
	b.WriteString("  acts:")
	for _, d := range t.Acts {
		fmt.Fprintf(b, " %s", d.Act)
		if d.Conditional {
			b.WriteString("(conditional)")
		}
		if len(d.Cues) > 0 {
			fmt.Fprintf(b, " %q", d.Cues)
		}
		b.WriteByte(';')
	}
	b.WriteByte('\n')
	if len(t.Revealed) > 0 {
		fmt.Fprintf(b, "  revealed: %s\n", strings.Join(t.Revealed, ", "))
	}
	if len(t.Withheld) > 0 {
		fmt.Fprintf(b, "  withheld: %s\n", strings.Join(t.Withheld, ", "))
	}
	switch {
	case t.Again != "":
		fmt.Fprintf(b, "  asked again: %s\n", t.Again)
	case t.Unmatched:
		b.WriteString("  no fact matches the question\n")
	case t.Repeat:
		b.WriteString("  asked to repeat\n")
	}
	if t.Discount > 0 {
		fmt.Fprintf(b, "  discount: %g%% off the list price\n", t.Discount)
	}
	if t.Hollow {
		b.WriteString("  hollow trade: asks for what the customer cannot give\n")
	}
	if t.Objection {
		b.WriteString("  objection raised\n")
	}
	if t.Answered {
		b.WriteString("  objection answered\n")
	}
	b.WriteString("  meters:")
	for _, m := range t.Meters {
		fmt.Fprintf(b, " %s %d (%+d)", m.Name, m.Value, m.Delta)
	}
	b.WriteByte('\n')
	for _, e := range t.Effects {
		fmt.Fprintf(b, "    because %s\n", e)
	}
	if t.From != t.To {
		fmt.Fprintf(b, "  state: %s -> %s (%s)\n", t.From, t.To, strings.Join(t.Transitions, "; "))
	}
	fmt.Fprintf(b, "  customer: %s\n", t.Reply)
}
