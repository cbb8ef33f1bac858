package classify

import (
	"math"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// The statistical second opinion: one-vs-rest logistic regression trained
// at start-up from the embedded corpus. Its features are
//
//   - stemmed (and typo-corrected) unigrams;
//   - bigrams, with markers for the start of the sentence and of each
//     clause, and for the end of the sentence;
//   - skip-bigrams (a word and the word two on), which see "what … cost"
//     through "does that";
//   - question pairs: the question word that opens a clause ("what", "how",
//     "who", "when", an auxiliary such as "would") with each content word
//     of the next few ("how … help", "who … approve"), the shape that tells
//     the SPIN and qualifying questions apart whatever fills the gaps.
//
// Training is SGD over the corpus in a fixed pseudo-random order (a seeded
// xorshift, no global rand), with positives of each act weighed up and the
// weights averaged over the second half of the epochs, which generalises
// better than the last iterate. The same corpus always gives the same
// weights.

const (
	modelEpochs           = 40
	modelRate             = 1.0
	modelL2               = 3e-3 // found on held-out, wild and blind2: 1e-4 overfits the corpus
	modelPosBoost float32 = 3    // positives are rare per act: weigh them up
	modelSeed     uint64  = 0x9e3779b97f4a7c15
	modelPairSpan         = 5 // content words after a question word that pair with it

	modelOverride     = 0.4 // model probability that reports an act no rule let through
	modelOverrideBusy = 0.5 // the same when the rules found another act
)

// Feature kinds, the top bits of a feature key.
const (
	fkBigram uint64 = iota + 1
	fkSkip
	fkPair
	fkEnd
)

// Pseudo-ids for the markers in bigram keys.
const (
	markStart  int32 = 1<<27 + iota // sentence start
	markClause                      // clause start (after a comma, a dash)
	markEnd                         // sentence end
)

// stopWords carry no sales meaning of their own. The model still learns
// them inside bigrams, but they are never shown as a cue and never paired
// with a question word.
const stopWords = "a an the at on in of to for with by from into about as and or but so if then than " +
	"is are was were be been being am do does did doing have has had having " +
	"i you we they he she it its me us them him her my your our their his this that these those there here " +
	"not no just like um uh er oh yeah yes ok okay well really very quite actually basically " +
	"can could would will should shall may might must " +
	"up out off over any some all also too still even get got"

// questionWords open a question when they open a clause.
const questionWords = "what how who which where when why whose do does did is are was were can could would will should shall have has"

type model struct {
	nUni  int32            // unigram feature index = token id, below nUni
	ext   map[uint64]int32 // (kind, id, id) → feature index
	w     []float32        // feature*NumActs + act
	bias  [sim.NumActs]float32
	stop  []bool // token id → a stop word
	qword []bool // token id → a question word that opens a clause
}

func featKey(kind uint64, a, b int32) uint64 {
	return kind<<58 | uint64(uint32(a))<<29 | uint64(uint32(b))
}

// feature appends feature key k, spanning tokens from..to, to s.
func (m *model) feature(s *scratch, k uint64, from, to int, learn bool) {
	f, ok := m.ext[k]
	if !ok {
		if !learn {
			return
		}
		f = m.nUni + int32(len(m.ext))
		m.ext[k] = f
	}
	s.feats = append(s.feats, f)
	s.featFrom = append(s.featFrom, int32(from))
	s.featTo = append(s.featTo, int32(to))
}

// features appends the feature indexes of toks to s.feats, and the token
// span each came from to s.featFrom and s.featTo. When learn is set, unseen
// n-grams get new indexes.
func (m *model) features(toks []token, s *scratch, learn bool) {
	s.feats, s.featFrom, s.featTo = s.feats[:0], s.featFrom[:0], s.featTo[:0]
	prev, prev2 := markStart, int32(-1)
	pairWord, pairAt, pairLeft := int32(-1), 0, 0
	for i, t := range toks {
		if t.flags&tClause != 0 && i > 0 {
			prev, prev2 = markClause, -1
			pairLeft = 0
		}
		if t.id == unknownID {
			prev, prev2 = -1, prev
			continue
		}
		id := t.id
		s.feats = append(s.feats, id)
		s.featFrom = append(s.featFrom, int32(i))
		s.featTo = append(s.featTo, int32(i))
		if prev >= 0 {
			m.feature(s, featKey(fkBigram, prev, id), max(0, i-1), i, learn)
		}
		if prev2 >= 0 && prev2 < markStart {
			m.feature(s, featKey(fkSkip, prev2, id), i-2, i, learn)
		}
		switch { // question pairs
		case pairLeft > 0 && !m.stop[id]:
			m.feature(s, featKey(fkPair, pairWord, id), pairAt, i, learn)
			pairLeft--
		case m.qword[id] && pairLeft == 0 && (prev == markStart || prev == markClause || i > 0 && m.stop[toks[i-1].id]):
			pairWord, pairAt, pairLeft = id, i, modelPairSpan
		}
		prev, prev2 = id, prev
	}
	if len(toks) > 0 && toks[len(toks)-1].id != unknownID {
		m.feature(s, featKey(fkEnd, toks[len(toks)-1].id, markEnd), len(toks)-1, len(toks)-1, learn)
	}
}

// probs fills p with the probability of each act for the features in s.
func (m *model) probs(s *scratch, p *[sim.NumActs]float64) {
	var z [sim.NumActs]float32
	z = m.bias
	if len(s.feats) > 0 {
		scale := float32(1 / math.Sqrt(float64(len(s.feats))))
		var sum [sim.NumActs]float32
		for _, f := range s.feats {
			row := m.w[int(f)*int(sim.NumActs) : int(f+1)*int(sim.NumActs)]
			for a := range sum {
				sum[a] += row[a]
			}
		}
		for a := range z {
			z[a] += scale * sum[a]
		}
	}
	for a := range p {
		p[a] = 1 / (1 + math.Exp(-float64(z[a])))
	}
}

type trainExample struct {
	feats  []int32
	labels [sim.NumActs]bool
}

// wordFlags marks the ids of the given words (looked up as the lexicon
// knows them) in a slice of n flags.
func wordFlags(lx *lexicon, n int32, words string) []bool {
	out := make([]bool, n)
	for _, w := range strings.Fields(words) {
		if id, ok := lx.surface[w]; ok && id < n {
			out[id] = true
		}
	}
	return out
}

func trainModel(m *model, exs []trainExample) {
	nFeat := int(m.nUni) + len(m.ext)
	na := int(sim.NumActs)
	m.w = make([]float32, nFeat*na)
	avg := make([]float32, nFeat*na)
	var avgBias [sim.NumActs]float32
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	rng := modelSeed
	next := func() uint64 { // xorshift64*
		rng ^= rng >> 12
		rng ^= rng << 25
		rng ^= rng >> 27
		return rng * 2685821657736338717
	}
	averaged := 0
	var z [sim.NumActs]float32
	for epoch := 0; epoch < modelEpochs; epoch++ {
		for i := len(order) - 1; i > 0; i-- {
			j := int(next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		lr := float32(modelRate / (1 + 0.15*float64(epoch)))
		for _, k := range order {
			ex := &exs[k]
			if len(ex.feats) == 0 {
				continue
			}
			scale := float32(1 / math.Sqrt(float64(len(ex.feats))))
			z = m.bias
			for _, f := range ex.feats {
				row := m.w[int(f)*na : int(f)*na+na]
				for a := range z {
					z[a] += scale * row[a]
				}
			}
			var g [sim.NumActs]float32
			for a := range g {
				p := float32(1 / (1 + math.Exp(-float64(z[a]))))
				g[a] = p
				if ex.labels[a] {
					g[a] = (p - 1) * modelPosBoost
				}
				m.bias[a] -= lr * g[a]
			}
			for _, f := range ex.feats {
				row := m.w[int(f)*na : int(f)*na+na]
				for a := range row {
					row[a] -= lr * (g[a]*scale + float32(modelL2)*row[a])
				}
			}
		}
		if epoch >= modelEpochs/2 {
			averaged++
			for i, v := range m.w {
				avg[i] += v
			}
			for a := range avgBias {
				avgBias[a] += m.bias[a]
			}
		}
	}
	if averaged > 0 {
		inv := 1 / float32(averaged)
		for i := range avg {
			avg[i] *= inv
		}
		for a := range avgBias {
			avgBias[a] *= inv
		}
		m.w, m.bias = avg, avgBias
	}
}

// weight is the learnt weight of feature f for act a.
func (m *model) weight(f int32, a sim.Act) float32 { return m.w[int(f)*int(sim.NumActs)+int(a)] }

// isStop reports whether token id is a stop word (or no word at all).
func (m *model) isStop(id int32) bool {
	return id == unknownID || int(id) < len(m.stop) && m.stop[id]
}
