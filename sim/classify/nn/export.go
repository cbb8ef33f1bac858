package nn

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
)

// Export quantises m into a Net over the words for which keep returns
// true (nil keeps all); other words read as unknown.
func Export(m *Model, keep func(word string, rank int) bool) *Net {
	cfg := m.Cfg
	n := &Net{Widths: append([]int(nil), cfg.Widths...), F: cfg.Filters, E: cfg.Extra, ExtraScale: 1024}
	var rows []int32 // embedding rows of m, in Net order
	for r := 0; r < numSpecial; r++ {
		rows = append(rows, int32(r))
	}
	for i, w := range m.vocab.Words {
		if keep == nil || keep(w, int(m.vocab.Rank[i])) {
			n.Words = append(n.Words, w)
			rows = append(rows, int32(i+numSpecial))
		}
	}
	n.init()
	F, D := cfg.Filters, m.D
	u := make([]float32, len(rows)*n.stride)
	for ri, r := range rows {
		e := m.emb[int(r)*D : int(r+1)*D]
		for wi, w := range cfg.Widths {
			W := m.P[m.convW[wi]:m.convB[wi]]
			for k := 0; k < w; k++ {
				for f := 0; f < F; f++ {
					u[ri*n.stride+(n.off[wi]+k)*F+f] = dot(W[(k*F+f)*D:(k*F+f+1)*D], e)
				}
			}
		}
	}
	n.U = make([]int8, len(u))
	n.B = make([]int32, len(cfg.Widths)*F)
	n.SU = make([]float32, len(cfg.Widths)*F)
	for wi, w := range cfg.Widths {
		for f := 0; f < F; f++ {
			mx := 0.0
			for ri := range rows {
				for k := 0; k < w; k++ {
					mx = math.Max(mx, math.Abs(float64(u[ri*n.stride+(n.off[wi]+k)*F+f])))
				}
			}
			s := mx / 127
			if s == 0 {
				s = 1
			}
			n.SU[wi*F+f] = float32(s)
			n.B[wi*F+f] = int32(math.Round(float64(m.P[m.convB[wi]+f]) / s))
			for ri := range rows {
				for k := 0; k < w; k++ {
					j := ri*n.stride + (n.off[wi]+k)*F + f
					n.U[j] = int8(math.Round(float64(u[j]) / s))
				}
			}
		}
	}
	T := float64(m.T)
	n.Wo = make([]int16, NumActs*n.in)
	n.Mul = make([]int64, NumActs)
	n.Bo = make([]int64, NumActs)
	eff := make([]float64, n.in)
	for a := 0; a < NumActs; a++ {
		mx := 0.0
		for i := 0; i < n.in; i++ {
			var s float64
			if i < 2*F*len(cfg.Widths) {
				wi, f := i/(2*F), i%F
				s = float64(n.SU[wi*F+f])
				if i%(2*F) >= F {
					s /= meanScale
				}
			} else {
				s = 1 / float64(n.ExtraScale)
			}
			eff[i] = float64(m.P[m.outW+a*m.In+i]) / T * s
			mx = math.Max(mx, math.Abs(eff[i]))
		}
		so := mx / 32767
		if so == 0 {
			so = 1e-9
		}
		for i, e := range eff {
			n.Wo[a*n.in+i] = int16(math.Round(e / so))
		}
		n.Mul[a] = int64(math.Round(so * zUnit * (1 << mulShift)))
		n.Bo[a] = int64(math.Round(float64(m.P[m.outB+a]) / T * zUnit))
	}
	n.transpose()
	n.Sigmoid = make([]float32, 2*zMax*zUnit+1)
	for i := range n.Sigmoid {
		z := float64(i-zMax*zUnit) / zUnit
		n.Sigmoid[i] = float32(1 / (1 + math.Exp(-z)))
	}
	h := sha256.New()
	n.Write(h)
	n.ver = hex.EncodeToString(h.Sum(nil)[:6])
	return n
}

const netMagic = "nnnet1\n"

// Write stores n (little-endian): magic, shape, words, then the tables.
func (n *Net) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(netMagic)
	le := binary.LittleEndian
	hdr := []uint32{uint32(len(n.Widths)), uint32(n.F), uint32(n.E), uint32(len(n.Words)), uint32(NumActs)}
	for _, w := range n.Widths {
		hdr = append(hdr, uint32(w))
	}
	binary.Write(bw, le, hdr)
	for _, word := range n.Words {
		if len(word) > 255 {
			return fmt.Errorf("write net: word %q too long", word)
		}
		bw.WriteByte(byte(len(word)))
		bw.WriteString(word)
	}
	for _, v := range []any{n.U, n.B, n.SU, n.Wo, n.Mul, n.Bo, n.ExtraScale, n.Sigmoid} {
		if err := binary.Write(bw, le, v); err != nil {
			return fmt.Errorf("write net: %w", err)
		}
	}
	return bw.Flush()
}

// ReadNet reads what Write stored.
func ReadNet(r io.Reader) (*Net, error) {
	h := sha256.New()
	br := bufio.NewReader(io.TeeReader(r, h))
	fail := func(err error) (*Net, error) { return nil, fmt.Errorf("read net: %w", err) }
	magic := make([]byte, len(netMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != netMagic {
		return fail(errors.New("not a net file"))
	}
	le := binary.LittleEndian
	hdr := make([]uint32, 5)
	if err := binary.Read(br, le, hdr); err != nil {
		return fail(err)
	}
	nw, F, E, nWords, acts := int(hdr[0]), int(hdr[1]), int(hdr[2]), int(hdr[3]), int(hdr[4])
	if nw < 1 || nw > 8 || F < 1 || F > 4096 || E > 4096 || nWords > 1<<22 || acts != NumActs {
		return fail(fmt.Errorf("bad header %v", hdr))
	}
	widths := make([]uint32, nw)
	if err := binary.Read(br, le, widths); err != nil {
		return fail(err)
	}
	n := &Net{F: F, E: E, ExtraScale: 1}
	for _, w := range widths {
		if w < 1 || w > 16 {
			return fail(fmt.Errorf("bad width %d", w))
		}
		n.Widths = append(n.Widths, int(w))
	}
	var buf [256]byte
	for i := 0; i < nWords; i++ {
		l, err := br.ReadByte()
		if err != nil {
			return fail(err)
		}
		if _, err := io.ReadFull(br, buf[:l]); err != nil {
			return fail(err)
		}
		n.Words = append(n.Words, string(buf[:l]))
	}
	n.init()
	if (nWords+numSpecial)*n.stride > 1<<28 || NumActs*n.in > 1<<24 {
		return fail(errors.New("tables too large"))
	}
	n.U = make([]int8, (nWords+numSpecial)*n.stride)
	n.B = make([]int32, nw*F)
	n.SU = make([]float32, nw*F)
	n.Wo = make([]int16, NumActs*n.in)
	n.Mul = make([]int64, NumActs)
	n.Bo = make([]int64, NumActs)
	n.Sigmoid = make([]float32, 2*zMax*zUnit+1)
	for _, v := range []any{n.U, n.B, n.SU, n.Wo, n.Mul, n.Bo, &n.ExtraScale, n.Sigmoid} {
		if err := binary.Read(br, le, v); err != nil {
			return fail(err)
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return fail(errors.New("trailing bytes"))
	}
	n.transpose()
	for _, m := range n.Mul {
		if m < 0 {
			return fail(errors.New("negative multiplier"))
		}
	}
	n.ver = hex.EncodeToString(h.Sum(nil)[:6])
	return n, nil
}

// Bytes is n as Write stores it.
func (n *Net) Bytes() []byte {
	var b bytes.Buffer
	n.Write(&b)
	return b.Bytes()
}
