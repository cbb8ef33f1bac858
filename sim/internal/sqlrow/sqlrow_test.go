package sqlrow

import (
	"errors"
	"testing"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

func TestNanos(t *testing.T) {
	if Nanos(time.Time{}) != nil || !Time(nil).IsZero() {
		t.Error("the zero time is not stored as NULL")
	}
	at := time.Date(2026, 12, 1, 14, 0, 0, 123, time.FixedZone("x", 3600))
	if got := Time(Nanos(at)); !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("Time(Nanos(%v)) = %v, want the same instant in UTC", at, got)
	}
}

func TestInternal(t *testing.T) {
	if Internal(nil, "x") != nil {
		t.Error("nil is not nil")
	}
	e := sim.Errorf(sim.ENotFound, "no call")
	if Internal(e, "call %s", "a") != e {
		t.Error("a *sim.Error was wrapped")
	}
	if got := Internal(errors.New("boom"), "call %s", "a").Error(); got != "call a: boom" {
		t.Errorf("got %q", got)
	}
}

// row scans vals into dest, as a driver's row does.
type row []any

func (r row) Scan(dest ...any) error {
	for i, d := range dest {
		switch d := d.(type) {
		case *string:
			*d = r[i].(string)
		case **string:
			*d, _ = r[i].(*string)
		case *int:
			*d = r[i].(int)
		case **int64:
			*d, _ = r[i].(*int64)
		}
	}
	return nil
}

func TestScanTurn(t *testing.T) {
	at := time.Unix(0, 42).UTC()
	got, err := ScanTurn(row{3, "hello", `[]`, "r", Nanos(at), "hi", (*string)(nil)})
	if err != nil || got.N != 3 || got.Said != "hello" || !got.At.Equal(at) || got.Reply != "hi" || got.Override != nil {
		t.Errorf("ScanTurn = %+v, %v", got, err)
	}
	if _, err := ScanTurn(row{3, "hello", `{`, "r", nil, "hi", (*string)(nil)}); err == nil {
		t.Error("bad acts were decoded")
	}
	o, err := EncodeOverride(&sim.Override{Read: []sim.Detection{{Act: sim.Pitch}}, By: "ana", At: at.In(time.FixedZone("x", 3600))})
	if err != nil {
		t.Fatal(err)
	}
	got, err = ScanTurn(row{3, "hello", `[]`, "r", Nanos(at), "hi", o})
	if err != nil || got.Override == nil || got.Override.By != "ana" || got.Override.At != at || len(got.Override.Read) != 1 {
		t.Errorf("ScanTurn with an override = %+v, %v", got.Override, err)
	}
	bad := `{`
	if _, err := ScanTurn(row{3, "hello", `[]`, "r", nil, "hi", &bad}); err == nil {
		t.Error("a bad override was decoded")
	}
}

// fakeRows yields its values one row at a time, then err.
type fakeRows struct {
	vals []int
	i    int
	err  error
}

func (r *fakeRows) Next() bool { r.i++; return r.i <= len(r.vals) }
func (r *fakeRows) Err() error { return r.err }
func (r *fakeRows) Scan(dest ...any) error {
	*dest[0].(*int) = r.vals[r.i-1]
	return nil
}

func scanInt(r Scanner) (int, error) {
	var n int
	err := r.Scan(&n)
	if n < 0 {
		return 0, errors.New("negative")
	}
	return n, err
}

func TestCollect(t *testing.T) {
	broken := errors.New("connection lost")
	for _, tc := range []struct {
		name string
		rows fakeRows
		want []int
		err  string
	}{
		{"rows in order", fakeRows{vals: []int{3, 1, 2}}, []int{3, 1, 2}, ""},
		{"none is an empty slice", fakeRows{}, []int{}, ""},
		{"a row that does not scan", fakeRows{vals: []int{1, -1}}, nil, "negative"},
		{"the query failing midway", fakeRows{vals: []int{1}, err: broken}, []int{1}, "connection lost"},
	} {
		got, err := Collect(&tc.rows, scanInt)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || err.Error() != tc.err) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
		if tc.err == "" && (got == nil || len(got) != len(tc.want)) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
		for i := range min(len(got), len(tc.want)) {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}
