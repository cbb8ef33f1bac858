package load

import (
	"bytes"
	"encoding/json"
)

// Message types and error codes of the protocol (sim/server/PROTOCOL.md).
const (
	typeReady   = "ready"
	typeStarted = "started"
	typeReply   = "reply"
	typeReport  = "report"
	typeError   = "error"
	typeClosing = "closing"

	codeRateLimited    = "rate_limited"
	codeCallInProgress = "call_in_progress"
	codeNoCall         = "no_call"
	codeCallEnded      = "call_ended"
)

// A frame is what a client needs to know of a server message.
type frame struct {
	typ   string
	code  string // of an error
	ended bool   // of a reply
}

var (
	typeKey  = []byte(`"type":"`)
	codeKey  = []byte(`"code":"`)
	endedKey = []byte(`"ended":true`)
)

// sniff reads a server message's type, and an error's code or whether a
// reply ended the call, without decoding the rest: a report carries the
// whole graded call, and decoding it would spend on the client the CPU it
// shares with the server. It relies on the server writing "type" before
// any text of the call (it does: {"v":1,"type":…}); text inside a JSON
// string has its quotes escaped, so `"ended":true` cannot come from it.
// A message it cannot read this way is decoded in full.
func sniff(data []byte) frame {
	var f frame
	f.typ = stringAfter(data, typeKey)
	if f.typ == "" {
		return decode(data)
	}
	switch f.typ {
	case typeError:
		f.code = stringAfter(data, codeKey)
	case typeReply:
		f.ended = bytes.Contains(data, endedKey)
	}
	return f
}

// stringAfter is the plain (unescaped) string value that follows key in
// data, or "".
func stringAfter(data, key []byte) string {
	i := bytes.Index(data, key)
	if i < 0 {
		return ""
	}
	rest := data[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || bytes.IndexByte(rest[:j], '\\') >= 0 {
		return ""
	}
	return string(rest[:j])
}

func decode(data []byte) frame {
	var m struct {
		Type  string `json:"type"`
		Code  string `json:"code"`
		Ended bool   `json:"ended"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return frame{}
	}
	return frame{typ: m.Type, code: m.Code, ended: m.Ended}
}
