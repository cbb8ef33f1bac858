package nn

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// An Ensemble is several nets trained alike from different seeds, read as
// one. Nets from different seeds err on different sentences, so together
// they read a phrasing none of them was trained on better than any one of
// them does. Its logit of an act is the mean of the members' logits,
// times Scale/ScaleOne: members that disagree pull the mean towards zero,
// so the mean alone is less sure than it should be, and Scale, fitted on
// the training's dev split (FitScale), calibrates it. All of it is integer
// arithmetic, as in a Net: the same members, the same probabilities, on
// every CPU.
type Ensemble struct {
	Members []*Net
	Scale   int64 // the logit multiplier in 1/ScaleOne units
	// shared: every member has the same words, so the tokens' rows are
	// looked up once for all (aliases and fallback are set on all alike).
	shared bool
	pool   sync.Pool // *ensembleScratch
}

// ScaleOne is a Scale of 1: the members' plain mean.
const ScaleOne = 1024

type ensembleScratch struct {
	rows []int32
	z    []int64
	sum  []int64
}

// NewEnsemble joins nets that read the same inputs, their mean logit
// times scale/ScaleOne.
func NewEnsemble(scale int64, members ...*Net) (*Ensemble, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("an ensemble needs at least one net")
	}
	if scale <= 0 {
		return nil, fmt.Errorf("scale %d: it must be positive (%d is the plain mean)", scale, ScaleOne)
	}
	for i, m := range members[1:] {
		if m.E != members[0].E {
			return nil, fmt.Errorf("net %d has %d extra inputs, net 1 has %d", i+2, m.E, members[0].E)
		}
	}
	e := &Ensemble{Members: members, Scale: scale, shared: true}
	for _, m := range members[1:] {
		e.shared = e.shared && slices.Equal(m.Words, members[0].Words)
	}
	e.pool.New = func() any {
		return &ensembleScratch{rows: make([]int32, 0, 64), z: make([]int64, NumActs), sum: make([]int64, NumActs)}
	}
	return e, nil
}

// E is the number of extra inputs every member reads.
func (e *Ensemble) E() int { return e.Members[0].E }

// Alias reads tokens as words for every member (see Net.Alias).
func (e *Ensemble) Alias(m map[string]string) {
	for _, n := range e.Members {
		n.Alias(m)
	}
}

// SetFallback sets every member's Fallback; call it before first use.
func (e *Ensemble) SetFallback(f func(tok string) string) {
	for _, n := range e.Members {
		n.Fallback = f
	}
}

// Version names the members' weights, in order, and the scale.
func (e *Ensemble) Version() string {
	vs := make([]string, len(e.Members))
	for i, n := range e.Members {
		vs[i] = n.Version()
	}
	return fmt.Sprintf("%s*%d", strings.Join(vs, "+"), e.Scale)
}

// Predict writes the ensemble's calibrated probability of each act
// (len(Acts)) to out.
func (e *Ensemble) Predict(tokens []string, extra []float32, out []float32) {
	s := e.pool.Get().(*ensembleScratch)
	e.logits(s, tokens, extra, s.sum)
	m := e.Members[0]
	for a, z := range s.sum[:len(out)] {
		out[a] = m.Sigmoid[z+zMax*zUnit]
	}
	e.pool.Put(s)
}

// logits writes the ensemble's logits (in 1/zUnit steps, clamped) to z.
func (e *Ensemble) logits(s *ensembleScratch, tokens []string, extra []float32, z []int64) {
	e.sumLogits(s, tokens, extra, z)
	e.scale(z, e.Scale)
}

// sumLogits writes the sum of the members' logits to sum.
func (e *Ensemble) sumLogits(s *ensembleScratch, tokens []string, extra []float32, sum []int64) {
	clear(sum)
	if e.shared {
		s.rows = e.Members[0].rows(s.rows[:0], tokens)
	}
	for _, n := range e.Members {
		if !e.shared {
			s.rows = n.rows(s.rows[:0], tokens)
		}
		n.logitRows(s.rows, extra, s.z)
		for a, v := range s.z {
			sum[a] += v
		}
	}
}

// scale turns summed logits into the ensemble's: their mean times
// scale/ScaleOne, rounded toward zero and clamped.
func (e *Ensemble) scale(z []int64, scale int64) {
	d := int64(len(e.Members)) * ScaleOne
	for a, v := range z {
		z[a] = max(-zMax*zUnit, min(zMax*zUnit, v*scale/d))
	}
}

// FitScale returns the Scale under which the ensemble's probabilities
// best fit the labels of dev (the least log loss over every line and
// act), searched from half the plain mean to four times it.
func (e *Ensemble) FitScale(dev []Example) int64 {
	s := e.pool.Get().(*ensembleScratch)
	defer e.pool.Put(s)
	sums := make([][]int64, len(dev))
	for i, ex := range dev {
		sums[i] = make([]int64, NumActs)
		e.sumLogits(s, Tokens(ex.Text), ex.Extra, sums[i])
	}
	sig := e.Members[0].Sigmoid
	best, bestLoss := int64(ScaleOne), math.Inf(1)
	z := make([]int64, NumActs)
	for scale := int64(ScaleOne / 2); scale <= 4*ScaleOne; scale += 8 {
		loss := 0.0
		for i, ex := range dev {
			copy(z, sums[i])
			e.scale(z, scale)
			for a, v := range z {
				p := math.Min(math.Max(float64(sig[v+zMax*zUnit]), 1e-6), 1-1e-6)
				if ex.Labels[a] {
					loss -= math.Log(p)
				} else {
					loss -= math.Log(1 - p)
				}
			}
		}
		if loss < bestLoss {
			best, bestLoss = scale, loss
		}
	}
	return best
}

// Explain returns, for act a, up to k tokens with the largest positive
// summed contribution to the members' logits of a (see Net.Explain).
func (e *Ensemble) Explain(tokens []string, extra []float32, a, k int) []Cue {
	if len(e.Members) == 1 {
		return e.Members[0].Explain(tokens, extra, a, k)
	}
	sum := make([]float32, len(tokens))
	for _, n := range e.Members {
		for _, c := range n.Explain(tokens, extra, a, len(tokens)) {
			sum[c.Pos] += c.Weight
		}
	}
	var cues []Cue
	for i, w := range sum {
		if w > 0 {
			cues = append(cues, Cue{Token: tokens[i], Pos: i, Weight: w})
		}
	}
	sortCues(cues)
	if len(cues) > k {
		cues = cues[:k]
	}
	return cues
}

// sortCues orders cues largest first; ties by position, so the order is
// stable.
func sortCues(cues []Cue) {
	for i := 1; i < len(cues); i++ {
		for j := i; j > 0 && (cues[j].Weight > cues[j-1].Weight ||
			cues[j].Weight == cues[j-1].Weight && cues[j].Pos < cues[j-1].Pos); j-- {
			cues[j], cues[j-1] = cues[j-1], cues[j]
		}
	}
}
