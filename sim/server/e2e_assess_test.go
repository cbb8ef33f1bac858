package server_test

// The hiring assessment end to end, in a real browser: the trainer's page
// creates it, two candidates play it on their links, and the reviewer
// compares, rates and exports them.

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
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

// assessTimeout bounds the whole assessment test: three browser windows
// and two calls.
const assessTimeout = 3 * time.Minute

// pasted is what candidate 1 pastes into the reply box.
const pasted = "What does a late delivery cost you with your biggest client?"

// TestE2EAssessment follows issue 11's "done means": a trainer creates an
// assessment in the page with a 90-second limit for two candidates.
// Candidate 1 opens the link, gives a name, starts, plays (pasting one
// line, leaving the window once), loses the connection (the server drops
// it), is back on the same call, leaves the page and opens her link again
// in a new tab, ends the call, then answers the debrief;
// opening the link again says it is used. Candidate 2 starts, idles, and
// closes the page; the server's sweeper ends that call at its deadline.
// The reviewer sees both blind, with the signals beside the turns,
// compares them, rates them and exports CSV.
//
// The server's clock is a fake one: real time plus an offset the test
// moves, so that candidate 2's 90 seconds pass at once. The limit stays
// 90 s; the sweeper runs as the program runs it (server.Sweep). Candidate
// 1's 90 seconds are real ones: her part takes a few.
func TestE2EAssessment(t *testing.T) {
	env := startAssessServer(t)
	ctx := context.Background()

	// 1. The trainer signs in and creates the assessment in the page.
	coach := env.browser
	coach.signIn("coach")
	coach.run(chromedp.Click(css(`#nav a[href="/assess-review.html"]`)), chromedp.WaitVisible(css(`#scenario`)))
	assert.Equal(t, []string{e2eScenario}, eval[[]string](coach, `Array.from(document.querySelectorAll('#scenario-ids option'), (o) => o.value)`), "the scenarios to choose from")
	coach.run(chromedp.SetValue(css(`#scenario`), e2eScenario),
		chromedp.SetValue(css(`#limit`), "90s"),
		chromedp.SetValue(css(`#count`), "2"),
		chromedp.Click(css(`form button[type="submit"]`)))
	coach.waitJS(`document.querySelectorAll('#links li').length === 2`)
	coach.screenshot("assess-create")
	links := eval[[]string](coach, `Array.from(document.querySelectorAll('#links li code'), (e) => e.textContent)`)
	for _, l := range links {
		assert.True(t, strings.HasPrefix(l, coach.url+"/assess.html#"), l)
	}
	all, err := env.store.Assessments(ctx)
	require.NoError(t, err)
	require.Len(t, all, 1)
	a := all[0]
	assert.Equal(t, 90*time.Second, a.TimeLimit)
	assert.Equal(t, sim.DefaultQuestions, a.Questions)

	// 2. Candidate 1 plays, loses the connection, and finishes.
	one := coach.window()
	one.run(chromedp.Navigate(links[0]), chromedp.WaitVisible(css(`#name`)))
	assert.Contains(t, one.text(`#app`), "1.5 minutes", "the rules give the time limit")
	one.screenshot("assess-welcome")
	one.run(chromedp.SendKeys(css(`#name`), "Ana Example"),
		chromedp.SendKeys(css(`#email`), "ana@example.com"),
		chromedp.Click(css(`form button[type="submit"]`)))
	one.waitAssessOpening()
	left := one.timeLeft()
	assert.True(t, left > 0 && left <= 90*time.Second, "the countdown runs to the server's deadline, 90 s after the start: %s", left)
	one.assessSay(goodCall[0])
	one.paste(pasted)
	one.assessSay("") // sends what the paste put in the box
	one.leaveAndComeBack()
	cands, err := env.store.Candidates(ctx, a.ID)
	require.NoError(t, err)
	callOne := cands[0].Call
	env.waitFor("candidate 1's three signals", func() bool {
		c, err := env.store.Candidate(ctx, cands[0].ID)
		return err == nil && len(c.Signals) == 3
	})
	before := one.assessChat()
	one.screenshot("assess-call")

	one.markChat()
	env.listener.drop() // the network fails: the page's websocket goes
	one.waitJS(`document.querySelector('#chat li[data-before]') === null && document.querySelectorAll('#chat li').length === ` + itoa(len(before)))
	assert.Equal(t, before, one.assessChat(), "the same call, every line once, after the reconnect")
	assert.Empty(t, one.text(`#call-note`), "the page says nothing is wrong once it is back")
	one.assessSay(goodCall[2])
	assert.Len(t, env.call(callOne).Turns, 3, "the call went on after the reconnect")

	// She leaves the page and opens her link again in a new tab of this
	// browser: the call goes on where it was, the clock still running.
	before = one.assessChat()
	one.run(chromedp.Navigate("about:blank"))
	one = one.tab()
	one.run(chromedp.Navigate(links[0]))
	one.waitJS(`document.querySelectorAll('#chat li').length === ` + itoa(len(before)))
	assert.Equal(t, before, one.assessChat())
	assert.LessOrEqual(t, one.timeLeft(), left, "the same deadline, not a new one")

	one.run(chromedp.Click(css(`#end-btn`)))
	kinds := []sim.SignalKind{}
	storedOne, err := env.store.Candidate(ctx, cands[0].ID)
	require.NoError(t, err)
	for _, sg := range storedOne.Signals {
		kinds = append(kinds, sg.Kind)
	}
	assert.Equal(t, []sim.SignalKind{sim.Paste, sim.Blur, sim.Focus}, kinds, "the signals the test made, and no other")
	one.waitJS(`document.querySelector('#ended') !== null`)
	assert.Equal(t, "The call has ended. Thank you.", one.text(`#ended`))
	one.screenshot("assess-debrief")
	one.noFeedback()
	for i := range a.Questions {
		one.run(chromedp.SendKeys(css(fmt.Sprintf(`#q%d`, i)), fmt.Sprintf("Answer %d from candidate one.", i+1)))
	}
	one.run(chromedp.Click(css(`form button[type="submit"]`)))
	one.waitJS(`(document.querySelector('#app h1') || {}).textContent === 'Thank you'`)
	one.noFeedback()

	// Her link, used, says so, in her browser as in any other.
	one.run(chromedp.Navigate(links[0]), chromedp.Reload())
	one.waitJS(`(document.querySelector('#app h1') || {}).textContent === 'Already used'`)
	assert.Contains(t, one.text(`#app`), "already been used")

	// 3. Candidate 2 starts, idles, and closes the page.
	two := coach.window()
	two.run(chromedp.Navigate(links[1]), chromedp.WaitVisible(css(`#name`)))
	two.run(chromedp.SendKeys(css(`#name`), "Bo Example"), chromedp.Click(css(`form button[type="submit"]`)))
	two.waitAssessOpening()
	cands, err = env.store.Candidates(ctx, a.ID)
	require.NoError(t, err)
	callTwo := cands[1].Call
	require.NotEmpty(t, callTwo)
	two.close()

	env.clock.advance(91 * time.Second) // the 90 seconds pass with no one on the call
	env.waitFor("the server to end candidate 2's call at its deadline", func() bool {
		return !env.call(callTwo).InProgress()
	})
	rec := env.call(callTwo)
	assert.Equal(t, sim.EndedByDeadline, rec.End)
	assert.True(t, rec.Ended.Equal(rec.Deadline), "the end is recorded at the deadline itself")
	assert.Empty(t, rec.Turns)

	again := coach.window()
	again.run(chromedp.Navigate(links[0]))
	again.waitJS(`(document.querySelector('#app h1') || {}).textContent === 'Already used'`)
	again.close()

	// 4. The reviewer: both blind, the signals beside the turns, side by
	// side, a scorecard each, and the CSV.
	coach.run(chromedp.Navigate(coach.url+"/assess-review.html"), chromedp.Reload())
	coach.run(chromedp.Click(css(`a[href="#` + a.ID + `"]`)))
	coach.waitJS(`document.querySelectorAll('section[id^="c-"]').length === 2`)
	assert.Contains(t, coach.text(`#app`), "Blind: names are hidden")
	assert.Equal(t, []string{"Candidate 1", "Candidate 2"}, eval[[]string](coach, `Array.from(document.querySelectorAll('section[id^="c-"] h2'), (e) => e.textContent)`))
	page := coach.text(`#app`)
	for _, name := range []string{"Ana Example", "ana@example.com", "Bo Example"} {
		assert.NotContains(t, page, name, "blind")
	}
	assert.Contains(t, page, "not proof", "the signals come with the note that they are signals")
	coach.screenshot("assess-review")

	// Candidate 1's call with the signals where they happened: the paste
	// while typing the second line, the window left after it.
	first := "#c-" + cands[0].ID
	assert.Equal(t, []string{
		"Candidate: " + goodCall[0],
		"Customer: ",
		"Signal: pasted " + itoa(len(pasted)) + " characters",
		"Candidate: " + pasted,
		"Customer: ",
		"Signal: left the page (another tab or window)",
		"Signal: came back to the page",
		"Candidate: " + goodCall[2],
		"Customer: ",
	}, coach.reviewLines(first))

	// Side by side.
	rows := eval[[][]string](coach, `Array.from(document.querySelectorAll('table.compare tbody tr'), (r) => Array.from(r.cells, (c) => c.textContent))`)
	require.Len(t, rows, 2)
	assert.Equal(t, []string{"Candidate 1", "finished", "hangup"}, rows[0][:3])
	assert.Equal(t, []string{"1", "1", "3"}, rows[0][6:9], "one paste, one focus lost, three turns")
	assert.Equal(t, []string{"Candidate 2", "started", "deadline"}, rows[1][:3])
	assert.Equal(t, []string{"0", "0", "0"}, rows[1][6:9])

	// A scorecard for each.
	ratings := map[string][]int{cands[0].ID: {4, 4, 3, 2}, cands[1].ID: {1, 1, 1, 1}}
	for _, c := range cands {
		coach.rate(c.ID, ratings[c.ID], "seen in the call")
	}
	// The table compares the ratings too, redrawn as they are saved.
	coach.waitJS(`Array.from(document.querySelectorAll('#compare tbody tr'), (tr) => Array.from(tr.cells, (td) => td.textContent).slice(-4).join(',')).join(' / ') === '4,4,3,2 / 1,1,1,1'`)
	for _, c := range cands {
		stored, err := env.store.Candidate(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, stored.Scorecards, 1)
		assert.Equal(t, "coach", stored.Scorecards[0].Reviewer)
		assert.Equal(t, ratings[c.ID], stored.Scorecards[0].Ratings)
		assert.Equal(t, "seen in the call", stored.Scorecards[0].Notes[0])
	}

	// The CSV, blind as the page is.
	href := eval[string](coach, `Array.from(document.querySelectorAll('#app a')).find((a) => a.textContent === 'Export CSV').getAttribute('href')`)
	table, err := csv.NewReader(strings.NewReader(coach.fetchText(href))).ReadAll()
	require.NoError(t, err)
	require.Len(t, table, 3)
	csvRow := func(r []string) map[string]string {
		m := map[string]string{}
		for i, k := range table[0] {
			m[k] = r[i]
		}
		return m
	}
	c1, c2 := csvRow(table[1]), csvRow(table[2])
	assert.Equal(t, map[string]string{"candidate": "Candidate 1", "name": "", "email": "", "status": "finished", "ending": "hangup",
		"turns": "3", "pastes": "1", "pasted_chars": itoa(len(pasted)), "focus_lost": "1",
		"answer_1": "Answer 1 from candidate one.", "reviewers": "1", "active listening": "4", "qualifying": "2"},
		pick(c1, "candidate", "name", "email", "status", "ending", "turns", "pastes", "pasted_chars", "focus_lost", "answer_1", "reviewers", "active listening", "qualifying"))
	assert.Equal(t, map[string]string{"candidate": "Candidate 2", "name": "", "status": "started", "ending": "deadline",
		"turns": "0", "pastes": "0", "answer_1": "", "reviewers": "1", "qualifying": "1"},
		pick(c2, "candidate", "name", "status", "ending", "turns", "pastes", "answer_1", "reviewers", "qualifying"))
	assert.Equal(t, callOne, c1["call"])
	stored := env.call(callOne)
	require.NotNil(t, stored.Report)
	assert.Equal(t, itoa(stored.Report.Score), c1["score"])
	assert.Equal(t, string(stored.Report.Profile), c1["profile"])

	// The reviewer downloads the call's full record, the file roleplay
	// grade re-grades (cmd/roleplay's TestDeadlineSurvivesARestart checks
	// it gives the stored report byte for byte).
	var tr sim.Transcript
	require.NoError(t, json.Unmarshal([]byte(coach.fetchText(coach.attr(first+` a.transcript-json`, "href"))), &tr))
	assert.Equal(t, callOne, tr.Call.ID)
	assert.Len(t, tr.Call.Turns, 3)
	assert.NotEmpty(t, tr.Scenario.Source, "the reviewer's download is the whole record")

	// Names come only when the reviewer reveals them, and the reveal is
	// recorded and shown: who, and when in the reader's time zone.
	assert.Zero(t, coach.count(`#reveals li`), "no reveal yet")
	coach.run(chromedp.Click(css(`#reveal`)))
	coach.waitJS(`document.querySelector('section[id^="c-"] h2').textContent === 'Candidate 1: Ana Example'`)
	reveals, err := env.store.Reveals(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, reveals, 1)
	assert.Equal(t, sim.Reveal{Assessment: a.ID, User: "coach", Via: sim.RevealReview, At: reveals[0].At}, reveals[0])
	zone, err := time.LoadLocation(eval[string](coach, `Intl.DateTimeFormat().resolvedOptions().timeZone`))
	require.NoError(t, err)
	line := "Names revealed by coach on " + reveals[0].At.In(zone).Format("2 Jan 2006 15:04")
	coach.waitJS(`document.querySelectorAll('#reveals li').length === 1`)
	assert.Equal(t, line, coach.text(`#reveals li`))
	coach.screenshot("assess-revealed")

	// Saving a scorecard while the names show redraws the table with them,
	// and is not another reveal.
	coach.rate(cands[0].ID, []int{5, 4, 3, 2}, "")
	coach.waitJS(`(() => { const tr = document.querySelector('#compare tbody tr'); return tr.cells[0].textContent === 'Candidate 1 (Ana Example)' && Array.from(tr.cells, (td) => td.textContent).slice(-4).join(',') === '5,4,3,2'; })()`)
	reveals, err = env.store.Reveals(ctx, a.ID)
	require.NoError(t, err)
	assert.Len(t, reveals, 1, "a redraw is not a reveal")

	// Hidden again, the page still says who saw the names.
	coach.run(chromedp.Click(css(`#reveal`)))
	coach.waitJS(`document.querySelector('section[id^="c-"] h2').textContent === 'Candidate 1'`)
	assert.Equal(t, line, coach.text(`#reveals li`))

	// Of many reveals the page lists the latest five, and all of them on
	// request, oldest first.
	for i := range 5 {
		require.NoError(t, env.store.AddReveal(ctx, sim.Reveal{Assessment: a.ID, User: "root", Via: sim.RevealCSV, At: reveals[0].At.Add(time.Duration(i+1) * time.Second)}))
	}
	coach.run(chromedp.Click(css(`#reveal`))) // the seventh
	coach.waitJS(`document.querySelector('#all-reveals') !== null`)
	assert.Equal(t, 5, coach.count(`#reveals li`))
	assert.Equal(t, "Show all 7 reveals", coach.text(`#all-reveals`))
	coach.run(chromedp.Click(css(`#all-reveals`)))
	coach.waitJS(`document.querySelectorAll('#reveals li').length === 7 && document.querySelector('#all-reveals') === null`)
	assert.Equal(t, line, coach.text(`#reveals li`), "the first reveal comes first")
}

// TestE2EAssessmentTimeIsUp: a candidate still on the call when the server
// ends it at the deadline sees that the time is up, and the debrief,
// nothing of how the call went. The clock is the fake one of
// TestE2EAssessment, moved past the 90 seconds.
func TestE2EAssessmentTimeIsUp(t *testing.T) {
	env := startAssessServer(t)
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	made, err := server.CreateAssessment(context.Background(), env.store, scs[0],
		server.NewAssessment{Scenario: e2eScenario, TimeLimit: "90s", Candidates: 1}, "coach", env.clock.now())
	require.NoError(t, err)

	cand := env.browser.window()
	cand.run(chromedp.Navigate(cand.url+made.Links[0]), chromedp.WaitVisible(css(`#name`)))
	cand.run(chromedp.SendKeys(css(`#name`), "Cy Example"), chromedp.Click(css(`form button[type="submit"]`)))
	cand.waitAssessOpening()
	cand.assessSay(goodCall[0])

	env.clock.advance(91 * time.Second)
	cand.waitJS(`document.querySelector('#ended') !== null`)
	assert.Equal(t, "Time is up: your call has ended. Thank you.", cand.text(`#ended`))
	cand.noFeedback()
	assert.Equal(t, 4, cand.count(`textarea[id^="q"]`), "the debrief follows")
}

// pick is m's entries of the given keys.
func pick(m map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

// ---------------------------------------------------------------- harness

// assessServer is a server with a fake clock, its sweeper running, behind
// a listener that can drop every connection, and a browser on it.
type assessServer struct {
	t        *testing.T
	store    *inmem.Store
	clock    *offsetClock
	listener *dropListener
	browser  *browser
}

func startAssessServer(t *testing.T) *assessServer {
	t.Helper()
	exe := findChrome()
	if exe == "" {
		t.Skip("no Chromium or Chrome found: install chromium or set CHROME_PATH to run the browser tests")
	}
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	env := &assessServer{t: t, store: inmem.New(), clock: &offsetClock{}}
	pw, err := auth.HashPassword(e2ePassword)
	require.NoError(t, err)
	require.NoError(t, env.store.CreateUser(context.Background(), &sim.User{Name: "coach", Role: sim.Trainer, PasswordHash: pw, Created: time.Now()}))

	srv := server.New(server.Config{Scenarios: scs, Static: static.FS(), Store: env.store})
	server.SetClock(srv, env.clock.now)
	sweep, stopSweep := context.WithCancel(context.Background())
	swept := make(chan struct{})
	go func() { srv.Sweep(sweep); close(swept) }()

	ts := httptest.NewUnstartedServer(srv.Handler())
	env.listener = &dropListener{Listener: ts.Listener}
	ts.Listener = env.listener
	ts.Start()
	t.Cleanup(func() {
		stopSweep()
		<-swept
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		ts.Close()
	})
	env.browser = openBrowserFor(t, exe, ts.URL, assessTimeout)
	return env
}

// call reads a call from the store.
func (e *assessServer) call(id string) *sim.Call {
	e.t.Helper()
	c, err := e.store.Call(context.Background(), id)
	require.NoError(e.t, err)
	return c
}

// waitFor polls cond until it holds; what names it in the failure.
func (e *assessServer) waitFor(what string, cond func() bool) {
	e.t.Helper()
	require.Eventually(e.t, cond, e2eTimeout, 50*time.Millisecond, "waiting for %s", what)
}

// offsetClock is real time plus an offset the test moves forward, so that
// what uses the clock (rate limits) still sees it run.
type offsetClock struct{ offset atomic.Int64 }

func (c *offsetClock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *offsetClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// dropListener remembers the connections it accepted so that the test can
// drop them all, as a failing network does.
type dropListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func (l *dropListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

// drop closes every connection accepted so far.
func (l *dropListener) drop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		_ = c.Close()
	}
	l.conns = nil
}

// window opens another browser window with cookies of its own, as another
// person's browser on another machine would have.
func (b *browser) window() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	w := &browser{t: b.t, ctx: ctx, url: b.url, cancel: cancel}
	b.t.Cleanup(cancel)
	w.run()
	w.watch()
	w.keepFocus()
	return w
}

// keepFocus has the page keep the focus whatever the other windows and
// tabs of the test do, so that the only focus the page loses is the one
// the test makes it lose (leaveAndComeBack).
func (b *browser) keepFocus() {
	b.t.Helper()
	_, err := chromedp.Call(b.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	require.NoError(b.t, err)
}

// tab opens another tab of b's browser: the same cookies and storage.
func (b *browser) tab() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	w := &browser{t: b.t, ctx: ctx, url: b.url, cancel: cancel}
	b.t.Cleanup(cancel)
	w.run()
	w.watch()
	w.keepFocus()
	return w
}

// close closes the window.
func (b *browser) close() {
	b.t.Helper()
	require.NotNil(b.t, b.cancel, "only a window() closes")
	b.cancel()
}

// signIn signs in on the main page as name, with the e2e password.
func (b *browser) signIn(name string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.url+"/#/login"), chromedp.WaitVisible(css(`.auth-form input[name="name"]`)),
		chromedp.SendKeys(css(`.auth-form input[name="name"]`), name),
		chromedp.SendKeys(css(`.auth-form input[name="password"]`), e2ePassword),
		chromedp.Click(css(`.auth-form button[type="submit"]`)))
	b.waitJS(fmt.Sprintf(`(document.querySelector('.who-am-i')?.textContent || '').startsWith(%q)`, name+" ·"))
}

// waitAssessOpening waits for the candidate's call: the customer's first
// line shown.
func (b *browser) waitAssessOpening() {
	b.t.Helper()
	b.waitJS(`document.querySelectorAll('#chat li.customer').length >= 1`)
}

// assessSay types line (after what is in the box already), presses Say
// and waits for the customer's answer.
func (b *browser) assessSay(line string) {
	b.t.Helper()
	before := b.count(`#chat li.customer`)
	if line != "" {
		b.run(chromedp.SendKeys(css(`#say`), line))
	}
	b.run(chromedp.Click(css(`#say-btn`)))
	b.waitJS(fmt.Sprintf(`document.querySelectorAll('#chat li.customer').length > %d`, before))
	assert.Empty(b.t, b.text(`#call-note`), "no error for %q", line)
}

// paste pastes text into the reply box. Headless Chromium has no system
// clipboard to paste from, so the page gets the paste event a real one
// fires, with the text, and the text lands in the box as a paste puts it.
func (b *browser) paste(text string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(() => {
		const box = document.querySelector('#say'), data = new DataTransfer();
		data.setData('text/plain', %q);
		box.focus();
		box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
		box.value += %q;
		return true;
	})()`, text, text))
}

// leaveAndComeBack is the candidate switching to another window and back:
// the window loses focus, then gets it again (dispatched, as a headless
// window never has the system's focus to lose).
func (b *browser) leaveAndComeBack() {
	b.t.Helper()
	eval[bool](b, `window.dispatchEvent(new FocusEvent('blur')), window.dispatchEvent(new FocusEvent('focus')), true`)
}

// timeLeft is what the candidate's countdown shows.
func (b *browser) timeLeft() time.Duration {
	b.t.Helper()
	var m, s int
	_, err := fmt.Sscanf(b.text(`#countdown`), "Time left: %d:%d", &m, &s)
	require.NoError(b.t, err, "the countdown: %q", b.text(`#countdown`))
	return time.Duration(m)*time.Minute + time.Duration(s)*time.Second
}

// markChat marks the lines of the chat, so that the test sees when the
// page has drawn them again.
func (b *browser) markChat() {
	b.t.Helper()
	eval[bool](b, `document.querySelectorAll('#chat li').forEach((li) => { li.dataset.before = '1'; }), true`)
}

// assessChat is every line of the candidate's chat.
func (b *browser) assessChat() []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll('#chat li'), (e) => e.textContent)`)
}

// noFeedback checks the candidate's page shows nothing of how the call went.
func (b *browser) noFeedback() {
	b.t.Helper()
	page := strings.ToLower(b.text(`#app`))
	for _, word := range []string{"score", "profile", "balanced", "passed", "won", "lost", "coaching", "customer focus"} {
		assert.NotContains(b.t, page, word, "no feedback for a candidate")
	}
}

// reviewLines is the reviewer's view of a candidate's call, one entry a
// line, with the customer's words cut off (they are the persona's).
func (b *browser) reviewLines(section string) []string {
	b.t.Helper()
	return eval[[]string](b, fmt.Sprintf(`Array.from(document.querySelectorAll(%q), (li) => {
		const t = li.textContent;
		if (li.classList.contains('signal')) return t.replace(/ at \d\d:\d\d:\d\d$/, '');
		return t.startsWith('Customer: ') ? 'Customer: ' : t;
	})`, section+" ol.call-lines li"))
}

// rate fills in and saves the reviewer's scorecard of candidate id.
func (b *browser) rate(id string, ratings []int, note string) {
	b.t.Helper()
	for i, r := range ratings {
		b.run(chromedp.SetValue(css(fmt.Sprintf(`#r-%s-%d`, id, i)), itoa(r)))
	}
	b.run(chromedp.SendKeys(css(fmt.Sprintf(`#n-%s-0`, id)), note),
		chromedp.Click(css(fmt.Sprintf(`#c-%s form button[type="submit"]`, id))))
	b.waitJS(fmt.Sprintf(`document.querySelector('#c-%s [role="status"]').textContent === 'Saved.'`, id))
}
