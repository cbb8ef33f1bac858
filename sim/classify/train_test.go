package classify

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallCorpus is every 25th line of each corpus file: enough to train on,
// quick to run.
func smallCorpus() []string {
	var out []string
	for _, src := range corpusSources() {
		var b strings.Builder
		for i, l := range strings.Split(src, "\n") {
			if i%25 == 0 && !strings.HasPrefix(l, "#") {
				b.WriteString(l + "\n")
			}
		}
		out = append(out, b.String())
	}
	return out
}

// TestTrainIsRepeatable trains twice on the same small set and asks for
// the same model bytes: the committed model can be rebuilt exactly.
func TestTrainIsRepeatable(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model")
	}
	v, err := ReadVectors()
	require.NoError(t, err)
	cfg := TrainConfig()
	cfg.Filters, cfg.Epochs, cfg.Patience = 8, 2, 2
	srcs := smallCorpus()
	a, res, err := train(v, cfg, 500, chatCopies, srcs)
	require.NoError(t, err)
	b, _, err := train(v, cfg, 500, chatCopies, srcs)
	require.NoError(t, err)
	assert.Equal(t, a.Bytes(), b.Bytes(), "same inputs, same bytes")
	assert.Equal(t, numExtras, a.E)
	t.Log(strings.Join(res.Log, "\n"))
}
