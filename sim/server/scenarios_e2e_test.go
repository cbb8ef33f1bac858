package server_test

import (
	"context"
	"encoding/json"
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
	"github.com/roleplay-sim/roleplay/sim/auth"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/static"
)

// A trainer writes a persona in the page: an upload with a mistake shows
// it at its line and column, in the list and in the margin, and a click
// puts the cursor there; the fixed upload is a draft the trainer plays at
// once; after an edit, the same lines replayed on the new version show
// what changed; published, trainees get it.
func TestE2ETrainerWritesAndPlaysAPersona(t *testing.T) {
	ctx := context.Background()
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	store := inmem.New()
	pw, err := auth.HashPassword(e2ePassword)
	require.NoError(t, err)
	require.NoError(t, store.CreateUser(ctx, &sim.User{Name: "coach", Role: sim.Trainer, Teams: []string{"north"}, PasswordHash: pw, Created: time.Now()}))
	// A persona an assessment uses, uploaded before the server starts.
	good, err := os.ReadFile("testdata/e2e/fleet.toml")
	require.NoError(t, err)
	assessed, err := scenario.Load("e2e-assessed.toml", []byte(strings.Replace(string(good), `id = "e2e-fleet"`, `id = "e2e-assessed"`, 1)))
	require.NoError(t, err)
	require.NoError(t, store.PutScenarioVersion(ctx, assessed.Version()))
	_, err = store.AddUpload(ctx, sim.Upload{Scenario: assessed.ID, Hash: assessed.Hash, By: "coach", At: time.Now()})
	require.NoError(t, err)
	_, err = server.CreateAssessment(ctx, store, assessed, server.NewAssessment{TimeLimit: "20m", Candidates: 1}, "coach", time.Now())
	require.NoError(t, err)
	b := newBrowserFor(t, func() *server.Server {
		srv := server.New(server.Config{Scenarios: scs, Static: static.FS(), Store: store})
		require.NoError(t, srv.LoadUploads(ctx))
		return srv
	})
	_, err = chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	require.NoError(t, err)

	b.run(chromedp.Navigate(b.url+"/#/login"), chromedp.WaitVisible(css(`.auth-form input[name="name"]`)),
		chromedp.SendKeys(css(`.auth-form input[name="name"]`), "coach"),
		chromedp.SendKeys(css(`.auth-form input[name="password"]`), e2ePassword),
		chromedp.Click(css(`.auth-form button[type="submit"]`)))
	b.waitJS(`document.querySelector('#nav a[href="#/scenarios"]') !== null`)

	// 1. A new persona with a misspelt key on line 5.
	draft := strings.Replace(string(good), `id = "e2e-fleet"`, `id = "e2e-draft"`, 1)
	lines := strings.Split(draft, "\n")
	require.Equal(t, `difficulty = "beginner"`, lines[4])
	lines[4] = `dificulty = "beginner"`
	broken := strings.Join(lines, "\n")

	b.run(chromedp.Navigate(b.url+"/#/edit"), chromedp.WaitVisible(css(`.code-editor textarea.code`)))
	b.setSource(broken, "e2e-draft.toml")
	b.run(chromedp.Click(css(`.upload-btn`)))
	b.waitJS(`document.querySelector('.problems li.problem.error') !== null`)
	assert.Equal(t, "5:1", b.text(`.problems li.problem.error .goto`), "the problem at its line and column")
	assert.Contains(t, b.text(`.problems li.problem.error .message`), `unknown key "dificulty"`)
	assert.Contains(t, b.text(`.editor-status`), "Not uploaded")
	assert.Equal(t, 1, b.count(`.gutter .ln.error[data-line="5"]`), "line 5 marked in the margin")
	b.screenshot("editor-problem")
	b.run(chromedp.Click(css(`.problems li.problem.error .goto`)))
	b.waitJS(`document.activeElement === document.querySelector('textarea.code')`)
	line := eval[int](b, `(() => { const t = document.querySelector('textarea.code'); return t.value.slice(0, t.selectionStart).split('\n').length; })()`)
	assert.Equal(t, 5, line, "the cursor is on the line of the problem")
	recs, err := store.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Len(t, recs, 1, "nothing stored but the assessed persona")

	// 2. Fixed, it uploads as version 1, with its graph, and plays at once.
	b.setSource(draft, "e2e-draft.toml")
	b.run(chromedp.Click(css(`.upload-btn`)))
	b.waitJS(`document.querySelector('.play-draft') !== null`)
	assert.Equal(t, 0, b.count(`.problems li.problem.error`))
	assert.Contains(t, b.text(`.editor-status`), "version 1 of e2e-draft")
	b.waitJS(`document.querySelector('.editor-graph svg g') !== null || document.querySelector('.editor-graph .notice') !== null`)
	assert.Equal(t, 0, b.count(`.editor-graph .notice`), "the state graph is drawn: %s", b.text(`.editor-graph .notice`))
	b.waitJS(`document.querySelector('.versions li[data-n="1"]') !== null`)
	b.screenshot("editor-uploaded")
	b.run(chromedp.Click(css(`.play-draft`)))
	b.waitOpening()
	assert.Contains(t, b.text(`.call-head`), "Dana")
	for _, l := range goodCall[:3] {
		b.say(l)
	}
	b.endIfOpen()
	b.waitReport()
	recs, err = store.UploadedScenarios(ctx)
	require.NoError(t, err)
	require.Len(t, recs, 2) // e2e-assessed, e2e-draft
	calls, err := store.ListCalls(ctx, sim.CallFilter{Trainees: []string{"coach"}})
	require.NoError(t, err)
	require.Len(t, calls, 1)
	assert.Equal(t, recs[1].Uploads[0].Hash, calls[0].Version, "the call ran on the draft")

	// 3. An edit of the pain's reply, uploaded as version 2, and the call's
	// lines replayed on it: the turn that reveals the pain changed.
	b.run(chromedp.Navigate(b.url+"/#/edit/e2e-draft"), chromedp.WaitVisible(css(`.code-editor textarea.code`)))
	b.waitJS(`document.querySelector('textarea.code').value.includes('e2e-draft')`)
	pain := painReply(t, draft)
	b.setSource(strings.Replace(draft, pain, "Mostly the paperwork, to be honest.", 1), "e2e-draft.toml")
	b.run(chromedp.Click(css(`.upload-btn`)))
	b.waitJS(`document.querySelector('.play-draft') !== null && document.querySelector('.versions li[data-n="2"]') !== null`)
	b.waitJS(`document.querySelector('.replay-btn') !== null`)
	b.run(chromedp.Click(css(`.replay-btn`)))
	b.waitJS(`document.querySelectorAll('.replay-diff tr.replay-turn').length === 3`)
	assert.GreaterOrEqual(t, b.count(`.replay-diff tr.replay-turn.changed`), 1, "a turn changed")
	assert.Contains(t, b.text(`.replay-diff`), "Mostly the paperwork")
	b.screenshot("editor-replay")

	// 4. Published, it is on the trainees' list.
	b.run(chromedp.Click(css(`.publish-btn`)))
	b.waitJS(`document.querySelector('.versions li[data-n="2"] .pill.published') !== null`)
	recs, err = store.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Equal(t, recs[1].Uploads[1].Hash, recs[1].Published)
	b.run(chromedp.Navigate(b.url+"/#/scenarios"), chromedp.WaitVisible(css(`.scenarios-table tr[data-scenario="e2e-draft"]`)))
	assert.Contains(t, b.text(`.scenarios-table tr[data-scenario="e2e-draft"]`), "Version 2")

	// 5. Removing the persona an assessment uses is refused, with the
	// server's reason; the draft is removed, once confirmed, and is gone
	// from the list and the picker, while the call played on it is still
	// there to review.
	row := `.scenarios-table tr[data-scenario="e2e-assessed"]`
	b.run(chromedp.Click(css(row+` .remove`)), chromedp.WaitVisible(css(row+` .confirm-remove`)))
	b.run(chromedp.Click(css(row + ` .confirm-remove`)))
	b.waitJS(`document.querySelector('` + row + ` .remove-error').textContent !== ''`)
	assert.Contains(t, b.text(row+` .remove-error`), `"e2e-assessed" is used by the assessment created`)
	b.run(chromedp.Click(css(row + ` .cancel-remove`)))
	b.waitJS(`document.querySelector('` + row + ` .remove') !== null`)

	row = `.scenarios-table tr[data-scenario="e2e-draft"]`
	b.run(chromedp.Click(css(row+` .remove`)), chromedp.WaitVisible(css(row+` .confirm-remove`)))
	assert.Contains(t, b.text(row+` .remove-box`), "keep their reports")
	b.screenshot("scenarios-remove")
	b.run(chromedp.Click(css(row + ` .confirm-remove`)))
	b.waitJS(`document.querySelector('` + row + `') === null`)
	assert.Contains(t, b.text(`.list-status`), "Removed")
	recs, err = store.UploadedScenarios(ctx)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, "e2e-assessed", recs[0].ID)
	b.run(chromedp.Reload(), chromedp.WaitVisible(css(`.scenarios-table tr[data-scenario="e2e-assessed"]`)))
	assert.Equal(t, 0, b.count(row), "gone for good")
	b.run(chromedp.Navigate(b.url+"/#/"), chromedp.WaitVisible(css(`article[data-scenario="e2e-fleet"]`)))
	assert.Equal(t, 0, b.count(`article[data-scenario="e2e-draft"]`), "not in the picker")
	b.run(chromedp.Navigate(b.url + "/#/review/" + calls[0].ID))
	b.waitJS(`document.querySelector('#turn-3') !== null || document.querySelector('.review .notice.error') !== null`)
	assert.Equal(t, 0, b.count(`.review .notice.error`), "the call still loads: %s", b.text(`.review`))
}

// setSource puts src in the editor as if typed (the page checks it as it
// changes) and names the file.
func (b *browser) setSource(src, name string) {
	b.t.Helper()
	b.run(chromedp.SetValue(css(`#scenario-file`), name))
	js, err := json.Marshal(src)
	require.NoError(b.t, err)
	eval[bool](b, fmt.Sprintf(`(() => { const t = document.querySelector('textarea.code'); t.value = %s; t.dispatchEvent(new Event('input')); return true; })()`, js))
}

// painReply is the reply of the first pain fact of src.
func painReply(t *testing.T, src string) string {
	t.Helper()
	i := strings.Index(src, `kind = "pain"`)
	require.GreaterOrEqual(t, i, 0)
	rest := src[i:]
	j := strings.Index(rest, `reply = "`)
	require.GreaterOrEqual(t, j, 0)
	rest = rest[j+len(`reply = "`):]
	return rest[:strings.Index(rest, `"`)]
}
