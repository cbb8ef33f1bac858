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
	e := newEnv(b, withLimits(Limits{})) // one address, no limits: the server's own cost
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

// BenchmarkConcurrentCalls is a load test on loopback: 32 connections per
// core, each playing its own call, say after say; an op is one round trip,
// so ns/op is the server's throughput under load, not the latency of one
// call. Run with -cpu to vary the load.
func BenchmarkConcurrentCalls(b *testing.B) {
	e := newEnv(b, withLimits(Limits{})) // one address, no limits: the server's own cost
	url := e.wsURL()
	say := []byte(`{"type":"say","text":"What is the hardest part of keeping your chairs full?"}`)
	start := []byte(`{"type":"start","scenario":"clinic"}`)
	b.SetParallelism(32)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Error(err)
			return
		}
		defer ws.Close()
		read := func() (string, bool) {
			var m struct {
				Type  string `json:"type"`
				Ended bool   `json:"ended"`
			}
			if err := ws.ReadJSON(&m); err != nil {
				b.Error(err)
				return "", false
			}
			return m.Type, m.Ended
		}
		read() // ready
		send := func(msg []byte) bool {
			if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				b.Error(err)
				return false
			}
			return true
		}
		if !send(start) {
			return
		}
		read() // started
		for pb.Next() {
			if !send(say) {
				return
			}
			typ, ended := read()
			if typ != "reply" {
				b.Errorf("got %s, want reply", typ)
				return
			}
			if ended {
				read() // report
				if !send(start) {
					return
				}
				read() // started
			}
		}
	})
}
