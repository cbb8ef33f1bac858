package nn

import "strings"

// Tokens splits text the way GloVe's corpus was tokenised: lower case,
// words, numbers, and punctuation marks that carry framing ("?", ",", "$",
// "%"), with English clitics split off ("don't" -> "do", "n't"; "I'm" ->
// "i", "'m"). The caller may normalise further before Predict.
func Tokens(text string) []string {
	return AppendTokens(nil, text)
}

// AppendTokens appends the tokens of text to dst.
func AppendTokens(dst []string, text string) []string {
	text = strings.ReplaceAll(text, "\u2019", "'")
	i := 0
	for i < len(text) {
		c := text[i]
		switch {
		case isWordByte(c):
			j := i
			for j < len(text) && (isWordByte(text[j]) || inWord(text, j)) {
				j++
			}
			dst = appendWord(dst, strings.ToLower(text[i:j]))
			i = j
		case c == '?' || c == ',' || c == '$' || c == '%' || c == '!' || c == '.' || c == ':' || c == ';' || c == '&':
			if c == '&' {
				dst = append(dst, "and")
			} else {
				dst = append(dst, text[i:i+1])
			}
			i++
		case c >= 0x80:
			// Skip one UTF-8 sequence (emoji, dashes, quotes).
			i++
			for i < len(text) && text[i]&0xC0 == 0x80 {
				i++
			}
		default:
			i++
		}
	}
	return dst
}

// inWord reports whether the mark at text[j] joins the bytes around it:
// an apostrophe inside a word, a decimal point or thousands comma.
func inWord(text string, j int) bool {
	if j == 0 || j+1 >= len(text) {
		return false
	}
	switch text[j] {
	case '\'':
		return isWordByte(text[j+1])
	case '.', ',':
		return isDigit(text[j-1]) && isDigit(text[j+1])
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c)
}

var clitics = []string{"n't", "'re", "'ve", "'ll", "'d", "'m", "'s"}

// appendWord splits the clitics off one lower-cased word.
func appendWord(dst []string, w string) []string {
	for _, c := range clitics {
		if len(w) > len(c) && strings.HasSuffix(w, c) {
			stem := w[:len(w)-len(c)]
			if c == "n't" && stem == "can" { // "can't" is "ca n't" in GloVe
				stem = "ca"
			}
			return append(appendWord(dst, stem), c)
		}
	}
	if strings.ContainsRune(w, '\'') {
		w = strings.ReplaceAll(w, "'", "")
	}
	return append(dst, w)
}
