package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  how many trucks?  ", "how many trucks?"},
		{"\x00\x00", ""},
		{"\u200b\u200b\ufeff", ""},
		{"who\u200bsigns", "whosigns"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"line one\nline two", "line one\nline two"},
		{"tab\there", "tab\there"},
		{"\u202ereversed", "reversed"},
		{"café 東京", "café 東京"},
	} {
		assert.Equal(t, tc.want, Clean(tc.in), "%q", tc.in)
	}
}
