package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/looplab/fsm"
)

// Errors a conversation returns for turns it cannot take.
var (
	ErrEnded     = errors.New("the call has ended")
	ErrEmptyTurn = errors.New("say something: the turn is empty")
	ErrTooLong   = fmt.Errorf("a turn can be at most %d characters", MaxTurnLength)
)

// MaxTurnLength bounds one trainee turn, in bytes.
const MaxTurnLength = 4000

// maxFactsPerTurn is how many facts the customer gives away in one reply,
// however many questions the trainee stacks into one turn.
const maxFactsPerTurn = 2

// A Conversation is one call between a trainee and a persona. It takes the
// trainee's turns one at a time and returns what happened; it does no I/O,
// reads no clock and draws no global randomness, so the same scenario and
// the same turns always give the same results. One goroutine uses it at a time.
type Conversation struct {
	s        *Scenario
	reader   Reader
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
	words []string // stems of the words being matched against keywords
	used  []bool   // per transition: fired this turn
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
	Objection   bool          `json:"objection,omitempty"`
	EarlyPitch  bool          `json:"early_pitch,omitempty"`
	Tailored    bool          `json:"tailored,omitempty"`
	Reply       string        `json:"reply"`
	Ended       bool          `json:"ended,omitempty"`
	Outcome     Outcome       `json:"outcome"`
	Reason      string        `json:"reason,omitempty"`
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
	m, err := s.newFSM()
	if err != nil {
		panic(fmt.Sprintf("sim: scenario %s passed validation but has no machine: %v", s.ID, err)) // Load guarantees this
	}
	c := &Conversation{
		s:        s,
		reader:   r,
		machine:  m,
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
func (c *Conversation) State() string { return c.machine.Current() }

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
	case len(text) > MaxTurnLength:
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
		v[vDiscount] += int(d.Percent + 0.5)
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

	// The customer answers: facts come out for the right questions.
	c.reveal(&t, acts)

	// Price objection: the first close that meets the condition is met with it.
	objecting := false
	if acts.Has(Close) && v[vObjected] == 0 && len(s.Price.Objection) > 0 && s.Price.ObjectionWhen.Holds(v) {
		v[vObjected] = 1
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
		i := c.nextTransition(cur.Name, acts, objecting)
		if i < 0 {
			break
		}
		c.used[i] = true
		tr := s.Transitions[i]
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
func (c *Conversation) nextTransition(state string, acts ActSet, objecting bool) int {
	for i, tr := range c.s.Transitions {
		if c.used[i] || !tr.On.Matches(acts) || !tr.When.Holds(c.vars) {
			continue
		}
		if !tr.Wildcard && !contains(tr.From, state) {
			continue
		}
		if objecting && c.s.stateIndex[tr.To].End == Won {
			continue // the objection takes this turn
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

// reveal gives out, for each kind of question asked, the fact the question
// points at: an unrevealed fact of that kind that this state reveals, whose
// pain is already known and whose condition holds. Among several, the one
// whose keywords the trainee used wins, then one with no keywords, then the
// first in the file.
func (c *Conversation) reveal(t *Turn, acts ActSet) {
	s := c.s
	state := s.stateIndex[c.State()]
	c.words = c.words[:0]
	for _, kind := range factKindOrder {
		if len(t.Revealed) >= maxFactsPerTurn {
			return
		}
		if !acts.Has(kind.Act()) || !state.RevealsKind(kind) {
			continue
		}
		best, bestScore := -1, -1
		withheld := -1
		for i, f := range s.Facts {
			if f.Kind != kind || c.revealed[i] != 0 || !c.painKnown(f) {
				continue
			}
			if !f.When.Holds(c.vars) {
				if withheld < 0 {
					withheld = i
				}
				continue
			}
			// A fact whose keywords the trainee used beats one without
			// keywords, which beats one whose keywords went unused.
			score := 1
			if len(f.Keywords) > 0 {
				if len(c.words) == 0 {
					c.words = AppendStems(c.words, t.Said)
				}
				score = 2 * f.relevance(c.words)
			}
			if score > bestScore {
				best, bestScore = i, score
			}
		}
		if best >= 0 {
			c.revealed[best] = t.N
			f := s.Facts[best]
			t.Revealed = append(t.Revealed, f.ID)
			c.vars[s.Vars.index[f.ID]] = 1
			c.vars[vFacts]++
			switch {
			case f.Kind == FactPain:
				c.vars[vPains]++
			case f.Kind == FactImplication:
				c.vars[vImplications]++
			case f.Kind == FactNeed:
				c.vars[vNeeds]++
			case f.Kind == FactSituation:
				c.vars[vSituations]++
			default:
				c.vars[vQualified]++
			}
		} else if withheld >= 0 {
			t.Withheld = append(t.Withheld, s.Facts[withheld].ID)
		}
	}
}

// painKnown reports whether the pain a fact builds on is out. A need with no
// pain named needs some pain out; an implication always names one.
func (c *Conversation) painKnown(f *Fact) bool {
	if f.Pain != "" {
		return c.revealed[c.s.factIndex[f.Pain]] != 0
	}
	if f.Kind == FactNeed {
		return c.vars[vPains] > 0
	}
	return true
}

// relevance counts the fact's keywords found among the trainee's words.
func (f *Fact) relevance(words []string) int {
	n := 0
	for _, k := range f.Keywords {
		if containsPhrase(words, k) {
			n++
		}
	}
	return n
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

// reply chooses what the customer says.
func (c *Conversation) reply(t *Turn, acts ActSet, entered []string, objecting, conditional, unconditional bool) string {
	s := c.s
	// Entering an end state says it all.
	if n := len(entered); n > 0 && s.stateIndex[entered[n-1]].End != "" {
		if r := c.enterReply(entered[n-1], t.N); r != "" {
			return r
		}
	}
	var out string
	switch {
	case objecting:
		out = c.pick(s.Price.Objection, t.N, "objection")
	case unconditional && len(s.Price.Unconditional) > 0:
		k := min(c.vars[vUnconditional], len(s.Price.Unconditional)) - 1
		out = s.fill(s.Price.Unconditional[k])
	case conditional && len(s.Price.Conditional) > 0:
		out = c.pick(s.Price.Conditional, t.N, "conditional")
	}
	if len(t.Revealed) > 0 {
		// A pushy or dismissive remark still gets its reaction first.
		for _, a := range []Act{Dismissive, Pressure} {
			if acts.Has(a) && out == "" {
				out = c.actReply(c.State(), a, t.N)
			}
		}
		if t.EarlyPitch && out == "" {
			out = c.actReply(c.State(), Pitch, t.N)
		}
		for _, id := range t.Revealed {
			f := s.Facts[s.factIndex[id]]
			out = joinReply(out, c.pick(f.Reply, t.N, f.ID))
		}
	} else if out == "" {
		if len(t.Withheld) > 0 {
			if f := s.Facts[s.factIndex[t.Withheld[0]]]; len(f.Deflect) > 0 {
				out = c.pick(f.Deflect, t.N, f.ID)
			}
		}
		if out == "" {
			out = c.actReply(c.State(), leadAct(acts), t.N)
		}
	}
	for _, st := range entered {
		if s.stateIndex[st].End == "" {
			out = joinReply(out, c.enterReply(st, t.N))
		}
	}
	if out == "" {
		out = "Go on."
	}
	return out
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
			return c.pick(r.Text, turn, r.At.salt())
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
		for _, r := range c.s.Replies {
			if r.Enter || (here && r.State != state) || (!here && r.State != "") {
				continue
			}
			if catchAll := r.On&AnyAct != 0; catchAll == specific || (!catchAll && r.On&bit == 0) {
				continue
			}
			if r.When.Holds(c.vars) {
				return c.pick(r.Text, turn, r.At.salt())
			}
		}
	}
	return ""
}

// pick chooses one of texts, the same one for the same scenario, turn and
// place every time: variety without randomness.
func (c *Conversation) pick(texts []string, turn int, salt string) string {
	if len(texts) == 0 {
		return ""
	}
	// FNV-1a over the scenario hash, the turn and the salt.
	h := uint64(14695981039346656037)
	mix := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= '/'
		h *= 1099511628211
	}
	mix(c.s.Hash)
	h ^= uint64(turn)
	h *= 1099511628211
	mix(salt)
	return c.s.fill(texts[h%uint64(len(texts))])
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
