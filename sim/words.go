package sim

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// How text splits into words: the one place for it. There are two rules,
// each kept because the goldens and grades were built on it:
//
//   - Words, for counting words and "you" against "I/we" language: letters,
//     digits and apostrophes, so "you're" is one word.
//   - Stems, for matching fact keywords and label words in what the trainee
//     said: letters and digits only ("don't" is "don" and "t"), lower-cased,
//     with the light stemmer stem.
//
// The classifier (sim/classify) has its own normaliser on purpose: it keeps
// byte spans for cues, expands contractions, corrects typos and stems more
// deeply ("pricing" and "price" meet), and its model is trained on that
// reading; giving the engine the same stems would change which facts come
// out, so the rules stay separate but are named here.

// Words returns the words of s (letters, digits, apostrophes inside).
func Words(s string) []string { return strings.FieldsFunc(s, betweenWords) }

// WordsSeq yields the words Words returns, without making the slice: the
// grader counts the words of every line of a call.
func WordsSeq(s string) iter.Seq[string] { return strings.FieldsFuncSeq(s, betweenWords) }

// betweenWords reports runes that separate words; apostrophes stay inside
// them ("don't").
func betweenWords(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '\'' || r > 127)
}

// stems yields the stems of the words of text, lower-cased.
func stems(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1
		for i := 0; i <= len(text); i++ {
			word := i < len(text) && !notWordByte(text[i])
			switch {
			case word && start < 0:
				start = i
			case !word && start >= 0:
				if !yield(stem(lowerASCII(text[start:i]))) {
					return
				}
				start = -1
			}
		}
	}
}

// AppendStems appends the stems of the words of text. A turn has a few
// dozen words, so a slice searched in order beats a map.
func AppendStems(dst []string, text string) []string {
	for w := range stems(text) {
		dst = append(dst, w)
	}
	return dst
}

func notWordByte(b byte) bool {
	return !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80)
}

// lowerASCII lower-cases s, allocating only when it has capitals.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

func hasWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// containsPhrase reports whether every word of phrase is among words.
func containsPhrase(words []string, phrase string) bool {
	n := 0
	for w := range stems(phrase) {
		if !hasWord(words, w) {
			return false
		}
		n++
	}
	return n > 0
}

// stem strips common English endings so "delays" finds "delay".
func stem(w string) string {
	for _, suf := range []string{"ing", "ies", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			if suf == "ies" {
				return w[:len(w)-3] + "y"
			}
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// Clean makes a trainee's line fit to read and store: bytes that are not
// UTF-8 become U+FFFD, control characters (but tabs and newlines) and
// invisible format characters (zero-width spaces and joiners, byte-order
// marks, bidirectional marks) are dropped, and the ends are trimmed. A line
// of only such characters comes out empty, so it is refused as empty rather
// than spent as an invisible turn.
func Clean(text string) string {
	clean := true
	for _, r := range text {
		if r == utf8.RuneError || invisible(r) {
			clean = false
			break
		}
	}
	if !clean {
		text = strings.Map(func(r rune) rune {
			if invisible(r) {
				return -1
			}
			return r
		}, strings.ToValidUTF8(text, "\uFFFD"))
	}
	return strings.TrimSpace(text)
}

func invisible(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case unicode.IsControl(r):
		return true
	}
	return unicode.Is(unicode.Cf, r) // format characters: U+200B..U+200F, U+2060, U+FEFF, ...
}
