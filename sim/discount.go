package sim

import (
	"strconv"
	"strings"
)

// How big a concession is. The classifier reads percentages ("10% off");
// sellers also name a new price ("down to 70 per terminal", "match at 68",
// "I can do 21,000") or an amount off ("take 2,000 off"). Both are read
// here against the list price, so every offer becomes a percentage of it.
// Offers are not added up: "15% off" then "25% off" is a 25% discount.

// Discount is the size of the concession d, as a percentage of the list
// price (0 when no size is stated or the list price is unknown).
func Discount(d Detection, listPrice float64) float64 {
	if d.Percent > 0 {
		return d.Percent
	}
	if listPrice <= 0 {
		return 0
	}
	words := priceWords(d.Sentence)
	for i, w := range words {
		n, ok := parseAmount(w)
		if !ok {
			continue
		}
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		prev := ""
		if i > 0 {
			prev = words[i-1]
		}
		switch {
		case next == "%" || next == "percent" || next == "per cent":
			return n
		case countUnits[strings.TrimSuffix(next, "s")] || countUnits[next]:
			continue // "12 months", "50 terminals": not money
		case next == "off" || prev == "save" || prev == "saving":
			if n < listPrice {
				return round1(100 * n / listPrice)
			}
		case n < listPrice && n >= 0.3*listPrice:
			return round1(100 * (1 - n/listPrice))
		}
	}
	return 0
}

// countUnits are words after a number that make it a count or a duration.
var countUnits = map[string]bool{
	"month": true, "year": true, "week": true, "day": true, "hour": true, "minute": true,
	"user": true, "seat": true, "licence": true, "license": true, "terminal": true, "truck": true,
	"site": true, "location": true, "store": true, "people": true, "staff": true, "employee": true,
	"hotel": true, "driver": true, "unit": true, "time": true, "x": true, "th": true, "st": true,
	"nd": true, "rd": true,
}

// priceWords splits s into lower-case words, keeping numbers whole
// ("21,000", "70.50", "21k") and "%" as a word of its own.
func priceWords(s string) []string {
	var out []string
	s = strings.ToLower(s)
	start := -1
	flush := func(i int) {
		if start >= 0 {
			w := strings.TrimRight(s[start:i], ".,")
			if w != "" {
				out = append(out, w)
			}
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			flush(i)
			out = append(out, "%")
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\'':
			if start < 0 {
				start = i
			}
		case (c == ',' || c == '.') && start >= 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' && s[i-1] >= '0' && s[i-1] <= '9':
			// a thousands separator or decimal point inside a number
		default:
			flush(i)
		}
	}
	flush(len(s))
	return out
}

// parseAmount reads "21,000", "70.5" or "21k" as a number.
func parseAmount(w string) (float64, bool) {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return 0, false
	}
	mult := 1.0
	switch {
	case strings.HasSuffix(w, "k"):
		mult, w = 1000, w[:len(w)-1]
	case strings.HasSuffix(w, "m"):
		mult, w = 1e6, w[:len(w)-1]
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", ""), 64)
	if err != nil {
		return 0, false
	}
	return n * mult, true
}

func round1(x float64) float64 { return float64(int(x*10+0.5)) / 10 }
