package server

import (
	"encoding/json"
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
		c, token, err := e.srv.startCall(e.sc, mode, "", at)
		require.NoError(t, err)
		msgs = append(msgs, startedFor(c, token))
		for _, line := range append(goodCall[:5:5], "Ünïcödé <script>&amp; \"quotes\" 😀 ’") {
			turn, err := e.srv.turn(c, line, at)
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
