package scenario

import (
	"fmt"
	"sort"
	"strings"
)

// A Diagnostic is one thing wrong in a scenario file, placed where the author
// can find it. Message says what is wrong and what would be right.
type Diagnostic struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	// knockOn marks a problem that may follow from another (a state
	// unreachable because a transition names a misspelled one): listed
	// after the root causes of its file.
	knockOn bool
}

func (p Diagnostic) Error() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
}

// Diagnostics is every problem found while loading scenarios, in file and line
// order. Loading reports all of them at once rather than stopping at the first.
type Diagnostics []Diagnostic

func (ps Diagnostics) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

func (ps Diagnostics) sorted() Diagnostics {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.knockOn != b.knockOn {
			return !a.knockOn
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return ps
}
