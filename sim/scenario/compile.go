package scenario

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Compile: the decoded file merged with the defaults becomes a
// sim.Scenario: meters, facts, states, transitions, effects and replies,
// with guards parsed (expr.go) and names resolved.

func sourceHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// build validates a decoded file merged with the defaults and compiles it.
func (l *loader) build(name, src string, f *scenarioFile, fx located, def *scenarioFile, dx located) *sim.Scenario {
	s := &sim.Scenario{
		File:       name,
		ID:         f.ID,
		Title:      f.Title,
		Difficulty: f.Difficulty,
		Skills:     f.Skills,
		Brief:      strings.TrimSpace(f.Brief),
		Customer:   f.Customer,
		Product:    f.Product,
		Display:    sim.Display{Meters: true, Checklist: true},
		MaxTurns:   f.MaxTurns,
		Start:      f.Start,
		Grading:    sim.Grading{PassMark: 60, High: 50},
		Hash:       sourceHash(l.defaults, src),
		Source:     src,
		Defaults:   l.defaults,
		Vars:       sim.NewVarTable(),
	}
	if s.ID == "" {
		s.ID = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	if s.Difficulty == "" {
		s.Difficulty = "intermediate"
	}
	if s.MaxTurns == 0 {
		s.MaxTurns = 30
	}
	s.TimeUp = f.TimeUp
	if len(s.TimeUp) == 0 {
		s.TimeUp = def.TimeUp
	}
	l.checkTexts(s, f.TimeUp, fx, "time_up")
	s.NothingMore = f.NothingMore
	if len(s.NothingMore) == 0 {
		s.NothingMore = def.NothingMore
	}
	l.checkTexts(s, f.NothingMore, fx, "nothing_more")
	s.Synonyms = f.Synonyms
	if s.Start == "" {
		s.Start = "opening"
	}
	if s.Product.Currency == "" {
		s.Product.Currency = "USD"
	}
	if f.Display != nil {
		s.Display = *f.Display
	}
	if f.Grading != nil {
		s.Grading = *f.Grading
		if s.Grading.PassMark == 0 {
			s.Grading.PassMark = 60
		}
		if s.Grading.High == 0 {
			s.Grading.High = 50
		}
	}
	l.checkHeader(s, fx)

	on := func(b *bool) bool { return b == nil || *b }
	// Meters: the defaults', overridden or extended by name.
	type meterSrc struct {
		m meterFile
		x located
		i int
	}
	var meters []meterSrc
	if on(f.Defaults.Meters) {
		for i, m := range def.Meters {
			meters = append(meters, meterSrc{m, dx, i})
		}
	}
	for i, m := range f.Meters {
		replaced := false
		for j := range meters {
			if meters[j].m.Name == m.Name {
				meters[j] = meterSrc{mergeMeter(meters[j].m, m), fx, i}
				replaced = true
			}
		}
		if !replaced {
			meters = append(meters, meterSrc{m, fx, i})
		}
	}
	for _, ms := range meters {
		l.addMeter(s, ms.m, ms.x, fmt.Sprintf("meter[%d]", ms.i))
	}
	l.addFacts(s, f.Facts, fx)

	// States: the defaults' machine unless turned off, then the scenario's,
	// which may redefine a default state by name.
	if on(f.Defaults.Machine) {
		for i, st := range def.States {
			l.addState(s, st, dx, fmt.Sprintf("state[%d]", i))
		}
	}
	for i, st := range f.States {
		l.addState(s, st, fx, fmt.Sprintf("state[%d]", i))
	}
	if _, ok := l.states[s.Start]; !ok && len(s.States) > 0 {
		l.errAt(name, fx.pos.at("start"), "start state %q is not defined; add a [[state]] named %q or set start to one of: %s", s.Start, s.Start, strings.Join(stateNames(s), ", "))
	}
	for _, fact := range s.Facts {
		l.compileFactGuard(s, fact, f, fx)
	}

	// Transitions: wildcard ones first, so that running out of trust ends the
	// call whatever state it is in; the scenario's before the defaults'.
	var ts []*sim.Transition
	ts = append(ts, l.transitions(s, f.Transitions, fx)...)
	if on(f.Defaults.Machine) {
		ts = append(ts, l.transitions(s, def.Transitions, dx)...)
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Wildcard && !ts[j].Wildcard })
	s.Transitions = ts
	l.checkDuplicateTransitions(ts)

	// Effects: the defaults' (each replaced or turned off by a scenario
	// effect with its id), then the scenario's own.
	own := make([]effectFile, 0, len(f.Effects))
	ownAt := make([]int, 0, len(f.Effects))
	byID := map[string]int{}
	for i, ef := range f.Effects {
		if ef.ID != "" {
			byID[ef.ID] = i
		}
	}
	if on(f.Defaults.Effects) {
		for i, ef := range def.Effects {
			if j, ok := byID[ef.ID]; ok && ef.ID != "" {
				delete(byID, ef.ID)
				if !f.Effects[j].Off {
					s.Effects = append(s.Effects, l.effect(s, f.Effects[j], fx, fmt.Sprintf("effect[%d]", j)))
				}
				continue
			}
			s.Effects = append(s.Effects, l.effect(s, ef, dx, fmt.Sprintf("effect[%d]", i)))
		}
	}
	for i, ef := range f.Effects {
		if _, replaced := byID[ef.ID]; ef.ID != "" && !replaced {
			continue // replaced a default
		}
		if ef.Off {
			var ids []string
			for _, d := range def.Effects {
				if d.ID != "" {
					ids = append(ids, d.ID)
				}
			}
			l.errAt(fx.file, fx.pos.at(fmt.Sprintf("effect[%d]", i)), "off = true turns off a built-in effect, and there is none with id %q%s", ef.ID, suggestion(ef.ID, ids))
			continue
		}
		own, ownAt = append(own, ef), append(ownAt, i)
	}
	for k, ef := range own {
		s.Effects = append(s.Effects, l.effect(s, ef, fx, fmt.Sprintf("effect[%d]", ownAt[k])))
	}

	s.Replies = l.replies(s, f.Replies, fx)
	if on(f.Defaults.Replies) {
		s.Replies = append(s.Replies, l.replies(s, def.Replies, dx)...)
	}
	if f.Price != nil {
		s.Price = sim.Price{
			Objection:     f.Price.Objection,
			Unconditional: f.Price.Unconditional,
			Conditional:   f.Price.Conditional,
			Trade:         f.Price.Trade,
			CannotPromise: f.Price.CannotPromise,
			ObjectionJoin: f.Price.ObjectionJoin,
		}
		s.Price.ObjectionWhen = l.guard(s, f.Price.ObjectionWhen, fx, "price.objection_when")
		s.Price.AnsweredWhen = l.guard(s, f.Price.AnsweredWhen, fx, "price.answered_when")
		s.Price.AnsweredBy = defaultAnswers
		if f.Price.AnsweredBy != nil {
			s.Price.AnsweredBy = l.acts(f.Price.AnsweredBy, fx, "price.answered_by", false)
		}
		l.checkTexts(s, f.Price.Objection, fx, "price.objection")
		l.checkTexts(s, f.Price.Unconditional, fx, "price.unconditional")
		l.checkTexts(s, f.Price.Conditional, fx, "price.conditional")
		l.checkJoin(f.Price.ObjectionJoin, fx, "price.objection_join")
		for i, w := range f.Price.CannotPromise {
			if strings.TrimSpace(w) == "" {
				l.errAt(fx.file, fx.pos.at(fmt.Sprintf("price.cannot_promise[%d]", i)), "empty word; write what the customer cannot give in return, such as \"sign\"")
			}
		}
	}
	l.checkGraph(s)
	if len(l.diags) == 0 {
		if err := s.Finish(); err != nil {
			l.errAt(name, pos{1, 1}, "state machine: %v", err)
		}
	}
	return s
}

// defaultAnswers are the acts that answer a price objection unless the
// persona says otherwise: making the value bigger (implication, need-payoff)
// or showing the customer was heard (summary).
var defaultAnswers = sim.ActSet(1<<sim.Implication | 1<<sim.NeedPayoff | 1<<sim.Summary)

func mergeMeter(base, over meterFile) meterFile {
	if over.Start != nil {
		base.Start = over.Start
	}
	if over.Min != nil {
		base.Min = over.Min
	}
	if over.Max != nil {
		base.Max = over.Max
	}
	return base
}

func (l *loader) addMeter(s *sim.Scenario, m meterFile, x located, at string) {
	if !l.checkName(s, m.Name, "meter", x, at+".name") {
		return
	}
	v := sim.Meter{Name: m.Name, Min: 0, Max: 100, Start: 50}
	if m.Min != nil {
		v.Min = *m.Min
	}
	if m.Max != nil {
		v.Max = *m.Max
	}
	if m.Start != nil {
		v.Start = *m.Start
	}
	if v.Min >= v.Max || v.Start < v.Min || v.Start > v.Max {
		l.errAt(x.file, x.pos.at(at), "meter %q needs min < max and start between them (min %d, start %d, max %d)", v.Name, v.Min, v.Start, v.Max)
	}
	s.Vars.Add(v.Name)
	s.Meters = append(s.Meters, v)
}

func (l *loader) addFacts(s *sim.Scenario, facts []factFile, x located) {
	for i, ff := range facts {
		at := fmt.Sprintf("fact[%d]", i)
		kind := sim.FactKind(ff.Kind)
		if !kind.Known() {
			var kinds []string
			for _, k := range sim.FactKinds() {
				kinds = append(kinds, string(k))
			}
			hint := ""
			if c := closest(ff.Kind, kinds); c != "" {
				hint = fmt.Sprintf("did you mean %q? ", c)
			}
			l.errAt(x.file, x.pos.at(at+".kind"), "fact kind %q is not known; %suse one of: %s", ff.Kind, hint, strings.Join(kinds, ", "))
		}
		if len(ff.Reply) == 0 || strings.TrimSpace(ff.Reply[0]) == "" {
			l.errAt(x.file, x.pos.at(at), "fact %q has no reply: add reply = \"what the customer says when asked\"", ff.ID)
		}
		l.checkTexts(s, ff.Reply, x, at+".reply")
		l.checkTexts(s, ff.Deflect, x, at+".deflect")
		if !l.checkName(s, ff.ID, "fact", x, at+".id") {
			continue
		}
		fact := &sim.Fact{
			ID: ff.ID, Kind: kind, Label: ff.Label, Reply: ff.Reply, Pain: ff.Pain,
			Keywords: ff.Keywords, Question: ff.Question, Deflect: ff.Deflect,
			Reveal: ff.Reveal, At: x.at(at),
		}
		switch fact.Reveal {
		case "":
			fact.Reveal = sim.RevealOnAsk
		case sim.RevealOnAsk, sim.RevealOnMatch:
		default:
			l.errAt(x.file, x.pos.at(at+".reveal"), "reveal %q is not known; use reveal = %q (a question that matches the fact) or %q (the default: any question of its kind)", ff.Reveal, sim.RevealOnMatch, sim.RevealOnAsk)
		}
		if fact.Label == "" {
			fact.Label = strings.ReplaceAll(ff.ID, "_", " ")
		}
		for _, w := range sim.AppendStems(nil, fact.Label) {
			if len(w) >= 5 {
				fact.LabelStems = append(fact.LabelStems, w)
			}
		}
		l.facts[ff.ID] = len(s.Facts)
		s.Vars.Add(ff.ID)
		s.Facts = append(s.Facts, fact)
	}
	for i, fact := range s.Facts {
		at := fmt.Sprintf("fact[%d]", i)
		switch {
		case fact.Pain == "" && fact.Kind == sim.FactImplication:
			l.errAt(x.file, x.pos.at(at), "implication %q must name the pain it builds on: add pain = \"<id of a fact with kind = \\\"pain\\\">\"", fact.ID)
		case fact.Pain == "":
		case fact.Kind != sim.FactImplication && fact.Kind != sim.FactNeed:
			l.errAt(x.file, x.pos.at(at+".pain"), "only implication and need facts build on a pain; remove pain from this %s fact", fact.Kind)
		default:
			j, ok := l.facts[fact.Pain]
			if !ok {
				l.errAt(x.file, x.pos.at(at+".pain"), "pain %q is not a fact of this scenario%s", fact.Pain, suggestion(fact.Pain, factIDs(s, sim.FactPain)))
			} else if s.Facts[j].Kind != sim.FactPain {
				l.errAt(x.file, x.pos.at(at+".pain"), "%q is a %s fact, not a pain; name a fact with kind = \"pain\"", fact.Pain, s.Facts[j].Kind)
			}
		}
	}
}

func (l *loader) compileFactGuard(s *sim.Scenario, fact *sim.Fact, f *scenarioFile, x located) {
	for i := range f.Facts {
		if f.Facts[i].ID == fact.ID {
			fact.When = l.guard(s, f.Facts[i].When, x, fmt.Sprintf("fact[%d].when", i))
		}
	}
}

func (l *loader) addState(s *sim.Scenario, sf stateFile, x located, at string) {
	if !nameRe.MatchString(sf.Name) {
		l.errAt(x.file, x.pos.at(at+".name"), "state name %q must start with a lower-case letter and use only a-z, 0-9 and _", sf.Name)
		return
	}
	st := &sim.State{Name: sf.Name, Description: sf.Description, At: x.at(at)}
	switch sim.Outcome(sf.End) {
	case "", sim.Won, sim.Lost:
		st.End = sim.Outcome(sf.End)
	default:
		l.errAt(x.file, x.pos.at(at+".end"), "end %q is not an outcome; use end = \"won\" or end = \"lost\", or leave it out for a state the call goes on from", sf.End)
	}
	if sf.Reveals != nil {
		st.Reveals = []sim.FactKind{}
	}
	for i, k := range sf.Reveals {
		if !sim.FactKind(k).Known() {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("%s.reveals[%d]", at, i)), "reveals %q is not a fact kind; use kinds such as situation, pain, implication, need, budget", k)
			continue
		}
		st.Reveals = append(st.Reveals, sim.FactKind(k))
	}
	if old, ok := l.states[st.Name]; ok {
		if old.At.File == x.file {
			l.errAt(x.file, x.pos.at(at+".name"), "state %q is defined twice (first at line %d); give each state its own name", st.Name, old.At.Line)
			return
		}
		*old = *st // a scenario redefining a default state
		return
	}
	l.states[st.Name] = st
	s.States = append(s.States, st)
}

// acts reads a list of act names; "any" (or an empty list, when allowed) means every turn.
func (l *loader) acts(names []string, x located, at string, emptyIsAny bool) sim.ActSet {
	if len(names) == 0 && emptyIsAny {
		return sim.AnyAct
	}
	var set sim.ActSet
	for i, n := range names {
		if n == "any" {
			set |= sim.AnyAct
			continue
		}
		a, err := sim.ParseAct(n)
		if err != nil {
			l.errAt(x.file, x.pos.at(fmt.Sprintf("%s[%d]", at, i)), "%v", err)
			continue
		}
		set |= 1 << a
	}
	return set
}

func (l *loader) guard(s *sim.Scenario, src string, x located, at string) *sim.Guard {
	g, err := compileGuard(src, s.Vars.Slot)
	var ee *exprError
	if errors.As(err, &ee) {
		p := x.pos.at(at)
		col := p.Col + 1 + ee.Offset // +1 for the opening quote
		msg := ee.Msg
		if strings.HasPrefix(msg, "unknown name") {
			name := strings.Fields(src[ee.Offset:])[0]
			name = strings.TrimRight(name, ")")
			msg += suggestion(name, s.Vars.Names())
			if !strings.Contains(msg, "did you mean") {
				msg = fmt.Sprintf("unknown name %q in condition; use a meter, a fact id or one of: %s", name, strings.Join(sim.BuiltinVariables(), ", "))
			}
		}
		l.errAt(x.file, pos{p.Line, col}, "%s", msg)
	}
	return g
}

func (l *loader) transitions(s *sim.Scenario, tfs []transitionFile, x located) []*sim.Transition {
	var out []*sim.Transition
	for i, tf := range tfs {
		at := fmt.Sprintf("transition[%d]", i)
		t := &sim.Transition{
			Name:   fmt.Sprintf("%s:%d", x.file, x.pos.at(at).Line),
			On:     l.acts(tf.On, x, at+".on", true),
			To:     tf.To,
			When:   l.guard(s, tf.When, x, at+".when"),
			Reason: tf.Reason,
			At:     x.at(at),
		}
		if len(tf.From) == 0 {
			l.errAt(x.file, x.pos.at(at), "transition has no from: add from = \"<state>\" (or \"*\" for every state)")
		}
		for j, from := range tf.From {
			if from == "*" {
				t.Wildcard = true
				continue
			}
			if _, ok := l.states[from]; !ok {
				l.errAt(x.file, x.pos.at(fmt.Sprintf("%s.from[%d]", at, j)), "transition from %q: no such state%s", from, suggestion(from, stateNames(s)))
			}
			t.From = append(t.From, from)
		}
		if t.Wildcard && len(t.From) > 0 {
			l.errAt(x.file, x.pos.at(at+".from"), "from = \"*\" already means every state; list states or use \"*\", not both")
		}
		if tf.To == "" {
			l.errAt(x.file, x.pos.at(at), "transition has no to: add to = \"<state>\"")
		} else if dst, ok := l.states[tf.To]; !ok {
			l.errAt(x.file, x.pos.at(at+".to"), "transition to %q: no such state%s", tf.To, suggestion(tf.To, stateNames(s)))
		} else if slices.Contains(t.From, tf.To) {
			l.errAt(x.file, x.pos.at(at+".to"), "transition from %q to itself goes nowhere; remove it, or use an [[effect]] to change meters", tf.To)
		} else if dst.End == "" && t.Wildcard {
			l.errAt(x.file, x.pos.at(at+".to"), "a transition from \"*\" must go to an end state (end = \"won\" or \"lost\"), not %q", tf.To)
		}
		for _, from := range t.From {
			if st, ok := l.states[from]; ok && st.End != "" {
				l.errAt(x.file, x.pos.at(at+".from"), "state %q ends the call (end = %q); nothing can leave it", from, st.End)
			}
		}
		out = append(out, t)
	}
	return out
}

func (l *loader) effect(s *sim.Scenario, ef effectFile, x located, at string) *sim.Effect {
	e := &sim.Effect{
		On:     l.acts(ef.On, x, at+".on", true),
		When:   l.guard(s, ef.When, x, at+".when"),
		Reason: ef.Reason,
		At:     x.at(at),
	}
	if len(ef.Change) == 0 {
		l.errAt(x.file, x.pos.at(at), "effect changes nothing: add change = { trust = -5 } (meter names and amounts)")
	}
	names := make([]string, 0, len(ef.Change))
	for n := range ef.Change {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		mi := slices.IndexFunc(s.Meters, func(m sim.Meter) bool { return m.Name == n })
		if mi < 0 {
			var meters []string
			for _, m := range s.Meters {
				meters = append(meters, m.Name)
			}
			l.errAt(x.file, x.pos.key(at+".change."+n), "change names meter %q, which this scenario does not have%s", n, suggestion(n, meters))
			continue
		}
		e.Change = append(e.Change, sim.MeterDelta{Meter: mi, Delta: ef.Change[n]})
	}
	return e
}

func (l *loader) replies(s *sim.Scenario, rfs []replyFile, x located) []*sim.Reply {
	var out []*sim.Reply
	for i, rf := range rfs {
		at := fmt.Sprintf("reply[%d]", i)
		r := &sim.Reply{State: rf.State, Enter: rf.Enter, Text: rf.Text, At: x.at(at)}
		if rf.Enter {
			if len(rf.On) > 0 {
				l.errAt(x.file, x.pos.at(at+".on"), "a reply with enter = true is said on entering the state; remove on")
			}
			if rf.State == "" {
				l.errAt(x.file, x.pos.at(at), "a reply with enter = true needs the state it is said on entering: add state = \"...\"")
			}
		} else {
			r.On = l.acts(rf.On, x, at+".on", true)
		}
		if rf.State != "" {
			if _, ok := l.states[rf.State]; !ok && x.file == DefaultsFile {
				continue // a default reply for a default state the scenario replaced
			} else if !ok {
				l.errAt(x.file, x.pos.at(at+".state"), "reply for state %q: no such state%s", rf.State, suggestion(rf.State, stateNames(s)))
			}
		}
		r.When = l.guard(s, rf.When, x, at+".when")
		if len(rf.Text) == 0 {
			l.errAt(x.file, x.pos.at(at), "reply has no text: add text = [\"...\"]")
		}
		l.checkTexts(s, rf.Text, x, at+".text")
		out = append(out, r)
	}
	return out
}
