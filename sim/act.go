package sim

import (
	"fmt"
	"strings"
)

// An Act is what a sentence of the trainee does in the sale: the unit that
// personas react to and the grader counts. The set is closed; scenario files
// and JSON name acts by their String form.
type Act uint8

// The acts, grouped as the grader reads them.
const (
	Other Act = iota // greetings, small talk, anything else

	// Discovery (SPIN).
	Situation
	Problem
	Implication
	NeedPayoff

	// Qualification (BANT / MEDDIC).
	QualifyBudget
	QualifyAuthority
	QualifyTimeline
	QualifyProcess
	QualifyMetrics
	QualifyChampion

	// Self-focused moves.
	Pitch
	Concession
	Pressure
	Dismissive

	// Advancing.
	Close

	// Listening.
	Summary
	Empathy

	numActs
)

var actNames = [numActs]string{
	Other:            "other",
	Situation:        "situation",
	Problem:          "problem",
	Implication:      "implication",
	NeedPayoff:       "need_payoff",
	QualifyBudget:    "qualify_budget",
	QualifyAuthority: "qualify_authority",
	QualifyTimeline:  "qualify_timeline",
	QualifyProcess:   "qualify_process",
	QualifyMetrics:   "qualify_metrics",
	QualifyChampion:  "qualify_champion",
	Pitch:            "pitch",
	Concession:       "concession",
	Pressure:         "pressure",
	Dismissive:       "dismissive",
	Close:            "close",
	Summary:          "summary",
	Empathy:          "empathy",
}

// Acts lists every act in declaration order.
func Acts() []Act {
	out := make([]Act, numActs)
	for i := range out {
		out[i] = Act(i)
	}
	return out
}

func (a Act) String() string {
	if a < numActs {
		return actNames[a]
	}
	return fmt.Sprintf("act(%d)", uint8(a))
}

// ParseAct returns the act with the given name.
func ParseAct(name string) (Act, error) {
	for i, n := range actNames {
		if n == name {
			return Act(i), nil
		}
	}
	return Other, fmt.Errorf("unknown act %q (%s)", name, suggestAct(name))
}

func suggestAct(name string) string {
	best, bestD := "", 1<<30
	for _, n := range actNames {
		if d := editDistance(strings.ToLower(name), n); d < bestD {
			best, bestD = n, d
		}
	}
	if bestD <= 3 {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return "one of " + strings.Join(actNames[:], ", ")
}

// MarshalText writes the act's name.
func (a Act) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText reads an act's name.
func (a *Act) UnmarshalText(b []byte) error {
	v, err := ParseAct(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// IsDiscovery reports whether a is a SPIN question.
func (a Act) IsDiscovery() bool { return a >= Situation && a <= NeedPayoff }

// IsQualifying reports whether a is a BANT / MEDDIC qualifying question.
func (a Act) IsQualifying() bool { return a >= QualifyBudget && a <= QualifyChampion }

// editDistance is the Levenshtein distance, used to suggest names for typos.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
