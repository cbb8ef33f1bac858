package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Grade measures a finished or abandoned call and explains the result. It
// reads only the conversation, so the same transcript gives the same report.
func Grade(c *Conversation) *Report {
	s := c.s
	g := &grader{c: c, s: s, turns: c.Turns()}
	r := &Report{
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
		r.Transcript = []Turn{}
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

func profile(cf, sf, high int) Profile {
	switch {
	case cf >= high && sf >= high:
		return Balanced
	case cf >= high:
		return Yielding
	case sf >= high:
		return SelfFocused
	}
	return Passive
}

func total(parts []ScorePart) int {
	n := 0
	for _, p := range parts {
		n += p.Points
	}
	return min(100, max(0, n))
}

type grader struct {
	c     *Conversation
	s     *Scenario
	turns []Turn

	painKnownAt int           // first turn after which a pain was known
	askedKinds  map[Act][]int // qualifying acts asked, by turn
	untailored  []int         // pitches after a pain was known that ignored it
	sitStreak   []int         // turns of the longest run of situation-only turns
	actTurns    map[Act][]int // turns holding each act
}

// measure fills the counts of the report.
func (g *grader) measure(r *Report) {
	s, c := g.s, g.c
	g.askedKinds = map[Act][]int{}
	g.actTurns = map[Act][]int{}
	for i, f := range s.Facts {
		st := FactStatus{ID: f.ID, Kind: f.Kind, Label: f.Label, Turn: c.RevealedAt(i)}
		cov := &r.Discovery
		if f.Kind.Qualifying() {
			cov = &r.Qualification
		}
		cov.Total++
		if st.Turn > 0 {
			cov.Found++
			if f.Kind == FactPain && (g.painKnownAt == 0 || st.Turn < g.painKnownAt) {
				g.painKnownAt = st.Turn
			}
			if f.Kind == FactNeed {
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
		seen := map[Act]bool{}
		questions := map[string]bool{}
		for _, d := range t.Acts {
			switch d.Act {
			case Situation:
				r.SPIN.Situation++
			case Problem:
				r.SPIN.Problem++
			case Implication:
				r.SPIN.Implication++
				if painKnown {
					r.SPIN.ImplicationsBuiltOnPain++
				}
			case NeedPayoff:
				r.SPIN.NeedPayoff++
			case Concession:
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
		if seen[Problem] && r.SPIN.FirstProblemTurn == 0 {
			r.SPIN.FirstProblemTurn = t.N
		}
		if seen[Implication] && r.SPIN.FirstImplicationTurn == 0 {
			r.SPIN.FirstImplicationTurn = t.N
		}
		if seen[Situation] && !seen[Problem] && !seen[Implication] && !seen[NeedPayoff] {
			streak = append(streak, t.N)
			if len(streak) > len(g.sitStreak) {
				g.sitStreak = append([]int(nil), streak...)
			}
		} else {
			streak = streak[:0]
		}
		if seen[Pitch] {
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
		if seen[Concession] {
			r.Concessions.Turns = append(r.Concessions.Turns, t.N)
		}
		if seen[Close] {
			r.NextStep.Asked = true
			r.NextStep.Turns = append(r.NextStep.Turns, t.N)
		}
		if seen[Pressure] {
			r.RedFlags.Pressure = append(r.RedFlags.Pressure, t.N)
		}
		if seen[Dismissive] {
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
	r.NextStep.Committed = c.Outcome() == Won
	if all := r.Talk.TraineeWords + r.Talk.CustomerWords; all > 0 {
		r.Talk.TraineeShare = math.Round(float64(r.Talk.TraineeWords)/float64(all)*1000) / 1000
	}
}

func orEmpty(f []FactStatus) []FactStatus {
	if f == nil {
		return []FactStatus{}
	}
	return f
}

func countWords(s string) int { return len(strings.FieldsFunc(s, betweenWords)) }

// betweenWords reports runes that separate words; apostrophes stay inside
// them ("don't").
func betweenWords(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '\'' || r > 127)
}

// personWords counts "you" language against "I/we" language.
func personWords(s string) (you, we int) {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), betweenWords) {
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
func part(name string, maxPts int, r float64, why string) ScorePart {
	return ScorePart{Name: name, Max: maxPts, Points: int(math.Round(float64(maxPts) * r)), Why: why, ratio: r}
}

// WeightNames are the parts of the two axes a scenario can weigh.
var WeightNames = []string{
	"discovery_questions", "discovery_coverage", "listening", "talk_balance", "customer_language",
	"qualification", "asked_for_commitment", "held_value", "product_advocacy",
}

// weigh rescales an axis's parts by the scenario's weights (1 when not
// given; 0 drops a part), so the parts still add up to 100. Penalties,
// with no maximum, are left as they are.
func weigh(parts []ScorePart, weights map[string]float64) []ScorePart {
	if len(weights) == 0 {
		return parts
	}
	w := func(p ScorePart) float64 {
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
			p = part(p.Name, int(math.Round(100*float64(p.Max)*w(p)/total)), p.ratio, p.Why)
		}
		out = append(out, p)
	}
	return out
}

func (g *grader) customerFocus(r *Report) []ScorePart {
	sp := r.SPIN
	depth := float64(sp.Problem) + 2*float64(sp.ImplicationsBuiltOnPain)
	if sp.NeedStatedByCustomer {
		depth += 2 * float64(max(1, sp.NeedPayoff))
	}
	parts := []ScorePart{
		part("discovery questions", cfDiscovery, ratio(depth, 10),
			fmt.Sprintf("%d problem, %d implication (%d built on a known pain), %d need-payoff questions; the customer %s", sp.Problem, sp.Implication, sp.ImplicationsBuiltOnPain, sp.NeedPayoff, stated(sp.NeedStatedByCustomer))),
		part("discovery coverage", cfCoverage, ratio(float64(r.Discovery.Found), float64(r.Discovery.Total)),
			fmt.Sprintf("%d of %d things the customer could tell about their situation, problems and needs came out", r.Discovery.Found, r.Discovery.Total)),
	}
	listening := len(g.actTurns[Summary]) + len(g.actTurns[Empathy])
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
		parts = append(parts, ScorePart{Name: "pitched too early", Points: -min(3, r.Pitch.Early) * penaltyEarlyPitch,
			Why: fmt.Sprintf("%d pitches before any problem was known (turns %s)", r.Pitch.Early, FormatTurns(earlyTurns(g.turns)))})
	}
	if n := len(r.RedFlags.Pressure); n > 0 {
		parts = append(parts, ScorePart{Name: "pressure", Points: -n * penaltyPressure,
			Why: fmt.Sprintf("artificial urgency in turns %s", FormatTurns(r.RedFlags.Pressure))})
	}
	if n := len(r.RedFlags.Dismissive); n > 0 {
		parts = append(parts, ScorePart{Name: "dismissive remarks", Points: -n * penaltyDismissive,
			Why: fmt.Sprintf("belittled the customer in turns %s", FormatTurns(r.RedFlags.Dismissive))})
	}
	return parts
}

func stated(b bool) string {
	if b {
		return "stated the value of solving it in their own words"
	}
	return "never stated the value of solving it"
}

func earlyTurns(turns []Turn) []int {
	var out []int
	for _, t := range turns {
		if t.EarlyPitch {
			out = append(out, t.N)
		}
	}
	return out
}

func (g *grader) selfFocus(r *Report) []ScorePart {
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
	parts := []ScorePart{part("qualification", sfQualify, qualify,
		fmt.Sprintf("%d of %d budget, authority, timeline, process, metrics and champion facts uncovered; %d more kinds asked about", q.Found, q.Total, askedOnly))}
	commit := 0.0
	why := "never asked for a next step"
	if r.NextStep.Asked {
		commit = 1
		why = fmt.Sprintf("asked for a commitment in turns %s", FormatTurns(r.NextStep.Turns))
	}
	parts = append(parts, part("asked for commitment", sfCommit, commit, why))
	value := ratio(float64(2-r.Concessions.Unconditional), 2)
	why = "gave nothing away for free"
	if r.Concessions.Unconditional > 0 {
		why = fmt.Sprintf("%d unconditional concessions (%.0f%% in all) in turns %s", r.Concessions.Unconditional, r.Concessions.TotalPercent, FormatTurns(r.Concessions.Turns))
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

func benchmarks(t Talk) []Benchmark {
	return []Benchmark{
		{Name: "talk share", Value: math.Round(t.TraineeShare*1000) / 10, Unit: "%", Target: "about 43% (top sellers); over 65% goes with lower win rates", Met: t.TraineeShare <= 0.5, Source: "Gong Labs, 25,537 calls"},
		{Name: "questions asked", Value: float64(t.Questions), Target: "11–14 in a discovery call", Met: t.Questions >= 11 && t.Questions <= 14, Source: "Gong Labs, over a million meetings"},
		{Name: "longest monologue (words)", Value: float64(t.LongestMonologueWords), Target: "under about 2 minutes of speech (~300 words)", Met: t.LongestMonologueWords < 300, Source: "Gong infographic, 257,967 calls"},
	}
}

// coach finds the 3–5 most useful things to say about the call.
func (g *grader) coach(r *Report) []Coaching {
	s := g.s
	type point struct {
		Coaching
		weight int
	}
	var ps []point
	add := func(w int, c Coaching) { ps = append(ps, point{c, w}) }
	firstQ := func(kinds ...FactKind) string {
		for _, k := range kinds {
			for i, f := range s.Facts {
				if f.Kind == k && g.c.RevealedAt(i) == 0 && f.Question != "" && g.painOut(f) {
					return f.Question
				}
			}
		}
		for _, k := range kinds {
			for _, f := range s.Facts {
				if f.Kind == k && f.Question != "" {
					return f.Question
				}
			}
		}
		return kinds[0].Question()
	}

	if early := earlyTurns(g.turns); len(early) > 0 {
		add(90, Coaching{Rule: "pitched_too_early", Turns: early,
			Message: "You talked about the product before learning about any problem, which turns you into one more vendor. Find a problem first, then connect the product to it.",
			Better:  firstQ(FactPain)})
	}
	if n := len(r.RedFlags.Dismissive); n > 0 {
		add(95, Coaching{Rule: "dismissive", Turns: r.RedFlags.Dismissive,
			Message: "Blaming or belittling the customer costs trust that no feature wins back. Stay curious about why things are the way they are.",
			Better:  "What led you to set it up that way?"})
	}
	if n := len(r.RedFlags.Pressure); n > 0 {
		add(85, Coaching{Rule: "pressure", Turns: r.RedFlags.Pressure,
			Message: "Artificial urgency makes buyers defensive. Let urgency come from the cost of their problem, in their words.",
			Better:  firstQ(FactImplication, FactTimeline)})
	}
	if r.Concessions.Unconditional > 0 {
		add(80, Coaching{Rule: "unconditional_concession", Turns: r.Concessions.Turns,
			Message: fmt.Sprintf("You gave away %d concessions without asking for anything back. Trade instead: every give gets a get.", r.Concessions.Unconditional),
			Better:  "If you can commit to a two-year term, I can look at the price. Would that work for you?"})
	}
	painsOut := 0
	for i, f := range s.Facts {
		if f.Kind == FactPain && g.c.RevealedAt(i) > 0 {
			painsOut++
		}
	}
	missedImpl := g.missed(FactImplication)
	switch {
	case painsOut > 0 && r.SPIN.ImplicationsBuiltOnPain == 0:
		add(75, Coaching{Rule: "no_implication", Turns: g.revealTurns(FactPain),
			Message: "The customer told you about a problem, but you never asked what it costs them. Implication questions make a problem big enough to act on.",
			Better:  firstQ(FactImplication)})
	case len(missedImpl) > 0:
		add(45, Coaching{Rule: "missed_implication", Turns: g.revealTurns(FactPain),
			Message: fmt.Sprintf("Some consequences stayed hidden (%s). Ask what each problem causes downstream.", strings.Join(missedImpl, "; ")),
			Better:  firstQ(FactImplication)})
	}
	if painsOut == 0 && len(g.turns) >= 3 {
		add(78, Coaching{Rule: "no_problem_found", Turns: g.actTurns[Situation],
			Message: "No problem came out in this call, so there was nothing for the product to solve. Ask about difficulties and dissatisfactions, not only facts.",
			Better:  firstQ(FactPain)})
	}
	if hidden := g.missed(FactPain); painsOut > 0 && len(hidden) > 0 {
		add(42, Coaching{Rule: "missed_pains",
			Message: fmt.Sprintf("Not every problem came out: the customer also had %s. After the first problem, keep asking what else is hard.", strings.Join(hidden, "; ")),
			Better:  firstQ(FactPain)})
	}
	if painsOut > 0 && !r.SPIN.NeedStatedByCustomer {
		add(60, Coaching{Rule: "no_need_payoff",
			Message: "The customer never said in their own words what solving the problem would be worth. Ask need-payoff questions so they sell it to themselves.",
			Better:  firstQ(FactNeed)})
	}
	if len(g.sitStreak) >= 3 || r.SPIN.Situation > 6 {
		add(50, Coaching{Rule: "situation_overload", Turns: g.sitStreak,
			Message: fmt.Sprintf("%d situation questions, %d in a row: fact-finding bores a busy buyer. Ask fewer, and move to problems sooner.", r.SPIN.Situation, len(g.sitStreak)),
			Better:  firstQ(FactPain)})
	}
	if missing := g.missed(FactBudget, FactAuthority, FactTimeline, FactProcess, FactMetrics, FactChampion); len(missing) > 0 {
		w := 40
		if r.Qualification.Found == 0 {
			w = 70
		}
		add(w, Coaching{Rule: "not_qualified",
			Message: fmt.Sprintf("You did not find out: %s. Without them you can't tell whether this deal is real or who has to say yes.", strings.Join(missing, "; ")),
			Better:  firstQ(FactAuthority, FactBudget, FactProcess, FactTimeline, FactMetrics, FactChampion)})
	} else if r.Qualification.Total == 0 && len(g.askedKinds) == 0 && len(g.turns) >= 4 {
		add(40, Coaching{Rule: "not_qualified",
			Message: "You never asked about budget, decision makers or timing.",
			Better:  FactAuthority.Question()})
	}
	if !r.NextStep.Asked && r.Outcome != Lost && len(g.turns) >= 4 {
		add(65, Coaching{Rule: "no_next_step",
			Message: "You never asked for a commitment. A call without a concrete next step lets the buyer drift.",
			Better:  fmt.Sprintf("Would it make sense to book thirty minutes next week with the people who would decide, to look at how %s would work for you?", s.Product.Name)})
	}
	if len(g.untailored) > 0 {
		add(35, Coaching{Rule: "generic_pitch", Turns: g.untailored,
			Message: "You presented the product without tying it to what the customer told you. Start from their words, then show how the product answers them.",
			Better:  g.tailoredExample()})
	}
	if r.Talk.TraineeShare > 0.65 && len(g.turns) >= 3 {
		add(55, Coaching{Rule: "talk_share", Turns: []int{r.Talk.LongestMonologueTurn},
			Message: fmt.Sprintf("You wrote %.0f%% of the words. Top sellers talk about 43%% of the time; over 65%% goes with lower win rates (Gong Labs).", r.Talk.TraineeShare*100),
			Better:  "What else should I understand about how this affects your team?"})
	}
	// Strengths, so that a good call still gets specific feedback.
	if r.SPIN.ImplicationsBuiltOnPain > 0 {
		add(20, Coaching{Rule: "strength_implication", Positive: true, Turns: g.actTurns[Implication],
			Message: "You built implication questions on the problems the customer raised: that is what makes a buyer want to act."})
	}
	if r.SPIN.NeedStatedByCustomer {
		add(18, Coaching{Rule: "strength_need_payoff", Positive: true, Turns: g.revealTurns(FactNeed),
			Message: "The customer stated the value of solving the problem in their own words."})
	}
	if r.Qualification.Total > 0 && r.Qualification.Found == r.Qualification.Total {
		add(16, Coaching{Rule: "strength_qualified", Positive: true, Turns: g.revealTurns(FactBudget, FactAuthority, FactTimeline, FactProcess, FactMetrics, FactChampion),
			Message: "You qualified the deal fully: you know who decides, with what money, by when and how."})
	}
	if r.Concessions.Conditional > 0 && r.Concessions.Unconditional == 0 {
		add(15, Coaching{Rule: "strength_trade", Positive: true, Turns: r.Concessions.Turns,
			Message: "You traded rather than gave: every concession came with something in return."})
	}
	if r.NextStep.Committed {
		add(14, Coaching{Rule: "strength_commitment", Positive: true, Turns: r.NextStep.Turns,
			Message: "You asked for a concrete next step once the value was clear, and got it."})
	}
	if listening := append(append([]int{}, g.actTurns[Summary]...), g.actTurns[Empathy]...); len(listening) > 0 {
		sort.Ints(listening)
		add(12, Coaching{Rule: "strength_listening", Positive: true, Turns: listening,
			Message: "You summarised and acknowledged what the customer said, which shows you listened."})
	}
	if r.Talk.TraineeShare > 0 && r.Talk.TraineeShare <= 0.5 {
		add(10, Coaching{Rule: "strength_talk_share", Positive: true,
			Message: fmt.Sprintf("The customer did most of the talking: you wrote %.0f%% of the words.", r.Talk.TraineeShare*100)})
	}
	if len(ps) < 3 {
		add(5, Coaching{Rule: "keep_practising", Message: "Play this customer again and try a different opening question; each persona hides more than one call can uncover.", Better: firstQ(FactPain)})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].weight > ps[j].weight })
	// The four most serious faults, then strengths: at least one if there is
	// one, and enough to make three points.
	var out []Coaching
	for _, p := range ps {
		if !p.Positive && len(out) < 4 {
			out = append(out, p.Coaching)
		}
	}
	strengths := 0
	for _, p := range ps {
		if p.Positive && (len(out) < 3 || strengths == 0) && len(out) < 5 {
			out = append(out, p.Coaching)
			strengths++
		}
	}
	return out
}

// tailoredExample is a pitch that starts from a problem the customer raised.
func (g *grader) tailoredExample() string {
	for i, f := range g.s.Facts {
		if f.Kind == FactPain && g.c.RevealedAt(i) > 0 {
			return fmt.Sprintf("You said %s is the real problem. Here is how %s deals with exactly that: ...", strings.ToLower(f.Label), g.s.Product.Name)
		}
	}
	return fmt.Sprintf("Before I say anything about %s: what would have to change for this to be worth your time?", g.s.Product.Name)
}

// missed lists the labels of unrevealed facts of the kinds given.
func (g *grader) missed(kinds ...FactKind) []string {
	var out []string
	for i, f := range g.s.Facts {
		if g.c.RevealedAt(i) == 0 && containsKind(kinds, f.Kind) && g.painOut(f) {
			out = append(out, f.Label)
		}
	}
	return out
}

// painOut reports whether the pain a fact builds on came out (or it needs none).
func (g *grader) painOut(f *Fact) bool {
	if f.Pain == "" {
		return true
	}
	return g.c.RevealedAt(g.s.factIndex[f.Pain]) > 0
}

func (g *grader) revealTurns(kinds ...FactKind) []int {
	var out []int
	for i, f := range g.s.Facts {
		if n := g.c.RevealedAt(i); n > 0 && containsKind(kinds, f.Kind) {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

func containsKind(kinds []FactKind, k FactKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func sortStrings(s []string) { sort.Strings(s) }
