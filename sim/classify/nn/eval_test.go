package nn

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The committed model: trained by package classify (roleplay train), with
// the rule cue scores as extras; these tests only read it.
const netPath = "../model/model-1.bin"

func readNet(t testing.TB) *Net { return readMember(t, 1) }

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
