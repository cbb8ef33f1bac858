package server

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/roleplay-sim/roleplay/sim"
)

// A reply goes out every turn, and in training mode it carries the acts,
// meters and checklist: encoding it by reflection was the largest share of
// a turn's JSON. appendReply writes exactly the bytes json.Marshal writes
// for a replyMessage (TestReplyJSONIsMarshal and FuzzReplyJSON compare
// them); a change to replyMessage, turnView or the sim types they hold
// must change it too.

// appendReply appends m as JSON to b. It reports false, and b as it was,
// for a number JSON cannot hold (NaN or an infinity), which json.Marshal
// refuses.
func appendReply(b []byte, m *replyMessage) ([]byte, bool) {
	start := len(b)
	ok := true
	num := func(b []byte, f float64) []byte {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			ok = false
			return b
		}
		return appendFloat(b, f)
	}
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(m.V), 10)
	b = append(b, `,"type":`...)
	b = appendString(b, m.Type)
	b = append(b, `,"turn":`...)
	b = strconv.AppendInt(b, int64(m.Turn), 10)
	b = append(b, `,"text":`...)
	b = appendString(b, m.Text)
	if len(m.Acts) > 0 {
		b = append(b, `,"acts":`...)
		b = appendDetections(b, m.Acts, num)
	}
	if m.From != "" {
		b = append(b, `,"from":`...)
		b = appendString(b, m.From)
	}
	if m.To != "" {
		b = append(b, `,"to":`...)
		b = appendString(b, m.To)
	}
	if len(m.Transitions) > 0 {
		b = append(b, `,"transitions":`...)
		b = appendStrings(b, m.Transitions)
	}
	if len(m.Meters) > 0 {
		b = append(b, `,"meters":`...)
		b = appendMeters(b, m.Meters)
	}
	if len(m.Effects) > 0 {
		b = append(b, `,"effects":`...)
		b = appendStrings(b, m.Effects)
	}
	if len(m.Revealed) > 0 {
		b = append(b, `,"revealed":[`...)
		for i, f := range m.Revealed {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFact(b, f.ID, string(f.Kind), f.Label)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if m.Corrected {
		b = append(b, `,"corrected":true`...)
	}
	if len(m.Read) > 0 {
		b = append(b, `,"read":`...)
		b = appendDetections(b, m.Read, num)
	}
	b = append(b, `,"ended":`...)
	b = strconv.AppendBool(b, m.Ended)
	b = append(b, `,"outcome":`...)
	b = appendString(b, string(m.Outcome))
	if m.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, m.Reason)
	}
	if len(m.Checklist) > 0 {
		b = append(b, `,"checklist":[`...)
		for i, f := range m.Checklist {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFact(b, f.ID, string(f.Kind), f.Label)
			b = append(b, `,"turn":`...)
			b = strconv.AppendInt(b, int64(f.Turn), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	if !ok {
		return b[:start], false
	}
	return b, true
}

// appendDetections appends ds as a JSON array, its numbers through num.
func appendDetections(b []byte, ds []sim.Detection, num func([]byte, float64) []byte) []byte {
	b = append(b, '[')
	for i, d := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"act":`...)
		b = appendString(b, d.Act.String())
		b = append(b, `,"confidence":`...)
		b = num(b, d.Confidence)
		b = append(b, `,"cues":`...)
		b = appendStrings(b, d.Cues)
		b = append(b, `,"sentence":`...)
		b = appendString(b, d.Sentence)
		if d.Question {
			b = append(b, `,"question":true`...)
		}
		if d.Conditional {
			b = append(b, `,"conditional":true`...)
		}
		if d.Percent != 0 {
			b = append(b, `,"percent":`...)
			b = num(b, d.Percent)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendMeters(b []byte, ms []sim.MeterChange) []byte {
	b = append(b, '[')
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, m.Name)
		b = append(b, `,"value":`...)
		b = strconv.AppendInt(b, int64(m.Value), 10)
		b = append(b, `,"delta":`...)
		b = strconv.AppendInt(b, int64(m.Delta), 10)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendStrings appends ss as a JSON array; nil is null, as json.Marshal has it.
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendFloat appends f as encoding/json writes a float64: the shortest
// decimal that reads back as f, in exponent form below 1e-6 and from 1e21,
// with a one-digit exponent not padded ("1e-7", not "1e-07").
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string as json.Marshal writes it: HTML
// characters (<, >, &) escaped, control characters escaped, invalid UTF-8
// as U+FFFD, and U+2028 and U+2029 escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendFact appends the opening of a fact's object, without its closing
// brace: {"id":...,"kind":...,"label":...
func appendFact(b []byte, id, kind, label string) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, id)
	b = append(b, `,"kind":`...)
	b = appendString(b, kind)
	b = append(b, `,"label":`...)
	return appendString(b, label)
}
