package sim

import (
	"fmt"
	"strings"

	"github.com/looplab/fsm"
)

// label names a transition as a diagram shows it: its acts and condition.
func (t *Transition) label() string {
	on := t.On.String()
	if t.When != nil {
		on += " [" + strings.Join(strings.Fields(t.When.Src), " ") + "]"
	}
	return on
}

// String lists the acts of a set, or "any".
func (s ActSet) String() string {
	if s&AnyAct != 0 {
		return "any"
	}
	var names []string
	for a := Act(0); a < NumActs; a++ {
		if s.Has(a) {
			names = append(names, a.String())
		}
	}
	return strings.Join(names, "|")
}

// sources are the states a transition can fire from.
func (s *Scenario) sources(t *Transition) []string {
	if !t.Wildcard {
		return t.From
	}
	var src []string
	for _, st := range s.States {
		if st.End == "" {
			src = append(src, st.Name)
		}
	}
	return src
}

// nameEvents gives each transition its fsm event name (its acts and
// condition, numbered when two from the same state would read the same) and
// lists the fsm events. Called once while loading; nothing changes after.
func (s *Scenario) nameEvents() {
	used := map[[2]string]bool{}
	for _, t := range s.Transitions {
		t.Name = t.label()
		for n := 2; ; n++ {
			clash := false
			for _, src := range s.sources(t) {
				clash = clash || used[[2]string{t.Name, src}]
			}
			if !clash {
				break
			}
			t.Name = fmt.Sprintf("%s (%d)", t.label(), n)
		}
		src := s.sources(t)
		for _, from := range src {
			used[[2]string{t.Name, from}] = true
		}
		if len(src) > 0 {
			s.events = append(s.events, fsm.EventDesc{Name: t.Name, Src: src, Dst: t.To})
		}
	}
}

// newFSM builds the persona's machine with looplab/fsm. Each transition is an
// event; the conversation evaluates guards itself and fires the event of the
// transition that matched, so the fsm only ever sees legal moves. There are
// no callbacks: the conversation records what happened from return values.
func (s *Scenario) newFSM() (*fsm.FSM, error) {
	if _, ok := s.stateIndex[s.Start]; !ok {
		return nil, fmt.Errorf("start state %q is not defined", s.Start)
	}
	return fsm.NewFSM(s.Start, s.events, fsm.Callbacks{}), nil
}

// Graph draws the persona's state machine as a Mermaid state diagram
// (format "mermaid") or Graphviz dot (format "dot").
func (s *Scenario) Graph(format string) (string, error) {
	f, err := s.newFSM()
	if err != nil {
		return "", err
	}
	switch format {
	case "", "mermaid":
		return fsm.VisualizeWithType(f, fsm.MermaidStateDiagram)
	case "dot":
		return fsm.VisualizeWithType(f, fsm.GRAPHVIZ)
	default:
		return "", fmt.Errorf("unknown graph format %q; use mermaid or dot", format)
	}
}
