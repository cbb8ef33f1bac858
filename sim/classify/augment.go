package classify

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// Training sees each corpus line twice: as written, and once as a trainee
// might type it into the chat box: no closing mark or apostrophes, "u"
// for "you", a filler in front, a slip of the finger. The corpus is
// mostly written with care, the call page is not; without the typed copy
// the model learns that "?" and "don't" mean something "dont" does not.
// The copy keeps the line's labels: none of these changes what a line
// does. It is a pure function of the line, so training stays repeatable.

// chatCopies is how many typed copies of each training line are trained
// on (none of the dev split's).
const chatCopies = 1

// chatSpellings are the chat spellings of common words, each used for a
// typed copy with chance chatSpellingP.
var chatSpellings = map[string]string{
	"you": "u", "your": "ur", "you're": "ur", "are": "r", "please": "pls",
	"because": "cuz", "thanks": "thx", "okay": "ok", "probably": "prob",
	"about": "abt", "people": "ppl", "tomorrow": "tmrw", "what's": "whats",
	"with": "w", "really": "rly", "before": "b4",
}

const chatSpellingP = 0.5

// chatOpeners are put in front of a typed copy now and then.
var chatOpeners = []string{
	"ok so ", "so ", "hmm ", "right ", "yeah ", "ok ", "and ", "btw ",
	"quick q ", "alright so ", "oh ", "um ", "well ", "got it ",
}

// chatCopy returns line as typed in a hurry; the same line gives the same
// copy, and copy n of a line differs from copy m.
func chatCopy(line string, n int) string {
	h := fnv.New64a()
	h.Write([]byte(line))
	r := rand.New(rand.NewPCG(h.Sum64(), uint64(n)+0x9e3779b9))
	words := strings.Fields(line)
	dropCommas := r.Float64() < 0.6
	dropApostrophes := r.Float64() < 0.6
	lower := r.Float64() < 0.8
	typo := -1
	if r.Float64() < 0.35 && len(words) > 0 {
		typo = r.IntN(len(words))
	}
	var b strings.Builder
	if r.Float64() < 0.25 {
		b.WriteString(chatOpeners[r.IntN(len(chatOpeners))])
	}
	for i, w := range words {
		if lower {
			w = strings.ToLower(w)
		}
		core, tail := splitTrailing(w)
		if s, ok := chatSpellings[strings.ToLower(core)]; ok && r.Float64() < chatSpellingP {
			core = s
		}
		if dropApostrophes {
			core = strings.NewReplacer("'", "", "\u2019", "").Replace(core)
		}
		if i == typo {
			core = slip(core, r)
		}
		if i == len(words)-1 {
			tail = strings.TrimRight(tail, ".?!")
			if r.Float64() < 0.3 {
				tail += "?" // some keep the question mark
			}
			if !strings.Contains(line, "?") {
				tail = strings.TrimRight(tail, "?")
			}
		} else if dropCommas {
			tail = strings.ReplaceAll(tail, ",", "")
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(core + tail)
	}
	return b.String()
}

// splitTrailing splits the marks off the end of a word: "today?" is
// "today" and "?".
func splitTrailing(w string) (core, tail string) {
	i := len(w)
	for i > 0 && strings.IndexByte(".,?!;:", w[i-1]) >= 0 {
		i--
	}
	return w[:i], w[i:]
}

// slip makes one typing slip in a word of five or more letters: a letter
// left out or two swapped, never the first.
func slip(w string, r *rand.Rand) string {
	if len(w) < 5 || strings.ContainsAny(w, "0123456789'$%") {
		return w
	}
	i := 1 + r.IntN(len(w)-2)
	if r.IntN(2) == 0 {
		return w[:i] + w[i+1:]
	}
	return w[:i] + string(w[i+1]) + string(w[i]) + w[i+2:]
}
