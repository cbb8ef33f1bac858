package classify

import (
	"embed"
	"fmt"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// The corpus: labelled trainee sentences, one per line (see the header of
// corpus/train.txt for the format). Every file of corpusFiles is training
// data for the act model (roleplay train) and gives the rules' lexicon its
// words; the evaluation sets live under testdata and only the tests read
// them. book.txt, chat.txt and spoken.txt are the three writers of issue 7
// (playbook prose, chat typing, call transcripts), imported without
// duplicates of one another, of the older files or of any evaluation set;
// chat2.txt is the second chat-register round (terse texting, dictation,
// non-native English, typos, minimal pairs, short lines), whose dev split is
// testdata/classifier/chatdev.txt.
//
// chat3.txt is the third round (pressure against fair deadlines, summaries
// of the buyer's own figures, "walk me through" openers, success metrics,
// sales writing), whose dev split is testdata/classifier/dev3.txt. It was
// left out of the first model trained after it was written (one net alone
// did no better with it); the ensemble of three does better with it.
// who.txt is one pass of "who" questions about the buyer's world against
// "who" questions about the decision.

//go:embed corpus
var corpusFS embed.FS

// corpusFiles are the training files, in training order.
var corpusFiles = []string{"train.txt", "train_more.txt", "train_wide.txt", "book.txt", "chat.txt", "spoken.txt", "chat2.txt", "chat3.txt", "who.txt"}

// corpusSources returns the training files' contents, in corpusFiles order.
func corpusSources() []string {
	out := make([]string, len(corpusFiles))
	for i, f := range corpusFiles {
		b, err := corpusFS.ReadFile("corpus/" + f)
		if err != nil {
			panic("classify: embedded corpus: " + err.Error()) // a build error, caught by the tests
		}
		out[i] = string(b)
	}
	return out
}

var cueSource = func() string {
	b, err := corpusFS.ReadFile("corpus/cues.txt")
	if err != nil {
		panic("classify: embedded cues: " + err.Error())
	}
	return string(b)
}()

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
