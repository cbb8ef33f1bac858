// Package classify reads a trainee turn as sales acts. Hand-written cue
// patterns (corpus/cues.txt) read the structure of each sentence (clauses,
// the question flag, negation scope, conditional trades, percentages,
// vocabulary names) and score every act; a small convolutional network
// over word vectors (package nn, trained offline by `roleplay train` and
// embedded) takes the sentence and those scores and decides the acts. When
// it is not sure the sentence is Unclear, not a guess. A *Classifier is a
// sim.Reader; Version names its behaviour (code, cues, corpus, model and
// vector bytes, constants), so every stored turn says which classifier
// read it.
package classify

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify/nn"
)

// The classifier works in two layers:
//
//   - hand-written cue patterns carry the sales knowledge and the sentence
//     structure, and give most acts their explanation (the cues);
//   - the network reads the words in order, with the pattern scores as
//     extra inputs, and gives every act a calibrated probability.
//
// Negation ("I can't lower the price"), hedges ("maybe later") and
// conditions ("if you sign for two years") are read from the words around a
// pattern match; an act whose every cue was negated is not reported, however
// sure the network is.

// Rule constants.
const (
	negationWindow = 5   // tokens looked back for a negation
	dominateMargin = 0.1 // how much stronger an overlapping cue must be to silence another
	genericCue     = 0.5 // weaker cues are generic ("do you have")...
	specificCue    = 0.7 // ...and give way to a specific cue of another question act
	maxCues        = 3   // cues reported per detection
	otherFloor     = 0.5 // least confidence of an Other detection
	strongSummary  = 0.7 // a sentence this clearly a summary restates, it does not ask
	smallTalk      = 0.9 // an "other" cue this strong ("how are you") makes a sentence small talk
)

// Decision thresholds, on the network's calibrated probabilities.
const (
	actThreshold float32 = 0.5 // an act at least this probable is reported
	// The costly reads (a dismissive or pushy remark, a free concession)
	// cost the trainee trust or value; less probable than this they are
	// Unclear.
	costlySure float32 = 0.6
	// When no act reaches actThreshold the most probable act is the
	// reading (on the evaluation sets it is right three times in four
	// from 0.3 up, about one in two below 0.2), unless even it is less
	// probable than this: then the line is Unclear.
	unclearBelow float32 = 0.1
	// In a line of several sentences, an act whose cues in one sentence
	// are this strong is reported even if the network, reading the whole
	// line, does not see it ("oh no, the wrong saturday! what does that
	// cost you" is empathy too).
	ruleSure = 0.7
	// A sentence with a strong small-talk cue ("hi", "fine", "thanks")
	// keeps a sales act without a cue of its own only when the network is
	// this sure of it: "fine, I can do 20k per plant" is a concession.
	smallTalkSure float32 = 0.9
)

// A Classifier finds sales acts in trainee text. It is read-only after
// construction, so one Classifier serves any number of goroutines.
type Classifier struct {
	lex         *lexicon
	pats        *patternSet
	net         *nn.Ensemble
	stop        []bool          // token id → a stop word, never shown as a cue
	stopTok     map[string]bool // the same as the network's tokens
	class       []uint16        // token id → word classes
	ids         struct{ not, percent, and, or, only, just, never, ifID, unless, been int32 }
	off         []bool    // token id → a word that marks a percentage as a discount ("off")
	premiseWord []bool    // token id → opens a supposition ("say", "suppose", "if")
	greeting    []bool    // token id → a greeting that may be glued to a question ("hi rosa how many...")
	fronts      [][]int32 // frontPhrases as token ids
	pool        sync.Pool
	version     string
}

// Word classes used by the sentence analysis.
const (
	clsWh uint16 = 1 << iota
	clsAux
	clsSubject
	clsLeader
	clsConnector
	clsNegator
	clsTag
	clsQuantifier
	clsPronoun  // a subject pronoun: "what you said" is not a question
	clsArticle  // a, an
	clsHave     // have, has, had: "have a good one" asks nothing
	clsNotAsked // words after a modal that make a statement: "would love to"
	clsDeterminer
	clsCloseVerb // verbs of a close that are nouns after a determiner: "the schedule"
)

var wordClasses = []struct {
	cls   uint16
	words string
}{
	{clsWh, "what how who which where when why whose whom"},
	{clsAux, "do does did is are was were can could would will should shall have has had may might am"},
	{clsSubject, "you your we they it that this there the i he she anyone anybody anything someone something everyone everything any all my our his her their a an people these those"},
	{clsPronoun, "i you we they he she"},
	{clsArticle, "a an"},
	{clsHave, "have has had"},
	{clsNotAsked, "be love like need do say help bet guess imagine also totally definitely probably happily gladly absolutely really just certainly still never always recommend suggest"},
	{clsLeader, "roughly approximately ballpark so and but okay right well just also now then great cool yeah yes sure hey hi hello alright gotcha perfect thanks thank understood interesting honestly oh um uh hmm actually basically quick question out of curiosity awesome nice look listen anyway first second next lastly finally"},
	{clsConnector, "and but so or then also plus"},
	{clsNegator, "not no never nor without hardly neither"},
	{clsTag, "right correct yeah yes no okay true agreed fair"},
	{clsQuantifier, "many much long often soon big large quickly fast far frequently about else kind type sort exactly specifically"},
	{clsDeterminer, "the a an your our their this that my his her its whole same every each"},
	{clsCloseVerb, "book schedule arrange organise organize set lock find send draft prepare line raise plan setup"},
}

// discountWords next to a percentage make it the size of a discount: in
// "our platform saves 20%, and I can take 10% off" the offer is 10%.
const discountWords = "off discount discounted reduction rebate cheaper lower less knock take shave give discount"

// stopWords carry no sales meaning of their own. They are never shown
// as a cue.
const stopWords = "a an the at on in of to for with by from into about as and or but so if then than " +
	"is are was were be been being am do does did doing have has had having " +
	"i you we they he she it its me us them him her my your our their his this that these those there here " +
	"not no just like um uh er oh yeah yes ok okay well really very quite actually basically " +
	"can could would will should shall may might must " +
	"up out off over any some all also too still even get got"

// frontPhrases may stand before the question word of a question without
// making a clause of their own: "at the end of the day, who makes the call".
var frontPhrases = []string{
	"at the end of the day", "in the end", "when all is said and done", "realistically",
	"ultimately", "practically", "in practice", "in reality", "from your side", "on your side",
	"on your end", "from your end", "from your perspective", "in your view", "in your opinion",
	"in your experience", "if you had to guess", "out of interest", "just out of interest",
}

// greetingWords open a chat line, often glued to a name and a question
// with no comma: "hi rosa how many shops do you have".
const greetingWords = "hi hey hello hiya heya howdy yo morning evening afternoon gm greetings"

// premiseWords open a supposition that belongs to the question after it:
// "say the backlog keeps growing, what does winter look like".
const premiseWords = "if say suppose supposing imagine assuming"

var (
	defaultOnce       sync.Once
	defaultClassifier *Classifier
)

// Default returns a classifier built once per process and shared; it is
// safe for concurrent use.
func Default() *Classifier {
	defaultOnce.Do(func() { defaultClassifier = NewClassifier() })
	return defaultClassifier
}

// NewClassifier builds a classifier from the cue patterns, the corpus
// words and the model embedded in the binary. The same binary always
// builds the same classifier.
func NewClassifier() *Classifier {
	net, err := readNet(modelBytes)
	if err != nil {
		panic("classify: embedded model: " + err.Error()) // a build error, caught by the tests
	}
	c, err := newClassifier(cueSource, net, corpusSources()...)
	if err != nil {
		panic("classify: embedded classifier data: " + err.Error())
	}
	return c
}

// newClassifier builds a classifier; with a nil net it only computes the
// rules' features (for training).
func newClassifier(cues string, net *nn.Ensemble, train ...string) (*Classifier, error) {
	lx := newLexicon()
	for _, wc := range wordClasses {
		for _, w := range strings.Fields(wc.words) {
			lx.add(w)
		}
	}
	for _, w := range []string{"percent", "not", "and", "or", "only", "just", "never", "if", "unless", "been", "are", "have", "will", "would", "am"} {
		lx.add(w)
	}
	for _, w := range strings.Fields(discountWords + " " + premiseWords + " " + greetingWords) {
		lx.add(w)
	}
	var fronts [][]int32
	for _, p := range frontPhrases {
		var ids []int32
		for _, w := range strings.Fields(p) {
			ids = append(ids, lx.add(w))
		}
		fronts = append(fronts, ids)
	}
	ps, err := parsePatterns(lx, cues)
	if err != nil {
		return nil, err
	}
	var corpus []labelled
	for _, src := range train {
		part, err := parseCorpus(src)
		if err != nil {
			return nil, err
		}
		corpus = append(corpus, part...)
	}
	// Corpus words seen once may be typos ("manyy"): learn them only when
	// they are not one edit away from a word already known.
	counts := map[string]int{}
	var order []string
	for _, ex := range corpus {
		for _, w := range corpusWords(lx, ex.Text) {
			if counts[w] == 0 {
				order = append(order, w)
			}
			counts[w]++
		}
	}
	for _, w := range order {
		if counts[w] > 1 {
			lx.add(w)
		}
	}
	lx.buildTypoIndex()
	var tmp []byte
	for _, w := range order {
		if _, known := lx.surface[w]; !known && counts[w] == 1 && lx.correct([]byte(w), &tmp) == unknownID {
			lx.add(w)
		}
	}
	lx.buildTypoIndex()
	nIDs := int32(len(lx.stems))
	ps.index(int(nIDs))

	c := &Classifier{lex: lx, pats: ps, fronts: fronts, net: net, version: version(cues, train, bytes.Join(modelBytes, nil), vectorsBytes)}
	c.class = make([]uint16, nIDs)
	for _, wc := range wordClasses {
		for _, w := range strings.Fields(wc.words) {
			c.class[lx.surface[w]] |= wc.cls
		}
	}
	c.ids.not = lx.surface["not"]
	c.ids.percent = lx.surface["percent"]
	c.ids.and = lx.surface["and"]
	c.ids.or = lx.surface["or"]
	c.ids.only = lx.surface["only"]
	c.ids.just = lx.surface["just"]
	c.ids.never = lx.surface["never"]
	c.ids.ifID = lx.surface["if"]
	c.ids.unless = lx.surface["unless"]
	c.ids.been = lx.surface["been"]
	c.off = make([]bool, nIDs)
	for _, w := range strings.Fields(discountWords) {
		c.off[lx.surface[w]] = true
	}
	c.premiseWord = make([]bool, nIDs)
	for _, w := range strings.Fields(premiseWords) {
		c.premiseWord[lx.surface[w]] = true
	}
	c.greeting = make([]bool, nIDs)
	for _, w := range strings.Fields(greetingWords) {
		c.greeting[lx.surface[w]] = true
	}
	c.pool.New = func() any { return c.newScratch() }
	if net != nil {
		net.SetFallback(lx.netWord)
		net.Alias(typoTable)
	}

	c.stop = make([]bool, nIDs)
	c.stopTok = map[string]bool{}
	for _, w := range strings.Fields(stopWords) {
		if id, ok := lx.surface[w]; ok {
			c.stop[id] = true
		}
		c.stopTok[w] = true
	}
	return c, nil
}

// corpusWords lists the lower-case words of a corpus line as the lexicon
// would look them up (contractions and numbers left out).
func corpusWords(lx *lexicon, text string) []string {
	var out []string
	for i := 0; i < len(text); {
		n := wordLen(text, i)
		if n == 0 {
			i++
			continue
		}
		w := strings.ToLower(strings.ReplaceAll(text[i:i+n], "’", "'"))
		i += n
		if _, ok := lx.contractions[w]; ok {
			continue
		}
		if k := strings.LastIndexByte(w, '\''); k > 0 {
			if strings.HasSuffix(w, "n't") {
				k--
			}
			w = w[:k]
			if _, ok := lx.contractions[w]; ok {
				continue
			}
		}
		if _, ok := parseNumber([]byte(w)); ok {
			continue
		}
		if _, ok := lx.numbers[w]; ok {
			continue
		}
		out = append(out, w)
	}
	return out
}

// scratch is the per-call working memory, pooled so Classify allocates
// little and shares nothing.
type scratch struct {
	toks, sent   []token
	buf, tmp     []byte
	clause       []int32 // token → clause index
	clauseStart  []int32 // clause → first token
	clauseQ      []bool  // clause → asks something
	lead         []bool  // token starts a clause, after openers
	hits         []hit
	seen         []uint32
	gen          uint32
	dets         []detection
	spans        [][2]int32
	order        []int32
	splits       []int32
	sentenceNo   int32
	words        []string           // the segment as the network's tokens
	p            [modelActs]float32 // the network's probabilities
	extra        [numExtras]float32 // the rules' features of the segment
	pmax         [modelActs]float32 // the network's probabilities for the line (for tests)
	recs         []segment
	collect      bool               // training: only collect features...
	acc          [numExtras]float32 // ...the most of each over the segments
	score        [sim.NumActs]float64
	maxW         [sim.NumActs]float64
	interrogated [sim.NumActs]bool // the act has a cue in a question clause
	spinTop      []sim.Act         // clause → highest SPIN act with a specific cue
	summaryIn    []bool            // clause → holds a clear summary cue
	hedgeIn      []bool            // clause → holds a hedge ("maybe", "later")
}

type hit struct {
	pat        int32
	act        sim.Act
	w          float64
	start, end int32 // token span in the sentence
	from       int32 // start of the cue shown: a negation before the match, when negated
	negated    bool
	dropped    bool
}

type detection struct {
	sim.Detection
	sentence   int32
	spanOff    int32
	spanCount  int32
	sentStart  int32
	sentEnd    int32
	textLowers bool
}

func (c *Classifier) newScratch() *scratch {
	return &scratch{seen: make([]uint32, len(c.pats.pats))}
}

// Read splits a trainee turn into sentences and returns the acts found,
// strongest first (ties: sentence order, then act order), with small talk
// (Other) after every sales act. v may be nil.
func (c *Classifier) Read(text string, v *sim.Vocabulary) []sim.Detection {
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	c.read(text, v, s)
	return c.output(text, s)
}

// read classifies every sentence of text into s.
func (c *Classifier) read(text string, v *sim.Vocabulary, s *scratch) {
	s.dets, s.spans, s.sentenceNo, s.pmax = s.dets[:0], s.spans[:0], 0, [modelActs]float32{}
	s.recs, s.acc = s.recs[:0], [numExtras]float32{}
	c.lex.tokenize(text, s)
	start := 0
	for i := range s.toks {
		if s.toks[i].flags&tSentEnd != 0 || i == len(s.toks)-1 {
			c.sentence(text, s, start, i+1, v)
			start = i + 1
		}
	}
	if !s.collect {
		c.decide(text, s)
	}
}

// sentence splits run-ons ("so we do X and how do you handle Y") and
// classifies each part.
func (c *Classifier) sentence(text string, s *scratch, a, b int, v *sim.Vocabulary) {
	s.splits = append(s.splits[:0], int32(a))
	from := a
	if g := c.greetingEnd(s.toks[a:b]); g > 0 {
		from = a + g
		s.splits = append(s.splits, int32(from))
	}
	for k := from + 3; k < b-2; k++ {
		if dashBefore(text, s.toks[k-1].end, s.toks[k].start) && c.questionAt(s.toks[k:b], 0, true) {
			// "our tool plans the routes — how do you plan them today?"
			s.splits = append(s.splits, int32(k))
			k += 2
			continue
		}
		if c.class[s.toks[k].id]&clsConnector != 0 && c.questionAt(s.toks[k+1:b], 0, true) &&
			(s.toks[k].id != c.ids.or || c.lex.stems[s.toks[k+2].id] != "it") { // "or is it still early days" offers an alternative
			s.splits = append(s.splits, int32(k))
			k += 2
		}
	}
	s.splits = append(s.splits, int32(b))
	for i := 0; i+1 < len(s.splits); i++ {
		from, to := int(s.splits[i]), int(s.splits[i+1])
		end := int(s.toks[to-1].end)
		if to == b {
			end = punctEnd(text, end)
		}
		c.segment(text, s, from, to, int(s.toks[from].start), end, v)
	}
}

// dashBefore reports whether the gap text[a:b] between two words holds a
// dash that parts clauses: an em or en dash, or a hyphen with spaces round
// it.
func dashBefore(text string, a, b int32) bool {
	if a >= b { // the words of one contraction
		return false
	}
	gap := text[a:b]
	return strings.Contains(gap, "\u2014") || strings.Contains(gap, "\u2013") || strings.Contains(gap, " - ") || gap == " -" || gap == "- "
}

// punctEnd extends a sentence end over its closing punctuation.
func punctEnd(text string, e int) int {
	j := e
	for j < len(text) && text[j] == ' ' {
		j++
	}
	end := e
	for j < len(text) {
		switch {
		case text[j] == '?' || text[j] == '!' || text[j] == '.':
			j++
			end = j
			continue
		case strings.HasPrefix(text[j:], "…"):
			j += len("…")
			end = j
			continue
		}
		break
	}
	return end
}

// segment classifies the tokens s.toks[a:b], the sentence text[ts:te].
func (c *Classifier) segment(text string, s *scratch, a, b, ts, te int, v *sim.Vocabulary) {
	s.sent = append(s.sent[:0], s.toks[a:b]...)
	s.sent[0].flags |= tClause
	if v != nil {
		markNames(text[:te], ts, s.sent, v.Product, prodID)
		markNames(text[:te], ts, s.sent, v.Competitors, compID)
		markNames(text[:te], ts, s.sent, v.Terms, termID)
		s.sent = slices.DeleteFunc(s.sent, func(t token) bool { return t.flags&tSkip != 0 })
	}
	toks := s.sent
	c.matchPatterns(s, toks)
	question := c.analyseClauses(s, toks)
	conditional, hedged := c.filterHits(s, toks)
	percent := c.statedPercent(s, toks)
	if hedged && percent > 0 {
		for i := range s.hits {
			if s.hits[i].act == sim.Concession && s.hits[i].negated && s.hits[i].from == -2 {
				s.hits[i].negated = false
			}
		}
	}
	c.dominate(s)
	c.scoreActs(s)
	c.ruleFeatures(s, question, conditional, hedged)
	for i, x := range s.extra {
		s.acc[i] = max(s.acc[i], x)
	}
	if s.collect {
		return
	}
	if len(s.recs) == cap(s.recs) {
		s.recs = append(s.recs, segment{})
	} else {
		s.recs = s.recs[:len(s.recs)+1]
	}
	r := &s.recs[len(s.recs)-1]
	r.ts, r.te, r.question, r.conditional, r.percent = ts, te, question, conditional, percent
	r.toks = append(r.toks[:0], toks...)
	r.hits = append(r.hits[:0], s.hits...)
	r.extra, r.score, r.interrogated, r.maxPressure = s.extra, s.score, s.interrogated, s.maxW[sim.Pressure]
	r.named = [sim.NumActs]bool{}
	for _, h := range s.hits {
		if !h.dropped && !h.negated && h.act < modelActs && c.pats.pats[h.pat].named() {
			r.named[h.act] = true
		}
	}
	r.words = nn.AppendTokens(r.words[:0], text[ts:te])
}

// greetingEnd returns where the move starts after a greeting and a name at
// the start of a sentence ("hi rosa how many shops", "hey mike, so what
// tools", "hi mary jane what...", "hey ahmed the crm logs..."), or 0: the
// greeting is a sentence of its own, so what follows is read on its own.
func (c *Classifier) greetingEnd(toks []token) int {
	if len(toks) < 4 || !c.greeting[toks[0].id] {
		return 0
	}
	opens := func(t token) bool { return c.class[t.id]&(clsWh|clsAux|clsLeader|clsConnector) != 0 }
	if c.class[toks[1].id] != 0 || toks[2].flags&tClause != 0 {
		// "hi, how many", "hey so what", "hi this is sam", "hi rosa, how
		// many": no name, or a comma after it, and read as before
		return 0
	}
	i := 2
	if !opens(toks[i]) && toks[i].flags&tClause == 0 && i+1 < len(toks) && c.class[toks[i+1].id]&(clsWh|clsAux) != 0 {
		i++ // a name of two words
	}
	switch {
	case i >= len(toks)-1:
	case opens(toks[i]) && c.questionAt(toks, i, false):
		return i
	case i == 2 && c.class[toks[2].id]&(clsSubject|clsDeterminer) != 0:
		return i // "hey ahmed the crm logs every call", "hi sam we can take 10% off"
	}
	return 0
}

// A segment is what the rules read in one sentence (or one part of a
// run-on), kept for the decision over the whole line.
type segment struct {
	ts, te       int // the sentence text[ts:te]
	question     bool
	conditional  bool
	percent      float64
	toks         []token
	hits         []hit
	words        []string // as the network's tokens
	extra        [numExtras]float32
	score        [sim.NumActs]float64
	interrogated [sim.NumActs]bool
	maxPressure  float64
	named        [sim.NumActs]bool  // a cue with a vocabulary name found the act ("our FleetSight dashboard")
	p            [modelActs]float32 // the network on this segment alone (lines of several)
}

// decide reads the acts of the whole line: the network sees the line with
// the rules' features of all its sentences (as it was trained), and each
// act it finds is placed in the sentence the network finds it most in.
func (c *Classifier) decide(text string, s *scratch) {
	if len(s.recs) == 0 {
		return
	}
	s.words = nn.AppendTokens(s.words[:0], text)
	c.net.Predict(s.words, s.acc[:], s.p[:])
	p := &s.p
	s.pmax = s.p
	s.recs[0].p = s.p
	predicted := len(s.recs) == 1
	// segmentP runs the network on each sentence alone, once, when an
	// act's place is not clear from the cues.
	segmentP := func() {
		if predicted {
			return
		}
		predicted = true
		// Where an act goes is the first member's reading: the
		// ensemble decided what the line does.
		for i := range s.recs {
			r := &s.recs[i]
			c.net.Members[0].Predict(r.words, r.extra[:], r.p[:])
		}
	}
	negated := func(a sim.Act) bool {
		for i, n := range negatableActs {
			if n == a {
				return s.acc[a] == 0 && s.acc[xNegated+i] == 1
			}
		}
		return false
	}
	// What the rules rule out, whatever the network says: an act whose
	// every cue was negated. (Also ruling out qualifying outside a
	// question, as the rules alone did, cost 0.012 on blind4.)
	blocked := negated
	var emitted [sim.NumActs]bool
	any, unsure := false, false
	for a := sim.Act(1); a < modelActs; a++ {
		named := false
		for i := range s.recs {
			named = named || s.recs[i].named[a]
		}
		segSure := false
		for i := range s.recs {
			r := &s.recs[i]
			segSure = segSure || len(s.recs) > 1 && r.score[a] >= ruleSure
		}
		switch {
		case named:
			// The scenario's names are the rules' knowledge: the network
			// never saw "FleetSight".
			emitted[a], any = true, true
			p[a] = max(p[a], actThreshold)
		case p[a] < actThreshold && !segSure:
		case blocked(a):
		case costly(a) && p[a] < costlySure && !(segSure && c.sureInSentence(s, a)):
			unsure = true
		default:
			emitted[a], any = true, true
		}
	}
	conditional := s.acc[xConditional] == 1
	if emitted[sim.Concession] && conditional {
		// The condition of a trade names what the buyer gives ("if you
		// introduce us", "provided you sign by Friday"); it is not a close
		// or a qualifying question unless asked as one.
		for _, a := range []sim.Act{sim.Close, sim.QualifyChampion, sim.QualifyAuthority, sim.QualifyTimeline, sim.QualifyProcess, sim.Pressure} {
			if !emitted[a] {
				continue
			}
			asked, strong := false, false
			for i := range s.recs {
				asked = asked || s.recs[i].interrogated[a]
				strong = strong || a == sim.Pressure && s.recs[i].maxPressure >= 0.8
			}
			if !asked && !strong {
				emitted[a] = false
			}
		}
	}
	// Nothing probable enough: the most probable act, if it is sure
	// enough and costs the trainee nothing; else Unclear, with the best
	// guess's cues.
	top := sim.Other
	for a := sim.Act(1); a < modelActs; a++ {
		if p[a] > p[top] && !blocked(a) {
			top = a
		}
	}
	verdict := sim.Other
	switch {
	case any:
	case unsure || p[top] < unclearBelow || costly(top):
		verdict = sim.Unclear
	case top != sim.Other:
		emitted[top], any = true, true
	}
	// Each act goes to the sentence whose cues show it, or, when none or
	// several do, to the one the network alone finds it most in.
	where := func(a sim.Act) int {
		cued, at := 0, 0
		for i := range s.recs {
			if s.recs[i].score[a] > 0 {
				cued, at = cued+1, i
			}
		}
		if cued == 1 || len(s.recs) == 1 {
			return at
		}
		segmentP()
		best := -1
		for i := range s.recs {
			if r := &s.recs[i]; (cued == 0 || r.score[a] > 0) && (best < 0 || r.p[a] > s.recs[best].p[a]) {
				best = i
			}
		}
		return best
	}
	var at [sim.NumActs]int
	for a := sim.Act(1); a < modelActs; a++ {
		if emitted[a] {
			at[a] = where(a)
			if r := &s.recs[at[a]]; r.extra[sim.Other] >= smallTalk && r.score[a] == 0 && !r.named[a] && p[a] < smallTalkSure {
				// small talk ("hi catherine, how are you") is not a sales
				// act the network half-recognises
				emitted[a] = false
			}
		}
	}
	unclearAt := -1
	if verdict == sim.Unclear {
		unclearAt = where(top)
	}
	// addDetection reads the segment's hits and words from s: lend them,
	// and take the scratch's own buffers back after.
	hits, words := s.hits, s.words
	defer func() { s.hits, s.words = hits, words }()
	for i := range s.recs {
		r := &s.recs[i]
		s.hits, s.words, s.extra = r.hits, r.words, r.extra
		base := sim.Detection{Sentence: text[r.ts:r.te], Question: r.question}
		sn := int32(i)
		found := false
		for a := sim.Act(1); a < modelActs; a++ {
			if !emitted[a] || at[a] != i {
				continue
			}
			found = true
			d := base
			d.Act, d.Confidence = a, round2(float64(p[a]))
			if a == sim.Concession {
				d.Conditional, d.Percent = r.conditional, r.percent
			}
			c.addDetection(s, d, a, sn, r.toks, text)
		}
		switch {
		case found:
		case i == unclearAt:
			d := base
			d.Act, d.Confidence = sim.Unclear, round2(1-float64(p[top]))
			c.addDetection(s, d, top, sn, r.toks, text)
		default:
			d := base
			d.Act, d.Confidence = sim.Other, round2(min(1, max(otherFloor, float64(p[sim.Other]))))
			c.addDetection(s, d, sim.Other, sn, r.toks, text)
		}
	}
}

// sureInSentence reports whether the network, reading alone a sentence
// whose cues of a are strong, is sure of a costly act: the line's other
// sentences ("I understand. I won't cut the price for one year. But if
// you sign for three, I can offer 8% off.") dilute it in the whole line.
func (c *Classifier) sureInSentence(s *scratch, a sim.Act) bool {
	var p [modelActs]float32
	for i := range s.recs {
		r := &s.recs[i]
		if r.score[a] < ruleSure {
			continue
		}
		c.net.Predict(r.words, r.extra[:], p[:])
		if p[a] >= costlySure {
			return true
		}
	}
	return false
}

// costly acts cost the trainee when read: they need a sure network.
func costly(a sim.Act) bool {
	return a == sim.Dismissive || a == sim.Pressure || a == sim.Concession
}

func negatable(a sim.Act) bool { return a.Negatable() }

func (s *scratch) hasNegated(a sim.Act) bool {
	for _, h := range s.hits {
		if h.act == a && h.negated {
			return true
		}
	}
	return false
}

// markNames replaces the tokens of each vocabulary name found in
// text[from:] by one token with the given id. Matching ignores case and
// needs word boundaries; a name may span several words.
func markNames(text string, from int, toks []token, names []string, id int32) {
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		lead := lowerASCII(name[0])
		for p := from; p+len(name) <= len(text); p++ {
			if p > 0 && isAlnum(text[p-1]) {
				continue
			}
			// Two ASCII letters that differ but for case cannot fold
			// to one another; anything else is left to EqualFold.
			if c := text[p]; c < utf8.RuneSelf && lead < utf8.RuneSelf && lowerASCII(c) != lead {
				continue
			}
			if !strings.EqualFold(text[p:p+len(name)], name) {
				continue
			}
			e := p + len(name)
			if e < len(text) && isAlnum(text[e]) {
				continue
			}
			first := -1
			for k := range toks {
				t := &toks[k]
				if t.flags&tSkip != 0 || int(t.start) < p || int(t.start) >= e || t.id == prodID || t.id == compID || t.id == termID {
					continue
				}
				if first < 0 {
					first = k
					t.id = id
					t.end = max(t.end, int32(e))
				} else {
					t.flags |= tSkip
					toks[first].end = max(toks[first].end, t.end)
				}
			}
			p = e - 1
		}
	}
}

// lowerASCII is c in lower case if it is an ASCII capital letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// matchPatterns records the first match of every pattern in toks.
func (c *Classifier) matchPatterns(s *scratch, toks []token) {
	s.hits = s.hits[:0]
	s.gen++
	if s.gen == 0 {
		clear(s.seen)
		s.gen = 1
	}
	s.lead = s.lead[:0]
	inLead := true
	for i, t := range toks {
		if t.flags&tClause != 0 {
			inLead = true
		}
		cls := c.class[t.id]
		s.lead = append(s.lead, inLead || i > 0 && c.class[toks[i-1].id]&clsConnector != 0)
		if cls&clsLeader == 0 {
			inLead = false
		}
	}
	for ti := range toks {
		for _, pi := range c.pats.first[toks[ti].id] {
			if s.seen[pi] == s.gen {
				continue
			}
			p := &c.pats.pats[pi]
			if p.anchor && !s.lead[ti] {
				continue
			}
			end, ok := p.matchFrom(toks, 1, ti+1)
			if !ok {
				continue
			}
			s.seen[pi] = s.gen
			s.hits = append(s.hits, hit{pat: pi, act: p.act, w: p.w, start: int32(ti), end: int32(end), from: int32(ti)})
		}
	}
}

// analyseClauses finds clauses and which of them ask something; it reports
// whether the sentence is a question.
func (c *Classifier) analyseClauses(s *scratch, toks []token) bool {
	s.clause, s.clauseStart, s.clauseQ = s.clause[:0], s.clauseStart[:0], s.clauseQ[:0]
	for i, t := range toks {
		if i == 0 || t.flags&tClause != 0 {
			s.clauseStart = append(s.clauseStart, int32(i))
			s.clauseQ = append(s.clauseQ, false)
		}
		s.clause = append(s.clause, int32(len(s.clauseStart)-1))
	}
	for ci, st := range s.clauseStart {
		end := len(toks)
		if ci+1 < len(s.clauseStart) {
			end = int(s.clauseStart[ci+1])
		}
		q := c.questionAt(toks[:end], int(st), false)
		for k := int(st) + 1; !q && k < end-1; k++ {
			if c.class[toks[k].id]&clsConnector != 0 {
				q = c.questionAt(toks[:end], k+1, true)
			}
		}
		if !q && ci > 0 && end-int(st) <= 3 && c.class[toks[end-1].id]&clsTag != 0 && end == len(toks) {
			q = true // "..., right"
		}
		s.clauseQ[ci] = q
	}
	for _, h := range s.hits {
		if h.act == markQuestion && s.lead[h.start] {
			s.clauseQ[s.clause[h.start]] = true
		}
	}
	if toks[len(toks)-1].flags&tQMark != 0 {
		s.clauseQ[len(s.clauseQ)-1] = true
	}
	// A short topic before a question asks too: "budget wise, where are you
	// at"; so does a premise: "say the backlog keeps growing, what ...".
	for ci := len(s.clauseStart) - 2; ci >= 0; ci-- {
		if !s.clauseQ[ci] && s.clauseQ[ci+1] && (s.clauseStart[ci+1]-s.clauseStart[ci] <= 3 || c.premise(toks, int(s.clauseStart[ci]))) {
			s.clauseQ[ci] = true
		}
	}
	return slices.Contains(s.clauseQ, true)
}

// premise reports whether the clause at toks[i:] opens with a supposition
// ("say", "suppose", "if", "when"), the premise of a question that follows.
func (c *Classifier) premise(toks []token, i int) bool {
	for n := 0; n < 3 && i < len(toks) && c.class[toks[i].id]&(clsLeader|clsConnector) != 0 && c.class[toks[i].id]&clsWh == 0; n++ {
		i++
	}
	return i < len(toks) && c.premiseWord[toks[i].id]
}

// skipFront returns the index after a front phrase at toks[i:] (after
// leaders such as "so" or "and"), or i.
func (c *Classifier) skipFront(toks []token, i int) int {
	j := i
	for n := 0; n < 2 && j < len(toks) && c.class[toks[j].id]&(clsLeader|clsConnector) != 0 && c.class[toks[j].id]&(clsWh|clsAux) == 0; n++ {
		j++
	}
	for _, f := range c.fronts {
		if j+len(f) >= len(toks) {
			continue
		}
		ok := true
		for k, id := range f {
			if toks[j+k].id != id {
				ok = false
				break
			}
		}
		if ok {
			return j + len(f)
		}
	}
	return i
}

// questionAt reports whether toks[i:] opens a question: a wh-word not
// followed by a subject ("what you said"), or an auxiliary followed by a
// subject ("do you", "is there"). Strict asks for the tighter shapes used
// to split run-on sentences.
func (c *Classifier) questionAt(toks []token, i int, strict bool) bool {
	if !strict {
		i = c.skipFront(toks, i)
	}
	for n := 0; n < 4 && i < len(toks) && c.class[toks[i].id]&(clsLeader|clsConnector) != 0 && c.class[toks[i].id]&(clsWh|clsAux) == 0; n++ {
		i++
	}
	if i >= len(toks) {
		return false
	}
	cls := c.class[toks[i].id]
	next := uint16(0)
	if i+1 < len(toks) {
		next = c.class[toks[i+1].id]
	}
	switch {
	case cls&clsWh != 0:
		if next&clsPronoun != 0 {
			return false
		}
		if strict || c.lex.stems[toks[i].id] == "when" || c.lex.stems[toks[i].id] == "wher" {
			return next&(clsAux|clsQuantifier) != 0
		}
		return true
	case cls&clsAux != 0:
		if i+1 >= len(toks) {
			return false
		}
		nid := toks[i+1].id
		negated := nid == c.ids.not
		if negated && i+2 < len(toks) {
			nid = toks[i+2].id
			next = c.class[nid]
		}
		switch {
		case negated && next&clsSubject == 0:
			// "can't hold the price past today", "don't worry": a
			// negated auxiliary with no subject after it tells, it does
			// not ask ("can't you hold it?" does).
			return false
		case strict:
			return next&clsPronoun != 0 || c.lex.stems[nid] == "ther" || c.lex.stems[nid] == "it"
		case next&clsSubject != 0:
			return next&clsArticle == 0 || c.class[toks[i].id]&clsHave == 0
		case c.class[toks[i].id]&clsHave != 0:
			// "have a great weekend" asks nothing; "has money been put
			// aside" does.
			return i+2 < len(toks) && toks[i+2].id == c.ids.been
		}
		// "is january realistic", "would monday work"; but not "would
		// love to", "can do", "should be fine".
		return i+2 < len(toks) && next&clsNotAsked == 0 && nid != c.ids.not
	}
	return false
}

// filterHits applies flags, negation and hedges to the pattern hits, and
// reads the condition markers. Hedged concession hits are marked negated
// with from == -2, so a stated percentage can restore them.
func (c *Classifier) filterHits(s *scratch, toks []token) (conditional, hedged bool) {
	for i := range s.hits {
		h := &s.hits[i]
		p := &c.pats.pats[h.pat]
		q := s.clauseQ[s.clause[h.start]]
		if p.question && !q || p.statement && q {
			h.dropped = true
		}
	}
	s.hedgeIn = s.hedgeIn[:0]
	for range s.clauseStart {
		s.hedgeIn = append(s.hedgeIn, false)
	}
	for _, h := range s.hits {
		switch {
		case h.dropped:
		case h.act == markHedge:
			s.hedgeIn[s.clause[h.start]] = true
		case h.act == markConditional:
			unc := false
			for _, u := range s.hits {
				if u.act == markUnconditional && u.start <= h.start && u.end > h.start {
					unc = true
				}
			}
			if !unc {
				conditional = true
			}
		}
	}
	for i := range s.hits {
		h := &s.hits[i]
		if h.act == sim.Close && !h.dropped && h.start > 0 && c.class[toks[h.start].id]&clsCloseVerb != 0 && c.class[toks[h.start-1].id]&clsDeterminer != 0 {
			h.dropped = true // "the schedule", "your plan": a noun, not a request
		}
		if h.dropped || h.act >= sim.NumActs || !negatable(h.act) {
			continue
		}
		p := &c.pats.pats[h.pat]
		cs := s.clauseStart[s.clause[h.start]]
		for k := h.start - 1; k >= cs && k >= h.start-negationWindow; k-- {
			// A negated condition is a threat ("if you don't sign today"),
			// which still asks for nothing: it undoes a close.
			if c.class[toks[k].id]&clsNegator != 0 && !(k+1 < int32(len(toks)) && (toks[k+1].id == c.ids.only || toks[k+1].id == c.ids.just)) && (h.act == sim.Close || !c.threat(toks, k)) {
				h.negated, h.from = true, k
				break
			}
		}
		if !h.negated && h.act == sim.Empathy && !p.literal(c.ids.not) {
			// "that's not really a concern": a negation inside the gap of
			// "that is * concerning" undoes it.
			for k := h.start + 1; k < h.end-1; k++ {
				if c.class[toks[k].id]&clsNegator != 0 {
					h.negated, h.from = true, k
					break
				}
			}
		}
		if !h.negated && (h.act == sim.Concession || h.act == sim.Close || h.act == sim.Pressure) {
			for k := h.end; k < h.end+2 && int(k) < len(toks); k++ {
				if toks[k].id == c.ids.not || toks[k].id == c.ids.never {
					h.negated = true
				}
			}
		}
		if !h.negated && h.act == sim.Concession && s.hedgeIn[s.clause[h.start]] {
			h.negated, h.from, hedged = true, -2, true
		}
	}
	// A closing refusal takes back an offer made earlier in the sentence:
	// "I'd love to cut the price, but honestly I can't".
	if last := s.clauseStart[len(s.clauseStart)-1]; len(toks)-int(last) <= 6 {
		refusal := false
		for k := int(last); k+2 < len(toks); k++ {
			if c.class[toks[k].id]&clsPronoun != 0 && c.class[toks[k+1].id]&clsAux != 0 && toks[k+2].id == c.ids.not {
				refusal = true
			}
		}
		for i := range s.hits {
			if h := &s.hits[i]; refusal && h.act == sim.Concession && !h.negated && h.start < last {
				h.negated, h.from = true, h.start
			}
		}
	}
	// A negation covers the rest of a negated match: in "not saying it's
	// your team's fault", "fault" is as negated as "your team's fault".
	for i := range s.hits {
		n := &s.hits[i]
		if !n.negated || n.from == -2 {
			continue
		}
		for j := range s.hits {
			h := &s.hits[j]
			if h.act == n.act && !h.negated && !h.dropped && h.start > n.start && h.start < n.end {
				h.negated, h.from = true, n.from
			}
		}
	}
	return conditional, hedged
}

// threat reports whether the negation at k sits in a condition ("if you
// don't sign today"), which makes a threat rather than a denial.
func (c *Classifier) threat(toks []token, k int32) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if toks[j].id == c.ids.ifID || toks[j].id == c.ids.unless {
			return true
		}
	}
	return false
}

// dominate silences a cue when an overlapping cue of another act is
// clearly stronger, or covers it with a longer, about as strong match:
// in "who owns the budget" the authority cue beats the budget cue.
func (c *Classifier) dominate(s *scratch) {
	// "Other" cues go first, so an act they silence ("losing discounts" is
	// no concession) cannot silence anything itself.
	for _, others := range [2]bool{true, false} {
		for i := range s.hits {
			h := &s.hits[i]
			if h.dropped || h.negated || h.act >= sim.NumActs {
				continue
			}
			for j := range s.hits {
				d := &s.hits[j]
				if i == j || d.dropped || d.negated || d.act >= sim.NumActs || d.act == h.act || (d.act == sim.Other) != others {
					continue
				}
				if d.act == sim.Other && (h.act.IsDiscovery() || h.act.IsQualifying()) && h.w >= genericCue {
					// An "other" cue silences an act that only looks
					// present (a concession) or a generic cue ("how" in
					// "how are you"), not the question asked.
					continue
				}
				if d.start >= h.end || h.start >= d.end {
					continue
				}
				longer := d.start <= h.start && d.end >= h.end && d.end-d.start > h.end-h.start
				if d.w >= h.w+dominateMargin || longer && d.w >= h.w-0.05 {
					h.dropped = true
					break
				}
			}
		}
	}
}

// scoreActs turns surviving hits into per-act scores, applying the rules
// between question acts.
func (c *Classifier) scoreActs(s *scratch) {
	s.score, s.maxW, s.interrogated = [sim.NumActs]float64{}, [sim.NumActs]float64{}, [sim.NumActs]bool{}
	for _, h := range s.hits {
		if !h.dropped && !h.negated && h.act < sim.NumActs {
			s.maxW[h.act] = max(s.maxW[h.act], h.w)
		}
	}
	famMax := 0.0
	for a := sim.Situation; a <= sim.QualifyChampion; a++ {
		famMax = max(famMax, s.maxW[a])
	}
	summary := s.maxW[sim.Summary] >= strongSummary
	// The highest SPIN act with a specific cue in each clause: implication
	// questions are built on a problem, need-payoff ones on both, so the
	// problem words inside them do not make a problem question.
	s.spinTop = s.spinTop[:0]
	s.summaryIn = s.summaryIn[:0]
	for range s.clauseStart {
		s.spinTop = append(s.spinTop, sim.Other)
		s.summaryIn = append(s.summaryIn, false)
	}
	for _, h := range s.hits {
		if h.dropped || h.negated || h.act >= sim.NumActs {
			continue
		}
		ci := s.clause[h.start]
		if h.act.IsDiscovery() && h.w >= specificCue && h.act > s.spinTop[ci] {
			s.spinTop[ci] = h.act
		}
		if h.act == sim.Summary && h.w >= strongSummary {
			s.summaryIn[ci] = true
		}
	}
	for i := range s.hits {
		h := &s.hits[i]
		if h.dropped || h.negated || h.act >= sim.NumActs || h.act == sim.Other {
			continue
		}
		fam := h.act.IsDiscovery() || h.act.IsQualifying()
		ci := s.clause[h.start]
		q := s.clauseQ[ci]
		if h.act == sim.Summary && ci > 0 && s.maxW[sim.Pitch] > 0 {
			// "…gives you live ETAs, so the check calls go away": a "so"
			// after a pitch is its promised result, not a restatement.
			h.dropped = true
			continue
		}
		if fam && famMax >= specificCue && s.maxW[h.act] < genericCue {
			h.dropped = true // a generic cue gives way to a specific one
			continue
		}
		if !fam && h.w < genericCue && s.specificIn(h, ci) {
			h.dropped = true
			continue
		}
		if h.act.IsDiscovery() && h.act < s.spinTop[ci] {
			h.dropped = true
			continue
		}
		if !q && h.act.IsQualifying() && h.act != sim.QualifyChampion {
			// Qualifying is asking: "the budget's signed off" in a
			// statement restates or tells, it does not qualify. (A champion
			// is also recruited by request: "I'd love an intro to your CFO".)
			h.dropped = true
			continue
		}
		if fam && summary && (!q || s.summaryIn[ci]) {
			h.dropped = true // a summary restates facts; it does not ask them
			continue
		}
		if q {
			s.interrogated[h.act] = true
		}
	}
	for _, h := range s.hits {
		if !h.dropped && !h.negated && h.act < sim.NumActs && h.act != sim.Other {
			s.score[h.act] = 1 - (1-s.score[h.act])*(1-h.w)
		}
	}
}

// specificIn reports whether clause ci holds a specific cue of an act other
// than h's.
func (s *scratch) specificIn(h *hit, ci int32) bool {
	for _, o := range s.hits {
		if !o.dropped && !o.negated && o.act < sim.NumActs && o.act != sim.Other && o.act != h.act && o.w >= specificCue && s.clause[o.start] == ci {
			return true
		}
	}
	return false
}

// statedPercent returns the size of the discount stated in toks ("10%",
// "ten percent", "twenty five percent"), or 0. When the sentence states
// several percentages ("our platform saves 20%, and I can take 10% off"),
// the one inside a concession cue, or next to a discount word, is the offer.
func (c *Classifier) statedPercent(s *scratch, toks []token) float64 {
	first, firstScore := 0.0, -1
	for i := 1; i < len(toks); i++ {
		if toks[i].id != c.ids.percent || toks[i-1].id != numID {
			continue
		}
		v := toks[i-1].num
		if i >= 2 && toks[i-2].id == numID && v < 10 && toks[i-2].num >= 20 && int(toks[i-2].num)%10 == 0 && toks[i-2].end < toks[i-1].start {
			v += toks[i-2].num
		}
		score := 0
		for _, h := range s.hits {
			if h.act == sim.Concession && !h.dropped && int(h.start) <= i && int(h.end) > i-1 {
				score = 2
			}
		}
		if score == 0 && (i+1 < len(toks) && c.off[toks[i+1].id] || i >= 3 && c.off[toks[i-3].id] || i >= 2 && c.off[toks[i-2].id]) {
			score = 1
		}
		if score > firstScore {
			first, firstScore = v, score
		}
	}
	return first
}

// addDetection records d with the cue spans that explain it: the cues of
// act cue (d's act, or for Unclear the best guess).
func (c *Classifier) addDetection(s *scratch, d sim.Detection, cue sim.Act, sn int32, toks []token, text string) {
	off := int32(len(s.spans))
	add := func(a, b int32) {
		if a < 0 || b <= a || len(s.spans)-int(off) >= maxCues {
			return
		}
		sp := [2]int32{toks[a].start, toks[b-1].end}
		for _, o := range s.spans[off:] {
			if o == sp {
				return
			}
		}
		s.spans = append(s.spans, sp)
	}
	// Pattern cues, strongest first.
	for len(s.spans)-int(off) < maxCues {
		best := -1
		for i, h := range s.hits {
			if h.dropped || h.act != cue || h.negated && cue != sim.Other {
				continue
			}
			if best < 0 || h.w > s.hits[best].w {
				best = i
			}
		}
		if best < 0 {
			break
		}
		h := s.hits[best]
		add(h.start, h.end)
		s.hits[best].dropped = true
	}
	if cue == sim.Other && len(s.spans) == int(off) {
		for _, h := range s.hits { // negated or hedged cues explain why nothing fired
			if h.negated && h.act < sim.NumActs {
				from := h.from
				if from < 0 {
					from = h.start
				}
				add(from, h.end)
			}
		}
	}
	if len(s.spans) == int(off) && cue != sim.Other {
		c.netCues(s, cue, toks, text, add)
	}
	for i := range toks {
		if len(s.spans) == int(off) && !c.stop[toks[i].id] {
			add(int32(i), int32(i+1))
		}
	}
	if len(s.spans) == int(off) {
		add(0, int32(min(len(toks), 3)))
	}
	s.dets = append(s.dets, detection{Detection: d, sentence: sn, spanOff: off, spanCount: int32(len(s.spans)) - off})
}

// netCues explains the network's reading of act a by the two words that
// weigh most for it (never stop words or punctuation), shown as typed.
func (c *Classifier) netCues(s *scratch, a sim.Act, toks []token, text string, add func(a, b int32)) {
	n := 0
	for _, cue := range c.net.Explain(s.words, s.extra[:], int(a), 8) {
		if n == 2 {
			break
		}
		if c.stopTok[cue.Token] || !isAlnum(cue.Token[0]) {
			continue
		}
		for k, t := range toks {
			if strings.EqualFold(text[t.start:t.end], cue.Token) {
				add(int32(k), int32(k+1))
				n++
				break
			}
		}
	}
}

// output copies the detections out of the scratch: sales acts strongest
// first, then small talk.
func (c *Classifier) output(text string, s *scratch) []sim.Detection {
	if len(s.dets) == 0 {
		return nil
	}
	s.order = s.order[:0]
	for i := range s.dets {
		s.order = append(s.order, int32(i))
	}
	dets := s.dets
	slices.SortStableFunc(s.order, func(x, y int32) int {
		a, b := &dets[x], &dets[y]
		switch {
		case outputRank(a.Act) != outputRank(b.Act):
			// Small talk is the absence of a sales act: it goes last,
			// after what was unclear.
			return outputRank(a.Act) - outputRank(b.Act)
		case a.Confidence != b.Confidence:
			if a.Confidence > b.Confidence {
				return -1
			}
			return 1
		case a.sentence != b.sentence:
			return int(a.sentence - b.sentence)
		}
		return int(a.Act) - int(b.Act)
	})
	out := make([]sim.Detection, len(s.dets))
	cues := make([]string, len(s.spans))
	for i, sp := range s.spans {
		cues[i] = lower(text[sp[0]:sp[1]])
	}
	for i, k := range s.order {
		d := &s.dets[k]
		out[i] = d.Detection
		out[i].Cues = cues[d.spanOff : d.spanOff+d.spanCount : d.spanOff+d.spanCount]
	}
	return out
}

func outputRank(a sim.Act) int {
	switch a {
	case sim.Other:
		return 2
	case sim.Unclear:
		return 1
	}
	return 0
}

// lower lower-cases s without allocating when it already is.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// round2 rounds a confidence to two decimals: finer digits mean nothing to
// a reader, and round numbers keep JSON and golden files stable.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
