package server_test

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The page works under the server's Content-Security-Policy: a whole call
// and its report break no directive, and the bars (widths set by script)
// still have their widths.
func TestE2EPageKeepsTheContentSecurityPolicy(t *testing.T) {
	b := newBrowser(t)
	_, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));`,
	})
	require.NoError(t, err)
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	for _, line := range goodCall[:3] {
		b.say(line)
	}
	assert.NotEqual(t, "0px", eval[string](b, `getComputedStyle(document.querySelector('.call-side .meter .fill')).width`), "meter bars have a width")
	b.endIfOpen()
	b.waitReport()
	assert.NotEqual(t, "0px", eval[string](b, `getComputedStyle(document.querySelector('.axis-score .fill')).width`), "score bars have a width")
	assert.Empty(t, eval[[]string](b, `window.__csp`), "no Content-Security-Policy violations")
}
