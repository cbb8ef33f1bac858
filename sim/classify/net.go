package classify

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify/nn"
)

// The act model: a 1-D CNN over frozen GloVe vectors (package nn), trained
// offline by `roleplay train` and embedded. The rules run first; their
// per-act cue scores and structure flags are the model's extra inputs, so
// the model decides the act with the rules' evidence in view, and the rules
// keep what a model cannot learn from 17,000 lines (negation scope,
// conditional trades, percentages, vocabulary names, clause splitting, the
// question flag). See model/README.md for the vectors' origin and licence.

//go:embed model/model.bin
var modelBytes []byte

//go:embed model/vectors.bin
var vectorsBytes []byte

// modelActs are the acts the model scores: every act but Unclear, which is
// the classifier's own verdict when the model is unsure.
const modelActs = sim.Unclear

// negatableActs get one extra input each: all their cues were negated or
// hedged ("I can't lower the price").
var negatableActs = [...]sim.Act{sim.Concession, sim.Pressure, sim.Dismissive, sim.Close, sim.Empathy}

// The extra inputs: the rule score of every model act, a flag per negatable
// act, then question, conditional and hedged.
const (
	xNegated     = int(modelActs)
	xQuestion    = xNegated + len(negatableActs)
	xConditional = xQuestion + 1
	xHedged      = xQuestion + 2
	numExtras    = xQuestion + 3
)

// readNet reads the embedded model and checks that it fits the rules.
func readNet(b []byte) (*nn.Net, error) {
	n, err := nn.ReadNet(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if n.E != numExtras {
		return nil, fmt.Errorf("model has %d extra inputs, the rules give %d: run roleplay train", n.E, numExtras)
	}
	return n, nil
}

// ReadVectors reads the embedded trimmed vectors, which training starts from.
func ReadVectors() (*nn.Vectors, error) { return nn.ReadVectors(bytes.NewReader(vectorsBytes)) }

// ruleFeatures fills s.extra from the rules' reading of the segment.
func (c *Classifier) ruleFeatures(s *scratch, question, conditional, hedged bool) {
	x := &s.extra
	*x = [numExtras]float32{}
	x[sim.Other] = float32(s.maxW[sim.Other])
	for a := sim.Act(1); a < modelActs; a++ {
		x[a] = float32(s.score[a])
	}
	for i, a := range negatableActs {
		if s.score[a] == 0 && s.hasNegated(a) {
			x[xNegated+i] = 1
		}
	}
	x[xQuestion] = flag(question)
	x[xConditional] = flag(conditional)
	x[xHedged] = flag(hedged)
}

func flag(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// features are the extra inputs for a training line: per input, the most
// any of its sentences gives (a line is labelled with all it does).
func (c *Classifier) features(text string) []float32 {
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	s.collect = true
	c.read(text, nil, s)
	s.collect = false
	return append([]float32(nil), s.acc[:]...)
}

func init() {
	for a := sim.Act(0); a < modelActs; a++ {
		if nn.Acts[a] != a.String() {
			panic(fmt.Sprintf("classify: model act %d is %q, sim has %q", a, nn.Acts[a], a))
		}
	}
}
