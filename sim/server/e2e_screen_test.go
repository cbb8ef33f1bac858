package server_test

// Browser tests of the trainee's screen: the composer locks until the
// reply, the meters say why they moved and acts are named for people, the
// brief stays at hand during the call, the report waits until the last
// line can be read, and the report fits a 375 px phone without sideways
// scrolling.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// The brief is beside the chat during the call, open on a wide screen,
// with the persona's text; on a phone it is there, folded away.
func TestE2EBriefDuringTheCall(t *testing.T) {
	b := newBrowser(t)
	startCall(b)
	b.waitJS(`(() => { const p = document.querySelector('.brief-panel'); return p && !p.hidden && p.querySelector('p') !== null; })()`)
	assert.Contains(t, b.text(`.brief-panel summary`), "Your brief")
	assert.Contains(t, b.text(`.brief-panel`), "Dana runs operations at Northwind Freight", "the persona's brief")
	assert.True(t, eval[bool](b, `document.querySelector('.brief-panel').open`), "open beside the chat on a wide screen")
	assert.True(t, eval[bool](b, `(() => { const r = document.querySelector('.brief-panel').getBoundingClientRect(); return r.width > 0 && r.height > 0; })()`), "visible")
	b.say("How many trucks do you run today?")
	assert.Contains(t, b.text(`.brief-panel`), "Dana runs operations", "still there after a turn")

	// On a phone the chat needs the room: the brief is folded, one tap away.
	phone := newBrowser(t)
	phone.mobile()
	startCall(phone)
	phone.waitJS(`window.innerWidth === 375`)
	phone.waitJS(`(() => { const p = document.querySelector('.brief-panel'); return p && !p.hidden && p.querySelector('p') !== null; })()`)
	assert.False(t, eval[bool](phone, `document.querySelector('.brief-panel').open`), "folded on a phone")
	phone.run(chromedp.Click(css(`.brief-panel summary`)))
	phone.waitJS(`document.querySelector('.brief-panel').open`)
	assert.LessOrEqual(t, eval[int](phone, `document.documentElement.scrollWidth`), 375, "the open brief fits the phone")
}

// With motion allowed, the report does not open over the customer's last
// line: the page waits long enough to read it, with a button to open it
// sooner, and then opens it by itself.
func TestE2EReadingPauseBeforeTheReport(t *testing.T) {
	for _, early := range []bool{false, true} {
		name := "waits, then opens"
		if early {
			name = "the button opens it sooner"
		}
		t.Run(name, func(t *testing.T) {
			b := newBrowser(t) // no reduced motion: typing and reading pauses on
			b.run(chromedp.Navigate(b.url+"/#/"),
				chromedp.WaitVisible(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)),
				chromedp.Click(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)))
			b.waitOpening()
			for _, line := range badCall {
				b.say(line)
				if b.onReport() {
					break
				}
			}
			require.True(t, b.onReport(), "the blind pitches end the call")
			b.waitJS(`document.querySelector('.chat-log .report-now button') !== null`)
			shown := time.Now()
			assert.True(t, strings.HasPrefix(eval[string](b, `location.hash`), "#/call/"), "the report waits")
			last := eval[string](b, `[...document.querySelectorAll('.chat-log .msg.customer')].pop().textContent`)
			assert.True(t, strings.Contains(last, "stop you there") || strings.Contains(last, "leave it here"), "the customer's last line, ending the call, is on screen: %q", last)
			assert.True(t, eval[bool](b, `(() => {
				const r = [...document.querySelectorAll('.chat-log .msg.customer')].pop().getBoundingClientRect();
				return r.top >= 0 && r.bottom <= window.innerHeight;
			})()`), "and scrolled into view")
			assert.Contains(t, b.text(`.chat-log .report-now button`), "Open the report")
			if early {
				b.run(chromedp.Click(css(`.chat-log .report-now button`)))
				b.waitReport()
				assert.Less(t, time.Since(shown), 2*time.Second, "opened at once on the button")
				return
			}
			time.Sleep(time.Second)
			assert.True(t, strings.HasPrefix(eval[string](b, `location.hash`), "#/call/"), "still reading a second later")
			b.waitReport()
			waited := time.Since(shown)
			assert.GreaterOrEqual(t, waited, 2*time.Second, "at least the shortest reading pause")
			assert.LessOrEqual(t, waited, 12*time.Second, "at most the longest one, and some slack")
		})
	}
}
