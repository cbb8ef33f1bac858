package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Lint: what loads and runs may still not play as the author meant. These
// are warnings, found on a loaded scenario, with the reader the trainee's
// lines will be read by (the classifier):
//
//   - a fact's question is not read as that fact's act, or asking it does
//     not reveal that fact;
//   - a state whose only way out is a "*" transition to a lost state;
//   - a condition that can never hold, given the meters' ranges;
//   - two transitions that fire in one turn, into a state and straight
//     out of it, on the same act.
func Lint(s *sim.Scenario, rd sim.Reader) Diagnostics {
	var ds Diagnostics
	warn := func(at sim.Place, format string, args ...any) {
		ds = append(ds, Diagnostic{File: at.File, Line: at.Line, Col: at.Col, Message: "warning: " + fmt.Sprintf(format, args...)})
	}
	if rd != nil {
		lintQuestions(s, rd, warn)
	}
	lintWayOut(s, warn)
	lintGuards(s, warn)
	lintChains(s, warn)
	return ds.sorted()
}

func lintQuestions(s *sim.Scenario, rd sim.Reader, warn func(sim.Place, string, ...any)) {
	for _, f := range s.Facts {
		if f.Question == "" {
			continue
		}
		dets := rd.Read(f.Question, s.Vocabulary())
		want := f.Kind.Act()
		var read []string
		found := false
		for _, d := range dets {
			read = append(read, d.Act.String())
			found = found || d.Act == want
		}
		if !found {
			warn(f.At, "fact %q: its question %q is read as %s, not %s, so asking it does not reveal the fact; reword it (roleplay classify shows how a line is read)", f.ID, f.Question, strings.Join(read, ", "), want)
			continue
		}
		var out []string
		if f.Pain != "" {
			out = append(out, f.Pain)
		} else if f.Kind == sim.FactNeed {
			for _, p := range s.Facts {
				if p.Kind == sim.FactPain {
					out = append(out, p.ID)
					break
				}
			}
		}
		for _, st := range s.States {
			if !st.RevealsKind(f.Kind) {
				continue
			}
			if got := s.FactAsked(st.Name, dets, out...); got != f.ID {
				other := "no fact"
				if got != "" {
					other = fmt.Sprintf("fact %q", got)
				}
				warn(f.At, "fact %q: its question %q reveals %s; give the fact keywords or a label with the question's words", f.ID, f.Question, other)
			}
			break
		}
	}
}

// lintWayOut warns about states the call can leave only by losing on a
// "*" transition (trust or patience running out).
func lintWayOut(s *sim.Scenario, warn func(sim.Place, string, ...any)) {
	for _, st := range s.States {
		if st.End != "" {
			continue
		}
		own, wildToLost := false, false
		for _, t := range s.Transitions {
			if t.Wildcard {
				wildToLost = wildToLost || s.State(t.To).End == sim.Lost
			} else if slices.Contains(t.From, st.Name) {
				own = true
			}
		}
		if !own && wildToLost {
			warn(st.At, "state %q has no way out but a \"*\" transition to a lost state: once there, the trainee can only lose; add a transition from it", st.Name)
		}
	}
}

// lintGuards warns about conditions that can never hold.
func lintGuards(s *sim.Scenario, warn func(sim.Place, string, ...any)) {
	ranges := map[int][2]int{}
	for i, m := range s.Meters {
		if slot, ok := s.Vars.Slot(m.Name); ok {
			ranges[slot] = [2]int{m.Min, m.Max}
		}
		_ = i
	}
	for _, f := range s.Facts {
		if slot, ok := s.Vars.Slot(f.ID); ok {
			ranges[slot] = [2]int{0, 1}
		}
	}
	check := func(g *sim.Guard, at sim.Place) {
		if g == nil || g.Root == nil {
			return
		}
		if why := never(g.Root, ranges, s.Vars.Names()); why != "" {
			warn(at, "condition %q can never hold: %s", strings.Join(strings.Fields(g.Src), " "), why)
		}
	}
	for _, t := range s.Transitions {
		check(t.When, t.At)
	}
	for _, e := range s.Effects {
		check(e.When, e.At)
	}
	for _, r := range s.Replies {
		check(r.When, r.At)
	}
	for _, f := range s.Facts {
		check(f.When, f.At)
	}
}

// never says why a condition can never hold, or "". It knows the ranges
// of meters and facts, and that counters are never negative; it looks at
// comparisons of a variable with a number, joined by and / or.
func never(n sim.Node, ranges map[int][2]int, names []string) string {
	switch n := n.(type) {
	case sim.And:
		if w := never(n.X, ranges, names); w != "" {
			return w
		}
		return never(n.Y, ranges, names)
	case sim.Or:
		if a, b := never(n.X, ranges, names), never(n.Y, ranges, names); a != "" && b != "" {
			return a + "; " + b
		}
	case sim.Cmp:
		v, okV := n.X.(sim.Var)
		c, okC := n.Y.(sim.Const)
		if !okV || !okC {
			return ""
		}
		r, known := ranges[int(v)]
		if !known {
			r = [2]int{0, 1 << 30} // a counter
		}
		lo, hi, k := r[0], r[1], int(c)
		possible := true
		switch n.Op {
		case ">=":
			possible = hi >= k
		case ">":
			possible = hi > k
		case "<=":
			possible = lo <= k
		case "<":
			possible = lo < k
		case "==":
			possible = lo <= k && k <= hi
		}
		if !possible {
			name := names[v]
			if known {
				return fmt.Sprintf("%s runs from %d to %d", name, lo, hi)
			}
			return fmt.Sprintf("%s is never below 0", name)
		}
	}
	return ""
}

// lintChains warns about a transition into a state and one out of it that
// fire in the same turn on the same act, so the state is never really in
// ("*" transitions, which end the call from anywhere, are left out).
func lintChains(s *sim.Scenario, warn func(sim.Place, string, ...any)) {
	for _, in := range s.Transitions {
		if in.On&sim.AnyAct != 0 || s.State(in.To) == nil || s.State(in.To).End != "" {
			continue
		}
		for _, out := range s.Transitions {
			if out == in || out.On&sim.AnyAct != 0 || in.On&out.On == 0 {
				continue
			}
			if out.Wildcard || !slices.Contains(out.From, in.To) {
				continue // "*" transitions end the call from anywhere, on purpose
			}
			warn(out.At, "a turn with %s moves into %q (line %d) and straight out of it here, in one turn: the customer never reacts in %q; use another act or a condition on one of them", (in.On & out.On).String(), in.To, in.At.Line, in.To)
		}
	}
}
