package sim

import (
	"fmt"
	"strings"
)

// Text writes the report for people: the result, the two axes and why,
// the figures against their benchmarks, and the coaching points.
func (r *Report) Text() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("%s (%s): %s", r.Title, r.Scenario, r.Outcome)
	if r.Reason != "" {
		p("  %s", r.Reason)
	}
	verdict := "not passed"
	if r.Passed {
		verdict = "passed"
	}
	p("profile %s: customer focus %d, self-focus %d; score %d (%s, pass mark %d)", r.Profile, r.CustomerFocus, r.SelfFocus, r.Score, verdict, r.PassMark)
	p("")
	p("customer focus %d", r.CustomerFocus)
	writeParts(&b, r.CustomerFocusParts)
	p("self-focus %d", r.SelfFocus)
	writeParts(&b, r.SelfFocusParts)
	p("")
	p("SPIN: %d situation, %d problem, %d implication, %d need-payoff", r.SPIN.Situation, r.SPIN.Problem, r.SPIN.Implication, r.SPIN.NeedPayoff)
	p("discovery: %d of %d facts%s", r.Discovery.Found, r.Discovery.Total, factList(r.Discovery.Facts))
	p("qualification: %d of %d facts%s", r.Qualification.Found, r.Qualification.Total, factList(r.Qualification.Facts))
	pitch := "never pitched"
	if r.Pitch.Count > 0 {
		pitch = fmt.Sprintf("%d pitches, first in turn %d, %d before any problem was known, %d tailored", r.Pitch.Count, r.Pitch.FirstTurn, r.Pitch.Early, r.Pitch.Tailored)
	}
	p("pitch: %s", pitch)
	p("concessions: %d (%d unconditional, %d conditional, %.1f%% in all)", r.Concessions.Count, r.Concessions.Unconditional, r.Concessions.Conditional, r.Concessions.TotalPercent)
	next := "never asked for a next step"
	if r.NextStep.Asked {
		next = "asked in turns " + FormatTurns(r.NextStep.Turns)
		if r.NextStep.Committed {
			next += "; the customer committed"
		}
	}
	p("next step: %s", next)
	if len(r.RedFlags.Pressure)+len(r.RedFlags.Dismissive) > 0 {
		p("red flags: pressure in turns [%s], dismissive in turns [%s]", FormatTurns(r.RedFlags.Pressure), FormatTurns(r.RedFlags.Dismissive))
	}
	p("")
	for _, bm := range r.Benchmarks {
		mark := "✗"
		if bm.Met {
			mark = "✓"
		}
		p("%s %s: %g%s (target %s; %s)", mark, bm.Name, bm.Value, bm.Unit, bm.Target, bm.Source)
	}
	p("you/your words %d, I/we/our words %d", r.Talk.YouWords, r.Talk.WeWords)
	p("")
	p("coaching:")
	for i, c := range r.Coaching {
		turns := ""
		if len(c.Turns) > 0 {
			turns = " (turns " + FormatTurns(c.Turns) + ")"
		}
		p("%d. [%s]%s %s", i+1, c.Rule, turns, c.Message)
		if c.Better != "" {
			p("   try: %q", c.Better)
		}
	}
	p("")
	p("scenario %s", r.ScenarioHash)
	return b.String()
}

func writeParts(b *strings.Builder, parts []ScorePart) {
	for _, part := range parts {
		if part.Max > 0 {
			fmt.Fprintf(b, "  %+4d/%d %s: %s\n", part.Points, part.Max, part.Name, part.Why)
		} else {
			fmt.Fprintf(b, "  %+4d    %s: %s\n", part.Points, part.Name, part.Why)
		}
	}
}

func factList(facts []FactStatus) string {
	var found []string
	for _, f := range facts {
		if f.Turn > 0 {
			found = append(found, fmt.Sprintf("%s (turn %d)", f.ID, f.Turn))
		}
	}
	if len(found) == 0 {
		return ""
	}
	return ": " + strings.Join(found, ", ")
}

// FormatTurns writes turn numbers for people: "2, 5, 7".
func FormatTurns(turns []int) string {
	parts := make([]string, len(turns))
	for i, t := range turns {
		parts[i] = fmt.Sprint(t)
	}
	return strings.Join(parts, ", ")
}
