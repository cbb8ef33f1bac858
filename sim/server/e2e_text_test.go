package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"

	"github.com/roleplay-sim/roleplay/sim"
)

// Pasting the longest line the page accepts, in Chinese, is one turn. It
// used to close the connection with 1009: 4000 characters are 12000 bytes.
func TestE2EPastedCJKLineIsOneTurn(t *testing.T) {
	b := newBrowser(t)
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()

	line := strings.Repeat("您好请问贵公司的配送有什么问题", sim.MaxTurnLength/15+1)
	line = string([]rune(line)[:sim.MaxTurnLength])
	b.run(chromedp.Focus(css(`.composer textarea`)))
	_, err := chromedp.Call(b.ctx, input.InsertText, input.InsertTextParams{Text: line})
	if err != nil {
		t.Fatal(err)
	}
	assert.Equal(t, sim.MaxTurnLength, eval[int](b, `document.querySelector('.composer textarea').value.length`))
	b.run(chromedp.SendKeys(css(`.composer textarea`), kb.Enter))
	b.waitJS(`document.querySelectorAll('.chat-log .msg.customer').length > 1 || document.querySelector('.chat-log .msg-error, .banner:not([hidden])') !== null`)
	assert.Empty(t, b.text(`.chat-log .msg-error`))
	assert.Empty(t, b.text(`.banner`), "the connection stays up")
	assert.Equal(t, 2, b.count(`.chat-log .msg.customer`), "the customer answered")
}
