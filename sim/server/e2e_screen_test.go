package server_test

// Browser tests of the trainee's screen: the composer locks until the
// reply, the meters say why they moved and acts are named for people, and
// the report fits a 375 px phone without sideways scrolling.

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// startCall opens the e2e persona in training mode, with no typing pauses.
func startCall(b *browser) {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	if err != nil {
		b.t.Fatal(err)
	}
	b.run(chromedp.Navigate(b.url+"/#/"),
		chromedp.WaitVisible(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)),
		chromedp.Click(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)))
	b.waitOpening()
}

// Two sends in a row: the second waits, so each question gets its own answer.
func TestE2EComposerLocksUntilTheReply(t *testing.T) {
	b := newBrowser(t)
	startCall(b)
	got := eval[[]any](b, `(() => {
		const ta = document.querySelector('.composer textarea');
		const form = ta.closest('form');
		ta.value = 'How many trucks do you run today?';
		form.requestSubmit();
		const locked = ta.readOnly && document.querySelector('.composer button[type=submit]').disabled;
		ta.value = 'And what is the hardest part of on-time delivery?';
		form.requestSubmit();
		return [locked, document.querySelectorAll('.chat-log .msg.trainee').length, ta.value];
	})()`)
	assert.Equal(t, true, got[0], "locked right after a send")
	assert.EqualValues(t, 1, got[1], "the second line is not sent while the first waits")
	assert.Equal(t, "And what is the hardest part of on-time delivery?", got[2], "and it stays in the box")
	b.waitJS(`document.querySelectorAll('.chat-log .msg.customer').length >= 2`)
	b.waitJS(`!document.querySelector('.composer textarea').readOnly && !document.querySelector('.composer button[type=submit]').disabled`)
	assert.Contains(t, b.text(`.composer .hint`), "Enter sends")
	assert.Contains(t, b.text(`.call-head .turns-left`), "left", "turns left during the call")
}

// The meters say why they moved, and acts read as "Problem question".
func TestE2EMeterReasonsAndActNames(t *testing.T) {
	b := newBrowser(t)
	startCall(b)
	b.say("What is the hardest part of getting deliveries out on time at the moment?")
	b.waitJS(`document.querySelector('.meters .meter-reasons li') !== null`)
	assert.Contains(t, b.text(`.meters .meter-reasons`), "asked about the customer's problems")
	assert.Contains(t, b.text(`.chat-log .msg.trainee .acts`), "Problem question")
	assert.NotContains(t, b.text(`.chat-log .msg.trainee .acts`), "problem ·", "no raw act ids")
}

// An over-long line stays in the box, with a message in characters.
func TestE2EOverlongLineStays(t *testing.T) {
	b := newBrowser(t)
	startCall(b)
	got := eval[[]any](b, `(() => {
		const ta = document.querySelector('.composer textarea');
		ta.value = 'é'.repeat(4001);
		ta.closest('form').requestSubmit();
		return [ta.value.length, document.querySelectorAll('.chat-log .msg.trainee').length, document.querySelector('.composer .hint').textContent];
	})()`)
	assert.EqualValues(t, 4001, got[0])
	assert.EqualValues(t, 0, got[1])
	assert.Contains(t, got[2], "4,001 characters")
}

// At 375 px the report scrolls only downwards: no sideways overflow, the
// quadrant's labels inside its drawing and the benchmarks inside their card.
func TestE2EReportFitsAPhone(t *testing.T) {
	b := newBrowser(t)
	startCall(b)
	for _, line := range badCall {
		b.say(line)
		if b.onReport() {
			break
		}
	}
	b.endIfOpen()
	b.waitReport()
	b.mobile()
	b.waitJS(`window.innerWidth === 375`)
	b.screenshot("report-375")
	assert.LessOrEqual(t, eval[int](b, `document.documentElement.scrollWidth`), 375, "no horizontal overflow")
	outside := eval[[]any](b, `(() => {
		const out = [];
		const svg = document.querySelector('.quadrant');
		const box = svg.getBoundingClientRect();
		for (const t of svg.querySelectorAll('text')) {
			const r = t.getBoundingClientRect();
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) out.push(t.textContent);
		}
		const table = document.querySelector('.benchmarks');
		const card = table.closest('.card').getBoundingClientRect();
		if (table.getBoundingClientRect().right > card.right + 0.5) out.push('benchmarks');
		if (table.closest('.table-wrap').scrollWidth > table.closest('.table-wrap').clientWidth + 1) out.push('benchmarks scroll');
		return out;
	})()`)
	assert.Empty(t, outside, "clipped at 375 px")
	assert.NotEmpty(t, b.text(`.report-head .verdict`), "the verdict in one sentence")
}
