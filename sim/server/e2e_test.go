package server_test

// End-to-end tests of the browser UI: a real headless Chromium plays calls
// through the page served by the real server, typing into the chat and
// pressing Enter, and the tests read what the report page shows.
//
// They need Chromium (or Chrome): set CHROME_PATH, or have chromium,
// chromium-browser or google-chrome on PATH; without one they are skipped.
// Set E2E_SCREENSHOTS=<dir> to save screenshots of each page.

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/scenarios"
	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/static"
)

// e2eTimeout bounds one browser test; each takes a few seconds, most of it
// the customer's typing pauses.
const e2eTimeout = 45 * time.Second

// The persona the tests call, from testdata/e2e.
const e2eScenario = "e2e-fleet"

// A good call: discovery in SPIN order, a qualifying question, a pitch tied
// to the customer's problem, then a request for a next step once the
// customer has said what solving the problem is worth.
var goodCall = []string{
	"Thanks for taking the call, Dana. How many trucks do you run today, and how is dispatch organised across the depots?",
	"What is the hardest part of getting deliveries out on time at the moment?",
	"What does it cost you when a delivery runs late for one of your biggest customers?",
	"How would it help if you knew an hour ahead that a truck was going to be late?",
	"Besides you, who else would be involved in deciding on something like this?",
	"FleetSight sends a route alert the moment a truck is running late, so you could warn your client before a delivery is missed.",
	"Would you be open to a thirty-minute session next Tuesday with your dispatch lead to see whether it fits?",
}

// A bad call: product pitches before asking anything, and a push to sign.
var badCall = []string{
	"FleetSight is the market-leading fleet tracking platform, our live tracking and route alerts are the best on the market and we have hundreds of happy customers.",
	"Can we get the contract signed this week? The price goes up on Friday, so you really need to decide today.",
	"Let me tell you more about our product: FleetSight has live tracking, route alerts and a dashboard your whole team will love.",
	"Our platform is the best in the industry and we are much better than Samsara.",
	"FleetSight also comes with route alerts and a mobile app for every driver.",
}

const xss = `<img src=x onerror=alert(1)>`

func TestE2EGoodCallIsWonAndReported(t *testing.T) {
	b := newBrowser(t)
	b.run(chromedp.Navigate(b.url+"/#/"),
		chromedp.WaitVisible(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)),
		chromedp.WaitVisible(css(`#app .mode`)))
	b.screenshot("picker-desktop")
	b.run(chromedp.Click(css(`article[data-scenario="` + e2eScenario + `"] a.btn`)))
	b.waitOpening()

	for i, line := range goodCall {
		b.say(line)
		if i == 0 {
			// Training mode: the meters and checklist are live, and the acts
			// the simulator heard appear under the trainee's line.
			assert.Equal(t, 2, b.count(`.call-side .meter`), "trust and patience meters")
			b.waitJS(`document.querySelector('.chat-log .msg.trainee .acts') !== null`)
			b.screenshot("call-desktop")
		}
		if b.onReport() {
			break
		}
	}
	b.endIfOpen()
	b.waitReport()
	b.screenshot("report-desktop")

	assert.Equal(t, "Won", b.text(`.outcome-label`))
	assert.Equal(t, "balanced", b.attr(`.profile-name`, "data-profile"))
	assert.Equal(t, "Balanced", b.text(`.profile-name`))
	assert.GreaterOrEqual(t, b.count(`.coaching .coach`), 1, "coaching points")
	assert.Equal(t, len(goodCall), b.count(`.transcript .turn[id^="turn-"]`), "one transcript entry per turn")
	assert.GreaterOrEqual(t, b.count(`.transcript mark.cue`), 1, "cue words highlighted")
	assert.Contains(t, b.text(`.benchmarks`), "Gong", "benchmarks name their source")
	assert.Equal(t, "#/call/"+e2eScenario, b.attr(`.report-actions a.primary`, "href"), "try again")
	assert.Contains(t, b.attr(`.report-actions a[download]`, "href"), "/transcript")

	// A coaching point links to the turn it is about.
	if b.count(`.coaching .turn-link`) > 0 {
		b.run(chromedp.Click(css(`.coaching .turn-link`)))
		b.waitJS(`/^#\/report\/[^/]+\/turn\/\d+$/.test(location.hash) && document.activeElement.id === 'turn-' + location.hash.split('/').pop()`)
	}

	// The report also loads on its own, from the API.
	hash := eval[string](b, `location.hash`)
	b.run(chromedp.Navigate(b.url+"/"+hash), chromedp.Reload())
	b.waitReport()
	assert.Equal(t, "Won", b.text(`.outcome-label`))

	b.mobile()
	b.screenshot("report-mobile")
}

func TestE2EBadCallIsLostInAssessmentMode(t *testing.T) {
	b := newBrowser(t)
	b.run(chromedp.Navigate(b.url+"/#/"),
		chromedp.WaitVisible(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)),
		chromedp.Click(css(`label[for$="-assessment"]`)),
		chromedp.Click(css(`article[data-scenario="`+e2eScenario+`"] a.btn`)))
	b.waitOpening()
	assert.Equal(t, "Assessment", b.text(`.call-head .pill`))

	for _, line := range badCall {
		b.say(line)
		assert.Equal(t, 0, b.count(`.chat-log .acts`), "assessment mode shows no acts")
		if b.onReport() {
			break
		}
	}
	b.endIfOpen()
	b.waitReport()
	b.screenshot("report-bad-desktop")

	assert.Equal(t, "Lost", b.text(`.outcome-label`))
	assert.Equal(t, "self_focused", b.attr(`.profile-name`, "data-profile"))
	assert.GreaterOrEqual(t, b.count(`.coaching .coach:not(.positive)`), 1, "coaching points")
	assert.NotEmpty(t, b.text(`.outcome-reason`))
}

func TestE2EMarkupIsShownAsText(t *testing.T) {
	b := newBrowser(t)
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	b.mobile()
	b.say(xss)

	assert.Equal(t, xss, b.text(`.chat-log .msg.trainee .bubble`))
	assert.Equal(t, 0, b.count(`img`), "no element made from the text")
	b.screenshot("call-mobile")

	// End the call by hand: the transcript in the report shows it as text too.
	b.run(chromedp.Click(css(`.call-head .btn.danger`)))
	b.waitReport()
	assert.Equal(t, "Open", b.text(`.outcome-label`))
	assert.Equal(t, xss, b.text(`.transcript .msg.trainee .bubble`))
	assert.Equal(t, 0, b.count(`img`), "no element made from the text")
}

// Every bundled persona can be played to the end in the browser: each
// scenario's golden good call, typed into the page, is won and graded
// balanced, as the golden transcript says it is.
func TestE2EBundledPersonasGoodCalls(t *testing.T) {
	bundled, err := scenario.LoadFS(scenarios.FS(), ".")
	require.NoError(t, err)
	for _, sc := range bundled {
		t.Run(sc.ID, func(t *testing.T) {
			lines := goldenGoodCall(t, sc.ID)
			b := newBrowserOn(t, bundled)
			// The page leaves out the typing pause for people who ask for
			// less motion; so does this test, to play long calls quickly.
			_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
			})
			require.NoError(t, err)
			b.run(chromedp.Navigate(b.url+"/#/"),
				chromedp.WaitVisible(css(`article[data-scenario="`+sc.ID+`"] a.btn`)),
				chromedp.Click(css(`article[data-scenario="`+sc.ID+`"] a.btn`)))
			b.waitOpening()
			assert.Contains(t, b.text(`.call-head`), sc.Customer.Name)
			for _, line := range lines {
				b.say(line)
				if b.onReport() {
					break
				}
			}
			b.endIfOpen()
			b.waitReport()
			assert.Equal(t, "Won", b.text(`.outcome-label`))
			assert.Equal(t, "balanced", b.attr(`.profile-name`, "data-profile"))
			assert.Equal(t, len(lines), b.count(`.transcript .turn[id^="turn-"]`))
		})
	}
}

// goldenGoodCall returns the trainee lines of the scenario's golden call that
// expects a win and a balanced profile.
func goldenGoodCall(t *testing.T, id string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "testdata", id, "*.txt"))
	require.NoError(t, err)
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		sc, err := script.Parse(f, string(src))
		require.NoError(t, err)
		if sc.Expect["outcome"] == "won" && sc.Expect["profile"] == "balanced" {
			return sc.Lines
		}
	}
	t.Fatalf("scenario %s has no golden good call", id)
	return nil
}

// ---------------------------------------------------------------- harness

// browser is a headless Chromium on the UI of a fresh server.
type browser struct {
	t   *testing.T
	ctx context.Context
	url string

	// leave, when set, accepts the page's "leave this page?" question
	// (beforeunload) instead of failing the test; asked counts the times
	// it was asked.
	leave atomic.Bool
	asked atomic.Int32

	// cancel closes a window() of another browser's.
	cancel context.CancelFunc
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	return newBrowserOn(t, scs)
}

// newBrowserOn is a browser on a server with the given scenarios.
func newBrowserOn(t *testing.T, scs []*sim.Scenario) *browser {
	t.Helper()
	return newBrowserFor(t, func() *server.Server { return server.New(server.Config{Scenarios: scs, Static: static.FS()}) })
}

// newBrowserFor is a browser on the server newServer makes (once a
// browser is found).
func newBrowserFor(t *testing.T, newServer func() *server.Server) *browser {
	t.Helper()
	exe := findChrome()
	if exe == "" {
		t.Skip("no Chromium or Chrome found: install chromium or set CHROME_PATH to run the browser tests")
	}
	srv := newServer()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		ts.Close()
	})
	return openBrowser(t, exe, ts.URL)
}

// openBrowser starts the browser exe on the UI at url.
func openBrowser(t *testing.T, exe, url string) *browser {
	t.Helper()
	return openBrowserFor(t, exe, url, e2eTimeout)
}

// openBrowserFor is openBrowser for a test that takes up to timeout.
func openBrowserFor(t *testing.T, exe, url string, timeout time.Duration) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})

	b := &browser{t: t, ctx: ctx, url: url}
	b.run() // start the browser now, so a missing library fails here
	b.watch()
	return b
}

// watch fails the test on any script error or dialog (an alert from
// injected markup) in b's page.
func (b *browser) watch() {
	t, ctx := b.t, b.ctx
	var mu sync.Mutex
	var problems []string
	note := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	go func() {
		for ev, err := range chromedp.Events(ctx, runtime.ExceptionThrown) {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			note("script error in the page at %s:%d: %s", d.URL, d.LineNumber+1, msg)
		}
	}()
	go func() {
		for ev, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			if ev.Type == page.DialogTypeBeforeunload && b.leave.Load() {
				b.asked.Add(1)
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				continue
			}
			note("the page opened a %s dialog: %q", ev.Type, ev.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}
	}()
	t.Cleanup(func() { // runs before the browser closes
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Error(p)
		}
	})
}

// findChrome returns the browser to drive, or "" when there is none.
func findChrome() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// css selects the first element matching a CSS selector.
type css = chromedp.CSS

func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...))
}

// eval returns the value of a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	require.NoError(b.t, err, "evaluating %s", expr)
	return v
}

// waitJS polls until the expression is true in the page.
func (b *browser) waitJS(expr string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(e2eTimeout)))
	require.NoError(b.t, err, "waiting for %s", expr)
}

// The selectors below are Go-quoted into the page's JavaScript: %q gives a
// valid JavaScript string for the plain ASCII selectors the tests use.

func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ''`, sel)))
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`document.querySelector(%q)?.getAttribute(%q) || ''`, sel, name))
}

// waitOpening waits for the call to start: the customer's first line shown
// and the input ready.
func (b *browser) waitOpening() {
	b.t.Helper()
	b.run(chromedp.WaitVisible(css(`.chat-log .msg.customer`)), chromedp.WaitEnabled(css(`.composer textarea`)))
}

// say types a line, presses Enter and waits for the customer's answer (or
// the report, when the line ended the call).
func (b *browser) say(line string) {
	b.t.Helper()
	before := b.count(`.chat-log .msg.customer`)
	b.run(chromedp.WaitEnabled(css(`.composer textarea`)), chromedp.SendKeys(css(`.composer textarea`), line+kb.Enter))
	b.waitJS(fmt.Sprintf(`document.querySelectorAll('.chat-log .msg.customer').length > %d || location.hash.startsWith('#/report/')`, before))
	assert.Empty(b.t, b.text(`.chat-log .msg-error`), "no error for %q", line)
}

// onReport reports whether the call ended: the page says so or opened the report.
func (b *browser) onReport() bool {
	b.t.Helper()
	return eval[bool](b, `location.hash.startsWith('#/report/') || document.querySelector('.chat-log .msg-note') !== null`)
}

// endIfOpen presses End call if the call is still going, so that a script
// the customer did not end fails on the report's assertions, not a timeout.
func (b *browser) endIfOpen() {
	b.t.Helper()
	if !b.onReport() {
		b.run(chromedp.Click(css(`.call-head .btn.danger`)))
	}
}

func (b *browser) waitReport() {
	b.t.Helper()
	b.waitJS(`location.hash.startsWith('#/report/')`)
	b.run(chromedp.WaitVisible(css(`.report .outcome-label`)), chromedp.WaitVisible(css(`.report .transcript`)))
}

// mobile narrows the page to a phone's width.
func (b *browser) mobile() {
	b.t.Helper()
	b.run(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2)))
}

// screenshot saves the whole page to $E2E_SCREENSHOTS/<name>.png, when set.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}
