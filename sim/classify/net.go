package classify

import (
	"bytes"
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify/nn"
)

// The act model: three 1-D CNNs over frozen GloVe vectors (package nn),
// trained offline by `roleplay train` from different seeds and embedded; a
// line's probabilities are their mean (nn.Ensemble). The rules run first; their
// per-act cue scores and structure flags are the model's extra inputs, so
// the model decides the act with the rules' evidence in view, and the rules
// keep what a model cannot learn from 21,500 lines (negation scope,
// conditional trades, percentages, vocabulary names, clause splitting, the
// question flag). See model/README.md for the vectors' origin and licence.

// The model is an ensemble of Members nets, model/model-1.bin,
// model/model-2.bin..., trained alike from seeds 1, 2...
//
//go:embed model/model-*.bin model/ensemble.txt
var modelFS embed.FS

// Members is how many nets `roleplay train` trains for the ensemble.
const Members = 3

// memberFile names the file of member i (0-based) under model/.
func memberFile(i int) string { return fmt.Sprintf("model-%d.bin", i+1) }

// modelBytes are the members' files, in member order, then
// model/ensemble.txt.
var modelBytes = func() [][]byte {
	var out [][]byte
	for i := 0; ; i++ {
		b, err := modelFS.ReadFile("model/" + memberFile(i))
		if err != nil {
			break
		}
		out = append(out, b)
	}
	b, err := modelFS.ReadFile("model/ensemble.txt")
	if err != nil {
		panic("classify: embedded model: " + err.Error()) // a build error
	}
	return append(out, b)
}()

// EnsembleFile is the ensemble's calibration (its Scale), written by
// `roleplay train` beside the members.
const EnsembleFile = "ensemble.txt"

// FormatScale is the text of EnsembleFile for scale.
func FormatScale(scale int64, members int) string {
	return fmt.Sprintf("# The act model is the ensemble of model-1.bin..model-%d.bin: its logit of\n"+
		"# an act is the members' mean times scale/%d, the scale fitted by\n"+
		"# roleplay train on the training's dev split.\nscale %d\n", members, nn.ScaleOne, scale)
}

// parseScale reads the scale of EnsembleFile's text.
func parseScale(b []byte) (int64, error) {
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, ok := strings.CutPrefix(line, "scale ")
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if !ok || err != nil || n <= 0 {
			return 0, fmt.Errorf("%s:%d: want \"scale N\" with N > 0, got %q", EnsembleFile, i+1, line)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s: no scale line", EnsembleFile)
}

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

// readNet reads the embedded members and the ensemble's scale (the last
// file) and checks that they fit the rules.
func readNet(files [][]byte) (*nn.Ensemble, error) {
	members, ens := files[:len(files)-1], files[len(files)-1]
	if len(members) == 0 {
		return nil, fmt.Errorf("no model/%s: run roleplay train", memberFile(0))
	}
	scale, err := parseScale(ens)
	if err != nil {
		return nil, err
	}
	var nets []*nn.Net
	for i, b := range members {
		n, err := nn.ReadNet(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("model/%s: %w", memberFile(i), err)
		}
		if n.E != numExtras {
			return nil, fmt.Errorf("model/%s has %d extra inputs, the rules give %d: run roleplay train", memberFile(i), n.E, numExtras)
		}
		nets = append(nets, n)
	}
	return nn.NewEnsemble(scale, nets...)
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
