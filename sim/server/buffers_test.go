package server

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// Every message goes out as json.Marshal would write it, from a pooled
// buffer: the same bytes, and a buffer reused for a shorter message holds
// nothing of the longer one.
func TestEncodeIsMarshal(t *testing.T) {
	e := newEnv(t)
	at := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	msgs := []any{
		readyMessage{V: ProtocolVersion, Type: typeReady, MaxText: sim.MaxTurnLength},
		errorMessage{V: ProtocolVersion, Type: typeError, Code: codeBadJSON, Message: `<b>&"quoted"</b> \ line` + "\u2028\u2029\x00\xff"},
	}
	for _, mode := range []sim.Mode{sim.Training, sim.AssessmentMode} {
		c, token, err := e.srv.startCall(e.sc, mode, "", at, nil)
		require.NoError(t, err)
		msgs = append(msgs, startedFor(c, token))
		for _, line := range append(goodCall[:5:5], "Ünïcödé <script>&amp; \"quotes\" 😀 ’") {
			turn, err := e.srv.turn(c, line, at, nil)
			require.NoError(t, err)
			msgs = append(msgs, replyFor(c, turn))
		}
		msgs = append(msgs, resumedFor(c))
		rep, err := e.srv.end(c, sim.EndedByTrainee, at)
		require.NoError(t, err)
		msgs = append(msgs, reportMessage{V: ProtocolVersion, Type: typeReport, Call: c.id(), Report: rep,
			ReportURL: reportURL(c.id()), TranscriptURL: transcriptURL(c.id())})
	}
	for round := range 2 { // the second round reuses the first's buffers
		for i, m := range msgs {
			want, err := json.Marshal(m)
			require.NoError(t, err)
			buf, err := encode(m)
			require.NoError(t, err)
			assert.Equal(t, string(want), buf.String(), "round %d, message %d", round, i)
			putBuffer(buf)
		}
	}
}

// replyOf is a reply with every field set from s, x and y: the strings
// where a reply has text, the numbers where it has numbers.
func replyOf(s string, x, y float64, n int) replyMessage {
	m := replyMessage{V: ProtocolVersion, Type: typeReply, turnView: turnView{
		Turn: n, Text: s, From: s, To: s + "x", Transitions: []string{s, ""}, Effects: []string{},
		Acts: []sim.Detection{
			{Act: sim.Act(n), Confidence: x, Cues: []string{s}, Sentence: s, Question: n%2 == 0, Conditional: n%3 == 0, Percent: y},
			{Act: sim.Pitch, Confidence: y, Sentence: s},
		},
		Corrected: n%7 == 0, Read: []sim.Detection{{Act: sim.Act(n + 1), Confidence: y, Cues: []string{}, Sentence: s, Percent: x}},
		Meters:   []sim.MeterChange{{Name: s, Value: n, Delta: -n}},
		Revealed: []factView{{ID: s, Kind: sim.FactKind(s), Label: s}},
		Ended:    n%5 == 0, Outcome: sim.Outcome(s), Reason: s,
	}}
	m.Checklist = []sim.FactStatus{{ID: s, Kind: sim.FactKind(s), Label: s, Turn: n}, {Kind: sim.FactKind(s)}}
	return m
}

var replySamples = []string{"", "plain", `<b>&"quoted"</b> \ line`, "\x00\x01\b\f\n\r\t\x1f\x7f", "\u2028\u2029", "\xff\xfe", "Ünïcödé 😀 ’", "\xed\xa0\x80"}

var floatSamples = []float64{0, 1, -1, 0.5, 0.123456789, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 1.5e300, -2.5e-10, 5e-324, math.MaxFloat64, 100}

func TestReplyJSONIsMarshal(t *testing.T) {
	for i, s := range replySamples {
		for j, x := range floatSamples {
			m := replyOf(s, x, floatSamples[(j+i)%len(floatSamples)], i*len(floatSamples)+j)
			want, err := json.Marshal(m)
			require.NoError(t, err)
			got, ok := appendReply(nil, &m)
			require.True(t, ok)
			assert.Equal(t, string(want), string(got), "%q %g", s, x)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		m := replyOf("s", x, 0, 1)
		_, err := json.Marshal(m)
		require.Error(t, err)
		got, ok := appendReply([]byte("before"), &m)
		assert.False(t, ok)
		assert.Equal(t, "before", string(got))
	}
	var empty replyMessage
	want, err := json.Marshal(empty)
	require.NoError(t, err)
	got, ok := appendReply(nil, &empty)
	require.True(t, ok)
	assert.Equal(t, string(want), string(got))
}

func FuzzReplyJSON(f *testing.F) {
	for i, s := range replySamples {
		f.Add(s, floatSamples[i], floatSamples[i+1], i)
	}
	f.Fuzz(func(t *testing.T, s string, x, y float64, n int) {
		m := replyOf(s, x, y, n)
		want, err := json.Marshal(m)
		got, ok := appendReply(nil, &m)
		if (err == nil) != ok {
			t.Fatalf("json.Marshal: %v, appendReply: %v", err, ok)
		}
		if ok && string(want) != string(got) {
			t.Fatalf("json.Marshal:\n%s\nappendReply:\n%s", want, got)
		}
	})
}

// BenchmarkEncodeReply encodes a training-mode reply of the test scenario
// (acts, meters, checklist) by reflection and by hand.
func BenchmarkEncodeReply(b *testing.B) {
	e := newEnv(b)
	c, _, err := e.srv.startCall(e.sc, sim.Training, "", time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC), nil)
	require.NoError(b, err)
	turn, err := e.srv.turn(c, goodCall[2], time.Date(2025, 1, 6, 9, 1, 0, 0, time.UTC), nil)
	require.NoError(b, err)
	m := replyFor(c, turn)
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, err := encode(m)
			if err != nil {
				b.Fatal(err)
			}
			putBuffer(buf)
		}
	})
}

// fill sets every field of v that can be set, in nested structs and
// slices too, from s and n.
func fill(t *testing.T, v reflect.Value, s string, n int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.25)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), s, n+i)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				fill(t, v.Field(i), s, n+i)
			}
		}
	default:
		t.Fatalf("fill: a %s field: teach fill and appendReply about it", v.Type())
	}
}

// A reply with every field set, its turn view's too, encodes as
// json.Marshal has it: a field added to replyMessage or turnView and not
// to appendReply fails here.
func TestReplyJSONHasEveryField(t *testing.T) {
	var m replyMessage
	fill(t, reflect.ValueOf(&m).Elem(), "<s>", 3)
	fill(t, reflect.ValueOf(&m.turnView).Elem(), "’t", 5)
	want, err := json.Marshal(m)
	require.NoError(t, err)
	got, ok := appendReply(nil, &m)
	require.True(t, ok)
	assert.Equal(t, string(want), string(got))
}
