package sim

import (
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"time"
)

// The CSV export of a list of calls: one row per call, a header row, RFC
// 4180 quoting (encoding/csv), and every text cell that a spreadsheet would
// read as a formula neutralised.

// csvColumns are the fixed columns; each score part follows as
// "customer_focus:<part>" or "self_focus:<part>".
var csvColumns = []string{
	"call", "trainee", "scenario", "version", "mode", "started", "duration_seconds", "turns", "corrections",
	"outcome", "profile", "customer_focus", "self_focus", "score", "passed",
}

// WriteCSV writes calls as CSV to w.
func WriteCSV(w io.Writer, calls []CallSummary) error {
	// The part columns are every part any call has, in the order first
	// seen: scenarios may weigh or name their parts differently.
	var parts []string
	seen := map[string]bool{}
	addParts := func(axis string, ps []ScorePart) {
		for _, p := range ps {
			if k := axis + ":" + p.Name; !seen[k] {
				seen[k] = true
				parts = append(parts, k)
			}
		}
	}
	for _, c := range calls {
		if c.Report != nil {
			addParts("customer_focus", c.Report.CustomerFocusParts)
			addParts("self_focus", c.Report.SelfFocusParts)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(append(append([]string{}, csvColumns...), parts...)); err != nil {
		return err
	}
	for _, c := range calls {
		row := []string{
			c.ID, c.Trainee, c.Scenario, c.Version, string(c.Mode), c.Started.UTC().Format(time.RFC3339),
			"", strconv.Itoa(c.TurnCount), strconv.Itoa(c.Corrections), string(c.Outcome()), "", "", "", "", "",
		}
		if d := c.Duration(); d > 0 {
			row[6] = strconv.FormatFloat(d.Seconds(), 'f', 0, 64)
		}
		points := map[string]int{}
		if r := c.Report; r != nil {
			row[10], row[11], row[12], row[13] = string(r.Profile), strconv.Itoa(r.CustomerFocus), strconv.Itoa(r.SelfFocus), strconv.Itoa(r.Score)
			row[14] = strconv.FormatBool(r.Passed)
			for _, p := range r.CustomerFocusParts {
				points["customer_focus:"+p.Name] = p.Points
			}
			for _, p := range r.SelfFocusParts {
				points["self_focus:"+p.Name] = p.Points
			}
		}
		for _, k := range parts {
			if n, ok := points[k]; ok {
				row = append(row, strconv.Itoa(n))
			} else {
				row = append(row, "")
			}
		}
		for i := range row {
			row[i] = CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// number is a plain decimal number, which a spreadsheet reads as one and
// never as a formula.
var number = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// CSVCell neutralises a cell a spreadsheet would run as a formula (OWASP's
// CSV injection): one starting with = + - @, a tab or a carriage return
// gets a ' before it. A plain number is left alone, so that penalties
// (negative points) stay numbers in the sheet.
func CSVCell(s string) string {
	if s == "" || number.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
