package server

import (
	"encoding/json"
	"testing"

	"github.com/gorilla/websocket"
)

// BenchmarkRoundTrip measures one say → reply over a real websocket on
// loopback: encoding, the read pump, the session running the turn on the
// simulator, the write pump and decoding the reply's type. A call that ends is followed by a
// new one. The test clock keeps the rate limit out of the way.
func BenchmarkRoundTrip(b *testing.B) {
	e := newEnv(b)
	c := e.dial(b, "")
	c.start("")
	say, err := json.Marshal(map[string]any{"type": "say", "text": "How do your patients book appointments with you today?"})
	if err != nil {
		b.Fatal(err)
	}
	start := []byte(`{"type":"start","scenario":"clinic"}`)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := c.ws.WriteMessage(websocket.TextMessage, say); err != nil {
			b.Fatal(err)
		}
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			b.Fatal(err)
		}
		var m struct {
			Type  string `json:"type"`
			Ended bool   `json:"ended"`
		}
		if err := json.Unmarshal(data, &m); err != nil || m.Type != "reply" {
			b.Fatalf("got %s (%v)", data, err)
		}
		if m.Ended {
			c.expect("report")
			if err := c.ws.WriteMessage(websocket.TextMessage, start); err != nil {
				b.Fatal(err)
			}
			c.expect("started")
		}
	}
}
