package script

import (
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Tags is a Reader for tests that pin down the engine or the grader
// without the classifier: a sentence holds the acts named in angle brackets, "<pitch>
// <situation>", and "<if>" marks a concession as conditional; "10%" sets
// its size. Sentences are split on "|".
type Tags struct{}

// Version names the reader.
func (Tags) Version() string { return "tags" }

// Read returns the tagged acts of each sentence.
func (Tags) Read(text string, _ *sim.Vocabulary) []sim.Detection {
	var out []sim.Detection
	for _, sent := range strings.Split(text, "|") {
		sent = strings.TrimSpace(sent)
		for _, a := range sim.Acts() {
			if strings.Contains(sent, "<"+a.String()+">") {
				d := sim.Detection{Act: a, Confidence: 1, Cues: []string{a.String()}, Sentence: sent, Question: a.IsDiscovery() || a.IsQualifying()}
				d.Conditional = strings.Contains(sent, "<if>")
				if strings.Contains(sent, "10%") {
					d.Percent = 10
				}
				out = append(out, d)
			}
		}
		if len(out) == 0 {
			out = append(out, sim.Detection{Act: sim.Other, Confidence: 1, Cues: []string{"-"}, Sentence: sent})
		}
	}
	return out
}
