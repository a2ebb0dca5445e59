// Package interleave arithmetizes the interleaving of a Starstream transaction:
// which process ran, which host call it made, and what each call did to the
// processes, handlers, refs and datum it touched (fold/ARITH.md §§ 2–5).
//
// A transaction's host calls become rows of W = 128 cells, one row per call,
// followed by scan rows that read every memory cell's final value and by
// padding rows. Rows are grouped into steps of R rows whose row 0 is a header
// holding the step's public input x = (1, y_prev, y_next), so that the steps
// form an IVC chain whose state y is the row state of § 2.4.
//
// Constraints is the constraint table: every equation of ARITH.md §§ 2–5 as
// data, A·B = C over linear forms of a row's cells and the next row's state.
// Check evaluates it on built rows, and the same table is what the step's R1CS
// is made from. Build turns an Input, the package's own description of an
// executed transaction (nothing under fold imports runtime), into rows and
// refuses rows the table rejects, naming the row's op and the constraint.
//
// Memory consistency is not checked here. Where a constraint needs a value held
// in memory (a process record, a ref header, an arena row), the row carries the
// value read as port cells and the table takes it as given; that the reads
// match the writes is the logUp memory argument's job (ARITH.md § 3, built on
// top of this package).
package interleave
