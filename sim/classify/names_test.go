package classify

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// markNamesPlain is markNames as first written: EqualFold at every word
// start. markNames skips the starts whose first letter cannot match;
// TestMarkNamesSkipsOnlyMisses holds it to the same tokens.
func markNamesPlain(text string, from int, toks []token, names []string, id int32) {
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		for p := from; p+len(name) <= len(text); p++ {
			if p > 0 && isAlnum(text[p-1]) || !strings.EqualFold(text[p:p+len(name)], name) {
				continue
			}
			e := p + len(name)
			if e < len(text) && isAlnum(text[e]) {
				continue
			}
			first := -1
			for k := range toks {
				t := &toks[k]
				if t.flags&tSkip != 0 || int(t.start) < p || int(t.start) >= e || t.id == prodID || t.id == compID || t.id == termID {
					continue
				}
				if first < 0 {
					first = k
					t.id = id
					t.end = max(t.end, int32(e))
				} else {
					t.flags |= tSkip
					toks[first].end = max(toks[first].end, t.end)
				}
			}
			p = e - 1
		}
	}
}

// words is a token per run of letters and digits (non-ASCII bytes count
// as letters), each with id 1.
func words(text string) []token {
	var out []token
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) && text[i] < 0x80 {
			i++
			continue
		}
		j := i
		for j < len(text) && (isAlnum(text[j]) || text[j] >= 0x80) {
			j++
		}
		out = append(out, token{id: 1, start: int32(i), end: int32(j)})
		i = j
	}
	return out
}

func TestMarkNamesSkipsOnlyMisses(t *testing.T) {
	names := []string{"Kafka", "kafka streams", " Slack ", "", "müller gmbh", "3M", "ΣΙΓΜΑ", "k"}
	for _, text := range []string{
		"we moved from Kafka to KAFKA STREAMS last year",
		"kafkaesque, xKafka and Kafka2 are not names",
		"the \u212Aafka cluster (a Kelvin sign) and \u017Flack (a long s)",
		"Müller GmbH and MÜLLER GMBH and müller gmbh",
		"3m, 3M and 33M",
		"σίγμα, ΣΙΓΜΑ and σιγμα",
		"k, K and kk",
		"Slack",
		"",
		"Kafka streams Kafka streams Kafka",
	} {
		for from := range min(len(text), 3) + 1 {
			got, want := words(text), words(text)
			markNames(text, from, got, names, prodID)
			markNamesPlain(text, from, want, names, prodID)
			assert.Equal(t, want, got, "%q from %d", text, from)
		}
	}
}
