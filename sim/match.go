package sim

import (
	"strings"
)

// Which fact a question asks about. Each fact has a bag of concepts built
// at load from what the author wrote about it: its keywords and label
// (weight 1), its example question (0.8) and its reply (0.4). A concept is
// a word's stem, or the head of the synonym group it belongs to (built-in
// groups such as software/system/tool, plus the scenario's own synonyms),
// so "wht software do ur dispatchers use" meets a fact whose keywords say
// "system" and "dispatch". A concept shared by several facts of a kind
// counts less for each (divided by how many share it), so the words that
// tell facts apart decide.
//
// A question's score for a fact is the sum of the weights of the concepts
// they share. The fact with the highest score at least matchThreshold is
// the one asked about; ties go to the fact written first. A question with
// no content words of its own ("what's the hardest part of your job?") is
// generic: it gets the first fact of its kind still hidden, unless that
// fact says reveal = "on_match". A question with content words that match
// no fact gets the persona's "nothing more on that" line.

// matchThreshold is the least score that counts as a match: one keyword,
// label or question word, or two words of the reply.
const matchThreshold = 0.6

// Reveal policies for a fact.
const (
	RevealOnAsk   = "on_ask"   // a generic question of its kind reveals it too
	RevealOnMatch = "on_match" // only a question that matches it does
)

// factBag is what a fact is about, as weighted concepts.
type factBag struct {
	weights map[string]float64
	phrases []phrase // multi-word keywords, matched whole
}

type phrase struct {
	concepts []string
	weight   float64
}

// buildMatcher builds the concept table and each fact's bag, once at load.
func (s *Scenario) buildMatcher() {
	s.concept = make(map[string]string, len(builtinSynonyms)*4)
	for _, group := range builtinSynonyms {
		addGroup(s.concept, group)
	}
	for _, group := range s.Synonyms {
		addGroup(s.concept, group)
	}
	// The customer's and product's names are not what a question is about.
	s.names = map[string]bool{}
	for _, n := range []string{s.Customer.Name, s.Customer.Company, s.Product.Name, s.Product.Company} {
		for w := range stems(n) {
			s.names[matchStem(w)] = true
		}
	}
	s.bags = make([]factBag, len(s.Facts))
	for i, f := range s.Facts {
		b := factBag{weights: map[string]float64{}}
		add := func(text string, w float64) {
			for _, c := range s.conceptsOf(nil, text) {
				b.weights[c] = max(b.weights[c], w)
			}
		}
		for _, k := range f.Keywords {
			cs := s.conceptsOf(nil, k)
			if len(cs) == 1 {
				b.weights[cs[0]] = max(b.weights[cs[0]], 1)
			} else if len(cs) > 1 {
				b.phrases = append(b.phrases, phrase{cs, 1})
			} else if ws := allConcepts(nil, s, k); len(ws) > 0 { // "how long": only function words
				b.phrases = append(b.phrases, phrase{ws, 1})
			}
		}
		add(f.Label, 1)
		add(f.Question, 0.8)
		for _, r := range f.Reply {
			add(r, 0.4)
		}
		s.bags[i] = b
	}
	// A concept shared by facts of one kind tells them apart less.
	for _, k := range factKindOrder {
		df := map[string]int{}
		for i, f := range s.Facts {
			if f.Kind == k {
				for c := range s.bags[i].weights {
					df[c]++
				}
			}
		}
		for i, f := range s.Facts {
			if f.Kind == k {
				for c, w := range s.bags[i].weights {
					s.bags[i].weights[c] = w / float64(df[c])
				}
			}
		}
	}
}

func addGroup(m map[string]string, group []string) {
	if len(group) == 0 {
		return
	}
	head := matchStem(strings.ToLower(group[0]))
	for _, w := range group {
		m[matchStem(strings.ToLower(w))] = head
	}
}

// conceptsOf appends the distinct content concepts of text: stop words
// and the scenario's names left out.
func (s *Scenario) conceptsOf(dst []string, text string) []string {
	for w := range stems(text) {
		w = matchStem(w)
		if stopWords[w] || s.names[w] || len(w) < 2 {
			continue
		}
		if c, ok := s.concept[w]; ok {
			w = c
		}
		if !hasWord(dst, w) {
			dst = append(dst, w)
		}
	}
	return dst
}

// allConcepts appends every word of text as a concept, stop words
// included, for keywords made only of them ("how long").
func allConcepts(dst []string, s *Scenario, text string) []string {
	for w := range stems(text) {
		w = matchStem(w)
		if c, ok := s.concept[w]; ok {
			w = c
		}
		dst = append(dst, w)
	}
	return dst
}

// specific reports whether the concepts hold a word beyond the generic
// words of questions ("problem", "cost", "hardest"...).
func specific(concepts []string) bool {
	for _, c := range concepts {
		if !genericWords[c] {
			return true
		}
	}
	return false
}

// score is how well a question's concepts (and its words, for phrases)
// match fact i.
func (s *Scenario) score(i int, concepts, words []string) float64 {
	b := &s.bags[i]
	total := 0.0
	for _, c := range concepts {
		total += b.weights[c]
	}
	for _, p := range b.phrases {
		all := true
		for _, c := range p.concepts {
			if !hasWord(words, c) {
				all = false
				break
			}
		}
		if all {
			total += p.weight
		}
	}
	return total
}

// matchStem is the matcher's stemmer: a little deeper than stem, so that
// "dispatchers" meets "dispatch" and "worried" meets "worry".
func matchStem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	for _, suf := range []string{"ings", "ing", "ers", "ies", "ied", "er", "ed", "es", "s", "ly"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			switch suf {
			case "ies", "ied":
				return w[:len(w)-3] + "y"
			case "s":
				if strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") {
					return w
				}
			}
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// repeatPhrases ask the customer to say it again.
var repeatPhrases = []string{
	"say that again", "say it again", "repeat that", "repeat it", "repeat what you said", "repeat the last",
	"come again", "pardon", "didn't catch", "did not catch", "didnt catch", "missed that", "didn't get that",
	"didnt get that", "what was that", "one more time", "say again", "you cut out", "you broke up",
}

// isRepeatRequest reports whether text asks the customer to repeat themselves.
func isRepeatRequest(text string) bool {
	if len(text) > 80 {
		return false // a request to repeat is short
	}
	low := strings.ToLower(text)
	for _, p := range repeatPhrases {
		if strings.Contains(low, p) {
			return true
		}
	}
	return false
}

// A FactMatch is how well a question matches one fact.
type FactMatch struct {
	Fact  string
	Score float64
}

// MatchFacts scores text against every fact with a score above 0, best
// first, for authors checking why a question gets the fact it gets.
func (s *Scenario) MatchFacts(text string) []FactMatch {
	cs := s.conceptsOf(nil, text)
	ws := allConcepts(nil, s, text)
	var out []FactMatch
	for i, f := range s.Facts {
		if sc := s.score(i, cs, ws); sc > 0 {
			out = append(out, FactMatch{f.ID, float64(int(sc*100+0.5)) / 100})
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Score > out[j-1].Score; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
