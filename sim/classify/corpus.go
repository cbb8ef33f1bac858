package classify

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// The corpus: labelled trainee sentences, one per line (see the header of
// corpus/train.txt for the format). The training part (train.txt,
// train_more.txt and train_wide.txt) is embedded and read by NewClassifier;
// the held-out part lives under testdata and only the tests read it.

//go:embed corpus/train.txt
var trainSource string

//go:embed corpus/train_more.txt
var trainMoreFile string

//go:embed corpus/train_wide.txt
var trainWideFile string

// trainMoreSource is the rest of the training corpus, train_more.txt then
// train_wide.txt (a parse error's line number counts from train_more.txt).
var trainMoreSource = trainMoreFile + "\n" + trainWideFile

//go:embed corpus/cues.txt
var cueSource string

// A labelled sentence of the corpus.
type labelled struct {
	Acts        []sim.Act
	Conditional bool // a concession marked concession+conditional
	Text        string
	Line        int
}

func parseCorpus(src string) ([]labelled, error) {
	var out []labelled
	var errs []string
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, "\t")
		text = strings.TrimSpace(text)
		if !ok || text == "" {
			errs = append(errs, fmt.Sprintf("line %d: want labels<TAB>sentence", i+1))
			continue
		}
		ex := labelled{Text: text, Line: i + 1}
		for _, l := range strings.Split(labels, ",") {
			l = strings.TrimSpace(l)
			name, mark, _ := strings.Cut(l, "+")
			a, err := sim.ParseAct(name)
			if err != nil {
				errs = append(errs, fmt.Sprintf("line %d: %v", i+1, err))
				continue
			}
			switch {
			case mark == "conditional" && a == sim.Concession:
				ex.Conditional = true
			case mark != "":
				errs = append(errs, fmt.Sprintf("line %d: unknown mark %q (only concession+conditional)", i+1, mark))
			}
			ex.Acts = append(ex.Acts, a)
		}
		out = append(out, ex)
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("corpus:\n%s", strings.Join(errs, "\n"))
	}
	return out, nil
}
