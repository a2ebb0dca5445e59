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
// The table takes memory reads as given: where a constraint needs a value held
// in memory (a process record, a ref header, an arena row), the row carries the
// value read as port cells. That the reads match the writes is the logUp
// memory argument's job (ARITH.md § 3): Groups gives fold/lookup the
// transaction's leaf columns (linear forms of the rows' cells) and the public
// groups, and CheckClaims checks lookup's claims on them against the column
// evaluations v that bind them to the committed steps (ARITH.md § 7.3).
//
// CCS is the R1CS of one step, made from the same table, and Witness.Chain
// the chain fold/neo folds; CheckCCS names the violated constraint as Check
// does.
package interleave
