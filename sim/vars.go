package sim

// The conversation keeps its state as whole numbers in slots, so guards read
// them without lookups: first the built-in counters below, then one slot per
// meter, then one per fact (1 once revealed).
const (
	vTurn            = iota // number of this trainee turn, from 1
	vPains                  // pain facts revealed so far
	vImplications           // implication facts revealed
	vNeeds                  // need facts revealed
	vSituations             // situation facts revealed
	vQualified              // qualification facts revealed
	vFacts                  // all facts revealed
	vSituationStreak        // turns in a row, up to this one, asking only situation questions
	vQuestions              // questions asked so far
	vQuestion               // 1 if this turn asks a question
	vPitches                // turns with a pitch so far
	vEarlyPitches           // turns that pitched before any pain was known
	vTailored               // 1 if this turn's pitch refers to a revealed pain
	vConcessions            // concessions so far
	vUnconditional          // unconditional concessions so far
	vConditional            // conditional concessions (trades) so far
	vGaveAway               // 1 if this turn gave an unconditional concession
	vTraded                 // 1 if this turn offered a conditional trade
	vDiscount               // the deepest discount offered so far, in percent (offers are not added up)
	vPressure               // turns with pressure so far
	vDismissive             // turns with dismissive remarks so far
	vCloses                 // turns asking for commitment so far
	vObjected               // 1 once the customer has raised the price objection
	vObjectionOpen          // 1 while that objection has not been answered
	vListening              // summaries and empathy so far
	numBuiltins
)

var builtinVars = [numBuiltins]string{
	vTurn:            "turn",
	vPains:           "pains",
	vImplications:    "implications",
	vNeeds:           "needs",
	vSituations:      "situations",
	vQualified:       "qualified",
	vFacts:           "facts",
	vSituationStreak: "situation_streak",
	vQuestions:       "questions",
	vQuestion:        "question",
	vPitches:         "pitches",
	vEarlyPitches:    "early_pitches",
	vTailored:        "tailored",
	vConcessions:     "concessions",
	vUnconditional:   "unconditional",
	vConditional:     "conditional",
	vGaveAway:        "gave_away",
	vTraded:          "traded",
	vDiscount:        "discount",
	vPressure:        "pressure",
	vDismissive:      "dismissive",
	vCloses:          "closes",
	vObjected:        "objected",
	vObjectionOpen:   "objection_open",
	vListening:       "listening",
}

// BuiltinVariables lists the counters a guard can name besides meters and facts.
func BuiltinVariables() []string { return builtinVars[:] }

// A VarTable names the slots of a conversation's variables.
type VarTable struct {
	names []string
	index map[string]int
}

// NewVarTable returns a table holding the built-in counters.
func NewVarTable() VarTable {
	t := VarTable{index: map[string]int{}}
	for _, n := range builtinVars {
		t.Add(n)
	}
	return t
}

// Add gives name the next slot and returns it.
func (t *VarTable) Add(name string) int {
	t.index[name] = len(t.names)
	t.names = append(t.names, name)
	return len(t.names) - 1
}

// Slot returns the slot of name.
func (t *VarTable) Slot(name string) (int, bool) {
	i, ok := t.index[name]
	return i, ok
}

// Names lists the variables in slot order.
func (t *VarTable) Names() []string { return t.names }

// Len is the number of slots.
func (t *VarTable) Len() int { return len(t.names) }
