package classify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// codeVersion names the classifier's logic. Bump it by hand with any change
// to the code that can read a sentence differently; data changes (cues,
// corpus, model and vector bytes, constants, word tables) change Version
// on their own.
const codeVersion = "2026-12-4"

// Version names this classifier's behaviour: a short hash of the code
// version, the cue patterns, the corpus (its words are the lexicon), the
// embedded model and vectors, the constants and the word tables. Every
// stored turn keeps it, so a reader of a record can tell which classifier
// read each line.
func (c *Classifier) Version() string { return c.version }

func version(cues string, train []string, model, vectors []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "code %s\n", codeVersion)
	fmt.Fprintf(h, "rules %v\n", []float64{negationWindow, dominateMargin, genericCue, specificCue, maxCues, otherFloor, strongSummary, smallTalk})
	fmt.Fprintf(h, "decide %v\n", []float32{actThreshold, costlySure, unclearBelow, ruleSure, smallTalkSure})
	fmt.Fprintf(h, "words %v|%v|%v|%v|%q|%v|%v|%v|%v|%q\n", wordClasses, discountWords, frontPhrases, premiseWords, stopWords,
		contractionTable, abbreviations, stemKeep, typoTable, greetingWords)
	fmt.Fprintf(h, "cues %d\n%s\n", len(cues), cues)
	for _, t := range train {
		fmt.Fprintf(h, "train %d\n%s\n", len(t), t)
	}
	fmt.Fprintf(h, "model %d %x\n", len(model), sha256.Sum256(model))
	fmt.Fprintf(h, "vectors %d %x\n", len(vectors), sha256.Sum256(vectors))
	return "c" + hex.EncodeToString(h.Sum(nil))[:12]
}
