package server_test

// End-to-end test of a correction: in training mode the trainee says a
// line was read wrong ("I meant this as…"), the customer answers the line
// as meant, a reload shows the corrected line, and the report marks it.

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/static"
)

// misread is a line the simulator reads as small talk; the test says the
// trainee meant it as a problem question.
const misread = "Lovely weather we are having this week."

const (
	lastMine   = `[...document.querySelectorAll('.chat-log .msg.trainee')].pop()`
	lastTheirs = `[...document.querySelectorAll('.chat-log .msg.customer')].pop()`
)

// misreadCall opens a training call and says a line the simulator misreads
// as its second.
func misreadCall(t *testing.T) *browser {
	b := newBrowser(t)
	b.reducedMotion()
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	b.say(goodCall[0])
	b.say(misread)
	return b
}

func TestE2ECorrectALine(t *testing.T) {
	b := misreadCall(t)
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

// A line can be meant as two acts: the trainee picks both, and the line is
// played as both.
func TestE2ECorrectALineAsTwoActs(t *testing.T) {
	b := misreadCall(t)
	b.run(chromedp.Click(css(`.chat-log .msg.trainee .correct summary`)),
		chromedp.WaitVisible(css(`.chat-log .correct select[name="meant"]`)),
		chromedp.SetValue(css(`.chat-log .correct select[name="meant"]`), "empathy"),
		chromedp.SetValue(css(`.chat-log .correct select[name="meant-also"]`), "problem"),
		chromedp.Click(css(`.chat-log .correct button[type="submit"]`)))
	b.waitJS(lastMine + `.classList.contains('corrected')`)
	acts := eval[[]string](b, `[...`+lastMine+`.querySelectorAll('.acts [data-act]')].map((e) => e.dataset.act)`)
	assert.ElementsMatch(t, []string{"empathy", "problem"}, acts, "played as both acts meant")
	assert.Empty(t, b.text(`.chat-log .msg-error`))

	// Choosing the same two again is refused in the page, with a word why.
	b.run(chromedp.Click(css(`.chat-log .msg.trainee .correct summary`)),
		chromedp.WaitVisible(css(`.chat-log .correct select[name="meant"]`)),
		chromedp.SetValue(css(`.chat-log .correct select[name="meant"]`), "problem"),
		chromedp.SetValue(css(`.chat-log .correct select[name="meant-also"]`), "empathy"),
		chromedp.Click(css(`.chat-log .correct button[type="submit"]`)))
	b.waitJS(`document.querySelector('.chat-log .correct-note').textContent !== ''`)
	assert.Contains(t, b.text(`.chat-log .correct-note`), "played already")
}

// A trainee corrects a line; her trainer sees the correction in the list,
// the review (read and meant) and the corrections export.
func TestE2ETrainerSeesCorrections(t *testing.T) {
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	store := inmem.New()
	ctx := context.Background()
	pw, err := auth.HashPassword(e2ePassword)
	require.NoError(t, err)
	for _, u := range []*sim.User{
		{Name: "coach", Role: sim.Trainer, Teams: []string{"north"}},
		{Name: "ana", Role: sim.Trainee, Teams: []string{"north"}},
	} {
		u.PasswordHash, u.Created = pw, time.Now()
		require.NoError(t, store.CreateUser(ctx, u))
	}
	b := newBrowserFor(t, func() *server.Server {
		return server.New(server.Config{Scenarios: scs, Static: static.FS(), Store: store})
	})
	b.reducedMotion()

	b.signIn("ana")
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	b.say(goodCall[0])
	b.say(misread)
	b.run(chromedp.Click(css(`.chat-log .correct summary`)),
		chromedp.SetValue(css(`.chat-log .correct select`), "problem"),
		chromedp.Click(css(`.chat-log .correct button[type="submit"]`)))
	b.waitJS(lastMine + `.classList.contains('corrected')`)
	b.endIfOpen()
	b.waitReport()
	b.signOut()

	b.signIn("coach")
	b.waitJS(`document.querySelectorAll('.calls-table tr[data-call]').length === 1`)
	assert.Contains(t, b.text(`.calls-table tr[data-call] .corrections-count`), "1 corrected")
	assert.Equal(t, "/api/corrections", b.attr(`.export-corrections`, "href"))
	export := b.fetchText("/api/corrections")
	assert.Contains(t, export, "\nproblem\t"+misread+"\n")
	assert.True(t, strings.HasPrefix(export, "# Corrected readings"))
	assert.Equal(t, "/api/corrections?unsure=1", b.attr(`.export-unsure`, "href"))
	assert.True(t, strings.HasPrefix(b.fetchText("/api/corrections?unsure=1"), "# Unsure readings"))

	b.run(chromedp.Click(css(`.calls-table tr[data-call] a.review`)))
	b.waitJS(`document.querySelector('.review .corrections .correction') !== null`)
	b.screenshot("trainer-review-corrected")
	assert.Contains(t, b.text(`.review .corrections .correction`), "read as Small talk")
	assert.Contains(t, b.text(`.review .corrections .correction`), "meant as Problem question")
	assert.Equal(t, 1, b.count(`.review .transcript .turn.corrected`))
}

// reducedMotion asks the page for no typing pauses, as people who ask
// their system for less motion get.
func (b *browser) reducedMotion() {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	require.NoError(b.t, err)
}
