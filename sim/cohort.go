package sim

import (
	"fmt"
	"slices"
	"strings"
)

// A Cohort is what many calls of one scenario did, on the persona's state
// graph: how many reached each state, where they ended and were lost,
// which moves they made, and which facts they uncovered.
type Cohort struct {
	Scenario string       `json:"scenario"`
	Calls    int          `json:"calls"` // graded calls counted
	States   []StateCount `json:"states"`
	Moves    []MoveCount  `json:"moves"`
	Facts    []FactCount  `json:"facts"` // rarest first
	// Graph is the state graph as a Mermaid flowchart, each state shaded by
	// how many calls reached it, each move labelled with how many made it.
	Graph string `json:"graph"`
}

// StateCount is one state and the calls that reached it, ended in it, and
// were lost in it.
type StateCount struct {
	Name    string  `json:"name"`
	End     Outcome `json:"end,omitempty"`
	Reached int     `json:"reached"`
	Ended   int     `json:"ended"`
	Lost    int     `json:"lost"`
}

// MoveCount is a move from one state to another and how many calls made it.
type MoveCount struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Calls int    `json:"calls"`
}

// FactCount is one fact and how many calls uncovered it.
type FactCount struct {
	ID    string   `json:"id"`
	Kind  FactKind `json:"kind"`
	Label string   `json:"label"`
	Found int      `json:"found"`
}

// NewCohort counts the reports of calls played on sc (any version of it:
// states and facts that a version lacks are counted by name).
func NewCohort(sc *Scenario, reports []*Report) Cohort {
	co := Cohort{Scenario: sc.ID, Calls: len(reports)}
	idx := map[string]int{}
	addState := func(name string, end Outcome) int {
		if i, ok := idx[name]; ok {
			return i
		}
		idx[name] = len(co.States)
		co.States = append(co.States, StateCount{Name: name, End: end})
		return idx[name]
	}
	for _, st := range sc.States {
		addState(st.Name, st.End)
	}
	moves := map[[2]string]int{}
	facts := map[string]int{}
	for _, r := range reports {
		seen := map[string]bool{sc.Start: true}
		last := sc.Start
		for _, t := range r.Transcript {
			if t.From != t.To && t.To != "" {
				k := [2]string{t.From, t.To}
				if !seen[t.From+"\x00"+t.To] {
					seen[t.From+"\x00"+t.To] = true
					moves[k]++
				}
			}
			if t.To != "" {
				seen[t.To] = true
				last = t.To
			}
		}
		for name := range seen {
			if !strings.Contains(name, "\x00") {
				co.States[addState(name, "")].Reached++
			}
		}
		i := addState(last, "")
		co.States[i].Ended++
		if r.Outcome == Lost {
			co.States[i].Lost++
		}
		for _, cov := range []Coverage{r.Discovery, r.Qualification} {
			for _, f := range cov.Facts {
				if f.Turn > 0 {
					facts[f.ID]++
				}
			}
		}
	}
	for k, n := range moves {
		co.Moves = append(co.Moves, MoveCount{From: k[0], To: k[1], Calls: n})
	}
	slices.SortFunc(co.Moves, func(a, b MoveCount) int {
		return strings.Compare(a.From+"\x00"+a.To, b.From+"\x00"+b.To)
	})
	for _, f := range sc.Facts {
		co.Facts = append(co.Facts, FactCount{ID: f.ID, Kind: f.Kind, Label: f.Label, Found: facts[f.ID]})
	}
	slices.SortStableFunc(co.Facts, func(a, b FactCount) int { return a.Found - b.Found })
	co.Graph = co.mermaid(sc)
	return co
}

// mermaid draws the cohort as a Mermaid flowchart: every move the persona
// allows, dashed where no call made it, and each state in one of five
// shades by the share of calls that reached it.
func (co *Cohort) mermaid(sc *Scenario) string {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	node := map[string]string{}
	for i, st := range co.States {
		node[st.Name] = fmt.Sprintf("s%d", i)
		label := fmt.Sprintf("%s<br/>reached %d", mermaidText(st.Name), st.Reached)
		if st.Lost > 0 {
			label += fmt.Sprintf(" · lost %d", st.Lost)
		}
		open, shut := "[", "]"
		if st.End != "" {
			open, shut = "([", "])"
		}
		fmt.Fprintf(&b, "  %s%s\"%s\"%s\n", node[st.Name], open, label, shut)
	}
	made := map[[2]string]int{}
	for _, m := range co.Moves {
		made[[2]string{m.From, m.To}] = m.Calls
	}
	drawn := map[[2]string]bool{}
	edge := func(from, to string) {
		k := [2]string{from, to}
		if from == to || drawn[k] || node[from] == "" || node[to] == "" {
			return
		}
		drawn[k] = true
		if n := made[k]; n > 0 {
			fmt.Fprintf(&b, "  %s -->|%d| %s\n", node[from], n, node[to])
		} else {
			fmt.Fprintf(&b, "  %s -.-> %s\n", node[from], node[to])
		}
	}
	for _, t := range sc.Transitions {
		from := t.From
		if t.Wildcard {
			from = nil
			for _, st := range sc.States {
				if st.End == "" {
					from = append(from, st.Name)
				}
			}
		}
		for _, f := range from {
			edge(f, t.To)
		}
	}
	for _, m := range co.Moves { // moves of other versions
		edge(m.From, m.To)
	}
	for i := range 5 {
		fmt.Fprintf(&b, "  classDef heat%d fill:%s,stroke:#334155,color:%s\n", i, heatFill[i], heatText[i])
	}
	for _, st := range co.States {
		level := 0
		if co.Calls > 0 {
			level = min(4, st.Reached*5/co.Calls)
			if st.Reached > 0 {
				level = max(level, 1)
			}
		}
		fmt.Fprintf(&b, "  class %s heat%d\n", node[st.Name], level)
	}
	return b.String()
}

var (
	heatFill = [5]string{"#f1f5f9", "#dbeafe", "#93c5fd", "#3b82f6", "#1e3a8a"}
	heatText = [5]string{"#475569", "#1e293b", "#0f172a", "#ffffff", "#ffffff"}
)

// mermaidText escapes a name for a quoted Mermaid label.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ")
	return r.Replace(s)
}
