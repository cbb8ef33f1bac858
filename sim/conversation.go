package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/looplab/fsm"
)

// Errors a conversation returns for turns it cannot take.
var (
	ErrEnded     = errors.New("the call has ended")
	ErrEmptyTurn = errors.New("say something: the turn is empty")
	ErrTooLong   = fmt.Errorf("a turn can be at most %d characters", MaxTurnLength)
)

// MaxTurnLength bounds one trainee turn, in characters (Unicode code
// points, counted after Clean), not bytes: a page that lets a trainee type
// 4000 characters must not be refused for writing Chinese. A browser's
// maxlength counts UTF-16 units, never fewer than code points, so a line the
// page accepts is never too long here.
const MaxTurnLength = 4000

// A Conversation is one call between a trainee and a persona. It takes the
// trainee's turns one at a time and returns what happened; it does no I/O,
// reads no clock and draws no global randomness, so the same scenario and
// the same turns always give the same results. One goroutine uses it at a time.
type Conversation struct {
	s      *Scenario
	reader Reader
	// machine is built at the call's first transition (many calls end
	// before one, and building it is most of starting a call); until then
	// the persona is in its start state.
	machine  *fsm.FSM
	vars     []int
	revealed []int // per fact: the turn that revealed it, or 0
	turns    []Turn
	// readBy is, per turn, the version of the reader that read it; nil
	// while every turn was read by reader, so Say allocates nothing for it.
	readBy  []string
	outcome Outcome
	reason  string
	ended   bool
	ending  Ending

	// Scratch space reused across turns, so a turn allocates little.
	scratch
	used []bool // per transition: fired this turn
}

// A Turn is what happened when the trainee said something.
type Turn struct {
	N           int           `json:"n"`
	Said        string        `json:"said"`
	Acts        []Detection   `json:"acts"`
	From        string        `json:"from"`
	To          string        `json:"to"`
	Transitions []string      `json:"transitions,omitempty"` // why the state changed
	Meters      []MeterChange `json:"meters"`
	Effects     []string      `json:"effects,omitempty"`  // why the meters moved
	Revealed    []string      `json:"revealed,omitempty"` // fact ids
	Withheld    []string      `json:"withheld,omitempty"` // facts asked for but kept back
	// Again names a fact asked about that was revealed before; Unmatched
	// is set when the question was about something no fact covers.
	Again     string `json:"again,omitempty"`
	Unmatched bool   `json:"unmatched,omitempty"`
	// Repeat is set when the trainee asked the customer to say it again.
	Repeat    bool `json:"repeat,omitempty"`
	Objection bool `json:"objection,omitempty"` // the customer raised the price objection
	Answered  bool `json:"answered,omitempty"`  // the turn answered the open objection
	// Hollow is set when the turn's trade asked for something the customer
	// cannot deliver (the persona's price.cannot_promise): it counts as a
	// concession given for nothing.
	Hollow bool `json:"hollow,omitempty"`
	// Discount is the deepest discount offered this turn, in percent of the
	// list price, whether stated as a percentage or as a new price.
	Discount   float64 `json:"discount,omitempty"`
	EarlyPitch bool    `json:"early_pitch,omitempty"`
	Tailored   bool    `json:"tailored,omitempty"`
	Reply      string  `json:"reply"`
	// Read is set when the trainee corrected the turn's reading: what the
	// classifier read, while Acts are what the trainee meant (correct.go).
	Read    []Detection `json:"read,omitempty"`
	Ended   bool        `json:"ended,omitempty"`
	Outcome Outcome     `json:"outcome"`
	Reason  string      `json:"reason,omitempty"`
}

// A MeterChange is a meter's value after a turn and how much the turn moved it.
type MeterChange struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
	Delta int    `json:"delta"`
}

// Has reports whether the turn holds act a.
func (t *Turn) Has(a Act) bool {
	for _, d := range t.Acts {
		if d.Act == a {
			return true
		}
	}
	return false
}

// NewConversation starts a call on s, with the customer's opening line
// said. r reads the trainee's turns for Say; it may be nil for a
// conversation that only plays recorded acts (Play).
func NewConversation(s *Scenario, r Reader) *Conversation {
	if _, ok := s.stateIndex[s.Start]; !ok {
		panic(fmt.Sprintf("sim: scenario %s passed validation but has no start state %q", s.ID, s.Start)) // Load guarantees this
	}
	c := &Conversation{
		s:        s,
		reader:   r,
		vars:     make([]int, len(s.Vars.names)),
		revealed: make([]int, len(s.Facts)),
		outcome:  Open,
		used:     make([]bool, len(s.Transitions)),
	}
	for i, m := range s.Meters {
		c.vars[numBuiltins+i] = m.Start
	}
	return c
}

// Scenario is the persona this call is with.
func (c *Conversation) Scenario() *Scenario { return c.s }

// Opening is the customer's first line.
func (c *Conversation) Opening() string { return c.s.fill(c.s.Customer.Opening) }

// State is the persona's current state.
func (c *Conversation) State() string {
	if c.machine == nil {
		return c.s.Start
	}
	return c.machine.Current()
}

// Ended reports whether the call is over.
func (c *Conversation) Ended() bool { return c.ended }

// Outcome is how the call ended, or Open.
func (c *Conversation) Outcome() Outcome { return c.outcome }

// Reason says why the call ended.
func (c *Conversation) Reason() string { return c.reason }

// HungUp reports whether the trainee ended the call.
func (c *Conversation) HungUp() bool { return c.ending == EndedByTrainee }

// Ending is how the call ended: by the conversation, the trainee or the
// deadline; "" while it goes on.
func (c *Conversation) Ending() Ending { return c.ending }

// Reader is what reads this call's turns (nil if none was given).
func (c *Conversation) Reader() Reader { return c.reader }

// Turns is every turn so far. The slice must not be modified.
func (c *Conversation) Turns() []Turn { return c.turns }

// Meters returns the meters' current values.
func (c *Conversation) Meters() []MeterChange {
	out := make([]MeterChange, len(c.s.Meters))
	for i, m := range c.s.Meters {
		out[i] = MeterChange{Name: m.Name, Value: c.vars[numBuiltins+i]}
	}
	return out
}

// RevealedAt returns the turn in which the fact with index i of the scenario
// was revealed, or 0.
func (c *Conversation) RevealedAt(i int) int { return c.revealed[i] }

// Hangup ends the call from the trainee's side. A call that already ended
// keeps its outcome.
func (c *Conversation) Hangup() { c.End(EndedByTrainee) }

// TimeUp ends the call because its time limit passed. Time is the
// caller's business: sim reads no clock.
func (c *Conversation) TimeUp() { c.End(EndedByDeadline) }

// End ends the call from outside the conversation: the trainee hung up or
// the deadline passed. A call that already ended keeps its outcome.
func (c *Conversation) End(e Ending) {
	if c.ended {
		return
	}
	c.ended, c.ending, c.outcome = true, e, Open
	switch e {
	case EndedByDeadline:
		c.reason = "the time limit passed"
	default:
		c.ending, c.reason = EndedByTrainee, "the trainee ended the call"
	}
}

// Say takes one trainee turn, read by the conversation's Reader, and
// returns what happened. It is Play with the reader's acts.
func (c *Conversation) Say(text string) (Turn, error) {
	text, err := c.check(text)
	if err != nil {
		return Turn{}, err
	}
	t := c.play(text, c.reader.Read(text, &c.s.vocab))
	if c.readBy != nil {
		c.readBy = append(c.readBy, c.reader.Version())
	}
	return t, nil
}

// Play takes one trainee turn whose acts were read already, as a recorded
// turn carries them, so a replay never depends on today's classifier.
func (c *Conversation) Play(text string, acts []Detection) (Turn, error) {
	text, err := c.check(text)
	if err != nil {
		return Turn{}, err
	}
	t := c.play(text, acts)
	c.setReadBy(t.N, "")
	return t, nil
}

// setReadBy records which reader read turn n (in Play and Replay).
func (c *Conversation) setReadBy(n int, version string) {
	for len(c.readBy) < n {
		c.readBy = append(c.readBy, c.readerVersion())
	}
	c.readBy[n-1] = version
}

func (c *Conversation) readerVersion() string {
	if c.reader == nil {
		return ""
	}
	return c.reader.Version()
}

// check cleans a turn and says whether the call can take it.
func (c *Conversation) check(text string) (string, error) {
	text = Clean(text)
	switch {
	case c.ended:
		return "", ErrEnded
	case text == "":
		return "", ErrEmptyTurn
	case len(text) > MaxTurnLength && utf8.RuneCountInString(text) > MaxTurnLength:
		return "", ErrTooLong
	}
	return text, nil
}

func (c *Conversation) play(text string, detections []Detection) Turn {
	s := c.s
	v := c.vars
	t := Turn{N: len(c.turns) + 1, Said: text, From: c.State()}
	t.Acts = detections
	var acts ActSet
	for _, d := range t.Acts {
		acts |= 1 << d.Act
	}
	v[vTurn] = t.N

	// What the trainee did, judged against what was known before this turn.
	painsBefore := v[vPains]
	v[vQuestion] = 0
	for _, d := range t.Acts {
		if d.Question {
			v[vQuestion] = 1
		}
	}
	v[vQuestions] += v[vQuestion]
	v[vTailored] = 0
	if acts.Has(Pitch) {
		v[vPitches]++
		if painsBefore == 0 {
			v[vEarlyPitches]++
			t.EarlyPitch = true
		} else if c.tailored(t.Acts) {
			v[vTailored] = 1
			t.Tailored = true
		}
	}
	onlySituation := acts.Has(Situation) && !acts.Has(Problem) && !acts.Has(Implication) && !acts.Has(NeedPayoff)
	if onlySituation {
		v[vSituationStreak]++
	} else {
		v[vSituationStreak] = 0
	}
	var conceded struct{ conditional, unconditional bool }
	v[vGaveAway], v[vTraded] = 0, 0
	for _, d := range t.Acts {
		if d.Act != Concession {
			continue
		}
		v[vConcessions]++
		pct := Discount(d, s.Product.ListPrice)
		t.Discount = max(t.Discount, pct)
		v[vDiscount] = max(v[vDiscount], int(pct+0.5))
		if d.Conditional && c.hollow(d.Sentence) {
			// A trade the customer cannot honour ("if you sign by Friday"
			// to someone who cannot sign) is a gift all the same.
			t.Hollow = true
			d.Conditional = false
		}
		if d.Conditional {
			v[vConditional]++
			v[vTraded] = 1
			conceded.conditional = true
		} else {
			v[vUnconditional]++
			v[vGaveAway] = 1
			conceded.unconditional = true
		}
	}
	for _, k := range []struct {
		act Act
		v   int
	}{{Pressure, vPressure}, {Dismissive, vDismissive}, {Close, vCloses}} {
		if acts.Has(k.act) {
			v[k.v]++
		}
	}
	if acts.Has(Summary) || acts.Has(Empathy) {
		v[vListening]++
	}

	// The customer answers: facts come out for the questions about them.
	if acts&^(1<<Other) == 0 && isRepeatRequest(text) {
		t.Repeat = true
	} else {
		c.reveal(&t, acts)
	}

	// Price objection: the first close that meets the condition is met
	// with it, and it stays open (no win) until a later turn answers it.
	objecting := false
	if v[vObjectionOpen] == 1 && (s.Price.AnsweredBy&acts != 0 || v[vTraded] == 1 || v[vTailored] == 1) && s.Price.AnsweredWhen.Holds(v) {
		v[vObjectionOpen] = 0
		t.Answered = true
	}
	if acts.Has(Close) && v[vObjected] == 0 && len(s.Price.Objection) > 0 && s.Price.ObjectionWhen.Holds(v) {
		v[vObjected], v[vObjectionOpen] = 1, 1
		objecting, t.Objection = true, true
	}

	// Meters.
	t.Meters = make([]MeterChange, len(s.Meters))
	for i, m := range s.Meters {
		t.Meters[i] = MeterChange{Name: m.Name, Delta: -v[numBuiltins+i]}
	}
	for _, e := range s.Effects {
		if !e.On.Matches(acts) || !e.When.Holds(v) {
			continue
		}
		for _, d := range e.Change {
			m := s.Meters[d.Meter]
			slot := numBuiltins + d.Meter
			v[slot] = min(m.Max, max(m.Min, v[slot]+d.Delta))
		}
		if e.Reason != "" {
			t.Effects = append(t.Effects, e.Reason)
		}
	}
	for i := range t.Meters {
		t.Meters[i].Value = v[numBuiltins+i]
		t.Meters[i].Delta += t.Meters[i].Value
	}

	// The machine moves, possibly several steps: each transition at most once a turn.
	var entered []string
	clear(c.used)
	for step := 0; step <= len(s.States); step++ {
		cur := s.stateIndex[c.State()]
		if cur.End != "" {
			break
		}
		i := c.nextTransition(cur.Name, acts)
		if i < 0 {
			break
		}
		c.used[i] = true
		tr := s.Transitions[i]
		if c.machine == nil {
			m, err := c.s.newFSM()
			if err != nil {
				panic(fmt.Sprintf("sim: scenario %s passed validation but has no machine: %v", c.s.ID, err)) // Load guarantees this
			}
			c.machine = m
		}
		if err := c.machine.Event(context.Background(), tr.Name); err != nil {
			panic(fmt.Sprintf("sim: transition %s from %s: %v", tr.Name, cur.Name, err)) // validated at load
		}
		entered = append(entered, tr.To)
		if tr.Reason != "" {
			t.Transitions = append(t.Transitions, tr.Reason)
		}
		if end := s.stateIndex[tr.To].End; end != "" {
			c.ended, c.outcome, c.reason = true, end, tr.Reason
		}
	}
	t.To = c.State()

	t.Reply = c.reply(&t, acts, entered, objecting, conceded.conditional, conceded.unconditional)
	if !c.ended && t.N >= s.MaxTurns {
		c.ended, c.outcome, c.reason = true, Open, "the call ran out of time"
		t.Reply = joinReply(t.Reply, c.pick(s.TimeUp, t.N, "time_up"))
	}
	if c.ended {
		c.ending = EndedByCustomer
	}
	t.Ended, t.Outcome, t.Reason = c.ended, c.outcome, c.reason
	c.turns = append(c.turns, t)
	return t
}

// nextTransition returns the index of the first transition that can fire
// from state this turn, or -1.
func (c *Conversation) nextTransition(state string, acts ActSet) int {
	for i, tr := range c.s.Transitions {
		if c.used[i] || !tr.On.Matches(acts) || !tr.When.Holds(c.vars) {
			continue
		}
		if !tr.Wildcard && !contains(tr.From, state) {
			continue
		}
		if c.vars[vObjectionOpen] == 1 && c.s.stateIndex[tr.To].End == Won {
			continue // an open objection must be answered first
		}
		return i
	}
	return -1
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// reveal answers the deepest question of the turn (a need-payoff before
// an implication before a problem...; one fact a turn, as a buyer answers
// one of several stacked questions) with the fact it asks about, in the
// state the trainee spoke in (see match.go for how a question is matched
// to a fact).
func (c *Conversation) reveal(t *Turn, acts ActSet) {
	i, how := c.s.choose(&c.scratch, c.s.stateIndex[c.State()], acts, t.Acts, c.revealed, c.vars[vPains] > 0)
	switch how {
	case chosenMatch:
		c.give(t, i, true)
	case chosenGeneric:
		c.give(t, i, false)
	case chosenNone:
		t.Unmatched = true
	}
}

// How a question's fact was chosen.
const (
	notAsked      = iota // no question of a kind this state reveals
	chosenMatch          // the question matched the fact
	chosenGeneric        // a generic question: the first fact still hidden (or -1)
	chosenNone           // about something no fact covers
)

// scratch is space a conversation reuses across turns.
type scratch struct {
	words    []string // the question's words, for phrases
	concepts []string // the question's content concepts
}

// choose picks the fact the deepest question of a turn asks about, in
// state, given which facts are out (revealed: per fact, 0 while hidden)
// and whether any pain is: a pure function of the scenario and the call
// so far. A situation question may get a pain and a problem question a
// situation fact, when the other kind's fact matches clearly better.
func (s *Scenario) choose(sc *scratch, state *State, acts ActSet, dets []Detection, revealed []int, painOut bool) (int, int) {
	for _, a := range replyPriority {
		kind := a.Info().Fact
		if kind == "" || !acts.Has(a) || !state.RevealsKind(kind) {
			continue
		}
		sc.concepts, sc.words = sc.concepts[:0], sc.words[:0]
		for _, d := range dets {
			if d.Act == a {
				sc.concepts = s.conceptsOf(sc.concepts, d.Sentence)
				sc.words = allConcepts(sc.words, s, d.Sentence)
			}
		}
		best, bestScore := s.bestFact(sc, kind)
		if other := crossKind[kind]; other != "" && state.RevealsKind(other) {
			if i, v := s.bestFact(sc, other); i >= 0 && v >= matchThreshold && v >= bestScore+0.5 {
				best, bestScore = i, v
			}
		}
		switch {
		case bestScore >= matchThreshold:
			return best, chosenMatch
		case !specific(sc.concepts):
			for i, f := range s.Facts {
				if f.Kind == kind && revealed[i] == 0 && s.painOut(f, revealed, painOut) && f.Reveal != RevealOnMatch {
					return i, chosenGeneric
				}
			}
			return -1, chosenGeneric
		default:
			return -1, chosenNone
		}
	}
	return -1, notAsked
}

// FactAsked says which fact the question in dets (as a reader read it)
// gets in state, with the facts named in revealed already out: the fact's
// id, or "" when none. Authoring checks and tests use it.
func (s *Scenario) FactAsked(state string, dets []Detection, revealed ...string) string {
	st := s.stateIndex[state]
	if st == nil {
		return ""
	}
	var acts ActSet
	for _, d := range dets {
		acts |= 1 << d.Act
	}
	out := make([]int, len(s.Facts))
	pains := false
	for _, id := range revealed {
		if i, ok := s.factIndex[id]; ok {
			out[i] = 1
			pains = pains || s.Facts[i].Kind == FactPain
		}
	}
	i, how := s.choose(&scratch{}, st, acts, dets, out, pains)
	if i < 0 || how == chosenNone || out[i] != 0 || !s.painOut(s.Facts[i], out, pains) {
		return ""
	}
	return s.Facts[i].ID
}

// painOut reports whether the pain a fact builds on is out. A need with no
// pain named needs some pain out; an implication always names one.
func (s *Scenario) painOut(f *Fact, revealed []int, anyPain bool) bool {
	if f.Pain != "" {
		return revealed[s.factIndex[f.Pain]] != 0
	}
	if f.Kind == FactNeed {
		return anyPain
	}
	return true
}

// crossKind pairs the kinds whose questions are easily mixed up.
var crossKind = map[FactKind]FactKind{FactSituation: FactPain, FactPain: FactSituation}

// bestFact returns the fact of the kind whose score for the question is
// highest (revealed ones included: asking again about a fact matches it),
// and the score; the fact written first wins a tie.
func (s *Scenario) bestFact(sc *scratch, kind FactKind) (int, float64) {
	best, bestScore := -1, 0.0
	for i, f := range s.Facts {
		if f.Kind != kind {
			continue
		}
		if v := s.score(i, sc.concepts, sc.words); v > bestScore {
			best, bestScore = i, v
		}
	}
	return best, bestScore
}

// give reveals fact i if it can come out now: not yet revealed, its pain
// known and its condition holding; a fact kept back by its condition is
// withheld. matched says the question was about this fact.
func (c *Conversation) give(t *Turn, i int, matched bool) {
	if i < 0 {
		return
	}
	s, f := c.s, c.s.Facts[i]
	switch {
	case c.revealed[i] != 0:
		t.Again = f.ID
		return
	case !c.painKnown(f):
		if matched {
			t.Unmatched = true
		}
		return
	case !f.When.Holds(c.vars):
		t.Withheld = append(t.Withheld, f.ID)
		return
	}
	c.revealed[i] = t.N
	t.Revealed = append(t.Revealed, f.ID)
	c.vars[s.Vars.index[f.ID]] = 1
	c.vars[vFacts]++
	switch f.Kind {
	case FactPain:
		c.vars[vPains]++
	case FactImplication:
		c.vars[vImplications]++
	case FactNeed:
		c.vars[vNeeds]++
	case FactSituation:
		c.vars[vSituations]++
	default:
		c.vars[vQualified]++
	}
}

// hollow reports whether a conditional concession asks for something the
// customer cannot deliver: its sentence names one of the persona's
// price.cannot_promise (by stem: "sign" covers "signs" and "signed").
func (c *Conversation) hollow(sentence string) bool {
	if len(c.s.Price.CannotPromise) == 0 {
		return false
	}
	words := AppendStems(nil, sentence)
	for _, p := range c.s.Price.CannotPromise {
		if containsPhrase(words, p) {
			return true
		}
	}
	return false
}

// painKnown reports whether the pain a fact builds on is out.
func (c *Conversation) painKnown(f *Fact) bool {
	return c.s.painOut(f, c.revealed, c.vars[vPains] > 0)
}

// tailored reports whether a pitch in the turn refers to a pain the customer
// revealed before: a keyword or a label word of the pain, or of a fact built on it.
func (c *Conversation) tailored(acts []Detection) bool {
	words := c.words[:0]
	for _, d := range acts {
		if d.Act == Pitch {
			words = AppendStems(words, d.Sentence)
		}
	}
	c.words = words[:0]
	for i, f := range c.s.Facts {
		if c.revealed[i] == 0 || (f.Kind != FactPain && f.Pain == "") {
			continue
		}
		for _, k := range f.Keywords {
			if containsPhrase(words, k) {
				return true
			}
		}
		for _, w := range f.LabelStems {
			if hasWord(words, w) {
				return true
			}
		}
	}
	return false
}

// reply chooses what the customer says: one coherent reply, reacting in
// the state the trainee spoke in (t.From), then saying what moving to a
// new state means. The turn order, as the authoring guide tells it:
//
//  1. Entering an end state says it all: its entry line alone.
//  2. A request to repeat gets the last reply again.
//  3. The answer: the objection, else the fact revealed, else the
//     deflection of a fact kept back, else "nothing more on that".
//  4. A reaction before it: to a dismissive or pushy remark, to a
//     concession, or to a blind pitch when there is an answer too.
//  5. With neither, the entry line of the state the turn moved to, else
//     the reply for the turn's strongest act in the state spoken in.
//  6. With one of them, the entry line of a state the turn moved to
//     follows. Never more than two parts.
func (c *Conversation) reply(t *Turn, acts ActSet, entered []string, objecting, conditional, unconditional bool) string {
	s := c.s
	if n := len(entered); n > 0 && s.stateIndex[entered[n-1]].End != "" {
		if r := c.enterReply(entered[n-1], t.N); r != "" {
			return r
		}
	}
	if t.Repeat {
		return c.lastReply()
	}
	from := t.From
	var answer string
	switch {
	case objecting:
		answer = c.pick(s.Price.Objection, t.N, "objection")
		if len(t.Revealed) > 0 {
			f := s.Facts[s.factIndex[t.Revealed[0]]]
			answer = s.joinObjection(c.pick(f.Reply, t.N, "fact/"+f.ID), answer)
		}
	case len(t.Revealed) > 0:
		f := s.Facts[s.factIndex[t.Revealed[0]]]
		answer = c.pick(f.Reply, t.N, "fact/"+f.ID)
	case len(t.Withheld) > 0:
		if f := s.Facts[s.factIndex[t.Withheld[0]]]; len(f.Deflect) > 0 {
			answer = c.pick(f.Deflect, t.N, "deflect/"+f.ID)
		}
	case t.Unmatched:
		answer = c.pick(s.NothingMore, t.N, "nothing_more")
	}
	var reaction string
	switch {
	case acts.Has(Dismissive):
		reaction = c.actReply(from, Dismissive, t.N)
	case acts.Has(Pressure):
		reaction = c.actReply(from, Pressure, t.N)
	case unconditional && len(s.Price.Unconditional) > 0:
		k := min(c.vars[vUnconditional], len(s.Price.Unconditional)) - 1
		reaction = s.fill(s.Price.Unconditional[k])
	case conditional && len(s.Price.Conditional) > 0:
		reaction = c.pick(s.Price.Conditional, t.N, "conditional")
	case t.EarlyPitch && answer != "":
		reaction = c.actReply(from, Pitch, t.N)
	}
	if objecting {
		reaction = "" // the objection is the customer's whole point
	}
	enter := ""
	for i := len(entered) - 1; i >= 0 && enter == ""; i-- {
		enter = c.enterReply(entered[i], t.N)
	}
	out := joinReply(reaction, answer)
	switch {
	case out == "" && enter != "":
		out = enter
	case out == "":
		out = c.actReply(from, leadAct(acts), t.N)
	case reaction == "" || answer == "":
		out = joinReply(out, enter)
	}
	if out == "" {
		out = "Go on."
	}
	return out
}

// joinObjection says the answer of a turn and the objection raised on it
// as one reply, the persona's way (price.objection_join) or, by default,
// the answer first.
func (s *Scenario) joinObjection(answer, objection string) string {
	if s.Price.ObjectionJoin == "" {
		return joinReply(answer, objection)
	}
	out := strings.NewReplacer("{answer}", answer, "{objection}", objection).Replace(s.fill(s.Price.ObjectionJoin))
	return strings.Join(strings.Fields(out), " ")
}

// lastReply is what the customer said last: the previous turn's reply, or
// the opening line.
func (c *Conversation) lastReply() string {
	if n := len(c.turns); n > 0 {
		return c.turns[n-1].Reply
	}
	return c.Opening()
}

// leadAct is the act the customer answers when no fact came out.
func leadAct(acts ActSet) Act {
	for _, a := range replyPriority {
		if acts.Has(a) {
			return a
		}
	}
	return Other
}

func (c *Conversation) enterReply(state string, turn int) string {
	for _, r := range c.s.Replies {
		if r.Enter && r.State == state && r.When.Holds(c.vars) {
			return c.pick(r.Text, turn, r.State+"/enter")
		}
	}
	return ""
}

// actReply is the first reply for act a whose condition holds, looking in
// this order: replies naming the act in this state, naming it in any state,
// this state's catch-alls, then catch-alls for any state. Within each, the
// scenario's replies come before the defaults'.
func (c *Conversation) actReply(state string, a Act, turn int) string {
	bit := ActSet(1 << a)
	for pass := 0; pass < 4; pass++ {
		specific, here := pass < 2, pass%2 == 0
		if pass == 2 && a.Info().Fact != "" && c.s.stateIndex[state].RevealsKind(a.Info().Fact) {
			// A question nothing answered: nothing more on that, rather
			// than a catch-all that ignores it.
			return c.pick(c.s.NothingMore, turn, "nothing_more")
		}
		for _, r := range c.s.Replies {
			if r.Enter || (here && r.State != state) || (!here && r.State != "") {
				continue
			}
			if catchAll := r.On&AnyAct != 0; catchAll == specific || (!catchAll && r.On&bit == 0) {
				continue
			}
			if r.When.Holds(c.vars) {
				return c.pick(r.Text, turn, r.State+"/"+r.On.String())
			}
		}
	}
	return ""
}

// pick chooses one of texts, the same one for the same scenario, turn,
// place and texts every time: variety without randomness. The hash covers
// the scenario's id, where the texts are said (salt: the state and acts, or
// the fact), the turn and the texts themselves, so an edit elsewhere in the
// file never changes the pick. A variant that would repeat the last reply
// word for word gives way to the next one.
func (c *Conversation) pick(texts []string, turn int, salt string) string {
	if len(texts) == 0 {
		return ""
	}
	// FNV-1a.
	h := uint64(14695981039346656037)
	mix := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= '/'
		h *= 1099511628211
	}
	mix(c.s.ID)
	mix(salt)
	h ^= uint64(turn)
	h *= 1099511628211
	for _, t := range texts {
		mix(t)
	}
	i := int(h % uint64(len(texts)))
	for k := 0; k < len(texts); k++ {
		if out := c.s.fill(texts[(i+k)%len(texts)]); !c.saidLately(out) {
			return out
		}
	}
	return c.s.fill(texts[i])
}

// saidLately reports whether the customer said text, word for word, in
// one of the last three replies.
func (c *Conversation) saidLately(text string) bool {
	for k := len(c.turns) - 1; k >= 0 && k >= len(c.turns)-3; k-- {
		if strings.Contains(c.turns[k].Reply, text) {
			return true
		}
	}
	return false
}

func joinReply(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// fill replaces the placeholders of a reply.
func (s *Scenario) fill(text string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	return s.placeholders.Replace(text)
}

// newPlaceholders builds, once at load, what fill replaces.
func (s *Scenario) newPlaceholders() *strings.Replacer {
	return strings.NewReplacer(
		"{customer}", s.Customer.Name,
		"{role}", s.Customer.Role,
		"{company}", s.Customer.Company,
		"{product}", s.Product.Name,
		"{vendor}", s.Product.Company,
		"{price}", s.Product.PriceText(),
	)
}

// PriceText writes the list price for people: "USD 24,000 per year".
func (p Product) PriceText() string {
	n := int64(p.ListPrice + 0.5)
	digits := fmt.Sprint(n)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	out := p.Currency + " " + b.String()
	if p.PriceUnit != "" {
		out += " " + p.PriceUnit
	}
	return out
}
