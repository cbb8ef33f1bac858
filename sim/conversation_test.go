package sim_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
)

func tagged(t *testing.T, s *sim.Scenario) *sim.Conversation {
	t.Helper()
	return sim.NewConversation(s, script.Tags{})
}

func say(t *testing.T, c *sim.Conversation, lines ...string) sim.Turn {
	t.Helper()
	var last sim.Turn
	for _, l := range lines {
		var err error
		last, err = c.Say(l)
		require.NoError(t, err, "say %q", l)
	}
	return last
}

func TestFactsComeOutForTheRightQuestion(t *testing.T) {
	s := loadMinimal(t)
	tests := []struct {
		name  string
		lines []string
		want  []string // revealed by the last line
	}{
		{"situation question reveals a situation fact", []string{"<situation>"}, []string{"fleet"}},
		{"problem question reveals the pain", []string{"<problem>"}, []string{"late"}},
		{"implication before its pain reveals nothing", []string{"<implication>"}, nil},
		{"implication after its pain reveals it", []string{"<problem>", "<implication>"}, []string{"penalties"}},
		{"need-payoff needs a pain first", []string{"<need_payoff>"}, nil},
		{"need-payoff after a pain", []string{"<problem>", "<need_payoff>"}, []string{"value"}},
		{"stacked questions: the deepest is answered", []string{"<situation> | <problem> | <qualify_budget>"}, []string{"late"}},
		{"a fact comes out once", []string{"<situation>", "<situation>"}, nil},
		{"a pitch reveals nothing", []string{"<pitch>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			turn := say(t, tagged(t, s), tt.lines...)
			assert.Equal(t, tt.want, turn.Revealed)
		})
	}
}

func TestGuardedFactIsWithheldUntilItsConditionHolds(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	turn := say(t, c, "<qualify_budget>")
	assert.Empty(t, turn.Revealed)
	assert.Equal(t, []string{"budget"}, turn.Withheld)
	assert.Equal(t, "Let's not talk money yet.", turn.Reply, "the fact's deflect line")
	say(t, c, "<problem>", "<implication>") // trust 50 -> 60
	turn = say(t, c, "<qualify_budget>")
	assert.Equal(t, []string{"budget"}, turn.Revealed)
}

func TestKeywordsChooseAmongFactsOfOneKind(t *testing.T) {
	src := `
[customer]
name = "Sam"
opening = "Hi."
[product]
name = "X"
[[fact]]
id = "trucks"
kind = "situation"
reply = "140 trucks."
keywords = ["trucks"]
[[fact]]
id = "drivers"
kind = "situation"
reply = "200 drivers."
keywords = ["drivers"]
`
	s, err := scenario.Load("kw.toml", []byte(src))
	require.NoError(t, err)
	turn := say(t, tagged(t, s), "<situation> how many drivers")
	assert.Equal(t, []string{"drivers"}, turn.Revealed)
	turn = say(t, tagged(t, s), "<situation> tell me how things work")
	assert.Equal(t, []string{"trucks"}, turn.Revealed, "a generic question: the first in the file")
	turn = say(t, tagged(t, s), "<situation> how is the weather in Columbus")
	assert.Empty(t, turn.Revealed, "about something no fact covers")
	assert.True(t, turn.Unmatched)
	assert.Contains(t, s.NothingMore, turn.Reply, "the default 'nothing more on that'")
}

// A fact with reveal = "on_match" comes out only for a question about it.
func TestRevealOnMatch(t *testing.T) {
	src := `
[customer]
name = "Sam"
opening = "Hi."
[product]
name = "X"
[[fact]]
id = "turnover"
kind = "pain"
reply = "Drivers leave after eight months."
keywords = ["drivers", "turnover"]
reveal = "on_match"
[[fact]]
id = "late"
kind = "pain"
reply = "We run late."
keywords = ["late"]
reveal = "on_match"
`
	s, err := scenario.Load("m.toml", []byte(`nothing_more = "Can't think of anything there."`+src))
	require.NoError(t, err)
	turn := say(t, tagged(t, s), "<problem> what's the hardest part of your job")
	assert.Empty(t, turn.Revealed, "a generic question does not reveal on_match facts")
	turn = say(t, tagged(t, s), "<problem> are you losing drivers")
	assert.Equal(t, []string{"turnover"}, turn.Revealed)
	turn = say(t, tagged(t, s), "<problem> what about the weather")
	assert.Equal(t, "Can't think of anything there.", turn.Reply, "the persona's own nothing_more")
}

// Asking the customer to repeat gets the last reply again, word for word.
func TestRepeatLast(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	first := say(t, c, "<situation>")
	again := say(t, c, "sorry, can you say that again?")
	assert.True(t, again.Repeat)
	assert.Equal(t, first.Reply, again.Reply)
	c = tagged(t, loadMinimal(t))
	assert.Equal(t, c.Opening(), say(t, c, "pardon?").Reply, "before any turn: the opening line")
}

// The variant picked for a reply does not change when the file is edited
// elsewhere.
func TestVariantPickIsStableUnderUnrelatedEdits(t *testing.T) {
	base := string(must(os.ReadFile("testdata/minimal.toml")))
	a, err := scenario.Load("a.toml", []byte(base))
	require.NoError(t, err)
	b, err := scenario.Load("a.toml", []byte("# a comment\n\n"+base+"\n[[fact]]\nid = \"extra\"\nkind = \"metrics\"\nreply = \"We count the penalties.\"\n"))
	require.NoError(t, err)
	require.NotEqual(t, a.Hash, b.Hash)
	lines := []string{"hello", "<pitch>", "<close>", "<summary>", "<empathy>", "how are you"}
	ca, cb := tagged(t, a), tagged(t, b)
	for _, l := range lines {
		assert.Equal(t, say(t, ca, l).Reply, say(t, cb, l).Reply, l)
	}
}

// An objection must be answered before the call can be won.
func TestObjectionMustBeAnswered(t *testing.T) {
	base := string(must(os.ReadFile("testdata/minimal.toml")))
	s, err := scenario.Load("o.toml", []byte(base+"\n[price]\nobjection = \"That's more than we pay now.\"\n"))
	require.NoError(t, err)
	c := tagged(t, s)
	say(t, c, "hello", "<problem>", "<implication>", "<need_payoff>")
	turn := say(t, c, "<close>")
	assert.True(t, turn.Objection)
	assert.Equal(t, "That's more than we pay now.", turn.Reply)
	turn = say(t, c, "<close>")
	assert.False(t, c.Ended(), "a second close does not answer the objection")
	turn = say(t, c, "<implication> and what do the penalties add up to")
	assert.True(t, turn.Answered)
	turn = say(t, c, "<close>")
	assert.Equal(t, sim.Won, c.Outcome())
}

func TestPitchTiming(t *testing.T) {
	s := loadMinimal(t)
	c := tagged(t, s)
	turn := say(t, c, "<pitch>")
	assert.True(t, turn.EarlyPitch)
	assert.Contains(t, turn.Effects, "pitched before learning about any problem")
	assert.Equal(t, 35, meter(turn, "trust"))

	c = tagged(t, s)
	say(t, c, "<problem>")
	turn = say(t, c, "<pitch> it fixes late deliveries")
	assert.False(t, turn.EarlyPitch)
	assert.True(t, turn.Tailored, "mentions the revealed pain's keywords")
	turn = say(t, c, "<pitch> it has dashboards")
	assert.False(t, turn.Tailored)
	assert.Contains(t, turn.Effects, "a generic pitch, not tied to the problems the customer raised")
}

func meter(t sim.Turn, name string) int {
	for _, m := range t.Meters {
		if m.Name == name {
			return m.Value
		}
	}
	return -1
}

func TestAGoodCallIsWonThroughTheDefaultMachine(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	states := []string{}
	for _, l := range []string{"hello", "<situation>", "<problem>", "<implication>", "<need_payoff>", "<pitch> on-time deliveries", "<close>"} {
		states = append(states, say(t, c, l).To)
	}
	assert.Equal(t, []string{"discovery", "discovery", "engaged", "engaged", "convinced", "convinced", "won"}, states)
	assert.True(t, c.Ended())
	assert.Equal(t, sim.Won, c.Outcome())
	_, err := c.Say("<close>")
	assert.ErrorIs(t, err, sim.ErrEnded)
}

func TestTransitionsChainWithinATurn(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	turn := say(t, c, "<problem>")
	assert.Equal(t, "opening", turn.From)
	assert.Equal(t, "engaged", turn.To, "opening -> engaged in one turn once the pain is out")
}

func TestPitchingBeforeDiscoveryLosesTheCall(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	say(t, c, "<pitch>", "<pitch>")
	turn := say(t, c, "<pitch>")
	assert.True(t, turn.Ended)
	assert.Equal(t, sim.Lost, turn.Outcome)
	assert.Equal(t, "kept pitching before asking about the customer's problems", turn.Reason)
	assert.Equal(t, 5, meter(turn, "trust"), "50 less 15 for each early pitch")
	assert.Contains(t, []string{
		"I'm going to stop you there. I don't think this is a fit for us. Thanks for your time.",
		"Let's leave it here. I don't see this going anywhere. Goodbye.",
	}, turn.Reply)
}

func TestTheCallEndsAtTheTurnLimit(t *testing.T) {
	s := loadMinimal(t)
	c := tagged(t, s)
	var turn sim.Turn
	for i := 0; i < s.MaxTurns; i++ {
		turn = say(t, c, "<summary>")
	}
	assert.True(t, turn.Ended)
	assert.Equal(t, sim.Open, turn.Outcome)
	assert.Equal(t, "the call ran out of time", turn.Reason)
	assert.Contains(t, turn.Reply, "I have to jump into another meeting")
}

func TestBadTurnsAreRefusedAndChangeNothing(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	_, err := c.Say("   ")
	assert.ErrorIs(t, err, sim.ErrEmptyTurn)
	_, err = c.Say(strings.Repeat("a", sim.MaxTurnLength+1))
	assert.ErrorIs(t, err, sim.ErrTooLong)
	assert.Empty(t, c.Turns())
	c.Hangup()
	assert.Equal(t, sim.Open, c.Outcome())
	assert.True(t, c.HungUp())
	_, err = c.Say("<problem>")
	assert.ErrorIs(t, err, sim.ErrEnded)
}

func TestPriceBehaviour(t *testing.T) {
	src := `
[customer]
name = "Pat"
opening = "Hi."
[product]
name = "X"
list_price = 1000
[price]
objection = "That's too expensive."
unconditional = ["10%? Make it 20.", "Still too much."]
conditional = "A fair trade."
[[fact]]
id = "p"
kind = "pain"
reply = "It breaks."
[[fact]]
id = "n"
kind = "need"
reply = "Fixing it would help."
`
	s, err := scenario.Load("price.toml", []byte(src))
	require.NoError(t, err)
	c := tagged(t, s)
	say(t, c, "<problem>", "<need_payoff>")
	turn := say(t, c, "<close>")
	assert.True(t, turn.Objection)
	assert.Equal(t, "That's too expensive.", turn.Reply)
	assert.Equal(t, "convinced", turn.To, "the objection takes the turn: no win")
	assert.Equal(t, "10%? Make it 20.", say(t, c, "<concession> 10%").Reply)
	assert.Equal(t, "Still too much.", say(t, c, "<concession>").Reply)
	assert.Equal(t, "Still too much.", say(t, c, "<concession>").Reply, "the last demand repeats")
	assert.Equal(t, "A fair trade.", say(t, c, "<concession> <if>").Reply)
	assert.Equal(t, sim.Won, say(t, c, "<close>").Outcome)
}

// Same scenario, same turns: same results, byte for byte.
func TestConversationsAreDeterministic(t *testing.T) {
	s := loadMinimal(t)
	lines := []string{"hello", "<situation>", "<pitch>", "<problem>", "<implication>", "<empathy>", "<need_payoff>", "<concession> 10%", "<close>"}
	run := func() []byte {
		c := tagged(t, s)
		say(t, c, lines...)
		out, err := json.Marshal(struct {
			Turns  []sim.Turn
			Report *sim.Report
		}{c.Turns(), grade.Grade(c)})
		require.NoError(t, err)
		return out
	}
	assert.Equal(t, string(run()), string(run()))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A turn's limit counts characters, not bytes.
func TestTurnLengthInCharacters(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	_, err := c.Say(strings.Repeat("é", sim.MaxTurnLength))
	assert.NoError(t, err, "4000 two-byte characters are 4000 characters")
	_, err = c.Say(strings.Repeat("é", sim.MaxTurnLength+1))
	assert.ErrorIs(t, err, sim.ErrTooLong)
}

// A trade counts only if the buyer can deliver its condition: with
// price.cannot_promise = ["sign"], "if you sign" is a gift; without it,
// and for a condition the buyer can meet, it stays a trade.
func TestHollowTrade(t *testing.T) {
	base := string(must(os.ReadFile("testdata/minimal.toml")))
	s, err := scenario.Load("h.toml", []byte(base+"\n[price]\ncannot_promise = [\"sign\", \"purchase order\"]\nconditional = \"A fair trade.\"\nunconditional = \"Thanks, I suppose.\"\n"))
	require.NoError(t, err)
	c := tagged(t, s)
	turn := say(t, c, "<concession> <if> if you sign by friday, 10% off")
	assert.True(t, turn.Hollow)
	assert.Equal(t, "Thanks, I suppose.", turn.Reply, "a hollow trade is answered as a gift")
	turn = say(t, c, "<concession> <if> if you signed the purchase order today")
	assert.True(t, turn.Hollow, "by stem, and phrases")
	turn = say(t, c, "<concession> <if> if you bring your CFO to a demo next week")
	assert.False(t, turn.Hollow)
	assert.Equal(t, "A fair trade.", turn.Reply)
	r := grade.Grade(c)
	assert.Equal(t, 2, r.Concessions.Unconditional)
	assert.Equal(t, 2, r.Concessions.Hollow)
	assert.Equal(t, 1, r.Concessions.Conditional)

	plain := tagged(t, loadMinimal(t))
	assert.False(t, say(t, plain, "<concession> <if> if you sign by friday, 10% off").Hollow, "no cannot_promise: every trade is a trade")
}

// A persona joins the objection and the fact of the same turn its own
// way; by default the fact comes first, and without {answer} the
// objection stands alone.
func TestObjectionJoin(t *testing.T) {
	base := string(must(os.ReadFile("testdata/minimal.toml")))
	for join, want := range map[string]string{
		"": "Deliveries run late, about one in eight. Too expensive.",
		`objection_join = "{answer} All the same: {objection}"`: "Deliveries run late, about one in eight. All the same: Too expensive.",
		`objection_join = "{objection} ({answer})"`:             "Too expensive. (Deliveries run late, about one in eight.)",
		`objection_join = "{objection}"`:                        "Too expensive.",
	} {
		s, err := scenario.Load("j.toml", []byte(base+"\n[price]\nobjection = \"Too expensive.\"\nobjection_when = \"true\"\n"+join+"\n"))
		require.NoError(t, err, join)
		turn := say(t, tagged(t, s), "<problem> | <close>")
		require.True(t, turn.Objection, join)
		assert.Equal(t, want, turn.Reply, join)
	}
}
