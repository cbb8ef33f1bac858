package scenario

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Check: what compiles may still be wrong for an author: names, texts,
// duplicate transitions, and the graph (unreachable states, states with no
// way out, facts nothing can reveal). Every problem is reported with a hint.

// closest returns the name nearest to s if it is near enough to be a typo.
func closest(s string, names []string) string {
	if best, ok := sim.Suggest(s, names, max(1, len(s)/3)); ok {
		return best
	}
	return ""
}

var (
	idRe   = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`) // scenario ids appear in URLs
	nameRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)  // names appear in conditions
)

var difficulties = []string{"beginner", "intermediate", "advanced"}

func (l *loader) checkHeader(s *sim.Scenario, x located) {
	need := func(v, key, what string) {
		if strings.TrimSpace(v) == "" {
			l.errAt(x.file, x.pos.at(key), "missing %s: add %s = \"...\"", what, key)
		}
	}
	need(s.Customer.Name, "customer.name", "the customer's name")
	need(s.Customer.Opening, "customer.opening", "the customer's opening line")
	need(s.Product.Name, "product.name", "the name of what the trainee sells")
	if s.Title == "" {
		s.Title = s.Customer.Name
	}
	if !slices.Contains(difficulties, s.Difficulty) {
		l.errAt(x.file, x.pos.at("difficulty"), "difficulty %q is not known; use one of: %s", s.Difficulty, strings.Join(difficulties, ", "))
	}
	if s.MaxTurns < 1 || s.MaxTurns > 200 {
		l.errAt(x.file, x.pos.at("max_turns"), "max_turns must be between 1 and 200, not %d", s.MaxTurns)
	}
	if !idRe.MatchString(s.ID) {
		l.errAt(x.file, x.pos.at("id"), "id %q must be lower case letters, digits, - or _; set id = \"...\" explicitly", s.ID)
	}
	if s.Product.ListPrice < 0 {
		l.errAt(x.file, x.pos.at("product.list_price"), "list_price cannot be negative")
	}
	if s.Grading.PassMark < 0 || s.Grading.PassMark > 100 || s.Grading.High < 0 || s.Grading.High > 100 {
		l.errAt(x.file, x.pos.at("grading"), "grading pass_mark and high are scores from 0 to 100")
	}
	l.checkCoachFirst(s, x)
	names := make([]string, 0, len(s.Grading.Weights))
	for n := range s.Grading.Weights {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		at := x.pos.key("grading.weights." + n)
		switch w := s.Grading.Weights[n]; {
		case !slices.Contains(sim.WeightNames, n):
			l.errAt(x.file, at, "weight %q names no part of the grade%s", n, suggestion(n, sim.WeightNames))
		case w < 0 || w > 10:
			l.errAt(x.file, at, "weight %s = %g: use a number from 0 (leave the part out) to 10", n, w)
		}
	}
}

func (l *loader) checkCoachFirst(s *sim.Scenario, x located) {
	for i, rule := range s.Grading.CoachFirst {
		if !slices.Contains(sim.CoachingRules, rule) {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("grading.coach_first[%d]", i)), "coach_first %q is not a coaching rule%s", rule, suggestion(rule, sim.CoachingRules))
		}
	}
}

func (l *loader) checkName(s *sim.Scenario, name, what string, x located, path string) bool {
	if !nameRe.MatchString(name) {
		l.errAt(x.file, x.pos.at(path), "%s name %q must start with a lower-case letter and use only a-z, 0-9 and _ (it is used in conditions)", what, name)
		return false
	}
	if _, taken := s.Vars.Slot(name); taken {
		where, ok := l.named[name]
		if !ok {
			where = "a built-in counter"
		}
		l.errAt(x.file, x.pos.at(path), "%s name %q is already used by %s; choose another", what, name, where)
		return false
	}
	if x.file == DefaultsFile {
		l.named[name] = fmt.Sprintf("the built-in %s %q", what, name)
	} else {
		l.named[name] = fmt.Sprintf("the %s at line %d", what, x.pos.at(path).Line)
	}
	return true
}

func factIDs(s *sim.Scenario, kind sim.FactKind) []string {
	var ids []string
	for _, f := range s.Facts {
		if f.Kind == kind {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

func suggestion(name string, names []string) string {
	if c := closest(name, names); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	if len(names) > 0 {
		return "; known: " + strings.Join(names, ", ")
	}
	return ""
}

func stateNames(s *sim.Scenario) []string {
	var names []string
	for _, st := range s.States {
		names = append(names, st.Name)
	}
	return names
}

func (l *loader) checkDuplicateTransitions(ts []*sim.Transition) {
	type key struct {
		from string
		on   sim.ActSet
		when string
	}
	seen := map[key]*sim.Transition{}
	for _, t := range ts {
		froms := t.From
		if t.Wildcard {
			froms = []string{"*"}
		}
		w := ""
		if t.When != nil {
			w = strings.Join(strings.Fields(t.When.Src), " ")
		}
		for _, from := range froms {
			k := key{from, t.On, w}
			if first, dup := seen[k]; dup {
				if first.At.File == t.At.File {
					l.errAt(t.At.File, pos{t.At.Line, t.At.Col}, "duplicate transition: from %q on the same acts and condition as the one at line %d, which always wins; remove one or give it another condition", from, first.At.Line)
				}
				continue
			}
			seen[k] = t
		}
	}
}

var placeholderRe = regexp.MustCompile(`\{[^{}]*\}`)

// placeholders are the names a reply can use in braces.
var placeholders = []string{"{customer}", "{role}", "{company}", "{product}", "{vendor}", "{price}"}

func (l *loader) checkTexts(s *sim.Scenario, texts []string, x located, at string) {
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("%s[%d]", at, i)), "empty text; write what the customer says")
		}
		for _, ph := range placeholderRe.FindAllString(t, -1) {
			if !slices.Contains(placeholders, ph) {
				l.errAt(x.file, x.pos.at(fmt.Sprintf("%s[%d]", at, i)), "unknown placeholder %s; use one of %s", ph, strings.Join(placeholders, " "))
			}
		}
	}
}

// checkJoin checks how a persona joins its price objection to the answer
// of the same turn: {objection} must be there, {answer} may be left out
// (the objection then stands alone), and the usual placeholders work.
func (l *loader) checkJoin(join string, x located, at string) {
	if join == "" {
		return
	}
	if !strings.Contains(join, "{objection}") {
		l.errAt(x.file, x.pos.at(at), "objection_join must contain {objection}, and may contain {answer}: e.g. \"{answer} But {objection}\"")
	}
	for _, ph := range placeholderRe.FindAllString(join, -1) {
		if ph != "{answer}" && ph != "{objection}" && !slices.Contains(placeholders, ph) {
			l.errAt(x.file, x.pos.at(at), "unknown placeholder %s; use {answer}, {objection} or one of %s", ph, strings.Join(placeholders, " "))
		}
	}
}

// checkGraph finds states the call can never reach, states it can never
// leave, and facts no reachable state reveals.
func (l *loader) checkGraph(s *sim.Scenario) {
	if len(s.States) == 0 {
		l.errAt(s.File, pos{1, 1}, "the scenario has no states; keep the default machine (remove [defaults] machine = false) or add [[state]] tables")
		return
	}
	if l.states[s.Start] == nil {
		return // reported already
	}
	succ := map[string][]string{}
	var wild []string
	for _, t := range s.Transitions {
		if l.states[t.To] == nil {
			continue // reported already
		}
		if t.Wildcard {
			wild = append(wild, t.To)
			continue
		}
		for _, from := range t.From {
			succ[from] = append(succ[from], t.To)
		}
	}
	next := func(st string) []string {
		if l.states[st] == nil || l.states[st].End != "" {
			return nil
		}
		return append(append([]string{}, succ[st]...), wild...)
	}
	reach := map[string]bool{s.Start: true}
	queue := []string{s.Start}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for _, n := range next(st) {
			if !reach[n] {
				reach[n] = true
				queue = append(queue, n)
			}
		}
	}
	wonReachable := false
	for _, st := range s.States {
		if !reach[st.Name] {
			l.knockOnAt(st.At.File, pos{st.At.Line, st.At.Col}, "state %q can never be reached from %q; add a transition to it or remove it", st.Name, s.Start)
			continue
		}
		if st.End == sim.Won {
			wonReachable = true
		}
		if st.End != "" {
			continue
		}
		// Can this state lead to any end?
		seen := map[string]bool{st.Name: true}
		q := []string{st.Name}
		ends := false
		for len(q) > 0 && !ends {
			cur := q[0]
			q = q[1:]
			for _, n := range next(cur) {
				if l.states[n].End != "" {
					ends = true
				}
				if !seen[n] {
					seen[n] = true
					q = append(q, n)
				}
			}
		}
		if !ends {
			l.knockOnAt(st.At.File, pos{st.At.Line, st.At.Col}, "state %q has no way out: no transition from it leads to an end state; add one (for example to a state with end = \"won\" on close)", st.Name)
		}
	}
	if !wonReachable {
		l.knockOnAt(s.File, pos{1, 1}, "no state with end = \"won\" can be reached, so the trainee can never win; add a transition to one")
	}
	for _, fact := range s.Facts {
		if !fact.Kind.Known() {
			continue // reported already
		}
		revealed := false
		for _, st := range s.States {
			if reach[st.Name] && st.RevealsKind(fact.Kind) {
				revealed = true
			}
		}
		if !revealed {
			l.knockOnAt(fact.At.File, pos{fact.At.Line, fact.At.Col}, "fact %q can never be revealed: no reachable state reveals %s facts; add %q to a state's reveals", fact.ID, fact.Kind, fact.Kind)
		}
	}
}
