package sim

// A Detection is one act found in one sentence of a trainee turn, with the
// evidence for it. Cues are the words or phrases that decided the act, so a
// trainee and a trainer can see why the simulator read the sentence that way.
type Detection struct {
	Act        Act      `json:"act"`
	Confidence float64  `json:"confidence"` // in [0,1]
	Cues       []string `json:"cues"`
	Sentence   string   `json:"sentence"`
	// Question is set when the sentence asks something, with or without a
	// question mark ("how many trucks do you run").
	Question bool `json:"question,omitempty"`
	// Conditional marks a concession offered in exchange for something
	// ("if you sign for two years I can take 10% off"): a trade that holds
	// value, not a yield.
	Conditional bool `json:"conditional,omitempty"`
	// Percent is the size of a concession when the sentence states it as a
	// percentage ("10% off" gives 10); zero when not stated.
	Percent float64 `json:"percent,omitempty"`
}

// A Vocabulary names what a scenario sells and the world it is sold in, so
// the classifier knows that "our FleetSight dashboard" is a pitch and that
// "are you on Samsara today" asks about the customer's situation.
type Vocabulary struct {
	Product     []string // our product, company and feature names
	Competitors []string // the alternatives the customer may use or consider
	Terms       []string // the customer's industry words
}
