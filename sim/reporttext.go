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
	p("%s", r.Verdict)
	p("profile %s: customer focus %d, self-focus %d, quality %d; score %d (pass mark %d)", r.Profile, r.CustomerFocus, r.SelfFocus, r.Quality, r.Score, r.PassMark)
	p("")
	p("customer focus %d", r.CustomerFocus)
	writeParts(&b, r.CustomerFocusParts)
	p("self-focus %d (how much the seller pushed their side; capped at 100)", r.SelfFocus)
	writeParts(&b, r.SelfFocusParts)
	p("quality %d (how well they pushed)", r.Quality)
	writeParts(&b, r.QualityParts)
	if r.GaveIn > 0 {
		p("gave in %d (gifts and decisions let slide: the yielding side)", r.GaveIn)
		writeParts(&b, r.GaveInParts)
	}
	p("")
	p("SPIN: %d situation, %d problem, %d implication, %d need-payoff", r.SPIN.Situation, r.SPIN.Problem, r.SPIN.Implication, r.SPIN.NeedPayoff)
	p("discovery: %d of %d facts%s", r.Discovery.Found, r.Discovery.Total, factList(r.Discovery.Facts))
	p("qualification: %d of %d facts%s", r.Qualification.Found, r.Qualification.Total, factList(r.Qualification.Facts))
	pitch := "never pitched"
	if r.Pitch.Count > 0 {
		pitch = fmt.Sprintf("%s, first in turn %d, %d before any problem was known, %d tailored", Plural(r.Pitch.Count, "pitch"), r.Pitch.FirstTurn, r.Pitch.Early, r.Pitch.Tailored)
	}
	p("pitch: %s", pitch)
	if r.Concessions.Count > 0 {
		p("concessions: %d (%d unconditional, %d conditional; deepest discount %.1f%%)", r.Concessions.Count, r.Concessions.Unconditional, r.Concessions.Conditional, r.Concessions.DeepestPercent)
	} else {
		p("concessions: none")
	}
	next := "never asked for a next step"
	if r.NextStep.Asked {
		next = "asked in " + TurnsText(r.NextStep.Turns)
		if r.NextStep.Committed {
			next += "; the customer committed"
		}
	}
	p("next step: %s", next)
	if len(r.RedFlags.Pressure) > 0 {
		p("red flag: pressure in %s", TurnsText(r.RedFlags.Pressure))
	}
	if len(r.RedFlags.Dismissive) > 0 {
		p("red flag: dismissive remarks in %s", TurnsText(r.RedFlags.Dismissive))
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
			turns = " (" + TurnsText(c.Turns) + ")"
		}
		p("%d. [%s]%s %s", i+1, c.Rule, turns, c.Message)
		if c.Better != "" {
			p("   try: %q", c.Better)
		}
	}
	if len(r.Corrections) > 0 {
		p("")
		p("corrected by the trainee (played as meant):")
		for _, c := range r.Corrections {
			p("  turn %d: read as %s, meant as %s: %q", c.Turn, ActNames(c.Read), ActNames(c.Meant), c.Said)
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

// TurnsText writes "turn 3" or "turns 2, 5".
func TurnsText(turns []int) string {
	if len(turns) == 1 {
		return "turn " + FormatTurns(turns)
	}
	return "turns " + FormatTurns(turns)
}

// Plural writes a count with its noun: "1 turn", "2 turns", "3 pitches".
func Plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	switch {
	case strings.HasSuffix(noun, "ch") || strings.HasSuffix(noun, "sh") || strings.HasSuffix(noun, "s") || strings.HasSuffix(noun, "x"):
		return fmt.Sprintf("%d %ses", n, noun)
	case strings.HasSuffix(noun, "y") && !strings.ContainsAny(noun[len(noun)-2:len(noun)-1], "aeiou"):
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
