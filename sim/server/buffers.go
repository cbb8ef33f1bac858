package server

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// Message buffers are shared by all connections and reused: a turn's
// client message and its reply are garbage once handled and written, and
// allocating them anew each turn was a good part of what the collector
// had to keep up with.

// maxPooledBuffer is the largest buffer kept for reuse; a larger one (the
// resumed message of a long call) is left to the collector, so the pool
// never holds much.
const maxPooledBuffer = 64 << 10

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer {
	b := buffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuffer returns b to the pool; nil is ignored. Nothing may use b, or
// a slice of its bytes, afterwards.
func putBuffer(b *bytes.Buffer) {
	if b != nil && b.Cap() <= maxPooledBuffer {
		buffers.Put(b)
	}
}

// readBuffer reads all of r into a pooled buffer.
func readBuffer(r io.Reader) (*bytes.Buffer, error) {
	b := getBuffer()
	if _, err := b.ReadFrom(r); err != nil {
		putBuffer(b)
		return nil, err
	}
	return b, nil
}

// encode writes v as json.Marshal does into a pooled buffer; a reply by
// hand (replyjson.go).
func encode(v any) (*bytes.Buffer, error) {
	b := getBuffer()
	if m, ok := v.(replyMessage); ok {
		if out, ok := appendReply(b.AvailableBuffer(), &m); ok {
			b.Write(out)
			return b, nil
		}
	}
	if err := json.NewEncoder(b).Encode(v); err != nil {
		putBuffer(b)
		return nil, err
	}
	b.Truncate(b.Len() - 1) // Encode ends with a newline, Marshal does not
	return b, nil
}
