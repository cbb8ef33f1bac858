package classify

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// Cue patterns are the hand-written sales knowledge of the classifier
// (corpus/cues.txt). A pattern is a sequence of word slots matched against
// the stemmed tokens of one sentence:
//
//	word|word   one token, any of the alternatives (stemmed like the text)
//	*  **       a gap of up to 3 / 6 tokens
//	^           (first) the match starts a clause, after openers like "so", "ok"
//	$           (last) the match ends the sentence
//	#num #prod #comp #term   a number, or a name from the Vocabulary
//
// Several patterns may share a line, separated by " ; ". A section header
// "[act weight flags]" sets the act and weight of the
// patterns below it. Flags: q, the match must be in a question clause; s, it
// must be in a statement clause. Pseudo-acts @conditional, @unconditional and
// @hedge mark conditional trades, phrases that only look like one ("if you
// want"), and hedges ("maybe") that turn a concession into a non-offer;
// @question marks clause openings that ask without a question word ("tell
// me about", "I'm curious").

// Pseudo-acts, numbered after the real ones.
const (
	markConditional = sim.NumActs + iota
	markUnconditional
	markHedge
	markQuestion
	numMarks
)

type elem struct {
	ids []int32 // alternatives; empty for a gap
	gap int     // a gap of 0..gap tokens
}

type pattern struct {
	act       sim.Act // an Act, or one of the mark pseudo-acts
	w         float64
	elems     []elem
	anchor    bool // starts a clause
	anchorEnd bool // ends the sentence
	question  bool // only in a question clause
	statement bool // only in a statement clause
	src       string
}

type patternSet struct {
	pats  []pattern
	first [][]int32 // token id → patterns whose first slot accepts it
}

func parsePatterns(lx *lexicon, src string) (*patternSet, error) {
	ps := &patternSet{}
	var errs []string
	cur := pattern{act: numMarks} // no section yet
	sc := bufio.NewScanner(strings.NewReader(src))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text == "#" || strings.HasPrefix(text, "# ") { // comments: "# ..."
			continue
		}
		if strings.HasPrefix(text, "[") {
			h, err := parseHeader(text)
			if err != nil {
				errs = append(errs, fmt.Sprintf("cues.txt:%d: %v", line, err))
				cur = pattern{act: numMarks}
				continue
			}
			cur = h
			continue
		}
		if cur.act == numMarks {
			errs = append(errs, fmt.Sprintf("cues.txt:%d: pattern before any [act weight] header", line))
			continue
		}
		for _, one := range strings.Split(text, " ; ") {
			p, err := compilePattern(lx, cur, strings.TrimSpace(one))
			if err != nil {
				errs = append(errs, fmt.Sprintf("cues.txt:%d: %v", line, err))
				continue
			}
			ps.pats = append(ps.pats, p)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("cue patterns:\n%s", strings.Join(errs, "\n"))
	}
	return ps, nil
}

func parseHeader(text string) (pattern, error) {
	if !strings.HasSuffix(text, "]") {
		return pattern{}, fmt.Errorf("header %q: want [act weight flags]", text)
	}
	f := strings.Fields(text[1 : len(text)-1])
	if len(f) < 2 {
		return pattern{}, fmt.Errorf("header %q: want [act weight flags]", text)
	}
	var h pattern
	switch f[0] {
	case "@conditional":
		h.act = markConditional
	case "@unconditional":
		h.act = markUnconditional
	case "@hedge":
		h.act = markHedge
	case "@question":
		h.act = markQuestion
	default:
		a, err := sim.ParseAct(f[0])
		if err != nil {
			return pattern{}, err
		}
		h.act = a
	}
	w, err := strconv.ParseFloat(f[1], 64)
	if err != nil || w <= 0 || w > 1 {
		return pattern{}, fmt.Errorf("header %q: weight must be in (0,1]", text)
	}
	h.w = w
	for _, fl := range f[2:] {
		switch fl {
		case "q":
			h.question = true
		case "s":
			h.statement = true
		default:
			return pattern{}, fmt.Errorf("header %q: unknown flag %q (q or s)", text, fl)
		}
	}
	return h, nil
}

func compilePattern(lx *lexicon, h pattern, text string) (pattern, error) {
	p := h
	p.src = text
	p.elems = nil
	fields := strings.Fields(text)
	for i, f := range fields {
		switch {
		case f == "^" && i == 0:
			p.anchor = true
		case f == "$" && i == len(fields)-1:
			p.anchorEnd = true
		case f == "*" || f == "**":
			if len(p.elems) == 0 || i == len(fields)-1 {
				return p, fmt.Errorf("%q: a gap cannot start or end a pattern", text)
			}
			p.elems = append(p.elems, elem{gap: 3 * len(f)})
		default:
			var e elem
			for _, alt := range strings.Split(f, "|") {
				id, err := slotID(lx, alt)
				if err != nil {
					return p, fmt.Errorf("%q: %v", text, err)
				}
				e.ids = append(e.ids, id)
			}
			p.elems = append(p.elems, e)
		}
	}
	if len(p.elems) == 0 {
		return p, fmt.Errorf("%q: empty pattern", text)
	}
	return p, nil
}

func slotID(lx *lexicon, w string) (int32, error) {
	switch w {
	case "#num":
		return numID, nil
	case "#prod":
		return prodID, nil
	case "#comp":
		return compID, nil
	case "#term":
		return termID, nil
	case "":
		return 0, fmt.Errorf("empty alternative")
	}
	if w != strings.ToLower(w) || strings.ContainsAny(w, "'’*#^$") {
		return 0, fmt.Errorf("slot %q: write words in lower case without apostrophes (do not, not don't)", w)
	}
	for _, n := range strings.Fields(numberWords + " zero") {
		if w == n {
			return numID, nil // numbers are read as values
		}
	}
	if exp, ok := contractionTable[w]; ok {
		if strings.Contains(exp, " ") {
			return 0, fmt.Errorf("slot %q expands to %q: write the words", w, exp)
		}
		w = exp
	}
	return lx.add(w), nil
}

// index builds the first-slot index; call after the lexicon is complete.
func (ps *patternSet) index(nIDs int) {
	ps.first = make([][]int32, nIDs)
	for i, p := range ps.pats {
		for _, id := range p.elems[0].ids {
			ps.first[id] = append(ps.first[id], int32(i))
		}
	}
}

// matchFrom matches slots ei.. from token ti; it returns the end (exclusive)
// of the shortest match.
func (p *pattern) matchFrom(toks []token, ei, ti int) (int, bool) {
	if ei == len(p.elems) {
		if p.anchorEnd && ti != len(toks) {
			return 0, false
		}
		return ti, true
	}
	e := &p.elems[ei]
	if e.gap > 0 {
		for g := 0; g <= e.gap && ti+g <= len(toks); g++ {
			if end, ok := p.matchFrom(toks, ei+1, ti+g); ok {
				return end, true
			}
		}
		return 0, false
	}
	if ti >= len(toks) || !e.accepts(toks[ti].id) {
		return 0, false
	}
	return p.matchFrom(toks, ei+1, ti+1)
}

// literal reports whether a word slot of the pattern accepts id.
func (p *pattern) literal(id int32) bool {
	for i := range p.elems {
		if p.elems[i].gap == 0 && p.elems[i].accepts(id) {
			return true
		}
	}
	return false
}

// named reports whether the pattern has a vocabulary slot (#prod, #comp,
// #term).
func (p *pattern) named() bool {
	return p.literal(prodID) || p.literal(compID) || p.literal(termID)
}

func (e *elem) accepts(id int32) bool {
	for _, a := range e.ids {
		if a == id {
			return true
		}
	}
	return false
}
