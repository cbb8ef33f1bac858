package grade

import (
	"fmt"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Giving in: the yielding seller of DOMAIN.md does not only ask friendly
// questions, it gives in on price and terms and lets the buyer buy "when
// they are ready". Both are things the seller did, so they count: toward
// the yielding side of the balance, and against self-focus.

const (
	giGifts  = 70 // concessions given for nothing (full at two)
	giPutOff = 30 // let the buyer put the decision off (full at one)

	penaltyGaveGround = 10 // self-focus lost per gift and per decision let slide
)

// putOffCues are what a seller says when letting the buyer decide "when
// they are ready" rather than agreeing a next step.
var putOffCues = []string{
	"no rush", "no hurry", "no pressure", "no need to rush", "no need to hurry",
	"take your time", "take all the time", "all the time you need", "in your own time", "at your own pace",
	"whenever you're ready", "whenever you are ready", "when you're ready", "when you are ready",
	"whenever suits", "whenever it suits", "whenever works", "whenever is good", "whenever you like", "whenever you want",
	"when the timing", "when the time is right", "when the time comes",
	"happy to wait", "glad to wait", "we can wait", "i can wait", "we'll wait", "i'll wait", "can always wait",
	"no need to decide", "don't need to decide", "don't have to decide", "no decision today", "no decision needed",
	"sleep on it", "think it over", "mull it over",
	"get back to me whenever", "get back to me when", "let me know whenever", "let me know when you're",
	"reach out whenever", "reach out when you", "circle back later", "touch base later", "down the road",
}

// putOffByWord is putOffCues by their first word, each as it is sought in
// a sentence read by putOff: between spaces.
var putOffByWord = func() map[string][]string {
	m := map[string][]string{}
	for _, c := range putOffCues {
		first, _, _ := strings.Cut(c, " ")
		m[first] = append(m[first], " "+c+" ")
	}
	return m
}()

// putOff reports whether sentence lets the buyer put the decision off: it
// holds one of putOffCues, word for word. The sentence is read as its
// words (letters, digits and apostrophes, lower-cased, ’ as ') between
// single spaces, and only cues whose first word starts at a word are tried,
// so a grade looks at each word once rather than at each cue.
func putOff(sentence string) bool {
	s := spaced(strings.ToLower(strings.ReplaceAll(sentence, "’", "'")))
	for i := 0; i+1 < len(s); {
		j := i + 1 + strings.IndexByte(s[i+1:], ' ') // the space after the word at i+1
		for _, c := range putOffByWord[s[i+1:j]] {
			if strings.HasPrefix(s[i:], c) {
				return true
			}
		}
		i = j
	}
	return false
}

// spaced is s's words, runs of ASCII letters, digits and apostrophes,
// each with a space before and after, one space between two: " no rush ".
// Any other byte, every byte of a character beyond ASCII included,
// separates words.
func spaced(s string) string {
	b := make([]byte, 1, len(s)+2)
	b[0] = ' '
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		case b[len(b)-1] != ' ':
			b = append(b, ' ')
		}
	}
	if b[len(b)-1] != ' ' {
		b = append(b, ' ')
	}
	return string(b)
}

// putOffTurns are the turns that let the buyer put the decision off: a
// sentence that says so and does not ask for a next step or end in a
// question mark ("no rush: shall we look at it again on Tuesday?" asks).
// The typed question mark is trusted over the classifier's reading here:
// "let me know when the timing suits you" reads as a timeline question
// but asks nothing.
func putOffTurns(turns []sim.Turn) []int {
	var out []int
	for _, t := range turns {
		asks := map[string]bool{}
		for _, d := range t.Acts {
			if d.Act == sim.Close || strings.HasSuffix(strings.TrimSpace(d.Sentence), "?") {
				asks[d.Sentence] = true
			}
		}
		for _, d := range t.Acts {
			if !asks[d.Sentence] && putOff(d.Sentence) {
				out = append(out, t.N)
				break
			}
		}
	}
	return out
}

// gaveIn measures how much the seller gave in: gifts and decisions let
// slide. A call that gave nothing away has no parts (and gave in 0).
func (g *grader) gaveIn(r *sim.Report) []sim.ScorePart {
	parts := []sim.ScorePart{}
	if n := r.Concessions.Unconditional; n > 0 {
		why := fmt.Sprintf("%s given for nothing in return in %s", sim.Plural(n, "concession"), turnsText(r.Concessions.Turns))
		if h := r.Concessions.Hollow; h > 0 {
			why += fmt.Sprintf(" (%d of them asked for something the customer cannot give)", h)
		}
		parts = append(parts, part("gave for nothing", giGifts, ratio(float64(n), 2), why))
	}
	if p := r.NextStep.PutOff; len(p) > 0 {
		parts = append(parts, part("let the decision slide", giPutOff, ratio(float64(len(p)), 1),
			fmt.Sprintf("let the customer put the decision off in %s instead of agreeing a next step", turnsText(p))))
	}
	return parts
}

// gaveGround is self-focus lost by giving in; nil when nothing was given.
func gaveGround(r *sim.Report) []sim.ScorePart {
	n := r.Concessions.Unconditional + len(r.NextStep.PutOff)
	if n == 0 {
		return nil
	}
	var what []string
	if u := r.Concessions.Unconditional; u > 0 {
		what = append(what, sim.Plural(u, "concession")+" for nothing")
	}
	if p := len(r.NextStep.PutOff); p > 0 {
		what = append(what, sim.Plural(p, "decision")+" let slide")
	}
	return []sim.ScorePart{{Name: "gave ground", Points: -n * penaltyGaveGround, Why: strings.Join(what, " and ")}}
}
