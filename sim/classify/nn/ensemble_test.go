package nn

import (
	"bytes"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readMember reads the committed member i (1-based) of the ensemble.
func readMember(t testing.TB, i int) *Net {
	t.Helper()
	path := "../model/model-" + string(rune('0'+i)) + ".bin"
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skip("no " + path)
	}
	require.NoError(t, err)
	n, err := ReadNet(bytes.NewReader(b))
	require.NoError(t, err)
	return n
}

var ensembleLines = []string{
	"what does it cost you when a shipment misses the cut-off?",
	"hey maria how many trucks do u run",
	"I can't hold this price past Friday.",
	"ok",
	"",
}

// An ensemble's logit is the members' mean times Scale/ScaleOne: one
// member at ScaleOne reads as itself, and its cues are its own.
func TestEnsembleIsTheMean(t *testing.T) {
	a, b := readMember(t, 1), readMember(t, 2)
	one, err := NewEnsemble(ScaleOne, a)
	require.NoError(t, err)
	two, err := NewEnsemble(ScaleOne, a, b)
	require.NoError(t, err)
	sharper, err := NewEnsemble(2*ScaleOne, a, b)
	require.NoError(t, err)
	for _, line := range ensembleLines {
		toks := Tokens(line)
		pa, p1, p2, p3 := make([]float32, NumActs), make([]float32, NumActs), make([]float32, NumActs), make([]float32, NumActs)
		a.Predict(toks, nil, pa)
		one.Predict(toks, nil, p1)
		two.Predict(toks, nil, p2)
		sharper.Predict(toks, nil, p3)
		assert.Equal(t, pa, p1, "%q: one member", line)
		za, zb := make([]int64, NumActs), make([]int64, NumActs)
		a.logitRows(a.rows(nil, toks), nil, za)
		b.logitRows(b.rows(nil, toks), nil, zb)
		for act := range p2 {
			mean := (za[act] + zb[act]) / 2
			assert.Equal(t, a.Sigmoid[mean+zMax*zUnit], p2[act], "%q: %s", line, Acts[act])
			if mean > 0 {
				assert.GreaterOrEqual(t, p3[act], p2[act], "%q: %s: a larger scale is surer", line, Acts[act])
			} else if mean < 0 {
				assert.LessOrEqual(t, p3[act], p2[act], "%q: %s: a larger scale is surer", line, Acts[act])
			}
		}
		implication := actIndex("implication")
		assert.Equal(t, a.Explain(toks, nil, implication, 3), one.Explain(toks, nil, implication, 3), "%q", line)
	}
}

// FitScale finds the scale that fits the labels: a sharper ensemble for
// lines its members agree on and get right.
func TestEnsembleFitScale(t *testing.T) {
	a, b := readMember(t, 1), readMember(t, 2)
	e, err := NewEnsemble(ScaleOne, a, b)
	require.NoError(t, err)
	dev, err := ParseExamples(strings.NewReader(strings.Join([]string{
		"situation\thow many trucks do you run today",
		"problem\twhat is the biggest headache with your current supplier",
		"implication\twhat does an hour of downtime cost you",
		"qualify_budget\twhat budget have you set aside for this",
		"close\tcan we book a demo for next tuesday",
	}, "\n")))
	require.NoError(t, err)
	scale := e.FitScale(dev)
	assert.Greater(t, scale, int64(ScaleOne), "clear lines the members agree on ask for a surer ensemble")
	assert.LessOrEqual(t, scale, int64(4*ScaleOne))
}

// Two members that are the same net explain a line as that net does: the
// shares add up, the order stays.
func TestEnsembleExplain(t *testing.T) {
	a := readMember(t, 1)
	twice, err := NewEnsemble(ScaleOne, a, a)
	require.NoError(t, err)
	toks := Tokens(ensembleLines[0])
	act := actIndex("implication")
	want := a.Explain(toks, nil, act, 4)
	got := twice.Explain(toks, nil, act, 4)
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].Token, got[i].Token)
		assert.InDelta(t, 2*want[i].Weight, got[i].Weight, 1e-4)
	}
}

func TestNewEnsembleRefuses(t *testing.T) {
	_, err := NewEnsemble(ScaleOne)
	assert.Error(t, err)
	a := readMember(t, 1)
	_, err = NewEnsemble(0, a)
	assert.ErrorContains(t, err, "positive")
	other := readMember(t, 2)
	other.E = a.E + 1
	_, err = NewEnsemble(ScaleOne, a, other)
	assert.ErrorContains(t, err, "extra inputs")
}

// The fused pooling of windows of up to three words (pool3) gives the
// same features as a window followed by the pooling loop.
func TestPool3MatchesWindow(t *testing.T) {
	n := readMember(t, 1)
	r := rand.New(rand.NewPCG(7, 7))
	F := n.F
	for trial := 0; trial < 200; trial++ {
		wi := r.IntN(len(n.Widths))
		w := n.Widths[wi]
		ids := make([]int32, w)
		for k := range ids {
			ids[k] = int32(r.IntN(len(n.Words) + numSpecial))
		}
		bias := n.B[wi*F : (wi+1)*F]
		base := n.off[wi] * F
		mx1, sum1 := make([]int32, F), make([]int32, F)
		mx2, sum2 := make([]int32, F), make([]int32, F)
		for range 3 { // a few positions, so the max and the sums grow
			n.pool3(mx1, sum1, bias, ids, base)
			acc := make([]int32, F)
			n.window(acc, bias, ids, base)
			for f, v := range acc {
				if v > 0 {
					sum2[f] += v
					mx2[f] = max(mx2[f], v)
				}
			}
		}
		require.Equal(t, mx2, mx1)
		require.Equal(t, sum2, sum1)
	}
}

func BenchmarkEnsemblePredict(b *testing.B) {
	e, err := NewEnsemble(ScaleOne, readMember(b, 1), readMember(b, 2), readMember(b, 3))
	require.NoError(b, err)
	toks := Tokens("so how many people are on the dispatch desk right now, roughly?") // 12 words
	out := make([]float32, NumActs)
	b.ReportAllocs()
	for b.Loop() {
		e.Predict(toks, nil, out)
	}
}
