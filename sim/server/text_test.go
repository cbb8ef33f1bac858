package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// escaped writes s as a JSON string the longest way: every character as
// \uXXXX escapes (two for one outside the BMP), as some clients send it.
func escaped(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	b.WriteByte('"')
	return b.String()
}

// The limit is in characters, and the read limit holds a full turn however
// it is escaped: 4000 CJK characters used to close the connection with 1009.
func TestLongestTurnFitsHoweverEscaped(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ name, char string }{
		{"CJK raw", "好"},
		{"astral raw", "😀"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.dial(t, "")
			c.start("")
			text := strings.Repeat(tc.char, sim.MaxTurnLength)
			c.sendRaw(`{"type":"say","text":"` + text + `"}`)
			assert.Equal(t, 1, c.expect("reply").Turn)
			c.sendRaw(`{"type":"say","text":` + escaped(text) + `}`)
			assert.Equal(t, 2, c.expect("reply").Turn)

			c.sendRaw(`{"type":"say","text":` + escaped(text+tc.char) + `}`)
			m := c.expect("error")
			assert.Equal(t, codeTooLong, m.Code)
			assert.Contains(t, m.Message, "4000 characters")
		})
	}
}

// RFC 6455 8.1: a text frame that is not UTF-8 fails the connection with
// 1007; it used to be accepted.
func TestInvalidUTF8ClosesWith1007(t *testing.T) {
	e := newEnv(t)
	c, other := e.dial(t, ""), e.dial(t, "")
	c.start("")
	other.start("")
	require.NoError(t, c.ws.WriteMessage(websocket.TextMessage, []byte("{\"type\":\"say\",\"text\":\"caf\xe9\"}")))
	assert.Equal(t, websocket.CloseInvalidFramePayloadData, c.closeCode())
	assert.Equal(t, 1, other.say(goodCall[0]).Turn, "the other session is unaffected")
}

// A say of only invisible characters is refused as empty, and no turn is
// used up.
func TestInvisibleSayIsEmpty(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")
	c.start("")
	for _, text := range []string{"\x00\x00\x00", "\u200b\u200b", "\ufeff \u200d\t\u2060", "\u202e\u00ad"} {
		c.send(map[string]any{"type": "say", "text": text})
		m := c.expect("error")
		assert.Equal(t, codeEmptyText, m.Code, "%q", text)
	}
	assert.Equal(t, 1, c.say(goodCall[0]).Turn, "no turn was used up")
}
