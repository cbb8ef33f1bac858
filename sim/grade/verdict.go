package grade

import (
	"fmt"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// verdict says in one sentence what the call came to: passed or not, the
// profile, and how it ended, so the three never contradict each other.
func verdict(r *sim.Report) string {
	outcome := ""
	switch r.Outcome {
	case sim.Won:
		outcome = "the customer agreed to a next step"
	case sim.Lost:
		outcome = "the customer ended the call"
	default:
		outcome = "the call ended without a commitment"
	}
	profile := map[sim.Profile]string{
		sim.Balanced:    "balanced: you explored the customer's needs and asserted your side at the right moments",
		sim.SelfFocused: "self-focused: you pushed your own side (the product, the sale) more than you learned about the customer",
		sim.Yielding:    "yielding: you attended to the customer but did not assert your side (qualifying, asking for commitment, holding value)",
		sim.Passive:     "passive: you neither explored the customer's problems nor moved the sale forward",
	}[r.Profile]
	if r.Profile == sim.Yielding && r.CustomerFocus < r.High {
		profile = "yielding: you gave in to the customer (" + givenText(r) + ") instead of exploring their needs and asserting your side"
	}
	switch {
	case r.Passed:
		return fmt.Sprintf("Passed, %s, and %s (score %d, pass mark %d).", profile, outcome, r.Score, r.PassMark)
	case r.Profile != sim.Balanced:
		return fmt.Sprintf("Not passed, %s; %s.", profile, outcome)
	case r.Outcome == sim.Lost:
		return fmt.Sprintf("Not passed: balanced on the whole, but %s (%s).", outcome, r.Reason)
	default:
		return fmt.Sprintf("Not passed: balanced, but the score %d is under the pass mark %d; %s.", r.Score, r.PassMark, outcome)
	}
}

// givenText says what a yielding seller gave: "2 concessions for nothing,
// the decision let slide".
func givenText(r *sim.Report) string {
	var what []string
	if n := r.Concessions.Unconditional; n > 0 {
		what = append(what, sim.Plural(n, "concession")+" for nothing")
	}
	if len(r.NextStep.PutOff) > 0 {
		what = append(what, "the decision let slide")
	}
	return strings.Join(what, ", ")
}
