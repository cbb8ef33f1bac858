package server

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// FuzzClientMessage feeds arbitrary client messages to a session: each gets
// at least one well-formed answer, and none is an internal error.
func FuzzClientMessage(f *testing.F) {
	for _, seed := range []string{
		`{"type":"start","scenario":"clinic"}`,
		`{"type":"start","scenario":"clinic","mode":"assessment","v":1}`,
		`{"type":"say","text":"What keeps you up at night?"}`,
		`{"type":"end"}`,
		`{"v":null,"type":"say","text":null}`,
		`{"type":"say","text":"\u0000"}`,
		`{"type":"correct","turn":1,"acts":["problem"]}`,
		`{"type":"correct","turn":1,"acts":["unclear","pitch"]}`,
		`{"type":"correct","turn":2,"acts":[]}`,
		`{"type":"correct","turn":-1,"acts":[null,1]}`,
		`[]`, `null`, `"start"`, `{"type":{}}`,
	} {
		f.Add([]byte(seed))
	}
	sc := loadTestScenario(f)
	srv := New(Config{Scenarios: []*sim.Scenario{sc}})
	f.Fuzz(func(t *testing.T, data []byte) {
		send := make(chan outbound, 16)
		ses := newSession(srv, nil, send, make(chan struct{}), srv.log)
		now := time.Now()
		// A call in progress with one turn, so say, correct and end reach
		// the conversation.
		ses.handle(inbound{kind: websocket.TextMessage, data: []byte(`{"type":"start","scenario":"clinic"}`), at: now})
		<-send
		ses.handle(inbound{kind: websocket.TextMessage, data: []byte(`{"type":"say","text":"Lovely weather."}`), at: now})
		<-send
		ses.handle(inbound{kind: websocket.TextMessage, data: data, at: now})
		require.NotEmpty(t, send, "every message is answered")
		for len(send) > 0 {
			m := <-send
			if m.close != 0 { // a close frame: text that is not UTF-8 fails the connection (RFC 6455)
				continue
			}
			var out struct {
				V    int    `json:"v"`
				Type string `json:"type"`
				Code string `json:"code"`
			}
			require.NoError(t, json.Unmarshal(m.data, &out))
			require.Equal(t, ProtocolVersion, out.V)
			require.NotEqual(t, "internal", out.Code)
		}
	})
}
