package sim

import "strings"

// The matcher's word lists (see match.go). A scenario adds its own
// synonym groups with synonyms = [["till", "register", "pos"]].

// builtinSynonyms are groups of words that mean the same in a sales call;
// the first word of a group stands for all of them.
var builtinSynonyms = [][]string{
	{"software", "system", "tool", "platform", "program", "app", "application", "solution", "tech", "technology"},
	{"staff", "people", "employee", "workforce", "headcount", "personnel", "workers"},
	{"driver", "trucker"},
	{"truck", "vehicle", "fleet", "tractor", "lorry", "van"},
	{"customer", "client", "shipper", "account"},
	{"price", "pricing", "cost", "costs", "spend", "expensive", "fee", "rate", "charge"},
	{"late", "delay", "delayed", "behind", "slow", "overdue", "slip", "slipping", "missed"},
	{"turnover", "leave", "leaving", "quit", "churn", "attrition", "retention", "retain", "stay"},
	{"error", "mistake", "wrong", "mixup", "mix", "muddle"},
	{"order", "booking"},
	{"invoice", "bill"},
	{"approve", "approval", "signoff"},
	{"payment", "pay", "paid"},
	{"shop", "store", "location", "site", "branch", "outlet"},
	{"hire", "hiring", "recruit", "recruiting", "onboard", "onboarding"},
	{"year", "annual", "annually", "yearly"},
	{"month", "monthly"},
	{"week", "weekly"},
	{"day", "daily"},
	{"contract", "agreement"},
	{"competitor", "alternative", "rival"},
	{"supplier", "vendor", "provider"},
	{"report", "reporting", "dashboard", "numbers", "figures"},
	{"purchase", "buy", "buying", "procure", "procurement", "purchasing", "sourcing"},
	{"phone", "call", "calling", "ring"},
	{"waste", "leftover", "unsold", "throw", "bin"},
	{"audit", "auditor"},
	{"bank", "lender"},
	{"tenure", "long", "joined"},
	{"budget", "funds", "funding", "money"},
	{"deadline", "timeline", "date", "timing"},
	{"decide", "decision", "decider", "sign"},
	{"worry", "worried", "concern", "concerned", "nervous"},
	{"problem", "issue", "challenge", "difficulty", "headache", "struggle", "pain"},
	{"hard", "hardest", "difficult", "tough", "frustrating", "frustration", "annoying"},
	{"organise", "organize", "organised", "organized", "structure", "structured", "setup"},
	{"team", "department", "group", "crew"},
	{"plan", "planning", "schedule", "scheduling", "assign", "routing"},
	{"nurse", "clinician"},
	{"train", "training", "educate", "educator", "education"},
}

// stopWords are left out of questions and facts: they say nothing about
// what is asked.
var stopWords = wordSet(`a an the and or but if then so of to in on at by for with from about as into over
	is are was were be been being am do does did doing have has had having can could would should will shall may might must
	i me my mine we us our ours you your yours he she it its they them their this that these those there here
	what which who whom whose when where why how hows whats wht ur u r ya
	not no yes any some all each every more most much many few lot lots bit little
	ok okay so well just really actually like usually currently today now right please thanks thank hi hello hey
	tell say said know think get got go going make made use used let mean means
	thing things kind sort way also too very quite still even ever`)

// genericWords are the words any question of a kind uses; a question made
// only of them is generic and may get any fact of its kind.
var genericWords = wordSet(`problem hard cost price worry affect impact effect consequence happen
	value worth benefit important help solve fix improve better easier ideal change
	budget decide approve deadline process step measure success business company work works job role
	set setup walk describe else other part operation operations situation day-to-day biggest big main
	top most happy unhappy frustrated stand end up currently today handle handled run running
	deal purchase time
	situation implication need payoff need_payoff qualify authority timeline metrics champion`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[matchStem(w)] = true
	}
	return m
}

// builtinConcept is the built-in synonym table alone, for the generic set.
var builtinConcept = func() map[string]string {
	m := map[string]string{}
	for _, g := range builtinSynonyms {
		addGroup(m, g)
	}
	return m
}()

func init() {
	// A generic word's group is generic too ("issue" as much as "problem").
	for w := range genericWords {
		if c, ok := builtinConcept[w]; ok {
			genericWords[c] = true
		}
	}
}
