package sim_test

import (
	"os"
	"testing"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// The benchmarks of a turn use the real classifier, so they live in the
// external test package (sim itself has no classifier).

// minimal is testdata/minimal.toml with extra settings in front.
func minimal(t testing.TB, extra string) *sim.Scenario {
	t.Helper()
	src, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Load("testdata/minimal.toml", append([]byte(extra), src...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var benchLines = []string{
	"thanks for making the time dana. how many trucks do you run today?",
	"what's the hardest part of keeping deliveries on time",
	"and when a delivery is late, what does that end up costing you with the retailers?",
	"that sounds painful. so if I've got it right, the late deliveries are eating your margin",
	"if deliveries were on time, what would that mean for you",
	"is there budget set aside for fixing this?",
	"given the late deliveries, FleetSight flags a truck that will miss its slot before it happens",
	"would it make sense to book a session with your team next tuesday to plan a pilot",
}

// BenchmarkTurn measures one trainee turn: classifying it and stepping the
// persona. Each op is one turn of a realistic call; a new call starts when
// the lines run out.
func BenchmarkTurn(b *testing.B) {
	s := minimal(b, "")
	r := classify.Default() // built once per process, not per turn
	c := sim.NewConversation(s, r)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == len(benchLines) || c.Ended() {
			c, i = sim.NewConversation(s, r), 0
		}
		if _, err := c.Say(benchLines[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkGrade grades a 40-turn call.
func BenchmarkGrade(b *testing.B) {
	s := minimal(b, "max_turns = 60\n")
	c := sim.NewConversation(s, classify.Default())
	for i := 0; i < 40 && !c.Ended(); i++ {
		line := benchLines[i%(len(benchLines)-1)] // never the close, so the call lasts
		if _, err := c.Say(line); err != nil {
			b.Fatal(err)
		}
	}
	if n := len(c.Turns()); n < 40 {
		b.Fatalf("call lasted %d turns", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		grade.Grade(c)
	}
}

// BenchmarkLoad loads and validates a scenario from source.
func BenchmarkLoad(b *testing.B) {
	src, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenario.Load("minimal.toml", src); err != nil {
			b.Fatal(err)
		}
	}
}
