package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// Config sets the network's shape and its training.
type Config struct {
	Widths      []int   // convolution window widths
	Filters     int     // filters per width
	Extra       int     // dense extra inputs per example (Example.Extra)
	Epochs      int     // at most this many passes
	Patience    int     // stop after this many epochs without a lower dev loss
	Batch       int     // examples per Adam step
	LR          float32 // Adam step size
	Dropout     float32 // on the pooled features
	WordDropout float32 // chance that a training token is read as unknown
	Seed        uint64
	// Shards fixes how a batch is split for parallel gradients; the
	// shards are summed in order, so the result does not depend on the
	// number of CPUs.
	Shards int
	// Progress, if set, is told each epoch's log line as it ends.
	Progress func(line string)
	// Fallback, if set, names a known word for a token the vectors lack
	// (a typo: "netwrok" -> "network"), or returns "". Inference must use
	// the same (Net.Fallback).
	Fallback func(tok string) string
	// Alias reads a token as another word ("hwo" as "how"), before the
	// vectors are looked up. Inference must use the same (Net.Alias).
	Alias map[string]string
}

// DefaultConfig is the configuration the evaluation figures use.
func DefaultConfig() Config {
	return Config{
		Widths: []int{1, 2, 3}, Filters: 64, Epochs: 60, Patience: 8, Batch: 32,
		LR: 2e-3, Dropout: 0.3, WordDropout: 0.1, Seed: 1, Shards: 4,
	}
}

// Special rows of the embedding table, before the vocabulary.
const (
	rowUnk = iota
	rowBOS
	rowEOS
	numSpecial
)

// Model is the float network being trained.
type Model struct {
	Cfg   Config
	vocab *Vectors
	D     int
	emb   []float32 // (numSpecial+len(vocab.Words)) × D, frozen
	P     []float32 // all parameters, laid out by the offsets below
	convW []int     // offset of width i's weights: [k][f][d]
	convB []int     // offset of width i's biases: [f]
	outW  int       // [act][in]
	outB  int       // [act]
	In    int       // pooled features + extras
	T     float32   // temperature fitted on dev (1 before)
}

func newModel(cfg Config, v *Vectors) *Model {
	m := &Model{Cfg: cfg, vocab: v, D: v.Dim, T: 1}
	n := numSpecial + len(v.Words)
	m.emb = make([]float32, n*m.D)
	for i := range v.Words {
		v.Vector(int32(i), m.emb[(numSpecial+i)*m.D:])
	}
	// BOS and EOS are fixed random directions of a typical vector's size.
	r := rand.New(rand.NewPCG(cfg.Seed, 0xB05))
	for _, row := range []int{rowBOS, rowEOS} {
		for j := 0; j < m.D; j++ {
			m.emb[row*m.D+j] = float32(r.NormFloat64() * 0.4)
		}
	}
	F := cfg.Filters
	off := 0
	for _, w := range cfg.Widths {
		m.convW = append(m.convW, off)
		off += w * F * m.D
		m.convB = append(m.convB, off)
		off += F
	}
	m.In = 2*F*len(cfg.Widths) + cfg.Extra
	m.outW = off
	off += NumActs * m.In
	m.outB = off
	off += NumActs
	m.P = make([]float32, off)
	for i, w := range cfg.Widths {
		std := math.Sqrt(2 / float64(w*m.D))
		for j := m.convW[i]; j < m.convB[i]; j++ {
			m.P[j] = float32(r.NormFloat64() * std)
		}
	}
	for j := m.outW; j < m.outB; j++ {
		m.P[j] = float32(r.NormFloat64() * 0.01)
	}
	return m
}

// row returns the embedding row of a token: the vocabulary, then a light
// normalisation (letters repeated three times or more), then unknown.
func row(v *Vectors, tok string) int32 {
	if i := v.Index(tok); i >= 0 {
		return i + numSpecial
	}
	if s, ok := squeeze(tok); ok {
		if i := v.Index(s); i >= 0 {
			return i + numSpecial
		}
	}
	return rowUnk
}

// squeeze shortens runs of three or more equal letters to one ("sooo").
func squeeze(tok string) (string, bool) {
	b := []byte(tok)
	out := b[:0]
	changed := false
	for i := 0; i < len(b); i++ {
		if i >= 2 && b[i] == b[i-1] && b[i] == b[i-2] {
			changed = true
			continue
		}
		out = append(out, b[i])
	}
	if !changed {
		return tok, false
	}
	// "sooo" -> "soo": drop the second of the pair too.
	s := string(out)
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			return s[:i] + s[i+1:], true
		}
	}
	return s, true
}

// ids is the row sequence of a token list, framed by BOS and EOS and
// padded with EOS to the widest window.
func ids(v *Vectors, toks []string, maxW int, dst []int32, fallback func(string) string, alias map[string]string) []int32 {
	dst = append(dst[:0], rowBOS)
	for _, t := range toks {
		if w, ok := alias[t]; ok && v.Index(w) >= 0 {
			t = w
		}
		r := row(v, t)
		if r == rowUnk && fallback != nil {
			if w := fallback(t); w != "" {
				r = row(v, w)
			}
		}
		dst = append(dst, r)
	}
	dst = append(dst, rowEOS)
	for len(dst) < maxW {
		dst = append(dst, rowEOS)
	}
	return dst
}

func maxWidth(ws []int) int {
	m := 1
	for _, w := range ws {
		m = max(m, w)
	}
	return m
}

type prepared struct {
	ids    []int32
	y      []float32
	extra  []float32
	labels []bool
}

func (m *Model) prepare(exs []Example) ([]prepared, error) {
	out := make([]prepared, len(exs))
	for i, ex := range exs {
		if len(ex.Extra) != m.Cfg.Extra {
			return nil, fmt.Errorf("example %d (line %d): %d extra features, want %d", i, ex.Line, len(ex.Extra), m.Cfg.Extra)
		}
		p := prepared{ids: ids(m.vocab, Tokens(ex.Text), maxWidth(m.Cfg.Widths), nil, m.Cfg.Fallback, m.Cfg.Alias), y: make([]float32, NumActs), extra: ex.Extra, labels: ex.Labels}
		for a, on := range ex.Labels {
			if on {
				p.y[a] = 1
			}
		}
		out[i] = p
	}
	return out, nil
}

// work is one shard's scratch and gradient.
type work struct {
	grad   []float32
	h      [][]float32 // per width: positions × F, after ReLU
	argmax [][]int32
	feat   []float32
	mask   []float32
	dfeat  []float32
	logit  []float32
	ids    []int32
	rng    *rand.Rand
	pcg    *rand.PCG
	loss   float64
}

func (m *Model) newWork() *work {
	w := &work{grad: make([]float32, len(m.P)), feat: make([]float32, m.In), mask: make([]float32, m.In),
		dfeat: make([]float32, m.In), logit: make([]float32, NumActs)}
	w.h = make([][]float32, len(m.Cfg.Widths))
	w.argmax = make([][]int32, len(m.Cfg.Widths))
	for i := range w.argmax {
		w.argmax[i] = make([]int32, m.Cfg.Filters)
	}
	w.pcg = rand.NewPCG(0, 0)
	w.rng = rand.New(w.pcg)
	return w
}

func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// forward fills w.feat and w.logit for the rows x; training applies
// dropout from w.rng.
func (m *Model) forward(w *work, x []int32, extra []float32, train bool) {
	F, D := m.Cfg.Filters, m.D
	for wi, width := range m.Cfg.Widths {
		n := len(x) - width + 1
		if cap(w.h[wi]) < n*F {
			w.h[wi] = make([]float32, n*F)
		}
		h := w.h[wi][:n*F]
		W := m.P[m.convW[wi]:m.convB[wi]]
		B := m.P[m.convB[wi] : m.convB[wi]+F]
		for t := 0; t < n; t++ {
			ht := h[t*F : (t+1)*F]
			copy(ht, B)
			for k := 0; k < width; k++ {
				e := m.emb[int(x[t+k])*D : int(x[t+k]+1)*D]
				Wk := W[k*F*D : (k+1)*F*D]
				for f := 0; f < F; f++ {
					ht[f] += dot(Wk[f*D:(f+1)*D], e)
				}
			}
			for f := range ht {
				ht[f] = max(ht[f], 0)
			}
		}
		base := wi * 2 * F
		for f := 0; f < F; f++ {
			best, arg, sum := float32(0), int32(0), float32(0)
			for t := 0; t < n; t++ {
				v := h[t*F+f]
				sum += v
				if v > best {
					best, arg = v, int32(t)
				}
			}
			w.feat[base+f] = best
			w.argmax[wi][f] = arg
			w.feat[base+F+f] = sum / float32(n)
		}
	}
	copy(w.feat[2*F*len(m.Cfg.Widths):], extra)
	keep := 1 - m.Cfg.Dropout
	for i := range w.mask {
		w.mask[i] = 1
		if train && m.Cfg.Dropout > 0 {
			w.mask[i] = 0
			if w.rng.Float32() < keep {
				w.mask[i] = 1 / keep
			}
		}
	}
	for a := 0; a < NumActs; a++ {
		row := m.P[m.outW+a*m.In : m.outW+(a+1)*m.In]
		s := m.P[m.outB+a]
		for i, v := range row {
			s += v * w.feat[i] * w.mask[i]
		}
		w.logit[a] = s
	}
}

// backward adds the gradient of the loss for targets y to w.grad.
func (m *Model) backward(w *work, x []int32, y []float32) {
	F, D := m.Cfg.Filters, m.D
	for i := range w.dfeat {
		w.dfeat[i] = 0
	}
	for a := 0; a < NumActs; a++ {
		z := float64(w.logit[a])
		p := 1 / (1 + math.Exp(-z))
		// BCE with logits, computed stably.
		w.loss += math.Max(z, 0) - z*float64(y[a]) + math.Log1p(math.Exp(-math.Abs(z)))
		dl := float32(p) - y[a]
		w.grad[m.outB+a] += dl
		row := m.P[m.outW+a*m.In : m.outW+(a+1)*m.In]
		g := w.grad[m.outW+a*m.In : m.outW+(a+1)*m.In]
		for i := range g {
			fm := w.feat[i] * w.mask[i]
			g[i] += dl * fm
			w.dfeat[i] += dl * row[i] * w.mask[i]
		}
	}
	for wi, width := range m.Cfg.Widths {
		n := len(x) - width + 1
		h := w.h[wi][:n*F]
		base := wi * 2 * F
		gW := w.grad[m.convW[wi]:m.convB[wi]]
		gB := w.grad[m.convB[wi] : m.convB[wi]+F]
		inv := 1 / float32(n)
		for t := 0; t < n; t++ {
			for f := 0; f < F; f++ {
				if h[t*F+f] <= 0 {
					continue
				}
				da := w.dfeat[base+F+f] * inv
				if w.argmax[wi][f] == int32(t) {
					da += w.dfeat[base+f]
				}
				if da == 0 {
					continue
				}
				gB[f] += da
				for k := 0; k < width; k++ {
					e := m.emb[int(x[t+k])*D : int(x[t+k]+1)*D]
					axpy(da, e, gW[(k*F+f)*D:(k*F+f+1)*D])
				}
			}
		}
	}
}

// TrainResult tells how training went.
type TrainResult struct {
	Epochs     int     // epochs run
	BestEpoch  int     // the epoch whose weights were kept (1-based)
	DevMacroF1 float64 // at BestEpoch, before calibration
	T          float32 // fitted temperature
	Log        []string
}

// Train fits a model on train, choosing the epoch and the temperature on
// dev. The same inputs give the same weights, byte for byte.
func Train(cfg Config, v *Vectors, train, dev []Example) (*Model, TrainResult, error) {
	var res TrainResult
	if len(train) == 0 || len(dev) == 0 {
		return nil, res, errors.New("train: no examples")
	}
	if cfg.Shards < 1 || cfg.Batch < 1 || cfg.Filters < 1 || len(cfg.Widths) == 0 {
		return nil, res, errors.New("train: bad config")
	}
	m := newModel(cfg, v)
	tr, err := m.prepare(train)
	if err != nil {
		return nil, res, fmt.Errorf("train: %w", err)
	}
	dv, err := m.prepare(dev)
	if err != nil {
		return nil, res, fmt.Errorf("train dev: %w", err)
	}
	// Output biases start at the log-odds of each act.
	for a := 0; a < NumActs; a++ {
		pos := 0.5
		for _, p := range tr {
			pos += float64(p.y[a])
		}
		q := pos / float64(len(tr)+1)
		m.P[m.outB+a] = float32(math.Log(q / (1 - q)))
	}
	works := make([]*work, cfg.Shards)
	for i := range works {
		works[i] = m.newWork()
	}
	adamM := make([]float32, len(m.P))
	adamV := make([]float32, len(m.P))
	const b1, b2, eps = 0.9, 0.999, 1e-8
	step := 0
	best := append([]float32(nil), m.P...)
	bestF1, bestLoss := -1.0, math.Inf(1)
	since := 0
	order := make([]int, len(tr))
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		r := rand.New(rand.NewPCG(cfg.Seed, uint64(epoch)+1))
		for i := range order {
			order[i] = i
		}
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		loss := 0.0
		for start := 0; start < len(order); start += cfg.Batch {
			batch := order[start:min(start+cfg.Batch, len(order))]
			var wg sync.WaitGroup
			for s, w := range works {
				lo, hi := s*len(batch)/cfg.Shards, (s+1)*len(batch)/cfg.Shards
				wg.Add(1)
				go func() {
					defer wg.Done()
					clear(w.grad)
					w.loss = 0
					for _, idx := range batch[lo:hi] {
						p := tr[idx]
						w.pcg.Seed(cfg.Seed^uint64(epoch+1)<<40, uint64(idx))
						w.ids = append(w.ids[:0], p.ids...)
						for j := 1; j < len(w.ids); j++ {
							if w.ids[j] != rowEOS && cfg.WordDropout > 0 && w.rng.Float32() < cfg.WordDropout {
								w.ids[j] = rowUnk
							}
						}
						m.forward(w, w.ids, p.extra, true)
						m.backward(w, w.ids, p.y)
					}
				}()
			}
			wg.Wait()
			g := works[0].grad
			loss += works[0].loss
			for _, w := range works[1:] {
				for i, v := range w.grad {
					g[i] += v
				}
				loss += w.loss
			}
			step++
			scale := 1 / float32(len(batch))
			c1 := float32(1 - math.Pow(b1, float64(step)))
			c2 := float32(1 - math.Pow(b2, float64(step)))
			for i, gi := range g {
				gi *= scale
				adamM[i] = b1*adamM[i] + (1-b1)*gi
				adamV[i] = b2*adamV[i] + (1-b2)*gi*gi
				mh := adamM[i] / c1
				vh := adamV[i] / c2
				m.P[i] -= cfg.LR * mh / (float32(math.Sqrt(float64(vh))) + eps)
			}
		}
		f1, devLoss := m.devScore(works[0], dv)
		res.Epochs = epoch + 1
		res.Log = append(res.Log, fmt.Sprintf("epoch %2d train loss %.4f dev loss %.4f dev macro-F1 %.3f",
			epoch+1, loss/float64(len(tr)), devLoss, f1))
		if cfg.Progress != nil {
			cfg.Progress(res.Log[len(res.Log)-1])
		}
		// Dev loss, not dev F1, picks the epoch: on a few hundred lines
		// F1 jumps by a point or two from one epoch to the next.
		if devLoss < bestLoss {
			bestLoss, bestF1, since, res.BestEpoch = devLoss, f1, 0, epoch+1
			copy(best, m.P)
		} else if since++; since >= cfg.Patience {
			break
		}
	}
	copy(m.P, best)
	res.DevMacroF1 = bestF1
	m.T = m.fitTemperature(works[0], dv)
	res.T = m.T
	return m, res, nil
}

// logits runs the float model on prepared examples.
func (m *Model) logits(w *work, ps []prepared) [][]float32 {
	out := make([][]float32, len(ps))
	for i, p := range ps {
		m.forward(w, p.ids, p.extra, false)
		out[i] = append([]float32(nil), w.logit...)
	}
	return out
}

func (m *Model) devScore(w *work, dv []prepared) (float64, float64) {
	ls := m.logits(w, dv)
	loss := 0.0
	pred := make([][]bool, len(dv))
	gold := make([][]bool, len(dv))
	probs := make([]float32, NumActs)
	for i, l := range ls {
		for a, z := range l {
			zz := float64(z)
			loss += math.Max(zz, 0) - zz*float64(dv[i].y[a]) + math.Log1p(math.Exp(-math.Abs(zz)))
			probs[a] = float32(1 / (1 + math.Exp(-zz)))
		}
		pred[i] = Decide(probs, 0.5)
		gold[i] = dv[i].labels
	}
	return MacroF1(gold, pred), loss / float64(len(dv))
}

// fitTemperature picks T minimising the dev log-loss of sigmoid(z/T).
func (m *Model) fitTemperature(w *work, dv []prepared) float32 {
	ls := m.logits(w, dv)
	nll := func(T float64) float64 {
		s := 0.0
		for i, l := range ls {
			for a, z := range l {
				zz := float64(z) / T
				s += math.Max(zz, 0) - zz*float64(dv[i].y[a]) + math.Log1p(math.Exp(-math.Abs(zz)))
			}
		}
		return s
	}
	lo, hi := math.Log(0.25), math.Log(8.0)
	const phi = 0.6180339887498949
	for range 60 {
		a := hi - phi*(hi-lo)
		b := lo + phi*(hi-lo)
		if nll(math.Exp(a)) < nll(math.Exp(b)) {
			hi = b
		} else {
			lo = a
		}
	}
	return float32(math.Exp((lo + hi) / 2))
}

// Decide turns probabilities into acts: every act at or above threshold,
// or the most probable one when none is (a line always does something,
// if only "other").
func Decide(probs []float32, threshold float32) []bool {
	out := make([]bool, len(probs))
	best := 0
	any := false
	for a, p := range probs {
		if p >= threshold {
			out[a], any = true, true
		}
		if p > probs[best] {
			best = a
		}
	}
	if !any {
		out[best] = true
	}
	return out
}

func sigmoid32(z float32) float32 { return float32(1 / (1 + math.Exp(-float64(z)))) }
