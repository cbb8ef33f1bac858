package nn

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The trained weights, rewritten by
//
//	go test ./sim/classify/nn -run TestTrainNet -train -timeout 30m
//
// from testdata/vectors.bin and the training files that are present.
var (
	trainFlag = flag.Bool("train", false, "retrain and rewrite "+netPath)
	topNet    = flag.Int("topnet", 18000, "words by frequency kept in the net, besides the training words")
)

const netPath = "testdata/model.bin"

// splitTrainDev reads the training files; the dev split is heldout.txt
// plus every 20th line of the newer passes (which are in other registers).
func splitTrainDev(t testing.TB) (train, dev []Example) {
	for i, p := range trainFiles {
		exs := readExamples(t, p)
		if i < 3 {
			train = append(train, exs...)
			continue
		}
		for j, ex := range exs {
			if j%20 == 19 {
				dev = append(dev, ex)
			} else {
				train = append(train, ex)
			}
		}
	}
	dev = append(dev, readExamples(t, evalDir+"heldout.txt")...)
	return train, dev
}

func TestTrainNet(t *testing.T) {
	if !*trainFlag {
		t.Skip("no -train")
	}
	v := readVectors(t)
	train, dev := splitTrainDev(t)
	start := time.Now()
	m, res, err := Train(DefaultConfig(), v, train, dev)
	require.NoError(t, err)
	t.Logf("%d training lines, %d dev lines, %s", len(train), len(dev), time.Since(start).Round(time.Second))
	t.Log("\n" + strings.Join(res.Log, "\n"))
	t.Logf("kept epoch %d (dev macro-F1 %.3f), temperature %.3f", res.BestEpoch, res.DevMacroF1, res.T)
	words := map[string]bool{}
	for _, ex := range train {
		for _, w := range Tokens(ex.Text) {
			words[w] = true
		}
	}
	n := Export(m, func(w string, rank int) bool { return rank < *topNet || words[w] })
	b := n.Bytes()
	require.NoError(t, os.WriteFile(netPath, b, 0o644))
	t.Logf("wrote %s: %d words, %d bytes, version %s", netPath, len(n.Words), len(b), n.Version())
}

func readNet(t testing.TB) *Net {
	t.Helper()
	b, err := os.ReadFile(netPath)
	if os.IsNotExist(err) {
		t.Skip("no " + netPath)
	}
	require.NoError(t, err)
	n, err := ReadNet(bytes.NewReader(b))
	require.NoError(t, err)
	return n
}

// TestEvaluationSets scores the committed net on the repo's evaluation
// sets: per-act precision/recall/F1, the most frequent confusions and the
// reliability of its probabilities. heldout.txt is part of the dev split
// (epoch and temperature are chosen on it), so it is not a fair figure.
func TestEvaluationSets(t *testing.T) {
	n := readNet(t)
	sets := []struct {
		file         string
		macro, exact float64 // floors
	}{
		{"heldout.txt", 0.85, 0.80},
		{"wild.txt", 0.75, 0.70},
		{"blind2.txt", 0.78, 0.70},
		{"blind3.txt", 0.78, 0.70},
		{"blind4.txt", 0.70, 0.60},
	}
	var allGold [][]bool
	var allProbs [][]float32
	for _, set := range sets {
		t.Run(set.file, func(t *testing.T) {
			exs := readExamples(t, evalDir+set.file)
			if exs == nil {
				t.Skip("absent")
			}
			pred, probs := predictNet(n, exs)
			gold := golds(exs)
			macro, exact := MacroF1(gold, pred), ExactMatch(gold, pred)
			table, ece := Reliability(probs, gold, 10)
			var misses strings.Builder
			for i, ex := range exs {
				if !sameSet(gold[i], pred[i]) {
					fmt.Fprintf(&misses, "  line %d %v: %q got %v\n", ex.Line, names(gold[i]), ex.Text, names(pred[i]))
				}
			}
			t.Logf("\n%s\nmacro-F1 %.3f, exact %.3f over %d lines, ECE %.4f\nconfusions (wanted, read as):\n%s\nreliability:\n%s\nmisses:\n%s",
				ScoreTable(gold, pred), macro, exact, len(exs), ece, Confusions(gold, pred, 8), table, misses.String())
			assert.GreaterOrEqual(t, macro, set.macro, "macro-F1")
			assert.GreaterOrEqual(t, exact, set.exact, "exact match")
			if set.file != "heldout.txt" {
				allGold = append(allGold, gold...)
				allProbs = append(allProbs, probs...)
			}
		})
	}
	if len(allGold) > 0 {
		table, ece := Reliability(allProbs, allGold, 10)
		t.Logf("reliability over the sets other than heldout.txt:\n%s", table)
		assert.Less(t, ece, 0.03, "calibration")
	}
}

func sameSet(a, b []bool) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func names(b []bool) []string {
	var out []string
	for a, on := range b {
		if on {
			out = append(out, Acts[a])
		}
	}
	return out
}

func TestExplainCommitted(t *testing.T) {
	n := readNet(t)
	toks := Tokens("what does it cost you when a shipment misses the cut-off?")
	out := make([]float32, NumActs)
	n.Predict(toks, nil, out)
	a := actIndex("implication")
	cues := n.Explain(toks, nil, a, 3)
	t.Logf("implication %.3f, cues %v", out[a], cues)
	assert.NotEmpty(t, cues)
}

func BenchmarkPredict(b *testing.B) {
	n := readNet(b)
	toks := Tokens("so how many people are on the dispatch desk right now, roughly?") // 12 words
	out := make([]float32, NumActs)
	b.ReportAllocs()
	for b.Loop() {
		n.Predict(toks, nil, out)
	}
}

func BenchmarkReadNet(b *testing.B) {
	raw, err := os.ReadFile(netPath)
	if err != nil {
		b.Skip("no " + netPath)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadNet(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}
