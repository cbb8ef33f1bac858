package script

import (
	"fmt"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
)

// A Bot is a scripted trainee with a known style, used to check that a
// scenario grades styles as it should: a perfect SPIN seller must come out
// balanced; a pitcher self-focused, whether it asks for the order early,
// late or never; a sympathetic giver and a seller who only gives discounts
// yielding; a chatter and a seller who hangs up after a minute passive.
type Bot struct {
	Name  string
	Want  sim.Profile
	Lines []string
}

// Bots returns the calibration bots for s. Their lines come from the
// scenario's own example questions, so a perfect seller asks what the
// author meant to be asked.
func Bots(s *sim.Scenario) []Bot {
	first := strings.Fields(s.Customer.Name)
	name := s.Customer.Name
	if len(first) > 0 {
		name = first[0]
	}
	q := func(f *sim.Fact) string {
		if f.Question != "" {
			return f.Question
		}
		return f.Kind.Question()
	}
	ofKind := func(k sim.FactKind) []*sim.Fact {
		var out []*sim.Fact
		for _, f := range s.Facts {
			if f.Kind == k {
				out = append(out, f)
			}
		}
		return out
	}

	var perfect []string
	perfect = append(perfect, fmt.Sprintf("Thanks for making the time, %s. Before I say anything about us, could you walk me through how things work at %s today?", name, s.Customer.Company))
	for i, f := range ofKind(sim.FactSituation) {
		if i == 2 {
			break
		}
		perfect = append(perfect, q(f))
	}
	pains := ofKind(sim.FactPain)
	for _, p := range pains {
		perfect = append(perfect, q(p))
		for _, f := range s.Facts {
			if f.Kind == sim.FactImplication && f.Pain == p.ID {
				perfect = append(perfect, q(f))
			}
		}
		perfect = append(perfect, fmt.Sprintf("That sounds frustrating. So if I understand you right, %s is costing you more than it seems?", strings.ToLower(p.Label)))
	}
	for _, f := range ofKind(sim.FactNeed) {
		perfect = append(perfect, q(f))
	}
	for _, k := range []sim.FactKind{sim.FactMetrics, sim.FactTimeline, sim.FactBudget, sim.FactAuthority, sim.FactProcess, sim.FactChampion} {
		for _, f := range ofKind(k) {
			perfect = append(perfect, q(f))
		}
	}
	painLabel := "what you described"
	if len(pains) > 0 {
		painLabel = strings.ToLower(pains[0].Label)
	}
	perfect = append(perfect,
		fmt.Sprintf("Given what you said about %s, our %s was built for exactly that problem.", painLabel, s.Product.Name),
		"Would it make sense to book a working session next week with the people who would decide, to plan a pilot?",
		// A summary answers an objection the first ask may have raised.
		fmt.Sprintf("So if I have it right, %s is what this is about. Can we put that session in the calendar for next Tuesday?", painLabel),
	)

	// The pitcher asks for the sale early, as pushy sellers do, so it has
	// asked for commitment before a persona that hates pitching hangs up.
	pitch := []string{
		fmt.Sprintf("Hi %s, I'm calling from %s. %s is the leading solution on the market and our customers love it.", name, orDefault(s.Product.Company, "our company"), s.Product.Name),
		fmt.Sprintf("Our %s comes with dashboards, alerts and reporting, and we save companies like yours a fortune. Can we get you signed up this week?", s.Product.Name),
		fmt.Sprintf("We are the best on the market, and %s does everything the others do and more.", s.Product.Name),
		"This price is only good until Friday, so you need to decide today.",
		fmt.Sprintf("Let me tell you about our integrations: %s connects to everything.", s.Product.Name),
		"Our platform is award-winning and our support team is the best in the industry.",
		"Can I send you the order form this afternoon?",
	}

	yield := []string{
		fmt.Sprintf("Hi %s, thanks so much for your time, I really appreciate it.", name),
	}
	for _, p := range pains {
		yield = append(yield, q(p), "That sounds really hard, I'm sorry you're dealing with that.")
		for _, f := range s.Facts {
			if f.Kind == sim.FactImplication && f.Pain == p.ID {
				yield = append(yield, q(f))
			}
		}
	}
	for _, f := range ofKind(sim.FactNeed) {
		yield = append(yield, q(f))
	}
	yield = append(yield,
		"I can give you 20% off the list price, no strings attached.",
		"And I'll throw in free onboarding and training as well.",
		"Take all the time you need, there's no rush at all on our side.",
		"I could also drop the setup fee entirely for you.",
	)

	passive := []string{
		fmt.Sprintf("Hi %s, how are you doing today?", name),
		fmt.Sprintf("How long have you been at %s?", s.Customer.Company),
		"Nice. And how many people work there?",
		"Interesting, thanks.",
		"OK, good to know.",
		"Well, I don't want to take up too much of your time.",
	}

	// The pitch-first seller presents from the first line and never asks
	// anything or for anything: thrown out early, still self-focused.
	vendor := orDefault(s.Product.Company, "our company")
	pitchFirst := []string{
		fmt.Sprintf("Good morning %s, I'm with %s and I'd like to tell you about %s, the most complete platform of its kind.", name, vendor, s.Product.Name),
		fmt.Sprintf("%s gives you everything in one place, and our customers see results in the first month.", s.Product.Name),
		fmt.Sprintf("Our %s is trusted by hundreds of companies and our roadmap is the strongest in the market.", s.Product.Name),
		"We also have the best support team in the business, available around the clock.",
		fmt.Sprintf("And %s is easy to roll out: our team does the whole set-up for you.", s.Product.Name),
		"Our reporting is second to none, with every figure you could want.",
	}

	// The late closer talks product all call and asks for the order only
	// at the end.
	late := []string{
		fmt.Sprintf("Hi %s, thanks for your time. Let me start with a quick overview of %s.", name, s.Product.Name),
		fmt.Sprintf("%s brings everything together in one dashboard, with alerts and reports out of the box.", s.Product.Name),
		fmt.Sprintf("How many people are on your team at %s?", s.Customer.Company),
		fmt.Sprintf("Great. Our %s scales to teams of any size, and our onboarding takes a week.", s.Product.Name),
		"We integrate with all the major systems, and our customers love the mobile app.",
		"So, shall we get the contract signed this week?",
	}

	// The discounter asks nothing: it gives discounts and extras for
	// nothing and lets the buyer decide whenever they like. It gives in on
	// price and terms and enables procrastination: yielding, not passive.
	discounter := []string{
		fmt.Sprintf("Hi %s, thanks for your time. I'll get straight to the point.", name),
		"I can give you 15% off the list price straight away.",
		"And I'll throw in the setup and training for free.",
		"No rush at all, take your time and get back to me whenever you're ready.",
		"If it helps, I can take another 10% off on top.",
		"And we can waive the first month entirely.",
	}

	// The early ender says hello, asks one thing and hangs up.
	early := []string{
		fmt.Sprintf("Hi %s, thanks for picking up.", name),
		fmt.Sprintf("How long have you been at %s?", s.Customer.Company),
	}

	return []Bot{
		{Name: "perfect", Want: sim.Balanced, Lines: perfect},
		{Name: "all-pitch", Want: sim.SelfFocused, Lines: pitch},
		{Name: "pitch-first", Want: sim.SelfFocused, Lines: pitchFirst},
		{Name: "late-closer", Want: sim.SelfFocused, Lines: late},
		{Name: "all-yield", Want: sim.Yielding, Lines: yield},
		{Name: "discounter", Want: sim.Yielding, Lines: discounter},
		{Name: "passive", Want: sim.Passive, Lines: passive},
		{Name: "early-ender", Want: sim.Passive, Lines: early},
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// A Calibration is how one bot fared on a scenario.
type Calibration struct {
	Bot     string      `json:"bot"`
	Want    sim.Profile `json:"want"`
	Profile sim.Profile `json:"profile"`
	Outcome sim.Outcome `json:"outcome"`
	Turns   int         `json:"turns"`
	CF      int         `json:"customer_focus"`
	SF      int         `json:"self_focus"`
	GaveIn  int         `json:"gave_in"`
	OK      bool        `json:"ok"`
	// Report is the bot's call, graded (its transcript included).
	Report *sim.Report `json:"-"`
}

// Calibrate plays every bot on s. A bot whose lines outlast the call stops
// when the call ends; one that runs out of lines hangs up.
func Calibrate(s *sim.Scenario, rd sim.Reader) []Calibration {
	var out []Calibration
	for _, b := range Bots(s) {
		c := sim.NewConversation(s, rd)
		for _, line := range b.Lines {
			if c.Ended() {
				break
			}
			if _, err := c.Say(line); err != nil {
				break
			}
		}
		c.Hangup()
		r := grade.Grade(c)
		out = append(out, Calibration{
			Bot: b.Name, Want: b.Want, Profile: r.Profile, Outcome: r.Outcome, Turns: r.Turns,
			CF: r.CustomerFocus, SF: r.SelfFocus, GaveIn: r.GaveIn, OK: r.Profile == b.Want, Report: r,
		})
	}
	return out
}
