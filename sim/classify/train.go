package classify

import (
	"fmt"
	"io"
	"strings"

	"github.com/roleplay-sim/roleplay/sim/classify/nn"
)

// Training is offline: `roleplay train` trims the word vectors from the
// GloVe package and fits the act model on the embedded corpus, and the
// files it writes under model/ are embedded in the next build. The same
// vectors, corpus, cues and configuration give the same bytes.

// Training constants.
const (
	// TopWords is how many of GloVe's most frequent words the trimmed
	// vectors keep besides every corpus word; the model keeps the first
	// topNetWords of them, so an unseen but common word still has a vector.
	TopWords    = 30000
	topNetWords = 18000
	devEvery    = 20 // every devEvery-th corpus line is the dev split (epoch and temperature)
)

// TrainConfig is the model's shape and training as committed.
func TrainConfig() nn.Config {
	cfg := nn.DefaultConfig()
	cfg.Filters = 32 // half the filters of nn's default: 3.6 MB and under 4 µs a sentence, with the rules as inputs
	cfg.Epochs, cfg.Patience = 60, 6
	cfg.Extra = numExtras
	return cfg
}

// TrimVectors reads a wink-embeddings JSON table and keeps the top words
// and every word of the corpus.
func TrimVectors(r io.Reader, top int) (*nn.Vectors, error) {
	words, err := corpusWordSet(corpusSources())
	if err != nil {
		return nil, err
	}
	return nn.Trim(r, func(w string, rank int) bool { return rank < top || words[w] })
}

func corpusWordSet(srcs []string) (map[string]bool, error) {
	words := map[string]bool{}
	for i, src := range srcs {
		exs, err := nn.ParseExamples(strings.NewReader(src))
		if err != nil {
			return nil, fmt.Errorf("corpus file %d: %w", i, err)
		}
		for _, ex := range exs {
			for _, w := range nn.Tokens(ex.Text) {
				words[w] = true
			}
		}
	}
	return words, nil
}

// Train fits the act model on the embedded corpus, over vectors v, with
// the rules' features as extras, and returns it quantised for embedding.
func Train(v *nn.Vectors, cfg nn.Config) (*nn.Net, nn.TrainResult, error) {
	return train(v, cfg, topNetWords, corpusSources())
}

func train(v *nn.Vectors, cfg nn.Config, topNet int, srcs []string) (*nn.Net, nn.TrainResult, error) {
	var res nn.TrainResult
	if cfg.Extra != numExtras {
		return nil, res, fmt.Errorf("train: %d extras configured, the rules give %d", cfg.Extra, numExtras)
	}
	rules, err := newClassifier(cueSource, nil, srcs...)
	if err != nil {
		return nil, res, err
	}
	var tr, dev []nn.Example
	words := map[string]bool{}
	n := 0
	for i, src := range srcs {
		exs, err := nn.ParseExamples(strings.NewReader(src))
		if err != nil {
			return nil, res, fmt.Errorf("train: corpus file %d: %w", i, err)
		}
		for _, ex := range exs {
			ex.Extra = rules.features(ex.Text)
			if n++; n%devEvery == 0 {
				dev = append(dev, ex)
				continue
			}
			tr = append(tr, ex)
			for _, w := range nn.Tokens(ex.Text) {
				words[w] = true
			}
		}
	}
	cfg.Fallback = rules.lex.netWord // typos read as the rules read them, as at inference
	cfg.Alias = typoTable
	m, res, err := nn.Train(cfg, v, tr, dev)
	if err != nil {
		return nil, res, err
	}
	res.Log = append(res.Log, fmt.Sprintf("%d training lines, %d dev lines", len(tr), len(dev)))
	return nn.Export(m, func(w string, rank int) bool { return rank < topNet || words[w] }), res, nil
}
