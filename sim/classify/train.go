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
	return train(v, cfg, topNetWords, chatCopies, corpusSources())
}

// train fits the model on srcs, each training line with copies typed
// copies (see chatCopy).
func train(v *nn.Vectors, cfg nn.Config, topNet, copies int, srcs []string) (*nn.Net, nn.TrainResult, error) {
	var res nn.TrainResult
	if cfg.Extra != numExtras {
		return nil, res, fmt.Errorf("train: %d extras configured, the rules give %d", cfg.Extra, numExtras)
	}
	rules, err := newClassifier(cueSource, nil, srcs...)
	if err != nil {
		return nil, res, err
	}
	tr, dev, err := split(rules, srcs, copies)
	if err != nil {
		return nil, res, err
	}
	words := map[string]bool{}
	for _, ex := range tr {
		if !ex.typed {
			for _, w := range nn.Tokens(ex.Text) {
				words[w] = true
			}
		}
	}
	cfg.Fallback = rules.lex.netWord // typos read as the rules read them, as at inference
	cfg.Alias = typoTable
	m, res, err := nn.Train(cfg, v, examples(tr), dev)
	if err != nil {
		return nil, res, err
	}
	res.Log = append(res.Log, fmt.Sprintf("%d training lines, %d dev lines", len(tr), len(dev)))
	return nn.Export(m, func(w string, rank int) bool { return rank < topNet || words[w] }), res, nil
}

// A trainingLine is a corpus line, or a typed copy of one.
type trainingLine struct {
	nn.Example
	typed bool
}

func examples(ls []trainingLine) []nn.Example {
	out := make([]nn.Example, len(ls))
	for i, l := range ls {
		out[i] = l.Example
	}
	return out
}

// split reads the corpus into training lines (each with copies typed
// copies) and the dev split (every devEvery-th line, as written), with
// the rules' features.
func split(rules *Classifier, srcs []string, copies int) (tr []trainingLine, dev []nn.Example, err error) {
	n := 0
	for i, src := range srcs {
		exs, err := nn.ParseExamples(strings.NewReader(src))
		if err != nil {
			return nil, nil, fmt.Errorf("train: corpus file %d: %w", i, err)
		}
		for _, ex := range exs {
			ex.Extra = rules.features(ex.Text)
			if n++; n%devEvery == 0 {
				dev = append(dev, ex)
				continue
			}
			tr = append(tr, trainingLine{Example: ex})
			for k := 0; k < copies; k++ {
				typed := ex
				typed.Text = chatCopy(ex.Text, k)
				typed.Extra = rules.features(typed.Text)
				tr = append(tr, trainingLine{Example: typed, typed: true})
			}
		}
	}
	return tr, dev, nil
}

// FitScale fits the ensemble of members' Scale (see nn.Ensemble) on the
// dev split of the embedded corpus, the members reading it as they do at
// inference.
func FitScale(members []*nn.Net) (int64, error) {
	rules, err := newClassifier(cueSource, nil, corpusSources()...)
	if err != nil {
		return 0, err
	}
	_, dev, err := split(rules, corpusSources(), 0)
	if err != nil {
		return 0, err
	}
	e, err := nn.NewEnsemble(nn.ScaleOne, members...)
	if err != nil {
		return 0, err
	}
	e.SetFallback(rules.lex.netWord)
	e.Alias(typoTable)
	return e.FitScale(dev), nil
}
