package nn

import (
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Net is the exported network: integer tables, integer arithmetic, so a
// sentence gets the same probabilities on every CPU.
//
// The first layer is precomputed per word: for width w and window offset
// k, U holds W_k·e(word) for every filter, so a convolution output is a
// bias plus w table rows added together. A Net is safe for concurrent use.
type Net struct {
	Widths []int
	F      int // filters per width
	E      int // extra inputs
	Words  []string
	// U is rows × (ΣWidths × F): for row r, width i and offset k, the F
	// values at U[r*stride + (off[i]+k)*F:]. Rows 0..2 are unknown,
	// sentence start and sentence end; word j is row j+3.
	U []int8
	B []int32 // per width, per filter, in that width-filter's U scale
	// SU is the real value of one U unit per width and filter (for cues).
	SU []float32
	Wo []int16 // per act, per feature: max-pool, mean-pool, extras
	// Mul and Bo turn an act's integer sum into a calibrated logit in
	// 1/zUnit steps: z = (acc*Mul[a]) >> mulShift + Bo[a].
	Mul        []int64
	Bo         []int64
	ExtraScale float32 // extras are quantised as round(x*ExtraScale)
	Sigmoid    []float32
	// Fallback, if set, names a known word for a token the net lacks, as
	// Config.Fallback did in training; it must be set before first use.
	Fallback func(tok string) string

	index  map[string]int32
	off    []int // per width, its first offset within a row
	stride int
	in     int
	ver    string
	woT    []int32 // Wo by feature, then act
	pool   sync.Pool
}

const (
	zUnit    = 32 // logit steps per unit
	zMax     = 16 // logits are clamped to ±zMax
	mulShift = 32
	// Mean-pooled features are kept in 1/meanScale units of U.
	meanScale = 16
)

func (n *Net) init() {
	n.index = make(map[string]int32, len(n.Words))
	for i, w := range n.Words {
		n.index[w] = int32(i + numSpecial)
	}
	n.off = n.off[:0]
	n.stride = 0
	for _, w := range n.Widths {
		n.off = append(n.off, n.stride)
		n.stride += w
	}
	n.stride *= n.F
	n.in = 2*n.F*len(n.Widths) + n.E
	n.pool.New = func() any { return n.newScratch() }
}

// Alias reads each token k of m as the word m[k] ("hwo" as "how"), as
// Config.Alias did in training; words the net lacks are left alone. It
// must be called before the net is first used.
func (n *Net) Alias(m map[string]string) {
	for k, w := range m {
		if i, ok := n.index[w]; ok {
			n.index[k] = i
		}
	}
}

// transpose lays Wo out feature-major for logits.
func (n *Net) transpose() {
	n.woT = make([]int32, len(n.Wo))
	for a := 0; a < NumActs; a++ {
		for i := 0; i < n.in; i++ {
			n.woT[i*NumActs+a] = int32(n.Wo[a*n.in+i])
		}
	}
}

// Version names the weights: a hash of the model file.
func (n *Net) Version() string { return n.ver }

type scratch struct {
	h    []int32 // Explain's convolution outputs, position by filter
	ids  []int32
	acc  []int32
	mx   []int32 // per width, per filter
	sum  []int32
	xq   []int32
	feat []int32 // pooled features and extras
	z    []int64
}

func (n *Net) newScratch() *scratch {
	k := len(n.Widths) * n.F
	return &scratch{ids: make([]int32, 0, 64), acc: make([]int32, n.F), mx: make([]int32, k),
		sum: make([]int32, k), xq: make([]int32, n.E),
		feat: make([]int32, n.in), z: make([]int64, NumActs)}
}

func (n *Net) row(tok string) int32 {
	if i, ok := n.index[tok]; ok {
		return i
	}
	if hasTriple(tok) {
		if s, ok := squeeze(tok); ok {
			if i, ok := n.index[s]; ok {
				return i
			}
		}
	}
	if n.Fallback != nil {
		if w := n.Fallback(tok); w != "" {
			if i, ok := n.index[w]; ok {
				return i
			}
		}
	}
	return rowUnk
}

func hasTriple(s string) bool {
	for i := 2; i < len(s); i++ {
		if s[i] == s[i-1] && s[i] == s[i-2] {
			return true
		}
	}
	return false
}

// forward runs the convolutions and pooling into s.mx and s.sum.
func (n *Net) forward(s *scratch, tokens []string, extra []float32) {
	s.ids = n.rows(s.ids[:0], tokens)
	n.forwardRows(s, s.ids, extra)
}

// rows appends the table rows of tokens to ids, between the sentence
// start and end rows.
func (n *Net) rows(ids []int32, tokens []string) []int32 {
	ids = append(ids, rowBOS)
	for _, t := range tokens {
		ids = append(ids, n.row(t))
	}
	ids = append(ids, rowEOS)
	for len(ids) < maxWidth(n.Widths) {
		ids = append(ids, rowEOS)
	}
	return ids
}

// forwardRows is forward from the rows of the tokens.
func (n *Net) forwardRows(s *scratch, ids []int32, extra []float32) {
	F := n.F
	for wi, w := range n.Widths {
		mx := s.mx[wi*F : (wi+1)*F]
		sum := s.sum[wi*F : (wi+1)*F]
		clear(mx)
		clear(sum)
		bias := n.B[wi*F : (wi+1)*F]
		base := n.off[wi] * F
		positions := len(ids) - w + 1
		for t := 0; t < positions; t++ {
			if w <= 3 && F <= len(zeros) {
				n.pool3(mx, sum, bias, ids[t:t+w], base)
				continue
			}
			n.window(s.acc[:F], bias, ids[t:t+w], base)
			for f, v := range s.acc[:F] {
				if v > 0 {
					sum[f] += v
					mx[f] = max(mx[f], v)
				}
			}
		}
		feat := s.feat[wi*2*F : (wi+1)*2*F]
		copy(feat[:F], mx)
		for f, v := range sum {
			feat[F+f] = v * meanScale / int32(positions)
		}
	}
	for j := range s.xq {
		x := 0.0
		if j < len(extra) {
			x = math.Max(-32, math.Min(32, float64(extra[j])))
		}
		s.xq[j] = int32(math.Round(x * float64(n.ExtraScale)))
	}
	copy(s.feat[2*F*len(n.Widths):], s.xq)
}

// pool3 is window followed by the ReLU and pooling of forward, in one
// pass, for windows of up to three words (the committed widths): the
// same sums, without the round trip through acc.
func (n *Net) pool3(mx, sum, bias []int32, ids []int32, base int) {
	F := len(bias)
	r0 := int(ids[0])*n.stride + base
	u0 := n.U[r0 : r0+F : r0+F]
	u1, u2 := zeros[:F:F], zeros[:F:F]
	if len(ids) > 1 {
		r1 := int(ids[1])*n.stride + base + F
		u1 = n.U[r1 : r1+F : r1+F]
	}
	if len(ids) > 2 {
		r2 := int(ids[2])*n.stride + base + 2*F
		u2 = n.U[r2 : r2+F : r2+F]
	}
	mx, sum = mx[:F:F], sum[:F:F]
	for f, b := range bias {
		v := b + int32(u0[f]) + int32(u1[f]) + int32(u2[f])
		if v > 0 {
			sum[f] += v
			mx[f] = max(mx[f], v)
		}
	}
}

// zeros stands in for the table rows of missing words in pool3.
var zeros [256]int8

// window sets acc to the bias plus the table rows of the words in ids at
// their offsets: one convolution output before ReLU.
func (n *Net) window(acc, bias []int32, ids []int32, base int) {
	F := len(acc)
	r0 := int(ids[0])*n.stride + base
	u0 := n.U[r0 : r0+F]
	switch len(ids) {
	case 1:
		for f := range acc {
			acc[f] = bias[f] + int32(u0[f])
		}
	case 2:
		r1 := int(ids[1])*n.stride + base + F
		u1 := n.U[r1 : r1+F]
		for f := range acc {
			acc[f] = bias[f] + int32(u0[f]) + int32(u1[f])
		}
	case 3:
		r1 := int(ids[1])*n.stride + base + F
		r2 := int(ids[2])*n.stride + base + 2*F
		u1 := n.U[r1 : r1+F]
		u2 := n.U[r2 : r2+F]
		for f := range acc {
			acc[f] = bias[f] + int32(u0[f]) + int32(u1[f]) + int32(u2[f])
		}
	default:
		copy(acc, bias)
		for k := range ids {
			r := int(ids[k])*n.stride + base + k*F
			for f, v := range n.U[r : r+F] {
				acc[f] += int32(v)
			}
		}
	}
}

// logits sets z to every act's calibrated logit in 1/zUnit steps,
// clamped, from the features in s.feat.
func (n *Net) logits(s *scratch, z []int64) {
	clear(z)
	na := len(z)
	for i, x := range s.feat {
		if x == 0 {
			continue
		}
		col := n.woT[i*na : (i+1)*na : (i+1)*na]
		col = col[:len(z)]
		v := int64(x)
		for a, w := range col {
			z[a] += int64(w) * v
		}
	}
	for a := range z {
		z[a] = max(-zMax*zUnit, min(zMax*zUnit, mulShifted(z[a], n.Mul[a])+n.Bo[a]))
	}
}

// mulShifted is (x*m) >> mulShift for m >= 0, rounded toward zero,
// without overflow.
func mulShifted(x, m int64) int64 {
	neg := x < 0
	if neg {
		x = -x
	}
	hi, lo := bits.Mul64(uint64(x), uint64(m))
	r := int64(hi<<(64-mulShift) | lo>>mulShift)
	if neg {
		return -r
	}
	return r
}

// Predict writes the calibrated probability of each act (len(Acts)) to
// out. tokens are normalised tokens (see Tokens); extra has E values
// (missing ones count as 0).
func (n *Net) Predict(tokens []string, extra []float32, out []float32) {
	s := n.pool.Get().(*scratch)
	n.forward(s, tokens, extra)
	n.probabilities(s, out)
	n.pool.Put(s)
}

// predictRows is Predict from the tokens' rows.
func (n *Net) predictRows(ids []int32, extra []float32, out []float32) {
	s := n.pool.Get().(*scratch)
	n.forwardRows(s, ids, extra)
	n.probabilities(s, out)
	n.pool.Put(s)
}

// logitRows writes the calibrated logits (in 1/zUnit steps, clamped) of
// the tokens' rows to z.
func (n *Net) logitRows(ids []int32, extra []float32, z []int64) {
	s := n.pool.Get().(*scratch)
	n.forwardRows(s, ids, extra)
	n.logits(s, s.z)
	copy(z, s.z)
	n.pool.Put(s)
}

// probabilities writes the calibrated probabilities of the features in s.
func (n *Net) probabilities(s *scratch, out []float32) {
	n.logits(s, s.z)
	for a, z := range s.z {
		out[a] = n.Sigmoid[z+zMax*zUnit]
	}
}

// Cue is a token's share of an act's logit.
type Cue struct {
	Token  string
	Pos    int     // index in the tokens passed in
	Weight float32 // in logit units, positive for the act
}

// Explain returns, for act a, up to k tokens with the largest positive
// contribution to its logit: each filter's max-pool window and its
// mean-pool windows share their term of the logit equally among their
// tokens.
func (n *Net) Explain(tokens []string, extra []float32, a, k int) []Cue {
	s := n.pool.Get().(*scratch)
	defer n.pool.Put(s)
	s.ids = n.rows(s.ids[:0], tokens)
	ids := s.ids
	contrib := make([]float64, len(ids))
	row := n.Wo[a*n.in : (a+1)*n.in]
	scale := float64(n.Mul[a]) / (1 << mulShift) / zUnit
	F := n.F
	for wi, w := range n.Widths {
		positions := len(ids) - w + 1
		base := n.off[wi] * F
		// Every window's convolution outputs at once, position by
		// position; the sums below read them filter by filter, in the
		// order they always did.
		s.h = slices.Grow(s.h[:0], positions*F)[:positions*F]
		bias := n.B[wi*F : (wi+1)*F]
		for t := 0; t < positions; t++ {
			n.window(s.h[t*F:(t+1)*F], bias, ids[t:t+w], base)
		}
		for f := 0; f < F; f++ {
			// The max-pool window, as forward finds it: the first of
			// the largest positive outputs.
			mx, arg := int32(0), 0
			for t := 0; t < positions; t++ {
				if v := s.h[t*F+f]; v > mx {
					mx, arg = v, t
				}
			}
			if t := arg; mx > 0 {
				c := float64(row[wi*2*F+f]) * float64(mx) * scale / float64(w)
				for j := t; j < t+w; j++ {
					contrib[j] += c
				}
			}
			wm := float64(row[wi*2*F+F+f]) * meanScale * scale / float64(positions) / float64(w)
			for t := 0; t < positions; t++ {
				if h := s.h[t*F+f]; h > 0 {
					for j := t; j < t+w; j++ {
						contrib[j] += wm * float64(h)
					}
				}
			}
		}
	}
	var cues []Cue
	for i := range tokens {
		if c := contrib[i+1]; c > 0 {
			cues = append(cues, Cue{Token: tokens[i], Pos: i, Weight: float32(c)})
		}
	}
	sortCues(cues)
	if len(cues) > k {
		cues = cues[:k]
	}
	return cues
}
