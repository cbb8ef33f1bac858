package nn

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A small made-up vocabulary and task: enough to train, fast to run.
func tinySet() (*Vectors, []Example) {
	words := []string{"how", "many", "what", "does", "it", "cost", "you", "we", "offer", "a", "discount",
		"hi", "there", "thanks", "shops", "staff", "price", "sign", "today", "?", ","}
	v := &Vectors{Dim: 8}
	for i, w := range words {
		vec := make([]float64, 8)
		for j := range vec {
			vec[j] = float64((i*7+j*3)%11-5) / 5
		}
		v.add(w, int32(i), vec)
	}
	lab := func(acts ...string) []bool {
		b := make([]bool, NumActs)
		for _, a := range acts {
			b[actIndex(a)] = true
		}
		return b
	}
	texts := []struct {
		acts []string
		text string
	}{
		{[]string{"situation"}, "how many shops ?"}, {[]string{"situation"}, "how many staff ?"},
		{[]string{"implication"}, "what does it cost you ?"}, {[]string{"implication"}, "what does it cost ?"},
		{[]string{"concession"}, "we offer a discount"}, {[]string{"concession"}, "a discount on price"},
		{[]string{"other"}, "hi there"}, {[]string{"other"}, "thanks"},
		{[]string{"close"}, "sign today ?"}, {[]string{"close", "concession"}, "sign today , a discount"},
	}
	var exs []Example
	for i, t := range texts {
		exs = append(exs, Example{Text: t.text, Labels: lab(t.acts...), Line: i + 1})
	}
	return v, exs
}

func tinyConfig() Config {
	cfg := DefaultConfig()
	cfg.Filters, cfg.Epochs, cfg.Patience, cfg.Batch, cfg.LR = 8, 60, 60, 4, 0.02
	cfg.Dropout, cfg.WordDropout = 0, 0
	return cfg
}

func TestTrainIsRepeatable(t *testing.T) {
	v, exs := tinySet()
	m1, r1, err := Train(tinyConfig(), v, exs, exs)
	require.NoError(t, err)
	m2, _, err := Train(tinyConfig(), v, exs, exs)
	require.NoError(t, err)
	assert.Equal(t, m1.P, m2.P, "same data and seed, same weights")
	assert.Equal(t, Export(m1, nil).Bytes(), Export(m2, nil).Bytes())
	cfg := tinyConfig()
	cfg.Seed = 2
	m3, _, err := Train(cfg, v, exs, exs)
	require.NoError(t, err)
	assert.NotEqual(t, m1.P, m3.P, "another seed, other weights")
	assert.Greater(t, r1.DevMacroF1, 0.5, "%v", r1.Log)
}

func TestNetMatchesModel(t *testing.T) {
	v, exs := tinySet()
	m, _, err := Train(tinyConfig(), v, exs, exs)
	require.NoError(t, err)
	n := Export(m, nil)
	got, err := ReadNet(bytes.NewReader(n.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, n.Version(), got.Version())
	w := m.newWork()
	ps, err := m.prepare(exs)
	require.NoError(t, err)
	out := make([]float32, NumActs)
	for i, ex := range exs {
		got.Predict(Tokens(ex.Text), nil, out)
		m.forward(w, ps[i].ids, nil, false)
		for a := range out {
			assert.InDelta(t, sigmoid32(w.logit[a]/m.T), out[a], 0.03, "%q %s", ex.Text, Acts[a])
		}
	}
	cues := got.Explain(Tokens("we offer a discount"), nil, actIndex("concession"), 2)
	require.NotEmpty(t, cues)
	assert.Contains(t, []string{"offer", "discount", "a", "we"}, cues[0].Token)
}

func FuzzReadNet(f *testing.F) {
	v, exs := tinySet()
	cfg := tinyConfig()
	cfg.Epochs = 1
	m, _, _ := Train(cfg, v, exs, exs)
	f.Add(Export(m, nil).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		ReadNet(bytes.NewReader(b))
	})
}
