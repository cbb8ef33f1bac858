package sim

// A Report is the grade of one call: what the trainee did, measured, placed
// on the two axes, and explained. It is computed from the conversation alone,
// so the same transcript always gives the same report.
type Report struct {
	Scenario     string `json:"scenario"`
	Title        string `json:"title"`
	ScenarioHash string `json:"scenario_hash"`
	// Engine is the engine that made this report (see Engine); empty in
	// reports made before engines were named.
	Engine        string  `json:"engine,omitempty"`
	Outcome       Outcome `json:"outcome"`
	Reason        string  `json:"reason,omitempty"`
	Turns         int     `json:"turns"`
	Profile       Profile `json:"profile"`
	CustomerFocus int     `json:"customer_focus"`
	SelfFocus     int     `json:"self_focus"`
	// Quality is how well the seller asserted themselves: pitches tied to
	// needs, commitment asked once value was clear, trades rather than
	// gifts, a qualified deal (0–100). Self-focus says how much, quality how well.
	Quality  int `json:"quality"`
	Score    int `json:"score"` // the mean of customer focus and quality
	PassMark int `json:"pass_mark"`
	// Passed needs a balanced profile, the score at the pass mark and a
	// call the customer did not end; Verdict says it in one sentence.
	Passed  bool   `json:"passed"`
	Verdict string `json:"verdict"`
	// High is the score from which an axis counts as high in the profile.
	High int `json:"high"`

	// GaveIn is how much the seller gave in to the buyer (0–100):
	// concessions for nothing and decisions let slide. It is the yielding
	// side of the balance that discovery does not show, so a seller who
	// only gives is yielding, not passive.
	GaveIn int `json:"gave_in"`

	CustomerFocusParts []ScorePart `json:"customer_focus_parts"`
	SelfFocusParts     []ScorePart `json:"self_focus_parts"`
	QualityParts       []ScorePart `json:"quality_parts"`
	GaveInParts        []ScorePart `json:"gave_in_parts"`

	SPIN          SPIN        `json:"spin"`
	Discovery     Coverage    `json:"discovery"`
	Qualification Coverage    `json:"qualification"`
	Pitch         PitchStats  `json:"pitch"`
	Concessions   Concessions `json:"concessions"`
	NextStep      NextStep    `json:"next_step"`
	RedFlags      RedFlags    `json:"red_flags"`
	Talk          Talk        `json:"talk"`
	Coaching      []Coaching  `json:"coaching"`
	// Corrections are the turns the trainee said were read wrong, with what
	// was read and what was meant (played instead); none in most calls.
	Corrections []Correction `json:"corrections,omitempty"`
	Transcript  []Turn       `json:"transcript"`
	Opening     string       `json:"opening"`
	Benchmarks  []Benchmark  `json:"benchmarks"`
}

// Profile places a call on the customer-focus × self-focus grid.
type Profile string

// The profiles.
const (
	Balanced    Profile = "balanced"     // both high: the trusted advisor
	Yielding    Profile = "yielding"     // customer focus, or giving in, without self-focus
	SelfFocused Profile = "self_focused" // pushes the product without discovery
	Passive     Profile = "passive"      // neither
)

// A ScorePart is one component of an axis score, with why it got its points.
type ScorePart struct {
	Name   string `json:"name"`
	Points int    `json:"points"`
	Max    int    `json:"max"` // negative parts are penalties, Max 0
	Why    string `json:"why"`

	Ratio float64 `json:"-"` // the share of Max earned, kept to reweigh exactly
}

// SPIN counts the trainee's discovery questions and checks their order.
type SPIN struct {
	Situation   int `json:"situation"`
	Problem     int `json:"problem"`
	Implication int `json:"implication"`
	NeedPayoff  int `json:"need_payoff"`
	// ImplicationsBuiltOnPain counts implication questions asked once a pain was known.
	ImplicationsBuiltOnPain int `json:"implications_built_on_pain"`
	// NeedStatedByCustomer is set when the customer put the value of solving
	// a problem in their own words (a need fact was revealed).
	NeedStatedByCustomer bool `json:"need_stated_by_customer"`
	FirstProblemTurn     int  `json:"first_problem_turn,omitempty"`
	FirstImplicationTurn int  `json:"first_implication_turn,omitempty"`
}

// Coverage is how many of the persona's facts of some kinds came out.
type Coverage struct {
	Found int          `json:"found"`
	Total int          `json:"total"`
	Facts []FactStatus `json:"facts"`
}

// FactStatus is one fact and the turn that revealed it (0: never).
type FactStatus struct {
	ID    string   `json:"id"`
	Kind  FactKind `json:"kind"`
	Label string   `json:"label"`
	Turn  int      `json:"turn"`
}

// PitchStats says when and how the trainee talked about the product.
type PitchStats struct {
	Count     int   `json:"count"`
	FirstTurn int   `json:"first_turn,omitempty"`
	Early     int   `json:"early"` // pitches before any pain was known
	Tailored  int   `json:"tailored"`
	Turns     []int `json:"turns,omitempty"`
	// TooEarly is set when the first pitch came before any pain was known.
	TooEarly bool `json:"too_early"`
}

// Concessions counts what the trainee gave away.
type Concessions struct {
	Count         int `json:"count"`
	Unconditional int `json:"unconditional"`
	Conditional   int `json:"conditional"`
	// DeepestPercent is the largest discount offered, as a percentage of
	// the list price (offers are not added up: 15% then 25% is 25%).
	DeepestPercent float64 `json:"deepest_percent"`
	// PriceCameUp is set when the trainee conceded or the customer objected
	// on price: only then is holding value graded.
	PriceCameUp bool `json:"price_came_up"`
	// Hollow counts trades whose condition the customer cannot deliver
	// (see the persona's price.cannot_promise): counted as unconditional.
	Hollow int   `json:"hollow,omitempty"`
	Turns  []int `json:"turns,omitempty"`
}

// NextStep says whether the trainee asked for a commitment.
type NextStep struct {
	Asked     bool  `json:"asked"`
	Turns     []int `json:"turns,omitempty"`
	Committed bool  `json:"committed"`
	// PutOff are the turns where the seller let the buyer put the decision
	// off ("take your time", "whenever you're ready") instead of agreeing
	// a next step.
	PutOff []int `json:"put_off,omitempty"`
}

// RedFlags are turns with pressure or dismissive remarks.
type RedFlags struct {
	Pressure   []int `json:"pressure,omitempty"`
	Dismissive []int `json:"dismissive,omitempty"`
}

// Talk holds conversation-intelligence metrics. A chat has no clock, so talk
// share is measured in words, the same way for every call.
type Talk struct {
	TraineeWords          int     `json:"trainee_words"`
	CustomerWords         int     `json:"customer_words"`
	TraineeShare          float64 `json:"trainee_share"` // 0..1
	LongestMonologueWords int     `json:"longest_monologue_words"`
	LongestMonologueTurn  int     `json:"longest_monologue_turn,omitempty"`
	Questions             int     `json:"questions"`
	YouWords              int     `json:"you_words"` // you, your, yours
	WeWords               int     `json:"we_words"`  // I, me, my, we, our, us
}

// A Benchmark compares one of the trainee's figures with published research.
type Benchmark struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit,omitempty"` // "%" for a share
	Target string  `json:"target"`
	Met    bool    `json:"met"`
	Source string  `json:"source"`
}

// A Coaching point is one thing to do differently, tied to the turns it
// is about and the rule that found it, with a better question to ask.
type Coaching struct {
	Rule    string `json:"rule"`
	Turns   []int  `json:"turns,omitempty"`
	Message string `json:"message"`
	Better  string `json:"better,omitempty"`
	// Positive marks something done well, worth keeping.
	Positive bool `json:"positive,omitempty"`
}
