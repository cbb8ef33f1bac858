package classify

import (
	"slices"
	"strings"
	"sync"
)

// Normalisation turns a trainee turn into tokens: lower case, contractions
// expanded ("can't" → can not), a light stem ("trucks" → truck, "pricing" and
// "price" → pric), numbers read as values, and unknown words of four letters
// or more mapped to a known word one edit away, so "budjet" still reads as
// budget. Every token keeps the byte span of the word it came from, so cues
// are shown as the trainee typed them.

// Reserved token ids; words start at firstWordID.
const (
	unknownID int32 = iota
	numID           // a number, its value in token.num
	prodID          // one of Vocabulary.Product
	compID          // one of Vocabulary.Competitors
	termID          // one of Vocabulary.Terms
	firstWordID
)

type token struct {
	id         int32
	start, end int32 // byte span in the classified text
	num        float64
	flags      uint8
}

const (
	tClause  uint8 = 1 << iota // first token of a clause (after , ; : — or a sentence start)
	tSentEnd                   // a sentence ends after this token
	tQMark                     // a question mark follows this token
	tSkip                      // merged into a vocabulary token before it
)

// A lexicon maps words to stem ids. It is built once and only read after.
type lexicon struct {
	ids       map[string]int32 // stem → id
	stems     []string         // id → stem
	surface   map[string]int32 // known lower-case word → stem id
	freq      []int32          // id → how often the stem was seen while building
	deletes   map[string]int32 // a known word with one letter deleted → best index in typoWords
	typoWords []string         // known words that typos are corrected to
	// contractions and chat spellings expanded to several words.
	contractions map[string][]int32
	numbers      map[string]float64
}

func newLexicon() *lexicon {
	lx := &lexicon{
		ids:          map[string]int32{},
		surface:      map[string]int32{},
		contractions: map[string][]int32{},
		numbers:      map[string]float64{},
	}
	for _, s := range []string{"<unk>", "<num>", "<product>", "<competitor>", "<term>"} {
		lx.ids[s] = int32(len(lx.stems))
		lx.stems = append(lx.stems, s)
		lx.freq = append(lx.freq, 0)
	}
	for w, exp := range typoTable {
		lx.contractions[w] = []int32{lx.add(exp)}
	}
	for w, exp := range contractionTable {
		ids := make([]int32, 0, 2)
		for _, e := range strings.Fields(exp) {
			ids = append(ids, lx.add(e))
		}
		lx.contractions[w] = ids
	}
	for i, w := range strings.Fields(numberWords) {
		lx.numbers[w] = numberValues[i]
	}
	return lx
}

// add interns a lower-case surface word and returns its stem id.
func (lx *lexicon) add(w string) int32 {
	if id, ok := lx.surface[w]; ok {
		lx.freq[id]++
		return id
	}
	st := string(stemWord([]byte(w)))
	id, ok := lx.ids[st]
	if !ok {
		id = int32(len(lx.stems))
		lx.ids[st] = id
		lx.stems = append(lx.stems, st)
		lx.freq = append(lx.freq, 0)
	}
	lx.surface[w] = id
	lx.freq[id]++
	return id
}

// mustID returns the id of a word that the lexicon is known to hold.
func (lx *lexicon) mustID(w string) int32 { return lx.add(w) }

// buildTypoIndex indexes every known word of four letters or more by its
// one-letter deletions, keeping the most frequent word per key so the
// correction is deterministic.
func (lx *lexicon) buildTypoIndex() {
	words := make([]string, 0, len(lx.surface))
	for w := range lx.surface {
		if len(w) >= 4 && allLetters(w) {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	lx.typoWords = words
	lx.deletes = make(map[string]int32, len(words)*6)
	better := func(a, b int32) bool { // is word a better than word b
		fa, fb := lx.freq[lx.surface[words[a]]], lx.freq[lx.surface[words[b]]]
		if fa != fb {
			return fa > fb
		}
		return a < b
	}
	for i, w := range words {
		for k := 0; k < len(w); k++ {
			d := w[:k] + w[k+1:]
			if old, ok := lx.deletes[d]; !ok || better(int32(i), old) {
				lx.deletes[d] = int32(i)
			}
		}
	}
}

func allLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}

// lookup returns the id of a lower-cased word (and its value for numbers).
// w and tmp are scratch: w may be modified.
func (lx *lexicon) lookup(w []byte, tmp *[]byte) (int32, float64) {
	if v, ok := parseNumber(w); ok {
		return numID, v
	}
	if v, ok := lx.numbers[string(w)]; ok {
		return numID, v
	}
	if id, ok := lx.surface[string(w)]; ok {
		return id, 0
	}
	*tmp = append((*tmp)[:0], w...)
	if id, ok := lx.ids[string(stemWord(*tmp))]; ok {
		return id, 0
	}
	return lx.correct(w, tmp), 0
}

// correct maps an unknown word to a known word one edit away, preferring
// frequent words: a letter left out or doubled ("manyy"), two neighbours
// swapped ("waht"), or, in words of five letters or more, one letter
// changed ("budjet"). Short real words are too easily turned into other
// real words ("home" → "come") to change their letters.
func (lx *lexicon) correct(w []byte, tmp *[]byte) int32 {
	id, _ := lx.correction(w, tmp)
	return id
}

// correction is correct with the known word chosen, as typed in the corpus.
func (lx *lexicon) correction(w []byte, tmp *[]byte) (int32, string) {
	if len(w) == 3 {
		return lx.correctShort(w, tmp)
	}
	if len(w) < 4 {
		return unknownID, ""
	}
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return unknownID, ""
		}
	}
	best, bestWord := unknownID, ""
	consider := func(id int32, word string) {
		if best == unknownID || lx.freq[id] > lx.freq[best] || (lx.freq[id] == lx.freq[best] && id < best) {
			best, bestWord = id, word
		}
	}
	if i, ok := lx.deletes[string(w)]; ok { // a letter left out
		consider(lx.surface[lx.typoWords[i]], lx.typoWords[i])
	}
	for k := range w {
		d := append((*tmp)[:0], w[:k]...)
		d = append(d, w[k+1:]...)
		*tmp = d
		if len(d) >= 4 {
			if id, ok := lx.surface[string(d)]; ok { // a letter too many
				consider(id, string(d))
			}
		}
		if i, ok := lx.deletes[string(d)]; ok { // a letter changed or swapped
			if c := lx.typoWords[i]; len(c) == len(w) && (swapped(w, c) || len(w) >= 5) {
				consider(lx.surface[c], c)
			}
		}
	}
	return best, bestWord
}

// netWord is the network's fallback for a token its vocabulary lacks: the
// known corpus word one edit away ("netwrok" -> "network", "hwo" -> "how"),
// as the rules read it, or "". Training and inference use the same.
func (lx *lexicon) netWord(tok string) string {
	if len(tok) < 3 || len(tok) > 24 {
		return ""
	}
	if _, ok := lx.surface[tok]; ok {
		return "" // a corpus word the vectors lack: no better guess
	}
	tmp := netScratch.Get().(*[]byte)
	_, w := lx.correction([]byte(tok), tmp)
	netScratch.Put(tmp)
	return w
}

// netScratch lends netWord its buffer: the network asks for every word it
// lacks (a product name, a typo), on every line.
var netScratch = sync.Pool{New: func() any { b := make([]byte, 0, 32); return &b }}

// correctShort reads a three-letter word typed with two neighbouring
// letters swapped ("hwo", "teh"), the commonest slip in short words, as the
// most frequent known word it can be.
func (lx *lexicon) correctShort(w []byte, tmp *[]byte) (int32, string) {
	best, bestWord := unknownID, ""
	for k := 0; k+1 < len(w); k++ {
		if w[k] == w[k+1] || w[k] < 'a' || w[k] > 'z' || w[k+1] < 'a' || w[k+1] > 'z' {
			continue
		}
		d := append((*tmp)[:0], w...)
		d[k], d[k+1] = d[k+1], d[k]
		*tmp = d
		if id, ok := lx.surface[string(d)]; ok && (best == unknownID || lx.freq[id] > lx.freq[best]) {
			best, bestWord = id, string(d)
		}
	}
	return best, bestWord
}

// swapped reports whether b is a with two neighbouring letters swapped.
func swapped(a []byte, b string) bool {
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && string(a[i+2:]) == b[i+2:]
}

func parseNumber(w []byte) (float64, bool) {
	if len(w) == 0 || w[0] < '0' || w[0] > '9' {
		return 0, false
	}
	v, frac, scale := 0.0, false, 1.0
	for i, c := range w {
		switch {
		case c >= '0' && c <= '9':
			if frac {
				scale /= 10
				v += float64(c-'0') * scale
			} else {
				v = v*10 + float64(c-'0')
			}
		case c == ',' && !frac:
		case c == '.' && !frac:
			frac = true
		case (c == 's' || c == 'n' || c == 'r' || c == 't') && i > 0 && i+2 == len(w) && isOrdinal(w[i:]):
			return v, true // 1st, 2nd, 3rd, 14th
		case (c == 'a' || c == 'p') && i > 0 && i+2 == len(w) && w[i+1] == 'm':
			return v, true // 10am, 2pm
		case c == 'k' || c == 'm': // 20k, 2m
			mult := 1000.0
			if c == 'm' {
				mult = 1e6
			}
			v *= mult
		default:
			return 0, false
		}
	}
	return v, true
}

// stemWord strips common English suffixes in place so that inflections
// share a stem. It is deliberately light: the same function stems cue
// patterns and trainee text, so consistency matters more than linguistics.
func stemWord(b []byte) []byte {
	n := len(b)
	if n <= 3 || stemKeep[string(b)] {
		return b
	}
	b = americanSpelling(b)
	n = len(b)
	switch {
	case n > 4 && hasSuffix(b, "ies"):
		b = b[:n-2]
		b[len(b)-1] = 'y'
	case hasSuffix(b, "sses") || hasSuffix(b, "shes") || hasSuffix(b, "ches") || hasSuffix(b, "xes"):
		b = b[:n-2]
	case n-3 >= 3 && hasSuffix(b, "ing"):
		b = undouble(b[:n-3])
	case n-2 >= 3 && hasSuffix(b, "ed"):
		b = undouble(b[:n-2])
	case b[n-1] == 's' && b[n-2] != 's' && b[n-2] != 'u' && b[n-2] != 'i':
		b = b[:n-1]
	}
	if n := len(b); n >= 4 && b[n-1] == 'e' && b[n-2] != 'e' {
		b = b[:n-1]
	}
	return b
}

// americanSpelling rewrites the British spellings of a word in place so both
// spellings share a stem: "organise", "organising", "organisation" read as
// organize..., "colour" as color, "programme" as program, "licence" as
// license, "centre" as center.
func americanSpelling(b []byte) []byte {
	n := len(b)
	for _, suf := range [...]string{"ise", "ised", "ises", "ising", "isation", "isations", "iser", "isers"} {
		if n-len(suf) >= 4 && hasSuffix(b, suf) {
			b[n-len(suf)+1] = 'z'
			return b
		}
	}
	switch {
	case n >= 6 && (hasSuffix(b, "our") || hasSuffix(b, "ours")) && !hasSuffix(b, "tour") && !hasSuffix(b, "tours"):
		k := n - 2
		if b[n-1] == 's' {
			k--
		}
		return append(b[:k], b[k+1:]...) // colour → color, behaviours → behaviors
	case n >= 6 && (hasSuffix(b, "tre") || hasSuffix(b, "tres")) && b[n-4] != 'e' && b[n-4] != 'a':
		k := n - 2
		if b[n-1] == 's' {
			k--
		}
		b[k-1], b[k] = 'e', 'r' // centre → center, litres → liters
		return b
	case hasSuffix(b, "programme") || hasSuffix(b, "programmes"):
		k := len(b) - len("me")
		if b[len(b)-1] == 's' {
			k--
		}
		return append(b[:k], b[k+2:]...)
	case hasSuffix(b, "licence") || hasSuffix(b, "licences") || hasSuffix(b, "defence") || hasSuffix(b, "offence"):
		k := len(b) - 2
		if b[len(b)-1] == 's' {
			k--
		}
		b[k] = 's'
		return b
	}
	return b
}

// stemKeep lists words whose stem would collide with an unrelated word
// ("timing" → tim, like "time").
var stemKeep = map[string]bool{"timing": true, "timings": true, "during": true, "morning": true, "evening": true, "thing": true, "things": true, "nothing": true, "something": true, "anything": true, "everything": true, "news": true, "process": true, "noted": true}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func undouble(b []byte) []byte {
	n := len(b)
	if n >= 3 && b[n-1] == b[n-2] && strings.IndexByte("bgmnprt", b[n-1]) >= 0 {
		return b[:n-1]
	}
	return b
}

// tokenize appends the tokens of text to s.toks.
func (lx *lexicon) tokenize(text string, s *scratch) {
	s.toks = s.toks[:0]
	clause := true
	i := 0
	for i < len(text) {
		c := text[i]
		if n := wordLen(text, i); n > 0 {
			j := i + n
			s.buf = s.buf[:0]
			for k := i; k < j; k++ {
				b := text[k]
				switch {
				case b >= 'A' && b <= 'Z':
					b += 'a' - 'A'
				case b == 0xE2 && k+2 < j && text[k+1] == 0x80 && text[k+2] == 0x99: // ’
					b = '\''
					k += 2
				}
				s.buf = append(s.buf, b)
			}
			before := len(s.toks)
			lx.appendWord(s, s.buf, int32(i), int32(j))
			if clause && len(s.toks) > before {
				s.toks[before].flags |= tClause
				clause = false
			}
			// "e.g." and friends do not end a sentence.
			if j < len(text) && text[j] == '.' && abbreviations[string(s.buf)] {
				j++
			}
			i = j
			continue
		}
		switch {
		case c == '.' || c == '!' || c == '?' || c == '\n':
			if k := len(s.toks); k > 0 {
				s.toks[k-1].flags |= tSentEnd
				if c == '?' {
					s.toks[k-1].flags |= tQMark
				}
			}
			clause = true
		case c == 0xE2 && i+2 < len(text) && text[i+1] == 0x80:
			switch text[i+2] {
			case 0xA6: // …
				if k := len(s.toks); k > 0 {
					s.toks[k-1].flags |= tSentEnd
				}
			case 0x93, 0x94, 0x9C, 0x9D: // – — “ ”
			default:
				i++
				continue
			}
			clause = true
			i += 3
			continue
		case c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '"':
			clause = true
		case c == '-' || c == '/':
			// Inside a word ("go-live", "and/or") it only separates words.
			if !(i > 0 && isAlnum(text[i-1]) && i+1 < len(text) && isAlnum(text[i+1])) {
				clause = true
			}
		case c == '%':
			s.toks = append(s.toks, token{id: lx.percentID(), start: int32(i), end: int32(i + 1)})
		case c == '&':
			s.toks = append(s.toks, token{id: lx.surface["and"], start: int32(i), end: int32(i + 1)})
		}
		i++
	}
}

func (lx *lexicon) percentID() int32 { return lx.surface["percent"] }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// wordLen returns the byte length of the word starting at i, or 0.
func wordLen(text string, i int) int {
	if !isWordStart(text, i) {
		return 0
	}
	j := i
	for j < len(text) {
		c := text[j]
		switch {
		case isAlnum(c):
			j++
		case c == '\'' && j > i && j+1 < len(text) && isAlnum(text[j+1]):
			j++
		case c == 0xE2 && j+3 < len(text) && text[j+1] == 0x80 && text[j+2] == 0x99 && j > i && isAlnum(text[j+3]):
			j += 3
		case (c == '.' || c == ',') && j > i && isDigit(text[j-1]) && j+1 < len(text) && isDigit(text[j+1]):
			j++
		case c == '.' && j > i && isLetter(text[j-1]) && j+1 < len(text) && isLetter(text[j+1]):
			j++ // e.g, i.e, fleetsight.com
		case c >= 0x80 && c != 0xE2:
			j++
		default:
			return j - i
		}
	}
	return j - i
}

func isWordStart(text string, i int) bool {
	c := text[i]
	return isAlnum(c) || c >= 0x80 && c != 0xE2
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// appendWord expands contractions and appends the word's tokens.
func (lx *lexicon) appendWord(s *scratch, w []byte, start, end int32) {
	push := func(id int32, v float64) {
		s.toks = append(s.toks, token{id: id, start: start, end: end, num: v})
	}
	if exp, ok := lx.contractions[string(w)]; ok {
		for _, id := range exp {
			push(id, 0)
		}
		return
	}
	if k := lastIndexByte(w, '\''); k > 0 {
		base, suf := w[:k], string(w[k:])
		var extra int32 = -1
		switch suf {
		case "'t":
			if len(base) > 1 && base[len(base)-1] == 'n' {
				base = base[:len(base)-1]
				extra = lx.surface["not"]
			}
		case "'re":
			extra = lx.surface["are"]
		case "'ve":
			extra = lx.surface["have"]
		case "'ll":
			extra = lx.surface["will"]
		case "'d":
			extra = lx.surface["would"]
		case "'m":
			extra = lx.surface["am"]
		}
		if exp, ok := lx.contractions[string(base)]; ok {
			for _, id := range exp {
				push(id, 0)
			}
		} else {
			id, v := lx.lookup(base, &s.tmp)
			push(id, v)
		}
		if extra >= 0 {
			push(extra, 0)
		}
		return
	}
	id, v := lx.lookup(w, &s.tmp)
	push(id, v)
}

func lastIndexByte(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}

var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "vs": true, "mr": true, "mrs": true, "ms": true,
	"dr": true, "approx": true, "inc": true, "ltd": true, "no": false,
}

// contractionTable expands contractions, including the apostrophe-less
// spellings people type in chat, and a few chat abbreviations.
var contractionTable = map[string]string{
	"can't": "can not", "cant": "can not", "cannot": "can not", "won't": "will not", "wont": "will not",
	"don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not",
	"didn't": "did not", "didnt": "did not", "isn't": "is not", "isnt": "is not",
	"aren't": "are not", "arent": "are not", "wasn't": "was not", "wasnt": "was not",
	"weren't": "were not", "werent": "were not", "haven't": "have not", "havent": "have not",
	"hasn't": "has not", "hasnt": "has not", "hadn't": "had not", "hadnt": "had not",
	"wouldn't": "would not", "wouldnt": "would not", "couldn't": "could not", "couldnt": "could not",
	"shouldn't": "should not", "shouldnt": "should not", "mustn't": "must not", "ain't": "is not",
	"shan't": "shall not",
	"i'm":    "i am", "im": "i am", "i've": "i have", "ive": "i have", "i'll": "i will", "ill": "i will",
	"i'd": "i would", "you're": "you are", "youre": "you are", "you've": "you have", "youve": "you have",
	"you'll": "you will", "youll": "you will", "you'd": "you would", "we're": "we are",
	"we've": "we have", "weve": "we have", "we'll": "we will", "we'd": "we would",
	"they're": "they are", "theyre": "they are", "they've": "they have", "they'll": "they will",
	"they'd": "they would", "it's": "it is", "that's": "that is", "thats": "that is",
	"what's": "what is", "whats": "what is", "who's": "who is", "whos": "who is",
	"where's": "where is", "wheres": "where is", "how's": "how is", "hows": "how is",
	"when's": "when is", "whens": "when is", "why's": "why is",
	"there's": "there is", "theres": "there is", "here's": "here is", "heres": "here is",
	"let's": "let us", "lets": "let us", "he's": "he is", "she's": "she is",
	"that'll": "that will", "it'll": "it will", "there'll": "there will", "who'd": "who would",
	"what're": "what are", "how'd": "how did", "what'd": "what did", "y'all": "you",
	"gonna": "going to", "wanna": "want to", "gotta": "got to", "lemme": "let me", "gimme": "give me",
	"u": "you", "ur": "your", "r": "are", "ya": "you", "yr": "your", "thx": "thanks", "ty": "thanks",
	"pls": "please", "plz": "please", "cuz": "because", "coz": "because", "bc": "because",
	"tmrw": "tomorrow", "tmr": "tomorrow", "abt": "about", "wrt": "about", "w": "with",
	"kinda": "kind of", "sorta": "sort of", "dunno": "do not know", "ok": "okay", "k": "okay",
	"pct": "percent", "per-cent": "percent", "govt": "government", "mgmt": "management",
	"demo'd": "demoed", "q's": "questions",
	// Chat and texting spellings.
	"wat": "what", "wut": "what", "wot": "what", "wats": "what is", "wud": "would", "wld": "would",
	"cud": "could", "cld": "could", "shud": "should", "shld": "should", "hafta": "have to",
	"mins": "minutes", "hrs": "hours", "hr": "hour", "wk": "week", "wks": "weeks", "mth": "month",
	"mths": "months", "b4": "before", "atm": "at the moment", "rn": "right now", "tbh": "to be honest",
	"idk": "i do not know", "btw": "by the way", "imo": "in my opinion", "thru": "through",
	"tho": "though", "ppl": "people", "thnx": "thanks", "thanx": "thanks", "tx": "thanks",
	"ofc": "of course", "obvs": "obviously", "prob": "probably", "def": "definitely",
	"cos": "because", "bcoz": "because", "bcuz": "because", "2day": "today", "2moro": "tomorrow",
	"2morrow": "tomorrow", "tmw": "tomorrow", "nxt": "next", "convo": "conversation", "shd": "should",
	"wanted2": "wanted to", "gotcha": "got you", "np": "no problem", "wdyt": "what do you think",
	"til": "till", "fri": "friday", "thurs": "thursday", "thur": "thursday", "tues": "tuesday",
	"weds": "wednesday", "mgr": "manager", "dept": "department", "qtr": "quarter", "yrs": "years",
	"biz": "business", "acct": "account", "appt": "appointment", "rly": "really", "smth": "something",
	"sth": "something", "bout": "about", "gud": "good", "gr8": "great", "cn": "can", "hld": "hold",
}

// typoTable reads the commonest chat misspellings of frequent words as the
// words meant, for the rules and the network alike (see netAliases). The
// corpus has them too, and a typo seen twice there would otherwise be learnt
// as a word of its own ("hwo", never a question word). Only strings that
// are no English word are listed.
var typoTable = map[string]string{
	"hwo": "how", "hw": "how", "waht": "what", "wht": "what", "whta": "what", "whcih": "which",
	"wich": "which", "whihc": "which", "wehn": "when", "whne": "when", "whr": "where",
	"wehre": "where", "whre": "where", "teh": "the", "hte": "the", "adn": "and", "yuo": "you",
	"yoru": "your", "yuor": "your", "yur": "your", "hv": "have", "hve": "have", "hvae": "have",
	"cna": "can", "mny": "many", "manny": "many", "meny": "many", "mnay": "many", "amny": "many",
	"tht": "that", "taht": "that", "thta": "that", "ths": "this", "tihs": "this", "thsi": "this",
	"becuase": "because", "becasue": "because", "wnat": "want", "nned": "need",
	"pepole": "people", "poeple": "people", "budjet": "budget", "bugdet": "budget", "buget": "budget",
	"budegt": "budget", "bdgt": "budget", "netwrok": "network", "netowrk": "network", "ntwork": "network",
	"netwrk": "network", "ntwrk": "network", "nework": "network", "netwok": "network", "wfi": "wifi",
	"wifii": "wifi", "conection": "connection", "connetion": "connection", "conneciton": "connection",
	"recieve": "receive", "seperate": "separate", "definately": "definitely", "probelm": "problem",
	"porblem": "problem", "prolem": "problem", "custmer": "customer", "cusomer": "customer",
	"custmers": "customers", "delivry": "delivery", "deliviery": "delivery", "shedule": "schedule",
	"schedual": "schedule", "sytem": "system", "systme": "system", "invocie": "invoice",
	"invocies": "invoices", "procurment": "procurement", "aproval": "approval", "decsion": "decision",
	"desicion": "decision", "timline": "timeline", "dealine": "deadline", "contarct": "contract",
	"contrct": "contract", "cntrct": "contract", "dmeo": "demo", "woudl": "would", "wuold": "would",
	"coud": "could", "shoud": "should", "mesure": "measure", "sucess": "success", "succes": "success",
}

const numberWords = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred"

var numberValues = []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 40, 50, 60, 70, 80, 90, 100}

func isOrdinal(s []byte) bool {
	switch string(s) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}
