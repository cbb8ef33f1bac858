// Package grade measures a call, scores it on two axes (customer focus and
// self-focus), places it in a profile and coaches the trainee. It reads only
// the conversation, so the same record gives the same report.
package grade

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Grade measures a finished or abandoned call and explains the result. It
// reads only the conversation, so the same transcript gives the same report.
func Grade(c *sim.Conversation) *sim.Report {
	s := c.Scenario()
	g := &grader{c: c, s: s, turns: c.Turns()}
	r := &sim.Report{
		Scenario:     s.ID,
		Title:        s.Title,
		ScenarioHash: s.Hash,
		Engine:       sim.Engine,
		Outcome:      c.Outcome(),
		Reason:       c.Reason(),
		Turns:        len(g.turns),
		PassMark:     s.Grading.PassMark,
		High:         s.Grading.High,
		Transcript:   g.turns,
		Opening:      c.Opening(),
	}
	if r.Transcript == nil {
		r.Transcript = []sim.Turn{}
	}
	g.measure(r)
	r.CustomerFocusParts = weigh(g.customerFocus(r), s.Grading.Weights, 100)
	r.SelfFocusParts = weigh(g.selfFocus(r), s.Grading.Weights, 0)
	r.SelfFocusParts = append(r.SelfFocusParts, gaveGround(r)...)
	r.QualityParts = g.quality(r)
	r.GaveInParts = g.gaveIn(r)
	r.CustomerFocus = total(r.CustomerFocusParts)
	r.SelfFocus = total(r.SelfFocusParts)
	r.Quality = qualityScore(r.QualityParts)
	r.GaveIn = total(r.GaveInParts)
	r.Score = (r.CustomerFocus + r.Quality + 1) / 2
	r.Profile = profile(r.CustomerFocus, r.SelfFocus, r.GaveIn, r.High)
	r.Passed = r.Profile == sim.Balanced && r.Score >= r.PassMark && r.Outcome != sim.Lost
	r.Verdict = verdict(r)
	r.Benchmarks = benchmarks(r.Talk)
	r.Coaching = g.coach(r)
	r.Corrections = sim.CorrectionsOf(g.turns)
	return r
}

// profile places the call by the balance of DOMAIN.md: balanced when the
// seller attended to the customer and asserted their own side; yielding
// when the customer's side won, by attention (customer focus) or by
// giving in (gifts, decisions let slide) more than the seller pushed;
// self-focused when the seller pushed without the customer; passive when
// nothing much happened either way.
func profile(cf, sf, gaveIn, high int) sim.Profile {
	switch {
	case cf >= high && sf >= high:
		return sim.Balanced
	case cf >= high, gaveIn >= high && gaveIn > sf:
		return sim.Yielding
	case sf >= high:
		return sim.SelfFocused
	}
	return sim.Passive
}

// total adds up an axis's points, within 0–100 (self-focus's parts can
// add up to more: it is capped).
func total(parts []sim.ScorePart) int {
	n := 0
	for _, p := range parts {
		n += p.Points
	}
	return min(sfCap, max(0, n))
}

type grader struct {
	c     *sim.Conversation
	s     *sim.Scenario
	turns []sim.Turn

	painKnownAt int               // first turn after which a pain was known
	askedKinds  map[sim.Act][]int // qualifying acts asked, by turn
	untailored  []int             // pitches after a pain was known that ignored it
	sitStreak   []int             // turns of the longest run of situation-only turns
	actTurns    map[sim.Act][]int // turns holding each act
	pitchWords  int               // the trainee's words in sentences presenting the product
}

// measure fills the counts of the report.
func (g *grader) measure(r *sim.Report) {
	s, c := g.s, g.c
	g.askedKinds = map[sim.Act][]int{}
	g.actTurns = map[sim.Act][]int{}
	for i, f := range s.Facts {
		st := sim.FactStatus{ID: f.ID, Kind: f.Kind, Label: f.Label, Turn: c.RevealedAt(i)}
		cov := &r.Discovery
		if f.Kind.Qualifying() {
			cov = &r.Qualification
		}
		cov.Total++
		if st.Turn > 0 {
			cov.Found++
			if f.Kind == sim.FactPain && (g.painKnownAt == 0 || st.Turn < g.painKnownAt) {
				g.painKnownAt = st.Turn
			}
			if f.Kind == sim.FactNeed {
				r.SPIN.NeedStatedByCustomer = true
			}
		}
		cov.Facts = append(cov.Facts, st)
	}
	r.Discovery.Facts = orEmpty(r.Discovery.Facts)
	r.Qualification.Facts = orEmpty(r.Qualification.Facts)

	var streak []int
	pitchSentences := map[string]bool{}
	r.Talk.CustomerWords = countWords(c.Opening())
	for _, t := range g.turns {
		painKnown := g.painKnownAt > 0 && g.painKnownAt < t.N
		seen := map[sim.Act]bool{}
		questions := map[string]bool{}
		for _, d := range t.Acts {
			switch d.Act {
			case sim.Situation:
				r.SPIN.Situation++
			case sim.Problem:
				r.SPIN.Problem++
			case sim.Implication:
				r.SPIN.Implication++
				if painKnown {
					r.SPIN.ImplicationsBuiltOnPain++
				}
			case sim.NeedPayoff:
				r.SPIN.NeedPayoff++
			case sim.Concession:
				r.Concessions.Count++
				switch {
				case d.Conditional && t.Hollow:
					// A trade the customer cannot honour gives the
					// concession away all the same.
					r.Concessions.Unconditional++
					r.Concessions.Hollow++
				case d.Conditional:
					r.Concessions.Conditional++
				default:
					r.Concessions.Unconditional++
				}
			}
			if d.Question {
				questions[d.Sentence] = true
			}
			if !seen[d.Act] {
				seen[d.Act] = true
				g.actTurns[d.Act] = append(g.actTurns[d.Act], t.N)
				if d.Act.IsQualifying() {
					g.askedKinds[d.Act] = append(g.askedKinds[d.Act], t.N)
				}
			}
		}
		r.Talk.Questions += len(questions)
		if seen[sim.Problem] && r.SPIN.FirstProblemTurn == 0 {
			r.SPIN.FirstProblemTurn = t.N
		}
		if seen[sim.Implication] && r.SPIN.FirstImplicationTurn == 0 {
			r.SPIN.FirstImplicationTurn = t.N
		}
		if seen[sim.Situation] && !seen[sim.Problem] && !seen[sim.Implication] && !seen[sim.NeedPayoff] {
			streak = append(streak, t.N)
			if len(streak) > len(g.sitStreak) {
				g.sitStreak = append([]int(nil), streak...)
			}
		} else {
			streak = streak[:0]
		}
		if seen[sim.Pitch] {
			r.Pitch.Count++
			r.Pitch.Turns = append(r.Pitch.Turns, t.N)
			if r.Pitch.FirstTurn == 0 {
				r.Pitch.FirstTurn = t.N
			}
			switch {
			case t.EarlyPitch:
				r.Pitch.Early++
			case t.Tailored:
				r.Pitch.Tailored++
			default:
				g.untailored = append(g.untailored, t.N)
			}
		}
		if seen[sim.Concession] {
			r.Concessions.Turns = append(r.Concessions.Turns, t.N)
			r.Concessions.DeepestPercent = max(r.Concessions.DeepestPercent, t.Discount)
		}
		if t.Objection || seen[sim.Concession] {
			r.Concessions.PriceCameUp = true
		}
		for _, d := range t.Acts {
			if d.Act == sim.Pitch && !pitchSentences[d.Sentence] {
				pitchSentences[d.Sentence] = true
				g.pitchWords += countWords(d.Sentence)
			}
		}
		if seen[sim.Close] {
			r.NextStep.Asked = true
			r.NextStep.Turns = append(r.NextStep.Turns, t.N)
		}
		if seen[sim.Pressure] {
			r.RedFlags.Pressure = append(r.RedFlags.Pressure, t.N)
		}
		if seen[sim.Dismissive] {
			r.RedFlags.Dismissive = append(r.RedFlags.Dismissive, t.N)
		}
		words := countWords(t.Said)
		r.Talk.TraineeWords += words
		if words > r.Talk.LongestMonologueWords {
			r.Talk.LongestMonologueWords, r.Talk.LongestMonologueTurn = words, t.N
		}
		r.Talk.CustomerWords += countWords(t.Reply)
		you, we := personWords(t.Said)
		r.Talk.YouWords += you
		r.Talk.WeWords += we
	}
	r.NextStep.PutOff = putOffTurns(g.turns)
	r.Pitch.TooEarly = r.Pitch.FirstTurn > 0 && g.turns[r.Pitch.FirstTurn-1].EarlyPitch
	r.Concessions.DeepestPercent = math.Round(r.Concessions.DeepestPercent*10) / 10
	r.NextStep.Committed = c.Outcome() == sim.Won
	if all := r.Talk.TraineeWords + r.Talk.CustomerWords; all > 0 {
		r.Talk.TraineeShare = math.Round(float64(r.Talk.TraineeWords)/float64(all)*1000) / 1000
	}
}

func orEmpty(f []sim.FactStatus) []sim.FactStatus {
	if f == nil {
		return []sim.FactStatus{}
	}
	return f
}

func countWords(s string) int {
	n := 0
	for range sim.WordsSeq(s) {
		n++
	}
	return n
}

// personWords counts "you" language against "I/we" language.
func personWords(s string) (you, we int) {
	for w := range sim.WordsSeq(strings.ToLower(s)) {
		switch w {
		case "you", "your", "yours", "you're", "you've", "you'd", "you'll", "yourself", "yourselves":
			you++
		case "i", "me", "my", "mine", "we", "our", "ours", "us", "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll":
			we++
		}
	}
	return you, we
}

// Points for each part of the two axes. Customer focus sums to 100. Self-
// focus is an intensity: the seller's pushes added up and capped at 100, so
// a seller who pitches hard from the first line is self-focused however
// early the call ended, and a balanced seller need not do every push (the
// parts' maximums add up to 160). How well the pushing was done is quality.
const (
	cfDiscovery = 35 // problem, implication and need-payoff questions
	cfCoverage  = 25 // discovery facts uncovered
	cfListening = 15 // summaries and empathy
	cfTalk      = 15 // the customer does most of the talking
	cfYou       = 10 // "you" language over "I/we" language

	sfAdvocacy = 50 // presented the product (how often)
	sfTalk     = 20 // how much of what the seller said was about the product
	sfCommit   = 30 // asked for commitment (or pushed for it)
	sfQualify  = 40 // BANT / MEDDIC facts uncovered or asked about
	sfValue    = 20 // held value when price came up
	sfCap      = 100

	qPitch   = 30 // pitches tied to problems the customer raised
	qCommit  = 25 // commitment asked once the customer saw value
	qQualify = 30 // how much of the deal is qualified
	qTrade   = 15 // concessions traded, not given

	penaltyEarlyPitch = 10
	penaltyPressure   = 15
	penaltyDismissive = 20
)

func ratio(num, den float64) float64 {
	if den <= 0 {
		return 0
	}
	return min(1, max(0, num/den))
}

// part is a scored part of an axis: r of its points, for the reason why.
func part(name string, maxPts int, r float64, why string) sim.ScorePart {
	return sim.ScorePart{Name: name, Max: maxPts, Points: int(math.Round(float64(maxPts) * r)), Why: why, Ratio: r}
}

// weigh scales an axis's parts by the scenario's weights (1 when not given;
// 0 drops a part). With sum > 0 the parts are rescaled to add up to sum, as
// customer focus does; with 0 each part's maximum is just multiplied, as for
// self-focus, whose total is capped. Penalties, with no maximum, are left
// as they are.
func weigh(parts []sim.ScorePart, weights map[string]float64, sum int) []sim.ScorePart {
	w := func(p sim.ScorePart) float64 {
		if v, ok := weights[strings.ReplaceAll(p.Name, " ", "_")]; ok {
			return v
		}
		return 1
	}
	total := 0.0
	for _, p := range parts {
		total += float64(p.Max) * w(p)
	}
	if total == 0 {
		return parts
	}
	out := parts[:0]
	given, last := 0, -1
	for _, p := range parts {
		if p.Max > 0 {
			if w(p) == 0 {
				continue
			}
			m := float64(p.Max) * w(p)
			if sum > 0 {
				m = float64(sum) * m / total
			}
			p = part(p.Name, int(math.Round(m)), p.Ratio, p.Why)
			given += p.Max
			last = len(out)
		}
		out = append(out, p)
	}
	if sum > 0 && last >= 0 && given != sum { // rounding: the last part takes the odd point
		p := out[last]
		out[last] = part(p.Name, p.Max+sum-given, p.Ratio, p.Why)
	}
	return out
}

func (g *grader) customerFocus(r *sim.Report) []sim.ScorePart {
	sp := r.SPIN
	depth := float64(sp.Problem) + 2*float64(sp.ImplicationsBuiltOnPain)
	if sp.NeedStatedByCustomer {
		depth += 2 * float64(max(1, sp.NeedPayoff))
	}
	parts := []sim.ScorePart{
		part("discovery questions", cfDiscovery, ratio(depth, 10),
			fmt.Sprintf("%s, %s (%d built on a known pain), %s; the customer %s",
				sim.Plural(sp.Problem, "problem question"), sim.Plural(sp.Implication, "implication question"), sp.ImplicationsBuiltOnPain, sim.Plural(sp.NeedPayoff, "need-payoff question"), stated(sp.NeedStatedByCustomer))),
		part("discovery coverage", cfCoverage, ratio(float64(r.Discovery.Found), float64(r.Discovery.Total)),
			fmt.Sprintf("%d of %d things the customer could tell about their situation, problems and needs came out", r.Discovery.Found, r.Discovery.Total)),
	}
	listening := len(g.actTurns[sim.Summary]) + len(g.actTurns[sim.Empathy])
	parts = append(parts, part("listening", cfListening, ratio(float64(listening), 2),
		fmt.Sprintf("%s summarised or acknowledged what the customer said", sim.Plural(listening, "turn"))))
	if len(g.turns) > 0 {
		parts = append(parts, part("talk balance", cfTalk, 1-ratio(r.Talk.TraineeShare-0.5, 0.3),
			fmt.Sprintf("the trainee wrote %.0f%% of the words (top sellers talk about 43%%)", r.Talk.TraineeShare*100)))
	} else {
		parts = append(parts, part("talk balance", cfTalk, 0, "the trainee said nothing"))
	}
	// "You" language is only measured when there were such words: no
	// points for what never came up (the other parts share its points).
	if r.Talk.YouWords+r.Talk.WeWords > 0 {
		you := ratio(float64(r.Talk.YouWords), 0.5*float64(r.Talk.YouWords+r.Talk.WeWords))
		parts = append(parts, part("customer language", cfYou, you,
			fmt.Sprintf("%s against %s", sim.Plural(r.Talk.YouWords, "you/your word"), sim.Plural(r.Talk.WeWords, "I/we/our word"))))
	}
	if r.Pitch.Early > 0 {
		parts = append(parts, sim.ScorePart{Name: "pitched too early", Points: -min(3, r.Pitch.Early) * penaltyEarlyPitch,
			Why: fmt.Sprintf("%s before any problem was known (%s)", sim.Plural(r.Pitch.Early, "pitch"), turnsText(earlyTurns(g.turns)))})
	}
	if n := len(r.RedFlags.Pressure); n > 0 {
		parts = append(parts, sim.ScorePart{Name: "pressure", Points: -n * penaltyPressure,
			Why: fmt.Sprintf("artificial urgency in %s", turnsText(r.RedFlags.Pressure))})
	}
	if n := len(r.RedFlags.Dismissive); n > 0 {
		parts = append(parts, sim.ScorePart{Name: "dismissive remarks", Points: -n * penaltyDismissive,
			Why: fmt.Sprintf("belittled the customer in %s", turnsText(r.RedFlags.Dismissive))})
	}
	return parts
}

func turnsText(turns []int) string { return sim.TurnsText(turns) }

func stated(b bool) string {
	if b {
		return "stated the value of solving it in their own words"
	}
	return "never stated the value of solving it"
}

func earlyTurns(turns []sim.Turn) []int {
	var out []int
	for _, t := range turns {
		if t.EarlyPitch {
			out = append(out, t.N)
		}
	}
	return out
}

// askedOnly counts the qualifying kinds asked about whose facts never came out.
func (g *grader) askedOnly(q sim.Coverage) int {
	n := 0
	for a := range g.askedKinds {
		found := false
		for _, f := range q.Facts {
			if f.Kind.Act() == a && f.Turn > 0 {
				found = true
			}
		}
		if !found {
			n++
		}
	}
	return n
}

// selfFocus measures how much the seller pushed their own side: presenting
// the product, talking about it, asking for commitment, qualifying, and
// holding value when price came up. Timing and tailoring are quality.
func (g *grader) selfFocus(r *sim.Report) []sim.ScorePart {
	var parts []sim.ScorePart
	adv := [...]float64{0, 0.6, 0.9, 1}[min(3, r.Pitch.Count)]
	why := "never presented the product"
	if r.Pitch.Count > 0 {
		why = fmt.Sprintf("presented the product in %s", turnsText(r.Pitch.Turns))
	}
	parts = append(parts, part("product advocacy", sfAdvocacy, adv, why))
	share := ratio(float64(g.pitchWords), float64(r.Talk.TraineeWords))
	parts = append(parts, part("product talk", sfTalk, ratio(share, 0.5),
		fmt.Sprintf("%.0f%% of the trainee's words presented the product", share*100)))

	commit, why := 0.0, "never asked for a next step"
	switch {
	case r.NextStep.Asked:
		commit, why = 1, fmt.Sprintf("asked for a commitment in %s", turnsText(r.NextStep.Turns))
	case len(r.RedFlags.Pressure) > 0:
		commit, why = 0.5, fmt.Sprintf("pushed for a decision in %s without asking for a next step", turnsText(r.RedFlags.Pressure))
	}
	parts = append(parts, part("asked for commitment", sfCommit, commit, why))

	q := r.Qualification
	asked := g.askedOnly(q)
	den := float64(q.Total)
	if q.Total == 0 {
		den = 3
	}
	parts = append(parts, part("qualification", sfQualify, ratio(float64(q.Found)+0.5*float64(asked), den),
		fmt.Sprintf("%d of %d budget, authority, timeline, process, metrics and champion facts uncovered; %d more %s asked about", q.Found, q.Total, asked, plural(asked, "kind", "kinds"))))

	// Holding value is graded only when price came up.
	if c := r.Concessions; c.PriceCameUp {
		why := "price came up and nothing was given away for free"
		switch {
		case c.Unconditional > 0:
			why = fmt.Sprintf("%s given for nothing in return (deepest %.0f%% off) in %s", sim.Plural(c.Unconditional, "concession"), c.DeepestPercent, turnsText(c.Turns))
		case c.Conditional > 0:
			why = fmt.Sprintf("traded %s for something in return", sim.Plural(c.Conditional, "concession"))
		}
		parts = append(parts, part("held value", sfValue, ratio(float64(2-c.Unconditional), 2), why))
	}
	return parts
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// quality measures how well the seller asserted themselves, over the
// pushes that happened: a part for what never came up is left out.
func (g *grader) quality(r *sim.Report) []sim.ScorePart {
	var parts []sim.ScorePart
	if p := r.Pitch; p.Count > 0 {
		parts = append(parts, part("pitch tied to needs", qPitch, ratio(float64(p.Tailored), float64(p.Count)),
			fmt.Sprintf("%d of %s tied to a problem the customer raised", p.Tailored, sim.Plural(p.Count, "pitch"))))
	}
	if r.NextStep.Asked {
		timely := 0
		for _, n := range r.NextStep.Turns {
			if g.needKnownBefore(n) || (r.NextStep.Committed && n == r.Turns) {
				timely++
			}
		}
		parts = append(parts, part("commitment once value was clear", qCommit, ratio(float64(timely), float64(len(r.NextStep.Turns))),
			fmt.Sprintf("%d of %s came after the customer stated what solving the problem was worth", timely, sim.Plural(len(r.NextStep.Turns), "ask"))))
	}
	if q := r.Qualification; q.Total > 0 && (q.Found > 0 || len(g.askedKinds) > 0 || r.NextStep.Asked || r.Pitch.Count > 0) {
		parts = append(parts, part("deal qualified", qQualify, ratio(float64(q.Found), float64(q.Total)),
			fmt.Sprintf("%d of %d qualifying facts known", q.Found, q.Total)))
	}
	if c := r.Concessions; c.Count > 0 {
		parts = append(parts, part("traded, not given", qTrade, ratio(float64(c.Conditional), float64(c.Count)),
			fmt.Sprintf("%d of %s traded for something in return", c.Conditional, sim.Plural(c.Count, "concession"))))
	}
	if n := len(r.RedFlags.Pressure); n > 0 {
		parts = append(parts, sim.ScorePart{Name: "pressure", Points: -n * penaltyPressure,
			Why: fmt.Sprintf("artificial urgency in %s", turnsText(r.RedFlags.Pressure))})
	}
	return parts
}

// qualityScore rescales the quality parts that apply to 0–100; a call with
// no push at all has no quality.
func qualityScore(parts []sim.ScorePart) int {
	got, most := 0, 0
	for _, p := range parts {
		got += p.Points
		most += p.Max
	}
	if most == 0 {
		return 0
	}
	return min(100, max(0, int(math.Round(100*float64(got)/float64(most)))))
}

// needKnownBefore reports whether a need fact had come out before turn n.
func (g *grader) needKnownBefore(n int) bool {
	for i, f := range g.s.Facts {
		if t := g.c.RevealedAt(i); f.Kind == sim.FactNeed && t > 0 && t < n {
			return true
		}
	}
	return false
}

func benchmarks(t sim.Talk) []sim.Benchmark {
	return []sim.Benchmark{
		{Name: "talk share", Value: math.Round(t.TraineeShare*1000) / 10, Unit: "%", Target: "about 43% (top sellers); over 65% goes with lower win rates", Met: t.TraineeShare <= 0.5, Source: "Gong Labs, 25,537 calls"},
		{Name: "questions asked", Value: float64(t.Questions), Target: "11–14 in a discovery call", Met: t.Questions >= 11 && t.Questions <= 14, Source: "Gong Labs, over a million meetings"},
		{Name: "longest monologue (words)", Value: float64(t.LongestMonologueWords), Target: "under about 2 minutes of speech (~300 words)", Met: t.LongestMonologueWords < 300, Source: "Gong infographic, 257,967 calls"},
	}
}

// painOut reports whether the pain a fact builds on came out (or it needs none).
func (g *grader) painOut(f *sim.Fact) bool {
	if f.Pain == "" {
		return true
	}
	return g.c.RevealedAt(g.s.FactIndex(f.Pain)) > 0
}

func (g *grader) revealTurns(kinds ...sim.FactKind) []int {
	var out []int
	for i, f := range g.s.Facts {
		if n := g.c.RevealedAt(i); n > 0 && containsKind(kinds, f.Kind) {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

func containsKind(kinds []sim.FactKind, k sim.FactKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func sortStrings(s []string) { sort.Strings(s) }
