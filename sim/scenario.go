package sim

import (
	"fmt"
	"slices"
	"strings"

	"github.com/looplab/fsm"
)

// A Scenario is a persona a trainee can call: who the customer is, what the
// trainee sells, what the customer knows and when they say it, and the state
// machine that decides how they react. It is loaded from one TOML file (see
// scenarios/README.md) on top of the built-in defaults in defaults.toml, and
// is read-only once loaded, so one Scenario can serve many conversations.
type Scenario struct {
	File       string   `json:"file"`
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Difficulty string   `json:"difficulty"`
	Skills     []string `json:"skills"`
	Brief      string   `json:"brief"`
	Customer   Customer `json:"customer"`
	Product    Product  `json:"product"`
	Display    Display  `json:"display"`
	MaxTurns   int      `json:"max_turns"`
	Start      string   `json:"start"`
	// TimeUp is what the customer says when the call reaches MaxTurns.
	TimeUp []string `json:"-"`
	// NothingMore is what the customer says to a question about something
	// no fact covers ("nothing more on that").
	NothingMore []string `json:"-"`
	// Synonyms are the scenario's own groups of words that mean the same,
	// for matching questions to facts (see match.go).
	Synonyms [][]string `json:"-"`
	Facts    []*Fact    `json:"facts"`
	Meters   []Meter    `json:"meters"`
	States   []*State   `json:"states"`
	Grading  Grading    `json:"grading"`
	// Hash is the SHA-256 of the scenario file and the defaults it was loaded
	// with, so a stored grade names exactly which version produced it.
	Hash   string `json:"hash"`
	Source string `json:"-"`
	// Defaults is the defaults' source the scenario was loaded on.
	Defaults string `json:"-"`

	// The compiled machine, built by sim/scenario.
	Transitions []*Transition `json:"-"` // scenario's first, then the defaults'; "*" ones first
	Effects     []*Effect     `json:"-"`
	Replies     []*Reply      `json:"-"`
	Price       Price         `json:"-"`
	Vars        VarTable      `json:"-"` // guard variables: built-ins, then meters and facts as added

	// Built by Finish.
	events     fsm.Events // the transitions as looplab/fsm events
	vocab      Vocabulary
	factIndex  map[string]int
	stateIndex map[string]*State
	// placeholders fills {customer}, {product}... in replies
	placeholders *strings.Replacer
	// The fact matcher (match.go).
	concept map[string]string // word stem -> its synonym group's head
	names   map[string]bool   // stems of the customer's and product's names
	bags    []factBag         // per fact: what it is about
}

// Customer is who the trainee talks to.
type Customer struct {
	Name        string `toml:"name" json:"name"`
	Role        string `toml:"role" json:"role"`
	Company     string `toml:"company" json:"company"`
	Industry    string `toml:"industry" json:"industry"`
	Personality string `toml:"personality" json:"personality"`
	Opening     string `toml:"opening" json:"opening"`
}

// Product is what the trainee sells.
type Product struct {
	Name        string   `toml:"name" json:"name"`
	Company     string   `toml:"company" json:"company"`
	Description string   `toml:"description" json:"description"`
	ListPrice   float64  `toml:"list_price" json:"list_price"`
	Currency    string   `toml:"currency" json:"currency"`
	PriceUnit   string   `toml:"price_unit" json:"price_unit"`
	Features    []string `toml:"features" json:"features,omitempty"`
	Competitors []string `toml:"competitors" json:"competitors,omitempty"`
	Terms       []string `toml:"terms" json:"terms,omitempty"`
}

// Display says what a trainee may see during the call in training mode.
type Display struct {
	Meters    bool `toml:"meters" json:"meters"`
	Checklist bool `toml:"checklist" json:"checklist"`
}

// Grading holds the scenario's pass mark and how the two axes are weighed.
type Grading struct {
	PassMark int `toml:"pass_mark" json:"pass_mark"`
	// High is the score from which an axis counts as high when placing the
	// call in a profile.
	High int `toml:"high" json:"high"`
	// Weights scale the parts of the two axes (see WeightNames); a part not
	// named weighs 1, and 0 leaves it out. Each axis still adds up to 100.
	Weights map[string]float64 `toml:"weights" json:"weights,omitempty"`
	// CoachFirst lists coaching rules this scenario trains: when one of
	// them applies (as a fault or as a strength) it leads the coaching.
	CoachFirst []string `toml:"coach_first" json:"coach_first,omitempty"`
}

// WeightNames are the parts of the two axes a scenario can weigh (see
// sim/grade, which scores them).
var WeightNames = []string{
	"discovery_questions", "discovery_coverage", "listening", "talk_balance", "customer_language",
	"product_advocacy", "product_talk", "asked_for_commitment", "qualification", "held_value",
}

// CoachingRules are the coaching points the grader can give (see sim/grade);
// a scenario names them in [grading] coach_first.
var CoachingRules = []string{
	"pitched_too_early", "dismissive", "pressure", "unconditional_concession", "no_implication",
	"missed_implication", "no_problem_found", "missed_pains", "no_need_payoff", "situation_overload",
	"not_qualified", "no_next_step", "generic_pitch", "talk_share", "objection_unanswered",
	"strength_implication", "strength_need_payoff", "strength_qualified", "strength_trade",
	"strength_commitment", "strength_listening", "strength_talk_share",
}

// State returns the state with the given name, or nil.
func (s *Scenario) State(name string) *State { return s.stateIndex[name] }

// FactIndex is the index in Facts of the fact with the given id, or -1.
func (s *Scenario) FactIndex(id string) int {
	if i, ok := s.factIndex[id]; ok {
		return i
	}
	return -1
}

// FactKind is what kind of question makes the customer reveal a fact.
type FactKind string

// The fact kinds.
const (
	FactSituation   FactKind = "situation"
	FactPain        FactKind = "pain"
	FactImplication FactKind = "implication"
	FactNeed        FactKind = "need"
	FactBudget      FactKind = "budget"
	FactAuthority   FactKind = "authority"
	FactTimeline    FactKind = "timeline"
	FactProcess     FactKind = "process"
	FactMetrics     FactKind = "metrics"
	FactChampion    FactKind = "champion"
)

// Act is the act of the question that reveals facts of this kind.
func (k FactKind) Act() Act { return factKindActs[k] }

// Question is a plain question that asks for facts of this kind, for bots
// and coaching when the author wrote none.
func (k FactKind) Question() string { return kindQuestions[k] }

var kindQuestions = map[FactKind]string{
	FactSituation:   "Can you walk me through how this works today?",
	FactPain:        "What is the hardest part of that for your team today?",
	FactImplication: "When that happens, what does it cost you?",
	FactNeed:        "If that were solved, what would it mean for you?",
	FactBudget:      "Is there budget set aside for this, and in what range?",
	FactAuthority:   "Besides you, who signs off on a decision like this?",
	FactTimeline:    "By when would you need this in place, and what is driving that date?",
	FactProcess:     "What steps does a purchase like this go through at your company?",
	FactMetrics:     "How would you measure whether this worked?",
	FactChampion:    "Who else would push for this internally?",
}

// Known reports whether k is one of the fact kinds.
func (k FactKind) Known() bool {
	_, ok := factKindActs[k]
	return ok
}

// FactKinds lists the fact kinds in act order.
func FactKinds() []FactKind { return slices.Clone(factKindOrder) }

// Qualifying reports whether facts of this kind answer BANT / MEDDIC questions.
func (k FactKind) Qualifying() bool { return k.Act().IsQualifying() }

// A Fact is something the customer knows and says only when asked the right
// kind of question, in a state that reveals it, once its guard holds.
type Fact struct {
	ID       string   `json:"id"`
	Kind     FactKind `json:"kind"`
	Label    string   `json:"label"`
	Reply    []string `json:"-"`
	Pain     string   `json:"pain,omitempty"` // the pain an implication or need builds on
	Keywords []string `json:"-"`
	Question string   `json:"question,omitempty"` // a question that would reveal it
	Deflect  []string `json:"-"`                  // said while the guard does not hold
	// Reveal is RevealOnAsk (the default: a generic question of its kind
	// reveals it too) or RevealOnMatch (only a question about it does).
	Reveal string `json:"-"`

	When       *Guard   `json:"-"`
	At         Place    `json:"-"`
	LabelStems []string `json:"-"` // the label's longer words, stemmed, for spotting tailored pitches
}

// A Meter is a number the persona keeps about the call, such as trust.
type Meter struct {
	Name  string `json:"name"`
	Start int    `json:"start"`
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// A State is a node of the persona's state machine.
type State struct {
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	End         Outcome    `json:"end,omitempty"`
	Reveals     []FactKind `json:"reveals,omitempty"` // nil means every kind

	At Place `json:"-"`
}

// RevealsKind reports whether the customer reveals facts of kind k in this state.
func (s *State) RevealsKind(k FactKind) bool {
	if s.End != "" {
		return false
	}
	if s.Reveals == nil {
		return true
	}
	for _, r := range s.Reveals {
		if r == k {
			return true
		}
	}
	return false
}

// Outcome is how a call ended, or "open" while it has not.
type Outcome string

// The outcomes.
const (
	Open Outcome = "open"
	Won  Outcome = "won"
	Lost Outcome = "lost"
)

// A Place is where something was written, for messages that point at it.
type Place struct {
	File      string
	Line, Col int
}

func (p Place) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// An ActSet is a set of acts as a bit mask; AnyAct means every turn.
type ActSet uint32

// AnyAct in a set matches every turn.
const AnyAct ActSet = 1 << 31

// Has reports whether a is in the set.
func (s ActSet) Has(a Act) bool { return s&(1<<a) != 0 }

// Matches reports whether the set matches a turn holding the acts t.
func (s ActSet) Matches(t ActSet) bool { return s&AnyAct != 0 || s&t != 0 }

// The compiled parts of a persona: sim/scenario builds them from the TOML,
// the conversation runs them.

// A Transition moves the persona to another state when the turn holds one
// of its acts and its guard holds.
type Transition struct {
	Name     string // the fsm event, set by Finish
	From     []string
	Wildcard bool // from = "*"
	On       ActSet
	To       string
	When     *Guard
	Reason   string
	At       Place
}

// An Effect changes meters when a turn holds one of its acts and its guard holds.
type Effect struct {
	On     ActSet
	When   *Guard
	Change []MeterDelta
	Reason string
	At     Place
}

// A MeterDelta moves one meter.
type MeterDelta struct {
	Meter int // index into Scenario.Meters
	Delta int
}

// A Reply is something the customer can say, chosen by state, act and guard.
type Reply struct {
	State string // "" for any state
	On    ActSet // 0 with Enter set, for entering the state
	Enter bool
	When  *Guard
	Text  []string
	At    Place
}

// Price is how the persona reacts to talk of money.
type Price struct {
	Objection     []string
	ObjectionWhen *Guard
	Unconditional []string
	Conditional   []string
	// Trade is a fair trade the trainee could offer, for coaching.
	Trade string
	// CannotPromise are what this customer cannot give in return (words
	// or phrases, matched by stem): a conditional concession that asks
	// for one is not a trade but a gift, e.g. "sign" for a champion who
	// has no signing authority.
	CannotPromise []string
	// ObjectionJoin joins the objection to the answer said on the same
	// turn (a fact that came out): "{answer} But {objection}". Empty: the
	// answer, then the objection. Without {answer} the objection stands alone.
	ObjectionJoin string
	// AnsweredBy are the acts that answer an open objection (besides a
	// conditional trade and a pitch tied to the customer's problem), and
	// AnsweredWhen a condition the answer must also meet. Until it is
	// answered, no transition to a won state fires.
	AnsweredBy   ActSet
	AnsweredWhen *Guard
}

// Finish builds what a conversation needs from the compiled parts: the
// indexes, the vocabulary, the placeholder replacer and the fsm events. The
// compiler (sim/scenario) calls it once, after checking everything; the
// scenario is read-only after.
func (s *Scenario) Finish() error {
	s.factIndex = make(map[string]int, len(s.Facts))
	for i, f := range s.Facts {
		s.factIndex[f.ID] = i
	}
	s.stateIndex = make(map[string]*State, len(s.States))
	for _, st := range s.States {
		s.stateIndex[st.Name] = st
	}
	s.placeholders = s.newPlaceholders()
	s.buildMatcher()
	s.vocab = Vocabulary{
		Product:     nonEmpty(append([]string{s.Product.Name, s.Product.Company}, s.Product.Features...)),
		Competitors: s.Product.Competitors,
		Terms:       s.Product.Terms,
	}
	s.nameEvents()
	_, err := s.newFSM()
	return err
}

func nonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// Vocabulary is what the classifier needs to know about this scenario's world.
func (s *Scenario) Vocabulary() *Vocabulary { return &s.vocab }

// Version is the exact scenario version as a call records it.
func (s *Scenario) Version() ScenarioVersion {
	return ScenarioVersion{Hash: s.Hash, ID: s.ID, File: s.File, Source: s.Source, Defaults: s.Defaults}
}

// Find returns the scenario with the given id, or nil.
func Find(all []*Scenario, id string) *Scenario {
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	return nil
}
