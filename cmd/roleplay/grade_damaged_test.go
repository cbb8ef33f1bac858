package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

// `roleplay grade` on a damaged file says what is wrong in words for
// people; it used to show "cannot unmarshal string into Go struct field
// Transcript.version of type int".
func TestGradeDamagedFileShowsNoGoTypes(t *testing.T) {
	internals := regexp.MustCompile(`Go (struct|value|type)|unmarshal|\bsim\.|(^|\s)json:|2006-01-02`)
	dir := t.TempDir()
	for name, data := range map[string]string{
		"version.json":   `{"version":"two","call":{}}`,
		"turn.json":      `{"version":2,"call":{"turns":[{"n":"x"}]}}`,
		"cut.json":       `{"version":2`,
		"array.json":     `[1,2,3]`,
		"time.json":      `{"version":2,"call":{"started":"yesterday"}}`,
		"act.json":       `{"version":2,"call":{"turns":[{"n":1,"acts":[{"act":"nonsense"}]}]}}`,
		"binary.json":    "\x00\x01\x02",
		"v1-lines.json":  `{"version":1,"lines":"many"}`,
		"unknown.json":   `{"version":2,"extra":true}`,
		"empty.json":     ``,
		"scenario.json":  `{"version":2,"scenario":{"source":"[[[","defaults":"x"},"call":{}}`,
		"v1-source.json": `{"version":1,"scenario":{"source":"id = 3"},"lines":[]}`,
	} {
		p := filepath.Join(dir, name)
		assert.NoError(t, os.WriteFile(p, []byte(data), 0o644))
		code, _, stderr := roleplay(t, "", "grade", p)
		assert.NotEqual(t, exitOK, code, name)
		assert.NotRegexp(t, internals, stderr, name)
		assert.NotEmpty(t, stderr, name)
	}
}
