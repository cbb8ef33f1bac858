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
	got, err := ScanTurn(row{3, "hello", `[]`, "r", Nanos(at), "hi"})
	if err != nil || got.N != 3 || got.Said != "hello" || !got.At.Equal(at) || got.Reply != "hi" {
		t.Errorf("ScanTurn = %+v, %v", got, err)
	}
	if _, err := ScanTurn(row{3, "hello", `{`, "r", nil, "hi"}); err == nil {
		t.Error("bad acts were decoded")
	}
}
