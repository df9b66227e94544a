package mapping

import (
	"math"
	"strconv"
)

// Value is a figure that may be "not defined" (a location quotient against a
// reference with no employment, a growth rate from zero). It never holds NaN
// or an infinity: constructors turn those into the not-defined state, so
// writers print an empty cell or JSON null instead of a misleading number.
// The zero Value is not defined.
//
// A Value is 8 bytes, since results hold millions of them: it stores the
// complement of the number's bits, so the zero Value is the complement of an
// all-ones NaN pattern, which no defined Value can hold.
type Value struct {
	bits uint64
}

// Of returns x as a defined Value, or a not-defined Value when x is NaN or
// infinite.
func Of(x float64) Value {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Value{}
	}
	return Value{bits: ^math.Float64bits(x)}
}

// float returns the number, 0 when not defined.
func (v Value) float() float64 {
	if v.bits == 0 {
		return 0
	}
	return math.Float64frombits(^v.bits)
}

// Ratio returns a/b, not defined when b is zero.
func Ratio(a, b float64) Value {
	if b == 0 {
		return Value{}
	}
	return Of(a / b)
}

// Defined reports whether the value exists.
func (v Value) Defined() bool { return v.bits != 0 }

// Get returns the number and whether it is defined.
func (v Value) Get() (float64, bool) { return v.float(), v.bits != 0 }

// Or returns the number, or def when the value is not defined.
func (v Value) Or(def float64) float64 {
	if v.bits == 0 {
		return def
	}
	return v.float()
}

// String formats the number with the fewest digits that read back exactly,
// and the empty string when it is not defined (an empty CSV cell).
func (v Value) String() string {
	if v.bits == 0 {
		return ""
	}
	return strconv.FormatFloat(v.float(), 'g', -1, 64)
}

// Format formats the number with prec digits after the decimal point, and the
// empty string when it is not defined.
func (v Value) Format(prec int) string {
	if v.bits == 0 {
		return ""
	}
	return strconv.FormatFloat(v.float(), 'f', prec, 64)
}

// MarshalJSON writes the number, or null when it is not defined.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.bits == 0 {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v.float(), 'g', -1, 64), nil
}

// UnmarshalJSON reads a number or null.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = Value{}
		return nil
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*v = Of(x)
	return nil
}
