package sim

import (
	"fmt"
	"strings"
)

// An Act is what a sentence of the trainee does in the sale: the unit that
// personas react to and the grader counts. The set is closed; scenario files
// and JSON name acts by their String form.
//
// Everything else about an act is one row of actTable, so adding an act
// touches the constants below and that table (TestActTable checks they agree).
// The order of the constants matters: the classifier reads SPIN questions in
// this order (a need-payoff outranks an implication outranks a problem).
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

	// Unclear is the classifier's verdict on a sentence it cannot read
	// with confidence: the customer asks what the trainee means, and the
	// grader neither credits nor deducts anything for it.
	Unclear

	// NumActs is the number of acts; acts are 0 to NumActs-1.
	NumActs
)

// A Family groups acts as the grader reads them.
type Family uint8

// The families.
const (
	FamilyOther Family = iota
	FamilyDiscovery
	FamilyQualifying
	FamilySelf
	FamilyAdvancing
	FamilyListening
)

// ActInfo is everything the program knows about one act.
type ActInfo struct {
	Name   string
	Family Family
	// Reply ranks how strongly a customer reacts to the act when no fact
	// came out: the act with the lowest rank leads the reply. 0 never leads.
	Reply int
	// Negatable acts are undone by a negation or hedge around their cue
	// ("I can't lower the price" concedes nothing).
	Negatable bool
	// Fact is the kind of fact a question of this act reveals, or "".
	Fact FactKind
}

// actTable is the one table of acts.
var actTable = [NumActs]ActInfo{
	Other:            {Name: "other", Family: FamilyOther},
	Situation:        {Name: "situation", Family: FamilyDiscovery, Reply: 15, Fact: FactSituation},
	Problem:          {Name: "problem", Family: FamilyDiscovery, Reply: 8, Fact: FactPain},
	Implication:      {Name: "implication", Family: FamilyDiscovery, Reply: 7, Fact: FactImplication},
	NeedPayoff:       {Name: "need_payoff", Family: FamilyDiscovery, Reply: 6, Fact: FactNeed},
	QualifyBudget:    {Name: "qualify_budget", Family: FamilyQualifying, Reply: 9, Fact: FactBudget},
	QualifyAuthority: {Name: "qualify_authority", Family: FamilyQualifying, Reply: 10, Fact: FactAuthority},
	QualifyTimeline:  {Name: "qualify_timeline", Family: FamilyQualifying, Reply: 11, Fact: FactTimeline},
	QualifyProcess:   {Name: "qualify_process", Family: FamilyQualifying, Reply: 12, Fact: FactProcess},
	QualifyMetrics:   {Name: "qualify_metrics", Family: FamilyQualifying, Reply: 13, Fact: FactMetrics},
	QualifyChampion:  {Name: "qualify_champion", Family: FamilyQualifying, Reply: 14, Fact: FactChampion},
	Pitch:            {Name: "pitch", Family: FamilySelf, Reply: 5},
	Concession:       {Name: "concession", Family: FamilySelf, Reply: 3, Negatable: true},
	Pressure:         {Name: "pressure", Family: FamilySelf, Reply: 2, Negatable: true},
	Dismissive:       {Name: "dismissive", Family: FamilySelf, Reply: 1, Negatable: true},
	Close:            {Name: "close", Family: FamilyAdvancing, Reply: 4, Negatable: true},
	Summary:          {Name: "summary", Family: FamilyListening, Reply: 16},
	Empathy:          {Name: "empathy", Family: FamilyListening, Reply: 17, Negatable: true},
	Unclear:          {Name: "unclear", Family: FamilyOther, Reply: 18},
}

// Derived from actTable once.
var (
	actNames      [NumActs]string
	replyPriority []Act      // acts that can lead a reply, strongest first
	factKindOrder []FactKind // fact kinds in act order
	factKindActs  = map[FactKind]Act{}
)

func init() {
	for a, info := range actTable {
		actNames[a] = info.Name
		if info.Reply > 0 {
			replyPriority = append(replyPriority, Act(a))
		}
		if info.Fact != "" {
			factKindOrder = append(factKindOrder, info.Fact)
			factKindActs[info.Fact] = Act(a)
		}
	}
	for i := 1; i < len(replyPriority); i++ { // a dozen rows: insertion sort
		for j := i; j > 0 && actTable[replyPriority[j]].Reply < actTable[replyPriority[j-1]].Reply; j-- {
			replyPriority[j], replyPriority[j-1] = replyPriority[j-1], replyPriority[j]
		}
	}
}

// Acts lists every act in declaration order.
func Acts() []Act {
	out := make([]Act, NumActs)
	for i := range out {
		out[i] = Act(i)
	}
	return out
}

// Info returns the act's row of the act table.
func (a Act) Info() ActInfo {
	if a < NumActs {
		return actTable[a]
	}
	return ActInfo{Name: a.String()}
}

func (a Act) String() string {
	if a < NumActs {
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
	if s, ok := Suggest(strings.ToLower(name), actNames[:], 3); ok {
		return fmt.Sprintf("did you mean %q?", s)
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

// IsDiscovery reports whether a is a SPIN question. The classifier asks
// this in its inner loop, so it compares the range the family occupies in
// the constants (TestActTable checks it against the table).
func (a Act) IsDiscovery() bool { return a >= Situation && a <= NeedPayoff }

// IsQualifying reports whether a is a BANT / MEDDIC qualifying question.
func (a Act) IsQualifying() bool { return a >= QualifyBudget && a <= QualifyChampion }

// Negatable reports whether a negation or hedge around a cue undoes the act.
func (a Act) Negatable() bool { return a < NumActs && actTable[a].Negatable }
