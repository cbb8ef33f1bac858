package sim

import "math"

// The statistical second opinion: one-vs-rest logistic regression over
// stemmed unigrams and bigrams (with a sentence-start marker), trained at
// start-up from the embedded corpus. Training is plain SGD over the corpus in
// file order with fixed hyper-parameters, so the same corpus always gives
// the same weights.

const (
	modelEpochs   = 30
	modelRate     = 0.35
	modelL2       = 1e-4
	modelPosBoost = 3 // positives are rare per act: weigh them up
)

type model struct {
	nUni    int32            // unigram feature index = token id, below nUni
	bigrams map[uint64]int32 // (previous id, id) → feature index
	w       []float32        // feature*numActs + act
	bias    [numActs]float32
}

func bigramKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// features appends the feature indexes of toks to s.feats, and the token
// position each came from to s.featPos (a bigram records its second token).
// When learn is set, unseen bigrams get new indexes.
func (m *model) features(toks []token, s *scratch, learn bool) {
	s.feats, s.featPos = s.feats[:0], s.featPos[:0]
	prev := unknownID // sentence start
	for i, t := range toks {
		if t.id == unknownID {
			prev = -1
			continue
		}
		s.feats = append(s.feats, t.id)
		s.featPos = append(s.featPos, int32(i))
		if prev >= 0 {
			k := bigramKey(prev, t.id)
			f, ok := m.bigrams[k]
			if !ok && learn {
				f = m.nUni + int32(len(m.bigrams))
				m.bigrams[k] = f
				ok = true
			}
			if ok {
				s.feats = append(s.feats, f)
				s.featPos = append(s.featPos, -int32(i)-1) // negative: a bigram ending at i
			}
		}
		prev = t.id
	}
}

// probs fills p with the probability of each act for the features in s.
func (m *model) probs(s *scratch, p *[numActs]float64) {
	var z [numActs]float32
	z = m.bias
	if len(s.feats) > 0 {
		scale := float32(1 / math.Sqrt(float64(len(s.feats))))
		var sum [numActs]float32
		for _, f := range s.feats {
			row := m.w[int(f)*int(numActs) : int(f+1)*int(numActs)]
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
	labels [numActs]bool
}

func trainModel(nIDs int32, exs []trainExample, bigrams map[uint64]int32) *model {
	m := &model{nUni: nIDs, bigrams: bigrams}
	nFeat := int(nIDs) + len(bigrams)
	m.w = make([]float32, nFeat*int(numActs))
	for epoch := 0; epoch < modelEpochs; epoch++ {
		lr := float32(modelRate / (1 + 0.15*float64(epoch)))
		for _, ex := range exs {
			if len(ex.feats) == 0 {
				continue
			}
			scale := float32(1 / math.Sqrt(float64(len(ex.feats))))
			for a := 0; a < int(numActs); a++ {
				z := m.bias[a]
				for _, f := range ex.feats {
					z += scale * m.w[int(f)*int(numActs)+a]
				}
				p := float32(1 / (1 + math.Exp(-float64(z))))
				g := p
				if ex.labels[a] {
					g = (p - 1) * modelPosBoost
				}
				m.bias[a] -= lr * g
				for _, f := range ex.feats {
					i := int(f)*int(numActs) + a
					m.w[i] -= lr * (g*scale + modelL2*m.w[i])
				}
			}
		}
	}
	return m
}

// weight is the learnt weight of feature f for act a.
func (m *model) weight(f int32, a Act) float32 { return m.w[int(f)*int(numActs)+int(a)] }
