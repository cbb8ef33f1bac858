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
	r.CustomerFocusParts = weigh(g.customerFocus(r), s.Grading.Weights)
	r.SelfFocusParts = weigh(g.selfFocus(r), s.Grading.Weights)
	r.CustomerFocus = total(r.CustomerFocusParts)
	r.SelfFocus = total(r.SelfFocusParts)
	r.Score = (r.CustomerFocus + r.SelfFocus + 1) / 2
	r.Passed = r.Score >= r.PassMark
	r.Profile = profile(r.CustomerFocus, r.SelfFocus, r.High)
	r.Benchmarks = benchmarks(r.Talk)
	r.Coaching = g.coach(r)
	return r
}

func profile(cf, sf, high int) sim.Profile {
	switch {
	case cf >= high && sf >= high:
		return sim.Balanced
	case cf >= high:
		return sim.Yielding
	case sf >= high:
		return sim.SelfFocused
	}
	return sim.Passive
}

func total(parts []sim.ScorePart) int {
	n := 0
	for _, p := range parts {
		n += p.Points
	}
	return min(100, max(0, n))
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
				r.Concessions.TotalPercent += d.Percent
				if d.Conditional {
					r.Concessions.Conditional++
				} else {
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
	r.Pitch.TooEarly = r.Pitch.FirstTurn > 0 && g.turns[r.Pitch.FirstTurn-1].EarlyPitch
	r.Concessions.TotalPercent = math.Round(r.Concessions.TotalPercent*10) / 10
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

func countWords(s string) int { return len(sim.Words(s)) }

// personWords counts "you" language against "I/we" language.
func personWords(s string) (you, we int) {
	for _, w := range sim.Words(strings.ToLower(s)) {
		switch w {
		case "you", "your", "yours", "you're", "you've", "you'd", "you'll", "yourself", "yourselves":
			you++
		case "i", "me", "my", "mine", "we", "our", "ours", "us", "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll":
			we++
		}
	}
	return you, we
}

// Points for each part of the two axes. Each axis sums to 100.
const (
	cfDiscovery = 35 // problem, implication and need-payoff questions
	cfCoverage  = 25 // discovery facts uncovered
	cfListening = 15 // summaries and empathy
	cfTalk      = 15 // the customer does most of the talking
	cfYou       = 10 // "you" language over "I/we" language

	sfQualify  = 35 // BANT / MEDDIC facts uncovered
	sfCommit   = 25 // asked for a concrete next step
	sfValue    = 20 // no unconditional concessions
	sfAdvocacy = 20 // presented the product, tied to the customer's problems

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

// weigh rescales an axis's parts by the scenario's weights (1 when not
// given; 0 drops a part), so the parts still add up to 100. Penalties,
// with no maximum, are left as they are.
func weigh(parts []sim.ScorePart, weights map[string]float64) []sim.ScorePart {
	if len(weights) == 0 {
		return parts
	}
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
	for _, p := range parts {
		if p.Max > 0 {
			if w(p) == 0 {
				continue
			}
			p = part(p.Name, int(math.Round(100*float64(p.Max)*w(p)/total)), p.Ratio, p.Why)
		}
		out = append(out, p)
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
			fmt.Sprintf("%d problem, %d implication (%d built on a known pain), %d need-payoff questions; the customer %s", sp.Problem, sp.Implication, sp.ImplicationsBuiltOnPain, sp.NeedPayoff, stated(sp.NeedStatedByCustomer))),
		part("discovery coverage", cfCoverage, ratio(float64(r.Discovery.Found), float64(r.Discovery.Total)),
			fmt.Sprintf("%d of %d things the customer could tell about their situation, problems and needs came out", r.Discovery.Found, r.Discovery.Total)),
	}
	listening := len(g.actTurns[sim.Summary]) + len(g.actTurns[sim.Empathy])
	parts = append(parts, part("listening", cfListening, ratio(float64(listening), 2),
		fmt.Sprintf("%d turns summarised or acknowledged what the customer said", listening)))
	talk := 0.0
	if len(g.turns) > 0 {
		talk = 1 - ratio(r.Talk.TraineeShare-0.5, 0.3)
	}
	parts = append(parts, part("talk balance", cfTalk, talk,
		fmt.Sprintf("the trainee wrote %.0f%% of the words (top sellers talk about 43%%)", r.Talk.TraineeShare*100)))
	you := 0.5 // no pronouns either way: neutral
	if r.Talk.YouWords+r.Talk.WeWords > 0 {
		you = ratio(float64(r.Talk.YouWords), 0.5*float64(r.Talk.YouWords+r.Talk.WeWords))
	}
	parts = append(parts, part("customer language", cfYou, you,
		fmt.Sprintf("%d you/your words against %d I/we/our words", r.Talk.YouWords, r.Talk.WeWords)))
	if r.Pitch.Early > 0 {
		parts = append(parts, sim.ScorePart{Name: "pitched too early", Points: -min(3, r.Pitch.Early) * penaltyEarlyPitch,
			Why: fmt.Sprintf("%d pitches before any problem was known (turns %s)", r.Pitch.Early, sim.FormatTurns(earlyTurns(g.turns)))})
	}
	if n := len(r.RedFlags.Pressure); n > 0 {
		parts = append(parts, sim.ScorePart{Name: "pressure", Points: -n * penaltyPressure,
			Why: fmt.Sprintf("artificial urgency in turns %s", sim.FormatTurns(r.RedFlags.Pressure))})
	}
	if n := len(r.RedFlags.Dismissive); n > 0 {
		parts = append(parts, sim.ScorePart{Name: "dismissive remarks", Points: -n * penaltyDismissive,
			Why: fmt.Sprintf("belittled the customer in turns %s", sim.FormatTurns(r.RedFlags.Dismissive))})
	}
	return parts
}

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

func (g *grader) selfFocus(r *sim.Report) []sim.ScorePart {
	q := r.Qualification
	askedOnly := 0
	for a := range g.askedKinds {
		found := false
		for _, f := range q.Facts {
			if f.Kind.Act() == a && f.Turn > 0 {
				found = true
			}
		}
		if !found {
			askedOnly++
		}
	}
	den := float64(max(3, q.Total))
	if q.Total > 0 {
		den = float64(q.Total)
	}
	qualify := ratio(float64(q.Found)+0.5*float64(askedOnly), den)
	parts := []sim.ScorePart{part("qualification", sfQualify, qualify,
		fmt.Sprintf("%d of %d budget, authority, timeline, process, metrics and champion facts uncovered; %d more kinds asked about", q.Found, q.Total, askedOnly))}
	commit := 0.0
	why := "never asked for a next step"
	if r.NextStep.Asked {
		commit = 1
		why = fmt.Sprintf("asked for a commitment in turns %s", sim.FormatTurns(r.NextStep.Turns))
	}
	parts = append(parts, part("asked for commitment", sfCommit, commit, why))
	value := ratio(float64(2-r.Concessions.Unconditional), 2)
	why = "gave nothing away for free"
	if r.Concessions.Unconditional > 0 {
		why = fmt.Sprintf("%d unconditional concessions (%.0f%% in all) in turns %s", r.Concessions.Unconditional, r.Concessions.TotalPercent, sim.FormatTurns(r.Concessions.Turns))
	} else if r.Concessions.Conditional > 0 {
		why = fmt.Sprintf("traded %d concessions for something in return", r.Concessions.Conditional)
	}
	parts = append(parts, part("held value", sfValue, value, why))
	adv := 0.0
	why = "never presented the product"
	switch {
	case r.Pitch.Tailored > 0:
		adv, why = 1, fmt.Sprintf("%d pitches tied to problems the customer raised", r.Pitch.Tailored)
	case r.Pitch.Count > 0:
		adv, why = 0.5, fmt.Sprintf("%d pitches, none tied to a problem the customer raised", r.Pitch.Count)
	}
	parts = append(parts, part("product advocacy", sfAdvocacy, adv, why))
	return parts
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
