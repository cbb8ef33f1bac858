package grade

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Coaching: the few points that would most improve the call, each tied to
// the turns it is about and a better line to try. The prose lives here,
// apart from the measuring and scoring.

// coach finds the 3–5 most useful things to say about the call.
func (g *grader) coach(r *sim.Report) []sim.Coaching {
	s := g.s
	type point struct {
		sim.Coaching
		weight int
		first  bool // a coach_first rule of the scenario
	}
	var ps []point
	add := func(w int, c sim.Coaching) { ps = append(ps, point{Coaching: c, weight: w}) }
	// firstQ is the scenario's question for the first fact of the kinds
	// given that is still hidden and could come out now (its pain is
	// known); a need or implication whose pain never came out is never
	// recommended: the pain's question is, instead.
	firstQ := func(kinds ...sim.FactKind) string {
		for _, k := range kinds {
			for i, f := range s.Facts {
				if f.Kind == k && g.c.RevealedAt(i) == 0 && f.Question != "" && g.painOut(f) {
					return f.Question
				}
			}
		}
		for _, k := range kinds {
			for _, f := range s.Facts {
				if f.Kind != k || f.Question == "" {
					continue
				}
				if g.painOut(f) {
					return f.Question
				}
				if p := s.Facts[s.FactIndex(f.Pain)]; p.Question != "" {
					return p.Question
				}
			}
		}
		if containsKind(kinds, sim.FactNeed) || containsKind(kinds, sim.FactImplication) {
			if !g.anyPainOut() {
				return sim.FactPain.Question()
			}
		}
		return kinds[0].Question()
	}

	if early := earlyTurns(g.turns); len(early) > 0 {
		add(90, sim.Coaching{Rule: "pitched_too_early", Turns: early,
			Message: "You talked about the product before learning about any problem, which turns you into one more vendor. Find a problem first, then connect the product to it.",
			Better:  firstQ(sim.FactPain)})
	}
	if n := len(r.RedFlags.Dismissive); n > 0 {
		add(95, sim.Coaching{Rule: "dismissive", Turns: r.RedFlags.Dismissive,
			Message: "Blaming or belittling the customer costs trust that no feature wins back. Stay curious about why things are the way they are.",
			Better:  "What led you to set it up that way?"})
	}
	if n := len(r.RedFlags.Pressure); n > 0 {
		add(85, sim.Coaching{Rule: "pressure", Turns: r.RedFlags.Pressure,
			Message: "Artificial urgency makes buyers defensive. Let urgency come from the cost of their problem, in their words.",
			Better:  firstQ(sim.FactImplication, sim.FactTimeline)})
	}
	if c := r.Concessions; c.Unconditional > 0 {
		msg := fmt.Sprintf("You gave away %s without asking for anything back. Trade instead: every give gets a get.", sim.Plural(c.Unconditional, "concession"))
		if c.Hollow == c.Unconditional {
			msg = fmt.Sprintf("You asked for something in return the customer cannot give (%s), so the concession was given for nothing. A trade holds value only if the buyer can deliver its condition.", hollowAsks(g.turns))
		} else if c.Hollow > 0 {
			msg = fmt.Sprintf("You gave away %s without anything back the customer could actually give; %d asked for something they cannot deliver (%s). Trade for what the buyer can do.", sim.Plural(c.Unconditional, "concession"), c.Hollow, hollowAsks(g.turns))
		}
		add(80, sim.Coaching{Rule: "unconditional_concession", Turns: c.Turns, Message: msg, Better: g.tradeExample()})
	}
	if p := r.NextStep.PutOff; len(p) > 0 && !r.NextStep.Committed {
		add(68, sim.Coaching{Rule: "let_buyer_delay", Turns: p,
			Message: "You told the customer to take their time and left it there, so nothing is agreed and the deal drifts. Respect the pace, but agree what happens next.",
			Better:  "Of course, take the time you need. What would you need to see to decide, and can we put twenty minutes in the calendar next week to go through it?"})
	}
	painsOut := 0
	for i, f := range s.Facts {
		if f.Kind == sim.FactPain && g.c.RevealedAt(i) > 0 {
			painsOut++
		}
	}
	missedImpl := g.missed(sim.FactImplication)
	switch {
	case painsOut > 0 && r.SPIN.ImplicationsBuiltOnPain == 0:
		add(75, sim.Coaching{Rule: "no_implication", Turns: g.revealTurns(sim.FactPain),
			Message: "The customer told you about a problem, but you never asked what it costs them. Implication questions make a problem big enough to act on.",
			Better:  firstQ(sim.FactImplication)})
	case len(missedImpl) > 0:
		add(45, sim.Coaching{Rule: "missed_implication", Turns: g.revealTurns(sim.FactPain),
			Message: fmt.Sprintf("Some consequences stayed hidden (%s). Ask what each problem causes downstream.", strings.Join(missedImpl, "; ")),
			Better:  firstQ(sim.FactImplication)})
	}
	if painsOut == 0 && len(g.turns) >= 3 {
		add(78, sim.Coaching{Rule: "no_problem_found", Turns: g.actTurns[sim.Situation],
			Message: "No problem came out in this call, so there was nothing for the product to solve. Ask about difficulties and dissatisfactions, not only facts.",
			Better:  firstQ(sim.FactPain)})
	}
	if hidden := g.missed(sim.FactPain); painsOut > 0 && len(hidden) > 0 {
		add(42, sim.Coaching{Rule: "missed_pains",
			Message: fmt.Sprintf("Not every problem came out: the customer also had %s. After the first problem, keep asking what else is hard.", strings.Join(hidden, "; ")),
			Better:  firstQ(sim.FactPain)})
	}
	if painsOut > 0 && !r.SPIN.NeedStatedByCustomer {
		add(60, sim.Coaching{Rule: "no_need_payoff",
			Message: "The customer never said in their own words what solving the problem would be worth. Ask need-payoff questions so they sell it to themselves.",
			Better:  firstQ(sim.FactNeed)})
	}
	if len(g.sitStreak) >= 3 || r.SPIN.Situation > 6 {
		add(50, sim.Coaching{Rule: "situation_overload", Turns: g.sitStreak,
			Message: fmt.Sprintf("%d situation questions, %d in a row: fact-finding bores a busy buyer. Ask fewer, and move to problems sooner.", r.SPIN.Situation, len(g.sitStreak)),
			Better:  firstQ(sim.FactPain)})
	}
	if missing := g.missed(sim.FactBudget, sim.FactAuthority, sim.FactTimeline, sim.FactProcess, sim.FactMetrics, sim.FactChampion); len(missing) > 0 {
		w := 40
		if r.Qualification.Found == 0 {
			w = 70
		}
		add(w, sim.Coaching{Rule: "not_qualified",
			Message: fmt.Sprintf("You did not find out: %s. Without them you can't tell whether this deal is real or who has to say yes.", strings.Join(missing, "; ")),
			Better:  firstQ(sim.FactAuthority, sim.FactBudget, sim.FactProcess, sim.FactTimeline, sim.FactMetrics, sim.FactChampion)})
	} else if r.Qualification.Total == 0 && len(g.askedKinds) == 0 && len(g.turns) >= 4 {
		add(40, sim.Coaching{Rule: "not_qualified",
			Message: "You never asked about budget, decision makers or timing.",
			Better:  sim.FactAuthority.Question()})
	}
	if n := g.openObjection(); n > 0 {
		add(72, sim.Coaching{Rule: "objection_unanswered", Turns: []int{n},
			Message: "The customer raised an objection and it was never answered, so there could be no agreement. Answer it with value or a trade before asking again.",
			Better:  g.tradeExample()})
	}
	if !r.NextStep.Asked && r.Outcome != sim.Lost && len(g.turns) >= 4 {
		add(65, sim.Coaching{Rule: "no_next_step",
			Message: "You never asked for a commitment. A call without a concrete next step lets the buyer drift.",
			Better:  fmt.Sprintf("Would it make sense to book thirty minutes next week with the people who would decide, to look at how %s would work for you?", s.Product.Name)})
	}
	if len(g.untailored) > 0 {
		add(35, sim.Coaching{Rule: "generic_pitch", Turns: g.untailored,
			Message: "You presented the product without tying it to what the customer told you. Start from their words, then show how the product answers them.",
			Better:  g.tailoredExample()})
	}
	if r.Talk.TraineeShare > 0.65 && len(g.turns) >= 3 {
		add(55, sim.Coaching{Rule: "talk_share", Turns: []int{r.Talk.LongestMonologueTurn},
			Message: fmt.Sprintf("You wrote %.0f%% of the words. Top sellers talk about 43%% of the time; over 65%% goes with lower win rates (Gong Labs).", r.Talk.TraineeShare*100),
			Better:  "What else should I understand about how this affects your team?"})
	}
	// Strengths, so that a good call still gets specific feedback.
	if r.SPIN.ImplicationsBuiltOnPain > 0 {
		add(20, sim.Coaching{Rule: "strength_implication", Positive: true, Turns: g.actTurns[sim.Implication],
			Message: "You built implication questions on the problems the customer raised: that is what makes a buyer want to act."})
	}
	if r.SPIN.NeedStatedByCustomer {
		add(18, sim.Coaching{Rule: "strength_need_payoff", Positive: true, Turns: g.revealTurns(sim.FactNeed),
			Message: "The customer stated the value of solving the problem in their own words."})
	}
	if r.Qualification.Total > 0 && r.Qualification.Found == r.Qualification.Total {
		add(16, sim.Coaching{Rule: "strength_qualified", Positive: true, Turns: g.revealTurns(sim.FactBudget, sim.FactAuthority, sim.FactTimeline, sim.FactProcess, sim.FactMetrics, sim.FactChampion),
			Message: "You qualified the deal fully: you know who decides, with what money, by when and how."})
	}
	if r.Concessions.Conditional > 0 && r.Concessions.Unconditional == 0 && r.Outcome != sim.Lost {
		add(15, sim.Coaching{Rule: "strength_trade", Positive: true, Turns: r.Concessions.Turns,
			Message: "You traded rather than gave: every concession came with something in return."})
	}
	if r.NextStep.Committed {
		add(14, sim.Coaching{Rule: "strength_commitment", Positive: true, Turns: r.NextStep.Turns,
			Message: "You asked for a concrete next step once the value was clear, and got it."})
	}
	if listening := append(append([]int{}, g.actTurns[sim.Summary]...), g.actTurns[sim.Empathy]...); len(listening) > 0 {
		sort.Ints(listening)
		add(12, sim.Coaching{Rule: "strength_listening", Positive: true, Turns: listening,
			Message: "You summarised and acknowledged what the customer said, which shows you listened."})
	}
	if r.Talk.TraineeShare > 0 && r.Talk.TraineeShare <= 0.5 {
		add(10, sim.Coaching{Rule: "strength_talk_share", Positive: true,
			Message: fmt.Sprintf("The customer did most of the talking: you wrote %.0f%% of the words.", r.Talk.TraineeShare*100)})
	}
	if len(ps) < 3 {
		add(5, sim.Coaching{Rule: "keep_practising", Message: "Play this customer again and try a different opening question; each persona hides more than one call can uncover.", Better: firstQ(sim.FactPain)})
	}
	// The scenario's own priorities lead: a persona that trains trading
	// always shows the trading point when there is one.
	for i := range ps {
		if slices.Contains(s.Grading.CoachFirst, ps[i].Rule) {
			ps[i].weight += 1000
			ps[i].first = true
		}
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].weight > ps[j].weight })
	// The four most serious faults, then strengths: at least one if there is
	// one, and enough to make three points.
	var out []sim.Coaching
	for _, p := range ps {
		if p.first {
			out = append(out, p.Coaching)
		}
	}
	for _, p := range ps {
		if !p.first && !p.Positive && len(out) < 4 {
			out = append(out, p.Coaching)
		}
	}
	strengths := 0
	for _, p := range ps {
		if p.Positive && !p.first && (len(out) < 3 || strengths == 0) && len(out) < 5 {
			out = append(out, p.Coaching)
			strengths++
		}
	}
	return out
}

// tradeExample is a fair trade to offer: the scenario's own, or one that
// asks the customer what they can give.
func (g *grader) tradeExample() string {
	if g.s.Price.Trade != "" {
		return g.s.Price.Trade
	}
	return "I can look at the price if we can agree on something in return. What could you commit to on your side?"
}

// openObjection is the turn of an objection the trainee never answered, or 0.
func (g *grader) openObjection() int {
	raised := 0
	for _, t := range g.turns {
		if t.Objection {
			raised = t.N
		}
		if t.Answered {
			raised = 0
		}
	}
	return raised
}

func (g *grader) anyPainOut() bool {
	for i, f := range g.s.Facts {
		if f.Kind == sim.FactPain && g.c.RevealedAt(i) > 0 {
			return true
		}
	}
	return false
}

// tailoredExample is a pitch that starts from a problem the customer raised.
func (g *grader) tailoredExample() string {
	for i, f := range g.s.Facts {
		if f.Kind == sim.FactPain && g.c.RevealedAt(i) > 0 {
			return fmt.Sprintf("You said %s is the real problem. Here is how %s deals with exactly that: ...", strings.ToLower(f.Label), g.s.Product.Name)
		}
	}
	return fmt.Sprintf("Before I say anything about %s: what would have to change for this to be worth your time?", g.s.Product.Name)
}

// missed lists the labels of unrevealed facts of the kinds given.
func (g *grader) missed(kinds ...sim.FactKind) []string {
	var out []string
	for i, f := range g.s.Facts {
		if g.c.RevealedAt(i) == 0 && containsKind(kinds, f.Kind) && g.painOut(f) {
			out = append(out, f.Label)
		}
	}
	return out
}

// hollowAsks quotes the trades the customer could not honour.
func hollowAsks(turns []sim.Turn) string {
	var out []string
	for _, t := range turns {
		if !t.Hollow {
			continue
		}
		for _, d := range t.Acts {
			if d.Act == sim.Concession && d.Conditional {
				out = append(out, fmt.Sprintf("%q", d.Sentence))
			}
		}
	}
	return strings.Join(out, "; ")
}
