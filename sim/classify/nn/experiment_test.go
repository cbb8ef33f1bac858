package nn

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

var evalFiles = []string{"heldout.txt", "wild.txt", "blind2.txt", "blind3.txt", "blind4.txt"}

const evalDir = "../testdata/classifier/"

func readExamples(t testing.TB, path string) []Example {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	defer f.Close()
	exs, err := ParseExamples(f)
	if err != nil && false {
		t.Logf("%s: %v", path, err) // being written by others; bad lines left out
	} else {
		require.NoError(t, err, path)
	}
	return exs
}

func readVectors(t testing.TB) *Vectors {
	t.Helper()
	f, err := os.Open(vectorsPath)
	if os.IsNotExist(err) {
		t.Skip("no " + vectorsPath)
	}
	require.NoError(t, err)
	defer f.Close()
	v, err := ReadVectors(f)
	require.NoError(t, err)
	return v
}

func (m *Model) predictFloat(exs []Example) [][]bool {
	w := m.newWork()
	ps, _ := m.prepare(exs)
	out := make([][]bool, len(ps))
	probs := make([]float32, NumActs)
	for i, p := range ps {
		m.forward(w, p.ids, p.extra, false)
		for a, z := range w.logit {
			probs[a] = sigmoid32(z / m.T)
		}
		out[i] = Decide(probs, 0.5)
	}
	return out
}

func golds(exs []Example) [][]bool {
	g := make([][]bool, len(exs))
	for i, ex := range exs {
		g[i] = ex.Labels
	}
	return g
}

func TestExperimentFloat(t *testing.T) {
	if os.Getenv("NN_EXPERIMENT") == "" {
		t.Skip("NN_EXPERIMENT unset")
	}
	v := readVectors(t)
	var train []Example
	for _, p := range trainFiles[:3] {
		train = append(train, readExamples(t, p)...)
	}
	if os.Getenv("NN_PASSES") != "" {
		for _, p := range trainFiles[3:] {
			train = append(train, readExamples(t, p)...)
		}
	}
	dev := readExamples(t, evalDir+"heldout.txt")
	cfg := DefaultConfig()
	if os.Getenv("NN_EPOCHS") != "" {
		fmt.Sscan(os.Getenv("NN_EPOCHS"), &cfg.Epochs)
	}
	if os.Getenv("NN_W") != "" {
		cfg.Widths = nil
		for _, c := range os.Getenv("NN_W") {
			cfg.Widths = append(cfg.Widths, int(c-'0'))
		}
	}
	if os.Getenv("NN_DROP") != "" {
		fmt.Sscan(os.Getenv("NN_DROP"), &cfg.Dropout)
	}
	if os.Getenv("NN_F") != "" {
		fmt.Sscan(os.Getenv("NN_F"), &cfg.Filters)
	}
	m, res, err := Train(cfg, v, train, dev)
	require.NoError(t, err)
	for _, l := range res.Log {
		t.Log(l)
	}
	t.Logf("best epoch %d dev F1 %.3f T %.3f", res.BestEpoch, res.DevMacroF1, res.T)
	for _, f := range evalFiles {
		exs := readExamples(t, evalDir+f)
		pred := m.predictFloat(exs)
		t.Logf("%-12s macro-F1 %.3f exact %.3f n=%d (float)", f, MacroF1(golds(exs), pred), ExactMatch(golds(exs), pred), len(exs))
	}
	net := Export(m, nil)
	t.Logf("net %s: %d words, %d bytes", net.Version(), len(net.Words), len(net.Bytes()))
	for _, f := range evalFiles {
		exs := readExamples(t, evalDir+f)
		pred, _ := predictNet(net, exs)
		t.Logf("%-12s macro-F1 %.3f exact %.3f n=%d (int)", f, MacroF1(golds(exs), pred), ExactMatch(golds(exs), pred), len(exs))
	}
}

func predictNet(n *Net, exs []Example) ([][]bool, [][]float32) {
	out := make([][]bool, len(exs))
	probs := make([][]float32, len(exs))
	for i, ex := range exs {
		p := make([]float32, NumActs)
		n.Predict(Tokens(ex.Text), ex.Extra, p)
		probs[i] = p
		out[i] = Decide(p, 0.5)
	}
	return out, probs
}
