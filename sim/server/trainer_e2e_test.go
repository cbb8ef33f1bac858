package server_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/static"
)

const e2ePassword = "a long enough password"

// The trainer's side end to end: the first admin signs up from the setup
// link and creates a trainer and a trainee; the trainee plays two calls;
// the trainee cannot open another trainee's call; the trainer finds the
// calls in the list, opens a review, comments on turn 2, exports CSV and
// compares the two attempts.
func TestE2ETrainerReviewsATraineesCalls(t *testing.T) {
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	store := inmem.New()
	var srv *server.Server
	b := newBrowserFor(t, func() *server.Server {
		srv = server.New(server.Config{Scenarios: scs, Static: static.FS(), Store: store})
		return srv
	})
	_, err = chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	require.NoError(t, err)
	ctx := context.Background()

	// 1. The first admin, from the setup link the server gives while it has
	// no users.
	setup, err := srv.SetupLink(ctx, b.url)
	require.NoError(t, err)
	require.NotEmpty(t, setup)
	b.run(chromedp.Navigate(setup), chromedp.WaitVisible(css(`.auth-form input[name="name"]`)))
	b.run(chromedp.SendKeys(css(`.auth-form input[name="name"]`), "root"),
		chromedp.SendKeys(css(`.auth-form input[name="password"]`), e2ePassword),
		chromedp.Click(css(`.auth-form button[type="submit"]`)))
	b.waitJS(`location.hash === '#/calls'`)
	b.waitJS(`(document.querySelector('.who-am-i') || {}).textContent === 'root · admin'`)
	again, err := srv.SetupLink(ctx, b.url)
	require.NoError(t, err)
	assert.Empty(t, again, "no setup link once there are users")

	// Another trainee's call, which ana must not see.
	require.NoError(t, store.CreateUser(ctx, &sim.User{Name: "bo", Role: sim.Trainee, Teams: []string{"south"}, Created: time.Now()}))
	require.NoError(t, store.PutScenarioVersion(ctx, scs[0].Version()))
	boCall := strings.Repeat("b0", 16)
	require.NoError(t, store.CreateCall(ctx, &sim.Call{ID: boCall, Scenario: scs[0].ID, Version: scs[0].Hash, Mode: sim.Training, Trainee: "bo", Started: time.Now()}))

	// 2. The admin creates a trainer and a trainee of team north.
	invite := map[string]string{}
	b.run(chromedp.Navigate(b.url+"/#/admin"), chromedp.WaitVisible(css(`form.new-user`)))
	for _, u := range [][2]string{{"coach", "trainer"}, {"ana", "trainee"}} {
		b.run(chromedp.SetValue(css(`form.new-user input[name="name"]`), u[0]),
			chromedp.SetValue(css(`form.new-user select[name="role"]`), u[1]),
			chromedp.SetValue(css(`form.new-user input[name="teams"]`), "north"),
			chromedp.Click(css(`form.new-user button[type="submit"]`)))
		b.waitJS(fmt.Sprintf(`document.querySelector('.invite-url[data-user=%q]') !== null`, u[0]))
		invite[u[0]] = eval[string](b, fmt.Sprintf(`document.querySelector('.invite-url[data-user=%q]').value`, u[0]))
		assert.Contains(t, invite[u[0]], b.url+"/#/accept/")
	}
	b.waitJS(`document.querySelectorAll('.users-table tr[data-user]').length === 4`) // root, bo, coach, ana
	b.screenshot("trainer-admin")
	b.signOut()

	// 3. The trainee sets her password and plays two calls.
	b.acceptInvite(invite["ana"])
	b.waitJS(`location.hash === '#/' || location.hash === ''`)
	for range 2 {
		b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
		b.waitOpening()
		for _, line := range goodCall[:3] {
			b.say(line)
		}
		b.endIfOpen()
		b.waitReport()
	}
	calls, err := store.ListCalls(ctx, sim.CallFilter{Trainees: []string{"ana"}})
	require.NoError(t, err)
	require.Len(t, calls, 2, "both calls recorded for ana")

	// 4. She cannot open bo's call: the API says 404, the page says so.
	assert.Equal(t, 404, b.status("/api/calls/"+boCall+"/review"))
	assert.Equal(t, 404, b.status("/api/compare?calls="+calls[0].ID+","+boCall))
	b.run(chromedp.Navigate(b.url + "/#/review/" + boCall))
	b.waitJS(`document.querySelector('.review .notice.error') !== null`)
	assert.Equal(t, "Call not available", b.text(`.review h1`))
	b.signOut()

	// 5. The trainer finds her calls, reviews one, comments on turn 2.
	b.acceptInvite(invite["coach"])
	b.waitJS(`location.hash === '#/calls'`)
	b.waitJS(`document.querySelectorAll('.calls-table tr[data-call]').length === 2`)
	b.screenshot("trainer-calls")
	first := calls[0].ID
	b.run(chromedp.Click(css(`.calls-table tr[data-call="` + first + `"] a.review`)))
	b.waitJS(`document.querySelector('#turn-2 .comment-form textarea') !== null`)
	assert.Equal(t, fmt.Sprint(*scoreOf(calls[0])), strings.TrimSuffix(b.text(`.auto-score`), "/100"))
	b.run(chromedp.SendKeys(css(`#turn-2 .comment-form textarea`), "Good: you asked what it costs. Now ask who else is hurt by it."),
		chromedp.Click(css(`#turn-2 .comment-form button`)))
	b.waitJS(`document.querySelector('#turn-2 .comment .comment-text') !== null`)
	assert.Contains(t, b.text(`#turn-2 .comment-text`), "Now ask who else")
	b.run(chromedp.SetValue(css(`.score-form input[type="number"]`), "64"),
		chromedp.SetValue(css(`.score-form input[type="text"]`), "Better discovery than the grade shows."),
		chromedp.Click(css(`.score-form button`)))
	b.waitJS(`document.querySelector('.trainer-scores li[data-author="coach"]') !== null`)
	b.screenshot("trainer-review")
	comments, err := store.Comments(ctx, first)
	require.NoError(t, err)
	require.Len(t, comments, 1)
	assert.Equal(t, 2, comments[0].Turn)
	assert.Equal(t, "coach", comments[0].Author)

	// Export CSV: the link downloads the list as the page filters it.
	b.run(chromedp.Navigate(b.url+"/#/calls"), chromedp.WaitVisible(css(`.calls-table`)))
	href := b.attr(`.export-csv`, "href")
	require.Contains(t, href, "format=csv")
	csvText := b.fetchText(href)
	lines := strings.Split(strings.TrimSpace(csvText), "\r\n")
	require.Len(t, lines, 3, csvText)
	assert.True(t, strings.HasPrefix(lines[0], "call,trainee,scenario,version,mode,started,"), lines[0])
	assert.Contains(t, csvText, ",ana,"+e2eScenario+",")

	// Compare the two attempts.
	b.run(chromedp.Click(css(`.calls-table tr[data-call="`+calls[0].ID+`"] .pick`)),
		chromedp.Click(css(`.calls-table tr[data-call="`+calls[1].ID+`"] .pick`)),
		chromedp.Click(css(`.compare-selected`)))
	b.waitJS(`location.hash.startsWith('#/compare/') && document.querySelector('.compare-table.transcripts') !== null`)
	assert.Equal(t, 2, b.count(`.compare-table.transcripts thead th[scope="col"]:not(:empty)`), "two attempts side by side")
	assert.Equal(t, 3, b.count(`.compare-table.transcripts tr.aligned-turn`), "turns aligned")
	assert.Equal(t, 2, b.count(`.compare-table:not(.transcripts):not(.facts) thead th[data-call]`))
	b.screenshot("trainer-compare")

	// The cohort of the scenario, drawn by the vendored Mermaid.
	b.run(chromedp.Navigate(b.url + "/#/cohort/" + e2eScenario))
	b.waitJS(`document.querySelector('.cohort-graph svg g') !== null || document.querySelector('.cohort-graph .notice') !== null`)
	assert.Equal(t, 0, b.count(`.cohort-graph .notice`), "the graph is drawn: %s", b.text(`.cohort-graph .notice`))
	assert.Equal(t, "2 (100%)", b.text(`.cohort-states tr[data-state="`+scs[0].Start+`"] td`))
	// The drawing's own rules apply under the strict CSP: moves are lines,
	// not filled black shapes.
	b.waitJS(`(() => { const p = document.querySelector('.cohort-graph svg path.flowchart-link'); return p !== null && getComputedStyle(p).fill === 'none'; })()`)
	b.screenshot("trainer-cohort")

	// The trainee's history draws its trend.
	b.run(chromedp.Navigate(b.url + "/#/history/ana"))
	b.waitJS(`document.querySelectorAll('.trend-chart .series polyline').length === 3`)
	assert.Equal(t, 2, b.count(`.trend-chart .series-score circle`))
}

func scoreOf(c sim.CallSummary) *int { return &c.Report.Score }

func (b *browser) signOut() {
	b.t.Helper()
	b.run(chromedp.Click(css(`.sign-out`)))
	b.waitJS(`location.hash === '#/login' && document.querySelector('#nav a[href="#/login"]') !== null`)
}

func (b *browser) acceptInvite(link string) {
	b.t.Helper()
	b.run(chromedp.Navigate(link), chromedp.WaitVisible(css(`.auth-form input[name="password"]`)),
		chromedp.SendKeys(css(`.auth-form input[name="password"]`), e2ePassword),
		chromedp.Click(css(`.auth-form button[type="submit"]`)))
}

// status fetches path from the page, with its cookie, and returns the status.
func (b *browser) status(path string) int {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(window.__status = 0, fetch(%q).then((r) => { window.__status = r.status; }), true)`, path))
	b.waitJS(`window.__status !== 0`)
	return eval[int](b, `window.__status`)
}

// fetchText fetches path from the page and returns the body.
func (b *browser) fetchText(path string) string {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(window.__text = null, fetch(%q).then((r) => r.text()).then((t) => { window.__text = t; }), true)`, path))
	b.waitJS(`window.__text !== null`)
	return eval[string](b, `window.__text`)
}
