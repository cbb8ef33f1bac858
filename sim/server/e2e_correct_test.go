package server_test

// End-to-end test of a correction: in training mode the trainee says a
// line was read wrong ("I meant this as…"), the customer answers the line
// as meant, a reload shows the corrected line, and the report marks it.

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// misread is a line the simulator reads as small talk; the test says the
// trainee meant it as a problem question.
const misread = "Lovely weather we are having this week."

const (
	lastMine   = `[...document.querySelectorAll('.chat-log .msg.trainee')].pop()`
	lastTheirs = `[...document.querySelectorAll('.chat-log .msg.customer')].pop()`
)

func TestE2ECorrectALine(t *testing.T) {
	b := newBrowser(t)
	_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	require.NoError(t, err)
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	b.say(goodCall[0])
	b.say(misread)
	require.Equal(t, "other", eval[string](b, lastMine+`.querySelector('.acts [data-act]').dataset.act`), "read as small talk")
	assert.Equal(t, 1, b.count(`.chat-log .msg.trainee .correct`), "only the last line can be corrected")
	assert.Equal(t, 1, eval[int](b, lastMine+`.querySelectorAll('.correct').length`))
	before := eval[string](b, lastTheirs+`.querySelector('.bubble').textContent`)
	customers := b.count(`.chat-log .msg.customer`)

	b.run(chromedp.Click(css(`.chat-log .msg.trainee .correct summary`)),
		chromedp.WaitVisible(css(`.chat-log .correct select`)),
		chromedp.SetValue(css(`.chat-log .correct select`), "problem"),
		chromedp.Click(css(`.chat-log .correct button[type="submit"]`)))
	b.waitJS(lastMine + `.classList.contains('corrected')`)
	b.screenshot("call-corrected")

	assert.Equal(t, "problem", eval[string](b, lastMine+`.querySelector('.acts [data-act]').dataset.act`), "played as meant")
	assert.Contains(t, eval[string](b, lastMine+`.querySelector('.msg-meta.read').textContent`), "Small talk", "what was read")
	assert.Equal(t, customers, b.count(`.chat-log .msg.customer`), "the answer is replaced, not added")
	after := eval[string](b, lastTheirs+`.querySelector('.bubble').textContent`)
	assert.NotEqual(t, before, after, "the customer answers the line as meant")
	assert.Empty(t, b.text(`.chat-log .msg-error`))

	// A reload resumes the call with the corrected line.
	b.leave.Store(true)
	b.run(chromedp.Reload())
	b.waitOpening()
	b.waitJS(`document.querySelectorAll('.chat-log .msg.trainee').length === 2`)
	assert.Equal(t, 1, b.count(`.chat-log .msg.trainee.corrected`))
	assert.Equal(t, after, eval[string](b, lastTheirs+`.querySelector('.bubble').textContent`))
	assert.Equal(t, 1, b.count(`.chat-log .msg.trainee .correct`))

	// The next line takes the control; the report marks the corrected turn.
	b.say(goodCall[2])
	assert.Equal(t, 1, b.count(`.chat-log .msg.trainee .correct`))
	assert.Equal(t, 0, eval[int](b, `document.querySelectorAll('.chat-log .msg.trainee')[1].querySelectorAll('.correct').length`))
	b.endIfOpen()
	b.waitReport()
	b.screenshot("report-corrected")
	assert.Equal(t, 1, b.count(`.corrections .correction[data-turn="2"]`))
	assert.Contains(t, b.text(`.corrections .correction`), "read as Small talk")
	assert.Contains(t, b.text(`.corrections .correction`), "meant as Problem question")
	assert.Equal(t, 1, b.count(`.transcript .turn.corrected`))
	assert.Contains(t, b.text(`#turn-2 .msg-meta.read`), "Small talk")
}
