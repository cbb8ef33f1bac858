package classify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// codeVersion names the classifier's logic. Bump it by hand with any change
// to the code that can read a sentence differently; data changes (cues,
// corpus, constants, word tables) change Version on their own.
const codeVersion = "2026-12-1"

// Version names this classifier's behaviour: a short hash of the code
// version, the cue patterns, the training corpus, the model constants and
// the word tables. Every stored turn keeps it, so a reader of a record can
// tell which classifier read each line.
func (c *Classifier) Version() string { return c.version }

func version(cues string, train []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "code %s\n", codeVersion)
	fmt.Fprintf(h, "thresholds %v\n", []float64{emitThreshold, modelOnlyThreshold, modelOnlyGuarded, negationWindow,
		dominateMargin, genericCue, specificCue, maxCues, otherFloor, strongSummary, modelWeight, fallbackQuestion})
	fmt.Fprintf(h, "model %v %v %v %v %v %v %v %v\n", modelEpochs, modelRate, modelL2, modelPosBoost, modelSeed,
		modelPairSpan, modelOverride, modelOverrideBusy)
	fmt.Fprintf(h, "words %v|%v|%v|%v|%q|%v|%v|%v\n", wordClasses, discountWords, frontPhrases, premiseWords, stopWords,
		contractionTable, abbreviations, stemKeep)
	fmt.Fprintf(h, "cues %d\n%s\n", len(cues), cues)
	for _, t := range train {
		fmt.Fprintf(h, "train %d\n%s\n", len(t), t)
	}
	return "c" + hex.EncodeToString(h.Sum(nil))[:12]
}
