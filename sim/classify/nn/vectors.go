package nn

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// Vectors is a trimmed, int8-quantised copy of a word-vector table.
type Vectors struct {
	Dim   int
	Words []string
	Rank  []int32   // frequency rank in the source table (0 = most frequent)
	Scale []float32 // per-vector: value = Scale[i] * Q[i*Dim+j]
	Q     []int8
	index map[string]int32
}

// Index returns the row of word, or -1.
func (v *Vectors) Index(word string) int32 {
	if v.index == nil {
		v.index = make(map[string]int32, len(v.Words))
		for i, w := range v.Words {
			v.index[w] = int32(i)
		}
	}
	if i, ok := v.index[word]; ok {
		return i
	}
	return -1
}

// Vector writes the dequantised vector of row i into dst.
func (v *Vectors) Vector(i int32, dst []float32) {
	q := v.Q[int(i)*v.Dim : int(i+1)*v.Dim]
	s := v.Scale[i]
	for j, x := range q {
		dst[j] = s * float32(x)
	}
}

func (v *Vectors) add(word string, rank int32, vec []float64) {
	m := 0.0
	for _, x := range vec {
		m = math.Max(m, math.Abs(x))
	}
	s := m / 127
	if s == 0 {
		s = 1
	}
	for _, x := range vec {
		v.Q = append(v.Q, int8(math.Round(x/s)))
	}
	v.Words = append(v.Words, word)
	v.Rank = append(v.Rank, rank)
	v.Scale = append(v.Scale, float32(s))
}

// Trim streams a wink-embeddings JSON table ({"dimensions", "wordIndex",
// "vectors": {word: [d floats, l2norm, rank]}, ...}) and keeps the words
// for which keep returns true, in the table's order.
func Trim(r io.Reader, keep func(word string, rank int) bool) (*Vectors, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	v := &Vectors{}
	rankAt := -1
	var buf []float64
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("trim: %w", err)
		}
		switch key {
		case "dimensions":
			if err := dec.Decode(&v.Dim); err != nil {
				return nil, fmt.Errorf("trim dimensions: %w", err)
			}
		case "wordIndex":
			if err := dec.Decode(&rankAt); err != nil {
				return nil, fmt.Errorf("trim wordIndex: %w", err)
			}
		case "vectors":
			if v.Dim == 0 || rankAt < v.Dim {
				return nil, errors.New("trim: \"vectors\" before \"dimensions\" and \"wordIndex\"")
			}
			if err := expectDelim(dec, '{'); err != nil {
				return nil, err
			}
			for dec.More() {
				t, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("trim vectors: %w", err)
				}
				word, _ := t.(string)
				buf = buf[:0]
				if err := dec.Decode(&buf); err != nil {
					return nil, fmt.Errorf("trim vector %q: %w", word, err)
				}
				if len(buf) <= rankAt {
					return nil, fmt.Errorf("trim vector %q: %d numbers, want %d", word, len(buf), rankAt+1)
				}
				rank := int(buf[rankAt])
				if keep(word, rank) {
					v.add(word, int32(rank), buf[:v.Dim])
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, fmt.Errorf("trim vectors: %w", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("trim %v: %w", key, err)
			}
		}
	}
	if v.Dim == 0 {
		return nil, errors.New("trim: no \"dimensions\"")
	}
	return v, nil
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("trim: %w", err)
	}
	if t != d {
		return fmt.Errorf("trim: got %v, want %v", t, d)
	}
	return nil
}

const vectorsMagic = "nnvec1\n"

// Write stores v: magic, dim and count, then per word its length-prefixed
// bytes, rank, scale and Dim int8 values (little-endian).
func (v *Vectors) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(vectorsMagic)
	le := binary.LittleEndian
	var b [12]byte
	le.PutUint32(b[0:], uint32(v.Dim))
	le.PutUint32(b[4:], uint32(len(v.Words)))
	bw.Write(b[:8])
	for i, word := range v.Words {
		if len(word) > 255 {
			return fmt.Errorf("write vectors: word %q too long", word)
		}
		bw.WriteByte(byte(len(word)))
		bw.WriteString(word)
		le.PutUint32(b[0:], uint32(v.Rank[i]))
		le.PutUint32(b[4:], math.Float32bits(v.Scale[i]))
		bw.Write(b[:8])
		for _, q := range v.Q[i*v.Dim : (i+1)*v.Dim] {
			bw.WriteByte(byte(q))
		}
	}
	return bw.Flush()
}

// ReadVectors reads what Write stored.
func ReadVectors(r io.Reader) (*Vectors, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, len(vectorsMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != vectorsMagic {
		return nil, fmt.Errorf("read vectors: not a vectors file")
	}
	le := binary.LittleEndian
	var b [256]byte
	if _, err := io.ReadFull(br, b[:8]); err != nil {
		return nil, fmt.Errorf("read vectors: %w", err)
	}
	v := &Vectors{Dim: int(le.Uint32(b[0:]))}
	n := int(le.Uint32(b[4:]))
	if v.Dim <= 0 || v.Dim > 4096 || n < 0 || n > 1<<24 {
		return nil, fmt.Errorf("read vectors: bad header dim=%d n=%d", v.Dim, n)
	}
	v.Q = make([]int8, 0, n*v.Dim)
	for i := 0; i < n; i++ {
		l, err := br.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("read vectors: word %d: %w", i, err)
		}
		if _, err := io.ReadFull(br, b[:int(l)+8]); err != nil {
			return nil, fmt.Errorf("read vectors: word %d: %w", i, err)
		}
		v.Words = append(v.Words, string(b[:l]))
		v.Rank = append(v.Rank, int32(le.Uint32(b[l:])))
		v.Scale = append(v.Scale, math.Float32frombits(le.Uint32(b[l+4:])))
		for j := 0; j < v.Dim; j++ {
			c, err := br.ReadByte()
			if err != nil {
				return nil, fmt.Errorf("read vectors: word %d: %w", i, err)
			}
			v.Q = append(v.Q, int8(c))
		}
	}
	return v, nil
}
